//! The console's earning rules end to end: the page says in one sentence what customers get;
//! an owner changes the rules as fields (stamps, the poster's limits, expiry, returns, the
//! birthday gift from the catalog, invitations) and the next scan follows, audited by name; a
//! save that changes nothing says so; bad fields come back beside each field in the person's
//! language with the input kept and nothing written; another café's reward is not a gift.

use crate::catalog::{send_multipart, send_reward};
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

/// The levels form as posted: `rows` of (name, threshold, rate, benefits), switched on or off.
fn levels_form<'a>(
    csrf: &'a str,
    on: bool,
    window: &'a str,
    rows: &'a [(&'a str, &'a str, &'a str, &'a str)],
) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = vec![
        ("csrf".into(), csrf.into()),
        ("window_days".into(), window.into()),
        ("downgrade".into(), "rolling".into()),
        ("hold_days".into(), "30".into()),
    ];
    if on {
        f.push(("enabled".into(), "1".into()));
    }
    for (i, (name, threshold, rate, benefits)) in rows.iter().enumerate() {
        f.push((format!("name_{i}"), (*name).into()));
        f.push((format!("threshold_{i}"), (*threshold).into()));
        f.push((format!("rate_{i}"), (*rate).into()));
        f.push((format!("benefits_{i}"), (*benefits).into()));
    }
    f
}

fn save_levels(o: &Owner, on: bool, window: &str, rows: &[(&str, &str, &str, &str)]) -> Resp {
    let csrf = csrf_of(&get("/console/earning/tiers", &o.browser).body);
    let form = levels_form(&csrf, on, window, rows);
    let all: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    post("/console/earning/tiers", &[("cookie", &o.browser)], &all)
}

#[test]
fn an_owner_sets_up_levels_as_fields_and_a_customer_moves_up_at_their_next_purchase() {
    let o = sign_up();
    let page = get("/console/earning/tiers", &o.browser);
    assert_eq!(page.status, 200, "{}", page.body);
    for shown in [
        "No levels yet",
        r#"name="name_1" type="text" value="Silver""#,
        r#"href="/console/earning/tiers" aria-current="page""#,
    ] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    assert!(get("/console/earning", &o.browser)
        .body
        .contains(r#"href="/console/earning/tiers">Levels"#));

    // Mistakes: each beside its field, the typing kept, nothing written.
    let bad = save_levels(
        &o,
        true,
        "0",
        &[
            ("", "", "100", ""),
            ("Silver", "abc", "50", ""),
            ("Gold", "2000", "150", "Free refill"),
            ("Platinum", "1500", "", ""),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    for (field, words) in [
        ("window_days", "Choose a number from 1 to 1096."),
        ("name_0", "Please fill this in."),
        ("threshold_1", "Type a whole number"),
        ("rate_1", "Choose a number from 100 to 1000."),
        (
            "threshold_3",
            "Choose more than the level before needs (2000).",
        ),
    ] {
        assert!(
            error_of(&bad.body, field).contains(words),
            "{field}: {}",
            bad.body
        );
    }
    assert!(bad.body.contains("Nothing was saved"));
    assert!(bad
        .body
        .contains(r#"name="name_3" type="text" value="Platinum""#));
    assert!(get("/console/earning/tiers", &o.browser)
        .body
        .contains("No levels yet"));

    // A ladder saved: the page says what each level gives; audited by name.
    let saved = save_levels(
        &o,
        true,
        "365",
        &[
            ("Member", "", "", ""),
            ("Silver", "10", "200", "Free refill\nA seat by the window"),
            ("", "", "", ""),
            ("Gold", "5000", "300", ""),
        ],
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    for shown in [
        "The levels are saved",
        "Member: everyone starts here; the usual points.",
        "Silver: from 10 points earned in the last 365 days; 2× points; Free refill; A seat by the window.",
        "Gold: from 5000 points earned in the last 365 days; 3× points.",
        "keeps a level at least 30 days after reaching it",
    ] {
        assert!(saved.body.contains(shown), "{shown}: {}", saved.body);
    }
    assert!(get("/console/activity", &o.browser)
        .body
        .contains("changed the levels"));

    // A customer's purchase of 12.50 earns 12 points: Silver, shown on their card and counted.
    let s = shop(&o);
    let cookie = s.member();
    let card = worker().get(&format!("/c/{}", o.merchant), Some(&cookie));
    assert!(card.body.contains("Silver"), "{}", card.body);
    let page = get("/console/earning/tiers", &o.browser);
    assert!(
        page.body.contains("Silver: from 10 points"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("(1 customer now)"),
        "the customer is counted on Silver: {}",
        page.body
    );

    // The same again: nothing to save. Switched off: no levels kept.
    let same = save_levels(
        &o,
        true,
        "365",
        &[
            ("Member", "", "100", ""),
            ("Silver", "10", "200", "Free refill\nA seat by the window"),
            ("Gold", "5000", "300", ""),
        ],
    );
    assert!(same.body.contains("Nothing to save"), "{}", same.body);
    let off = save_levels(&o, false, "365", &[("Member", "", "", "")]);
    assert_eq!(off.status, 200, "{}", off.body);
    assert!(off.body.contains("No levels yet"), "{}", off.body);

    // In Polish, the mistakes in Polish.
    let csrf = csrf_of(&page.body);
    post(
        "/console/account/language",
        &[("cookie", &o.browser)],
        &[("csrf", &csrf), ("language", "pl"), ("back", "/console")],
    );
    let pl = save_levels(&o, true, "0", &[("", "", "", "")]);
    assert_eq!(pl.status, 422);
    for words in [
        "Wybierz liczbę od 1 do 1096.",
        "Uzupełnij to pole.",
        "Nic nie zapisano",
        "Poziomy",
    ] {
        assert!(pl.body.contains(words), "{words}: {}", pl.body);
    }
}

fn promo_post(o: &Owner, path: &str, fields: &[(&str, &str)]) -> Resp {
    let csrf = csrf_of(&get("/console/earning/promotions", &o.browser).body);
    let mut all: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    all.extend_from_slice(fields);
    post(path, &[("cookie", &o.browser)], &all)
}

/// The address of the promotion named `name` on the promotions page.
fn promo_link(page: &str, name: &str) -> String {
    let at = page
        .find(&format!("<strong>{name}</strong>"))
        .unwrap_or_else(|| panic!("{name}: {page}"));
    let rest = &page[at..];
    let href = rest
        .split("href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    href.to_owned()
}

#[test]
fn an_owner_adds_changes_and_deletes_promotions_and_purchases_follow_them() {
    let o = sign_up();
    let page = get("/console/earning/promotions", &o.browser);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("No promotion yet"), "{}", page.body);
    assert!(page
        .body
        .contains(r#"name="multiplier" type="text" value="200""#));

    // Mistakes: each beside its field, the typing kept, nothing written.
    let bad = promo_post(
        &o,
        "/console/earning/promotions",
        &[
            ("name", ""),
            ("multiplier", "50"),
            ("bonus", "lots"),
            ("days", "tue"),
            ("days", "someday"),
            ("from", "22:00"),
            ("until", "02:00"),
            ("starts_on", "2026-12-24"),
            ("ends_on", "2026-12-01"),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    for (field, words) in [
        ("name", "Please fill this in."),
        ("multiplier", "Choose a number from 100 to 1000."),
        ("bonus", "Type a whole number"),
        ("until", "It ends before it starts"),
        ("ends_on", "The last day comes before the first"),
    ] {
        assert!(
            error_of(&bad.body, field).contains(words),
            "{field}: {}",
            bad.body
        );
    }
    assert!(bad.body.contains("Choose one of these."), "the days' error");
    assert!(bad
        .body
        .contains(r#"name="bonus" type="text" value="lots""#));
    assert!(
        bad.body.contains(r#"value="tue" checked"#),
        "the ticked day is kept"
    );
    let nothing = promo_post(
        &o,
        "/console/earning/promotions",
        &[("name", "Plain"), ("multiplier", "100"), ("bonus", "0")],
    );
    assert!(
        error_of(&nothing.body, "multiplier").contains("adds nothing"),
        "{}",
        nothing.body
    );
    assert!(get("/console/earning/promotions", &o.browser)
        .body
        .contains("No promotion yet"));

    // Double points every day: a purchase of 12.50 earns 24 points, not 12.
    let added = promo_post(
        &o,
        "/console/earning/promotions",
        &[
            ("name", "Double week"),
            ("multiplier", "200"),
            ("bonus", "0"),
        ],
    );
    assert_eq!(added.status, 200, "{}", added.body);
    for shown in [
        "“Double week” is added",
        "Double points on every purchase.",
        "table class=\"cal\"",
        "In the café's time",
    ] {
        let shown = if shown == "In the café's time" {
            "in the café's time (Europe/Warsaw)"
        } else {
            shown
        };
        assert!(added.body.contains(shown), "{shown}: {}", added.body);
    }
    let s = shop(&o);
    let cookie = s.member();
    let card = worker().get(&format!("/c/{}", o.merchant), Some(&cookie));
    assert!(
        card.body.contains(r#"<p class="big">24</p>"#),
        "{}",
        card.body
    );

    // Changed to a bonus on one far-off day only: today's purchases earn the usual points.
    let link = promo_link(&added.body, "Double week");
    let edit = get(&link, &o.browser);
    assert_eq!(edit.status, 200, "{}", edit.body);
    assert!(
        edit.body.contains(r#"value="Double week""#),
        "{}",
        edit.body
    );
    let changed = promo_post(
        &o,
        &link,
        &[
            ("name", "Christmas Eve"),
            ("multiplier", "100"),
            ("bonus", "50"),
            ("from", "08:00"),
            ("until", "12:00"),
            ("starts_on", "2099-12-24"),
            ("ends_on", "2099-12-24"),
        ],
    );
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert!(
        changed
            .body
            .contains("+50 points on every purchase, 08:00–12:00, from 2099-12-24 to 2099-12-24."),
        "{}",
        changed.body
    );
    assert!(!changed.body.contains("Double week"));
    // The old address no longer changes anything.
    let stale = promo_post(&o, &link, &[("name", "Stale"), ("multiplier", "300")]);
    assert_eq!(stale.status, 404, "{}", stale.body);
    let other = s.member();
    let card = worker().get(&format!("/c/{}", o.merchant), Some(&other));
    assert!(
        card.body.contains(r#"<p class="big">12</p>"#),
        "{}",
        card.body
    );

    // Deleted after the question; the activity log names each change.
    let link = promo_link(&changed.body, "Christmas Eve");
    let ask = get(&format!("{link}/delete"), &o.browser);
    assert_eq!(ask.status, 200, "{}", ask.body);
    assert!(ask.body.contains("Delete this promotion?"), "{}", ask.body);
    let gone = promo_post(&o, &format!("{link}/delete"), &[]);
    assert_eq!(gone.status, 200, "{}", gone.body);
    assert!(
        gone.body.contains("“Christmas Eve” is deleted."),
        "{}",
        gone.body
    );
    assert!(gone.body.contains("No promotion yet"));
    let activity = get("/console/activity", &o.browser).body;
    assert!(
        activity.contains("changed the promotions (Double week)"),
        "{activity}"
    );
    assert!(
        activity.contains("changed the promotions (Christmas Eve)"),
        "{activity}"
    );

    // In Polish, the mistakes in Polish.
    let csrf = csrf_of(&gone.body);
    post(
        "/console/account/language",
        &[("cookie", &o.browser)],
        &[("csrf", &csrf), ("language", "pl"), ("back", "/console")],
    );
    let pl = promo_post(
        &o,
        "/console/earning/promotions",
        &[("name", ""), ("from", "9")],
    );
    assert_eq!(pl.status, 422);
    for words in [
        "Uzupełnij to pole.",
        "Nic nie zapisano",
        "Nowa promocja",
        "W które dni",
    ] {
        assert!(pl.body.contains(words), "{words}: {}", pl.body);
    }
}

#[test]
fn an_owner_replaces_the_points_per_item_from_a_pasted_table_or_a_csv_file() {
    let o = sign_up();
    let page = get("/console/earning/items", &o.browser);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("No items yet"), "{}", page.body);
    let save_table = |table: &str| {
        let csrf = csrf_of(&get("/console/earning/items", &o.browser).body);
        post(
            "/console/earning/items",
            &[("cookie", &o.browser)],
            &[("csrf", &csrf), ("table", table)],
        )
    };

    // Bad lines: each named by its number, the table kept as typed, nothing written.
    let typed = "sku;points\nLATTE;5\nLATTE;6\nCAKE;0";
    let bad = save_table(typed);
    assert_eq!(bad.status, 422, "{}", bad.body);
    for words in [
        "Line 3: this item code is already listed above.",
        "Line 4: give an item code and a whole number of points from 1 to 100000",
        "Nothing was saved",
        "LATTE;6\nCAKE;0</textarea>",
    ] {
        assert!(bad.body.contains(words), "{words}: {}", bad.body);
    }
    assert!(get("/console/earning/items", &o.browser)
        .body
        .contains("No items yet"));

    // A table pasted from a spreadsheet (semicolons, a header): saved, shown, downloadable.
    let saved = save_table("kod;punkty\r\nLATTE-L;5\r\n\"CAKE; CHOC\";12\r\n");
    assert_eq!(saved.status, 200, "{}", saved.body);
    for shown in [
        "The table is saved: 2 items earn points, from the next order.",
        r#"<td class="code">CAKE; CHOC</td><td class="n">12</td>"#,
        r#"href="/console/earning/items.csv""#,
    ] {
        assert!(saved.body.contains(shown), "{shown}: {}", saved.body);
    }
    let csv = get("/console/earning/items.csv", &o.browser);
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(csv.body, "sku,points\r\nLATTE-L,5\r\nCAKE; CHOC,12\r\n");

    // A CSV file replaces the table (what is typed is not used when a file is chosen).
    let file = b"sku,points\nA1,1\nB2,2\nC3,3\n";
    let uploaded = send_multipart(
        &o.browser,
        "/console/earning/items",
        "/console/earning/items",
        &[("table", "IGNORED,9")],
        "file",
        Some(file),
    );
    assert_eq!(uploaded.status, 200, "{}", uploaded.body);
    assert!(
        uploaded.body.contains("3 items earn points"),
        "{}",
        uploaded.body
    );
    assert!(!uploaded.body.contains("IGNORED"));

    // An empty table removes every item; the activity log names each change.
    let empty = save_table("");
    assert!(
        empty.body.contains("no item earns extra points now"),
        "{}",
        empty.body
    );
    assert!(get("/console/activity", &o.browser)
        .body
        .contains("changed the points per item"));

    // In Polish, the lines named in Polish.
    let csrf = csrf_of(&empty.body);
    post(
        "/console/account/language",
        &[("cookie", &o.browser)],
        &[("csrf", &csrf), ("language", "pl"), ("back", "/console")],
    );
    let pl = save_table("TEA");
    assert_eq!(pl.status, 422);
    for words in [
        "Wiersz 1: podaj kod produktu",
        "Nic nie zapisano",
        "Punkty za produkty",
    ] {
        assert!(pl.body.contains(words), "{words}: {}", pl.body);
    }
}
