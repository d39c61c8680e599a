-- use_reset
-- Uses reset link ?1 at ?2 with this batch's token ?3, once: nothing if it was used, voided or
-- has expired (the statements after it act only if the row carries ?3).
UPDATE password_resets SET used_at = ?2, use_token = ?3
WHERE id = ?1 AND used_at IS NULL AND voided_at IS NULL AND expires_at > ?2
