-- insert_adjustment
-- A staff adjustment of ?5 points and ?6 stamps to member ?3 of merchant ?2, by key ?7 with the
-- reason ?8, only if the member is this merchant's and a negative adjustment is covered by the
-- spendable points (live lots less debt) and stamps. ?1 entry id, ?4 program version, ?9 now
INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, pending, stamps, cashback,
                            cause_type, cause_id, program_version, actor, note, created_at)
SELECT ?1, ?2, m.id, 'adjust', ?5, 0, ?6, 0, 'staff', ?7, ?4, ?7, ?8, ?9
FROM members m
WHERE m.id = ?3 AND m.merchant_id = ?2
  AND (?5 >= 0 OR -?5 <= (SELECT COALESCE(SUM(l.remaining), 0) FROM point_lots l
                          WHERE l.member_id = m.id AND l.status = 'active' AND l.remaining > 0
                            AND (l.expires_at IS NULL OR l.expires_at > ?9)) - m.debt)
  AND (?6 >= 0 OR -?6 <= m.stamps)
