-- due_campaigns
-- Drafts whose scheduled moment is at or before ?1, oldest first, at most ?2 (this shard's; of
-- merchant ?3 only, unless it is NULL).
SELECT merchant_id, id FROM campaigns
WHERE status = 'draft' AND scheduled_at IS NOT NULL AND scheduled_at <= ?1
  AND (?3 IS NULL OR merchant_id = ?3)
ORDER BY scheduled_at LIMIT ?2
