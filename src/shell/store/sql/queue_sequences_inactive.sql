-- queue_sequences_inactive
-- The occasions inactivity sets off, read from the nightly rollup: for merchant ?1 at ?2, each
-- inactivity sequence of ?3 (JSON rules) and each member (not erased) whose last visit (scan or
-- order) fell ?n full local days or more before the end of the last rolled day, but at most ?4
-- days more, and who has not come back since that day ended. The occasion is the day of that
-- last visit: once per lapse.
INSERT INTO sequence_runs (id, merchant_id, member_id, sequence, event, points, stamps, reward_id,
                           gift_days, message, class, not_returned, consent, min_tier,
                           program_version, created_at, due_at)
SELECT 'seq:' || json_extract(r.value, '$.id') || ':' || t.member_id || ':' || t.last_transaction_day,
       ?1, t.member_id, json_extract(r.value, '$.id'), 'inactive',
       json_extract(r.value, '$.points'), json_extract(r.value, '$.stamps'),
       json_extract(r.value, '$.reward_id'), json_extract(r.value, '$.gift_days'),
       json_extract(r.value, '$.message'), json_extract(r.value, '$.class'),
       1, json_extract(r.value, '$.consent'), json_extract(r.value, '$.min_tier'),
       json_extract(r.value, '$.version'), ?2, ?2 + json_extract(r.value, '$.delay_ms')
FROM rollup_state st
CROSS JOIN json_each(?3) r
-- CROSS JOIN keeps this order, so each rule's day range is read off totals_by_recency instead
-- of scanning every member of the merchant.
CROSS JOIN member_totals t ON t.merchant_id = st.merchant_id
  AND t.last_transaction_day
      BETWEEN st.next_day - 1 - json_extract(r.value, '$.n') - ?4
          AND st.next_day - 1 - json_extract(r.value, '$.n')
JOIN members m ON m.id = t.member_id AND m.erased_at IS NULL
WHERE st.merchant_id = ?1 AND st.rolled_to IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM scans s WHERE s.member_id = t.member_id AND s.created_at >= st.rolled_to)
  AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.member_id = t.member_id AND o.created_at >= st.rolled_to)
ON CONFLICT DO NOTHING
