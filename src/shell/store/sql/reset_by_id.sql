-- reset_by_id
-- Reset link ?1 if it still works at ?2, with its person's email and language.
SELECT r.person_id, p.email, p.language
FROM password_resets r JOIN people p ON p.id = r.person_id
WHERE r.id = ?1 AND r.used_at IS NULL AND r.voided_at IS NULL AND r.expires_at > ?2
