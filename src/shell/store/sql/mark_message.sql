-- mark_message
-- Records the first open (?3 = 'open') or click (?3 = 'click') of sent message ?1 of merchant
-- ?2 at ?4; a click also counts as an open (the images may have been blocked).
UPDATE outbox SET opened_at = COALESCE(opened_at, ?4),
  clicked_at = CASE WHEN ?3 = 'click' THEN COALESCE(clicked_at, ?4) ELSE clicked_at END
WHERE id = ?1 AND merchant_id = ?2 AND status = 'sent'
