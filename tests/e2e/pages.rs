//! What phones and counters download: every page within its weight budget (HTML with its inline
//! CSS, QR codes and script, before images), and the card's web app manifest and icon.

use serde_json::json;

use crate::harness::{worker, Merchant, Resp, Sign};

/// Page weight budget before images, in bytes (30 KB).
const BUDGET: usize = 30 * 1024;

fn within_budget(what: &str, resp: &Resp) {
    assert_eq!(resp.status, 200, "{what}: {}", resp.body);
    assert!(
        resp.body.len() <= BUDGET,
        "{what} weighs {} bytes, over the {BUDGET}-byte budget",
        resp.body.len()
    );
    println!("{what}: {} bytes", resp.body.len());
}

fn staff_cookie(key: &str) -> String {
    let body = format!("key={key}");
    let resp = worker().send(
        "POST",
        "/staff/sign-in",
        &[("content-type", "application/x-www-form-urlencoded")],
        Some(&body),
    );
    assert_eq!(resp.status, 303, "{}", resp.body);
    resp.cookie().unwrap()
}

fn busy_merchant() -> Merchant {
    worker().merchant(json!({
        "referral": { "enabled": true, "referrer": { "points": 20 }, "referee": { "points": 10 } },
        "tiers": { "levels": [{ "name": "Member", "threshold": 0 }, { "name": "Gold", "threshold": 500 }] },
    }))
}

#[test]
fn every_page_a_phone_or_counter_loads_stays_within_its_budget() {
    let m = busy_merchant();
    for i in 0..6 {
        m.reward(
            json!({ "name": format!("Reward number {i}"), "kind": "free_item", "cost_points": 5 }),
        );
    }
    let token = m.token(Sign::default());
    within_budget("join form", &worker().get(&format!("/s/{token}"), None));
    let cookie = m.member();
    for _ in 0..12 {
        worker().get(&format!("/s/{}", m.token(Sign::default())), Some(&cookie));
    }
    let scan = worker().get(&format!("/s/{}", m.token(Sign::default())), Some(&cookie));
    within_budget("scan result", &scan);
    let card = worker().get(&format!("/c/{}", m.id), Some(&cookie));
    within_budget("card (rewards, history, invitation QR)", &card);
    let reward = m.reward(json!({ "name": "Cake", "kind": "free_item", "cost_points": 10 }));
    let (path, _) = m.phone_code(&cookie, &reward);
    within_budget("redemption code", &worker().get(&path, Some(&cookie)));
    let invite = card
        .body
        .split("/r/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let invite: String = invite
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    within_budget("invitation", &worker().get(&format!("/r/{invite}"), None));

    within_budget("staff sign-in", &worker().get("/staff", None));
    let staff = staff_cookie(&m.key);
    within_budget("counter", &worker().get("/staff", Some(&staff)));
    within_budget(
        "sale QR",
        &worker().get("/staff/sale?amount=1250&location=1", Some(&staff)),
    );
    within_budget("poster", &worker().get("/staff/poster/1", Some(&staff)));
}

#[test]
fn the_card_can_be_added_to_the_home_screen() {
    let m = busy_merchant();
    let cookie = m.member();
    let card = worker().get(&format!("/c/{}", m.id), Some(&cookie));
    let link = format!(
        r#"<link rel="manifest" href="/c/{}/manifest.webmanifest">"#,
        m.id
    );
    assert!(card.body.contains(&link), "{}", card.body);
    assert!(card
        .header("content-security-policy")
        .unwrap()
        .contains("manifest-src 'self'"));
    let manifest = worker().get(&format!("/c/{}/manifest.webmanifest", m.id), None);
    assert_eq!(manifest.status, 200, "{}", manifest.body);
    assert_eq!(
        manifest.header("content-type"),
        Some("application/manifest+json")
    );
    let doc = manifest.json();
    assert_eq!(doc["start_url"], format!("/c/{}", m.id));
    assert_eq!(doc["display"], "standalone");
    assert_eq!(doc["name"], "Test Café card");
    let icon = worker().get(&format!("/c/{}/icon.svg", m.id), None);
    assert_eq!(icon.status, 200);
    assert_eq!(icon.header("content-type"), Some("image/svg+xml"));
    assert!(icon.body.contains(">T</text>"), "{}", icon.body);
    worker()
        .get("/c/00000000/manifest.webmanifest", None)
        .assert_error_page(404, "merchant_not_found");
}
