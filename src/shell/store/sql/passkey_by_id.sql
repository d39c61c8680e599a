-- passkey_by_id
-- Passkey ?1 for a sign-in: its key, count, person and the merchant they were first given a
-- role at (none: every role was taken away).
SELECT k.person_id, k.public_key, k.sign_count,
  (SELECT merchant_id FROM roles WHERE person_id = k.person_id ORDER BY created_at, merchant_id LIMIT 1) AS merchant_id
FROM passkeys k WHERE k.id = ?1
