-- The dashboard's rewards table reads each reward's recent redemptions: by reward and time, not
-- a scan of every merchant's redemptions.
CREATE INDEX redemptions_by_reward ON redemptions (reward_id, created_at);
