//! Tills: pairing a tablet to a location with a short code from the console, the tablet's
//! long-lived cookie, and the personal PINs people sign in with at a paired till.
//!
//! A pairing code is eight characters of an alphabet without look-alikes (no 0/O, 1/I), shown
//! as `ABCD-EFGH` and valid [`PAIRING_MS`]; only its SHA-256 is stored. A PIN is 4 to 6 digits,
//! kept as HMAC-SHA256 under the operator's session key, so the database alone cannot be searched
//! for it; [`PIN_TRIES`] wrong tries lock that person at that till for [`PIN_LOCK_MS`].

use sha2::{Digest, Sha256};

use super::ids::to_hex;
use super::keys::{mac, SessionKey};
use super::language::Language;

/// The characters of a pairing code: digits and capitals that cannot be misread for another.
pub const CODE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// Characters in a pairing code (40 bits).
pub const CODE_LEN: usize = 8;
/// How long a pairing code may be used, in ms.
pub const PAIRING_MS: i64 = 10 * 60_000;
/// Wrong pairing codes one address may type per window before it must wait.
pub const PAIRING_FAILURES: i64 = 10;
/// The window of [`PAIRING_FAILURES`], in ms.
pub const PAIRING_WINDOW_MS: i64 = 15 * 60_000;
/// Wrong PINs that lock a person at one till.
pub const PIN_TRIES: i64 = 5;
/// How long that lock lasts, in ms.
pub const PIN_LOCK_MS: i64 = 15 * 60_000;
/// The cookie of a paired till (sent only to `/staff`).
pub const TILL_COOKIE: &str = "le_till";
/// How long a till stays paired without being used, in seconds (400 days, the most browsers keep).
pub const TILL_COOKIE_SECS: i64 = 400 * 86_400;
/// The longest a till's label may be.
pub const LABEL_MAX: usize = 40;

/// Writes a pairing code from eight random bytes (five bits of each).
pub fn pairing_code(random: &[u8; 8]) -> String {
    random
        .iter()
        .filter_map(|b| {
            CODE_ALPHABET
                .get(usize::from(b & 31))
                .copied()
                .map(char::from)
        })
        .collect()
}

/// Shows a pairing code as people read it aloud: `ABCD-EFGH`.
pub fn show_code(code: &str) -> String {
    match (code.get(..4), code.get(4..)) {
        (Some(a), Some(b)) => format!("{a}-{b}"),
        _ => code.to_owned(),
    }
}

/// Reads a typed pairing code: case, spaces and dashes do not matter.
pub fn parse_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let ok = code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b));
    ok.then_some(code)
}

/// The stored id of a pairing code (or of a till's cookie secret).
pub fn code_id(code: &str) -> String {
    to_hex(&Sha256::digest(code.as_bytes()))
}

/// A till's label: trimmed, 1 to [`LABEL_MAX`] characters, no control characters.
pub fn parse_label(typed: &str) -> Result<String, LabelProblem> {
    let label = typed.trim();
    if label.is_empty() {
        return Err(LabelProblem::Empty);
    }
    if label.chars().count() > LABEL_MAX || label.chars().any(char::is_control) {
        return Err(LabelProblem::Invalid);
    }
    Ok(label.to_owned())
}

/// What is wrong with a till's label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelProblem {
    Empty,
    Invalid,
}

impl LabelProblem {
    /// The problem in words, in `l`.
    pub fn text(self, l: Language) -> &'static str {
        match self {
            LabelProblem::Empty => l.pick(
                "Give the till a name staff will recognise, e.g. “Counter”.",
                "Nazwij kasę tak, by obsługa ją rozpoznała, np. „Lada”.",
            ),
            LabelProblem::Invalid => l.pick(
                "Use at most 40 ordinary characters.",
                "Użyj najwyżej 40 zwykłych znaków.",
            ),
        }
    }
}

/// What is wrong with a new PIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinProblem {
    /// Not 4 to 6 digits.
    Shape,
    /// One everybody tries first (all one digit, a run up or down).
    Guessable,
    /// The two entries differ.
    Mismatch,
}

impl PinProblem {
    /// The problem in words, in `l`.
    pub fn text(self, l: Language) -> &'static str {
        match self {
            PinProblem::Shape => l.pick("A PIN is 4 to 6 digits.", "PIN to od 4 do 6 cyfr."),
            PinProblem::Guessable => l.pick(
                "That PIN is the first anyone would try (like 1234 or 0000). Choose another.",
                "Taki PIN każdy sprawdzi najpierw (jak 1234 albo 0000). Wybierz inny.",
            ),
            PinProblem::Mismatch => l.pick("The two PINs differ.", "Oba PIN-y się różnią."),
        }
    }
}

/// Reads a PIN typed at the till: 4 to 6 digits, spaces ignored.
pub fn parse_pin(typed: &str) -> Option<String> {
    let pin: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    let ok = (4..=6).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(pin)
}

/// Checks a new PIN and its repetition.
pub fn check_new_pin(typed: &str, again: &str) -> Result<String, PinProblem> {
    let pin = parse_pin(typed).ok_or(PinProblem::Shape)?;
    let digits: Vec<i16> = pin.bytes().map(i16::from).collect();
    let steps: Vec<i16> = digits
        .iter()
        .zip(digits.iter().skip(1))
        .map(|(a, b)| b - a)
        .collect();
    let first = steps.first().copied().unwrap_or_default();
    // All one digit (step 0), or a run up or down (step 1 or -1).
    if first.abs() <= 1 && steps.iter().all(|s| *s == first) {
        return Err(PinProblem::Guessable);
    }
    if parse_pin(again).as_deref() != Some(pin.as_str()) {
        return Err(PinProblem::Mismatch);
    }
    Ok(pin)
}

/// The stored form of `person`'s PIN at `merchant`.
pub fn pin_hash(key: &SessionKey, merchant: &str, person: &str, pin: &str) -> String {
    to_hex(&mac(
        &key.0,
        &[
            b"pin\0",
            merchant.as_bytes(),
            b"\0",
            person.as_bytes(),
            b"\0",
            pin.as_bytes(),
        ],
    ))
}

/// Checks a PIN against its stored form, in constant time.
pub fn pin_matches(
    key: &SessionKey,
    merchant: &str,
    person: &str,
    pin: &str,
    stored: &str,
) -> bool {
    super::apikey::constant_time_eq(
        pin_hash(key, merchant, person, pin).as_bytes(),
        stored.as_bytes(),
    )
}

/// The CSRF token of the till behind cookie `value`: its forms carry it.
pub fn csrf_token(key: &SessionKey, value: &str) -> String {
    to_hex(&mac(&key.0, &[b"till-csrf\0", value.as_bytes()]))
}

/// Checks a till form's CSRF token, in constant time.
pub fn csrf_matches(key: &SessionKey, value: &str, presented: &str) -> bool {
    super::apikey::constant_time_eq(csrf_token(key, value).as_bytes(), presented.as_bytes())
}

/// The id actions at a till are recorded under: the person and the till.
pub fn actor_id(person: &str, till: &str) -> String {
    format!("{person}@{till}")
}

/// The choices of how long a till keeps a person signed in without use, in minutes.
pub const IDLE_CHOICES: [u32; 6] = [2, 5, 15, 30, 60, 480];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_alphabet_and_read_back_however_typed() {
        let code = pairing_code(&[0, 1, 31, 32, 200, 255, 7, 8]);
        assert_eq!(code.len(), CODE_LEN);
        assert_eq!(parse_code(&code), Some(code.clone()));
        let shown = show_code(&code);
        assert_eq!(shown.len(), 9);
        assert_eq!(parse_code(&shown.to_lowercase()), Some(code.clone()));
        assert_eq!(
            parse_code(&format!(" {} ", shown.replace('-', " "))),
            Some(code)
        );
        for bad in [
            "",
            "ABCD-EFG",
            "ABCD-EFGHJ",
            "ABCD-EFG0",
            "ABCD-EFGI",
            "ABCDÉFGH",
        ] {
            assert_eq!(parse_code(bad), None, "{bad}");
        }
        assert_ne!(code_id("ABCDEFGH"), code_id("ABCDEFGJ"));
        assert_eq!(code_id("ABCDEFGH").len(), 64);
    }

    #[test]
    fn every_byte_maps_into_the_alphabet() {
        for b in 0..=255u8 {
            let code = pairing_code(&[b; 8]);
            assert!(parse_code(&code).is_some(), "{b}");
        }
    }

    #[test]
    fn pins_are_four_to_six_digits_and_not_the_first_guesses() {
        assert_eq!(parse_pin("4821"), Some("4821".into()));
        assert_eq!(parse_pin(" 48 21 09 "), Some("482109".into()));
        for bad in ["", "482", "4821093", "48a1", "４８２１"] {
            assert_eq!(parse_pin(bad), None, "{bad}");
        }
        for guessable in ["0000", "1111", "1234", "4321", "123456", "987654", "5678"] {
            assert_eq!(
                check_new_pin(guessable, guessable),
                Err(PinProblem::Guessable),
                "{guessable}"
            );
        }
        assert_eq!(check_new_pin("4821", "4822"), Err(PinProblem::Mismatch));
        assert_eq!(check_new_pin("48", "48"), Err(PinProblem::Shape));
        assert_eq!(check_new_pin("4821", " 4821"), Ok("4821".into()));
        assert_eq!(check_new_pin("1357", "1357"), Ok("1357".into()));
    }

    #[test]
    fn a_pin_hash_is_bound_to_key_merchant_and_person() {
        let k = SessionKey([7; 32]);
        let h = pin_hash(&k, "0a0b0c0d", "p1", "4821");
        assert!(pin_matches(&k, "0a0b0c0d", "p1", "4821", &h));
        assert!(!pin_matches(&k, "0a0b0c0d", "p1", "4822", &h));
        assert!(!pin_matches(&k, "0a0b0c0e", "p1", "4821", &h));
        assert!(!pin_matches(&k, "0a0b0c0d", "p2", "4821", &h));
        assert!(!pin_matches(
            &SessionKey([8; 32]),
            "0a0b0c0d",
            "p1",
            "4821",
            &h
        ));
    }

    #[test]
    fn labels_are_trimmed_and_bounded() {
        assert_eq!(parse_label("  Counter "), Ok("Counter".into()));
        assert_eq!(parse_label("   "), Err(LabelProblem::Empty));
        assert_eq!(parse_label(&"x".repeat(41)), Err(LabelProblem::Invalid));
        assert_eq!(parse_label("a\u{7}b"), Err(LabelProblem::Invalid));
        assert!(parse_label(&"ł".repeat(40)).is_ok());
    }

    #[test]
    fn till_csrf_tokens_are_per_till() {
        let k = SessionKey([1; 32]);
        let t = csrf_token(&k, "aaa");
        assert!(csrf_matches(&k, "aaa", &t));
        assert!(!csrf_matches(&k, "aab", &t));
        assert!(!csrf_matches(&k, "aaa", ""));
    }
}
