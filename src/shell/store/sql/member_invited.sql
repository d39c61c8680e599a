-- member_invited
-- The invitation member ?1 of merchant ?2 joined through, if any, with who sent it.
SELECT x.decision, x.progress, x.final_at, x.referee_points, x.referee_stamps, x.referee_reward,
       x.min_purchase_minor, r.name AS referrer_name
FROM referrals x JOIN members r ON r.id = x.referrer_id
WHERE x.id = ?1 AND x.merchant_id = ?2 AND x.joined = 1
