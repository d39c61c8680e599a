-- merchant_invites
-- Merchant ?1's invitations still open at ?2, newest first.
SELECT substr(id, 1, 16) AS id, email, role, expires_at FROM invites
WHERE merchant_id = ?1 AND accepted_at IS NULL AND expires_at > ?2
ORDER BY created_at DESC LIMIT 50
