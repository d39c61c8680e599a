//! The console's tiers (`/console/earning/tiers`) as a form: levels customers reach by the
//! points they earn in a window of days, each with its earn rate and benefits, and whether a
//! level can be lost. Checked field by field here, then by the API's own checks
//! (`Tiers::try_from` through `Program::try_from`).

use serde_json::json;

use super::language::Language;
use super::program::{Program, ProgramDraft};
use super::setup::{bounded, redraft, FieldError, Problem};
use super::tier::{Downgrade, Tiers, MAX_LEVELS};

/// The names of one level row's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowFields {
    pub name: &'static str,
    pub threshold: &'static str,
    pub rate: &'static str,
    pub benefits: &'static str,
}

macro_rules! row_fields {
    ($($i:literal),*) => {
        [$(RowFields {
            name: concat!("name_", $i),
            threshold: concat!("threshold_", $i),
            rate: concat!("rate_", $i),
            benefits: concat!("benefits_", $i),
        }),*]
    };
}

/// The form's level rows' fields, by row (row 0 is everyone's level).
pub const ROWS: [RowFields; MAX_LEVELS] = row_fields!(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

/// The fields besides the rows.
pub const FIELDS: [&str; 4] = ["enabled", "window_days", "downgrade", "hold_days"];

/// Most benefits a level lists, and characters in one.
pub const MAX_BENEFITS: usize = 10;
const BENEFIT_CHARS: usize = 80;
const NAME_CHARS: usize = 40;

/// One level as typed; benefits one per line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LevelRow {
    pub name: String,
    pub threshold: String,
    pub rate: String,
    pub benefits: String,
}

impl LevelRow {
    fn is_blank(&self) -> bool {
        [&self.name, &self.threshold, &self.rate, &self.benefits]
            .iter()
            .all(|s| s.trim().is_empty())
    }
}

/// The tiers form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TiersForm {
    /// Non-empty: customers move up levels.
    pub enabled: String,
    pub window_days: String,
    /// `never` or `rolling`.
    pub downgrade: String,
    pub hold_days: String,
    pub rows: Vec<LevelRow>,
}

/// The levels a program without tiers is offered to start from, named in `l`.
fn suggested(l: Language) -> Vec<LevelRow> {
    let row = |name: &str, threshold: u32, rate: u32, benefit: &str| LevelRow {
        name: name.into(),
        threshold: threshold.to_string(),
        rate: rate.to_string(),
        benefits: benefit.into(),
    };
    vec![
        row(l.pick("Member", "Klient"), 0, 100, ""),
        row(l.pick("Silver", "Srebrny"), 500, 125, ""),
        row(l.pick("Gold", "Złoty"), 2000, 150, ""),
    ]
}

impl TiersForm {
    /// The form of `tiers` (a program without tiers gets a suggested ladder in `l`, switched off),
    /// with blank rows to add levels, up to [`MAX_LEVELS`].
    pub fn of(tiers: &Tiers, l: Language) -> TiersForm {
        let mut rows: Vec<LevelRow> = if tiers.enabled() {
            tiers
                .levels
                .iter()
                .map(|l| LevelRow {
                    name: l.name.clone(),
                    threshold: l.threshold.to_string(),
                    rate: l.earn_rate_pct.to_string(),
                    benefits: l.benefits.join("\n"),
                })
                .collect()
        } else {
            suggested(l)
        };
        let blanks = if rows.len() < 4 { 2 } else { 1 };
        rows.resize((rows.len() + blanks).min(MAX_LEVELS), LevelRow::default());
        let (downgrade, hold) = match tiers.downgrade {
            Downgrade::Never => ("never", 30),
            Downgrade::Rolling { hold_days } => ("rolling", hold_days),
        };
        TiersForm {
            enabled: if tiers.enabled() {
                "1".into()
            } else {
                String::new()
            },
            window_days: tiers.window_days.to_string(),
            downgrade: downgrade.into(),
            hold_days: hold.to_string(),
            rows,
        }
    }

    /// The form as posted (`get` reads a field; a missing one is empty).
    pub fn read(get: impl Fn(&str) -> Option<String>) -> TiersForm {
        let field = |name: &str| get(name).unwrap_or_default();
        let rows = ROWS
            .iter()
            .map(|f| LevelRow {
                name: field(f.name),
                threshold: field(f.threshold),
                rate: field(f.rate),
                benefits: field(f.benefits),
            })
            .collect::<Vec<_>>();
        // Trailing blank rows are not part of what was typed (the page shows its own blanks).
        let typed = rows
            .iter()
            .rposition(|r| !r.is_blank())
            .map_or(0, |i| i + 1);
        TiersForm {
            enabled: field("enabled"),
            window_days: field("window_days"),
            downgrade: field("downgrade"),
            hold_days: field("hold_days"),
            rows: rows.into_iter().take(typed.max(1)).collect(),
        }
    }

    /// Adds blank rows to a form shown again, as [`TiersForm::of`] does.
    pub fn with_blanks(mut self) -> TiersForm {
        let blanks = if self.rows.len() < 4 { 2 } else { 1 };
        let n = (self.rows.len() + blanks).min(MAX_LEVELS);
        self.rows.resize(n, LevelRow::default());
        self
    }

    /// The tiers as they would be saved, or every field's problem at once. Blank rows are
    /// skipped; switched off, the program keeps no levels (and nothing below is checked).
    pub fn tiers(&self) -> Result<serde_json::Value, Vec<FieldError>> {
        let mut errors = Vec::new();
        let window = bounded(&mut errors, "window_days", &self.window_days, 1, 1096);
        let downgrade = match self.downgrade.trim() {
            "never" => json!({ "policy": "never" }),
            "rolling" => {
                let hold = bounded(&mut errors, "hold_days", &self.hold_days, 0, 1096);
                json!({ "policy": "rolling", "hold_days": hold })
            }
            _ => {
                errors.push(FieldError {
                    field: "downgrade",
                    problem: Problem::UnknownChoice,
                });
                serde_json::Value::Null
            }
        };
        if self.enabled.trim().is_empty() {
            return if errors.is_empty() {
                Ok(json!({ "window_days": window, "downgrade": downgrade, "levels": [] }))
            } else {
                Err(errors)
            };
        }
        let mut levels = Vec::new();
        let mut previous: Option<u32> = None;
        for (i, (row, f)) in self.rows.iter().zip(ROWS.iter()).enumerate() {
            if i > 0 && row.is_blank() {
                continue;
            }
            let name = row.name.trim();
            if name.is_empty() {
                errors.push(FieldError {
                    field: f.name,
                    problem: Problem::Missing,
                });
            } else if name.chars().count() > NAME_CHARS || name.chars().any(char::is_control) {
                errors.push(FieldError {
                    field: f.name,
                    problem: Problem::Text(NAME_CHARS),
                });
            }
            let threshold = if i == 0 {
                0
            } else {
                let t = bounded(&mut errors, f.threshold, &row.threshold, 1, 100_000_000);
                match previous {
                    Some(p) if t != 0 && t <= p => {
                        errors.push(FieldError {
                            field: f.threshold,
                            problem: Problem::NotAbove(p),
                        });
                    }
                    _ => {}
                }
                t
            };
            if threshold > 0 || i == 0 {
                previous = Some(threshold.max(previous.unwrap_or(0)));
            }
            let rate = if row.rate.trim().is_empty() {
                100
            } else {
                bounded(&mut errors, f.rate, &row.rate, 100, 1000)
            };
            let lines: Vec<&str> = row
                .benefits
                .lines()
                .map(str::trim)
                .filter(|b| !b.is_empty())
                .collect();
            if lines.len() > MAX_BENEFITS {
                errors.push(FieldError {
                    field: f.benefits,
                    problem: Problem::Lines(MAX_BENEFITS),
                });
            } else if lines
                .iter()
                .any(|b| b.chars().count() > BENEFIT_CHARS || b.chars().any(char::is_control))
            {
                errors.push(FieldError {
                    field: f.benefits,
                    problem: Problem::Text(BENEFIT_CHARS),
                });
            }
            levels.push(json!({
                "name": name, "threshold": threshold, "earn_rate_pct": rate, "benefits": lines,
            }));
        }
        if errors.is_empty() {
            Ok(json!({ "window_days": window, "downgrade": downgrade, "levels": levels }))
        } else {
            Err(errors)
        }
    }

    /// The program with these tiers, checked by the API's own rules.
    pub fn parse(&self, program: &Program) -> Result<ProgramDraft, Vec<FieldError>> {
        let tiers = self.tiers()?;
        redraft(
            program,
            vec![("tiers", tiers)],
            &[
                ("tiers.window_days", "window_days"),
                ("tiers.downgrade", "hold_days"),
            ],
            "name_0",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(f: &TiersForm) -> Result<Tiers, Vec<FieldError>> {
        f.parse(&Program::default())
            .map(|d| Program::try_from(d).expect("the API's checks passed").tiers)
    }

    fn fields(e: &[FieldError]) -> Vec<(&'static str, Problem)> {
        e.iter().map(|e| (e.field, e.problem)).collect()
    }

    #[test]
    fn no_tiers_offers_a_ladder_switched_off_and_saves_none() {
        let f = TiersForm::of(&Tiers::default(), Language::En);
        assert!(f.enabled.is_empty());
        assert_eq!(f.rows[1].name, "Silver");
        assert_eq!(f.rows.len(), 5, "three suggested, two blank");
        assert_eq!(parsed(&f).unwrap(), Tiers::default());
    }

    #[test]
    fn a_ladder_switched_on_reads_back_to_the_same_tiers() {
        let mut f = TiersForm::of(&Tiers::default(), Language::En);
        f.enabled = "1".into();
        f.rows[2].benefits = "Free refill\n\n  Birthday cake \n".into();
        let t = parsed(&f).unwrap();
        assert_eq!(t.levels.len(), 3);
        assert_eq!(t.levels[2].benefits, ["Free refill", "Birthday cake"]);
        assert_eq!(t.levels[1].earn_rate_pct, 125);
        let again = TiersForm::of(&t, Language::En);
        assert_eq!(again.enabled, "1");
        assert_eq!(parsed(&again).unwrap(), t);
        // Never lose a level once reached.
        let mut never = again.clone();
        never.downgrade = "never".into();
        never.hold_days = "oops".into();
        assert_eq!(parsed(&never).unwrap().downgrade, Downgrade::Never);
    }

    #[test]
    fn each_mistake_is_named_at_its_field_and_blank_rows_are_skipped() {
        let mut f = TiersForm::of(&Tiers::default(), Language::En);
        f.enabled = "1".into();
        f.rows[0].name = " ".into();
        f.rows[1].threshold = "abc".into();
        f.rows[2].threshold = "400".into();
        f.rows[3] = LevelRow {
            name: "x".repeat(41),
            threshold: "3000".into(),
            rate: "90".into(),
            benefits: (0..11).map(|i| format!("b{i}\n")).collect(),
        };
        f.window_days = "0".into();
        f.downgrade = "rolling".into();
        f.hold_days = "2000".into();
        let e = parsed(&f).unwrap_err();
        assert_eq!(
            fields(&e),
            [
                ("window_days", Problem::OutOfRange(1, 1096)),
                ("hold_days", Problem::OutOfRange(0, 1096)),
                ("name_0", Problem::Missing),
                ("threshold_1", Problem::NotANumber),
                ("name_3", Problem::Text(40)),
                ("rate_3", Problem::OutOfRange(100, 1000)),
                ("benefits_3", Problem::Lines(10)),
            ]
        );
        // Thresholds must climb.
        let mut g = TiersForm::of(&Tiers::default(), Language::En);
        g.enabled = "1".into();
        g.rows[2].threshold = "500".into();
        assert_eq!(
            fields(&parsed(&g).unwrap_err()),
            [("threshold_2", Problem::NotAbove(500))]
        );
        g.downgrade = "sometimes".into();
        g.rows[2].threshold = "900".into();
        assert_eq!(
            fields(&parsed(&g).unwrap_err()),
            [("downgrade", Problem::UnknownChoice)]
        );
    }

    #[test]
    fn a_posted_form_keeps_its_rows_up_to_the_last_typed_one() {
        let posted = |name: &str| match name {
            "enabled" => Some("1".to_owned()),
            "name_0" => Some("Member".into()),
            "name_2" => Some("Gold".into()),
            "threshold_2" => Some("100".into()),
            _ => None,
        };
        let f = TiersForm::read(posted);
        assert_eq!(f.rows.len(), 3);
        let t = TiersForm {
            window_days: "365".into(),
            downgrade: "never".into(),
            ..f
        };
        let levels = parsed(&t).unwrap().levels;
        assert_eq!(levels.len(), 2, "the blank row between is skipped");
        assert_eq!(levels[1].threshold, 100);
        assert_eq!(t.with_blanks().rows.len(), 5);
    }
}
