//! The console's card designer end to end: an owner uploads a logo, picks colours, a stamp
//! picture, the tone and a stamp card, and customers' cards follow at once (audited by name,
//! the stamp card as a new program version); a save that changes nothing says so; the page says
//! what the card does with a faint colour; bad fields come back beside each field in the
//! person's language with the input kept and nothing stored; the preview follows the typed
//! fields and saves nothing; staff are kept out.

use loyalty_edge::domain::ids::MerchantId;

use crate::catalog::{send_multipart, PNG, SVG};
use crate::console::{csrf_of, get, post, sign_in, sign_up, Owner, PASSWORD};
use crate::harness::{worker, Merchant, Resp, Sign};

fn send(o: &Owner, fields: &[(&str, &str)], logo: Option<&[u8]>) -> Resp {
    send_multipart(
        &o.browser,
        "/console/card",
        "/console/card",
        fields,
        "logo",
        logo,
    )
}

/// The designer's fields as stored for a new café, with `changes` laid over them.
fn fields<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("primary", "#3b2f2f"),
        ("accent", "#d4a373"),
        ("stamp_icon", "dot"),
        ("tone", "friendly"),
        ("card_size", "8"),
        ("card_reward", "a free coffee"),
    ];
    for (k, v) in changes {
        f.retain(|(name, _)| name != k);
        f.push((k, v));
    }
    f
}

fn shop(o: &Owner) -> Merchant {
    Merchant {
        id: MerchantId::parse(&o.merchant).unwrap(),
        key: String::new(),
    }
}

fn card(o: &Owner, member: &str) -> String {
    let page = worker().get(&format!("/c/{}", o.merchant), Some(member));
    assert_eq!(page.status, 200, "{}", page.body);
    page.body
}

/// The text of the error shown beside `field`.
fn error_of<'a>(page: &'a str, field: &str) -> &'a str {
    let at = page
        .find(&format!("id=\"f-{field}-err\""))
        .unwrap_or_else(|| panic!("no error on {field}: {page}"));
    page[at..].split("</p>").next().unwrap()
}

const CUP: &str = "M3 7h14v6";

#[test]
fn an_owner_designs_the_card_and_customers_see_it_at_once() {
    let o = sign_up();
    let member = shop(&o).member();
    let page = get("/console/card", &o.browser);
    assert_eq!(page.status, 200, "{}", page.body);
    for shown in [
        r##"value="#3b2f2f""##,
        r#"value="8""#,
        r#"value="a free coffee""#,
        r#"value="dot" checked"#,
        r#"value="friendly" checked"#,
        "Header and buttons: white text on your main colour",
        r#"src="/console/card/preview?"#,
    ] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    let csp = page.header("content-security-policy").unwrap_or_default();
    assert!(
        csp.contains("frame-src 'self'") && csp.contains("script-src 'sha256-"),
        "{csp}"
    );

    let saved = send(
        &o,
        &fields(&[
            ("primary", "#0B3D2E"),
            ("accent", "#ffd166"),
            ("stamp_icon", "cup"),
            ("tone", "formal"),
            ("card_size", "10"),
            ("card_reward", "a cinnamon bun"),
        ]),
        Some(PNG),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(
        saved
            .body
            .contains("The card is saved: customers see it now."),
        "{}",
        saved.body
    );
    assert!(
        saved.body.contains(r##"value="#0b3d2e""##),
        "stored lower case"
    );
    assert!(saved.body.contains(r#"value="cup" checked"#));
    let c = card(&o, &member);
    for shown in [
        "--p:#0b3d2e",
        "--a:#ffd166",
        CUP,
        "1 of 10 stamps",
        "to a cinnamon bun",
        r#"<img class="logo" src="/files/"#,
        "Welcome back.",
    ] {
        assert!(c.contains(shown), "{shown}: {c}");
    }
    // The formal tone greets a new customer without their first name.
    let s = shop(&o);
    let joined = s.join(&s.token(Sign::default()), "Ala");
    assert!(
        joined.body.contains("Welcome. Your loyalty card is ready."),
        "{}",
        joined.body
    );

    // Saving again unchanged writes nothing and says so.
    let same = send(
        &o,
        &fields(&[
            ("primary", "#0b3d2e"),
            ("accent", "#ffd166"),
            ("stamp_icon", "cup"),
            ("tone", "formal"),
            ("card_size", "10"),
            ("card_reward", "a cinnamon bun"),
        ]),
        None,
    );
    assert!(same.body.contains("Nothing to save"), "{}", same.body);
    // The logo can be removed.
    let removed = send(
        &o,
        &fields(&[
            ("primary", "#0b3d2e"),
            ("accent", "#ffd166"),
            ("stamp_icon", "cup"),
            ("tone", "formal"),
            ("card_size", "10"),
            ("card_reward", "a cinnamon bun"),
            ("remove_logo", "1"),
        ]),
        None,
    );
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert!(!card(&o, &member).contains(r#"class="logo""#));

    let activity = get("/console/activity", &o.browser);
    assert!(
        activity
            .body
            .contains("changed the card (logo, colours, stamp picture, tone, stamp card)"),
        "{}",
        activity.body
    );
    assert_eq!(
        activity.body.matches("changed the card").count(),
        2,
        "the unchanged save is not audited"
    );
}

#[test]
fn bad_fields_come_back_beside_each_field_and_nothing_is_stored() {
    let o = sign_up();
    let member = shop(&o).member();
    let long = "k".repeat(61);
    let bad = fields(&[
        ("primary", "red"),
        ("accent", "#12"),
        ("stamp_icon", "skull"),
        ("tone", "rude"),
        ("card_size", "0"),
    ]);
    let resp = send(&o, &bad, Some(PNG));
    assert_eq!(resp.status, 422, "{}", resp.body);
    for (field, words) in [
        ("primary", "Type a colour like #3b2f2f."),
        ("accent", "Type a colour like #3b2f2f."),
        ("stamp_icon", "Choose one of these."),
        ("tone", "Choose one of these."),
        ("card_size", "Choose a number from 1 to 50."),
    ] {
        assert!(error_of(&resp.body, field).contains(words), "{field}");
    }
    assert!(resp.body.contains("Nothing was saved"));
    assert!(resp.body.contains(r#"value="red""#), "input kept");
    assert!(resp.body.contains("choose the logo again before saving"));
    let too_long = send(&o, &fields(&[("card_reward", &long)]), None);
    assert_eq!(too_long.status, 422);
    assert!(error_of(&too_long.body, "card_reward").contains("1 to 60 characters"));
    let svg = send(&o, &fields(&[("primary", "#112233")]), Some(SVG));
    assert_eq!(svg.status, 422);
    assert!(error_of(&svg.body, "logo").contains("SVG images are not accepted"));
    assert!(svg.body.contains(r##"value="#112233""##));

    // A preview shows the typed card, says what the card does with a faint colour, and saves
    // nothing.
    let preview = send(
        &o,
        &fields(&[
            ("accent", "#fff3b0"),
            ("stamp_icon", "star"),
            ("preview", "1"),
        ]),
        None,
    );
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(
        preview
            .body
            .contains("your accent colour is faint on white"),
        "{}",
        preview.body
    );
    let start = preview.body.find("src=\"/console/card/preview?").unwrap() + 5;
    let src = preview.body[start..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let framed = get(&src, &o.browser);
    assert_eq!(framed.status, 200);
    assert!(
        framed.body.contains("--a:#fff3b0") && framed.body.contains("M12 2l3 6.9"),
        "{}",
        framed.body
    );
    assert_eq!(framed.header("x-frame-options"), Some("SAMEORIGIN"));
    // A bad typed colour leaves the saved one in the preview, the good parts shown.
    let half = get(
        "/console/card/preview?primary=nope&stamp_icon=heart&card_size=12",
        &o.browser,
    );
    assert!(half.body.contains("--p:#3b2f2f") && half.body.contains("M12 21s"));
    assert!(half.body.contains("of 12 stamps"), "{}", half.body);

    let c = card(&o, &member);
    assert!(
        c.contains("--p:#3b2f2f")
            && c.contains("of 8 stamps")
            && !c.contains("<svg viewBox=\"0 0 24 24\"")
    );
    assert!(!get("/console/activity", &o.browser)
        .body
        .contains("changed the card"));

    // In Polish, the same errors in Polish.
    let csrf = csrf_of(&get("/console/card", &o.browser).body);
    post(
        "/console/account/language",
        &[("cookie", &o.browser)],
        &[
            ("csrf", &csrf),
            ("language", "pl"),
            ("back", "/console/card"),
        ],
    );
    let pl = send(&o, &bad, None);
    assert_eq!(pl.status, 422);
    for words in [
        "Wpisz kolor w postaci #3b2f2f.",
        "Wybierz jedną z opcji.",
        "Wybierz liczbę od 1 do 50.",
        "Nic nie zapisano",
        "Karta i marka",
    ] {
        assert!(pl.body.contains(words), "{words}: {}", pl.body);
    }
    assert!(!pl.body.contains("Type a colour"));
}

#[test]
fn a_manager_designs_the_card_and_staff_are_kept_out() {
    let o = sign_up();
    let mut browsers = Vec::new();
    for role in ["manager", "staff"] {
        let email = crate::console::fresh_email();
        let resp = worker().admin(
            "POST",
            &format!("/admin/v1/merchants/{}/people", o.merchant),
            Some(&serde_json::json!({ "email": email, "name": format!("A {role}"), "role": role, "password": PASSWORD })),
        );
        assert_eq!(resp.status, 201, "{}", resp.body);
        browsers.push(crate::console::session_only(&crate::console::cookies(
            &sign_in(&email, PASSWORD, &[]),
        )));
    }
    let manager = Owner {
        email: String::new(),
        browser: browsers[0].clone(),
        merchant: o.merchant.clone(),
    };
    let saved = send(&manager, &fields(&[("stamp_icon", "heart")]), None);
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(get("/console/card", &browsers[1]).status, 403);
    assert_eq!(get("/console/card/preview", &browsers[1]).status, 403);
    let csrf = csrf_of(&get("/console/account", &browsers[1]).body);
    let refused = post(
        "/console/card",
        &[("cookie", &browsers[1])],
        &[
            ("csrf", &csrf),
            ("primary", "#000000"),
            ("accent", "#ffffff"),
            ("stamp_icon", "dot"),
            ("tone", "friendly"),
            ("card_size", "8"),
            ("card_reward", "x"),
        ],
    );
    assert_eq!(refused.status, 403);
    let member = shop(&o).member();
    assert!(
        card(&o, &member).contains("M12 21s"),
        "the manager's heart stays"
    );
}
