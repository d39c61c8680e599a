-- rfm_clear
-- Empties merchant ?1's scoring worklist at the end of the batch that filled it.
DELETE FROM scoring_work WHERE merchant_id = ?1
