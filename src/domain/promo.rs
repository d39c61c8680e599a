//! Time-boxed promotions ("double points on Tuesday afternoons", "+50 points until Christmas"),
//! read in the merchant's local time, and points per item (SKU) for POS orders.

use chrono::{Datelike, NaiveDate, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::config::{check_range, check_text, ConfigError};

/// Most promotions a program may have.
pub const MAX_PROMOTIONS: usize = 20;
/// Most SKU rules a program may have.
pub const MAX_ITEM_RULES: usize = 200;

/// A promotion: a multiplier and/or bonus on purchase points, on some days, between two local
/// times, between two local dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promotion {
    pub name: String,
    /// Purchase points in percent (200: double points).
    pub multiplier_pct: u32,
    /// Points added to every qualifying purchase.
    pub bonus_points: u32,
    /// Local weekdays (`mon` .. `sun`); empty: every day.
    pub days: Vec<String>,
    /// Local time of day it starts (`HH:MM`, inclusive) and ends (exclusive); `None`: all day.
    pub from: Option<String>,
    pub until: Option<String>,
    /// First and last local dates (`YYYY-MM-DD`, inclusive); `None`: open-ended.
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
}

/// A promotion as sent.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromotionDraft {
    pub name: String,
    #[serde(default = "hundred")]
    pub multiplier_pct: u32,
    #[serde(default)]
    pub bonus_points: u32,
    #[serde(default)]
    pub days: Vec<String>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub starts_on: Option<String>,
    #[serde(default)]
    pub ends_on: Option<String>,
}

fn hundred() -> u32 {
    100
}

/// The weekdays as programs name them, Monday first.
pub const DAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Mon),
    ("tue", Weekday::Tue),
    ("wed", Weekday::Wed),
    ("thu", Weekday::Thu),
    ("fri", Weekday::Fri),
    ("sat", Weekday::Sat),
    ("sun", Weekday::Sun),
];

/// A local time of day as programs write it (`HH:MM`; `24:00` is the day's last second).
pub(crate) fn time(s: &str) -> Option<NaiveTime> {
    if s == "24:00" {
        return NaiveTime::from_hms_opt(23, 59, 59);
    }
    (s.len() == 5)
        .then(|| NaiveTime::parse_from_str(s, "%H:%M").ok())
        .flatten()
}

/// A local date as programs write it (`YYYY-MM-DD`).
pub(crate) fn date(s: &str) -> Option<NaiveDate> {
    (s.len() == 10)
        .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
}

/// Checks one promotion; `i` is its place in the list (for error fields).
pub fn check_promotion(i: usize, d: PromotionDraft) -> Result<Promotion, ConfigError> {
    let at = |f: &str| format!("program.promotions[{i}].{f}");
    let bad = |f: &str, message: &str| ConfigError {
        field: at(f),
        message: message.into(),
    };
    let name = check_text(&at("name"), d.name, 60)?;
    let multiplier_pct = check_range(&at("multiplier_pct"), d.multiplier_pct, 100, 1000)?;
    let bonus_points = check_range(&at("bonus_points"), d.bonus_points, 0, 100_000)?;
    if multiplier_pct == 100 && bonus_points == 0 {
        return Err(bad(
            "multiplier_pct",
            "a promotion needs a multiplier above 100 or bonus points",
        ));
    }
    let mut days = Vec::new();
    for day in d.days {
        let day = day.trim().to_ascii_lowercase();
        if !DAYS.iter().any(|(n, _)| *n == day) {
            return Err(bad("days", "use mon, tue, wed, thu, fri, sat, sun"));
        }
        if !days.contains(&day) {
            days.push(day);
        }
    }
    let (from, until) = match (d.from.as_deref(), d.until.as_deref()) {
        (None, None) => (None, None),
        (Some(f), Some(u)) => {
            let (tf, tu) = (time(f), time(u));
            match (tf, tu) {
                (Some(a), Some(b)) if a < b => (Some(f.to_owned()), Some(u.to_owned())),
                (None, _) => return Err(bad("from", "must be a local time like 14:00")),
                (_, None) => return Err(bad("until", "must be a local time like 17:30")),
                _ => {
                    return Err(bad(
                        "until",
                        "must be after from (split a window across midnight into two)",
                    ))
                }
            }
        }
        _ => return Err(bad("from", "give both from and until, or neither")),
    };
    let check_date = |f: &str, v: Option<String>| match v {
        None => Ok(None),
        Some(s) if date(&s).is_some() => Ok(Some(s)),
        Some(_) => Err(bad(f, "must be a date like 2026-12-24")),
    };
    let starts_on = check_date("starts_on", d.starts_on)?;
    let ends_on = check_date("ends_on", d.ends_on)?;
    if let (Some(s), Some(e)) = (&starts_on, &ends_on) {
        if e < s {
            return Err(bad("ends_on", "must not be before starts_on"));
        }
    }
    Ok(Promotion {
        name,
        multiplier_pct,
        bonus_points,
        days,
        from,
        until,
        starts_on,
        ends_on,
    })
}

impl Promotion {
    /// Whether the promotion runs at Unix ms `now` in time zone `tz`.
    pub fn runs_at(&self, now_ms: i64, tz: Tz) -> bool {
        let Some(local) = tz.timestamp_millis_opt(now_ms).single() else {
            return false;
        };
        let in_hours = match (
            self.from.as_deref().and_then(time),
            self.until.as_deref().and_then(time),
        ) {
            (Some(f), Some(u)) => {
                let t = local.time();
                t >= f && (t < u || (u == NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(u)))
            }
            _ => true,
        };
        in_hours && self.runs_on(local.date_naive())
    }

    /// Whether the promotion runs at some time on local day `day` (its weekdays and dates).
    pub fn runs_on(&self, day: NaiveDate) -> bool {
        let weekday = day.weekday();
        let on_day = self.days.is_empty()
            || DAYS
                .iter()
                .any(|(n, w)| *w == weekday && self.days.iter().any(|d| d == n));
        let after_start = self
            .starts_on
            .as_deref()
            .and_then(date)
            .is_none_or(|s| day >= s);
        let before_end = self
            .ends_on
            .as_deref()
            .and_then(date)
            .is_none_or(|e| day <= e);
        on_day && after_start && before_end
    }
}

/// What the running promotions add to a purchase: the best multiplier, and every bonus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Boost {
    pub multiplier_pct: u32,
    pub bonus_points: i64,
    /// Names of the promotions that apply, for the ledger note.
    pub names: Vec<String>,
}

impl Boost {
    /// Applies the boost to `base` purchase points.
    pub fn apply(&self, base: i64) -> i64 {
        base.saturating_mul(i64::from(self.multiplier_pct)) / 100 + self.bonus_points
    }
}

/// The boost of the promotions running at Unix ms `now` in `tz`.
pub fn boost(promotions: &[Promotion], now_ms: i64, tz: Tz) -> Boost {
    let running: Vec<&Promotion> = promotions
        .iter()
        .filter(|p| p.runs_at(now_ms, tz))
        .collect();
    Boost {
        multiplier_pct: running
            .iter()
            .map(|p| p.multiplier_pct)
            .max()
            .unwrap_or(100),
        bonus_points: running.iter().map(|p| i64::from(p.bonus_points)).sum(),
        names: running.iter().map(|p| p.name.clone()).collect(),
    }
}

/// Points per unit of one item (SKU) bought through the POS, on top of the amount's points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemRule {
    pub sku: String,
    pub points: u32,
}

/// Checks the item rules: SKUs 1 to 64 printable characters, unique, 1 to 100,000 points each.
pub fn check_item_rules(rules: Vec<ItemRule>) -> Result<Vec<ItemRule>, ConfigError> {
    if rules.len() > MAX_ITEM_RULES {
        return Err(ConfigError {
            field: "program.item_points".into(),
            message: format!("at most {MAX_ITEM_RULES} rules, got {}", rules.len()),
        });
    }
    let mut out: Vec<ItemRule> = Vec::with_capacity(rules.len());
    for (i, r) in rules.into_iter().enumerate() {
        let sku = check_text(&format!("program.item_points[{i}].sku"), r.sku, 64)?;
        if out.iter().any(|o| o.sku == sku) {
            return Err(ConfigError {
                field: format!("program.item_points[{i}].sku"),
                message: format!("{sku:?} is listed twice"),
            });
        }
        let points = check_range(
            &format!("program.item_points[{i}].points"),
            r.points,
            1,
            100_000,
        )?;
        out.push(ItemRule { sku, points });
    }
    Ok(out)
}

/// A line of a POS order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Item {
    pub sku: String,
    pub quantity: u32,
}

/// Points the items of an order earn under `rules` (items without a rule earn nothing extra).
pub fn item_points(rules: &[ItemRule], items: &[Item]) -> i64 {
    items
        .iter()
        .filter_map(|it| {
            rules
                .iter()
                .find(|r| r.sku == it.sku)
                .map(|r| i64::from(r.points) * i64::from(it.quantity))
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn promo(json: &str) -> Result<Promotion, String> {
        let d: PromotionDraft = serde_json::from_str(json).map_err(|e| e.to_string())?;
        check_promotion(0, d).map_err(|e| e.to_string())
    }

    fn at(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
        tz.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn a_happy_hour_runs_in_local_time_on_its_days() {
        let p = promo(
            r#"{"name":"Tuesday 2x","multiplier_pct":200,"days":["tue"],"from":"14:00","until":"17:00"}"#,
        )
        .unwrap();
        let waw = chrono_tz::Europe::Warsaw;
        // 2026-11-24 is a Tuesday.
        assert!(p.runs_at(at(waw, 2026, 11, 24, 14, 0), waw));
        assert!(p.runs_at(at(waw, 2026, 11, 24, 16, 59), waw));
        assert!(!p.runs_at(at(waw, 2026, 11, 24, 17, 0), waw));
        assert!(!p.runs_at(at(waw, 2026, 11, 24, 13, 59), waw));
        assert!(!p.runs_at(at(waw, 2026, 11, 25, 15, 0), waw), "Wednesday");
        // 14:30 in Warsaw is 13:30 UTC: the same instant read in UTC is outside the hours.
        let instant = at(waw, 2026, 11, 24, 14, 30);
        assert!(!p.runs_at(instant, chrono_tz::UTC));
        // 03:00 Wednesday in Kiritimati (UTC+14) is 14:00 Tuesday in Warsaw: Warsaw's clock counts.
        let kiri = chrono_tz::Pacific::Kiritimati;
        assert!(p.runs_at(at(kiri, 2026, 11, 25, 3, 0), waw));
        assert!(!p.runs_at(at(kiri, 2026, 11, 25, 3, 0), kiri));
    }

    #[test]
    fn date_ranges_are_inclusive_local_dates() {
        let p = promo(
            r#"{"name":"Advent","bonus_points":50,"starts_on":"2026-12-01","ends_on":"2026-12-24"}"#,
        )
        .unwrap();
        let waw = chrono_tz::Europe::Warsaw;
        assert!(!p.runs_at(at(waw, 2026, 11, 30, 23, 59), waw));
        assert!(p.runs_at(at(waw, 2026, 12, 1, 0, 0), waw));
        assert!(p.runs_at(at(waw, 2026, 12, 24, 23, 59), waw));
        assert!(!p.runs_at(at(waw, 2026, 12, 25, 0, 0), waw));
    }

    #[test]
    fn the_best_multiplier_wins_and_bonuses_add_up() {
        let all_day = |m: u32, b: u32| {
            promo(&format!(
                r#"{{"name":"p{m}{b}","multiplier_pct":{m},"bonus_points":{b}}}"#
            ))
            .unwrap()
        };
        let ps = [all_day(200, 0), all_day(150, 10), all_day(100, 5)];
        let b = boost(&ps, 0, chrono_tz::UTC);
        assert_eq!(b.multiplier_pct, 200);
        assert_eq!(b.bonus_points, 15);
        assert_eq!(b.apply(33), 81);
        assert_eq!(boost(&[], 0, chrono_tz::UTC).apply(33), 33);
    }

    #[test]
    fn bad_promotions_name_the_field() {
        let cases = [
            (r#"{"name":"x"}"#, "program.promotions[0].multiplier_pct"),
            (
                r#"{"name":"x","multiplier_pct":1001}"#,
                "program.promotions[0].multiplier_pct",
            ),
            (
                r#"{"name":"x","bonus_points":1,"days":["tues"]}"#,
                "program.promotions[0].days",
            ),
            (
                r#"{"name":"x","bonus_points":1,"from":"14:00"}"#,
                "program.promotions[0].from",
            ),
            (
                r#"{"name":"x","bonus_points":1,"from":"22:00","until":"02:00"}"#,
                "program.promotions[0].until",
            ),
            (
                r#"{"name":"x","bonus_points":1,"from":"9:00","until":"12:00"}"#,
                "program.promotions[0].from",
            ),
            (
                r#"{"name":"x","bonus_points":1,"starts_on":"2026-12-31","ends_on":"2026-12-01"}"#,
                "program.promotions[0].ends_on",
            ),
            (
                r#"{"name":"x","bonus_points":1,"starts_on":"2026-02-30"}"#,
                "program.promotions[0].starts_on",
            ),
        ];
        for (json, field) in cases {
            let err = promo(json).unwrap_err();
            assert!(err.starts_with(field), "{json}: {err}");
        }
    }

    #[test]
    fn items_earn_their_rule_times_quantity() {
        let rules = check_item_rules(vec![
            ItemRule {
                sku: "LATTE".into(),
                points: 5,
            },
            ItemRule {
                sku: "CROISSANT".into(),
                points: 3,
            },
        ])
        .unwrap();
        let items = [
            Item {
                sku: "LATTE".into(),
                quantity: 2,
            },
            Item {
                sku: "WATER".into(),
                quantity: 9,
            },
            Item {
                sku: "CROISSANT".into(),
                quantity: 1,
            },
        ];
        assert_eq!(item_points(&rules, &items), 13);
        let twice = check_item_rules(vec![
            ItemRule {
                sku: "A".into(),
                points: 1,
            },
            ItemRule {
                sku: "A".into(),
                points: 2,
            },
        ]);
        assert_eq!(twice.unwrap_err().field, "program.item_points[1].sku");
    }
}
