//! Idempotency keys (IETF httpapi `Idempotency-Key` draft): what a valid key is, and the
//! fingerprint that tells "the same request again" from "a different request with the same key".

use sha2::{Digest, Sha256};

use super::ids::to_hex;

/// How long a key is remembered, in ms (the draft asks for at least 24 hours).
pub const KEEP_MS: i64 = 24 * 3_600_000;
/// How long a claim by a request that never finished blocks the key, in ms.
pub const LOCK_MS: i64 = 60_000;

/// Why an `Idempotency-Key` header was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    Missing,
    Invalid,
}

/// Parses the header: a structured-field string (`"..."`) or a bare token, 1 to 255 visible
/// ASCII characters.
pub fn parse_key(header: Option<&str>) -> Result<String, KeyError> {
    let raw = header.ok_or(KeyError::Missing)?.trim();
    let key = raw
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .unwrap_or(raw);
    let ok = (1..=255).contains(&key.len())
        && key.bytes().all(|b| (0x21..=0x7e).contains(&b) && b != b'"');
    if ok {
        Ok(key.to_owned())
    } else {
        Err(KeyError::Invalid)
    }
}

/// Fingerprints a request: method, path and body bytes (lengths prefixed, so no two split alike).
pub fn fingerprint(method: &str, path: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    for part in [method.as_bytes(), path.as_bytes()] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part);
    }
    h.update(body);
    to_hex(&h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_structured_strings_or_bare_tokens() {
        assert_eq!(parse_key(Some("\"abc-123\"")), Ok("abc-123".into()));
        assert_eq!(
            parse_key(Some("8e03978e-40d5-43e8-bc93-6894a57f9324")).map(|k| k.len()),
            Ok(36)
        );
        assert_eq!(parse_key(None), Err(KeyError::Missing));
        assert_eq!(parse_key(Some("")), Err(KeyError::Invalid));
        assert_eq!(parse_key(Some("\"\"")), Err(KeyError::Invalid));
        assert_eq!(parse_key(Some("a b")), Err(KeyError::Invalid));
        assert_eq!(parse_key(Some(&"k".repeat(256))), Err(KeyError::Invalid));
    }

    #[test]
    fn the_fingerprint_covers_method_path_and_body() {
        let f = fingerprint("POST", "/a", b"{}");
        assert_eq!(f, fingerprint("POST", "/a", b"{}"));
        assert_ne!(f, fingerprint("PUT", "/a", b"{}"));
        assert_ne!(f, fingerprint("POST", "/b", b"{}"));
        assert_ne!(f, fingerprint("POST", "/a", b"{ }"));
        assert_ne!(
            fingerprint("POST", "/a\0", b""),
            fingerprint("POST", "/a", b"\0")
        );
    }
}
