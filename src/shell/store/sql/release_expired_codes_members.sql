-- release_expired_codes_members
-- Step 3 of 5: the members' balances. ?1 now, ?2 member or NULL
UPDATE members
SET points = points + (SELECT SUM(r.points) FROM redemptions r
                       WHERE r.member_id = members.id AND r.status = 'reserved' AND r.expires_at <= ?1),
    stamps = stamps + (SELECT SUM(r.stamps) FROM redemptions r
                       WHERE r.member_id = members.id AND r.status = 'reserved' AND r.expires_at <= ?1)
WHERE id IN (SELECT member_id FROM redemptions
             WHERE status = 'reserved' AND expires_at <= ?1 AND (?2 IS NULL OR member_id = ?2))
