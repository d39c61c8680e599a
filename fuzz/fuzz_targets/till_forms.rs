//! The till's forms (`domain::till`): the pairing code typed on a tablet, the PIN typed at the
//! till and set on the account page, and a till's label, read as an
//! `application/x-www-form-urlencoded` body the way the shell reads one (first value wins).
//! - A pairing code that parses is eight characters of the code alphabet; showing it and reading
//!   that back gives it again; its stored id is 64 hex digits and differs from another code's.
//! - A PIN that parses is 4 to 6 ASCII digits; a new PIN that is accepted parses the same and
//!   was typed the same twice (spaces aside); a refused one names one problem.
//! - A label that parses is trimmed, 1 to 40 characters, without control characters.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loyalty_edge::domain::till::{self, PinProblem, CODE_ALPHABET, CODE_LEN, LABEL_MAX};

fuzz_target!(|data: &[u8]| {
    let body = loyalty_edge_fuzz::Form::parse(data);
    let field = |name: &str| body.field(name);
    if let Some(code) = till::parse_code(&field("code")) {
        assert_eq!(code.len(), CODE_LEN);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_eq!(till::parse_code(&till::show_code(&code)).as_deref(), Some(code.as_str()));
        let id = till::code_id(&code);
        assert!(id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()));
        let other: String = code.chars().rev().collect();
        if other != code {
            assert_ne!(till::code_id(&other), id);
        }
    }
    let typed = field("pin");
    if let Some(pin) = till::parse_pin(&typed) {
        assert!((4..=6).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()));
    }
    match till::check_new_pin(&typed, &field("pin_again")) {
        Ok(pin) => {
            assert_eq!(till::parse_pin(&typed).as_deref(), Some(pin.as_str()));
            assert_eq!(till::parse_pin(&field("pin_again")).as_deref(), Some(pin.as_str()));
        }
        Err(PinProblem::Shape) => assert!(till::parse_pin(&typed).is_none()),
        Err(PinProblem::Guessable | PinProblem::Mismatch) => {
            assert!(till::parse_pin(&typed).is_some());
        }
    }
    if let Ok(label) = till::parse_label(&field("label")) {
        assert_eq!(label, label.trim());
        assert!((1..=LABEL_MAX).contains(&label.chars().count()));
        assert!(!label.chars().any(char::is_control));
    }
});
