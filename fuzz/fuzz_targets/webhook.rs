//! Inbound POS webhooks (`domain::webhook`). The input is `id\ntimestamp\nsignature\nbody`.
//! - The headers as given: whatever verifies carries a `v1,` signature that an independent
//!   HMAC of `id.timestamp.body` reproduces.
//! - The same id and body signed here: `verify` accepts them, and refuses them after a change
//!   to the body, another merchant's secret, or a clock outside the tolerance.
//! - The body as an event: `parse_event` never panics, and what it accepts is normalised (the
//!   order id trimmed, amounts in range, the member's email or phone already in normal form).
#![no_main]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use libfuzzer_sys::fuzz_target;
use loyalty_edge::domain::ids::MerchantId;
use loyalty_edge::domain::webhook::{
    normalise_email, normalise_phone, parse_event, sign, verify, Event, Headers, Lookup,
    WebhookError, MAX_AMOUNT_MINOR, MAX_ITEMS, TOLERANCE_SECS,
};
use loyalty_edge_fuzz::{hmac_sha256, master, NOW};

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(4, |b| *b == b'\n');
    let (Some(id), Some(ts), Some(sig)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let body = parts.next().unwrap_or_default();
    let (Ok(id), Ok(ts), Ok(sig)) = (
        std::str::from_utf8(id),
        std::str::from_utf8(ts),
        std::str::from_utf8(sig),
    ) else {
        return;
    };
    as_sent(id, ts, sig, body);
    signed_here(id, body);
    as_event(body);
});

fn as_sent(id: &str, ts: &str, sig: &str, body: &[u8]) {
    let secrets = [
        master().webhook_secret(MerchantId::new(7), 1),
        master().webhook_secret(MerchantId::new(7), 2),
    ];
    let h = Headers {
        id: Some(id),
        timestamp: Some(ts),
        signature: Some(sig),
    };
    if let Ok(got) = verify(h, body, &secrets, NOW) {
        assert_eq!(got, id.trim());
        let ts = ts.trim();
        let ok = secrets.iter().any(|s| {
            let tag = hmac_sha256(
                s.as_bytes(),
                &[got.as_bytes(), b".", ts.as_bytes(), b".", body],
            );
            let want = format!("v1,{}", STANDARD.encode(tag));
            sig.trim().split(' ').any(|given| given == want)
        });
        assert!(ok, "accepted without a signature the oracle reproduces");
    }
}

fn signed_here(id: &str, body: &[u8]) {
    let secret = master().webhook_secret(MerchantId::new(7), 1);
    let other = master().webhook_secret(MerchantId::new(8), 1);
    let id = id.trim();
    let sig = sign(id, NOW, body, &secret);
    let oracle = hmac_sha256(
        secret.as_bytes(),
        &[id.as_bytes(), b".", NOW.to_string().as_bytes(), b".", body],
    );
    assert_eq!(sig, format!("v1,{}", STANDARD.encode(oracle)));
    let ts = NOW.to_string();
    let sig = format!("v1,bm90IGl0 {sig}");
    let headers = Headers {
        id: Some(id),
        timestamp: Some(&ts),
        signature: Some(&sig),
    };
    let secrets = [secret];
    let result = verify(headers, body, &secrets, NOW);
    if id.is_empty() || id.len() > 200 {
        assert_eq!(result, Err(WebhookError::MissingHeader("webhook-id")));
        return;
    }
    assert_eq!(
        result,
        Ok(id),
        "a webhook signed with the right secret was refused"
    );
    let late = NOW + TOLERANCE_SECS + 1;
    assert_eq!(
        verify(headers, body, &secrets, late),
        Err(WebhookError::TimestampOutOfRange)
    );
    assert!(verify(headers, body, &secrets, NOW + TOLERANCE_SECS).is_ok());
    assert_eq!(
        verify(headers, body, &[other], NOW),
        Err(WebhookError::BadSignature)
    );
    let mut changed = body.to_vec();
    match changed.last_mut() {
        Some(b) => *b ^= 1,
        None => changed.push(b' '),
    }
    assert_eq!(
        verify(headers, &changed, &secrets, NOW),
        Err(WebhookError::BadSignature)
    );
}

fn as_event(body: &[u8]) {
    for currency in ["PLN", "EUR"] {
        let Ok(event) = parse_event(body, currency) else {
            continue;
        };
        match event {
            Event::Completed {
                order_id,
                member,
                amount_minor,
                items,
                occurred_at: _,
                redemptions,
            } => {
                check_order_id(&order_id);
                assert!((1..=MAX_AMOUNT_MINOR).contains(&amount_minor));
                assert!(items.len() <= MAX_ITEMS);
                for it in &items {
                    assert_eq!(it.sku, it.sku.trim());
                    assert!(!it.sku.is_empty() && it.sku.len() <= 64);
                    assert!((1..=10_000).contains(&it.quantity));
                }
                assert!(redemptions.len() <= 10);
                for r in &redemptions {
                    assert!(is_lower_hex_id(r), "{r:?}");
                }
                match member {
                    Lookup::Id(id) => assert!(is_lower_hex_id(&id), "{id:?}"),
                    Lookup::Email(e) => assert_eq!(normalise_email(&e).as_deref(), Some(&*e)),
                    Lookup::Phone(p) => assert_eq!(normalise_phone(&p).as_deref(), Some(&*p)),
                }
            }
            Event::Refunded {
                order_id,
                amount_minor,
            } => {
                check_order_id(&order_id);
                assert!((1..=MAX_AMOUNT_MINOR).contains(&amount_minor));
            }
            // Only the envelope's own type says so.
            Event::Ping => assert_eq!(
                serde_json::from_slice::<serde_json::Value>(body)
                    .ok()
                    .and_then(|v| v.get("type").and_then(|t| t.as_str().map(str::to_owned))),
                Some("test.ping".to_owned()),
                "a ping from a body that does not name it"
            ),
        }
    }
}

fn check_order_id(id: &str) {
    assert_eq!(id, id.trim());
    assert!(!id.is_empty() && id.len() <= 100);
    assert!(!id.chars().any(char::is_control));
}

fn is_lower_hex_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
