-- console_team
-- For the home checklist of merchant ?1 (in the directory): whether it has a paired till, and
-- whether anyone besides one person works there or is invited.
SELECT EXISTS (SELECT 1 FROM tills WHERE merchant_id = ?1 AND unpaired_at IS NULL) AS till,
       ((SELECT COUNT(*) FROM roles WHERE merchant_id = ?1) > 1
        OR EXISTS (SELECT 1 FROM invites WHERE merchant_id = ?1)) AS team
