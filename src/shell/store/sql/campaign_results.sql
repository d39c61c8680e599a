-- campaign_results
-- Per arm of campaign ?1 (launched at ?2): members, those whose message was delivered, and
-- those who came back (a scan or an order) after the launch and up to ?3.
SELECT c.arm, COUNT(*) AS members,
       SUM(EXISTS (SELECT 1 FROM outbox o
                   WHERE o.id = 'campaign:' || c.campaign_id || ':' || c.member_id
                     AND o.status = 'sent')) AS delivered,
       SUM(EXISTS (SELECT 1 FROM scans s
                   WHERE s.member_id = c.member_id AND s.created_at > ?2 AND s.created_at <= ?3)
           OR EXISTS (SELECT 1 FROM orders r
                      WHERE r.member_id = c.member_id AND r.created_at > ?2
                        AND r.created_at <= ?3)) AS converted
FROM campaign_members c
WHERE c.campaign_id = ?1
GROUP BY c.arm
ORDER BY c.arm
