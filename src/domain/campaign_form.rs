//! The console's campaign form: what an owner types (who gets it, one or two versions of the
//! message, how many get nothing to compare against, how long a return counts, and when it
//! goes, in the café's local time) read into the API's own `campaign::Definition`, with each
//! problem on its field. Pure: the shell stores what comes out.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

use super::campaign::{Definition, Variant, MAX_AHEAD_MS};
use super::language::Language;
use super::messages::{default_template, template_problem, Kind, Template};
use super::metrics::SEGMENTS;
use super::setup::{bounded, FieldError, Problem};

/// The audiences a campaign can go to: everyone who agreed to offers, or one segment.
pub const AUDIENCES: [&str; 6] = [
    "all",
    SEGMENTS[0],
    SEGMENTS[1],
    SEGMENTS[2],
    SEGMENTS[3],
    SEGMENTS[4],
];

/// How many customers a campaign can reach: per RFM segment (as last scored) and in all
/// ("all"), those who agreed to offers; and every customer, agreed or not.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reach {
    pub reachable: std::collections::BTreeMap<String, i64>,
    pub customers: i64,
}

impl Reach {
    /// Customers of `audience` a campaign would reach now.
    pub fn of(&self, audience: &str) -> i64 {
        self.reachable.get(audience).copied().unwrap_or(0)
    }

    /// Whether customers have been put in groups yet (the first nightly run).
    pub fn scored(&self) -> bool {
        SEGMENTS.iter().any(|s| self.of(s) > 0)
    }
}

/// What is wrong with a version's words (trimmed, as they are stored), in `l`; `true` when it
/// is the subject's own problem (it goes beside the subject), else the text's.
pub fn words_problem(l: Language, subject: &str, text: &str) -> Option<(bool, String)> {
    let subject = subject.trim().to_owned();
    let alone = Template {
        subject: subject.clone(),
        text: "x".into(),
    };
    if let Some(m) = template_problem(&alone, l) {
        return Some((true, m));
    }
    let words = Template {
        subject,
        text: text.trim().to_owned(),
    };
    template_problem(&words, l).map(|m| (false, m))
}

/// Most characters in a campaign's name.
pub const MAX_NAME: usize = 80;

/// The form as typed (every field a string, so it can come back as it was).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CampaignForm {
    pub name: String,
    pub segment: String,
    pub subject_a: String,
    pub text_a: String,
    /// The second version; both empty: one version only.
    pub subject_b: String,
    pub text_b: String,
    /// Per cent of the audience who get nothing (0 to 50).
    pub holdout: String,
    /// Days in which a visit or purchase counts as coming back (1 to 90).
    pub window: String,
    /// `now` (when the owner presses Send) or `later` (at `date` and `time`, local).
    pub when: String,
    pub date: String,
    pub time: String,
}

impl CampaignForm {
    /// A new campaign: everyone, the campaign's default words in `l`, 10 % held out, 14 days.
    pub fn new(l: Language) -> Self {
        let t = default_template(Kind::Campaign, l);
        Self {
            segment: "all".into(),
            subject_a: t.subject,
            text_a: t.text,
            holdout: "10".into(),
            window: "14".into(),
            when: "now".into(),
            ..Self::default()
        }
    }

    /// The form of a stored definition, its schedule in `tz`.
    pub fn of(d: &Definition, tz: chrono_tz::Tz) -> Self {
        let v = |i: usize| d.variants.get(i);
        let local = d
            .send_at
            .and_then(|at| tz.timestamp_millis_opt(at).single());
        Self {
            name: d.name.clone(),
            segment: d.segment.clone(),
            subject_a: v(0).map(|v| v.subject.clone()).unwrap_or_default(),
            text_a: v(0).map(|v| v.text.clone()).unwrap_or_default(),
            subject_b: v(1).map(|v| v.subject.clone()).unwrap_or_default(),
            text_b: v(1).map(|v| v.text.clone()).unwrap_or_default(),
            holdout: d.holdout_percent.to_string(),
            window: d.window_days.to_string(),
            when: if local.is_some() { "later" } else { "now" }.into(),
            date: local
                .map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            time: local
                .map(|t| t.format("%H:%M").to_string())
                .unwrap_or_default(),
        }
    }

    /// Whether the form has a second version.
    pub fn has_b(&self) -> bool {
        !self.subject_b.trim().is_empty() || !self.text_b.trim().is_empty()
    }

    /// Reads the form into a checked definition (schedule in `tz`, against `now`), or every
    /// field's problem.
    pub fn parse(&self, tz: chrono_tz::Tz, now: i64) -> Result<Definition, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut problem = |field, problem| errors.push(FieldError { field, problem });
        let name = self.name.trim();
        if name.is_empty() {
            problem("name", Problem::Missing);
        } else if name.chars().count() > MAX_NAME || name.contains(['\n', '\r']) {
            problem("name", Problem::Text(MAX_NAME));
        }
        let segment = self.segment.trim();
        if !AUDIENCES.contains(&segment) {
            problem("segment", Problem::UnknownChoice);
        }
        let mut variants = Vec::new();
        let versions = [
            ("A", "subject_a", "text_a", &self.subject_a, &self.text_a),
            ("B", "subject_b", "text_b", &self.subject_b, &self.text_b),
        ];
        for (i, (label, subject_field, text_field, subject, text)) in
            versions.into_iter().enumerate()
        {
            if i == 1 && !self.has_b() {
                continue;
            }
            match words_problem(Language::En, subject, text) {
                Some((true, _)) => problem(subject_field, Problem::Refused),
                Some((false, _)) => problem(text_field, Problem::Refused),
                None => {}
            }
            variants.push(Variant {
                name: label.into(),
                weight: 1,
                subject: subject.trim().to_owned(),
                text: text.trim().to_owned(),
            });
        }
        let holdout = bounded(&mut errors, "holdout", &self.holdout, 0, 50);
        let window = bounded(&mut errors, "window", &self.window, 1, 90);
        let send_at = match self.when.as_str() {
            "now" => None,
            "later" => self.moment(tz, now, &mut errors),
            _ => {
                errors.push(FieldError {
                    field: "when",
                    problem: Problem::UnknownChoice,
                });
                None
            }
        };
        let d = Definition {
            name: name.to_owned(),
            segment: segment.to_owned(),
            variants,
            holdout_percent: holdout,
            window_days: window,
            send_at,
        };
        if errors.is_empty() {
            // The API's own checks, in case this form and they ever part ways.
            if let Err((field, _)) = d.check(&SEGMENTS) {
                let field = match field.as_str() {
                    "name" => "name",
                    "segment" => "segment",
                    "holdout_percent" => "holdout",
                    "window_days" => "window",
                    f if f.starts_with("variants[1]") => "text_b",
                    _ => "text_a",
                };
                errors.push(FieldError {
                    field,
                    problem: Problem::Refused,
                });
            }
        }
        if errors.is_empty() {
            Ok(d)
        } else {
            Err(errors)
        }
    }

    /// The moment typed as a local date and time, if it is one still to come and at most 90
    /// days ahead.
    fn moment(&self, tz: chrono_tz::Tz, now: i64, errors: &mut Vec<FieldError>) -> Option<i64> {
        let mut problem = |field, problem| {
            errors.push(FieldError { field, problem });
            None
        };
        let Ok(day) = NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d") else {
            return problem("date", Problem::NotADate);
        };
        let Ok(time) = NaiveTime::parse_from_str(self.time.trim(), "%H:%M") else {
            return problem("time", Problem::NotATime);
        };
        // In a spring-forward gap the hour does not exist: the first moment after it.
        let local = NaiveDateTime::new(day, time);
        let Some(at) = tz
            .from_local_datetime(&local)
            .earliest()
            .or_else(|| {
                tz.from_local_datetime(&(local + chrono::Duration::hours(1)))
                    .earliest()
            })
            .map(|t| t.timestamp_millis())
        else {
            return problem("time", Problem::NotATime);
        };
        if at <= now {
            return problem("date", Problem::InThePast);
        }
        if at > now + MAX_AHEAD_MS {
            return problem("date", Problem::TooFarAhead(90));
        }
        Some(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TZ: chrono_tz::Tz = chrono_tz::Europe::Warsaw;
    /// 2026-12-07 12:00 UTC (13:00 in Warsaw).
    const NOW: i64 = 1_796_644_800_000;

    fn typed() -> CampaignForm {
        CampaignForm {
            name: "Winter".into(),
            segment: "at_risk".into(),
            ..CampaignForm::new(Language::En)
        }
    }

    fn fields(r: Result<Definition, Vec<FieldError>>) -> Vec<(&'static str, Problem)> {
        r.unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.problem))
            .collect()
    }

    #[test]
    fn a_new_form_reads_into_the_apis_definition_and_back() {
        let d = typed().parse(TZ, NOW).unwrap();
        assert_eq!(d.segment, "at_risk");
        assert_eq!(d.variants.len(), 1);
        assert_eq!(d.variants[0].name, "A");
        assert_eq!(
            (d.holdout_percent, d.window_days, d.send_at),
            (10, 14, None)
        );
        assert!(d.check(&SEGMENTS).is_ok());
        assert_eq!(CampaignForm::of(&d, TZ), typed());

        let two = CampaignForm {
            subject_b: "Hello {{name}}".into(),
            text_b: "A coffee on us: {{card_link}}".into(),
            when: "later".into(),
            date: "2026-12-08".into(),
            time: "09:30".into(),
            ..typed()
        };
        let d = two.parse(TZ, NOW).unwrap();
        assert_eq!(d.variants.len(), 2);
        // 09:30 in Warsaw in winter is 08:30 UTC.
        assert_eq!(d.send_at, Some(1_796_718_600_000));
        assert_eq!(CampaignForm::of(&d, TZ), two);
    }

    #[test]
    fn each_problem_is_on_its_field() {
        let bad = CampaignForm {
            name: " ".into(),
            segment: "vip".into(),
            text_a: "Hi {{nmae}}".into(),
            subject_b: "x".repeat(300),
            text_b: "Hi".into(),
            holdout: "60".into(),
            window: "two".into(),
            when: "later".into(),
            date: "2026-12-07".into(),
            time: "12:59".into(),
            ..typed()
        };
        assert_eq!(
            fields(bad.parse(TZ, NOW)),
            [
                ("name", Problem::Missing),
                ("segment", Problem::UnknownChoice),
                ("text_a", Problem::Refused),
                ("subject_b", Problem::Refused),
                ("holdout", Problem::OutOfRange(0, 50)),
                ("window", Problem::NotANumber),
                ("date", Problem::InThePast),
            ]
        );
        let far = CampaignForm {
            when: "later".into(),
            date: "2027-06-01".into(),
            time: "9".into(),
            ..typed()
        };
        assert_eq!(fields(far.parse(TZ, NOW)), [("time", Problem::NotATime)]);
        let far = CampaignForm {
            time: "09:00".into(),
            ..far
        };
        assert_eq!(
            fields(far.parse(TZ, NOW)),
            [("date", Problem::TooFarAhead(90))]
        );
        let odd = CampaignForm {
            when: "yesterday".into(),
            text_a: String::new(),
            ..typed()
        };
        assert_eq!(
            fields(odd.parse(TZ, NOW)),
            [
                ("text_a", Problem::Refused),
                ("when", Problem::UnknownChoice)
            ]
        );
    }

    #[test]
    fn an_hour_that_does_not_exist_moves_past_the_change_of_clocks() {
        // 2027-03-28 02:30 does not exist in Warsaw (clocks go from 02:00 to 03:00).
        let spring = CampaignForm {
            when: "later".into(),
            date: "2027-03-28".into(),
            time: "02:30".into(),
            ..typed()
        };
        let march = 1_803_902_400_000; // 2027-03-01 12:00 UTC
        let at = spring.parse(TZ, march).unwrap().send_at.unwrap();
        let local = TZ.timestamp_millis_opt(at).unwrap();
        assert_eq!(
            local.format("%Y-%m-%d %H:%M").to_string(),
            "2027-03-28 03:30"
        );
    }
}
