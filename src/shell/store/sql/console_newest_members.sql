-- console_newest_members
-- The five members of merchant ?1 who joined last (not erased), for the console home.
SELECT name, created_at FROM members
WHERE merchant_id = ?1 AND erased_at IS NULL
ORDER BY created_at DESC, id DESC
LIMIT 5
