-- search_members
-- A page of merchant ?1's members, newest first, after cursor (?5 created_at, ?6 id), matching
-- ?2 kind: 'all', 'email' (= ?3), 'phone' (= ?3), 'code' (id starts with ?3) or 'name' (starts
-- with ?3, any case). ?4 page size + 1 (the extra row says there is a next page).
SELECT id, name, email, phone, points - debt AS points, pending_points, stamps, cashback_minor,
       channel, created_at, last_activity_at, erased_at
FROM members
WHERE merchant_id = ?1
  AND (?2 = 'all'
       OR (?2 = 'email' AND email = ?3)
       OR (?2 = 'phone' AND phone = ?3)
       OR (?2 = 'code' AND id >= ?3 AND id < ?3 || 'g')
       OR (?2 = 'name' AND name LIKE ?3 || '%' ESCAPE '\'))
  AND (?5 IS NULL OR created_at < ?5 OR (created_at = ?5 AND id < ?6))
ORDER BY created_at DESC, id DESC
LIMIT ?4
