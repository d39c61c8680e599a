-- rfm_we_miss_you
-- At-risk detection: members of merchant ?1's scoring worklist for day ?2 who have just moved
-- into at_risk from another segment (not at their first scoring) and agreed to marketing get a
-- "we miss you" message, once per member and day (queued at ?3; the message carries no
-- personal data), if the merchant sends messages and has not muted the kind.
INSERT INTO outbox (id, merchant_id, member_id, kind, class, payload, created_at, due_at)
SELECT 'we_miss_you:' || w.member_id || ':' || ?2, ?1, w.member_id, 'we_miss_you', 'marketing',
       json_object('days_since_last_visit', ?2 - t.last_transaction_day), ?3, ?3
FROM scoring_work w
JOIN member_totals t ON t.member_id = w.member_id
JOIN members m ON m.id = w.member_id AND m.marketing_consent = 1 AND m.erased_at IS NULL
JOIN messaging s ON s.merchant_id = ?1 AND s.active = 1
WHERE w.merchant_id = ?1 AND w.segment = 'at_risk' AND w.was IS NOT NULL AND w.was <> 'at_risk'
  AND NOT EXISTS (SELECT 1 FROM json_each(s.muted) WHERE value = 'we_miss_you')
ON CONFLICT DO NOTHING
