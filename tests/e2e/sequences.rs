//! Triggered sequences end to end: a first purchase, every nth visit, a milestone and a lapse
//! set off a gift and/or a message once each; a delay waits and the condition is judged when
//! it is over; replays and concurrent sales or runs give nothing twice; bad definitions are
//! refused with the field named and write nothing.

use loyalty_edge::domain::token::ScanKind;
use serde_json::{json, Value};

use crate::harness::{concurrently, worker, Merchant, Sign};
use crate::messages::{
    assert_signed, deliver_at, join_with_email, messaging, now_ms, Answer, Receiver,
};
use crate::webhooks::fresh_id;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn scan(m: &Merchant, cookie: &str, kind: ScanKind) -> crate::harness::Resp {
    let resp = worker().get(
        &format!(
            "/s/{}",
            m.token(Sign {
                kind,
                ..Sign::default()
            })
        ),
        Some(cookie),
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp
}

fn purchase(m: &Merchant, cookie: &str) -> crate::harness::Resp {
    scan(m, cookie, ScanKind::Purchase { amount_minor: 1000 })
}

/// The member's ledger entries given by sequences (reason `bonus`), oldest first.
fn bonuses(m: &Merchant, cookie: &str) -> Vec<Value> {
    let mut b: Vec<Value> = m.explain(cookie)["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["reason"] == "bonus")
        .cloned()
        .collect();
    b.reverse();
    b
}

fn balance(m: &Merchant, cookie: &str) -> Value {
    m.explain(cookie)["balance"].clone()
}

/// The runs of sequence `id` as `GET /api/v1/sequences` reports them.
fn runs(m: &Merchant, id: &str) -> Value {
    let resp = m.api("GET", "/api/v1/sequences", None, None);
    assert_eq!(resp.status, 200, "{}", resp.body);
    let body = resp.json();
    body["sequences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["sequence"]["id"] == id)
        .unwrap_or_else(|| panic!("no sequence {id} in {body}"))["runs"]
        .clone()
}

#[test]
fn a_first_purchase_gives_the_welcome_gift_once_in_the_same_round_trip() {
    let m = worker().merchant(json!({
        "sequences": [{ "id": "welcome_reward", "event": "first_purchase",
                        "gift": { "points": 20, "stamps": 1 }, "message": false }]
    }));
    // A poster visit is not a purchase: nothing yet.
    let joined = m.join(&m.poster(), "Ola");
    assert_eq!(joined.status, 200, "{}", joined.body);
    let cookie = joined.cookie().unwrap();
    assert!(bonuses(&m, &cookie).is_empty());

    // The first purchase: its own stamp and points, plus the gift, in one round trip.
    let first = purchase(&m, &cookie);
    assert_eq!(first.round_trips(), 1, "the gift rides in the scan's batch");
    assert!(
        first
            .body
            .contains("And a gift from Test Café: +20 points +1 stamp"),
        "the result page says so: {}",
        first.body
    );
    let given = bonuses(&m, &cookie);
    assert_eq!(given.len(), 1, "{given:?}");
    assert_eq!(given[0]["points"], 20);
    assert_eq!(given[0]["stamps"], 1);
    assert_eq!(given[0]["note"], "welcome reward");
    let b = balance(&m, &cookie);
    // visit stamp + purchase stamp + gift stamp; 10.00 PLN at 1 point per unit + 20.
    assert_eq!(b["stamps"], 3, "{b}");
    assert_eq!(b["points"], 30, "{b}");

    // Later purchases, and a replay of a used token, give no second welcome.
    purchase(&m, &cookie);
    let token = m.token(Sign::default());
    worker().get(&format!("/s/{token}"), Some(&cookie));
    worker().get(&format!("/s/{token}"), Some(&cookie));
    assert_eq!(bonuses(&m, &cookie).len(), 1);
    let r = runs(&m, "welcome_reward");
    assert_eq!(r["given"], 1, "{r}");
    assert_eq!(r["points_given"], 20, "{r}");

    // A member whose first sale is a POS order gets it too, from the webhook's batch.
    let other = m.join(&m.poster(), "Ala").cookie().unwrap();
    let order = m.event(
        &fresh_id(),
        "purchase.completed",
        json!({ "order_id": "A-1", "member": { "member_id": Merchant::member_id(&other) },
                "amount_minor": 500 }),
    );
    assert_eq!(order.status, 200, "{}", order.body);
    assert_eq!(bonuses(&m, &other).len(), 1);
    assert_eq!(runs(&m, "welcome_reward")["given"], 2);
    m.assert_ledger_consistent();
}

#[test]
fn every_nth_visit_and_a_milestone_count_scans_and_orders() {
    let m = worker().merchant(json!({
        "visit_cooldown_secs": 0, "visit_daily_cap": 0,
        "sequences": [
            { "id": "every_third", "event": "visit", "every": 3, "gift": { "points": 50 },
              "message": false },
            { "id": "fourth", "event": "milestone", "visits": 4, "gift": { "stamps": 2 },
              "message": false }
        ]
    }));
    let cookie = m.member(); // visit 1 (a purchase scan)
    purchase(&m, &cookie); // 2
                           // Visit 3 is a POS order.
    let order = m.event(
        &fresh_id(),
        "purchase.completed",
        json!({ "order_id": "B-3", "member": { "member_id": Merchant::member_id(&cookie) },
                "amount_minor": 100 }),
    );
    assert_eq!(order.status, 200, "{}", order.body);
    purchase(&m, &cookie); // 4
    purchase(&m, &cookie); // 5
    scan(&m, &cookie, ScanKind::Visit); // 6
    purchase(&m, &cookie); // 7
    let notes: Vec<String> = bonuses(&m, &cookie)
        .iter()
        .map(|e| {
            let note = e["note"].as_str().unwrap();
            format!("{note} {}/{}", e["points"], e["stamps"])
        })
        .collect();
    assert_eq!(
        notes,
        ["every third 50/0", "fourth 0/2", "every third 50/0"]
    );
    assert_eq!(runs(&m, "every_third")["given"], 2);
    assert_eq!(runs(&m, "fourth")["given"], 1);
    m.assert_ledger_consistent();
}

#[test]
fn concurrent_sales_reach_a_milestone_once() {
    let m = worker().merchant(json!({
        "sequences": [{ "id": "second", "event": "milestone", "visits": 2,
                        "gift": { "points": 40 }, "message": false }]
    }));
    let cookie = m.member();
    m.purchases_at_once(&cookie, 8);
    let given = bonuses(&m, &cookie);
    assert_eq!(given.len(), 1, "{given:?}");
    assert_eq!(given[0]["points"], 40);
    m.assert_ledger_consistent();
}

#[test]
fn a_delayed_sequence_waits_and_judges_its_condition_when_due() {
    let m = worker().merchant(json!({
        "sequences": [{ "id": "come_back", "event": "first_purchase", "delay_hours": 48,
                        "condition": { "not_returned": true }, "gift": { "points": 30 } }]
    }));
    m.messaging_to_nowhere();
    let stayed_away = m.member();
    let came_back = m.member();
    let t0 = now_ms();
    purchase(&m, &came_back);
    assert_eq!(runs(&m, "come_back")["waiting"], 2);

    // Not due yet: nothing fires.
    assert_eq!(deliver_at(&m, t0 + 47 * HOUR)["sequences_fired"], 0);
    assert!(bonuses(&m, &stayed_away).is_empty());

    // Due: concurrent runs take each occasion once.
    let fired: Vec<i64> = concurrently(4, || {
        deliver_at(&m, t0 + 49 * HOUR)["sequences_fired"]
            .as_i64()
            .unwrap()
    });
    assert_eq!(fired.iter().sum::<i64>(), 2, "{fired:?}");
    assert_eq!(bonuses(&m, &stayed_away).len(), 1);
    assert!(bonuses(&m, &came_back).is_empty(), "they came back");
    let r = runs(&m, "come_back");
    assert_eq!(r["given"], 1, "{r}");
    assert_eq!(r["skipped"], 1, "{r}");
    assert_eq!(r["waiting"], 0, "{r}");
    assert_eq!(deliver_at(&m, t0 + 50 * HOUR)["sequences_fired"], 0);

    // The gift's message is queued for the member who got it, and only for them.
    let listed = m.api("GET", "/api/v1/messages?limit=50", None, None).json();
    let of_kind: Vec<&Value> = listed["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["kind"] == "sequence")
        .collect();
    assert_eq!(of_kind.len(), 1, "{listed}");
    let id = Merchant::member_id(&stayed_away);
    assert_eq!(
        of_kind[0]["id"],
        format!("seq:come_back:{id}:first"),
        "{listed}"
    );
    m.assert_ledger_consistent();
}

#[test]
fn a_sequence_message_goes_out_signed_in_the_sequences_own_words() {
    let rx = Receiver::start(&[Answer::Status(200)]);
    let m = worker().merchant(json!({
        "sequences": [{ "id": "welcome_reward", "event": "first_purchase",
                        "gift": { "points": 15 },
                        "words": { "subject": "Hello {{name}}",
                                   "text": "{{name}}, here is {{amount}} from {{merchant}}." } }]
    }));
    let whsec = messaging(&m, &rx, json!({ "muted": ["welcome"] }));
    join_with_email(&m, "Ewa", "ewa@example.com");
    let got = rx.wait_for("sequence", 1);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_signed(&got[0], &whsec);
    let data = &got[0].json()["data"];
    assert_eq!(data["subject"], "Hello Ewa", "{data}");
    assert_eq!(
        data["text"], "Ewa, here is 15 points from Test Café.",
        "{data}"
    );
    assert_eq!(data["class"], "transactional");
    assert_eq!(data["event"]["sequence"], "welcome_reward");
    m.assert_ledger_consistent();
}

#[test]
fn a_lapse_sets_off_the_return_offer_once_and_only_with_consent() {
    let m = worker().merchant(json!({
        "sequences": [{ "id": "return_offer", "event": "inactive", "days": 30,
                        "condition": { "marketing_consent": true }, "gift": { "points": 25 } }]
    }));
    m.messaging_to_nowhere();
    let agreed = m.member();
    let refused = {
        let token = m.token(Sign::default());
        let form = worker().get(&format!("/s/{token}"), None);
        let ticket = crate::harness::ticket_of(&form.body);
        let resp = worker().post_form(
            &format!("/s/{token}"),
            &[("ticket", &ticket), ("name", "Jan")],
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.cookie().unwrap()
    };

    // 29 days later nobody has lapsed; after 31 both have, and only one agreed to marketing.
    let roll = |at: i64| {
        let resp = worker().admin(
            "POST",
            &format!("/admin/v1/merchants/{}/rollups", m.id),
            Some(&json!({ "now": at })),
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.json()
    };
    // A few minutes ahead of now: a local day counts as over only GRACE_MS after its midnight,
    // so a test run just after midnight would otherwise see one day fewer rolled.
    let t0 = now_ms() + loyalty_edge::domain::metrics::GRACE_MS + 60_000;
    assert_eq!(roll(t0 + 29 * DAY)["sequence_lapses_queued"], 0);
    assert_eq!(roll(t0 + 31 * DAY)["sequence_lapses_queued"], 2);
    assert_eq!(roll(t0 + 31 * DAY + HOUR)["sequence_lapses_queued"], 0);
    assert_eq!(deliver_at(&m, t0 + 31 * DAY + HOUR)["sequences_fired"], 2);
    assert_eq!(bonuses(&m, &agreed).len(), 1);
    assert!(bonuses(&m, &refused).is_empty());
    // A later night still sees the same lapse: no second offer.
    assert_eq!(roll(t0 + 33 * DAY)["sequence_lapses_queued"], 0);
    let r = runs(&m, "return_offer");
    assert_eq!(r["given"], 1, "{r}");
    assert_eq!(r["skipped"], 1, "{r}");
    m.assert_ledger_consistent();
}

#[test]
fn bad_sequences_are_refused_naming_the_field_and_change_nothing() {
    let m = worker().merchant(json!({}));
    let before = m.api("GET", "/api/v1/program", None, None).json();
    assert_eq!(before["defaults"]["sequences"][0]["id"], "welcome_reward");
    let put = |program: Value| m.api("PUT", "/api/v1/program", Some(&program), None);
    let cases = [
        (
            json!({ "sequences": [{ "id": "x", "event": "visit", "every": 1 }] }),
            "program.sequences[0].every",
        ),
        (
            json!({ "sequences": [{ "id": "x", "event": "inactive" }] }),
            "program.sequences[0].days",
        ),
        (
            json!({ "sequences": [{ "id": "x", "event": "first_purchase",
                                    "gift": { "reward_id": "0123456789abcdef0123456789abcdef" } }] }),
            "program.sequences[0].gift.reward_id",
        ),
    ];
    for (body, field) in cases {
        let resp = put(body.clone());
        resp.assert_problem(422, "invalid_field");
        assert!(resp.body.contains(field), "{body}: {}", resp.body);
    }
    put(json!({ "sequences": [{ "id": "x", "event": "sunset" }] }))
        .assert_problem(400, "invalid_json");
    let after = m.api("GET", "/api/v1/program", None, None).json();
    assert_eq!(after["version"], before["version"]);

    // The defaults are a program a merchant can store as they are.
    let stored = put(json!({ "sequences": before["defaults"]["sequences"] }));
    assert_eq!(stored.status, 200, "{}", stored.body);
    let listed = m.api("GET", "/api/v1/sequences", None, None).json();
    assert_eq!(listed["sequences"].as_array().unwrap().len(), 4, "{listed}");
}

pub mod later {
    use super::*;
    use crate::jobs::{at_or_after, trigger};

    #[test]
    fn a_reward_given_by_a_sequence_waits_on_the_card_and_is_recalled_before_it_lapses() {
        let m = worker().merchant(json!({}));
        let cake = m.reward(json!({ "name": "Cake", "kind": "free_item", "cost_points": 500 }));
        let put = m.api(
            "PUT",
            "/api/v1/program",
            Some(
                &json!({ "sequences": [{ "id": "thank_you", "event": "first_purchase",
                                          "delay_hours": 1, "gift": { "reward_id": cake },
                                          "gift_days": 7 }] }),
            ),
            None,
        );
        assert_eq!(put.status, 200, "{}", put.body);
        m.messaging_to_nowhere();
        let cookie = m.member();
        let kinds = |m: &Merchant| -> Vec<String> {
            let listed = m.api("GET", "/api/v1/messages?limit=50", None, None).json();
            listed["messages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["kind"].as_str().unwrap().to_owned())
                .collect()
        };
        // Hourly runs happen at slots later than any before (jobs::at_or_after), so the gift is
        // given on the moved clock three days before the first of them.
        let first_run = at_or_after(now_ms() + 8 * DAY);
        assert_eq!(deliver_at(&m, first_run - 3 * DAY)["sequences_fired"], 1);
        let ledger = m.explain(&cookie);
        let codes = ledger["live_codes"].as_array().unwrap();
        assert_eq!(codes.len(), 1, "{ledger}");
        assert_eq!(codes[0]["reward_name"], "Cake");
        assert_eq!(ledger["balance"]["points"], 12, "a gift takes no points");
        assert_eq!(kinds(&m), ["sequence"]);

        // Four days before it lapses, nothing to recall; under two days before, once, however
        // often the job runs.
        trigger("5 * * * *", first_run);
        assert_eq!(kinds(&m), ["sequence"]);
        let later = at_or_after(first_run + 2 * DAY + HOUR);
        trigger("5 * * * *", later);
        trigger("5 * * * *", at_or_after(later));
        assert_eq!(kinds(&m), ["reward_expiring", "sequence"]);
        m.assert_ledger_consistent();
    }
}
