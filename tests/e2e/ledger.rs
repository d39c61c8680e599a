//! The money-grade ledger end to end: rewards, phone codes, staff redemptions, cancels, expiry of
//! codes, adjustments with their audit log, reversals, pending points and idempotency keys.

use loyalty_edge::domain::token::ScanKind;
use serde_json::{json, Value};

use crate::harness::{concurrently, worker, Merchant, Resp, Sign};

/// A fresh random key for `Idempotency-Key`.
fn key() -> String {
    let mut b = [0u8; 16];
    getrandom::getrandom(&mut b).unwrap();
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl Merchant {
    /// Calls the merchant API with this merchant's owner key and an optional Idempotency-Key.
    pub fn api(&self, method: &str, path: &str, body: Option<&Value>, idem: Option<&str>) -> Resp {
        let auth = format!("Bearer {}", self.key);
        let mut headers = vec![("authorization", auth.as_str())];
        if let Some(k) = idem {
            headers.push(("idempotency-key", k));
        }
        let text = body.map(Value::to_string);
        if text.is_some() {
            headers.push(("content-type", "application/json"));
        }
        worker().send(method, path, &headers, text.as_deref())
    }

    /// Adds a reward and returns its id.
    pub fn reward(&self, body: Value) -> String {
        let resp = self.api("POST", "/api/v1/rewards", Some(&body), None);
        assert_eq!(resp.status, 201, "{}", resp.body);
        resp.json()["reward"]["id"].as_str().unwrap().to_owned()
    }

    /// Makes a member and credits them `points` through a scan; returns their cookie.
    pub fn member_with(&self, points: u32) -> String {
        let cookie = self.join_cookie();
        if points > 0 {
            let resp = worker().get(
                &format!(
                    "/s/{}",
                    self.token(Sign {
                        kind: ScanKind::Points(points),
                        ..Sign::default()
                    })
                ),
                Some(&cookie),
            );
            assert_eq!(resp.status, 200, "{}", resp.body);
        }
        cookie
    }

    /// Joins with a poster visit (no points) and returns the cookie.
    fn join_cookie(&self) -> String {
        let resp = self.join(&self.poster(), "Ola");
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.cookie().unwrap()
    }

    /// Returns the explained balance of the member behind `cookie`.
    pub fn explain(&self, cookie: &str) -> Value {
        let resp = self.api(
            "GET",
            &format!("/api/v1/members/{}/ledger", Merchant::member_id(cookie)),
            None,
            None,
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.json()
    }

    fn points(&self, cookie: &str) -> i64 {
        self.explain(cookie)["balance"]["points"].as_i64().unwrap()
    }

    /// Staff redeem `reward` for the member behind `cookie`.
    pub fn redeem_direct(&self, cookie: &str, reward: &str) -> Resp {
        self.api(
            "POST",
            &format!(
                "/api/v1/members/{}/redemptions",
                Merchant::member_id(cookie)
            ),
            Some(&json!({ "reward_id": reward })),
            Some(&key()),
        )
    }

    /// Opens the card page and returns its per-page attempt id.
    fn attempt(&self, cookie: &str) -> String {
        let card = worker().get(&format!("/c/{}", self.id), Some(cookie));
        assert_eq!(card.status, 200, "{}", card.body);
        let start = card
            .body
            .find(r#"name="attempt" value=""#)
            .expect("a redeem button")
            + 22;
        card.body[start..].split('"').next().unwrap().to_owned()
    }

    /// Presses "Redeem" on the phone with `attempt`; returns the response (303 to the code).
    fn press_redeem(&self, cookie: &str, reward: &str, attempt: &str) -> Resp {
        worker().send(
            "POST",
            &format!("/c/{}/rewards/{reward}", self.id),
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("cookie", cookie),
            ],
            Some(&format!("attempt={attempt}")),
        )
    }

    /// Redeems on the phone and returns (redemption page path, six-digit code).
    pub fn phone_code(&self, cookie: &str, reward: &str) -> (String, String) {
        let resp = self.press_redeem(cookie, reward, &self.attempt(cookie));
        assert_eq!(resp.status, 303, "{}", resp.body);
        let path = resp.header("location").unwrap().to_owned();
        let page = worker().get(&path, Some(cookie));
        assert_eq!(page.status, 200, "{}", page.body);
        let start = page.body.find(r#"class="code""#).unwrap();
        let code: String = page.body[start..]
            .split('>')
            .nth(1)
            .unwrap()
            .chars()
            .take(6)
            .collect();
        assert!(code.bytes().all(|b| b.is_ascii_digit()), "{code}");
        (path, code)
    }

    fn confirm(&self, code: &str) -> Resp {
        self.api(
            "POST",
            "/api/v1/redemptions/confirm",
            Some(&json!({ "code": code })),
            None,
        )
    }
}

#[test]
fn fifty_phones_redeeming_a_balance_that_covers_one_reward_get_exactly_one_code() {
    let m = worker().merchant(json!({}));
    let reward = m.reward(json!({ "name": "Free cake", "kind": "free_item", "cost_points": 100 }));
    let cookie = m.member_with(100);
    let attempts: Vec<String> = (0..50).map(|_| m.attempt(&cookie)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = concurrently(50, || {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        m.press_redeem(&cookie, &reward, &attempts[i])
    });
    let ok = results.iter().filter(|r| r.status == 303).count();
    assert_eq!(
        ok,
        1,
        "{:?}",
        results.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    for r in results.iter().filter(|r| r.status != 303) {
        r.assert_error_page(409, "insufficient_points");
    }
    assert_eq!(m.points(&cookie), 0);
    assert_eq!(
        m.explain(&cookie)["live_codes"].as_array().unwrap().len(),
        1
    );
    m.assert_ledger_consistent();
}

#[test]
fn a_double_tapped_redeem_button_holds_the_points_once() {
    let m = worker().merchant(json!({}));
    let reward = m.reward(json!({ "name": "Coffee", "kind": "free_item", "cost_points": 30 }));
    let cookie = m.member_with(100);
    let attempt = m.attempt(&cookie);
    let results = concurrently(8, || m.press_redeem(&cookie, &reward, &attempt));
    let places: std::collections::HashSet<_> = results
        .iter()
        .map(|r| {
            assert_eq!(r.status, 303, "{}", r.body);
            r.header("location").unwrap().to_owned()
        })
        .collect();
    assert_eq!(places.len(), 1, "every tap lands on the same code");
    assert_eq!(m.points(&cookie), 70);
    m.assert_ledger_consistent();
}

#[test]
fn a_code_confirmed_twice_and_concurrently_is_redeemed_once() {
    let m = worker().merchant(json!({}));
    let reward = m.reward(json!({ "name": "Coffee", "kind": "free_item", "cost_points": 40 }));
    let cookie = m.member_with(100);
    let (path, code) = m.phone_code(&cookie, &reward);
    assert_eq!(
        m.points(&cookie),
        60,
        "the cost is held while the code is live"
    );
    let results = concurrently(16, || m.confirm(&code));
    assert_eq!(results.iter().filter(|r| r.status == 200).count(), 1);
    for r in results.iter().filter(|r| r.status != 200) {
        r.assert_problem(409, "redemption_already_confirmed");
    }
    m.confirm(&code)
        .assert_problem(409, "redemption_already_confirmed");
    let page = worker().get(&path, Some(&cookie));
    assert!(page.body.contains("Redeemed"), "{}", page.body);
    let explained = m.explain(&cookie);
    assert_eq!(explained["balance"]["points"], 60);
    let reasons: Vec<&str> = explained["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons.iter().filter(|r| **r == "reserve").count(), 1);
    assert_eq!(reasons.iter().filter(|r| **r == "redeem").count(), 1);
    m.confirm("000000")
        .assert_problem(404, "redemption_not_found");
    m.confirm("12ab").assert_problem(422, "invalid_field");
    m.assert_ledger_consistent();
}

#[test]
fn an_unconfirmed_code_expires_and_its_points_come_back_once() {
    let m = worker().merchant(json!({ "redemption_code_secs": 5 }));
    let reward =
        m.reward(json!({ "name": "Coffee", "kind": "free_item", "cost_points": 40, "stock": 3 }));
    let cookie = m.member_with(100);
    let (path, code) = m.phone_code(&cookie, &reward);
    assert_eq!(m.points(&cookie), 60);
    std::thread::sleep(std::time::Duration::from_millis(5_500));
    m.confirm(&code)
        .assert_problem(410, "redemption_code_expired");
    // Any look at the balance releases the lapsed code; a second look releases nothing more.
    assert_eq!(m.points(&cookie), 100);
    assert_eq!(m.points(&cookie), 100);
    let page = worker().get(&path, Some(&cookie));
    assert!(page.body.contains("Code expired"), "{}", page.body);
    let rewards = m.api("GET", "/api/v1/rewards", None, None).json();
    assert_eq!(rewards["rewards"][0]["stock"], 3, "the stock came back too");
    let releases = m.explain(&cookie)["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["reason"] == "release")
        .count();
    assert_eq!(releases, 1);
    m.assert_ledger_consistent();
}

#[test]
fn a_reward_with_a_stock_of_one_goes_to_one_of_twenty_members() {
    let m = worker().merchant(json!({}));
    let reward =
        m.reward(json!({ "name": "Mug", "kind": "free_item", "cost_points": 10, "stock": 1 }));
    let members: Vec<String> = (0..20).map(|_| m.member_with(50)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = concurrently(20, || {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        m.redeem_direct(&members[i], &reward)
    });
    assert_eq!(results.iter().filter(|r| r.status == 201).count(), 1);
    for r in results.iter().filter(|r| r.status != 201) {
        r.assert_problem(409, "reward_out_of_stock");
    }
    let rewards = m.api("GET", "/api/v1/rewards", None, None).json();
    assert_eq!(rewards["rewards"][0]["stock"], 0);
    let total: i64 = members.iter().map(|c| m.points(c)).sum();
    assert_eq!(total, 20 * 50 - 10);
    m.assert_ledger_consistent();
}

#[test]
fn staff_can_cancel_a_redemption_inside_the_window_and_the_points_return() {
    let m = worker().merchant(json!({}));
    let reward = m.reward(json!({ "name": "Coffee", "kind": "free_item", "cost_points": 40 }));
    let cookie = m.member_with(100);
    let resp = m.redeem_direct(&cookie, &reward);
    assert_eq!(resp.status, 201, "{}", resp.body);
    let id = resp.json()["redemption"]["id"].as_str().unwrap().to_owned();
    assert_eq!(m.points(&cookie), 60);
    let cancel = |body: Value| {
        m.api(
            "POST",
            &format!("/api/v1/redemptions/{id}/cancel"),
            Some(&body),
            None,
        )
    };
    let results = concurrently(8, || cancel(json!({ "reason": "wrong item" })));
    assert_eq!(results.iter().filter(|r| r.status == 200).count(), 1);
    for r in results.iter().filter(|r| r.status != 200) {
        r.assert_problem(409, "redemption_not_confirmed");
    }
    assert_eq!(m.points(&cookie), 100);
    let closed = worker().merchant(json!({ "redemption_cancel_mins": 0 }));
    let reward = closed.reward(json!({ "name": "Coffee", "kind": "free_item", "cost_points": 40 }));
    let cookie = closed.member_with(100);
    let id = closed.redeem_direct(&cookie, &reward).json()["redemption"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    closed
        .api(
            "POST",
            &format!("/api/v1/redemptions/{id}/cancel"),
            Some(&json!({})),
            None,
        )
        .assert_problem(409, "redemption_cancel_window_closed");
    m.api(
        "POST",
        &format!("/api/v1/redemptions/{id}/cancel"),
        Some(&json!({})),
        None,
    )
    .assert_problem(404, "redemption_not_found");
    m.assert_ledger_consistent();
    closed.assert_ledger_consistent();
}

#[test]
fn cashback_fills_its_own_wallet_and_never_mixes_with_points() {
    let m = worker().merchant(json!({}));
    let reward = m.reward(
        json!({ "name": "5 PLN back", "kind": "cashback", "value": 500, "cost_points": 50 }),
    );
    let cookie = m.member_with(80);
    let (_, code) = m.phone_code(&cookie, &reward);
    let before = m.explain(&cookie)["balance"].clone();
    assert_eq!(
        (before["points"].as_i64(), before["cashback_minor"].as_i64()),
        (Some(30), Some(0))
    );
    let resp = m.confirm(&code);
    assert_eq!(resp.status, 200, "{}", resp.body);
    let after = m.explain(&cookie);
    assert_eq!(after["balance"]["points"], 30, "cashback adds no points");
    assert_eq!(after["balance"]["cashback_minor"], 500);
    assert_eq!(after["balance"]["cashback_currency"], "PLN");
    let spend = |amount: i64| {
        m.api(
            "POST",
            &format!(
                "/api/v1/members/{}/cashback-spends",
                Merchant::member_id(&cookie)
            ),
            Some(&json!({ "amount_minor": amount, "reference": "receipt 42" })),
            Some(&key()),
        )
    };
    spend(600).assert_problem(409, "insufficient_cashback");
    spend(-5).assert_problem(422, "invalid_field");
    let id = resp.json()["redemption"]["id"].as_str().unwrap().to_owned();
    let resp = m.api(
        "POST",
        &format!("/api/v1/redemptions/{id}/cancel"),
        Some(&json!({ "reason": "refund" })),
        None,
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    let undone = m.explain(&cookie)["balance"].clone();
    assert_eq!(
        (undone["points"].as_i64(), undone["cashback_minor"].as_i64()),
        (Some(80), Some(0))
    );
    // Redeemed again and partly spent at the till: the redemption can no longer be cancelled.
    let resp = m.redeem_direct(&cookie, &reward);
    assert_eq!(resp.status, 201, "{}", resp.body);
    let id = resp.json()["redemption"]["id"].as_str().unwrap().to_owned();
    let resp = spend(300);
    assert_eq!(resp.status, 201, "{}", resp.body);
    assert_eq!(resp.json()["balance"]["cashback_minor"], 200);
    assert_eq!(
        resp.json()["balance"]["points"],
        30,
        "spending cashback leaves points alone"
    );
    m.api(
        "POST",
        &format!("/api/v1/redemptions/{id}/cancel"),
        Some(&json!({})),
        None,
    )
    .assert_problem(409, "redemption_cashback_spent");
    m.assert_ledger_consistent();
}

#[test]
fn stamp_card_rewards_cost_a_full_card() {
    let m = worker()
        .merchant(json!({ "stamp_card_size": 2, "visit_cooldown_secs": 0, "visit_daily_cap": 0 }));
    let reward =
        m.reward(json!({ "name": "Free coffee", "kind": "free_item", "cost_stamp_card": true }));
    let cookie = m.join_cookie(); // one stamp from the joining visit
    m.redeem_direct(&cookie, &reward)
        .assert_problem(409, "insufficient_stamps");
    let resp = worker().get(&format!("/s/{}", m.poster()), Some(&cookie));
    assert_eq!(resp.status, 200, "{}", resp.body);
    let resp = m.redeem_direct(&cookie, &reward);
    assert_eq!(resp.status, 201, "{}", resp.body);
    assert_eq!(m.explain(&cookie)["balance"]["stamps"], 0);
    m.assert_ledger_consistent();
}

#[test]
fn adjustments_need_a_reason_and_land_in_the_audit_log() {
    let m = worker().merchant(json!({}));
    let cookie = m.member_with(10);
    let path = format!(
        "/api/v1/members/{}/adjustments",
        Merchant::member_id(&cookie)
    );
    let resp = m.api(
        "POST",
        &path,
        Some(&json!({ "points": 25, "reason": "birthday cake mix-up" })),
        Some(&key()),
    );
    assert_eq!(resp.status, 201, "{}", resp.body);
    assert_eq!(resp.json()["balance"]["points"], 35);
    let resp = m.api(
        "POST",
        &path,
        Some(&json!({ "points": -5, "stamps": -1, "reason": "double stamp" })),
        Some(&key()),
    );
    assert_eq!(resp.status, 201, "{}", resp.body);
    let entries = m.audit()["ledger_entries"].clone();
    m.api(
        "POST",
        &path,
        Some(&json!({ "points": -1000, "reason": "oops" })),
        Some(&key()),
    )
    .assert_problem(409, "insufficient_points");
    m.api("POST", &path, Some(&json!({ "points": 5 })), Some(&key()))
        .assert_problem(400, "invalid_json");
    m.api(
        "POST",
        &path,
        Some(&json!({ "points": 5, "reason": "  " })),
        Some(&key()),
    )
    .assert_problem(422, "invalid_field");
    m.api(
        "POST",
        &path,
        Some(&json!({ "points": 9_007_199_254_740_993i64, "reason": "x" })),
        Some(&key()),
    )
    .assert_problem(422, "invalid_field");
    m.api(
        "POST",
        &path,
        Some(&json!({ "points": 5, "reason": "x" })),
        None,
    )
    .assert_problem(400, "idempotency_key_missing");
    assert_eq!(
        m.audit()["ledger_entries"],
        entries,
        "refusals write nothing"
    );
    let log = m.api("GET", "/api/v1/audit-log", None, None).json();
    let lines = log["audit_log"].as_array().unwrap();
    assert_eq!(lines.len(), 2, "{log}");
    let key_id = m.key.split('_').nth(1).unwrap();
    assert!(
        lines
            .iter()
            .all(|l| l["actor"] == key_id && l["action"] == "adjust"),
        "{log}"
    );
    assert!(lines.iter().any(|l| l["reason"] == "birthday cake mix-up"));
    assert_eq!(m.points(&cookie), 30);
    m.assert_ledger_consistent();
}

#[test]
fn idempotency_keys_replay_refuse_other_bodies_and_requests_in_flight() {
    let m = worker().merchant(json!({}));
    let cookie = m.member_with(0);
    let path = format!(
        "/api/v1/members/{}/adjustments",
        Merchant::member_id(&cookie)
    );
    let body = json!({ "points": 10, "reason": "welcome gift" });
    let k = key();
    let first = m.api("POST", &path, Some(&body), Some(&k));
    assert_eq!(first.status, 201, "{}", first.body);
    let again = m.api("POST", &path, Some(&body), Some(&k));
    assert_eq!(
        (again.status, again.body.as_str()),
        (201, first.body.as_str())
    );
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    m.api(
        "POST",
        &path,
        Some(&json!({ "points": 11, "reason": "welcome gift" })),
        Some(&k),
    )
    .assert_problem(422, "idempotency_key_reused");
    m.api("POST", &path, Some(&body), Some("has space"))
        .assert_problem(400, "idempotency_key_invalid");
    assert_eq!(m.points(&cookie), 10);
    // The same key sent by many at once: one runs, the rest see it running or its stored result.
    let mut saw_in_flight = false;
    for round in 0..6 {
        let k = key();
        let results = concurrently(8, || m.api("POST", &path, Some(&body), Some(&k)));
        for r in &results {
            match r.status {
                201 => assert!(r.body.contains("entry_id")),
                409 => {
                    r.assert_problem(409, "idempotency_key_in_progress");
                    saw_in_flight = true;
                }
                other => panic!("unexpected {other}: {}", r.body),
            }
        }
        assert_eq!(m.points(&cookie), 20 + 10 * round, "one effect per key");
        if saw_in_flight {
            break;
        }
    }
    assert!(
        saw_in_flight,
        "eight simultaneous requests never overlapped"
    );
    // Optional on the other calls: a retried counter request gets the same token back.
    let sale = json!({ "location": 1, "kind": "purchase", "value": 1250 });
    let k = key();
    let a = m.api("POST", "/api/v1/scan-tokens", Some(&sale), Some(&k));
    let b = m.api("POST", "/api/v1/scan-tokens", Some(&sale), Some(&k));
    assert_eq!((a.status, b.status), (201, 201), "{}", b.body);
    assert_eq!(a.json()["token"], b.json()["token"]);
    let c = m.api("POST", "/api/v1/scan-tokens", Some(&sale), None);
    assert_ne!(a.json()["token"], c.json()["token"]);
    m.assert_ledger_consistent();
}

#[test]
fn pending_purchase_points_wait_and_a_reversal_withdraws_them_once() {
    let m = worker().merchant(json!({ "pending_days": 14, "points_per_major_unit": 1 }));
    let cookie = m.join_cookie();
    let resp = worker().get(&format!("/s/{}", m.token(Sign::default())), Some(&cookie));
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert!(resp.body.contains("12 pending"), "{}", resp.body);
    let explained = m.explain(&cookie);
    assert_eq!(explained["balance"]["points"], 0);
    assert_eq!(explained["balance"]["pending_points"], 12);
    let scan = explained["entries"][0]["cause_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reverse = |k: &str| {
        m.api(
            "POST",
            &format!("/api/v1/scans/{scan}/reverse"),
            Some(&json!({ "reason": "returned" })),
            Some(k),
        )
    };
    let results = concurrently(6, || reverse(&key()));
    assert_eq!(results.iter().filter(|r| r.status == 200).count(), 1);
    for r in results.iter().filter(|r| r.status != 200) {
        r.assert_problem(409, "scan_already_reversed");
    }
    let explained = m.explain(&cookie);
    assert_eq!(explained["balance"]["pending_points"], 0);
    assert_eq!(
        explained["balance"]["stamps"], 1,
        "the purchase stamp went with it"
    );
    m.api(
        "POST",
        "/api/v1/scans/00000000000000000000000000000000/reverse",
        Some(&json!({ "reason": "x" })),
        Some(&key()),
    )
    .assert_problem(404, "scan_not_found");
    m.assert_ledger_consistent();
}

#[test]
fn a_reversal_of_spent_points_is_written_off_or_becomes_debt_by_policy() {
    for (policy, balance_after, balance_later) in [("clamp", 0, 50), ("allow", -80, -30)] {
        let m = worker().merchant(json!({ "negative_balance": policy }));
        let reward = m.reward(json!({ "name": "Lunch", "kind": "free_item", "cost_points": 80 }));
        let cookie = m.member_with(100);
        let scan = m.explain(&cookie)["entries"][0]["cause_id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(m.redeem_direct(&cookie, &reward).status, 201);
        let resp = m.api(
            "POST",
            &format!("/api/v1/scans/{scan}/reverse"),
            Some(&json!({ "reason": "card payment failed" })),
            Some(&key()),
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        assert_eq!(m.points(&cookie), balance_after, "{policy}");
        if policy == "clamp" {
            assert!(resp.json()["reversal"]["note"]
                .as_str()
                .unwrap()
                .contains("80 points already spent, written off"));
        }
        let more = m.token(Sign {
            kind: ScanKind::Points(50),
            ..Sign::default()
        });
        assert_eq!(
            worker().get(&format!("/s/{more}"), Some(&cookie)).status,
            200
        );
        assert_eq!(
            m.points(&cookie),
            balance_later,
            "{policy}: later earns repay the debt first"
        );
        m.assert_ledger_consistent();
    }
}

#[test]
fn bad_reward_and_redemption_input_is_refused_and_writes_nothing() {
    let m = worker().merchant(json!({}));
    let other = worker().merchant(json!({}));
    let theirs = other.reward(json!({ "name": "Theirs", "kind": "free_item", "cost_points": 1 }));
    let cookie = m.member_with(100);
    let before = m.audit();
    m.redeem_direct(&cookie, &theirs)
        .assert_problem(404, "reward_not_found");
    m.redeem_direct(&cookie, "not-a-reward")
        .assert_problem(404, "reward_not_found");
    m.redeem_direct(&cookie, "0123456789abcdef0123456789abcdef")
        .assert_problem(404, "reward_not_found");
    m.api(
        "POST",
        "/api/v1/members/0123456789abcdef0123456789abcdef/redemptions",
        Some(&json!({ "reward_id": theirs })),
        Some(&key()),
    )
    .assert_problem(404, "member_not_found");
    other
        .api(
            "GET",
            &format!("/api/v1/members/{}/ledger", Merchant::member_id(&cookie)),
            None,
            None,
        )
        .assert_problem(404, "member_not_found");
    for bad in [
        json!({ "name": "x", "kind": "free_item", "cost_points": -5 }),
        json!({ "name": "x", "kind": "free_item", "cost_points": 9_007_199_254_740_993i64 }),
        json!({ "name": "x", "kind": "free_item" }),
        json!({ "name": "x", "kind": "cashback", "value": 0, "cost_points": 5 }),
    ] {
        let resp = m.api("POST", "/api/v1/rewards", Some(&bad), None);
        assert!(matches!(resp.status, 400 | 422), "{bad}: {}", resp.body);
    }
    let raw = worker().send(
        "POST",
        "/api/v1/rewards",
        &[
            ("authorization", &format!("Bearer {}", m.key)),
            ("content-type", "application/json"),
        ],
        Some("{\"name\": "),
    );
    raw.assert_problem(400, "invalid_json");
    assert_eq!(
        m.api("GET", "/api/v1/rewards", None, None).json()["rewards"],
        json!([])
    );
    let after = m.audit();
    assert_eq!(before["ledger_entries"], after["ledger_entries"]);
    m.assert_ledger_consistent();
}

#[test]
fn redemptions_take_few_d1_round_trips() {
    let m = worker().merchant(json!({}));
    let reward = m.reward(json!({ "name": "Coffee", "kind": "free_item", "cost_points": 10 }));
    let cookie = m.member_with(100);
    let reserve = m.press_redeem(&cookie, &reward, &m.attempt(&cookie));
    assert_eq!(reserve.status, 303, "{}", reserve.body);
    assert_eq!(
        reserve.round_trips(),
        1,
        "the phone holds the points in one batch"
    );
    let page = worker().get(reserve.header("location").unwrap(), Some(&cookie));
    let start = page.body.find(r#"class="code""#).unwrap();
    let code: String = page.body[start..]
        .split('>')
        .nth(1)
        .unwrap()
        .chars()
        .take(6)
        .collect();
    let confirm = m.confirm(&code);
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    assert_eq!(confirm.round_trips(), 2, "the API key, then one batch");
    let direct = m.redeem_direct(&cookie, &reward);
    assert_eq!(direct.status, 201, "{}", direct.body);
    assert_eq!(
        direct.round_trips(),
        4,
        "the key, the idempotency claim, one batch, the stored response"
    );
    m.assert_ledger_consistent();
}

#[test]
fn a_key_guessing_codes_is_stopped_even_for_a_right_code_and_other_tills_are_not() {
    // Wrong codes are counted per key in 10-minute windows: start well inside one.
    let into_window = u64::from(crate::harness::now()) % 600;
    if into_window > 560 {
        std::thread::sleep(std::time::Duration::from_secs(602 - into_window));
    }
    let m = worker().merchant(json!({}));
    let reward = m.reward(json!({ "name": "Tea", "kind": "free_item", "cost_points": 10 }));
    let cookie = m.member_with(50);
    let (_, code) = m.phone_code(&cookie, &reward);
    let till = |name: &str| {
        let resp = m.api(
            "POST",
            "/api/v1/keys",
            Some(&json!({ "scope": "counter", "name": name, "location": 1 })),
            None,
        );
        assert_eq!(resp.status, 201, "{}", resp.body);
        resp.json()["api_key"].as_str().unwrap().to_owned()
    };
    let (guesser, honest) = (till("guesser"), till("honest"));
    let confirm = |k: &str, code: &str| {
        worker().send(
            "POST",
            "/api/v1/redemptions/confirm",
            &[
                ("authorization", &format!("Bearer {k}")),
                ("content-type", "application/json"),
            ],
            Some(&json!({ "code": code }).to_string()),
        )
    };
    let wrong = if code == "000001" { "000002" } else { "000001" };
    for _ in 1..20 {
        confirm(&guesser, wrong).assert_problem(404, "redemption_not_found");
    }
    let stopped = confirm(&guesser, wrong);
    stopped.assert_problem(429, "rate_limited");
    assert!(stopped.header("retry-after").is_some());
    confirm(&guesser, &code).assert_problem(429, "rate_limited");
    assert_eq!(m.points(&cookie), 40, "held, not redeemed");
    let ok = confirm(&honest, &code);
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.json()["redemption"]["status"], "confirmed");
    m.assert_ledger_consistent();
}
