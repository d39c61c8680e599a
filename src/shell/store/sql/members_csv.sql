-- members_csv
-- Merchant ?1's customers (not erased), oldest first, for the console's CSV download; at most
-- ?2 of them.
SELECT name, email, phone, birthday, marketing_consent, points, stamps, created_at,
       last_activity_at
FROM members
WHERE merchant_id = ?1 AND erased_at IS NULL
ORDER BY created_at, id
LIMIT ?2
