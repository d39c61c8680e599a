-- insert_till_pairing
-- Records pairing code ?1 (its hash) for location ?3 of merchant ?2, if ?5 still runs it.
-- ?1 id, ?2 merchant, ?3 location, ?4 label, ?5 person, ?6 now, ?7 expires at
INSERT INTO till_pairings (id, merchant_id, location, label, created_by, created_at, expires_at)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
WHERE EXISTS (SELECT 1 FROM roles WHERE person_id = ?5 AND merchant_id = ?2 AND role IN ('owner', 'manager'))
