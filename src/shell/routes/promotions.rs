//! The console's promotions (`/console/earning/promotions`): add one, change one, delete one
//! after a confirmation, each saved as a new program version through the API's own checks
//! (`domain::promo_form` over `Program::try_from`, then `routes::program::store`). A promotion
//! is addressed by a fingerprint of its content, so a stale page never changes another one.
//! The console router has already checked the session, the role, and for changes the origin
//! and the CSRF token.

use worker::Response;

use super::console::{Desk, Person};
use crate::domain::program::ProgramDraft;
use crate::domain::promo_form::{self, PromoForm};
use crate::domain::setup::FieldError;
use crate::shell::app::App;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::view::promotions::{self as view, PromotionsView};

fn page(
    app: &App,
    person: &Person,
    desk: &Desk,
    form: &PromoForm,
    editing: Option<&str>,
    errors: &[FieldError],
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let c = &desk.config;
    let tz = c.tz();
    let today = chrono::DateTime::from_timestamp_millis(app.now_ms)
        .map(|t| t.with_timezone(&tz).date_naive())
        .unwrap_or_default();
    let v = PromotionsView {
        promotions: &c.program.promotions,
        today,
        zone: tz.name(),
        form,
        editing,
        errors,
        notice,
        earns_points: c.program.points_per_major_unit > 0,
    };
    let status = if errors.is_empty() { 200 } else { 422 };
    http::html(status, view::page(person.language, &desk.frame(person), &v))
}

/// `GET /console/earning/promotions[/{id}[/delete]]`.
pub(super) async fn show(
    app: &App,
    person: &Person,
    desk: &Desk,
    segments: &[&str],
) -> Result<Response, AppError> {
    let promotions = &desk.config.program.promotions;
    match segments {
        [_, _, _] => page(app, person, desk, &PromoForm::new_one(), None, &[], None),
        [_, _, _, id] => {
            let at = promo_form::find(promotions, id).ok_or(AppError::NotFound)?;
            let form = promotions.get(at).map(PromoForm::of).unwrap_or_default();
            page(app, person, desk, &form, Some(id), &[], None)
        }
        [_, _, _, id, "delete"] => {
            let p = promo_form::find(promotions, id)
                .and_then(|at| promotions.get(at))
                .ok_or(AppError::NotFound)?;
            http::html(
                200,
                view::confirm_delete(person.language, &desk.frame(person), id, p),
            )
        }
        _ => Err(AppError::NotFound),
    }
}

async fn save(
    app: &App,
    person: &Person,
    draft: ProgramDraft,
    name: &str,
) -> Result<Desk, AppError> {
    let config = super::program::store(app, person.merchant, draft).await?;
    app.db.place(person.merchant);
    super::tills::record(
        app,
        person,
        "promotions_changed",
        "",
        &serde_json::json!({ "version": config.program_version, "name": name }),
    )
    .await?;
    Desk::open(app, person).await
}

/// `POST /console/earning/promotions` (add), `…/{id}` (change) and `…/{id}/delete`.
pub(super) async fn change(
    app: &App,
    person: &Person,
    fields: &[(String, String)],
    segments: &[&str],
) -> Result<Response, AppError> {
    let l = person.language;
    let desk = Desk::open(app, person).await?;
    let program = &desk.config.program;
    let at = |id: &str| promo_form::find(&program.promotions, id).ok_or(AppError::NotFound);
    if let [_, _, _, id, "delete"] = segments {
        let i = at(id)?;
        let name = program
            .promotions
            .get(i)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        // Only a broken program would refuse fewer promotions; that is not the owner's error.
        let draft = promo_form::without(program, i).map_err(|_| AppError::NotFound)?;
        let desk = save(app, person, draft, &name).await?;
        let notice = match l {
            crate::domain::language::Language::En => format!("“{name}” is deleted."),
            crate::domain::language::Language::Pl => format!("Usunięto „{name}”."),
        };
        return page(
            app,
            person,
            &desk,
            &PromoForm::new_one(),
            None,
            &[],
            Some(&notice),
        );
    }
    let editing = match segments {
        [_, _, _] => None,
        [_, _, _, id] => Some((*id, at(id)?)),
        _ => return Err(AppError::NotFound),
    };
    let form = PromoForm::read(
        |name| http::form_field(fields, name),
        |name| {
            fields
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .collect()
        },
    );
    let draft = match form.parse(program, editing.map(|(_, i)| i)) {
        Ok(d) => d,
        Err(errors) => {
            return page(
                app,
                person,
                &desk,
                &form,
                editing.map(|(id, _)| id),
                &errors,
                None,
            )
        }
    };
    let name = form.name.trim().to_owned();
    let desk = save(app, person, draft, &name).await?;
    let notice = match (editing.is_some(), l) {
        (false, crate::domain::language::Language::En) => {
            format!("“{name}” is added: it counts from the next purchase in its time.")
        }
        (false, crate::domain::language::Language::Pl) => {
            format!("Dodano „{name}”: działa od następnego zakupu w swoim czasie.")
        }
        (true, crate::domain::language::Language::En) => format!("“{name}” is saved."),
        (true, crate::domain::language::Language::Pl) => format!("Zapisano „{name}”."),
    };
    page(
        app,
        person,
        &desk,
        &PromoForm::new_one(),
        None,
        &[],
        Some(&notice),
    )
}
