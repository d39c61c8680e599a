//! Birthday offers: the merchant's terms and which birthdays a run celebrates. A birthday is
//! celebrated once per year, `lead_days` ahead, from the merchant's local hour on; 29 February
//! birthdays are celebrated on 28 February in years without one.

use chrono::{DateTime, Datelike, Days, NaiveDate, Timelike};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::config::{check_range, ConfigError};
use super::referral::Bonus;

/// A merchant's birthday offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "BirthdayDraft")]
pub struct Birthday {
    pub enabled: bool,
    /// Points, stamps and/or a reward from the catalog.
    pub gift: Bonus,
    /// Days before the birthday the gift arrives (0: on the day).
    pub lead_days: u32,
    /// Local hour (0-23) from which the day's gifts go out.
    pub local_hour: u32,
    /// Days a reward given as the gift stays redeemable.
    pub gift_days: u32,
}

/// Birthday terms as sent.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BirthdayDraft {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default = "default_gift")]
    pub gift: Bonus,
    #[serde(default)]
    pub lead_days: u32,
    #[serde(default = "default_hour")]
    pub local_hour: u32,
    #[serde(default = "default_gift_days")]
    pub gift_days: u32,
}

fn default_gift() -> Bonus {
    Bonus {
        points: 50,
        ..Bonus::default()
    }
}
fn default_hour() -> u32 {
    9
}
fn default_gift_days() -> u32 {
    14
}

impl Default for Birthday {
    fn default() -> Self {
        Birthday {
            enabled: false,
            gift: default_gift(),
            lead_days: 0,
            local_hour: default_hour(),
            gift_days: default_gift_days(),
        }
    }
}

impl TryFrom<BirthdayDraft> for Birthday {
    type Error = ConfigError;

    fn try_from(d: BirthdayDraft) -> Result<Self, ConfigError> {
        let gift = super::referral::check_bonus("program.birthday.gift", d.gift)?;
        if d.enabled && gift.is_empty() {
            return Err(ConfigError {
                field: "program.birthday.gift".into(),
                message: "an enabled birthday offer must give something".into(),
            });
        }
        Ok(Birthday {
            enabled: d.enabled,
            gift,
            lead_days: check_range("program.birthday.lead_days", d.lead_days, 0, 30)?,
            local_hour: check_range("program.birthday.local_hour", d.local_hour, 0, 23)?,
            gift_days: check_range("program.birthday.gift_days", d.gift_days, 1, 90)?,
        })
    }
}

/// Birthdays (`MM-DD`) a run celebrates, counted towards `year`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub year: i32,
    pub days: Vec<String>,
}

fn target(date: NaiveDate) -> Target {
    let mut days = vec![date.format("%m-%d").to_string()];
    let leap = NaiveDate::from_ymd_opt(date.year(), 2, 29).is_some();
    if !leap && date.month() == 2 && date.day() == 28 {
        days.push("02-29".into());
    }
    Target {
        year: date.year(),
        days,
    }
}

/// The birthdays a run at `now` celebrates for a merchant in `tz`: none before the local hour;
/// from it on, the day `lead_days` ahead, and the day before it (so a day the job did not run
/// is caught up the next day; once per year holds).
pub fn targets(now: i64, tz: Tz, b: &Birthday) -> Vec<Target> {
    let Some(local) = DateTime::from_timestamp_millis(now).map(|t| t.with_timezone(&tz)) else {
        return Vec::new();
    };
    if local.hour() < b.local_hour {
        return Vec::new();
    }
    let today = local.date_naive();
    let Some(ahead) = today.checked_add_days(Days::new(u64::from(b.lead_days))) else {
        return Vec::new();
    };
    let mut out = vec![target(ahead)];
    if let Some(before) = ahead.checked_sub_days(Days::new(1)) {
        out.push(target(before));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rfc3339: &str) -> i64 {
        DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .timestamp_millis()
    }

    fn on(hour: u32, lead: u32) -> Birthday {
        Birthday {
            enabled: true,
            local_hour: hour,
            lead_days: lead,
            ..Birthday::default()
        }
    }

    fn days(ts: &[Target]) -> Vec<(i32, Vec<&str>)> {
        ts.iter()
            .map(|t| (t.year, t.days.iter().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn one_instant_is_two_dates_across_the_date_line() {
        // 2026-06-15 20:00 UTC is 10:00 on the 15th in Honolulu (UTC-10) and 10:00 on the 16th
        // on Kiritimati (UTC+14).
        let now = at("2026-06-15T20:00:00Z");
        let honolulu = targets(now, chrono_tz::Pacific::Honolulu, &on(9, 0));
        let kiritimati = targets(now, chrono_tz::Pacific::Kiritimati, &on(9, 0));
        assert_eq!(
            days(&honolulu),
            [(2026, vec!["06-15"]), (2026, vec!["06-14"])]
        );
        assert_eq!(
            days(&kiritimati),
            [(2026, vec!["06-16"]), (2026, vec!["06-15"])]
        );
        // Before the local hour: nothing yet.
        assert!(targets(now, chrono_tz::Pacific::Honolulu, &on(11, 0)).is_empty());
    }

    #[test]
    fn a_skipped_hour_on_a_clock_change_day_still_sends() {
        // Warsaw skips 02:00-03:00 on 2024-03-31: the 03:00 run sends the 02:00 offers.
        let now = at("2024-03-31T03:00:00+02:00");
        let t = targets(now, chrono_tz::Europe::Warsaw, &on(2, 0));
        assert_eq!(days(&t)[0], (2024, vec!["03-31"]));
        let before = at("2024-03-31T01:30:00+01:00");
        assert!(targets(before, chrono_tz::Europe::Warsaw, &on(2, 0)).is_empty());
    }

    #[test]
    fn february_29_is_celebrated_on_the_28th_in_common_years() {
        let common = targets(at("2027-02-28T12:00:00Z"), chrono_tz::UTC, &on(9, 0));
        assert_eq!(days(&common)[0], (2027, vec!["02-28", "02-29"]));
        let leap = targets(at("2028-02-28T12:00:00Z"), chrono_tz::UTC, &on(9, 0));
        assert_eq!(days(&leap)[0], (2028, vec!["02-28"]));
        let leap_day = targets(at("2028-02-29T12:00:00Z"), chrono_tz::UTC, &on(9, 0));
        assert_eq!(days(&leap_day)[0], (2028, vec!["02-29"]));
    }

    #[test]
    fn lead_days_cross_the_year_and_count_towards_the_birthdays_year() {
        let t = targets(at("2026-12-30T12:00:00Z"), chrono_tz::UTC, &on(9, 3));
        assert_eq!(days(&t), [(2027, vec!["01-02"]), (2027, vec!["01-01"])]);
    }

    #[test]
    fn terms_are_checked() {
        let b: Birthday = serde_json::from_str(r#"{"enabled": true}"#).unwrap();
        assert_eq!(b.gift.points, 50);
        for bad in [
            r#"{"enabled": true, "gift": {}}"#,
            r#"{"local_hour": 24}"#,
            r#"{"lead_days": 31}"#,
            r#"{"gift": {"reward_id": "nope"}}"#,
        ] {
            assert!(serde_json::from_str::<Birthday>(bad).is_err(), "{bad}");
        }
    }
}
