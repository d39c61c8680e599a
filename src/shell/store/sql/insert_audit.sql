-- insert_audit
-- Records a staff action in the audit log, if ledger entry ?8 went in (or always, if ?8 is NULL).
-- ?1 id, ?2 merchant, ?3 actor, ?4 action, ?5 subject, ?6 reason, ?7 detail JSON, ?8 entry, ?9 now,
-- ?10 the actor's name (a person in the console) or NULL (a key)
INSERT INTO audit_log (id, merchant_id, actor, action, subject, reason, detail, created_at, actor_name)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9, COALESCE(?10, '')
WHERE ?8 IS NULL OR EXISTS (SELECT 1 FROM ledger_entries WHERE id = ?8)
