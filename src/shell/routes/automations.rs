//! The console's automations (`/console/automations`): the program's sequences as cards, what
//! each gave in the last 30 days, switching one on or off, changing its numbers, and adding a
//! ready-made one; each change is a new program version through the API's own checks
//! (`domain::automation_form` over `Program::try_from`, then `routes::program::store`), audited
//! by name. The console router has already checked the session, the role, the origin and the
//! CSRF token.

use worker::Response;

use super::console::{Desk, Person};
use crate::domain::automation_form::{self as form, AutomationForm};
use crate::domain::program::ProgramDraft;
use crate::domain::setup::FieldError;
use crate::shell::app::App;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::sequences as store;
use crate::view::automations::{self as view, AutomationLine};

/// The window a sequence's gifts are counted over, in days.
const DAYS: i64 = 30;

async fn render(
    app: &App,
    person: &Person,
    desk: &Desk,
    typed: Option<(&str, &AutomationForm, &[FieldError])>,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let counts = store::counts_since(
        &app.db,
        &person.merchant.to_string(),
        app.now_ms - DAYS * 86_400_000,
    )
    .await?;
    let program = &desk.config.program;
    let lines: Vec<AutomationLine<'_>> = program
        .sequences
        .iter()
        .map(|s| {
            let runs = store::runs_of(&counts, &s.id);
            let mine = typed.filter(|(id, _, _)| *id == s.id);
            AutomationLine {
                sequence: s,
                given: runs.given,
                waiting: runs.waiting,
                form: mine.map(|(_, f, _)| f),
                errors: mine.map_or(&[], |(_, _, e)| e),
            }
        })
        .collect();
    let suggestions = form::missing_defaults(program);
    let status = if typed.is_some() { 422 } else { 200 };
    http::html(
        status,
        view::page(
            person.language,
            &desk.frame(person),
            &lines,
            &suggestions,
            &program.tiers,
            notice,
        ),
    )
}

/// `GET /console/automations`.
pub(super) async fn show(app: &App, person: &Person, desk: &Desk) -> Result<Response, AppError> {
    render(app, person, desk, None, None).await
}

async fn save(
    app: &App,
    person: &Person,
    draft: ProgramDraft,
    id: &str,
    what: &str,
) -> Result<Response, AppError> {
    let l = person.language;
    let config = super::program::store(app, person.merchant, draft).await?;
    let trigger = config
        .program
        .sequences
        .iter()
        .find(|s| s.id == id)
        .map(|s| s.trigger);
    let title = |l| trigger.map(|t| view::title(l, t)).unwrap_or_default();
    app.db.place(person.merchant);
    super::tills::record(
        app,
        person,
        "automation_changed",
        id,
        &serde_json::json!({
            "id": id,
            "what": what,
            "title_en": title(crate::domain::language::Language::En),
            "title_pl": title(crate::domain::language::Language::Pl),
        }),
    )
    .await?;
    let desk = Desk::open(app, person).await?;
    let notice = l.pick(
        "Saved: it counts from the next visit or purchase.",
        "Zapisano: obowiązuje od następnej wizyty lub zakupu.",
    );
    render(app, person, &desk, None, Some(notice)).await
}

/// `POST /console/automations/add` and `/console/automations/{id}`.
pub(super) async fn change(
    app: &App,
    person: &Person,
    fields: &[(String, String)],
    segments: &[&str],
) -> Result<Response, AppError> {
    let desk = Desk::open(app, person).await?;
    let program = &desk.config.program;
    let get = |name: &str| http::form_field(fields, name).unwrap_or_default();
    match segments {
        ["console", "automations", "add"] => {
            let id = get("id");
            let draft = form::with_default(program, &id).ok_or(AppError::NotFound)?;
            save(app, person, draft, &id, "added").await
        }
        ["console", "automations", id] => {
            let switch = get("switch");
            if !switch.is_empty() {
                let on = switch == "on";
                let draft = form::switched(program, id, on).ok_or(AppError::NotFound)?;
                return save(app, person, draft, id, if on { "on" } else { "off" }).await;
            }
            if !program.sequences.iter().any(|s| s.id == *id) {
                return Err(AppError::NotFound);
            }
            let typed = AutomationForm {
                n: get("n"),
                delay_hours: get("delay_hours"),
                points: get("points"),
                stamps: get("stamps"),
                message: get("message"),
                consent: get("consent"),
                not_returned: get("not_returned"),
                min_tier: get("min_tier"),
                subject: get("subject"),
                text: get("text"),
            };
            match typed.parse(program, id) {
                Ok(draft) => save(app, person, draft, id, "changed").await,
                Err(errors) => render(app, person, &desk, Some((id, &typed, &errors)), None).await,
            }
        }
        _ => Err(AppError::NotFound),
    }
}
