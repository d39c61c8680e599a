//! Referrals end to end: invitation links on the card, joins through them (directly or later
//! through a scan in the same browser), each fraud rule with its recorded reason, bonuses paid
//! exactly once under concurrency and retries, holds and the merchant's review.

use std::cell::RefCell;

use loyalty_edge::domain::token::ScanKind;
use serde_json::{json, Value};

use crate::harness::{concurrently, ticket_of, worker, Merchant, Resp, Sign};
use crate::webhooks::fresh_id;

/// A phone's browser: keeps the cookies the Worker sets, and may report an address.
pub struct Phone {
    jar: RefCell<Vec<(String, String)>>,
    ip: Option<String>,
}

impl Phone {
    pub fn new() -> Phone {
        Phone {
            jar: RefCell::new(Vec::new()),
            ip: None,
        }
    }

    pub fn at(ip: &str) -> Phone {
        Phone {
            ip: Some(ip.to_owned()),
            ..Phone::new()
        }
    }

    /// A second browser profile on this phone: only the device cookie carries over.
    pub fn same_device(&self) -> Phone {
        let jar = self
            .jar
            .borrow()
            .iter()
            .filter(|(k, _)| k == "le_device")
            .cloned()
            .collect();
        Phone {
            jar: RefCell::new(jar),
            ip: self.ip.clone(),
        }
    }

    fn cookie_header(&self) -> String {
        self.jar
            .borrow()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&self, resp: &Resp) {
        for (k, v) in &resp.headers {
            if !k.eq_ignore_ascii_case("set-cookie") {
                continue;
            }
            let pair = v.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                let mut jar = self.jar.borrow_mut();
                jar.retain(|(n, _)| n != name);
                jar.push((name.to_owned(), value.to_owned()));
            }
        }
    }

    fn headers(&self) -> Vec<(&'static str, String)> {
        let mut h = vec![("cookie", self.cookie_header())];
        if let Some(ip) = &self.ip {
            h.push(("cf-connecting-ip", ip.clone()));
        }
        h
    }

    pub fn get(&self, path: &str) -> Resp {
        let h = self.headers();
        let h: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let resp = worker().send("GET", path, &h, None);
        self.keep(&resp);
        resp
    }

    pub fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Resp {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let mut h = self.headers();
        h.push((
            "content-type",
            "application/x-www-form-urlencoded".to_owned(),
        ));
        let h: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let resp = worker().send("POST", path, &h, Some(&body));
        self.keep(&resp);
        resp
    }

    /// The member cookie this phone holds at `m`, as `name=value`.
    pub fn member_cookie(&self, m: &Merchant) -> Option<String> {
        let name = format!("le_{}", m.id);
        self.jar
            .borrow()
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(k, v)| format!("{k}={v}"))
    }

    /// The member id this phone holds at `m`.
    pub fn member_id(&self, m: &Merchant) -> String {
        Merchant::member_id(&self.member_cookie(m).expect("a member cookie"))
    }

    /// Joins `m` through a first poster scan, with these contact details.
    pub fn join_by_scan(&self, m: &Merchant, email: &str, phone: &str) {
        let token = m.poster();
        let form = self.get(&format!("/s/{token}"));
        assert_eq!(form.status, 200, "{}", form.body);
        let resp = self.post_form(
            &format!("/s/{token}"),
            &[
                ("ticket", &ticket_of(&form.body)),
                ("name", "Anna Nowak"),
                ("email", email),
                ("phone", phone),
            ],
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
    }

    /// The invitation code shown on this phone's card at `m`.
    pub fn invitation(&self, m: &Merchant) -> String {
        let card = self.get(&format!("/c/{}", m.id));
        assert_eq!(card.status, 200, "{}", card.body);
        let at = card
            .body
            .find("/r/")
            .expect("an invitation link on the card")
            + 3;
        card.body[at..at + 8].to_owned()
    }

    /// Opens invitation `code` and joins through its form; returns the join response.
    pub fn join_by_invitation(&self, code: &str, name: &str, email: &str, phone: &str) -> Resp {
        let form = self.get(&format!("/r/{code}"));
        assert_eq!(form.status, 200, "{}", form.body);
        self.post_form(
            &format!("/r/{code}"),
            &[
                ("ticket", &ticket_of(&form.body)),
                ("name", name),
                ("email", email),
                ("phone", phone),
            ],
        )
    }
}

/// A merchant running referrals with `terms` over the defaults of these tests.
pub fn referring(terms: Value, program: Value) -> Merchant {
    let mut referral = json!({
        "enabled": true,
        "referrer": { "points": 100 },
        "referee": { "points": 50 },
        "min_purchase_minor": 2000,
        "monthly_cap": 0,
        "velocity": { "per_device": 0, "per_network": 0 },
    });
    for (k, v) in terms.as_object().unwrap() {
        referral[k] = v.clone();
    }
    let mut p = json!({ "points_per_major_unit": 1, "referral": referral });
    for (k, v) in program.as_object().unwrap() {
        p[k] = v.clone();
    }
    worker().merchant(p)
}

impl Merchant {
    /// A member who joined on their own phone; returns the phone and their invitation code.
    pub fn referrer(&self) -> (Phone, String) {
        let phone = Phone::new();
        phone.join_by_scan(self, "anna.nowak@gmail.com", "+48 600 100 200");
        let code = phone.invitation(self);
        (phone, code)
    }

    /// A purchase of `amount_minor` by `member` through the POS, as webhook `id`.
    pub fn sale(&self, id: &str, order: &str, member: &str, amount_minor: i64) -> Resp {
        self.event(
            id,
            "purchase.completed",
            json!({ "order_id": order, "member": { "member_id": member }, "amount_minor": amount_minor }),
        )
    }

    /// The referral of a friend who joined (its id is their member id).
    pub fn referral(&self, id: &str) -> Value {
        let list = self.api("GET", "/api/v1/referrals?limit=100", None, None);
        assert_eq!(list.status, 200, "{}", list.body);
        list.json()["referrals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no referral {id}: {}", list.body))
    }

    /// The referral bonus entries of a member: (points, stamps) of each.
    pub fn bonuses(&self, member: &str) -> Vec<(i64, i64)> {
        self.entries_of(member, "referral")
    }

    /// A member's ledger entries with `reason`: (points, stamps) of each.
    pub fn entries_of(&self, member: &str, reason: &str) -> Vec<(i64, i64)> {
        let resp = self.api(
            "GET",
            &format!("/api/v1/members/{member}/ledger"),
            None,
            None,
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.json()["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["reason"] == reason)
            .map(|e| (e["points"].as_i64().unwrap(), e["stamps"].as_i64().unwrap()))
            .collect()
    }

    pub fn spendable(&self, member: &str) -> i64 {
        let resp = self.api(
            "GET",
            &format!("/api/v1/members/{member}/ledger"),
            None,
            None,
        );
        resp.json()["balance"]["points"].as_i64().unwrap()
    }
}

fn joined(resp: &Resp) {
    assert_eq!(resp.status, 303, "{}", resp.body);
}

#[test]
fn a_friend_invited_joins_buys_and_both_get_their_bonus_once() {
    let m = referring(json!({}), json!({}));
    let (anna, code) = m.referrer();
    let anna_id = anna.member_id(&m);
    // The card offers the link, its QR code and the share sheet (a script allowed by its hash).
    let card = anna.get(&format!("/c/{}", m.id));
    assert_eq!(card.round_trips(), 1);
    assert!(card.body.contains("Invite a friend"), "{}", card.body);
    assert!(card.body.contains("data-share="), "{}", card.body);
    assert!(card.body.contains("<svg"), "{}", card.body);
    assert!(card
        .header("content-security-policy")
        .unwrap()
        .contains("script-src 'sha256-"));
    assert_eq!(code, anna.invitation(&m), "the code stays the member's");

    let bartek = Phone::new();
    let offer = bartek.get(&format!("/r/{code}"));
    assert_eq!(offer.status, 200, "{}", offer.body);
    assert!(offer.body.contains("Anna invited you"), "{}", offer.body);
    assert!(offer.body.contains("50 points"), "{}", offer.body);
    assert!(
        offer.body.contains("20.00"),
        "the minimum purchase: {}",
        offer.body
    );
    bartek.get(&format!("/r/{code}")); // a second look from the same browser counts once
    joined(&bartek.join_by_invitation(&code, "Bartek", "bartek@example.com", ""));
    let bartek_id = bartek.member_id(&m);
    let card = bartek.get(&format!("/c/{}", m.id));
    assert!(
        card.body
            .contains("You joined through Anna&#39;s invitation")
            || card.body.contains("You joined through Anna's invitation"),
        "{}",
        card.body
    );
    assert!(
        card.body.contains("welcome bonus of 50 points"),
        "{}",
        card.body
    );
    let r = m.referral(&bartek_id);
    assert_eq!(
        (r["decision"].as_str(), r["progress"].as_str()),
        (Some("ok"), Some("joined"))
    );
    assert_eq!(r["referrer_id"], anna_id.as_str());

    // The first purchase reaches the minimum (20.00): both sides are paid at once (no return
    // window here).
    let sale = m.sale(&fresh_id(), "o-1", &bartek_id, 2500);
    assert_eq!(sale.status, 200, "{}", sale.body);
    assert_eq!(m.bonuses(&anna_id), [(100, 0)]);
    assert_eq!(m.bonuses(&bartek_id), [(50, 0)]);
    assert_eq!(m.spendable(&bartek_id), 25 + 50);
    let r = m.referral(&bartek_id);
    assert_eq!(r["progress"], "rewarded", "{r}");
    assert_eq!(r["cause_id"], "o-1");
    let card = bartek.get(&format!("/c/{}", m.id));
    assert!(!card.body.contains("welcome bonus"), "paid: the line goes");
    // Another purchase pays nothing more.
    m.sale(&fresh_id(), "o-2", &bartek_id, 9000);
    assert_eq!(m.bonuses(&anna_id), [(100, 0)]);

    // Only the first purchase counts (the default): a first purchase below the minimum lapses
    // the referral, and a bigger one later pays nothing.
    let cezary = Phone::new();
    joined(&cezary.join_by_invitation(&code, "Cezary", "", ""));
    let cezary_id = cezary.member_id(&m);
    m.sale(&fresh_id(), "o-3", &cezary_id, 1000);
    assert_eq!(m.referral(&cezary_id)["progress"], "lapsed");
    m.sale(&fresh_id(), "o-4", &cezary_id, 5000);
    assert_eq!(m.bonuses(&cezary_id), []);
    assert_eq!(m.bonuses(&anna_id), [(100, 0)]);

    let stats = m.api("GET", "/api/v1/referrals/stats", None, None).json();
    assert_eq!(
        stats["referrals"],
        json!({ "opened": 2, "joined": 2, "converted": 1, "rewarded": 1, "blocked": 0,
                "held": 0, "cancelled": 0 })
    );
    let mine = m.explain(&anna.member_cookie(&m).unwrap())["referrals"].clone();
    assert_eq!(
        (mine["code"].as_str(), mine["joined"].as_i64()),
        (Some(code.as_str()), Some(2))
    );
    assert!(anna
        .get(&format!("/c/{}", m.id))
        .body
        .contains("2 friends joined"));
    m.assert_ledger_consistent();
}

#[test]
fn a_friend_who_opened_an_invitation_and_joins_later_through_a_scan_is_counted_as_invited() {
    let m = referring(json!({ "referee": { "stamps": 2 } }), json!({}));
    let (anna, code) = m.referrer();
    let friend = Phone::new();
    assert_eq!(friend.get(&format!("/r/{code}")).status, 200);
    // A purchase QR at the counter, days later in the same browser: join and collect.
    let token = m.token(Sign {
        kind: ScanKind::Purchase { amount_minor: 3000 },
        ..Sign::default()
    });
    let form = friend.get(&format!("/s/{token}"));
    let resp = friend.post_form(
        &format!("/s/{token}"),
        &[("ticket", &ticket_of(&form.body)), ("name", "Dorota")],
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_eq!(
        resp.round_trips(),
        1,
        "join, referral, scan and both bonuses in one batch"
    );
    let id = friend.member_id(&m);
    let r = m.referral(&id);
    assert_eq!(
        r["progress"], "rewarded",
        "the joining scan qualified it: {r}"
    );
    assert_eq!(m.bonuses(&id), [(0, 2)]);
    assert_eq!(m.bonuses(&anna.member_id(&m)), [(100, 0)]);
    let export = m
        .api("GET", &format!("/api/v1/members/{id}/export"), None, None)
        .json();
    assert_eq!(export["member"]["channel"], "referral", "{export}");
    m.assert_ledger_consistent();
}

/// Every fraud rule: the join is recorded with its reason and no bonus is paid for any purchase.
#[test]
fn each_fraud_rule_blocks_with_its_reason_and_pays_nothing() {
    let m = referring(json!({}), json!({}));
    let (anna, code) = m.referrer();
    let anna_id = anna.member_id(&m);

    // The member opens their own link: told it is theirs; nothing to join, nothing recorded.
    let own = anna.get(&format!("/r/{code}"));
    assert_eq!(own.status, 200);
    assert!(own.body.contains("This is your invitation"), "{}", own.body);

    let cases: Vec<(&str, Phone, &str, &str)> = vec![
        (
            "self_referral_device",
            anna.same_device(),
            "other@example.com",
            "",
        ),
        (
            "self_referral_email",
            Phone::new(),
            "Anna.Nowak+promo@gmail.com",
            "",
        ),
        (
            "self_referral_email",
            Phone::new(),
            "annanowak@googlemail.com",
            "",
        ),
        ("self_referral_phone", Phone::new(), "", "0048 600-100-200"),
    ];
    let mut blocked = Vec::new();
    for (reason, phone, email, tel) in cases {
        joined(&phone.join_by_invitation(&code, "Someone", email, tel));
        let id = phone.member_id(&m);
        let r = m.referral(&id);
        assert_eq!(
            (r["decision"].as_str(), r["reason"].as_str()),
            (Some("blocked"), Some(reason)),
            "{r}"
        );
        assert!(r["reason_text"].as_str().is_some());
        blocked.push(id);
    }
    // Not new: an existing member opens a friend's invitation (recorded, blocked) ...
    let zofia = Phone::new();
    zofia.join_by_scan(&m, "zofia@example.com", "");
    let z = zofia.get(&format!("/r/{code}"));
    assert!(z.body.contains("already have a card"), "{}", z.body);
    let zofia_id = zofia.member_id(&m);
    let r = m.referral(&format!("{zofia_id}:{anna_id}"));
    assert_eq!(
        (r["decision"].as_str(), r["reason"].as_str()),
        (Some("blocked"), Some("not_new"))
    );
    // ... or joins again on a new phone with the same email.
    let again = Phone::new();
    joined(&again.join_by_invitation(&code, "Zofia", "zofia+x@example.com", ""));
    let r = m.referral(&again.member_id(&m));
    assert_eq!(r["reason"], "not_new", "{r}");
    blocked.push(again.member_id(&m));

    for (i, id) in blocked.iter().enumerate() {
        let sale = m.sale(&fresh_id(), &format!("b-{i}"), id, 5000);
        assert_eq!(sale.status, 200, "{}", sale.body);
        assert_eq!(m.bonuses(id), []);
        assert_eq!(
            m.referral(id)["progress"],
            "joined",
            "a blocked referral never qualifies"
        );
    }
    assert_eq!(m.bonuses(&anna_id), []);
    let stats = m.api("GET", "/api/v1/referrals/stats", None, None).json();
    assert_eq!(stats["referrals"]["blocked"], 6, "{stats}");
    assert_eq!(stats["referrals"]["rewarded"], 0, "{stats}");
    m.assert_ledger_consistent();
}

#[test]
fn many_joins_from_one_phone_or_one_network_are_held_for_review() {
    let m = referring(
        json!({ "velocity": { "window_hours": 24, "per_device": 1, "per_network": 2 } }),
        json!({}),
    );
    let (_, code) = m.referrer();
    // One phone, two new people: the second is held.
    let first = Phone::new();
    joined(&first.join_by_invitation(&code, "Ewa", "ewa@example.com", ""));
    let second = first.same_device();
    joined(&second.join_by_invitation(&code, "Filip", "filip@example.com", ""));
    assert_eq!(m.referral(&first.member_id(&m))["decision"], "ok");
    let r = m.referral(&second.member_id(&m));
    assert_eq!(
        (r["decision"].as_str(), r["reason"].as_str()),
        (Some("held"), Some("velocity_device"))
    );
    // One network (a /24), three phones: the third is held.
    let phones: Vec<Phone> = ["198.51.100.7", "198.51.100.8", "198.51.100.9"]
        .iter()
        .map(|ip| Phone::at(ip))
        .collect();
    for (i, p) in phones.iter().enumerate() {
        joined(&p.join_by_invitation(&code, "Net", &format!("net{i}@example.com"), ""));
    }
    let decisions: Vec<_> = phones
        .iter()
        .map(|p| m.referral(&p.member_id(&m))["reason"].clone())
        .collect();
    assert_eq!(
        decisions,
        [Value::Null, Value::Null, json!("velocity_network")]
    );
    m.assert_ledger_consistent();
}

#[test]
fn a_referrer_past_the_monthly_cap_waits_for_review_and_approval_pays_once() {
    let m = referring(json!({ "monthly_cap": 1 }), json!({}));
    let (anna, code) = m.referrer();
    let anna_id = anna.member_id(&m);
    let a = Phone::new();
    joined(&a.join_by_invitation(&code, "Gosia", "", ""));
    let b = Phone::new();
    joined(&b.join_by_invitation(&code, "Henryk", "", ""));
    let c = Phone::new();
    joined(&c.join_by_invitation(&code, "Iga", "", ""));
    let (a, b, c) = (a.member_id(&m), b.member_id(&m), c.member_id(&m));
    assert_eq!(m.referral(&a)["decision"], "ok");
    for id in [&b, &c] {
        let r = m.referral(id);
        assert_eq!(
            (r["decision"].as_str(), r["reason"].as_str()),
            (Some("held"), Some("monthly_cap"))
        );
    }
    for (id, order) in [(&a, "c-a"), (&b, "c-b"), (&c, "c-c")] {
        m.sale(&fresh_id(), order, id, 3000);
    }
    assert_eq!(
        m.bonuses(&anna_id),
        [(100, 0)],
        "held referrals pay nothing"
    );
    assert_eq!(m.referral(&b)["progress"], "qualified");

    // The review list shows the held ones, each with why.
    let held = m
        .api("GET", "/api/v1/referrals?decision=held", None, None)
        .json();
    let ids: Vec<_> = held["referrals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2, "{held}");
    assert!(ids.contains(&b) && ids.contains(&c));
    assert_eq!(
        held["referrals"][0]["reason_text"],
        "the inviting member reached this month's cap"
    );

    // Approving from several tabs at once pays once.
    let results = concurrently(4, || {
        m.api(
            "POST",
            &format!("/api/v1/referrals/{b}/approve"),
            None,
            None,
        )
    });
    let ok: Vec<_> = results.iter().filter(|r| r.status == 200).collect();
    assert_eq!(
        ok.len(),
        1,
        "{:?}",
        results.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    assert_eq!(ok[0].json()["referral"]["progress"], "rewarded");
    for r in results.iter().filter(|r| r.status != 200) {
        r.assert_problem(409, "referral_not_held");
    }
    assert_eq!(m.bonuses(&anna_id), [(100, 0), (100, 0)]);
    assert_eq!(m.bonuses(&b), [(50, 0)]);
    // Rejecting the other: no bonus, and it cannot be approved afterwards.
    let rejected = m.api("POST", &format!("/api/v1/referrals/{c}/reject"), None, None);
    assert_eq!(rejected.status, 200, "{}", rejected.body);
    assert_eq!(rejected.json()["referral"]["decision"], "rejected");
    m.api(
        "POST",
        &format!("/api/v1/referrals/{c}/approve"),
        None,
        None,
    )
    .assert_problem(409, "referral_not_held");
    assert_eq!(m.bonuses(&c), []);
    let log = m.api("GET", "/api/v1/audit-log", None, None).json();
    let actions: Vec<_> = log["audit_log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        actions.contains(&"referral.approve".into()) && actions.contains(&"referral.reject".into()),
        "{log}"
    );
    m.assert_ledger_consistent();
}

#[test]
fn concurrent_qualifying_purchases_and_webhook_retries_pay_one_bonus() {
    let m = referring(json!({}), json!({}));
    let (anna, code) = m.referrer();
    let anna_id = anna.member_id(&m);
    let friend = Phone::new();
    joined(&friend.join_by_invitation(&code, "Jan", "", ""));
    let id = friend.member_id(&m);
    // Four different orders at the same instant.
    let results = concurrently(4, || m.sale(&fresh_id(), &fresh_id(), &id, 3000));
    assert!(
        results.iter().all(|r| r.status == 200),
        "{:?}",
        results.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    assert_eq!(m.bonuses(&anna_id), [(100, 0)]);
    assert_eq!(m.bonuses(&id), [(50, 0)]);

    // Another friend: one purchase delivered many times, some at once.
    let other = Phone::new();
    joined(&other.join_by_invitation(&code, "Kasia", "", ""));
    let other_id = other.member_id(&m);
    let webhook = fresh_id();
    let results = concurrently(4, || m.sale(&webhook, "retried", &other_id, 3000));
    assert!(results.iter().all(|r| r.status == 200));
    for _ in 0..2 {
        m.sale(&webhook, "retried", &other_id, 3000);
    }
    m.sale(&fresh_id(), "retried", &other_id, 3000); // re-signed: same order id
    assert_eq!(m.bonuses(&other_id), [(50, 0)]);
    assert_eq!(m.bonuses(&anna_id), [(100, 0), (100, 0)]);
    m.assert_ledger_consistent();
}

#[test]
fn a_reward_as_the_bonus_is_a_code_waiting_at_the_counter() {
    let m = referring(json!({ "referrer": {} }), json!({}));
    let coffee = m
        .api(
            "POST",
            "/api/v1/rewards",
            Some(&json!({ "name": "Coffee", "kind": "free_item", "cost_points": 80, "stock": 1 })),
            None,
        )
        .json()["reward"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Unknown reward ids are refused by name.
    m.api(
        "PUT",
        "/api/v1/program",
        Some(
            &json!({ "points_per_major_unit": 1, "referral": { "enabled": true,
            "referee": { "reward_id": "0123456789abcdef0123456789abcdef" } } }),
        ),
        None,
    )
    .assert_problem(422, "invalid_field");
    let put = m.api(
        "PUT",
        "/api/v1/program",
        Some(
            &json!({ "points_per_major_unit": 1, "referral": { "enabled": true,
            "referrer": {}, "referee": { "reward_id": coffee } } }),
        ),
        None,
    );
    assert_eq!(put.status, 200, "{}", put.body);
    let (_, code) = m.referrer();
    let friend = Phone::new();
    let offer = friend.get(&format!("/r/{code}"));
    assert!(offer.body.contains("a free Coffee"), "{}", offer.body);
    joined(&friend.join_by_invitation(&code, "Lena", "", ""));
    let id = friend.member_id(&m);
    m.sale(&fresh_id(), "gift-1", &id, 500);
    assert_eq!(m.referral(&id)["progress"], "rewarded");
    let card = friend.get(&format!("/c/{}", m.id));
    assert!(
        card.body.contains("Show my code for Coffee"),
        "{}",
        card.body
    );
    let ledger = m.explain(&friend.member_cookie(&m).unwrap());
    let live = ledger["live_codes"][0].clone();
    let code = live["code"].as_str().unwrap();
    let confirm = m.api(
        "POST",
        "/api/v1/redemptions/confirm",
        Some(&json!({ "code": code })),
        None,
    );
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    // The gift took no points and no stock: the one coffee in stock is still there.
    let rewards = m.api("GET", "/api/v1/rewards", None, None).json();
    assert_eq!(rewards["rewards"][0]["stock"], 1, "{rewards}");
    m.assert_ledger_consistent();
}

#[test]
fn bad_invitations_and_reviews_get_clear_errors_and_write_nothing() {
    let m = referring(json!({}), json!({}));
    let (_, code) = m.referrer();
    for bad in ["nope", "abcdefg1", "zzzzzzzz"] {
        Phone::new()
            .get(&format!("/r/{bad}"))
            .assert_error_page(404, "referral_not_found");
    }
    // A form ticket for another merchant, or a tampered one: refused, no member made.
    let before = m.audit();
    let other = referring(json!({}), json!({}));
    let phone = Phone::new();
    let foreign = phone.get(&format!("/s/{}", other.poster()));
    let resp = phone.post_form(
        &format!("/r/{code}"),
        &[("ticket", &ticket_of(&foreign.body)), ("name", "Mallory")],
    );
    resp.assert_error_page(400, "enrol_form_invalid");
    let resp = phone.post_form(
        &format!("/r/{code}"),
        &[("ticket", "x.y.z.w"), ("name", "M")],
    );
    resp.assert_error_page(400, "enrol_form_invalid");
    // A form with a mistake is shown again, with the offer, and nothing is written.
    let form = phone.get(&format!("/r/{code}"));
    let again = phone.post_form(
        &format!("/r/{code}"),
        &[
            ("ticket", &ticket_of(&form.body)),
            ("name", ""),
            ("email", "not-an-email"),
        ],
    );
    assert_eq!(again.status, 422);
    assert!(again.body.contains("invited you"), "{}", again.body);
    assert_eq!(m.audit()["members"], before["members"]);

    m.api("POST", "/api/v1/referrals/0123/approve", None, None)
        .assert_problem(404, "referral_not_found");
    m.api("GET", "/api/v1/referrals?decision=maybe", None, None)
        .assert_problem(422, "invalid_field");
    m.api("GET", "/api/v1/referrals?cursor=garbage", None, None)
        .assert_problem(422, "invalid_field");
    // Switched off: the links stop working and the card stops offering them.
    let off = m.api(
        "PUT",
        "/api/v1/program",
        Some(&json!({ "points_per_major_unit": 1 })),
        None,
    );
    assert_eq!(off.status, 200, "{}", off.body);
    Phone::new()
        .get(&format!("/r/{code}"))
        .assert_error_page(404, "referral_not_found");
    m.assert_ledger_consistent();
}

#[test]
fn a_reversed_purchase_scan_inside_the_return_window_cancels_the_bonus() {
    let m = referring(json!({}), json!({ "pending_days": 14 }));
    let (anna, code) = m.referrer();
    let friend = Phone::new();
    joined(&friend.join_by_invitation(&code, "Ola", "", ""));
    let token = m.token(Sign {
        kind: ScanKind::Purchase { amount_minor: 4000 },
        ..Sign::default()
    });
    assert_eq!(friend.get(&format!("/s/{token}")).status, 200);
    let id = friend.member_id(&m);
    let r = m.referral(&id);
    assert_eq!(
        (r["progress"].as_str(), r["cause_type"].as_str()),
        (Some("qualified"), Some("scan"))
    );
    let scan = r["cause_id"].as_str().unwrap();
    let resp = m.api(
        "POST",
        &format!("/api/v1/scans/{scan}/reverse"),
        Some(&json!({ "reason": "wrong amount" })),
        Some(&fresh_id()),
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_eq!(m.referral(&id)["progress"], "cancelled");
    assert_eq!(m.bonuses(&anna.member_id(&m)), []);
    m.assert_ledger_consistent();
}

#[test]
fn erasure_forgets_the_device_and_network_and_ends_the_invitation() {
    let m = referring(json!({}), json!({}));
    let (anna, code) = m.referrer();
    let id = anna.member_id(&m);
    let friend = Phone::at("203.0.113.9");
    joined(&friend.join_by_invitation(&code, "Piotr", "", ""));
    let fid = friend.member_id(&m);
    let export = |who: &str| {
        m.api("GET", &format!("/api/v1/members/{who}/export"), None, None)
            .json()
    };
    let before = export(&fid);
    assert!(before["referrals"][0]["device"].is_string(), "{before}");
    assert!(before["referrals"][0]["network"].is_string(), "{before}");
    assert_eq!(export(&id)["referral_link"]["code"], code.as_str());
    let erased = m.api(
        "POST",
        &format!("/api/v1/members/{fid}/erase"),
        Some(&json!({ "reason": "asked" })),
        Some(&fresh_id()),
    );
    assert_eq!(erased.status, 200, "{}", erased.body);
    let after = export(&fid);
    assert_eq!(after["referrals"][0]["device"], Value::Null, "{after}");
    assert_eq!(after["referrals"][0]["network"], Value::Null, "{after}");
    let resp = m.api(
        "POST",
        &format!("/api/v1/members/{id}/erase"),
        Some(&json!({ "reason": "asked" })),
        Some(&fresh_id()),
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    Phone::new()
        .get(&format!("/r/{code}"))
        .assert_error_page(404, "referral_not_found");
}

/// Return windows: these run the hourly job days ahead, one at a time after the other tests.
pub mod later {
    use super::*;
    use crate::jobs::{at_or_after, trigger};

    const DAY_MS: i64 = 86_400_000;

    fn now_ms() -> i64 {
        i64::from(crate::harness::now()) * 1000
    }

    #[test]
    fn the_bonus_waits_for_the_return_window_and_a_refund_inside_it_cancels_it() {
        let m = referring(json!({}), json!({ "pending_days": 7 }));
        let (anna, code) = m.referrer();
        let anna_id = anna.member_id(&m);
        let keeper = Phone::new();
        joined(&keeper.join_by_invitation(&code, "Maria", "", ""));
        let returns = Phone::new();
        joined(&returns.join_by_invitation(&code, "Norbert", "", ""));
        let (keeps, returns) = (keeper.member_id(&m), returns.member_id(&m));
        m.sale(&fresh_id(), "kept", &keeps, 3000);
        m.sale(&fresh_id(), "returned", &returns, 3000);
        let r = m.referral(&keeps);
        assert_eq!(r["progress"], "qualified", "{r}");
        let final_at = r["final_at"].as_i64().unwrap();
        assert!(final_at >= now_ms() + 7 * DAY_MS - 60_000, "{r}");
        assert_eq!(m.bonuses(&anna_id), [], "nothing before the window ends");
        let card = keeper.get(&format!("/c/{}", m.id));
        assert!(card.body.contains("arrives on"), "{}", card.body);

        // Returned inside the window: that referral is cancelled.
        let refund = m.event(
            &fresh_id(),
            "purchase.refunded",
            json!({ "order_id": "returned", "amount_minor": 3000 }),
        );
        assert_eq!(refund.status, 200, "{}", refund.body);
        assert_eq!(m.referral(&returns)["progress"], "cancelled");

        // A day later nothing is final yet; after the window the kept purchase pays, once.
        trigger("5 * * * *", at_or_after(now_ms() + DAY_MS));
        assert_eq!(m.bonuses(&anna_id), []);
        trigger("5 * * * *", at_or_after(final_at));
        trigger("5 * * * *", at_or_after(final_at + 3_600_000));
        assert_eq!(m.bonuses(&anna_id), [(100, 0)]);
        assert_eq!(m.bonuses(&keeps), [(50, 0)]);
        assert_eq!(m.bonuses(&returns), []);
        assert_eq!(m.referral(&keeps)["progress"], "rewarded");
        let stats = m.api("GET", "/api/v1/referrals/stats", None, None).json();
        assert_eq!(stats["referrals"]["cancelled"], 1, "{stats}");

        // Returned after the bonus was paid: the purchase's points are reversed under the
        // merchant's policy; the bonuses, paid once the purchase was final, stay.
        let late = m.event(
            &fresh_id(),
            "purchase.refunded",
            json!({ "order_id": "kept", "amount_minor": 3000 }),
        );
        assert_eq!(late.status, 200, "{}", late.body);
        assert_eq!(m.bonuses(&anna_id), [(100, 0)]);
        assert_eq!(m.spendable(&keeps), 50);
        m.assert_ledger_consistent();
    }
}
