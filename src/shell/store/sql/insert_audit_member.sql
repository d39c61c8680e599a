-- insert_audit_member
-- Records a staff action on member ?5 of merchant ?2, if they exist and are not erased.
-- ?1 id, ?2 merchant, ?3 actor, ?4 action, ?5 subject, ?6 reason, ?7 detail JSON, ?8 now
INSERT INTO audit_log (id, merchant_id, actor, action, subject, reason, detail, created_at)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8
WHERE EXISTS (SELECT 1 FROM members WHERE id = ?5 AND merchant_id = ?2 AND erased_at IS NULL)
