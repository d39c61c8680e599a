//! Nightly rollups end to end: a day's KPIs equal values computed by hand, segments follow the
//! RFM rule, local days follow each merchant's time zone (across the date line, over a clock
//! change), and a repeated, overlapping or interrupted rollup leaves the same rows.
//!
//! Events happen on the real clock; the operator's rollup call (`POST
//! /admin/v1/merchants/{id}/rollups`) rolls one merchant up to a `now` the test names, so these
//! tests run alongside the others. The cron path is tested under `later`.

use chrono_tz::Tz;
use loyalty_edge::domain::metrics::{date, local_day, start, GRACE_MS};
use loyalty_edge::domain::token::ScanKind;
use serde_json::{json, Value};

use crate::harness::{concurrently, worker, Merchant, Sign};
use crate::webhooks::fresh_id;

const DAY_MS: i64 = 86_400_000;

fn now_ms() -> i64 {
    i64::from(crate::harness::now()) * 1000
}

/// A merchant in `time_zone` with the default program.
fn merchant_in(time_zone: &str) -> Merchant {
    let m = worker().merchant_in(time_zone, json!({ "point_value_per_100": 50 }));
    m.messaging_to_nowhere();
    m
}

/// A fixed-offset zone where it is about noon now, so a test's events fall on one local day.
fn midday_zone() -> String {
    let hour = (now_ms() / 3_600_000).rem_euclid(24);
    let offset = 12 - hour; // -11 to 12
    if offset >= 0 {
        format!("Etc/GMT-{offset}")
    } else {
        format!("Etc/GMT+{}", -offset)
    }
}

fn zone(name: &str) -> Tz {
    name.parse().unwrap()
}

/// The first instant `days` local days after today's in `tz` at which that day is rolled up.
fn end_of(tz: Tz, days: i64) -> i64 {
    start(local_day(now_ms(), tz) + days + 1, tz) + GRACE_MS
}

impl Merchant {
    /// Rolls this merchant up to `now` through the operator's call; returns its answer.
    fn roll(&self, now: i64, budget: Option<usize>, chunk: Option<i64>) -> Value {
        let mut body = json!({ "now": now });
        if let Some(b) = budget {
            body["budget"] = json!(b);
        }
        if let Some(c) = chunk {
            body["chunk"] = json!(c);
        }
        let resp = worker().admin(
            "POST",
            &format!("/admin/v1/merchants/{}/rollups", self.id),
            Some(&body),
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.json()
    }

    /// Rolls up to `now` in calls of `budget` statements until done; returns how many calls.
    fn roll_fully(&self, now: i64, budget: Option<usize>, chunk: Option<i64>) -> usize {
        for calls in 1..=400 {
            if self.roll(now, budget, chunk)["done"] == true {
                return calls;
            }
        }
        panic!("rollups never finished");
    }

    fn get(&self, path: &str) -> Value {
        let resp = self.api("GET", path, None, None);
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.json()
    }

    /// The stored days `from` to `to` (day numbers).
    fn days(&self, from: i64, to: i64) -> Vec<Value> {
        self.get(&format!(
            "/api/v1/metrics?from={}&to={}",
            date(from),
            date(to)
        ))["days"]
            .as_array()
            .unwrap()
            .clone()
    }

    fn day(&self, d: i64) -> Value {
        let days = self.days(d, d);
        assert_eq!(days.len(), 1, "{days:?}");
        days[0].clone()
    }

    fn segment_members(&self, segment: &str) -> Vec<String> {
        self.get(&format!("/api/v1/segments/{segment}/members"))["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap().to_owned())
            .collect()
    }

    fn scan(&self, cookie: &str, kind: ScanKind) {
        let token = self.token(Sign {
            kind,
            ..Sign::default()
        });
        let resp = worker().get(&format!("/s/{token}"), Some(cookie));
        assert_eq!(resp.status, 200, "{}", resp.body);
    }

    fn joined(&self, kind: ScanKind, name: &str) -> String {
        let token = self.token(Sign {
            kind,
            ..Sign::default()
        });
        let resp = self.join(&token, name);
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.cookie().unwrap()
    }

    /// Ala joins with a 100.00 purchase, buys for 50.00 more and redeems 100 points; Bob joins
    /// at the poster and buys for 30.00 at the POS, 10.00 of it refunded; Cyd joins at the
    /// poster. Returns their cookies.
    fn fixture(&self) -> [String; 3] {
        let reward =
            self.reward(json!({ "name": "Coffee", "kind": "free_item", "cost_points": 100 }));
        let ala = self.joined(
            ScanKind::Purchase {
                amount_minor: 10_000,
            },
            "Ala",
        );
        self.scan(
            &ala,
            ScanKind::Purchase {
                amount_minor: 5_000,
            },
        );
        let resp = self.redeem_direct(&ala, &reward);
        assert_eq!(resp.status, 201, "{}", resp.body);
        let bob = self.joined(ScanKind::Visit, "Bob");
        let order = fresh_id();
        let resp = self.sale(&fresh_id(), &order, &Merchant::member_id(&bob), 3_000);
        assert_eq!(resp.status, 200, "{}", resp.body);
        let resp = self.refund(&fresh_id(), &order, 1_000);
        assert_eq!(resp.status, 200, "{}", resp.body);
        let cyd = self.joined(ScanKind::Visit, "Cyd");
        [ala, bob, cyd]
    }
}

#[test]
fn a_days_kpis_channels_and_segments_equal_values_computed_by_hand() {
    let tz_name = midday_zone();
    let tz = zone(&tz_name);
    let m = merchant_in(&tz_name);
    let [ala, _bob, cyd] = m.fixture();
    let d = local_day(now_ms(), tz);

    // Before the day is over (and its grace), nothing is rolled.
    let early = m.roll(end_of(tz, 0) - GRACE_MS - 60_000, None, None);
    assert_eq!(early["rolled_days"], 0, "{early}");
    let r = m.roll(end_of(tz, 0), None, None);
    assert_eq!(r["rolled_days"], 1, "{r}");
    assert_eq!(r["rolled_through"], date(d).to_string());
    assert_eq!(r["scored_on"], date(d).to_string());
    assert_eq!(r["done"], true);

    let day = m.day(d);
    let c = &day["counts"];
    let expected = json!({
        "members": 3, "new_members": 3, "active_30d": 3, "active_30d_before": 0,
        "new_active_30d": 3, "active_30d_year_before": 0, "new_active_365d": 3,
        "purchasers_90d": 2, "repeaters_90d": 1, "purchasers_365d": 2,
        // Ala's two scans and Bob's order (net of its refund).
        "purchases": 3, "priced_purchases": 3, "revenue_minor": 17_000, "visits": 2,
        "redemptions": 1,
        // 100 + 50 + 30 earned; 100 redeemed; the refund took 10 back.
        "points_issued": 180, "points_redeemed": 100, "points_liability": 70, "points_pending": 0,
        "purchases_90d": 3, "priced_90d": 3, "revenue_90d": 17_000, "revenue_365d": 17_000,
        "issued_30d": 180, "redeemed_30d": 100,
    });
    assert_eq!(c, &expected, "{day}");
    let k = &day["kpis"];
    assert_eq!(k["engagement_rate"], 1.0);
    assert_eq!(
        k["retention_rate"],
        Value::Null,
        "no members 30 days before"
    );
    assert_eq!(k["repeat_purchase_rate"], 0.5);
    assert_eq!(k["purchase_frequency"], 1.5);
    assert_eq!(k["average_order_value_minor"], 5_666.666_7);
    assert_eq!(k["redemption_rate"], 0.5556);
    assert_eq!(k["liability_value_minor"], 35, "70 points at 0.50 per 100");
    assert_eq!(k["clv_minor"], Value::Null, "no year of history");

    let channels = m.get(&format!(
        "/api/v1/metrics/channels?from={}&to={}",
        date(d),
        date(d)
    ));
    assert_eq!(
        channels["channels"],
        json!([
            { "channel": "poster", "scans": 2, "enrolments": 2, "conversions": 1, "conversion_rate": 0.5 },
            { "channel": "counter", "scans": 2, "enrolments": 1, "conversions": 1, "conversion_rate": 1.0 },
        ]),
        "{channels}"
    );

    // Everyone joined today: all new. Cut points (n = 3, positions 1, 2, 2, 3): frequency 1, 2,
    // 2, 2; revenue 0, 20.00, 20.00, 150.00.
    let s = m.get("/api/v1/segments");
    assert_eq!(s["scored_on"], date(d).to_string());
    assert_eq!(s["sizes"]["new"], 3, "{s}");
    assert_eq!(s["thresholds"]["sample"], 3);
    assert_eq!(s["thresholds"]["recency_days"], json!([0, 0, 0, 0]));
    assert_eq!(s["thresholds"]["frequency"], json!([1, 2, 2, 2]));
    assert_eq!(
        s["thresholds"]["monetary_minor"],
        json!([0, 2_000, 2_000, 15_000])
    );
    let new = m.get("/api/v1/segments/new/members");
    let ala_row = new["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Ala")
        .unwrap()
        .clone();
    assert_eq!(
        (
            &ala_row["recency"],
            &ala_row["frequency"],
            &ala_row["monetary"]
        ),
        (&json!(1), &json!(2), &json!(4)),
        "{ala_row}"
    );

    // A second run changes nothing.
    let again = m.roll(end_of(tz, 0), None, None);
    assert_eq!(again["rolled_days"], 0, "{again}");
    assert_eq!(m.day(d), day);

    // Cyd is erased: her totals and scores go; the stored day keeps its counts.
    let resp = m.api(
        "POST",
        &format!("/api/v1/members/{}/erase", Merchant::member_id(&cyd)),
        Some(&json!({ "reason": "asked in the shop" })),
        Some(&fresh_id()),
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_eq!(m.day(d)["counts"], expected);

    // 40 days on, with no visits: nobody is new or active. Ala and Bob are scored against each
    // other (n = 2, positions 1, 1, 2, 2): frequency cut points all 2 (both score 1), revenue
    // 20.00, 20.00, 150.00, 150.00 (Ala 3, Bob 1); recency ties score 1. Ala (r 1, m 3) is at
    // risk, Bob occasional.
    let r = m.roll(end_of(tz, 40), None, None);
    assert_eq!(r["rolled_days"], 40, "{r}");
    let s = m.get("/api/v1/segments");
    assert_eq!(s["scored_on"], date(d + 40).to_string());
    assert_eq!(
        s["sizes"],
        json!({ "high_value_loyal": 0, "at_risk": 1, "new": 0, "occasional": 1, "no_activity": 0 }),
        "{s}"
    );
    assert_eq!(s["thresholds"]["recency_days"], json!([40, 40, 40, 40]));
    assert_eq!(m.segment_members("at_risk"), ["Ala"]);
    assert_eq!(m.segment_members("occasional"), ["Bob"]);
    // Ala said yes to messages: moving into at_risk queues a "we miss you".
    assert!(m
        .messages(&Merchant::member_id(&ala))
        .contains(&"we_miss_you".to_owned()));

    // Windows: active for 30 days (the day and 29 after), purchasers for 90.
    // (Cyd's totals went with her erasure, so the days rolled after it count two members.)
    let days = m.days(d + 29, d + 30);
    assert_eq!(days[0]["counts"]["active_30d"], 2);
    assert_eq!(days[1]["counts"]["active_30d"], 0);
    let day40 = m.day(d + 40);
    assert_eq!(day40["counts"]["active_30d"], 0);
    assert_eq!(day40["counts"]["members"], 2);
    assert_eq!(day40["counts"]["active_30d_before"], 2);
    assert_eq!(day40["kpis"]["retention_rate"], 0.0);
    assert_eq!(day40["kpis"]["churn_rate"], 1.0);
    assert_eq!(day40["counts"]["purchasers_90d"], 2);
    assert_eq!(day40["counts"]["points_liability"], 70, "carried forward");
    assert_eq!(day40["counts"]["redeemed_30d"], 0);
    m.assert_ledger_consistent();
}

#[test]
fn one_instant_is_a_different_local_day_on_each_side_of_the_date_line() {
    let honolulu = merchant_in("Pacific/Honolulu");
    let kiritimati = merchant_in("Pacific/Kiritimati");
    for m in [&honolulu, &kiritimati] {
        m.joined(
            ScanKind::Purchase {
                amount_minor: 2_000,
            },
            "Ola",
        );
    }
    // Both local days end at the same instant (UTC-10 and UTC+14 are 24 hours apart).
    let h = local_day(now_ms(), zone("Pacific/Honolulu"));
    let k = local_day(now_ms(), zone("Pacific/Kiritimati"));
    assert_eq!(k, h + 1);
    let end = start(h + 1, zone("Pacific/Honolulu"));
    assert_eq!(end, start(k + 1, zone("Pacific/Kiritimati")));
    for m in [&honolulu, &kiritimati] {
        assert_eq!(m.roll(end + GRACE_MS - 1, None, None)["rolled_days"], 0);
    }
    let rh = honolulu.roll(end + GRACE_MS, None, None);
    let rk = kiritimati.roll(end + GRACE_MS, None, None);
    assert_eq!(rh["rolled_through"], date(h).to_string(), "{rh}");
    assert_eq!(rk["rolled_through"], date(k).to_string(), "{rk}");
    assert_eq!(honolulu.day(h)["counts"]["purchases"], 1);
    assert_eq!(kiritimati.day(k)["counts"]["purchases"], 1);
}

#[test]
fn a_clock_change_day_is_rolled_once_as_one_day() {
    let tz = zone("Europe/Warsaw");
    let m = merchant_in("Europe/Warsaw");
    m.joined(
        ScanKind::Purchase {
            amount_minor: 4_000,
        },
        "Ola",
    );
    let today = local_day(now_ms(), tz);
    let change = (today..today + 366)
        .find(|&d| start(d + 1, tz) - start(d, tz) != DAY_MS)
        .expect("Warsaw changes its clocks within a year");
    let hours = (start(change + 1, tz) - start(change, tz)) / 3_600_000;
    assert!(hours == 23 || hours == 25, "{hours}");
    m.roll_fully(start(change + 2, tz) + GRACE_MS, None, None);
    let days = m.days(change - 1, change + 1);
    let dates: Vec<_> = days.iter().map(|d| d["date"].clone()).collect();
    assert_eq!(
        dates,
        [date(change - 1), date(change), date(change + 1)]
            .map(|d| json!(d.to_string()))
            .to_vec()
    );
    for d in &days {
        assert_eq!(d["counts"]["members"], 1, "{d}");
        assert_eq!(d["counts"]["points_liability"], 40, "{d}");
    }
    // Every day from the first is there once, and the purchase counted once.
    let all = m.days(today, change + 1);
    assert_eq!(all.len() as i64, change + 2 - today);
    let purchases: i64 = all
        .iter()
        .map(|d| d["counts"]["purchases"].as_i64().unwrap())
        .sum();
    assert_eq!(purchases, 1);
}

#[test]
fn an_interrupted_or_overlapping_rollup_leaves_the_same_rows_as_one_run() {
    let tz_name = midday_zone();
    let tz = zone(&tz_name);
    let whole = merchant_in(&tz_name);
    let pieces = merchant_in(&tz_name);
    for m in [&whole, &pieces] {
        m.fixture();
    }
    let d = local_day(now_ms(), tz);
    let now = end_of(tz, 35);
    assert_eq!(whole.roll_fully(now, None, None), 1);
    // One day per call, then one member per scoring chunk: many calls, each resuming.
    let calls = pieces.roll_fully(now, Some(8), Some(1));
    assert!(calls > 36, "{calls} calls");
    // Overlapping and repeated runs after it change nothing.
    concurrently(4, || pieces.roll(now, None, None));
    let strip = |days: Vec<Value>| -> Vec<Value> {
        days.into_iter().map(|d| d["counts"].clone()).collect()
    };
    assert_eq!(strip(whole.days(d, d + 35)), strip(pieces.days(d, d + 35)));
    let sizes = |m: &Merchant| m.get("/api/v1/segments")["sizes"].clone();
    assert_eq!(sizes(&whole), sizes(&pieces));
    assert_eq!(sizes(&pieces)["at_risk"], 1);
    for m in [&whole, &pieces] {
        let ala = m.segment_members("at_risk");
        assert_eq!(ala, ["Ala"]);
    }
}

#[test]
fn bad_rollup_and_metrics_requests_get_clear_errors() {
    let m = merchant_in("Europe/Warsaw");
    for (body, field) in [
        (json!({ "budget": 0 }), "budget"),
        (json!({ "chunk": 5001 }), "chunk"),
        (json!({ "now": -1 }), "now"),
    ] {
        let resp = worker().admin(
            "POST",
            &format!("/admin/v1/merchants/{}/rollups", m.id),
            Some(&body),
        );
        resp.assert_problem(422, "invalid_field");
        let detail = resp.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.starts_with(&format!("{field}:")), "{detail}");
    }
    let resp = worker().admin("POST", "/admin/v1/merchants/00000000/rollups", None);
    resp.assert_problem(404, "merchant_not_found");
    for (query, field) in [
        ("from=2026-13-01", "from"),
        ("from=2026-02-01&to=2026-01-01", "from"),
        ("from=2024-01-01&to=2026-01-01", "to"),
    ] {
        let resp = m.api("GET", &format!("/api/v1/metrics?{query}"), None, None);
        resp.assert_problem(422, "invalid_field");
        let detail = resp.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.starts_with(&format!("{field}:")), "{detail}");
    }
    let resp = m.api("GET", "/api/v1/segments/champions/members", None, None);
    resp.assert_problem(404, "not_found");
    // Nothing rolled yet: empty series, no scoring.
    let s = m.get("/api/v1/segments");
    assert_eq!(s["scored_on"], Value::Null);
    assert_eq!(m.get("/api/v1/metrics")["days"], json!([]));
}

pub mod later {
    //! The cron path: the hourly rollups run rolls every merchant whose local day is over.
    use super::*;
    use crate::jobs::{at_or_after, trigger};

    #[test]
    fn the_rollups_cron_rolls_each_merchant_once_its_local_day_is_over() {
        let tz_name = midday_zone();
        let tz = zone(&tz_name);
        let m = merchant_in(&tz_name);
        m.joined(
            ScanKind::Purchase {
                amount_minor: 2_500,
            },
            "Ola",
        );
        let d = local_day(now_ms(), tz);
        // Every merchant made by the tests so far has a day to roll: runs go on until ours is.
        let mut rolled = false;
        for _ in 0..30 {
            trigger("20 * * * *", at_or_after(end_of(tz, 0)));
            if m.get("/api/v1/metrics")["rolled_through"] == date(d).to_string() {
                rolled = true;
                break;
            }
        }
        assert!(rolled, "the cron never rolled the merchant's day");
        assert_eq!(m.day(d)["counts"]["revenue_minor"], 2_500);
        let runs = worker().admin("GET", "/admin/v1/jobs", None).json();
        let summary = runs["runs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["job"] == "rollups")
            .map(|r| r["summary"].as_str().unwrap_or_default().to_owned())
            .unwrap();
        assert!(summary.starts_with("rolled up "), "{summary}");
    }
}

#[test]
fn a_redemption_cancelled_before_its_day_is_rolled_is_not_counted_and_a_later_cancel_leaves_the_day(
) {
    let tz_name = midday_zone();
    let tz = zone(&tz_name);
    let m = merchant_in(&tz_name);
    let reward = m.reward(json!({ "name": "Coffee", "kind": "free_item", "cost_points": 10 }));
    let ala = m.member_with(30);
    let redeem = || {
        let resp = m.redeem_direct(&ala, &reward);
        assert_eq!(resp.status, 201, "{}", resp.body);
        resp.json()["redemption"]["id"].as_str().unwrap().to_owned()
    };
    let cancel = |id: &str| {
        let resp = m.api(
            "POST",
            &format!("/api/v1/redemptions/{id}/cancel"),
            Some(&json!({ "reason": "wrong item" })),
            None,
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
    };
    let _kept = redeem();
    let cancelled = redeem();
    let cancelled_after_rollup = redeem();
    cancel(&cancelled);

    let d = local_day(now_ms(), tz);
    assert_eq!(m.roll(end_of(tz, 0), None, None)["rolled_days"], 1);
    let counts = m.day(d)["counts"].clone();
    // Two redemptions stand when the day is rolled: both figures say so.
    assert_eq!(counts["redemptions"], 2, "{counts}");
    assert_eq!(counts["points_redeemed"], 20, "{counts}");
    assert_eq!(counts["redeemed_30d"], 20, "{counts}");

    // A rolled day is never recomputed: a cancel after it leaves the day as it was rolled.
    cancel(&cancelled_after_rollup);
    let again = m.day(d)["counts"].clone();
    assert_eq!(again, counts);
    m.assert_ledger_consistent();
}
