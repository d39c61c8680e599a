//! The console's levels (`/console/earning/tiers`): the program's tiers as fields, saved as a
//! new program version through the API's own checks (`domain::tiers_form` over
//! `Program::try_from`, then `routes::program::store`). The console router has already checked
//! the session, the role, and for changes the origin and the CSRF token.

use worker::Response;

use super::console::{Desk, Person};
use crate::domain::program::Program;
use crate::domain::setup::FieldError;
use crate::domain::tiers_form::TiersForm;
use crate::shell::app::App;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::tiers;
use crate::view::tiers::{self as view, TiersView};

async fn render(
    app: &App,
    person: &Person,
    desk: &Desk,
    form: &TiersForm,
    errors: &[FieldError],
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let program = &desk.config.program;
    let on_level = if program.tiers.enabled() {
        tiers::on_each_level(
            &app.db,
            &person.merchant.to_string(),
            program.tiers.levels.len(),
        )
        .await?
    } else {
        Vec::new()
    };
    let v = TiersView {
        form,
        errors,
        on_level: &on_level,
        notice,
    };
    let status = if errors.is_empty() { 200 } else { 422 };
    http::html(
        status,
        view::tiers(person.language, &desk.frame(person), program, &v),
    )
}

/// `GET /console/earning/tiers`.
pub(super) async fn show(app: &App, person: &Person, desk: &Desk) -> Result<Response, AppError> {
    let form = TiersForm::of(&desk.config.program.tiers, person.language);
    render(app, person, desk, &form, &[], None).await
}

/// `POST /console/earning/tiers`: the levels as a new program version, audited by name; a
/// refused form comes back with the input kept and nothing written.
pub(super) async fn change(
    app: &App,
    person: &Person,
    fields: &[(String, String)],
) -> Result<Response, AppError> {
    let l = person.language;
    let desk = Desk::open(app, person).await?;
    let form = TiersForm::read(|name| http::form_field(fields, name));
    let draft = match form.parse(&desk.config.program) {
        Ok(d) => d,
        Err(errors) => return render(app, person, &desk, &form.with_blanks(), &errors, None).await,
    };
    if Program::try_from(draft.clone()).is_ok_and(|p| p == desk.config.program) {
        let notice = l.pick(
            "Nothing to save: the levels are as they were.",
            "Nie ma nic do zapisania: poziomy są bez zmian.",
        );
        return render(app, person, &desk, &form.with_blanks(), &[], Some(notice)).await;
    }
    let config = super::program::store(app, person.merchant, draft).await?;
    app.db.place(person.merchant);
    super::tills::record(
        app,
        person,
        "tiers_changed",
        "",
        &serde_json::json!({ "version": config.program_version }),
    )
    .await?;
    let desk = Desk::open(app, person).await?;
    let saved = TiersForm::of(&desk.config.program.tiers, person.language);
    let notice = l.pick(
        "The levels are saved: each customer moves to their level at their next visit or purchase.",
        "Zapisano poziomy: każdy klient przejdzie na swój poziom przy następnej wizycie lub zakupie.",
    );
    render(app, person, &desk, &saved, &[], Some(notice)).await
}
