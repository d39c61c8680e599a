-- insert_webhook_log
-- One delivery to merchant ?1's POS endpoint: ?2 id, ?3 at, ?4 webhook id, ?5 event type,
-- ?6 status, ?7 a refusal's code, ?8 order id.
INSERT INTO webhook_log (merchant_id, id, at, webhook_id, type, status, code, order_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
