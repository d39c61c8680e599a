-- insert_webhook_event
-- Records webhook ?2 of merchant ?1 for request ?4; a webhook id seen before inserts nothing,
-- and then nothing else in the batch acts. ?3 type, ?5 now
INSERT INTO webhook_events (merchant_id, webhook_id, type, request_id, received_at)
VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT DO NOTHING
