//! Form bodies typed by people: the amount staff type at the counter
//! (`Currency::parse_amount`) and the join form a customer fills in (`domain::enrol`).
//! The input is read as an `application/x-www-form-urlencoded` body the way the shell reads one
//! (`form_urlencoded::parse`, first value of a name wins: `shell/http.rs`, which is wasm-only).
//! - An amount that parses is positive and in range, and the amount as the pages write it
//!   (`Currency::format`) parses back to the same minor units, with a point or a comma.
//! - A join form that parses is normalised: parsing its own output gives it back unchanged, and
//!   its email and phone are ones a POS webhook and the staff search find the member by; one
//!   that does not names each bad field once, in form order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loyalty_edge::domain::enrol::EnrolForm;
use loyalty_edge::domain::program::Currency;
use loyalty_edge::domain::search::Query;
use loyalty_edge::domain::webhook::{normalise_email, normalise_phone};

fuzz_target!(|data: &[u8]| {
    let form: Vec<(String, String)> = form_urlencoded::parse(data).into_owned().collect();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    amount(&field("amount"));
    amount(&String::from_utf8_lossy(data));
    enrol(EnrolForm {
        name: field("name"),
        email: field("email"),
        phone: field("phone"),
        birthday: field("birthday"),
        marketing_consent: field("marketing_consent") == "yes",
    });
    if let [a, b, c, d] = data.get(..4).unwrap_or_default() {
        formatted(u32::from_be_bytes([*a, *b, *c, *d]));
    }
});

fn currencies() -> [Currency; 4] {
    [("JPY", 0), ("TND", 3), ("PLN", 2), ("XYZ", 1)].map(|(code, minor_units)| Currency {
        code: code.into(),
        minor_units,
    })
}

fn amount(text: &str) {
    for c in currencies() {
        let Some(minor) = c.parse_amount(text) else {
            continue;
        };
        let scale = 10u32.pow(u32::from(c.minor_units));
        assert!(minor > 0);
        assert!(minor / scale < 10_000_000, "{text:?} read as {minor}");
        let written = c.format(i64::from(minor));
        let number = written.strip_suffix(&format!(" {}", c.code)).expect("code");
        assert_eq!(c.parse_amount(number), Some(minor), "{written}");
        assert_eq!(c.parse_amount(&number.replace('.', ",")), Some(minor));
    }
}

/// Every amount below 10 million major units reads back from how the pages write it.
fn formatted(minor: u32) {
    for c in currencies() {
        let scale = 10u32.pow(u32::from(c.minor_units));
        if minor == 0 || minor / scale >= 10_000_000 {
            continue;
        }
        let written = c.format(i64::from(minor));
        let number = written.strip_suffix(&format!(" {}", c.code)).expect("code");
        assert_eq!(c.parse_amount(number), Some(minor), "{written}");
    }
}

fn enrol(form: EnrolForm) {
    match form.parse() {
        Ok(e) => {
            let again = EnrolForm {
                name: e.name.clone(),
                email: e.email.clone().unwrap_or_default(),
                phone: e.phone.clone().unwrap_or_default(),
                birthday: e.birthday.clone().unwrap_or_default(),
                marketing_consent: e.marketing_consent,
            };
            assert_eq!(again.parse(), Ok(e.clone()), "enrolment is not normalised");
            assert!((1..=60).contains(&e.name.chars().count()));
            if let Some(email) = &e.email {
                assert_eq!(*email, email.to_lowercase());
                assert!(email.contains('@') && email.len() <= 254);
                // A member who joined with an email is found by it: by a POS order naming it
                // and by the staff search.
                assert_eq!(
                    normalise_email(email).as_deref(),
                    Some(&**email),
                    "POS: {email:?}"
                );
                assert_eq!(Query::parse(Some(email)), Some(Query::Email(email.clone())));
            }
            if let Some(phone) = &e.phone {
                assert_eq!(
                    normalise_phone(phone).as_deref(),
                    Some(&**phone),
                    "POS: {phone:?}"
                );
                let digits = phone.strip_prefix('+').unwrap_or(phone);
                assert!((7..=15).contains(&digits.len()));
                assert!(digits.bytes().all(|b| b.is_ascii_digit()));
            }
            if let Some(b) = &e.birthday {
                assert!(b.len() == 5 && b.as_bytes()[2] == b'-', "{b:?}");
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            let order = ["name", "email", "phone", "birthday"];
            let at: Vec<usize> = errors
                .iter()
                .map(|e| {
                    order
                        .iter()
                        .position(|f| *f == e.field)
                        .expect("a form field")
                })
                .collect();
            assert!(at.windows(2).all(|w| w[0] < w[1]), "{errors:?}");
        }
    }
}
