//! Web Push, the pure parts: the subscription a browser gives us (and which push services we
//! send to), the message encryption of RFC 8291 (`aes128gcm`, RFC 8188) around the two steps
//! that need a cipher, and the VAPID token of RFC 8292 around its signature.
//!
//! The elliptic-curve agreement, AES-GCM and ECDSA run in the platform's Web Crypto
//! (`shell::webpush`); everything else is here, tested natively against RFC 8291's worked
//! example (Appendix A).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;

use super::keys::mac;
use super::messages::{Class, Kind};

/// The record size we declare (one record carries the whole message).
pub const RECORD_SIZE: u32 = 4096;
/// The most a push message body may be (push services refuse more than 4096 octets): the
/// 86-octet header, the payload, its delimiter and the 16-octet tag.
pub const MAX_BODY: usize = 4096;
/// The most payload we put in one message.
pub const MAX_PAYLOAD: usize = MAX_BODY - 86 - 1 - 16;

/// A browser's push subscription, as the card's script posts it (`PushSubscription.toJSON()`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub endpoint: String,
    /// The browser's P-256 public key, uncompressed (65 octets, first 0x04).
    pub p256dh: [u8; 65],
    /// The browser's 16-octet authentication secret.
    pub auth: [u8; 16],
}

impl Subscription {
    pub fn p256dh_b64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.p256dh)
    }

    pub fn auth_b64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.auth)
    }
}

#[derive(Deserialize)]
struct SubscriptionJson {
    endpoint: String,
    keys: KeysJson,
}

#[derive(Deserialize)]
struct KeysJson {
    p256dh: String,
    auth: String,
}

/// Longest endpoint accepted.
const MAX_ENDPOINT: usize = 1024;

/// The push services browsers use, by host: Chrome/Edge/Android (FCM), Firefox (Mozilla
/// autopush), Safari (Apple), Windows (WNS). An endpoint anywhere else is refused: it is a URL
/// the browser gave us, and we would POST to it.
const PUSH_HOSTS: [&str; 5] = [
    "fcm.googleapis.com",
    "android.googleapis.com",
    "updates.push.services.mozilla.com",
    "push.services.mozilla.com",
    "web.push.apple.com",
];
/// Suffixes of push service hosts with many names.
const PUSH_SUFFIXES: [&str; 2] = [".push.apple.com", ".notify.windows.com"];

/// Checks that `endpoint` is an https URL of a known push service, or (only when
/// `allow_loopback`, a local or test deployment) an http URL on this machine.
pub fn check_endpoint(endpoint: &str, allow_loopback: bool) -> Result<(), String> {
    if endpoint.len() > MAX_ENDPOINT
        || endpoint
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return Err("the endpoint is not a URL we can use".into());
    }
    let (scheme, rest) = endpoint
        .split_once("://")
        .ok_or_else(|| "the endpoint is not a URL".to_string())?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') || authority.is_empty() {
        return Err("the endpoint is not a URL we can use".into());
    }
    let host = authority
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(authority, |(h, _)| h)
        .to_ascii_lowercase();
    let loopback = matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]");
    match scheme {
        "https"
            if PUSH_HOSTS.contains(&host.as_str())
                || PUSH_SUFFIXES.iter().any(|s| host.ends_with(s)) =>
        {
            Ok(())
        }
        "http" | "https" if loopback && allow_loopback => Ok(()),
        _ => Err("the endpoint is not one of the browsers' push services".into()),
    }
}

/// Reads a subscription as the card's script posts it, checking the endpoint and the keys.
pub fn parse_subscription(json: &[u8], allow_loopback: bool) -> Result<Subscription, String> {
    if json.len() > 4096 {
        return Err("the subscription is too long".into());
    }
    let s: SubscriptionJson =
        serde_json::from_slice(json).map_err(|_| "the subscription is not one we can read")?;
    check_endpoint(&s.endpoint, allow_loopback)?;
    let decode = |v: &str| URL_SAFE_NO_PAD.decode(v.trim_end_matches('='));
    let p256dh: [u8; 65] = decode(&s.keys.p256dh)
        .ok()
        .and_then(|b| b.try_into().ok())
        .filter(|b: &[u8; 65]| b[0] == 4)
        .ok_or("the subscription's p256dh key is not a P-256 public key")?;
    let auth: [u8; 16] = decode(&s.keys.auth)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or("the subscription's auth secret is not 16 octets")?;
    Ok(Subscription {
        endpoint: s.endpoint,
        p256dh,
        auth,
    })
}

/// HKDF-SHA-256 extract (RFC 5869).
pub fn hkdf_extract(salt: &[u8], ikm: &[u8]) -> [u8; 32] {
    mac(salt, &[ikm])
}

/// HKDF-SHA-256 expand to at most 32 octets (one block is all Web Push needs).
pub fn hkdf_expand(prk: &[u8; 32], info: &[u8], len: usize) -> Vec<u8> {
    mac(prk, &[info, &[1]]).into_iter().take(len).collect()
}

/// The content key and nonce of one message (RFC 8291 §3.4, RFC 8188 §2.2–2.3), from the ECDH
/// secret shared with the browser, its auth secret, both public keys and the salt.
pub fn content_keys(
    ecdh_secret: &[u8],
    auth: &[u8; 16],
    ua_public: &[u8; 65],
    as_public: &[u8; 65],
    salt: &[u8; 16],
) -> ([u8; 16], [u8; 12]) {
    let prk_key = hkdf_extract(auth, ecdh_secret);
    let mut key_info = Vec::with_capacity(144);
    key_info.extend_from_slice(b"WebPush: info\0");
    key_info.extend_from_slice(ua_public);
    key_info.extend_from_slice(as_public);
    let ikm = hkdf_expand(&prk_key, &key_info, 32);
    let prk = hkdf_extract(salt, &ikm);
    let mut cek = [0u8; 16];
    cek.copy_from_slice(&hkdf_expand(&prk, b"Content-Encoding: aes128gcm\0", 16));
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&hkdf_expand(&prk, b"Content-Encoding: nonce\0", 12));
    (cek, nonce)
}

/// The one record's plaintext: the payload and the last-record delimiter (no padding).
pub fn record(payload: &[u8]) -> Vec<u8> {
    let mut r = Vec::with_capacity(payload.len() + 1);
    r.extend_from_slice(payload);
    r.push(2);
    r
}

/// The message body: the `aes128gcm` header (salt, record size, the sender's key) and the
/// sealed record (ciphertext with its tag).
pub fn body(salt: &[u8; 16], as_public: &[u8; 65], sealed: &[u8]) -> Vec<u8> {
    let mut b = Vec::with_capacity(86 + sealed.len());
    b.extend_from_slice(salt);
    b.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    b.push(65);
    b.extend_from_slice(as_public);
    b.extend_from_slice(sealed);
    b
}

/// Encrypts `payload` for a browser: RFC 8291 with `seal` doing AES-128-GCM (key, nonce,
/// plaintext → ciphertext and tag). The caller brings the ECDH secret and a random salt.
pub fn encrypt(
    ecdh_secret: &[u8],
    sub: &Subscription,
    as_public: &[u8; 65],
    salt: &[u8; 16],
    payload: &[u8],
    seal: impl FnOnce(&[u8; 16], &[u8; 12], &[u8]) -> Vec<u8>,
) -> Vec<u8> {
    let (cek, nonce) = content_keys(ecdh_secret, &sub.auth, &sub.p256dh, as_public, salt);
    body(salt, as_public, &seal(&cek, &nonce, &record(payload)))
}

/// The audience of a VAPID token: the endpoint's origin (RFC 8292 §2).
pub fn audience(endpoint: &str) -> Option<String> {
    let (scheme, rest) = endpoint.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty()).then(|| format!("{scheme}://{authority}"))
}

/// The signing input of a VAPID JWT (ES256) for `aud`, valid until `exp` (Unix seconds),
/// naming the operator's contact `sub`.
pub fn vapid_signing_input(aud: &str, exp: i64, sub: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
    let claims = serde_json::json!({ "aud": aud, "exp": exp, "sub": sub });
    format!("{header}.{}", URL_SAFE_NO_PAD.encode(claims.to_string()))
}

/// The `Authorization` header of RFC 8292: the token (signing input and its 64-octet raw
/// signature) and the public key.
pub fn vapid_authorization(signing_input: &str, signature: &[u8], public: &[u8; 65]) -> String {
    format!(
        "vapid t={signing_input}.{}, k={}",
        URL_SAFE_NO_PAD.encode(signature),
        URL_SAFE_NO_PAD.encode(public)
    )
}

/// The operator's VAPID key, as a JWK of a P-256 private key (`VAPID_KEY`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct VapidJwk {
    pub kty: String,
    pub crv: String,
    pub d: String,
    pub x: String,
    pub y: String,
}

impl VapidJwk {
    /// Reads and checks the key; its public key, uncompressed.
    pub fn parse(json: &str) -> Result<(VapidJwk, [u8; 65]), String> {
        let jwk: VapidJwk = serde_json::from_str(json.trim())
            .map_err(|_| "VAPID_KEY is not a JWK of a P-256 private key")?;
        if jwk.kty != "EC" || jwk.crv != "P-256" {
            return Err("VAPID_KEY must be an EC key on P-256".into());
        }
        let part = |v: &str| -> Result<Vec<u8>, String> {
            URL_SAFE_NO_PAD
                .decode(v)
                .ok()
                .filter(|b| b.len() == 32)
                .ok_or_else(|| "VAPID_KEY's d, x and y must be 32 octets each".to_string())
        };
        part(&jwk.d)?;
        let mut public = [4u8; 65];
        public[1..33].copy_from_slice(&part(&jwk.x)?);
        public[33..].copy_from_slice(&part(&jwk.y)?);
        Ok((jwk, public))
    }
}

/// How long a push service keeps a message for an offline phone, how urgent it is, and the
/// topic under which a newer message replaces an older one not yet delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub ttl_secs: u32,
    pub urgency: &'static str,
    pub topic: Option<&'static str>,
}

/// The delivery of each kind: a balance update is news for a day and the newest replaces the
/// rest; a confirmation matters now; offers can wait (low urgency spares the battery).
pub fn delivery(kind: Kind) -> Delivery {
    let d = |ttl_secs, urgency, topic| Delivery {
        ttl_secs,
        urgency,
        topic,
    };
    match kind {
        Kind::BalanceUpdate => d(86_400, "normal", Some("balance")),
        Kind::RedemptionConfirmed => d(3_600, "high", None),
        Kind::PointsExpiring | Kind::RewardExpiring => d(3 * 86_400, "normal", Some("expiry")),
        k if k.class() == Class::Marketing => d(3 * 86_400, "low", None),
        Kind::Sequence => d(3 * 86_400, "low", None),
        _ => d(3 * 86_400, "normal", None),
    }
}

/// The notification the card's service worker shows: title, body, where a tap leads, the
/// merchant's icon, and the token it reports a tap with. Text is cut so the whole fits.
pub fn notification(title: &str, text: &str, url: &str, icon: &str, token: &str) -> Vec<u8> {
    let cut = |s: &str, n: usize| -> String {
        if s.chars().count() <= n {
            s.to_string()
        } else {
            let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
            t.push('…');
            t
        }
    };
    let mut limit = 1000;
    loop {
        let json = serde_json::json!({
            "title": cut(title, 120),
            "body": cut(text, limit),
            "url": url,
            "icon": icon,
            "token": token,
        })
        .to_string();
        if json.len() <= MAX_PAYLOAD || limit <= 10 {
            return json.into_bytes();
        }
        limit /= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> Vec<u8> {
        URL_SAFE_NO_PAD.decode(s).unwrap()
    }

    // RFC 8291 Appendix A.
    const UA_PUBLIC: &str =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const AS_PUBLIC: &str =
        "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";
    const SALT: &str = "DGv6ra1nlYgDCS1FRnbzlw";
    const ECDH_SECRET: &str = "kyrL1jIIOHEzg3sM2ZWRHDRB62YACZhhSlknJ672kSs";
    const BODY: &str = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    fn rfc_subscription() -> Subscription {
        let json = format!(
            r#"{{"endpoint":"https://push.example.net/push/JzLQ3raZJfFBR0aqvOMsLrt54w4rJUsV","expirationTime":null,"keys":{{"p256dh":"{UA_PUBLIC}","auth":"{AUTH}"}}}}"#
        );
        // push.example.net is not a push service: only the loopback switch is off, so read
        // the keys the long way round.
        assert!(parse_subscription(json.as_bytes(), false).is_err());
        Subscription {
            endpoint: "https://push.example.net/".into(),
            p256dh: b64(UA_PUBLIC).try_into().unwrap(),
            auth: b64(AUTH).try_into().unwrap(),
        }
    }

    #[test]
    fn the_key_schedule_matches_rfc_8291_appendix_a() {
        let sub = rfc_subscription();
        let as_public: [u8; 65] = b64(AS_PUBLIC).try_into().unwrap();
        let salt: [u8; 16] = b64(SALT).try_into().unwrap();
        let prk_key = hkdf_extract(&sub.auth, &b64(ECDH_SECRET));
        assert_eq!(
            URL_SAFE_NO_PAD.encode(prk_key),
            "Snr3JMxaHVDXHWJn5wdC52WjpCtd2EIEGBykDcZW32k"
        );
        let (cek, nonce) =
            content_keys(&b64(ECDH_SECRET), &sub.auth, &sub.p256dh, &as_public, &salt);
        assert_eq!(URL_SAFE_NO_PAD.encode(cek), "oIhVW04MRdy2XN9CiKLxTg");
        assert_eq!(URL_SAFE_NO_PAD.encode(nonce), "4h_95klXJ5E_qnoN");
    }

    #[test]
    fn the_whole_message_matches_rfc_8291_appendix_a() {
        use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_128_GCM};
        let sub = rfc_subscription();
        let as_public: [u8; 65] = b64(AS_PUBLIC).try_into().unwrap();
        let salt: [u8; 16] = b64(SALT).try_into().unwrap();
        let body = encrypt(
            &b64(ECDH_SECRET),
            &sub,
            &as_public,
            &salt,
            b"When I grow up, I want to be a watermelon",
            |cek, nonce, plain| {
                let key = LessSafeKey::new(UnboundKey::new(&AES_128_GCM, cek).unwrap());
                let mut out = plain.to_vec();
                key.seal_in_place_append_tag(
                    Nonce::assume_unique_for_key(*nonce),
                    Aad::empty(),
                    &mut out,
                )
                .unwrap();
                out
            },
        );
        assert_eq!(URL_SAFE_NO_PAD.encode(body), BODY);
    }

    #[test]
    fn only_push_services_are_endpoints_and_loopback_only_when_allowed() {
        for ok in [
            "https://fcm.googleapis.com/fcm/send/abc",
            "https://updates.push.services.mozilla.com/wpush/v2/x",
            "https://web.push.apple.com/QO",
            "https://db5p.notify.windows.com/w/?token=1",
        ] {
            assert_eq!(check_endpoint(ok, false), Ok(()), "{ok}");
        }
        for bad in [
            "http://fcm.googleapis.com/fcm/send/abc",
            "https://fcm.googleapis.com.evil.example/x",
            "https://evil.example/fcm.googleapis.com",
            "https://user@fcm.googleapis.com/x",
            "http://127.0.0.1:8090/notify/x",
            "http://169.254.169.254/latest",
            "file:///etc/passwd",
        ] {
            assert!(check_endpoint(bad, false).is_err(), "{bad}");
        }
        assert_eq!(
            check_endpoint("http://localhost:8090/notify/x", true),
            Ok(())
        );
        assert!(check_endpoint("http://10.0.0.1/notify/x", true).is_err());
    }

    #[test]
    fn a_subscription_is_read_with_its_keys_checked() {
        let good = format!(
            r#"{{"endpoint":"http://localhost:8090/notify/ab","expirationTime":null,"keys":{{"p256dh":"{UA_PUBLIC}","auth":"{AUTH}"}}}}"#
        );
        let sub = parse_subscription(good.as_bytes(), true).unwrap();
        assert_eq!(sub.p256dh_b64(), UA_PUBLIC);
        assert_eq!(sub.auth_b64(), AUTH);
        for bad in [
            good.replace(AUTH, "AAAA"),
            good.replace(UA_PUBLIC, &AS_PUBLIC.replacen('B', "C", 1)),
            good.replace("\"keys\"", "\"kees\""),
            "null".to_string(),
        ] {
            assert!(parse_subscription(bad.as_bytes(), true).is_err(), "{bad}");
        }
    }

    #[test]
    fn vapid_tokens_have_the_rfc_8292_shape() {
        let input = vapid_signing_input(
            "https://fcm.googleapis.com",
            1_800_000_000,
            "mailto:ops@x.example",
        );
        let (h, c) = input.split_once('.').unwrap();
        assert_eq!(b64(h), br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims: serde_json::Value = serde_json::from_slice(&b64(c)).unwrap();
        assert_eq!(claims["aud"], "https://fcm.googleapis.com");
        assert_eq!(claims["exp"], 1_800_000_000);
        let public: [u8; 65] = b64(AS_PUBLIC).try_into().unwrap();
        let auth = vapid_authorization(&input, &[7u8; 64], &public);
        assert!(auth.starts_with(&format!("vapid t={input}.")));
        assert!(auth.ends_with(&format!(", k={AS_PUBLIC}")));
        assert_eq!(
            audience("https://fcm.googleapis.com/fcm/send/x?y").as_deref(),
            Some("https://fcm.googleapis.com")
        );
    }

    #[test]
    fn the_vapid_key_is_a_p256_jwk() {
        let x = URL_SAFE_NO_PAD.encode([1u8; 32]);
        let jwk = format!(r#"{{"kty":"EC","crv":"P-256","d":"{x}","x":"{x}","y":"{x}"}}"#);
        let (_, public) = VapidJwk::parse(&jwk).unwrap();
        assert_eq!(public[0], 4);
        assert!(VapidJwk::parse(&jwk.replace("P-256", "P-384")).is_err());
        assert!(VapidJwk::parse("nope").is_err());
    }

    #[test]
    fn a_notification_always_fits_in_one_message() {
        let long = "ż".repeat(5000);
        let n = notification(&long, &long, "/c/1", "/c/1/icon.svg", "t");
        assert!(n.len() <= MAX_PAYLOAD);
        let v: serde_json::Value = serde_json::from_slice(&n).unwrap();
        assert!(v["body"].as_str().unwrap().ends_with('…'));
        assert_eq!(delivery(Kind::BalanceUpdate).topic, Some("balance"));
        assert_eq!(delivery(Kind::Campaign).urgency, "low");
    }
}
