//! The console's Insights and Customers end to end: a person signed in with a password sees
//! the figures, members and held referrals of their own café only, in their language, and
//! decides a held referral once, audited with their name; staff are refused.

use serde_json::json;

use crate::console::{cookies, csrf_of, fresh_email, get, post, session_only, sign_in, PASSWORD};
use crate::harness::{concurrently, now, worker, Merchant};
use crate::referrals::{referring, Phone};

/// Adds a person with `role` and `language` to merchant `m` (the operator's API) and returns
/// the cookie of their signed-in browser.
fn person(m: &Merchant, role: &str, name: &str, language: &str) -> String {
    let email = fresh_email();
    let resp = worker().admin(
        "POST",
        &format!("/admin/v1/merchants/{}/people", m.id),
        Some(
            &json!({ "email": email, "name": name, "role": role, "password": PASSWORD,
                      "language": language }),
        ),
    );
    assert_eq!(resp.status, 201, "{}", resp.body);
    let signed = sign_in(&email, PASSWORD, &[]);
    assert_eq!(signed.status, 303, "{}", signed.body);
    session_only(&cookies(&signed))
}

/// The snake_case words (API field names) a person would read on `page`: its text outside
/// tags, styles, scripts and `<code>`.
fn identifiers(page: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = page;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        text.push(' ');
        let tag = &rest[start..];
        let skip_to = ["<style", "<script", "<code", "<textarea"]
            .iter()
            .find(|t| tag.starts_with(**t))
            .map(|t| format!("</{}>", &t[1..]));
        rest = match skip_to {
            Some(end) => tag.find(&end).map_or("", |i| &tag[i + end.len()..]),
            None => tag.find('>').map_or("", |i| &tag[i + 1..]),
        };
    }
    text.push_str(rest);
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| {
            w.contains('_')
                && !w.starts_with('_')
                && !w.ends_with('_')
                && w.chars().any(|c| c.is_ascii_lowercase())
        })
        .map(str::to_owned)
        .collect()
}

fn roll_up(m: &Merchant) {
    let roll = worker().admin(
        "POST",
        &format!("/admin/v1/merchants/{}/rollups", m.id),
        Some(&json!({ "now": i64::from(now()) * 1000 + 2 * 86_400_000 })),
    );
    assert_eq!(roll.status, 200, "{}", roll.body);
}

#[test]
fn an_owner_sees_the_insights_and_customers_of_their_own_cafe_only_in_their_language() {
    let ours = worker().merchant(json!({}));
    let cookie = ours.member();
    let member = Merchant::member_id(&cookie);
    ours.reward(json!({ "name": "Espresso", "kind": "free_item", "cost_points": 500 }));
    roll_up(&ours);
    let theirs = worker().merchant(json!({}));
    let stranger = Merchant::member_id(&theirs.member());
    theirs.reward(json!({ "name": "Sernik sąsiada", "kind": "free_item", "cost_points": 500 }));
    roll_up(&theirs);

    let owner = person(&ours, "owner", "Ala Nowak", "pl");
    let page = get("/console/insights", &owner);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(r#"<html lang="pl">"#));
    assert!(page.body.contains("<h1>Analizy</h1>"), "{}", page.body);
    assert!(
        page.body.contains("członkowie na koniec dnia"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(">Espresso<"),
        "our reward: {}",
        page.body
    );
    assert!(!page.body.contains("Sernik"), "never the other café's");
    assert_eq!(page.body.matches("<svg class=\"chart\"").count(), 3);
    // Revenue of 12.50 on our one purchase day, with a decimal comma.
    assert!(page.body.contains(",50 PLN<"), "{}", page.body);
    assert!(!page.body.contains(".50 PLN<"), "{}", page.body);
    assert!(page
        .body
        .contains(r#"href="/console/insights" aria-current="page""#));
    // In plain words in both languages: no field name like `clv_minor` among the page's words.
    for (role, name, language) in [("manager", "Ed Wood", "en"), ("manager", "Ola Lis", "pl")] {
        let who = person(&ours, role, name, language);
        let page = get("/console/insights", &who).body;
        let ids = identifiers(&page);
        assert!(ids.is_empty(), "{language}: {ids:?}");
        assert!(page.contains(if language == "en" {
            "members at the end of the day"
        } else {
            "członkowie na koniec dnia"
        }));
    }

    // The lookup finds our member by the start of their name, and not the other café's.
    let found = get("/console/customers?query=Ol", &owner);
    assert_eq!(found.status, 200, "{}", found.body);
    assert!(
        found.body.contains(&format!("/console/customers/{member}")),
        "{}",
        found.body
    );
    assert!(!found.body.contains(&stranger));
    let unreadable = get("/console/customers?query=ala%40", &owner);
    assert_eq!(unreadable.status, 422, "{}", unreadable.body);
    assert!(
        unreadable.body.contains("Podaj e-mail"),
        "{}",
        unreadable.body
    );
    assert!(
        unreadable.body.contains(r#"value="ala@""#),
        "the query is kept"
    );

    // Their history, explained in Polish.
    let history = get(&format!("/console/customers/{member}"), &owner);
    assert_eq!(history.status, 200, "{}", history.body);
    assert!(history.body.contains("<h2>Ola</h2>"), "{}", history.body);
    assert!(history.body.contains(">Zebrane<"), "{}", history.body);
    assert!(history.body.contains("zakup 12,50 PLN"), "{}", history.body);
    // Another café's member, or no member at all: not found, in the console frame.
    for id in [stranger.as_str(), "0123456789abcdef0123456789abcdef", "x"] {
        let other = get(&format!("/console/customers/{id}"), &owner);
        assert_eq!(other.status, 404, "{id}: {}", other.body);
        assert!(other.body.contains("Nie ma tu takiego klienta"));
        assert!(!other.body.contains("Ola</h2>"));
    }

    // The English owner of the other café sees their own figures in English.
    let neighbour = person(&theirs, "manager", "Jan", "en");
    let page = get("/console/insights", &neighbour);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Sernik sąsiada"));
    assert!(!page.body.contains("Espresso"));
    assert!(page.body.contains(".50 PLN<"), "{}", page.body);
    // Staff open neither.
    let staff = person(&ours, "staff", "Ewa", "en");
    for path in [
        "/console/insights".to_owned(),
        "/console/customers".to_owned(),
        format!("/console/customers/{member}"),
    ] {
        let refused = get(&path, &staff);
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
        assert!(!refused.body.contains("Ola"), "{path}");
    }
}

#[test]
fn a_held_referral_is_approved_once_from_the_console_and_audited_with_the_persons_name() {
    let m = referring(
        json!({ "velocity": { "window_hours": 24, "per_device": 1, "per_network": 0 } }),
        json!({}),
    );
    let (_, code) = m.referrer();
    let first = Phone::new();
    first.join_by_invitation(&code, "Ewa", "ewa@example.com", "");
    let second = first.same_device();
    second.join_by_invitation(&code, "Filip", "filip@example.com", "");
    let held = second.member_id(&m);
    assert_eq!(m.referral(&held)["decision"], "held");
    let id = m.referral(&held)["id"].as_str().unwrap().to_owned();
    let approve = format!("/console/customers/referrals/{id}/approve");
    let reject = format!("/console/customers/referrals/{id}/reject");

    // Staff are refused, with a good token, and nothing is decided.
    let staff = person(&m, "staff", "Ewa", "en");
    let token = csrf_of(&get("/console/account", &staff).body);
    let refused = post(&approve, &[("cookie", &staff)], &[("csrf", &token)]);
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(m.referral(&held)["decision"], "held");

    let owner = person(&m, "owner", "Ala Nowak", "en");
    let page = get("/console/customers", &owner);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Referrals held for review"),
        "{}",
        page.body
    );
    assert!(page.body.contains("invited Filip"), "{}", page.body);
    assert!(page.body.contains(&format!(r#"action="{approve}""#)));
    let token = csrf_of(&page.body);
    let done = post(&approve, &[("cookie", &owner)], &[("csrf", &token)]);
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Approved"), "{}", done.body);
    assert!(!done.body.contains("invited Filip"), "no longer held");
    let row = m.referral(&held);
    assert_eq!(row["decision"], "ok");
    // A second approve, or a reject now, changes nothing and says so.
    for path in [&approve, &reject] {
        let again = post(path, &[("cookie", &owner)], &[("csrf", &token)]);
        assert_eq!(again.status, 409, "{}", again.body);
        assert!(again.body.contains("decided already"), "{}", again.body);
    }
    assert_eq!(m.referral(&held), row, "nothing written twice");
    let unknown = post(
        "/console/customers/referrals/abc/approve",
        &[("cookie", &owner)],
        &[("csrf", &token)],
    );
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    // The activity names the person, once.
    let activity = get("/console/activity", &owner);
    assert_eq!(activity.status, 200, "{}", activity.body);
    assert_eq!(
        activity.body.matches("approved a referral").count(),
        1,
        "{}",
        activity.body
    );
    assert!(
        activity
            .body
            .contains("<strong>Ala Nowak</strong> approved a referral"),
        "{}",
        activity.body
    );
    m.assert_ledger_consistent();
}

#[test]
fn an_owner_downloads_a_customers_data_and_erases_it_after_a_confirmation() {
    let ours = worker().merchant(json!({}));
    let cookie = ours.member();
    let member = Merchant::member_id(&cookie);
    let owner = person(&ours, "owner", "Ala Nowak", "en");
    let page = get(&format!("/console/customers/{member}"), &owner);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page
        .body
        .contains(&format!(r#"href="/console/customers/{member}/export""#)));
    let export = get(&format!("/console/customers/{member}/export"), &owner);
    assert_eq!(export.status, 200, "{}", export.body);
    assert!(export
        .header("content-disposition")
        .is_some_and(|d| d.starts_with("attachment")));
    assert!(export.body.contains("\"Ola\""), "{}", export.body);

    let path = format!("/console/customers/{member}/erase");
    let csrf = csrf_of(&page.body);
    let asked = post(&path, &[("cookie", &owner)], &[("csrf", &csrf)]);
    assert_eq!(asked.status, 200);
    assert!(
        asked.body.contains("Erase this customer's personal data?"),
        "{}",
        asked.body
    );
    let no_reason = post(
        &path,
        &[("cookie", &owner)],
        &[("csrf", &csrf), ("confirm", "1"), ("reason", " ")],
    );
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.body.contains(r#"id="f-reason-err""#));
    assert!(
        get(&format!("/console/customers/{member}/export"), &owner)
            .body
            .contains("\"Ola\""),
        "nothing erased yet"
    );

    // Another café's owner cannot see or erase them.
    let theirs = worker().merchant(json!({}));
    let stranger = person(&theirs, "owner", "Ewa", "en");
    assert_eq!(
        get(&format!("/console/customers/{member}/export"), &stranger).status,
        404
    );
    let csrf_s = csrf_of(&get("/console/customers", &stranger).body);
    let refused = post(
        &path,
        &[("cookie", &stranger)],
        &[("csrf", &csrf_s), ("confirm", "1"), ("reason", "asked")],
    );
    assert_eq!(refused.status, 404);

    let erased = post(
        &path,
        &[("cookie", &owner)],
        &[
            ("csrf", &csrf),
            ("confirm", "1"),
            ("reason", "asked by email"),
        ],
    );
    assert_eq!(erased.status, 303, "{}", erased.body);
    assert_eq!(
        erased.header("location"),
        Some("/console/customers?erased=1")
    );
    let list = get("/console/customers?erased=1", &owner);
    assert!(
        list.body.contains("personal data is erased"),
        "{}",
        list.body
    );
    let after = get(&format!("/console/customers/{member}/export"), &owner);
    assert!(!after.body.contains("\"Ola\""), "{}", after.body);
    let again = post(
        &path,
        &[("cookie", &owner)],
        &[("csrf", &csrf), ("confirm", "1"), ("reason", "twice")],
    );
    assert!(
        again.status == 303 || again.status == 404,
        "erasing twice is harmless: {}",
        again.status
    );
    assert!(get("/console/activity", &owner)
        .body
        .contains("asked by email"));
}

#[test]
fn the_customer_list_downloads_as_csv_in_the_persons_language_without_formulas() {
    let ours = worker().merchant(json!({}));
    let token = ours.token(crate::harness::Sign::default());
    let joined = ours.join(&token, "=HYPERLINK(\"http://x\")");
    assert_eq!(joined.status, 200, "{}", joined.body);
    ours.member();
    let theirs = worker().merchant(json!({}));
    theirs.join(&theirs.token(crate::harness::Sign::default()), "Sąsiad");
    let owner = person(&ours, "owner", "Ala Nowak", "pl");
    assert!(get("/console/customers", &owner)
        .body
        .contains(r#"href="/console/customers.csv""#));
    let csv = get("/console/customers.csv", &owner);
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("imię,e-mail,telefon"), "{}", lines[0]);
    assert_eq!(lines.len(), 3, "{}", csv.body);
    assert!(
        lines[1].starts_with("\"'=HYPERLINK("),
        "never a formula: {}",
        lines[1]
    );
    assert!(lines[2].starts_with("Ola,"), "{}", lines[2]);
    assert!(!csv.body.contains("Sąsiad"), "never the other café's");
}

/// The value of hidden field `name` on `page`.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = page.find(&marker).expect("the hidden field") + marker.len();
    page[start..].split('"').next().unwrap().to_owned()
}

#[test]
fn a_balance_is_corrected_once_with_a_reason_and_each_mistake_is_shown_beside_its_field() {
    let ours = worker().merchant(json!({}));
    let cookie = ours.member();
    let member = Merchant::member_id(&cookie);
    let owner = person(&ours, "owner", "Ala Nowak", "en");
    let path = format!("/console/customers/{member}");
    let page = get(&path, &owner);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Correct the balance"), "{}", page.body);
    assert!(page.body.contains("Messages to them"), "{}", page.body);
    let (csrf, once) = (csrf_of(&page.body), hidden(&page.body, "once"));
    let before = ours.read_member(&cookie)["member"].clone();
    let adjust = format!("{path}/adjust");
    let send = |fields: &[(&str, &str)]| post(&adjust, &[("cookie", &owner)], fields);

    // Each mistake beside its field, the typing kept, nothing recorded.
    let wrong = send(&[
        ("csrf", &csrf),
        ("once", &once),
        ("direction", "add"),
        ("points", "ten"),
        ("stamps", "2"),
        ("reason", ""),
    ]);
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(
        wrong.body.contains(r#"id="f-points-err""#),
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("Type a whole number"), "{}", wrong.body);
    assert!(
        wrong.body.contains(r#"id="f-reason-err""#),
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains(r#"value="ten""#), "the typing is kept");
    assert!(
        wrong.body.contains("Nothing was recorded"),
        "{}",
        wrong.body
    );
    assert_eq!(
        hidden(&wrong.body, "once"),
        once,
        "the same form, still once"
    );
    let nothing = send(&[
        ("csrf", &csrf),
        ("once", &once),
        ("direction", "take"),
        ("reason", "oops"),
    ]);
    assert_eq!(nothing.status, 422);
    assert!(nothing.body.contains("at least one"), "{}", nothing.body);
    // Taking away more than they have.
    let too_much = send(&[
        ("csrf", &csrf),
        ("once", &once),
        ("direction", "take"),
        ("points", "500"),
        ("reason", "oops"),
    ]);
    assert_eq!(too_much.status, 422, "{}", too_much.body);
    let held = before["points"].as_i64().unwrap();
    assert!(
        too_much
            .body
            .contains(&format!("They have only {held}: take away at most {held}.")),
        "{}",
        too_much.body
    );
    // A form without its token is not recorded, and comes back with a fresh one.
    let stale = send(&[
        ("csrf", &csrf),
        ("direction", "add"),
        ("points", "5"),
        ("reason", "oops"),
    ]);
    assert_eq!(stale.status, 422);
    assert!(stale.body.contains("out of date"), "{}", stale.body);
    assert_eq!(
        ours.read_member(&cookie)["member"]["points"],
        before["points"]
    );

    // In Polish, beside the field.
    let polish = person(&ours, "manager", "Ewa Lis", "pl");
    let pl_page = get(&path, &polish);
    assert!(pl_page.body.contains("Popraw saldo"), "{}", pl_page.body);
    let pl = post(
        &adjust,
        &[("cookie", &polish)],
        &[
            ("csrf", &csrf_of(&pl_page.body)),
            ("once", &hidden(&pl_page.body, "once")),
            ("direction", "add"),
            ("points", "-3"),
            ("reason", "x"),
        ],
    );
    assert_eq!(pl.status, 422);
    assert!(pl.body.contains("Wpisz liczbę całkowitą"), "{}", pl.body);
    assert!(pl.body.contains("Nic nie zapisano"), "{}", pl.body);

    // Pressed eight times at once: recorded once.
    let statuses = concurrently(8, || {
        send(&[
            ("csrf", &csrf),
            ("once", &once),
            ("direction", "add"),
            ("points", "25"),
            ("stamps", "2"),
            ("reason", "Stamp forgotten on Monday"),
        ])
        .status
    });
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    let after = ours.read_member(&cookie)["member"].clone();
    assert_eq!(
        after["points"].as_i64().unwrap(),
        before["points"].as_i64().unwrap() + 25,
        "{after}"
    );
    assert_eq!(
        after["stamps"].as_i64().unwrap(),
        before["stamps"].as_i64().unwrap() + 2,
        "{after}"
    );
    let shown = get(&format!("{path}?corrected=1"), &owner);
    assert!(
        shown.body.contains("The correction is recorded."),
        "{}",
        shown.body
    );
    assert!(
        shown.body.contains("Stamp forgotten on Monday"),
        "the history says why"
    );
    let log = get("/console/activity", &owner);
    assert_eq!(
        log.body
            .matches("corrected a customer&#39;s balance (Stamp forgotten on Monday)")
            .count()
            + log
                .body
                .matches("corrected a customer's balance (Stamp forgotten on Monday)")
                .count(),
        1,
        "{}",
        log.body
    );
    assert!(
        log.body.contains("Ala Nowak"),
        "audited with the person's name"
    );

    // Taking away, with a new form, down to exactly nothing.
    let next = get(&path, &owner);
    let points = after["points"].as_i64().unwrap().to_string();
    let taken = send(&[
        ("csrf", &csrf),
        ("once", &hidden(&next.body, "once")),
        ("direction", "take"),
        ("points", &points),
        ("reason", "Given by mistake"),
    ]);
    assert_eq!(taken.status, 303, "{}", taken.body);
    assert_eq!(ours.read_member(&cookie)["member"]["points"], 0);

    // Another café's owner cannot correct them.
    let theirs = worker().merchant(json!({}));
    let stranger = person(&theirs, "owner", "Ewa", "en");
    let csrf_s = csrf_of(&get("/console/customers", &stranger).body);
    let refused = post(
        &adjust,
        &[("cookie", &stranger)],
        &[
            ("csrf", &csrf_s),
            ("once", &hidden(&next.body, "once")),
            ("direction", "add"),
            ("points", "5"),
            ("reason", "x"),
        ],
    );
    assert_eq!(refused.status, 404, "{}", refused.body);
    assert_eq!(ours.read_member(&cookie)["member"]["points"], 0);
    ours.assert_ledger_consistent();
}
