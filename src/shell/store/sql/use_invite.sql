-- use_invite
-- Uses invitation ?1 at ?2 for person ?3, once: nothing if it was used or has expired.
UPDATE invites SET accepted_at = ?2, accepted_by = ?3
WHERE id = ?1 AND accepted_at IS NULL AND expires_at > ?2
