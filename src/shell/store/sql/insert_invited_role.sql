-- insert_invited_role
-- Person ?1 takes the role invitation ?2 gives at its merchant, if this batch used it at ?3 (a
-- role they already hold there is replaced: the invitation is the newer decision).
INSERT INTO roles (person_id, merchant_id, role, created_at)
SELECT ?1, i.merchant_id, i.role, ?3 FROM invites i
WHERE i.id = ?2 AND i.accepted_by = ?1 AND i.accepted_at = ?3
  AND EXISTS (SELECT 1 FROM people WHERE id = ?1 AND email = i.email)
ON CONFLICT (person_id, merchant_id) DO UPDATE SET role = excluded.role
