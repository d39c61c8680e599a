//! Campaigns with variants and a holdout: a checked definition, deterministic assignment of
//! members to arms, and the arithmetic of results (conversion, lift and its 95% interval,
//! and whether the sample is big enough to say anything).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::messages::{check_template, Template};

/// The arm of members who get nothing (the baseline).
pub const HOLDOUT: &str = "holdout";
/// Smallest arm, and fewest conversions or non-conversions in an arm, before a result is stated.
pub const MIN_ARM: u64 = 30;
pub const MIN_OUTCOMES: u64 = 5;

/// One version of the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub name: String,
    /// Relative share of the non-holdout members.
    #[serde(default = "one")]
    pub weight: u32,
    pub subject: String,
    pub text: String,
}

fn one() -> u32 {
    1
}

/// What a merchant sends to create a campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    pub name: String,
    /// An RFM segment, or "all".
    pub segment: String,
    pub variants: Vec<Variant>,
    /// Share of members held out, 0-50.
    #[serde(default)]
    pub holdout_percent: u32,
    /// Days after launch in which a visit or purchase counts as a conversion.
    #[serde(default = "fourteen")]
    pub window_days: u32,
    /// When it goes by itself (Unix ms); none: when the merchant launches it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_at: Option<i64>,
}

/// Furthest ahead a campaign can be scheduled.
pub const MAX_AHEAD_MS: i64 = 90 * 86_400_000;

fn fourteen() -> u32 {
    14
}

impl Definition {
    /// Checks a definition; the error names the field.
    pub fn check(&self, segments: &[&str]) -> Result<(), (String, String)> {
        let err = |f: &str, m: &str| Err((f.to_string(), m.to_string()));
        if self.name.trim().is_empty() || self.name.chars().count() > 80 {
            return err("name", "must have 1 to 80 characters");
        }
        if self.segment != "all" && !segments.contains(&self.segment.as_str()) {
            return Err((
                "segment".into(),
                format!("must be \"all\" or one of {}", segments.join(", ")),
            ));
        }
        if self.variants.is_empty() || self.variants.len() > 5 {
            return err("variants", "give 1 to 5 variants");
        }
        for (i, v) in self.variants.iter().enumerate() {
            let field = |f: &str| format!("variants[{i}].{f}");
            let ok_name = !v.name.is_empty()
                && v.name.len() <= 20
                && v.name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if !ok_name || v.name == HOLDOUT {
                return Err((
                    field("name"),
                    "use 1-20 letters, digits, - or _ (not \"holdout\")".into(),
                ));
            }
            if self.variants.iter().take(i).any(|w| w.name == v.name) {
                return Err((field("name"), "variant names must differ".into()));
            }
            if v.weight == 0 || v.weight > 100 {
                return Err((field("weight"), "must be between 1 and 100".into()));
            }
            check_template(&Template {
                subject: v.subject.clone(),
                text: v.text.clone(),
            })
            .map_err(|m| (field("text"), m))?;
        }
        if self.holdout_percent > 50 {
            return err("holdout_percent", "must be between 0 and 50");
        }
        if self.window_days == 0 || self.window_days > 90 {
            return err("window_days", "must be between 1 and 90");
        }
        Ok(())
    }

    /// Checks the schedule against `now`: a moment still to come, at most 90 days ahead.
    pub fn check_send_at(&self, now: i64) -> Result<(), (String, String)> {
        match self.send_at {
            Some(at) if at <= now => Err((
                "send_at".into(),
                "must be a moment still to come (Unix milliseconds)".into(),
            )),
            Some(at) if at > now + MAX_AHEAD_MS => {
                Err(("send_at".into(), "must be at most 90 days ahead".into()))
            }
            _ => Ok(()),
        }
    }

    /// The arm of `member` in campaign `campaign`: the same every time, independent of order
    /// and of other members. The holdout takes `holdout_percent` of the hash space; the rest is
    /// shared by the variants in proportion to their weights.
    pub fn assign(&self, campaign: &str, member: &str) -> &str {
        let digest = Sha256::new()
            .chain_update(b"loyalty-edge campaign v1\0")
            .chain_update(campaign.as_bytes())
            .chain_update(b"\0")
            .chain_update(member.as_bytes())
            .finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(digest.get(..8).unwrap_or(&[0; 8]));
        let h = u64::from_be_bytes(first);
        if h % 100 < u64::from(self.holdout_percent) {
            return HOLDOUT;
        }
        let total: u64 = self.variants.iter().map(|v| u64::from(v.weight)).sum();
        let mut at = (h / 100) % total.max(1);
        for v in &self.variants {
            if at < u64::from(v.weight) {
                return &v.name;
            }
            at -= u64::from(v.weight);
        }
        HOLDOUT
    }
}

/// One arm's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arm {
    pub members: u64,
    pub converted: u64,
}

impl Arm {
    pub fn rate(self) -> Option<f64> {
        (self.members > 0).then(|| self.converted as f64 / self.members as f64)
    }

    fn big_enough(self) -> bool {
        self.members >= MIN_ARM
            && self.converted >= MIN_OUTCOMES
            && self.members - self.converted >= MIN_OUTCOMES
    }
}

/// A variant against the holdout.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Conversion rate minus the holdout's, in percentage points.
    pub lift_points: f64,
    /// Relative lift (lift over the holdout's rate), when the holdout converted at all.
    pub lift_relative: Option<f64>,
    /// 95% interval of the difference in percentage points (normal approximation).
    pub ci95: [f64; 2],
    /// better, worse, no_clear_difference or too_small.
    pub verdict: &'static str,
    pub explanation: String,
}

/// One arm of a launched campaign: its counts, its delivered messages and (for a variant) how
/// it compares with the holdout.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmResult {
    /// A variant's name, or `HOLDOUT`.
    pub name: String,
    pub arm: Arm,
    pub delivered: i64,
    pub versus: Option<Comparison>,
}

/// Compares `variant` with `holdout`; `None` when either arm is empty.
pub fn compare(variant: Arm, holdout: Arm) -> Option<Comparison> {
    let (p1, p0) = (variant.rate()?, holdout.rate()?);
    let diff = p1 - p0;
    let se = (p1 * (1.0 - p1) / variant.members as f64 + p0 * (1.0 - p0) / holdout.members as f64)
        .sqrt();
    let round = |x: f64| (x * 1000.0).round() / 10.0;
    let ci = [round(diff - 1.96 * se), round(diff + 1.96 * se)];
    let (verdict, explanation) = if !variant.big_enough() || !holdout.big_enough() {
        (
            "too_small",
            format!(
                "Too few members to conclude: each group needs at least {MIN_ARM} members and \
                 {MIN_OUTCOMES} who returned and {MIN_OUTCOMES} who did not ({} and {} members \
                 so far).",
                variant.members, holdout.members
            ),
        )
    } else if ci[0] > 0.0 {
        (
            "better",
            format!(
                "More members came back than in the holdout: {:+.1} points (95% interval {:+.1} \
                 to {:+.1}).",
                round(diff),
                ci[0],
                ci[1]
            ),
        )
    } else if ci[1] < 0.0 {
        (
            "worse",
            format!(
                "Fewer members came back than in the holdout: {:+.1} points (95% interval {:+.1} \
                 to {:+.1}).",
                round(diff),
                ci[0],
                ci[1]
            ),
        )
    } else {
        (
            "no_clear_difference",
            format!(
                "No clear difference from the holdout: {:+.1} points, but the 95% interval \
                 ({:+.1} to {:+.1}) includes zero.",
                round(diff),
                ci[0],
                ci[1]
            ),
        )
    };
    Some(Comparison {
        lift_points: round(diff),
        lift_relative: (p0 > 0.0).then(|| (diff / p0 * 1000.0).round() / 1000.0),
        ci95: ci,
        verdict,
        explanation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn definition(holdout: u32, weights: &[u32]) -> Definition {
        Definition {
            name: "Winter".into(),
            segment: "at_risk".into(),
            variants: weights
                .iter()
                .enumerate()
                .map(|(i, w)| Variant {
                    name: format!("v{i}"),
                    weight: *w,
                    subject: "Hi".into(),
                    text: "Come back, {{name}}".into(),
                })
                .collect(),
            holdout_percent: holdout,
            window_days: 14,
            send_at: None,
        }
    }

    #[test]
    fn assignment_is_deterministic_and_follows_the_shares() {
        let d = definition(20, &[1, 3]);
        let mut counts = std::collections::BTreeMap::new();
        for i in 0..20_000 {
            let member = format!("mem_{i:08x}");
            let arm = d.assign("cmp_1", &member);
            assert_eq!(arm, d.assign("cmp_1", &member));
            *counts.entry(arm.to_string()).or_insert(0u32) += 1;
        }
        let share = |k: &str| f64::from(counts[k]) / 20_000.0;
        assert!((share(HOLDOUT) - 0.20).abs() < 0.015, "{counts:?}");
        assert!((share("v0") - 0.20).abs() < 0.015, "{counts:?}");
        assert!((share("v1") - 0.60).abs() < 0.015, "{counts:?}");
        // Another campaign shuffles members independently.
        let moved = (0..1000)
            .filter(|i| {
                let m = format!("mem_{i:08x}");
                d.assign("cmp_1", &m) != d.assign("cmp_2", &m)
            })
            .count();
        assert!(moved > 300, "{moved}");
        assert_eq!(definition(0, &[1]).assign("c", "m"), "v0");
    }

    #[test]
    fn definitions_are_checked_field_by_field() {
        let segs = ["at_risk", "new"];
        assert!(definition(20, &[1, 1]).check(&segs).is_ok());
        assert_eq!(
            definition(60, &[1]).check(&segs).unwrap_err().0,
            "holdout_percent"
        );
        assert_eq!(definition(10, &[]).check(&segs).unwrap_err().0, "variants");
        let mut d = definition(10, &[1, 1]);
        d.variants[1].name = "v0".into();
        assert_eq!(d.check(&segs).unwrap_err().0, "variants[1].name");
        let mut d = definition(10, &[1]);
        d.variants[0].text = "{{nope}}".into();
        assert_eq!(d.check(&segs).unwrap_err().0, "variants[0].text");
        let mut d = definition(10, &[1]);
        d.segment = "vip".into();
        assert_eq!(d.check(&segs).unwrap_err().0, "segment");
    }

    #[test]
    fn lift_and_interval_match_a_hand_worked_fixture() {
        // 200 members, 60 back (30%); holdout 100, 20 back (20%).
        // diff 0.10; se = sqrt(.3*.7/200 + .2*.8/100) = sqrt(.00105 + .0016) = 0.051478
        // 95%: 0.10 -+ 0.100897 -> [-0.0009, 0.2009] -> -0.1 .. +20.1 points.
        let c = compare(
            Arm {
                members: 200,
                converted: 60,
            },
            Arm {
                members: 100,
                converted: 20,
            },
        )
        .unwrap();
        assert_eq!(c.lift_points, 10.0);
        assert_eq!(c.lift_relative, Some(0.5));
        assert_eq!(c.ci95, [-0.1, 20.1]);
        assert_eq!(c.verdict, "no_clear_difference");
        // Twice the members each: se = 0.0364, interval 2.9 .. 17.1: better.
        let c = compare(
            Arm {
                members: 400,
                converted: 120,
            },
            Arm {
                members: 200,
                converted: 40,
            },
        )
        .unwrap();
        assert_eq!(c.ci95, [2.9, 17.1]);
        assert_eq!(c.verdict, "better");
        let c = compare(
            Arm {
                members: 400,
                converted: 40,
            },
            Arm {
                members: 200,
                converted: 40,
            },
        )
        .unwrap();
        assert_eq!(c.verdict, "worse");
        assert_eq!(c.lift_points, -10.0);
    }

    #[test]
    fn small_samples_are_stated_as_too_small() {
        let c = compare(
            Arm {
                members: 12,
                converted: 6,
            },
            Arm {
                members: 3,
                converted: 0,
            },
        )
        .unwrap();
        assert_eq!(c.verdict, "too_small");
        assert_eq!(c.lift_relative, None);
        assert!(c.explanation.contains("Too few"));
        assert!(compare(
            Arm {
                members: 0,
                converted: 0
            },
            Arm {
                members: 5,
                converted: 1
            }
        )
        .is_none());
    }
}
