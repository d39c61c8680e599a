//! Limits an attacker can name without a secret (a key id, an address they share) never lock
//! out the people who hold the secret: wrong keys count against their address and the key id,
//! never against the key's own limit; only credited scans use up an address's scan limit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde_json::json;

use crate::harness::{concurrently, now, worker, Resp};

/// The failed authentications one address or one key id may make per minute
/// (`auth::AUTH_FAILURES_PER_WINDOW`).
const FAILURES_PER_MINUTE: usize = 30;

/// A documentation address no other test uses.
fn fresh_address() -> String {
    let mut b = [0u8; 6];
    getrandom::getrandom(&mut b).unwrap();
    format!(
        "2001:db8:1::{:02x}{:02x}:{:02x}{:02x}:{:02x}{:02x}",
        b[0], b[1], b[2], b[3], b[4], b[5]
    )
}

/// A well-formed key that names `id` but carries a secret nobody was given.
fn wrong_secret_for(id: &str) -> String {
    let mut b = [0u8; 24];
    getrandom::getrandom(&mut b).unwrap();
    let secret: String = b
        .iter()
        .map(|x| char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[usize::from(*x) % 32]))
        .collect();
    format!("lek_{id}_{secret}AAAAAAAA")
}

/// A well-formed key with an id and secret of nobody's.
fn unknown_key() -> String {
    let mut b = [0u8; 8];
    getrandom::getrandom(&mut b).unwrap();
    let id: String = b.iter().map(|x| format!("{x:02x}")).collect();
    wrong_secret_for(&id)
}

fn key_id(key: &str) -> &str {
    key.split('_').nth(1).unwrap()
}

fn merchant_as(key: &str, address: Option<&str>) -> Resp {
    let auth = format!("Bearer {key}");
    let mut headers = vec![("authorization", auth.as_str())];
    if let Some(a) = address {
        headers.push(("cf-connecting-ip", a));
    }
    worker().send("GET", "/api/v1/merchant", &headers, None)
}

/// Waits, if needed, until a burst of about `secs` seconds fits in the current minute.
fn start_of_a_minute(secs: u32) {
    let into_minute = now() % 60;
    if into_minute > 60 - secs {
        std::thread::sleep(std::time::Duration::from_secs(u64::from(61 - into_minute)));
    }
}

/// Runs `burst` from a fresh address until it fits in one minute's window (at most 3 tries),
/// then `check`s what it returned; returns the address.
fn within_one_minute<T>(burst: impl Fn(&str) -> T, check: impl FnOnce(T)) -> String {
    for _ in 0..3 {
        start_of_a_minute(20);
        let minute = now() / 60;
        let address = fresh_address();
        let result = burst(&address);
        if now() / 60 == minute {
            check(result);
            return address;
        }
    }
    panic!("could not send the burst within one minute");
}

#[test]
fn wrong_secrets_for_a_key_id_never_use_up_that_keys_limit_and_the_real_key_keeps_working() {
    let m = worker().merchant(json!({}));
    let id = key_id(&m.key).to_owned();
    for attempt in 0.. {
        assert!(attempt < 3, "could not send the burst within one minute");
        start_of_a_minute(40);
        let minute = now() / 60;
        // 1,250 wrong secrets on 12 connections (more than the key's 1,200 a minute), while a
        // 13th connection uses the real key throughout.
        let roles = AtomicUsize::new(0);
        let sent = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let wrong = Mutex::new(Vec::new());
        let real = Mutex::new(Vec::new());
        concurrently(13, || {
            if roles.fetch_add(1, Ordering::SeqCst) == 0 {
                while done.load(Ordering::SeqCst) < 12 {
                    let status = merchant_as(&m.key, None).status;
                    real.lock().unwrap().push(status);
                }
                return;
            }
            while sent.fetch_add(1, Ordering::SeqCst) < 1250 {
                let resp = merchant_as(&wrong_secret_for(&id), None);
                if resp.status == 429 {
                    resp.assert_problem(429, "rate_limited");
                    assert!(resp.header("retry-after").is_some());
                } else {
                    resp.assert_problem(401, "auth_invalid");
                }
                wrong.lock().unwrap().push(resp.status);
            }
            done.fetch_add(1, Ordering::SeqCst);
        });
        if now() / 60 != minute {
            continue;
        }
        let wrong = wrong.into_inner().unwrap();
        let real = real.into_inner().unwrap();
        assert_eq!(wrong.len(), 1250);
        assert_eq!(
            wrong.iter().filter(|&&s| s == 401).count(),
            FAILURES_PER_MINUTE,
            "wrong secrets past the key id's failure limit are slowed down"
        );
        assert!(real.len() > 2, "the real key was used during the burst");
        assert!(
            real.iter().all(|&s| s == 200),
            "the real key was never refused: {real:?}"
        );
        break;
    }
    let after = merchant_as(&m.key, None);
    assert_eq!(after.status, 200, "{}", after.body);
}

#[test]
fn wrong_keys_from_one_address_are_slowed_and_the_right_key_from_there_still_gets_in() {
    let m = worker().merchant(json!({}));
    let address = within_one_minute(
        |address| {
            let answers: Vec<Resp> = (0..=FAILURES_PER_MINUTE)
                .map(|_| merchant_as(&unknown_key(), Some(address)))
                .collect();
            (answers, merchant_as("lek_nonsense", Some(address)))
        },
        |(answers, nonsense)| {
            for r in &answers[..FAILURES_PER_MINUTE] {
                r.assert_problem(401, "auth_invalid");
            }
            let last = answers.last().unwrap();
            last.assert_problem(429, "rate_limited");
            let secs: i64 = last.header("retry-after").unwrap().parse().unwrap();
            assert!((1..=60).contains(&secs), "{secs}");
            // A key that is not even shaped like one counts too.
            nonsense.assert_problem(429, "rate_limited");
        },
    );
    let right = merchant_as(&m.key, Some(&address));
    assert_eq!(right.status, 200, "{}", right.body);
    merchant_as(&unknown_key(), Some(&fresh_address())).assert_problem(401, "auth_invalid");
}

fn sign_in_from(address: &str, key: &str) -> Resp {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("key", key)
        .finish();
    worker().send(
        "POST",
        "/staff/sign-in",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("cf-connecting-ip", address),
        ],
        Some(&body),
    )
}

#[test]
fn the_till_sign_in_slows_wrong_keys_down_on_its_own_page_and_still_takes_the_right_one() {
    let m = worker().merchant(json!({}));
    let address = within_one_minute(
        |address| {
            (0..=FAILURES_PER_MINUTE)
                .map(|_| sign_in_from(address, &wrong_secret_for(key_id(&m.key))))
                .collect::<Vec<Resp>>()
        },
        |answers| {
            assert!(answers[..FAILURES_PER_MINUTE]
                .iter()
                .all(|r| r.status == 401 && r.body.contains("That key is not valid")));
            let last = answers.last().unwrap();
            assert_eq!(last.status, 429, "{}", last.body);
            assert!(last.body.contains("Too many wrong keys"), "{}", last.body);
            assert!(last.body.contains(r#"name="key""#), "the form is back");
            assert!(last.header("retry-after").is_some());
            assert!(last.cookie().is_none());
        },
    );
    let right = sign_in_from(&address, &m.key);
    assert_eq!(right.status, 303, "{}", right.body);
    assert!(right.cookie().is_some_and(|c| c.contains('=')));
}

#[test]
fn scans_refused_by_their_cooldown_do_not_use_up_the_address_limit_of_the_phones_sharing_it() {
    // One phone on the café's Wi-Fi scans the poster 130 times: only its first visit is
    // credited (a cooldown of an hour). Another phone on the same address is credited after.
    let m = worker().merchant(json!({ "visit_cooldown_secs": 3600 }));
    let address = fresh_address();
    let poster = m.poster();
    let eager = m.member();
    let patient = m.member();
    start_of_a_minute(30);
    let sent = AtomicUsize::new(0);
    concurrently(8, || {
        while sent.fetch_add(1, Ordering::SeqCst) < 130 {
            let resp = worker().send(
                "GET",
                &format!("/s/{poster}"),
                &[("cookie", &eager), ("cf-connecting-ip", &address)],
                None,
            );
            // Refused by its cooldown ("See you next visit"), never by the address limit.
            assert!(!resp.body.contains("Code: rate_limited"), "{}", resp.body);
        }
    });
    let before = m.read_member(&patient)["member"]["stamps"]
        .as_i64()
        .unwrap();
    let resp = worker().send(
        "GET",
        &format!("/s/{poster}"),
        &[("cookie", &patient), ("cf-connecting-ip", &address)],
        None,
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    let after = m.read_member(&patient)["member"]["stamps"]
        .as_i64()
        .unwrap();
    assert_eq!(after, before + 1, "the other phone's visit was credited");
    m.assert_ledger_consistent();
}
