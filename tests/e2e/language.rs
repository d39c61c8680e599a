//! Pages in the customer's language: a Polish browser gets Polish join, result and card pages; a
//! member's saved choice beats the browser; the counter and its posters follow the till's
//! browser; without any of these, English.

use serde_json::json;

use crate::harness::{ticket_of, worker, Merchant, Resp, Sign};

const POLISH: &str = "pl-PL,pl;q=0.9,en-US;q=0.8,en;q=0.7";

fn get(path: &str, cookie: Option<&str>, accept_language: &str) -> Resp {
    let mut headers = vec![("accept-language", accept_language)];
    if let Some(c) = cookie {
        headers.push(("cookie", c));
    }
    worker().send("GET", path, &headers, None)
}

fn post(path: &str, cookie: Option<&str>, accept_language: &str, form: &[(&str, &str)]) -> Resp {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let mut headers = vec![
        ("content-type", "application/x-www-form-urlencoded"),
        ("accept-language", accept_language),
    ];
    if let Some(c) = cookie {
        headers.push(("cookie", c));
    }
    worker().send("POST", path, &headers, Some(&body))
}

fn polish(resp: &Resp, words: &[&str]) {
    assert!(resp.body.contains(r#"<html lang="pl">"#), "{}", resp.body);
    for w in words {
        assert!(resp.body.contains(w), "wanted {w:?} in {}", resp.body);
    }
}

fn english(resp: &Resp, words: &[&str]) {
    assert!(resp.body.contains(r#"<html lang="en">"#), "{}", resp.body);
    for w in words {
        assert!(resp.body.contains(w), "wanted {w:?} in {}", resp.body);
    }
}

#[test]
fn a_polish_browser_joins_and_sees_its_card_in_polish() {
    let m = worker().merchant(json!({}));
    let token = m.token(Sign::default());
    let path = format!("/s/{token}");
    let form = get(&path, None, POLISH);
    assert_eq!(form.status, 200, "{}", form.body);
    polish(&form, &["Dołącz i zbieraj", "Imię", "E-mail (opcjonalnie)"]);
    assert!(!form.body.contains("Your name"));

    let bad = post(
        &path,
        None,
        POLISH,
        &[
            ("ticket", &ticket_of(&form.body)),
            ("name", "Ola"),
            ("email", "x"),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    polish(&bad, &["to nie wygląda na adres e-mail"]);

    let joined = post(
        &path,
        None,
        POLISH,
        &[("ticket", &ticket_of(&form.body)), ("name", "Ola")],
    );
    assert_eq!(joined.status, 200, "{}", joined.body);
    polish(
        &joined,
        &["Witaj, Ola!", "+12 punktów", "Otwórz moją kartę"],
    );
    let cookie = joined.cookie().unwrap();

    let card = get(&format!("/c/{}", m.id), Some(&cookie), POLISH);
    assert_eq!(card.status, 200, "{}", card.body);
    polish(
        &card,
        &[
            "Moja karta",
            "Punkty",
            "Kod klienta",
            "Zebrane",
            "przed chwilą",
        ],
    );

    // The same member on an English browser, and a request naming no language: English.
    let en = get(&format!("/c/{}", m.id), Some(&cookie), "en-GB,en;q=0.9");
    english(&en, &["My card", "Member code"]);
    let none = worker().get(&format!("/c/{}", m.id), Some(&cookie));
    english(&none, &["My card"]);
}

#[test]
fn a_member_who_saved_english_reads_english_on_a_polish_browser() {
    let m = worker().merchant(json!({}));
    let member = m.member();
    let saved = post(
        &format!("/c/{}/me/preferences", m.id),
        Some(&member),
        POLISH,
        &[("language", "en")],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let set = saved.header("set-cookie").unwrap();
    let lang_cookie = format!("le_lang_{}=en", m.id);
    assert!(set.starts_with(&lang_cookie), "{set}");
    assert!(set.contains("HttpOnly") && set.contains("Path=/"), "{set}");
    let phone = format!("{member}; {lang_cookie}");

    let card = get(&format!("/c/{}", m.id), Some(&phone), POLISH);
    english(&card, &["My card", "Member code"]);
    let scan = get(
        &format!("/s/{}", m.token(Sign::default())),
        Some(&phone),
        POLISH,
    );
    assert_eq!(scan.status, 200, "{}", scan.body);
    english(&scan, &["+12 points", "Open my card"]);

    // On a phone that has not kept the choice, the member row still decides the privacy page,
    // and the phone is told to remember it.
    let me = get(&format!("/c/{}/me", m.id), Some(&member), POLISH);
    english(
        &me,
        &["My data", r#"<option value="en" lang="en" selected>"#],
    );
    assert!(me
        .header("set-cookie")
        .is_some_and(|c| c.starts_with(&lang_cookie)));

    // Back to "the shop's": the phone forgets it and the browser decides again.
    let cleared = post(
        &format!("/c/{}/me/preferences", m.id),
        Some(&phone),
        "en",
        &[("language", "")],
    );
    let set = cleared.header("set-cookie").unwrap();
    assert!(set.contains("Max-Age=0"), "{set}");
    let card = get(&format!("/c/{}", m.id), Some(&member), POLISH);
    polish(&card, &["Moja karta"]);
}

fn counter_key(m: &Merchant) -> String {
    let body = json!({ "scope": "counter", "name": "till", "location": 1 });
    let resp = m.api("POST", "/api/v1/keys", Some(&body), None);
    assert_eq!(resp.status, 201, "{}", resp.body);
    resp.json()["api_key"].as_str().unwrap().to_owned()
}

#[test]
fn the_counter_and_its_posters_follow_the_tills_browser() {
    let m = worker().merchant(json!({}));
    let sign_in = get("/staff", None, POLISH);
    polish(&sign_in, &["Klucz API", "Zaloguj"]);
    let wrong = post("/staff/sign-in", None, POLISH, &[("key", "lek_nope")]);
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    polish(&wrong, &["Ten klucz jest nieprawidłowy"]);

    let resp = post("/staff/sign-in", None, POLISH, &[("key", &counter_key(&m))]);
    assert_eq!(resp.status, 303, "{}", resp.body);
    let till = resp.cookie().unwrap();
    let counter = get("/staff", Some(&till), POLISH);
    assert_eq!(counter.status, 200, "{}", counter.body);
    polish(
        &counter,
        &[
            "Nowa sprzedaż",
            "Kwota (PLN)",
            "Potwierdź nagrodę",
            "Wyloguj",
        ],
    );
    let csrf = crate::console::csrf_of(&counter.body);
    let miss = post(
        "/staff/confirm",
        Some(&till),
        POLISH,
        &[("code", "000000"), ("csrf", &csrf)],
    );
    polish(&miss, &["kod: redemption_not_found"]);
    let poster = get("/staff/poster/1", Some(&till), POLISH);
    polish(&poster, &["Zbieraj przy każdej wizycie", "bez aplikacji"]);
    let english_till = get("/staff", Some(&till), "en-US,en;q=0.9");
    english(&english_till, &["New sale"]);
}

#[test]
fn error_pages_speak_the_browsers_language() {
    let page = get("/s/not-a-token", None, POLISH);
    assert_eq!(page.status, 400, "{}", page.body);
    polish(
        &page,
        &["to nie jest prawidłowy kod", "Kod: token_malformed"],
    );
    let card = get("/c/zzzz/history", None, POLISH);
    polish(&card, &["Kod: merchant_not_found"]);
}
