-- Enrols a member, once: the id comes from the signed enrolment ticket, so a double submit is a no-op.
-- ?1 id, ?2 merchant_id, ?3 name, ?4 email, ?5 phone, ?6 birthday, ?7 marketing_consent, ?8 channel, ?9 now,
-- ?10 email key, ?11 phone key (domain::referral), ?12 device cookie or NULL
INSERT INTO members (id, merchant_id, name, email, phone, birthday, marketing_consent, channel, created_at,
                     last_activity_at, email_key, phone_key, device)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12)
ON CONFLICT (id) DO NOTHING
