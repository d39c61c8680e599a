-- signup_code_state
-- Whether sign-up code ?1 exists, and whether it is spent at ?2 (used, or expired).
SELECT (used_at IS NOT NULL OR expires_at <= ?2) AS spent FROM signup_codes WHERE id = ?1
