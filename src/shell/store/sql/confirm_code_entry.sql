-- confirm_code_entry
-- Confirms the live code ?2 of merchant ?1 at ?3 by key ?4: writes its 'redeem' entry (points
-- were taken when it was reserved; any cashback is credited now). An expired, unknown or already
-- confirmed code writes nothing (the entry id '<id>:redeem' can exist only once), and so does
-- any code once the key's misses in this window (bucket ?5, window ?6) reach ?7.
INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, pending, stamps, cashback,
                            cause_type, cause_id, program_version, actor, created_at)
SELECT r.id || ':redeem', r.merchant_id, r.member_id, 'redeem', 0, 0, 0, r.cashback,
       'redemption', r.id,
       COALESCE((SELECT program_version FROM ledger_entries WHERE id = r.id || ':reserve'), 1), ?4, ?3
FROM redemptions r
WHERE r.merchant_id = ?1 AND r.code = ?2 AND r.status = 'reserved' AND r.expires_at > ?3
  AND COALESCE((SELECT hits FROM rate_windows WHERE bucket = ?5 AND window_start = ?6), 0) < ?7
ON CONFLICT DO NOTHING
