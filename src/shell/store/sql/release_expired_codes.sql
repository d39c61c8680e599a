-- release_expired_codes
-- Step 1 of 5 of releasing every phone code past its expiry at ?1 (only member ?2's if given):
-- one 'release' entry per code gives its points and stamps back. The five statements run in one
-- batch and select the same codes: the status flips only in the last one.
INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, pending, stamps, cashback,
                            cause_type, cause_id, program_version, created_at)
SELECT r.id || ':release', r.merchant_id, r.member_id, 'release', r.points, 0, r.stamps, 0,
       'redemption', r.id,
       COALESCE((SELECT program_version FROM ledger_entries WHERE id = r.id || ':reserve'), 1), ?1
FROM redemptions r
WHERE r.status = 'reserved' AND r.expires_at <= ?1 AND (?2 IS NULL OR r.member_id = ?2)
ON CONFLICT DO NOTHING
