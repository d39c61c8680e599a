-- queue_campaign
-- Queues campaign ?2's message for each member assigned to a variant, if this batch launched it
-- (at ?3); the holdout gets nothing. ?1 merchant.
INSERT INTO outbox (id, merchant_id, member_id, kind, class, payload, created_at, due_at)
SELECT 'campaign:' || c.campaign_id || ':' || c.member_id, ?1, c.member_id, 'campaign',
       'marketing', json_object('campaign_id', c.campaign_id, 'variant', c.arm), ?3, ?3
FROM campaign_members c
JOIN campaigns k ON k.id = c.campaign_id AND k.merchant_id = ?1 AND k.launched_at = ?3
WHERE c.campaign_id = ?2 AND c.arm <> 'holdout'
ON CONFLICT DO NOTHING
