-- insert_paired_till
-- Records till ?3 (cookie secret hash ?4), if this batch used pairing code ?1 at ?2 for it.
INSERT INTO tills (id, secret_hash, merchant_id, location, label, paired_by, paired_at, seen_at)
SELECT ?3, ?4, merchant_id, location, label, created_by, ?2, ?2
FROM till_pairings WHERE id = ?1 AND till_id = ?3 AND used_at = ?2
