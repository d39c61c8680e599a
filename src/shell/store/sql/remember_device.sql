-- remember_device
-- Notes the device cookie ?3 of member ?1 (merchant ?2) if none is known yet.
UPDATE members SET device = ?3 WHERE id = ?1 AND merchant_id = ?2 AND device IS NULL
