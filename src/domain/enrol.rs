//! Enrolment: the join form a new customer fills in on their phone, parsed into checked values.

use chrono::NaiveDate;

/// The join form as posted, every field as typed.
#[derive(Debug, Clone, Default)]
pub struct EnrolForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    /// `YYYY-MM-DD` from a date input, or `MM-DD`; empty when not given.
    pub birthday: String,
    pub marketing_consent: bool,
}

/// A checked enrolment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub name: String,
    /// Lowercased.
    pub email: Option<String>,
    /// Digits with a leading `+` when one was typed.
    pub phone: Option<String>,
    /// `MM-DD`; the year is not kept.
    pub birthday: Option<String>,
    pub marketing_consent: bool,
}

/// A field of the join form that needs fixing, with a message for the customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: &'static str,
}

impl EnrolForm {
    /// Checks every field, reporting all the problems at once so the form shows them together.
    pub fn parse(&self) -> Result<Enrolment, Vec<FieldError>> {
        let name = parse_name(&self.name);
        let email = optional(&self.email, parse_email);
        let phone = optional(&self.phone, parse_phone);
        let birthday = optional(&self.birthday, parse_birthday);
        match (name, email, phone, birthday) {
            (Ok(name), Ok(email), Ok(phone), Ok(birthday)) => Ok(Enrolment {
                name,
                email,
                phone,
                birthday,
                marketing_consent: self.marketing_consent,
            }),
            (name, email, phone, birthday) => Err([
                ("name", name.err()),
                ("email", email.err()),
                ("phone", phone.err()),
                ("birthday", birthday.err()),
            ]
            .into_iter()
            .filter_map(|(field, message)| message.map(|message| FieldError { field, message }))
            .collect()),
        }
    }
}

fn optional(
    raw: &str,
    parse: fn(&str) -> Result<String, &'static str>,
) -> Result<Option<String>, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        Ok(None)
    } else {
        parse(raw).map(Some)
    }
}

fn parse_name(raw: &str) -> Result<String, &'static str> {
    let name: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars = name.chars().count();
    if chars == 0 {
        return Err("please tell us your name");
    }
    if chars > 60 || name.chars().any(char::is_control) {
        return Err("please use at most 60 letters");
    }
    Ok(name)
}

/// Normalises an email address (lower case) and checks its shape, naming what is wrong.
pub fn parse_email(raw: &str) -> Result<String, &'static str> {
    const BAD: &str = "this does not look like an email address";
    let email = raw.to_lowercase();
    let (local, domain) = email.rsplit_once('@').ok_or(BAD)?;
    // One `@` only: POS webhooks and the staff search find members by an email of that shape
    // (`webhook::normalise_email`), so a second one would make a member no one can find.
    let ok = email.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && !local.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
    if ok {
        Ok(email)
    } else {
        Err(BAD)
    }
}

fn parse_phone(raw: &str) -> Result<String, &'static str> {
    const BAD: &str = "please give a phone number of 7 to 15 digits, like +48 600 100 200";
    let (plus, rest) = match raw.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, raw),
    };
    let mut digits = String::with_capacity(16);
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return Err(BAD),
        }
    }
    if !(7..=15).contains(&digits.len()) {
        return Err(BAD);
    }
    Ok(if plus { format!("+{digits}") } else { digits })
}

fn parse_birthday(raw: &str) -> Result<String, &'static str> {
    const BAD: &str = "please pick your birthday from the calendar";
    // A month/day pair is checked against a leap year, so 29 February is a valid birthday.
    let full = match raw.len() {
        10 => raw.to_owned(),
        5 => format!("2000-{raw}"),
        _ => return Err(BAD),
    };
    let date = NaiveDate::parse_from_str(&full, "%Y-%m-%d").map_err(|_| BAD)?;
    Ok(date.format("%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, email: &str, phone: &str, birthday: &str) -> EnrolForm {
        EnrolForm {
            name: name.into(),
            email: email.into(),
            phone: phone.into(),
            birthday: birthday.into(),
            marketing_consent: true,
        }
    }

    #[test]
    fn a_full_form_is_normalised() {
        let e = form(
            "  Ola   Nowak ",
            "Ola@Example.PL",
            "+48 600-100-200",
            "1990-02-28",
        )
        .parse()
        .unwrap();
        assert_eq!(e.name, "Ola Nowak");
        assert_eq!(e.email.as_deref(), Some("ola@example.pl"));
        assert_eq!(e.phone.as_deref(), Some("+48600100200"));
        assert_eq!(e.birthday.as_deref(), Some("02-28"));
        assert!(e.marketing_consent);
    }

    #[test]
    fn only_the_name_is_required() {
        let e = form("Ola", "", " ", "").parse().unwrap();
        assert_eq!((e.email, e.phone, e.birthday), (None, None, None));
    }

    #[test]
    fn feb_29_is_a_valid_birthday_and_feb_30_is_not() {
        assert_eq!(
            form("A", "", "", "02-29")
                .parse()
                .unwrap()
                .birthday
                .as_deref(),
            Some("02-29")
        );
        assert_eq!(
            form("A", "", "", "1996-02-29")
                .parse()
                .unwrap()
                .birthday
                .as_deref(),
            Some("02-29")
        );
        assert!(form("A", "", "", "02-30").parse().is_err());
        assert!(form("A", "", "", "1995-02-29").parse().is_err());
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let errors = form("", "not-an-email", "12", "yesterday")
            .parse()
            .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "email", "phone", "birthday"]);
    }

    #[test]
    fn bad_emails_and_phones_are_refused() {
        for bad in ["a@b", "@b.pl", "a@.pl", "a b@c.pl", "<a@b.pl>", "a@b@c.pl"] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
        for bad in [
            "123456",
            "+48 600 100 200 300 400",
            "600-ABC-200",
            "++48600100200",
        ] {
            assert!(parse_phone(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_accepted_email_is_one_a_pos_order_and_the_search_find_the_member_by() {
        // Found by fuzzing (fuzz/fuzz_targets/staff_forms.rs): "a@b@c.pl" used to be accepted
        // here while webhooks and the search refuse it, so the member could not be found.
        for raw in [
            "Ola@Example.PL",
            "a.b+tag@shop.example",
            "a@b@c.pl",
            "x@y@z",
        ] {
            if let Ok(email) = parse_email(raw) {
                assert_eq!(
                    crate::domain::webhook::normalise_email(&email).as_deref(),
                    Some(email.as_str()),
                    "{raw}"
                );
                assert_eq!(
                    crate::domain::search::Query::parse(Some(&email)),
                    Some(crate::domain::search::Query::Email(email.clone()))
                );
            }
        }
        assert!(parse_email("a@b@c.pl").is_err());
    }

    #[test]
    fn names_are_bounded() {
        assert!(parse_name(&"a".repeat(61)).is_err());
        assert!(parse_name("a\u{7}b").is_err());
        assert_eq!(parse_name("Zoë Łukasz").unwrap(), "Zoë Łukasz");
    }

    proptest::proptest! {
        #[test]
        fn an_accepted_form_is_already_normal(
            name in "[ \\t]{0,2}[A-Za-zżółćęśąźń]{1,12}( {1,3}[A-Za-z]{1,12}){0,2}[ ]{0,2}",
            email in "([A-Za-z0-9.+_-]{1,10}@[A-Za-z0-9-]{1,10}\\.[A-Za-z]{2,4})?",
            phone in "(\\+?[0-9 ().-]{6,20})?",
            birthday in "((19[0-9]{2}-)?(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))?",
        ) {
            let f = form(&name, &email, &phone, &birthday);
            if let Ok(e) = f.parse() {
                let again = EnrolForm {
                    name: e.name.clone(),
                    email: e.email.clone().unwrap_or_default(),
                    phone: e.phone.clone().unwrap_or_default(),
                    birthday: e.birthday.clone().unwrap_or_default(),
                    marketing_consent: e.marketing_consent,
                };
                proptest::prop_assert_eq!(again.parse(), Ok(e));
            }
        }
    }
}
