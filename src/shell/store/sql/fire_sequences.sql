-- fire_sequences
-- Step 1 of 6 of firing sequences: batch ?3 takes up to ?5 occasions of merchant ?1 due at ?2
-- (only member ?4's, unless NULL; only the member of order ?6, unless NULL) and judges each one's condition as it stands now; a reason
-- marks one skipped. The status flips last (sequence_status), so steps 2-5 act only on what
-- this batch took, and an occasion fires once.
UPDATE sequence_runs
SET fired_by = ?3, done_at = ?2,
    skip_reason = (
      SELECT CASE
        WHEN m.erased_at IS NOT NULL THEN 'the member was erased'
        WHEN sequence_runs.consent = 1 AND m.marketing_consent <> 1
          THEN 'the member has not agreed to marketing'
        WHEN m.tier < sequence_runs.min_tier THEN 'the member is below the level asked for'
        WHEN sequence_runs.not_returned = 1
             AND (EXISTS (SELECT 1 FROM scans s WHERE s.member_id = m.id
                          AND s.created_at > sequence_runs.created_at)
                  OR EXISTS (SELECT 1 FROM orders o WHERE o.member_id = m.id
                             AND o.created_at > sequence_runs.created_at))
          THEN 'the member came back'
        END
      FROM members m WHERE m.id = sequence_runs.member_id)
WHERE id IN (SELECT id FROM sequence_runs
             WHERE merchant_id = ?1 AND status = 'pending' AND fired_by IS NULL AND due_at <= ?2
               AND (?4 IS NULL OR member_id = ?4)
               AND (?6 IS NULL OR member_id = (SELECT member_id FROM orders
                                               WHERE merchant_id = ?1 AND order_id = ?6))
             ORDER BY due_at LIMIT ?5)
