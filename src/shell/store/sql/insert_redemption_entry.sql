-- insert_redemption_entry
-- Writes the ledger entry '<id>:<reason>' of redemption ?1 just recorded by this batch: 'reserve'
-- holds the cost (a phone code); 'redeem' spends it and credits any cashback (staff redeemed).
-- ?1 redemption id, ?2 reason, ?3 program version
INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, pending, stamps, cashback,
                            cause_type, cause_id, program_version, actor, created_at)
SELECT id || ':' || ?2, merchant_id, member_id, ?2, -points, 0, -stamps,
       CASE WHEN ?2 = 'redeem' THEN cashback ELSE 0 END,
       'redemption', id, ?3, actor, created_at
FROM redemptions WHERE id = ?1
