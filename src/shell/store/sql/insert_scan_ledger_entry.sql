-- insert_scan_ledger_entry
-- Writes the earn entry of scan ?1, if the scan was recorded by this batch. Pending (?2 = 1):
-- the points wait for the return window in the pending column. ?3 note (the promotions applied)
INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, pending, stamps, cause_type,
                            cause_id, program_version, note, created_at)
SELECT id, merchant_id, member_id, 'earn',
       CASE WHEN ?2 = 1 THEN 0 ELSE points END, CASE WHEN ?2 = 1 THEN points ELSE 0 END,
       stamps, 'scan', id, program_version, ?3, created_at
FROM scans WHERE id = ?1
