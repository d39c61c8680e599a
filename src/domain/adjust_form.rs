//! A correction of a customer's balance from the console (`/console/customers/{id}`): points
//! and stamps to add or to take away, and the reason kept in the activity log.
//! The same bounds and reason rule as the API's `POST /api/v1/members/{id}/adjustments`.

use super::setup::{FieldError, Problem};

/// Most points or stamps one correction may move, either way.
pub const MAX_ADJUST: i64 = 1_000_000;
/// Most characters a reason may have.
pub const MAX_REASON: usize = 200;

/// The form's fields as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdjustForm {
    /// `add` or `take`.
    pub direction: String,
    pub points: String,
    pub stamps: String,
    pub reason: String,
}

/// The names of the form's fields, in page order.
pub const FIELDS: [&str; 4] = ["direction", "points", "stamps", "reason"];

/// A correction that passed the form's checks (negative: taken away).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub points: i64,
    pub stamps: i64,
    pub reason: String,
}

/// How many, as typed: a whole number from 0 to [`MAX_ADJUST`]; empty is 0.
fn how_many(typed: &str) -> Result<i64, Problem> {
    let t = typed.trim();
    if t.is_empty() {
        return Ok(0);
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::NotANumber);
    }
    match t.parse::<i64>() {
        Ok(n) if n <= MAX_ADJUST => Ok(n),
        _ => Err(Problem::OutOfRange(0, MAX_ADJUST as u32)),
    }
}

/// The reason as kept: trimmed, 1 to 200 characters, none of them a control character.
pub fn reason(typed: &str) -> Result<String, Problem> {
    let r = typed.trim();
    if r.is_empty() {
        return Err(Problem::Missing);
    }
    if r.chars().count() > MAX_REASON || r.chars().any(char::is_control) {
        return Err(Problem::Text(MAX_REASON));
    }
    Ok(r.to_owned())
}

impl AdjustForm {
    /// The form as posted (`get` reads a field; a missing one is empty).
    pub fn read(get: impl Fn(&str) -> Option<String>) -> AdjustForm {
        let field = |name: &str| get(name).unwrap_or_default();
        AdjustForm {
            direction: field("direction"),
            points: field("points"),
            stamps: field("stamps"),
            reason: field("reason"),
        }
    }

    /// The correction, or every field's problem at once.
    pub fn parse(&self) -> Result<Adjustment, Vec<FieldError>> {
        let mut errors = Vec::new();
        let sign = match self.direction.as_str() {
            "add" => 1,
            "take" => -1,
            _ => {
                errors.push(FieldError {
                    field: "direction",
                    problem: Problem::UnknownChoice,
                });
                1
            }
        };
        let mut number = |field: &'static str, typed: &str| {
            how_many(typed).unwrap_or_else(|problem| {
                errors.push(FieldError { field, problem });
                0
            })
        };
        let points = number("points", &self.points);
        let stamps = number("stamps", &self.stamps);
        if !errors.iter().any(|e| e.field != "direction") && points == 0 && stamps == 0 {
            errors.push(FieldError {
                field: "points",
                problem: Problem::NothingMoved,
            });
        }
        let reason = reason(&self.reason).unwrap_or_else(|problem| {
            errors.push(FieldError {
                field: "reason",
                problem,
            });
            String::new()
        });
        if errors.is_empty() {
            Ok(Adjustment {
                points: sign * points,
                stamps: sign * stamps,
                reason,
            })
        } else {
            Err(errors)
        }
    }
}

/// Why D1 refused a correction it was given: the field that takes away more than the customer
/// holds (`points` first), with what they hold.
pub fn refusal(a: &Adjustment, points_held: i64, stamps_held: i64) -> FieldError {
    if a.points < 0 && -a.points > points_held {
        FieldError {
            field: "points",
            problem: Problem::MoreThanHeld(points_held.max(0)),
        }
    } else if a.stamps < 0 && -a.stamps > stamps_held {
        FieldError {
            field: "stamps",
            problem: Problem::MoreThanHeld(stamps_held.max(0)),
        }
    } else {
        // Points counted in the balance whose lots expired but are not yet swept.
        FieldError {
            field: "points",
            problem: Problem::MoreThanHeld(points_held.max(0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(direction: &str, points: &str, stamps: &str, reason: &str) -> AdjustForm {
        AdjustForm {
            direction: direction.into(),
            points: points.into(),
            stamps: stamps.into(),
            reason: reason.into(),
        }
    }

    fn problems(f: &AdjustForm) -> Vec<(&'static str, Problem)> {
        f.parse()
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.problem))
            .collect()
    }

    #[test]
    fn adding_and_taking_away_read_as_people_type_them() {
        let ok = |d: &str, p: &str, s: &str| form(d, p, s, " broken cup ").parse().unwrap();
        assert_eq!(ok("add", "20", "").points, 20);
        assert_eq!(ok("add", " 20 ", "1").stamps, 1);
        assert_eq!(ok("take", "5", "").points, -5);
        assert_eq!(ok("take", "", "2").stamps, -2);
        assert_eq!(ok("take", "1000000", "").points, -MAX_ADJUST);
        assert_eq!(ok("add", "3", "1").reason, "broken cup");
    }

    #[test]
    fn each_field_says_what_is_wrong_with_it() {
        assert_eq!(
            problems(&form("", "five", "1.5", "")),
            [
                ("direction", Problem::UnknownChoice),
                ("points", Problem::NotANumber),
                ("stamps", Problem::NotANumber),
                ("reason", Problem::Missing)
            ]
        );
        for bad in ["+5", "-5", "5-", "1e3", "0x10", "1 000"] {
            assert_eq!(
                problems(&form("add", bad, "", "x")),
                [("points", Problem::NotANumber)],
                "{bad}"
            );
        }
        assert_eq!(
            problems(&form("add", "1000001", "99999999999999999999", "x")),
            [
                ("points", Problem::OutOfRange(0, 1_000_000)),
                ("stamps", Problem::OutOfRange(0, 1_000_000))
            ]
        );
        assert_eq!(
            problems(&form("take", "0", "", "x")),
            [("points", Problem::NothingMoved)]
        );
        assert_eq!(
            problems(&form("sideways", "", "", "x")),
            [
                ("direction", Problem::UnknownChoice),
                ("points", Problem::NothingMoved)
            ]
        );
        assert_eq!(
            problems(&form("add", "1", "", &"x".repeat(201))),
            [("reason", Problem::Text(200))]
        );
        assert_eq!(
            problems(&form("add", "1", "", "two\nlines")),
            [("reason", Problem::Text(200))]
        );
        assert!(form("add", "1", "", &"ż".repeat(200)).parse().is_ok());
    }

    #[test]
    fn a_refusal_names_the_field_that_takes_away_too_much() {
        let a = |points, stamps| Adjustment {
            points,
            stamps,
            reason: "x".into(),
        };
        assert_eq!(
            refusal(&a(-10, 0), 4, 0),
            FieldError {
                field: "points",
                problem: Problem::MoreThanHeld(4)
            }
        );
        assert_eq!(
            refusal(&a(-1, -3), 4, 2),
            FieldError {
                field: "stamps",
                problem: Problem::MoreThanHeld(2)
            }
        );
        assert_eq!(refusal(&a(-2, 0), -1, 0).problem, Problem::MoreThanHeld(0));
    }
}
