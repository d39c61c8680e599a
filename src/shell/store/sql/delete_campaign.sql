-- delete_campaign
-- Deletes draft campaign ?2 of merchant ?1 (a launched one stays: its messages and results are
-- history). A draft has no members yet: they are assigned at launch.
DELETE FROM campaigns WHERE merchant_id = ?1 AND id = ?2 AND status = 'draft'
