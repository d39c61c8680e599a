//! The key-signed-in dashboard's pages under `/dashboard`, in English: the overview
//! (`view::insights`) with the referrals held for review, the member lookup and a member's
//! explained ledger (`view::customers`), each in the dashboard's own page frame, and the
//! program settings form. Pure: the route passes in what the rollups and tables hold.

use maud::{html, Markup, PreEscaped};

use super::customers::{self, Held, History, Lookup, Seat};
use super::insights::{self, Overview};
use super::page::layout_with;
use crate::domain::language::Language;
use crate::domain::program::{MerchantConfig, Program};

/// The dashboard's language: it stays in English (the console has both).
const L: Language = Language::En;

/// Renders the overview, with the referrals held for review.
pub fn overview(v: &Overview<'_>, held: &[Held]) -> String {
    let c = v.config;
    let links = html! {
        a href="/dashboard/members" { "Find a member" } " · "
        a href="/dashboard/program" { "Program settings" }
    };
    layout_with(
        L,
        &c.branding,
        &c.name,
        "Dashboard",
        html! { style { (PreEscaped(CSS)) } },
        html! {
            (insights::content(L, v, links))
            (customers::held(L, Seat::Dashboard, held))
            form method="post" action="/dashboard/sign-out" { button class="small" type="submit" { "Sign out" } }
        },
    )
}

fn back() -> Markup {
    html! { p { a href="/dashboard" { "← Dashboard" } } }
}

/// The member lookup: a search box and what it found.
pub fn members(config: &MerchantConfig, v: &Lookup<'_>) -> String {
    layout_with(
        L,
        &config.branding,
        &config.name,
        "Members",
        html! { style { (PreEscaped(CSS)) } },
        html! {
            (back())
            (customers::lookup(L, Seat::Dashboard, v))
        },
    )
}

/// A member's balance explained: the balance, then every entry with its reason and cause.
pub fn member(h: &History<'_>) -> String {
    let config = h.config;
    layout_with(
        L,
        &config.branding,
        &config.name,
        h.name,
        html! { style { (PreEscaped(CSS)) } },
        customers::history(L, Seat::Dashboard, h),
    )
}

/// The settings form of the program page: the values its fields show (current, or as typed
/// when a post failed), the problem of the last post naming its field, and whether the key may
/// change them (owner keys only).
pub struct SettingsForm {
    pub values: Vec<(&'static str, String)>,
    /// The JSON path of the field at fault (`program.stamp_card_size`) and the whole message.
    pub problem: Option<(String, String)>,
    pub editable: bool,
}

impl SettingsForm {
    /// The form of a program as it is in force.
    pub fn of(program: &Program, editable: bool) -> Self {
        SettingsForm {
            values: settings::values(program),
            problem: None,
            editable,
        }
    }

    fn value(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// The program settings: the most used settings as fields, then the whole program as JSON
/// ("advanced"); each stores a new version.
pub fn program(
    config: &MerchantConfig,
    json: &str,
    notice: Option<(bool, &str)>,
    form: &SettingsForm,
) -> String {
    layout_with(
        Language::En,
        &config.branding,
        &config.name,
        "Program settings",
        html! { style { (PreEscaped(CSS)) } },
        html! {
            (back())
            @if let Some((ok, text)) = notice {
                div class="box" role=(if ok { "status" } else { "alert" }) {
                    p class=(if ok { "ok" } else { "warn" }) { strong { (text) } }
                }
            }
            @if !form.editable {
                div class="box" { p class="warn" { "A read-only key can look at the program but not change it: sign in with an owner key." } }
            }
            (settings_form(config, form))
            form class="box" method="post" action="/dashboard/program" {
                fieldset disabled[!form.editable] {
                    h2 { "Advanced: the whole program (version " (config.program_version) ")" }
                    p class="def" { "Earn rates, stamp card, tiers, promotions, expiry, referral, birthday and sequences, as in docs/api.md. Saving stores a new version; every ledger entry keeps the version that made it." }
                    label for="program" { "Program (JSON)" }
                    textarea id="program" name="program" rows="24" spellcheck="false" { (json) }
                    button type="submit" { "Save as a new version" }
                }
            }
        },
    )
}

fn settings_form(config: &MerchantConfig, form: &SettingsForm) -> Markup {
    let problem = |field: &str| {
        form.problem
            .as_ref()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    };
    let unplaced = form
        .problem
        .as_ref()
        .filter(|(f, _)| {
            !settings::FIELDS.iter().any(|x| x.path() == *f) && f != settings::EXPIRY_PATH
        })
        .map(|(_, m)| m.as_str());
    let expiry_problem = problem(settings::EXPIRY_PATH);
    let chosen = form.value(settings::EXPIRY);
    html! {
        form class="box" method="post" action="/dashboard/program" {
            fieldset disabled[!form.editable] {
                h2 { "Settings (version " (config.program_version) ")" }
                p class="def" { "The settings most shops change. Saving changes just these on the program in force and stores it as a new version." }
                input type="hidden" name="form" value="settings";
                @if let Some(message) = unplaced { p class="err" role="alert" { (message) } }
                @for f in &settings::FIELDS {
                    @let err = problem(&f.path());
                    @let err_id = format!("{}-err", f.name);
                    label for=(f.name) { (f.label) }
                    @if f.max == 0 {
                        input type="text" id=(f.name) name=(f.name) value=(form.value(f.name)) maxlength="60"
                            aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| err_id.as_str())];
                    } @else {
                        input type="number" id=(f.name) name=(f.name) value=(form.value(f.name)) min=(f.min) max=(f.max) step="1"
                            aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| err_id.as_str())];
                    }
                    @if let Some(message) = err { p class="err" id=(err_id) role="alert" { (message) } }
                    p class="def" { (f.hint) }
                }
                label for=(settings::EXPIRY) { "Points expire" }
                select id=(settings::EXPIRY) name=(settings::EXPIRY) {
                    @for (value, words) in settings::EXPIRY_CHOICES {
                        option value=(value) selected[chosen == value] { (words) }
                    }
                }
                label for=(settings::EXPIRY_AFTER) { "… after (days or months, as chosen above)" }
                input type="number" id=(settings::EXPIRY_AFTER) name=(settings::EXPIRY_AFTER) value=(form.value(settings::EXPIRY_AFTER)) min="0" max="3650" step="1"
                    aria-invalid=[expiry_problem.map(|_| "true")] aria-describedby=[expiry_problem.map(|_| "points_expiry-err")];
                @if let Some(message) = expiry_problem { p class="err" id="points_expiry-err" role="alert" { (message) } }
                button type="submit" { "Save settings" }
            }
        }
    }
}

/// The settings form's fields: what each shows of a program, and how a post of them changes one.
pub mod settings {
    use serde_json::Value;

    use crate::domain::config::ConfigError;
    use crate::domain::ledger::ExpiryPolicy;
    use crate::domain::program::{Program, ProgramDraft};

    /// A whole-number or text field of the form, named as in the program's JSON.
    pub struct Field {
        pub name: &'static str,
        pub label: &'static str,
        pub hint: &'static str,
        /// Bounds of a number (the program's own); `max == 0`: a text field.
        pub min: u32,
        pub max: u32,
    }

    impl Field {
        /// The field's JSON path, as the program's errors name it.
        pub fn path(&self) -> String {
            format!("program.{}", self.name)
        }
    }

    /// The number and text fields, in the order the form shows them.
    pub const FIELDS: [Field; 6] = [
        Field {
            name: "points_per_major_unit",
            label: "Points per currency unit spent",
            hint: "Whole units, rounded down: 2 gives 25 points for 12.50. 0 to 1000.",
            min: 0,
            max: 1000,
        },
        Field {
            name: "stamp_card_size",
            label: "Stamps that fill a card",
            hint: "A full card is one reward. 1 to 50.",
            min: 1,
            max: 50,
        },
        Field {
            name: "card_reward",
            label: "Reward for a full card",
            hint: "As the card page words it, e.g. \"a free coffee\".",
            min: 0,
            max: 0,
        },
        Field {
            name: "visit_cooldown_secs",
            label: "Seconds before a poster visit earns again",
            hint: "14400 is 4 hours. 0 to 604800 (a week).",
            min: 0,
            max: 604_800,
        },
        Field {
            name: "visit_daily_cap",
            label: "Poster visits that earn in any 24 hours",
            hint: "0 for no cap. 0 to 24.",
            min: 0,
            max: 24,
        },
        Field {
            name: "pending_days",
            label: "Days purchase points stay pending",
            hint: "The return window before points can be spent. 0 to 90.",
            min: 0,
            max: 90,
        },
    ];

    /// The expiry choice's form name, and the number that goes with it.
    pub const EXPIRY: &str = "points_expiry";
    pub const EXPIRY_AFTER: &str = "points_expiry_after";
    /// The JSON path expiry errors name.
    pub const EXPIRY_PATH: &str = "program.points_expiry";
    /// The expiry choices: form value and words.
    pub const EXPIRY_CHOICES: [(&str, &str); 4] = [
        ("never", "never"),
        ("days_after_earning", "days after they were earned"),
        ("months_after_earning", "months after they were earned"),
        (
            "days_inactive",
            "after days without a visit or redemption (the whole balance)",
        ),
    ];

    /// The values the form shows for `program`, keyed by form name.
    pub fn values(program: &Program) -> Vec<(&'static str, String)> {
        let p = program;
        let (choice, after) = match p.points_expiry {
            ExpiryPolicy::Never => ("never", 0),
            ExpiryPolicy::AfterEarning {
                days, months: 0, ..
            } => ("days_after_earning", days),
            ExpiryPolicy::AfterEarning { months, .. } => ("months_after_earning", months),
            ExpiryPolicy::Inactivity { days } => ("days_inactive", days),
        };
        vec![
            ("points_per_major_unit", p.points_per_major_unit.to_string()),
            ("stamp_card_size", p.stamp_card_size.to_string()),
            ("card_reward", p.card_reward.clone()),
            ("visit_cooldown_secs", p.visit_cooldown_secs.to_string()),
            ("visit_daily_cap", p.visit_daily_cap.to_string()),
            ("pending_days", p.pending_days.to_string()),
            (EXPIRY, choice.to_owned()),
            (EXPIRY_AFTER, after.to_string()),
        ]
    }

    /// The values the form shows after a failed post: what was typed, else the program's own.
    pub fn typed(program: &Program, form: &[(String, String)]) -> Vec<(&'static str, String)> {
        values(program)
            .into_iter()
            .map(|(name, current)| {
                let sent = form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
                (name, sent.unwrap_or(current))
            })
            .collect()
    }

    /// Returns `program` with the posted fields changed, as a draft for the same checks and
    /// storage as the JSON form. A field not posted keeps its value; a number that is not a
    /// whole number, or an unknown expiry choice, is refused naming its field.
    pub fn apply(
        program: &Program,
        form: &[(String, String)],
    ) -> Result<ProgramDraft, ConfigError> {
        let sent = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim());
        let bad = |field: String, message: String| ConfigError { field, message };
        let mut json =
            serde_json::to_value(program).map_err(|e| bad("program".into(), e.to_string()))?;
        let Some(object) = json.as_object_mut() else {
            return Err(bad("program".into(), "is not an object".into()));
        };
        for f in &FIELDS {
            let Some(text) = sent(f.name) else { continue };
            let value = if f.max == 0 {
                Value::from(text)
            } else {
                Value::from(whole(&f.path(), text)?)
            };
            object.insert(f.name.to_owned(), value);
        }
        if let Some(choice) = sent(EXPIRY) {
            let after = whole(EXPIRY_PATH, sent(EXPIRY_AFTER).unwrap_or("0"))?;
            let end_of_month = matches!(
                program.points_expiry,
                ExpiryPolicy::AfterEarning {
                    end_of_month: true,
                    ..
                }
            );
            let policy = match choice {
                "never" => ExpiryPolicy::Never,
                "days_after_earning" => ExpiryPolicy::AfterEarning { days: after, months: 0, end_of_month },
                "months_after_earning" => ExpiryPolicy::AfterEarning { days: 0, months: after, end_of_month },
                "days_inactive" => ExpiryPolicy::Inactivity { days: after },
                other => return Err(bad(EXPIRY_PATH.into(), format!("must be never, days_after_earning, months_after_earning or days_inactive, got {other:?}"))),
            };
            let policy =
                serde_json::to_value(policy).map_err(|e| bad(EXPIRY_PATH.into(), e.to_string()))?;
            object.insert(EXPIRY.to_owned(), policy);
        }
        serde_json::from_value(json).map_err(|e| bad("program".into(), e.to_string()))
    }

    fn whole(field: &str, text: &str) -> Result<u32, ConfigError> {
        text.parse().map_err(|_| ConfigError {
            field: field.into(),
            message: format!("must be a whole number, got {text:?}"),
        })
    }
}

/// The sign-in form of the dashboard (an owner or read key).
pub fn sign_in(problem: Option<&str>) -> String {
    super::staff::key_sign_in(
        Language::En,
        "Dashboard",
        "/dashboard/sign-in",
        "Enter an owner or read-only key (lek_…). You stay signed in for 12 hours.",
        problem,
    )
}

pub(crate) const CSS: &str = "fieldset{border:0;padding:0;margin:0}ul.held{list-style:none;padding:0;margin:0}ul.held li{padding:8px 0;border-bottom:1px solid #eee}.decide form{display:inline-block;margin:6px 6px 0 0}input[type=number]{width:100%;padding:10px;font-size:1rem;border:1px solid #8c847b;border-radius:10px}textarea{width:100%;font:13px/1.4 ui-monospace,monospace;padding:10px;border:1px solid #8c847b;border-radius:10px}main{max-width:70rem}.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:12px}.kpi .big{font-size:1.8rem}.def{font-size:.8rem;color:#5f5a55;margin:.3em 0}.chart{width:100%;height:auto}th{text-align:left;padding:6px 0;border-bottom:2px solid #ddd}th+th{text-align:right}";

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> MerchantConfig {
        super::super::test_config("Lipa", &["Rynek"])
    }

    #[test]
    fn cards_show_each_figure_with_its_definition_and_sample() {
        let c = config();
        let held = [Held {
            id: "abc".into(),
            referrer: "Ala".into(),
            friend: "Jan".into(),
            reason: "velocity_device".into(),
        }];
        let page = overview(&crate::view::insights::tests::sample(&c), &held);
        assert!(page.contains(">25.0 %<"), "engagement 10/40: {page}");
        assert!(
            page.contains("+10.0 points (95%: -0.1 to +20.1): no clear difference"),
            "{page}"
        );
        assert!(page.contains(r#"action="/dashboard/referrals/abc/approve""#));
        assert!(
            !page.contains(r#"name="csrf""#),
            "key sessions carry no console token"
        );
        assert!(page.contains("many joins from one phone in a short time"));
        assert!(page.contains("sample: buyers in 90 days = 8"), "{page}");
        assert!(page.contains("active in 30 days / members"));
        assert_eq!(page.matches("<svg class=\"chart\"").count(), 3);
        assert!(page.contains(">123.45 PLN<"), "revenue axis in major units");
        assert!(page.contains(">at risk of leaving<"));
        assert!(page.contains("conversion: a visit or purchase within 14 days after the launch"));
        assert!(
            page.contains("<td>Free coffee</td><td class=\"n\">7</td><td class=\"n\">700</td>"),
            "the rewards table: {page}"
        );
    }

    #[test]
    fn an_empty_dashboard_says_when_figures_come() {
        let c = config();
        let page = overview(
            &Overview {
                config: &c,
                rolled_through: None,
                days: vec![],
                channels: vec![],
                messages: vec![("email".into(), [3, 3, 0, 2, 1, 1], Some(100_000_000))],
                segments: vec![],
                referrals: None,
                sequences: vec![],
                rewards: vec![],
                campaigns: vec![],
            },
            &[],
        );
        assert!(page.contains("No day has been rolled up yet"));
        assert!(page.contains("Nothing yet"));
        assert!(page.contains("No rewards in the catalog yet"));
        assert!(!page.contains("Referrals held for review"));
    }

    fn posted(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_settings_form_shows_each_setting_with_its_current_value() {
        let c = config();
        let page = program(&c, "{}", None, &SettingsForm::of(&c.program, true));
        for (name, value) in [
            ("points_per_major_unit", "1"),
            ("stamp_card_size", "8"),
            ("card_reward", "a free coffee"),
            ("visit_cooldown_secs", "14400"),
            ("visit_daily_cap", "2"),
            ("pending_days", "0"),
        ] {
            assert!(
                page.contains(&format!(r#"<label for="{name}">"#)),
                "{name} is labelled"
            );
            assert!(
                page.contains(&format!(r#"id="{name}" name="{name}" value="{value}""#)),
                "{name} shows {value}: {page}"
            );
        }
        assert!(
            page.contains(r#"<option value="never" selected>"#),
            "{page}"
        );
        assert!(page.contains(r#"name="form" value="settings""#));
        assert!(
            page.find("Save settings") < page.find("Advanced: the whole program"),
            "the fields come first"
        );
        assert!(!page.contains("<fieldset disabled"), "owners may edit");
    }

    #[test]
    fn a_read_only_key_sees_both_forms_disabled() {
        let c = config();
        let page = program(&c, "{}", None, &SettingsForm::of(&c.program, false));
        assert_eq!(page.matches("<fieldset disabled>").count(), 2, "{page}");
        assert!(page.contains("A read-only key can look at the program but not change it"));
    }

    #[test]
    fn a_settings_problem_is_shown_under_its_field_with_what_was_typed() {
        let c = config();
        let form = SettingsForm {
            values: settings::typed(&c.program, &posted(&[("stamp_card_size", "99")])),
            problem: Some((
                "program.stamp_card_size".into(),
                "program.stamp_card_size: must be between 1 and 50, got 99".into(),
            )),
            editable: true,
        };
        let page = program(&c, "{}", None, &form);
        assert!(page.contains(r#"value="99" min="1" max="50" step="1" aria-invalid="true" aria-describedby="stamp_card_size-err""#), "{page}");
        assert!(page.contains(r#"<p class="err" id="stamp_card_size-err" role="alert">program.stamp_card_size: must be between 1 and 50"#), "{page}");
        assert_eq!(
            page.matches(r#"aria-invalid="true""#).count(),
            1,
            "only that field is marked"
        );
    }

    #[test]
    fn posted_settings_change_just_those_fields() {
        let mut c = config();
        c.program.point_value_per_100 = 250;
        let draft = settings::apply(
            &c.program,
            &posted(&[
                ("form", "settings"),
                ("points_per_major_unit", "3"),
                ("stamp_card_size", " 10 "),
                ("card_reward", "a free cake"),
                ("points_expiry", "months_after_earning"),
                ("points_expiry_after", "12"),
            ]),
        )
        .unwrap();
        let p = crate::domain::program::Program::try_from(draft).unwrap();
        assert_eq!((p.points_per_major_unit, p.stamp_card_size), (3, 10));
        assert_eq!(p.card_reward, "a free cake");
        assert_eq!(
            p.points_expiry,
            crate::domain::ledger::ExpiryPolicy::AfterEarning {
                days: 0,
                months: 12,
                end_of_month: false
            }
        );
        assert_eq!(
            p.visit_cooldown_secs, c.program.visit_cooldown_secs,
            "not posted: kept"
        );
        assert_eq!(p.point_value_per_100, 250, "not on the form: kept");
        assert_eq!(p.tiers, c.program.tiers);
        let shown = settings::values(&p);
        assert!(shown.contains(&("points_expiry", "months_after_earning".into())));
        assert!(shown.contains(&("points_expiry_after", "12".into())));
    }

    #[test]
    fn bad_settings_are_refused_naming_the_field() {
        let c = config();
        for (pairs, field) in [
            (
                &[("points_per_major_unit", "2.5")][..],
                "program.points_per_major_unit",
            ),
            (&[("visit_daily_cap", "-1")][..], "program.visit_daily_cap"),
            (
                &[("points_expiry", "sometimes")][..],
                "program.points_expiry",
            ),
            (
                &[
                    ("points_expiry", "days_inactive"),
                    ("points_expiry_after", "x"),
                ][..],
                "program.points_expiry",
            ),
        ] {
            let e = settings::apply(&c.program, &posted(pairs)).unwrap_err();
            assert_eq!(e.field, field, "{pairs:?}: {e}");
        }
        // In range for the form's parsing, out of range for the program: its own check names it.
        let draft = settings::apply(&c.program, &posted(&[("stamp_card_size", "0")])).unwrap();
        let e = crate::domain::program::Program::try_from(draft).unwrap_err();
        assert_eq!(e.field, "program.stamp_card_size");
    }
}
