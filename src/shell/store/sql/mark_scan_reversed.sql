-- mark_scan_reversed
-- Marks scan ?1 reversed by entry ?3 of this batch. ?2 now
UPDATE scans SET reversed_at = ?2
WHERE id = ?1 AND reversed_at IS NULL AND EXISTS (SELECT 1 FROM ledger_entries WHERE id = ?3)
