-- reset_password
-- Sets the password hash ?2 at ?3 of the person of reset link ?1, if this batch (token ?4) used it.
UPDATE people SET password = ?2, updated_at = ?3
WHERE id = (SELECT person_id FROM password_resets WHERE id = ?1 AND use_token = ?4)
