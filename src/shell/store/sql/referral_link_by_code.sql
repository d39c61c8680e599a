-- referral_link_by_code
-- The invitation code ?1: whose it is (not erased) and at which merchant.
SELECT l.code, l.merchant_id, l.member_id, m.name
FROM referral_links l JOIN members m ON m.id = l.member_id AND m.erased_at IS NULL
WHERE l.code = ?1
