-- set_reward_active
-- Puts reward ?1 of merchant ?2 on offer (?3 = 1) or archives it (?3 = 0); codes already given
-- for it stay valid at the counter.
-- ?1 id, ?2 merchant, ?3 active, ?4 now
UPDATE rewards SET active = ?3, updated_at = ?4
WHERE id = ?1 AND merchant_id = ?2 AND active <> ?3
