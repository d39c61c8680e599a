//! Passwords of the people who run a merchant: what a new one must be, and how its hash is
//! stored. The key derivation itself (PBKDF2-SHA256) runs in the platform's Web Crypto, outside
//! the domain; here is the format it is stored in and the constant-time comparison.

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;

use super::apikey::constant_time_eq;

/// PBKDF2 iterations for new hashes: the most Workers' Web Crypto allows.
pub const ITERATIONS: u32 = 100_000;
/// Fewest characters a password may have.
pub const MIN_CHARS: usize = 10;
/// Most characters a password may have (the KDF's input stays small).
pub const MAX_CHARS: usize = 200;
/// Bytes of random salt per hash.
pub const SALT_BYTES: usize = 16;
/// The name a stored hash starts with.
const ALGORITHM: &str = "pbkdf2-sha256";

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    TooShort,
    TooLong,
    /// On the list of passwords people use most, or one character repeated, or the email.
    Common,
}

impl Weakness {
    /// The reason in English (the console words it in each language by this value).
    pub fn message(self) -> &'static str {
        match self {
            Weakness::TooShort => "use at least 10 characters",
            Weakness::TooLong => "use at most 200 characters",
            Weakness::Common => "this password is too easy to guess: choose another",
        }
    }
}

/// Passwords of 10 characters or more that people use most (lists of leaked passwords, English
/// and Polish); a new password equal to one of them, in any case, is refused.
const COMMON: [&str; 60] = [
    "1234567890",
    "0987654321",
    "1234567891",
    "12345678910",
    "123456789a",
    "a123456789",
    "1q2w3e4r5t",
    "1q2w3e4r5t6y",
    "q1w2e3r4t5",
    "qwertyuiop",
    "qwertyuiop1",
    "qwerty1234",
    "qwerty12345",
    "qwerty123456",
    "asdfghjkl1",
    "asdfghjkl;",
    "zxcvbnm123",
    "1qaz2wsx3edc",
    "zaq12wsx3edc",
    "zaq1@wsx3edc",
    "password12",
    "password123",
    "password1234",
    "password!1",
    "passw0rd123",
    "p@ssw0rd123",
    "iloveyou12",
    "iloveyou123",
    "abcdefghij",
    "abc1234567",
    "abcd123456",
    "1234512345",
    "123123123123",
    "1231231231",
    "1122334455",
    "0123456789",
    "9876543210",
    "987654321a",
    "letmein123",
    "welcome123",
    "football12",
    "baseball12",
    "superman12",
    "princess12",
    "sunshine12",
    "monkey1234",
    "dragon1234",
    "master1234",
    "haslo12345",
    "haslo123456",
    "polska1234",
    "polska12345",
    "kochamcie1",
    "kochamcie12",
    "zaq1zaq1zaq1",
    "qazwsxedcr",
    "qwertyuiop12",
    "changeme123",
    "administrator",
    "adminadmin",
];

/// Checks a new password for the person with `email`: long enough, not too long, not common.
pub fn check_new(password: &str, email: &str) -> Result<(), Weakness> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(Weakness::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(Weakness::TooLong);
    }
    let lower = password.to_lowercase();
    let one_char = lower.chars().all(|c| lower.starts_with(c));
    if one_char || lower == email.to_lowercase() || COMMON.contains(&lower.as_str()) {
        return Err(Weakness::Common);
    }
    Ok(())
}

/// A stored password hash: `pbkdf2-sha256$<iterations>$<salt>$<hash>` (base64, no padding), so
/// the iteration count can be raised for new hashes while old ones still verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredHash {
    pub iterations: u32,
    pub salt: Vec<u8>,
    pub hash: Vec<u8>,
}

impl StoredHash {
    /// Reads a stored hash; `None` if it is not one of ours.
    pub fn parse(stored: &str) -> Option<StoredHash> {
        let mut parts = stored.split('$');
        if parts.next()? != ALGORITHM {
            return None;
        }
        let iterations: u32 = parts.next()?.parse().ok()?;
        let salt = STANDARD_NO_PAD.decode(parts.next()?).ok()?;
        let hash = STANDARD_NO_PAD.decode(parts.next()?).ok()?;
        let ok = parts.next().is_none()
            && (1..=ITERATIONS).contains(&iterations)
            && salt.len() >= 8
            && hash.len() == 32;
        ok.then_some(StoredHash {
            iterations,
            salt,
            hash,
        })
    }

    /// Writes the stored form.
    pub fn format(&self) -> String {
        format!(
            "{ALGORITHM}${}${}${}",
            self.iterations,
            STANDARD_NO_PAD.encode(&self.salt),
            STANDARD_NO_PAD.encode(&self.hash)
        )
    }

    /// Checks bits derived from a presented password with this hash's salt and iterations.
    pub fn matches(&self, derived: &[u8]) -> bool {
        constant_time_eq(&self.hash, derived)
    }
}

/// A well-formed hash no password is known to match, verified against when an email is unknown
/// so that the answer takes as long as a wrong password's.
pub const DECOY: &str =
    "pbkdf2-sha256$100000$bG95YWx0eS1lZGdlLWRlY295$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_passwords_must_be_long_and_not_common() {
        let cases = [
            ("short1", Err(Weakness::TooShort)),
            ("ninechars", Err(Weakness::TooShort)),
            ("Password123", Err(Weakness::Common)),
            ("QWERTYUIOP", Err(Weakness::Common)),
            ("aaaaaaaaaaaa", Err(Weakness::Common)),
            ("ala@example.com", Err(Weakness::Common)),
            ("kawa z mlekiem o 7", Ok(())),
            ("zażółć gęślą", Ok(())),
        ];
        for (pw, want) in cases {
            assert_eq!(check_new(pw, "ala@example.com"), want, "{pw}");
        }
        assert_eq!(
            check_new(&"x1".repeat(101), "a@b.pl"),
            Err(Weakness::TooLong)
        );
        assert!(COMMON
            .iter()
            .all(|p| p.chars().count() >= MIN_CHARS && *p == p.to_lowercase()));
    }

    #[test]
    fn a_stored_hash_reads_back_and_compares_whole() {
        let h = StoredHash {
            iterations: ITERATIONS,
            salt: vec![7; SALT_BYTES],
            hash: vec![9; 32],
        };
        let text = h.format();
        assert!(text.starts_with("pbkdf2-sha256$100000$"));
        assert_eq!(StoredHash::parse(&text), Some(h.clone()));
        assert!(h.matches(&[9; 32]));
        assert!(!h.matches(&[9; 31]));
        let mut other = [9u8; 32];
        other[31] = 8;
        assert!(!h.matches(&other));
    }

    #[test]
    fn foreign_or_damaged_hashes_are_not_read() {
        for bad in [
            "",
            "bcrypt$10$abc$def",
            "pbkdf2-sha256$0$AAAAAAAAAAA$AAAA",
            "pbkdf2-sha256$200000$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "pbkdf2-sha256$100000$AAAAAAAAAAA$AAAA",
            "pbkdf2-sha256$100000$!!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ] {
            assert_eq!(StoredHash::parse(bad), None, "{bad}");
        }
        assert!(StoredHash::parse(DECOY).is_some());
    }
}
