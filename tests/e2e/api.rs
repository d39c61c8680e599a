//! The merchant and admin APIs: keys, the counter, program changes, tenant isolation, bad input.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use loyalty_edge::domain::keys::ScanKey;
use loyalty_edge::domain::token::{Lifetime, ScanKind, ScanToken};
use serde_json::json;

use crate::harness::{now, worker, Merchant};

fn issue(m: &Merchant, body: serde_json::Value) -> crate::harness::Resp {
    worker().json_as("POST", "/api/v1/scan-tokens", &m.key, &body)
}

#[test]
fn health_answers() {
    let resp = worker().get("/health", None);
    assert_eq!(resp.status, 200);
    assert_eq!(resp.json()["status"], "ok");
}

#[test]
fn the_counter_endpoint_refuses_a_missing_or_wrong_key() {
    let m = worker().merchant(json!({}));
    let body = json!({ "location": 1, "kind": "purchase", "value": 1250 }).to_string();
    let post = |headers: &[(&str, &str)]| {
        let mut all = vec![("content-type", "application/json")];
        all.extend_from_slice(headers);
        worker().send("POST", "/api/v1/scan-tokens", &all, Some(&body))
    };
    post(&[]).assert_problem(401, "auth_missing");
    post(&[("authorization", "Bearer nonsense")]).assert_problem(401, "auth_invalid");
    post(&[("authorization", "Basic abc")]).assert_problem(401, "auth_missing");
    let wrong_secret = format!("Bearer {}x", &m.key[..m.key.len() - 1]);
    post(&[("authorization", &wrong_secret)]).assert_problem(401, "auth_invalid");
    let unknown = "Bearer lek_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    post(&[("authorization", unknown)]).assert_problem(401, "auth_invalid");
    let admin_as_merchant = format!("Bearer {}", std::env::var("E2E_ADMIN_SECRET").unwrap());
    post(&[("authorization", &admin_as_merchant)]).assert_problem(401, "auth_invalid");
    assert_eq!(m.audit()["scans"], 0);
}

#[test]
fn a_counter_token_scans_and_credits_once() {
    let m = worker().merchant(json!({ "points_per_major_unit": 2 }));
    let resp = issue(
        &m,
        json!({ "location": 1, "kind": "purchase", "value": 1999, "ttl_secs": 120 }),
    );
    assert_eq!(resp.status, 201, "{}", resp.body);
    let body = resp.json();
    let url = body["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/s/", worker().base)), "{url}");
    assert!(body["qr_svg"].as_str().unwrap().contains("<svg"));
    assert_eq!(body["single_use"], true);
    assert!((body["expires_at"].as_i64().unwrap() - i64::from(now()) - 120).abs() <= 2);

    let path = &url[worker().base.len()..];
    let joined = m.join(&path[3..], "Ola");
    assert_eq!(joined.status, 200, "{}", joined.body);
    assert!(
        joined.body.contains("+39 points"),
        "19.99 at 2 points per złoty"
    );
    let cookie = joined.cookie().unwrap();
    assert_eq!(worker().get(path, Some(&cookie)).status, 409);
    m.assert_ledger_consistent();
}

#[test]
fn a_counter_device_can_sign_offline_with_the_scan_key() {
    let m = worker().merchant(json!({}));
    let auth = format!("Bearer {}", m.key);
    let resp = worker().send("GET", "/api/v1/scan-key", &[("authorization", &auth)], None);
    assert_eq!(resp.status, 200, "{}", resp.body);
    let body = resp.json();
    let key: [u8; 32] = URL_SAFE_NO_PAD
        .decode(body["key"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let token = ScanToken {
        kid: body["kid"].as_u64().unwrap() as u8,
        merchant: m.id,
        location: 1,
        kind: ScanKind::Stamps(2),
        issued_at: now(),
        lifetime: Lifetime::seconds(60).unwrap(),
        nonce: [4; 12],
    }
    .sign(&ScanKey::from_bytes(key));
    let joined = m.join(&token, "Offline");
    assert_eq!(joined.status, 200, "{}", joined.body);
    assert_eq!(
        m.read_member(&joined.cookie().unwrap())["member"]["stamps"],
        2
    );
}

#[test]
fn bad_counter_requests_get_a_problem_and_write_nothing() {
    let m = worker().merchant(json!({}));
    let auth = format!("Bearer {}", m.key);
    let send = |ct: &str, body: &str| {
        worker().send(
            "POST",
            "/api/v1/scan-tokens",
            &[("authorization", &auth), ("content-type", ct)],
            Some(body),
        )
    };
    send("application/json", "{not json").assert_problem(400, "invalid_json");
    send("application/json", r#"{"kind":"purchase","value":5}"#)
        .assert_problem(400, "invalid_json");
    send(
        "application/json",
        r#"{"location":1,"kind":"purchase","value":-5}"#,
    )
    .assert_problem(400, "invalid_json");
    send(
        "application/json",
        r#"{"location":1,"kind":"purchase","value":5,"extra":1}"#,
    )
    .assert_problem(400, "invalid_json");
    send("text/plain", r#"{"location":1,"kind":"visit"}"#)
        .assert_problem(415, "unsupported_media_type");
    send("application/json", &" ".repeat(20_000)).assert_problem(413, "body_too_large");
    issue(&m, json!({ "location": 9, "kind": "visit" })).assert_problem(422, "unknown_location");
    issue(&m, json!({ "location": 1, "kind": "gift" })).assert_problem(422, "invalid_field");
    issue(&m, json!({ "location": 1, "kind": "purchase" })).assert_problem(422, "invalid_field");
    issue(&m, json!({ "location": 1, "kind": "visit", "value": 3 }))
        .assert_problem(422, "invalid_field");
    issue(
        &m,
        json!({ "location": 1, "kind": "points", "value": 5, "ttl_secs": 3600 }),
    )
    .assert_problem(422, "invalid_field");
    let audit = m.audit();
    assert_eq!(
        (audit["members"].as_i64(), audit["scans"].as_i64()),
        (Some(0), Some(0))
    );
}

#[test]
fn a_poster_token_lasts_long_and_stamps_per_the_program() {
    let m = worker().merchant(json!({ "stamps_per_visit": 2 }));
    let body = issue(&m, json!({ "location": 1, "kind": "visit" })).json();
    assert_eq!(body["single_use"], false);
    assert!(body["expires_at"].as_i64().unwrap() > i64::from(now()) + 399 * 86_400);
    let token = body["token"].as_str().unwrap();
    let joined = m.join(token, "Ola");
    assert_eq!(
        m.read_member(&joined.cookie().unwrap())["member"]["stamps"],
        2
    );
}

#[test]
fn a_program_change_reaches_the_next_scan_and_is_recorded_in_the_ledger() {
    let m = worker().merchant(json!({ "visit_cooldown_secs": 0 }));
    let cookie = m.member();
    let resp = worker().json_as(
        "PUT",
        "/api/v1/program",
        &m.key,
        &json!({ "stamps_per_visit": 3, "visit_cooldown_secs": 0 }),
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_eq!(resp.json()["version"], 2);
    assert_eq!(
        worker()
            .get(&format!("/s/{}", m.poster()), Some(&cookie))
            .status,
        200
    );
    let member = m.read_member(&cookie);
    assert_eq!(member["member"]["stamps"], 1 + 3);
    assert_eq!(member["ledger"][0]["program_version"], 2);
    assert_eq!(member["ledger"][1]["program_version"], 1);

    let bad = worker().json_as(
        "PUT",
        "/api/v1/program",
        &m.key,
        &json!({ "stamp_card_size": 0 }),
    );
    bad.assert_problem(422, "invalid_field");
    assert!(bad.json()["detail"]
        .as_str()
        .unwrap()
        .contains("program.stamp_card_size"));
    let unknown = worker().json_as("PUT", "/api/v1/program", &m.key, &json!({ "stamps": 3 }));
    unknown.assert_problem(400, "invalid_json");
    m.assert_ledger_consistent();
}

#[test]
fn a_merchant_key_cannot_see_another_merchants_members() {
    let (a, b) = (worker().merchant(json!({})), worker().merchant(json!({})));
    let cookie_a = a.member();
    let auth_b = format!("Bearer {}", b.key);
    let path = format!("/api/v1/members/{}", Merchant::member_id(&cookie_a));
    worker()
        .send("GET", &path, &[("authorization", &auth_b)], None)
        .assert_problem(404, "member_not_found");
    // B's counter key signs for B only, whatever the request says.
    let body = issue(&b, json!({ "location": 1, "kind": "points", "value": 5 })).json();
    let token = body["token"].as_str().unwrap();
    let resp = worker().get(&format!("/s/{token}"), Some(&cookie_a));
    assert_eq!(resp.status, 200);
    assert!(
        resp.body.contains("Join Test Café"),
        "A's card is not B's card"
    );
    assert_eq!(a.read_member(&cookie_a)["member"]["points"], 12);
    assert_eq!(b.audit()["scans"], 0);
}

#[test]
fn merchants_are_created_only_by_the_admin_and_only_when_valid() {
    let body = json!({ "name": "X", "currency": { "code": "PLN", "minor_units": 2 }, "locations": ["Main"] });
    worker()
        .send(
            "POST",
            "/admin/v1/merchants",
            &[("content-type", "application/json")],
            Some(&body.to_string()),
        )
        .assert_problem(401, "auth_missing");
    let m = worker().merchant(json!({}));
    worker()
        .json_as("POST", "/admin/v1/merchants", &m.key, &body)
        .assert_problem(401, "auth_invalid");
    let mut bad = body.clone();
    bad["branding"] = json!({ "primary_color": "red" });
    let resp = worker().admin("POST", "/admin/v1/merchants", Some(&bad));
    resp.assert_problem(422, "invalid_field");
    assert!(resp.json()["detail"]
        .as_str()
        .unwrap()
        .contains("branding.primary_color"));
    let mut none = body.clone();
    none["locations"] = json!([]);
    worker()
        .admin("POST", "/admin/v1/merchants", Some(&none))
        .assert_problem(422, "invalid_field");
}

#[test]
fn unknown_routes_and_methods_are_answered_plainly() {
    worker()
        .get("/api/v1/nothing", None)
        .assert_problem(404, "not_found");
    worker()
        .send("DELETE", "/api/v1/scan-tokens", &[], None)
        .assert_problem(405, "method_not_allowed");
    worker()
        .get("/nothing", None)
        .assert_error_page(404, "not_found");
    worker()
        .send("DELETE", "/health", &[], None)
        .assert_error_page(405, "method_not_allowed");
}

#[test]
fn every_route_in_the_openapi_document_is_answered_by_the_worker() {
    let doc = worker().get("/openapi.json", None);
    assert_eq!(doc.status, 200, "{}", doc.body);
    let doc = doc.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut checked = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            // Any value for each path parameter: the router must still know the route.
            let concrete: String = path
                .split('/')
                .map(|s| if s.starts_with('{') { "x0" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            let resp = worker().send(&method.to_uppercase(), &concrete, &[], None);
            for fallback in ["not_found", "method_not_allowed"] {
                let problem = resp.body.contains(&format!("\"code\":\"{fallback}\""));
                let page = resp.body.contains(&format!("Code: {fallback}<"));
                assert!(
                    !problem && !page,
                    "{method} {concrete} fell through the router: {}",
                    resp.body
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 30, "{checked}");
    let unknown = worker().send("GET", "/api/v1/nothing-here", &[], None);
    unknown.assert_problem(404, "not_found");
}
