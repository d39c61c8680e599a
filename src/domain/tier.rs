//! Tiers: levels a member reaches by the points they earned in a rolling window, each with its
//! benefits and earn rate, and the rule for moving down again. D1 applies the same rule in the
//! earn batches (`shell/store/sql/tier_change.sql`); [`next_tier`] is its reference.

use serde::{Deserialize, Serialize};

use super::config::{check_range, check_text, ConfigError};
use super::ledger::DAY_MS;

/// Most levels a program may have.
pub const MAX_LEVELS: usize = 10;

/// A merchant's tier levels. No levels: the program has no tiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TiersDraft")]
pub struct Tiers {
    /// Days of earning that count towards a level.
    pub window_days: u32,
    pub downgrade: Downgrade,
    /// From the base level (threshold 0) up; thresholds strictly increase.
    pub levels: Vec<Level>,
}

/// When a member whose points in the window fall below their level moves down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "policy", rename_all = "snake_case", deny_unknown_fields)]
pub enum Downgrade {
    /// A level once reached is kept.
    Never,
    /// The level follows the window, but a member keeps a level for at least `hold_days` after
    /// reaching it.
    Rolling { hold_days: u32 },
}

impl Default for Downgrade {
    fn default() -> Self {
        Downgrade::Rolling { hold_days: 30 }
    }
}

/// One level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub name: String,
    /// Points earned in the window that reach this level.
    pub threshold: u32,
    /// Points earned at this level, in percent of the program's rates (100: the same).
    pub earn_rate_pct: u32,
    /// What the level gives, in the merchant's words (shown on the card).
    pub benefits: Vec<String>,
}

/// Tiers as sent, before they are checked.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TiersDraft {
    #[serde(default = "default_window_days")]
    pub window_days: u32,
    #[serde(default)]
    pub downgrade: Downgrade,
    #[serde(default)]
    pub levels: Vec<LevelDraft>,
}

/// A level as sent.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelDraft {
    pub name: String,
    pub threshold: u32,
    #[serde(default = "hundred")]
    pub earn_rate_pct: u32,
    #[serde(default)]
    pub benefits: Vec<String>,
}

fn default_window_days() -> u32 {
    365
}

fn hundred() -> u32 {
    100
}

impl Default for Tiers {
    fn default() -> Self {
        Tiers {
            window_days: default_window_days(),
            downgrade: Downgrade::default(),
            levels: Vec::new(),
        }
    }
}

impl TryFrom<TiersDraft> for Tiers {
    type Error = ConfigError;

    fn try_from(d: TiersDraft) -> Result<Self, ConfigError> {
        let window_days = check_range("program.tiers.window_days", d.window_days, 1, 1096)?;
        if let Downgrade::Rolling { hold_days } = d.downgrade {
            check_range("program.tiers.downgrade.hold_days", hold_days, 0, 1096)?;
        }
        if d.levels.len() > MAX_LEVELS {
            return Err(ConfigError {
                field: "program.tiers.levels".into(),
                message: format!("at most {MAX_LEVELS} levels, got {}", d.levels.len()),
            });
        }
        let mut levels: Vec<Level> = Vec::with_capacity(d.levels.len());
        for (i, l) in d.levels.into_iter().enumerate() {
            let at = |f: &str| format!("program.tiers.levels[{i}].{f}");
            let name = check_text(&at("name"), l.name, 40)?;
            let threshold = l.threshold;
            let bad_threshold = |message: String| ConfigError {
                field: at("threshold"),
                message,
            };
            match levels.last() {
                None if threshold != 0 => {
                    return Err(bad_threshold(
                        "the first level is everyone's: its threshold must be 0".into(),
                    ))
                }
                Some(prev) if threshold <= prev.threshold => {
                    return Err(bad_threshold(format!(
                        "must be above the previous level's {}",
                        prev.threshold
                    )))
                }
                _ => check_range(&at("threshold"), threshold, 0, 100_000_000)?,
            };
            let earn_rate_pct = check_range(&at("earn_rate_pct"), l.earn_rate_pct, 100, 1000)?;
            if l.benefits.len() > 10 {
                return Err(ConfigError {
                    field: at("benefits"),
                    message: format!("at most 10 benefits, got {}", l.benefits.len()),
                });
            }
            let benefits = l
                .benefits
                .into_iter()
                .enumerate()
                .map(|(j, b)| check_text(&at(&format!("benefits[{j}]")), b, 80))
                .collect::<Result<_, _>>()?;
            levels.push(Level {
                name,
                threshold,
                earn_rate_pct,
                benefits,
            });
        }
        Ok(Tiers {
            window_days,
            downgrade: d.downgrade,
            levels,
        })
    }
}

impl Tiers {
    /// Whether the program has tiers at all.
    pub fn enabled(&self) -> bool {
        !self.levels.is_empty()
    }

    /// The window in milliseconds.
    pub fn window_ms(&self) -> i64 {
        i64::from(self.window_days) * DAY_MS
    }

    /// How long a level is kept at least, in milliseconds; `None` when levels are never lost.
    pub fn hold_ms(&self) -> Option<i64> {
        match self.downgrade {
            Downgrade::Never => None,
            Downgrade::Rolling { hold_days } => Some(i64::from(hold_days) * DAY_MS),
        }
    }

    /// The level `earned` points in the window reach (0 without tiers).
    pub fn level_for(&self, earned: i64) -> usize {
        self.levels
            .iter()
            .skip(1)
            .take_while(|l| i64::from(l.threshold) <= earned)
            .count()
    }

    /// The thresholds above the base level, as the JSON array D1 counts against.
    pub fn thresholds_json(&self) -> String {
        let t: Vec<u32> = self.levels.iter().skip(1).map(|l| l.threshold).collect();
        serde_json::to_string(&t).unwrap_or_else(|_| "[]".into())
    }

    /// Each level's earn rate, as the JSON array D1 indexes by level (`[]` without tiers).
    pub fn rates_json(&self) -> String {
        let r: Vec<u32> = self.levels.iter().map(|l| l.earn_rate_pct).collect();
        serde_json::to_string(&r).unwrap_or_else(|_| "[]".into())
    }

    /// The level a member stored at `tier` shows as (levels removed since fall to the top one).
    pub fn level(&self, tier: i64) -> Option<&Level> {
        let i = usize::try_from(tier.max(0)).unwrap_or(0);
        self.levels.get(i).or(self.levels.last())
    }

    /// Points still to earn in the window to reach the level above `tier`, with its name.
    pub fn to_next(&self, tier: i64, earned: i64) -> Option<(i64, &str)> {
        let i = usize::try_from(tier.max(0)).unwrap_or(0);
        let next = self.levels.get(i + 1)?;
        Some((
            (i64::from(next.threshold) - earned).max(0),
            next.name.as_str(),
        ))
    }
}

/// A member's level after an event at Unix ms `now`: up at once when the window total reaches a
/// higher threshold; down only under a rolling policy, and only after the hold since `since`.
pub fn next_tier(tiers: &Tiers, current: i64, since: i64, earned: i64, now: i64) -> i64 {
    let reached = i64::try_from(tiers.level_for(earned)).unwrap_or(0);
    if reached >= current {
        return reached;
    }
    match tiers.hold_ms() {
        Some(hold) if since <= now - hold => reached,
        _ => current,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiers(json: &str) -> Result<Tiers, String> {
        let d: TiersDraft = serde_json::from_str(json).map_err(|e| e.to_string())?;
        Tiers::try_from(d).map_err(|e| e.to_string())
    }

    const THREE: &str = r#"{"window_days":365,"downgrade":{"policy":"rolling","hold_days":30},
        "levels":[{"name":"Member","threshold":0},
                  {"name":"Silver","threshold":500,"earn_rate_pct":125,"benefits":["Free refill"]},
                  {"name":"Gold","threshold":2000,"earn_rate_pct":150}]}"#;

    #[test]
    fn levels_follow_the_points_earned_in_the_window() {
        let t = tiers(THREE).unwrap();
        assert_eq!(t.level_for(0), 0);
        assert_eq!(t.level_for(499), 0);
        assert_eq!(t.level_for(500), 1);
        assert_eq!(t.level_for(1999), 1);
        assert_eq!(t.level_for(2000), 2);
        assert_eq!(t.level_for(-5), 0);
        assert_eq!(t.thresholds_json(), "[500,2000]");
        assert_eq!(t.rates_json(), "[100,125,150]");
        assert_eq!(t.to_next(0, 120), Some((380, "Silver")));
        assert_eq!(t.to_next(2, 5000), None);
        assert_eq!(t.level(7).unwrap().name, "Gold");
    }

    #[test]
    fn members_move_up_at_once_and_down_only_after_the_hold() {
        let t = tiers(THREE).unwrap();
        let day = DAY_MS;
        assert_eq!(next_tier(&t, 0, 0, 2500, 10 * day), 2);
        assert_eq!(
            next_tier(&t, 2, 10 * day, 100, 39 * day),
            2,
            "inside the hold"
        );
        assert_eq!(next_tier(&t, 2, 10 * day, 100, 40 * day), 0, "hold over");
        assert_eq!(next_tier(&t, 2, 10 * day, 600, 40 * day), 1);
        let never = tiers(&THREE.replace(
            r#""policy":"rolling","hold_days":30"#,
            r#""policy":"never""#,
        ))
        .unwrap();
        assert_eq!(next_tier(&never, 2, 0, 0, 1000 * day), 2);
        assert_eq!(next_tier(&Tiers::default(), 0, 0, 99_999, 0), 0);
    }

    #[test]
    fn bad_tiers_name_the_field() {
        let cases = [
            (
                r#"{"levels":[{"name":"A","threshold":5}]}"#,
                "program.tiers.levels[0].threshold",
            ),
            (
                r#"{"levels":[{"name":"A","threshold":0},{"name":"B","threshold":0}]}"#,
                "program.tiers.levels[1].threshold",
            ),
            (
                r#"{"levels":[{"name":"A","threshold":0},{"name":"B","threshold":9,"earn_rate_pct":99}]}"#,
                "program.tiers.levels[1].earn_rate_pct",
            ),
            (
                r#"{"levels":[{"name":" ","threshold":0}]}"#,
                "program.tiers.levels[0].name",
            ),
            (
                r#"{"levels":[{"name":"A","threshold":0,"benefits":[""]}]}"#,
                "program.tiers.levels[0].benefits[0]",
            ),
            (r#"{"window_days":0}"#, "program.tiers.window_days"),
            (
                r#"{"downgrade":{"policy":"rolling","hold_days":5000}}"#,
                "program.tiers.downgrade.hold_days",
            ),
        ];
        for (json, field) in cases {
            let err = tiers(json).unwrap_err();
            assert!(err.starts_with(field), "{json}: {err}");
        }
    }
}
