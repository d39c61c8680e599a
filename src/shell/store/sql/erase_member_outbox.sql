-- erase_member_outbox
-- An erased member (?1, merchant ?2) is sent nothing more.
DELETE FROM outbox WHERE member_id = ?1 AND merchant_id = ?2 AND sent_at IS NULL
