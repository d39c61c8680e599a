-- console_home
-- What the console home shows of merchant ?1: members (not erased), active rewards and where its
-- guided set-up stands (as setup_progress.sql writes it), and whether it sends messages.
SELECT (SELECT COUNT(*) FROM members WHERE merchant_id = ?1 AND erased_at IS NULL) AS members,
       (SELECT COUNT(*) FROM rewards WHERE merchant_id = ?1 AND active = 1) AS rewards,
       (SELECT group_concat(step || ':' || status || coalesce(':' || choice, ''), ',')
          FROM setup_steps WHERE merchant_id = ?1) AS setup,
       (SELECT COUNT(*) FROM messaging WHERE merchant_id = ?1 AND active = 1) AS messaging
