-- release_expired_codes_lots
-- Step 2 of 5: gives the drawn points back to the lots they came from. ?1 now, ?2 member or NULL
UPDATE point_lots
SET remaining = remaining + (
  SELECT SUM(d.amount) FROM redemptions r JOIN lot_draws d ON d.entry_id = r.id || ':reserve'
  WHERE d.lot_id = point_lots.id AND r.status = 'reserved' AND r.expires_at <= ?1
    AND (?2 IS NULL OR r.member_id = ?2))
WHERE id IN (
  SELECT d.lot_id FROM redemptions r JOIN lot_draws d ON d.entry_id = r.id || ':reserve'
  WHERE r.status = 'reserved' AND r.expires_at <= ?1 AND (?2 IS NULL OR r.member_id = ?2))
