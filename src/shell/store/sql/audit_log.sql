-- audit_log
-- ?1 merchant
SELECT id, actor, action, subject, reason, detail, created_at, actor_name, device
FROM audit_log WHERE merchant_id = ?1
ORDER BY created_at DESC, id DESC
LIMIT 100
