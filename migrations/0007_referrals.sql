-- Referrals: every member's invitation link, the friends who joined through one, the check each
-- join passed or failed (with its reason), and the bonuses, paid once when the friend's
-- qualifying purchase is final.

-- What the fraud checks compare: contact details as matched (domain::referral::email_key and
-- phone_key; computed here the same way for members who joined before) and the phone's device
-- cookie.
ALTER TABLE members ADD COLUMN email_key TEXT;
ALTER TABLE members ADD COLUMN phone_key TEXT;
ALTER TABLE members ADD COLUMN device TEXT;
UPDATE members
SET email_key = CASE
  WHEN instr(email, '@') = 0 THEN email
  WHEN substr(email, instr(email, '@') + 1) IN ('gmail.com', 'googlemail.com') THEN
    replace(CASE WHEN instr(substr(email, 1, instr(email, '@') - 1), '+') > 0
                 THEN substr(email, 1, instr(email, '+') - 1)
                 ELSE substr(email, 1, instr(email, '@') - 1) END, '.', '') || '@gmail.com'
  ELSE CASE WHEN instr(substr(email, 1, instr(email, '@') - 1), '+') > 0
            THEN substr(email, 1, instr(email, '+') - 1)
            ELSE substr(email, 1, instr(email, '@') - 1) END
       || '@' || substr(email, instr(email, '@') + 1)
  END
WHERE email IS NOT NULL;
UPDATE members SET phone_key = substr(replace(phone, '+', ''), -9) WHERE phone IS NOT NULL;
CREATE INDEX members_by_email_key ON members (merchant_id, email_key) WHERE email_key IS NOT NULL;
CREATE INDEX members_by_phone_key ON members (merchant_id, phone_key) WHERE phone_key IS NOT NULL;
CREATE INDEX members_by_device ON members (merchant_id, device) WHERE device IS NOT NULL;

-- A member's invitation code (made the first time their card is shown) and how often it was
-- opened (once per browser).
CREATE TABLE referral_links (
  member_id   TEXT PRIMARY KEY REFERENCES members(id),
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  code        TEXT NOT NULL UNIQUE,
  opened      INTEGER NOT NULL DEFAULT 0 CHECK (opened >= 0),
  created_at  INTEGER NOT NULL
) STRICT;

-- One row per friend who joined through an invitation (id = the friend's member id, so a
-- double-submitted form records one), and per existing member who opened someone's invitation
-- (id = '<member>:<referrer>', always blocked). decision: ok, held (waits for the merchant),
-- blocked (final), rejected (by the merchant). progress: joined -> qualified (the qualifying
-- purchase; final at final_at) -> rewarded, or -> cancelled (refunded before the bonus) or
-- lapsed (the first purchase was below the minimum). The bonus terms are copied from the program
-- when the friend joins: what the invitation promised is what is paid.
CREATE TABLE referrals (
  id                 TEXT PRIMARY KEY,
  merchant_id        TEXT NOT NULL REFERENCES merchants(id),
  referrer_id        TEXT NOT NULL REFERENCES members(id),
  referee_id         TEXT NOT NULL REFERENCES members(id),
  joined             INTEGER NOT NULL CHECK (joined IN (0, 1)),
  decision           TEXT NOT NULL CHECK (decision IN ('ok', 'held', 'blocked', 'rejected')),
  reason             TEXT,
  progress           TEXT NOT NULL CHECK (progress IN ('joined', 'qualified', 'rewarded',
                                                       'cancelled', 'lapsed')),
  referrer_points    INTEGER NOT NULL CHECK (referrer_points >= 0),
  referrer_stamps    INTEGER NOT NULL CHECK (referrer_stamps >= 0),
  referrer_reward    TEXT,
  referee_points     INTEGER NOT NULL CHECK (referee_points >= 0),
  referee_stamps     INTEGER NOT NULL CHECK (referee_stamps >= 0),
  referee_reward     TEXT,
  min_purchase_minor INTEGER NOT NULL CHECK (min_purchase_minor >= 0),
  first_only         INTEGER NOT NULL CHECK (first_only IN (0, 1)),
  gift_days          INTEGER NOT NULL CHECK (gift_days > 0),
  program_version    INTEGER NOT NULL,
  device             TEXT,                  -- the friend's device cookie
  network            TEXT,                  -- a hash of the friend's network (/24 or /48)
  cause_type         TEXT CHECK (cause_type IS NULL OR cause_type IN ('scan', 'order')),
  cause_id           TEXT,                  -- the qualifying purchase
  qualified_at       INTEGER,
  final_at           INTEGER,               -- when the purchase's return window ends
  rewarded_at        INTEGER,
  closed_at          INTEGER,
  reviewed_by        TEXT,
  reviewed_at        INTEGER,
  created_at         INTEGER NOT NULL
) STRICT;
CREATE INDEX referrals_by_referrer ON referrals (referrer_id, created_at);
CREATE INDEX referrals_by_merchant ON referrals (merchant_id, created_at);
CREATE INDEX referrals_held ON referrals (merchant_id, created_at) WHERE decision = 'held';
CREATE INDEX referrals_open ON referrals (referee_id) WHERE progress = 'joined';
CREATE INDEX referrals_by_cause ON referrals (merchant_id, cause_id) WHERE cause_id IS NOT NULL;
CREATE INDEX referrals_due ON referrals (final_at) WHERE progress = 'qualified' AND decision = 'ok';
CREATE INDEX referrals_by_device ON referrals (merchant_id, device, created_at) WHERE device IS NOT NULL;
CREATE INDEX referrals_by_network ON referrals (merchant_id, network, created_at) WHERE network IS NOT NULL;

-- A reward given as a bonus is a code waiting at the counter like a redeemed one, paid for by
-- the referral (gift_of) rather than by points, and outside the reward's stock.
ALTER TABLE redemptions ADD COLUMN gift_of TEXT;
