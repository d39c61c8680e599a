//! Automated messages: what kinds there are, which need marketing consent, the merchant's
//! settings (endpoint, language, quiet hours, frequency cap, muted kinds, templates), the default
//! templates in English and Polish, rendering, and when a failed delivery is tried again.

use std::collections::BTreeMap;

use chrono::{NaiveTime, TimeZone, Timelike};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::language::Noun;

/// How long delivery keeps trying, from the message's creation (or re-send), in ms: three days.
pub const HORIZON_MS: i64 = 72 * 3_600_000;
/// How long one attempt waits for the endpoint's answer, in ms.
pub const TIMEOUT_MS: i64 = 10_000;
/// How long a sender holds a message it is sending (longer than an attempt can take), in ms.
pub const LEASE_MS: i64 = 60_000;
/// Waits after the 1st, 2nd, ... failed attempt, in ms; the last repeats until the horizon.
pub const BACKOFF_MS: [i64; 8] = [
    60_000,
    5 * 60_000,
    30 * 60_000,
    2 * 3_600_000,
    5 * 3_600_000,
    10 * 3_600_000,
    14 * 3_600_000,
    20 * 3_600_000,
];

/// What happens after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Try again at this Unix ms.
    At(i64),
    /// The horizon has passed: dead-letter it.
    GiveUp,
}

/// After failed attempt number `attempts` (1 for the first) at `now`, when to try again: the
/// backoff wait, but never later than `give_up_at` (the last try happens at the horizon), and
/// not at all once `now` has reached it.
pub fn retry(attempts: u32, now: i64, give_up_at: i64) -> Retry {
    if now >= give_up_at {
        return Retry::GiveUp;
    }
    let i = (attempts.max(1) - 1) as usize;
    let wait = BACKOFF_MS
        .get(i)
        .or(BACKOFF_MS.last())
        .copied()
        .unwrap_or(HORIZON_MS);
    Retry::At((now + wait).min(give_up_at))
}

/// Whether a message needs the member's marketing consent (and counts against the cap and
/// waits out quiet hours), or is about their account and goes anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Transactional,
    Marketing,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Transactional => "transactional",
            Class::Marketing => "marketing",
        }
    }
}

/// The kinds of message, each queued by the change that causes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Welcome,
    BalanceUpdate,
    Milestone,
    TierChanged,
    RedemptionConfirmed,
    ReferralRewarded,
    PointsExpiring,
    RewardExpiring,
    BirthdayOffer,
    WeMissYou,
    Campaign,
    /// A merchant's automation (`domain::sequence`); its class is the sequence's.
    Sequence,
}

impl Kind {
    pub const ALL: [Kind; 12] = [
        Kind::Welcome,
        Kind::BalanceUpdate,
        Kind::Milestone,
        Kind::TierChanged,
        Kind::RedemptionConfirmed,
        Kind::ReferralRewarded,
        Kind::PointsExpiring,
        Kind::RewardExpiring,
        Kind::BirthdayOffer,
        Kind::WeMissYou,
        Kind::Campaign,
        Kind::Sequence,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Welcome => "welcome",
            Kind::BalanceUpdate => "balance_update",
            Kind::Milestone => "milestone",
            Kind::TierChanged => "tier_changed",
            Kind::RedemptionConfirmed => "redemption_confirmed",
            Kind::ReferralRewarded => "referral_rewarded",
            Kind::PointsExpiring => "points_expiring",
            Kind::RewardExpiring => "reward_expiring",
            Kind::BirthdayOffer => "birthday_offer",
            Kind::WeMissYou => "we_miss_you",
            Kind::Campaign => "campaign",
            Kind::Sequence => "sequence",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Offers are marketing; news about the member's own account is transactional. A sequence's
    /// message carries its own class (a return offer is marketing, a visit bonus is not).
    pub fn class(self) -> Class {
        match self {
            Kind::BirthdayOffer | Kind::WeMissYou | Kind::Campaign => Class::Marketing,
            _ => Class::Transactional,
        }
    }
}

/// Whether `id` has the shape of a message id (`<kind>:<occasion>`, e.g. `welcome:<member>`).
pub fn is_message_id(id: &str) -> bool {
    id.len() <= 120
        && id.contains(':')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b':' || b == b'_')
}

/// Visits (scans) after which a member hears they reached a milestone.
pub const MILESTONES: [i64; 7] = [5, 10, 25, 50, 100, 250, 500];

pub use super::language::Language;
pub use super::links::Via;

/// A message's words: a subject line (email; SMS and push ignore it) and the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub subject: String,
    pub text: String,
}

/// Local hours in which no marketing message is sent (it waits for `end`). `start` after `end`
/// spans midnight; equal times mean no quiet hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuietHours {
    #[serde(with = "hhmm")]
    pub start: NaiveTime,
    #[serde(with = "hhmm")]
    pub end: NaiveTime,
}

mod hhmm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.format("%H:%M").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        NaiveTime::parse_from_str(&text, "%H:%M")
            .map_err(|_| serde::de::Error::custom(format!("{text:?} is not a time like \"21:00\"")))
    }
}

/// A merchant's messaging settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Where messages are delivered as signed webhooks (None: messaging is off).
    pub endpoint_url: Option<String>,
    /// The language of members who have not chosen one.
    pub language: Language,
    /// No marketing messages in these local hours.
    pub quiet_hours: Option<QuietHours>,
    /// At most one marketing message per member in this many days (0: no cap).
    pub marketing_cap_days: u32,
    /// Kinds not sent at all.
    pub muted: Vec<Kind>,
    /// The merchant's own words, replacing the defaults per kind and language.
    pub templates: BTreeMap<Kind, BTreeMap<Language, Template>>,
    /// Send by email, from the operator's address with the merchant's name.
    pub email: bool,
    /// Send by Web Push to the cards of members who turned notifications on.
    pub push: bool,
    /// The name emails come from (None: the business name).
    pub sender_name: Option<String>,
    /// Where replies to emails go (None: no Reply-To).
    pub reply_to: Option<String>,
    /// The card's offer to turn notifications on, per language (None: ours).
    pub push_offer: BTreeMap<Language, String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            endpoint_url: None,
            language: Language::En,
            quiet_hours: Some(QuietHours {
                start: NaiveTime::from_hms_opt(21, 0, 0).unwrap_or_default(),
                end: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
            }),
            marketing_cap_days: 7,
            // A message for every coffee is noise; a merchant can switch it on.
            muted: vec![Kind::BalanceUpdate],
            templates: BTreeMap::new(),
            email: false,
            push: false,
            sender_name: None,
            reply_to: None,
            push_offer: BTreeMap::new(),
        }
    }
}

/// Longest endpoint URL, subject and text accepted.
const MAX_URL: usize = 2048;
const MAX_SUBJECT: usize = 200;
const MAX_TEXT: usize = 2000;

impl Settings {
    /// Checks settings as a merchant sent them; the error names the field.
    pub fn check(&self) -> Result<(), (String, String)> {
        if let Some(url) = &self.endpoint_url {
            check_endpoint(url).map_err(|m| ("endpoint_url".to_string(), m))?;
        }
        if let Some(name) = &self.sender_name {
            if name.trim().is_empty()
                || name.chars().count() > 80
                || name.chars().any(char::is_control)
            {
                return Err((
                    "sender_name".into(),
                    "must be 1 to 80 characters on one line".into(),
                ));
            }
        }
        if let Some(address) = &self.reply_to {
            super::email::check_address(address).map_err(|m| ("reply_to".to_string(), m))?;
        }
        for (language, offer) in &self.push_offer {
            if offer.trim().is_empty()
                || offer.chars().count() > 120
                || offer.chars().any(char::is_control)
            {
                return Err((
                    format!("push_offer.{}", language.as_str()),
                    "must be 1 to 120 characters on one line".into(),
                ));
            }
        }
        if self.marketing_cap_days > 365 {
            return Err((
                "marketing_cap_days".into(),
                "must be between 0 and 365".into(),
            ));
        }
        for (kind, by_language) in &self.templates {
            if *kind == Kind::Campaign {
                return Err((
                    "templates.campaign".into(),
                    "campaign messages take their words from each campaign's variants".into(),
                ));
            }
            for (language, t) in by_language {
                let field = format!("templates.{}.{}", kind.as_str(), language.as_str());
                check_template(t).map_err(|m| (field, m))?;
            }
        }
        Ok(())
    }

    /// The template for `kind` in `language`: the merchant's, else the default.
    pub fn template(&self, kind: Kind, language: Language) -> Template {
        self.templates
            .get(&kind)
            .and_then(|t| t.get(&language))
            .cloned()
            .unwrap_or_else(|| default_template(kind, language))
    }

    pub fn is_muted(&self, kind: Kind) -> bool {
        self.muted.contains(&kind)
    }

    /// Whether any channel is on: only then are messages queued at all.
    pub fn sends(&self) -> bool {
        self.endpoint_url.is_some() || self.email || self.push
    }

    /// The card's offer to turn notifications on.
    pub fn push_offer(&self, language: Language) -> String {
        self.push_offer.get(&language).cloned().unwrap_or_else(|| {
            language
                .pick(
                    "Get a message when your reward is ready",
                    "Dostań wiadomość, gdy nagroda będzie gotowa",
                )
                .to_string()
        })
    }
}

/// A member's channel opt-outs, as bits in `members.channel_opt_out`: offers (marketing) by
/// push 1, email 2, the merchant's sender 4; card news (service) by push 8, email 16, sender 32.
pub fn opt_out_bit(via: Via, class: Class) -> i64 {
    let base = match via {
        Via::Push => 1,
        Via::Email => 2,
        Via::Webhook => 4,
    };
    match class {
        Class::Marketing => base,
        Class::Transactional => base << 3,
    }
}

/// What can carry a message to one member now.
#[derive(Debug, Clone, Copy)]
pub struct Reach<'a> {
    /// Channels the merchant has on and the operator has set up.
    pub push_on: bool,
    pub email_on: bool,
    pub webhook_on: bool,
    /// The member's card has a push subscription.
    pub subscribed: bool,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub preferred: Option<&'a str>,
    pub opt_out: i64,
}

/// Chooses the channel of one message: the member's preferred one first, then push, email and
/// the merchant's webhook, each only if it is on, reaches the member and the member has not
/// turned this class of message off there. The note says which and why (for the delivery
/// log); the error says why none could.
pub fn choose(class: Class, r: &Reach<'_>) -> Result<(Via, String), String> {
    let email = r.email.filter(|e| !e.is_empty());
    let preferred = match r.preferred {
        Some("push") => Some(Via::Push),
        Some("email") => Some(Via::Email),
        Some("sms") => Some(Via::Webhook),
        _ => None,
    };
    let mut order: Vec<Via> = preferred.into_iter().collect();
    order.extend(Via::ALL.into_iter().filter(|v| Some(*v) != preferred));
    let mut skipped = Vec::new();
    for via in order {
        let why_not = match via {
            Via::Push if !r.push_on => Some("push is off"),
            Via::Push if !r.subscribed => Some("no push subscription"),
            Via::Email if !r.email_on => Some("email is off"),
            Via::Email if email.is_none() => Some("no email address"),
            Via::Webhook if !r.webhook_on => Some("no webhook endpoint"),
            Via::Webhook
                if email.is_none()
                    && r.phone.is_none_or(str::is_empty)
                    && preferred != Some(Via::Push) =>
            {
                Some("no email or phone for the merchant's sender")
            }
            _ if r.opt_out & opt_out_bit(via, class) != 0 => Some(match class {
                Class::Marketing => "the member turned offers off here",
                Class::Transactional => "the member turned card news off here",
            }),
            _ => None,
        };
        match why_not {
            None => {
                let first = if preferred == Some(via) {
                    "the member's preferred channel".to_string()
                } else if skipped.is_empty() {
                    "the first channel that reaches the member".to_string()
                } else {
                    skipped.join("; ")
                };
                return Ok((via, first));
            }
            Some(reason) => skipped.push(format!("{}: {reason}", via.as_str())),
        }
    }
    Err(format!(
        "no channel reaches the member ({})",
        skipped.join("; ")
    ))
}

/// Checks a template's length and that every `{{variable}}` is one we fill in.
pub fn check_template(t: &Template) -> Result<(), String> {
    if t.subject.chars().count() > MAX_SUBJECT {
        return Err(format!(
            "the subject is longer than {MAX_SUBJECT} characters"
        ));
    }
    if t.text.trim().is_empty() || t.text.chars().count() > MAX_TEXT {
        return Err(format!("the text must have 1 to {MAX_TEXT} characters"));
    }
    for part in [&t.subject, &t.text] {
        for name in placeholders(part)? {
            if !VARIABLES.contains(&name) {
                return Err(format!(
                    "{{{{{name}}}}} is not a variable; use one of {}",
                    VARIABLES.join(", ")
                ));
            }
        }
    }
    Ok(())
}

/// What is wrong with a template, in words for a person in `l` (the console's form).
pub fn template_problem(t: &Template, l: Language) -> Option<String> {
    if t.subject.chars().count() > MAX_SUBJECT {
        return Some(match l {
            Language::En => format!("Keep the subject to {MAX_SUBJECT} characters."),
            Language::Pl => format!("Temat może mieć najwyżej {MAX_SUBJECT} znaków."),
        });
    }
    if t.text.trim().is_empty() || t.text.chars().count() > MAX_TEXT {
        return Some(match l {
            Language::En => format!("Write a text of 1 to {MAX_TEXT} characters."),
            Language::Pl => format!("Napisz treść od 1 do {MAX_TEXT} znaków."),
        });
    }
    for part in [&t.subject, &t.text] {
        let Ok(names) = placeholders(part) else {
            return Some(
                l.pick("A {{ has no }} to close it.", "Brakuje }} zamykającego {{.")
                    .to_string(),
            );
        };
        if let Some(bad) = names.into_iter().find(|n| !VARIABLES.contains(n)) {
            let all: Vec<String> = VARIABLES.iter().map(|v| format!("{{{{{v}}}}}")).collect();
            let all = all.join(", ");
            return Some(match l {
                Language::En => {
                    format!("{{{{{bad}}}}} is not one of the words that fill themselves in: {all}.")
                }
                Language::Pl => format!(
                    "{{{{{bad}}}}} nie jest jednym ze słów, które uzupełniają się same: {all}."
                ),
            });
        }
    }
    None
}

/// Checks an endpoint URL: https, or http to this machine (for local development and tests);
/// no credentials in it.
pub fn check_endpoint(url: &str) -> Result<(), String> {
    if url.len() > MAX_URL || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "use a URL of at most {MAX_URL} characters, without spaces"
        ));
    }
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| "use an https:// URL".to_string())?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return Err("the URL needs a host and no user name or password".into());
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    match scheme {
        "https" => Ok(()),
        "http" if matches!(host, "127.0.0.1" | "localhost" | "::1") => Ok(()),
        _ => Err("use an https:// URL (plain http only to localhost)".into()),
    }
}

/// The variables templates may use.
pub const VARIABLES: [&str; 10] = [
    "name",
    "merchant",
    "points",
    "stamps",
    "stamps_to_next_reward",
    "reward",
    "expiry_date",
    "card_link",
    "tier",
    "amount",
];

/// What is known when a message is rendered.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub kind: Kind,
    pub language: Language,
    pub member_name: &'a str,
    pub merchant_name: &'a str,
    /// The member's balances now.
    pub points: i64,
    pub stamps: i64,
    pub card_size: u32,
    /// What a full card is worth, in the merchant's words.
    pub card_reward: &'a str,
    /// The member's level name now.
    pub tier: Option<&'a str>,
    pub card_link: &'a str,
    pub tz: Tz,
    /// What the event that queued the message recorded.
    pub payload: &'a serde_json::Value,
}

/// The variables of one message: `reward_name` names a reward id; `tier_name` a level number.
pub fn variables<'f>(
    f: &Facts<'f>,
    reward_name: &dyn Fn(&str) -> Option<String>,
    tier_name: &dyn Fn(i64) -> Option<String>,
) -> BTreeMap<&'static str, String> {
    let p = f.payload;
    let int = |k: &str| p.get(k).and_then(serde_json::Value::as_i64).unwrap_or(0);
    let reward = p
        .get("reward_id")
        .and_then(serde_json::Value::as_str)
        .and_then(reward_name);
    let to_next = if f.card_size == 0 {
        0
    } else {
        let size = i64::from(f.card_size);
        size - f.stamps.rem_euclid(size)
    };
    let amount = match f.kind {
        Kind::Milestone => int("visits").to_string(),
        Kind::PointsExpiring => int("points").to_string(),
        Kind::BirthdayOffer | Kind::ReferralRewarded | Kind::Sequence => {
            gift_words(int("points"), int("stamps"), reward.as_deref(), f.language)
        }
        _ => String::new(),
    };
    let expiry_date = p
        .get("expires_at")
        .and_then(serde_json::Value::as_i64)
        .and_then(|ms| f.tz.timestamp_millis_opt(ms).single())
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let tier = match f.kind {
        Kind::TierChanged => tier_name(int("to_tier")),
        _ => f.tier.map(str::to_string),
    };
    BTreeMap::from([
        ("name", f.member_name.to_string()),
        ("merchant", f.merchant_name.to_string()),
        ("points", f.points.to_string()),
        ("stamps", f.stamps.to_string()),
        ("stamps_to_next_reward", to_next.to_string()),
        (
            "reward",
            reward.unwrap_or_else(|| f.card_reward.to_string()),
        ),
        ("expiry_date", expiry_date),
        ("card_link", f.card_link.to_string()),
        ("tier", tier.unwrap_or_default()),
        ("amount", amount),
    ])
}

/// A gift in words: "50 points, 2 stamps and Free coffee" / "50 pkt, 2 pieczątki i Kawa".
pub fn gift_words(points: i64, stamps: i64, reward: Option<&str>, language: Language) -> String {
    let mut parts = Vec::new();
    if points > 0 {
        parts.push(match language {
            Language::En => format!("{points} points"),
            Language::Pl => format!("{points} pkt"),
        });
    }
    if stamps > 0 {
        parts.push(Noun::Stamp.count(language, stamps));
    }
    if let Some(r) = reward {
        parts.push(r.to_string());
    }
    let and = match language {
        Language::En => " and ",
        Language::Pl => " i ",
    };
    match parts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}{and}{last}", rest.join(", ")),
    }
}

/// The names inside `{{ }}` in `text`, or an error for a brace left open.
fn placeholders(text: &str) -> Result<Vec<&str>, String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = rest.get(open + 2..).unwrap_or_default();
        let close = after
            .find("}}")
            .ok_or_else(|| "a {{ is not closed with }}".to_string())?;
        names.push(after.get(..close).unwrap_or_default().trim());
        rest = after.get(close + 2..).unwrap_or_default();
    }
    Ok(names)
}

/// Fills `{{variable}}`s from `vars` (a missing value becomes empty text).
pub fn render(text: &str, vars: &BTreeMap<&str, String>) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 2..).unwrap_or_default();
        match after.find("}}") {
            Some(close) => {
                let name = after.get(..close).unwrap_or_default().trim();
                out.push_str(vars.get(name).map_or("", String::as_str));
                rest = after.get(close + 2..).unwrap_or_default();
            }
            None => {
                out.push_str(rest.get(open..).unwrap_or_default());
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The words a merchant starts with, per kind and language.
pub fn default_template(kind: Kind, language: Language) -> Template {
    let (subject, text) = match (kind, language) {
        (Kind::Welcome, Language::En) => (
            "Welcome to {{merchant}}",
            "Hi {{name}}, welcome to {{merchant}}'s loyalty card! You have {{points}} points and {{stamps}} stamps. Your card: {{card_link}}",
        ),
        (Kind::Welcome, Language::Pl) => (
            "Witamy w {{merchant}}",
            "Cześć {{name}}, witamy w programie lojalnościowym {{merchant}}! Masz {{points}} pkt i {{stamps}} pieczątek. Twoja karta: {{card_link}}",
        ),
        (Kind::BalanceUpdate, Language::En) => (
            "Your {{merchant}} card",
            "Thanks, {{name}}! You now have {{points}} points and {{stamps}} stamps; {{stamps_to_next_reward}} more to your next reward. {{card_link}}",
        ),
        (Kind::BalanceUpdate, Language::Pl) => (
            "Twoja karta {{merchant}}",
            "Dziękujemy, {{name}}! Masz teraz {{points}} pkt i {{stamps}} pieczątek; do nagrody brakuje {{stamps_to_next_reward}}. {{card_link}}",
        ),
        (Kind::Milestone, Language::En) => (
            "{{amount}} visits at {{merchant}}!",
            "{{name}}, that was your {{amount}}th visit to {{merchant}}. Thank you for coming back! {{card_link}}",
        ),
        (Kind::Milestone, Language::Pl) => (
            "{{amount}} wizyt w {{merchant}}!",
            "{{name}}, to była Twoja {{amount}}. wizyta w {{merchant}}. Dziękujemy, że wracasz! {{card_link}}",
        ),
        (Kind::TierChanged, Language::En) => (
            "Your level at {{merchant}}: {{tier}}",
            "{{name}}, your level at {{merchant}} is now {{tier}}. {{card_link}}",
        ),
        (Kind::TierChanged, Language::Pl) => (
            "Twój poziom w {{merchant}}: {{tier}}",
            "{{name}}, Twój poziom w {{merchant}} to teraz {{tier}}. {{card_link}}",
        ),
        (Kind::RedemptionConfirmed, Language::En) => (
            "Enjoy your {{reward}}",
            "{{name}}, your {{reward}} at {{merchant}} is confirmed. You have {{points}} points and {{stamps}} stamps left. {{card_link}}",
        ),
        (Kind::RedemptionConfirmed, Language::Pl) => (
            "Smacznego: {{reward}}",
            "{{name}}, odbiór nagrody {{reward}} w {{merchant}} potwierdzony. Zostało Ci {{points}} pkt i {{stamps}} pieczątek. {{card_link}}",
        ),
        (Kind::ReferralRewarded, Language::En) => (
            "Thanks for bringing a friend",
            "{{name}}, your friend joined {{merchant}}, so you got {{amount}}. {{card_link}}",
        ),
        (Kind::ReferralRewarded, Language::Pl) => (
            "Dziękujemy za polecenie",
            "{{name}}, Twój znajomy dołączył do {{merchant}}, więc otrzymujesz {{amount}}. {{card_link}}",
        ),
        (Kind::PointsExpiring, Language::En) => (
            "Your points expire on {{expiry_date}}",
            "{{name}}, {{amount}} of your points at {{merchant}} expire on {{expiry_date}}. Come by and use them! {{card_link}}",
        ),
        (Kind::PointsExpiring, Language::Pl) => (
            "Twoje punkty wygasają {{expiry_date}}",
            "{{name}}, {{amount}} Twoich punktów w {{merchant}} wygasa {{expiry_date}}. Wpadnij i je wykorzystaj! {{card_link}}",
        ),
        (Kind::RewardExpiring, Language::En) => (
            "Your {{reward}} expires on {{expiry_date}}",
            "{{name}}, your {{reward}} at {{merchant}} is waiting on your card until {{expiry_date}}. Show the code to staff: {{card_link}}",
        ),
        (Kind::RewardExpiring, Language::Pl) => (
            "{{reward}} ważne do {{expiry_date}}",
            "{{name}}, Twoja nagroda {{reward}} w {{merchant}} czeka na karcie do {{expiry_date}}. Pokaż kod obsłudze: {{card_link}}",
        ),
        (Kind::BirthdayOffer, Language::En) => (
            "Happy birthday from {{merchant}}!",
            "Happy birthday, {{name}}! {{merchant}} has a gift for you: {{amount}}. {{card_link}}",
        ),
        (Kind::BirthdayOffer, Language::Pl) => (
            "Wszystkiego najlepszego od {{merchant}}!",
            "Wszystkiego najlepszego, {{name}}! {{merchant}} ma dla Ciebie prezent: {{amount}}. {{card_link}}",
        ),
        (Kind::WeMissYou, Language::En) => (
            "We miss you at {{merchant}}",
            "{{name}}, it has been a while! You have {{points}} points and {{stamps}} stamps waiting at {{merchant}}. {{card_link}}",
        ),
        (Kind::WeMissYou, Language::Pl) => (
            "Tęsknimy za Tobą w {{merchant}}",
            "{{name}}, dawno Cię nie było! W {{merchant}} czeka na Ciebie {{points}} pkt i {{stamps}} pieczątek. {{card_link}}",
        ),
        (Kind::Sequence, Language::En) => (
            "A gift from {{merchant}}",
            "{{name}}, {{merchant}} has something for you: {{amount}}. See your card: {{card_link}}",
        ),
        (Kind::Sequence, Language::Pl) => (
            "Prezent od {{merchant}}",
            "{{name}}, {{merchant}} ma coś dla Ciebie: {{amount}}. Zobacz swoją kartę: {{card_link}}",
        ),
        (Kind::Campaign, Language::En) => (
            "News from {{merchant}}",
            "{{name}}, {{merchant}} has something for you. {{card_link}}",
        ),
        (Kind::Campaign, Language::Pl) => (
            "Nowości w {{merchant}}",
            "{{name}}, {{merchant}} ma coś dla Ciebie. {{card_link}}",
        ),
    };
    Template {
        subject: subject.to_string(),
        text: text.to_string(),
    }
}

/// When a marketing message due at `now` may go: `None` now, or the end of the merchant's quiet
/// hours (local time in `tz`; a skipped local time means the first instant after it).
pub fn quiet_until(now: i64, tz: Tz, quiet: Option<QuietHours>) -> Option<i64> {
    let q = quiet?;
    if q.start == q.end {
        return None;
    }
    let local = tz.timestamp_millis_opt(now).single()?.naive_local();
    let t = local.time().with_nanosecond(0)?;
    let inside = if q.start < q.end {
        t >= q.start && t < q.end
    } else {
        t >= q.start || t < q.end
    };
    if !inside {
        return None;
    }
    let mut date = local.date();
    if q.start > q.end && t >= q.start {
        date = date.succ_opt()?;
    }
    let end = date.and_time(q.end);
    let mut candidate = end;
    // A quiet end inside a spring-forward gap: the first local minute that exists after it.
    for _ in 0..180 {
        if let Some(at) = tz.from_local_datetime(&candidate).earliest() {
            return Some(at.timestamp_millis());
        }
        candidate += chrono::Duration::minutes(1);
    }
    None
}

/// Which contact a message goes to: the member's preferred channel if they gave that contact,
/// else email, else SMS; `None` when they gave neither (push needs only the member id).
pub fn channel(
    preferred: Option<&str>,
    email: Option<&str>,
    phone: Option<&str>,
) -> Option<(&'static str, Option<String>)> {
    let email = email.filter(|e| !e.is_empty());
    let phone = phone.filter(|p| !p.is_empty());
    match (preferred, email, phone) {
        (Some("push"), _, _) => Some(("push", None)),
        (Some("sms"), _, Some(p)) => Some(("sms", Some(p.to_string()))),
        (_, Some(e), _) => Some(("email", Some(e.to_string()))),
        (_, None, Some(p)) => Some(("sms", Some(p.to_string()))),
        _ => None,
    }
}

/// The GSM 03.38 basic characters (one septet each) and the extension characters (two).
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENSION: &str = "^{}\\[~]|€\u{c}";

/// How long a text message is: its length in the encoding it needs, how many parts it is sent
/// in, and whether it fits GSM-7 (else UCS-2, as Polish letters need: 70 a part, not 160).
pub fn sms_length(text: &str) -> (usize, usize, bool) {
    let gsm: Option<usize> = text.chars().try_fold(0usize, |n, c| {
        if GSM_BASIC.contains(c) {
            Some(n + 1)
        } else if GSM_EXTENSION.contains(c) {
            Some(n + 2)
        } else {
            None
        }
    });
    let (len, single, part) = match gsm {
        Some(n) => (n, 160, 153),
        None => (text.encode_utf16().count(), 70, 67),
    };
    let parts = match len {
        0 => 0,
        n if n <= single => 1,
        n => n.div_ceil(part),
    };
    (len, parts, gsm.is_some())
}

/// What a sample event of `kind` records, for previews: a milestone of 10 visits, 120 points
/// expiring in a week, a gift of 50 points.
pub fn sample_payload(kind: Kind, now: i64) -> serde_json::Value {
    match kind {
        Kind::Milestone => serde_json::json!({ "visits": 10 }),
        Kind::PointsExpiring => {
            serde_json::json!({ "points": 120, "expires_at": now + 7 * 86_400_000 })
        }
        Kind::RewardExpiring => serde_json::json!({ "expires_at": now + 2 * 86_400_000 }),
        Kind::BirthdayOffer | Kind::ReferralRewarded | Kind::Sequence => {
            serde_json::json!({ "points": 50 })
        }
        Kind::TierChanged => serde_json::json!({ "to_tier": 1 }),
        _ => serde_json::json!({}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(y: i32, mo: u32, d: u32, h: u32, mi: u32, tz: Tz) -> i64 {
        tz.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .earliest()
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn retries_back_off_and_stop_at_the_horizon() {
        let t0 = 1_000_000_000_000;
        let give_up = t0 + HORIZON_MS;
        let mut now = t0;
        let mut waits = Vec::new();
        let mut attempts = 1;
        while let Retry::At(next) = retry(attempts, now, give_up) {
            assert!(next > now && next <= give_up);
            waits.push(next - now);
            now = next;
            attempts += 1;
        }
        // Each wait is at least the one before, except the last, cut to the horizon.
        let (last, before) = waits.split_last().unwrap();
        assert!(before.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
        assert!(*last <= *before.last().unwrap());
        assert_eq!(now, give_up, "the last attempt is at the horizon");
        assert_eq!(waits.first(), Some(&60_000));
        assert!((10..=14).contains(&waits.len()), "{} retries", waits.len());
    }

    #[test]
    fn offers_are_marketing_and_account_news_is_not() {
        assert_eq!(Kind::WeMissYou.class(), Class::Marketing);
        assert_eq!(Kind::BirthdayOffer.class(), Class::Marketing);
        assert_eq!(Kind::RedemptionConfirmed.class(), Class::Transactional);
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
            for l in [Language::En, Language::Pl] {
                check_template(&default_template(k, l)).unwrap();
            }
        }
    }

    #[test]
    fn rendering_fills_variables_and_keeps_other_text() {
        let vars = BTreeMap::from([("name", "Ala".to_string()), ("points", "120".to_string())]);
        assert_eq!(
            render("Hi {{name}}, {{ points }} pts {{reward}}!", &vars),
            "Hi Ala, 120 pts !"
        );
        assert_eq!(render("a {{name", &vars), "a {{name");
        assert_eq!(render("zażółć {{name}}", &vars), "zażółć Ala");
    }

    #[test]
    fn templates_with_unknown_variables_or_open_braces_are_refused() {
        let t = |text: &str| Template {
            subject: String::new(),
            text: text.into(),
        };
        assert!(check_template(&t("Hi {{name}}")).is_ok());
        assert!(check_template(&t("Hi {{nmae}}"))
            .unwrap_err()
            .contains("{{nmae}}"));
        assert!(check_template(&t("Hi {{name")).is_err());
        assert!(check_template(&t("  ")).is_err());
    }

    #[test]
    fn endpoints_must_be_https_or_local() {
        assert!(check_endpoint("https://hooks.example.com/loyalty").is_ok());
        assert!(check_endpoint("http://127.0.0.1:8123/x").is_ok());
        assert!(check_endpoint("http://[::1]:8123/x").is_ok());
        assert!(check_endpoint("http://example.com/x").is_err());
        assert!(check_endpoint("http://127.0.0.1.evil.com/x").is_err());
        assert!(check_endpoint("https://user:pw@example.com/").is_err());
        assert!(check_endpoint("ftp://example.com/").is_err());
        assert!(check_endpoint("https:// example.com").is_err());
    }

    #[test]
    fn settings_parse_strictly_and_name_the_bad_field() {
        let s: Settings = serde_json::from_str(
            r#"{"endpoint_url":"https://x.example/h","language":"pl",
                "quiet_hours":{"start":"22:00","end":"08:30"},"marketing_cap_days":3,
                "muted":[],"templates":{"welcome":{"pl":{"subject":"Hej","text":"Hej {{name}}"}}}}"#,
        )
        .unwrap();
        s.check().unwrap();
        assert_eq!(s.template(Kind::Welcome, Language::Pl).subject, "Hej");
        assert_eq!(
            s.template(Kind::Welcome, Language::En),
            default_template(Kind::Welcome, Language::En)
        );
        assert!(serde_json::from_str::<Settings>(
            r#"{"quiet_hours":{"start":"25:00","end":"08:00"}}"#
        )
        .is_err());
        assert!(serde_json::from_str::<Settings>(r#"{"muted":["nope"]}"#).is_err());
        let bad: Settings = serde_json::from_str(
            r#"{"templates":{"welcome":{"en":{"subject":"","text":"{{balance}}"}}}}"#,
        )
        .unwrap();
        assert_eq!(bad.check().unwrap_err().0, "templates.welcome.en");
        let defaults = Settings::default();
        assert!(defaults.is_muted(Kind::BalanceUpdate));
        assert_eq!(defaults.marketing_cap_days, 7);
    }

    #[test]
    fn quiet_hours_hold_marketing_until_the_local_morning() {
        let tz: Tz = "Europe/Warsaw".parse().unwrap();
        let q = Settings::default().quiet_hours;
        // 23:30 local: wait until 09:00 the next day.
        assert_eq!(
            quiet_until(ms(2026, 11, 23, 23, 30, tz), tz, q),
            Some(ms(2026, 11, 24, 9, 0, tz))
        );
        // 06:00: until 09:00 the same day; 12:00: send now; 21:00 sharp is quiet.
        assert_eq!(
            quiet_until(ms(2026, 11, 23, 6, 0, tz), tz, q),
            Some(ms(2026, 11, 23, 9, 0, tz))
        );
        assert_eq!(quiet_until(ms(2026, 11, 23, 12, 0, tz), tz, q), None);
        assert!(quiet_until(ms(2026, 11, 23, 21, 0, tz), tz, q).is_some());
        assert_eq!(quiet_until(ms(2026, 11, 23, 9, 0, tz), tz, q), None);
        assert_eq!(quiet_until(ms(2026, 11, 23, 23, 0, tz), tz, None), None);
        // A daytime window (12:00-14:00) and an end inside the spring-forward gap (02:30).
        let lunch = Some(QuietHours {
            start: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
        });
        assert_eq!(
            quiet_until(ms(2026, 11, 23, 13, 0, tz), tz, lunch),
            Some(ms(2026, 11, 23, 14, 0, tz))
        );
        let gap = Some(QuietHours {
            start: NaiveTime::from_hms_opt(1, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(2, 30, 0).unwrap(),
        });
        assert_eq!(
            quiet_until(ms(2026, 3, 29, 1, 30, tz), tz, gap),
            Some(ms(2026, 3, 29, 3, 0, tz))
        );
    }

    #[test]
    fn variables_describe_the_event_in_the_member_s_language() {
        let payload = serde_json::json!({"points": 50, "stamps": 2, "reward_id": "rw_1",
                                         "expires_at": 1_795_000_000_000_i64});
        let tz: Tz = "Europe/Warsaw".parse().unwrap();
        let facts = Facts {
            kind: Kind::BirthdayOffer,
            language: Language::Pl,
            member_name: "Ala",
            merchant_name: "Kawiarnia",
            points: 120,
            stamps: 7,
            card_size: 10,
            card_reward: "darmowa kawa",
            tier: Some("Srebrny"),
            card_link: "https://x/c/1",
            tz,
            payload: &payload,
        };
        let v = variables(
            &facts,
            &|id| (id == "rw_1").then(|| "Ciastko".into()),
            &|_| None,
        );
        assert_eq!(v["amount"], "50 pkt, 2 pieczątki i Ciastko");
        assert_eq!(v["stamps_to_next_reward"], "3");
        assert_eq!(v["reward"], "Ciastko");
        assert_eq!(v["expiry_date"], "2026-11-18");
        let text = render(
            &default_template(Kind::BirthdayOffer, Language::Pl).text,
            &v,
        );
        assert!(
            text.starts_with(
                "Wszystkiego najlepszego, Ala! Kawiarnia ma dla Ciebie prezent: 50 pkt"
            ),
            "{text}"
        );
        assert_eq!(gift_words(0, 1, None, Language::En), "1 stamp");
        assert_eq!(
            gift_words(10, 0, Some("Tea"), Language::En),
            "10 points and Tea"
        );
        assert_eq!(gift_words(0, 12, None, Language::Pl), "12 pieczątek");
        assert_eq!(gift_words(0, 22, None, Language::Pl), "22 pieczątki");
        let tiered = Facts {
            kind: Kind::TierChanged,
            payload: &serde_json::json!({"to_tier": 2}),
            ..facts
        };
        let v = variables(&tiered, &|_| None, &|n| (n == 2).then(|| "Złoty".into()));
        assert_eq!(v["tier"], "Złoty");
    }

    #[test]
    fn the_contact_follows_the_preference_when_it_can() {
        assert_eq!(
            channel(Some("sms"), Some("a@b.c"), Some("+48600")),
            Some(("sms", Some("+48600".into())))
        );
        assert_eq!(
            channel(Some("sms"), Some("a@b.c"), None),
            Some(("email", Some("a@b.c".into())))
        );
        assert_eq!(channel(None, None, Some("+48600")).unwrap().0, "sms");
        assert_eq!(channel(Some("push"), None, None), Some(("push", None)));
        assert_eq!(channel(None, None, None), None);
    }

    fn reach<'a>() -> Reach<'a> {
        Reach {
            push_on: true,
            email_on: true,
            webhook_on: true,
            subscribed: true,
            email: Some("ala@example.com"),
            phone: Some("+48600100200"),
            preferred: None,
            opt_out: 0,
        }
    }

    #[test]
    fn push_comes_first_then_email_then_the_webhook() {
        let r = reach();
        assert_eq!(choose(Class::Transactional, &r).unwrap().0, Via::Push);
        let r = Reach {
            subscribed: false,
            ..reach()
        };
        let (via, note) = choose(Class::Transactional, &r).unwrap();
        assert_eq!(
            (via, note.as_str()),
            (Via::Email, "push: no push subscription")
        );
        let r = Reach {
            subscribed: false,
            email_on: false,
            ..reach()
        };
        assert_eq!(choose(Class::Transactional, &r).unwrap().0, Via::Webhook);
        let r = Reach {
            subscribed: false,
            email_on: false,
            webhook_on: false,
            ..reach()
        };
        let err = choose(Class::Transactional, &r).unwrap_err();
        assert!(
            err.contains("push: no push subscription")
                && err.contains("webhook: no webhook endpoint"),
            "{err}"
        );
    }

    #[test]
    fn the_preferred_channel_wins_and_opt_outs_hold_per_class() {
        let r = Reach {
            preferred: Some("sms"),
            ..reach()
        };
        assert_eq!(
            choose(Class::Marketing, &r).unwrap(),
            (Via::Webhook, "the member's preferred channel".into())
        );
        let r = Reach {
            preferred: Some("email"),
            ..reach()
        };
        assert_eq!(choose(Class::Marketing, &r).unwrap().0, Via::Email);
        // Offers off by email: an offer goes by push, card news still by email.
        let r = Reach {
            preferred: Some("email"),
            opt_out: opt_out_bit(Via::Email, Class::Marketing),
            ..reach()
        };
        assert_eq!(choose(Class::Marketing, &r).unwrap().0, Via::Push);
        assert_eq!(choose(Class::Transactional, &r).unwrap().0, Via::Email);
        let all_offers_off = opt_out_bit(Via::Push, Class::Marketing)
            | opt_out_bit(Via::Email, Class::Marketing)
            | opt_out_bit(Via::Webhook, Class::Marketing);
        let r = Reach {
            opt_out: all_offers_off,
            ..reach()
        };
        assert!(choose(Class::Marketing, &r).is_err());
        assert_eq!(choose(Class::Transactional, &r).unwrap().0, Via::Push);
    }

    #[test]
    fn sms_length_counts_gsm_septets_and_falls_back_to_ucs2_for_polish() {
        assert_eq!(sms_length(""), (0, 0, true));
        assert_eq!(sms_length(&"a".repeat(160)), (160, 1, true));
        assert_eq!(sms_length(&"a".repeat(161)), (161, 2, true));
        assert_eq!(sms_length("€"), (2, 1, true));
        assert_eq!(sms_length("Cześć"), (5, 1, false));
        assert_eq!(sms_length(&"ż".repeat(71)), (71, 2, false));
        assert_eq!(sms_length(&"ż".repeat(134)), (134, 2, false));
        assert_eq!(sms_length(&"ż".repeat(135)), (135, 3, false));
    }
}
