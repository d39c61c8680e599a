-- claim_marketing_cap
-- Lets marketing message ?2 go to member ?1 at ?3 unless another marketing message went (or is
-- going) to them in the last ?4 ms: one statement, so concurrent senders cannot both pass.
INSERT INTO marketing_caps (member_id, message_id, claimed_at) VALUES (?1, ?2, ?3)
ON CONFLICT (member_id) DO UPDATE SET message_id = excluded.message_id,
  claimed_at = excluded.claimed_at
WHERE marketing_caps.message_id = excluded.message_id OR marketing_caps.claimed_at <= ?3 - ?4
