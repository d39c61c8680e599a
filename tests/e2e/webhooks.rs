//! POS webhooks end to end: Standard Webhooks signatures, deduplication, purchases credited once
//! per order, proportional refunds that never repeat.

use loyalty_edge::domain::keys::WebhookSecret;
use loyalty_edge::domain::webhook::sign;
use serde_json::{json, Value};

use crate::harness::{concurrently, now, worker, Merchant, Resp};

pub fn fresh_id() -> String {
    let mut b = [0u8; 12];
    getrandom::getrandom(&mut b).unwrap();
    format!(
        "msg_{}",
        b.iter().map(|x| format!("{x:02x}")).collect::<String>()
    )
}

impl Merchant {
    fn webhook_secret(&self) -> WebhookSecret {
        worker().master.webhook_secret(self.id, 1)
    }

    /// Delivers `body` as webhook `id`, signed with `secret` at `ts` (Unix seconds).
    fn deliver(&self, id: &str, ts: i64, body: &str, signature: &str) -> Resp {
        worker().send(
            "POST",
            &format!("/webhooks/v1/{}", self.id),
            &[
                ("content-type", "application/json"),
                ("webhook-id", id),
                ("webhook-timestamp", &ts.to_string()),
                ("webhook-signature", signature),
            ],
            Some(body),
        )
    }

    /// Signs and delivers an event as a fresh (or the given) webhook id.
    pub fn event(&self, id: &str, kind: &str, data: Value) -> Resp {
        let body =
            json!({ "type": kind, "timestamp": "2026-11-23T10:00:00Z", "data": data }).to_string();
        let ts = i64::from(now());
        let sig = sign(id, ts, body.as_bytes(), &self.webhook_secret());
        self.deliver(id, ts, &body, &sig)
    }

    fn purchase(&self, id: &str, order: &str, cookie: &str, amount: i64) -> Resp {
        self.event(
            id,
            "purchase.completed",
            json!({ "order_id": order, "member": { "member_id": Merchant::member_id(cookie) }, "amount_minor": amount }),
        )
    }

    pub fn refund(&self, id: &str, order: &str, amount: i64) -> Resp {
        self.event(
            id,
            "purchase.refunded",
            json!({ "order_id": order, "amount_minor": amount }),
        )
    }

    fn balance(&self, cookie: &str) -> Value {
        let resp = self.api(
            "GET",
            &format!("/api/v1/members/{}/ledger", Merchant::member_id(cookie)),
            None,
            None,
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.json()["balance"].clone()
    }
}

fn status(r: &Resp) -> String {
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["status"].as_str().unwrap().to_owned()
}

#[test]
fn a_signed_purchase_credits_its_member_once_per_order() {
    let m = worker().merchant(json!({ "points_per_major_unit": 1 }));
    let cookie = m.member();
    let base = m.balance(&cookie)["points"].as_i64().unwrap();
    let id = fresh_id();
    assert_eq!(status(&m.purchase(&id, "A-1", &cookie, 4550)), "credited");
    assert_eq!(
        status(&m.purchase(&id, "A-1", &cookie, 4550)),
        "duplicate",
        "a retried delivery"
    );
    assert_eq!(
        status(&m.purchase(&fresh_id(), "A-1", &cookie, 4550)),
        "duplicate",
        "a re-signed order"
    );
    let results = concurrently(10, || m.purchase(&fresh_id(), "A-2", &cookie, 1000));
    assert_eq!(
        results.iter().filter(|r| status(r) == "credited").count(),
        1
    );
    assert_eq!(
        m.balance(&cookie)["points"].as_i64().unwrap(),
        base + 45 + 10
    );
    let unknown = m.event(
        &fresh_id(),
        "purchase.completed",
        json!({ "order_id": "A-3", "member": { "email": "nobody@example.com" }, "amount_minor": 999 }),
    );
    assert_eq!(status(&unknown), "unmatched");
    assert_eq!(unknown.json()["order"]["points"], 0);
    m.assert_ledger_consistent();
}

#[test]
fn badly_signed_or_stale_webhooks_are_refused_and_write_nothing() {
    let m = worker().merchant(json!({}));
    let cookie = m.member();
    let body = json!({ "type": "purchase.completed",
        "data": { "order_id": "B-1", "member": { "member_id": Merchant::member_id(&cookie) }, "amount_minor": 5000 } })
    .to_string();
    let ts = i64::from(now());
    let id = fresh_id();
    let good = sign(&id, ts, body.as_bytes(), &m.webhook_secret());
    let other = worker().merchant(json!({}));
    let wrong_secret = sign(&id, ts, body.as_bytes(), &other.webhook_secret());
    let before = m.audit();
    m.deliver(&id, ts, &body, &wrong_secret)
        .assert_problem(401, "webhook_signature_invalid");
    m.deliver(&id, ts, &body, "v1,")
        .assert_problem(401, "webhook_signature_invalid");
    m.deliver(&id, ts, &body, &good[..good.len() - 6])
        .assert_problem(401, "webhook_signature_invalid");
    // Exactly 301 s is checked natively; a few seconds of margin here keeps the test from racing
    // the clock between signing and delivery.
    let old = sign(&id, ts - 305, body.as_bytes(), &m.webhook_secret());
    m.deliver(&id, ts - 305, &body, &old)
        .assert_problem(401, "webhook_timestamp_out_of_range");
    let ahead_ts = i64::from(now()) + 305;
    let ahead = sign(&id, ahead_ts, body.as_bytes(), &m.webhook_secret());
    m.deliver(&id, ahead_ts, &body, &ahead)
        .assert_problem(401, "webhook_timestamp_out_of_range");
    let changed = body.replacen("5000", "5001", 1);
    m.deliver(&id, ts, &changed, &good)
        .assert_problem(401, "webhook_signature_invalid");
    let missing = worker().send(
        "POST",
        &format!("/webhooks/v1/{}", m.id),
        &[
            ("content-type", "application/json"),
            ("webhook-id", &id),
            ("webhook-timestamp", &ts.to_string()),
        ],
        Some(&body),
    );
    missing.assert_problem(400, "webhook_header_missing");
    worker()
        .send(
            "POST",
            "/webhooks/v1/0fffffff",
            &[("webhook-id", &id)],
            Some(&body),
        )
        .assert_problem(404, "merchant_not_found");
    let bad_event = json!({ "type": "purchase.completed", "data": { "order_id": "B-2", "member": {}, "amount_minor": 5 } }).to_string();
    let sig = sign(&id, ts, bad_event.as_bytes(), &m.webhook_secret());
    m.deliver(&id, ts, &bad_event, &sig)
        .assert_problem(422, "invalid_field");
    assert_eq!(m.audit(), before, "no refusal wrote anything");
    // The same delivery, correctly signed, then goes through once.
    assert_eq!(status(&m.deliver(&id, ts, &body, &good)), "credited");
    assert_eq!(status(&m.deliver(&id, ts, &body, &good)), "duplicate");
    m.assert_ledger_consistent();
}

#[test]
fn refunds_take_back_points_in_proportion_and_never_twice() {
    let m = worker().merchant(json!({ "points_per_major_unit": 1 }));
    let cookie = m.member();
    let base = m.balance(&cookie)["points"].as_i64().unwrap();
    assert_eq!(
        status(&m.purchase(&fresh_id(), "R-1", &cookie, 4550)),
        "credited"
    );
    let half = fresh_id();
    let resp = m.refund(&half, "R-1", 2275);
    assert_eq!(status(&resp), "refunded");
    assert_eq!(resp.json()["points_reversed"], 22);
    assert_eq!(status(&m.refund(&half, "R-1", 2275)), "duplicate");
    let results = concurrently(6, || m.refund(&fresh_id(), "R-1", 2275));
    let applied = results
        .iter()
        .filter(|r| r.status == 200 && r.json()["status"] == "refunded")
        .count();
    assert!(
        applied >= 1,
        "{:?}",
        results.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    for r in results.iter().filter(|r| r.status != 200) {
        r.assert_problem(409, "order_changed_retry");
    }
    assert_eq!(
        m.balance(&cookie)["points"].as_i64().unwrap(),
        base,
        "45 points back in all, never more"
    );
    m.refund(&fresh_id(), "NO-SUCH", 100)
        .assert_problem(404, "order_not_found");
    m.assert_ledger_consistent();
}

#[test]
fn a_refund_after_the_points_were_spent_follows_the_negative_balance_policy() {
    let m = worker().merchant(json!({ "points_per_major_unit": 1 }));
    let cookie = m.member_with(0);
    assert_eq!(
        status(&m.purchase(&fresh_id(), "S-1", &cookie, 10_000)),
        "credited"
    );
    let reward = m.api(
        "POST",
        "/api/v1/rewards",
        Some(&json!({ "name": "Lunch", "kind": "amount_off", "value": 2000, "cost_points": 80 })),
        None,
    );
    let reward = reward.json()["reward"]["id"].as_str().unwrap().to_owned();
    let resp = m.api(
        "POST",
        &format!(
            "/api/v1/members/{}/redemptions",
            Merchant::member_id(&cookie)
        ),
        Some(&json!({ "reward_id": reward })),
        Some(&fresh_id()),
    );
    assert_eq!(resp.status, 201, "{}", resp.body);
    let resp = m.refund(&fresh_id(), "S-1", 10_000);
    assert_eq!(status(&resp), "refunded");
    assert_eq!(m.balance(&cookie)["points"], 0, "clamped at zero");
    let ledger = m
        .api(
            "GET",
            &format!("/api/v1/members/{}/ledger", Merchant::member_id(&cookie)),
            None,
            None,
        )
        .json();
    assert!(
        ledger["entries"][0]["note"]
            .as_str()
            .unwrap()
            .contains("80 points already spent"),
        "{ledger}"
    );

    let pending = worker().merchant(json!({ "points_per_major_unit": 1, "pending_days": 14 }));
    let cookie = pending.member_with(0);
    assert_eq!(
        status(&pending.purchase(&fresh_id(), "P-1", &cookie, 3000)),
        "credited"
    );
    assert_eq!(pending.balance(&cookie)["pending_points"], 30);
    assert_eq!(
        status(&pending.refund(&fresh_id(), "P-1", 1000)),
        "refunded"
    );
    let b = pending.balance(&cookie);
    assert_eq!(
        (b["pending_points"].as_i64(), b["points"].as_i64()),
        (Some(20), Some(0))
    );
    m.assert_ledger_consistent();
    pending.assert_ledger_consistent();
}

#[test]
fn webhook_secrets_rotate_with_the_old_one_valid_until_the_next_rotation() {
    let m = worker().merchant(json!({}));
    let cookie = m.member();
    let listed = m.api("GET", "/api/v1/webhook-secrets", None, None).json();
    assert_eq!(listed["secrets"].as_array().unwrap().len(), 1);
    assert_eq!(
        listed["secrets"][0]["secret"],
        m.webhook_secret().to_whsec()
    );
    let rotated = m.api("POST", "/api/v1/webhook-secrets", None, None);
    assert_eq!(rotated.status, 201, "{}", rotated.body);
    assert_eq!(rotated.json()["secrets"].as_array().unwrap().len(), 2);
    let second = worker().master.webhook_secret(m.id, 2);
    let body = json!({ "type": "purchase.completed",
        "data": { "order_id": "K-1", "member": { "member_id": Merchant::member_id(&cookie) }, "amount_minor": 100 } })
    .to_string();
    let ts = i64::from(now());
    let id = fresh_id();
    assert_eq!(
        status(&m.deliver(&id, ts, &body, &sign(&id, ts, body.as_bytes(), &second))),
        "credited"
    );
    let id = fresh_id();
    assert_eq!(
        status(&m.deliver(
            &id,
            ts,
            &body,
            &sign(&id, ts, body.as_bytes(), &m.webhook_secret())
        )),
        "duplicate"
    );
    assert_eq!(
        m.api("POST", "/api/v1/webhook-secrets", None, None).status,
        201
    );
    let id = fresh_id();
    m.deliver(
        &id,
        ts,
        &body,
        &sign(&id, ts, body.as_bytes(), &m.webhook_secret()),
    )
    .assert_problem(401, "webhook_signature_invalid");
}

#[test]
fn a_full_refund_of_an_order_paid_partly_with_points_gives_those_points_back_once() {
    let m = worker().merchant(json!({ "points_per_major_unit": 1 }));
    let cookie = m.member_with(100);
    let other = m.member_with(100);
    let member = Merchant::member_id(&cookie);
    let reward = m.api(
        "POST",
        "/api/v1/rewards",
        Some(
            &json!({ "name": "20 zł off", "kind": "amount_off", "value": 2000, "cost_points": 80 }),
        ),
        None,
    );
    let reward = reward.json()["reward"]["id"].as_str().unwrap().to_owned();
    let redeem = |who: &str| {
        let resp = m.api(
            "POST",
            &format!("/api/v1/members/{who}/redemptions"),
            Some(&json!({ "reward_id": reward })),
            Some(&fresh_id()),
        );
        assert_eq!(resp.status, 201, "{}", resp.body);
        resp.json()["redemption"]["id"].as_str().unwrap().to_owned()
    };
    let paid_with = redeem(&member);
    let someone_elses = redeem(&Merchant::member_id(&other));
    assert_eq!(m.balance(&cookie)["points"], 20);

    // 50 zł order: 20 zł off with points, 30 zł paid in cash (the amount that earns).
    let resp = m.event(
        &fresh_id(),
        "purchase.completed",
        json!({ "order_id": "PP-1", "member": { "member_id": member }, "amount_minor": 3000,
                "redemption_ids": [paid_with, someone_elses] }),
    );
    assert_eq!(status(&resp), "credited");
    assert_eq!(
        resp.json()["redemptions"],
        json!([{ "id": paid_with, "status": "confirmed" }]),
        "another member's redemption is not linked"
    );
    assert_eq!(m.balance(&cookie)["points"], 50);

    // A partial refund takes back its share of the earned points; the reward stays used.
    let resp = m.refund(&fresh_id(), "PP-1", 1000);
    assert_eq!(resp.json()["points_reversed"], 10);
    assert_eq!(resp.json()["redemptions"][0]["status"], "confirmed");
    assert_eq!(m.balance(&cookie)["points"], 40);

    // Refunding the rest completes it: the earned points go, the 80 points paid come back.
    let last = fresh_id();
    let resp = m.refund(&last, "PP-1", 2000);
    assert_eq!(status(&resp), "refunded");
    assert_eq!(resp.json()["points_reversed"], 20);
    assert_eq!(resp.json()["redemptions"][0]["status"], "cancelled");
    assert_eq!(m.balance(&cookie)["points"], 100);
    assert_eq!(status(&m.refund(&last, "PP-1", 2000)), "duplicate");
    let again = m.refund(&fresh_id(), "PP-1", 500);
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.json()["points_reversed"], 0);
    assert_eq!(m.balance(&cookie)["points"], 100, "given back once");
    assert_eq!(
        m.balance(&other)["points"],
        20,
        "the other member is untouched"
    );
    m.assert_ledger_consistent();
}
