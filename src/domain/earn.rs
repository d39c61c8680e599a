//! What a scan earns under a merchant's program, and how far a member is along their stamp card.

use super::program::{Currency, Program};
use super::token::ScanKind;

/// Most points one scan may credit (a guard against a mistyped amount, not a business rule).
pub const MAX_POINTS_PER_SCAN: i64 = 1_000_000;
/// Most stamps one scan may credit.
pub const MAX_STAMPS_PER_SCAN: i64 = 100;

/// Points and stamps to add to a member's balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Credit {
    pub points: i64,
    pub stamps: i64,
}

/// Why a scan earns nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EarnError {
    /// The token carries a zero amount, zero points or zero stamps.
    ZeroValue,
    /// The credit is over [`MAX_POINTS_PER_SCAN`] or [`MAX_STAMPS_PER_SCAN`].
    TooLarge,
}

impl EarnError {
    /// Returns the stable machine-readable code.
    pub fn code(self) -> &'static str {
        match self {
            EarnError::ZeroValue => "scan_zero_value",
            EarnError::TooLarge => "scan_too_large",
        }
    }
}

impl std::fmt::Display for EarnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            EarnError::ZeroValue => "this code is for nothing: the amount is zero",
            EarnError::TooLarge => {
                "this code is for more than one scan may credit; ask staff to check the amount"
            }
        })
    }
}

/// Works out what a scan of `kind` earns under `program`.
pub fn credit(program: &Program, currency: &Currency, kind: ScanKind) -> Result<Credit, EarnError> {
    let credit = match kind {
        ScanKind::Visit => Credit {
            points: 0,
            stamps: i64::from(program.stamps_per_visit),
        },
        ScanKind::Purchase { amount_minor } => {
            if amount_minor == 0 {
                return Err(EarnError::ZeroValue);
            }
            let scale = 10i64.pow(u32::from(currency.minor_units));
            Credit {
                points: i64::from(amount_minor) * i64::from(program.points_per_major_unit) / scale,
                stamps: i64::from(program.stamps_per_purchase),
            }
        }
        ScanKind::Points(0) | ScanKind::Stamps(0) => return Err(EarnError::ZeroValue),
        ScanKind::Points(n) => Credit {
            points: i64::from(n),
            stamps: 0,
        },
        ScanKind::Stamps(n) => Credit {
            points: 0,
            stamps: i64::from(n),
        },
    };
    if credit.points > MAX_POINTS_PER_SCAN || credit.stamps > MAX_STAMPS_PER_SCAN {
        return Err(EarnError::TooLarge);
    }
    Ok(credit)
}

/// Most points one POS order may earn (a guard against a mistyped amount).
pub const MAX_POINTS_PER_ORDER: i64 = 100_000_000;

/// Points an order of `amount_minor` earns: whole units of currency times the program's rate,
/// rounded down, capped at [`MAX_POINTS_PER_ORDER`].
pub fn order_points(program: &Program, currency: &Currency, amount_minor: i64) -> i64 {
    let scale = 10i128.pow(u32::from(currency.minor_units));
    let points =
        i128::from(amount_minor.max(0)) * i128::from(program.points_per_major_unit) / scale;
    i64::try_from(points.min(i128::from(MAX_POINTS_PER_ORDER))).unwrap_or(MAX_POINTS_PER_ORDER)
}

/// Purchase points `base` with the promotions running at Unix ms `now` in `tz`, capped at `cap`,
/// and the names of those promotions (for the ledger entry's note).
pub fn boosted(
    program: &Program,
    base: i64,
    now_ms: i64,
    tz: chrono_tz::Tz,
    cap: i64,
) -> (i64, Option<String>) {
    let boost = super::promo::boost(&program.promotions, now_ms, tz);
    let note = (!boost.names.is_empty()).then(|| format!("promotion: {}", boost.names.join(", ")));
    (boost.apply(base).min(cap), note)
}

/// Milliseconds in the rolling window of the poster daily cap.
pub const DAY_MS: i64 = 86_400_000;

/// Why a poster visit earned nothing, and how long until the next one may.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitRefusal {
    /// Inside the cooldown after the member's last poster visit.
    Cooldown { wait_secs: i64 },
    /// The member has earned `cap` poster visits in the last 24 hours.
    DailyCap { cap: u32, wait_secs: i64 },
}

/// The poster visits a member made recently, as D1 reports them after a refused visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecentVisits {
    /// The latest poster visit, Unix ms.
    pub last_at: Option<i64>,
    /// Poster visits in the 24 hours before `now`.
    pub in_last_day: i64,
    /// The earliest of those, Unix ms.
    pub first_in_last_day: Option<i64>,
}

/// Explains a refused poster visit at Unix ms `now`: the daily cap if it is reached, else the cooldown.
pub fn visit_refusal(program: &Program, visits: RecentVisits, now: i64) -> VisitRefusal {
    let secs = |until: i64| ((until - now).max(0) + 999) / 1000;
    let cap = i64::from(program.visit_daily_cap);
    if cap > 0 && visits.in_last_day >= cap {
        let until = visits.first_in_last_day.unwrap_or(now) + DAY_MS;
        return VisitRefusal::DailyCap {
            cap: program.visit_daily_cap,
            wait_secs: secs(until),
        };
    }
    let until = visits.last_at.unwrap_or(now) + i64::from(program.visit_cooldown_secs) * 1000;
    VisitRefusal::Cooldown {
        wait_secs: secs(until),
    }
}

/// A member's place on the stamp card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StampCard {
    /// Stamps on the current card.
    pub filled: i64,
    /// Stamps a full card holds.
    pub size: i64,
    /// Full cards waiting to be redeemed.
    pub rewards_ready: i64,
}

impl StampCard {
    /// Lays `stamps` out on cards of `program.stamp_card_size`.
    pub fn of(program: &Program, stamps: i64) -> Self {
        let size = i64::from(program.stamp_card_size.max(1));
        let stamps = stamps.max(0);
        StampCard {
            filled: stamps % size,
            size,
            rewards_ready: stamps / size,
        }
    }

    /// Returns the stamps still missing for the next reward.
    pub fn to_next_reward(&self) -> i64 {
        self.size - self.filled
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pln() -> Currency {
        Currency {
            code: "PLN".into(),
            minor_units: 2,
        }
    }

    #[test]
    fn earning_rules_table() {
        let p = Program {
            points_per_major_unit: 2,
            stamps_per_visit: 1,
            stamps_per_purchase: 1,
            ..Program::default()
        };
        let cases = [
            (
                ScanKind::Visit,
                Ok(Credit {
                    points: 0,
                    stamps: 1,
                }),
            ),
            (
                ScanKind::Purchase { amount_minor: 1250 },
                Ok(Credit {
                    points: 25,
                    stamps: 1,
                }),
            ),
            (
                ScanKind::Purchase { amount_minor: 49 },
                Ok(Credit {
                    points: 0,
                    stamps: 1,
                }),
            ),
            (
                ScanKind::Purchase { amount_minor: 0 },
                Err(EarnError::ZeroValue),
            ),
            (
                ScanKind::Points(30),
                Ok(Credit {
                    points: 30,
                    stamps: 0,
                }),
            ),
            (ScanKind::Points(0), Err(EarnError::ZeroValue)),
            (
                ScanKind::Stamps(2),
                Ok(Credit {
                    points: 0,
                    stamps: 2,
                }),
            ),
            (ScanKind::Stamps(101), Err(EarnError::TooLarge)),
            (ScanKind::Points(1_000_001), Err(EarnError::TooLarge)),
            (
                ScanKind::Purchase {
                    amount_minor: u32::MAX,
                },
                Err(EarnError::TooLarge),
            ),
        ];
        for (kind, want) in cases {
            assert_eq!(credit(&p, &pln(), kind), want, "{kind:?}");
        }
    }

    #[test]
    fn currencies_without_minor_units_earn_per_whole_unit() {
        let jpy = Currency {
            code: "JPY".into(),
            minor_units: 0,
        };
        let p = Program::default();
        assert_eq!(
            credit(&p, &jpy, ScanKind::Purchase { amount_minor: 480 })
                .unwrap()
                .points,
            480
        );
    }

    #[test]
    fn stamp_cards_wrap_into_rewards() {
        let p = Program {
            stamp_card_size: 8,
            ..Program::default()
        };
        assert_eq!(
            StampCard::of(&p, 0),
            StampCard {
                filled: 0,
                size: 8,
                rewards_ready: 0
            }
        );
        assert_eq!(StampCard::of(&p, 7).to_next_reward(), 1);
        assert_eq!(
            StampCard::of(&p, 17),
            StampCard {
                filled: 1,
                size: 8,
                rewards_ready: 2
            }
        );
    }

    #[test]
    fn a_refused_visit_names_the_cap_before_the_cooldown() {
        let p = Program {
            visit_cooldown_secs: 3600,
            visit_daily_cap: 2,
            ..Program::default()
        };
        let now = 10 * DAY_MS;
        let cooling = RecentVisits {
            last_at: Some(now - 600_000),
            in_last_day: 1,
            first_in_last_day: Some(now - 600_000),
        };
        assert_eq!(
            visit_refusal(&p, cooling, now),
            VisitRefusal::Cooldown { wait_secs: 3000 }
        );
        let capped = RecentVisits {
            last_at: Some(now - 600_000),
            in_last_day: 2,
            first_in_last_day: Some(now - 20 * 3_600_000),
        };
        assert_eq!(
            visit_refusal(&p, capped, now),
            VisitRefusal::DailyCap {
                cap: 2,
                wait_secs: 4 * 3600
            }
        );
    }

    proptest! {
        #[test]
        fn credits_are_never_negative_and_stay_within_the_caps(amount: u32, rate in 0u32..=1000, minor in 0u8..=3) {
            let p = Program { points_per_major_unit: rate, ..Program::default() };
            let c = Currency { code: "XXX".into(), minor_units: minor };
            if let Ok(credit) = credit(&p, &c, ScanKind::Purchase { amount_minor: amount }) {
                prop_assert!(credit.points >= 0 && credit.points <= MAX_POINTS_PER_SCAN);
                prop_assert!(credit.stamps >= 0 && credit.stamps <= MAX_STAMPS_PER_SCAN);
            }
        }
    }
}
