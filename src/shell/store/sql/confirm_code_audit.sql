-- confirm_code_audit
-- Records who confirmed code ?5 at a till, if this batch confirmed it (at ?7, by ?3).
-- ?1 id, ?2 merchant, ?3 actor, ?4 name, ?5 code, ?6 device, ?7 now
INSERT INTO audit_log (id, merchant_id, actor, action, subject, reason, detail, created_at, actor_name, device)
SELECT ?1, ?2, ?3, 'redemption_confirmed', r.id, '',
  json_object('code', ?5, 'reward', w.name), ?7, ?4, ?6
FROM redemptions r JOIN rewards w ON w.id = r.reward_id
WHERE r.merchant_id = ?2 AND r.code = ?5 AND r.status = 'confirmed' AND r.confirmed_at = ?7 AND r.actor = ?3
