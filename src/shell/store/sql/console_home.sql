-- console_home
-- What the console home shows of merchant ?1: members (not erased) and active rewards.
SELECT (SELECT COUNT(*) FROM members WHERE merchant_id = ?1 AND erased_at IS NULL) AS members,
       (SELECT COUNT(*) FROM rewards WHERE merchant_id = ?1 AND active = 1) AS rewards
