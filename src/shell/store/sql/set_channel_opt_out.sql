-- set_channel_opt_out
-- Turns opt-out bit ?3 of member ?1 of merchant ?2 (not erased) on (?4 = 1) or off (?4 = 0).
UPDATE members SET channel_opt_out = CASE WHEN ?4 = 1 THEN channel_opt_out | ?3
                                          ELSE channel_opt_out & ~?3 END
WHERE id = ?1 AND merchant_id = ?2 AND erased_at IS NULL
