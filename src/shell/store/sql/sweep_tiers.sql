-- sweep_tiers
-- Moves members down whose points earned in their merchant's tier window no longer reach their
-- level (time passed, or the merchant raised a threshold), under rolling downgrade and after
-- the hold; records each change as '<member>:<?1>'. ?1 now. Reads each merchant's program in
-- force; only members above the base level are looked at (index members_by_tier).
WITH p AS (
  SELECT merchant_id, version, config,
         json_extract(config, '$.tiers.window_days') * 86400000 AS window_ms,
         json_extract(config, '$.tiers.downgrade.hold_days') * 86400000 AS hold_ms
  FROM programs p1
  WHERE version = (SELECT MAX(version) FROM programs p2 WHERE p2.merchant_id = p1.merchant_id)
    AND json_extract(config, '$.tiers.downgrade.policy') = 'rolling'
),
m AS (
  SELECT mb.id, mb.merchant_id, mb.tier, p.version, p.config,
         (SELECT COALESCE(SUM(points + pending), 0) FROM ledger_entries
          WHERE member_id = mb.id AND created_at >= ?1 - p.window_ms
            AND reason IN ('earn', 'reverse')) AS earned
  FROM members mb JOIN p ON p.merchant_id = mb.merchant_id
  WHERE mb.tier > 0 AND mb.tier_since <= ?1 - p.hold_ms
),
t AS (
  SELECT m.*, (SELECT COUNT(*) FROM json_each(m.config, '$.tiers.levels')
               WHERE key > 0 AND json_extract(value, '$.threshold') <= m.earned) AS level
  FROM m
)
INSERT INTO tier_changes (id, merchant_id, member_id, from_tier, to_tier, earned_in_window,
                          cause_type, cause_id, program_version, created_at)
SELECT id || ':' || ?1, merchant_id, id, tier, level, earned, 'sweep', NULL, version, ?1
FROM t WHERE level < tier
ON CONFLICT DO NOTHING
