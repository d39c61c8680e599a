-- save_push_subscription
-- Stores push subscription ?1 (the endpoint's SHA-256) of member ?3 of merchant ?2 (not
-- erased): endpoint ?4, keys ?5 and ?6, at ?7. The same device subscribing again replaces it.
INSERT INTO push_subscriptions (id, merchant_id, member_id, endpoint, p256dh, auth, created_at)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
WHERE EXISTS (SELECT 1 FROM members WHERE id = ?3 AND merchant_id = ?2 AND erased_at IS NULL)
ON CONFLICT (id) DO UPDATE SET merchant_id = excluded.merchant_id,
  member_id = excluded.member_id, p256dh = excluded.p256dh, auth = excluded.auth,
  created_at = excluded.created_at
