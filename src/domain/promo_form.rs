//! The console's promotions (`/console/earning/promotions`) as a form: a name, what it adds to
//! the points of a purchase (a percentage and/or bonus points), on which weekdays, between
//! which local times and dates. Checked field by field here, then by the API's own checks
//! (`promo::check_promotion` through `Program::try_from`). A promotion is named in addresses
//! by a fingerprint of its content, so an edit never lands on another one.

use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::program::{Program, ProgramDraft};
pub use super::promo::DAYS;
use super::promo::{Promotion, MAX_PROMOTIONS};
use super::setup::{bounded, redraft, FieldError, Problem};

/// The names of the form's fields, in page order (a checkbox per weekday, all named `days`).
pub const FIELDS: [&str; 8] = [
    "name",
    "multiplier",
    "bonus",
    "days",
    "from",
    "until",
    "starts_on",
    "ends_on",
];

const NAME_CHARS: usize = 60;

/// A promotion as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PromoForm {
    pub name: String,
    /// Percent of the purchase points (200: double); empty: 100.
    pub multiplier: String,
    pub bonus: String,
    /// The weekdays ticked (`mon` .. `sun`); none: every day.
    pub days: Vec<String>,
    pub from: String,
    pub until: String,
    pub starts_on: String,
    pub ends_on: String,
}

/// The fingerprint of promotion `p`, as its address names it.
pub fn id_of(p: &Promotion) -> String {
    let json = serde_json::to_string(p).unwrap_or_default();
    let digest = Sha256::digest(json.as_bytes());
    super::ids::to_hex(digest.get(..6).unwrap_or_default())
}

/// The place of the promotion with fingerprint `id` in `promotions`.
pub fn find(promotions: &[Promotion], id: &str) -> Option<usize> {
    promotions.iter().position(|p| id_of(p) == id)
}

fn time_ok(s: &str) -> bool {
    super::promo::time(s).is_some()
}

impl PromoForm {
    /// The form of promotion `p`.
    pub fn of(p: &Promotion) -> PromoForm {
        PromoForm {
            name: p.name.clone(),
            multiplier: p.multiplier_pct.to_string(),
            bonus: p.bonus_points.to_string(),
            days: p.days.clone(),
            from: p.from.clone().unwrap_or_default(),
            until: p.until.clone().unwrap_or_default(),
            starts_on: p.starts_on.clone().unwrap_or_default(),
            ends_on: p.ends_on.clone().unwrap_or_default(),
        }
    }

    /// A new promotion's form: double points, every day, all day, open-ended.
    pub fn new_one() -> PromoForm {
        PromoForm {
            multiplier: "200".into(),
            bonus: "0".into(),
            ..PromoForm::default()
        }
    }

    /// The form as posted: `get` reads a field, `all` every value of a repeated one.
    pub fn read(get: impl Fn(&str) -> Option<String>, all: impl Fn(&str) -> Vec<String>) -> Self {
        let field = |name: &str| get(name).unwrap_or_default();
        PromoForm {
            name: field("name"),
            multiplier: field("multiplier"),
            bonus: field("bonus"),
            days: all("days"),
            from: field("from"),
            until: field("until"),
            starts_on: field("starts_on"),
            ends_on: field("ends_on"),
        }
    }

    /// The promotion as the program stores it, or every field's problem at once.
    pub fn promotion(&self) -> Result<Value, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: &'static str, problem: Problem| {
            errors.push(FieldError { field, problem });
        };
        let name = self.name.trim();
        if name.is_empty() {
            err("name", Problem::Missing);
        } else if name.chars().count() > NAME_CHARS || name.chars().any(char::is_control) {
            err("name", Problem::Text(NAME_CHARS));
        }
        let mut numbers = Vec::new();
        let multiplier = match self.multiplier.trim() {
            "" => 100,
            m => bounded(&mut numbers, "multiplier", m, 100, 1000),
        };
        let bonus = match self.bonus.trim() {
            "" => 0,
            b => bounded(&mut numbers, "bonus", b, 0, 100_000),
        };
        let numbers_ok = numbers.is_empty();
        for e in numbers {
            err(e.field, e.problem);
        }
        if numbers_ok && multiplier == 100 && bonus == 0 {
            err("multiplier", Problem::NoBoost);
        }
        let mut days = Vec::new();
        for d in &self.days {
            match DAYS.iter().find(|(n, _)| n == d) {
                Some((n, _)) if !days.contains(n) => days.push(*n),
                Some(_) => {}
                None => {
                    err("days", Problem::UnknownChoice);
                    break;
                }
            }
        }
        // Kept in the week's order, whatever order they came in.
        days.sort_by_key(|d| DAYS.iter().position(|(n, _)| n == d));
        let (from, until) = (self.from.trim(), self.until.trim());
        match (from.is_empty(), until.is_empty()) {
            (true, true) => {}
            (false, true) => err("until", Problem::Missing),
            (true, false) => err("from", Problem::Missing),
            (false, false) => {
                let (f_ok, u_ok) = (time_ok(from) && from != "24:00", time_ok(until));
                if !f_ok {
                    err("from", Problem::NotATime);
                }
                if !u_ok {
                    err("until", Problem::NotATime);
                }
                if f_ok && u_ok && until <= from {
                    err("until", Problem::UntilBeforeFrom);
                }
            }
        }
        let (starts, ends) = (self.starts_on.trim(), self.ends_on.trim());
        let start = (!starts.is_empty()).then(|| super::promo::date(starts));
        let end = (!ends.is_empty()).then(|| super::promo::date(ends));
        if start == Some(None) {
            err("starts_on", Problem::NotADate);
        }
        if end == Some(None) {
            err("ends_on", Problem::NotADate);
        }
        if let (Some(Some(s)), Some(Some(e))) = (start, end) {
            if e < s {
                err("ends_on", Problem::EndsBeforeStart);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        Ok(json!({
            "name": name,
            "multiplier_pct": multiplier,
            "bonus_points": bonus,
            "days": days,
            "from": opt(from),
            "until": opt(until),
            "starts_on": opt(starts),
            "ends_on": opt(ends),
        }))
    }

    /// The program with this promotion in place `at` (`None`: added at the end).
    pub fn parse(
        &self,
        program: &Program,
        at: Option<usize>,
    ) -> Result<ProgramDraft, Vec<FieldError>> {
        let promotion = self.promotion()?;
        let mut list: Vec<Value> = program
            .promotions
            .iter()
            .map(|p| serde_json::to_value(p).unwrap_or(Value::Null))
            .collect();
        let full = list.len() >= MAX_PROMOTIONS;
        match at.and_then(|i| list.get_mut(i)) {
            Some(slot) => *slot = promotion,
            None if full => {
                return Err(vec![FieldError {
                    field: "name",
                    problem: Problem::TooMany(MAX_PROMOTIONS),
                }])
            }
            None => list.push(promotion),
        }
        redraft(
            program,
            vec![("promotions", Value::Array(list))],
            &[],
            "name",
        )
    }
}

/// The program without the promotion in place `at`.
pub fn without(program: &Program, at: usize) -> Result<ProgramDraft, Vec<FieldError>> {
    let list: Vec<Value> = program
        .promotions
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != at)
        .map(|(_, p)| serde_json::to_value(p).unwrap_or(Value::Null))
        .collect();
    redraft(
        program,
        vec![("promotions", Value::Array(list))],
        &[],
        "name",
    )
}

/// The four weeks from the Monday of `today`'s week: each day with the places (in `promotions`)
/// of those that run on it.
pub fn four_weeks(promotions: &[Promotion], today: NaiveDate) -> Vec<(NaiveDate, Vec<usize>)> {
    let monday = today - chrono::Days::new(u64::from(today.weekday().num_days_from_monday()));
    (0..28u64)
        .map(|i| {
            let day = monday + chrono::Days::new(i);
            let running = promotions
                .iter()
                .enumerate()
                .filter(|(_, p)| p.runs_on(day))
                .map(|(i, _)| i)
                .collect();
            (day, running)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(changes: &[(&str, &str)]) -> PromoForm {
        let mut f = PromoForm {
            name: "Happy hour".into(),
            ..PromoForm::new_one()
        };
        for (k, v) in changes {
            let v = (*v).to_owned();
            match *k {
                "name" => f.name = v,
                "multiplier" => f.multiplier = v,
                "bonus" => f.bonus = v,
                "days" => f.days = v.split(',').map(str::to_owned).collect(),
                "from" => f.from = v,
                "until" => f.until = v,
                "starts_on" => f.starts_on = v,
                "ends_on" => f.ends_on = v,
                _ => panic!("{k}"),
            }
        }
        f
    }

    fn saved(f: &PromoForm, p: &Program, at: Option<usize>) -> Result<Program, Vec<FieldError>> {
        f.parse(p, at)
            .map(|d| Program::try_from(d).expect("the API's checks passed"))
    }

    fn problems(f: &PromoForm) -> Vec<(&'static str, Problem)> {
        saved(f, &Program::default(), None)
            .unwrap_err()
            .iter()
            .map(|e| (e.field, e.problem))
            .collect()
    }

    #[test]
    fn a_promotion_is_added_edited_and_removed_by_its_fingerprint() {
        let p = Program::default();
        let f = form(&[("days", "fri,tue"), ("from", "14:00"), ("until", "17:00")]);
        let one = saved(&f, &p, None).unwrap();
        assert_eq!(one.promotions.len(), 1);
        let happy = &one.promotions[0];
        assert_eq!(happy.days, ["tue", "fri"], "in the week's order");
        assert_eq!(happy.multiplier_pct, 200);
        assert_eq!(
            PromoForm::of(happy),
            PromoForm {
                days: vec!["tue".into(), "fri".into()],
                ..f.clone()
            }
        );
        let id = id_of(happy);
        assert_eq!(id.len(), 12);
        assert_eq!(find(&one.promotions, &id), Some(0));
        let xmas = form(&[
            ("name", "Christmas"),
            ("multiplier", ""),
            ("bonus", "50"),
            ("starts_on", "2026-12-01"),
            ("ends_on", "2026-12-24"),
        ]);
        let two = saved(&xmas, &one, None).unwrap();
        assert_eq!(two.promotions[1].bonus_points, 50);
        assert_eq!(two.promotions[1].multiplier_pct, 100);
        let edited = saved(&form(&[("multiplier", "300")]), &two, Some(0)).unwrap();
        assert_eq!(edited.promotions[0].multiplier_pct, 300);
        assert_eq!(
            find(&edited.promotions, &id),
            None,
            "the old fingerprint is gone"
        );
        let left = Program::try_from(without(&edited, 0).unwrap()).unwrap();
        assert_eq!(left.promotions.len(), 1);
        assert_eq!(left.promotions[0].name, "Christmas");
    }

    #[test]
    fn each_mistake_is_named_at_its_field() {
        assert_eq!(
            problems(&form(&[
                ("name", " "),
                ("multiplier", "100"),
                ("bonus", "0")
            ])),
            [("name", Problem::Missing), ("multiplier", Problem::NoBoost)]
        );
        assert_eq!(
            problems(&form(&[
                ("multiplier", "50"),
                ("bonus", "x"),
                ("days", "mon,someday")
            ])),
            [
                ("multiplier", Problem::OutOfRange(100, 1000)),
                ("bonus", Problem::NotANumber),
                ("days", Problem::UnknownChoice),
            ]
        );
        assert_eq!(
            problems(&form(&[("from", "14:00")])),
            [("until", Problem::Missing)]
        );
        assert_eq!(
            problems(&form(&[("from", "25:00"), ("until", "9am")])),
            [("from", Problem::NotATime), ("until", Problem::NotATime)]
        );
        assert_eq!(
            problems(&form(&[("from", "22:00"), ("until", "02:00")])),
            [("until", Problem::UntilBeforeFrom)]
        );
        assert_eq!(
            problems(&form(&[
                ("starts_on", "2026-12-24"),
                ("ends_on", "2026-12-01")
            ])),
            [("ends_on", Problem::EndsBeforeStart)]
        );
        assert_eq!(
            problems(&form(&[("starts_on", "24.12.2026")])),
            [("starts_on", Problem::NotADate)]
        );
        assert_eq!(
            problems(&form(&[("name", &"x".repeat(61))])),
            [("name", Problem::Text(60))]
        );
        // Until midnight is a time; 24:00 never starts one.
        assert!(saved(
            &form(&[("from", "20:00"), ("until", "24:00")]),
            &Program::default(),
            None
        )
        .is_ok());
        // The twenty-first is refused.
        let mut full = Program::default();
        for i in 0..MAX_PROMOTIONS {
            full = saved(&form(&[("name", &format!("P{i}"))]), &full, None).unwrap();
        }
        assert_eq!(
            saved(&form(&[]), &full, None).unwrap_err()[0].problem,
            Problem::TooMany(MAX_PROMOTIONS)
        );
    }

    #[test]
    fn the_calendar_shows_four_weeks_from_monday_with_what_runs_each_day() {
        let p = saved(&form(&[("days", "tue")]), &Program::default(), None).unwrap();
        let p = saved(
            &form(&[
                ("name", "Advent"),
                ("starts_on", "2026-12-01"),
                ("ends_on", "2026-12-03"),
            ]),
            &p,
            None,
        )
        .unwrap();
        // 2026-12-02 is a Wednesday: the weeks start on Monday 2026-11-30.
        let weeks = four_weeks(&p.promotions, NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
        assert_eq!(weeks.len(), 28);
        assert_eq!(weeks[0].0.to_string(), "2026-11-30");
        assert_eq!(weeks[0].1, Vec::<usize>::new());
        assert_eq!(weeks[1].1, [0, 1], "Tuesday 1 December: both");
        assert_eq!(weeks[2].1, [1]);
        assert_eq!(weeks[4].1, Vec::<usize>::new());
        assert_eq!(weeks[8].1, [0]);
    }
}
