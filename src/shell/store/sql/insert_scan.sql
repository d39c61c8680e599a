-- Records a scan only if every guard holds; the statements after it act only if this row exists.
-- Guards: the member belongs to the merchant; a per-sale token's nonce is unused (UNIQUE index
-- scans_single_use, a conflict inserts nothing); a poster visit is outside the member's cooldown
-- (a cooldown of 0 means none: requests in the same millisecond may commit in either order) and
-- under the member's cap of poster visits in the last 24 hours (0: no cap); the phone's address
-- has had fewer than ?18 scans credited this minute (count_credited_scan, right after this
-- statement, counts only a scan that went in: a replay or a visit in its cooldown uses up
-- nothing, so nobody sharing a café's Wi-Fi can lock the others out without earning).
-- ?1 id, ?2 merchant_id, ?3 member_id, ?4 kind, ?5 nonce, ?6 kid, ?7 location, ?8 channel,
-- ?9 amount_minor, ?10 points, ?11 stamps, ?12 program_version, ?13 now, ?14 cooldown_ms,
-- ?15 daily_cap, ?16 rate bucket (NULL: no per-address limit), ?17 its window start, ?18 limit,
-- ?19 earn rate per tier level in percent (JSON array, '[]': none), applied to ?10 at the
-- member's level as it stands
INSERT INTO scans (id, merchant_id, member_id, kind, nonce, kid, location, channel, amount_minor,
                   points, stamps, program_version, created_at)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
       ?10 * COALESCE(json_extract(?19, '$[' || (SELECT tier FROM members WHERE id = ?3) || ']'),
                      100) / 100,
       ?11, ?12, ?13
WHERE EXISTS (SELECT 1 FROM members WHERE id = ?3 AND merchant_id = ?2)
  AND (?4 <> 'visit' OR (
        (?14 = 0 OR NOT EXISTS (
          SELECT 1 FROM scans
          WHERE member_id = ?3 AND kind = 'visit' AND created_at > ?13 - ?14))
        AND (?15 = 0 OR (SELECT COUNT(*) FROM scans
             WHERE member_id = ?3 AND kind = 'visit' AND created_at > ?13 - 86400000) < ?15)))
  AND (?16 IS NULL OR COALESCE((SELECT hits FROM rate_windows
                                WHERE bucket = ?16 AND window_start = ?17), 0) < ?18)
ON CONFLICT DO NOTHING
