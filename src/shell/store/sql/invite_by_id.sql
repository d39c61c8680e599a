-- invite_by_id
-- Invitation ?1 if it can still be used at ?2, with whether its email already has an account.
SELECT i.merchant_id, i.email, i.role,
       (SELECT id FROM people WHERE email = i.email) AS person_id
FROM invites i WHERE i.id = ?1 AND i.accepted_at IS NULL AND i.expires_at > ?2
