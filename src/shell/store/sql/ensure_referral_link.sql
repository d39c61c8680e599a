-- ensure_referral_link
-- Gives member ?1 of merchant ?2 the invitation code ?3 unless they have one (a code taken by
-- someone else inserts nothing: the next card view tries another). ?4 now
INSERT INTO referral_links (member_id, merchant_id, code, created_at)
SELECT id, merchant_id, ?3, ?4 FROM members
WHERE id = ?1 AND merchant_id = ?2 AND erased_at IS NULL
ON CONFLICT DO NOTHING
