-- queue_referral_rewarded
-- Tells the referrer that the referral of merchant ?1 paid in this batch (at ?5) earned them
-- their bonus. The referral is ?2, or (if NULL) the one qualified by purchase ?4 of type ?3.
INSERT INTO outbox (id, merchant_id, member_id, kind, class, payload, created_at, due_at)
SELECT 'referral:' || r.id, r.merchant_id, r.referrer_id, 'referral_rewarded', 'transactional',
       json_object('points', r.referrer_points, 'stamps', r.referrer_stamps,
                   'reward_id', r.referrer_reward), ?5, ?5
FROM referrals r
JOIN messaging g ON g.merchant_id = r.merchant_id AND g.active = 1
WHERE r.merchant_id = ?1 AND r.progress = 'rewarded' AND r.rewarded_at = ?5
  AND (r.id = ?2 OR (?2 IS NULL AND r.cause_type = ?3 AND r.cause_id = ?4))
  AND NOT EXISTS (SELECT 1 FROM json_each(g.muted) WHERE value = 'referral_rewarded')
ON CONFLICT DO NOTHING
