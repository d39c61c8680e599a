//! The console's rewards catalog end to end: an owner adds a reward with a picture, edits it,
//! archives it after a confirmation and offers it again, each audited by name, and a customer's
//! card follows (picture, description, what it gives, the last day, none once archived); bad
//! fields come back beside each field in the person's language with the input kept and nothing
//! written or stored; the preview saves nothing; a manager may, staff may not.

use loyalty_edge::domain::ids::MerchantId;

use crate::console::{csrf_of, get, post, sign_in, sign_up, Owner, PASSWORD};
use crate::harness::{worker, Merchant, Resp};

pub(crate) const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x02\0\0\0\x02\x08\x06\0\0\0";
pub(crate) const SVG: &[u8] =
    b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";

/// Posts the reward form at `path` as multipart (the browser's way), with `picture` if any.
pub(crate) fn send_reward(
    browser: &str,
    path: &str,
    fields: &[(&str, &str)],
    picture: Option<&[u8]>,
) -> Resp {
    send_multipart(
        browser,
        "/console/rewards/new",
        path,
        fields,
        "image",
        picture,
    )
}

/// Posts a console form at `path` as multipart with the CSRF token of the page at `page`, the
/// file (`file_field`, empty when `None`) last.
pub(crate) fn send_multipart(
    browser: &str,
    page: &str,
    path: &str,
    fields: &[(&str, &str)],
    file_field: &str,
    file: Option<&[u8]>,
) -> Resp {
    let csrf = csrf_of(&get(page, browser).body);
    let boundary = "----le-catalog-boundary-91c2";
    let mut body = Vec::new();
    for (k, v) in std::iter::once(("csrf", csrf.as_str())).chain(fields.iter().copied()) {
        body.extend_from_slice(
            format!("--{boundary}\r\ncontent-disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\ncontent-disposition: form-data; name=\"{file_field}\"; filename=\"p.png\"\r\ncontent-type: image/png\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(file.unwrap_or_default());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let kind = format!("multipart/form-data; boundary={boundary}");
    let (status, headers, body) = worker().send_bytes(
        "POST",
        path,
        &[("cookie", browser), ("content-type", &kind)],
        Some(body),
    );
    Resp {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// A good reward's fields, with `changes` laid over them.
fn fields<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("name", "Flat white"),
        ("description", "Any size, also with oat milk"),
        ("kind", "amount_off"),
        ("amount", "5,50"),
        ("percent", ""),
        ("coupon_code", ""),
        ("pays", "points"),
        ("points", "120"),
        ("stock", "10"),
        ("limit", "1"),
        ("starts", ""),
        ("ends", "2099-12-31"),
    ];
    for (k, v) in changes {
        f.retain(|(name, _)| name != k);
        f.push((k, v));
    }
    f
}

/// The ids of the rewards the catalog page links to, in its order.
pub(crate) fn reward_ids(page: &str) -> Vec<String> {
    page.match_indices("href=\"/console/rewards/")
        .filter_map(|(i, m)| {
            let id = page.get(i + m.len()..i + m.len() + 32)?;
            id.bytes()
                .all(|b| b.is_ascii_hexdigit())
                .then(|| id.to_owned())
        })
        .collect()
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

fn action(o: &Owner, path: &str, extra: &[(&str, &str)]) -> Resp {
    let csrf = csrf_of(&get("/console/rewards", &o.browser).body);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(extra);
    post(path, &[("cookie", &o.browser)], &form)
}

#[test]
fn an_owner_adds_edits_archives_and_offers_again_a_reward_and_the_card_follows() {
    let o = sign_up();
    let member = shop(&o).member();
    let empty = get("/console/rewards", &o.browser);
    assert_eq!(empty.status, 200, "{}", empty.body);
    assert!(empty.body.contains("No reward is on offer yet"));
    assert!(empty
        .body
        .contains(r#"src="/console/rewards/preview#rewards""#));

    // Added with a picture: on offer, in words, and on the customer's card.
    let added = send_reward(&o.browser, "/console/rewards/new", &fields(&[]), Some(PNG));
    assert_eq!(added.status, 200, "{}", added.body);
    assert!(
        added.body.contains("“Flat white” is on offer."),
        "{}",
        added.body
    );
    assert!(added.body.contains("5.50 PLN off the bill"));
    assert!(added.body.contains("once per customer"));
    assert!(added.body.contains("10 left"));
    let ids = reward_ids(&added.body);
    assert_eq!(ids.len(), 1, "{}", added.body);
    let id = &ids[0];
    let start = added.body.find("<img src=\"/files/").expect("the picture") + 10;
    let picture = added.body[start..].split('"').next().unwrap().to_owned();
    let served = worker().get(&picture, None);
    assert_eq!(served.status, 200);
    assert_eq!(served.header("content-type"), Some("image/png"));
    let c = card(&o, &member);
    assert!(
        c.contains("Flat white") && c.contains("Any size, also with oat milk"),
        "{c}"
    );
    assert!(
        c.contains("5.50 PLN off the bill") && c.contains("until 31 Dec 2099"),
        "{c}"
    );
    assert!(c.contains(&format!("src=\"{picture}\"")));
    assert!(c.contains("10 left"));

    // The form reads back what was typed; an edit keeps the picture.
    let edit = get(&format!("/console/rewards/{id}"), &o.browser);
    assert_eq!(edit.status, 200, "{}", edit.body);
    for kept in [
        r#"value="5.50""#,
        r#"value="120""#,
        r#"value="2099-12-31""#,
        r#"value="Flat white""#,
    ] {
        assert!(edit.body.contains(kept), "{kept}: {}", edit.body);
    }
    assert!(
        edit.body.contains("taken 0 times in 30 days"),
        "{}",
        edit.body
    );
    assert!(edit.body.contains(r#"name="stock_was" value="10""#));
    let path = format!("/console/rewards/{id}");
    let saved = send_reward(
        &o.browser,
        &path,
        &fields(&[
            ("name", "Big flat white"),
            ("kind", "free_item"),
            ("amount", ""),
        ]),
        None,
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(saved.body.contains("“Big flat white” is saved."));
    assert!(saved.body.contains(&picture), "the picture stays");
    assert_eq!(
        reward_ids(&saved.body),
        ids,
        "the same reward, not a second one"
    );
    assert!(!card(&o, &member).contains("off the bill"));
    // Removing the picture: a preview keeps the box ticked; a save takes it off the card.
    let ticked = send_reward(
        &o.browser,
        &path,
        &fields(&[
            ("name", "Big flat white"),
            ("kind", "free_item"),
            ("amount", ""),
            ("remove_image", "1"),
            ("preview", "1"),
        ]),
        Some(PNG),
    );
    assert_eq!(ticked.status, 200, "{}", ticked.body);
    assert!(
        ticked
            .body
            .contains(r#"name="remove_image" value="1" checked"#),
        "{}",
        ticked.body
    );
    assert!(ticked
        .body
        .contains("choose the picture again before saving"));
    let removed = send_reward(
        &o.browser,
        &path,
        &fields(&[
            ("name", "Big flat white"),
            ("kind", "free_item"),
            ("amount", ""),
            ("remove_image", "1"),
        ]),
        None,
    );
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert!(
        !removed.body.contains("<img src=\"/files/"),
        "{}",
        removed.body
    );
    assert!(!card(&o, &member).contains("img class=\"pic\""));

    // Archive asks first; nothing changes until it is confirmed.
    let asked = action(&o, &format!("/console/rewards/{id}/archive"), &[]);
    assert_eq!(asked.status, 200, "{}", asked.body);
    assert!(asked.body.contains("Archive a reward?") && asked.body.contains(r#"name="confirm""#));
    assert!(card(&o, &member).contains("Big flat white"));
    let archived = action(
        &o,
        &format!("/console/rewards/{id}/archive"),
        &[("confirm", "1")],
    );
    assert_eq!(archived.status, 200, "{}", archived.body);
    assert!(archived.body.contains("“Big flat white” is archived."));
    assert!(
        archived.body.contains("No reward is on offer yet") && archived.body.contains("Archived")
    );
    assert!(!card(&o, &member).contains("Big flat white"));
    let again = action(&o, &format!("/console/rewards/{id}/restore"), &[]);
    assert!(
        again.body.contains("“Big flat white” is on offer again."),
        "{}",
        again.body
    );
    assert!(card(&o, &member).contains("Big flat white"));

    // Each change is on the activity page, by name.
    let activity = get("/console/activity", &o.browser);
    for words in [
        "added the reward Flat white",
        "changed the reward Big flat white",
        "archived the reward Big flat white",
        "put the reward Big flat white on offer again",
    ] {
        assert!(activity.body.contains(words), "{words}: {}", activity.body);
    }
    // Another café's owner cannot open, change or archive it.
    let other = sign_up();
    assert_eq!(get(&path, &other.browser).status, 404);
    let foreign = send_reward(&other.browser, &path, &fields(&[("name", "Mine")]), None);
    assert_eq!(foreign.status, 404);
    assert_eq!(
        action(&other, &format!("{path}/archive"), &[("confirm", "1")]).status,
        404
    );
    assert!(card(&o, &member).contains("Big flat white"));
}

#[test]
fn bad_fields_come_back_beside_each_field_in_the_persons_language_and_nothing_is_written() {
    let o = sign_up();
    let bad = fields(&[
        ("name", ""),
        ("amount", "abc"),
        ("points", "0"),
        ("stock", "lots"),
        ("starts", "2099-12-31"),
        ("ends", "2099-01-01"),
    ]);
    let resp = send_reward(&o.browser, "/console/rewards/new", &bad, Some(PNG));
    assert_eq!(resp.status, 422, "{}", resp.body);
    for (field, words) in [
        ("name", "Please fill this in."),
        ("amount", "Type an amount, e.g. 5.00."),
        ("points", "Choose a number from 1 to 10000000."),
        ("stock", "Type a whole number"),
        ("ends", "The last day comes before the first"),
    ] {
        let at = resp
            .body
            .find(&format!("id=\"f-{field}-err\""))
            .unwrap_or_else(|| panic!("{field}: {}", resp.body));
        assert!(
            resp.body[at..]
                .split("</p>")
                .next()
                .unwrap()
                .contains(words),
            "{field}"
        );
        assert!(resp
            .body
            .contains(&format!(r#"id="f-{field}" name="{field}""#)));
    }
    assert!(resp.body.contains("Nothing was saved"));
    assert!(
        resp.body.contains(r#"value="abc""#) && resp.body.contains(r#"value="lots""#),
        "input kept"
    );
    // A picture that is not an image: refused beside its field, the rest kept.
    let svg = send_reward(&o.browser, "/console/rewards/new", &fields(&[]), Some(SVG));
    assert_eq!(svg.status, 422);
    assert!(
        svg.body.contains("SVG images are not accepted"),
        "{}",
        svg.body
    );
    assert!(svg.body.contains(r#"value="Flat white""#));
    // The preview shows the typed reward on the card and saves nothing.
    let preview = send_reward(
        &o.browser,
        "/console/rewards/new",
        &fields(&[("preview", "1")]),
        None,
    );
    assert_eq!(preview.status, 200, "{}", preview.body);
    let start = preview
        .body
        .find("src=\"/console/rewards/preview?")
        .unwrap()
        + 5;
    let src = preview.body[start..]
        .split(['"', '#'])
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let framed = get(&src, &o.browser);
    assert_eq!(framed.status, 200);
    assert!(
        framed.body.contains("Flat white") && framed.body.contains("5.50 PLN off the bill"),
        "{}",
        framed.body
    );
    assert_eq!(framed.header("x-frame-options"), Some("SAMEORIGIN"));
    // Nothing was written by any of them.
    let list = get("/console/rewards", &o.browser);
    assert!(
        list.body.contains("No reward is on offer yet"),
        "{}",
        list.body
    );
    assert!(reward_ids(&list.body).is_empty());
    let activity = get("/console/activity", &o.browser);
    assert!(!activity.body.contains("the reward"));

    // In Polish, the same errors in Polish.
    let csrf = csrf_of(&list.body);
    post(
        "/console/account/language",
        &[("cookie", &o.browser)],
        &[
            ("csrf", &csrf),
            ("language", "pl"),
            ("back", "/console/rewards"),
        ],
    );
    let pl = send_reward(&o.browser, "/console/rewards/new", &bad, None);
    assert_eq!(pl.status, 422);
    for words in [
        "Uzupełnij to pole.",
        "Wpisz kwotę, np. 5,00.",
        "Ostatni dzień wypada przed pierwszym",
        "Nic nie zapisano",
    ] {
        assert!(pl.body.contains(words), "{words}: {}", pl.body);
    }
    assert!(!pl.body.contains("Please fill this in."));
}

#[test]
fn a_manager_runs_the_catalog_and_staff_are_kept_out() {
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
    let added = send_reward(
        &browsers[0],
        "/console/rewards/new",
        &fields(&[("pays", "card"), ("points", "")]),
        None,
    );
    assert_eq!(added.status, 200, "{}", added.body);
    assert!(added.body.contains("a full stamp card"));
    assert_eq!(get("/console/rewards", &browsers[1]).status, 403);
    // Staff's own token, on their own page, still cannot add one.
    let csrf = csrf_of(&get("/console/account", &browsers[1]).body);
    let refused = post(
        "/console/rewards/new",
        &[("cookie", &browsers[1])],
        &[
            ("csrf", &csrf),
            ("name", "Staff's reward"),
            ("kind", "free_item"),
            ("pays", "points"),
            ("points", "5"),
        ],
    );
    assert_eq!(refused.status, 403);
    assert_eq!(
        reward_ids(&get("/console/rewards", &o.browser).body).len(),
        1
    );
}

#[test]
fn an_api_client_that_leaves_out_the_picture_and_description_keeps_them() {
    let shop = worker().merchant(serde_json::json!({}));
    let email = crate::console::fresh_email();
    let made = worker().admin(
        "POST",
        &format!("/admin/v1/merchants/{}/people", shop.id),
        Some(&serde_json::json!({ "email": email, "name": "Ala", "role": "owner", "password": PASSWORD })),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    let browser =
        crate::console::session_only(&crate::console::cookies(&sign_in(&email, PASSWORD, &[])));
    let added = send_reward(&browser, "/console/rewards/new", &fields(&[]), Some(PNG));
    assert_eq!(added.status, 200, "{}", added.body);
    let id = reward_ids(&added.body).remove(0);
    // An older client replaces the reward as it always did, without the two newer fields.
    let put = worker().json_as(
        "PUT",
        &format!("/api/v1/rewards/{id}"),
        &shop.key,
        &serde_json::json!({ "name": "Flat white", "kind": "free_item", "cost_points": 90 }),
    );
    assert_eq!(put.status, 200, "{}", put.body);
    let reward = &put.json()["reward"];
    assert!(
        reward["image"]
            .as_str()
            .is_some_and(|i| i.starts_with("/files/")),
        "{reward}"
    );
    assert_eq!(reward["description"], "Any size, also with oat milk");
    assert_eq!(reward["cost_points"], 90);
    // An empty description clears it; the picture still stays.
    let cleared = worker().json_as(
        "PUT",
        &format!("/api/v1/rewards/{id}"),
        &shop.key,
        &serde_json::json!({ "name": "Flat white", "kind": "free_item", "cost_points": 90, "description": "" }),
    );
    assert_eq!(
        cleared.json()["reward"]["description"],
        serde_json::Value::Null
    );
    assert!(cleared.json()["reward"]["image"].is_string());
}
