//! The console's automations end to end: a new café sees the ready-made ones with what a
//! customer gets in one sentence; switching one on makes it a sequence that gives on the next
//! first purchase, counted on its card; its numbers change as fields (errors beside their
//! field in the person's language, nothing written); switched off, audited by name.

use loyalty_edge::domain::ids::MerchantId;
use loyalty_edge::domain::token::ScanKind;

use crate::console::{csrf_of, get, post, sign_up, Owner};
use crate::harness::{worker, Merchant, Resp, Sign};

fn shop(o: &Owner) -> Merchant {
    Merchant {
        id: MerchantId::parse(&o.merchant).unwrap(),
        key: String::new(),
    }
}

fn send(o: &Owner, path: &str, form: &[(&str, &str)]) -> Resp {
    let csrf = csrf_of(&get("/console/automations", &o.browser).body);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(form);
    post(path, &[("cookie", &o.browser)], &all)
}

#[test]
fn an_owner_switches_on_changes_and_switches_off_an_automation() {
    let o = sign_up();
    let page = get("/console/automations", &o.browser);
    assert_eq!(page.status, 200, "{}", page.body);
    for shown in [
        "No automation is on yet",
        "After their first purchase, a customer gets 1 stamp and a message at once.",
        "When a customer has not come for 30 days, they get 30 points and a message at once, if they agreed to offers.",
    ] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    assert!(
        !page.body.contains("welcome_reward<"),
        "no identifier shown"
    );

    let on = send(&o, "/console/automations/add", &[("id", "welcome_reward")]);
    assert_eq!(on.status, 200, "{}", on.body);
    assert!(on
        .body
        .contains("Saved: it counts from the next visit or purchase."));
    assert!(on.body.contains("Nobody got it in the last 30 days"));
    let again = send(&o, "/console/automations/add", &[("id", "welcome_reward")]);
    assert_eq!(again.status, 404, "a ready-made one is added once");

    // A customer's first purchase: the card counts it.
    let s = shop(&o);
    let member = s.member();
    let sale = worker().get(
        &format!(
            "/s/{}",
            s.token(Sign {
                kind: ScanKind::Purchase { amount_minor: 1000 },
                ..Sign::default()
            })
        ),
        Some(&member),
    );
    assert_eq!(sale.status, 200, "{}", sale.body);
    let page = get("/console/automations", &o.browser);
    assert!(
        page.body.contains("Given once in the last 30 days"),
        "{}",
        page.body
    );

    // Its numbers as fields; a bad one comes back beside it, nothing written.
    let bad = send(
        &o,
        "/console/automations/welcome_reward",
        &[
            ("delay_hours", "999"),
            ("points", "x"),
            ("stamps", "1"),
            ("message", "1"),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad
        .body
        .contains(r#"id="f-delay_hours-welcome_reward-err""#));
    assert!(bad.body.contains("Choose a number from 0 to 720."));
    assert!(bad.body.contains(r#"value="999""#), "input kept");
    assert!(get("/console/automations", &o.browser)
        .body
        .contains("1 stamp and a message at once"));
    let changed = send(
        &o,
        "/console/automations/welcome_reward",
        &[
            ("delay_hours", "3"),
            ("points", "0"),
            ("stamps", "2"),
            ("message", "1"),
        ],
    );
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert!(
        changed.body.contains(
            "After their first purchase, a customer gets 2 stamps and a message 3 hours later."
        ),
        "{}",
        changed.body
    );

    let off = send(
        &o,
        "/console/automations/welcome_reward",
        &[("switch", "off")],
    );
    assert!(off.body.contains(">Off<"), "{}", off.body);
    assert_eq!(
        send(&o, "/console/automations/nope", &[("switch", "off")]).status,
        404
    );
    let activity = get("/console/activity", &o.browser).body;
    for words in [
        "switched on the automation “First purchase”",
        "changed the automation “First purchase”",
        "switched off the automation “First purchase”",
    ] {
        assert!(activity.contains(words), "{words}: {activity}");
    }

    // In Polish, the same error in Polish.
    let csrf = csrf_of(&get("/console/automations", &o.browser).body);
    post(
        "/console/account/language",
        &[("cookie", &o.browser)],
        &[
            ("csrf", &csrf),
            ("language", "pl"),
            ("back", "/console/automations"),
        ],
    );
    let pl = send(
        &o,
        "/console/automations/welcome_reward",
        &[("delay_hours", "999"), ("points", "0"), ("stamps", "1")],
    );
    assert_eq!(pl.status, 422);
    for words in [
        "Wybierz liczbę od 0 do 720.",
        "Nic nie zapisano",
        "Po pierwszym zakupie klient dostaje:",
    ] {
        assert!(pl.body.contains(words), "{words}: {}", pl.body);
    }
}

#[test]
fn an_automation_gets_its_own_words_a_lowest_level_and_the_not_come_back_condition() {
    let o = sign_up();
    // Levels on (the suggested ladder), then the win-back automation switched on.
    let csrf = csrf_of(&get("/console/earning/tiers", &o.browser).body);
    let mut levels: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("enabled", "1"),
        ("window_days", "365"),
        ("downgrade", "never"),
    ];
    levels.extend([
        ("name_0", "Member"),
        ("name_1", "Silver"),
        ("threshold_1", "500"),
        ("name_2", "Gold"),
        ("threshold_2", "2000"),
    ]);
    let saved = post("/console/earning/tiers", &[("cookie", &o.browser)], &levels);
    assert_eq!(saved.status, 200, "{}", saved.body);
    let on = send(&o, "/console/automations/add", &[("id", "return_offer")]);
    assert_eq!(on.status, 200, "{}", on.body);
    assert!(
        on.body
            .contains(r#"<option value="1">Silver and above</option>"#),
        "{}",
        on.body
    );

    // Bad words and an unknown level: each beside its field, the typing kept, nothing written.
    let bad = send(
        &o,
        "/console/automations/return_offer",
        &[
            ("n", "30"),
            ("delay_hours", "0"),
            ("points", "30"),
            ("stamps", "0"),
            ("message", "1"),
            ("consent", "1"),
            ("min_tier", "7"),
            ("subject", "We miss you"),
            ("text", "{{nope}}, come back"),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body
            .contains(r#"id="f-min_tier-return_offer-err" role="alert">Choose one of these."#),
        "{}",
        bad.body
    );
    assert!(
        bad.body
            .contains("{{nope}} is not one of the words that fill themselves in"),
        "{}",
        bad.body
    );
    assert!(
        bad.body.contains(r#"value="We miss you""#),
        "the subject is kept"
    );
    assert!(!get("/console/automations", &o.browser)
        .body
        .contains("Gold or above"));

    // Saved: the sentence says the level and the condition; the words are kept.
    let good = send(
        &o,
        "/console/automations/return_offer",
        &[
            ("n", "30"),
            ("delay_hours", "0"),
            ("points", "30"),
            ("stamps", "0"),
            ("message", "1"),
            ("consent", "1"),
            ("not_returned", "1"),
            ("min_tier", "2"),
            ("subject", "We miss you"),
            ("text", "{{name}}, a coffee is waiting"),
        ],
    );
    assert_eq!(good.status, 200, "{}", good.body);
    assert!(
        good.body.contains("they get 30 points and a message at once, if they agreed to offers, unless they came back meanwhile, if they are at Gold or above."),
        "{}",
        good.body
    );
    assert!(
        good.body
            .contains("{{name}}, a coffee is waiting</textarea>"),
        "{}",
        good.body
    );
    assert!(
        good.body
            .contains(r#"<option value="2" selected>Gold and above</option>"#),
        "{}",
        good.body
    );
}
