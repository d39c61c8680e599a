-- queue_sequences
-- The occasions a sale sets off (domain::sequence): for the member of ?4's ?5 (a scan this batch
-- credited at ?2, or an order request ?6 recorded), each enabled sequence of ?3 (JSON rules,
-- domain::sequence::rules_json) whose event this sale is: the member's first sale (a scan that
-- is not a poster visit, or an order), every nth visit, or the visit milestone. Visits are the
-- member's scans and orders. An occasion's id is a primary key: a replay queues nothing new.
-- ?1 merchant
INSERT INTO sequence_runs (id, merchant_id, member_id, sequence, event, points, stamps, reward_id,
                           gift_days, message, class, not_returned, consent, min_tier,
                           program_version, created_at, due_at)
SELECT 'seq:' || json_extract(r.value, '$.id') || ':' || c.member_id || ':'
         || CASE json_extract(r.value, '$.event') WHEN 'first_purchase' THEN 'first'
            ELSE c.visits END,
       ?1, c.member_id, json_extract(r.value, '$.id'), json_extract(r.value, '$.event'),
       json_extract(r.value, '$.points'), json_extract(r.value, '$.stamps'),
       json_extract(r.value, '$.reward_id'), json_extract(r.value, '$.gift_days'),
       json_extract(r.value, '$.message'), json_extract(r.value, '$.class'),
       json_extract(r.value, '$.not_returned'), json_extract(r.value, '$.consent'),
       json_extract(r.value, '$.min_tier'), json_extract(r.value, '$.version'),
       ?2, ?2 + json_extract(r.value, '$.delay_ms')
FROM (
  SELECT x.member_id, x.sale,
         (SELECT COUNT(*) FROM scans WHERE member_id = x.member_id)
           + (SELECT COUNT(*) FROM orders WHERE member_id = x.member_id) AS visits,
         (SELECT COUNT(*) FROM scans WHERE member_id = x.member_id AND kind <> 'visit')
           + (SELECT COUNT(*) FROM orders WHERE member_id = x.member_id) AS sales
  FROM (SELECT s.member_id, s.kind <> 'visit' AS sale FROM scans s
        WHERE ?4 = 'scan' AND s.id = ?5 AND s.created_at = ?2
        UNION ALL
        SELECT o.member_id, 1 FROM orders o
        WHERE ?4 = 'order' AND o.merchant_id = ?1 AND o.order_id = ?5 AND o.request_id = ?6
          AND o.created_at = ?2 AND o.member_id IS NOT NULL) x
) c
JOIN json_each(?3) r
WHERE CASE json_extract(r.value, '$.event')
        WHEN 'first_purchase' THEN c.sale = 1 AND c.sales = 1
        WHEN 'visit' THEN c.visits % json_extract(r.value, '$.n') = 0
        WHEN 'milestone' THEN c.visits = json_extract(r.value, '$.n')
        ELSE 0 END
ON CONFLICT DO NOTHING
