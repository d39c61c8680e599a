-- Writes the ledger entry of scan ?1, if the scan was recorded by this batch.
INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, stamps, cause_type, cause_id,
                            program_version, created_at)
SELECT id, merchant_id, member_id, 'earn', points, stamps, 'scan', id, program_version, created_at
FROM scans WHERE id = ?1
