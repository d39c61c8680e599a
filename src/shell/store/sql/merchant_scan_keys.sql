-- ?1 merchant_id
SELECT kid FROM scan_keys WHERE merchant_id = ?1 AND retired_at IS NULL ORDER BY kid
