-- insert_person
-- A new person ?1 with email ?2, name ?3, language ?4 and password hash ?5 at ?6; nothing when
-- the email is taken (the statements after it act only if this row went in).
INSERT INTO people (id, email, name, language, password, created_at, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
ON CONFLICT (email) DO NOTHING
