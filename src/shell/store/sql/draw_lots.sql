-- draw_lots
-- Records which lots ledger entry ?1 spends from, soonest-expiring first (never-expiring last,
-- then oldest), preferring lot ?3 (a reversal takes back its own lot first). Draws the entry's
-- -points, or ?2 when given; only live lots (active, not expired at ?4); nothing if the entry is
-- not there. Callers draw only for an entry this same batch wrote (fresh ids or status guards). The window's ORDER BY ends in the unique id, so running sums have no ties.
-- ?1 entry id, ?2 amount or NULL, ?3 preferred lot id or NULL, ?4 now
INSERT INTO lot_draws (entry_id, lot_id, amount)
SELECT ?1, id, MIN(remaining, want - (running - remaining))
FROM (
  SELECT l.id, l.remaining, e.want,
         SUM(l.remaining) OVER (
           ORDER BY COALESCE(l.id = ?3, 0) DESC, l.expires_at IS NULL, l.expires_at, l.earned_at, l.id
         ) AS running
  FROM point_lots l
  JOIN (SELECT member_id, COALESCE(?2, -points) AS want FROM ledger_entries WHERE id = ?1) e
  WHERE l.member_id = e.member_id AND l.status = 'active' AND l.remaining > 0
    AND (l.expires_at IS NULL OR l.expires_at > ?4)
)
WHERE want > 0 AND running - remaining < want
