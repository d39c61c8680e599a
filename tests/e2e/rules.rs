//! The console's earning rules end to end: the page says in one sentence what customers get;
//! an owner changes the rules as fields (stamps, the poster's limits, expiry, returns, the
//! birthday gift from the catalog, invitations) and the next scan follows, audited by name; a
//! save that changes nothing says so; bad fields come back beside each field in the person's
//! language with the input kept and nothing written; another café's reward is not a gift.

use crate::catalog::send_reward;
use crate::console::{csrf_of, get, post, sign_up, Owner};
use crate::harness::{worker, Merchant, Resp};
use loyalty_edge::domain::ids::MerchantId;

/// The rules form as a new café's page shows it, with `changes` laid over it.
fn fields(o: &Owner, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let page = get("/console/earning", &o.browser).body;
    let mut f: Vec<(String, String)> = Vec::new();
    // Text fields and the hidden one, as the page fills them.
    for part in page.split("<input").skip(1) {
        let attr = |name: &str| {
            part.split(&format!(" {name}=\""))
                .nth(1)
                .and_then(|v| v.split('"').next())
                .map(str::to_owned)
        };
        let (Some(name), kind) = (attr("name"), attr("type").unwrap_or_default()) else {
            continue;
        };
        let checked = part
            .split('>')
            .next()
            .unwrap_or_default()
            .contains(" checked");
        match kind.as_str() {
            "radio" | "checkbox" if !checked => {}
            _ => f.push((name, attr("value").unwrap_or_default())),
        }
    }
    // Selects, with their selected option.
    for part in page.split("<select ").skip(1) {
        let name = part
            .split(" name=\"")
            .nth(1)
            .and_then(|v| v.split('"').next());
        let body = part.split("</select>").next().unwrap_or_default();
        let chosen = body
            .split("<option value=\"")
            .skip(1)
            .find(|o| {
                o.split('>')
                    .next()
                    .unwrap_or_default()
                    .contains(" selected")
            })
            .and_then(|o| o.split('"').next());
        if let (Some(name), Some(chosen)) = (name, chosen) {
            f.push((name.to_owned(), chosen.to_owned()));
        }
    }
    f.retain(|(k, _)| k != "csrf");
    for (k, v) in changes {
        f.retain(|(name, _)| name != k);
        f.push(((*k).into(), (*v).into()));
    }
    f
}

fn save(o: &Owner, form: &[(String, String)]) -> Resp {
    let csrf = csrf_of(&get("/console/earning", &o.browser).body);
    let mut all: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    all.extend(form.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    post("/console/earning", &[("cookie", &o.browser)], &all)
}

fn shop(o: &Owner) -> Merchant {
    Merchant {
        id: MerchantId::parse(&o.merchant).unwrap(),
        key: String::new(),
    }
}

fn error_of<'a>(page: &'a str, field: &str) -> &'a str {
    let at = page
        .find(&format!("id=\"f-{field}-err\""))
        .unwrap_or_else(|| panic!("no error on {field}: {page}"));
    page[at..].split("</p>").next().unwrap()
}

#[test]
fn an_owner_sets_the_rules_as_fields_and_the_next_scan_follows() {
    let o = sign_up();
    let page = get("/console/earning", &o.browser);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains("Scanning the poster: 1 stamp (at most 2 a day, 4 hours apart)"),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains(r#"name="cooldown_hours" type="text" value="4""#));

    // A cake as the birthday gift, from the catalog.
    let added = send_reward(
        &o.browser,
        "/console/rewards/new",
        &[
            ("name", "Birthday cake"),
            ("kind", "free_item"),
            ("pays", "points"),
            ("points", "500"),
        ],
        None,
    );
    assert_eq!(added.status, 200, "{}", added.body);
    let cake = crate::catalog::reward_ids(&added.body).remove(0);
    let form = fields(
        &o,
        &[
            ("per_visit", "3"),
            ("per_unit", "2"),
            ("cooldown_hours", "6"),
            ("daily_cap", "0"),
            ("expiry", "after"),
            ("after_count", "12"),
            ("after_unit", "months"),
            ("end_of_month", "1"),
            ("pending_days", "14"),
            ("negative", "allow"),
            ("point_value", "2,50"),
            ("birthday", "1"),
            ("bday_points", "0"),
            ("bday_reward", &cake),
            ("referral", "1"),
            ("ref_min", "20"),
        ],
    );
    let saved = save(&o, &form);
    assert_eq!(saved.status, 200, "{}", saved.body);
    for shown in [
        "The rules are saved",
        "Scanning the poster: 3 stamps (6 hours apart)",
        "each 1.00 PLN spent: 2 points",
        "Points expire 12 months after they were earned.",
        r#"value="after" checked"#,
        r#"value="allow" checked"#,
        r#"name="point_value" type="text" value="2.50""#,
        r#"name="ref_min" type="text" value="20.00""#,
        r#"name="birthday" value="1" checked"#,
    ] {
        assert!(saved.body.contains(shown), "{shown}: {}", saved.body);
    }
    assert!(saved.body.contains(&format!(
        r#"<option value="{cake}" selected>Birthday cake</option>"#
    )));
    // The next customer to join through the poster gets 3 stamps.
    let s = shop(&o);
    let joined = s.join(&s.poster(), "Ala");
    let member = joined.cookie().expect("a member");
    let card = worker().get(&format!("/c/{}", o.merchant), Some(&member));
    assert!(card.body.contains("3 of 8 stamps"), "{}", card.body);

    // The same form again changes nothing and says so.
    let again = save(&o, &fields(&o, &[]));
    assert!(again.body.contains("Nothing to save"), "{}", again.body);
    let activity = get("/console/activity", &o.browser);
    assert_eq!(
        activity.body.matches("changed the earning rules").count(),
        1,
        "{}",
        activity.body
    );
}

#[test]
fn bad_fields_come_back_beside_each_field_and_nothing_is_written() {
    let o = sign_up();
    let other = sign_up();
    let theirs = send_reward(
        &other.browser,
        "/console/rewards/new",
        &[
            ("name", "Their cake"),
            ("kind", "free_item"),
            ("pays", "points"),
            ("points", "5"),
        ],
        None,
    );
    let foreign = crate::catalog::reward_ids(&theirs.body).remove(0);
    let bad = fields(
        &o,
        &[
            ("per_visit", "11"),
            ("cooldown_hours", "200"),
            ("daily_cap", "lots"),
            ("expiry", "after"),
            ("after_unit", "months"),
            ("after_count", "130"),
            ("negative", "maybe"),
            ("code_secs", ""),
            ("point_value", "abc"),
            ("bday_reward", &foreign),
        ],
    );
    let resp = save(&o, &bad);
    assert_eq!(resp.status, 422, "{}", resp.body);
    for (field, words) in [
        ("per_visit", "Choose a number from 0 to 10."),
        ("cooldown_hours", "Choose a number from 0 to 168."),
        ("daily_cap", "Type a whole number"),
        ("after_count", "Choose a number from 1 to 120."),
        ("negative", "Choose one of these."),
        ("code_secs", "Please fill this in."),
        ("point_value", "Type an amount"),
        ("bday_reward", "Choose one of these."),
    ] {
        assert!(error_of(&resp.body, field).contains(words), "{field}");
    }
    assert!(resp.body.contains("Nothing was saved"));
    assert!(resp.body.contains(r#"value="lots""#), "input kept");
    // Giving nothing is refused where it is typed.
    let nothing = save(
        &o,
        &fields(
            &o,
            &[("per_visit", "0"), ("per_purchase", "0"), ("per_unit", "0")],
        ),
    );
    assert_eq!(nothing.status, 422);
    assert!(error_of(&nothing.body, "per_visit").contains("customers would earn nothing"));
    let page = get("/console/earning", &o.browser);
    assert!(page
        .body
        .contains("Scanning the poster: 1 stamp (at most 2 a day"));
    assert!(!get("/console/activity", &o.browser)
        .body
        .contains("changed the earning rules"));

    // In Polish, the same errors in Polish.
    let csrf = csrf_of(&page.body);
    post(
        "/console/account/language",
        &[("cookie", &o.browser)],
        &[
            ("csrf", &csrf),
            ("language", "pl"),
            ("back", "/console/earning"),
        ],
    );
    let pl = save(&o, &bad);
    assert_eq!(pl.status, 422);
    for words in [
        "Wybierz liczbę od 0 do 10.",
        "Wybierz jedną z opcji.",
        "Uzupełnij to pole.",
        "Nic nie zapisano",
        "Zasady zbierania",
    ] {
        assert!(pl.body.contains(words), "{words}: {}", pl.body);
    }
    assert!(!pl.body.contains("Choose a number"));
}
