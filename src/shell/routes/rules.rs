//! The console's earning rules (`/console/earning`): the program's rules as fields, saved as a
//! new program version through the API's own checks (`domain::rules_form` over
//! `Program::try_from`, then `routes::program::store`, which also checks a gift's reward is in
//! the catalog). The console router (`routes::console`) has already checked the session, the
//! role, and for changes the origin and the CSRF token.

use worker::Response;

use super::console::{Desk, Person};
use crate::domain::program::Program;
use crate::domain::rules_form::RulesForm;
use crate::domain::setup::{FieldError, Problem};
use crate::shell::app::App;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::rewards;
use crate::view::rules::{self as view, RulesView};

fn form_of(get: impl Fn(&str) -> String) -> RulesForm {
    RulesForm {
        per_visit: get("per_visit"),
        per_purchase: get("per_purchase"),
        per_unit: get("per_unit"),
        cooldown_hours: get("cooldown_hours"),
        daily_cap: get("daily_cap"),
        expiry: get("expiry"),
        after_count: get("after_count"),
        after_unit: get("after_unit"),
        end_of_month: get("end_of_month"),
        inactive_days: get("inactive_days"),
        pending_days: get("pending_days"),
        negative: get("negative"),
        code_secs: get("code_secs"),
        cancel_mins: get("cancel_mins"),
        point_value: get("point_value"),
        birthday: get("birthday"),
        bday_points: get("bday_points"),
        bday_stamps: get("bday_stamps"),
        bday_reward: get("bday_reward"),
        bday_lead: get("bday_lead"),
        bday_hour: get("bday_hour"),
        bday_gift_days: get("bday_gift_days"),
        referral: get("referral"),
        ref_referrer_points: get("ref_referrer_points"),
        ref_referrer_stamps: get("ref_referrer_stamps"),
        ref_referee_points: get("ref_referee_points"),
        ref_referee_stamps: get("ref_referee_stamps"),
        ref_min: get("ref_min"),
        ref_cap: get("ref_cap"),
    }
}

/// The rewards on offer a birthday gift may be (id, name).
async fn gifts(app: &App, person: &Person) -> Result<Vec<(String, String)>, AppError> {
    Ok(
        rewards::list(&app.db, &person.merchant.to_string(), true, app.now_ms)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect(),
    )
}

fn render(
    person: &Person,
    desk: &Desk,
    rewards: &[(String, String)],
    form: &RulesForm,
    errors: &[FieldError],
    cooldown_was: &str,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let v = RulesView {
        form,
        errors,
        rewards,
        cooldown_was,
        notice,
    };
    let status = if errors.is_empty() { 200 } else { 422 };
    http::html(
        status,
        view::rules(person.language, &desk.frame(person), &desk.config, &v),
    )
}

/// `GET /console/earning`.
pub(super) async fn show(app: &App, person: &Person, desk: &Desk) -> Result<Response, AppError> {
    let c = &desk.config;
    let form = RulesForm::of(&c.program, &c.currency);
    let rewards = gifts(app, person).await?;
    render(
        person,
        desk,
        &rewards,
        &form,
        &[],
        &form.cooldown_hours,
        None,
    )
}

/// `POST /console/earning`: the rules as a new program version, audited by name; a refused
/// form comes back with the input kept and nothing written.
pub(super) async fn change(
    app: &App,
    person: &Person,
    fields: &[(String, String)],
) -> Result<Response, AppError> {
    let l = person.language;
    let desk = Desk::open(app, person).await?;
    let c = &desk.config;
    let get = |name: &str| http::form_field(fields, name).unwrap_or_default();
    let form = form_of(get);
    let was = get("cooldown_was");
    let mut rewards = gifts(app, person).await?;
    // A gift already set stays choosable even if its reward was archived since.
    if let Some(id) = &c.program.birthday.gift.reward_id {
        if !rewards.iter().any(|(r, _)| r == id) {
            rewards.push((
                id.clone(),
                l.pick("(archived reward)", "(nagroda w archiwum)").into(),
            ));
        }
    }
    let ids: Vec<String> = rewards.iter().map(|(id, _)| id.clone()).collect();
    let draft = match form.parse(&c.program, &c.currency, &ids, &was) {
        Ok(d) => d,
        Err(errors) => return render(person, &desk, &rewards, &form, &errors, &was, None),
    };
    if Program::try_from(draft.clone()).is_ok_and(|p| p == c.program) {
        let notice = l.pick(
            "Nothing to save: the rules are as they were.",
            "Nie ma nic do zapisania: zasady są bez zmian.",
        );
        return render(person, &desk, &rewards, &form, &[], &was, Some(notice));
    }
    let config = match super::program::store(app, person.merchant, draft).await {
        Ok(config) => config,
        Err(AppError::InvalidField { .. }) => {
            let e = [FieldError {
                field: "bday_reward",
                problem: Problem::UnknownChoice,
            }];
            return render(person, &desk, &rewards, &form, &e, &was, None);
        }
        Err(e) => return Err(e),
    };
    app.db.place(person.merchant);
    super::tills::record(
        app,
        person,
        "rules_changed",
        "",
        &serde_json::json!({ "version": config.program_version }),
    )
    .await?;
    let desk = Desk::open(app, person).await?;
    let saved = RulesForm::of(&desk.config.program, &desk.config.currency);
    let notice = l.pick(
        "The rules are saved: they count from the next scan or purchase.",
        "Zapisano zasady: obowiązują od następnego skanu lub zakupu.",
    );
    render(
        person,
        &desk,
        &rewards,
        &saved,
        &[],
        &saved.cooldown_hours,
        Some(notice),
    )
}
