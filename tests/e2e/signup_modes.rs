//! Sign-up by invitation and closed sign-ups, against two more workers that scripts/test starts
//! with `SIGNUP=invite` (E2E_INVITE_URL, a test deployment's clock) and `SIGNUP=closed`
//! (E2E_CLOSED_URL, without JOB_CLOCK, as in production). Run apart from the rest
//! (`cargo test --test e2e signup_modes::`); without those workers these tests fail.

use serde_json::json;

use crate::console::{fresh_email, sign_up_form, PASSWORD};
use crate::harness::{concurrently, mode_worker, Resp, Worker};

fn invite_worker() -> Worker {
    mode_worker("E2E_INVITE_URL")
}

fn closed_worker() -> Worker {
    mode_worker("E2E_CLOSED_URL")
}

fn post(w: &Worker, path: &str, headers: &[(&str, &str)], form: &[(&str, &str)]) -> Resp {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let mut all = vec![("content-type", "application/x-www-form-urlencoded")];
    all.extend_from_slice(headers);
    w.send("POST", path, &all, Some(&body))
}

fn sign_up_with(w: &Worker, email: &str, code: &str, headers: &[(&str, &str)]) -> Resp {
    let mut form = sign_up_form(email, "Café Kod");
    form.push(("code", code));
    post(w, "/signup", headers, &form)
}

fn sign_in(w: &Worker, email: &str) -> u16 {
    post(
        w,
        "/signin",
        &[],
        &[("email", email), ("password", PASSWORD), ("language", "en")],
    )
    .status
}

/// Issues a sign-up code on `w`: the code and its expiry.
fn issue(w: &Worker, body: serde_json::Value) -> (String, i64) {
    let resp = w.admin("POST", "/admin/v1/signup-codes", Some(&body));
    assert_eq!(resp.status, 201, "{}", resp.body);
    let b = resp.json();
    (
        b["code"].as_str().unwrap().to_owned(),
        b["expires_at"].as_i64().unwrap(),
    )
}

/// Asserts the sign-up form came back with `message` beside the code and the input kept.
fn refused_at_the_code(resp: &Resp, message: &str) {
    assert_eq!(resp.status, 422, "{}", resp.body);
    assert!(resp.body.contains(message), "{}", resp.body);
    let field = &resp.body[resp.body.find(r#"id="f-code""#).expect("the code field")..];
    assert!(
        field[..field.find('>').unwrap()].contains(r#"aria-invalid="true""#),
        "the error is beside the code"
    );
    assert!(resp.body.contains(r#"value="Café Kod""#), "input kept");
    assert!(!resp.body.contains(PASSWORD), "never the password");
}

#[test]
fn closed_sign_ups_answer_a_clear_page_and_write_nothing() {
    let w = closed_worker();
    let page = w.get("/signup", None);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Sign-ups are closed here"),
        "{}",
        page.body
    );
    assert!(!page.body.contains(r#"action="/signup""#), "no form");
    let email = fresh_email();
    let resp = sign_up_with(&w, &email, "", &[]);
    assert_eq!(resp.status, 403, "{}", resp.body);
    assert!(resp.body.contains("Sign-ups are closed here"));
    assert_eq!(sign_in(&w, &email), 401, "nobody was made");
    let pl = w.get("/signup?lang=pl", None);
    assert!(pl.body.contains("Rejestracja jest tu wyłączona"));
}

#[test]
fn a_deployment_without_job_clock_ignores_the_test_clock() {
    let w = closed_worker();
    let resp = w.send(
        "POST",
        "/admin/v1/signup-codes",
        &[
            ("authorization", &format!("Bearer {}", admin_secret())),
            ("x-test-now", "0"),
        ],
        None,
    );
    assert_eq!(resp.status, 201, "{}", resp.body);
    let expires = resp.json()["expires_at"].as_i64().unwrap();
    assert!(expires > 1_700_000_000_000, "the real clock: {expires}");
}

fn admin_secret() -> String {
    std::env::var("E2E_ADMIN_SECRET").unwrap()
}

#[test]
fn an_invite_sign_up_needs_an_operators_code_and_a_code_admits_exactly_one() {
    let w = invite_worker();
    let page = w.get("/signup", None);
    assert!(page.body.contains(r#"name="code""#), "a code field");
    refused_at_the_code(
        &sign_up_with(&w, &fresh_email(), "", &[]),
        "Please fill this in.",
    );
    let made_up = sign_up_with(&w, &fresh_email(), "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ", &[]);
    refused_at_the_code(&made_up, "This sign-up code is not valid.");
    refused_at_the_code(
        &sign_up_with(&w, &fresh_email(), "not a code", &[]),
        "This sign-up code is not valid.",
    );
    // Other bad fields show with the code's error, all at once.
    let mut bad = sign_up_form("", "Café Kod");
    bad.push(("code", "nope"));
    let both = post(&w, "/signup", &[], &bad);
    assert_eq!(both.status, 422);
    assert!(both.body.contains("Please fill this in.") && both.body.contains("not valid"));

    let (code, _) = issue(&w, json!({ "note": "for Café Kod" }));
    assert_eq!(code.len(), 23, "{code}");
    // Eight sign-ups at once with the same code: one owner.
    let emails: Vec<String> = (0..8).map(|_| fresh_email()).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = concurrently(8, || {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        (i, sign_up_with(&w, &emails[i], &code, &[]))
    });
    let winners: Vec<_> = results.iter().filter(|(_, r)| r.status == 303).collect();
    assert_eq!(
        winners.len(),
        1,
        "{:?}",
        results.iter().map(|(_, r)| r.status).collect::<Vec<_>>()
    );
    for (_, r) in results.iter().filter(|(_, r)| r.status != 303) {
        refused_at_the_code(r, "This sign-up code was used already or has expired");
    }
    let (won, resp) = winners[0];
    assert_eq!(
        resp.header("location"),
        Some("/console/setup/business"),
        "a new owner lands on the guided set-up"
    );
    assert_eq!(sign_in(&w, &emails[*won]), 303);
    assert_eq!(
        sign_in(&w, &emails[(won + 1) % 8]),
        401,
        "a loser has no account"
    );
    // Used: refused beside the field.
    refused_at_the_code(
        &sign_up_with(&w, &fresh_email(), &code, &[]),
        "This sign-up code was used already or has expired",
    );
    // A code is read as typed: lower case, without dashes.
    let (code, _) = issue(&w, json!({}));
    let typed = code.replace('-', " ").to_lowercase();
    let email = fresh_email();
    assert_eq!(sign_up_with(&w, &email, &typed, &[]).status, 303);
    // The operator's call checks what it is given.
    let bad = w.admin(
        "POST",
        "/admin/v1/signup-codes",
        Some(&json!({ "valid_days": 0 })),
    );
    bad.assert_problem(422, "invalid_field");
    let bad = w.admin(
        "POST",
        "/admin/v1/signup-codes",
        Some(&json!({ "note": "x".repeat(201) })),
    );
    bad.assert_problem(422, "invalid_field");
}

#[test]
fn a_sign_up_code_works_until_the_millisecond_before_it_expires() {
    let w = invite_worker();
    let (code, expires) = issue(&w, json!({ "valid_days": 1 }));
    let at = expires.to_string();
    let late = sign_up_with(&w, &fresh_email(), &code, &[("x-test-now", &at)]);
    refused_at_the_code(&late, "used already or has expired");
    let last = (expires - 1).to_string();
    let email = fresh_email();
    let resp = sign_up_with(&w, &email, &code, &[("x-test-now", &last)]);
    assert_eq!(resp.status, 303, "{}", resp.body);
}
