-- rollup_next
-- Day ?2 of merchant ?1 is rolled up to Unix ms ?3: the next run starts at the day after, there.
UPDATE rollup_state SET next_day = ?2 + 1, rolled_to = ?3 WHERE merchant_id = ?1 AND next_day = ?2
