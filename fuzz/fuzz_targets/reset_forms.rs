//! The password reset page's form, the invitation's accept form and the operator's sign-up
//! codes (`domain::reset`, `domain::account::joining`, `domain::signup_code`), read as an
//! `application/x-www-form-urlencoded` body the way the shell reads one (first value wins).
//! - A reset password is accepted exactly when the new-password rules accept it, and never
//!   altered; the reset message always carries the link and the person's name.
//! - Accepting an invitation names the name and the password fields, each at most once, in
//!   form order, exactly when each is wrong; an accepted name is trimmed and 1 to 60 characters.
//! - A sign-up code that parses is 20 letters of its alphabet and parses to itself; every code
//!   the operator is given parses back to itself without its dashes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loyalty_edge::domain::account::{self, Problem};
use loyalty_edge::domain::language::Language;
use loyalty_edge::domain::password;
use loyalty_edge::domain::reset::{self, MadeBy};
use loyalty_edge::domain::signup_code::{self, CODE_LEN, RANDOM_BYTES};

fuzz_target!(|data: &[u8]| {
    let body = loyalty_edge_fuzz::Form::parse(data);
    let field = |name: &str| body.field(name);
    let (name, typed, email) = (field("name"), field("password"), field("email"));

    // The reset page.
    let rules = password::check_new(&typed, &email);
    match reset::new_password(&typed, &email) {
        Ok(p) => {
            assert_eq!(p, typed, "a password is never altered");
            assert_eq!(rules, Ok(()));
        }
        Err(e) => {
            assert_eq!(e.field, "password");
            assert_eq!(e.problem, Problem::Password(rules.expect_err("refused by the rules")));
        }
    }
    for l in Language::ALL {
        for by in [MadeBy::Console, MadeBy::Operator] {
            let m = reset::message(l, &name, &field("link"), by);
            assert!(!m.subject.is_empty() && !m.subject.contains('\n'));
            assert!(m.text.contains(&field("link")) && m.text.contains(&name));
        }
    }

    // Accepting an invitation.
    let name_ok = account::person_name(&name).is_ok();
    let password_ok = rules.is_ok();
    match account::joining(&name, &typed, &email) {
        Ok(n) => {
            assert!(name_ok && password_ok);
            assert_eq!(n, name.trim());
            assert!((1..=60).contains(&n.chars().count()));
            assert!(!n.chars().any(char::is_control));
        }
        Err(errors) => {
            let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
            let mut want = Vec::new();
            if !name_ok {
                want.push("name");
            }
            if !password_ok {
                want.push("password");
            }
            assert_eq!(fields, want);
        }
    }

    // Sign-up codes, as typed into the form and as the operator is given them.
    let text = String::from_utf8_lossy(data);
    for typed in [text.as_ref(), field("code").as_str()] {
        if let Some(c) = signup_code::parse(typed) {
            assert_eq!(c.len(), CODE_LEN);
            assert!(c.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
            assert!(!c.contains(['I', 'L', 'O', 'U']));
            assert_eq!(signup_code::parse(&c).as_deref(), Some(c.as_str()));
            assert_eq!(signup_code::id(&c).len(), 64);
        }
    }
    let mut random = [0u8; RANDOM_BYTES];
    for (r, b) in random.iter_mut().zip(data) {
        *r = *b;
    }
    let code = signup_code::new_code(random);
    assert_eq!(code.len(), CODE_LEN + 3);
    assert_eq!(signup_code::parse(&code), Some(code.replace('-', "")));
    let note = signup_code::note(&text);
    if let Ok(n) = note {
        assert!(n.chars().count() <= signup_code::MAX_NOTE);
    }
});
