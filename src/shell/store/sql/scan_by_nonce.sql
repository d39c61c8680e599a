-- scan_by_nonce
-- Who collected merchant ?1's per-sale token with nonce ?2, if anyone (the staff screen).
SELECT m.name FROM scans s JOIN members m ON m.id = s.member_id
WHERE s.merchant_id = ?1 AND s.nonce = ?2 AND s.kind <> 'visit'
