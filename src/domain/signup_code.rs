//! The operator's sign-up codes (`SIGNUP=invite`): how a code is made and read back as typed,
//! the hash the directory keeps, the note and validity the operator may give one. No I/O.

use sha2::{Digest, Sha256};

use super::ids::to_hex;

/// Crockford's base 32: no I, L, O or U, so a code read aloud or retyped survives.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters of a code: 20 of 32 letters, 100 random bits.
pub const CODE_LEN: usize = 20;
/// Random bytes a code is made from (the first 100 bits are used).
pub const RANDOM_BYTES: usize = 13;
/// How long a code works unless the operator says otherwise, in days.
pub const DEFAULT_DAYS: i64 = 14;
/// The longest validity the operator may give, in days.
pub const MAX_DAYS: i64 = 90;
/// The longest note, in characters.
pub const MAX_NOTE: usize = 200;

/// Makes a code from random bytes, in groups of five ("7K2QD-...").
pub fn new_code(random: [u8; RANDOM_BYTES]) -> String {
    let mut bits: u128 = 0;
    for b in random {
        bits = (bits << 8) | u128::from(b);
    }
    let mut out = String::with_capacity(CODE_LEN + 3);
    for i in 0..CODE_LEN {
        if i > 0 && i % 5 == 0 {
            out.push('-');
        }
        let shift = 104 - 5 * (i + 1);
        let index = usize::try_from((bits >> shift) & 31).unwrap_or(0);
        out.push(ALPHABET.get(index).map_or('0', |c| char::from(*c)));
    }
    out
}

/// Reads a code as typed: any case, with or without dashes and spaces, O for 0 and I or L for 1.
/// Returns its canonical form (20 letters, no dashes), or `None`.
pub fn parse(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(CODE_LEN);
    for c in raw.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) || out.len() == CODE_LEN {
            return None;
        }
        out.push(c);
    }
    (out.len() == CODE_LEN).then_some(out)
}

/// The stored id of a canonical code: its SHA-256 in hex (the code itself is never stored).
pub fn id(canonical: &str) -> String {
    to_hex(&Sha256::digest(canonical.as_bytes()))
}

/// Checks the operator's note (at most 200 characters, no control characters; trimmed).
pub fn note(raw: &str) -> Result<String, &'static str> {
    let note = raw.trim();
    if note.chars().count() > MAX_NOTE || note.chars().any(char::is_control) {
        return Err("must be at most 200 characters, without line breaks");
    }
    Ok(note.to_owned())
}

/// Checks the validity the operator asks for, in days (1 to 90; none: 14), and returns it in ms.
pub fn valid_ms(days: Option<i64>) -> Result<i64, &'static str> {
    let days = days.unwrap_or(DEFAULT_DAYS);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err("must be 1 to 90 days");
    }
    Ok(days * 86_400_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_code_reads_back_however_it_is_typed() {
        let code = new_code([0xff; RANDOM_BYTES]);
        assert_eq!(code, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ");
        let code = new_code([
            0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 1, 2, 3, 4, 5,
        ]);
        assert_eq!(code.len(), 23);
        let canonical = parse(&code).unwrap();
        assert_eq!(canonical, code.replace('-', ""));
        assert_eq!(
            parse(&code.to_lowercase()).as_deref(),
            Some(canonical.as_str())
        );
        assert_eq!(
            parse(&format!(" {} ", canonical)).as_deref(),
            Some(canonical.as_str())
        );
        assert_eq!(parse("0O1IL").map(|_| ()), None, "too short");
        assert_eq!(
            parse("OOOOO-IIIII-LLLLL-00000").as_deref(),
            Some("00000111111111100000")
        );
        assert_eq!(parse("UUUUU-UUUUU-UUUUU-UUUUU"), None, "no U");
        assert_eq!(parse(&"0".repeat(21)), None, "too long");
        assert_eq!(parse("ąąąąą-00000-00000-00000"), None);
        assert_eq!(id(&canonical).len(), 64);
        assert_ne!(id(&canonical), canonical);
    }

    #[test]
    fn different_random_bytes_make_different_codes() {
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..=255u8 {
            let mut r = [0u8; RANDOM_BYTES];
            r[12] = i & 0xf0;
            r[0] = i;
            assert!(seen.insert(new_code(r)));
        }
    }

    #[test]
    fn the_operator_gives_a_short_note_and_a_validity_in_days() {
        assert_eq!(note("  for Ala's café ").unwrap(), "for Ala's café");
        assert!(note(&"x".repeat(201)).is_err());
        assert!(note("a\nb").is_err());
        assert_eq!(valid_ms(None).unwrap(), 14 * 86_400_000);
        assert_eq!(valid_ms(Some(1)).unwrap(), 86_400_000);
        assert!(valid_ms(Some(0)).is_err());
        assert!(valid_ms(Some(91)).is_err());
    }
}
