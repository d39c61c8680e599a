-- cancel_redemption
-- Step 1 of 5 of staff cancelling confirmed redemption ?2 of merchant ?1 at ?3, inside the
-- window of ?4 ms after confirming, by key ?5 with note ?6: the 'cancel' entry gives the points
-- and stamps back and takes back any cashback (refused if that cashback is already spent).
-- From a POS refund, ?7 is the order and ?8 the request: only if that request refunded it in full.
-- Steps 2-5 act only while this entry exists and the status is still 'confirmed'.
INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, pending, stamps, cashback,
                            cause_type, cause_id, program_version, actor, note, created_at)
SELECT r.id || ':cancel', r.merchant_id, r.member_id, 'cancel', r.points, 0, r.stamps, -r.cashback,
       'redemption', r.id,
       COALESCE((SELECT program_version FROM ledger_entries WHERE id = r.id || ':redeem'), 1),
       ?5, ?6, ?3
FROM redemptions r JOIN members m ON m.id = r.member_id
WHERE r.id = ?2 AND r.merchant_id = ?1 AND r.status = 'confirmed' AND r.confirmed_at > ?3 - ?4
  AND m.cashback_minor >= r.cashback
  AND (?7 IS NULL OR EXISTS (SELECT 1 FROM orders WHERE merchant_id = ?1 AND order_id = ?7
                             AND request_id = ?8 AND refunded_minor >= amount_minor))
ON CONFLICT DO NOTHING
