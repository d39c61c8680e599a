//! Tenants and scopes, table-driven over the merchant API: another merchant's key finds nothing
//! and changes nothing; each key kind reaches exactly the routes its scope allows.

use serde_json::{json, Value};

use crate::harness::{worker, Merchant, Resp};

fn key() -> String {
    let mut b = [0u8; 16];
    getrandom::getrandom(&mut b).unwrap();
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Calls with an arbitrary bearer key and always an Idempotency-Key.
fn call(bearer: &str, method: &str, path: &str, body: Option<&Value>) -> Resp {
    let auth = format!("Bearer {bearer}");
    let k = key();
    let mut headers = vec![
        ("authorization", auth.as_str()),
        ("idempotency-key", k.as_str()),
    ];
    let text = body.map(Value::to_string);
    if text.is_some() {
        headers.push(("content-type", "application/json"));
    }
    worker().send(method, path, &headers, text.as_deref())
}

/// A merchant with one of everything: member, reward, scan, confirmed redemption, order, key.
struct World {
    m: Merchant,
    member: String,
    reward: String,
    scan: String,
    redemption: String,
}

fn world() -> World {
    let m = worker().merchant(json!({}));
    let cookie = m.member_with(100);
    let member = Merchant::member_id(&cookie);
    let reward = m.api(
        "POST",
        "/api/v1/rewards",
        Some(&json!({ "name": "Tea", "kind": "free_item", "cost_points": 10 })),
        None,
    );
    let reward = reward.json()["reward"]["id"].as_str().unwrap().to_owned();
    let ledger = m
        .api(
            "GET",
            &format!("/api/v1/members/{member}/ledger"),
            None,
            None,
        )
        .json();
    let scan = ledger["entries"][0]["cause_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = call(
        &m.key,
        "POST",
        &format!("/api/v1/members/{member}/redemptions"),
        Some(&json!({ "reward_id": reward })),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let redemption = r.json()["redemption"]["id"].as_str().unwrap().to_owned();
    World {
        m,
        member,
        reward,
        scan,
        redemption,
    }
}

/// Every merchant route that names a resource: (method, path, body).
fn routes(w: &World) -> Vec<(&'static str, String, Option<Value>)> {
    let (member, reward, scan, redemption) = (&w.member, &w.reward, &w.scan, &w.redemption);
    vec![
        ("GET", format!("/api/v1/members/{member}"), None),
        ("GET", format!("/api/v1/members/{member}/ledger"), None),
        (
            "POST",
            format!("/api/v1/members/{member}/adjustments"),
            Some(json!({ "points": 5, "reason": "probe" })),
        ),
        (
            "POST",
            format!("/api/v1/members/{member}/redemptions"),
            Some(json!({ "reward_id": reward })),
        ),
        (
            "POST",
            format!("/api/v1/members/{member}/cashback-spends"),
            Some(json!({ "amount_minor": 1, "reference": "probe" })),
        ),
        (
            "POST",
            format!("/api/v1/scans/{scan}/reverse"),
            Some(json!({ "reason": "probe" })),
        ),
        (
            "PUT",
            format!("/api/v1/rewards/{reward}"),
            Some(json!({ "name": "Stolen", "kind": "free_item", "cost_points": 1 })),
        ),
        (
            "POST",
            format!("/api/v1/redemptions/{redemption}/cancel"),
            Some(json!({ "reason": "probe" })),
        ),
    ]
}

#[test]
fn another_merchants_key_finds_nothing_and_changes_nothing() {
    let a = world();
    let b = worker().merchant(json!({}));
    let before = (
        a.m.audit(),
        a.m.api("GET", "/api/v1/rewards", None, None).json(),
    );
    for (method, path, body) in routes(&a) {
        let resp = call(&b.key, method, &path, body.as_ref());
        assert_eq!(
            resp.status, 404,
            "{method} {path} with another merchant's key: {}",
            resp.body
        );
    }
    let a_keys = a.m.api("GET", "/api/v1/keys", None, None).json();
    let a_key_id = a_keys["keys"][0]["id"].as_str().unwrap().to_owned();
    call(&b.key, "DELETE", &format!("/api/v1/keys/{a_key_id}"), None)
        .assert_problem(404, "api_key_not_found");
    call(
        &b.key,
        "POST",
        &format!("/api/v1/keys/{a_key_id}/rotate"),
        None,
    )
    .assert_problem(404, "api_key_not_found");
    assert_eq!(
        a.m.api("GET", "/api/v1/keys", None, None).json(),
        a_keys,
        "A's keys are as they were"
    );
    let after = (
        a.m.audit(),
        a.m.api("GET", "/api/v1/rewards", None, None).json(),
    );
    assert_eq!(before, after, "merchant A is exactly as it was");
    assert_eq!(b.audit()["ledger_entries"], 0, "and B gained nothing");
}

/// (method, path, body, scopes allowed) for every merchant route.
fn scoped_routes(w: &World) -> Vec<(&'static str, String, Option<Value>, &'static [&'static str])> {
    const ALL: &[&str] = &["owner", "counter", "read"];
    const OWNER: &[&str] = &["owner"];
    const STAFF: &[&str] = &["owner", "counter"];
    let mut v: Vec<(&'static str, String, Option<Value>, &'static [&'static str])> = vec![
        (
            "POST",
            "/api/v1/scan-tokens".into(),
            Some(json!({ "location": 1, "kind": "purchase", "value": 100 })),
            STAFF,
        ),
        ("GET", "/api/v1/scan-key".into(), None, OWNER),
        ("PUT", "/api/v1/program".into(), Some(json!({})), OWNER),
        ("GET", "/api/v1/rewards".into(), None, ALL),
        (
            "GET",
            "/api/v1/members?query=ola%40example.com".into(),
            None,
            ALL,
        ),
        (
            "POST",
            "/api/v1/rewards".into(),
            Some(json!({ "name": "x", "kind": "free_item", "cost_points": 1 })),
            OWNER,
        ),
        (
            "POST",
            "/api/v1/redemptions/confirm".into(),
            Some(json!({ "code": "000000" })),
            STAFF,
        ),
        ("GET", "/api/v1/audit-log".into(), None, OWNER),
        ("GET", "/api/v1/webhook-secrets".into(), None, OWNER),
        ("GET", "/api/v1/keys".into(), None, OWNER),
        (
            "POST",
            "/api/v1/keys".into(),
            Some(json!({ "scope": "read", "name": "probe" })),
            OWNER,
        ),
        (
            "DELETE",
            "/api/v1/keys/0000000000000000".into(),
            None,
            OWNER,
        ),
        (
            "POST",
            "/api/v1/keys/0000000000000000/rotate".into(),
            None,
            OWNER,
        ),
        ("GET", "/api/v1/program".into(), None, ALL),
        ("GET", "/api/v1/sequences".into(), None, ALL),
        ("GET", "/api/v1/merchant".into(), None, ALL),
        ("GET", "/api/v1/referrals".into(), None, ALL),
        ("GET", "/api/v1/referrals/stats".into(), None, ALL),
        (
            "POST",
            format!("/api/v1/referrals/{}/approve", w.member),
            None,
            OWNER,
        ),
        (
            "POST",
            format!("/api/v1/referrals/{}/reject", w.member),
            None,
            OWNER,
        ),
        ("PATCH", "/api/v1/merchant".into(), Some(json!({})), OWNER),
        (
            "POST",
            "/api/v1/locations".into(),
            Some(json!({ "name": "Probe" })),
            OWNER,
        ),
        (
            "PUT",
            "/api/v1/locations/1".into(),
            Some(json!({ "name": "Main" })),
            OWNER,
        ),
    ];
    let scopes: [&'static [&'static str]; 8] = [ALL, ALL, OWNER, STAFF, STAFF, OWNER, OWNER, STAFF];
    for ((method, path, body), allowed) in routes(w).into_iter().zip(scopes) {
        v.push((method, path, body, allowed));
    }
    v
}

#[test]
fn each_key_reaches_exactly_what_its_scope_allows() {
    let w = world();
    let make = |scope: &str, location: Option<u8>| {
        let resp = w.m.api(
            "POST",
            "/api/v1/keys",
            Some(&json!({ "scope": scope, "name": format!("{scope} key"), "location": location })),
            None,
        );
        assert_eq!(resp.status, 201, "{}", resp.body);
        resp.json()["api_key"].as_str().unwrap().to_owned()
    };
    let keys = [
        ("counter", make("counter", Some(1))),
        ("read", make("read", None)),
    ];
    let before = w.m.audit();
    for (method, path, body, allowed) in scoped_routes(&w) {
        for (scope, k) in &keys {
            let resp = call(k, method, &path, body.as_ref());
            if allowed.contains(scope) {
                assert!(
                    ![401, 403].contains(&resp.status),
                    "{scope} should reach {method} {path}: {}",
                    resp.body
                );
            } else {
                resp.assert_problem(403, "forbidden");
            }
        }
    }
    // Only the allowed calls may have written (a counter redemption, adjustments are owner-only).
    let after = w.m.audit();
    assert_eq!(before["members"], after["members"]);
    w.m.assert_ledger_consistent();
}

#[test]
fn keys_are_shown_once_listed_without_secrets_and_revoked_at_once() {
    let resp = worker().admin(
        "POST",
        "/admin/v1/merchants",
        Some(&json!({ "name": "Two Shops", "currency": { "code": "PLN", "minor_units": 2 }, "locations": ["Main", "Kiosk"] })),
    );
    assert_eq!(resp.status, 201, "{}", resp.body);
    let owner = resp.json()["api_key"].as_str().unwrap().to_owned();
    let create = |body: Value| call(&owner, "POST", "/api/v1/keys", Some(&body));
    create(json!({ "scope": "counter", "name": "till" })).assert_problem(422, "invalid_field");
    create(json!({ "scope": "counter", "name": "till", "location": 9 }))
        .assert_problem(422, "unknown_location");
    create(json!({ "scope": "read", "name": "dash", "location": 1 }))
        .assert_problem(422, "invalid_field");
    create(json!({ "scope": "admin", "name": "x" })).assert_problem(422, "invalid_field");
    let kiosk = create(json!({ "scope": "counter", "name": "kiosk till", "location": 2 }));
    assert_eq!(kiosk.status, 201, "{}", kiosk.body);
    let (kiosk_id, kiosk_key) = (
        kiosk.json()["id"].as_str().unwrap().to_owned(),
        kiosk.json()["api_key"].as_str().unwrap().to_owned(),
    );
    let sale = |k: &str, location: u8| {
        call(
            k,
            "POST",
            "/api/v1/scan-tokens",
            Some(&json!({ "location": location, "kind": "purchase", "value": 500 })),
        )
    };
    assert_eq!(sale(&kiosk_key, 2).status, 201);
    sale(&kiosk_key, 1).assert_problem(403, "location_forbidden");
    let list = call(&owner, "GET", "/api/v1/keys", None);
    assert_eq!(list.status, 200);
    assert!(
        !list.body.contains(&kiosk_key[kiosk_key.len() - 20..]),
        "no secret in the list"
    );
    assert!(
        list.body.contains(&kiosk_key[kiosk_key.len() - 4..]),
        "the last four characters identify it"
    );
    let owner_id = owner.split('_').nth(1).unwrap();
    call(&owner, "DELETE", &format!("/api/v1/keys/{owner_id}"), None)
        .assert_problem(409, "api_key_in_use");
    assert_eq!(
        call(&owner, "DELETE", &format!("/api/v1/keys/{kiosk_id}"), None).status,
        200
    );
    sale(&kiosk_key, 2).assert_problem(401, "auth_invalid");
    call(&owner, "DELETE", &format!("/api/v1/keys/{kiosk_id}"), None)
        .assert_problem(404, "api_key_not_found");
}

#[test]
fn a_key_past_its_rate_limit_gets_429_with_retry_after_and_others_are_unaffected() {
    // The limit is 1200 requests per key per minute; 1260 requests over 16 connections. The
    // burst must land in one window: it starts as a minute begins, and a burst that ran into
    // the next minute (a slow, busy machine) is not judged: it is tried again with a new key.
    let other = worker().merchant(json!({}));
    for attempt in 0.. {
        assert!(
            attempt < 3,
            "could not send 1260 requests within one minute"
        );
        let m = worker().merchant(json!({}));
        let into_minute = u64::from(crate::harness::now()) % 60;
        if into_minute > 1 {
            std::thread::sleep(std::time::Duration::from_secs(60 - into_minute));
        }
        let minute = crate::harness::now() / 60;
        let limited = std::sync::atomic::AtomicUsize::new(0);
        let retry = std::sync::Mutex::new(None);
        let sent = std::sync::atomic::AtomicUsize::new(0);
        crate::harness::concurrently(16, || {
            while sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < 1260 {
                let resp = m.api("GET", "/api/v1/rewards", None, None);
                if resp.status == 429 {
                    resp.assert_problem(429, "rate_limited");
                    limited.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    *retry.lock().unwrap() = resp.header("retry-after").map(str::to_owned);
                } else {
                    assert_eq!(resp.status, 200, "{}", resp.body);
                }
            }
        });
        if crate::harness::now() / 60 != minute {
            continue;
        }
        assert_eq!(
            limited.into_inner(),
            60,
            "exactly the requests past 1200 were limited"
        );
        let secs: i64 = retry
            .into_inner()
            .unwrap()
            .map_or(0, |s| s.parse().unwrap());
        assert!((1..=60).contains(&secs), "{secs}");
        break;
    }
    assert_eq!(
        other.api("GET", "/api/v1/rewards", None, None).status,
        200,
        "other keys are unaffected"
    );
}
