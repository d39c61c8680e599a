//! The console's Integrations page end to end: the POS address and secrets an owner pastes into
//! the till system, a test event sent through the endpoint's own code, the last deliveries with
//! the reason for each refusal in words, a new secret after a confirmation (the previous still
//! accepted); API keys made with a scope and location and shown once, rotated and revoked after
//! a confirmation (the old key refused at once), bad fields beside their fields; managers kept out.

use loyalty_edge::domain::ids::MerchantId;
use loyalty_edge::domain::webhook::sign;
use serde_json::json;

use crate::console::{csrf_of, get, post, sign_in, sign_up, Owner, PASSWORD};
use crate::harness::{now, worker, Merchant, Resp};
use crate::webhooks::fresh_id;

fn shop(o: &Owner) -> Merchant {
    Merchant {
        id: MerchantId::parse(&o.merchant).unwrap(),
        key: String::new(),
    }
}

fn send(o: &Owner, path: &str, form: &[(&str, &str)]) -> Resp {
    let csrf = csrf_of(&get("/console/integrations", &o.browser).body);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(form);
    post(path, &[("cookie", &o.browser)], &all)
}

/// The key shown once on the page.
fn shown_key(page: &str) -> String {
    let at = page.find("id=\"new-key\"").expect("a key shown");
    let code = &page[at..];
    let start = code.find("<code class=\"addr\">").unwrap() + "<code class=\"addr\">".len();
    code[start..].split('<').next().unwrap().to_owned()
}

fn with_key(key: &str) -> u16 {
    worker()
        .send(
            "GET",
            "/api/v1/program",
            &[("authorization", &format!("Bearer {key}"))],
            None,
        )
        .status
}

#[test]
fn an_owner_connects_the_till_system_and_sees_each_delivery() {
    let o = sign_up();
    let s = shop(&o);
    let page = get("/console/integrations", &o.browser);
    assert_eq!(page.status, 200, "{}", page.body);
    let first = worker().master.webhook_secret(s.id, 1);
    for shown in [
        format!("/webhooks/v1/{}</code>", o.merchant),
        first.to_whsec(),
        "Nothing has arrived yet".into(),
    ] {
        assert!(page.body.contains(&shown), "{shown}: {}", page.body);
    }

    let tested = send(&o, "/console/integrations/test", &[]);
    assert_eq!(tested.status, 200, "{}", tested.body);
    assert!(
        tested.body.contains("The test event arrived"),
        "{}",
        tested.body
    );
    assert!(tested
        .body
        .contains("Test event received: the address and the signature work."));

    // A sale for nobody we know, and a badly signed delivery: both listed, in words.
    let sale = s.event(
        &fresh_id(),
        "purchase.completed",
        json!({ "order_id": "A-17", "member": { "email": "nobody@example.com" }, "amount_minor": 1000 }),
    );
    assert_eq!(sale.status, 200, "{}", sale.body);
    let body = json!({ "type": "purchase.completed", "data": {} }).to_string();
    let forged = worker().send(
        "POST",
        &format!("/webhooks/v1/{}", s.id),
        &[
            ("content-type", "application/json"),
            ("webhook-id", &fresh_id()),
            ("webhook-timestamp", &now().to_string()),
            ("webhook-signature", "v1,AAAA"),
        ],
        Some(&body),
    );
    assert_eq!(forged.status, 401);
    let page = get("/console/integrations", &o.browser);
    let sale_at = page
        .body
        .find("Order A-17 recorded; no customer matched")
        .expect("the sale");
    let forged_at = page
        .body
        .find("Refused: the signature does not match any of your secrets")
        .expect("the refusal");
    assert!(forged_at < sale_at, "newest first");

    // A new secret asks first; then both are accepted, the new one marked to use.
    let asked = send(&o, "/console/integrations/secrets/rotate", &[]);
    assert!(
        asked.body.contains("Make a new signing secret?"),
        "{}",
        asked.body
    );
    assert!(!get("/console/integrations", &o.browser)
        .body
        .contains("Secret 2"));
    let rotated = send(
        &o,
        "/console/integrations/secrets/rotate",
        &[("confirm", "1")],
    );
    assert!(
        rotated.body.contains("A new secret is ready"),
        "{}",
        rotated.body
    );
    assert!(rotated.body.contains("Secret 2 · the newest: use this one"));
    let second = worker().master.webhook_secret(s.id, 2);
    assert!(rotated.body.contains(&second.to_whsec()));
    let ping = json!({ "type": "test.ping", "data": {} }).to_string();
    for secret in [&first, &second] {
        let id = fresh_id();
        let ts = i64::from(now());
        let r = worker().send(
            "POST",
            &format!("/webhooks/v1/{}", s.id),
            &[
                ("content-type", "application/json"),
                ("webhook-id", &id),
                ("webhook-timestamp", &ts.to_string()),
                ("webhook-signature", &sign(&id, ts, ping.as_bytes(), secret)),
            ],
            Some(&ping),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["status"], "received");
    }
    assert!(get("/console/activity", &o.browser)
        .body
        .contains("made a new signing secret for the till system"));
}

#[test]
fn api_keys_are_made_shown_once_rotated_and_revoked() {
    let o = sign_up();
    let bad = send(
        &o,
        "/console/integrations/keys",
        &[("name", ""), ("scope", "god"), ("location", "")],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("Nothing was made"));
    assert!(bad.body.contains(r#"id="f-name-err""#) && bad.body.contains(r#"id="f-scope-err""#));
    let no_place = send(
        &o,
        "/console/integrations/keys",
        &[
            ("name", "Till at Rynek"),
            ("scope", "counter"),
            ("location", ""),
        ],
    );
    assert_eq!(no_place.status, 422);
    assert!(no_place.body.contains(r#"id="f-location-err""#));
    assert!(
        no_place.body.contains(r#"value="Till at Rynek""#),
        "input kept"
    );

    let made = send(
        &o,
        "/console/integrations/keys",
        &[
            ("name", "Till at Rynek"),
            ("scope", "counter"),
            ("location", "1"),
        ],
    );
    assert_eq!(made.status, 200, "{}", made.body);
    let key = shown_key(&made.body);
    assert!(key.starts_with("lek_"), "{key}");
    assert_eq!(with_key(&key), 200);
    let page = get("/console/integrations", &o.browser);
    assert!(!page.body.contains(&key), "shown once");
    assert!(page.body.contains(&format!("…{}", &key[key.len() - 4..])));
    assert!(page.body.contains("One location's till"));
    let start = page.body.find("/console/integrations/keys/").unwrap() + 27;
    let id = page.body[start..].split('/').next().unwrap().to_owned();

    let asked = send(&o, &format!("/console/integrations/keys/{id}/rotate"), &[]);
    assert!(asked.body.contains("Rotate this key?"), "{}", asked.body);
    assert_eq!(
        with_key(&key),
        200,
        "nothing happens before the confirmation"
    );
    let rotated = send(
        &o,
        &format!("/console/integrations/keys/{id}/rotate"),
        &[("confirm", "1")],
    );
    let new = shown_key(&rotated.body);
    assert_ne!(new, key);
    assert_eq!(with_key(&key), 401);
    assert_eq!(with_key(&new), 200);
    let page = get("/console/integrations", &o.browser);
    let start = page.body.find("/console/integrations/keys/").unwrap() + 27;
    let new_id = page.body[start..].split('/').next().unwrap().to_owned();
    let revoked = send(
        &o,
        &format!("/console/integrations/keys/{new_id}/revoke"),
        &[("confirm", "1")],
    );
    assert!(
        revoked.body.contains("“Till at Rynek” is revoked"),
        "{}",
        revoked.body
    );
    assert_eq!(with_key(&new), 401);
    assert!(
        !revoked.body.contains("<strong>Till at Rynek</strong>"),
        "no longer listed"
    );
    let activity = get("/console/activity", &o.browser).body;
    for words in [
        "made the API key Till at Rynek",
        "rotated the API key Till at Rynek",
        "revoked the API key Till at Rynek",
    ] {
        assert!(activity.contains(words), "{words}: {activity}");
    }
    // Another café's owner cannot touch it.
    let other = sign_up();
    assert_eq!(
        send(
            &other,
            &format!("/console/integrations/keys/{id}/revoke"),
            &[("confirm", "1")]
        )
        .status,
        404
    );

    // A manager is kept out of the page and its forms.
    let email = crate::console::fresh_email();
    let resp = worker().admin(
        "POST",
        &format!("/admin/v1/merchants/{}/people", o.merchant),
        Some(&json!({ "email": email, "name": "A manager", "role": "manager", "password": PASSWORD })),
    );
    assert_eq!(resp.status, 201, "{}", resp.body);
    let manager =
        crate::console::session_only(&crate::console::cookies(&sign_in(&email, PASSWORD, &[])));
    assert_eq!(get("/console/integrations", &manager).status, 403);
    let csrf = csrf_of(&get("/console/account", &manager).body);
    let refused = post(
        "/console/integrations/keys",
        &[("cookie", &manager)],
        &[("csrf", &csrf), ("name", "Mine"), ("scope", "owner")],
    );
    assert_eq!(refused.status, 403);
}
