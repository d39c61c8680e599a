//! The owner's console end to end: sign-up, sign-in and its limits, sessions and their end, the
//! CSRF guard on every state-changing console route and who may open what, both enumerated from
//! the route table the router serves (`domain::account::console_routes`).

use loyalty_edge::domain::account::{
    console_routes, Role, SIGN_IN_FAILURES, SIGN_IN_WINDOW_MS, SIGN_UPS_PER_HOUR,
};

use crate::harness::{clear_of_the_window_end, worker, Resp};

pub(crate) const PASSWORD: &str = "kawa z mlekiem o 7";

/// An email no other test uses.
pub(crate) fn fresh_email() -> String {
    let mut b = [0u8; 6];
    getrandom::getrandom(&mut b).unwrap();
    let id: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("owner-{id}@example.com")
}

pub(crate) fn fresh_address() -> String {
    let mut b = [0u8; 4];
    getrandom::getrandom(&mut b).unwrap();
    format!(
        "2001:db8:2::{:02x}{:02x}:{:02x}{:02x}",
        b[0], b[1], b[2], b[3]
    )
}

/// Posts a form with extra headers (cookies, Origin, an address).
pub(crate) fn post(path: &str, headers: &[(&str, &str)], form: &[(&str, &str)]) -> Resp {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let mut all = vec![("content-type", "application/x-www-form-urlencoded")];
    all.extend_from_slice(headers);
    worker().send("POST", path, &all, Some(&body))
}

pub(crate) fn get(path: &str, cookie: &str) -> Resp {
    worker().send("GET", path, &[("cookie", cookie)], None)
}

/// Every `name=value` the response sets, joined as a Cookie header.
pub(crate) fn cookies(resp: &Resp) -> String {
    resp.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.split(';').next().unwrap_or_default().to_owned())
        .collect::<Vec<_>>()
        .join("; ")
}

pub(crate) fn session_only(all: &str) -> String {
    all.split("; ")
        .find(|c| c.starts_with("le_console="))
        .unwrap()
        .to_owned()
}

/// A café owner who signed up: their email, the cookies of their browser and their merchant.
pub(crate) struct Owner {
    pub(crate) email: String,
    pub(crate) browser: String,
    pub(crate) merchant: String,
}

pub(crate) fn sign_up_form<'a>(email: &'a str, business: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("business", business),
        ("name", "Ala Nowak"),
        ("email", email),
        ("password", PASSWORD),
        ("country", "PL"),
        ("language", "en"),
        ("website", ""),
    ]
}

pub(crate) fn sign_up() -> Owner {
    let email = fresh_email();
    let resp = post("/signup", &[], &sign_up_form(&email, "Café Ala"));
    assert_eq!(resp.status, 303, "{}", resp.body);
    assert_eq!(resp.header("location"), Some("/console/setup/business"));
    let browser = cookies(&resp);
    let home = get("/console", &browser);
    assert_eq!(home.status, 200, "{}", home.body);
    let start = home.body.find("/c/").expect("the card link") + 3;
    let merchant = home.body[start..start + 8].to_owned();
    Owner {
        email,
        browser,
        merchant,
    }
}

pub(crate) fn csrf_of(page: &str) -> String {
    let start = page.find(r#"name="csrf" value=""#).expect("a CSRF field") + 19;
    page[start..].split('"').next().unwrap().to_owned()
}

pub(crate) fn sign_in(email: &str, password: &str, headers: &[(&str, &str)]) -> Resp {
    post(
        "/signin",
        headers,
        &[("email", email), ("password", password), ("language", "en")],
    )
}

#[test]
fn a_sign_up_makes_the_merchant_its_owner_and_a_session_and_opens_the_console_home() {
    let o = sign_up();
    let home = get("/console", &o.browser);
    assert!(home.body.contains("Café Ala"), "the business in the header");
    assert!(home.body.contains("Ala Nowak · Owner"));
    assert!(home.body.contains("Set up your programme"));
    assert!(home.body.contains("Add a reward"));
    assert!(home.body.contains("0 members so far."));
    let csp = home.header("content-security-policy").unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && !csp.contains("script-src"),
        "{csp}"
    );
    assert!(home.header("referrer-policy").is_some());
    // The merchant exists with the country's defaults, and its card page works.
    let audit = worker().admin(
        "GET",
        &format!("/admin/v1/merchants/{}/audit", o.merchant),
        None,
    );
    assert_eq!(audit.status, 200, "{}", audit.body);
    let card = worker().get(&format!("/c/{}", o.merchant), None);
    assert_eq!(card.status, 200, "{}", card.body);
    assert!(card.body.contains("Café Ala"));
    // The session cookie is HttpOnly and SameSite=Lax.
    let resp = sign_in(&o.email, PASSWORD, &[]);
    assert_eq!(resp.status, 303, "{}", resp.body);
    let set = resp.header("set-cookie").unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    // Every module is in the navigation, and built.
    for m in loyalty_edge::domain::account::MODULES {
        assert!(
            home.body.contains(&format!(r#"href="{}""#, m.path)),
            "{}",
            m.path
        );
        let page = get(m.path, &o.browser);
        assert_eq!(page.status, 200, "{}", m.path);
        assert!(!page.body.contains("not built yet"), "{}", m.path);
    }
}

#[test]
fn an_owner_renames_the_cafe_and_changes_its_time_zone_in_settings() {
    let o = sign_up();
    let page = get("/console/settings", &o.browser);
    assert_eq!(page.status, 200, "{}", page.body);
    for shown in [
        "Your café",
        "The currency is fixed",
        "The programme as JSON",
        "&quot;stamp_card_size&quot;",
    ] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    let save = |name: &str, zone: &str| {
        let csrf = csrf_of(&get("/console/settings", &o.browser).body);
        post(
            "/console/settings",
            &[("cookie", &o.browser)],
            &[("csrf", &csrf), ("name", name), ("time_zone", zone)],
        )
    };
    // Mistakes beside their fields, the typing kept, nothing written.
    let bad = save(" ", "Mars/Base");
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body
            .contains(r#"id="f-name-err" role="alert">Please fill this in."#),
        "{}",
        bad.body
    );
    assert!(
        bad.body
            .contains(r#"id="f-time_zone-err" role="alert">Choose a time zone from the list"#),
        "{}",
        bad.body
    );
    let long = save(&"x".repeat(81), "Europe/Warsaw");
    assert!(
        long.body.contains("Please use 1 to 80 characters"),
        "{}",
        long.body
    );
    assert!(long
        .body
        .contains(&format!(r#"value="{}""#, "x".repeat(81))));
    let home = get("/console", &o.browser);
    assert!(!home.body.contains("Kawiarnia pod Lipą"));
    // Saved: the header and the customer's card follow at once; the activity log names it.
    let saved = save("Kawiarnia pod Lipą", "Europe/Berlin");
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(saved.body.contains("Saved."), "{}", saved.body);
    assert!(
        saved
            .body
            .contains(r#"<option value="Europe/Berlin" selected>"#),
        "{}",
        saved.body
    );
    assert!(get("/console", &o.browser)
        .body
        .contains("Kawiarnia pod Lipą"));
    let card = crate::harness::worker().get(&format!("/c/{}", o.merchant), None);
    assert!(card.body.contains("Kawiarnia pod Lipą"), "{}", card.body);
    assert!(get("/console/activity", &o.browser)
        .body
        .contains("changed the settings"));
    let same = save("Kawiarnia pod Lipą", "Europe/Berlin");
    assert!(same.body.contains("Nothing to save"), "{}", same.body);
    // In Polish, the mistakes in Polish.
    let csrf = csrf_of(&same.body);
    post(
        "/console/account/language",
        &[("cookie", &o.browser)],
        &[("csrf", &csrf), ("language", "pl"), ("back", "/console")],
    );
    let pl = save("", "Europe/Berlin");
    assert_eq!(pl.status, 422);
    for words in ["Uzupełnij to pole.", "Nic nie zapisano", "Twój lokal"] {
        assert!(pl.body.contains(words), "{words}: {}", pl.body);
    }
}

#[test]
fn a_taken_email_and_bad_fields_bring_the_form_back_with_each_error_and_write_nothing() {
    let o = sign_up();
    let again = post("/signup", &[], &sign_up_form(&o.email, "Second Café"));
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.body.contains("This email already has an account"));
    assert!(again.body.contains(r#"value="Second Café""#), "input kept");
    assert!(!again.body.contains(PASSWORD), "never the password");

    let email = fresh_email();
    let mut bad = sign_up_form(&email, "");
    bad[3] = ("password", "short");
    bad[4] = ("country", "XX");
    let resp = post("/signup", &[], &bad);
    assert_eq!(resp.status, 422, "{}", resp.body);
    for message in [
        "Please fill this in.",
        "Use at least 10 characters.",
        "Choose a country.",
    ] {
        assert!(resp.body.contains(message), "{message}");
    }
    assert_eq!(resp.body.matches(r#"aria-invalid="true""#).count(), 2);
    assert!(resp.body.contains(&format!(r#"value="{email}""#)));
    // Nothing was written: the same email signs up now.
    let ok = post("/signup", &[], &sign_up_form(&email, "Café Ola"));
    assert_eq!(ok.status, 303, "{}", ok.body);
    // A bot filling in the hidden field gets no account.
    let bot_email = fresh_email();
    let mut bot = sign_up_form(&bot_email, "Spam");
    bot[6] = ("website", "http://spam.example");
    assert_eq!(post("/signup", &[], &bot).status, 422);
    assert_eq!(sign_in(&bot_email, PASSWORD, &[]).status, 401);
}

#[test]
fn sign_ups_from_one_address_are_limited_per_hour() {
    clear_of_the_window_end(3_600_000, 120_000);
    let address = fresh_address();
    for _ in 0..SIGN_UPS_PER_HOUR {
        let email = fresh_email();
        let resp = post(
            "/signup",
            &[("cf-connecting-ip", &address)],
            &sign_up_form(&email, "Café"),
        );
        assert_eq!(resp.status, 303, "{}", resp.body);
    }
    let email = fresh_email();
    let resp = post(
        "/signup",
        &[("cf-connecting-ip", &address)],
        &sign_up_form(&email, "Café"),
    );
    assert_eq!(resp.status, 429, "{}", resp.body);
    assert!(resp
        .body
        .contains("Too many accounts were created from here"));
    assert_eq!(
        sign_in(&email, PASSWORD, &[]).status,
        401,
        "nothing was made"
    );
}

/// The median wall time of `n` calls of `f`, in ms.
fn median_ms(n: usize, f: impl Fn() -> Resp) -> (f64, Resp) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..n {
        let t = std::time::Instant::now();
        last = Some(f());
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (times[n / 2], last.unwrap())
}

#[test]
fn an_unknown_email_and_a_wrong_password_get_the_same_answer_after_the_same_work() {
    let o = sign_up();
    let unknown = fresh_email();
    // Measured in turns, so that a busy moment of the machine weighs on both the same (nine
    // wrong passwords: one fewer than the account's limit).
    let (mut wrong_times, mut unknown_times) = (Vec::new(), Vec::new());
    let (mut wrong, mut nobody) = (None, None);
    for _ in 0..3 {
        let (ms, r) = median_ms(3, || sign_in(&o.email, "not my password!", &[]));
        wrong_times.push(ms);
        wrong = Some(r);
        let (ms, r) = median_ms(3, || sign_in(&unknown, "not my password!", &[]));
        unknown_times.push(ms);
        nobody = Some(r);
    }
    let (wrong, nobody) = (wrong.unwrap(), nobody.unwrap());
    let total = |t: &[f64]| t.iter().sum::<f64>();
    let (wrong_ms, unknown_ms) = (total(&wrong_times) / 3.0, total(&unknown_times) / 3.0);
    assert_eq!(wrong.status, 401);
    assert_eq!(nobody.status, 401);
    // The same page, but for the email typed and each page's fresh passkey challenge.
    let same = |page: &str, email: &str| {
        let challenge = |p: &str| {
            let start = p.find(r#"data-challenge=""#).map(|i| i + 16).unwrap_or(0);
            p[start..].split('"').next().unwrap_or_default().to_owned()
        };
        page.replace(email, "EMAIL")
            .replace(&challenge(page), "CHALLENGE")
    };
    assert_eq!(
        same(&wrong.body, &o.email),
        same(&nobody.body, &unknown),
        "the same page"
    );
    assert!(wrong
        .body
        .contains("That email and password do not match an account."));
    let ratio = wrong_ms / unknown_ms;
    assert!(
        (0.5..2.0).contains(&ratio),
        "a wrong password took {wrong_ms:.1} ms, an unknown email {unknown_ms:.1} ms"
    );
}

#[test]
fn failed_sign_ins_are_limited_per_account_but_the_owners_own_device_still_gets_in() {
    clear_of_the_window_end(SIGN_IN_WINDOW_MS as u64, 90_000);
    let o = sign_up();
    let attacker = fresh_address();
    for _ in 0..SIGN_IN_FAILURES {
        let r = sign_in(
            &o.email,
            "guess guess guess",
            &[("cf-connecting-ip", &attacker)],
        );
        assert_eq!(r.status, 401, "{}", r.body);
    }
    // Past the limit, even the right password from a new device waits out the window.
    let elsewhere = fresh_address();
    let r = sign_in(&o.email, PASSWORD, &[("cf-connecting-ip", &elsewhere)]);
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.body.contains("Too many failed sign-ins"));
    assert!(r.header("retry-after").is_some());
    assert!(
        r.body.contains(&format!(r#"value="{}""#, o.email)),
        "email kept"
    );
    // The owner's browser signed in before: it is never locked out.
    let known = o
        .browser
        .split("; ")
        .find(|c| c.starts_with("le_known="))
        .unwrap()
        .to_owned();
    let r = sign_in(
        &o.email,
        PASSWORD,
        &[("cookie", &known), ("cf-connecting-ip", &elsewhere)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    // The attacker's address is limited for every account.
    let other = sign_up();
    let r = sign_in(
        &other.email,
        "guess guess guess",
        &[("cf-connecting-ip", &attacker)],
    );
    assert_eq!(r.status, 429, "{}", r.body);
}

#[test]
fn ending_a_session_from_another_device_signs_it_out_at_its_next_request() {
    let o = sign_up();
    let phone = session_only(&cookies(&sign_in(&o.email, PASSWORD, &[])));
    assert_eq!(get("/console", &phone).status, 200);
    let account = get("/console/account", &o.browser);
    assert_eq!(account.status, 200, "{}", account.body);
    assert_eq!(account.body.matches("/end\"").count(), 2, "two devices");
    // The other device's row is the one without "(this one)": end the first listed that is not.
    let rows: Vec<&str> = account
        .body
        .split("<li>")
        .filter(|r| r.contains("/console/account/sessions/"))
        .collect();
    let other = rows.iter().find(|r| !r.contains("(this one)")).unwrap();
    let start = other.find("/console/account/sessions/").unwrap();
    let action = other[start..].split('"').next().unwrap().to_owned();
    let csrf = csrf_of(&account.body);
    let ended = post(&action, &[("cookie", &o.browser)], &[("csrf", &csrf)]);
    assert_eq!(ended.status, 303, "{}", ended.body);
    let after = get("/console", &phone);
    assert_eq!(after.status, 303, "{}", after.body);
    assert_eq!(after.header("location"), Some("/signin"));
    assert_eq!(get("/console", &o.browser).status, 200, "this device stays");
    // Signing out ends this one too.
    let out = post(
        "/console/sign-out",
        &[("cookie", &o.browser)],
        &[("csrf", &csrf)],
    );
    assert_eq!(out.status, 303);
    assert_eq!(get("/console", &o.browser).status, 303);
}

#[test]
fn a_password_change_checks_the_old_one_refuses_a_weak_one_and_signs_other_devices_out() {
    let o = sign_up();
    let phone = session_only(&cookies(&sign_in(&o.email, PASSWORD, &[])));
    let csrf = csrf_of(&get("/console/account", &o.browser).body);
    let change = |current: &str, new: &str| {
        post(
            "/console/account/password",
            &[("cookie", &o.browser)],
            &[("csrf", &csrf), ("current", current), ("password", new)],
        )
    };
    let wrong = change("not it at all", "a new long password");
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(wrong.body.contains("This is not your current password."));
    let weak = change(PASSWORD, "password123");
    assert_eq!(weak.status, 422);
    assert!(weak.body.contains("too easy to guess"));
    assert_eq!(sign_in(&o.email, PASSWORD, &[]).status, 303, "unchanged");
    let ok = change(PASSWORD, "a new long password");
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.body.contains("Password changed."));
    assert_eq!(
        get("/console", &phone).status,
        303,
        "the phone was signed out"
    );
    assert_eq!(get("/console", &o.browser).status, 200);
    assert_eq!(sign_in(&o.email, PASSWORD, &[]).status, 401);
    assert_eq!(sign_in(&o.email, "a new long password", &[]).status, 303);
}

#[test]
fn the_language_is_saved_per_person() {
    let o = sign_up();
    let csrf = csrf_of(&get("/console", &o.browser).body);
    let resp = post(
        "/console/account/language",
        &[("cookie", &o.browser)],
        &[
            ("csrf", &csrf),
            ("language", "pl"),
            ("back", "/console/insights"),
        ],
    );
    assert_eq!(resp.status, 303, "{}", resp.body);
    assert_eq!(resp.header("location"), Some("/console/insights"));
    let page = get("/console", &o.browser);
    assert!(page.body.contains(r#"<html lang="pl">"#));
    assert!(page.body.contains("Przygotuj swój program"));
    assert!(page.body.contains("Właściciel"));
    // A new sign-in keeps it.
    let again = session_only(&cookies(&sign_in(&o.email, PASSWORD, &[])));
    assert!(get("/console/account", &again)
        .body
        .contains("Zalogowane urządzenia"));
}

/// A concrete path of a route (`{id}` filled in with one of the owner's session prefixes).
fn concrete(path: &str, session_prefix: &str) -> String {
    path.replace("{id}", session_prefix)
}

#[test]
fn every_state_changing_console_route_refuses_a_missing_or_wrong_token_and_a_foreign_origin() {
    let o = sign_up();
    let account = get("/console/account", &o.browser);
    let csrf = csrf_of(&account.body);
    let start = account.body.find("/console/account/sessions/").unwrap() + 26;
    let prefix = account.body[start..start + 16].to_owned();
    let changing: Vec<_> = console_routes().into_iter().filter(|r| r.changes).collect();
    assert!(changing.len() >= 4);
    fn form(token: Option<&str>) -> Vec<(&'static str, &str)> {
        let mut f = vec![
            ("language", "pl"),
            ("current", PASSWORD),
            ("password", "another long password"),
        ];
        if let Some(t) = token {
            f.push(("csrf", t));
        }
        f
    }
    let origin = worker().base.clone();
    for route in &changing {
        let path = concrete(route.path, &prefix);
        let cases = [
            ("no token", form(None), origin.as_str()),
            ("a wrong token", form(Some("0123abcd")), origin.as_str()),
            (
                "a foreign origin",
                form(Some(&csrf)),
                "https://evil.example",
            ),
        ];
        for (what, fields, from) in cases {
            let resp = post(&path, &[("cookie", &o.browser), ("origin", from)], &fields);
            assert_eq!(
                resp.status, 403,
                "{} with {what}: {}",
                route.path, resp.body
            );
            assert!(
                resp.body.contains("nothing was changed"),
                "{} with {what}: {}",
                route.path,
                resp.body
            );
        }
        // Signed out, it is refused the same way.
        let resp = post(&path, &[], &form(Some(&csrf)));
        assert_eq!(resp.status, 403, "{} signed out", route.path);
    }
    // Nothing was written: still signed in, in English, with the same password and devices.
    let after = get("/console/account", &o.browser);
    assert_eq!(after.status, 200);
    assert!(after.body.contains(r#"<html lang="en">"#));
    assert_eq!(after.body.matches("/end\"").count(), 1);
    assert_eq!(sign_in(&o.email, PASSWORD, &[]).status, 303);
    // The sign-up and sign-in forms refuse other sites too.
    let resp = post(
        "/signup",
        &[("origin", "https://evil.example")],
        &sign_up_form(&fresh_email(), "X"),
    );
    assert_eq!(resp.status, 403);
    let resp = sign_in(&o.email, PASSWORD, &[("origin", "https://evil.example")]);
    assert_eq!(resp.status, 403);
}

#[test]
fn every_console_page_is_open_to_its_roles_forbidden_to_the_others_and_sends_the_signed_out_to_sign_in(
) {
    let o = sign_up();
    // Messages on (by email), so the customer's welcome is a message page of its own.
    let messages = get("/console/messages", &o.browser);
    let on = post(
        "/console/messages/channels",
        &[("cookie", o.browser.as_str())],
        &[
            ("csrf", &csrf_of(&messages.body)),
            ("email", "on"),
            ("cap_days", "7"),
        ],
    );
    assert_eq!(on.status, 200, "{}", on.body);
    // A customer of the café, for the pages of one (`{id}`).
    let shop = crate::harness::Merchant {
        id: loyalty_edge::domain::ids::MerchantId::parse(&o.merchant).unwrap(),
        key: String::new(),
    };
    let member = crate::harness::Merchant::member_id(&shop.member());
    let welcome = format!("welcome:{member}");
    // A reward of the café, for its own page.
    let added = crate::catalog::send_reward(
        &o.browser,
        "/console/rewards/new",
        &[
            ("name", "Cake"),
            ("kind", "free_item"),
            ("pays", "points"),
            ("points", "50"),
        ],
        None,
    );
    assert_eq!(added.status, 200, "{}", added.body);
    let reward = crate::catalog::reward_ids(&added.body).remove(0);
    // A draft campaign, for its pages.
    let csrf = csrf_of(&get("/console/campaigns/new", &o.browser).body);
    let drafted = post(
        "/console/campaigns/new",
        &[("cookie", &o.browser)],
        &[
            ("csrf", &csrf),
            ("name", "Draft"),
            ("segment", "all"),
            ("subject_a", "Hi"),
            ("text_a", "Hello {{name}}"),
            ("holdout", "10"),
            ("window", "14"),
            ("when", "now"),
        ],
    );
    assert_eq!(drafted.status, 303, "{}", drafted.body);
    let campaign = drafted
        .header("location")
        .unwrap()
        .trim_start_matches("/console/campaigns/")
        .to_owned();
    // A promotion, for its pages (addressed by its fingerprint).
    let csrf = csrf_of(&get("/console/earning/promotions", &o.browser).body);
    let promoted = post(
        "/console/earning/promotions",
        &[("cookie", &o.browser)],
        &[("csrf", &csrf), ("name", "Double"), ("multiplier", "200")],
    );
    assert_eq!(promoted.status, 200, "{}", promoted.body);
    let promotion = promoted
        .body
        .split("href=\"/console/earning/promotions/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let page = |route: &loyalty_edge::domain::account::ConsoleRoute| match route.path {
        p if p.starts_with("/console/campaigns/{id}") => p.replace("{id}", &campaign),
        p if p.starts_with("/console/earning/promotions/{id}") => p.replace("{id}", &promotion),
        "/console/messages/{id}" => route.path.replace("{id}", &welcome),
        "/console/rewards/{id}" => route.path.replace("{id}", &reward),
        _ => route.path.replace("{id}", &member),
    };
    for route in console_routes().into_iter().filter(|r| !r.changes) {
        let owner = get(&page(&route), &o.browser);
        assert_eq!(owner.status, 200, "owner: {} {}", route.path, owner.body);
        if route.path.ends_with("/export") || route.path.ends_with(".csv") {
            // A download, not a page.
            assert!(
                owner.header("content-disposition").is_some(),
                "{}",
                route.path
            );
        } else {
            assert!(owner.body.contains("Café Ala"), "{}", route.path);
        }
        let signed_out = worker().get(&page(&route), None);
        assert_eq!(signed_out.status, 303, "signed out: {}", route.path);
        assert_eq!(signed_out.header("location"), Some("/signin"));
        let stale = get(&page(&route), "le_console=00");
        assert_eq!(stale.status, 303, "a malformed session: {}", route.path);
    }
    // A manager and a staff member of the same café, added by the operator.
    let mut browsers = Vec::new();
    for role in ["manager", "staff"] {
        let email = fresh_email();
        let resp = worker().admin(
            "POST",
            &format!("/admin/v1/merchants/{}/people", o.merchant),
            Some(
                &serde_json::json!({ "email": email, "name": format!("A {role}"), "role": role,
                                      "password": PASSWORD }),
            ),
        );
        assert_eq!(resp.status, 201, "{}", resp.body);
        let signed = sign_in(&email, PASSWORD, &[]);
        assert_eq!(signed.status, 303, "{}", signed.body);
        browsers.push((Role::parse(role).unwrap(), session_only(&cookies(&signed))));
    }
    for route in console_routes().into_iter().filter(|r| !r.changes) {
        for (role, browser) in &browsers {
            let resp = get(&page(&route), browser);
            if *role == Role::Staff && route.path == "/console" {
                assert_eq!(resp.status, 303, "staff at home");
                assert_eq!(resp.header("location"), Some("/console/account"));
            } else if route.roles.contains(role) {
                assert_eq!(resp.status, 200, "{role:?}: {} {}", route.path, resp.body);
            } else {
                assert_eq!(resp.status, 403, "{role:?}: {} {}", route.path, resp.body);
                assert!(resp.body.contains("cannot open"), "{}", resp.body);
            }
        }
    }
    let (_, staff) = &browsers[1];
    let page = get("/console/account", staff);
    assert!(
        !page.body.contains(r#"href="/console/customers""#),
        "staff see no modules"
    );
    let missing = get("/console/nope", &o.browser);
    assert_eq!(missing.status, 404);
}

/// Invites `email` as `role` from the people page of `browser`; returns the invitation link's
/// path.
pub(crate) fn invite(browser: &str, email: &str, role: &str) -> String {
    let csrf = csrf_of(&get("/console/people", browser).body);
    let resp = post(
        "/console/people/invite",
        &[("cookie", browser)],
        &[("csrf", &csrf), ("email", email), ("role", role)],
    );
    assert_eq!(resp.status, 201, "{}", resp.body);
    let start = resp.body.find("/invite/").expect("the link");
    resp.body[start..].split('"').next().unwrap().to_owned()
}

#[test]
fn an_invitation_link_works_once_and_makes_a_person_with_its_role() {
    let o = sign_up();
    let email = fresh_email();
    let link = invite(&o.browser, &email, "manager");
    let people = get("/console/people", &o.browser);
    assert!(people.body.contains(&email), "listed as open");
    let page = worker().get(&link, None);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Café Ala invites"));
    // A weak password or no name: the form again, nothing used.
    let bad = post(
        &link,
        &[],
        &[("name", ""), ("password", "short"), ("language", "en")],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("Please fill this in.") && bad.body.contains("Use at least 10"));
    // Two accepts at once: one person, one role, one session.
    let results = crate::harness::concurrently(6, || {
        post(
            &link,
            &[],
            &[
                ("name", "Piotr"),
                ("password", PASSWORD),
                ("language", "en"),
            ],
        )
    });
    assert_eq!(
        results.iter().filter(|r| r.status == 303).count(),
        1,
        "used once"
    );
    for r in results.iter().filter(|r| r.status != 303) {
        assert_eq!(r.status, 410, "{}", r.body);
    }
    let manager = session_only(&cookies(results.iter().find(|r| r.status == 303).unwrap()));
    let home = get("/console", &manager);
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(home.body.contains("Piotr · Manager"));
    assert_eq!(worker().get(&link, None).status, 410, "the link is spent");
    assert_eq!(sign_in(&email, PASSWORD, &[]).status, 303);
    // The owner sees them; an expired or made-up link works for nobody.
    let people = get("/console/people", &o.browser);
    assert!(people.body.contains("Piotr"));
    assert_eq!(
        worker()
            .get(&format!("/invite/{}", "ab".repeat(32)), None)
            .status,
        410
    );
}

#[test]
fn managers_invite_staff_but_never_owners_and_owners_change_and_remove_people() {
    let o = sign_up();
    let manager_email = fresh_email();
    let link = invite(&o.browser, &manager_email, "manager");
    let m = session_only(&cookies(&post(
        &link,
        &[],
        &[
            ("name", "Piotr"),
            ("password", PASSWORD),
            ("language", "en"),
        ],
    )));
    let csrf = csrf_of(&get("/console/people", &m).body);
    let refused = post(
        "/console/people/invite",
        &[("cookie", &m)],
        &[
            ("csrf", &csrf),
            ("email", &fresh_email()),
            ("role", "owner"),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused
        .body
        .contains("only an owner makes or changes owners"));
    let staff_email = fresh_email();
    let staff_link = invite(&m, &staff_email, "staff");
    let staff = session_only(&cookies(&post(
        &staff_link,
        &[],
        &[
            ("name", "Kasia"),
            ("password", PASSWORD),
            ("language", "pl"),
        ],
    )));
    assert_eq!(
        get("/console", &staff).header("location"),
        Some("/console/account")
    );
    // The manager sees buttons for Kasia only (not the owner, not themselves), and cannot make
    // her an owner.
    let people = get("/console/people", &m).body;
    assert_eq!(people.matches("/role\"").count(), 1, "{people}");
    assert!(
        !people.contains(r#"<option value="owner""#),
        "no owner role to give"
    );
    let at = people.find("Kasia").unwrap();
    let start = people[at..].find("/console/people/").unwrap() + at + 16;
    let kasia = people[start..].split('/').next().unwrap().to_owned();
    let csrf_m = csrf_of(&people);
    let promote = post(
        &format!("/console/people/{kasia}/role"),
        &[("cookie", &m)],
        &[("csrf", &csrf_m), ("role", "owner")],
    );
    assert_eq!(promote.status, 403, "{}", promote.body);
    // The owner makes the staff member a manager: their session ends at once.
    let owner_page = get("/console/people", &o.browser).body;
    let at = owner_page.find("Kasia").unwrap();
    let action_start = owner_page[at..].find("/console/people/").unwrap() + at;
    let kasia_id = owner_page[action_start + 16..]
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let csrf = csrf_of(&owner_page);
    let changed = post(
        &format!("/console/people/{kasia_id}/role"),
        &[("cookie", &o.browser)],
        &[("csrf", &csrf), ("role", "manager")],
    );
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(
        get("/console/account", &staff).status,
        303,
        "signed out by the change"
    );
    let again = session_only(&cookies(&sign_in(&staff_email, PASSWORD, &[])));
    assert!(get("/console", &again).body.contains("Kierownik"));
    // Removing her ends that session too, and she can no longer get in.
    let removed = post(
        &format!("/console/people/{kasia_id}/remove"),
        &[("cookie", &o.browser)],
        &[("csrf", &csrf)],
    );
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert_eq!(get("/console", &again).status, 303);
    assert_eq!(sign_in(&staff_email, PASSWORD, &[]).status, 403);
    // The only owner cannot be removed, not even by themselves through the page.
    let me = owner_page[..owner_page.find("(you)").unwrap()]
        .rsplit("<li>")
        .next()
        .unwrap()
        .contains("/remove");
    assert!(!me, "no remove button on your own line");
}
