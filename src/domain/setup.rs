//! The guided set-up a new merchant goes through (the business, how customers earn, the first
//! rewards, locations and time zone, the poster and the till): its steps, what is done or
//! skipped, and the parsers of its forms. Each parser lays the typed fields over the
//! configuration in force and hands the result to the same checks the API uses
//! (`program`, `reward`, `Profile::patched`), naming the form field a problem belongs to.

use super::config::ConfigError;
use super::language::Language;
use super::program::{
    Branding, BrandingDraft, Currency, Profile, ProfilePatch, Program, ProgramDraft,
};
use super::reward::{Reward, RewardDraft};

/// A step of the guided set-up, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Business,
    Earn,
    Rewards,
    Locations,
    Print,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 5] = [
        Step::Business,
        Step::Earn,
        Step::Rewards,
        Step::Locations,
        Step::Print,
    ];

    /// Its path segment and stored name.
    pub fn slug(self) -> &'static str {
        match self {
            Step::Business => "business",
            Step::Earn => "earn",
            Step::Rewards => "rewards",
            Step::Locations => "locations",
            Step::Print => "print",
        }
    }

    /// Its page.
    pub fn path(self) -> String {
        format!("/console/setup/{}", self.slug())
    }

    /// Reads a slug.
    pub fn parse(s: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|x| x.slug() == s)
    }

    /// The step after this one.
    pub fn next(self) -> Option<Step> {
        let i = Step::ALL.iter().position(|s| *s == self)?;
        Step::ALL.get(i + 1).copied()
    }

    /// Its number, from 1.
    pub fn number(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }
}

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    ToDo,
    Done,
    Skipped,
}

impl State {
    /// The stored name (`ToDo` is never stored: no row).
    pub fn as_str(self) -> &'static str {
        match self {
            State::ToDo => "todo",
            State::Done => "done",
            State::Skipped => "skipped",
        }
    }
}

/// Where each step of a merchant's set-up stands, and the earning mode chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    done: Vec<Step>,
    skipped: Vec<Step>,
    /// The mode chosen at the earn step, if it was saved.
    pub mode: Option<Mode>,
}

impl Progress {
    /// Reads the stored rows as the home query lists them: `step:status[:choice]`, comma
    /// separated. Unknown parts are ignored.
    pub fn parse(stored: &str) -> Progress {
        let mut p = Progress::default();
        for part in stored.split(',') {
            let mut bits = part.split(':');
            let (Some(step), Some(status)) = (bits.next().and_then(Step::parse), bits.next())
            else {
                continue;
            };
            match status {
                "done" => p.done.push(step),
                "skipped" => p.skipped.push(step),
                _ => continue,
            }
            if step == Step::Earn {
                p.mode = bits.next().and_then(Mode::parse);
            }
        }
        p
    }

    /// Where `step` stands.
    pub fn state(&self, step: Step) -> State {
        if self.done.contains(&step) {
            State::Done
        } else if self.skipped.contains(&step) {
            State::Skipped
        } else {
            State::ToDo
        }
    }

    /// The first step neither done nor skipped (where the set-up resumes).
    pub fn resume(&self) -> Option<Step> {
        Step::ALL
            .into_iter()
            .find(|s| self.state(*s) == State::ToDo)
    }
}

/// How customers earn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Stamps per visit; a full card is a reward.
    Stamps,
    /// Points per unit of money spent.
    Points,
    /// Points per unit spent, redeemed as money back.
    Cashback,
}

impl Mode {
    /// Every mode, the default first.
    pub const ALL: [Mode; 3] = [Mode::Stamps, Mode::Points, Mode::Cashback];

    /// The stored and posted name.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Stamps => "stamps",
            Mode::Points => "points",
            Mode::Cashback => "cashback",
        }
    }

    /// Reads a stored or posted name.
    pub fn parse(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == s.trim())
    }

    /// The mode a program already in force reads as (before the earn step was saved).
    pub fn of(program: &Program) -> Mode {
        if program.points_per_major_unit > 0 && program.stamps_per_visit == 0 {
            Mode::Points
        } else {
            Mode::Stamps
        }
    }
}

/// What is wrong with a field of a set-up form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Missing,
    /// Text too long or with line breaks (at most this many characters).
    Text(usize),
    /// Not a whole number.
    NotANumber,
    /// A whole number outside these bounds.
    OutOfRange(u32, u32),
    /// Not a colour like #1a2b3c.
    NotAColour,
    /// Not an IANA time zone.
    UnknownZone,
    /// Not an amount of money in the merchant's currency.
    NotAnAmount,
    /// An unknown choice.
    UnknownChoice,
    /// Zero: customers would earn nothing this way.
    EarnsNothing,
    /// An uploaded image refused.
    Image(super::image::Refusal),
    /// Not a day like 2026-12-31.
    NotADate,
    /// The last day is before the first.
    EndsBeforeStart,
    /// Not a time of day like 09:30.
    NotATime,
    /// A moment that has passed.
    InThePast,
    /// Further ahead than this many days.
    TooFarAhead(u32),
    /// A correction that moves nothing.
    NothingMoved,
    /// Takes away more than the customer holds (this many).
    MoreThanHeld(i64),
    /// Not above the level before's threshold (this one).
    NotAbove(u32),
    /// More lines than this many.
    Lines(usize),
    /// A promotion that adds nothing (100 % and no bonus).
    NoBoost,
    /// A time window that ends before it starts.
    UntilBeforeFrom,
    /// Already as many as allowed (this many).
    TooMany(usize),
    /// A line of a table that is not a code and a number of points (its number, from 1).
    BadRow(u32),
    /// A line of a table whose code an earlier line has (its number).
    ListedTwice(u32),
    /// The check of the configuration refused it for a reason of its own.
    Refused,
}

/// A field of a set-up form and what is wrong with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub problem: Problem,
}

/// Turns a configuration error into the error of form field `field` (the bounds of a range
/// are read from the domain's own message, so they are stated in one place).
pub(crate) fn named(field: &'static str, e: &ConfigError) -> FieldError {
    let m = e.message.as_str();
    let numbers: Vec<u32> = m
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let problem = if m.starts_with("must be a colour") {
        Problem::NotAColour
    } else if m.starts_with("must be an IANA time zone") {
        Problem::UnknownZone
    } else if m.starts_with("must be between") || m.starts_with("must be 1 to") {
        match (numbers.first(), numbers.get(1)) {
            (Some(&a), Some(&b)) if m.contains("characters") => Problem::Text(b.max(a) as usize),
            (Some(&a), Some(&b)) => Problem::OutOfRange(a, b),
            (Some(&a), None) if m.contains("characters") => Problem::Text(a as usize),
            _ => Problem::Refused,
        }
    } else {
        Problem::Refused
    };
    FieldError { field, problem }
}

/// Reads a whole number typed into form field `field`.
pub(crate) fn whole(field: &'static str, raw: &str) -> Result<u32, FieldError> {
    raw.trim().parse().map_err(|_| FieldError {
        field,
        problem: if raw.trim().is_empty() {
            Problem::Missing
        } else {
            Problem::NotANumber
        },
    })
}

/// Lays new colours over `current` (the logo is kept) through the API's branding checks.
pub fn branding(
    current: &Branding,
    primary: &str,
    accent: &str,
) -> Result<Branding, Vec<FieldError>> {
    let draft = |p: &str, a: &str| BrandingDraft {
        primary_color: p.trim().to_owned(),
        accent_color: a.trim().to_owned(),
        logo_url: current.logo_url.clone(),
        tone: current.tone,
        stamp_icon: current.stamp_icon,
    };
    let mut errors = Vec::new();
    // Each colour on its own, so both can be named at once.
    for (field, p, a) in [
        ("primary", primary, current.accent_color.as_str()),
        ("accent", current.primary_color.as_str(), accent),
    ] {
        if let Err(e) = Branding::try_from(draft(p, a)) {
            errors.push(named(field, &e));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Branding::try_from(draft(primary, accent)).map_err(|e| vec![named("primary", &e)])
}

/// Sets the logo to a stored image's path (through the API's branding checks).
pub fn with_logo(current: &Branding, path: &str) -> Result<Branding, FieldError> {
    Branding::try_from(BrandingDraft {
        primary_color: current.primary_color.clone(),
        accent_color: current.accent_color.clone(),
        logo_url: Some(path.to_owned()),
        tone: current.tone,
        stamp_icon: current.stamp_icon,
    })
    .map_err(|e| named("logo", &e))
}

/// The earn step as posted.
#[derive(Debug, Clone, Default)]
pub struct EarnForm {
    pub mode: String,
    pub card_size: String,
    pub per_visit: String,
    pub card_reward: String,
    pub per_unit: String,
}

impl EarnForm {
    /// The form's values for a program in force (or the defaults: 8 stamps, a free coffee).
    pub fn of(l: Language, program: &Program, mode: Option<Mode>) -> EarnForm {
        let mode = mode.unwrap_or_else(|| Mode::of(program));
        let reward = if program.card_reward == Program::default().card_reward {
            l.pick("a free coffee", "darmowa kawa").to_owned()
        } else {
            program.card_reward.clone()
        };
        EarnForm {
            mode: mode.as_str().into(),
            card_size: program.stamp_card_size.to_string(),
            per_visit: program.stamps_per_visit.max(1).to_string(),
            card_reward: reward,
            per_unit: program.points_per_major_unit.max(1).to_string(),
        }
    }

    /// The program with the chosen way of earning, checked as the API checks a program.
    pub fn parse(&self, program: &Program) -> Result<(Mode, ProgramDraft), Vec<FieldError>> {
        let Some(mode) = Mode::parse(&self.mode) else {
            return Err(vec![FieldError {
                field: "mode",
                problem: Problem::UnknownChoice,
            }]);
        };
        let mut json = serde_json::to_value(program).map_err(|_| vec![refused("mode")])?;
        let Some(object) = json.as_object_mut() else {
            return Err(vec![refused("mode")]);
        };
        let mut errors = Vec::new();
        let mut set = |key: &str, v: serde_json::Value| {
            object.insert(key.to_owned(), v);
        };
        // Which program field each form field becomes, so the checks' errors come back to it.
        let mut fields: Vec<(&str, &'static str)> = Vec::new();
        match mode {
            Mode::Stamps => {
                let size = whole("card_size", &self.card_size).map_err(|e| errors.push(e));
                let visit = whole("per_visit", &self.per_visit).map_err(|e| errors.push(e));
                if self.card_reward.trim().is_empty() {
                    errors.push(FieldError {
                        field: "card_reward",
                        problem: Problem::Missing,
                    });
                }
                if visit == Ok(0) {
                    errors.push(FieldError {
                        field: "per_visit",
                        problem: Problem::EarnsNothing,
                    });
                }
                if let (Ok(size), Ok(visit)) = (size, visit) {
                    set("stamp_card_size", size.into());
                    set("stamps_per_visit", visit.into());
                    set("stamps_per_purchase", visit.into());
                }
                set("card_reward", self.card_reward.trim().into());
                set("points_per_major_unit", 0.into());
                fields.extend([
                    ("stamp_card_size", "card_size"),
                    ("stamps_per_visit", "per_visit"),
                    ("stamps_per_purchase", "per_visit"),
                    ("card_reward", "card_reward"),
                ]);
            }
            Mode::Points | Mode::Cashback => {
                match whole("per_unit", &self.per_unit) {
                    Ok(0) => errors.push(FieldError {
                        field: "per_unit",
                        problem: Problem::EarnsNothing,
                    }),
                    Ok(n) => set("points_per_major_unit", n.into()),
                    Err(e) => errors.push(e),
                }
                set("stamps_per_visit", 0.into());
                set("stamps_per_purchase", 0.into());
                fields.push(("points_per_major_unit", "per_unit"));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let draft: ProgramDraft =
            serde_json::from_value(json).map_err(|_| vec![refused("mode")])?;
        match Program::try_from(draft.clone()) {
            Ok(_) => Ok((mode, draft)),
            Err(e) => {
                let key = e.field.trim_start_matches("program.");
                let field = fields
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map_or("mode", |(_, f)| *f);
                Err(vec![named(field, &e)])
            }
        }
    }
}

/// Reads a whole number typed into `field` that must be from `min` to `max`; when it is not,
/// the problem goes to `errors` and 0 comes back (the form is refused anyway).
pub(crate) fn bounded(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    raw: &str,
    min: u32,
    max: u32,
) -> u32 {
    match whole(field, raw) {
        Ok(n) if (min..=max).contains(&n) => n,
        Ok(_) => {
            errors.push(FieldError {
                field,
                problem: Problem::OutOfRange(min, max),
            });
            0
        }
        Err(e) => {
            errors.push(e);
            0
        }
    }
}

/// Lays `set` (program keys and their new values) over `program` and checks the result as the
/// API checks a program; a refusal comes back on the form field `fields` maps its key to (else
/// on `fallback`).
pub(crate) fn redraft(
    program: &Program,
    set: Vec<(&str, serde_json::Value)>,
    fields: &[(&str, &'static str)],
    fallback: &'static str,
) -> Result<ProgramDraft, Vec<FieldError>> {
    let mut json = serde_json::to_value(program).map_err(|_| vec![refused(fallback)])?;
    let Some(object) = json.as_object_mut() else {
        return Err(vec![refused(fallback)]);
    };
    for (key, value) in set {
        object.insert(key.to_owned(), value);
    }
    let draft: ProgramDraft = serde_json::from_value(json).map_err(|_| vec![refused(fallback)])?;
    match Program::try_from(draft.clone()) {
        Ok(_) => Ok(draft),
        Err(e) => {
            let key = e.field.trim_start_matches("program.");
            let field = fields
                .iter()
                .find(|(k, _)| key == *k || key.starts_with(&format!("{k}.")))
                .map_or(fallback, |(_, f)| *f);
            Err(vec![named(field, &e)])
        }
    }
}

pub(crate) fn refused(field: &'static str) -> FieldError {
    FieldError {
        field,
        problem: Problem::Refused,
    }
}

/// The most rewards the set-up form adds at once.
pub const REWARD_ROWS: usize = 3;

/// A row of the rewards step as posted: a name and, unless a full stamp card pays for it, a
/// cost in points; in cashback mode the first row is money back.
#[derive(Debug, Clone, Default)]
pub struct RewardRow {
    pub name: String,
    pub points: String,
    /// Money back, in the merchant's currency as typed (cashback mode, first row).
    pub amount: String,
}

/// Field names of reward row `i` (0-based): name, points, amount.
pub fn reward_fields(i: usize) -> (&'static str, &'static str, &'static str) {
    match i {
        0 => ("name1", "points1", "amount1"),
        1 => ("name2", "points2", "amount2"),
        _ => ("name3", "points3", "amount3"),
    }
}

/// The rows the form starts with for `mode`: one good first reward.
pub fn default_rewards(
    l: Language,
    mode: Mode,
    program: &Program,
    currency: &Currency,
) -> Vec<RewardRow> {
    let first = match mode {
        Mode::Stamps => RewardRow {
            name: if program.card_reward == Program::default().card_reward {
                l.pick("A free coffee", "Darmowa kawa").into()
            } else {
                program.card_reward.clone()
            },
            ..RewardRow::default()
        },
        Mode::Points => RewardRow {
            name: l.pick("A free coffee", "Darmowa kawa").into(),
            points: "100".into(),
            ..RewardRow::default()
        },
        Mode::Cashback => RewardRow {
            name: l.pick("Money back", "Zwrot pieniędzy").into(),
            points: "100".into(),
            amount: currency
                .format(5 * 10i64.pow(u32::from(currency.minor_units)))
                .split(' ')
                .next()
                .unwrap_or("5")
                .to_owned(),
        },
    };
    let mut rows = vec![first];
    rows.resize(REWARD_ROWS, RewardRow::default());
    rows
}

/// Checks the rows (empty ones are left out) as the API checks a reward: all or nothing.
pub fn rewards(
    mode: Mode,
    currency: &Currency,
    rows: &[RewardRow],
) -> Result<Vec<Reward>, Vec<FieldError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, row) in rows.iter().enumerate().take(REWARD_ROWS) {
        let (name_f, points_f, amount_f) = reward_fields(i);
        if row.name.trim().is_empty() {
            continue;
        }
        let cashback = mode == Mode::Cashback && i == 0;
        let points = if mode == Mode::Stamps {
            None
        } else {
            match whole(points_f, &row.points) {
                Ok(p) => Some(p),
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            }
        };
        let value = if cashback {
            match currency.parse_amount(&row.amount) {
                Some(v) => Some(v),
                None => {
                    errors.push(FieldError {
                        field: amount_f,
                        problem: Problem::NotAnAmount,
                    });
                    continue;
                }
            }
        } else {
            None
        };
        let draft = RewardDraft {
            name: row.name.clone(),
            kind: if cashback { "cashback" } else { "free_item" }.into(),
            value,
            coupon_code: None,
            cost_points: points,
            cost_stamp_card: points.is_none(),
            starts_at: None,
            ends_at: None,
            stock: None,
            per_member_limit: None,
            active: true,
            image: None,
            description: None,
        };
        match Reward::try_from(draft) {
            Ok(r) => out.push(r),
            Err(e) => {
                let field = match e.field.as_str() {
                    "name" => name_f,
                    "value" => amount_f,
                    _ => points_f,
                };
                errors.push(named(field, &e));
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The locations step as posted.
#[derive(Debug, Clone, Default)]
pub struct LocationsForm {
    pub time_zone: String,
    /// The names of the locations there are, in number order (renamed as typed).
    pub names: Vec<String>,
    /// A new location's name (empty: none).
    pub new: String,
}

/// The checked locations step: the profile with its time zone, renames and a new location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locations {
    pub profile: Profile,
    /// (number, name) of locations whose name changed.
    pub renamed: Vec<(u8, String)>,
    pub new: Option<String>,
}

/// Field name of the name of location number `n` (1-based).
pub fn location_field(n: u8) -> String {
    format!("location{n}")
}

impl LocationsForm {
    /// Checks the time zone (through `Profile::patched`, as the API) and every name.
    pub fn parse(
        &self,
        profile: &Profile,
        locations: &[(u8, String)],
    ) -> Result<Locations, Vec<FieldError>> {
        let mut errors = Vec::new();
        let patch = ProfilePatch {
            name: None,
            branding: None,
            time_zone: Some(self.time_zone.clone()),
            currency: None,
        };
        let profile = profile
            .patched(patch)
            .map_err(|e| errors.push(named("time_zone", &e)))
            .ok();
        let mut renamed = Vec::new();
        for ((number, old), typed) in locations.iter().zip(&self.names) {
            match super::program::check_location_name(typed.clone()) {
                Ok(name) if name != *old => renamed.push((*number, name)),
                Ok(_) => {}
                // The field's name is made per location; the error names the first bad one.
                Err(e) => errors.push(named("locations", &e)),
            }
        }
        let new = if self.new.trim().is_empty() {
            None
        } else {
            super::program::check_location_name(self.new.clone())
                .map_err(|e| errors.push(named("new", &e)))
                .ok()
        };
        match profile {
            Some(profile) if errors.is_empty() => Ok(Locations {
                profile,
                renamed,
                new,
            }),
            _ => Err(errors),
        }
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

    #[test]
    fn progress_reads_back_and_resumes_at_the_first_open_step() {
        let p = Progress::parse("business:done,earn:skipped:points,print:done,x:y,rewards:odd");
        assert_eq!(p.state(Step::Business), State::Done);
        assert_eq!(p.state(Step::Earn), State::Skipped);
        assert_eq!(p.state(Step::Rewards), State::ToDo);
        assert_eq!(p.resume(), Some(Step::Rewards));
        assert_eq!(p.mode, Some(Mode::Points));
        assert_eq!(Progress::parse("").resume(), Some(Step::Business));
        let all = Step::ALL.map(|s| format!("{}:done", s.slug())).join(",");
        assert_eq!(Progress::parse(&all).resume(), None);
        assert_eq!(Step::Business.next(), Some(Step::Earn));
        assert_eq!(Step::Print.next(), None);
        assert_eq!(Step::Print.number(), 5);
    }

    #[test]
    fn colours_go_through_the_apis_checks_and_both_are_named() {
        let b = branding(&Branding::default(), "#AABBCC", " #112233 ").unwrap();
        assert_eq!(
            (b.primary_color.as_str(), b.accent_color.as_str()),
            ("#aabbcc", "#112233")
        );
        let both = branding(&Branding::default(), "red", "#12").unwrap_err();
        assert_eq!(
            both,
            [
                FieldError {
                    field: "primary",
                    problem: Problem::NotAColour
                },
                FieldError {
                    field: "accent",
                    problem: Problem::NotAColour
                }
            ]
        );
        let logo = with_logo(&b, "/files/0a0b0c0d/".to_owned().as_str());
        assert!(logo.is_err(), "only a stored image's path or an https URL");
    }

    #[test]
    fn the_default_earn_step_is_eight_stamps_for_a_free_coffee() {
        let p = Program::default();
        let f = EarnForm::of(Language::Pl, &p, None);
        assert_eq!((f.mode.as_str(), f.card_size.as_str()), ("stamps", "8"));
        assert_eq!(f.card_reward, "darmowa kawa");
        let (mode, draft) = f.parse(&p).unwrap();
        let program = Program::try_from(draft).unwrap();
        assert_eq!(mode, Mode::Stamps);
        assert_eq!(program.stamp_card_size, 8);
        assert_eq!(program.card_reward, "darmowa kawa");
        assert_eq!(program.points_per_major_unit, 0);
    }

    #[test]
    fn earn_errors_name_the_field_with_the_programs_own_bounds() {
        let p = Program::default();
        let bad = EarnForm {
            card_size: "70".into(),
            ..EarnForm::of(Language::En, &p, None)
        };
        assert_eq!(
            bad.parse(&p).unwrap_err(),
            [FieldError {
                field: "card_size",
                problem: Problem::OutOfRange(1, 50)
            }]
        );
        let typo = EarnForm {
            mode: "points".into(),
            per_unit: "x".into(),
            ..EarnForm::default()
        };
        assert_eq!(typo.parse(&p).unwrap_err()[0].problem, Problem::NotANumber);
        let points = EarnForm {
            mode: "cashback".into(),
            per_unit: "2".into(),
            ..EarnForm::default()
        };
        let (mode, draft) = points.parse(&p).unwrap();
        let program = Program::try_from(draft).unwrap();
        assert_eq!(
            (
                mode,
                program.points_per_major_unit,
                program.stamps_per_visit
            ),
            (Mode::Cashback, 2, 0)
        );
        let unknown = EarnForm {
            mode: "magic".into(),
            ..EarnForm::default()
        };
        assert_eq!(
            unknown.parse(&p).unwrap_err()[0].problem,
            Problem::UnknownChoice
        );
    }

    #[test]
    fn rewards_are_checked_all_or_nothing_and_empty_rows_left_out() {
        let rows = default_rewards(Language::En, Mode::Cashback, &Program::default(), &pln());
        assert_eq!(rows[0].amount, "5.00");
        let ok = rewards(Mode::Cashback, &pln(), &rows).unwrap();
        assert_eq!(ok.len(), 1, "the empty rows are left out");
        assert_eq!(
            ok[0].gift,
            crate::domain::reward::Gift::Cashback { value: 500 }
        );
        let stamps = rewards(
            Mode::Stamps,
            &pln(),
            &[
                RewardRow {
                    name: "Kawa".into(),
                    ..RewardRow::default()
                },
                RewardRow::default(),
            ],
        )
        .unwrap();
        assert_eq!(stamps.len(), 1);
        let bad = rewards(
            Mode::Points,
            &pln(),
            &[
                RewardRow {
                    name: "Kawa".into(),
                    points: "100".into(),
                    ..RewardRow::default()
                },
                RewardRow {
                    name: "x".repeat(81),
                    points: "5".into(),
                    ..RewardRow::default()
                },
                RewardRow {
                    name: "Ciastko".into(),
                    points: "".into(),
                    ..RewardRow::default()
                },
            ],
        )
        .unwrap_err();
        assert_eq!(
            bad,
            [
                FieldError {
                    field: "name2",
                    problem: Problem::Text(80)
                },
                FieldError {
                    field: "points3",
                    problem: Problem::Missing
                }
            ]
        );
    }

    #[test]
    fn locations_check_the_zone_as_the_api_does() {
        let profile = Profile {
            name: "Ala".into(),
            branding: Branding::default(),
            time_zone: "Europe/Warsaw".into(),
        };
        let locations = [(1, "Ala".to_owned())];
        let form = LocationsForm {
            time_zone: "Europe/Berlin".into(),
            names: vec!["Rynek".into()],
            new: "Dworzec".into(),
        };
        let ok = form.parse(&profile, &locations).unwrap();
        assert_eq!(ok.profile.time_zone, "Europe/Berlin");
        assert_eq!(ok.renamed, [(1, "Rynek".to_owned())]);
        assert_eq!(ok.new.as_deref(), Some("Dworzec"));
        let bad = LocationsForm {
            time_zone: "Mars/Base".into(),
            names: vec![String::new()],
            new: String::new(),
        };
        let fields: Vec<_> = bad
            .parse(&profile, &locations)
            .unwrap_err()
            .iter()
            .map(|e| (e.field, e.problem))
            .collect();
        assert_eq!(
            fields,
            [
                ("time_zone", Problem::UnknownZone),
                ("locations", Problem::Text(80))
            ]
        );
    }
}
