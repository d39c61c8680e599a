-- insert_birthday_grants
-- Step 1 of 6 of a birthday run for merchant ?1 at ?2: a grant for each member (not erased)
-- whose birthday is ?4 or ?5, counted towards year ?3, unless they had this year's already.
-- The gift: ?6 points, ?7 stamps, ?8 reward, ?9 days to redeem it; ?10 program version.
INSERT INTO birthday_grants (id, merchant_id, member_id, year, points, stamps, reward_id,
                             gift_days, program_version, created_at)
SELECT 'birthday:' || m.id || ':' || ?3, m.merchant_id, m.id, ?3, ?6, ?7, ?8, ?9, ?10, ?2
FROM members m
WHERE m.merchant_id = ?1 AND m.birthday IN (?4, ?5) AND m.erased_at IS NULL
ON CONFLICT DO NOTHING
