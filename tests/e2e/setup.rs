//! The guided set-up end to end: a sign-up lands on its first step; each step saves, can be
//! skipped and is picked up again; bad fields come back beside the field with the input kept
//! and nothing saved; logo uploads are checked by their bytes (wrong magic bytes, over 1 MB,
//! SVG: an inline error and nothing stored or served) and good ones are served from our origin
//! with their type, nosniff and an immutable cache; staff never reach the set-up.

use loyalty_edge::domain::ids::MerchantId;
use loyalty_edge::domain::image::{Kind, Stored, MAX_BYTES};

use crate::console::{
    cookies, csrf_of, fresh_email, get, post, session_only, sign_in, sign_up, Owner, PASSWORD,
};
use crate::harness::worker;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
const JPEG: &[u8] = &[
    0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1,
];
const WEBP: &[u8] = b"RIFF\x1a\0\0\0WEBPVP8L\x0d\0\0\0\x2f\0\0\0\x10";
const SVG: &[u8] = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";

/// Posts a set-up step's form with the page's CSRF token.
fn step(o: &Owner, name: &str, form: &[(&str, &str)]) -> crate::harness::Resp {
    let csrf = csrf_of(&get(&format!("/console/setup/{name}"), &o.browser).body);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(form);
    post(
        &format!("/console/setup/{name}"),
        &[("cookie", &o.browser)],
        &all,
    )
}

/// Uploads `bytes` as the logo (claimed to be `image/png` named logo.png, whatever they are).
fn upload(o: &Owner, bytes: &[u8]) -> (u16, String) {
    let csrf = csrf_of(&get("/console/setup/business", &o.browser).body);
    let boundary = "----le-test-boundary-7f3a";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\ncontent-disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!("--{boundary}\r\ncontent-disposition: form-data; name=\"logo\"; filename=\"logo.png\"\r\ncontent-type: image/png\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let kind = format!("multipart/form-data; boundary={boundary}");
    let (status, headers, page) = worker().send_bytes(
        "POST",
        "/console/setup/logo",
        &[("cookie", &o.browser), ("content-type", &kind)],
        Some(body),
    );
    let location = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("location"))
        .map(|(_, v)| v.clone());
    (
        status,
        location.unwrap_or_else(|| String::from_utf8_lossy(&page).into_owned()),
    )
}

fn merchant_id(o: &Owner) -> MerchantId {
    MerchantId::parse(&o.merchant).unwrap()
}

/// The card page's brand colours (`--p`, `--a`) and logo, as every customer sees them.
fn card_branding(o: &Owner) -> String {
    let card = worker().get(&format!("/c/{}", o.merchant), None);
    assert_eq!(card.status, 200, "{}", card.body);
    let start = card.body.find(":root{").unwrap();
    let end = start + card.body[start..].find('}').unwrap();
    let logo = card
        .body
        .find("class=\"logo\" src=\"")
        .map(|i| card.body[i + 18..].split('"').next().unwrap().to_owned());
    format!("{} logo={logo:?}", &card.body[start..end])
}

#[test]
fn a_sign_up_lands_on_the_first_step_and_each_step_saves_and_leads_to_the_next() {
    let o = sign_up();
    let first = get("/console/setup/business", &o.browser);
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(first.body.contains("1. Your business"));
    assert!(first
        .body
        .contains(r#"<iframe src="/console/setup/preview?"#));
    assert!(first
        .header("content-security-policy")
        .unwrap()
        .contains("frame-src 'self'"));

    let saved = step(
        &o,
        "business",
        &[("primary", "#112233"), ("accent", "#D4A373")],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.header("location"), Some("/console/setup/earn"));
    assert!(card_branding(&o).contains("--p:#112233;--a:#d4a373"));

    let earn = get("/console/setup/earn", &o.browser);
    assert!(earn.body.contains(r#"value="8""#), "8 stamps by default");
    assert!(earn.body.contains("a free coffee"));
    let saved = step(&o, "earn", &[("mode", "points"), ("per_unit", "2")]);
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.header("location"), Some("/console/setup/rewards"));

    let rewards = get("/console/setup/rewards", &o.browser);
    assert!(rewards.body.contains("Cost in points"), "points mode");
    let saved = step(
        &o,
        "rewards",
        &[
            ("name1", "Free coffee"),
            ("points1", "100"),
            ("name2", ""),
            ("name3", ""),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let again = get("/console/setup/rewards", &o.browser);
    assert!(
        again.body.contains("Free coffee · 100 points"),
        "{}",
        again.body
    );

    let saved = step(
        &o,
        "locations",
        &[
            ("time_zone", "Europe/Berlin"),
            ("location1", "Rynek"),
            ("new", "Dworzec"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.header("location"), Some("/console/setup/print"));
    let print = get("/console/setup/print", &o.browser);
    assert!(print.body.contains("Rynek") && print.body.contains("Dworzec"));
    assert!(
        print.body.contains(r#"href="/console/tills""#),
        "pair the till"
    );
    let poster = get("/console/poster?location=2", &o.browser);
    assert_eq!(poster.status, 200, "{}", poster.body);
    assert!(poster.body.contains("Dworzec") && poster.body.contains("/s/"));
    let tent = get("/console/poster?location=1&layout=tent", &o.browser);
    assert!(tent.body.contains("fold here") && tent.body.contains("Rynek"));
    assert_eq!(
        get("/console/poster?location=9", &o.browser).status,
        422,
        "no such location"
    );

    let done = step(&o, "print", &[]);
    assert_eq!(done.status, 303);
    assert_eq!(done.header("location"), Some("/console"));
    let home = get("/console", &o.browser);
    assert!(home.body.contains("3 of 8 steps left"), "{}", home.body);
    assert!(!home.body.contains(r#"href="/console/setup/earn""#), "done");
    assert!(home.body.contains(r#"href="/console/tills""#));
}

#[test]
fn steps_can_be_skipped_and_are_picked_up_again_from_the_home_checklist() {
    let o = sign_up();
    let skipped = step(&o, "business", &[("skip", "1"), ("primary", "#000000")]);
    assert_eq!(skipped.status, 303);
    assert_eq!(skipped.header("location"), Some("/console/setup/earn"));
    assert!(card_branding(&o).contains("--p:#3b2f2f"), "nothing saved");
    let earn = get("/console/setup/earn", &o.browser);
    assert!(
        earn.body.contains("1. Your business · skipped"),
        "{}",
        earn.body
    );
    let home = get("/console", &o.browser);
    assert!(home.body.contains("8 of 8 steps left"), "{}", home.body);
    assert!(home
        .body
        .contains(r#"<a href="/console/setup/business">Brand your card</a>"#));
    // Resumed later: saving it now marks it done, and a later skip does not undo that.
    let saved = step(
        &o,
        "business",
        &[("primary", "#224466"), ("accent", "#ddeeff")],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    step(&o, "business", &[("skip", "1")]);
    let home = get("/console", &o.browser);
    assert!(home.body.contains("7 of 8 steps left"), "{}", home.body);
    let page = get("/console/setup/business", &o.browser);
    assert!(
        page.body.contains(r##"value="#224466""##),
        "the saved values come back"
    );
}

#[test]
fn a_bad_field_comes_back_beside_its_field_with_the_input_kept_in_the_persons_language() {
    let o = sign_up();
    let before = card_branding(&o);
    let bad = step(&o, "business", &[("primary", "red"), ("accent", "#d4a373")]);
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("Type a colour like #3b2f2f."));
    assert!(bad.body.contains(r#"value="red""#), "input kept");
    assert_eq!(card_branding(&o), before, "nothing saved");
    let preview = step(
        &o,
        "business",
        &[
            ("primary", "#aa0000"),
            ("accent", "#d4a373"),
            ("preview", "1"),
        ],
    );
    assert_eq!(preview.status, 200);
    assert!(
        preview.body.contains("primary=%23aa0000"),
        "the preview follows the typed colour"
    );
    assert_eq!(card_branding(&o), before, "a preview saves nothing");

    let bad = step(
        &o,
        "earn",
        &[
            ("mode", "stamps"),
            ("card_size", "70"),
            ("per_visit", "1"),
            ("card_reward", "a cake"),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body.contains("Choose a number from 1 to 50."),
        "the program's own bounds"
    );
    assert!(bad.body.contains(r#"value="70""#) && bad.body.contains(r#"value="a cake""#));
    let bad = step(
        &o,
        "locations",
        &[("time_zone", "Mars/Base"), ("location1", "Café Ala")],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Choose a time zone from the list"));

    // In Polish once the person chooses it.
    let csrf = csrf_of(&get("/console/account", &o.browser).body);
    post(
        "/console/account/language",
        &[("cookie", &o.browser)],
        &[("csrf", &csrf), ("language", "pl")],
    );
    let bad = step(
        &o,
        "rewards",
        &[("name1", &"x".repeat(81)), ("points1", "")],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains(r#"<html lang="pl">"#));
    assert!(bad.body.contains("Użyj od 1 do 80 znaków"), "{}", bad.body);
    let page = get("/console/setup/rewards", &o.browser);
    assert!(!page.body.contains("Twoje nagrody"), "no reward was added");
}

#[test]
fn an_upload_with_wrong_bytes_over_one_megabyte_or_svg_is_refused_on_the_form_and_nothing_is_stored(
) {
    let o = sign_up();
    let before = card_branding(&o);
    let mut big = PNG.to_vec();
    big.resize(MAX_BYTES + 1, 0);
    let gif: &[u8] = b"GIF89a\x01\0\x01\0\0\0\0;";
    for (what, bytes, words) in [
        (
            "wrong magic bytes",
            gif,
            "This file is not a PNG, JPEG or WebP image.",
        ),
        ("over 1 MB", &big[..], "This image is larger than 1 MB"),
        ("SVG", SVG, "SVG images are not accepted"),
        ("nothing", b"", "Choose an image file first."),
    ] {
        let (status, page) = upload(&o, bytes);
        assert_eq!(status, 422, "{what}: {page}");
        assert!(page.contains(words), "{what}: {page}");
        assert!(
            page.contains(r#"id="f-logo-err""#),
            "{what}: beside the field"
        );
        // Nothing is served under the name it would have had, and the logo did not change.
        for kind in [Kind::Png, Kind::Jpeg, Kind::Webp] {
            let path = Stored::of(merchant_id(&o), kind, bytes).path();
            let (status, headers, _) = worker().send_bytes("GET", &path, &[], None);
            assert_eq!(status, 404, "{what}: {path}");
            assert!(headers
                .iter()
                .any(|(k, v)| k == "x-content-type-options" && v == "nosniff"));
        }
        assert_eq!(card_branding(&o), before, "{what}");
    }
    // A form too big to read at all is refused too, before anything is stored.
    let mut huge = PNG.to_vec();
    huge.resize(3 * MAX_BYTES, 0);
    let (status, _) = upload(&o, &huge);
    assert_eq!(status, 413);
    assert_eq!(card_branding(&o), before);
    // Without the CSRF token a real image is refused as well.
    let (status, _, _) = worker().send_bytes(
        "POST",
        "/console/setup/logo",
        &[("cookie", &o.browser), ("content-type", "multipart/form-data; boundary=x")],
        Some(b"--x\r\ncontent-disposition: form-data; name=\"logo\"; filename=\"a.png\"\r\n\r\n\x89PNG\r\n\x1a\n\r\n--x--\r\n".to_vec()),
    );
    assert_eq!(status, 403);
    assert_eq!(card_branding(&o), before);
}

#[test]
fn a_png_jpeg_or_webp_logo_is_served_from_our_origin_with_its_type_nosniff_and_an_immutable_cache()
{
    let o = sign_up();
    for (bytes, kind, ext) in [
        (PNG, "image/png", "png"),
        (JPEG, "image/jpeg", "jpg"),
        (WEBP, "image/webp", "webp"),
    ] {
        let (status, to) = upload(&o, bytes);
        assert_eq!(status, 303, "{kind}: {to}");
        assert_eq!(to, "/console/setup/business");
        let path = Stored::of(merchant_id(&o), Kind::from_ext(ext).unwrap(), bytes).path();
        assert!(path.ends_with(&format!(".{ext}")));
        assert!(
            card_branding(&o).contains(&format!("logo=Some({path:?})")),
            "{kind}"
        );
        let page = get("/console/setup/business", &o.browser);
        assert!(page.body.contains(&format!(r#"src="{path}""#)));
        let (status, headers, served) = worker().send_bytes("GET", &path, &[], None);
        assert_eq!(status, 200, "{path}");
        assert_eq!(served, bytes, "the same bytes");
        let header = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(header("content-type"), Some(kind));
        assert_eq!(header("x-content-type-options"), Some("nosniff"));
        assert_eq!(
            header("cache-control"),
            Some("public, max-age=31536000, immutable")
        );
    }
    // The same bytes again are the same file.
    let (status, _) = upload(&o, PNG);
    assert_eq!(status, 303);
    assert!(card_branding(&o).contains(&Stored::of(merchant_id(&o), Kind::Png, PNG).path()));
    // Unknown names are a plain 404.
    for path in [
        format!("/files/{}/{}.png", o.merchant, "0".repeat(64)),
        format!("/files/{}/x.svg", o.merchant),
        "/files/zz/zz".to_owned(),
    ] {
        let (status, _, _) = worker().send_bytes("GET", &path, &[], None);
        assert_eq!(status, 404, "{path}");
    }
}

#[test]
fn staff_never_reach_the_set_up_nor_change_it() {
    let o = sign_up();
    let email = fresh_email();
    let resp = worker().admin(
        "POST",
        &format!("/admin/v1/merchants/{}/people", o.merchant),
        Some(&serde_json::json!({ "email": email, "name": "Ola", "role": "staff", "password": PASSWORD })),
    );
    assert_eq!(resp.status, 201, "{}", resp.body);
    let staff = session_only(&cookies(&sign_in(&email, PASSWORD, &[])));
    assert_eq!(get("/console/setup/business", &staff).status, 403);
    let csrf = csrf_of(&get("/console/account", &staff).body);
    let before = card_branding(&o);
    let resp = post(
        "/console/setup/business",
        &[("cookie", &staff)],
        &[
            ("csrf", &csrf),
            ("primary", "#000000"),
            ("accent", "#000000"),
        ],
    );
    assert_eq!(resp.status, 403, "{}", resp.body);
    assert_eq!(card_branding(&o), before);
}
