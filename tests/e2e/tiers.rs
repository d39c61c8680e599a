//! Tiers, promotions and points per item end to end: levels move inside the earn batch, earn
//! rates follow the level, reversals move members down under a rolling policy (never under
//! `never`), every change is recorded once even under concurrent scans, and a bad configuration
//! names its field.

use serde_json::{json, Value};

use crate::harness::{worker, Merchant, Sign};
use crate::webhooks::fresh_id;

fn key() -> String {
    let mut b = [0u8; 16];
    getrandom::getrandom(&mut b).unwrap();
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Member 0+, Silver 30+ (double points), Gold 60+ (triple); `downgrade` as given.
fn tiered(downgrade: Value) -> Merchant {
    worker().merchant(json!({
        "tiers": {
            "window_days": 365,
            "downgrade": downgrade,
            "levels": [
                { "name": "Member", "threshold": 0 },
                { "name": "Silver", "threshold": 30, "earn_rate_pct": 200, "benefits": ["Free refill"] },
                { "name": "Gold", "threshold": 60, "earn_rate_pct": 300 }
            ]
        }
    }))
}

impl Merchant {
    /// Scans a 12.50 purchase with `cookie`; returns the page.
    fn buy(&self, cookie: &str) -> String {
        let resp = worker().get(&format!("/s/{}", self.token(Sign::default())), Some(cookie));
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.body
    }

    fn tier_changes(&self, cookie: &str) -> Vec<(i64, i64)> {
        let resp = self.api(
            "GET",
            &format!("/api/v1/members/{}/export", Merchant::member_id(cookie)),
            None,
            None,
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.json()["tier_changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["from_tier"].as_i64().unwrap(),
                    c["to_tier"].as_i64().unwrap(),
                )
            })
            .collect()
    }

    /// The scan ids of a member's earn entries, oldest first.
    fn earn_scans(&self, cookie: &str) -> Vec<(String, i64)> {
        let mut v: Vec<(i64, String, i64)> = self.explain(cookie)["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["reason"] == "earn")
            .map(|e| {
                (
                    e["created_at"].as_i64().unwrap(),
                    e["cause_id"].as_str().unwrap().to_owned(),
                    e["points"].as_i64().unwrap() + e["pending"].as_i64().unwrap(),
                )
            })
            .collect();
        v.sort();
        v.into_iter().map(|(_, id, p)| (id, p)).collect()
    }
}

#[test]
fn members_climb_at_once_earn_at_their_level_and_fall_back_after_a_reversal() {
    let m = tiered(json!({ "policy": "rolling", "hold_days": 0 }));
    let cookie = m.member(); // 12
    m.buy(&cookie); // 24
    let page = m.buy(&cookie); // 36: Silver
    assert!(
        page.contains("You have reached <strong>Silver</strong>"),
        "{page}"
    );
    assert!(page.contains("Free refill"), "{page}");
    let page = m.buy(&cookie); // at Silver: 24 points, 60: Gold
    assert!(page.contains("+24 points"), "{page}");
    assert!(
        page.contains("You have reached <strong>Gold</strong>"),
        "{page}"
    );
    let earned: Vec<i64> = m.earn_scans(&cookie).iter().map(|e| e.1).collect();
    assert_eq!(earned, [12, 12, 12, 24]);
    let ledger = m.explain(&cookie);
    assert_eq!(ledger["tier"]["name"], "Gold", "{ledger}");
    assert_eq!(ledger["tier"]["points_in_window"], 60);
    assert_eq!(ledger["tier"]["next"], Value::Null);
    assert_eq!(m.tier_changes(&cookie), [(0, 1), (1, 2)]);

    // Reversing the Gold-making scan leaves 36 in the window: back to Silver.
    let (last, _) = m.earn_scans(&cookie).pop().unwrap();
    let resp = m.api(
        "POST",
        &format!("/api/v1/scans/{last}/reverse"),
        Some(&json!({ "reason": "wrong till" })),
        Some(&key()),
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    let ledger = m.explain(&cookie);
    assert_eq!(ledger["tier"]["name"], "Silver", "{ledger}");
    assert_eq!(ledger["tier"]["next"]["points_needed"], 24);
    assert_eq!(m.tier_changes(&cookie), [(0, 1), (1, 2), (2, 1)]);
    let card = worker().get(&format!("/c/{}", m.id), Some(&cookie));
    assert!(
        card.body.contains("24 more points to Gold"),
        "{}",
        card.body
    );
    m.assert_ledger_consistent();
}

#[test]
fn under_never_and_inside_the_hold_a_level_is_kept() {
    for downgrade in [
        json!({ "policy": "never" }),
        json!({ "policy": "rolling", "hold_days": 30 }),
    ] {
        let m = tiered(downgrade.clone());
        let cookie = m.member();
        m.buy(&cookie);
        m.buy(&cookie); // 36: Silver
        let (last, _) = m.earn_scans(&cookie).pop().unwrap();
        let resp = m.api(
            "POST",
            &format!("/api/v1/scans/{last}/reverse"),
            Some(&json!({ "reason": "mistake" })),
            Some(&key()),
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        let ledger = m.explain(&cookie);
        assert_eq!(ledger["tier"]["name"], "Silver", "{downgrade}: {ledger}");
        assert_eq!(ledger["tier"]["points_in_window"], 24);
        assert_eq!(m.tier_changes(&cookie), [(0, 1)], "{downgrade}");
    }
}

#[test]
fn concurrent_scans_across_a_threshold_record_one_change() {
    let m = tiered(json!({ "policy": "rolling", "hold_days": 0 }));
    let cookie = m.member(); // 12
    m.purchases_at_once(&cookie, 8);
    // Whatever the order, the member is Gold once and each level was reached once. (Export
    // lists changes by their request's clock, and concurrent batches need not run in clock
    // order, so the pairs are compared as a set.)
    let mut changes = m.tier_changes(&cookie);
    changes.sort_unstable();
    assert_eq!(changes, [(0, 1), (1, 2)]);
    let earned: i64 = m.earn_scans(&cookie).iter().map(|e| e.1).sum();
    let ledger = m.explain(&cookie);
    assert_eq!(ledger["tier"]["points_in_window"], earned);
    assert_eq!(ledger["balance"]["points"], earned);
    m.assert_ledger_consistent();
}

#[test]
fn promotions_boost_purchases_in_local_time_and_say_so() {
    let m = worker().merchant(json!({
        "promotions": [
            { "name": "Triple week", "multiplier_pct": 300, "bonus_points": 5 },
            { "name": "Next century", "multiplier_pct": 1000, "starts_on": "2099-01-01" }
        ]
    }));
    let cookie = m.member(); // 12.50 → 12 × 3 + 5
    let earn = &m.explain(&cookie)["entries"][0];
    assert_eq!(earn["points"], 41, "{earn}");
    assert_eq!(earn["note"], "promotion: Triple week");
    // A poster visit earns stamps only: promotions leave it alone.
    let resp = worker().get(&format!("/s/{}", m.poster()), Some(&cookie));
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_eq!(m.explain(&cookie)["balance"]["points"], 41);
    m.assert_ledger_consistent();
}

#[test]
fn pos_orders_earn_item_points_at_the_member_level() {
    let m = worker().merchant(json!({
        "item_points": [{ "sku": "LATTE", "points": 5 }],
        "tiers": { "levels": [
            { "name": "Member", "threshold": 0 },
            { "name": "Silver", "threshold": 10, "earn_rate_pct": 150 }
        ] }
    }));
    let cookie = m.member(); // 12 points: Silver
    let order = |amount: i64, items: Value| {
        let resp = m.event(
            &fresh_id(),
            "purchase.completed",
            json!({ "order_id": fresh_id(), "member": { "member_id": Merchant::member_id(&cookie) },
                    "amount_minor": amount, "items": items }),
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.json()["order"]["points"].as_i64().unwrap()
    };
    // 10.00 → 10, two lattes → +10, at Silver × 1.5 = 30; an unknown SKU adds nothing.
    assert_eq!(
        order(
            1000,
            json!([{ "sku": "LATTE", "quantity": 2, "name": "Latte" }, { "sku": "TEA", "quantity": 1 }])
        ),
        30
    );
    m.assert_ledger_consistent();
}

#[test]
fn a_bad_configuration_names_its_field_and_changes_nothing() {
    let m = worker().merchant(json!({}));
    let before = m.api("GET", "/api/v1/program", None, None);
    let cases = [
        (
            json!({ "tiers": { "levels": [{ "name": "A", "threshold": 0 }, { "name": "B", "threshold": 0 }] } }),
            "program.tiers.levels[1].threshold",
        ),
        (
            json!({ "promotions": [{ "name": "x", "multiplier_pct": 200, "from": "22:00", "until": "02:00" }] }),
            "program.promotions[0].until",
        ),
        (
            json!({ "item_points": [{ "sku": "A", "points": 0 }] }),
            "program.item_points[0].points",
        ),
    ];
    for (body, field) in cases {
        let resp = m.api("PUT", "/api/v1/program", Some(&body), None);
        resp.assert_problem(422, "invalid_field");
        let detail = resp.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.starts_with(field), "{field}: {detail}");
    }
    let after = m.api("GET", "/api/v1/program", None, None);
    assert_eq!(before.body, after.body);
}

/// Runs the hourly job ahead of time: one at a time, after the other tests (see scripts/test).
pub mod later {
    use super::*;

    fn now_ms() -> i64 {
        i64::from(crate::harness::now()) * 1000
    }

    #[test]
    fn the_hourly_sweep_moves_members_down_when_their_window_no_longer_reaches_their_level() {
        let m = tiered(json!({ "policy": "rolling", "hold_days": 0 }));
        let cookie = m.member();
        m.buy(&cookie);
        m.buy(&cookie); // 36: Silver
        assert_eq!(m.explain(&cookie)["tier"]["name"], "Silver");
        // The merchant raises Silver to 100 points: the member's 36 no longer reach it.
        let resp = m.api(
            "PUT",
            "/api/v1/program",
            Some(
                &json!({ "tiers": { "downgrade": { "policy": "rolling", "hold_days": 0 }, "levels": [
                { "name": "Member", "threshold": 0 },
                { "name": "Silver", "threshold": 100, "earn_rate_pct": 200 }
            ] } }),
            ),
            None,
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        assert_eq!(
            m.explain(&cookie)["tier"]["name"],
            "Silver",
            "until the sweep"
        );
        crate::jobs::trigger("5 * * * *", crate::jobs::at_or_after(now_ms()));
        let ledger = m.explain(&cookie);
        assert_eq!(ledger["tier"]["name"], "Member", "{ledger}");
        assert_eq!(ledger["tier"]["next"]["points_needed"], 64);
        assert_eq!(m.tier_changes(&cookie), [(0, 1), (1, 0)]);
        // Another run changes nothing more.
        crate::jobs::trigger("5 * * * *", crate::jobs::at_or_after(now_ms()));
        assert_eq!(m.tier_changes(&cookie), [(0, 1), (1, 0)]);
    }
}
