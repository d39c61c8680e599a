-- referral_outcome
-- How the referral ?1 of merchant ?2 stands, with who invited.
SELECT x.id, x.decision, x.reason, x.progress, x.referrer_id, r.name AS referrer_name,
       x.referee_id, x.referee_points, x.referee_stamps, x.referee_reward, x.created_at
FROM referrals x JOIN members r ON r.id = x.referrer_id
WHERE x.id = ?1 AND x.merchant_id = ?2
