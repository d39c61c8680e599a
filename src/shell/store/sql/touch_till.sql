-- touch_till
-- Marks the till with cookie hash ?1 seen at ?2; with ?3 = 1 (a person's action, not a page
-- reloading itself) also its signed-in person, unless they were idle past the till's limit.
UPDATE tills SET seen_at = ?2,
  person_seen_at = CASE WHEN ?3 = 1 AND person_id IS NOT NULL AND person_seen_at + idle_ms > ?2
                        THEN ?2 ELSE person_seen_at END
WHERE secret_hash = ?1 AND unpaired_at IS NULL
