-- use_till_pairing
-- Uses pairing code ?1 for till ?3 at ?2, once, if it has not expired.
UPDATE till_pairings SET used_at = ?2, till_id = ?3
WHERE id = ?1 AND used_at IS NULL AND expires_at > ?2
