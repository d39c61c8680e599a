-- The console's Campaigns: a draft may be scheduled to go at a moment (Unix ms, chosen in the
-- merchant's local time); the deliveries job launches drafts whose moment has come, once
-- (launch_campaign's status check). NULL: the owner sends it by hand.
ALTER TABLE campaigns ADD COLUMN scheduled_at INTEGER;
CREATE INDEX campaigns_due ON campaigns (scheduled_at) WHERE status = 'draft' AND scheduled_at IS NOT NULL;
