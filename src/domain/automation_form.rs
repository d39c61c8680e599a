//! The console's automations (`/console/automations`) as forms: one sequence's numbers as typed
//! (its event's number, the delay, the gift, whether the customer hears about it and whether
//! it needs marketing consent), switched on or off, or one of the defaults added. Each is laid
//! over the program in force and checked by `Program::try_from`, naming the field it belongs to.

use serde_json::Value;

use super::campaign_form::words_problem;
use super::language::Language;
use super::program::{Program, ProgramDraft};
use super::sequence::{self, Sequence, Trigger, Words, MAX_DELAY_HOURS, MAX_SEQUENCES};
use super::setup::{bounded, redraft, FieldError, Problem};

/// One automation's fields as typed (a tick is `"1"`, empty when not).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AutomationForm {
    /// Visits (every Nth, a milestone) or days away; unused for a first purchase.
    pub n: String,
    pub delay_hours: String,
    pub points: String,
    pub stamps: String,
    pub message: String,
    pub consent: String,
    /// Ticked: only if the customer has not come back since the event.
    pub not_returned: String,
    /// The lowest level it is for (its number, 0: every level).
    pub min_tier: String,
    /// The message's own words; both empty: the words on Messages.
    pub subject: String,
    pub text: String,
}

/// The names of the form's fields.
pub const FIELDS: [&str; 10] = [
    "n",
    "delay_hours",
    "points",
    "stamps",
    "message",
    "consent",
    "not_returned",
    "min_tier",
    "subject",
    "text",
];

/// The bounds of a trigger's number.
pub fn n_bounds(t: Trigger) -> Option<(u32, u32)> {
    match t {
        Trigger::FirstPurchase => None,
        Trigger::Visit { .. } => Some((2, 1000)),
        Trigger::Milestone { .. } => Some((1, 100_000)),
        Trigger::Inactive { .. } => Some((7, 365)),
    }
}

fn tick(on: bool) -> String {
    if on { "1" } else { "" }.into()
}

fn set(program: &Program, sequences: Vec<Sequence>) -> Result<ProgramDraft, Vec<FieldError>> {
    let drafts: Vec<Value> = sequences
        .into_iter()
        .filter_map(|s| serde_json::to_value(s).ok())
        .collect();
    redraft(program, vec![("sequences", Value::Array(drafts))], &[], "n")
}

impl AutomationForm {
    /// The form of a sequence in force.
    pub fn of(s: &Sequence) -> AutomationForm {
        AutomationForm {
            n: match s.trigger {
                Trigger::FirstPurchase => String::new(),
                t => t.n().to_string(),
            },
            delay_hours: s.delay_hours.to_string(),
            points: s.gift.points.to_string(),
            stamps: s.gift.stamps.to_string(),
            message: tick(s.message),
            consent: tick(s.condition.marketing_consent),
            not_returned: tick(s.condition.not_returned),
            min_tier: s.condition.min_tier.to_string(),
            subject: s
                .words
                .as_ref()
                .map(|w| w.subject.clone())
                .unwrap_or_default(),
            text: s.words.as_ref().map(|w| w.text.clone()).unwrap_or_default(),
        }
    }

    /// The program with sequence `id` changed as typed.
    pub fn parse(&self, program: &Program, id: &str) -> Result<ProgramDraft, Vec<FieldError>> {
        let Some(current) = program.sequences.iter().find(|s| s.id == id) else {
            return Err(vec![FieldError {
                field: "n",
                problem: Problem::UnknownChoice,
            }]);
        };
        let mut errors = Vec::new();
        let trigger = match (current.trigger, n_bounds(current.trigger)) {
            (t, None) => t,
            (t, Some((min, max))) => {
                let n = bounded(&mut errors, "n", &self.n, min, max);
                match t {
                    Trigger::Visit { .. } => Trigger::Visit { every: n },
                    Trigger::Milestone { .. } => Trigger::Milestone { visits: n },
                    _ => Trigger::Inactive { days: n },
                }
            }
        };
        let delay = bounded(
            &mut errors,
            "delay_hours",
            &self.delay_hours,
            0,
            MAX_DELAY_HOURS,
        );
        let points = bounded(&mut errors, "points", &self.points, 0, 100_000);
        let stamps = bounded(&mut errors, "stamps", &self.stamps, 0, 50);
        let message = !self.message.is_empty();
        if errors.is_empty()
            && points == 0
            && stamps == 0
            && current.gift.reward_id.is_none()
            && !message
        {
            errors.push(FieldError {
                field: "points",
                problem: Problem::EarnsNothing,
            });
        }
        let levels = program.tiers.levels.len();
        let min_tier = match self.min_tier.trim() {
            "" => 0,
            t => match t.parse::<u32>() {
                Ok(0) => 0,
                Ok(n) if usize::try_from(n).is_ok_and(|n| n < levels) => n,
                _ => {
                    errors.push(FieldError {
                        field: "min_tier",
                        problem: Problem::UnknownChoice,
                    });
                    0
                }
            },
        };
        let (subject, text) = (self.subject.trim(), self.text.trim());
        let words = if subject.is_empty() && text.is_empty() {
            None
        } else {
            if let Some((in_subject, _)) = words_problem(Language::En, subject, text) {
                errors.push(FieldError {
                    field: if in_subject { "subject" } else { "text" },
                    problem: Problem::Refused,
                });
            }
            Some(Words {
                subject: subject.to_owned(),
                text: text.to_owned(),
            })
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut changed = current.clone();
        changed.condition.not_returned = !self.not_returned.is_empty();
        changed.condition.min_tier = min_tier;
        changed.words = words;
        changed.trigger = trigger;
        changed.delay_hours = delay;
        changed.gift.points = points;
        changed.gift.stamps = stamps;
        changed.message = message;
        changed.condition.marketing_consent = !self.consent.is_empty();
        let sequences = program
            .sequences
            .iter()
            .map(|s| {
                if s.id == id {
                    changed.clone()
                } else {
                    s.clone()
                }
            })
            .collect();
        set(program, sequences)
    }
}

/// The program with sequence `id` switched on or off (`None`: no such sequence).
pub fn switched(program: &Program, id: &str, on: bool) -> Option<ProgramDraft> {
    program.sequences.iter().find(|s| s.id == id)?;
    let sequences = program
        .sequences
        .iter()
        .cloned()
        .map(|mut s| {
            if s.id == id {
                s.enabled = on;
            }
            s
        })
        .collect();
    set(program, sequences).ok()
}

/// The defaults the program does not have yet.
pub fn missing_defaults(program: &Program) -> Vec<Sequence> {
    sequence::defaults()
        .into_iter()
        .filter(|d| !program.sequences.iter().any(|s| s.id == d.id))
        .collect()
}

/// The program with default `id` added, switched on (`None`: no such default, already there,
/// or the list is full).
pub fn with_default(program: &Program, id: &str) -> Option<ProgramDraft> {
    let d = missing_defaults(program).into_iter().find(|d| d.id == id)?;
    if program.sequences.len() >= MAX_SEQUENCES {
        return None;
    }
    let mut sequences = program.sequences.clone();
    sequences.push(d);
    set(program, sequences).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_all() -> Program {
        Program {
            sequences: sequence::defaults(),
            ..Program::default()
        }
    }

    fn checked(d: ProgramDraft) -> Program {
        Program::try_from(d).expect("the API's checks pass")
    }

    #[test]
    fn the_form_of_a_sequence_reads_back_to_the_same_program() {
        let p = with_all();
        for s in &p.sequences {
            assert_eq!(
                checked(AutomationForm::of(s).parse(&p, &s.id).unwrap()),
                p,
                "{}",
                s.id
            );
        }
    }

    #[test]
    fn numbers_as_typed_change_only_that_sequence() {
        let p = with_all();
        let form = AutomationForm {
            n: "45".into(),
            delay_hours: "2".into(),
            points: "80".into(),
            consent: "".into(),
            ..AutomationForm::of(&p.sequences[2])
        };
        let got = checked(form.parse(&p, "return_offer").unwrap());
        let s = &got.sequences[2];
        assert_eq!(s.trigger, Trigger::Inactive { days: 45 });
        assert_eq!((s.delay_hours, s.gift.points), (2, 80));
        assert!(!s.condition.marketing_consent);
        assert_eq!(got.sequences[0], p.sequences[0]);
    }

    #[test]
    fn each_refusal_is_on_its_field() {
        let p = with_all();
        let form = AutomationForm {
            n: "3".into(),
            delay_hours: "999".into(),
            points: "x".into(),
            ..AutomationForm::of(&p.sequences[2])
        };
        let errors = form.parse(&p, "return_offer").unwrap_err();
        let got: Vec<(&str, Problem)> = errors.iter().map(|e| (e.field, e.problem)).collect();
        assert_eq!(
            got,
            [
                ("n", Problem::OutOfRange(7, 365)),
                ("delay_hours", Problem::OutOfRange(0, 720)),
                ("points", Problem::NotANumber),
            ]
        );
        let nothing = AutomationForm {
            points: "0".into(),
            stamps: "0".into(),
            message: "".into(),
            ..AutomationForm::of(&p.sequences[1])
        };
        assert_eq!(
            nothing.parse(&p, "every_10th_visit").unwrap_err()[0].problem,
            Problem::EarnsNothing
        );
    }

    #[test]
    fn conditions_and_own_words_are_kept_and_checked() {
        let mut p = with_all();
        p.tiers = serde_json::from_str(
            r#"{"levels":[{"name":"Member","threshold":0},{"name":"Silver","threshold":100}]}"#,
        )
        .unwrap();
        let form = AutomationForm {
            not_returned: "1".into(),
            min_tier: "1".into(),
            subject: " We miss you ".into(),
            text: "{{name}}, come back for a coffee".into(),
            ..AutomationForm::of(&p.sequences[2])
        };
        let got = checked(form.parse(&p, "return_offer").unwrap());
        let s = &got.sequences[2];
        assert!(s.condition.not_returned);
        assert_eq!(s.condition.min_tier, 1);
        let w = s.words.as_ref().unwrap();
        assert_eq!(
            (w.subject.as_str(), w.text.as_str()),
            ("We miss you", "{{name}}, come back for a coffee")
        );
        assert_eq!(AutomationForm::of(s).subject, "We miss you");
        // Both emptied: the words on Messages again.
        let plain = AutomationForm {
            subject: "".into(),
            text: " ".into(),
            ..AutomationForm::of(s)
        };
        assert!(
            checked(plain.parse(&got, "return_offer").unwrap()).sequences[2]
                .words
                .is_none()
        );
        let bad = AutomationForm {
            min_tier: "2".into(),
            subject: "Hi".into(),
            text: "{{nope}}".into(),
            ..AutomationForm::of(s)
        };
        let got: Vec<(&str, Problem)> = bad
            .parse(&got, "return_offer")
            .unwrap_err()
            .iter()
            .map(|e| (e.field, e.problem))
            .collect();
        assert_eq!(
            got,
            [
                ("min_tier", Problem::UnknownChoice),
                ("text", Problem::Refused)
            ]
        );
    }

    #[test]
    fn switching_and_adding_defaults() {
        let p = Program::default();
        assert_eq!(missing_defaults(&p).len(), 4);
        let added = checked(with_default(&p, "welcome_reward").unwrap());
        assert_eq!(added.sequences.len(), 1);
        assert!(with_default(&added, "welcome_reward").is_none(), "once");
        let off = checked(switched(&added, "welcome_reward", false).unwrap());
        assert!(!off.sequences[0].enabled);
        assert!(switched(&added, "nope", false).is_none());
    }
}
