-- insert_reward
-- ?1 id, ?2 merchant, ?3 name, ?4 kind, ?5 value, ?6 coupon_code, ?7 cost_points (NULL: a full
-- stamp card), ?8 starts_at, ?9 ends_at, ?10 stock, ?11 per_member_limit, ?12 active, ?13 now,
-- ?14 image, ?15 description
INSERT INTO rewards (id, merchant_id, name, kind, value, coupon_code, cost_points, starts_at, ends_at,
                     stock, per_member_limit, active, created_at, updated_at, image, description)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14, ?15)
