-- qualify_referral_scan
-- A purchase scan ?1 recorded by this batch (at ?3) is its member's first purchase since they
-- joined through an invitation that was not blocked: at or above the minimum it qualifies the
-- referral (final when the return window ends, ?2); below it, the referral lapses if only the
-- first purchase counts, and waits for a bigger one otherwise.
UPDATE referrals
SET progress = CASE WHEN (SELECT COALESCE(amount_minor, 0) FROM scans WHERE id = ?1) >= min_purchase_minor
                    THEN 'qualified' ELSE 'lapsed' END,
    cause_type = 'scan', cause_id = ?1, qualified_at = ?3,
    final_at = CASE WHEN (SELECT COALESCE(amount_minor, 0) FROM scans WHERE id = ?1) >= min_purchase_minor
                    THEN ?2 END,
    closed_at = CASE WHEN (SELECT COALESCE(amount_minor, 0) FROM scans WHERE id = ?1) >= min_purchase_minor
                     THEN NULL ELSE ?3 END
WHERE referee_id = (SELECT member_id FROM scans WHERE id = ?1 AND kind <> 'visit' AND created_at = ?3)
  AND progress = 'joined' AND joined = 1 AND decision IN ('ok', 'held')
  AND (first_only = 1
       OR (SELECT COALESCE(amount_minor, 0) FROM scans WHERE id = ?1) >= min_purchase_minor)
