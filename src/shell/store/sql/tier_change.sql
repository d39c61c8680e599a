-- tier_change
-- Moves the member of ledger entry ?1 to the level their points earned since ?3 reach, if this
-- batch wrote that entry: up at once; down only when ?4 (the hold, ms) is not NULL and they have
-- held their level that long. Earned = earn entries (pending included) less reversals.
-- ?2 the thresholds above the base level (JSON array), ?5 now, ?6 program version.
-- The change's id is '<entry id>:tier'; apply_tier applies it.
WITH e AS (SELECT member_id FROM ledger_entries WHERE id = ?1),
     w AS (SELECT COALESCE(SUM(points + pending), 0) AS earned FROM ledger_entries
           WHERE member_id = (SELECT member_id FROM e) AND created_at >= ?3
             AND reason IN ('earn', 'reverse')),
     t AS (SELECT earned, (SELECT COUNT(*) FROM json_each(?2) WHERE value <= w.earned) AS level
           FROM w)
INSERT INTO tier_changes (id, merchant_id, member_id, from_tier, to_tier, earned_in_window,
                          cause_type, cause_id, program_version, created_at)
SELECT ?1 || ':tier', m.merchant_id, m.id, m.tier, t.level, t.earned, 'entry', ?1, ?6, ?5
FROM members m, t
WHERE m.id = (SELECT member_id FROM e) AND t.level <> m.tier
  AND (t.level > m.tier OR (?4 IS NOT NULL AND m.tier_since <= ?5 - ?4))
ON CONFLICT DO NOTHING
