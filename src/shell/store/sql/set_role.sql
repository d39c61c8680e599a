-- set_role
-- Gives person ?2 role ?3 at merchant ?1 (their sessions there end: they began with the old
-- role). Never the last owner's role away from them: ?4 = 1 allows taking an owner's role.
UPDATE roles SET role = ?3
WHERE merchant_id = ?1 AND person_id = ?2 AND role <> ?3
  AND (role <> 'owner' OR (?4 = 1 AND (SELECT COUNT(*) FROM roles
                                       WHERE merchant_id = ?1 AND role = 'owner') > 1))
