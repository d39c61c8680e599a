//! Secret keys: the Worker's master secret and the per-merchant keys derived from it.
//! Derivation is HMAC-SHA256 with a purpose label, so one secret never signs two kinds of thing.

use std::fmt;

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::ids::MerchantId;

pub(crate) type HmacSha256 = Hmac<Sha256>;

/// Shortest master secret accepted, in bytes (256 bits).
pub const MASTER_SECRET_MIN_LEN: usize = 32;

/// The Worker secret every other key derives from. Its `Debug` never shows the value.
#[derive(Clone)]
pub struct MasterSecret(Vec<u8>);

/// Rejected master secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretError {
    /// The secret is shorter than [`MASTER_SECRET_MIN_LEN`] bytes.
    TooShort { len: usize },
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretError::TooShort { len } => write!(
                f,
                "the master secret is {len} bytes long; use at least {MASTER_SECRET_MIN_LEN} random bytes"
            ),
        }
    }
}

impl MasterSecret {
    /// Parses a master secret, refusing short ones.
    pub fn parse(raw: &str) -> Result<Self, SecretError> {
        let bytes = raw.trim().as_bytes().to_vec();
        if bytes.len() < MASTER_SECRET_MIN_LEN {
            return Err(SecretError::TooShort { len: bytes.len() });
        }
        Ok(MasterSecret(bytes))
    }

    /// Derives merchant `merchant`'s scan-token key number `kid`.
    pub fn scan_key(&self, merchant: MerchantId, kid: u8) -> ScanKey {
        let mut input = Vec::with_capacity(32);
        input.extend_from_slice(b"loyalty-edge scan key v1\0");
        input.extend_from_slice(&merchant.get().to_be_bytes());
        input.push(kid);
        ScanKey(self.derive(&input))
    }

    /// Derives merchant `merchant`'s inbound webhook secret number `id` (Standard Webhooks
    /// `whsec_` secret shared with their POS). Nothing secret is stored: rotation is a new id.
    pub fn webhook_secret(&self, merchant: MerchantId, id: u8) -> WebhookSecret {
        let mut input = Vec::with_capacity(40);
        input.extend_from_slice(b"loyalty-edge webhook secret v1\0");
        input.extend_from_slice(&merchant.get().to_be_bytes());
        input.push(id);
        WebhookSecret(self.derive(&input))
    }

    /// Derives merchant `merchant`'s outgoing message secret (Standard Webhooks `whsec_`): we
    /// sign every message delivered to their endpoint with it, and they verify.
    pub fn message_secret(&self, merchant: MerchantId) -> WebhookSecret {
        let mut input = Vec::with_capacity(40);
        input.extend_from_slice(b"loyalty-edge message secret v1\0");
        input.extend_from_slice(&merchant.get().to_be_bytes());
        WebhookSecret(self.derive(&input))
    }

    /// Derives the key that signs member cookies and enrolment tickets.
    pub fn session_key(&self) -> SessionKey {
        SessionKey(self.derive(b"loyalty-edge session key v1\0"))
    }

    /// Derives the key that signs the links in messages we send (unsubscribe, opens, clicks).
    pub fn link_key(&self) -> LinkKey {
        LinkKey(self.derive(b"loyalty-edge link key v1\0"))
    }

    fn derive(&self, label: &[u8]) -> [u8; 32] {
        mac(&self.0, &[label])
    }
}

impl fmt::Debug for MasterSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterSecret(<redacted>)")
    }
}

/// The key of the links in messages (`domain::links`). Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct LinkKey(pub(crate) [u8; 32]);

impl fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LinkKey(<redacted>)")
    }
}

/// A merchant's key for signing scan tokens (32 bytes). Counter devices hold one to sign offline.
#[derive(Clone, PartialEq, Eq)]
pub struct ScanKey(pub(crate) [u8; 32]);

impl ScanKey {
    /// Wraps raw key bytes, as a counter device would load them.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        ScanKey(bytes)
    }

    /// Returns the raw key bytes, for handing to a counter device.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0
    }
}

impl fmt::Debug for ScanKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ScanKey(<redacted>)")
    }
}

/// A Standard Webhooks signing secret (32 bytes), written `whsec_<base64>`.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(pub(crate) [u8; 32]);

impl WebhookSecret {
    /// Returns the raw secret bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Writes the secret the way Standard Webhooks libraries take it: `whsec_` and base64.
    pub fn to_whsec(&self) -> String {
        use base64::Engine;
        format!(
            "whsec_{}",
            base64::engine::general_purpose::STANDARD.encode(self.0)
        )
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

/// The key that signs member cookies and enrolment tickets.
#[derive(Clone)]
pub struct SessionKey(pub(crate) [u8; 32]);

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKey(<redacted>)")
    }
}

/// An HMAC-SHA256 key already in block form (RFC 2104: hashed if long, zero-padded to 64 bytes),
/// so building a MAC from it cannot fail.
#[derive(Clone)]
pub(crate) struct BlockKey([u8; 64]);

impl BlockKey {
    pub(crate) fn new(key: &[u8]) -> Self {
        let mut block = [0u8; 64];
        let digest;
        let source = if key.len() > block.len() {
            digest = Sha256::digest(key);
            digest.as_slice()
        } else {
            key
        };
        for (b, k) in block.iter_mut().zip(source) {
            *b = *k;
        }
        BlockKey(block)
    }

    fn hmac(&self, parts: &[&[u8]]) -> HmacSha256 {
        let mut m = <HmacSha256 as KeyInit>::new(&self.0.into());
        for part in parts {
            m.update(part);
        }
        m
    }
}

/// Computes HMAC-SHA256 of the concatenated `parts` under `key`.
pub(crate) fn mac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    BlockKey::new(key)
        .hmac(parts)
        .finalize()
        .into_bytes()
        .into()
}

/// Checks in constant time that `tag` is the first `tag.len()` bytes of the MAC of `parts`.
pub(crate) fn verify_truncated(key: &[u8], parts: &[&[u8]], tag: &[u8]) -> bool {
    !tag.is_empty()
        && BlockKey::new(key)
            .hmac(parts)
            .verify_truncated_left(tag)
            .is_ok()
}

/// Checks in constant time that `tag` is the whole MAC of `parts` (a shorter tag fails).
pub(crate) fn verify_full(key: &[u8], parts: &[&[u8]], tag: &[u8]) -> bool {
    BlockKey::new(key).hmac(parts).verify_slice(tag).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn master() -> MasterSecret {
        MasterSecret::parse("0123456789abcdef0123456789abcdef").unwrap()
    }

    #[test]
    fn short_master_secrets_are_refused() {
        assert_eq!(
            MasterSecret::parse("short").unwrap_err(),
            SecretError::TooShort { len: 5 }
        );
    }

    #[test]
    fn keys_differ_per_merchant_and_key_id() {
        let m = master();
        let a = m.scan_key(MerchantId::new(1), 1);
        assert_ne!(a, m.scan_key(MerchantId::new(2), 1));
        assert_ne!(a, m.scan_key(MerchantId::new(1), 2));
        assert_eq!(a, m.scan_key(MerchantId::new(1), 1));
        let out = m.message_secret(MerchantId::new(1));
        assert_ne!(out, m.message_secret(MerchantId::new(2)));
        assert_ne!(
            out.as_bytes(),
            m.webhook_secret(MerchantId::new(1), 1).as_bytes()
        );
    }

    #[test]
    fn mac_matches_rfc_4231_test_case_2_and_6() {
        let hex = |b: [u8; 32]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        assert_eq!(
            hex(mac(b"Jefe", &[b"what do ya want ", b"for nothing?"])),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let long_key = [0xaa; 131];
        assert_eq!(
            hex(mac(
                &long_key,
                &[b"Test Using Larger Than Block-Size Key - Hash Key First"]
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn truncated_tags_verify_only_when_they_match() {
        let tag = mac(b"k", &[b"msg"]);
        assert!(verify_truncated(b"k", &[b"msg"], &tag[..16]));
        assert!(!verify_truncated(b"k", &[b"msg!"], &tag[..16]));
        assert!(!verify_truncated(b"k", &[b"msg"], &[]));
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let m = master();
        assert!(!format!("{m:?}").contains("0123"));
        assert_eq!(
            format!("{:?}", m.scan_key(MerchantId::new(1), 1)),
            "ScanKey(<redacted>)"
        );
    }
}
