-- void_resets
-- Voids every open reset link of person ?1 but ?2 at ?3, if ?2 went in (the newest link is the
-- only one that works).
UPDATE password_resets SET voided_at = ?3
WHERE person_id = ?1 AND id <> ?2 AND used_at IS NULL AND voided_at IS NULL
  AND EXISTS (SELECT 1 FROM password_resets WHERE id = ?2)
