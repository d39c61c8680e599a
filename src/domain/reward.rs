//! The rewards catalog: what a reward gives, what it costs, when it is available, and why a
//! redemption was refused. The guards themselves run inside D1; this module words their outcome.

use serde::{Deserialize, Serialize};

use super::config::ConfigError;

/// Most points a reward may cost.
pub const MAX_COST_POINTS: u32 = 10_000_000;
/// Largest amount (minor units) a discount or cashback reward may be worth.
pub const MAX_VALUE_MINOR: u32 = 100_000_000;

/// What a reward gives the member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Gift {
    /// A free item, named by the reward.
    FreeItem,
    /// An amount off the bill, in minor units.
    AmountOff { value: u32 },
    /// A percentage off the bill.
    PercentOff { value: u32 },
    /// Credit to the member's cashback wallet, in minor units (never points).
    Cashback { value: u32 },
    /// A coupon code to use at the till or online.
    Coupon { code: String },
}

impl Gift {
    /// Returns the stored kind, value and coupon code.
    pub fn columns(&self) -> (&'static str, Option<i64>, Option<&str>) {
        match self {
            Gift::FreeItem => ("free_item", None, None),
            Gift::AmountOff { value } => ("amount_off", Some(i64::from(*value)), None),
            Gift::PercentOff { value } => ("percent_off", Some(i64::from(*value)), None),
            Gift::Cashback { value } => ("cashback", Some(i64::from(*value)), None),
            Gift::Coupon { code } => ("coupon", None, Some(code)),
        }
    }
}

/// What a reward costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cost {
    Points(u32),
    /// A full stamp card (the program's card size at the moment of redemption).
    StampCard,
}

/// A reward definition with every field checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reward {
    pub name: String,
    pub gift: Gift,
    pub cost: Cost,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub stock: Option<u32>,
    pub per_member_limit: Option<u32>,
    pub active: bool,
    /// A picture: an uploaded image's `/files/` path or an `https://` URL.
    pub image: Option<String>,
    /// One line for customers ("a flat white or a filter coffee").
    pub description: Option<String>,
}

/// Most characters of a reward's description.
pub const MAX_DESCRIPTION: usize = 140;

/// A reward as a merchant sends it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RewardDraft {
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub value: Option<u32>,
    #[serde(default)]
    pub coupon_code: Option<String>,
    #[serde(default)]
    pub cost_points: Option<u32>,
    #[serde(default)]
    pub cost_stamp_card: bool,
    #[serde(default)]
    pub starts_at: Option<i64>,
    #[serde(default)]
    pub ends_at: Option<i64>,
    #[serde(default)]
    pub stock: Option<u32>,
    #[serde(default)]
    pub per_member_limit: Option<u32>,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

fn yes() -> bool {
    true
}

fn bad(field: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        field: field.into(),
        message: message.into(),
    }
}

/// Latest instant a reward window may name (year 9999), keeping every time far inside 2^53.
const MAX_TIME_MS: i64 = 253_402_300_799_999;

impl TryFrom<RewardDraft> for Reward {
    type Error = ConfigError;

    fn try_from(d: RewardDraft) -> Result<Self, ConfigError> {
        let name = d.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
            return Err(bad("name", "must be 1 to 80 printable characters"));
        }
        let amount = |v: Option<u32>, max: u32| match v {
            Some(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(bad("value", format!("must be 1 to {max} for this kind"))),
        };
        let no_value = |g: Gift| match d.value {
            None => Ok(g),
            Some(_) => Err(bad("value", "this kind takes no value")),
        };
        let gift = match d.kind.as_str() {
            "free_item" => no_value(Gift::FreeItem)?,
            "amount_off" => Gift::AmountOff {
                value: amount(d.value, MAX_VALUE_MINOR)?,
            },
            "percent_off" => Gift::PercentOff {
                value: amount(d.value, 100)?,
            },
            "cashback" => Gift::Cashback {
                value: amount(d.value, MAX_VALUE_MINOR)?,
            },
            "coupon" => {
                let code = d.coupon_code.clone().unwrap_or_default().trim().to_owned();
                let ok = (1..=40).contains(&code.len())
                    && code
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                if !ok {
                    return Err(bad(
                        "coupon_code",
                        "a coupon needs a code of 1 to 40 letters, digits, - or _",
                    ));
                }
                no_value(Gift::Coupon { code })?
            }
            other => {
                return Err(bad(
                    "kind",
                    format!(
                    "must be free_item, amount_off, percent_off, cashback or coupon, got {other:?}"
                ),
                ))
            }
        };
        if d.coupon_code.is_some() && !matches!(gift, Gift::Coupon { .. }) {
            return Err(bad("coupon_code", "only a coupon reward takes a code"));
        }
        let cost = match (d.cost_points, d.cost_stamp_card) {
            (Some(n), false) if (1..=MAX_COST_POINTS).contains(&n) => Cost::Points(n),
            (Some(_), false) => {
                return Err(bad(
                    "cost_points",
                    format!("must be 1 to {MAX_COST_POINTS}"),
                ))
            }
            (None, true) => Cost::StampCard,
            _ => {
                return Err(bad(
                    "cost_points",
                    "give either cost_points or cost_stamp_card: true",
                ))
            }
        };
        let time = |field, t: Option<i64>| match t {
            Some(v) if !(0..=MAX_TIME_MS).contains(&v) => {
                Err(bad(field, "must be Unix milliseconds"))
            }
            _ => Ok(t),
        };
        let (starts_at, ends_at) = (time("starts_at", d.starts_at)?, time("ends_at", d.ends_at)?);
        if let (Some(s), Some(e)) = (starts_at, ends_at) {
            if e <= s {
                return Err(bad("ends_at", "must be after starts_at"));
            }
        }
        if d.stock.is_some_and(|s| s > 1_000_000) {
            return Err(bad("stock", "must be 0 to 1000000"));
        }
        if d.per_member_limit.is_some_and(|n| !(1..=1000).contains(&n)) {
            return Err(bad("per_member_limit", "must be 1 to 1000"));
        }
        let image = d
            .image
            .map(|u| super::program::image_url(&u).ok_or(()))
            .transpose()
            .map_err(|()| {
                bad(
                    "image",
                    "must be an https:// URL of at most 500 characters, or an uploaded image's /files/ path",
                )
            })?;
        let description = match d.description.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(t) if t.chars().count() <= MAX_DESCRIPTION && !t.chars().any(char::is_control) => {
                Some(t.to_owned())
            }
            Some(_) => {
                return Err(bad(
                    "description",
                    format!("must be 1 to {MAX_DESCRIPTION} characters on one line"),
                ))
            }
        };
        Ok(Reward {
            name,
            gift,
            cost,
            starts_at,
            ends_at,
            stock: d.stock,
            per_member_limit: d.per_member_limit,
            active: d.active,
            image,
            description,
        })
    }
}

/// Why a redemption was refused, from what D1 reported after the guarded insert wrote nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    UnknownReward,
    Unavailable,
    OutOfStock,
    LimitReached {
        limit: i64,
    },
    InsufficientPoints {
        have: i64,
        need: i64,
    },
    InsufficientStamps {
        have: i64,
        need: i64,
    },
    /// A cashback spend larger than the wallet.
    InsufficientCashback {
        have: i64,
        need: i64,
    },
    /// Every guard held yet nothing was written: the random code collided with a live one.
    CodeCollision,
}

/// The facts read back after a refused redemption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub reward_exists: bool,
    pub active: bool,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub stock: Option<i64>,
    pub per_member_limit: Option<i64>,
    pub used: i64,
    pub cost_points: Option<i64>,
    /// Spendable points: live (unexpired) lots less debt, as the guard counts them.
    pub points: i64,
    pub stamps: i64,
}

/// Says why a redemption at `now` with a stamp card of `card_size` wrote nothing.
pub fn refusal(a: Attempt, now: i64, card_size: i64) -> Refusal {
    if !a.reward_exists {
        return Refusal::UnknownReward;
    }
    let in_window = a.starts_at.is_none_or(|s| s <= now) && a.ends_at.is_none_or(|e| e > now);
    if !a.active || !in_window {
        return Refusal::Unavailable;
    }
    if a.stock.is_some_and(|s| s <= 0) {
        return Refusal::OutOfStock;
    }
    if let Some(limit) = a.per_member_limit {
        if a.used >= limit {
            return Refusal::LimitReached { limit };
        }
    }
    match a.cost_points {
        Some(need) if a.points < need => Refusal::InsufficientPoints {
            have: a.points,
            need,
        },
        None if a.stamps < card_size => Refusal::InsufficientStamps {
            have: a.stamps,
            need: card_size,
        },
        _ => Refusal::CodeCollision,
    }
}

impl Refusal {
    /// Returns the stable machine-readable code.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::UnknownReward => "reward_not_found",
            Refusal::Unavailable => "reward_unavailable",
            Refusal::OutOfStock => "reward_out_of_stock",
            Refusal::LimitReached { .. } => "reward_limit_reached",
            Refusal::InsufficientPoints { .. } => "insufficient_points",
            Refusal::InsufficientStamps { .. } => "insufficient_stamps",
            Refusal::InsufficientCashback { .. } => "insufficient_cashback",
            Refusal::CodeCollision => "redemption_retry",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::UnknownReward => f.write_str("there is no such reward at this shop"),
            Refusal::Unavailable => f.write_str("this reward is not available right now"),
            Refusal::OutOfStock => f.write_str("this reward is out of stock"),
            Refusal::LimitReached { limit } => {
                write!(
                    f,
                    "this reward can be redeemed {limit} time(s) per member, and that is used up"
                )
            }
            Refusal::InsufficientPoints { have, need } => {
                write!(f, "this reward needs {need} points; the balance is {have}")
            }
            Refusal::InsufficientStamps { have, need } => {
                write!(
                    f,
                    "this reward needs a full card of {need} stamps; there are {have}"
                )
            }
            Refusal::InsufficientCashback { have, need } => {
                write!(
                    f,
                    "this needs {need} in cashback (minor units); the wallet holds {have}"
                )
            }
            Refusal::CodeCollision => f.write_str("please try again"),
        }
    }
}

/// Why staff could not confirm or cancel a redemption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedemptionError {
    /// No redemption with that code or id at this merchant.
    NotFound,
    /// The code was not confirmed in time; its points went back.
    Expired,
    /// The code was already confirmed (by this or another request).
    AlreadyConfirmed,
    /// Only a confirmed redemption can be cancelled.
    NotConfirmed,
    /// The cancel window after confirming has passed.
    CancelWindowClosed,
    /// The cashback this redemption credited has been spent.
    CashbackSpent,
}

impl RedemptionError {
    /// Returns the stable machine-readable code.
    pub fn code(self) -> &'static str {
        match self {
            RedemptionError::NotFound => "redemption_not_found",
            RedemptionError::Expired => "redemption_code_expired",
            RedemptionError::AlreadyConfirmed => "redemption_already_confirmed",
            RedemptionError::NotConfirmed => "redemption_not_confirmed",
            RedemptionError::CancelWindowClosed => "redemption_cancel_window_closed",
            RedemptionError::CashbackSpent => "redemption_cashback_spent",
        }
    }
}

impl std::fmt::Display for RedemptionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RedemptionError::NotFound => "there is no redemption with that code or id here",
            RedemptionError::Expired => {
                "this code expired before it was confirmed; its points are back on the card"
            }
            RedemptionError::AlreadyConfirmed => "this code was already confirmed",
            RedemptionError::NotConfirmed => "only a confirmed redemption can be cancelled",
            RedemptionError::CancelWindowClosed => {
                "the time to cancel this redemption has passed; adjust the balance instead"
            }
            RedemptionError::CashbackSpent => {
                "the cashback from this redemption has been spent, so it cannot be cancelled"
            }
        })
    }
}

/// Makes a six-digit redemption code from random bytes (uniform enough: 2^32 mod 10^6 bias is
/// below one in four thousand).
pub fn code_from(random: [u8; 4]) -> String {
    format!("{:06}", u32::from_le_bytes(random) % 1_000_000)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn draft(json: serde_json::Value) -> Result<Reward, String> {
        serde_json::from_value::<RewardDraft>(json)
            .map_err(|e| e.to_string())
            .and_then(|d| Reward::try_from(d).map_err(|e| e.to_string()))
    }

    #[test]
    fn rewards_are_checked_field_by_field() {
        use serde_json::json;
        let ok =
            draft(json!({"name": "Free coffee", "kind": "free_item", "cost_points": 50})).unwrap();
        assert_eq!((ok.gift, ok.cost), (Gift::FreeItem, Cost::Points(50)));
        let card =
            draft(json!({"name": "Cake", "kind": "free_item", "cost_stamp_card": true})).unwrap();
        assert_eq!(card.cost, Cost::StampCard);
        let coupon = draft(json!({"name": "10% online", "kind": "coupon", "coupon_code": "LOYAL-10", "cost_points": 100})).unwrap();
        assert_eq!(
            coupon.gift,
            Gift::Coupon {
                code: "LOYAL-10".into()
            }
        );
        for (bad, field) in [
            (
                json!({"name": "", "kind": "free_item", "cost_points": 5}),
                "name",
            ),
            (
                json!({"name": "x", "kind": "gold", "cost_points": 5}),
                "kind",
            ),
            (json!({"name": "x", "kind": "free_item"}), "cost_points"),
            (
                json!({"name": "x", "kind": "free_item", "cost_points": 5, "cost_stamp_card": true}),
                "cost_points",
            ),
            (
                json!({"name": "x", "kind": "free_item", "cost_points": 0}),
                "cost_points",
            ),
            (
                json!({"name": "x", "kind": "percent_off", "value": 101, "cost_points": 5}),
                "value",
            ),
            (
                json!({"name": "x", "kind": "cashback", "cost_points": 5}),
                "value",
            ),
            (
                json!({"name": "x", "kind": "free_item", "value": 3, "cost_points": 5}),
                "value",
            ),
            (
                json!({"name": "x", "kind": "coupon", "cost_points": 5}),
                "coupon_code",
            ),
            (
                json!({"name": "x", "kind": "free_item", "cost_points": 5, "starts_at": 10, "ends_at": 5}),
                "ends_at",
            ),
            (
                json!({"name": "x", "kind": "free_item", "cost_points": 5, "per_member_limit": 0}),
                "per_member_limit",
            ),
        ] {
            let err = draft(bad.clone()).unwrap_err();
            assert!(err.starts_with(field), "{bad} -> {err}");
        }
        assert!(draft(json!({"name": "x", "kind": "free_item", "cost_points": -5})).is_err());
        assert!(draft(
            json!({"name": "x", "kind": "free_item", "cost_points": 9007199254740993u64})
        )
        .is_err());
        assert!(
            draft(json!({"name": "x", "kind": "free_item", "cost_points": 5, "colour": 1}))
                .is_err()
        );
    }

    #[test]
    fn a_refusal_names_the_first_guard_that_failed() {
        let base = Attempt {
            reward_exists: true,
            active: true,
            starts_at: None,
            ends_at: None,
            stock: None,
            per_member_limit: None,
            used: 0,
            cost_points: Some(50),
            points: 40,
            stamps: 3,
        };
        assert_eq!(
            refusal(
                Attempt {
                    reward_exists: false,
                    ..base
                },
                0,
                8
            ),
            Refusal::UnknownReward
        );
        assert_eq!(
            refusal(
                Attempt {
                    active: false,
                    ..base
                },
                0,
                8
            ),
            Refusal::Unavailable
        );
        assert_eq!(
            refusal(
                Attempt {
                    ends_at: Some(100),
                    ..base
                },
                100,
                8
            ),
            Refusal::Unavailable
        );
        assert_eq!(
            refusal(
                Attempt {
                    starts_at: Some(100),
                    ..base
                },
                99,
                8
            ),
            Refusal::Unavailable
        );
        assert_eq!(
            refusal(
                Attempt {
                    stock: Some(0),
                    ..base
                },
                0,
                8
            ),
            Refusal::OutOfStock
        );
        assert_eq!(
            refusal(
                Attempt {
                    per_member_limit: Some(1),
                    used: 1,
                    ..base
                },
                0,
                8
            ),
            Refusal::LimitReached { limit: 1 }
        );
        assert_eq!(
            refusal(base, 0, 8),
            Refusal::InsufficientPoints { have: 40, need: 50 }
        );
        assert_eq!(
            refusal(
                Attempt {
                    cost_points: None,
                    ..base
                },
                0,
                8
            ),
            Refusal::InsufficientStamps { have: 3, need: 8 }
        );
        assert_eq!(
            refusal(Attempt { points: 60, ..base }, 0, 8),
            Refusal::CodeCollision
        );
        assert_eq!(code_from([0, 0, 0, 0]), "000000");
        assert_eq!(code_from([255, 255, 255, 255]).len(), 6);
    }
}
