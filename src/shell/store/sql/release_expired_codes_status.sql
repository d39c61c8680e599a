-- release_expired_codes_status
-- Step 5 of 5: the codes are released. ?1 now, ?2 member or NULL
UPDATE redemptions SET status = 'released', closed_at = ?1
WHERE status = 'reserved' AND expires_at <= ?1 AND (?2 IS NULL OR member_id = ?2)
