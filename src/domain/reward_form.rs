//! The console's reward form: what an owner types (a kind chosen by name, an amount in their
//! money, dates in their own time zone, blank for "no limit") turned into the `RewardDraft` the
//! API checks, with each of the checks' refusals named on the field the owner typed it in.

use chrono::{NaiveDate, TimeZone};

use super::program::Currency;
use super::reward::{Reward, RewardDraft};
use super::setup::{named, FieldError, Problem};

/// The kinds of reward, in the order the form offers them.
pub const KINDS: [&str; 5] = [
    "free_item",
    "amount_off",
    "percent_off",
    "cashback",
    "coupon",
];

/// The form's fields as posted (every one a string, as a browser sends it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RewardForm {
    pub name: String,
    pub description: String,
    /// One of `KINDS`.
    pub kind: String,
    /// Money off or back, in the merchant's currency as typed ("5", "5,50").
    pub amount: String,
    /// Per cent off, 1 to 100.
    pub percent: String,
    pub coupon_code: String,
    /// `points` or `card` (a full stamp card pays).
    pub pays: String,
    pub points: String,
    /// How many can still be given; blank: no limit.
    pub stock: String,
    /// How many times one customer may take it; blank: no limit.
    pub limit: String,
    /// First day it can be taken, `YYYY-MM-DD` in the merchant's time zone; blank: now.
    pub starts: String,
    /// Last day it can be taken (the whole day); blank: no end.
    pub ends: String,
}

/// The form's field names, for a multipart body (the picture's field is `image`).
pub const FIELDS: [&str; 12] = [
    "name",
    "description",
    "kind",
    "amount",
    "percent",
    "coupon_code",
    "pays",
    "points",
    "stock",
    "limit",
    "starts",
    "ends",
];

/// A stored reward as the form reads it back.
#[derive(Debug, Clone, Default)]
pub struct Stored<'a> {
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub kind: &'a str,
    pub value: Option<i64>,
    pub coupon_code: Option<&'a str>,
    pub cost_points: Option<i64>,
    pub stock: Option<i64>,
    pub per_member_limit: Option<i64>,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
}

fn amount_text(currency: &Currency, minor: i64) -> String {
    // "5.50 PLN" without its code.
    let full = currency.format(minor);
    full.rsplit_once(' ')
        .map_or(full.clone(), |(n, _)| n.to_owned())
}

fn day_of(tz: chrono_tz::Tz, ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&tz).format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The start of local day `day` in `tz`, in Unix ms: its midnight, or where a clock change
/// skips midnight (Santiago, Cairo, Havana, Beirut), the first instant the day has.
fn midnight(tz: chrono_tz::Tz, day: NaiveDate) -> Option<i64> {
    let t = day.and_hms_opt(0, 0, 0)?;
    (0..=2)
        .find_map(|h| {
            tz.from_local_datetime(&(t + chrono::Duration::hours(h)))
                .earliest()
        })
        .map(|t| t.timestamp_millis())
}

fn date(
    tz: chrono_tz::Tz,
    field: &'static str,
    raw: &str,
) -> Result<Option<NaiveDate>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .filter(|d| {
            (2000..=9998).contains(&chrono::Datelike::year(d)) && midnight(tz, *d).is_some()
        })
        .map(Some)
        .ok_or(FieldError {
            field,
            problem: Problem::NotADate,
        })
}

fn count(field: &'static str, raw: &str) -> Result<Option<u32>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse().map(Some).map_err(|_| FieldError {
        field,
        problem: Problem::NotANumber,
    })
}

impl RewardForm {
    /// A new reward's form: a free item, paid for by a full stamp card when customers collect
    /// stamps, else by 100 points.
    pub fn blank(stamps: bool) -> RewardForm {
        RewardForm {
            kind: "free_item".into(),
            pays: if stamps { "card" } else { "points" }.into(),
            points: "100".into(),
            ..RewardForm::default()
        }
    }

    /// A stored reward's form.
    pub fn of(r: &Stored<'_>, currency: &Currency, tz: chrono_tz::Tz) -> RewardForm {
        let money = matches!(r.kind, "amount_off" | "cashback");
        RewardForm {
            name: r.name.to_owned(),
            description: r.description.unwrap_or_default().to_owned(),
            kind: r.kind.to_owned(),
            amount: match r.value {
                Some(v) if money => amount_text(currency, v),
                _ => String::new(),
            },
            percent: match r.value {
                Some(v) if r.kind == "percent_off" => v.to_string(),
                _ => String::new(),
            },
            coupon_code: r.coupon_code.unwrap_or_default().to_owned(),
            pays: if r.cost_points.is_some() {
                "points"
            } else {
                "card"
            }
            .into(),
            points: r.cost_points.map(|p| p.to_string()).unwrap_or_default(),
            stock: r.stock.map(|s| s.to_string()).unwrap_or_default(),
            limit: r
                .per_member_limit
                .map(|s| s.to_string())
                .unwrap_or_default(),
            starts: r.starts_at.map(|t| day_of(tz, t)).unwrap_or_default(),
            // The stored end is the first instant it is no longer available: the next midnight.
            ends: r.ends_at.map(|t| day_of(tz, t - 1)).unwrap_or_default(),
        }
    }

    /// Checks the form as the API checks a reward; `image` is the picture it keeps or gets,
    /// `active` whether it is on offer. Every problem found is named on its field.
    pub fn parse(
        &self,
        currency: &Currency,
        tz: chrono_tz::Tz,
        image: Option<String>,
        active: bool,
    ) -> Result<Reward, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = self.kind.trim();
        if !KINDS.contains(&kind) {
            errors.push(FieldError {
                field: "kind",
                problem: Problem::UnknownChoice,
            });
        }
        let value = match kind {
            "amount_off" | "cashback" => match currency.parse_amount(&self.amount) {
                Some(v) => Some(v),
                None => {
                    errors.push(FieldError {
                        field: "amount",
                        problem: if self.amount.trim().is_empty() {
                            Problem::Missing
                        } else {
                            Problem::NotAnAmount
                        },
                    });
                    None
                }
            },
            "percent_off" => match self.percent.trim() {
                "" => {
                    errors.push(FieldError {
                        field: "percent",
                        problem: Problem::Missing,
                    });
                    None
                }
                p => match p.trim_end_matches('%').trim().parse::<u32>() {
                    Ok(n) if (1..=100).contains(&n) => Some(n),
                    _ => {
                        errors.push(FieldError {
                            field: "percent",
                            problem: Problem::OutOfRange(1, 100),
                        });
                        None
                    }
                },
            },
            _ => None,
        };
        let coupon = (kind == "coupon").then(|| self.coupon_code.trim().to_owned());
        if coupon.as_deref() == Some("") {
            errors.push(FieldError {
                field: "coupon_code",
                problem: Problem::Missing,
            });
        }
        let card = match self.pays.trim() {
            "card" => true,
            "points" => false,
            _ => {
                errors.push(FieldError {
                    field: "pays",
                    problem: Problem::UnknownChoice,
                });
                false
            }
        };
        let points = if card {
            None
        } else {
            match count("points", &self.points) {
                Ok(Some(0)) => {
                    errors.push(FieldError {
                        field: "points",
                        problem: Problem::OutOfRange(1, super::reward::MAX_COST_POINTS),
                    });
                    None
                }
                Ok(Some(p)) => Some(p),
                Ok(None) => {
                    errors.push(FieldError {
                        field: "points",
                        problem: Problem::Missing,
                    });
                    None
                }
                Err(e) => {
                    errors.push(e);
                    None
                }
            }
        };
        let mut keep =
            |r: Result<Option<u32>, FieldError>| r.map_err(|e| errors.push(e)).ok().flatten();
        let stock = keep(count("stock", &self.stock));
        let limit = keep(count("limit", &self.limit));
        let starts = date(tz, "starts", &self.starts)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let ends = date(tz, "ends", &self.ends)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        if let (Some(s), Some(e)) = (starts, ends) {
            if e < s {
                errors.push(FieldError {
                    field: "ends",
                    problem: Problem::EndsBeforeStart,
                });
            }
        }
        if self.name.trim().is_empty() {
            errors.push(FieldError {
                field: "name",
                problem: Problem::Missing,
            });
        }
        if !errors.is_empty() {
            return Err(dedup(errors));
        }
        let draft = RewardDraft {
            name: self.name.clone(),
            kind: kind.to_owned(),
            value,
            coupon_code: coupon,
            cost_points: points,
            cost_stamp_card: card,
            starts_at: starts.and_then(|d| midnight(tz, d)),
            ends_at: ends
                .and_then(|d| d.succ_opt())
                .and_then(|d| midnight(tz, d)),
            stock,
            per_member_limit: limit,
            active,
            image,
            description: Some(self.description.clone()),
        };
        Reward::try_from(draft).map_err(|e| {
            let field = match e.field.as_str() {
                "value" if kind == "percent_off" => "percent",
                "value" => "amount",
                "cost_points" => "points",
                "per_member_limit" => "limit",
                "starts_at" => "starts",
                "ends_at" => "ends",
                "name" => "name",
                "description" => "description",
                "coupon_code" => "coupon_code",
                "stock" => "stock",
                "image" => "image",
                _ => "kind",
            };
            vec![named(field, &e)]
        })
    }
}

/// One error per field, the first found.
fn dedup(errors: Vec<FieldError>) -> Vec<FieldError> {
    let mut out: Vec<FieldError> = Vec::new();
    for e in errors {
        if !out.iter().any(|o| o.field == e.field) {
            out.push(e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::domain::reward::{Cost, Gift};

    fn pln() -> Currency {
        Currency {
            code: "PLN".into(),
            minor_units: 2,
        }
    }

    fn warsaw() -> chrono_tz::Tz {
        chrono_tz::Europe::Warsaw
    }

    fn form(f: impl FnOnce(&mut RewardForm)) -> RewardForm {
        let mut r = RewardForm::blank(false);
        r.name = "Free coffee".into();
        f(&mut r);
        r
    }

    fn fields(r: Result<Reward, Vec<FieldError>>) -> Vec<(&'static str, Problem)> {
        r.unwrap_err()
            .iter()
            .map(|e| (e.field, e.problem))
            .collect()
    }

    #[test]
    fn a_blank_form_with_a_name_is_a_free_item_for_100_points() {
        let r = form(|_| {}).parse(&pln(), warsaw(), None, true).unwrap();
        assert_eq!((r.gift, r.cost), (Gift::FreeItem, Cost::Points(100)));
        assert_eq!(
            (r.stock, r.per_member_limit, r.starts_at, r.ends_at),
            (None, None, None, None)
        );
        let card = RewardForm {
            name: "Cake".into(),
            ..RewardForm::blank(true)
        };
        assert_eq!(
            card.parse(&pln(), warsaw(), None, true).unwrap().cost,
            Cost::StampCard
        );
    }

    #[test]
    fn money_is_read_in_the_merchants_currency_and_days_in_their_zone() {
        let r = form(|f| {
            f.kind = "amount_off".into();
            f.amount = "5,50".into();
            f.starts = "2026-12-01".into();
            f.ends = "2026-12-31".into();
            f.stock = "20".into();
            f.limit = "1".into();
        })
        .parse(&pln(), warsaw(), None, true)
        .unwrap();
        assert_eq!(r.gift, Gift::AmountOff { value: 550 });
        // Midnight in Warsaw (UTC+1 in winter), and the end is the midnight after the last day.
        assert_eq!(r.starts_at, Some(1_796_079_600_000));
        assert_eq!(r.ends_at, Some(1_798_758_000_000));
        assert_eq!((r.stock, r.per_member_limit), (Some(20), Some(1)));
        // Read back, the form shows what was typed.
        let back = RewardForm::of(
            &Stored {
                name: "Free coffee",
                kind: "amount_off",
                value: Some(550),
                cost_points: Some(100),
                stock: Some(20),
                per_member_limit: Some(1),
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                ..Stored::default()
            },
            &pln(),
            warsaw(),
        );
        assert_eq!(
            (
                back.amount.as_str(),
                back.starts.as_str(),
                back.ends.as_str()
            ),
            ("5.50", "2026-12-01", "2026-12-31")
        );
        assert_eq!(back.parse(&pln(), warsaw(), None, true).unwrap(), r);
    }

    #[test]
    fn a_day_whose_midnight_a_clock_change_skips_still_starts_and_ends() {
        // Santiago moved its clocks from 00:00 to 01:00 on 2026-09-06.
        let santiago = chrono_tz::America::Santiago;
        let r = form(|f| {
            f.starts = "2026-09-06".into();
            f.ends = "2026-09-05".into();
        })
        .parse(&pln(), santiago, None, true);
        assert_eq!(fields(r), vec![("ends", Problem::EndsBeforeStart)]);
        let r = form(|f| {
            f.starts = "2026-09-06".into();
            f.ends = "2026-09-06".into();
        })
        .parse(&pln(), santiago, None, true)
        .unwrap();
        let (s, e) = (r.starts_at.unwrap(), r.ends_at.unwrap());
        assert_eq!(e - s, 23 * 3_600_000, "a 23-hour day, from 01:00");
        let until = form(|f| f.ends = "2026-09-05".into())
            .parse(&pln(), santiago, None, true)
            .unwrap();
        assert_eq!(
            until.ends_at,
            Some(s),
            "the day before ends where that day starts"
        );
    }

    #[test]
    fn each_problem_is_named_on_the_field_it_was_typed_in() {
        assert_eq!(
            fields(
                form(|f| {
                    f.name = " ".into();
                    f.kind = "amount_off".into();
                    f.amount = "five".into();
                    f.points = "x".into();
                    f.stock = "-1".into();
                    f.starts = "2026-12-10".into();
                    f.ends = "2026-12-01".into();
                })
                .parse(&pln(), warsaw(), None, true)
            ),
            vec![
                ("amount", Problem::NotAnAmount),
                ("points", Problem::NotANumber),
                ("stock", Problem::NotANumber),
                ("ends", Problem::EndsBeforeStart),
                ("name", Problem::Missing),
            ]
        );
        assert_eq!(
            fields(
                form(|f| {
                    f.kind = "percent_off".into();
                    f.percent = "150".into();
                    f.points = "0".into();
                    f.starts = "31.12.2026".into();
                })
                .parse(&pln(), warsaw(), None, true)
            ),
            vec![
                ("percent", Problem::OutOfRange(1, 100)),
                ("points", Problem::OutOfRange(1, 10_000_000)),
                ("starts", Problem::NotADate),
            ]
        );
        assert_eq!(
            fields(form(|f| f.kind = "coupon".into()).parse(&pln(), warsaw(), None, true)),
            vec![("coupon_code", Problem::Missing)]
        );
        assert_eq!(
            fields(form(|f| f.kind = "gold".into()).parse(&pln(), warsaw(), None, true)),
            vec![("kind", Problem::UnknownChoice)]
        );
        // The API's own checks come back on their field too.
        assert_eq!(
            fields(form(|f| f.limit = "5000".into()).parse(&pln(), warsaw(), None, true)),
            vec![("limit", Problem::OutOfRange(1, 1000))]
        );
        assert_eq!(
            fields(
                form(|f| {
                    f.kind = "coupon".into();
                    f.coupon_code = "NO SPACES".into();
                })
                .parse(&pln(), warsaw(), None, true)
            )
            .first()
            .map(|e| e.0),
            Some("coupon_code")
        );
        assert_eq!(
            fields(form(|f| f.description = "x".repeat(141)).parse(&pln(), warsaw(), None, true))
                .first()
                .map(|e| e.0),
            Some("description")
        );
    }

    #[test]
    fn the_parser_never_panics_and_what_it_accepts_the_api_accepts() {
        use proptest::prelude::*;
        let text = || proptest::string::string_regex(".{0,12}").unwrap();
        proptest!(|(kind in prop::sample::select(KINDS.to_vec()), amount in text(), percent in text(),
                    points in text(), stock in text(), starts in text(), ends in text(), name in text())| {
            let f = RewardForm { name, kind: kind.into(), amount, percent, points, stock, starts, ends,
                                 pays: "points".into(), coupon_code: "A1".into(), ..RewardForm::default() };
            if let Ok(r) = f.parse(&pln(), warsaw(), None, true) {
                prop_assert!(r.ends_at.is_none_or(|e| r.starts_at.is_none_or(|s| e > s)));
            }
        });
    }
}
