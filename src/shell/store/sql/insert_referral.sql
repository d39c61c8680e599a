-- insert_referral
-- Records that member ?4 came through the invitation code ?3 of merchant ?2, judged by the
-- checks in order (the first that fails is the reason; batches run one at a time, so concurrent
-- joins are counted exactly): a reason given by the caller (?8); the friend is the inviting
-- member, uses their phone (device ?6), their email or their phone number; the friend's email or
-- phone is already another member's (not new; so is every existing member, ?22 = 0); the
-- inviting member's referrals approved this month (since ?9) reached the cap ?10; joins from the
-- friend's phone since ?11 reached ?12; invited joins from the friend's network ?7 since ?11
-- reached ?13. The last three hold the referral for review; the others block it. Nothing is
-- recorded for an unknown or erased code, or twice for the same id ?1.
-- ?5 now; bonus terms ?14 referrer points, ?15 stamps, ?16 reward, ?17 referee points, ?18
-- stamps, ?19 reward, ?20 minimum purchase, ?21 first purchase only, ?23 gift days, ?24 program
-- version
INSERT INTO referrals (id, merchant_id, referrer_id, referee_id, joined, decision, reason, progress,
                       referrer_points, referrer_stamps, referrer_reward, referee_points,
                       referee_stamps, referee_reward, min_purchase_minor, first_only, gift_days,
                       program_version, device, network, created_at)
SELECT ?1, ?2, j.referrer, j.referee, ?22,
       CASE WHEN j.reason IS NULL THEN 'ok'
            WHEN j.reason IN ('monthly_cap', 'velocity_device', 'velocity_network') THEN 'held'
            ELSE 'blocked' END,
       j.reason, 'joined', ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?23, ?24, ?6, ?7, ?5
FROM (
  SELECT r.id AS referrer, f.id AS referee, CASE
    WHEN ?8 IS NOT NULL THEN ?8
    WHEN r.id = f.id THEN 'self_referral_member'
    WHEN ?6 IS NOT NULL AND r.device = ?6 THEN 'self_referral_device'
    WHEN f.email_key IS NOT NULL AND r.email_key = f.email_key THEN 'self_referral_email'
    WHEN f.phone_key IS NOT NULL AND r.phone_key = f.phone_key THEN 'self_referral_phone'
    WHEN ?22 = 0
      OR (f.email_key IS NOT NULL AND EXISTS (
            SELECT 1 FROM members o
            WHERE o.merchant_id = ?2 AND o.email_key = f.email_key AND o.id <> f.id))
      OR (f.phone_key IS NOT NULL AND EXISTS (
            SELECT 1 FROM members o
            WHERE o.merchant_id = ?2 AND o.phone_key = f.phone_key AND o.id <> f.id))
      THEN 'not_new'
    WHEN ?10 > 0 AND (SELECT COUNT(*) FROM referrals x
                      WHERE x.referrer_id = r.id AND x.decision = 'ok' AND x.joined = 1
                        AND x.created_at >= ?9) >= ?10 THEN 'monthly_cap'
    WHEN ?12 > 0 AND ?6 IS NOT NULL AND (SELECT COUNT(*) FROM members o
                      WHERE o.merchant_id = ?2 AND o.device = ?6 AND o.id <> f.id
                        AND o.created_at >= ?11) >= ?12 THEN 'velocity_device'
    WHEN ?13 > 0 AND ?7 IS NOT NULL AND (SELECT COUNT(*) FROM referrals x
                      WHERE x.merchant_id = ?2 AND x.network = ?7 AND x.joined = 1
                        AND x.created_at >= ?11) >= ?13 THEN 'velocity_network'
  END AS reason
  FROM referral_links l
  JOIN members r ON r.id = l.member_id AND r.merchant_id = ?2 AND r.erased_at IS NULL
  JOIN members f ON f.id = ?4 AND f.merchant_id = ?2
  WHERE l.code = ?3 AND l.merchant_id = ?2
) j
WHERE 1 -- (lets SQLite read ON CONFLICT as the upsert clause)
ON CONFLICT DO NOTHING
