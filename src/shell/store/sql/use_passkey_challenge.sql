-- use_passkey_challenge
-- Records sign-in challenge ?1 as answered by passkey ?2 at ?3 (until ?4), once; forgets
-- challenges that have expired.
INSERT INTO passkey_challenges (nonce, passkey_id, used_at, expires_at) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (nonce) DO NOTHING
