//! Inbound POS webhooks: Standard Webhooks signatures over the raw body, the purchase events,
//! and the arithmetic of proportional refunds.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Deserialize;

use super::promo::Item;

use super::keys::{mac, verify_full, WebhookSecret};

/// How far a webhook's timestamp may be from our clock, in seconds (the standard's default).
pub const TOLERANCE_SECS: i64 = 300;
/// How long a webhook id is remembered, in ms (the standard's retry horizon is about 3 days).
pub const DEDUPE_MS: i64 = 76 * 3_600_000;
/// Largest amount an event may carry, in minor units (keeps every product inside 2^53).
pub const MAX_AMOUNT_MINOR: i64 = 1_000_000_000_000;

/// Why a webhook was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookError {
    /// `webhook-id`, `webhook-timestamp` or `webhook-signature` is missing or empty.
    MissingHeader(&'static str),
    /// The timestamp is not whole seconds.
    BadTimestamp,
    /// The timestamp is more than [`TOLERANCE_SECS`] away from now.
    TimestampOutOfRange,
    /// No `v1,` signature matches any active secret.
    BadSignature,
}

impl WebhookError {
    /// Returns the stable machine-readable code.
    pub fn code(self) -> &'static str {
        match self {
            WebhookError::MissingHeader(_) => "webhook_header_missing",
            WebhookError::BadTimestamp => "webhook_timestamp_invalid",
            WebhookError::TimestampOutOfRange => "webhook_timestamp_out_of_range",
            WebhookError::BadSignature => "webhook_signature_invalid",
        }
    }
}

impl std::fmt::Display for WebhookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebhookError::MissingHeader(h) => write!(f, "the {h} header is missing"),
            WebhookError::BadTimestamp => {
                f.write_str("webhook-timestamp must be whole seconds since 1970")
            }
            WebhookError::TimestampOutOfRange => write!(
                f,
                "webhook-timestamp is more than {TOLERANCE_SECS} s from now; check the sender's clock"
            ),
            WebhookError::BadSignature => f.write_str(
                "no v1 signature matches this merchant's webhook secrets (sign id.timestamp.body)",
            ),
        }
    }
}

/// The three Standard Webhooks headers of one request.
#[derive(Debug, Clone, Copy)]
pub struct Headers<'a> {
    pub id: Option<&'a str>,
    pub timestamp: Option<&'a str>,
    pub signature: Option<&'a str>,
}

/// Verifies a webhook: headers present, timestamp within tolerance of `now_secs`, and one of the
/// space-separated `v1,<base64>` signatures equal (constant time) to HMAC-SHA256 of
/// `id.timestamp.body` under one of `secrets`. Returns the webhook id.
pub fn verify<'a>(
    h: Headers<'a>,
    body: &[u8],
    secrets: &[WebhookSecret],
    now_secs: i64,
) -> Result<&'a str, WebhookError> {
    let present = |v: Option<&'a str>, name| {
        v.map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or(WebhookError::MissingHeader(name))
    };
    let id = present(h.id, "webhook-id")?;
    let timestamp = present(h.timestamp, "webhook-timestamp")?;
    let signatures = present(h.signature, "webhook-signature")?;
    if id.len() > 200 {
        return Err(WebhookError::MissingHeader("webhook-id"));
    }
    let ts: i64 = if timestamp.bytes().all(|b| b.is_ascii_digit()) && timestamp.len() <= 12 {
        timestamp.parse().map_err(|_| WebhookError::BadTimestamp)?
    } else {
        return Err(WebhookError::BadTimestamp);
    };
    if (now_secs - ts).abs() > TOLERANCE_SECS {
        return Err(WebhookError::TimestampOutOfRange);
    }
    let parts: [&[u8]; 5] = [id.as_bytes(), b".", timestamp.as_bytes(), b".", body];
    let matched = signatures.split(' ').any(|sig| {
        let Some(b64) = sig.strip_prefix("v1,") else {
            return false;
        };
        let Ok(tag) = STANDARD.decode(b64) else {
            return false;
        };
        secrets
            .iter()
            .any(|s| verify_full(s.as_bytes(), &parts, &tag))
    });
    if matched {
        Ok(id)
    } else {
        Err(WebhookError::BadSignature)
    }
}

/// Signs a webhook the way a POS does: `v1,<base64 HMAC-SHA256 of id.timestamp.body>`.
pub fn sign(id: &str, timestamp: i64, body: &[u8], secret: &WebhookSecret) -> String {
    let ts = timestamp.to_string();
    let tag = mac(
        secret.as_bytes(),
        &[id.as_bytes(), b".", ts.as_bytes(), b".", body],
    );
    format!("v1,{}", STANDARD.encode(tag))
}

/// Who a purchase belongs to, as the POS knows them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberRef {
    #[serde(default)]
    pub member_id: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// A webhook's body: the Standard Webhooks envelope.
#[derive(Debug, Clone, Deserialize)]
pub struct Envelope {
    #[serde(rename = "type")]
    pub kind: String,
    /// When the event happened, RFC 3339 (the standard's envelope field; optional here).
    #[serde(default)]
    pub timestamp: Option<String>,
    pub data: serde_json::Value,
}

/// `purchase.completed`: an order paid at the till or online.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchaseCompleted {
    pub order_id: String,
    pub member: MemberRef,
    pub amount_minor: i64,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub items: Vec<Item>,
    /// Redemptions (made through this API) used as payment on the order.
    #[serde(default)]
    pub redemption_ids: Vec<String>,
}

/// Most lines one order may list.
pub const MAX_ITEMS: usize = 500;

/// `purchase.refunded`: part or all of an order paid back.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchaseRefunded {
    pub order_id: String,
    pub amount_minor: i64,
    #[serde(default)]
    pub currency: Option<String>,
}

/// A checked event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Completed {
        order_id: String,
        member: Lookup,
        amount_minor: i64,
        /// Lines with a SKU and a quantity (others' fields are ignored).
        items: Vec<Item>,
        /// When the purchase happened (the envelope's timestamp), Unix ms.
        occurred_at: Option<i64>,
        /// Redemptions used as payment: cancelled (points back) if the order is refunded in full.
        redemptions: Vec<String>,
    },
    Refunded {
        order_id: String,
        amount_minor: i64,
    },
    /// `test.ping`: checks the endpoint and the signature; changes nothing.
    Ping,
}

/// How to find the member: exactly one normalised key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Id(String),
    Email(String),
    Phone(String),
}

/// A field of an event that does not fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventError {
    pub field: &'static str,
    pub message: String,
}

fn bad(field: &'static str, message: impl Into<String>) -> EventError {
    EventError {
        field,
        message: message.into(),
    }
}

fn order_id(raw: &str) -> Result<String, EventError> {
    let id = raw.trim();
    if id.is_empty() || id.len() > 100 || id.chars().any(char::is_control) {
        return Err(bad(
            "data.order_id",
            "must be 1 to 100 printable characters",
        ));
    }
    Ok(id.to_owned())
}

fn amount(v: i64) -> Result<i64, EventError> {
    if (1..=MAX_AMOUNT_MINOR).contains(&v) {
        Ok(v)
    } else {
        Err(bad(
            "data.amount_minor",
            format!("must be 1 to {MAX_AMOUNT_MINOR} minor units"),
        ))
    }
}

fn items(items: Vec<Item>) -> Result<Vec<Item>, EventError> {
    if items.len() > MAX_ITEMS {
        return Err(bad("data.items", format!("at most {MAX_ITEMS} lines")));
    }
    for it in &items {
        if it.sku.trim().is_empty() || it.sku.len() > 64 || it.sku.chars().any(char::is_control) {
            return Err(bad(
                "data.items[].sku",
                "must be 1 to 64 printable characters",
            ));
        }
        if !(1..=10_000).contains(&it.quantity) {
            return Err(bad("data.items[].quantity", "must be 1 to 10000"));
        }
    }
    Ok(items
        .into_iter()
        .map(|it| Item {
            sku: it.sku.trim().to_owned(),
            quantity: it.quantity,
        })
        .collect())
}

fn redemption_ids(ids: Vec<String>) -> Result<Vec<String>, EventError> {
    if ids.len() > 10 {
        return Err(bad(
            "data.redemption_ids",
            "at most 10 redemptions per order",
        ));
    }
    ids.into_iter()
        .map(|id| {
            let id = id.trim().to_ascii_lowercase();
            if id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(id)
            } else {
                Err(bad(
                    "data.redemption_ids",
                    "each must be a 32-character redemption id",
                ))
            }
        })
        .collect()
}

fn currency(given: Option<&str>, expected: &str) -> Result<(), EventError> {
    match given {
        Some(c) if c != expected => Err(bad(
            "data.currency",
            format!("this merchant's currency is {expected}, got {c:?}"),
        )),
        _ => Ok(()),
    }
}

/// Normalises an email: trimmed, lowercased, with one `@` and a dot in the domain.
pub fn normalise_email(raw: &str) -> Option<String> {
    let e = raw.trim().to_lowercase();
    let (local, domain) = e.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.contains('@')
        && e.len() <= 254
        && !e.chars().any(char::is_whitespace);
    ok.then_some(e)
}

/// Normalises a phone number to `+` and digits (spaces, dashes, dots and brackets dropped).
pub fn normalise_phone(raw: &str) -> Option<String> {
    let t = raw.trim();
    let plus = t.starts_with('+');
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let allowed = t
        .chars()
        .all(|c| c.is_ascii_digit() || " -.()+".contains(c));
    (allowed && (6..=15).contains(&digits.len()))
        .then(|| format!("{}{digits}", if plus { "+" } else { "" }))
}

impl MemberRef {
    fn lookup(&self) -> Result<Lookup, EventError> {
        match (&self.member_id, &self.email, &self.phone) {
            (Some(id), None, None) => {
                let id = id.trim();
                if id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
                    Ok(Lookup::Id(id.to_ascii_lowercase()))
                } else {
                    Err(bad(
                        "data.member.member_id",
                        "must be the 32-character member id",
                    ))
                }
            }
            (None, Some(e), None) => normalise_email(e)
                .map(Lookup::Email)
                .ok_or_else(|| bad("data.member.email", "is not an email address")),
            (None, None, Some(p)) => normalise_phone(p)
                .map(Lookup::Phone)
                .ok_or_else(|| bad("data.member.phone", "is not a phone number")),
            _ => Err(bad(
                "data.member",
                "give exactly one of member_id, email or phone",
            )),
        }
    }
}

/// Parses and checks an event for a merchant whose currency is `merchant_currency`.
pub fn parse_event(body: &[u8], merchant_currency: &str) -> Result<Event, EventError> {
    let env: Envelope = serde_json::from_slice(body)
        .map_err(|e| bad("body", format!("not a webhook envelope: {e}")))?;
    let data = |e: serde_json::Error| bad("data", e.to_string());
    match env.kind.as_str() {
        "purchase.completed" => {
            let p: PurchaseCompleted = serde_json::from_value(env.data).map_err(data)?;
            currency(p.currency.as_deref(), merchant_currency)?;
            Ok(Event::Completed {
                order_id: order_id(&p.order_id)?,
                member: p.member.lookup()?,
                amount_minor: amount(p.amount_minor)?,
                items: items(p.items)?,
                redemptions: redemption_ids(p.redemption_ids)?,
                occurred_at: match env.timestamp.as_deref() {
                    None => None,
                    Some(t) => Some(
                        chrono::DateTime::parse_from_rfc3339(t)
                            .map_err(|_| bad("timestamp", "must be an RFC 3339 time"))?
                            .timestamp_millis(),
                    ),
                },
            })
        }
        "purchase.refunded" => {
            let r: PurchaseRefunded = serde_json::from_value(env.data).map_err(data)?;
            currency(r.currency.as_deref(), merchant_currency)?;
            Ok(Event::Refunded {
                order_id: order_id(&r.order_id)?,
                amount_minor: amount(r.amount_minor)?,
            })
        }
        "test.ping" => Ok(Event::Ping),
        other => Err(bad(
            "type",
            format!("must be purchase.completed, purchase.refunded or test.ping, got {other:?}"),
        )),
    }
}

/// Points a refund takes back: refunds are cumulative and capped at the order's amount, and the
/// points reversed so far always equal `floor(points × refunded / amount)`, so many partial
/// refunds reverse exactly what one full refund would. Returns (points to reverse now, refunded
/// total after this refund).
pub fn refund_points(points: i64, amount: i64, refunded_before: i64, refund: i64) -> (i64, i64) {
    if amount <= 0 {
        return (0, refunded_before);
    }
    let after = (refunded_before + refund.max(0)).min(amount);
    let share = |refunded: i64| {
        i64::try_from(i128::from(points) * i128::from(refunded) / i128::from(amount)).unwrap_or(0)
    };
    (share(after) - share(refunded_before), after)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::domain::ids::MerchantId;
    use crate::domain::keys::MasterSecret;
    use proptest::prelude::*;

    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TS: i64 = 1_614_265_330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIG: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    /// The test vector published with the Standard Webhooks reference libraries.
    #[test]
    fn the_published_test_vector_signs_and_verifies() {
        let raw = STANDARD.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let tag = mac(&raw, &[ID.as_bytes(), b".", b"1614265330", b".", BODY]);
        assert_eq!(format!("v1,{}", STANDARD.encode(tag)), SIG);
    }

    fn secret() -> WebhookSecret {
        MasterSecret::parse("0123456789abcdef0123456789abcdef")
            .unwrap()
            .webhook_secret(MerchantId::new(7), 1)
    }

    fn headers<'a>(id: &'a str, ts: &'a str, sig: &'a str) -> Headers<'a> {
        Headers {
            id: Some(id),
            timestamp: Some(ts),
            signature: Some(sig),
        }
    }

    #[test]
    fn a_signed_webhook_verifies_and_every_mutation_is_refused() {
        let s = secret();
        let other = MasterSecret::parse("fedcba9876543210fedcba9876543210")
            .unwrap()
            .webhook_secret(MerchantId::new(7), 1);
        let sig = sign(ID, TS, BODY, &s);
        let ts = TS.to_string();
        fn ok<'a>(h: Headers<'a>, body: &[u8], now: i64) -> Result<&'a str, WebhookError> {
            verify(h, body, &[secret()], now)
        }
        assert_eq!(ok(headers(ID, &ts, &sig), BODY, TS), Ok(ID));
        // Rotation: either of two active secrets verifies.
        assert_eq!(
            verify(
                headers(ID, &ts, &sig),
                BODY,
                &[other.clone(), s.clone()],
                TS
            ),
            Ok(ID)
        );
        assert_eq!(
            verify(headers(ID, &ts, &sig), BODY, &[other], TS),
            Err(WebhookError::BadSignature)
        );
        // Several signatures, one of them good.
        let many = format!("v1,AAAA {sig} v2,zzz");
        assert_eq!(ok(headers(ID, &ts, &many), BODY, TS), Ok(ID));
        for (h, why) in [
            (headers(ID, &ts, "v1,"), "a bare v1,"),
            (
                headers(ID, &ts, &sig[..sig.len() - 4]),
                "a truncated signature",
            ),
            (
                headers(ID, &ts, &sig.replace("v1,", "v2,")),
                "another version",
            ),
            (headers("msg_other", &ts, &sig), "another id"),
            (
                headers(ID, &(TS + 1).to_string(), &sig),
                "another timestamp",
            ),
        ] {
            assert_eq!(ok(h, BODY, TS), Err(WebhookError::BadSignature), "{why}");
        }
        let mut changed = BODY.to_vec();
        changed[3] ^= 1;
        assert_eq!(
            ok(headers(ID, &ts, &sig), &changed, TS),
            Err(WebhookError::BadSignature)
        );
        assert_eq!(ok(headers(ID, &ts, &sig), BODY, TS + 300), Ok(ID));
        assert_eq!(ok(headers(ID, &ts, &sig), BODY, TS - 300), Ok(ID));
        assert_eq!(
            ok(headers(ID, &ts, &sig), BODY, TS + 301),
            Err(WebhookError::TimestampOutOfRange)
        );
        assert_eq!(
            ok(headers(ID, &ts, &sig), BODY, TS - 301),
            Err(WebhookError::TimestampOutOfRange)
        );
        assert_eq!(
            ok(headers(ID, "16142653x0", &sig), BODY, TS),
            Err(WebhookError::BadTimestamp)
        );
        let missing = Headers {
            id: None,
            timestamp: Some(&ts),
            signature: Some(&sig),
        };
        assert_eq!(
            ok(missing, BODY, TS),
            Err(WebhookError::MissingHeader("webhook-id"))
        );
        let empty = Headers {
            id: Some(ID),
            timestamp: Some(&ts),
            signature: Some(" "),
        };
        assert_eq!(
            ok(empty, BODY, TS),
            Err(WebhookError::MissingHeader("webhook-signature"))
        );
        assert!(s.to_whsec().starts_with("whsec_"));
    }

    #[test]
    fn events_are_parsed_and_checked() {
        let ev = |json: serde_json::Value| parse_event(json.to_string().as_bytes(), "PLN");
        assert_eq!(
            ev(
                serde_json::json!({"type": "purchase.completed", "timestamp": "2026-11-23T10:00:00Z",
                "data": {"order_id": " A-1 ", "member": {"email": " Ola@Example.COM "}, "amount_minor": 4550, "currency": "PLN",
                         "items": [{"sku": "LATTE ", "quantity": 2, "name": "Latte", "price_minor": 1400}]}})
            ),
            Ok(Event::Completed {
                order_id: "A-1".into(),
                member: Lookup::Email("ola@example.com".into()),
                amount_minor: 4550,
                items: vec![Item {
                    sku: "LATTE".into(),
                    quantity: 2
                }],
                occurred_at: Some(1_795_428_000_000),
                redemptions: Vec::new(),
            })
        );
        for (items, field) in [
            (
                serde_json::json!([{"sku": "", "quantity": 1}]),
                "data.items[].sku",
            ),
            (
                serde_json::json!([{"sku": "A", "quantity": 0}]),
                "data.items[].quantity",
            ),
        ] {
            let err = ev(serde_json::json!({"type": "purchase.completed",
                "data": {"order_id": "A", "member": {"email": "a@b.co"}, "amount_minor": 5, "items": items}}))
            .unwrap_err();
            assert_eq!(err.field, field);
        }
        assert_eq!(
            ev(
                serde_json::json!({"type": "purchase.refunded", "data": {"order_id": "A-1", "amount_minor": 100}})
            ),
            Ok(Event::Refunded {
                order_id: "A-1".into(),
                amount_minor: 100
            })
        );
        for (bad_json, field) in [
            (
                serde_json::json!({"type": "purchase.voided", "data": {}}),
                "type",
            ),
            (
                serde_json::json!({"type": "purchase.completed", "data": {"order_id": "A", "member": {"email": "x@y.z"}, "amount_minor": 0}}),
                "data.amount_minor",
            ),
            (
                serde_json::json!({"type": "purchase.completed", "data": {"order_id": "A", "member": {"email": "x@y.z"}, "amount_minor": 9_007_199_254_740_993i64}}),
                "data.amount_minor",
            ),
            (
                serde_json::json!({"type": "purchase.completed", "data": {"order_id": "A", "member": {"email": "x@y.z", "phone": "+48 600 100 200"}, "amount_minor": 5}}),
                "data.member",
            ),
            (
                serde_json::json!({"type": "purchase.completed", "data": {"order_id": "", "member": {"phone": "+48 600 100 200"}, "amount_minor": 5}}),
                "data.order_id",
            ),
            (
                serde_json::json!({"type": "purchase.completed", "data": {"order_id": "A", "member": {"phone": "call me"}, "amount_minor": 5}}),
                "data.member.phone",
            ),
            (
                serde_json::json!({"type": "purchase.refunded", "data": {"order_id": "A", "amount_minor": 5, "currency": "EUR"}}),
                "data.currency",
            ),
            (
                serde_json::json!({"type": "purchase.refunded", "data": {"order_id": "A", "amount_minor": -5}}),
                "data.amount_minor",
            ),
        ] {
            assert_eq!(ev(bad_json.clone()).unwrap_err().field, field, "{bad_json}");
        }
        assert_eq!(parse_event(b"{not json", "PLN").unwrap_err().field, "body");
        assert_eq!(
            normalise_phone("+48 (600) 100-200").as_deref(),
            Some("+48600100200")
        );
        assert_eq!(normalise_email("a@b"), None);
    }

    #[test]
    fn refunds_take_back_points_in_proportion_and_never_more() {
        assert_eq!(refund_points(45, 4550, 0, 4550), (45, 4550));
        assert_eq!(refund_points(45, 4550, 0, 2275), (22, 2275));
        assert_eq!(refund_points(45, 4550, 2275, 2275), (23, 4550));
        assert_eq!(
            refund_points(45, 4550, 4550, 100),
            (0, 4550),
            "a refund past the total takes nothing"
        );
        assert_eq!(refund_points(45, 4550, 0, 10_000), (45, 4550));
    }

    proptest! {
        #[test]
        fn partial_refunds_add_up_to_a_full_one(
            points in 0i64..1_000_000, amount in 1i64..10_000_000,
            parts in proptest::collection::vec(1i64..5_000_000, 1..12),
        ) {
            let (mut refunded, mut reversed) = (0, 0);
            for p in parts {
                let (take, after) = refund_points(points, amount, refunded, p);
                prop_assert!(take >= 0);
                reversed += take;
                refunded = after;
            }
            let (rest, _) = refund_points(points, amount, refunded, amount);
            prop_assert_eq!(reversed + rest, points);
            prop_assert!(reversed <= points);
        }
    }
}
