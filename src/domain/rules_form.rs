//! The console's earning rules (`/console/earning`) as a form: what a visit and a purchase earn,
//! the poster's limits, when points expire, the return window and what a refund does to spent
//! points, the counter's timings, what points are worth, the birthday gift and the invitation
//! bonuses. Every field is typed as a person says it (hours, months, money in the café's
//! currency) and laid over the program in force; the API's own `Program::try_from` decides, and
//! each refusal names the form field it belongs to.

use serde_json::{json, Value};

use super::ledger::{ExpiryPolicy, NegativeBalance};
use super::program::{Currency, Program, ProgramDraft};
use super::setup::{bounded, redraft, FieldError, Problem};

/// The rules' fields as typed (a checkbox is `"1"` when ticked, empty when not).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RulesForm {
    pub per_visit: String,
    pub per_purchase: String,
    pub per_unit: String,
    pub cooldown_hours: String,
    pub daily_cap: String,
    /// `never`, `after` or `inactive`.
    pub expiry: String,
    pub after_count: String,
    /// `months` or `days`.
    pub after_unit: String,
    pub end_of_month: String,
    pub inactive_days: String,
    pub pending_days: String,
    /// `clamp` or `allow`.
    pub negative: String,
    pub code_secs: String,
    pub cancel_mins: String,
    pub point_value: String,
    pub birthday: String,
    pub bday_points: String,
    pub bday_stamps: String,
    /// A reward id from the catalog, or empty.
    pub bday_reward: String,
    pub bday_lead: String,
    pub bday_hour: String,
    pub bday_gift_days: String,
    pub referral: String,
    pub ref_referrer_points: String,
    pub ref_referrer_stamps: String,
    pub ref_referee_points: String,
    pub ref_referee_stamps: String,
    pub ref_min: String,
    pub ref_cap: String,
}

/// The names of the form's fields, in page order.
pub const FIELDS: [&str; 29] = [
    "per_visit",
    "per_purchase",
    "per_unit",
    "cooldown_hours",
    "daily_cap",
    "expiry",
    "after_count",
    "after_unit",
    "end_of_month",
    "inactive_days",
    "pending_days",
    "negative",
    "code_secs",
    "cancel_mins",
    "point_value",
    "birthday",
    "bday_points",
    "bday_stamps",
    "bday_reward",
    "bday_lead",
    "bday_hour",
    "bday_gift_days",
    "referral",
    "ref_referrer_points",
    "ref_referrer_stamps",
    "ref_referee_points",
    "ref_referee_stamps",
    "ref_min",
    "ref_cap",
];

/// The most hours the poster's cooldown may be (the API's 7 days).
pub const MAX_COOLDOWN_HOURS: u32 = 168;

fn tick(on: bool) -> String {
    if on { "1" } else { "" }.into()
}

fn money(currency: &Currency, minor: u32) -> String {
    if minor == 0 {
        String::new()
    } else {
        currency
            .format(i64::from(minor))
            .trim_end_matches(currency.code.as_str())
            .trim()
            .to_owned()
    }
}

impl RulesForm {
    /// The form for the program in force.
    pub fn of(p: &Program, currency: &Currency) -> RulesForm {
        let (expiry, after_count, after_unit, end_of_month, inactive_days) = match p.points_expiry {
            ExpiryPolicy::Never => ("never", "12".into(), "months", false, "365".into()),
            ExpiryPolicy::AfterEarning {
                days,
                months,
                end_of_month,
            } => {
                if months > 0 {
                    (
                        "after",
                        months.to_string(),
                        "months",
                        end_of_month,
                        "365".into(),
                    )
                } else {
                    (
                        "after",
                        days.to_string(),
                        "days",
                        end_of_month,
                        "365".into(),
                    )
                }
            }
            ExpiryPolicy::Inactivity { days } => {
                ("inactive", "12".into(), "months", false, days.to_string())
            }
        };
        let b = &p.birthday;
        let r = &p.referral;
        RulesForm {
            per_visit: p.stamps_per_visit.to_string(),
            per_purchase: p.stamps_per_purchase.to_string(),
            per_unit: p.points_per_major_unit.to_string(),
            cooldown_hours: p.visit_cooldown_secs.div_ceil(3600).to_string(),
            daily_cap: p.visit_daily_cap.to_string(),
            expiry: expiry.into(),
            after_count,
            after_unit: after_unit.into(),
            end_of_month: tick(end_of_month),
            inactive_days,
            pending_days: p.pending_days.to_string(),
            negative: match p.negative_balance {
                NegativeBalance::Clamp => "clamp",
                NegativeBalance::Allow => "allow",
            }
            .into(),
            code_secs: p.redemption_code_secs.to_string(),
            cancel_mins: p.redemption_cancel_mins.to_string(),
            point_value: money(currency, p.point_value_per_100),
            birthday: tick(b.enabled),
            bday_points: b.gift.points.to_string(),
            bday_stamps: b.gift.stamps.to_string(),
            bday_reward: b.gift.reward_id.clone().unwrap_or_default(),
            bday_lead: b.lead_days.to_string(),
            bday_hour: b.local_hour.to_string(),
            bday_gift_days: b.gift_days.to_string(),
            referral: tick(r.enabled),
            ref_referrer_points: r.referrer.points.to_string(),
            ref_referrer_stamps: r.referrer.stamps.to_string(),
            ref_referee_points: r.referee.points.to_string(),
            ref_referee_stamps: r.referee.stamps.to_string(),
            ref_min: money(currency, r.min_purchase_minor),
            ref_cap: r.monthly_cap.to_string(),
        }
    }

    /// Checks the form over `program`; `rewards` are the catalog's ids a gift may name.
    /// `cooldown_was` is the cooldown the form was loaded with: when it was not changed, the
    /// stored seconds stay (an API may have set them to the minute).
    pub fn parse(
        &self,
        program: &Program,
        currency: &Currency,
        rewards: &[String],
        cooldown_was: &str,
    ) -> Result<ProgramDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let per_visit = bounded(&mut errors, "per_visit", &self.per_visit, 0, 10);
        let per_purchase = bounded(&mut errors, "per_purchase", &self.per_purchase, 0, 10);
        let per_unit = bounded(&mut errors, "per_unit", &self.per_unit, 0, 1000);
        let hours = bounded(
            &mut errors,
            "cooldown_hours",
            &self.cooldown_hours,
            0,
            MAX_COOLDOWN_HOURS,
        );
        let daily_cap = bounded(&mut errors, "daily_cap", &self.daily_cap, 0, 24);
        let pending = bounded(&mut errors, "pending_days", &self.pending_days, 0, 90);
        let code_secs = bounded(&mut errors, "code_secs", &self.code_secs, 5, 180);
        let cancel = bounded(
            &mut errors,
            "cancel_mins",
            &self.cancel_mins,
            0,
            7 * 24 * 60,
        );
        let expiry = match self.expiry.trim() {
            "never" => Some(ExpiryPolicy::Never),
            "after" => {
                let months = self.after_unit.trim() != "days";
                let count = if months {
                    bounded(&mut errors, "after_count", &self.after_count, 1, 120)
                } else {
                    bounded(&mut errors, "after_count", &self.after_count, 1, 3650)
                };
                Some(ExpiryPolicy::AfterEarning {
                    days: if months { 0 } else { count },
                    months: if months { count } else { 0 },
                    end_of_month: !self.end_of_month.is_empty(),
                })
            }
            "inactive" => Some(ExpiryPolicy::Inactivity {
                days: bounded(&mut errors, "inactive_days", &self.inactive_days, 1, 3650),
            }),
            _ => None,
        };
        let birthday_on = !self.birthday.is_empty();
        let bday_points = bounded(&mut errors, "bday_points", &self.bday_points, 0, 100_000);
        let bday_stamps = bounded(&mut errors, "bday_stamps", &self.bday_stamps, 0, 50);
        let bday_lead = bounded(&mut errors, "bday_lead", &self.bday_lead, 0, 30);
        let bday_hour = bounded(&mut errors, "bday_hour", &self.bday_hour, 0, 23);
        let bday_days = bounded(&mut errors, "bday_gift_days", &self.bday_gift_days, 1, 90);
        let referral_on = !self.referral.is_empty();
        let referrer_points = bounded(
            &mut errors,
            "ref_referrer_points",
            &self.ref_referrer_points,
            0,
            100_000,
        );
        let referrer_stamps = bounded(
            &mut errors,
            "ref_referrer_stamps",
            &self.ref_referrer_stamps,
            0,
            50,
        );
        let referee_points = bounded(
            &mut errors,
            "ref_referee_points",
            &self.ref_referee_points,
            0,
            100_000,
        );
        let referee_stamps = bounded(
            &mut errors,
            "ref_referee_stamps",
            &self.ref_referee_stamps,
            0,
            50,
        );
        let ref_cap = bounded(&mut errors, "ref_cap", &self.ref_cap, 0, 1000);
        if expiry.is_none() {
            errors.push(FieldError {
                field: "expiry",
                problem: Problem::UnknownChoice,
            });
        }
        let negative = match self.negative.trim() {
            "clamp" => NegativeBalance::Clamp,
            "allow" => NegativeBalance::Allow,
            _ => {
                errors.push(FieldError {
                    field: "negative",
                    problem: Problem::UnknownChoice,
                });
                NegativeBalance::Clamp
            }
        };
        let mut amount = |field: &'static str, raw: &str| -> u32 {
            if raw.trim().is_empty() {
                return 0;
            }
            currency.parse_amount(raw).unwrap_or_else(|| {
                errors.push(FieldError {
                    field,
                    problem: Problem::NotAnAmount,
                });
                0
            })
        };
        let point_value = amount("point_value", &self.point_value);
        let ref_min = amount("ref_min", &self.ref_min);
        let bday_reward = match self.bday_reward.trim() {
            "" => None,
            id if rewards.iter().any(|r| r == id) => Some(id.to_owned()),
            _ => {
                errors.push(FieldError {
                    field: "bday_reward",
                    problem: Problem::UnknownChoice,
                });
                None
            }
        };
        let earns = |field: &'static str, errors: &mut Vec<FieldError>| {
            if !errors.iter().any(|e| e.field == field) {
                errors.push(FieldError {
                    field,
                    problem: Problem::EarnsNothing,
                });
            }
        };
        if errors.is_empty() && per_visit == 0 && per_purchase == 0 && per_unit == 0 {
            earns("per_visit", &mut errors);
        }
        if errors.is_empty()
            && birthday_on
            && bday_points == 0
            && bday_stamps == 0
            && bday_reward.is_none()
        {
            earns("bday_points", &mut errors);
        }
        if errors.is_empty()
            && referral_on
            && referrer_points + referrer_stamps + referee_points + referee_stamps == 0
            && program.referral.referrer.reward_id.is_none()
            && program.referral.referee.reward_id.is_none()
        {
            earns("ref_referrer_points", &mut errors);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let cooldown_secs = if self.cooldown_hours.trim() == cooldown_was.trim() {
            program.visit_cooldown_secs
        } else {
            hours * 3600
        };
        let mut referral = serde_json::to_value(&program.referral).unwrap_or(Value::Null);
        if let Some(r) = referral.as_object_mut() {
            r.insert("enabled".into(), referral_on.into());
            r.insert("min_purchase_minor".into(), ref_min.into());
            r.insert("monthly_cap".into(), ref_cap.into());
            for (side, points, stamps) in [
                ("referrer", referrer_points, referrer_stamps),
                ("referee", referee_points, referee_stamps),
            ] {
                if let Some(b) = r.get_mut(side).and_then(Value::as_object_mut) {
                    b.insert("points".into(), points.into());
                    b.insert("stamps".into(), stamps.into());
                }
            }
        }
        let set = vec![
            ("stamps_per_visit", per_visit.into()),
            ("stamps_per_purchase", per_purchase.into()),
            ("points_per_major_unit", per_unit.into()),
            ("visit_cooldown_secs", cooldown_secs.into()),
            ("visit_daily_cap", daily_cap.into()),
            (
                "points_expiry",
                serde_json::to_value(expiry.unwrap_or_default()).unwrap_or(Value::Null),
            ),
            ("pending_days", pending.into()),
            (
                "negative_balance",
                serde_json::to_value(negative).unwrap_or(Value::Null),
            ),
            ("redemption_code_secs", code_secs.into()),
            ("redemption_cancel_mins", cancel.into()),
            ("point_value_per_100", point_value.into()),
            (
                "birthday",
                json!({
                    "enabled": birthday_on,
                    "gift": { "points": bday_points, "stamps": bday_stamps, "reward_id": bday_reward },
                    "lead_days": bday_lead,
                    "local_hour": bday_hour,
                    "gift_days": bday_days,
                }),
            ),
            ("referral", referral),
        ];
        redraft(
            program,
            set,
            &[
                ("points_expiry", "expiry"),
                ("birthday.gift", "bday_points"),
                ("birthday", "birthday"),
                ("referral.min_purchase_minor", "ref_min"),
                ("referral", "referral"),
            ],
            "per_visit",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pln() -> Currency {
        Currency {
            code: "PLN".into(),
            minor_units: 2,
        }
    }

    fn parse(f: &RulesForm, p: &Program) -> Result<Program, Vec<FieldError>> {
        let was = RulesForm::of(p, &pln()).cooldown_hours;
        f.parse(p, &pln(), &["a".repeat(32)], &was)
            .map(|d| Program::try_from(d).expect("the API's checks passed"))
    }

    #[test]
    fn the_form_of_a_program_reads_back_to_the_same_program() {
        let p = Program::default();
        assert_eq!(parse(&RulesForm::of(&p, &pln()), &p).unwrap(), p);
        let mut odd = Program {
            visit_cooldown_secs: 90 * 60,
            points_expiry: ExpiryPolicy::AfterEarning {
                days: 0,
                months: 6,
                end_of_month: true,
            },
            point_value_per_100: 250,
            ..Program::default()
        };
        odd.birthday.enabled = true;
        let form = RulesForm::of(&odd, &pln());
        assert_eq!(form.cooldown_hours, "2");
        assert_eq!(form.point_value, "2.50");
        assert_eq!(
            parse(&form, &odd).unwrap(),
            odd,
            "90 minutes stay 90 minutes"
        );
    }

    #[test]
    fn fields_typed_as_people_say_them_become_the_program() {
        let p = Program::default();
        let form = RulesForm {
            per_unit: "2".into(),
            cooldown_hours: "6".into(),
            expiry: "after".into(),
            after_count: "90".into(),
            after_unit: "days".into(),
            pending_days: "14".into(),
            negative: "allow".into(),
            point_value: "3,00".into(),
            birthday: "1".into(),
            bday_points: "0".into(),
            bday_reward: "a".repeat(32),
            referral: "1".into(),
            ref_min: "20".into(),
            ..RulesForm::of(&p, &pln())
        };
        let got = parse(&form, &p).expect("valid");
        assert_eq!(got.points_per_major_unit, 2);
        assert_eq!(got.visit_cooldown_secs, 6 * 3600);
        assert_eq!(
            got.points_expiry,
            ExpiryPolicy::AfterEarning {
                days: 90,
                months: 0,
                end_of_month: false
            }
        );
        assert_eq!(got.pending_days, 14);
        assert_eq!(got.negative_balance, NegativeBalance::Allow);
        assert_eq!(got.point_value_per_100, 300);
        assert!(got.birthday.enabled);
        assert_eq!(got.birthday.gift.reward_id, Some("a".repeat(32)));
        assert!(got.referral.enabled);
        assert_eq!(got.referral.min_purchase_minor, 2000);
    }

    #[test]
    fn each_refusal_is_on_its_own_field() {
        let p = Program::default();
        let form = RulesForm {
            per_visit: "11".into(),
            cooldown_hours: "200".into(),
            daily_cap: "x".into(),
            expiry: "after".into(),
            after_count: "130".into(),
            after_unit: "months".into(),
            negative: "maybe".into(),
            code_secs: "".into(),
            point_value: "abc".into(),
            bday_reward: "f".repeat(32),
            bday_hour: "24".into(),
            ..RulesForm::of(&p, &pln())
        };
        let errors = parse(&form, &p).expect_err("refused");
        let got: Vec<(&str, Problem)> = errors.iter().map(|e| (e.field, e.problem)).collect();
        assert_eq!(
            got,
            [
                ("per_visit", Problem::OutOfRange(0, 10)),
                ("cooldown_hours", Problem::OutOfRange(0, 168)),
                ("daily_cap", Problem::NotANumber),
                ("code_secs", Problem::Missing),
                ("after_count", Problem::OutOfRange(1, 120)),
                ("bday_hour", Problem::OutOfRange(0, 23)),
                ("negative", Problem::UnknownChoice),
                ("point_value", Problem::NotAnAmount),
                ("bday_reward", Problem::UnknownChoice),
            ]
        );
    }

    #[test]
    fn rules_that_give_nothing_say_so() {
        let p = Program::default();
        let base = RulesForm::of(&p, &pln());
        let nothing = RulesForm {
            per_visit: "0".into(),
            per_purchase: "0".into(),
            per_unit: "0".into(),
            ..base.clone()
        };
        assert_eq!(
            parse(&nothing, &p).unwrap_err()[0].problem,
            Problem::EarnsNothing
        );
        let gift = RulesForm {
            birthday: "1".into(),
            bday_points: "0".into(),
            bday_stamps: "0".into(),
            ..base.clone()
        };
        assert_eq!(parse(&gift, &p).unwrap_err()[0].field, "bday_points");
        let invite = RulesForm {
            referral: "1".into(),
            ref_referrer_points: "0".into(),
            ref_referee_points: "0".into(),
            ..base
        };
        assert_eq!(
            parse(&invite, &p).unwrap_err()[0].field,
            "ref_referrer_points"
        );
    }
}
