//! Merchant API keys: `lek_<id>_<secret>`, shown once; only the id and a SHA-256 of the secret
//! are stored, and the hash is compared in constant time.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

use super::ids::{to_hex, MerchantId};

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything for its merchant.
    Owner,
    /// Issue scan tokens (and, later, confirm redemptions).
    Counter,
    /// Read only.
    Read,
}

impl Scope {
    /// Returns the stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Owner => "owner",
            Scope::Counter => "counter",
            Scope::Read => "read",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [Scope::Owner, Scope::Counter, Scope::Read]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// A freshly made key: the full text goes to the merchant once, the rest to storage.
pub struct NewKey {
    pub id: String,
    pub secret_hash: String,
    pub full: String,
}

impl fmt::Debug for NewKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Makes a key for `merchant` from 4 random bytes of id and 24 of secret. The id is the
/// merchant's id followed by the random part, so the key names its shard (`domain::shard`).
pub fn generate(merchant: MerchantId, id_bytes: [u8; 4], secret_bytes: [u8; 24]) -> NewKey {
    let id = format!("{merchant}{}", to_hex(&id_bytes));
    let secret = URL_SAFE_NO_PAD.encode(secret_bytes);
    NewKey {
        secret_hash: hash(&secret),
        full: format!("lek_{id}_{secret}"),
        id,
    }
}

/// A key as presented in an `Authorization: Bearer` header, split but not yet checked.
#[derive(PartialEq, Eq)]
pub struct Presented<'a> {
    pub id: &'a str,
    secret: &'a str,
}

impl fmt::Debug for Presented<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Presented")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Splits a presented key into id and secret, refusing anything not shaped like one of ours.
pub fn parse(raw: &str) -> Option<Presented<'_>> {
    let rest = raw.strip_prefix("lek_")?;
    let (id, secret) = rest.split_once('_')?;
    let id_ok = id.len() == 16 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let secret_ok = secret.len() == 32
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (id_ok && secret_ok).then_some(Presented { id, secret })
}

impl Presented<'_> {
    /// The hash of the presented secret, as storage holds a key's (what D1 compares to decide
    /// whether the request counts against the key's own limit).
    pub fn proof(&self) -> String {
        hash(self.secret)
    }

    /// Checks the secret against a stored hash in constant time.
    pub fn matches(&self, stored_hash: &str) -> bool {
        constant_time_eq(hash(self.secret).as_bytes(), stored_hash.as_bytes())
    }
}

/// Returns the hex SHA-256 of a secret (a high-entropy secret needs no slow hash).
pub fn hash(secret: &str) -> String {
    to_hex(&Sha256::digest(secret.as_bytes()))
}

/// Compares two byte strings without an early exit on the first difference.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: MerchantId = MerchantId::new(0x8000_00aa);

    #[test]
    fn a_key_id_begins_with_its_merchant() {
        let k = generate(M, [1, 2, 3, 4], [2; 24]);
        assert_eq!(k.id, "800000aa01020304");
        assert_eq!(crate::domain::shard::merchant_of_key(&k.id), Some(M));
    }

    #[test]
    fn a_generated_key_parses_and_matches_its_hash() {
        let k = generate(M, [1; 4], [2; 24]);
        let p = parse(&k.full).unwrap();
        assert_eq!(p.id, k.id);
        assert!(p.matches(&k.secret_hash));
        assert!(!parse(&generate(M, [1; 4], [3; 24]).full)
            .unwrap()
            .matches(&k.secret_hash));
    }

    #[test]
    fn odd_shapes_are_not_keys() {
        let k = generate(M, [1; 4], [2; 24]).full;
        for bad in [
            "",
            "lek_",
            "Bearer x",
            &k[..k.len() - 1],
            &format!("{k}x"),
            &k.replace("lek_", "lex_"),
        ] {
            assert!(parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let k = generate(M, [1; 4], [2; 24]);
        assert!(!format!("{k:?}").contains(&k.full[21..]));
        assert!(!format!("{:?}", parse(&k.full).unwrap()).contains(&k.full[21..]));
    }

    #[test]
    fn scopes_round_trip() {
        for s in [Scope::Owner, Scope::Counter, Scope::Read] {
            assert_eq!(Scope::parse(s.as_str()), Some(s));
        }
    }

    proptest::proptest! {
        #[test]
        fn any_generated_key_parses_and_only_its_own_secret_matches(
            merchant: u32, id: [u8; 4], secret: [u8; 24], other: [u8; 24],
        ) {
            let merchant = MerchantId::new(merchant);
            let k = generate(merchant, id, secret);
            let p = parse(&k.full).unwrap();
            proptest::prop_assert_eq!(p.id, k.id.as_str());
            proptest::prop_assert!(p.matches(&k.secret_hash));
            proptest::prop_assert_eq!(crate::domain::shard::merchant_of_key(p.id), Some(merchant));
            let o = generate(merchant, id, other);
            proptest::prop_assert_eq!(parse(&o.full).unwrap().matches(&k.secret_hash), other == secret);
        }

        #[test]
        fn whatever_parses_has_the_shape_of_a_key(raw in "lek_[0-9a-f]{14,18}_[A-Za-z0-9_-]{30,34}") {
            if let Some(p) = parse(&raw) {
                proptest::prop_assert_eq!(raw.len(), 53);
                proptest::prop_assert_eq!(p.id, &raw[4..20]);
            }
        }
    }
}
