//! Password reset links end to end: made on the people page by whom the roles allow, or by the
//! operator; used once even by 16 requests at once; a newer link voids the older; every session
//! ends and the person is signed in. Expiry (of reset links and of console invitations) is
//! reached with the test deployment's clock (`x-test-now`, honoured only with JOB_CLOCK=scheduled).

use serde_json::json;

use crate::console::{
    cookies, csrf_of, fresh_email, get, invite, post, session_only, sign_in, sign_up, PASSWORD,
};
use crate::harness::{concurrently, worker, Resp};

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// Adds a person to `merchant` through the operator's API; returns their signed-in browser.
fn add(merchant: &str, email: &str, name: &str, role: &str, language: &str) -> String {
    let resp = worker().admin(
        "POST",
        &format!("/admin/v1/merchants/{merchant}/people"),
        Some(
            &json!({ "email": email, "name": name, "role": role, "language": language,
                      "password": PASSWORD }),
        ),
    );
    assert_eq!(resp.status, 201, "{}", resp.body);
    let signed = sign_in(email, PASSWORD, &[]);
    assert_eq!(signed.status, 303, "{}", signed.body);
    session_only(&cookies(&signed))
}

/// The id of the person named `name` on a people page (from their forms' actions).
fn person_id(page: &str, name: &str) -> String {
    let at = page.find(&format!("<strong>{name}</strong>")).expect(name);
    let start = page[at..].find("/console/people/").expect("their forms") + at + 16;
    page[start..].split('/').next().unwrap().to_owned()
}

/// Makes a reset link for person `id` from `browser`'s people page.
fn make_link(browser: &str, id: &str) -> Resp {
    let csrf = csrf_of(&get("/console/people", browser).body);
    post(
        &format!("/console/people/{id}/reset"),
        &[("cookie", browser)],
        &[("csrf", &csrf)],
    )
}

/// The link's path on the page that shows it once.
fn link_of(page: &Resp) -> String {
    assert_eq!(page.status, 201, "{}", page.body);
    let start = page.body.find("/reset/").expect("the link");
    page.body[start..].split('"').next().unwrap().to_owned()
}

fn set_password(link: &str, password: &str, headers: &[(&str, &str)]) -> Resp {
    post(link, headers, &[("password", password), ("language", "en")])
}

#[test]
fn an_owners_reset_link_sets_the_password_once_ends_every_session_and_signs_the_person_in() {
    let o = sign_up();
    let email = fresh_email();
    let staff = add(&o.merchant, &email, "Kasia", "staff", "en");
    let page = get("/console/people", &o.browser).body;
    let kasia = person_id(&page, "Kasia");
    let first = link_of(&make_link(&o.browser, &kasia));
    let made = make_link(&o.browser, &kasia);
    assert!(made.body.contains("Password link ready"), "{}", made.body);
    assert!(made.body.contains("Copy link"), "a copy button");
    assert!(made
        .header("content-security-policy")
        .is_some_and(|c| c.contains("script-src 'sha256-")));
    let link = link_of(&made);
    assert!(link.len() == "/reset/".len() + 64, "{link}");
    // A newer link voids the older one.
    assert_eq!(worker().get(&first, None).status, 410);
    let open = worker().get(&link, None);
    assert_eq!(open.status, 200, "{}", open.body);
    assert!(open.body.contains(&email), "whose password");
    // A weak password: the form again, the link still works.
    let weak = set_password(&link, "password123", &[]);
    assert_eq!(weak.status, 422, "{}", weak.body);
    assert!(weak.body.contains("too easy to guess"));
    assert_eq!(worker().get(&link, None).status, 200);
    // Sixteen uses at once, each with its own password: exactly one sets it.
    let tries: Vec<String> = (0..16)
        .map(|i| format!("new password number {i}"))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = concurrently(16, || {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        (i, set_password(&link, &tries[i], &[]))
    });
    let winners: Vec<_> = results.iter().filter(|(_, r)| r.status == 303).collect();
    assert_eq!(winners.len(), 1, "used once");
    for (_, r) in results.iter().filter(|(_, r)| r.status != 303) {
        assert_eq!(r.status, 410, "{}", r.body);
        assert!(r.body.contains("This password link was used already"));
    }
    let (won, resp) = winners[0];
    assert_eq!(resp.header("location"), Some("/console"));
    let signed = session_only(&cookies(resp));
    assert_eq!(get("/console/account", &signed).status, 200, "signed in");
    assert_eq!(
        get("/console/account", &staff).status,
        303,
        "the old session ended"
    );
    assert_eq!(worker().get(&link, None).status, 410, "spent");
    assert_eq!(sign_in(&email, &tries[*won], &[]).status, 303);
    assert_eq!(sign_in(&email, PASSWORD, &[]).status, 401);
    let loser = (won + 1) % 16;
    assert_eq!(sign_in(&email, &tries[loser], &[]).status, 401);
}

#[test]
fn managers_make_links_for_staff_never_for_an_owner_and_nobody_for_themselves() {
    let o = sign_up();
    let manager = add(&o.merchant, &fresh_email(), "Piotr", "manager", "en");
    add(&o.merchant, &fresh_email(), "Kasia", "staff", "en");
    add(&o.merchant, &fresh_email(), "Zosia", "owner", "en");
    let page = get("/console/people", &manager).body;
    assert_eq!(page.matches("/reset\"").count(), 1, "only Kasia's: {page}");
    link_of(&make_link(&manager, &person_id(&page, "Kasia")));
    let owners = get("/console/people", &o.browser).body;
    let piotr = person_id(&owners, "Piotr");
    let zosia = person_id(&owners, "Zosia");
    let mine = owners[..owners.find("(you)").unwrap()]
        .rsplit("<li>")
        .next()
        .unwrap()
        .to_owned();
    assert!(!mine.contains("/reset"), "no button on your own line");
    // The manager asking for an owner's link, or their own: refused, nothing made.
    let csrf = csrf_of(&page);
    for (whose, id) in [("an owner's", &zosia), ("their own", &piotr)] {
        let refused = post(
            &format!("/console/people/{id}/reset"),
            &[("cookie", &manager)],
            &[("csrf", &csrf)],
        );
        assert_eq!(refused.status, 403, "{whose}: {}", refused.body);
        assert!(refused.body.contains("cannot open"), "{}", refused.body);
        assert!(!refused.body.contains("/reset/"));
    }
    // An owner makes one for the manager and for another owner.
    link_of(&make_link(&o.browser, &piotr));
    link_of(&make_link(&o.browser, &zosia));
}

#[test]
fn a_person_who_also_works_elsewhere_is_reset_by_the_operator_only() {
    let a = sign_up();
    let b = sign_up();
    let email = fresh_email();
    add(&a.merchant, &email, "Kasia", "staff", "en");
    // Café B invites her too; she accepts with her own password.
    let link = invite(&b.browser, &email, "staff");
    let joined = post(&link, &[], &[("password", PASSWORD), ("language", "en")]);
    assert_eq!(joined.status, 303, "{}", joined.body);
    let kasia = person_id(&get("/console/people", &a.browser).body, "Kasia");
    let refused = make_link(&a.browser, &kasia);
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("only the operator can reset"));
    assert!(!refused.body.contains("/reset/"));
    let op = worker().admin(
        "POST",
        "/admin/v1/password-resets",
        Some(&json!({ "email": email })),
    );
    assert_eq!(op.status, 201, "{}", op.body);
}

#[test]
fn the_operators_link_works_for_one_hour_and_comes_with_the_message_in_the_persons_language() {
    let o = sign_up();
    let email = fresh_email();
    let old = add(&o.merchant, &email, "Ola", "manager", "pl");
    let before = now_ms();
    let resp = worker().admin(
        "POST",
        "/admin/v1/password-resets",
        Some(&json!({ "email": email.to_uppercase() })),
    );
    let after = now_ms();
    assert_eq!(resp.status, 201, "{}", resp.body);
    let body = resp.json();
    let url = body["reset_url"].as_str().unwrap();
    let expires = body["expires_at"].as_i64().unwrap();
    assert!((before + 3_600_000..=after + 3_600_000).contains(&expires));
    assert_eq!(body["message"]["language"], "pl");
    assert_eq!(
        body["message"]["subject"],
        "Ustaw nowe hasło do konsoli lojalnościowej"
    );
    let text = body["message"]["text"].as_str().unwrap();
    assert!(
        text.contains(url) && text.contains("przez 1 godzinę"),
        "{text}"
    );
    let path = &url[url.find("/reset/").unwrap()..];
    // The page speaks the person's language; at the last millisecond it still opens, at its
    // expiry it is gone and sets nothing.
    let last = (expires - 1).to_string();
    let at = expires.to_string();
    let page = worker().send("GET", path, &[("x-test-now", &last)], None);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Ustaw nowe hasło"));
    let page = worker().send("GET", path, &[("x-test-now", &at)], None);
    assert_eq!(page.status, 410, "{}", page.body);
    let late = set_password(path, "a fresh long password", &[("x-test-now", &at)]);
    assert_eq!(late.status, 410);
    assert_eq!(get("/console/account", &old).status, 200, "nothing ended");
    assert_eq!(sign_in(&email, PASSWORD, &[]).status, 303, "nothing set");
    // Unknown emails and bad bodies are problems, not links.
    worker()
        .admin(
            "POST",
            "/admin/v1/password-resets",
            Some(&json!({ "email": fresh_email() })),
        )
        .assert_problem(422, "invalid_field");
    worker()
        .admin(
            "POST",
            "/admin/v1/password-resets",
            Some(&json!({ "email": "nope" })),
        )
        .assert_problem(422, "invalid_field");
    worker()
        .send("POST", "/admin/v1/password-resets", &[], Some("{}"))
        .assert_problem(401, "auth_missing");
}

#[test]
fn a_console_link_works_for_24_hours_and_an_invitation_for_7_days() {
    let o = sign_up();
    let email = fresh_email();
    add(&o.merchant, &email, "Kasia", "staff", "en");
    let kasia = person_id(&get("/console/people", &o.browser).body, "Kasia");
    let before = now_ms();
    let link = link_of(&make_link(&o.browser, &kasia));
    let invitation = invite(&o.browser, &fresh_email(), "staff");
    let after = now_ms();
    let at = |ms: i64| ms.to_string();
    let day = 86_400_000;
    let open = |path: &str, t: i64| worker().send("GET", path, &[("x-test-now", &at(t))], None);
    assert_eq!(open(&link, before + day - 1).status, 200);
    assert_eq!(open(&link, after + day).status, 410);
    assert_eq!(open(&invitation, before + 7 * day - 1).status, 200);
    assert_eq!(open(&invitation, after + 7 * day).status, 410);
    let late = post(
        &invitation,
        &[("x-test-now", &at(after + 7 * day))],
        &[("name", "Late"), ("password", PASSWORD), ("language", "en")],
    );
    assert_eq!(late.status, 410, "{}", late.body);
    // Still usable now: the clock moved only for those requests.
    assert_eq!(worker().get(&link, None).status, 200);
}
