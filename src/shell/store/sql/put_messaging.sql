-- put_messaging
-- Replaces merchant ?1's messaging settings: ?2 endpoint URL or NULL, ?3 settings JSON,
-- ?4 muted kinds (JSON array), ?5 origin, ?6 now, ?7 1 when any channel is on.
INSERT INTO messaging (merchant_id, endpoint_url, settings, muted, origin, updated_at, active)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (merchant_id) DO UPDATE SET endpoint_url = excluded.endpoint_url,
  settings = excluded.settings, muted = excluded.muted, origin = excluded.origin,
  updated_at = excluded.updated_at, active = excluded.active
