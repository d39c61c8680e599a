-- use_signup_code
-- Marks sign-up code ?1 used at ?2 by person ?3, once, if this batch made that person (so a code
-- admits exactly one sign-up, however many arrive at once).
UPDATE signup_codes SET used_at = ?2, used_by = ?3
WHERE id = ?1 AND used_at IS NULL AND expires_at > ?2
  AND EXISTS (SELECT 1 FROM people WHERE id = ?3 AND created_at = ?2)
