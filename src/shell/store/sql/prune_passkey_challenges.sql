-- prune_passkey_challenges
-- Forgets answered challenges that have expired (at ?1).
DELETE FROM passkey_challenges WHERE expires_at < ?1
