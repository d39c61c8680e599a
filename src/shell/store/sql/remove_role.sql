-- remove_role
-- Takes person ?2's role at merchant ?1 away (their sessions there end at once); an owner only
-- when ?3 = 1 and another owner stays.
DELETE FROM roles
WHERE merchant_id = ?1 AND person_id = ?2
  AND (role <> 'owner' OR (?3 = 1 AND (SELECT COUNT(*) FROM roles
                                       WHERE merchant_id = ?1 AND role = 'owner') > 1))
