//! The console's forms (`domain::account`, `domain::password`): sign-up, sign-in and the
//! password change, read as an `application/x-www-form-urlencoded` body the way the shell reads
//! one (first value of a name wins), and the cookies and stored hashes the console reads back.
//! - A sign-up that parses is normalised (trimmed names, a lower-case email the join form would
//!   accept too, a country from the list), its password passes the new-password rules and is
//!   kept exactly as typed; one that does not names each bad field once, in form order.
//! - A stored hash that parses writes back to the same text; a session cookie value names a
//!   64-hex-digit id only when it is 64 lower-case hex digits itself.
//! - A device label is a few words, whatever the User-Agent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loyalty_edge::domain::account::{self, SignUpForm, COUNTRIES};
use loyalty_edge::domain::enrol::parse_email;
use loyalty_edge::domain::password::{self, StoredHash};

fuzz_target!(|data: &[u8]| {
    let body = loyalty_edge_fuzz::Form::parse(data);
    let field = |name: &str| body.field(name);
    let sign_up = SignUpForm {
        business: field("business"),
        name: field("name"),
        email: field("email"),
        password: field("password"),
        country: field("country"),
        language: field("language"),
        code: field("code"),
        website: field("website"),
    };
    match sign_up.parse() {
        Ok(s) => {
            assert_eq!(s.business, s.business.trim());
            assert!((1..=60).contains(&s.business.chars().count()));
            assert!((1..=60).contains(&s.name.chars().count()));
            assert_eq!(parse_email(&s.email).as_deref(), Ok(s.email.as_str()));
            assert_eq!(s.email, s.email.to_lowercase());
            assert_eq!(s.password, sign_up.password, "a password is never altered");
            assert_eq!(password::check_new(&s.password, &s.email), Ok(()));
            assert!(COUNTRIES.contains(&s.country));
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            let order = ["business", "name", "email", "password", "country"];
            let positions: Vec<usize> = errors
                .iter()
                .map(|e| order.iter().position(|f| *f == e.field).expect("a known field"))
                .collect();
            assert!(positions.windows(2).all(|w| w[0] < w[1]), "{errors:?}");
        }
    }
    // A new password is judged the same way in the account form.
    let email = field("email");
    let checked = account::new_password("password", &field("password"), &email);
    assert_eq!(checked.is_ok(), password::check_new(&field("password"), &email).is_ok());

    let text = String::from_utf8_lossy(data);
    if let Some(h) = StoredHash::parse(&text) {
        assert_eq!(StoredHash::parse(&h.format()), Some(h.clone()));
        assert_eq!(h.hash.len(), 32);
    }
    match account::session_id(&text) {
        Some(id) => {
            assert_eq!(text.len(), 64);
            assert!(text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
            assert_eq!(id.len(), 64);
        }
        None => assert!(
            text.len() != 64 || !text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        ),
    }
    assert!(account::device_label(&text).len() <= 20);
});
