-- insert_audit_by
-- Records an action by a person (or key) ?3 named ?9, on device ?10.
-- ?1 id, ?2 merchant, ?3 actor, ?4 action, ?5 subject, ?6 reason, ?7 detail JSON, ?8 now
INSERT INTO audit_log (id, merchant_id, actor, action, subject, reason, detail, created_at, actor_name, device)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
