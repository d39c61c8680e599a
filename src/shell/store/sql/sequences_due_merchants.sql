-- sequences_due_merchants
-- Merchants with sequence occasions due at ?1 (at most ?2).
SELECT DISTINCT merchant_id FROM sequence_runs
WHERE status = 'pending' AND due_at <= ?1
LIMIT ?2
