//! The member's own pages: the whole history with the reason for every entry and upcoming
//! expiries, consent and preferences, a copy of their data, and erasure, all behind the member
//! cookie, refusing forms from other sites.

use serde_json::json;

use crate::harness::{worker, Resp, Sign};
use loyalty_edge::domain::token::ScanKind;

fn form(path: &str, cookie: &str, fields: &[(&str, &str)]) -> Resp {
    worker().post_form_as(path, Some(cookie), fields)
}

#[test]
fn the_history_gives_the_reason_for_every_entry_and_what_expires() {
    let m = worker().merchant(json!({
        "points_expiry": { "policy": "after_earning", "days": 30 },
        "sequences": [{ "id": "welcome_reward", "event": "first_purchase",
                        "gift": { "points": 5 }, "message": false }]
    }));
    let cookie = m.member();
    worker().get(
        &format!(
            "/s/{}",
            m.token(Sign {
                kind: ScanKind::Stamps(2),
                ..Sign::default()
            })
        ),
        Some(&cookie),
    );
    let page = worker().get(&format!("/c/{}/history", m.id), Some(&cookie));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Bonus · welcome reward"),
        "{}",
        page.body
    );
    assert_eq!(page.body.matches(">Collected").count(), 2, "{}", page.body);
    assert!(
        page.body.contains("17 points</strong> on"),
        "expiring: {}",
        page.body
    );
    let card = worker().get(&format!("/c/{}", m.id), Some(&cookie));
    assert!(card.body.contains(&format!("/c/{}/history", m.id)));
    assert!(card.body.contains(&format!("/c/{}/me", m.id)));
    // Without a card: the page that says how to get one.
    let none = worker().get(&format!("/c/{}/history", m.id), None);
    assert_eq!(none.status, 200);
    assert!(!none.body.contains("Bonus"), "{}", none.body);
}

#[test]
fn a_member_changes_consent_and_preferences_and_downloads_their_data() {
    let m = worker().merchant(json!({}));
    let cookie = m.member();
    let me = worker().get(&format!("/c/{}/me", m.id), Some(&cookie));
    assert_eq!(me.status, 200, "{}", me.body);
    assert!(
        me.body
            .contains(r#"name="marketing_consent" value="yes" checked"#),
        "{}",
        me.body
    );
    let saved = form(
        &format!("/c/{}/me/preferences", m.id),
        &cookie,
        &[("channel", "sms"), ("language", "pl")],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let after = worker().get(saved.header("location").unwrap(), Some(&cookie));
    // The member chose Polish: their own page now speaks it.
    assert!(after.body.contains("Zapisano."), "{}", after.body);
    assert!(after.body.contains(r#"<html lang="pl">"#), "{}", after.body);
    assert!(
        !after
            .body
            .contains(r#"name="marketing_consent" value="yes" checked"#),
        "consent withdrawn"
    );
    assert!(
        after
            .body
            .contains(r#"<option value="pl" lang="pl" selected>"#),
        "{}",
        after.body
    );
    let log = m.api("GET", "/api/v1/audit-log", None, None).json();
    assert!(log.to_string().contains("\"actor\":\"member\""), "{log}");
    let bad = form(
        &format!("/c/{}/me/preferences", m.id),
        &cookie,
        &[("channel", "fax")],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);

    let export = worker().get(&format!("/c/{}/me/export", m.id), Some(&cookie));
    assert_eq!(export.status, 200, "{}", export.body);
    assert!(export
        .header("content-disposition")
        .unwrap()
        .contains("attachment"));
    let data = export.json();
    assert_eq!(data["member"]["name"], "Ola", "{data}");
    // Another merchant's card cookie opens nothing here.
    let other = worker().merchant(json!({}));
    let theirs = other.member();
    let foreign = worker().get(&format!("/c/{}/me/export", m.id), Some(&theirs));
    assert!(!foreign.body.contains("\"member\""), "{}", foreign.body);
}

#[test]
fn a_member_erases_themselves_after_confirming_and_the_card_stops_working() {
    let m = worker().merchant(json!({}));
    let cookie = m.member();
    let path = format!("/c/{}/me/erase", m.id);
    form(&path, &cookie, &[]).assert_error_page(422, "invalid_field");
    let cross = worker().send(
        "POST",
        &path,
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("cookie", &cookie),
            ("sec-fetch-site", "cross-site"),
        ],
        Some("confirm=yes"),
    );
    cross.assert_error_page(403, "cross_site_form");
    assert_eq!(m.read_member(&cookie)["member"]["name"], "Ola");
    let done = form(&path, &cookie, &[("confirm", "yes")]);
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Your data is erased"));
    assert!(done.header("set-cookie").unwrap().contains("Max-Age=0"));
    let card = worker().get(&format!("/c/{}", m.id), Some(&cookie));
    assert!(!card.body.contains("Hi Ola"), "{}", card.body);
    m.assert_ledger_consistent();
}
