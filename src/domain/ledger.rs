//! The ledger's rules: when earned points expire, which lots a spend draws from, and how a reversal
//! meets a short balance. The SQL in `shell/store/sql` applies the same rules inside D1;
//! [`Wallet`] is the reference model that property tests drive through thousands of histories.

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::config::ConfigError;

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// When earned points expire: the merchant's policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "policy", rename_all = "snake_case", deny_unknown_fields)]
pub enum ExpiryPolicy {
    /// Points never expire.
    #[default]
    Never,
    /// Each lot expires `days` days or `months` months after it was earned, optionally at the end
    /// of that month in the merchant's time zone.
    AfterEarning {
        #[serde(default)]
        days: u32,
        #[serde(default)]
        months: u32,
        #[serde(default)]
        end_of_month: bool,
    },
    /// The whole balance expires after `days` days without an earn or a redemption.
    Inactivity { days: u32 },
}

impl ExpiryPolicy {
    /// Checks the numbers are in range: exactly one of days (1 to 3650) or months (1 to 120).
    pub fn check(self) -> Result<Self, ConfigError> {
        let bad = |message: &str| ConfigError {
            field: "program.points_expiry".into(),
            message: message.into(),
        };
        match self {
            ExpiryPolicy::Never => Ok(self),
            ExpiryPolicy::AfterEarning { days, months, .. } => match (days, months) {
                (1..=3650, 0) | (0, 1..=120) => Ok(self),
                _ => Err(bad("give either days (1 to 3650) or months (1 to 120)")),
            },
            ExpiryPolicy::Inactivity { days: 1..=3650 } => Ok(self),
            ExpiryPolicy::Inactivity { .. } => Err(bad("days must be 1 to 3650")),
        }
    }

    /// Returns the inactivity period in ms, or 0 when the policy is not about inactivity.
    pub fn inactivity_ms(self) -> i64 {
        match self {
            ExpiryPolicy::Inactivity { days } => i64::from(days) * DAY_MS,
            _ => 0,
        }
    }
}

/// Returns the instant (Unix ms) a lot earned at `earned_at` stops counting, if it ever does.
/// A lot is spendable while `now < expiry`. Month arithmetic and month ends are in `tz`.
pub fn lot_expiry(policy: ExpiryPolicy, earned_at: i64, tz: Tz) -> Option<i64> {
    let ExpiryPolicy::AfterEarning {
        days,
        months,
        end_of_month,
    } = policy
    else {
        return None;
    };
    let local = DateTime::from_timestamp_millis(earned_at)?.with_timezone(&tz);
    let shifted = if months > 0 {
        local
            .date_naive()
            .checked_add_months(chrono::Months::new(months))?
    } else {
        local
            .date_naive()
            .checked_add_days(chrono::Days::new(u64::from(days)))?
    };
    if end_of_month {
        // Valid through the last day of that month: expires at the next month's first midnight.
        let (y, m) = if shifted.month() == 12 {
            (shifted.year() + 1, 1)
        } else {
            (shifted.year(), shifted.month() + 1)
        };
        return local_midnight(NaiveDate::from_ymd_opt(y, m, 1)?, tz);
    }
    let at = shifted.and_time(local.time());
    match tz.from_local_datetime(&at) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.timestamp_millis()),
        // A time skipped by a clock change: the same instant shifted by the gap is fine.
        LocalResult::None => Some(earned_at + expiry_span_ms(days, months)),
    }
}

fn expiry_span_ms(days: u32, months: u32) -> i64 {
    i64::from(days) * DAY_MS + i64::from(months) * 30 * DAY_MS
}

pub(crate) fn local_midnight(date: NaiveDate, tz: Tz) -> Option<i64> {
    // Some zones skip midnight on a clock change; the first instant of the day is then later.
    (0..=3).find_map(
        |h| match tz.from_local_datetime(&date.and_hms_opt(h, 0, 0)?) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.timestamp_millis()),
            LocalResult::None => None,
        },
    )
}

/// When a newly earned lot becomes spendable and when it expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LotTerms {
    /// Waits for the return window before it can be spent.
    pub pending: bool,
    /// Unix ms the lot becomes spendable.
    pub available_at: i64,
    /// Unix ms the lot stops counting, if ever; counted from `available_at`, so a return window
    /// never eats into the time a customer has to spend.
    pub expires_at: Option<i64>,
}

/// Returns the terms of a lot earned at `now`: purchases wait `pending_days`, other earns do not.
pub fn lot_terms(
    policy: ExpiryPolicy,
    pending_days: u32,
    tz: Tz,
    from_purchase: bool,
    now: i64,
) -> LotTerms {
    let pending = from_purchase && pending_days > 0;
    let available_at = if pending {
        now + i64::from(pending_days) * DAY_MS
    } else {
        now
    };
    LotTerms {
        pending,
        available_at,
        expires_at: lot_expiry(policy, available_at, tz),
    }
}

/// What happens when a reversal takes back more points than the member still has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum NegativeBalance {
    /// Take what is there; the rest is written off (the entry says how much).
    #[default]
    Clamp,
    /// Record the rest as a debt that the next earns pay off first.
    Allow,
}

/// How a reversal of `amount` points splits, given `available` spendable points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reversal {
    /// Points taken from lots.
    pub taken: i64,
    /// Points added to the member's debt.
    pub debt: i64,
    /// Points written off under the clamp policy.
    pub written_off: i64,
}

/// Splits a reversal of `amount` under `policy`.
pub fn reversal(available: i64, amount: i64, policy: NegativeBalance) -> Reversal {
    let taken = amount.min(available).max(0);
    let rest = amount - taken;
    match policy {
        NegativeBalance::Clamp => Reversal {
            taken,
            debt: 0,
            written_off: rest,
        },
        NegativeBalance::Allow => Reversal {
            taken,
            debt: rest,
            written_off: 0,
        },
    }
}

/// How an earn of `earned` points meets an outstanding `debt`: (repaid, left for the new lot).
pub fn settle_debt(debt: i64, earned: i64) -> (i64, i64) {
    let repaid = debt.min(earned).max(0);
    (repaid, earned - repaid)
}

/// A lot as the draw order sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LotView {
    pub remaining: i64,
    pub earned_at: i64,
    pub expires_at: Option<i64>,
}

/// Picks the lots a spend of `amount` draws from: `preferred` first (a reversal takes back its
/// own lot first), then the soonest to expire, never-expiring last, ties by age. Returns
/// (index, amount) pairs; the total is less than `amount` only if the lots run out.
pub fn draw(lots: &[LotView], amount: i64, preferred: Option<usize>) -> Vec<(usize, i64)> {
    let mut order: Vec<usize> = (0..lots.len())
        .filter(|&i| lots.get(i).is_some_and(|l| l.remaining > 0))
        .collect();
    order.sort_by_key(|&i| {
        let l = lots.get(i).copied().unwrap_or(LotView {
            remaining: 0,
            earned_at: 0,
            expires_at: None,
        });
        (
            Some(i) != preferred,
            l.expires_at.is_none(),
            l.expires_at,
            l.earned_at,
            i,
        )
    });
    let mut left = amount;
    let mut draws = Vec::new();
    for i in order {
        if left <= 0 {
            break;
        }
        let take = lots.get(i).map_or(0, |l| l.remaining.min(left));
        draws.push((i, take));
        left -= take;
    }
    draws
}

/// Why a ledger entry was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Earn,
    Activate,
    Reserve,
    Release,
    Redeem,
    Cancel,
    Expire,
    Reverse,
    Adjust,
}

/// One entry of the reference model: what it did to the spendable and the pending balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub reason: Reason,
    pub points: i64,
    pub pending: i64,
}

/// A lot of earned points in the reference model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lot {
    pub earned: i64,
    pub remaining: i64,
    pub earned_at: i64,
    pub expires_at: Option<i64>,
    pub pending: bool,
    pub reversed: bool,
}

/// Points held for a redemption code, or spent on a confirmed one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub draws: Vec<(usize, i64)>,
    pub state: HoldState,
}

/// Where a redemption stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldState {
    Reserved,
    Confirmed,
    Released,
    Cancelled,
}

/// Why the model refused an operation (the database refuses the same ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    InsufficientPoints,
    NotReserved,
    NotConfirmed,
    NotPending,
    Invalid,
}

/// The reference model of one member's points: lots, debt, holds and the entries that explain
/// them. Same rules as the SQL, kept small enough to check by eye.
#[derive(Debug, Clone, Default)]
pub struct Wallet {
    pub lots: Vec<Lot>,
    pub debt: i64,
    pub holds: Vec<Hold>,
    pub entries: Vec<Entry>,
    pub policy: NegativeBalance,
}

impl Wallet {
    /// Returns a wallet under `policy`.
    pub fn new(policy: NegativeBalance) -> Self {
        Wallet {
            policy,
            ..Wallet::default()
        }
    }

    /// Returns the spendable points held in active lots.
    pub fn active(&self) -> i64 {
        self.lots
            .iter()
            .filter(|l| !l.pending)
            .map(|l| l.remaining)
            .sum()
    }

    /// Returns the points waiting for their return window.
    pub fn pending(&self) -> i64 {
        self.lots
            .iter()
            .filter(|l| l.pending)
            .map(|l| l.remaining)
            .sum()
    }

    /// Returns the balance the ledger says: active points less any debt.
    pub fn balance(&self) -> i64 {
        self.active() - self.debt
    }

    fn views(&self, now: i64) -> Vec<LotView> {
        self.lots
            .iter()
            .map(|l| LotView {
                remaining: if l.pending || l.expires_at.is_some_and(|e| e <= now) {
                    0
                } else {
                    l.remaining
                },
                earned_at: l.earned_at,
                expires_at: l.expires_at,
            })
            .collect()
    }

    /// Returns the points a spend at `now` could draw (expired lots no longer count).
    pub fn spendable(&self, now: i64) -> i64 {
        self.views(now).iter().map(|l| l.remaining).sum()
    }

    fn take(&mut self, draws: &[(usize, i64)]) {
        for &(i, n) in draws {
            if let Some(l) = self.lots.get_mut(i) {
                l.remaining -= n;
            }
        }
    }

    fn give_back(&mut self, draws: &[(usize, i64)]) {
        for &(i, n) in draws {
            if let Some(l) = self.lots.get_mut(i) {
                l.remaining += n;
            }
        }
    }

    /// Earns `points` at `now`: pending if `pending`, else paying any debt first.
    pub fn earn(&mut self, points: i64, now: i64, expires_at: Option<i64>, pending: bool) {
        if points <= 0 {
            return;
        }
        let left = if pending {
            points
        } else {
            let (repaid, left) = settle_debt(self.debt, points);
            self.debt -= repaid;
            left
        };
        self.lots.push(Lot {
            earned: points,
            remaining: left,
            earned_at: now,
            expires_at,
            pending,
            reversed: false,
        });
        self.entries.push(Entry {
            reason: Reason::Earn,
            points: if pending { 0 } else { points },
            pending: if pending { points } else { 0 },
        });
    }

    /// Makes pending lot `lot` spendable (its return window has passed). Debt is left for the
    /// next earn to pay: activation is a set-wide job, and a per-member split would not be.
    pub fn activate(&mut self, lot: usize) -> Result<(), Refused> {
        let l = self.lots.get_mut(lot).ok_or(Refused::NotPending)?;
        if !l.pending || l.reversed {
            return Err(Refused::NotPending);
        }
        let amount = l.remaining;
        l.pending = false;
        self.entries.push(Entry {
            reason: Reason::Activate,
            points: amount,
            pending: -amount,
        });
        Ok(())
    }

    /// Holds `points` for a redemption code; refused if the spendable lots do not cover it.
    pub fn reserve(&mut self, points: i64, now: i64) -> Result<usize, Refused> {
        if points <= 0 {
            return Err(Refused::Invalid);
        }
        if self.spendable(now) - self.debt < points {
            return Err(Refused::InsufficientPoints);
        }
        let draws = draw(&self.views(now), points, None);
        self.take(&draws);
        self.entries.push(Entry {
            reason: Reason::Reserve,
            points: -points,
            pending: 0,
        });
        self.holds.push(Hold {
            draws,
            state: HoldState::Reserved,
        });
        Ok(self.holds.len() - 1)
    }

    /// Confirms a reserved redemption: the points are spent (an entry of zero, for the record).
    pub fn confirm(&mut self, hold: usize) -> Result<(), Refused> {
        let h = self.holds.get_mut(hold).ok_or(Refused::NotReserved)?;
        if h.state != HoldState::Reserved {
            return Err(Refused::NotReserved);
        }
        h.state = HoldState::Confirmed;
        self.entries.push(Entry {
            reason: Reason::Redeem,
            points: 0,
            pending: 0,
        });
        Ok(())
    }

    fn undo(&mut self, hold: usize, from: HoldState, to: HoldState) -> Result<(), Refused> {
        let h = self.holds.get_mut(hold).ok_or(Refused::NotReserved)?;
        if h.state != from {
            return Err(match from {
                HoldState::Confirmed => Refused::NotConfirmed,
                _ => Refused::NotReserved,
            });
        }
        h.state = to;
        let draws = h.draws.clone();
        let points: i64 = draws.iter().map(|d| d.1).sum();
        self.give_back(&draws);
        self.entries.push(Entry {
            reason: if to == HoldState::Released {
                Reason::Release
            } else {
                Reason::Cancel
            },
            points,
            pending: 0,
        });
        Ok(())
    }

    /// Gives an unconfirmed code's points back to the lots they came from.
    pub fn release(&mut self, hold: usize) -> Result<(), Refused> {
        self.undo(hold, HoldState::Reserved, HoldState::Released)
    }

    /// Cancels a confirmed redemption: its points go back to their lots.
    pub fn cancel(&mut self, hold: usize) -> Result<(), Refused> {
        self.undo(hold, HoldState::Confirmed, HoldState::Cancelled)
    }

    /// Expires every active lot past its expiry at `now` (or all of them, if `inactive`).
    pub fn expire(&mut self, now: i64, inactive: bool) {
        let mut expired = 0;
        for l in self.lots.iter_mut().filter(|l| !l.pending) {
            if inactive || l.expires_at.is_some_and(|e| e <= now) {
                expired += l.remaining;
                l.remaining = 0;
            }
        }
        if expired > 0 {
            self.entries.push(Entry {
                reason: Reason::Expire,
                points: -expired,
                pending: 0,
            });
        }
    }

    /// Reverses lot `lot` (a refunded order): a pending lot is simply withdrawn; an active one's
    /// points are taken back from it first, then from the others, and any shortfall is clamped
    /// or becomes debt under the policy.
    pub fn reverse(&mut self, lot: usize, now: i64) -> Result<Reversal, Refused> {
        let l = *self.lots.get(lot).ok_or(Refused::Invalid)?;
        if l.reversed {
            return Err(Refused::Invalid);
        }
        if let Some(x) = self.lots.get_mut(lot) {
            x.reversed = true;
        }
        if l.pending {
            if let Some(x) = self.lots.get_mut(lot) {
                x.remaining = 0;
            }
            self.entries.push(Entry {
                reason: Reason::Reverse,
                points: 0,
                pending: -l.remaining,
            });
            return Ok(Reversal {
                taken: l.remaining,
                debt: 0,
                written_off: 0,
            });
        }
        let r = reversal(self.spendable(now), l.earned, self.policy);
        let draws = draw(&self.views(now), r.taken, Some(lot));
        self.take(&draws);
        self.debt += r.debt;
        self.entries.push(Entry {
            reason: Reason::Reverse,
            points: -(r.taken + r.debt),
            pending: 0,
        });
        Ok(r)
    }

    /// A staff adjustment: positive adds a lot, negative draws like a spend and is refused if
    /// the balance does not cover it.
    pub fn adjust(
        &mut self,
        points: i64,
        now: i64,
        expires_at: Option<i64>,
    ) -> Result<(), Refused> {
        if points == 0 {
            return Err(Refused::Invalid);
        }
        if points > 0 {
            self.earn(points, now, expires_at, false);
            if let Some(e) = self.entries.last_mut() {
                e.reason = Reason::Adjust;
            }
            return Ok(());
        }
        if self.spendable(now) - self.debt < -points {
            return Err(Refused::InsufficientPoints);
        }
        let draws = draw(&self.views(now), -points, None);
        self.take(&draws);
        self.entries.push(Entry {
            reason: Reason::Adjust,
            points,
            pending: 0,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

    use super::*;
    use proptest::prelude::*;

    fn ms(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
    }

    const WARSAW: Tz = chrono_tz::Europe::Warsaw;

    #[test]
    fn lots_expire_by_days_months_or_at_the_end_of_the_month_in_the_merchants_zone() {
        let earned = ms("2026-01-31T22:30:00Z"); // 23:30 on 31 January in Warsaw
        let days = |d, eom| ExpiryPolicy::AfterEarning {
            days: d,
            months: 0,
            end_of_month: eom,
        };
        let months = |m, eom| ExpiryPolicy::AfterEarning {
            days: 0,
            months: m,
            end_of_month: eom,
        };
        assert_eq!(lot_expiry(ExpiryPolicy::Never, earned, WARSAW), None);
        assert_eq!(
            lot_expiry(ExpiryPolicy::Inactivity { days: 90 }, earned, WARSAW),
            None
        );
        assert_eq!(
            lot_expiry(days(30, false), earned, WARSAW),
            Some(ms("2026-03-02T22:30:00Z"))
        );
        // 31 January + 1 month is the last day of February; local time of day is kept.
        assert_eq!(
            lot_expiry(months(1, false), earned, WARSAW),
            Some(ms("2026-02-28T22:30:00Z"))
        );
        // Rounded to the end of February in Warsaw: midnight of 1 March local is 23:00 UTC.
        assert_eq!(
            lot_expiry(months(1, true), earned, WARSAW),
            Some(ms("2026-02-28T23:00:00Z"))
        );
        // Across the spring clock change: end of March in Warsaw is 22:00 UTC (UTC+2).
        assert_eq!(
            lot_expiry(days(40, true), earned, WARSAW),
            Some(ms("2026-03-31T22:00:00Z"))
        );
        // The local date decides the month: 23:30 UTC+1 on 31 December is already 1 January in
        // Tokyo, so twelve months later ends in January there and in December in Warsaw.
        let new_year = ms("2026-12-31T22:30:00Z");
        assert_eq!(
            lot_expiry(months(12, true), new_year, WARSAW),
            Some(ms("2027-12-31T23:00:00Z"))
        );
        assert_eq!(
            lot_expiry(months(12, true), new_year, chrono_tz::Asia::Tokyo),
            Some(ms("2028-01-31T15:00:00Z"))
        );
    }

    #[test]
    fn expiry_policies_are_checked() {
        let p = |json: &str| serde_json::from_str::<ExpiryPolicy>(json).map(ExpiryPolicy::check);
        assert!(matches!(p(r#"{"policy":"never"}"#), Ok(Ok(_))));
        assert!(matches!(
            p(r#"{"policy":"after_earning","months":12,"end_of_month":true}"#),
            Ok(Ok(_))
        ));
        assert!(matches!(
            p(r#"{"policy":"after_earning","days":365}"#),
            Ok(Ok(_))
        ));
        assert!(matches!(
            p(r#"{"policy":"after_earning","days":30,"months":1}"#),
            Ok(Err(_))
        ));
        assert!(matches!(p(r#"{"policy":"after_earning"}"#), Ok(Err(_))));
        assert!(matches!(
            p(r#"{"policy":"inactivity","days":0}"#),
            Ok(Err(_))
        ));
        assert!(p(r#"{"policy":"sometimes"}"#).is_err());
        assert!(p(r#"{"policy":"inactivity","days":9,"color":1}"#).is_err());
    }

    #[test]
    fn a_spend_draws_the_soonest_expiring_lots_first_and_never_expiring_last() {
        let lot = |remaining, earned_at, expires_at| LotView {
            remaining,
            earned_at,
            expires_at,
        };
        let lots = [
            lot(10, 1, None),
            lot(10, 2, Some(500)),
            lot(10, 3, Some(300)),
            lot(0, 4, Some(100)),
        ];
        assert_eq!(draw(&lots, 15, None), vec![(2, 10), (1, 5)]);
        assert_eq!(draw(&lots, 30, None), vec![(2, 10), (1, 10), (0, 10)]);
        assert_eq!(draw(&lots, 45, None), vec![(2, 10), (1, 10), (0, 10)]);
        assert_eq!(draw(&lots, 12, Some(0)), vec![(0, 10), (2, 2)]);
    }

    #[test]
    fn reversals_clamp_or_run_into_debt_that_later_earns_repay() {
        assert_eq!(
            reversal(30, 50, NegativeBalance::Clamp),
            Reversal {
                taken: 30,
                debt: 0,
                written_off: 20
            }
        );
        assert_eq!(
            reversal(30, 50, NegativeBalance::Allow),
            Reversal {
                taken: 30,
                debt: 20,
                written_off: 0
            }
        );
        assert_eq!(settle_debt(20, 50), (20, 30));
        assert_eq!(settle_debt(20, 5), (5, 0));
        let mut w = Wallet::new(NegativeBalance::Allow);
        w.earn(50, 0, None, false);
        w.reserve(40, 1).unwrap();
        w.reverse(0, 2).unwrap();
        assert_eq!((w.active(), w.debt, w.balance()), (0, 40, -40));
        w.earn(100, 3, None, false);
        assert_eq!((w.active(), w.debt, w.balance()), (60, 0, 60));
    }

    #[derive(Debug, Clone)]
    enum Op {
        Earn(i64, bool, Option<i64>),
        Activate(usize),
        Reserve(i64),
        Confirm(usize),
        Release(usize),
        Cancel(usize),
        Expire(bool),
        Reverse(usize),
        Adjust(i64),
        Wait(i64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (1i64..500, any::<bool>(), proptest::option::of(1i64..200))
                .prop_map(|(p, pend, ttl)| Op::Earn(p, pend, ttl)),
            1 => (0usize..20).prop_map(Op::Activate),
            3 => (1i64..400).prop_map(Op::Reserve),
            2 => (0usize..10).prop_map(Op::Confirm),
            1 => (0usize..10).prop_map(Op::Release),
            1 => (0usize..10).prop_map(Op::Cancel),
            1 => any::<bool>().prop_map(Op::Expire),
            1 => (0usize..20).prop_map(Op::Reverse),
            1 => (-300i64..300).prop_map(Op::Adjust),
            2 => (1i64..100).prop_map(Op::Wait),
        ]
    }

    fn check(w: &Wallet, policy: NegativeBalance) {
        let points: i64 = w.entries.iter().map(|e| e.points).sum();
        let pending: i64 = w.entries.iter().map(|e| e.pending).sum();
        assert_eq!(points, w.balance(), "the balance is the sum of the ledger");
        assert_eq!(pending, w.pending(), "pending is the sum of the ledger");
        assert!(w.active() >= 0 && w.pending() >= 0 && w.debt >= 0);
        if policy == NegativeBalance::Clamp {
            assert_eq!(w.debt, 0, "clamp never leaves a debt");
            assert!(w.balance() >= 0, "never negative under clamp");
        }
        for l in &w.lots {
            assert!((0..=l.earned).contains(&l.remaining), "{l:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn any_history_keeps_the_balance_equal_to_the_ledger(
            ops in proptest::collection::vec(op(), 1..60),
            allow in any::<bool>(),
        ) {
            let policy = if allow { NegativeBalance::Allow } else { NegativeBalance::Clamp };
            let mut w = Wallet::new(policy);
            let mut now = 1_000i64;
            for op in ops {
                let before = (w.balance(), w.pending(), w.entries.len());
                let spendable_before = w.spendable(now);
                let lots_before = w.lots.clone();
                let result = match op {
                    Op::Earn(p, pending, ttl) => {
                        w.earn(p, now, ttl.map(|t| now + t), pending);
                        Ok(())
                    }
                    Op::Activate(i) => w.activate(i),
                    Op::Reserve(p) => w.reserve(p, now).map(|_| ()),
                    Op::Confirm(i) => w.confirm(i),
                    Op::Release(i) => w.release(i),
                    Op::Cancel(i) => w.cancel(i),
                    Op::Expire(inactive) => {
                        w.expire(now, inactive);
                        Ok(())
                    }
                    Op::Reverse(i) => w.reverse(i, now).map(|_| ()),
                    Op::Adjust(p) => w.adjust(p, now, None),
                    Op::Wait(d) => {
                        now += d;
                        Ok(())
                    }
                };
                if result.is_err() {
                    // A refusal writes nothing and changes nothing.
                    prop_assert_eq!(before, (w.balance(), w.pending(), w.entries.len()));
                    prop_assert_eq!(&lots_before, &w.lots);
                }
                if let (Op::Reserve(p), Ok(())) = (&op, &result) {
                    // Earliest expiry first: a lot was drawn only if every live lot expiring
                    // sooner was emptied by this draw.
                    let hold = w.holds.last().unwrap();
                    prop_assert_eq!(hold.draws.iter().map(|d| d.1).sum::<i64>(), *p);
                    let live = |l: &Lot| !l.pending && l.expires_at.is_none_or(|e| e > now);
                    for &(i, _) in &hold.draws {
                        let drawn = lots_before[i];
                        for (j, other) in lots_before.iter().enumerate() {
                            let sooner = match (other.expires_at, drawn.expires_at) {
                                (Some(a), Some(b)) => a < b,
                                (Some(_), None) => true,
                                _ => false,
                            };
                            if live(other) && other.remaining > 0 && sooner {
                                prop_assert_eq!(w.lots[j].remaining, 0, "lot {} before {}", j, i);
                            }
                        }
                    }
                    prop_assert!(spendable_before >= *p);
                }
                check(&w, policy);
            }
            // No points created or lost: every lot's earned points are accounted for.
            let earned: i64 = w.entries.iter()
                .filter(|e| matches!(e.reason, Reason::Earn) || (e.reason == Reason::Adjust && e.points > 0))
                .map(|e| e.points + e.pending).sum();
            let lots_earned: i64 = w.lots.iter().map(|l| l.earned).sum();
            prop_assert_eq!(earned, lots_earned);
        }
    }
}
