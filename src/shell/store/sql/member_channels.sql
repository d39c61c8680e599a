-- member_channels
-- Member ?1 of merchant ?2's opt-outs and how many devices get push (nothing if erased).
SELECT m.channel_opt_out,
       (SELECT COUNT(*) FROM push_subscriptions p WHERE p.member_id = m.id) AS push_devices
FROM members m WHERE m.id = ?1 AND m.merchant_id = ?2 AND m.erased_at IS NULL
