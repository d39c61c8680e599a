-- setup_progress
-- Where merchant ?1's guided set-up stands: `step:status[:choice]`, comma separated (NULL: nothing yet).
SELECT group_concat(step || ':' || status || coalesce(':' || choice, ''), ',') AS progress
FROM setup_steps WHERE merchant_id = ?1
