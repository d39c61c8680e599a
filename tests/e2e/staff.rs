//! The staff screens end to end: sign-in with a key (a session cookie naming the key, ended by
//! revoking it), the sale screen's QR code that renews itself and shows the scan, redemption
//! codes confirmed once from the counter, posters per location, and refusals.

use serde_json::json;

use crate::harness::{worker, Merchant, Resp};

/// Posts a staff form; a signed-in screen's form carries the screen's CSRF token.
fn form(path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Resp {
    let csrf = cookie
        .filter(|_| path != "/staff/sign-in")
        .map(|c| worker().get("/staff", Some(c)).body)
        .filter(|page| page.contains(r#"name="csrf""#))
        .map(|page| crate::console::csrf_of(&page));
    let mut all = fields.to_vec();
    if let Some(token) = &csrf {
        all.push(("csrf", token));
    }
    worker().post_form_as(path, cookie, &all)
}

fn key(m: &Merchant, scope: &str, location: Option<u8>) -> String {
    let mut body = json!({ "scope": scope, "name": format!("{scope} screen") });
    if let Some(l) = location {
        body["location"] = json!(l);
    }
    let resp = m.api("POST", "/api/v1/keys", Some(&body), None);
    assert_eq!(resp.status, 201, "{}", resp.body);
    resp.json()["api_key"].as_str().unwrap().to_owned()
}

/// Signs a screen in with `key`; returns its staff cookie.
fn sign_in(key: &str) -> String {
    let resp = form("/staff/sign-in", None, &[("key", key)]);
    assert_eq!(resp.status, 303, "{}", resp.body);
    let set = resp.header("set-cookie").unwrap().to_owned();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/staff"),
        "{set}"
    );
    resp.cookie().unwrap()
}

/// The `data-url` of the QR code on a page.
fn qr_url(page: &str) -> String {
    let start = page.find(r#"data-url=""#).expect("a QR code") + 10;
    page[start..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&")
}

fn merchant_with_two_locations() -> Merchant {
    let m = worker().merchant(json!({}));
    let resp = m.api(
        "POST",
        "/api/v1/locations",
        Some(&json!({ "name": "Dworzec" })),
        None,
    );
    assert!(resp.status == 201 || resp.status == 200, "{}", resp.body);
    m
}

#[test]
fn a_sale_screen_shows_a_code_until_it_is_scanned_then_says_who_collected() {
    let m = worker().merchant(json!({}));
    let till = sign_in(&key(&m, "counter", Some(1)));
    let home = worker().get("/staff", Some(&till));
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(
        home.body.contains("New sale") && !home.body.contains("<select"),
        "{}",
        home.body
    );

    let start = form(
        "/staff/sale",
        Some(&till),
        &[("amount", "12,50"), ("location", "1")],
    );
    assert_eq!(start.status, 303, "{}", start.body);
    let path = start.header("location").unwrap().to_owned();
    assert_eq!(path, "/staff/sale?amount=1250&location=1");
    let shown = worker().get(&path, Some(&till));
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(shown.body.contains("12.50 PLN"), "{}", shown.body);
    let url = qr_url(&shown.body);
    assert!(url.starts_with(&format!("{}/s/", worker().base)), "{url}");
    let token = url.rsplit('/').next().unwrap().to_owned();
    let reload = format!("/staff/sale?amount=1250&location=1&t={token}");
    assert!(shown
        .body
        .contains(&format!("url={}", reload.replace('&', "&amp;"))));

    // Reloading before the scan shows the same code (it is far from expiring), writing nothing.
    let again = worker().get(&reload, Some(&till));
    assert_eq!(qr_url(&again.body), url);

    // The customer scans it and joins; the screen says so.
    let joined = m.join(&token, "Ola");
    assert_eq!(joined.status, 200, "{}", joined.body);
    assert!(joined.body.contains("+12 points"), "{}", joined.body);
    let after = worker().get(&reload, Some(&till));
    assert!(after.body.contains("Collected ✓"), "{}", after.body);
    assert!(after.body.contains("12.50 PLN · Ola"), "{}", after.body);

    // A code for another sale, or another location, is not taken for this one.
    let other = worker().get(
        &format!("/staff/sale?amount=999&location=1&t={token}"),
        Some(&till),
    );
    assert_ne!(qr_url(&other.body), url);
    worker()
        .get("/staff/sale?amount=1250&location=2", Some(&till))
        .assert_error_page(422, "unknown_location");

    // Amounts that are not amounts get the form back with a message.
    let bad = form(
        "/staff/sale",
        Some(&till),
        &[("amount", "12.345"), ("location", "1")],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("is not an amount"), "{}", bad.body);
    m.assert_ledger_consistent();
}

#[test]
fn a_reward_code_is_confirmed_once_from_the_counter() {
    let m = worker().merchant(json!({}));
    let tea = m.reward(json!({ "name": "Tea", "kind": "free_item", "cost_points": 10 }));
    let cookie = m.member_with(50);
    let (_, code) = m.phone_code(&cookie, &tea);
    let till = sign_in(&key(&m, "counter", Some(1)));
    let done = form("/staff/confirm", Some(&till), &[("code", &code)]);
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.body.contains(&format!("Confirmed: Tea (code {code})")),
        "{}",
        done.body
    );
    let twice = form("/staff/confirm", Some(&till), &[("code", &code)]);
    assert_eq!(twice.status, 409, "{}", twice.body);
    assert!(
        twice
            .body
            .contains("this code was already confirmed (code: redemption_already_confirmed)"),
        "{}",
        twice.body
    );
    let wrong = form("/staff/confirm", Some(&till), &[("code", "12ab")]);
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert_eq!(m.explain(&cookie)["balance"]["points"], 40);
    m.assert_ledger_consistent();
}

#[test]
fn posters_are_printed_per_location_with_a_reusable_visit_code() {
    let m = merchant_with_two_locations();
    let owner = sign_in(&m.key);
    let till = sign_in(&key(&m, "counter", Some(1)));
    let poster = worker().get("/staff/poster/2", Some(&owner));
    assert_eq!(poster.status, 200, "{}", poster.body);
    assert!(poster.body.contains("Dworzec") && poster.body.contains("@media print"));
    let url = qr_url(&poster.body);
    let token = url.rsplit('/').next().unwrap();
    // Two phones join through the same poster.
    for name in ["Ala", "Jan"] {
        let r = m.join(token, name);
        assert_eq!(r.status, 200, "{}", r.body);
    }
    // A counter key prints only its own location's poster and sees only it on the counter.
    worker()
        .get("/staff/poster/2", Some(&till))
        .assert_error_page(422, "unknown_location");
    assert_eq!(worker().get("/staff/poster/1", Some(&till)).status, 200);
    let owner_home = worker().get("/staff", Some(&owner));
    assert!(owner_home.body.contains("<select"), "{}", owner_home.body);
    m.assert_ledger_consistent();
}

#[test]
fn sign_in_refuses_bad_read_only_and_cross_site_keys_and_revoking_signs_out() {
    let m = worker().merchant(json!({}));
    let bad = form("/staff/sign-in", None, &[("key", "lek_nope")]);
    assert_eq!(bad.status, 401, "{}", bad.body);
    assert!(bad.header("set-cookie").is_none());
    let read = form("/staff/sign-in", None, &[("key", &key(&m, "read", None))]);
    assert_eq!(read.status, 403, "{}", read.body);
    let till_key = key(&m, "counter", Some(1));
    let body = format!("key={till_key}");
    worker()
        .send(
            "POST",
            "/staff/sign-in",
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("sec-fetch-site", "cross-site"),
            ],
            Some(&body),
        )
        .assert_error_page(403, "cross_site_form");

    // Without a session, or with a forged one, every screen asks to sign in.
    let home = worker().get("/staff", None);
    assert!(home.body.contains("Counter sign-in"), "{}", home.body);
    let forged = worker().get("/staff", Some("le_staff=0123456789abcdef.9999999999.AAAA"));
    assert!(forged.body.contains("Counter sign-in"));
    assert_eq!(worker().get("/staff/poster/1", None).status, 401);

    let till = sign_in(&till_key);
    assert!(worker()
        .get("/staff", Some(&till))
        .body
        .contains("New sale"));
    let id = till_key.split('_').nth(1).unwrap();
    let revoked = m.api("DELETE", &format!("/api/v1/keys/{id}"), None, None);
    assert!(revoked.status < 300, "{}", revoked.body);
    assert!(worker()
        .get("/staff", Some(&till))
        .body
        .contains("Counter sign-in"));
    let out = form("/staff/sign-out", Some(&till), &[]);
    assert_eq!(out.status, 303);
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
}
