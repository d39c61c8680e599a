//! Referrals: the merchant's terms (who gets what, for which purchase, under which limits), the
//! invitation codes, and the keys the fraud checks compare (normalised email and phone, device,
//! network). D1 applies the checks inside the batch that records a join
//! (`shell/store/sql/insert_referral.sql`), so concurrent joins are judged one after another.

use chrono::{DateTime, Datelike, NaiveDate};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::config::{check_range, ConfigError};
use super::ledger::local_midnight;

/// A merchant's referral terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ReferralDraft")]
pub struct Referral {
    /// Off: no invitation links are shown or honoured.
    pub enabled: bool,
    /// What the member who invited gets.
    pub referrer: Bonus,
    /// What the friend who joined gets (nothing: a single-sided program).
    pub referee: Bonus,
    /// The smallest purchase that qualifies, in minor units.
    pub min_purchase_minor: u32,
    /// Which of the friend's purchases can qualify.
    pub qualifying_purchase: Qualifying,
    /// Referrals one member may make per calendar month (local time) before the rest wait for
    /// review; 0: no cap.
    pub monthly_cap: u32,
    pub velocity: Velocity,
    /// Days a reward given as a bonus stays redeemable.
    pub gift_days: u32,
}

/// One side's bonus: any of points, stamps and a reward from the catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bonus {
    #[serde(default)]
    pub points: u32,
    #[serde(default)]
    pub stamps: u32,
    #[serde(default)]
    pub reward_id: Option<String>,
}

impl Bonus {
    /// Whether this side gets nothing.
    pub fn is_empty(&self) -> bool {
        self.points == 0 && self.stamps == 0 && self.reward_id.is_none()
    }
}

/// Which purchase of the friend's qualifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Qualifying {
    /// Only the first purchase: if it is below the minimum, the referral lapses.
    #[default]
    First,
    /// The first purchase that reaches the minimum.
    FirstAtMinimum,
}

/// Joins through invitations from one device or one network in a window, beyond which
/// referrals wait for review; 0: no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Velocity {
    #[serde(default = "defaults::window_hours")]
    pub window_hours: u32,
    #[serde(default = "defaults::per_device")]
    pub per_device: u32,
    #[serde(default = "defaults::per_network")]
    pub per_network: u32,
}

impl Default for Velocity {
    fn default() -> Self {
        Velocity {
            window_hours: defaults::window_hours(),
            per_device: defaults::per_device(),
            per_network: defaults::per_network(),
        }
    }
}

/// Referral terms as sent.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralDraft {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default = "defaults::referrer")]
    pub referrer: Bonus,
    #[serde(default = "defaults::referee")]
    pub referee: Bonus,
    #[serde(default)]
    pub min_purchase_minor: u32,
    #[serde(default)]
    pub qualifying_purchase: Qualifying,
    #[serde(default = "defaults::monthly_cap")]
    pub monthly_cap: u32,
    #[serde(default)]
    pub velocity: Velocity,
    #[serde(default = "defaults::gift_days")]
    pub gift_days: u32,
}

mod defaults {
    use super::Bonus;

    pub fn referrer() -> Bonus {
        Bonus {
            points: 100,
            ..Bonus::default()
        }
    }
    pub fn referee() -> Bonus {
        Bonus {
            points: 50,
            ..Bonus::default()
        }
    }
    pub fn monthly_cap() -> u32 {
        10
    }
    pub fn window_hours() -> u32 {
        24
    }
    pub fn per_device() -> u32 {
        1
    }
    pub fn per_network() -> u32 {
        10
    }
    pub fn gift_days() -> u32 {
        30
    }
}

impl Default for Referral {
    fn default() -> Self {
        Referral {
            enabled: false,
            referrer: defaults::referrer(),
            referee: defaults::referee(),
            min_purchase_minor: 0,
            qualifying_purchase: Qualifying::First,
            monthly_cap: defaults::monthly_cap(),
            velocity: Velocity::default(),
            gift_days: defaults::gift_days(),
        }
    }
}

/// Checks a bonus; `path` names it in errors (e.g. `program.referral.referrer`).
pub(crate) fn check_bonus(path: &str, b: Bonus) -> Result<Bonus, ConfigError> {
    let at = |f: &str| format!("{path}.{f}");
    check_range(&at("points"), b.points, 0, 100_000)?;
    check_range(&at("stamps"), b.stamps, 0, 50)?;
    if let Some(id) = &b.reward_id {
        if id.len() != 32 || !id.bytes().all(|c| c.is_ascii_hexdigit()) {
            return Err(ConfigError {
                field: at("reward_id"),
                message: "must be the id of a reward in the catalog".into(),
            });
        }
    }
    Ok(b)
}

impl TryFrom<ReferralDraft> for Referral {
    type Error = ConfigError;

    fn try_from(d: ReferralDraft) -> Result<Self, ConfigError> {
        let referrer = check_bonus("program.referral.referrer", d.referrer)?;
        let referee = check_bonus("program.referral.referee", d.referee)?;
        if d.enabled && referrer.is_empty() && referee.is_empty() {
            return Err(ConfigError {
                field: "program.referral.referrer".into(),
                message: "an enabled referral program must give at least one side a bonus".into(),
            });
        }
        if d.min_purchase_minor > 1_000_000_000 {
            return Err(ConfigError {
                field: "program.referral.min_purchase_minor".into(),
                message: "must be at most 1000000000".into(),
            });
        }
        let v = d.velocity;
        check_range(
            "program.referral.velocity.window_hours",
            v.window_hours,
            1,
            168,
        )?;
        check_range("program.referral.velocity.per_device", v.per_device, 0, 100)?;
        check_range(
            "program.referral.velocity.per_network",
            v.per_network,
            0,
            1000,
        )?;
        Ok(Referral {
            enabled: d.enabled,
            referrer,
            referee,
            min_purchase_minor: d.min_purchase_minor,
            qualifying_purchase: d.qualifying_purchase,
            monthly_cap: check_range("program.referral.monthly_cap", d.monthly_cap, 0, 1000)?,
            velocity: v,
            gift_days: check_range("program.referral.gift_days", d.gift_days, 1, 365)?,
        })
    }
}

impl Referral {
    /// The reward ids the terms name (each must exist in the merchant's catalog).
    pub fn reward_ids(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("program.referral.referrer.reward_id", &self.referrer),
            ("program.referral.referee.reward_id", &self.referee),
        ]
        .into_iter()
        .filter_map(|(f, b)| b.reward_id.as_deref().map(|id| (f, id)))
    }
}

/// Why a referral was blocked or held; the stable codes stored with it and shown to merchants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The invitation was opened by the member who sent it.
    SelfMember,
    /// The friend's phone is the one the inviting member uses.
    SelfDevice,
    SelfEmail,
    SelfPhone,
    /// The friend is already known to the merchant (member, email, phone or device).
    NotNew,
    /// The inviting member reached the monthly cap (held for review).
    MonthlyCap,
    /// Too many joins from this device in the window (held for review).
    VelocityDevice,
    /// Too many joins from this network in the window (held for review).
    VelocityNetwork,
}

impl Reason {
    pub const ALL: [Reason; 8] = [
        Reason::SelfMember,
        Reason::SelfDevice,
        Reason::SelfEmail,
        Reason::SelfPhone,
        Reason::NotNew,
        Reason::MonthlyCap,
        Reason::VelocityDevice,
        Reason::VelocityNetwork,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Reason::SelfMember => "self_referral_member",
            Reason::SelfDevice => "self_referral_device",
            Reason::SelfEmail => "self_referral_email",
            Reason::SelfPhone => "self_referral_phone",
            Reason::NotNew => "not_new",
            Reason::MonthlyCap => "monthly_cap",
            Reason::VelocityDevice => "velocity_device",
            Reason::VelocityNetwork => "velocity_network",
        }
    }

    /// Whether a merchant may still approve it (a hold), rather than a final block.
    pub fn is_hold(self) -> bool {
        matches!(
            self,
            Reason::MonthlyCap | Reason::VelocityDevice | Reason::VelocityNetwork
        )
    }

    /// What it means, for the review list.
    pub fn describe(self) -> &'static str {
        match self {
            Reason::SelfMember => "the inviting member opened their own link",
            Reason::SelfDevice => "the friend joined on the inviting member's phone",
            Reason::SelfEmail => "the friend's email is the inviting member's",
            Reason::SelfPhone => "the friend's phone number is the inviting member's",
            Reason::NotNew => "the friend was already a customer here",
            Reason::MonthlyCap => "the inviting member reached this month's cap",
            Reason::VelocityDevice => "many joins from one phone in a short time",
            Reason::VelocityNetwork => "many joins from one network in a short time",
        }
    }

    pub fn parse(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// The letters of invitation codes: no 0/o, 1/l/i, so a code read aloud survives.
const ALPHABET: &[u8; 31] = b"23456789abcdefghjkmnpqrstuvwxyz";
/// Characters of an invitation code (31^8, about 2^40 codes).
pub const CODE_LEN: usize = 8;

/// Makes an invitation code from random bytes.
pub fn new_code(random: [u8; CODE_LEN]) -> String {
    random
        .iter()
        .filter_map(|b| {
            ALPHABET
                .get(usize::from(*b) % ALPHABET.len())
                .map(|c| char::from(*c))
        })
        .collect()
}

/// Reads an invitation code as typed or linked (case-insensitive), or `None`.
pub fn parse_code(raw: &str) -> Option<String> {
    let code = raw.to_ascii_lowercase();
    (code.len() == CODE_LEN && code.bytes().all(|c| ALPHABET.contains(&c))).then_some(code)
}

/// The key two emails match on: lowercase, no `+tag`, and no dots before the `@` at providers
/// that ignore them (Gmail). `migrations/0007_referrals.sql` computes the same for older members.
pub fn email_key(email: &str) -> String {
    let email = email.trim().to_lowercase();
    let Some((local, domain)) = email.rsplit_once('@') else {
        return email;
    };
    let local = local.split('+').next().unwrap_or(local);
    if matches!(domain, "gmail.com" | "googlemail.com") {
        format!("{}@gmail.com", local.replace('.', ""))
    } else {
        format!("{local}@{domain}")
    }
}

/// The key two phone numbers match on: the last nine digits, so `+48 600-100-200`,
/// `0048600100200` and `600 100 200` are one number.
pub fn phone_key(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let skip = digits.len().saturating_sub(9);
    digits.into_iter().skip(skip).collect()
}

/// A network an address belongs to (IPv4 /24, IPv6 /48), pseudonymised: only a hash is kept.
pub fn network_key(ip: &str) -> Option<String> {
    let prefix = match ip.parse::<std::net::IpAddr>().ok()? {
        std::net::IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        std::net::IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
    };
    let digest = Sha256::digest(format!("network\0{prefix}").as_bytes());
    Some(super::ids::to_hex(digest.get(..12).unwrap_or_default()))
}

/// A device cookie's value: 32 hex digits, or `None`.
pub fn parse_device(raw: &str) -> Option<String> {
    (raw.len() == 32 && raw.bytes().all(|c| c.is_ascii_hexdigit()))
        .then(|| raw.to_ascii_lowercase())
}

/// The first instant of the calendar month `now` falls in, in `tz`.
pub fn month_start(now: i64, tz: Tz) -> i64 {
    DateTime::from_timestamp_millis(now)
        .map(|t| t.with_timezone(&tz).date_naive())
        .and_then(|d| NaiveDate::from_ymd_opt(d.year(), d.month(), 1))
        .and_then(|first| local_midnight(first, tz))
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_match_without_tags_and_gmail_dots() {
        assert_eq!(
            email_key("Anna.Nowak+promo@Gmail.com"),
            "annanowak@gmail.com"
        );
        assert_eq!(
            email_key("anna.nowak@googlemail.com"),
            "annanowak@gmail.com"
        );
        // Other providers keep their dots: a.nowak and anowak are different people at wp.pl.
        assert_eq!(email_key("a.nowak+x@wp.pl"), "a.nowak@wp.pl");
        assert_ne!(email_key("a.nowak@wp.pl"), email_key("anowak@wp.pl"));
        assert_eq!(email_key("no-at-sign"), "no-at-sign");
    }

    #[test]
    fn phones_match_across_formats_and_prefixes() {
        let k = phone_key("+48 600-100-200");
        assert_eq!(k, "600100200");
        assert_eq!(phone_key("0048600100200"), k);
        assert_eq!(phone_key("(600) 100 200"), k);
        assert_ne!(phone_key("+48 600 100 201"), k);
        assert_eq!(phone_key("1234567"), "1234567");
    }

    #[test]
    fn networks_group_neighbouring_addresses_and_keep_no_address() {
        let a = network_key("203.0.113.7").unwrap();
        assert_eq!(network_key("203.0.113.200"), Some(a.clone()));
        assert_ne!(network_key("203.0.114.7"), Some(a.clone()));
        assert!(!a.contains("203"));
        assert_eq!(
            network_key("2001:db8:1:2::1"),
            network_key("2001:db8:1:ffff::9")
        );
        assert_eq!(network_key("not an address"), None);
    }

    #[test]
    fn codes_are_eight_unambiguous_letters() {
        let c = new_code([0, 1, 30, 31, 255, 100, 7, 8]);
        assert_eq!(c.len(), CODE_LEN);
        assert_eq!(parse_code(&c.to_uppercase()), Some(c.clone()));
        assert_eq!(parse_code("abcdefg1"), None); // 1 is not in the alphabet
        assert_eq!(parse_code("abcdefg"), None);
        assert!(!c.contains(['0', '1', 'o', 'l', 'i']));
    }

    #[test]
    fn the_month_starts_at_local_midnight() {
        let waw: Tz = chrono_tz::Europe::Warsaw;
        // 2026-03-01 00:30 in Warsaw is still February in UTC.
        let t = DateTime::parse_from_rfc3339("2026-03-01T00:30:00+01:00")
            .unwrap()
            .timestamp_millis();
        let start = DateTime::parse_from_rfc3339("2026-03-01T00:00:00+01:00")
            .unwrap()
            .timestamp_millis();
        assert_eq!(month_start(t, waw), start);
        assert!(month_start(t, chrono_tz::UTC) < start);
    }

    #[test]
    fn terms_are_checked_and_default_to_off() {
        let r: Referral = serde_json::from_str("{}").unwrap();
        assert!(!r.enabled);
        let on: Referral = serde_json::from_str(r#"{"enabled": true}"#).unwrap();
        assert_eq!(on.referrer.points, 100);
        let empty =
            serde_json::from_str::<Referral>(r#"{"enabled": true, "referrer": {}, "referee": {}}"#);
        assert!(empty
            .unwrap_err()
            .to_string()
            .contains("program.referral.referrer"));
        let bad = serde_json::from_str::<Referral>(r#"{"referee": {"reward_id": "x"}}"#);
        assert!(bad.unwrap_err().to_string().contains("referee.reward_id"));
        let single: Referral = serde_json::from_str(r#"{"enabled": true, "referee": {}}"#).unwrap();
        assert!(single.referee.is_empty());
        assert!(serde_json::from_str::<Referral>(r#"{"velocity": {"window_hours": 0}}"#).is_err());
        assert!(serde_json::from_str::<Referral>(r#"{"surprise": 1}"#).is_err());
    }

    #[test]
    fn reasons_round_trip_and_only_limits_are_holds() {
        for r in Reason::ALL {
            assert_eq!(Reason::parse(r.code()), Some(r));
        }
        let holds: Vec<_> = Reason::ALL.into_iter().filter(|r| r.is_hold()).collect();
        assert_eq!(
            holds,
            [
                Reason::MonthlyCap,
                Reason::VelocityDevice,
                Reason::VelocityNetwork
            ]
        );
    }
}
