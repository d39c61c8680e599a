-- erase_member_outbox
-- An erased member (?1, merchant ?2) is sent nothing more: their unsent messages go.
DELETE FROM outbox WHERE member_id = ?1 AND merchant_id = ?2 AND status <> 'sent'
