-- insert_reversal
-- Reverses scan ?1 of merchant ?2 with the fresh entry id ?8, once (scans.reversed_at, flipped
-- later in the same batch, and the unique index ledger_one_reversal):
-- a pending lot is withdrawn; active points are taken back from the live lots, and what they no
-- longer cover is written off (?3 = 'clamp', the note says how much) or becomes debt ('allow').
-- Stamps are taken back as far as the member still has them.
-- ?4 program version, ?5 actor, ?6 reason, ?7 now, ?8 entry id
INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, pending, stamps, cashback,
                            cause_type, cause_id, program_version, actor, note, created_at)
SELECT ?8, s.merchant_id, s.member_id, 'reverse',
       CASE WHEN l.status = 'active' AND ?3 = 'allow' THEN -s.points
            WHEN l.status = 'active' THEN -MIN(s.points, live.points)
            ELSE 0 END,
       CASE WHEN l.status = 'pending' THEN -l.remaining ELSE 0 END,
       -MIN(s.stamps, m.stamps), 0, 'scan', s.id, ?4, ?5,
       ?6 || CASE WHEN l.status = 'active' AND ?3 <> 'allow' AND live.points < s.points
                  THEN ' (' || (s.points - live.points) || ' points already spent, written off)'
                  ELSE '' END,
       ?7
FROM scans s
JOIN members m ON m.id = s.member_id
LEFT JOIN point_lots l ON l.id = s.id
JOIN (SELECT COALESCE(SUM(remaining), 0) AS points FROM point_lots
      WHERE member_id = (SELECT member_id FROM scans WHERE id = ?1) AND status = 'active'
        AND remaining > 0 AND (expires_at IS NULL OR expires_at > ?7)) live
WHERE s.id = ?1 AND s.merchant_id = ?2 AND s.reversed_at IS NULL
ON CONFLICT DO NOTHING
