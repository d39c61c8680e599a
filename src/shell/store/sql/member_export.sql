-- member_export
-- Everything held about member ?1 of merchant ?2, as one JSON document.
SELECT json_object(
  'member', (SELECT json_object('id', id, 'name', name, 'email', email, 'phone', phone,
                                'birthday', birthday, 'marketing_consent', marketing_consent,
                                'channel', channel, 'created_at', created_at,
                                'last_activity_at', last_activity_at, 'erased_at', erased_at,
                                'points', points - debt, 'pending_points', pending_points,
                                'stamps', stamps, 'cashback_minor', cashback_minor,
                                'tier', tier, 'tier_since', tier_since)
             FROM members WHERE id = ?1 AND merchant_id = ?2),
  'ledger', (SELECT json_group_array(json_object('id', id, 'reason', reason, 'points', points,
                      'pending', pending, 'stamps', stamps, 'cashback', cashback,
                      'cause_type', cause_type, 'cause_id', cause_id, 'note', note,
                      'created_at', created_at))
             FROM (SELECT * FROM ledger_entries WHERE member_id = ?1 AND merchant_id = ?2
                   ORDER BY created_at, id)),
  'scans', (SELECT json_group_array(json_object('id', id, 'kind', kind, 'location', location,
                     'channel', channel, 'amount_minor', amount_minor, 'points', points,
                     'stamps', stamps, 'created_at', created_at, 'reversed_at', reversed_at))
            FROM (SELECT * FROM scans WHERE member_id = ?1 AND merchant_id = ?2 ORDER BY created_at)),
  'redemptions', (SELECT json_group_array(json_object('id', r.id, 'reward', w.name,
                     'status', r.status, 'points', r.points, 'stamps', r.stamps,
                     'cashback', r.cashback, 'created_at', r.created_at,
                     'confirmed_at', r.confirmed_at, 'closed_at', r.closed_at))
                  FROM redemptions r JOIN rewards w ON w.id = r.reward_id
                  WHERE r.member_id = ?1 AND r.merchant_id = ?2),
  'tier_changes', (SELECT json_group_array(json_object('from_tier', from_tier,
                      'to_tier', to_tier, 'earned_in_window', earned_in_window,
                      'cause_type', cause_type, 'cause_id', cause_id, 'created_at', created_at))
                   FROM (SELECT * FROM tier_changes WHERE member_id = ?1 AND merchant_id = ?2
                         ORDER BY created_at, rowid)),
  'referrals', (SELECT json_group_array(json_object('id', id, 'as',
                    CASE WHEN referrer_id = ?1 THEN 'referrer' ELSE 'referee' END,
                    'decision', decision, 'reason', reason, 'progress', progress,
                    'device', device, 'network', network, 'created_at', created_at,
                    'rewarded_at', rewarded_at))
                FROM referrals WHERE merchant_id = ?2 AND (referrer_id = ?1 OR referee_id = ?1)),
  'referral_link', (SELECT json_object('code', code, 'opened', opened, 'created_at', created_at)
                    FROM referral_links WHERE member_id = ?1 AND merchant_id = ?2),
  'messages', (SELECT json_group_array(json_object('id', id, 'kind', kind, 'payload',
                   json(payload), 'created_at', created_at, 'sent_at', sent_at))
               FROM outbox WHERE member_id = ?1 AND merchant_id = ?2),
  'orders', (SELECT json_group_array(json_object('order_id', order_id,
                 'amount_minor', amount_minor, 'points', points,
                 'refunded_minor', refunded_minor, 'created_at', created_at))
             FROM orders WHERE member_id = ?1 AND merchant_id = ?2),
  'profile', (SELECT json_object('segment', segment, 'recency_score', r, 'frequency_score', f,
                  'monetary_score', m,
                  'scored_on', CASE WHEN scored_day >= 0
                                    THEN date(scored_day * 86400, 'unixepoch') END,
                  'purchases', purchases, 'transactions', transactions, 'revenue_minor', revenue_minor)
              FROM member_totals WHERE member_id = ?1 AND merchant_id = ?2)
) AS export
WHERE EXISTS (SELECT 1 FROM members WHERE id = ?1 AND merchant_id = ?2)
