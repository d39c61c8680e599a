-- rollup_next
-- Day ?2 of merchant ?1 is rolled: the next run starts at the day after.
UPDATE rollup_state SET next_day = ?2 + 1 WHERE merchant_id = ?1 AND next_day = ?2
