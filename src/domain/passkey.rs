//! Passkeys (WebAuthn, ES256) as a second way into the console: the checks that need no
//! cryptography of their own. The signature itself is verified by the platform's Web Crypto
//! (`shell::webauthn`).
//!
//! A challenge is stateless: 16 random bytes, the end of its validity and a tag (HMAC-SHA256
//! under the session key over its purpose, its subject and those bytes), base64url. A used
//! sign-in challenge is recorded, so an assertion is accepted once.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::keys::{mac, verify_truncated, SessionKey};

/// How long a page's challenge may be answered, in ms.
pub const CHALLENGE_MS: i64 = 5 * 60_000;
/// Passkeys one person may have.
pub const MAX_PER_PERSON: usize = 10;
const TAG_BYTES: usize = 16;

/// What a challenge is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Adding a passkey to the account of its subject (a person id).
    Register,
    /// Signing in (no subject: the passkey names its person).
    SignIn,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::Register => b"webauthn-register\0",
            Purpose::SignIn => b"webauthn-signin\0",
        }
    }

    /// The `type` the browser writes into its client data for this purpose.
    pub fn client_type(self) -> &'static str {
        match self {
            Purpose::Register => "webauthn.create",
            Purpose::SignIn => "webauthn.get",
        }
    }
}

fn parts<'a>(purpose: Purpose, subject: &'a str, body: &'a [u8]) -> [&'a [u8]; 4] {
    [purpose.label(), subject.as_bytes(), b"\0", body]
}

/// Writes a challenge from 16 random bytes, valid until `expires_at` (ms).
pub fn challenge(
    key: &SessionKey,
    purpose: Purpose,
    subject: &str,
    nonce: &[u8; 16],
    expires_at: i64,
) -> String {
    let mut body = nonce.to_vec();
    body.extend_from_slice(&expires_at.to_be_bytes());
    let tag = mac(&key.0, &parts(purpose, subject, &body));
    body.extend_from_slice(tag.get(..TAG_BYTES).unwrap_or_default());
    URL_SAFE_NO_PAD.encode(body)
}

/// Reads a challenge at `now`: its nonce (hex), if the tag is right for this purpose and
/// subject and it has not expired.
pub fn read_challenge(
    key: &SessionKey,
    purpose: Purpose,
    subject: &str,
    value: &str,
    now: i64,
) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(value).ok()?;
    if bytes.len() != 16 + 8 + TAG_BYTES {
        return None;
    }
    let (body, tag) = bytes.split_at(24);
    let expires_at = i64::from_be_bytes(body.get(16..24)?.try_into().ok()?);
    let ok = verify_truncated(&key.0, &parts(purpose, subject, body), tag) && now < expires_at;
    ok.then(|| super::ids::to_hex(body.get(..16).unwrap_or_default()))
}

/// What is wrong with a browser's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not base64url, or the client data is not the JSON WebAuthn writes.
    Malformed,
    /// The client data is for another purpose, challenge or origin.
    WrongClientData,
    /// The authenticator data is for another site, or the person was not present and verified.
    WrongAuthenticatorData,
    /// The registration's credential id differs from the one in the authenticator data.
    WrongCredential,
    /// The signature count did not move forward: a cloned authenticator.
    Replayed,
}

#[derive(Deserialize)]
struct ClientData {
    #[serde(rename = "type")]
    kind: String,
    challenge: String,
    origin: String,
    #[serde(default, rename = "crossOrigin")]
    cross_origin: bool,
}

/// Decodes a base64url field of the browser's answer.
pub fn decode(field: &str) -> Result<Vec<u8>, Refusal> {
    URL_SAFE_NO_PAD
        .decode(field.trim_end_matches('='))
        .map_err(|_| Refusal::Malformed)
}

/// Checks the client data JSON: the purpose's type, this challenge, this origin, not framed.
pub fn check_client_data(
    json: &[u8],
    purpose: Purpose,
    challenge: &str,
    origin: &str,
) -> Result<(), Refusal> {
    let data: ClientData = serde_json::from_slice(json).map_err(|_| Refusal::Malformed)?;
    let ok = data.kind == purpose.client_type()
        && data.challenge == challenge
        && data.origin == origin
        && !data.cross_origin;
    ok.then_some(()).ok_or(Refusal::WrongClientData)
}

/// The authenticator data's parts we read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthData {
    pub sign_count: u32,
    /// The credential id of a registration (attested credential data).
    pub credential_id: Option<Vec<u8>>,
}

const USER_PRESENT: u8 = 0x01;
const USER_VERIFIED: u8 = 0x04;
const ATTESTED: u8 = 0x40;

/// Checks authenticator data: for `rp_id`, the person present and verified, and (for a
/// registration) the attested credential's id.
pub fn check_auth_data(bytes: &[u8], rp_id: &str, purpose: Purpose) -> Result<AuthData, Refusal> {
    let wrong = Refusal::WrongAuthenticatorData;
    let rp_hash = bytes.get(..32).ok_or(Refusal::Malformed)?;
    let flags = *bytes.get(32).ok_or(Refusal::Malformed)?;
    let count: [u8; 4] = bytes
        .get(33..37)
        .and_then(|c| c.try_into().ok())
        .ok_or(Refusal::Malformed)?;
    if rp_hash != Sha256::digest(rp_id.as_bytes()).as_slice()
        || flags & USER_PRESENT == 0
        || flags & USER_VERIFIED == 0
    {
        return Err(wrong);
    }
    let credential_id = match purpose {
        Purpose::SignIn => None,
        Purpose::Register => {
            if flags & ATTESTED == 0 {
                return Err(wrong);
            }
            // aaguid (16 bytes), then the id's length (2 bytes, big-endian) and the id.
            let len = bytes
                .get(53..55)
                .and_then(|l| <[u8; 2]>::try_from(l).ok())
                .map(|l| usize::from(u16::from_be_bytes(l)))
                .ok_or(Refusal::Malformed)?;
            Some(bytes.get(55..55 + len).ok_or(Refusal::Malformed)?.to_vec())
        }
    };
    Ok(AuthData {
        sign_count: u32::from_be_bytes(count),
        credential_id,
    })
}

/// Checks a sign-in's signature count against the stored one: both zero (an authenticator that
/// does not count, as synced passkeys do), or moving forward.
pub fn check_count(stored: u32, now: u32) -> Result<(), Refusal> {
    (now > stored || (now == 0 && stored == 0))
        .then_some(())
        .ok_or(Refusal::Replayed)
}

/// What a signature covers: the authenticator data and the SHA-256 of the client data.
pub fn signed_bytes(auth_data: &[u8], client_data: &[u8]) -> Vec<u8> {
    let mut out = auth_data.to_vec();
    out.extend_from_slice(&Sha256::digest(client_data));
    out
}

/// Turns an ASN.1 DER ECDSA signature (what authenticators write) into the 64 bytes r || s
/// that Web Crypto verifies.
pub fn der_to_raw(der: &[u8]) -> Option<[u8; 64]> {
    fn integer(input: &[u8]) -> Option<(&[u8], &[u8])> {
        let (&tag, rest) = input.split_first()?;
        let (&len, rest) = rest.split_first()?;
        let len = usize::from(len);
        if tag != 0x02 || len == 0 || len > 33 || rest.len() < len {
            return None;
        }
        let (value, rest) = rest.split_at(len);
        let value = match value {
            [0, tail @ ..] if len == 33 => tail,
            v if len <= 32 => v,
            _ => return None,
        };
        Some((value, rest))
    }
    let (&seq, rest) = der.split_first()?;
    let (&len, body) = rest.split_first()?;
    if seq != 0x30 || usize::from(len) != body.len() {
        return None;
    }
    let (r, rest) = integer(body)?;
    let (s, rest) = integer(rest)?;
    if !rest.is_empty() {
        return None;
    }
    let mut raw = [0u8; 64];
    raw.get_mut(32 - r.len()..32)?.copy_from_slice(r);
    raw.get_mut(64 - s.len()..64)?.copy_from_slice(s);
    Some(raw)
}

/// Reads a passkey's name as typed: trimmed, 1 to 40 characters, no control characters; empty
/// becomes the device's description.
pub fn name(typed: &str, device: &str) -> String {
    let t = typed.trim();
    let chosen = if t.is_empty() { device } else { t };
    chosen
        .chars()
        .filter(|c| !c.is_control())
        .take(40)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: SessionKey = SessionKey([9; 32]);

    #[test]
    fn a_challenge_reads_back_for_its_purpose_subject_and_time_only() {
        let c = challenge(&KEY, Purpose::Register, "p1", &[7; 16], 1_000);
        assert_eq!(
            read_challenge(&KEY, Purpose::Register, "p1", &c, 999),
            Some("07".repeat(16))
        );
        assert_eq!(
            read_challenge(&KEY, Purpose::Register, "p1", &c, 1_000),
            None
        );
        assert_eq!(read_challenge(&KEY, Purpose::Register, "p2", &c, 10), None);
        assert_eq!(read_challenge(&KEY, Purpose::SignIn, "p1", &c, 10), None);
        assert_eq!(
            read_challenge(&SessionKey([8; 32]), Purpose::Register, "p1", &c, 10),
            None
        );
        let mut forged = decode(&c).unwrap();
        forged[17] ^= 1; // a later expiry
        let forged = URL_SAFE_NO_PAD.encode(forged);
        assert_eq!(
            read_challenge(&KEY, Purpose::Register, "p1", &forged, 10),
            None
        );
        assert_eq!(
            read_challenge(&KEY, Purpose::Register, "p1", "short", 10),
            None
        );
    }

    fn client(kind: &str, challenge: &str, origin: &str) -> Vec<u8> {
        format!(r#"{{"type":"{kind}","challenge":"{challenge}","origin":"{origin}","crossOrigin":false}}"#)
            .into_bytes()
    }

    #[test]
    fn client_data_must_name_the_purpose_the_challenge_and_the_origin() {
        let o = "https://cafe.example";
        let ok = client("webauthn.get", "abc", o);
        assert_eq!(check_client_data(&ok, Purpose::SignIn, "abc", o), Ok(()));
        let wrong = Err(Refusal::WrongClientData);
        assert_eq!(check_client_data(&ok, Purpose::Register, "abc", o), wrong);
        assert_eq!(check_client_data(&ok, Purpose::SignIn, "abd", o), wrong);
        assert_eq!(
            check_client_data(&ok, Purpose::SignIn, "abc", "https://evil.example"),
            wrong
        );
        let framed = br#"{"type":"webauthn.get","challenge":"abc","origin":"https://cafe.example","crossOrigin":true}"#;
        assert_eq!(check_client_data(framed, Purpose::SignIn, "abc", o), wrong);
        assert_eq!(
            check_client_data(b"{", Purpose::SignIn, "abc", o),
            Err(Refusal::Malformed)
        );
    }

    fn auth(rp: &str, flags: u8, count: u32, cred: Option<&[u8]>) -> Vec<u8> {
        let mut out = Sha256::digest(rp.as_bytes()).to_vec();
        out.push(flags);
        out.extend_from_slice(&count.to_be_bytes());
        if let Some(id) = cred {
            out.extend_from_slice(&[0; 16]);
            out.extend_from_slice(&(id.len() as u16).to_be_bytes());
            out.extend_from_slice(id);
            out.extend_from_slice(&[0xa5, 1, 2, 3, 0x26]); // the COSE key: not read
        }
        out
    }

    #[test]
    fn authenticator_data_is_for_this_site_with_the_person_present_and_verified() {
        let signin = auth("cafe.example", 0x05, 7, None);
        assert_eq!(
            check_auth_data(&signin, "cafe.example", Purpose::SignIn),
            Ok(AuthData {
                sign_count: 7,
                credential_id: None
            })
        );
        let wrong = Err(Refusal::WrongAuthenticatorData);
        assert_eq!(
            check_auth_data(&signin, "evil.example", Purpose::SignIn),
            wrong
        );
        assert_eq!(
            check_auth_data(
                &auth("cafe.example", 0x01, 7, None),
                "cafe.example",
                Purpose::SignIn
            ),
            wrong
        );
        assert_eq!(
            check_auth_data(
                &auth("cafe.example", 0x04, 7, None),
                "cafe.example",
                Purpose::SignIn
            ),
            wrong
        );
        let reg = auth("cafe.example", 0x45, 0, Some(b"cred-1"));
        assert_eq!(
            check_auth_data(&reg, "cafe.example", Purpose::Register)
                .unwrap()
                .credential_id,
            Some(b"cred-1".to_vec())
        );
        assert_eq!(
            check_auth_data(&signin, "cafe.example", Purpose::Register),
            wrong
        );
        assert_eq!(
            check_auth_data(&reg[..40], "cafe.example", Purpose::Register),
            Err(Refusal::Malformed)
        );
        assert_eq!(
            check_auth_data(&[0; 10], "cafe.example", Purpose::SignIn),
            Err(Refusal::Malformed)
        );
    }

    #[test]
    fn counters_move_forward_unless_the_authenticator_does_not_count() {
        assert_eq!(check_count(0, 0), Ok(()));
        assert_eq!(check_count(3, 4), Ok(()));
        assert_eq!(check_count(4, 4), Err(Refusal::Replayed));
        assert_eq!(check_count(4, 0), Err(Refusal::Replayed));
    }

    #[test]
    fn der_signatures_become_r_and_s_padded_to_32_bytes() {
        // r with a leading zero (its high bit set), s short.
        let mut der = vec![0x30, 0, 0x02, 33, 0];
        der.extend_from_slice(&[0x80; 32]);
        der.extend_from_slice(&[0x02, 2, 0x01, 0x02]);
        der[1] = (der.len() - 2) as u8;
        let raw = der_to_raw(&der).unwrap();
        assert_eq!(&raw[..32], &[0x80; 32]);
        assert_eq!(&raw[32..62], &[0; 30]);
        assert_eq!(&raw[62..], &[1, 2]);
        assert_eq!(der_to_raw(&der[..der.len() - 1]), None);
        assert_eq!(der_to_raw(&[0x30, 0]), None);
        let mut long = der.clone();
        long.push(0);
        assert_eq!(der_to_raw(&long), None);
    }

    #[test]
    fn a_passkey_is_named_as_typed_or_after_the_device() {
        assert_eq!(name("  Phone ", "Chrome, Android"), "Phone");
        assert_eq!(name("", "Chrome, Android"), "Chrome, Android");
        assert_eq!(name(&"x".repeat(60), "d").len(), 40);
        assert_eq!(name("a\u{7}b", "d"), "ab");
    }
}
