//! Bad tokens: each is refused with its own code, and none writes anything.

use loyalty_edge::domain::ids::{MemberId, MerchantId};
use loyalty_edge::domain::session::Ticket;
use loyalty_edge::domain::token::{Lifetime, ScanKind};
use serde_json::json;

use crate::harness::{now, ticket_of, worker, Merchant, Sign};

fn assert_nothing_written(m: &Merchant, members: i64) {
    let audit = m.audit();
    assert_eq!(audit["members"], members, "{audit}");
    assert_eq!(audit["scans"], 0, "{audit}");
    assert_eq!(audit["ledger_entries"], 0, "{audit}");
}

fn flip(token: &str, at: usize) -> String {
    let mut bytes = token.as_bytes().to_vec();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).unwrap()
}

#[test]
fn tampered_and_malformed_tokens_are_refused_and_write_nothing() {
    let m = worker().merchant(json!({}));
    let member = m.cookie_for(&MemberId::from_random([1; 16]));
    let token = m.token(Sign::default());
    let cases = [
        (flip(&token, 71), 403, "token_bad_signature"),
        (flip(&token, 20), 403, "token_bad_signature"),
        (flip(&token, 40), 403, "token_bad_signature"),
        (token.to_lowercase(), 400, "token_malformed"),
        (token[..71].to_owned(), 400, "token_malformed"),
        (format!("{token}A"), 400, "token_malformed"),
        ("hello".to_owned(), 400, "token_malformed"),
        ("A".repeat(4000), 400, "token_malformed"),
        ("%F0%9F%8D%B5".to_owned(), 400, "token_malformed"),
    ];
    for (bad, status, code) in cases {
        for cookie in [None, Some(member.as_str())] {
            worker()
                .get(&format!("/s/{bad}"), cookie)
                .assert_error_page(status, code);
        }
    }
    assert_nothing_written(&m, 0);
}

#[test]
fn expired_and_not_yet_valid_tokens_are_refused() {
    let m = worker().merchant(json!({}));
    let cookie = m.member();
    let expired = m.token(Sign {
        issued_at: now() - 1000,
        lifetime: Lifetime::seconds(60).unwrap(),
        ..Sign::default()
    });
    worker()
        .get(&format!("/s/{expired}"), Some(&cookie))
        .assert_error_page(410, "token_expired");
    let future = m.token(Sign {
        issued_at: now() + 600,
        ..Sign::default()
    });
    worker()
        .get(&format!("/s/{future}"), Some(&cookie))
        .assert_error_page(400, "token_not_yet_valid");
    assert_eq!(m.audit()["scans"], 1, "only the joining scan");
    m.assert_ledger_consistent();
}

#[test]
fn tokens_for_another_merchant_are_refused() {
    let (a, b) = (worker().merchant(json!({})), worker().merchant(json!({})));
    let cookie_b = b.member();

    // Signed with A's key but naming B: A's counter cannot credit at B.
    let forged = a.token(Sign {
        merchant: Some(b.id),
        ..Sign::default()
    });
    worker()
        .get(&format!("/s/{forged}"), Some(&cookie_b))
        .assert_error_page(403, "token_bad_signature");

    // A join form shown for A cannot be used to collect B's code.
    let ticket = Ticket {
        merchant: a.id,
        member: MemberId::from_random([2; 16]),
        issued_at: i64::from(now()),
    }
    .sign(&worker().master.session_key());
    let resp = worker().post_form(
        &format!("/s/{}", b.token(Sign::default())),
        &[("ticket", &ticket), ("name", "Eve")],
    );
    resp.assert_error_page(403, "token_wrong_merchant");

    // A merchant that does not exist.
    let ghost = a.token(Sign {
        merchant: Some(MerchantId::new(0)),
        ..Sign::default()
    });
    worker()
        .get(&format!("/s/{ghost}"), None)
        .assert_error_page(404, "merchant_not_found");

    assert_nothing_written(&a, 0);
    assert_eq!(b.audit()["scans"], 1, "only B's joining scan");
    b.assert_ledger_consistent();
}

#[test]
fn a_token_signed_with_an_unknown_key_id_is_refused() {
    let m = worker().merchant(json!({}));
    let token = m.token(Sign {
        kid: 7,
        ..Sign::default()
    });
    worker()
        .get(&format!("/s/{token}"), None)
        .assert_error_page(403, "token_unknown_key");
    assert_nothing_written(&m, 0);
}

#[test]
fn tokens_for_an_unknown_location_or_of_zero_value_are_refused() {
    let m = worker().merchant(json!({}));
    let cookie = m.member();
    let nowhere = m.token(Sign {
        location: 9,
        ..Sign::default()
    });
    worker()
        .get(&format!("/s/{nowhere}"), Some(&cookie))
        .assert_error_page(422, "unknown_location");
    let zero = m.token(Sign {
        kind: ScanKind::Points(0),
        ..Sign::default()
    });
    worker()
        .get(&format!("/s/{zero}"), Some(&cookie))
        .assert_error_page(422, "scan_zero_value");
    let huge = m.token(Sign {
        kind: ScanKind::Points(5_000_000),
        ..Sign::default()
    });
    worker()
        .get(&format!("/s/{huge}"), Some(&cookie))
        .assert_error_page(422, "scan_too_large");
    assert_eq!(m.audit()["scans"], 1);
    m.assert_ledger_consistent();
}

#[test]
fn a_join_form_posted_from_another_site_is_refused() {
    let m = worker().merchant(json!({}));
    let token = m.token(Sign::default());
    let ticket = ticket_of(&worker().get(&format!("/s/{token}"), None).body);
    let body = format!("ticket={ticket}&name=Victim");
    let post = |headers: &[(&str, &str)]| {
        let mut all = vec![("content-type", "application/x-www-form-urlencoded")];
        all.extend_from_slice(headers);
        worker().send("POST", &format!("/s/{token}"), &all, Some(&body))
    };
    post(&[("origin", "https://evil.example")]).assert_error_page(403, "cross_site_form");
    post(&[("sec-fetch-site", "cross-site")]).assert_error_page(403, "cross_site_form");
    assert_nothing_written(&m, 0);
    let own_origin = worker().base.clone();
    let ok = post(&[("origin", &own_origin), ("sec-fetch-site", "same-origin")]);
    assert_eq!(ok.status, 200, "{}", ok.body);
}

#[test]
fn altered_or_missing_join_tickets_are_refused() {
    let m = worker().merchant(json!({}));
    let token = m.token(Sign::default());
    for ticket in [
        "",
        "garbage",
        "00000000.00000000000000000000000000000000.1.AAAAAAAAAAAAAAAAAAAAAA",
    ] {
        worker()
            .post_form(
                &format!("/s/{token}"),
                &[("ticket", ticket), ("name", "Eve")],
            )
            .assert_error_page(400, "enrol_form_invalid");
    }
    let old = Ticket {
        merchant: m.id,
        member: MemberId::from_random([3; 16]),
        issued_at: i64::from(now()) - 3600,
    }
    .sign(&worker().master.session_key());
    worker()
        .post_form(&format!("/s/{token}"), &[("ticket", &old), ("name", "Eve")])
        .assert_error_page(410, "enrol_form_expired");
    let resp = worker().send(
        "POST",
        &format!("/s/{token}"),
        &[("content-type", "text/plain")],
        Some("name=Eve"),
    );
    resp.assert_error_page(415, "unsupported_media_type");
    assert_nothing_written(&m, 0);
}
