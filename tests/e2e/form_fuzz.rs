//! Every console form, fuzzed over HTTP: each state-changing route the router serves
//! (enumerated from `console_routes`, ids filled with a bogus one) is posted with its CSRF token
//! and missing fields, oversized ones, wrong types and random bytes, urlencoded and as
//! multipart. Never a 5xx or internal text; a refused form (422) carries its error where a
//! person sees it (`role="alert"`); and the junk writes nothing: the activity log, the earning
//! rules and the card read the same afterwards (only the set-up's reward rows, which take any
//! short text as a name, may add a reward).

use loyalty_edge::domain::account::console_routes;

use crate::catalog::send_multipart;
use crate::console::{csrf_of, get, post, sign_up};

/// Field names the console's forms use (values are what is fuzzed; `skip`, `confirm` and
/// `preview` are left out: they are the forms' own buttons, tested where each is built).
const NAMES: &[&str] = &[
    "name",
    "email",
    "role",
    "password",
    "current",
    "pin",
    "label",
    "location",
    "minutes",
    "scope",
    "primary",
    "accent",
    "stamp_icon",
    "tone",
    "card_size",
    "card_reward",
    "mode",
    "per_visit",
    "per_unit",
    "per_purchase",
    "cooldown_hours",
    "cooldown_was",
    "daily_cap",
    "expiry",
    "after_count",
    "after_unit",
    "inactive_days",
    "pending_days",
    "negative",
    "code_secs",
    "cancel_mins",
    "point_value",
    "bday_points",
    "bday_reward",
    "bday_hour",
    "ref_min",
    "ref_cap",
    "description",
    "kind",
    "amount",
    "percent",
    "coupon_code",
    "pays",
    "points",
    "stock",
    "limit",
    "starts",
    "ends",
    "stock_was",
    "time_zone",
    "new",
    "location1",
    "name1",
    "points1",
    "amount1",
    "subject",
    "body",
    "text",
    "channel",
    "sender_name",
    "reply_to",
    "quiet_from",
    "quiet_to",
    "cap",
    "id",
    "note",
    "segment",
    "subject_a",
    "text_a",
    "subject_b",
    "text_b",
    "holdout",
    "window",
    "when",
    "date",
    "time",
    "direction",
    "stamps",
    "reason",
    "once",
    "enabled",
    "window_days",
    "downgrade",
    "hold_days",
    "name_0",
    "threshold_1",
    "rate_1",
    "benefits_1",
    "multiplier",
    "bonus",
    "days",
    "from",
    "until",
    "starts_on",
    "ends_on",
];

/// Pseudo-random bytes from a seed (xorshift), so a failure names a reproducible case.
fn noise(seed: u64, len: usize) -> String {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Printable, with the characters forms and HTML care about.
            let set = b"abcXYZ0189 -_.,:;<>&\"'%#/\\\x7f\xc3";
            char::from(set[(x % set.len() as u64) as usize])
        })
        .collect()
}

#[test]
fn every_console_form_refuses_junk_plainly_and_writes_nothing() {
    let o = sign_up();
    let before_activity = get("/console/activity", &o.browser).body;
    let before_rules = get("/console/earning", &o.browser).body;
    let before_card = get("/console/card", &o.browser).body;
    let before_campaigns = get("/console/campaigns", &o.browser).body;
    let before_tiers = get("/console/earning/tiers", &o.browser).body;
    let before_promotions = get("/console/earning/promotions", &o.browser).body;
    let changing: Vec<_> = console_routes()
        .into_iter()
        .filter(|r| r.changes)
        // Signing out ends the session the fuzz runs in; its own tests cover it.
        .filter(|r| r.path != "/console/sign-out")
        .collect();
    assert!(changing.len() >= 30, "{}", changing.len());
    let big = "x".repeat(20_000);
    let typed = [
        "-1",
        "1e99",
        "NaN",
        "99999999999999999999",
        "<script>alert(1)</script>",
        "\u{0}",
        "１２",
    ];
    let mut posts = 0;
    let mut problems: Vec<String> = Vec::new();
    for (n, route) in changing.iter().enumerate() {
        let path = route
            .path
            .replace("{id}", "0123456789abcdef0123456789abcdef");
        let csrf = csrf_of(&get("/console/account", &o.browser).body);
        let mut cases: Vec<(String, Vec<(String, String)>)> = vec![("missing".into(), vec![])];
        cases.push((
            "oversized".into(),
            NAMES
                .iter()
                .take(3)
                .map(|k| ((*k).into(), big.clone()))
                .collect(),
        ));
        for (i, t) in typed.iter().enumerate() {
            cases.push((
                format!("wrong-typed {t:?}"),
                NAMES
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| (j + i) % 3 == 0)
                    .map(|(_, k)| ((*k).into(), (*t).into()))
                    .collect(),
            ));
        }
        for seed in 0..3u64 {
            let s = (n as u64) << 8 | seed;
            cases.push((
                format!("random seed {s}"),
                NAMES
                    .iter()
                    .enumerate()
                    .map(|(j, k)| ((*k).into(), noise(s + j as u64, (s as usize + j) % 40)))
                    .collect(),
            ));
        }
        for (what, fields) in &cases {
            let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
            form.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            let resp = post(&path, &[("cookie", &o.browser)], &form);
            posts += 1;
            let label = format!("{} {path} ({what})", route.method);
            let title = resp
                .body
                .split("<title>")
                .nth(1)
                .and_then(|t| t.split('<').next())
                .unwrap_or_default()
                .to_owned();
            if resp.status >= 500 {
                problems.push(format!("{label}: {} {title}", resp.status));
            }
            for internal in [
                "panicked",
                "RuntimeError",
                "unreachable",
                "called `Option::unwrap",
            ] {
                assert!(!resp.body.contains(internal), "{label}: {}", resp.body);
            }
            if resp.status == 422 && !resp.body.contains("role=\"alert\"") {
                problems.push(format!("{label}: 422 without an inline error: {title}"));
            }
        }
        // The same junk as multipart, the way the forms with a file are sent.
        let fields: Vec<(&str, &str)> = NAMES.iter().map(|k| (*k, "\u{1}junk")).collect();
        let resp = send_multipart(
            &o.browser,
            "/console/account",
            &path,
            &fields,
            "image",
            Some(b"GIF89a"),
        );
        posts += 1;
        assert!(
            resp.status < 500,
            "multipart {path}: {} {}",
            resp.status,
            resp.body
        );
    }
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(posts > 300, "{posts}");
    // Nothing was written: the activity log and the café's pages read as before.
    let strip = |page: String| {
        page.split("name=\"csrf\"")
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        strip(get("/console/activity", &o.browser).body),
        strip(before_activity),
        "the activity log is unchanged"
    );
    for (path, before) in [
        ("/console/earning", before_rules),
        ("/console/card", before_card),
        ("/console/campaigns", before_campaigns),
        ("/console/earning/tiers", before_tiers),
        ("/console/earning/promotions", before_promotions),
    ] {
        // The set-up's reward rows take any short text as a name ("NaN" is a fine name for a
        // cake), so the catalog may grow; the rules and the card may not change.
        let without_gifts = |page: String| match (
            page.find("<select id=\"f-bday_reward\""),
            page.find("</select>"),
        ) {
            (Some(a), Some(b)) if a < b => format!("{}{}", &page[..a], &page[b..]),
            _ => page,
        };
        let (before, after) = (
            without_gifts(before),
            without_gifts(get(path, &o.browser).body),
        );
        if after != before {
            let at = before
                .bytes()
                .zip(after.bytes())
                .position(|(x, y)| x != y)
                .unwrap_or(0);
            let around = after.get(at.saturating_sub(200)..(at + 200).min(after.len()));
            panic!("{path} changed: {around:?}");
        }
    }
}
