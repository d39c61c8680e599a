//! Past one database: scripts/test binds two local D1 databases and places merchants 00-7f in
//! `DB` and 80-ff in `DB_2` (`D1_SHARDS`), so every test runs across both; these tests pin down
//! what sharding itself promises: merchants land on a shard by their id, API keys follow their
//! merchant, and links that name no merchant are found wherever they are. That every job runs
//! once per slot on every shard is checked in `jobs.rs`.

use serde_json::json;

use crate::harness::{worker, Merchant};
use crate::referrals::{referring, Phone};

/// The binding a merchant's id places it in under the test map.
fn shard_of(m: &Merchant) -> &'static str {
    if m.id.get() >> 24 < 0x80 {
        "DB"
    } else {
        "DB_2"
    }
}

/// Makes merchants with `make` until one sits on each shard (about two tries on average).
fn one_on_each(make: impl Fn() -> Merchant) -> (Merchant, Merchant) {
    let (mut first, mut second) = (None, None);
    for _ in 0..64 {
        let m = make();
        match shard_of(&m) {
            "DB" if first.is_none() => first = Some(m),
            "DB_2" if second.is_none() => second = Some(m),
            _ => {}
        }
        if let (Some(a), Some(b)) = (&first, &second) {
            assert_ne!(a.id, b.id);
            break;
        }
    }
    (
        first.expect("a merchant on DB"),
        second.expect("a merchant on DB_2"),
    )
}

#[test]
fn the_operator_is_told_each_new_merchant_s_shard_and_its_keys_name_it() {
    for _ in 0..6 {
        let resp = worker().admin(
            "POST",
            "/admin/v1/merchants",
            Some(&json!({
                "name": "Shard Café",
                "currency": { "code": "PLN", "minor_units": 2 },
                "locations": ["Main"],
            })),
        );
        assert_eq!(resp.status, 201, "{}", resp.body);
        let body = resp.json();
        let id = body["merchant_id"].as_str().unwrap();
        let expected = if u8::from_str_radix(&id[..2], 16).unwrap() < 0x80 {
            "DB"
        } else {
            "DB_2"
        };
        assert_eq!(body["shard"], expected, "{body}");
        // The owner key's id begins with the merchant id: a key alone finds its shard.
        let key = body["api_key"].as_str().unwrap();
        assert!(key.starts_with(&format!("lek_{id}")), "{key}");
    }
}

#[test]
fn merchants_on_two_shards_each_serve_cards_keys_and_webhooks_and_stay_apart() {
    let (a, b) = one_on_each(|| worker().merchant(json!({ "points_per_major_unit": 1 })));
    let mut members = Vec::new();
    for m in [&a, &b] {
        let joined = m.join(&m.token(Default::default()), "Ola");
        assert_eq!(joined.status, 200, "{}: {}", shard_of(m), joined.body);
        let cookie = joined.cookie().unwrap();
        let card = worker().get(&format!("/c/{}", m.id), Some(&cookie));
        assert_eq!(card.status, 200, "{}", card.body);
        assert!(card.body.contains("12"), "{}", card.body);
        let member = Merchant::member_id(&cookie);
        let read = m.read_member(&cookie);
        assert_eq!(read["member"]["points"], 12, "{}: {read}", shard_of(m));
        // A key made through the API (not only the first owner key) finds the shard too.
        let made = worker().json_as(
            "POST",
            "/api/v1/keys",
            &m.key,
            &json!({ "scope": "read", "name": "report" }),
        );
        assert_eq!(made.status, 201, "{}", made.body);
        let read_key = made.json()["api_key"].as_str().unwrap().to_owned();
        let resp = worker().send(
            "GET",
            &format!("/api/v1/members/{member}"),
            &[("authorization", &format!("Bearer {read_key}"))],
            None,
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        members.push(member);
    }
    // Each merchant's key sees only its own members, whichever shard they are on.
    let other = worker().send(
        "GET",
        &format!("/api/v1/members/{}", members[1]),
        &[("authorization", &format!("Bearer {}", a.key))],
        None,
    );
    other.assert_problem(404, "member_not_found");
    let foreign = a.token(crate::harness::Sign {
        merchant: Some(b.id),
        ..Default::default()
    });
    let scan = worker().get(&format!("/s/{foreign}"), None);
    assert!(
        scan.status >= 400,
        "a token naming B signed with A's key: {}",
        scan.body
    );
    for m in [&a, &b] {
        let audit = m.audit();
        assert_eq!(audit["members"], 1, "{}: {audit}", shard_of(m));
        m.assert_ledger_consistent();
    }
}

#[test]
fn an_invitation_link_is_found_on_whichever_shard_holds_it() {
    let (a, b) = one_on_each(|| referring(json!({}), json!({})));
    for m in [&a, &b] {
        let (_anna, code) = m.referrer();
        let friend = Phone::new();
        let offer = friend.get(&format!("/r/{code}"));
        assert_eq!(offer.status, 200, "{}: {}", shard_of(m), offer.body);
        assert!(offer.body.contains("Anna invited you"), "{}", offer.body);
        let joined = friend.join_by_invitation(&code, "Bartek", "bartek@example.com", "");
        assert!(
            joined.status == 200 || joined.status == 303,
            "{}",
            joined.body
        );
        assert_eq!(m.audit()["members"], 2, "{}", shard_of(m));
    }
}
