//! Scan tokens (`domain::token`). Each input is used two ways:
//! 1. as the token text a phone submits: whatever verifies must be exactly what `sign` writes
//!    for the fields it returns (no second spelling of a token), and `peek` must agree;
//! 2. as the 29 signed bytes of a token, signed here with an independent HMAC: `verify` must
//!    return what the specification (docs/scan-token.md) says for those bytes at a fuzzed
//!    "now", and no one-character change of the signed text may verify.
#![no_main]

use data_encoding::BASE32_NOPAD;
use libfuzzer_sys::fuzz_target;
use loyalty_edge::domain::ids::MerchantId;
use loyalty_edge::domain::keys::ScanKey;
use loyalty_edge::domain::token::{
    peek, verify, Header, KeyRing, ScanKind, TokenError, CLOCK_SKEW_SECS, TOKEN_CHARS,
};
use loyalty_edge_fuzz::{hmac_sha256, master, mutate_char, Bytes, NOW};

/// The merchant whose keys verify the token text (the seed tokens are signed for it).
const MERCHANT: u32 = 0x0102_0304;

fuzz_target!(|data: &[u8]| {
    as_text(data);
    as_signed_bytes(data);
});

fn key(merchant: u32, kid: u8) -> ScanKey {
    master().scan_key(MerchantId::new(merchant), kid)
}

fn as_text(raw: &[u8]) {
    let keys = [(1, key(MERCHANT, 1)), (2, key(MERCHANT, 2))];
    let ring = KeyRing {
        merchant: MerchantId::new(MERCHANT),
        keys: &keys,
    };
    let verified = verify(raw, &ring, NOW);
    let peeked = peek(raw);
    match (&verified, &peeked) {
        (Ok(t), Ok(h)) => {
            assert_eq!(
                *h,
                Header {
                    merchant: t.merchant,
                    kid: t.kid
                }
            );
            let (_, k) = keys.iter().find(|(id, _)| *id == t.kid).expect("its key");
            assert_eq!(t.sign(k).as_bytes(), raw, "a second spelling verified");
            assert!(i64::from(t.issued_at) <= NOW + CLOCK_SKEW_SECS);
            assert!(NOW <= t.expires_at() + CLOCK_SKEW_SECS);
        }
        (Ok(_), Err(e)) => panic!("verified, yet peek refused it: {e:?}"),
        (Err(e), Err(p)) => assert_eq!(e, p, "verify and peek decode differently"),
        (Err(_), Ok(_)) => {}
    }
}

/// What the specification says `verify` returns for these signed bytes at `now`, given the
/// merchant and key id match and the tag is right.
fn expected(signed: &[u8; 29], now: i64) -> Result<ScanKind, TokenError> {
    let be32 = |at: usize| u32::from_be_bytes(signed[at..at + 4].try_into().expect("4 bytes"));
    let (version, kind, value) = (signed[0] >> 4, signed[0] & 0x0f, be32(7));
    let issued_at = i64::from(be32(11));
    let lifetime = u16::from_be_bytes([signed[15], signed[16]]);
    let count = i64::from(lifetime & 0x7fff);
    let lifetime_secs = if lifetime & 0x8000 == 0 {
        count
    } else {
        count * 3600
    };
    if version != 1 {
        return Err(TokenError::UnsupportedVersion);
    }
    let kind = match (kind, value) {
        (1, 0) => ScanKind::Visit,
        (2, v) => ScanKind::Purchase { amount_minor: v },
        (3, v) => ScanKind::Points(v),
        (4, v) => ScanKind::Stamps(v),
        _ => return Err(TokenError::Malformed),
    };
    if lifetime_secs == 0 {
        return Err(TokenError::Malformed);
    }
    if issued_at > now + CLOCK_SKEW_SECS {
        return Err(TokenError::NotYetValid);
    }
    if now > issued_at + lifetime_secs + CLOCK_SKEW_SECS {
        return Err(TokenError::Expired);
    }
    Ok(kind)
}

fn as_signed_bytes(data: &[u8]) {
    let mut b = Bytes(data);
    let signed: [u8; 29] = b.array();
    let (offset, at, with) = (b.i32(), b.u8(), b.u8());
    let merchant = u32::from_be_bytes(signed[2..6].try_into().expect("4 bytes"));
    let kid = signed[1];
    let k = key(merchant, kid);
    let tag = hmac_sha256(&k.to_bytes(), &[&signed]);
    let mut bytes = signed.to_vec();
    bytes.extend_from_slice(&tag[..16]);
    let raw = BASE32_NOPAD.encode(&bytes);
    assert_eq!(raw.len(), TOKEN_CHARS);

    let issued_at = i64::from(u32::from_be_bytes(signed[11..15].try_into().expect("4")));
    let now = issued_at + i64::from(offset);
    let keys = [(kid, k.clone())];
    let ring = KeyRing {
        merchant: MerchantId::new(merchant),
        keys: &keys,
    };
    let got = verify(raw.as_bytes(), &ring, now);
    assert_eq!(
        got.as_ref().map(|t| t.kind).map_err(|e| *e),
        expected(&signed, now),
        "the specification and verify disagree on {raw}"
    );
    if let Ok(t) = &got {
        assert_eq!(
            t.sign(&k),
            raw,
            "signing the verified fields gives another token"
        );
        assert_eq!(t.nonce[..], signed[17..29]);
        assert_eq!(
            (t.merchant.get(), t.kid, t.location),
            (merchant, kid, signed[6])
        );
    }

    // Another merchant's ring, or another key id, never accepts it.
    let other = [(kid, key(merchant ^ 1, kid))];
    let elsewhere = KeyRing {
        merchant: MerchantId::new(merchant ^ 1),
        keys: &other,
    };
    assert_eq!(
        verify(raw.as_bytes(), &elsewhere, now).map(|_| ()),
        Err(if signed[0] >> 4 == 1 {
            TokenError::WrongMerchant
        } else {
            TokenError::UnsupportedVersion
        })
    );
    // One character changed (to another base32 letter or to anything at all): never verifies.
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    for c in [
        char::from(alphabet[usize::from(with % 32)]),
        char::from(with),
    ] {
        if let Some(mutated) = mutate_char(&raw, usize::from(at), c) {
            assert!(
                verify(mutated.as_bytes(), &ring, now).is_err(),
                "{mutated} verified after a change to {raw}"
            );
        }
    }
}
