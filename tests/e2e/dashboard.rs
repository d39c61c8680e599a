//! The dashboard end to end: sign-in with an owner or read key, the overview drawn from rolled
//! up days (KPI cards with definitions and samples, SVG charts, segments, channels, sequences),
//! the member lookup with an explained ledger, and the program settings form.

use serde_json::json;

use crate::harness::{worker, Merchant, Resp, Sign};

fn form(path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Resp {
    worker().post_form_as(path, cookie, fields)
}

fn sign_in(key: &str) -> String {
    let resp = form("/dashboard/sign-in", None, &[("key", key)]);
    assert_eq!(resp.status, 303, "{}", resp.body);
    let set = resp.header("set-cookie").unwrap().to_owned();
    assert!(
        set.starts_with("le_dash=") && set.contains("Path=/dashboard"),
        "{set}"
    );
    resp.cookie().unwrap()
}

fn key(m: &Merchant, scope: &str) -> String {
    let mut body = json!({ "scope": scope, "name": scope });
    if scope == "counter" {
        body["location"] = json!(1);
    }
    let resp = m.api("POST", "/api/v1/keys", Some(&body), None);
    assert_eq!(resp.status, 201, "{}", resp.body);
    resp.json()["api_key"].as_str().unwrap().to_owned()
}

fn now_ms() -> i64 {
    i64::from(crate::harness::now()) * 1000
}

#[test]
fn the_overview_draws_kpis_and_charts_from_rolled_up_days() {
    let m = worker().merchant(json!({}));
    let cookie = m.member();
    for _ in 0..2 {
        worker().get(&format!("/s/{}", m.token(Sign::default())), Some(&cookie));
    }
    m.member();
    // Two rewards: one redeemed once by staff (12 points), one never used.
    let coffee = m.reward(json!({ "name": "Espresso", "kind": "free_item", "cost_points": 12 }));
    m.reward(json!({ "name": "Croissant", "kind": "free_item", "cost_points": 500 }));
    assert_eq!(m.redeem_direct(&cookie, &coffee).status, 201);
    let roll = worker().admin(
        "POST",
        &format!("/admin/v1/merchants/{}/rollups", m.id),
        Some(&json!({ "now": now_ms() + 2 * 86_400_000 })),
    );
    assert_eq!(roll.status, 200, "{}", roll.body);

    let dash = sign_in(&m.key);
    let page = worker().get("/dashboard", Some(&dash));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Rolled up through"), "{}", page.body);
    // The members card: 2 members, with its definition and sample.
    assert!(
        page.body.contains("members at the end of the day"),
        "{}",
        page.body
    );
    assert!(page.body.contains(">2<"), "{}", page.body);
    assert!(
        page.body.contains("sample: buyers in 90 days = 2"),
        "{}",
        page.body
    );
    assert_eq!(page.body.matches("<svg class=\"chart\"").count(), 3);
    assert!(
        page.body.contains("Rewards (last 30 days)"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<td>Espresso</td><td class=\"n\">1</td><td class=\"n\">12</td>"),
        "redeemed once for 12 points: {}",
        page.body
    );
    assert!(
        page.body
            .contains("<td>Croissant</td><td class=\"n\">0</td>"),
        "an unused reward is listed: {}",
        page.body
    );
    assert!(page.body.contains("<polyline"), "{}", page.body);
    assert!(page.body.contains("<rect"), "revenue bars");
    assert!(
        page.body.contains(">counter<"),
        "the channel table: {}",
        page.body
    );
    assert!(page.body.len() < 60 * 1024, "{} bytes", page.body.len());

    // A read key sees it too; a counter key cannot sign in.
    let reader = sign_in(&key(&m, "read"));
    assert_eq!(worker().get("/dashboard", Some(&reader)).status, 200);
    let till = form("/dashboard/sign-in", None, &[("key", &key(&m, "counter"))]);
    assert_eq!(till.status, 403, "{}", till.body);
    // Without a session: the sign-in form; the staff cookie does not open it.
    assert!(worker()
        .get("/dashboard", None)
        .body
        .contains("Dashboard sign-in"));
}

#[test]
fn a_member_is_found_and_their_ledger_explained() {
    let m = worker().merchant(json!({}));
    let cookie = m.member();
    let id = Merchant::member_id(&cookie);
    let dash = sign_in(&m.key);
    let found = worker().get("/dashboard/members?query=Ol", Some(&dash));
    assert_eq!(found.status, 200, "{}", found.body);
    assert!(
        found.body.contains(&format!("/dashboard/members/{id}")),
        "{}",
        found.body
    );
    let page = worker().get(&format!("/dashboard/members/{id}"), Some(&dash));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("12 points (0 pending), 1 stamp,"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(">Collected<") && page.body.contains("+12 pts, +1 stamps"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("purchase 1250"),
        "the cause: {}",
        page.body
    );

    // Another merchant's member is not there.
    let other = worker().merchant(json!({}));
    let theirs = Merchant::member_id(&other.member());
    worker()
        .get(&format!("/dashboard/members/{theirs}"), Some(&dash))
        .assert_error_page(404, "member_not_found");
    let blank = worker().get("/dashboard/members?query=%20%20", Some(&dash));
    assert_eq!(blank.status, 200, "{}", blank.body);
    assert!(
        !blank.body.contains("Open "),
        "a blank query lists nobody: {}",
        blank.body
    );
}

#[test]
fn the_program_form_stores_a_new_version_or_names_the_problem() {
    let m = worker().merchant(json!({}));
    let dash = sign_in(&m.key);
    let shown = worker().get("/dashboard/program", Some(&dash));
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(
        shown.body.contains("&quot;stamp_card_size&quot;: 8"),
        "{}",
        shown.body
    );
    let bad = form(
        "/dashboard/program",
        Some(&dash),
        &[("program", r#"{"stamp_card_size": 99}"#)],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("program.stamp_card_size"), "{}", bad.body);
    let broken = form("/dashboard/program", Some(&dash), &[("program", "{")]);
    assert_eq!(broken.status, 400, "{}", broken.body);
    let before = m.api("GET", "/api/v1/program", None, None).json()["version"].clone();
    let good = form(
        "/dashboard/program",
        Some(&dash),
        &[("program", r#"{"stamp_card_size": 10}"#)],
    );
    assert_eq!(good.status, 200, "{}", good.body);
    assert!(good.body.contains("Saved as version"), "{}", good.body);
    let after = m.api("GET", "/api/v1/program", None, None).json();
    assert_eq!(after["program"]["stamp_card_size"], 10);
    assert_eq!(after["version"], before.as_i64().unwrap() + 1);
    let reader = sign_in(&key(&m, "read"));
    let refused = form("/dashboard/program", Some(&reader), &[("program", "{}")]);
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(
        m.api("GET", "/api/v1/program", None, None).json()["version"],
        after["version"]
    );
}

#[test]
fn the_settings_fields_change_just_those_settings_as_a_new_version() {
    let m = worker().merchant(json!({ "point_value_per_100": 250 }));
    let dash = sign_in(&m.key);
    let shown = worker().get("/dashboard/program", Some(&dash));
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(
        shown
            .body
            .contains(r#"id="stamp_card_size" name="stamp_card_size" value="8""#),
        "{}",
        shown.body
    );
    let before = m.api("GET", "/api/v1/program", None, None).json();
    let version = before["version"].as_i64().unwrap();
    let settings = |fields: &[(&str, &str)]| {
        let mut all = vec![("form", "settings")];
        all.extend_from_slice(fields);
        form("/dashboard/program", Some(&dash), &all)
    };

    let bad = settings(&[("stamp_card_size", "0"), ("points_per_major_unit", "5")]);
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body.contains(r#"<p class="err" id="stamp_card_size-err" role="alert">program.stamp_card_size: must be between 1 and 50"#),
        "the problem is named under its field: {}",
        bad.body
    );
    assert!(
        bad.body.contains(r#"value="0" min="1""#),
        "what was typed is kept: {}",
        bad.body
    );
    let not_a_number = settings(&[("visit_daily_cap", "two")]);
    assert_eq!(not_a_number.status, 422, "{}", not_a_number.body);
    assert!(
        not_a_number
            .body
            .contains("program.visit_daily_cap: must be a whole number"),
        "{}",
        not_a_number.body
    );
    let unchanged = m.api("GET", "/api/v1/program", None, None).json();
    assert_eq!(unchanged["version"], version, "nothing stored");
    assert_eq!(unchanged["program"], before["program"]);

    let good = settings(&[
        ("points_per_major_unit", "3"),
        ("stamp_card_size", "10"),
        ("card_reward", "a free cake"),
        ("visit_cooldown_secs", "3600"),
        ("visit_daily_cap", "1"),
        ("pending_days", "14"),
        ("points_expiry", "days_after_earning"),
        ("points_expiry_after", "365"),
    ]);
    assert_eq!(good.status, 200, "{}", good.body);
    assert!(
        good.body
            .contains(&format!("Saved as version {}.", version + 1)),
        "{}",
        good.body
    );
    let after = m.api("GET", "/api/v1/program", None, None).json();
    assert_eq!(after["version"], version + 1);
    let p = &after["program"];
    assert_eq!(p["points_per_major_unit"], 3);
    assert_eq!(p["stamp_card_size"], 10);
    assert_eq!(p["card_reward"], "a free cake");
    assert_eq!(p["visit_cooldown_secs"], 3600);
    assert_eq!(p["visit_daily_cap"], 1);
    assert_eq!(p["pending_days"], 14);
    assert_eq!(p["points_expiry"]["policy"], "after_earning");
    assert_eq!(p["points_expiry"]["days"], 365);
    assert_eq!(
        p["point_value_per_100"], 250,
        "a setting not on the form is kept"
    );
    assert_eq!(p["referral"], before["program"]["referral"]);

    let reader = sign_in(&key(&m, "read"));
    let looked = worker().get("/dashboard/program", Some(&reader));
    assert_eq!(looked.status, 200, "{}", looked.body);
    assert_eq!(
        looked.body.matches("<fieldset disabled>").count(),
        2,
        "{}",
        looked.body
    );
    let refused = form(
        "/dashboard/program",
        Some(&reader),
        &[("form", "settings"), ("stamp_card_size", "12")],
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(
        m.api("GET", "/api/v1/program", None, None).json()["version"],
        version + 1
    );
}

#[test]
fn held_referrals_are_decided_from_the_dashboard_by_owners_only() {
    use crate::referrals::{referring, Phone};
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

    let owner = sign_in(&m.key);
    let page = worker().get("/dashboard", Some(&owner));
    assert!(
        page.body.contains("Referrals held for review"),
        "{}",
        page.body
    );
    assert!(page.body.contains("invited Filip"), "{}", page.body);
    let id = m.referral(&held)["id"].as_str().unwrap().to_owned();
    let reader = sign_in(&key(&m, "read"));
    let refused = form(
        &format!("/dashboard/referrals/{id}/approve"),
        Some(&reader),
        &[],
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(m.referral(&held)["decision"], "held");
    let done = form(
        &format!("/dashboard/referrals/{id}/approve"),
        Some(&owner),
        &[],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(m.referral(&held)["decision"], "ok");
    let again = form(
        &format!("/dashboard/referrals/{id}/approve"),
        Some(&owner),
        &[],
    );
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(!worker()
        .get("/dashboard", Some(&owner))
        .body
        .contains("invited Filip"));
    m.assert_ledger_consistent();
}

#[test]
fn a_launched_campaign_shows_its_arms_against_the_holdout() {
    let m = worker().merchant(json!({}));
    m.messaging_to_nowhere();
    for _ in 0..4 {
        m.member();
    }
    let id = crate::messages::campaign(&m, 50, &["a"]);
    crate::messages::launch(&m, &id);
    let page = worker().get("/dashboard", Some(&sign_in(&m.key)));
    assert!(
        page.body.contains(&format!(
            r#"<a href="/console/campaigns/{id}">Come back</a> · everyone · launched"#
        )),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("conversion: a visit or purchase within 14 days"),
        "{}",
        page.body
    );
    assert!(page.body.contains(">holdout<"), "{}", page.body);
    assert!(page.body.contains("against the holdout"), "{}", page.body);
}
