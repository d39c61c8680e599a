//! A merchant's loyalty program and branding, parsed from JSON into values that are valid by
//! construction: every limit below is checked once, here, with an error naming the field.

use serde::{Deserialize, Serialize};

use super::birthday::{Birthday, BirthdayDraft};
use super::config::{check_range, check_text, ConfigError};
use super::ids::MerchantId;
use super::ledger::{ExpiryPolicy, NegativeBalance};
use super::promo::{self, ItemRule, Promotion, PromotionDraft};
use super::referral::{Referral, ReferralDraft};
use super::sequence::{self, Sequence, SequenceDraft};
use super::tier::{Tiers, TiersDraft};

/// The earning rules of one merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ProgramDraft")]
pub struct Program {
    /// Stamps that fill a card (a full card is one reward).
    pub stamp_card_size: u32,
    /// Stamps a poster visit earns.
    pub stamps_per_visit: u32,
    /// Stamps a counter purchase earns (a purchase is a visit too).
    pub stamps_per_purchase: u32,
    /// Points for each whole unit of currency spent (rounded down).
    pub points_per_major_unit: u32,
    /// Seconds before the same member may earn from a poster again.
    pub visit_cooldown_secs: u32,
    /// Poster visits a member may earn from in any 24 hours, 0 for no cap (a photo of a poster
    /// can travel).
    pub visit_daily_cap: u32,
    /// What a full stamp card is worth, as the card page words it.
    pub card_reward: String,
    /// When earned points expire.
    pub points_expiry: ExpiryPolicy,
    /// Days points from a purchase stay pending (the return window) before they can be spent.
    pub pending_days: u32,
    /// What a reversal does when the member has already spent the points.
    pub negative_balance: NegativeBalance,
    /// Seconds a redemption code shown on a phone stays valid (points are held meanwhile).
    pub redemption_code_secs: u32,
    /// Minutes after confirming in which staff may still cancel a redemption.
    pub redemption_cancel_mins: u32,
    /// Minutes a paired till keeps a person signed in without being used.
    pub till_idle_mins: u32,
    /// Levels by points earned in a rolling window (none: no tiers).
    pub tiers: Tiers,
    /// Time-boxed multipliers and bonuses on purchase points, in local time.
    pub promotions: Vec<Promotion>,
    /// Points per unit of an item bought through the POS, on top of the amount's points.
    pub item_points: Vec<ItemRule>,
    /// Invitation links and their bonuses.
    pub referral: Referral,
    /// A gift on members' birthdays.
    pub birthday: Birthday,
    /// What 100 points cost the shop when redeemed, in minor units (0: not set); values the
    /// points liability on the dashboard.
    pub point_value_per_100: u32,
    /// Automations: event + delay + condition -> gift and/or message.
    pub sequences: Vec<Sequence>,
}

/// A program as sent by a merchant, before its limits are checked. Omitted fields take defaults.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramDraft {
    #[serde(default = "defaults::stamp_card_size")]
    pub stamp_card_size: u32,
    #[serde(default = "defaults::one")]
    pub stamps_per_visit: u32,
    #[serde(default = "defaults::one")]
    pub stamps_per_purchase: u32,
    #[serde(default = "defaults::one")]
    pub points_per_major_unit: u32,
    #[serde(default = "defaults::visit_cooldown_secs")]
    pub visit_cooldown_secs: u32,
    #[serde(default = "defaults::visit_daily_cap")]
    pub visit_daily_cap: u32,
    #[serde(default = "defaults::card_reward")]
    pub card_reward: String,
    #[serde(default)]
    pub points_expiry: ExpiryPolicy,
    #[serde(default)]
    pub pending_days: u32,
    #[serde(default)]
    pub negative_balance: NegativeBalance,
    #[serde(default = "defaults::redemption_code_secs")]
    pub redemption_code_secs: u32,
    #[serde(default = "defaults::redemption_cancel_mins")]
    pub redemption_cancel_mins: u32,
    #[serde(default = "defaults::till_idle_mins")]
    pub till_idle_mins: u32,
    #[serde(default)]
    pub tiers: Option<TiersDraft>,
    #[serde(default)]
    pub promotions: Vec<PromotionDraft>,
    #[serde(default)]
    pub item_points: Vec<ItemRule>,
    #[serde(default)]
    pub referral: Option<ReferralDraft>,
    #[serde(default)]
    pub birthday: Option<BirthdayDraft>,
    #[serde(default)]
    pub point_value_per_100: u32,
    #[serde(default)]
    pub sequences: Vec<SequenceDraft>,
}

mod defaults {
    pub fn stamp_card_size() -> u32 {
        8
    }
    pub fn one() -> u32 {
        1
    }
    pub fn visit_cooldown_secs() -> u32 {
        4 * 3600
    }
    pub fn visit_daily_cap() -> u32 {
        2
    }
    pub fn card_reward() -> String {
        "a free coffee".into()
    }
    pub fn redemption_code_secs() -> u32 {
        180
    }
    pub fn redemption_cancel_mins() -> u32 {
        60
    }
    pub fn till_idle_mins() -> u32 {
        15
    }
}

impl TryFrom<ProgramDraft> for Program {
    type Error = ConfigError;

    fn try_from(d: ProgramDraft) -> Result<Self, ConfigError> {
        Ok(Program {
            stamp_card_size: check_range("program.stamp_card_size", d.stamp_card_size, 1, 50)?,
            stamps_per_visit: check_range("program.stamps_per_visit", d.stamps_per_visit, 0, 10)?,
            stamps_per_purchase: check_range(
                "program.stamps_per_purchase",
                d.stamps_per_purchase,
                0,
                10,
            )?,
            points_per_major_unit: check_range(
                "program.points_per_major_unit",
                d.points_per_major_unit,
                0,
                1000,
            )?,
            visit_cooldown_secs: check_range(
                "program.visit_cooldown_secs",
                d.visit_cooldown_secs,
                0,
                7 * 86_400,
            )?,
            visit_daily_cap: check_range("program.visit_daily_cap", d.visit_daily_cap, 0, 24)?,
            card_reward: check_text("program.card_reward", d.card_reward, 60)?,
            points_expiry: d.points_expiry.check()?,
            pending_days: check_range("program.pending_days", d.pending_days, 0, 90)?,
            negative_balance: d.negative_balance,
            redemption_code_secs: check_range(
                "program.redemption_code_secs",
                d.redemption_code_secs,
                5,
                180,
            )?,
            redemption_cancel_mins: check_range(
                "program.redemption_cancel_mins",
                d.redemption_cancel_mins,
                0,
                7 * 24 * 60,
            )?,
            till_idle_mins: check_range("program.till_idle_mins", d.till_idle_mins, 1, 720)?,
            tiers: d
                .tiers
                .map(Tiers::try_from)
                .transpose()?
                .unwrap_or_default(),
            promotions: {
                if d.promotions.len() > promo::MAX_PROMOTIONS {
                    return Err(ConfigError {
                        field: "program.promotions".into(),
                        message: format!(
                            "at most {} promotions, got {}",
                            promo::MAX_PROMOTIONS,
                            d.promotions.len()
                        ),
                    });
                }
                d.promotions
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| promo::check_promotion(i, p))
                    .collect::<Result<_, _>>()?
            },
            item_points: promo::check_item_rules(d.item_points)?,
            referral: d
                .referral
                .map(Referral::try_from)
                .transpose()?
                .unwrap_or_default(),
            birthday: d
                .birthday
                .map(Birthday::try_from)
                .transpose()?
                .unwrap_or_default(),
            point_value_per_100: check_range(
                "program.point_value_per_100",
                d.point_value_per_100,
                0,
                1_000_000,
            )?,
            sequences: sequence::check_all(d.sequences)?,
        })
    }
}

impl Default for Program {
    fn default() -> Self {
        Program {
            stamp_card_size: defaults::stamp_card_size(),
            stamps_per_visit: 1,
            stamps_per_purchase: 1,
            points_per_major_unit: 1,
            visit_cooldown_secs: defaults::visit_cooldown_secs(),
            visit_daily_cap: defaults::visit_daily_cap(),
            card_reward: defaults::card_reward(),
            points_expiry: ExpiryPolicy::Never,
            pending_days: 0,
            negative_balance: NegativeBalance::Clamp,
            redemption_code_secs: defaults::redemption_code_secs(),
            redemption_cancel_mins: defaults::redemption_cancel_mins(),
            till_idle_mins: defaults::till_idle_mins(),
            tiers: Tiers::default(),
            promotions: Vec::new(),
            item_points: Vec::new(),
            referral: Referral::default(),
            birthday: Birthday::default(),
            point_value_per_100: 0,
            sequences: Vec::new(),
        }
    }
}

/// An ISO 4217 currency and how many minor units its major unit has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CurrencyDraft")]
pub struct Currency {
    pub code: String,
    pub minor_units: u8,
}

/// A currency as sent, before it is checked.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurrencyDraft {
    pub code: String,
    pub minor_units: u8,
}

impl TryFrom<CurrencyDraft> for Currency {
    type Error = ConfigError;

    fn try_from(d: CurrencyDraft) -> Result<Self, ConfigError> {
        if d.code.len() != 3 || !d.code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(ConfigError {
                field: "currency.code".into(),
                message: format!(
                    "must be three uppercase letters (ISO 4217), got {:?}",
                    d.code
                ),
            });
        }
        if d.minor_units > 3 {
            return Err(ConfigError {
                field: "currency.minor_units".into(),
                message: format!("must be 0 to 3, got {}", d.minor_units),
            });
        }
        Ok(Currency {
            code: d.code,
            minor_units: d.minor_units,
        })
    }
}

impl Currency {
    /// Writes an amount in minor units as a decimal with the currency code, e.g. `12.50 PLN`.
    pub fn format(&self, minor: i64) -> String {
        let scale = 10i64.pow(u32::from(self.minor_units));
        let sign = if minor < 0 { "-" } else { "" };
        let (major, rest) = (
            minor.unsigned_abs() / scale.unsigned_abs(),
            minor.unsigned_abs() % scale.unsigned_abs(),
        );
        if self.minor_units == 0 {
            format!("{sign}{major} {}", self.code)
        } else {
            format!(
                "{sign}{major}.{rest:0width$} {}",
                self.code,
                width = usize::from(self.minor_units)
            )
        }
    }

    /// Reads an amount as staff type it ("12.50", "12,5", "12") into minor units: positive, at
    /// most as many decimals as the currency has, below 10 million major units.
    pub fn parse_amount(&self, text: &str) -> Option<u32> {
        let t = text.trim().replace(',', ".");
        let (major, minor) = t.split_once('.').unwrap_or((&t, ""));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let places = usize::from(self.minor_units);
        if !digits(major) || major.len() > 7 || (!minor.is_empty() && !digits(minor)) {
            return None;
        }
        if minor.len() > places || (t.contains('.') && minor.is_empty()) {
            return None;
        }
        let scale = 10u32.checked_pow(u32::from(self.minor_units))?;
        let major: u32 = major.parse().ok()?;
        let minor: u32 = if minor.is_empty() {
            0
        } else {
            format!("{minor:0<places$}").parse().ok()?
        };
        let total = major.checked_mul(scale)?.checked_add(minor)?;
        (total > 0).then_some(total)
    }
}

/// How the merchant's pages look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "BrandingDraft")]
pub struct Branding {
    /// Colour of headers and buttons, `#rrggbb`.
    pub primary_color: String,
    /// Colour of filled stamps and highlights, `#rrggbb`.
    pub accent_color: String,
    /// The shop's logo shown in the page header: an `https://` image URL, or the path of an
    /// image uploaded to our origin (`/files/...`, see `domain::image`).
    #[serde(default)]
    pub logo_url: Option<String>,
    /// How the pages address the member.
    #[serde(default)]
    pub tone: Tone,
    /// What a stamp on the card looks like.
    #[serde(default)]
    pub stamp_icon: StampIcon,
}

/// The picture inside each stamp of the card (a plain filled circle by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum StampIcon {
    #[default]
    Dot,
    Cup,
    Star,
    Heart,
    Leaf,
    Check,
}

impl StampIcon {
    /// Every icon, in the order the card designer offers them.
    pub const ALL: [StampIcon; 6] = [
        StampIcon::Dot,
        StampIcon::Cup,
        StampIcon::Star,
        StampIcon::Heart,
        StampIcon::Leaf,
        StampIcon::Check,
    ];

    /// Its name in JSON and in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            StampIcon::Dot => "dot",
            StampIcon::Cup => "cup",
            StampIcon::Star => "star",
            StampIcon::Heart => "heart",
            StampIcon::Leaf => "leaf",
            StampIcon::Check => "check",
        }
    }

    /// Reads a name from a form.
    pub fn parse(s: &str) -> Option<StampIcon> {
        Self::ALL.into_iter().find(|i| i.as_str() == s.trim())
    }
}

impl Tone {
    /// Its name in JSON and in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Friendly => "friendly",
            Tone::Formal => "formal",
        }
    }

    /// Reads a name from a form.
    pub fn parse(s: &str) -> Option<Tone> {
        [Tone::Friendly, Tone::Formal]
            .into_iter()
            .find(|t| t.as_str() == s.trim())
    }
}

/// How the pages address the member: first-name friendly, or formal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    #[default]
    Friendly,
    Formal,
}

/// Branding as sent, before it is checked. Omitted colours take defaults.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandingDraft {
    #[serde(default = "default_primary")]
    pub primary_color: String,
    #[serde(default = "default_accent")]
    pub accent_color: String,
    #[serde(default)]
    pub logo_url: Option<String>,
    #[serde(default)]
    pub tone: Tone,
    #[serde(default)]
    pub stamp_icon: StampIcon,
}

fn default_primary() -> String {
    "#3b2f2f".into()
}
fn default_accent() -> String {
    "#d4a373".into()
}

fn check_color(field: &str, value: String) -> Result<String, ConfigError> {
    let ok = value.len() == 7
        && value.starts_with('#')
        && value.bytes().skip(1).all(|b| b.is_ascii_hexdigit());
    if ok {
        Ok(value.to_ascii_lowercase())
    } else {
        Err(ConfigError {
            field: field.into(),
            message: format!("must be a colour like #1a2b3c, got {value:?}"),
        })
    }
}

/// Checks an image's address: an image uploaded to our own origin
/// (`/files/<merchant>/<sha256>.<ext>`), or an `https://` URL of at most 500 characters with
/// nothing that could leave an attribute. Returns it trimmed.
pub fn image_url(url: &str) -> Option<String> {
    let url = url.trim().to_owned();
    if super::image::Stored::parse_path(&url).is_some() {
        return Some(url);
    }
    let host = url.strip_prefix("https://").unwrap_or_default();
    let ok = !host.is_empty()
        && !host.starts_with('/')
        && url.len() <= 500
        && url
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"\"'<>\\`".contains(&b));
    ok.then_some(url)
}

fn check_logo(url: String) -> Result<String, ConfigError> {
    if let Some(url) = image_url(&url) {
        Ok(url)
    } else {
        Err(ConfigError {
            field: "branding.logo_url".into(),
            message: "must be an https:// URL of at most 500 characters, or an uploaded image's /files/ path".into(),
        })
    }
}

impl TryFrom<BrandingDraft> for Branding {
    type Error = ConfigError;

    fn try_from(d: BrandingDraft) -> Result<Self, ConfigError> {
        Ok(Branding {
            primary_color: check_color("branding.primary_color", d.primary_color)?,
            accent_color: check_color("branding.accent_color", d.accent_color)?,
            logo_url: d.logo_url.map(check_logo).transpose()?,
            tone: d.tone,
            stamp_icon: d.stamp_icon,
        })
    }
}

impl Default for Branding {
    fn default() -> Self {
        Branding {
            primary_color: default_primary(),
            accent_color: default_accent(),
            logo_url: None,
            tone: Tone::Friendly,
            stamp_icon: StampIcon::Dot,
        }
    }
}

/// A new merchant as the operator describes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MerchantDraft {
    pub name: String,
    #[serde(default)]
    pub branding: Option<BrandingDraft>,
    pub currency: CurrencyDraft,
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    #[serde(default)]
    pub program: Option<ProgramDraft>,
    pub locations: Vec<String>,
}

fn default_time_zone() -> String {
    "Europe/Warsaw".into()
}

/// A new merchant with every field checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMerchant {
    pub name: String,
    pub branding: Branding,
    pub currency: Currency,
    pub time_zone: String,
    pub program: Program,
    /// Location names; location numbers are their positions, from 1.
    pub locations: Vec<String>,
}

impl TryFrom<MerchantDraft> for NewMerchant {
    type Error = ConfigError;

    fn try_from(d: MerchantDraft) -> Result<Self, ConfigError> {
        if d.locations.is_empty() || d.locations.len() > 255 {
            return Err(ConfigError {
                field: "locations".into(),
                message: format!("must list 1 to 255 locations, got {}", d.locations.len()),
            });
        }
        let time_zone = check_time_zone(&d.time_zone)?;
        Ok(NewMerchant {
            name: check_text("name", d.name, 80)?,
            branding: d
                .branding
                .map(Branding::try_from)
                .transpose()?
                .unwrap_or_default(),
            currency: Currency::try_from(d.currency)?,
            time_zone,
            program: d
                .program
                .map(Program::try_from)
                .transpose()?
                .unwrap_or_default(),
            locations: d
                .locations
                .into_iter()
                .map(|l| check_text("locations[]", l, 80))
                .collect::<Result<_, _>>()?,
        })
    }
}

fn check_time_zone(raw: &str) -> Result<String, ConfigError> {
    let time_zone = raw.trim().to_owned();
    if time_zone.parse::<chrono_tz::Tz>().is_ok() {
        Ok(time_zone)
    } else {
        Err(ConfigError {
            field: "time_zone".into(),
            message: format!(
                "must be an IANA time zone name like Europe/Warsaw, got {time_zone:?}"
            ),
        })
    }
}

/// A change to a merchant's profile; omitted fields stay as they are (`branding`, when given,
/// replaces the whole branding). The currency cannot change: balances, rewards and orders are
/// counted in it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub branding: Option<BrandingDraft>,
    #[serde(default)]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub currency: Option<serde_json::Value>,
}

/// A merchant's profile: what the pages show and the clock they keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub branding: Branding,
    pub time_zone: String,
}

impl Profile {
    /// Applies `patch`, checking every field it gives.
    pub fn patched(&self, patch: ProfilePatch) -> Result<Profile, ConfigError> {
        if patch.currency.is_some() {
            return Err(ConfigError {
                field: "currency".into(),
                message: "cannot change: balances, rewards and orders are counted in it".into(),
            });
        }
        Ok(Profile {
            name: match patch.name {
                Some(n) => check_text("name", n, 80)?,
                None => self.name.clone(),
            },
            branding: match patch.branding {
                Some(b) => Branding::try_from(b)?,
                None => self.branding.clone(),
            },
            time_zone: match patch.time_zone {
                Some(tz) => check_time_zone(&tz)?,
                None => self.time_zone.clone(),
            },
        })
    }
}

/// Checks a location's name.
pub fn check_location_name(name: String) -> Result<String, ConfigError> {
    check_text("name", name, 80)
}

/// Everything the scan path needs to know about a merchant: cached in KV, the truth in D1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerchantConfig {
    pub id: MerchantIdText,
    pub name: String,
    pub branding: Branding,
    pub currency: Currency,
    pub time_zone: String,
    pub program: Program,
    pub program_version: u32,
    /// Key ids whose scan tokens are accepted.
    pub scan_kids: Vec<u8>,
    /// The key id new tokens are signed with.
    pub current_kid: u8,
    /// Location numbers and names.
    pub locations: Vec<(u8, String)>,
    /// Ids of the active webhook secrets (at most two while a POS switches over).
    #[serde(default)]
    pub webhook_kids: Vec<u8>,
    /// The card's offer to turn notifications on, per language, when the merchant sends by
    /// push (None: push is off).
    #[serde(default)]
    pub push_offer: Option<std::collections::BTreeMap<super::language::Language, String>>,
}

/// A merchant id as it travels in JSON (eight hex digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MerchantIdText(pub MerchantId);

impl TryFrom<String> for MerchantIdText {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        MerchantId::parse(&s)
            .map(MerchantIdText)
            .ok_or_else(|| format!("bad merchant id {s:?}"))
    }
}

impl From<MerchantIdText> for String {
    fn from(m: MerchantIdText) -> String {
        m.0.to_string()
    }
}

impl MerchantConfig {
    /// Returns the name of location `number`, if the merchant has it.
    pub fn location_name(&self, number: u8) -> Option<&str> {
        self.locations
            .iter()
            .find(|(n, _)| *n == number)
            .map(|(_, name)| name.as_str())
    }

    /// Returns the merchant's time zone (checked when the merchant was made; UTC if unreadable).
    pub fn tz(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::UTC)
    }

    /// When bonus points paid at `now` (referrals, birthdays, sequences) expire under the
    /// merchant's expiry policy.
    pub fn bonus_expiry(&self, now: i64) -> Option<i64> {
        super::ledger::lot_terms(self.program.points_expiry, 0, self.tz(), false, now).expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_typed_at_the_counter_read_into_minor_units() {
        let pln = Currency {
            code: "PLN".into(),
            minor_units: 2,
        };
        for (text, want) in [
            ("12.50", Some(1250)),
            ("12,5", Some(1250)),
            (" 7 ", Some(700)),
            ("0.01", Some(1)),
            ("0", None),
            ("12.", None),
            ("12.345", None),
            ("-3", None),
            ("1e3", None),
            ("", None),
            ("99999999", None),
        ] {
            assert_eq!(pln.parse_amount(text), want, "{text:?}");
        }
        let huf = Currency {
            code: "HUF".into(),
            minor_units: 0,
        };
        assert_eq!(huf.parse_amount("1500"), Some(1500));
        assert_eq!(huf.parse_amount("1500.5"), None);
    }

    #[test]
    fn an_empty_program_takes_the_defaults() {
        let p: Program = serde_json::from_str("{}").unwrap();
        assert_eq!(p, Program::default());
    }

    #[test]
    fn out_of_range_values_name_their_field() {
        let cases = [
            (r#"{"stamp_card_size":0}"#, "program.stamp_card_size"),
            (r#"{"stamp_card_size":51}"#, "program.stamp_card_size"),
            (r#"{"stamps_per_visit":11}"#, "program.stamps_per_visit"),
            (
                r#"{"points_per_major_unit":1001}"#,
                "program.points_per_major_unit",
            ),
            (
                r#"{"visit_cooldown_secs":604801}"#,
                "program.visit_cooldown_secs",
            ),
            (r#"{"card_reward":"  "}"#, "program.card_reward"),
        ];
        for (json, field) in cases {
            let err = serde_json::from_str::<Program>(json)
                .unwrap_err()
                .to_string();
            assert!(err.contains(field), "{json}: {err}");
        }
    }

    #[test]
    fn a_full_program_survives_a_round_trip_through_json() {
        let json = r#"{"stamp_card_size":10,"points_expiry":{"policy":"after_earning","months":12},
            "tiers":{"window_days":180,"downgrade":{"policy":"never"},
                     "levels":[{"name":"Member","threshold":0},
                               {"name":"Gold","threshold":900,"earn_rate_pct":150,"benefits":["Free upsize"]}]},
            "promotions":[{"name":"Happy hour","multiplier_pct":200,"days":["mon","fri"],"from":"15:00","until":"17:00"},
                          {"name":"Advent","bonus_points":20,"starts_on":"2026-12-01","ends_on":"2026-12-24"}],
            "item_points":[{"sku":"LATTE","points":5}]}"#;
        let p: Program = serde_json::from_str(json).unwrap();
        assert_eq!(p.tiers.levels[1].earn_rate_pct, 150);
        let again: Program = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(again, p);
        let default_again: Program =
            serde_json::from_str(&serde_json::to_string(&Program::default()).unwrap()).unwrap();
        assert_eq!(default_again, Program::default());
    }

    #[test]
    fn unknown_program_fields_are_refused() {
        assert!(serde_json::from_str::<Program>(r#"{"stamps":3}"#).is_err());
    }

    #[test]
    fn currencies_and_colours_are_checked() {
        assert!(serde_json::from_str::<Currency>(r#"{"code":"pln","minor_units":2}"#).is_err());
        assert!(serde_json::from_str::<Currency>(r#"{"code":"PLN","minor_units":4}"#).is_err());
        assert!(serde_json::from_str::<Branding>(r#"{"primary_color":"red"}"#).is_err());
        let b: Branding = serde_json::from_str(r##"{"primary_color":"#AABBCC"}"##).unwrap();
        assert_eq!(b.primary_color, "#aabbcc");
        let logo = |u: &str| {
            serde_json::from_str::<Branding>(&format!(r#"{{"logo_url":{u:?}}}"#))
                .map(|b| b.logo_url)
        };
        assert_eq!(
            logo("https://cdn.example/logo.png").unwrap().as_deref(),
            Some("https://cdn.example/logo.png")
        );
        let ours = format!("/files/0a0b0c0d/{}.png", "ab".repeat(32));
        assert_eq!(
            logo(&ours).unwrap(),
            Some(ours.clone()),
            "an uploaded image"
        );
        for bad in [
            "/files/0a0b0c0d/x.svg",
            "/etc/passwd",
            "http://x.example/a.png",
            "javascript:alert(1)",
            "https://",
            "https://x/\"a",
        ] {
            assert!(logo(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_profile_patch_keeps_what_it_omits_and_never_changes_the_currency() {
        let p = Profile {
            name: "Cafe".into(),
            branding: Branding::default(),
            time_zone: "Europe/Warsaw".into(),
        };
        let patch = |json: &str| p.patched(serde_json::from_str(json).unwrap());
        let renamed = patch(r#"{"name":" Kawiarnia "}"#).unwrap();
        assert_eq!(renamed.name, "Kawiarnia");
        assert_eq!(renamed.time_zone, "Europe/Warsaw");
        assert_eq!(
            patch(r#"{"time_zone":"Mars/Base"}"#).unwrap_err().field,
            "time_zone"
        );
        assert_eq!(
            patch(r#"{"currency":{"code":"EUR","minor_units":2}}"#)
                .unwrap_err()
                .field,
            "currency"
        );
        assert_eq!(
            patch(r#"{"branding":{"accent_color":"blue"}}"#)
                .unwrap_err()
                .field,
            "branding.accent_color"
        );
    }

    #[test]
    fn amounts_are_formatted_in_their_currency() {
        let pln = Currency {
            code: "PLN".into(),
            minor_units: 2,
        };
        assert_eq!(pln.format(1250), "12.50 PLN");
        assert_eq!(pln.format(5), "0.05 PLN");
        assert_eq!(pln.format(-199), "-1.99 PLN");
        let jpy = Currency {
            code: "JPY".into(),
            minor_units: 0,
        };
        assert_eq!(jpy.format(500), "500 JPY");
    }

    #[test]
    fn a_merchant_needs_at_least_one_location_and_a_sane_time_zone() {
        let draft = |locations: &str, tz: &str| -> Result<NewMerchant, String> {
            let json = format!(
                r#"{{"name":"Cafe","currency":{{"code":"PLN","minor_units":2}},"time_zone":{tz:?},"locations":{locations}}}"#
            );
            let d: MerchantDraft = serde_json::from_str(&json).map_err(|e| e.to_string())?;
            NewMerchant::try_from(d).map_err(|e| e.to_string())
        };
        assert!(draft(r#"["Main"]"#, "Europe/Warsaw").is_ok());
        assert!(draft("[]", "Europe/Warsaw")
            .unwrap_err()
            .contains("locations"));
        assert!(draft(r#"["Main"]"#, "Warsaw; DROP")
            .unwrap_err()
            .contains("time_zone"));
    }

    proptest::proptest! {
        #[test]
        fn any_amount_reads_back_from_how_the_pages_write_it(
            minor in 1u32..=u32::MAX, minor_units in 0u8..=3, comma: bool,
        ) {
            let c = Currency { code: "XYZ".into(), minor_units };
            let written = c.format(i64::from(minor));
            let number = written.strip_suffix(" XYZ").unwrap();
            let typed = if comma { number.replace('.', ",") } else { number.to_owned() };
            let scale = 10u32.pow(u32::from(minor_units));
            let want = (minor / scale < 10_000_000).then_some(minor);
            proptest::prop_assert_eq!(c.parse_amount(&typed), want, "{}", typed);
        }

        #[test]
        fn a_parsed_amount_is_positive_and_below_ten_million(text in "[0-9]{0,9}([.,][0-9]{0,4})?") {
            let c = Currency { code: "PLN".into(), minor_units: 2 };
            if let Some(n) = c.parse_amount(&text) {
                proptest::prop_assert!(n > 0 && n < 1_000_000_000);
                proptest::prop_assert_eq!(c.parse_amount(c.format(i64::from(n)).trim_end_matches(" PLN")), Some(n));
            }
        }
    }
}
