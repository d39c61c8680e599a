-- unpair_till
-- Unpairs till ?1 of merchant ?2 at ?3: its cookie stops working at once.
UPDATE tills SET unpaired_at = ?3, person_id = NULL, person_seen_at = NULL
WHERE id = ?1 AND merchant_id = ?2 AND unpaired_at IS NULL
RETURNING label, location
