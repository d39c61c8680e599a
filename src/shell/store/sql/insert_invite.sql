-- insert_invite
-- Invitation ?1 (the hash of its secret) to merchant ?2 for email ?3 as role ?4, by person ?5,
-- at ?6, valid until ?7.
INSERT INTO invites (id, merchant_id, email, role, invited_by, created_at, expires_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
