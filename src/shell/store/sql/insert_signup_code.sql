-- insert_signup_code
-- Sign-up code ?1 (the hash of the code) with note ?2, issued at ?3, working until ?4.
INSERT INTO signup_codes (id, note, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)
