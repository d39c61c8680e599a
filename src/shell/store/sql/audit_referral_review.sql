-- audit_referral_review
-- Logs the review of referral ?5 (action ?4 by ?3, a key or a person named ?7), if this batch
-- decided it at ?6. ?1 id, ?2 merchant
INSERT INTO audit_log (id, merchant_id, actor, action, subject, reason, detail, created_at, actor_name)
SELECT ?1, ?2, ?3, ?4, ?5, COALESCE(reason, ''), json_object('decision', decision, 'progress', progress), ?6, ?7
FROM referrals WHERE id = ?5 AND merchant_id = ?2 AND reviewed_at = ?6 AND reviewed_by = ?3
