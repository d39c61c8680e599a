-- passkey_used
-- Moves passkey ?1's count to ?2 at ?3, if this batch recorded challenge ?4 for it and the count
-- still is what the sign-in read (?5).
UPDATE passkeys SET sign_count = ?2, used_at = ?3
WHERE id = ?1 AND sign_count = ?5
  AND EXISTS (SELECT 1 FROM passkey_challenges WHERE nonce = ?4 AND passkey_id = ?1 AND used_at = ?3)
