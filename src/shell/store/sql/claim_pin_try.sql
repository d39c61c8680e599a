-- claim_pin_try
-- Claims one PIN try of person ?2 at till ?1 at ?3 for request ?6, before the PIN is checked:
-- refused while the pair is locked; the ?5th try in a row locks it until ?3 + ?4. A lock that
-- has run out starts the count again. `claimed` says whether this request got its try.
INSERT INTO till_pin_tries (till_id, person_id, tries, locked_until, last_try)
VALUES (?1, ?2, 1, CASE WHEN ?5 <= 1 THEN ?3 + ?4 ELSE 0 END, ?6)
ON CONFLICT (till_id, person_id) DO UPDATE SET
  tries = CASE WHEN locked_until > ?3 THEN tries WHEN locked_until > 0 THEN 1 ELSE tries + 1 END,
  locked_until = CASE
    WHEN locked_until > ?3 THEN locked_until
    WHEN (CASE WHEN locked_until > 0 THEN 1 ELSE tries + 1 END) >= ?5 THEN ?3 + ?4
    ELSE 0 END,
  last_try = CASE WHEN locked_until > ?3 THEN last_try ELSE ?6 END
RETURNING tries, locked_until, last_try = ?6 AS claimed
