-- release_expired_codes_stock
-- Step 4 of 5: the rewards' stock (gifts never took any). ?1 now, ?2 member or NULL
UPDATE rewards
SET stock = stock + (SELECT COUNT(*) FROM redemptions r
                     WHERE r.reward_id = rewards.id AND r.status = 'reserved' AND r.expires_at <= ?1
                       AND r.gift_of IS NULL
                       AND (?2 IS NULL OR r.member_id = ?2))
WHERE stock IS NOT NULL AND id IN (
  SELECT reward_id FROM redemptions
  WHERE status = 'reserved' AND expires_at <= ?1 AND gift_of IS NULL
    AND (?2 IS NULL OR member_id = ?2))
