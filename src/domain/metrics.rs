//! Nightly KPIs: which local days are due for a rollup, where a merchant's local day begins, and
//! the rates the dashboard shows, each derived from a day's stored counts with its definition and
//! sample. Days are numbered from 1970-01-01 in the merchant's own calendar, so a day is the same
//! number wherever the rollup runs.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// A day is rolled up this long after it ends, so a request in flight at midnight is counted.
pub const GRACE_MS: i64 = 5 * 60_000;

/// The longest expected lifetime CLV assumes (a merchant whose members never churn would
/// otherwise see an infinite value).
pub const MAX_LIFETIME_YEARS: f64 = 10.0;

/// Segments, in the order the dashboard lists them.
pub const SEGMENTS: [&str; 5] = [
    "high_value_loyal",
    "at_risk",
    "new",
    "occasional",
    "no_activity",
];

/// The local date of day number `day`.
pub fn date(day: i64) -> NaiveDate {
    i32::try_from(day)
        .ok()
        .and_then(NaiveDate::from_epoch_days)
        .unwrap_or_default()
}

/// The day number of a local date.
pub fn day_of(date: NaiveDate) -> i64 {
    i64::from(date.to_epoch_days())
}

/// Parses `YYYY-MM-DD` into a day number.
pub fn parse_day(text: &str) -> Option<i64> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2200).contains(&chrono::Datelike::year(d)))
        .map(day_of)
}

/// The local day of Unix millisecond `ms` in `tz`.
pub fn local_day(ms: i64, tz: Tz) -> i64 {
    DateTime::from_timestamp_millis(ms)
        .map(|t| day_of(t.with_timezone(&tz).date_naive()))
        .unwrap_or(0)
}

/// The first instant of local day `day` (Unix ms): midnight, or where a clock change that skips
/// midnight lands; the earlier midnight when one repeats.
pub fn start(day: i64, tz: Tz) -> i64 {
    let d = date(day);
    for minutes in (0..=180).step_by(15) {
        let time = NaiveTime::from_num_seconds_from_midnight_opt(minutes * 60, 0)
            .unwrap_or(NaiveTime::MIN);
        match tz.from_local_datetime(&d.and_time(time)) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return t.timestamp_millis(),
            LocalResult::None => {}
        }
    }
    d.and_time(NaiveTime::MIN).and_utc().timestamp_millis()
}

/// The last local day that is over (its end plus `GRACE_MS` at or before `now`).
pub fn last_complete_day(now: i64, tz: Tz) -> i64 {
    local_day(now - GRACE_MS, tz) - 1
}

/// The 0-based positions, among `n` values sorted ascending, of the RFM cut points: the values
/// 20, 40, 60 and 80 % of the way up (position ceil(n * k / 5), 1-based). A score is 1 plus the
/// cut points a value is above, so the lowest fifth scores 1 and values above the last cut 5.
pub fn cut_offsets(n: i64) -> [i64; 4] {
    [1, 2, 3, 4].map(|k| ((n * k + 4) / 5 - 1).max(0))
}

/// One day's counts as the rollup stored them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub members: i64,
    pub new_members: i64,
    pub active_30d: i64,
    pub active_30d_before: i64,
    pub new_active_30d: i64,
    pub active_30d_year_before: i64,
    pub new_active_365d: i64,
    pub purchasers_90d: i64,
    pub repeaters_90d: i64,
    pub purchasers_365d: i64,
    pub purchases: i64,
    pub priced_purchases: i64,
    pub revenue_minor: i64,
    pub visits: i64,
    pub redemptions: i64,
    pub points_issued: i64,
    pub points_redeemed: i64,
    pub points_liability: i64,
    pub points_pending: i64,
    pub purchases_90d: i64,
    pub priced_90d: i64,
    pub revenue_90d: i64,
    pub revenue_365d: i64,
    pub issued_30d: i64,
    pub redeemed_30d: i64,
}

/// The rates of one day; `None` where the sample is empty (nothing to divide by).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Kpis {
    pub engagement_rate: Option<f64>,
    pub retention_rate: Option<f64>,
    pub churn_rate: Option<f64>,
    pub repeat_purchase_rate: Option<f64>,
    pub purchase_frequency: Option<f64>,
    pub average_order_value_minor: Option<f64>,
    pub revenue_per_member_365d_minor: Option<f64>,
    pub annual_churn_rate: Option<f64>,
    pub expected_lifetime_years: Option<f64>,
    pub clv_minor: Option<f64>,
    pub redemption_rate: Option<f64>,
    pub liability_value_minor: Option<i64>,
}

fn ratio(num: i64, den: i64) -> Option<f64> {
    exact_ratio(num, den).map(round)
}

/// A ratio left unrounded, for figures computed from other figures (rounded once, at the end).
fn exact_ratio(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Derives the day's rates from its counts; `point_value_per_100` is what 100 points cost the
/// merchant in minor units (0: not set, so the liability has no value).
pub fn kpis(c: &Counts, point_value_per_100: u32) -> Kpis {
    let retention = ratio(c.active_30d - c.new_active_30d, c.active_30d_before);
    // CLV is computed from the unrounded churn, lifetime and revenue, and rounded once.
    let annual_retention = exact_ratio(c.active_30d - c.new_active_365d, c.active_30d_year_before);
    let annual_churn = annual_retention.map(|r| 1.0 - r);
    let lifetime = annual_churn.map(|churn| {
        if churn <= 1.0 / MAX_LIFETIME_YEARS {
            MAX_LIFETIME_YEARS
        } else {
            1.0 / churn
        }
    });
    let per_member = exact_ratio(c.revenue_365d, c.purchasers_365d);
    Kpis {
        engagement_rate: ratio(c.active_30d, c.members),
        retention_rate: retention,
        churn_rate: retention.map(|r| round(1.0 - r)),
        repeat_purchase_rate: ratio(c.repeaters_90d, c.purchasers_90d),
        purchase_frequency: ratio(c.purchases_90d, c.purchasers_90d),
        average_order_value_minor: ratio(c.revenue_90d, c.priced_90d),
        revenue_per_member_365d_minor: per_member.map(round),
        annual_churn_rate: annual_churn.map(round),
        expected_lifetime_years: lifetime.map(round),
        clv_minor: per_member.zip(lifetime).map(|(v, l)| round(v * l)),
        redemption_rate: ratio(c.redeemed_30d, c.issued_30d),
        liability_value_minor: (point_value_per_100 > 0).then(|| {
            c.points_liability
                .saturating_mul(i64::from(point_value_per_100))
                / 100
        }),
    }
}

/// What each figure means and which count is its sample, as the dashboard states them.
pub const DEFINITIONS: [(&str, &str, &str); 15] = [
    ("members", "members at the end of the day (erased members are not counted)", "members"),
    ("active_30d", "members with an earn, visit or redemption in the 30 days to the day", "members"),
    ("engagement_rate", "active_30d / members", "members"),
    (
        "retention_rate",
        "(active_30d - members who joined in those 30 days and are active) / active_30d 30 days earlier",
        "active_30d_before",
    ),
    ("churn_rate", "1 - retention_rate", "active_30d_before"),
    (
        "repeat_purchase_rate",
        "members with 2 or more purchases in the 90 days to the day / members with 1 or more",
        "purchasers_90d",
    ),
    ("purchase_frequency", "purchases in 90 days / members who purchased in them", "purchasers_90d"),
    (
        "average_order_value_minor",
        "revenue in 90 days / purchases with an amount in them (minor units)",
        "priced_90d",
    ),
    (
        "revenue_minor",
        "purchase amounts of members that day, less refunds known when the day was rolled up",
        "priced_purchases",
    ),
    (
        "annual_churn_rate",
        "1 - (active_30d - members who joined in the 365 days and are active) / active_30d 365 days earlier",
        "active_30d_year_before",
    ),
    (
        "clv_minor",
        "revenue_per_member_365d_minor x expected_lifetime_years, where revenue per member is revenue in 365 days / members who purchased in them and expected lifetime is 1 / annual_churn_rate (at most 10 years)",
        "purchasers_365d",
    ),
    (
        "redemption_rate",
        "points redeemed / points issued, in the 30 days to the day (redemptions cancelled before their day was rolled up do not count; a rolled day is never recomputed)",
        "issued_30d",
    ),
    (
        "points_liability",
        "spendable points outstanding at the end of the day (pending points apart)",
        "members",
    ),
    (
        "liability_value_minor",
        "points_liability x program.point_value_per_100 / 100 (null when the program sets no value)",
        "members",
    ),
    (
        "segments",
        "RFM scores 1-5: recency (last purchase or visit), frequency (purchases and visits), monetary (revenue), each cut at the 20/40/60/80 % values of members with a purchase or visit; new: joined in the last 30 days; high_value_loyal: recency >= 4 and frequency or monetary >= 4; at_risk: recency <= 2 and frequency or monetary >= 3; occasional: the others who bought or visited; no_activity: the others",
        "scored",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rfc3339: &str) -> i64 {
        DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .timestamp_millis()
    }

    fn day(text: &str) -> i64 {
        parse_day(text).unwrap()
    }

    #[test]
    fn day_numbers_round_trip_through_dates() {
        assert_eq!(day_of(NaiveDate::default()), 0);
        assert_eq!(day("2026-11-23"), 20_780);
        assert_eq!(date(20_780).to_string(), "2026-11-23");
        assert_eq!(date(-1).to_string(), "1969-12-31");
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(parse_day("23.11.2026"), None);
        assert_eq!(parse_day("1999-12-31"), None);
    }

    #[test]
    fn one_instant_is_two_local_days_across_the_date_line() {
        // 2026-06-15 20:00 UTC: the 15th in Honolulu (UTC-10), the 16th on Kiritimati (UTC+14).
        let now = at("2026-06-15T20:00:00Z");
        let honolulu = chrono_tz::Pacific::Honolulu;
        let kiritimati = chrono_tz::Pacific::Kiritimati;
        assert_eq!(date(local_day(now, honolulu)).to_string(), "2026-06-15");
        assert_eq!(date(local_day(now, kiritimati)).to_string(), "2026-06-16");
        // Both of those local days end at the same instant, 2026-06-16 10:00 UTC.
        let end = at("2026-06-16T10:00:00Z");
        assert_eq!(start(day("2026-06-16"), honolulu), end);
        assert_eq!(start(day("2026-06-17"), kiritimati), end);
        // Five minutes after it both are complete; a minute before, neither is.
        assert_eq!(
            last_complete_day(end + GRACE_MS, honolulu),
            day("2026-06-15")
        );
        assert_eq!(
            last_complete_day(end + GRACE_MS, kiritimati),
            day("2026-06-16")
        );
        assert_eq!(last_complete_day(end - 60_000, honolulu), day("2026-06-14"));
        assert_eq!(
            last_complete_day(end - 60_000, kiritimati),
            day("2026-06-15")
        );
    }

    #[test]
    fn clock_change_days_are_23_and_25_hours_long() {
        let warsaw = chrono_tz::Europe::Warsaw;
        let spring = day("2026-03-29");
        let autumn = day("2026-10-25");
        assert_eq!(
            start(spring + 1, warsaw) - start(spring, warsaw),
            23 * 3_600_000
        );
        assert_eq!(
            start(autumn + 1, warsaw) - start(autumn, warsaw),
            25 * 3_600_000
        );
        assert_eq!(start(autumn, warsaw), at("2026-10-25T00:00:00+02:00"));
        // An instant in the repeated hour belongs to the long day.
        assert_eq!(local_day(at("2026-10-25T02:30:00+01:00"), warsaw), autumn);
    }

    #[test]
    fn a_clock_change_at_midnight_starts_the_day_when_the_clock_lands() {
        // Santiago skips 00:00-01:00 on 2026-09-06: the day starts at 01:00 local (04:00 UTC).
        let santiago = chrono_tz::America::Santiago;
        assert_eq!(
            start(day("2026-09-06"), santiago),
            at("2026-09-06T01:00:00-03:00")
        );
        // ...and repeats 23:00-24:00 on 2026-04-04: the 5th starts once, after the repeat.
        assert_eq!(
            start(day("2026-04-05"), santiago),
            at("2026-04-05T00:00:00-04:00")
        );
    }

    #[test]
    fn cut_points_sit_at_each_fifth_of_the_sample() {
        assert_eq!(cut_offsets(0), [0, 0, 0, 0]);
        assert_eq!(cut_offsets(1), [0, 0, 0, 0]);
        assert_eq!(cut_offsets(2), [0, 0, 1, 1]);
        assert_eq!(cut_offsets(3), [0, 1, 1, 2]);
        assert_eq!(cut_offsets(5), [0, 1, 2, 3]);
        assert_eq!(cut_offsets(100_000), [19_999, 39_999, 59_999, 79_999]);
        // With distinct values, each score holds a fifth.
        let n = 1_000;
        let cuts = cut_offsets(n);
        let score = |v: i64| 1 + cuts.iter().filter(|&&c| v > c).count();
        let fifths: Vec<usize> = (1..=5)
            .map(|s| (0..n).filter(|&v| score(v) == s).count())
            .collect();
        assert_eq!(fifths, [200; 5]);
    }

    fn fixture() -> Counts {
        Counts {
            members: 10,
            new_members: 1,
            active_30d: 6,
            active_30d_before: 5,
            new_active_30d: 2,
            active_30d_year_before: 4,
            new_active_365d: 3,
            purchasers_90d: 4,
            repeaters_90d: 1,
            purchasers_365d: 5,
            purchases_90d: 7,
            priced_90d: 5,
            revenue_90d: 12_500,
            revenue_365d: 40_000,
            issued_30d: 400,
            redeemed_30d: 100,
            points_liability: 1_234,
            ..Counts::default()
        }
    }

    #[test]
    fn rates_follow_the_product_definitions() {
        let k = kpis(&fixture(), 5);
        assert_eq!(k.engagement_rate, Some(0.6));
        assert_eq!(k.retention_rate, Some(0.8)); // (6 - 2) / 5
        assert_eq!(k.churn_rate, Some(0.2));
        assert_eq!(k.repeat_purchase_rate, Some(0.25));
        assert_eq!(k.purchase_frequency, Some(1.75));
        assert_eq!(k.average_order_value_minor, Some(2_500.0));
        assert_eq!(k.redemption_rate, Some(0.25));
        // Annual retention (6 - 3) / 4 = 0.75, churn 0.25, lifetime 4 years; 8,000 a member a year.
        assert_eq!(k.annual_churn_rate, Some(0.25));
        assert_eq!(k.expected_lifetime_years, Some(4.0));
        assert_eq!(k.revenue_per_member_365d_minor, Some(8_000.0));
        assert_eq!(k.clv_minor, Some(32_000.0));
        assert_eq!(k.liability_value_minor, Some(61));
    }

    #[test]
    fn clv_is_rounded_once_from_unrounded_figures() {
        // Annual retention 17 / 60, churn 0.71666..., lifetime 1.39534... (shown as 1.3953);
        // 1,000,000 over 7 purchasers, 142,857.142857... a member.
        let c = Counts {
            active_30d: 20,
            new_active_365d: 3,
            active_30d_year_before: 60,
            purchasers_365d: 7,
            revenue_365d: 1_000_000,
            ..Counts::default()
        };
        let k = kpis(&c, 0);
        assert_eq!(k.expected_lifetime_years, Some(1.3953));
        assert_eq!(k.revenue_per_member_365d_minor, Some(142_857.142_9));
        let exact: f64 = 1_000_000.0 / 7.0 / (1.0 - 17.0 / 60.0);
        assert_eq!(k.clv_minor, Some((exact * 10_000.0).round() / 10_000.0));
        assert_eq!(k.clv_minor, Some(199_335.548_2));
        // Rounding the lifetime first would move it by about 3 minor units.
        assert!((142_857.142_9_f64 * 1.3953 - exact).abs() > 2.0);
    }

    #[test]
    fn empty_samples_give_no_rate_and_no_churn_caps_the_lifetime() {
        let k = kpis(&Counts::default(), 0);
        assert_eq!(k, Kpis::default());
        let loyal = Counts {
            active_30d: 10,
            active_30d_year_before: 8,
            purchasers_365d: 2,
            revenue_365d: 100,
            ..Counts::default()
        };
        let k = kpis(&loyal, 0);
        assert_eq!(k.annual_churn_rate, Some(-0.25));
        assert_eq!(k.expected_lifetime_years, Some(MAX_LIFETIME_YEARS));
        assert_eq!(k.clv_minor, Some(500.0));
        assert_eq!(k.liability_value_minor, None);
    }
}
