//! Member search: what a staff member typed, read as an email, a phone number, a member code or
//! the start of a name; and the opaque cursor that pages through results.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::webhook::{normalise_email, normalise_phone};

/// What a search looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    All,
    Email(String),
    Phone(String),
    /// The start of a member id (the card shows the first eight characters as the member code).
    Code(String),
    /// The start of a name, with LIKE wildcards escaped.
    Name(String),
}

impl Query {
    /// Reads a search string; `None` for one too short or too long to be useful.
    pub fn parse(raw: Option<&str>) -> Option<Query> {
        let q = raw.map(str::trim).unwrap_or_default();
        if q.is_empty() {
            return Some(Query::All);
        }
        // Before the length cap: an email may be 254 characters, and a member who joined with
        // a long one must still be found by it.
        if q.contains('@') {
            return normalise_email(q).map(Query::Email);
        }
        if q.chars().count() > 100 {
            return None;
        }
        let lower = q.to_ascii_lowercase();
        if (8..=32).contains(&q.len()) && lower.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Some(Query::Code(lower));
        }
        if q.chars().any(|c| c.is_ascii_digit()) {
            return normalise_phone(q).map(Query::Phone);
        }
        let escaped: String = q
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        Some(Query::Name(escaped))
    }

    /// Returns the kind and value the SQL takes.
    pub fn sql(&self) -> (&'static str, &str) {
        match self {
            Query::All => ("all", ""),
            Query::Email(v) => ("email", v),
            Query::Phone(v) => ("phone", v),
            Query::Code(v) => ("code", v),
            Query::Name(v) => ("name", v),
        }
    }
}

/// Writes the cursor after the row (created_at, id).
pub fn cursor(created_at: i64, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{created_at}.{id}"))
}

/// Reads a cursor of member or referral ids back; `None` if it was not made by [`cursor`].
pub fn parse_cursor(raw: &str) -> Option<(i64, String)> {
    // Member ids, and referral ids (a member id, or two joined by a colon).
    let hex = |s: &str| s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    parse_cursor_of(raw, |id| match id.split_once(':') {
        None => hex(id),
        Some((a, b)) => hex(a) && hex(b),
    })
}

/// Reads a cursor back whose id `accept` takes; `None` if it was not made by [`cursor`].
pub fn parse_cursor_of(raw: &str, accept: impl Fn(&str) -> bool) -> Option<(i64, String)> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(raw).ok()?).ok()?;
    let (t, id) = text.split_once('.')?;
    accept(id).then_some(())?;
    Some((t.parse().ok()?, id.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_are_read_by_their_shape() {
        assert_eq!(Query::parse(None), Some(Query::All));
        assert_eq!(
            Query::parse(Some(" Ola@Example.com ")),
            Some(Query::Email("ola@example.com".into()))
        );
        assert_eq!(
            Query::parse(Some("+48 600-100-200")),
            Some(Query::Phone("+48600100200".into()))
        );
        assert_eq!(
            Query::parse(Some("1A2B3C4D")),
            Some(Query::Code("1a2b3c4d".into()))
        );
        assert_eq!(Query::parse(Some("Ola")), Some(Query::Name("Ola".into())));
        assert_eq!(
            Query::parse(Some("50%_off")),
            None,
            "digits with other signs: neither phone nor name"
        );
        assert_eq!(
            Query::parse(Some("a%b_c")),
            Some(Query::Name("a\\%b\\_c".into()))
        );
        assert_eq!(Query::parse(Some(&"x".repeat(101))), None);
    }

    #[test]
    fn a_long_email_is_still_searchable() {
        // Found by fuzzing (fuzz/fuzz_targets/staff_forms.rs): the join form takes emails up to
        // 254 characters, the search used to refuse anything over 100.
        let email = format!("{}@example.com", "a".repeat(64));
        let long = format!("{}@{}.example", "b".repeat(60), "c".repeat(80));
        for e in [email, long] {
            assert_eq!(Query::parse(Some(&e)), Some(Query::Email(e.clone())));
        }
        assert_eq!(
            Query::parse(Some(&format!("{}@x.pl", "a".repeat(260)))),
            None
        );
    }

    #[test]
    fn cursors_round_trip_and_reject_anything_else() {
        let id = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            parse_cursor(&cursor(1_795_000_000_000, id)),
            Some((1_795_000_000_000, id.into()))
        );
        assert_eq!(parse_cursor("not a cursor"), None);
        assert_eq!(parse_cursor(&URL_SAFE_NO_PAD.encode("12.x")), None);
    }

    proptest::proptest! {
        #[test]
        fn any_cursor_reads_back(created_at: i64, a in "[0-9a-f]{32}", b in proptest::option::of("[0-9a-f]{32}")) {
            let id = match b { Some(b) => format!("{a}:{b}"), None => a };
            proptest::prop_assert_eq!(parse_cursor(&cursor(created_at, &id)), Some((created_at, id)));
        }

        #[test]
        fn a_name_search_escapes_every_wildcard(q in "[a-z%_\\\\ ]{1,40}") {
            if let Some(Query::Name(n)) = Query::parse(Some(&q)) {
                let unescaped = n.replace("\\\\", "\u{0}").replace("\\%", "").replace("\\_", "");
                proptest::prop_assert!(!unescaped.contains('%') && !unescaped.contains('_'), "{}", n);
            }
        }
    }
}
