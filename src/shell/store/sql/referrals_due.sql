-- referrals_due
-- Referrals approved, qualified and final by ?1, soonest first, at most ?2.
SELECT id, merchant_id FROM referrals
WHERE progress = 'qualified' AND decision = 'ok' AND final_at <= ?1
ORDER BY final_at LIMIT ?2
