-- rollup_clear
-- Empties merchant ?1's worklist at the end of the batch that filled it.
DELETE FROM rollup_work WHERE merchant_id = ?1
