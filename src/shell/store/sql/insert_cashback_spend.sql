-- insert_cashback_spend
-- Spends ?4 minor units of member ?3's cashback wallet (merchant ?2) on order ?5, only if the
-- wallet covers it. Points are never touched. ?1 entry id, ?6 program version, ?7 actor, ?8 now
INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, pending, stamps, cashback,
                            cause_type, cause_id, program_version, actor, created_at)
SELECT ?1, ?2, m.id, 'cashback_spend', 0, 0, 0, -?4, 'order', ?5, ?6, ?7, ?8
FROM members m
WHERE m.id = ?3 AND m.merchant_id = ?2 AND m.cashback_minor >= ?4
