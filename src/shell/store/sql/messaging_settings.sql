-- messaging_settings
-- Merchant ?1's messaging settings, if they set any.
SELECT endpoint_url, settings, origin FROM messaging WHERE merchant_id = ?1
