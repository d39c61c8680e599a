-- set_member_preferences
-- Changes member ?1 of merchant ?2 (not erased): marketing consent ?3 (NULL: unchanged); the
-- preferred channel to ?5 if ?4 = 1; the language to ?7 if ?6 = 1.
UPDATE members SET marketing_consent = COALESCE(?3, marketing_consent),
  preferred_channel = CASE WHEN ?4 = 1 THEN ?5 ELSE preferred_channel END,
  language = CASE WHEN ?6 = 1 THEN ?7 ELSE language END
WHERE id = ?1 AND merchant_id = ?2 AND erased_at IS NULL
