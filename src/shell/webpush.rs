//! Web Push through the platform's Web Crypto: a fresh ECDH P-256 key per message, AES-128-GCM
//! for the record, ECDSA P-256 for the VAPID token. The byte layout and key schedule are
//! `domain::push` (tested against RFC 8291's worked example); this module only calls
//! `crypto.subtle`, so the cryptography adds no wasm.

use worker::js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use worker::wasm_bindgen::JsValue;
use worker::wasm_bindgen_futures::JsFuture;

use super::app::random;
use super::error::AppError;
use super::kdf::{js_error, method, subtle};
use crate::domain::push::{self, Subscription, VapidJwk};

/// The operator's VAPID key, imported once per request that sends.
pub struct Vapid {
    jwk: VapidJwk,
    pub public: [u8; 65],
    /// The contact in every token (`mailto:` or `https:`).
    pub subject: String,
}

impl Vapid {
    /// Reads `VAPID_KEY` (a JWK) and the contact; `None` when push is not set up.
    pub fn read(key: Option<String>, subject: String) -> Result<Option<Vapid>, AppError> {
        let Some(key) = key.filter(|k| !k.trim().is_empty()) else {
            return Ok(None);
        };
        let (jwk, public) = VapidJwk::parse(&key).map_err(AppError::internal)?;
        Ok(Some(Vapid {
            jwk,
            public,
            subject,
        }))
    }
}

fn object(entries: &[(&str, JsValue)]) -> Result<JsValue, AppError> {
    let o = Object::new();
    for (k, v) in entries {
        Reflect::set(&o, &JsValue::from_str(k), v).map_err(js_error("params"))?;
    }
    Ok(o.into())
}

async fn call(name: &str, args: &Array) -> Result<JsValue, AppError> {
    let subtle = subtle()?;
    let p = method(&subtle, name)?
        .apply(&subtle, args)
        .map_err(js_error(name))?;
    JsFuture::from(Promise::from(p))
        .await
        .map_err(js_error(name))
}

fn args(items: &[&JsValue]) -> Array {
    let a = Array::new();
    for i in items {
        a.push(i);
    }
    a
}

fn usages(u: &[&str]) -> Array {
    let a = Array::new();
    for x in u {
        a.push(&JsValue::from_str(x));
    }
    a
}

fn ec(name: &str) -> Result<JsValue, AppError> {
    object(&[
        ("name", JsValue::from_str(name)),
        ("namedCurve", JsValue::from_str("P-256")),
    ])
}

/// Signs `data` with the VAPID key: ES256, the 64-octet raw signature JWS wants.
async fn sign(vapid: &Vapid, data: &[u8]) -> Result<Vec<u8>, AppError> {
    let jwk = object(&[
        ("kty", JsValue::from_str("EC")),
        ("crv", JsValue::from_str("P-256")),
        ("d", JsValue::from_str(&vapid.jwk.d)),
        ("x", JsValue::from_str(&vapid.jwk.x)),
        ("y", JsValue::from_str(&vapid.jwk.y)),
        ("ext", JsValue::TRUE),
    ])?;
    let key = call(
        "importKey",
        &args(&[
            &JsValue::from_str("jwk"),
            &jwk,
            &ec("ECDSA")?,
            &JsValue::FALSE,
            &usages(&["sign"]),
        ]),
    )
    .await?;
    let algorithm = object(&[
        ("name", JsValue::from_str("ECDSA")),
        ("hash", JsValue::from_str("SHA-256")),
    ])?;
    let sig = call("sign", &args(&[&algorithm, &key, &Uint8Array::from(data)])).await?;
    Ok(Uint8Array::new(&sig).to_vec())
}

/// Encrypts `payload` for `sub` (RFC 8291): a fresh key pair, the shared secret with the
/// browser's key, then AES-128-GCM under the derived key.
async fn encrypt(sub: &Subscription, payload: &[u8]) -> Result<Vec<u8>, AppError> {
    let pair = call(
        "generateKey",
        &args(&[&ec("ECDH")?, &JsValue::TRUE, &usages(&["deriveBits"])]),
    )
    .await?;
    let get = |k: &str| Reflect::get(&pair, &JsValue::from_str(k)).map_err(js_error(k));
    let (private, public) = (get("privateKey")?, get("publicKey")?);
    let raw = call("exportKey", &args(&[&JsValue::from_str("raw"), &public])).await?;
    let as_public: [u8; 65] = Uint8Array::new(&raw)
        .to_vec()
        .try_into()
        .map_err(|_| AppError::internal("exported ECDH key is not 65 octets"))?;
    let theirs = call(
        "importKey",
        &args(&[
            &JsValue::from_str("raw"),
            &Uint8Array::from(&sub.p256dh[..]),
            &ec("ECDH")?,
            &JsValue::FALSE,
            &Array::new(),
        ]),
    )
    .await?;
    let derive = object(&[("name", JsValue::from_str("ECDH")), ("public", theirs)])?;
    let bits = call(
        "deriveBits",
        &args(&[&derive, &private, &JsValue::from(256)]),
    )
    .await?;
    let secret = Uint8Array::new(&bits).to_vec();
    let salt = random::<16>()?;
    let (cek, nonce) = push::content_keys(&secret, &sub.auth, &sub.p256dh, &as_public, &salt);
    let key = call(
        "importKey",
        &args(&[
            &JsValue::from_str("raw"),
            &Uint8Array::from(&cek[..]),
            &JsValue::from_str("AES-GCM"),
            &JsValue::FALSE,
            &usages(&["encrypt"]),
        ]),
    )
    .await?;
    let gcm = object(&[
        ("name", JsValue::from_str("AES-GCM")),
        ("iv", Uint8Array::from(&nonce[..]).into()),
    ])?;
    let sealed = call(
        "encrypt",
        &args(&[&gcm, &key, &Uint8Array::from(&push::record(payload)[..])]),
    )
    .await?;
    Ok(push::body(
        &salt,
        &as_public,
        &Uint8Array::new(&sealed).to_vec(),
    ))
}

/// One push message ready to POST: the body and its headers.
pub struct Prepared {
    pub body: Vec<u8>,
    pub headers: Vec<(&'static str, String)>,
}

/// Encrypts and signs one message for `sub`, valid for VAPID until `now_secs` + 12 h.
pub async fn prepare(
    vapid: &Vapid,
    sub: &Subscription,
    payload: &[u8],
    delivery: push::Delivery,
    now_secs: i64,
) -> Result<Prepared, AppError> {
    let aud = push::audience(&sub.endpoint)
        .ok_or_else(|| AppError::internal("push endpoint without an origin"))?;
    let input = push::vapid_signing_input(&aud, now_secs + 12 * 3600, &vapid.subject);
    let signature = sign(vapid, input.as_bytes()).await?;
    let body = encrypt(sub, payload).await?;
    let mut headers = vec![
        (
            "authorization",
            push::vapid_authorization(&input, &signature, &vapid.public),
        ),
        ("content-encoding", "aes128gcm".to_string()),
        ("content-type", "application/octet-stream".to_string()),
        ("ttl", delivery.ttl_secs.to_string()),
        ("urgency", delivery.urgency.to_string()),
    ];
    if let Some(topic) = delivery.topic {
        headers.push(("topic", topic.to_string()));
    }
    Ok(Prepared { body, headers })
}
