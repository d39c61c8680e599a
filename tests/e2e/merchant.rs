//! The merchant's profile, locations and key rotation: changes show on the pages at once, the
//! currency never changes, and a rotated key stops working the moment its successor exists.

use serde_json::{json, Value};

use crate::harness::{worker, Merchant, Sign};

fn call(key: &str, method: &str, path: &str, body: Option<&Value>) -> crate::harness::Resp {
    let auth = format!("Bearer {key}");
    let text = body.map(Value::to_string);
    let mut headers = vec![("authorization", auth.as_str())];
    if text.is_some() {
        headers.push(("content-type", "application/json"));
    }
    worker().send(method, path, &headers, text.as_deref())
}

#[test]
fn a_profile_change_shows_on_the_pages_and_the_currency_stays() {
    let m = worker().merchant(json!({}));
    let before = m.api("GET", "/api/v1/merchant", None, None);
    assert_eq!(before.status, 200, "{}", before.body);
    assert_eq!(before.json()["currency"]["code"], "PLN");
    let resp = m.api(
        "PATCH",
        "/api/v1/merchant",
        Some(&json!({ "name": "Kawiarnia Róża",
                      "branding": { "primary_color": "#112233", "logo_url": "https://cdn.example/roza.png", "tone": "formal" } })),
        None,
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_eq!(resp.json()["name"], "Kawiarnia Róża");
    assert_eq!(resp.json()["time_zone"], "Europe/Warsaw", "omitted: kept");
    let page = m.join(&m.token(Sign::default()), "Ola");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Kawiarnia Róża"), "{}", page.body);
    assert!(page.body.contains(r#"src="https://cdn.example/roza.png""#));
    assert!(page.body.contains("--p:#112233"));
    assert!(page.body.contains("Welcome. Your loyalty card is ready."));
    assert!(!page.body.contains("Welcome, Ola!"));

    for (body, field) in [
        (
            json!({ "currency": { "code": "EUR", "minor_units": 2 } }),
            "currency",
        ),
        (json!({ "time_zone": "Europe/Atlantis" }), "time_zone"),
        (
            json!({ "branding": { "logo_url": "http://insecure.example/x.png" } }),
            "branding.logo_url",
        ),
        (json!({ "name": "" }), "name"),
    ] {
        let resp = m.api("PATCH", "/api/v1/merchant", Some(&body), None);
        resp.assert_problem(422, "invalid_field");
        let detail = resp.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.starts_with(field), "{field}: {detail}");
    }
    let after = m.api("GET", "/api/v1/merchant", None, None).json();
    assert_eq!(after["name"], "Kawiarnia Róża");
    assert_eq!(after["currency"]["code"], "PLN");
}

#[test]
fn locations_are_added_numbered_renamed_and_used_by_tokens() {
    let m = worker().merchant(json!({}));
    let add = m.api(
        "POST",
        "/api/v1/locations",
        Some(&json!({ "name": "Kiosk" })),
        None,
    );
    assert_eq!(add.status, 201, "{}", add.body);
    assert_eq!(add.json()["number"], 2);
    let sale = m.api(
        "POST",
        "/api/v1/scan-tokens",
        Some(&json!({ "location": 2, "kind": "purchase", "value": 500 })),
        None,
    );
    assert_eq!(sale.status, 201, "{}", sale.body);
    let resp = m.api(
        "PUT",
        "/api/v1/locations/2",
        Some(&json!({ "name": "Kiosk at the station" })),
        None,
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    let locations = m.api("GET", "/api/v1/merchant", None, None).json()["locations"].clone();
    assert_eq!(
        locations,
        json!([{ "number": 1, "name": "Main" }, { "number": 2, "name": "Kiosk at the station" }])
    );
    for n in ["9", "0", "abc"] {
        m.api(
            "PUT",
            &format!("/api/v1/locations/{n}"),
            Some(&json!({ "name": "X" })),
            None,
        )
        .assert_problem(404, "location_not_found");
    }
    m.api(
        "POST",
        "/api/v1/locations",
        Some(&json!({ "name": " " })),
        None,
    )
    .assert_problem(422, "invalid_field");
}

#[test]
fn a_rotated_key_keeps_its_scope_and_location_and_the_old_one_stops_at_once() {
    let m: Merchant = worker().merchant(json!({}));
    let till = m.api(
        "POST",
        "/api/v1/keys",
        Some(&json!({ "scope": "counter", "name": "till", "location": 1 })),
        None,
    );
    assert_eq!(till.status, 201, "{}", till.body);
    let (old_id, old_key) = (
        till.json()["id"].as_str().unwrap().to_owned(),
        till.json()["api_key"].as_str().unwrap().to_owned(),
    );
    let rotated = m.api("POST", &format!("/api/v1/keys/{old_id}/rotate"), None, None);
    assert_eq!(rotated.status, 201, "{}", rotated.body);
    let new_key = rotated.json()["api_key"].as_str().unwrap().to_owned();
    let new_id = rotated.json()["id"].as_str().unwrap().to_owned();
    let sale = json!({ "location": 1, "kind": "purchase", "value": 500 });
    call(&old_key, "POST", "/api/v1/scan-tokens", Some(&sale)).assert_problem(401, "auth_invalid");
    assert_eq!(
        call(&new_key, "POST", "/api/v1/scan-tokens", Some(&sale)).status,
        201
    );
    call(&new_key, "GET", "/api/v1/keys", None).assert_problem(403, "forbidden");
    let keys = m.api("GET", "/api/v1/keys", None, None).json();
    let new = keys["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == new_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        (
            new["scope"].clone(),
            new["name"].clone(),
            new["location"].clone()
        ),
        (json!("counter"), json!("till"), json!(1))
    );
    m.api("POST", &format!("/api/v1/keys/{old_id}/rotate"), None, None)
        .assert_problem(404, "api_key_not_found");
}
