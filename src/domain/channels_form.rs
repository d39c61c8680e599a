//! The console's channels form: which channels a merchant sends by, the sender's name and
//! reply-to address, the card's push offer in each language, quiet hours and the frequency cap.
//! Parsed here into the merchant's messaging settings, every bad field named at once.

use chrono::NaiveTime;

use super::email::check_address;
use super::language::Language;
use super::messages::{QuietHours, Settings};

/// The form as posted (text as typed, so it can come back with the errors).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelsForm {
    pub email: bool,
    pub push: bool,
    pub sender_name: String,
    pub reply_to: String,
    pub offer_en: String,
    pub offer_pl: String,
    /// Both empty: no quiet hours.
    pub quiet_start: String,
    pub quiet_end: String,
    pub cap_days: String,
}

/// What is wrong with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    SenderName,
    ReplyTo,
    Offer,
    QuietTime,
    Cap,
}

impl Problem {
    /// The problem in words, in `l`.
    pub fn text(self, l: Language) -> &'static str {
        match self {
            Problem::SenderName => l.pick(
                "Use at most 80 characters on one line, or leave it empty for the business name.",
                "Użyj najwyżej 80 znaków w jednym wierszu albo zostaw puste: będzie nazwa firmy.",
            ),
            Problem::ReplyTo => l.pick(
                "Give an email address like name@example.com, or leave it empty.",
                "Podaj adres e-mail, np. imie@example.com, albo zostaw puste.",
            ),
            Problem::Offer => l.pick(
                "Use at most 120 characters on one line, or leave it empty for ours.",
                "Użyj najwyżej 120 znaków w jednym wierszu albo zostaw puste: będzie nasz tekst.",
            ),
            Problem::QuietTime => l.pick(
                "Give both times like 21:00, or leave both empty for no quiet hours.",
                "Podaj obie godziny, np. 21:00, albo zostaw obie puste: bez godzin ciszy.",
            ),
            Problem::Cap => l.pick(
                "Give a number of days from 0 (no limit) to 365.",
                "Podaj liczbę dni od 0 (bez limitu) do 365.",
            ),
        }
    }
}

impl ChannelsForm {
    /// The form filled in from `settings`.
    pub fn of(settings: &Settings) -> ChannelsForm {
        let time = |t: NaiveTime| t.format("%H:%M").to_string();
        ChannelsForm {
            email: settings.email,
            push: settings.push,
            sender_name: settings.sender_name.clone().unwrap_or_default(),
            reply_to: settings.reply_to.clone().unwrap_or_default(),
            offer_en: settings
                .push_offer
                .get(&Language::En)
                .cloned()
                .unwrap_or_default(),
            offer_pl: settings
                .push_offer
                .get(&Language::Pl)
                .cloned()
                .unwrap_or_default(),
            quiet_start: settings
                .quiet_hours
                .map(|q| time(q.start))
                .unwrap_or_default(),
            quiet_end: settings
                .quiet_hours
                .map(|q| time(q.end))
                .unwrap_or_default(),
            cap_days: settings.marketing_cap_days.to_string(),
        }
    }

    /// Reads the posted fields (`field` gives a field's value, if sent).
    pub fn read(field: impl Fn(&str) -> Option<String>) -> ChannelsForm {
        let text = |name: &str| field(name).unwrap_or_default().trim().to_string();
        ChannelsForm {
            email: field("email").is_some_and(|v| v == "on"),
            push: field("push").is_some_and(|v| v == "on"),
            sender_name: text("sender_name"),
            reply_to: text("reply_to"),
            offer_en: text("offer_en"),
            offer_pl: text("offer_pl"),
            quiet_start: text("quiet_start"),
            quiet_end: text("quiet_end"),
            cap_days: text("cap_days"),
        }
    }

    /// Writes the form into `settings` (the rest of them unchanged), or names every bad field.
    pub fn apply(&self, settings: &Settings) -> Result<Settings, Vec<(&'static str, Problem)>> {
        let mut errors = Vec::new();
        let one_line =
            |s: &str, max: usize| s.chars().count() <= max && !s.chars().any(char::is_control);
        if !one_line(&self.sender_name, 80) {
            errors.push(("sender_name", Problem::SenderName));
        }
        if !self.reply_to.is_empty() && check_address(&self.reply_to).is_err() {
            errors.push(("reply_to", Problem::ReplyTo));
        }
        for (field, offer) in [("offer_en", &self.offer_en), ("offer_pl", &self.offer_pl)] {
            if !one_line(offer, 120) {
                errors.push((field, Problem::Offer));
            }
        }
        let time = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").ok();
        let quiet = match (self.quiet_start.as_str(), self.quiet_end.as_str()) {
            ("", "") => Some(None),
            (a, b) => match (time(a), time(b)) {
                (Some(start), Some(end)) => Some(Some(QuietHours { start, end })),
                _ => None,
            },
        };
        if quiet.is_none() {
            errors.push(("quiet_start", Problem::QuietTime));
        }
        let cap = self.cap_days.parse::<u32>().ok().filter(|d| *d <= 365);
        if cap.is_none() {
            errors.push(("cap_days", Problem::Cap));
        }
        let (Some(quiet), Some(cap), true) = (quiet, cap, errors.is_empty()) else {
            return Err(errors);
        };
        let mut s = settings.clone();
        s.email = self.email;
        s.push = self.push;
        let some = |v: &str| (!v.is_empty()).then(|| v.to_string());
        s.sender_name = some(&self.sender_name);
        s.reply_to = some(&self.reply_to);
        s.push_offer.clear();
        for (l, offer) in [
            (Language::En, &self.offer_en),
            (Language::Pl, &self.offer_pl),
        ] {
            if let Some(o) = some(offer) {
                s.push_offer.insert(l, o);
            }
        }
        s.quiet_hours = quiet;
        s.marketing_cap_days = cap;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ChannelsForm {
        ChannelsForm {
            email: true,
            push: true,
            sender_name: "Kawiarnia Ala".into(),
            reply_to: "ala@cafe.example".into(),
            offer_en: String::new(),
            offer_pl: "Dam znać, gdy kawa będzie gratis".into(),
            quiet_start: "21:00".into(),
            quiet_end: "08:30".into(),
            cap_days: "5".into(),
        }
    }

    #[test]
    fn a_good_form_sets_the_channels_and_keeps_the_rest() {
        let before = Settings {
            endpoint_url: Some("https://pos.example/hook".into()),
            ..Settings::default()
        };
        let s = form().apply(&before).unwrap();
        assert!(s.email && s.push && s.sends());
        assert_eq!(s.endpoint_url, before.endpoint_url);
        assert_eq!(s.reply_to.as_deref(), Some("ala@cafe.example"));
        assert_eq!(s.marketing_cap_days, 5);
        assert_eq!(
            s.push_offer(Language::Pl),
            "Dam znać, gdy kawa będzie gratis"
        );
        assert_eq!(
            s.push_offer(Language::En),
            "Get a message when your reward is ready"
        );
        assert_eq!(ChannelsForm::of(&s), form());
        assert!(s.check().is_ok());
    }

    #[test]
    fn every_bad_field_is_named_and_no_quiet_hours_is_allowed() {
        let bad = ChannelsForm {
            sender_name: "x".repeat(81),
            reply_to: "ala@".into(),
            offer_en: "a\nb".into(),
            quiet_start: "21:00".into(),
            quiet_end: String::new(),
            cap_days: "400".into(),
            ..form()
        };
        let fields: Vec<_> = bad
            .apply(&Settings::default())
            .unwrap_err()
            .iter()
            .map(|e| e.0)
            .collect();
        assert_eq!(
            fields,
            [
                "sender_name",
                "reply_to",
                "offer_en",
                "quiet_start",
                "cap_days"
            ]
        );
        let open = ChannelsForm {
            quiet_start: String::new(),
            quiet_end: String::new(),
            ..form()
        };
        assert_eq!(open.apply(&Settings::default()).unwrap().quiet_hours, None);
    }
}
