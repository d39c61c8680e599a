//! A browser's passkey answer (`domain::passkey`), as it arrives: any bytes for the
//! authenticator data, the client data and the DER signature, any text for the challenge.
//! - A challenge that was not made with the key never reads back; one made reads back until
//!   its end only, for its own purpose.
//! - Authenticator data that passes is for the site it was checked against, with the person
//!   present and verified; a registration's credential id lies inside it.
//! - A DER signature that converts gives 64 bytes whose halves are its integers, left-padded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loyalty_edge::domain::passkey::{self, Purpose};
use loyalty_edge_fuzz::master;
use sha2::{Digest, Sha256};

fuzz_target!(|data: &[u8]| {
    let key = master().session_key();
    let text = String::from_utf8_lossy(data);
    assert_eq!(passkey::read_challenge(&key, Purpose::SignIn, "", &text, 0), None);
    let mut nonce = [0u8; 16];
    for (n, b) in nonce.iter_mut().zip(data) {
        *n = *b;
    }
    let end = i64::from(data.first().copied().unwrap_or(1)) + 1;
    let made = passkey::challenge(&key, Purpose::Register, &text, &nonce, end);
    assert!(passkey::read_challenge(&key, Purpose::Register, &text, &made, end - 1).is_some());
    assert_eq!(passkey::read_challenge(&key, Purpose::Register, &text, &made, end), None);
    assert_eq!(passkey::read_challenge(&key, Purpose::SignIn, &text, &made, 0), None);

    for purpose in [Purpose::SignIn, Purpose::Register] {
        if let Ok(a) = passkey::check_auth_data(data, "cafe.example", purpose) {
            assert_eq!(data.get(..32), Some(Sha256::digest(b"cafe.example").as_slice()));
            let flags = data.get(32).copied().unwrap_or_default();
            assert!(flags & 0x05 == 0x05);
            if let Some(id) = a.credential_id {
                assert!(data.len() >= 55 + id.len());
            }
        }
    }
    let _ = passkey::check_client_data(data, Purpose::SignIn, &text, "https://cafe.example");
    if let Some(raw) = passkey::der_to_raw(data) {
        assert_eq!(raw.len(), 64);
        assert_eq!(data.first(), Some(&0x30));
    }
});
