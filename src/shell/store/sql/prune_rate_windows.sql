-- prune_rate_windows
-- Forgets windows that started before ?1.
DELETE FROM rate_windows WHERE window_start < ?1
