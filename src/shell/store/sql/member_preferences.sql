-- member_preferences
-- Member ?1 of merchant ?2's messaging preferences (nothing if erased).
SELECT marketing_consent, preferred_channel, language
FROM members WHERE id = ?1 AND merchant_id = ?2 AND erased_at IS NULL
