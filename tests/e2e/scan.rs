//! Scanning on a phone: join, collect, replays, concurrency, cooldown, the card.

use loyalty_edge::domain::ids::MemberId;
use loyalty_edge::domain::session::Ticket;
use loyalty_edge::domain::token::{Lifetime, ScanKind};
use serde_json::json;

use crate::harness::{concurrently, now, ticket_of, worker, Sign};

#[test]
fn a_new_phone_joins_and_is_credited_for_that_same_scan() {
    let m = worker().merchant(json!({}));
    let token = m.token(Sign::default());

    let form = worker().get(&format!("/s/{token}"), None);
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Join Test Café"), "{}", form.body);
    assert_eq!(m.audit()["members"], 0, "showing the form writes nothing");

    let ticket = ticket_of(&form.body);
    let done = worker().post_form(
        &format!("/s/{token}"),
        &[
            ("ticket", &ticket),
            ("name", "Ola Nowak"),
            ("email", "Ola@Example.com"),
            ("birthday", "1990-02-28"),
            ("marketing_consent", "yes"),
        ],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Welcome, Ola Nowak!"));
    assert!(done.body.contains("+12 points"));
    let cookie = done.cookie().expect("a member cookie");
    let set_cookie = done.header("set-cookie").unwrap();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );

    let member = m.read_member(&cookie);
    assert_eq!(member["member"]["points"], 12);
    assert_eq!(member["member"]["stamps"], 1);
    let ledger = member["ledger"].as_array().unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0]["reason"], "earn");
    assert_eq!(ledger[0]["cause_type"], "scan");

    let card = worker().get(&format!("/c/{}", m.id), Some(&cookie));
    assert_eq!(card.status, 200);
    assert!(card.body.contains("Hi Ola Nowak!") && card.body.contains("Collected"));
    m.assert_ledger_consistent();
}

#[test]
fn a_bad_join_form_is_shown_again_with_its_errors_and_writes_nothing() {
    let m = worker().merchant(json!({}));
    let token = m.token(Sign::default());
    let ticket = ticket_of(&worker().get(&format!("/s/{token}"), None).body);
    let resp = worker().post_form(
        &format!("/s/{token}"),
        &[("ticket", &ticket), ("name", ""), ("email", "nope")],
    );
    assert_eq!(resp.status, 422);
    assert!(resp.body.contains("please tell us your name"));
    assert!(resp
        .body
        .contains("this does not look like an email address"));
    assert_eq!(m.audit()["members"], 0);
}

#[test]
fn a_dynamic_token_replayed_sequentially_credits_once() {
    let m = worker().merchant(json!({}));
    let cookie = m.member();
    let token = m.token(Sign {
        kind: ScanKind::Points(30),
        ..Sign::default()
    });
    let first = worker().get(&format!("/s/{token}"), Some(&cookie));
    assert_eq!(first.status, 200, "{}", first.body);
    for _ in 0..5 {
        let again = worker().get(&format!("/s/{token}"), Some(&cookie));
        assert_eq!(again.status, 409);
        assert!(again.body.contains("You already collected this code"));
    }
    assert_eq!(m.read_member(&cookie)["member"]["points"], 12 + 30);
    m.assert_ledger_consistent();
}

#[test]
fn a_dynamic_token_scanned_32_times_concurrently_credits_once() {
    let m = worker().merchant(json!({}));
    let cookie = m.member();
    let token = m.token(Sign {
        kind: ScanKind::Points(7),
        ..Sign::default()
    });
    let statuses = concurrently(32, || {
        worker().get(&format!("/s/{token}"), Some(&cookie)).status
    });
    assert_eq!(
        statuses.iter().filter(|&&s| s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 409).count(),
        31,
        "{statuses:?}"
    );
    assert_eq!(m.read_member(&cookie)["member"]["points"], 12 + 7);
    assert_eq!(m.audit()["scans"], 2);
    m.assert_ledger_consistent();
}

#[test]
fn a_code_used_by_one_phone_credits_nothing_on_another() {
    let m = worker().merchant(json!({}));
    let (alice, bob) = (m.member(), m.member());
    let token = m.token(Sign::default());
    assert_eq!(
        worker().get(&format!("/s/{token}"), Some(&alice)).status,
        200
    );
    let resp = worker().get(&format!("/s/{token}"), Some(&bob));
    assert_eq!(resp.status, 409);
    assert!(resp.body.contains("This code has already been used"));
    assert_eq!(m.read_member(&bob)["member"]["points"], 12);
    m.assert_ledger_consistent();
}

#[test]
fn a_join_form_submitted_16_times_at_once_makes_one_member_and_one_credit() {
    let m = worker().merchant(json!({}));
    let token = m.token(Sign::default());
    let ticket = ticket_of(&worker().get(&format!("/s/{token}"), None).body);
    let statuses = concurrently(16, || {
        worker()
            .post_form(
                &format!("/s/{token}"),
                &[("ticket", &ticket), ("name", "Ola")],
            )
            .status
    });
    assert_eq!(
        statuses.iter().filter(|&&s| s == 200).count(),
        1,
        "{statuses:?}"
    );
    let audit = m.audit();
    assert_eq!(
        (audit["members"].as_i64(), audit["scans"].as_i64()),
        (Some(1), Some(1)),
        "{audit}"
    );
    m.assert_ledger_consistent();
}

#[test]
fn a_poster_visit_waits_for_the_cooldown() {
    let m = worker().merchant(json!({ "visit_cooldown_secs": 2, "stamps_per_visit": 1 }));
    let cookie = m.member();
    let poster = m.poster();
    let first = worker().get(&format!("/s/{poster}"), Some(&cookie));
    assert_eq!(first.status, 200, "{}", first.body);
    let second = worker().get(&format!("/s/{poster}"), Some(&cookie));
    assert_eq!(second.status, 429);
    assert!(second.body.contains("Already stamped"));
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    assert_eq!(
        worker().get(&format!("/s/{poster}"), Some(&cookie)).status,
        200
    );
    assert_eq!(m.read_member(&cookie)["member"]["stamps"], 1 + 2);
    m.assert_ledger_consistent();
}

#[test]
fn a_poster_stamps_at_most_the_daily_cap_in_24_hours() {
    let m = worker().merchant(json!({ "visit_cooldown_secs": 0, "visit_daily_cap": 2 }));
    let cookie = m.member();
    let poster = m.poster();
    for _ in 0..2 {
        assert_eq!(
            worker().get(&format!("/s/{poster}"), Some(&cookie)).status,
            200
        );
    }
    let third = worker().get(&format!("/s/{poster}"), Some(&cookie));
    assert_eq!(third.status, 429);
    assert!(
        third
            .body
            .contains("You have collected 2 visit stamps in the last 24 hours"),
        "{}",
        third.body
    );
    let burst = concurrently(8, || {
        worker().get(&format!("/s/{poster}"), Some(&cookie)).status
    });
    assert!(burst.iter().all(|&s| s == 429), "{burst:?}");
    assert_eq!(m.read_member(&cookie)["member"]["stamps"], 1 + 2);
    m.assert_ledger_consistent();
}

#[test]
fn concurrent_poster_scans_inside_the_cooldown_stamp_once() {
    let m = worker().merchant(json!({}));
    let cookie = m.member();
    let poster = m.poster();
    let statuses = concurrently(16, || {
        worker().get(&format!("/s/{poster}"), Some(&cookie)).status
    });
    let ok = statuses.iter().filter(|&&s| s == 200).count();
    assert_eq!(ok, 1);
    assert_eq!(m.read_member(&cookie)["member"]["stamps"], 2);
    m.assert_ledger_consistent();
}

#[test]
fn a_poster_link_records_its_channel_parameter() {
    let m = worker().merchant(json!({}));
    let poster = m.poster();
    let form = worker().get(&format!("/s/{poster}?c=receipt"), None);
    assert!(
        form.body
            .contains(&format!(r#"action="/s/{poster}?c=receipt""#)),
        "{}",
        form.body
    );
    let ticket = ticket_of(&form.body);
    let resp = worker().post_form(
        &format!("/s/{poster}?c=receipt"),
        &[("ticket", &ticket), ("name", "Ola")],
    );
    assert_eq!(resp.status, 200);
    assert_eq!(
        m.read_member(&resp.cookie().unwrap())["member"]["stamps"],
        1
    );
    m.assert_ledger_consistent();
}

#[test]
fn a_cookie_for_a_member_who_is_gone_gets_the_join_form_and_no_credit() {
    let m = worker().merchant(json!({}));
    let ghost = m.cookie_for(&MemberId::from_random([9; 16]));
    let resp = worker().get(&format!("/s/{}", m.token(Sign::default())), Some(&ghost));
    assert_eq!(resp.status, 200);
    assert!(resp.body.contains("Join Test Café"));
    assert_eq!(m.audit()["scans"], 0);
}

#[test]
fn a_code_that_expired_while_the_form_was_open_still_counts_once() {
    let m = worker().merchant(json!({}));
    let session = worker().master.session_key();
    let shown_at = i64::from(now()) - 300;
    let ticket = Ticket {
        merchant: m.id,
        member: MemberId::from_random([5; 16]),
        issued_at: shown_at,
    }
    .sign(&session);
    // Valid from now-320 to now-290 (+60 s skew): valid when the form was shown, expired now.
    let token = m.token(Sign {
        issued_at: now() - 320,
        lifetime: Lifetime::seconds(30).unwrap(),
        ..Sign::default()
    });
    assert_eq!(worker().get(&format!("/s/{token}"), None).status, 410);
    let resp = worker().post_form(
        &format!("/s/{token}"),
        &[("ticket", &ticket), ("name", "Ola")],
    );
    assert_eq!(resp.status, 200, "{}", resp.body);

    // A code already expired when the form was shown does not.
    let stale = m.token(Sign {
        issued_at: now() - 500,
        lifetime: Lifetime::seconds(30).unwrap(),
        ..Sign::default()
    });
    let resp = worker().post_form(
        &format!("/s/{stale}"),
        &[("ticket", &ticket), ("name", "Ola")],
    );
    resp.assert_error_page(410, "token_expired");
    assert_eq!(m.audit()["scans"], 1);
    m.assert_ledger_consistent();
}

#[test]
fn the_card_page_without_a_card_explains_how_to_join() {
    let m = worker().merchant(json!({}));
    let resp = worker().get(&format!("/c/{}", m.id), None);
    assert_eq!(resp.status, 200);
    assert!(resp.body.contains("No card on this phone yet"));
    worker()
        .get("/c/00000000", None)
        .assert_error_page(404, "merchant_not_found");
    worker()
        .get("/c/not-an-id", None)
        .assert_error_page(404, "merchant_not_found");
}

#[test]
fn a_warm_scan_is_one_d1_round_trip() {
    let m = worker().merchant(json!({}));
    let cookie = m.member(); // warms the KV cache of the merchant's config
    let scan = worker().get(&format!("/s/{}", m.token(Sign::default())), Some(&cookie));
    assert_eq!(scan.status, 200);
    assert_eq!(scan.round_trips(), 1);
    let form = worker().get(&format!("/s/{}", m.token(Sign::default())), None);
    assert_eq!(form.round_trips(), 0, "showing the join form needs no D1");
    assert_eq!(
        worker()
            .get(&format!("/c/{}", m.id), Some(&cookie))
            .round_trips(),
        1
    );
}

#[test]
fn one_address_scanning_past_its_per_minute_limit_gets_429_and_nothing_more_is_credited() {
    let m = worker().merchant(json!({ "visit_cooldown_secs": 0, "visit_daily_cap": 0 }));
    let cookie = m.member();
    let stamps_before = m.read_member(&cookie)["member"]["stamps"].as_i64().unwrap();
    let mut b = [0u8; 6];
    getrandom::getrandom(&mut b).unwrap();
    let ip = format!(
        "2001:db8::{:02x}{:02x}:{:02x}{:02x}:{:02x}{:02x}",
        b[0], b[1], b[2], b[3], b[4], b[5]
    );
    // Start early in a minute, so the whole burst lands in one window (126 requests can take
    // 20 s on a busy 2-core machine).
    let into_minute = u64::from(crate::harness::now()) % 60;
    if into_minute > 20 {
        std::thread::sleep(std::time::Duration::from_secs(61 - into_minute));
    }
    let poster = m.poster();
    let sent = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    crate::harness::concurrently(8, || {
        while sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < 126 {
            let resp = worker().send(
                "GET",
                &format!("/s/{poster}"),
                &[("cookie", &cookie), ("cf-connecting-ip", &ip)],
                None,
            );
            results.lock().unwrap().push(resp);
        }
    });
    let results = results.into_inner().unwrap();
    assert_eq!(results.iter().filter(|r| r.status == 200).count(), 120);
    for r in results.iter().filter(|r| r.status != 200) {
        r.assert_error_page(429, "rate_limited");
        assert!(r.header("retry-after").is_some());
    }
    let elsewhere = worker().send(
        "GET",
        &format!("/s/{poster}"),
        &[("cookie", &cookie), ("cf-connecting-ip", "192.0.2.1")],
        None,
    );
    assert_eq!(elsewhere.status, 200, "another address is unaffected");
    let stamps = m.read_member(&cookie)["member"]["stamps"].as_i64().unwrap();
    assert_eq!(stamps, stamps_before + 121);
    m.assert_ledger_consistent();
}
