-- insert_audit_always
-- Records a staff action that has no ledger entry, if member ?5 was erased by this request (?8),
-- by actor ?3 named ?9 (empty for an API key or the member themself).
-- ?1 id, ?2 merchant, ?3 actor, ?4 action, ?5 subject, ?6 reason, ?7 detail JSON, ?8 now
INSERT INTO audit_log (id, merchant_id, actor, action, subject, reason, detail, created_at, actor_name)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9
WHERE EXISTS (SELECT 1 FROM members WHERE id = ?5 AND merchant_id = ?2 AND erased_at = ?8)
