//! Tills end to end: the console pairs a tablet with a one-time code, people sign in at it with
//! their own PIN (five wrong ones lock that person at that till, even when sent at once; a PIN
//! on a browser that is not a paired till gets nothing), the counter works as that person, and
//! every action is in the audit log with their name and the till, in words on the console.

use serde_json::json;

use crate::console::{
    cookies, csrf_of, fresh_address, fresh_email, get, post, session_only, sign_in, PASSWORD,
};
use crate::harness::{concurrently, worker, Merchant, Resp};

/// A person of `m` with `role`, signed in to the console: (browser, person id).
fn person(m: &Merchant, role: &str, name: &str) -> (String, String) {
    let email = fresh_email();
    let resp = worker().admin(
        "POST",
        &format!("/admin/v1/merchants/{}/people", m.id),
        Some(&json!({ "email": email, "name": name, "role": role, "password": PASSWORD })),
    );
    assert_eq!(resp.status, 201, "{}", resp.body);
    let id = resp.json()["person_id"].as_str().unwrap().to_owned();
    let signed = sign_in(&email, PASSWORD, &[]);
    assert_eq!(signed.status, 303, "{}", signed.body);
    (session_only(&cookies(&signed)), id)
}

/// Posts a console form with the page's CSRF token.
fn console_form(browser: &str, page: &str, path: &str, fields: &[(&str, &str)]) -> Resp {
    let csrf = csrf_of(&get(page, browser).body);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    post(path, &[("cookie", browser)], &all)
}

fn set_pin(browser: &str, pin: &str) {
    let resp = console_form(
        browser,
        "/console/account",
        "/console/account/pin",
        &[("pin", pin), ("pin_again", pin)],
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert!(resp.body.contains("PIN saved."), "{}", resp.body);
}

/// Makes a pairing code on the console; returns it as the QR code carries it.
fn pairing_code(browser: &str, label: &str) -> String {
    let resp = console_form(
        browser,
        "/console/tills",
        "/console/tills/pair",
        &[("label", label), ("location", "1")],
    );
    assert_eq!(resp.status, 201, "{}", resp.body);
    let start = resp.body.find("/staff/pair?code=").expect("the pairing QR") + 17;
    resp.body[start..].split('"').next().unwrap().to_owned()
}

/// Types `code` into the pairing form from client address `from`.
fn type_code(code: &str, from: &str) -> Resp {
    post(
        "/staff/pair",
        &[("cf-connecting-ip", from)],
        &[("code", code)],
    )
}

/// Pairs a fresh browser with `code`; returns its till cookie.
fn pair(code: &str) -> String {
    let resp = type_code(code, &fresh_address());
    assert_eq!(resp.status, 303, "{}", resp.body);
    let set = resp.header("set-cookie").unwrap().to_owned();
    assert!(
        set.starts_with("le_till=")
            && set.contains("HttpOnly")
            && set.contains("SameSite=Strict")
            && set.contains("Path=/staff"),
        "{set}"
    );
    resp.cookie().unwrap()
}

/// Posts a till form with the screen's CSRF token.
fn till_form(till: &str, path: &str, fields: &[(&str, &str)]) -> Resp {
    let csrf = csrf_of(&worker().get("/staff", Some(till)).body);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    worker().post_form_as(path, Some(till), &all)
}

fn pin(till: &str, person: &str, pin: &str) -> Resp {
    till_form(till, "/staff/pin", &[("person", person), ("pin", pin)])
}

fn audit_lines(m: &Merchant) -> Vec<serde_json::Value> {
    let resp = m.api("GET", "/api/v1/audit-log", None, None);
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.json()["audit_log"].as_array().unwrap().clone()
}

#[test]
fn a_paired_till_signs_people_in_by_pin_and_audits_what_they_do_by_name_and_till() {
    let m = worker().merchant(json!({}));
    let (owner, owner_id) = person(&m, "owner", "Ala Nowak");
    set_pin(&owner, "4821");
    let weak = console_form(
        &owner,
        "/console/account",
        "/console/account/pin",
        &[("pin", "1234"), ("pin_again", "1234")],
    );
    assert_eq!(weak.status, 422, "{}", weak.body);
    assert!(weak.body.contains("the first anyone would try"));

    // A label is needed; the form comes back with it beside the field.
    let bad = console_form(
        &owner,
        "/console/tills",
        "/console/tills/pair",
        &[("label", "  "), ("location", "1")],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("Give the till a name"), "{}", bad.body);

    let code = pairing_code(&owner, "Counter");
    assert_eq!(code.len(), 8, "{code}");
    // The pairing page fills the code in from the QR code's link.
    let form = worker().get(&format!("/staff/pair?code={code}"), None);
    assert!(
        form.body.contains(&format!(r#"value="{code}""#)),
        "{}",
        form.body
    );
    let till = pair(&code.to_lowercase());
    // A code pairs once.
    let again = type_code(&code, &fresh_address());
    assert_eq!(again.status, 422, "{}", again.body);
    assert!(again.body.contains("This code is not valid"));

    // The till asks who is working; the owner (with a PIN) is listed.
    let screen = worker().get("/staff", Some(&till));
    assert_eq!(screen.status, 200, "{}", screen.body);
    assert!(screen.body.contains("Tap your name") && screen.body.contains("Ala Nowak"));
    assert!(screen.body.contains(&format!(r#"value="{owner_id}""#)));
    // A wrong PIN says how many tries are left; the name stays picked.
    let wrong = pin(&till, &owner_id, "4822");
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    assert!(wrong.body.contains("4 tries left"), "{}", wrong.body);
    assert!(wrong
        .body
        .contains(&format!(r#"value="{owner_id}" checked"#)));
    // No CSRF token: refused, nobody signed in.
    let forged = worker().post_form_as(
        "/staff/pin",
        Some(&till),
        &[("person", &owner_id), ("pin", "4821")],
    );
    assert_eq!(forged.status, 403, "{}", forged.body);
    let right = pin(&till, &owner_id, "4821");
    assert_eq!(right.status, 303, "{}", right.body);

    let counter = worker().get("/staff", Some(&till));
    assert!(
        counter.body.contains("New sale") && counter.body.contains("Ala Nowak · Counter"),
        "{}",
        counter.body
    );
    // The counter's forms need the screen's token.
    let no_token = worker().post_form_as(
        "/staff/sale",
        Some(&till),
        &[("amount", "12.50"), ("location", "1")],
    );
    assert_eq!(no_token.status, 403, "{}", no_token.body);
    let sale = till_form(
        &till,
        "/staff/sale",
        &[("amount", "12.50"), ("location", "1")],
    );
    assert_eq!(sale.status, 303, "{}", sale.body);
    // A reward confirmed at the till, as this person.
    let tea = m.reward(json!({ "name": "Tea", "kind": "free_item", "cost_points": 10 }));
    let phone = m.member_with(50);
    let (_, redemption_code) = m.phone_code(&phone, &tea);
    let done = till_form(&till, "/staff/confirm", &[("code", &redemption_code)]);
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Confirmed: Tea"), "{}", done.body);

    // The audit log names the person and the till (API and console).
    let lines = audit_lines(&m);
    let till_id = {
        let device = lines
            .iter()
            .find(|l| l["action"] == "sale_started")
            .expect("the sale")["device"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(device.starts_with("Counter ("), "{device}");
        device
    };
    for action in [
        "till_pairing_code",
        "till_pin_wrong",
        "till_sign_in",
        "sale_started",
        "redemption_confirmed",
    ] {
        let line = lines
            .iter()
            .find(|l| l["action"] == action)
            .unwrap_or_else(|| panic!("{action} in {lines:?}"));
        assert_eq!(line["actor_name"], "Ala Nowak", "{line}");
        assert!(
            line["actor"].as_str().unwrap().starts_with(&owner_id),
            "{line}"
        );
        if action != "till_pairing_code" {
            assert_eq!(line["device"], till_id.as_str(), "{line}");
        }
    }
    let activity = get("/console/activity", &owner);
    assert_eq!(activity.status, 200, "{}", activity.body);
    for words in [
        "showed the QR code of a sale of 12.50",
        "confirmed the reward Tea",
        "signed in with their PIN",
        "typed a wrong PIN (1 in a row)",
        "made a pairing code for the till Counter",
    ] {
        assert!(activity.body.contains(words), "{words}: {}", activity.body);
    }
    assert!(activity.body.contains("<strong>Ala Nowak</strong>"));

    // The console lists the till with who is at it; locking signs the person out.
    let tills = get("/console/tills", &owner);
    assert!(tills.body.contains("Counter") && tills.body.contains("Signed in now: "));
    let locked = till_form(&till, "/staff/lock", &[]);
    assert_eq!(locked.status, 303, "{}", locked.body);
    assert!(worker()
        .get("/staff", Some(&till))
        .body
        .contains("Tap your name"));
    // Unpairing ends the till at once: it is a plain browser again.
    let end = tills.body.find("/unpair\"").expect("an unpair button");
    let id = tills.body[..end].rsplit('/').next().unwrap().to_owned();
    let gone = console_form(
        &owner,
        "/console/tills",
        &format!("/console/tills/{id}/unpair"),
        &[],
    );
    assert_eq!(gone.status, 200, "{}", gone.body);
    assert!(gone.body.contains("is unpaired"));
    let after = worker().get("/staff", Some(&till));
    assert!(
        after.body.contains("API key"),
        "the key sign-in: {}",
        after.body
    );
    assert!(!after.body.contains("Tap your name"));
    m.assert_ledger_consistent();
}

#[test]
fn five_wrong_pins_lock_that_person_at_that_till_even_sent_at_once_and_others_still_get_in() {
    let m = worker().merchant(json!({}));
    let (owner, owner_id) = person(&m, "owner", "Ala Nowak");
    let (manager, manager_id) = person(&m, "manager", "Jan Kowal");
    set_pin(&owner, "4821");
    set_pin(&manager, "7359");
    let till = pair(&pairing_code(&owner, "Counter"));
    let other = pair(&pairing_code(&manager, "Terrace"));
    let csrf = csrf_of(&worker().get("/staff", Some(&till)).body);
    let statuses = concurrently(16, || {
        worker()
            .post_form_as(
                "/staff/pin",
                Some(&till),
                &[("csrf", &csrf), ("person", &owner_id), ("pin", "1111")],
            )
            .status
    });
    // Exactly five tries were checked: four said "wrong", the fifth locked, the rest were refused
    // without a check.
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        4,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        12,
        "{statuses:?}"
    );
    let wrong_lines = audit_lines(&m)
        .iter()
        .filter(|l| l["action"] == "till_pin_wrong")
        .count();
    assert_eq!(wrong_lines, 5);
    // The right PIN is refused during the lock, with how long it lasts.
    let locked = pin(&till, &owner_id, "4821");
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert!(
        locked
            .body
            .contains("locked at this till for 15 more minutes"),
        "{}",
        locked.body
    );
    assert!(locked.header("retry-after").is_some());
    // Another person at the same till, and the same person at another till, still get in.
    assert_eq!(pin(&till, &manager_id, "7359").status, 303);
    assert!(worker()
        .get("/staff", Some(&till))
        .body
        .contains("Jan Kowal · Counter"));
    assert_eq!(pin(&other, &owner_id, "4821").status, 303);
    // Taking the manager's role away ends their till sign-in at once.
    let removed = console_form(
        &owner,
        "/console/people",
        &format!("/console/people/{manager_id}/remove"),
        &[],
    );
    assert!(removed.status < 400, "{}", removed.body);
    let screen = worker().get("/staff", Some(&till));
    assert!(screen.body.contains("Tap your name"), "{}", screen.body);
    assert!(!screen.body.contains("Jan Kowal"), "no longer listed");
    let lines = audit_lines(&m);
    let removal = lines
        .iter()
        .find(|l| l["action"] == "person_removed")
        .expect("the removal is audited");
    assert_eq!(removal["actor_name"], "Ala Nowak");
    assert_eq!(removal["subject"], manager_id.as_str());
    let activity = get("/console/activity", &owner);
    assert!(
        activity.body.contains("took away a role (Manager)"),
        "{}",
        activity.body
    );
}

#[test]
fn a_pin_on_a_browser_that_is_not_a_paired_till_gets_nothing() {
    let m = worker().merchant(json!({}));
    let (owner, owner_id) = person(&m, "owner", "Ala Nowak");
    set_pin(&owner, "4821");
    let forged = format!("le_till={}", "ab".repeat(32));
    for cookie in [None, Some(forged.as_str())] {
        let resp = worker().post_form_as(
            "/staff/pin",
            cookie,
            &[("person", &owner_id), ("pin", "4821")],
        );
        assert_eq!(resp.status, 401, "{}", resp.body);
        assert!(resp.body.contains("not a paired till"), "{}", resp.body);
        assert!(!resp.body.contains("New sale"));
    }
    assert!(audit_lines(&m)
        .iter()
        .all(|l| l["action"] != "till_sign_in"));
    // Wrong codes are refused with what was typed kept; a code pairs one browser even when
    // typed on several at once. (Wrong codes count in fixed windows: start clear of an end.)
    crate::harness::clear_of_the_window_end(
        loyalty_edge::domain::till::PAIRING_WINDOW_MS as u64,
        60_000,
    );
    let here = fresh_address();
    for typed in ["", "not-a-code", "ABCD-EFGH"] {
        let resp = type_code(typed, &here);
        assert_eq!(resp.status, 422, "{typed}: {}", resp.body);
        assert!(
            resp.body.contains(&format!(r#"value="{typed}""#)),
            "kept: {}",
            resp.body
        );
    }
    let code = pairing_code(&owner, "Counter");
    let results = concurrently(8, || type_code(&code, &fresh_address()).status);
    assert_eq!(
        results.iter().filter(|s| **s == 303).count(),
        1,
        "{results:?}"
    );
    // Ten wrong codes from one address, and it must wait, even with a right code.
    for _ in 3..10 {
        assert_eq!(type_code("ABCD-EFGH", &here).status, 422);
    }
    let fresh = pairing_code(&owner, "Terrace");
    let waiting = type_code(&fresh, &here);
    assert_eq!(waiting.status, 429, "{}", waiting.body);
    assert!(
        waiting.body.contains("Too many wrong codes"),
        "{}",
        waiting.body
    );
    assert_eq!(
        type_code(&fresh, &fresh_address()).status,
        303,
        "another address still pairs"
    );
}

#[test]
fn a_person_idle_past_the_merchants_time_is_signed_out_of_the_till() {
    let m = worker().merchant(json!({ "till_idle_mins": 1 }));
    let (owner, owner_id) = person(&m, "owner", "Ala Nowak");
    set_pin(&owner, "4821");
    let till = pair(&pairing_code(&owner, "Counter"));
    assert_eq!(pin(&till, &owner_id, "4821").status, 303);
    let counter = worker().get("/staff", Some(&till));
    assert!(counter.body.contains("New sale"));
    // The console offers the choices and saves one through the programme's checks.
    let tills = get("/console/tills", &owner);
    assert!(
        tills.body.contains(r#"<option value="15""#),
        "{}",
        tills.body
    );
    std::thread::sleep(std::time::Duration::from_secs(61));
    let screen = worker().get("/staff", Some(&till));
    assert!(screen.body.contains("Tap your name"), "{}", screen.body);
    let saved = console_form(
        &owner,
        "/console/tills",
        "/console/tills/idle",
        &[("idle_mins", "30")],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let program = m.api("GET", "/api/v1/program", None, None);
    assert_eq!(program.json()["program"]["till_idle_mins"], 30);
    let odd = console_form(
        &owner,
        "/console/tills",
        "/console/tills/idle",
        &[("idle_mins", "7")],
    );
    assert_eq!(odd.status, 422, "{}", odd.body);
}
