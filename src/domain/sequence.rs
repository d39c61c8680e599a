//! Triggered sequences: a merchant's automations as data. Each one is an event (a member's first
//! purchase, every Nth visit, a visit milestone, N days without a visit), a delay, a condition
//! checked when the delay is over, and what follows: a gift (points, stamps, a catalog reward)
//! and/or a message. D1 records each occasion once (`shell/store/sequences.rs`); this module
//! only parses and checks the definitions and says what the SQL reads of them.

use serde::{Deserialize, Serialize};

use super::config::{check_range, ConfigError};
use super::messages::Class;
use super::referral::{check_bonus, Bonus};

/// At most this many sequences per program.
pub const MAX_SEQUENCES: usize = 12;
/// The longest delay, in hours (30 days).
pub const MAX_DELAY_HOURS: u32 = 720;
/// How far back an inactivity sequence looks for members who crossed its line, in days: a job
/// that did not run for a few days still catches up, while members who lapsed long before the
/// sequence was switched on are left to campaigns.
pub const INACTIVE_LOOKBACK_DAYS: u32 = 7;

/// What sets a sequence off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The member's first sale: a counter scan (not a poster visit) or a POS order.
    FirstPurchase,
    /// Every `every`th visit (scans and POS orders): the 10th, 20th, 30th, ...
    Visit { every: u32 },
    /// The visit that brings the member to `visits` in all, once.
    Milestone { visits: u32 },
    /// `days` full local days without a visit, counted by the nightly rollup; once per lapse.
    Inactive { days: u32 },
}

impl Trigger {
    /// The name the SQL matches on.
    pub fn event(self) -> &'static str {
        match self {
            Trigger::FirstPurchase => "first_purchase",
            Trigger::Visit { .. } => "visit",
            Trigger::Milestone { .. } => "milestone",
            Trigger::Inactive { .. } => "inactive",
        }
    }

    /// The event's number (visits or days; 0 for a first purchase).
    pub fn n(self) -> u32 {
        match self {
            Trigger::FirstPurchase => 0,
            Trigger::Visit { every } => every,
            Trigger::Milestone { visits } => visits,
            Trigger::Inactive { days } => days,
        }
    }

    /// Whether a sale (scan or order) can set it off, rather than the nightly job.
    pub fn on_sale(self) -> bool {
        !matches!(self, Trigger::Inactive { .. })
    }

    /// An offer to win back a member is marketing; news about a visit the member just made is
    /// about their account.
    pub fn class(self) -> Class {
        match self {
            Trigger::Inactive { .. } => Class::Marketing,
            _ => Class::Transactional,
        }
    }
}

/// What must still hold when the delay is over (all of it); otherwise the occasion is skipped,
/// with the reason recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Condition {
    /// The member has not come back (no scan or order) since the event.
    pub not_returned: bool,
    /// The member has agreed to marketing.
    pub marketing_consent: bool,
    /// The member's level is at least this (0: any).
    pub min_tier: u32,
}

/// A message's own words, replacing the merchant's `sequence` template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    pub subject: String,
    pub text: String,
}

/// One automation, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SequenceDraft", into = "SequenceDraft")]
pub struct Sequence {
    /// The merchant's name for it: lowercase letters, digits and `_`; part of every id it makes.
    pub id: String,
    pub enabled: bool,
    pub trigger: Trigger,
    /// Hours between the event and the gift or message.
    pub delay_hours: u32,
    pub condition: Condition,
    /// Points, stamps and/or a catalog reward (given as a code on the card).
    pub gift: Bonus,
    /// Days a reward given as the gift stays redeemable.
    pub gift_days: u32,
    /// Whether the member hears about it (a `sequence` message).
    pub message: bool,
    /// The message's words; none: the merchant's `sequence` template, else the default.
    pub words: Option<Words>,
}

/// The event names a sequence may start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    FirstPurchase,
    Visit,
    Milestone,
    Inactive,
}

/// A sequence as sent (and as stored): the event's number goes in `every` (visit), `visits`
/// (milestone) or `days` (inactive).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SequenceDraft {
    pub id: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    pub event: Event,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visits: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    #[serde(default)]
    pub delay_hours: u32,
    #[serde(default)]
    pub condition: Condition,
    #[serde(default)]
    pub gift: Bonus,
    #[serde(default = "default_gift_days")]
    pub gift_days: u32,
    #[serde(default = "yes")]
    pub message: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<Words>,
}

impl From<Sequence> for SequenceDraft {
    fn from(s: Sequence) -> Self {
        let (event, every, visits, days) = match s.trigger {
            Trigger::FirstPurchase => (Event::FirstPurchase, None, None, None),
            Trigger::Visit { every } => (Event::Visit, Some(every), None, None),
            Trigger::Milestone { visits } => (Event::Milestone, None, Some(visits), None),
            Trigger::Inactive { days } => (Event::Inactive, None, None, Some(days)),
        };
        SequenceDraft {
            id: s.id,
            enabled: s.enabled,
            event,
            every,
            visits,
            days,
            delay_hours: s.delay_hours,
            condition: s.condition,
            gift: s.gift,
            gift_days: s.gift_days,
            message: s.message,
            words: s.words,
        }
    }
}

fn yes() -> bool {
    true
}
fn default_gift_days() -> u32 {
    14
}

/// Checks one sequence at index `i` of the program's list.
fn check(i: usize, d: SequenceDraft) -> Result<Sequence, ConfigError> {
    let at = |f: &str| format!("program.sequences[{i}].{f}");
    let err = |f: &str, message: &str| ConfigError {
        field: at(f),
        message: message.into(),
    };
    if d.id.is_empty()
        || d.id.len() > 32
        || !d
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(err(
            "id",
            "must be 1 to 32 lowercase letters, digits or _, like \"welcome_reward\"",
        ));
    }
    // The event's number: required for its event, refused for the others.
    let number = |name: &str, value: Option<u32>, min: u32, max: u32| match value {
        Some(v) => check_range(&at(name), v, min, max),
        None => Err(err(name, "is required for this event")),
    };
    let given = [("every", d.every), ("visits", d.visits), ("days", d.days)];
    let wanted = match d.event {
        Event::FirstPurchase => "",
        Event::Visit => "every",
        Event::Milestone => "visits",
        Event::Inactive => "days",
    };
    if let Some((name, _)) = given.iter().find(|(n, v)| v.is_some() && *n != wanted) {
        return Err(err(name, "does not belong to this event"));
    }
    let trigger = match d.event {
        Event::FirstPurchase => Trigger::FirstPurchase,
        Event::Visit => Trigger::Visit {
            every: number("every", d.every, 2, 1000)?,
        },
        Event::Milestone => Trigger::Milestone {
            visits: number("visits", d.visits, 1, 100_000)?,
        },
        Event::Inactive => Trigger::Inactive {
            days: number("days", d.days, 7, 365)?,
        },
    };
    check_range(&at("delay_hours"), d.delay_hours, 0, MAX_DELAY_HOURS)?;
    check_range(&at("condition.min_tier"), d.condition.min_tier, 0, 9)?;
    let gift = check_bonus(&at("gift"), d.gift)?;
    if gift.is_empty() && !d.message {
        return Err(err(
            "gift",
            "a sequence must give something or send a message",
        ));
    }
    if let Some(w) = &d.words {
        let t = super::messages::Template {
            subject: w.subject.clone(),
            text: w.text.clone(),
        };
        super::messages::check_template(&t).map_err(|m| err("words", &m))?;
    }
    Ok(Sequence {
        id: d.id,
        enabled: d.enabled,
        trigger,
        delay_hours: d.delay_hours,
        condition: d.condition,
        gift,
        gift_days: check_range(&at("gift_days"), d.gift_days, 1, 90)?,
        message: d.message,
        words: d.words,
    })
}

impl TryFrom<SequenceDraft> for Sequence {
    type Error = ConfigError;

    fn try_from(d: SequenceDraft) -> Result<Self, ConfigError> {
        check(0, d)
    }
}

/// Checks a program's list: each sequence, their number, and that ids are unique.
pub fn check_all(drafts: Vec<SequenceDraft>) -> Result<Vec<Sequence>, ConfigError> {
    if drafts.len() > MAX_SEQUENCES {
        return Err(ConfigError {
            field: "program.sequences".into(),
            message: format!("at most {MAX_SEQUENCES} sequences, got {}", drafts.len()),
        });
    }
    let mut out: Vec<Sequence> = Vec::with_capacity(drafts.len());
    for (i, d) in drafts.into_iter().enumerate() {
        let s = check(i, d)?;
        if out.iter().any(|o| o.id == s.id) {
            return Err(ConfigError {
                field: format!("program.sequences[{i}].id"),
                message: format!("{:?} is used by an earlier sequence", s.id),
            });
        }
        out.push(s);
    }
    Ok(out)
}

/// The four automations a merchant starts from (`GET /api/v1/program` shows them; a program
/// runs only the sequences it lists): a welcome stamp with the first purchase, 50 bonus points
/// every 10th visit, a return offer of 30 points after 30 days away (to members who agreed to
/// marketing), and 100 points at the 25th visit (point `gift.reward_id` at an exclusive reward
/// to give that instead).
pub fn defaults() -> Vec<Sequence> {
    let s = |id: &str, trigger, condition, gift: Bonus| Sequence {
        id: id.into(),
        enabled: true,
        trigger,
        delay_hours: 0,
        condition,
        gift,
        gift_days: default_gift_days(),
        message: true,
        words: None,
    };
    let points = |points| Bonus {
        points,
        ..Bonus::default()
    };
    vec![
        s(
            "welcome_reward",
            Trigger::FirstPurchase,
            Condition::default(),
            Bonus {
                stamps: 1,
                ..Bonus::default()
            },
        ),
        s(
            "every_10th_visit",
            Trigger::Visit { every: 10 },
            Condition::default(),
            points(50),
        ),
        s(
            "return_offer",
            Trigger::Inactive { days: 30 },
            Condition {
                marketing_consent: true,
                ..Condition::default()
            },
            points(30),
        ),
        s(
            "milestone_25",
            Trigger::Milestone { visits: 25 },
            Condition::default(),
            points(100),
        ),
    ]
}

/// What the SQL that queues occasions reads of each enabled sequence (bound as one JSON array
/// and read with `json_each`), for those set off by sales (`on_sale`) or by inactivity.
pub fn rules_json(sequences: &[Sequence], on_sale: bool, program_version: u32) -> String {
    let rules: Vec<serde_json::Value> = sequences
        .iter()
        .filter(|s| s.enabled && s.trigger.on_sale() == on_sale)
        .map(|s| {
            serde_json::json!({
                "id": s.id,
                "event": s.trigger.event(),
                "n": s.trigger.n(),
                "delay_ms": i64::from(s.delay_hours) * 3_600_000,
                "points": s.gift.points,
                "stamps": s.gift.stamps,
                "reward_id": s.gift.reward_id,
                "gift_days": s.gift_days,
                "message": s.message,
                "class": s.trigger.class().as_str(),
                "not_returned": s.condition.not_returned,
                "consent": s.condition.marketing_consent,
                "min_tier": s.condition.min_tier,
                "version": program_version,
            })
        })
        .collect();
    serde_json::Value::Array(rules).to_string()
}

/// Whether a sale can set off an enabled sequence, and whether one of those has no delay (so
/// the sale's own batch gives it).
pub fn on_sale(sequences: &[Sequence]) -> (bool, bool) {
    let live = || {
        sequences
            .iter()
            .filter(|s| s.enabled && s.trigger.on_sale())
    };
    (live().next().is_some(), live().any(|s| s.delay_hours == 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Vec<Sequence>, ConfigError> {
        let drafts: Vec<SequenceDraft> = serde_json::from_str(json).unwrap();
        check_all(drafts)
    }

    #[test]
    fn a_sequence_reads_as_event_delay_condition_and_gift() {
        let s = parse(
            r#"[{"id": "come_back", "event": "first_purchase", "delay_hours": 72,
                 "condition": {"not_returned": true}, "gift": {"points": 20}}]"#,
        )
        .unwrap();
        let s = &s[0];
        assert_eq!(s.trigger, Trigger::FirstPurchase);
        assert_eq!(s.delay_hours, 72);
        assert!(s.condition.not_returned && !s.condition.marketing_consent);
        assert_eq!(s.gift.points, 20);
        assert!(s.enabled && s.message);
        assert_eq!(s.gift_days, 14);
    }

    #[test]
    fn the_defaults_round_trip_through_json_and_pass_their_own_checks() {
        let json = serde_json::to_string(&defaults()).unwrap();
        assert!(json.contains(r#""event":"visit","every":10"#), "{json}");
        let back: Vec<Sequence> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, defaults());
        let events: Vec<_> = back.iter().map(|s| s.trigger.event()).collect();
        assert_eq!(events, ["first_purchase", "visit", "inactive", "milestone"]);
    }

    #[test]
    fn bad_sequences_name_their_field() {
        let cases = [
            (
                r#"[{"id": "Bad Id", "event": "first_purchase"}]"#,
                "program.sequences[0].id",
            ),
            (
                r#"[{"id": "a", "event": "visit", "every": 1, "gift": {"points": 1}}]"#,
                "program.sequences[0].every",
            ),
            (
                r#"[{"id": "a", "event": "inactive", "days": 3}]"#,
                "program.sequences[0].days",
            ),
            (
                r#"[{"id": "a", "event": "visit"}]"#,
                "program.sequences[0].every",
            ),
            (
                r#"[{"id": "a", "event": "first_purchase", "days": 30}]"#,
                "program.sequences[0].days",
            ),
            (
                r#"[{"id": "a", "event": "first_purchase", "delay_hours": 721}]"#,
                "program.sequences[0].delay_hours",
            ),
            (
                r#"[{"id": "a", "event": "first_purchase", "message": false}]"#,
                "program.sequences[0].gift",
            ),
            (
                r#"[{"id": "a", "event": "first_purchase", "words": {"subject": "", "text": "{{nope}}"}}]"#,
                "program.sequences[0].words",
            ),
            (
                r#"[{"id": "a", "event": "first_purchase"}, {"id": "a", "event": "milestone", "visits": 5}]"#,
                "program.sequences[1].id",
            ),
            (
                r#"[{"id": "a", "event": "first_purchase", "condition": {"min_tier": 10}}]"#,
                "program.sequences[0].condition.min_tier",
            ),
        ];
        for (json, field) in cases {
            let e = parse(json).unwrap_err();
            assert_eq!(e.field, field, "{json}: {e}");
        }
    }

    #[test]
    fn unknown_events_and_fields_are_refused_by_the_parser() {
        for json in [
            r#"[{"id": "a", "event": "sunrise"}]"#,
            r#"[{"id": "a", "event": "first_purchase", "colour": "red"}]"#,
            r#"[{"id": "a", "event": "visit", "every": -1}]"#,
        ] {
            assert!(
                serde_json::from_str::<Vec<SequenceDraft>>(json).is_err(),
                "{json}"
            );
        }
    }

    #[test]
    fn too_many_sequences_are_refused() {
        let one = r#"{"id": "x", "event": "first_purchase"}"#;
        let list: Vec<String> = (0..=MAX_SEQUENCES)
            .map(|i| one.replace("\"x\"", &format!("\"s{i}\"")))
            .collect();
        let e = parse(&format!("[{}]", list.join(","))).unwrap_err();
        assert_eq!(e.field, "program.sequences");
    }

    #[test]
    fn rules_for_the_sql_hold_only_enabled_sequences_of_the_asked_kind() {
        let mut all = defaults();
        all[1].enabled = false;
        let sale: serde_json::Value = serde_json::from_str(&rules_json(&all, true, 7)).unwrap();
        let ids: Vec<_> = sale
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["welcome_reward", "milestone_25"]);
        assert_eq!(sale[0]["class"], "transactional");
        assert_eq!(sale[0]["version"], 7);
        let lapsed: serde_json::Value = serde_json::from_str(&rules_json(&all, false, 7)).unwrap();
        assert_eq!(lapsed[0]["id"], "return_offer");
        assert_eq!(lapsed[0]["n"], 30);
        assert_eq!(lapsed[0]["class"], "marketing");
        assert_eq!(lapsed[0]["consent"], true);
        assert_eq!(on_sale(&all), (true, true));
        assert_eq!(on_sale(&all[2..3]), (false, false));
    }
}
