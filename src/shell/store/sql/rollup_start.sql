-- rollup_start
-- Starts merchant ?1's rollups at local day ?2 (its first day), unless they started already.
INSERT INTO rollup_state (merchant_id, next_day) VALUES (?1, ?2)
ON CONFLICT DO NOTHING
