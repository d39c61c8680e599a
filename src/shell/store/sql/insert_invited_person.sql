-- insert_invited_person
-- The new person ?1 (name ?2, language ?3, password hash ?4) of invitation ?5, used at ?6 by this
-- batch: nothing unless the invitation says so.
INSERT INTO people (id, email, name, language, password, created_at, updated_at)
SELECT ?1, i.email, ?2, ?3, ?4, ?6, ?6 FROM invites i
WHERE i.id = ?5 AND i.accepted_by = ?1 AND i.accepted_at = ?6
ON CONFLICT (email) DO NOTHING
