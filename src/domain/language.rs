//! The languages customers read: English and Polish. Which one a page is shown in (the member's
//! saved choice, else the browser's `Accept-Language`, else English), and counted nouns with the
//! right plural form ("1 punkt", "2 punkty", "5 punktów"). No I/O: callers pass the header.

use serde::{Deserialize, Serialize};

use super::ids::MerchantId;

/// The languages pages and messages come in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    En,
    Pl,
}

impl Language {
    /// Every language the pages and messages come in.
    pub const ALL: [Language; 2] = [Language::En, Language::Pl];

    /// Reads a language code as stored (`en`, `pl`).
    pub fn parse(s: &str) -> Option<Language> {
        match s {
            "en" => Some(Language::En),
            "pl" => Some(Language::Pl),
            _ => None,
        }
    }

    /// Returns the code as stored and as HTML's `lang` attribute wants it.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Pl => "pl",
        }
    }

    /// Picks the English or the Polish text.
    pub fn pick<T>(self, en: T, pl: T) -> T {
        match self {
            Language::En => en,
            Language::Pl => pl,
        }
    }

    /// Writes a number formatted with a decimal point as this language does: a comma in
    /// Polish ("12,50 PLN", "25,0 %").
    pub fn decimal(self, number: String) -> String {
        match self {
            Language::En => number,
            Language::Pl => number.replace('.', ","),
        }
    }
}

/// Returns the name of the cookie that remembers, on the phone, the language a member saved at
/// `merchant` (a display preference mirrored from the member row; not signed, as it grants
/// nothing).
pub fn cookie_name(merchant: MerchantId) -> String {
    format!("le_lang_{merchant}")
}

/// Chooses the language of a customer page: the member's saved choice when known, else the
/// browser's preferred language among ours, else English (the default of message settings too).
pub fn choose(saved: Option<Language>, accept_language: Option<&str>) -> Language {
    saved
        .or_else(|| accept_language.and_then(from_accept_language))
        .unwrap_or_default()
}

/// Reads an `Accept-Language` header (RFC 9110: `pl-PL,pl;q=0.9,en;q=0.8`) and returns the
/// language of ours with the highest weight; on equal weights the one listed first. Tags with
/// `q=0`, a malformed weight, or none of ours give `None`.
pub fn from_accept_language(header: &str) -> Option<Language> {
    let mut best: Option<(u16, Language)> = None;
    // A header longer than this is not a browser's; the first entries decide anyway.
    for item in header.split(',').take(32) {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        let primary = tag.split('-').next().unwrap_or_default();
        let Some(language) = Language::ALL
            .into_iter()
            .find(|l| primary.eq_ignore_ascii_case(l.as_str()))
        else {
            continue;
        };
        let mut weight = Some(1000);
        for param in parts {
            if let Some(q) = param.trim().strip_prefix("q=") {
                weight = quality(q);
            }
        }
        match weight {
            Some(w) if w > 0 && best.is_none_or(|(b, _)| w > b) => best = Some((w, language)),
            _ => {}
        }
    }
    best.map(|(_, l)| l)
}

/// Reads a weight (`1`, `0.9`, `0.875`) as thousandths; anything else is `None`.
fn quality(q: &str) -> Option<u16> {
    let (whole, fraction) = q.split_once('.').unwrap_or((q, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{fraction:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// The plural forms a language distinguishes for whole numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    /// 1 (English, Polish).
    One,
    /// Polish 2-4, 22-24, 32-34, ... but not 12-14 ("2 punkty").
    Few,
    /// Everything else ("5 punktów", "12 punktów", "0 points").
    Many,
}

/// Returns the plural form `n` takes in `language` (the sign does not matter: "-1 punkt").
pub fn plural(language: Language, n: i64) -> Plural {
    let n = n.unsigned_abs();
    match language {
        _ if n == 1 => Plural::One,
        Language::En => Plural::Many,
        Language::Pl if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) => {
            Plural::Few
        }
        Language::Pl => Plural::Many,
    }
}

/// Things the pages count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noun {
    Point,
    Stamp,
    Minute,
    Hour,
    Day,
    Customer,
}

impl Noun {
    /// The noun's forms for one, few and many.
    fn forms(self, language: Language) -> [&'static str; 3] {
        match (self, language) {
            (Noun::Point, Language::En) => ["point", "points", "points"],
            (Noun::Point, Language::Pl) => ["punkt", "punkty", "punktów"],
            (Noun::Stamp, Language::En) => ["stamp", "stamps", "stamps"],
            (Noun::Stamp, Language::Pl) => ["pieczątka", "pieczątki", "pieczątek"],
            (Noun::Minute, Language::En) => ["minute", "minutes", "minutes"],
            (Noun::Minute, Language::Pl) => ["minuta", "minuty", "minut"],
            (Noun::Hour, Language::En) => ["hour", "hours", "hours"],
            (Noun::Hour, Language::Pl) => ["godzina", "godziny", "godzin"],
            (Noun::Day, Language::En) => ["day", "days", "days"],
            (Noun::Day, Language::Pl) => ["dzień", "dni", "dni"],
            (Noun::Customer, Language::En) => ["customer", "customers", "customers"],
            (Noun::Customer, Language::Pl) => ["klienta", "klientów", "klientów"], // genitive: "do 1 klienta", "o 5 klientów"
        }
    }

    /// Returns the form of the noun that goes with `n`, without the number ("punktów").
    pub fn word(self, language: Language, n: i64) -> &'static str {
        let [one, few, many] = self.forms(language);
        match plural(language, n) {
            Plural::One => one,
            Plural::Few => few,
            Plural::Many => many,
        }
    }

    /// Returns `n` with the noun in its right form ("5 punktów", "1 stamp").
    pub fn count(self, language: Language, n: i64) -> String {
        format!("{n} {}", self.word(language, n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::{En, Pl};

    #[test]
    fn polish_plurals_follow_the_last_digits() {
        let cases = [
            (0, Plural::Many),
            (1, Plural::One),
            (2, Plural::Few),
            (4, Plural::Few),
            (5, Plural::Many),
            (11, Plural::Many),
            (12, Plural::Many),
            (14, Plural::Many),
            (21, Plural::Many),
            (22, Plural::Few),
            (24, Plural::Few),
            (25, Plural::Many),
            (101, Plural::Many),
            (102, Plural::Few),
            (112, Plural::Many),
            (1_000_003, Plural::Few),
            (-3, Plural::Few),
            (-1, Plural::One),
        ];
        for (n, form) in cases {
            assert_eq!(plural(Pl, n), form, "{n}");
        }
    }

    #[test]
    fn counted_nouns_read_naturally_in_both_languages() {
        assert_eq!(Noun::Point.count(Pl, 1), "1 punkt");
        assert_eq!(Noun::Point.count(Pl, 3), "3 punkty");
        assert_eq!(Noun::Point.count(Pl, 5), "5 punktów");
        assert_eq!(Noun::Point.count(Pl, 13), "13 punktów");
        assert_eq!(Noun::Point.count(Pl, 23), "23 punkty");
        assert_eq!(Noun::Stamp.count(Pl, 1), "1 pieczątka");
        assert_eq!(Noun::Stamp.count(Pl, 2), "2 pieczątki");
        assert_eq!(Noun::Stamp.count(Pl, 8), "8 pieczątek");
        assert_eq!(Noun::Day.count(Pl, 2), "2 dni");
        assert_eq!(Noun::Hour.count(Pl, 22), "22 godziny");
        assert_eq!(Noun::Minute.count(Pl, 15), "15 minut");
        assert_eq!(Noun::Point.count(En, 1), "1 point");
        assert_eq!(Noun::Point.count(En, 0), "0 points");
        assert_eq!(Noun::Stamp.count(En, 2), "2 stamps");
    }

    #[test]
    fn accept_language_picks_the_heaviest_of_ours() {
        let cases = [
            ("pl-PL,pl;q=0.9", Some(Pl)),
            ("pl-PL,pl;q=0.9,en-US;q=0.8,en;q=0.7", Some(Pl)),
            ("en-US,en;q=0.9,pl;q=0.8", Some(En)),
            ("de-DE,de;q=0.9,pl;q=0.5,en;q=0.4", Some(Pl)),
            ("en;q=0.5, PL;q=0.6", Some(Pl)),
            ("pl;q=0, en;q=0.1", Some(En)),
            ("pl, en", Some(Pl)),
            ("en, pl", Some(En)),
            ("pl;q=1.0", Some(Pl)),
            ("de-DE,fr;q=0.9", None),
            ("*", None),
            ("", None),
            ("pl;q=2, en;q=abc", None),
            ("pl;q=0.1234", None),
            ("polish", None),
        ];
        for (header, expected) in cases {
            assert_eq!(from_accept_language(header), expected, "{header:?}");
        }
    }

    #[test]
    fn a_saved_choice_wins_over_the_browser_and_english_is_the_last_resort() {
        assert_eq!(choose(Some(En), Some("pl-PL,pl;q=0.9")), En);
        assert_eq!(choose(Some(Pl), Some("en-US")), Pl);
        assert_eq!(choose(None, Some("pl-PL,pl;q=0.9")), Pl);
        assert_eq!(choose(None, Some("de-DE")), En);
        assert_eq!(choose(None, None), En);
    }
}
