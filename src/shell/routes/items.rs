//! The console's points per item (`/console/earning/items`): the table, its CSV download, and
//! its replacement from a pasted table or an uploaded CSV file, saved as a new program version
//! through the API's own checks (`domain::items_form` over `Program::try_from`, then
//! `routes::program::store`). The console router has already checked the session, the role,
//! and for changes the origin and the CSRF token.

use worker::Response;

use super::console::{Desk, Person};
use crate::domain::items_form;
use crate::domain::setup::FieldError;
use crate::shell::app::App;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::view::items::{self as view, ItemsView};

fn page(
    person: &Person,
    desk: &Desk,
    table: &str,
    errors: &[FieldError],
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let v = ItemsView {
        rules: &desk.config.program.item_points,
        table,
        errors,
        notice,
    };
    let status = if errors.is_empty() { 200 } else { 422 };
    http::html(status, view::page(person.language, &desk.frame(person), &v))
}

/// `GET /console/earning/items`.
pub(super) fn show(person: &Person, desk: &Desk) -> Result<Response, AppError> {
    let rules = &desk.config.program.item_points;
    let table = if rules.is_empty() {
        String::new()
    } else {
        items_form::to_csv(rules)
    };
    page(person, desk, &table, &[], None)
}

/// `GET /console/earning/items.csv`.
pub(super) fn csv(desk: &Desk) -> Result<Response, AppError> {
    let resp = Response::ok(items_form::to_csv(&desk.config.program.item_points))?;
    let h = resp.headers();
    h.set("content-type", "text/csv; charset=utf-8")?;
    h.set(
        "content-disposition",
        "attachment; filename=\"points-per-item.csv\"",
    )?;
    h.set("cache-control", "no-store")?;
    h.set("x-content-type-options", "nosniff")?;
    Ok(resp)
}

/// `POST /console/earning/items`: the table (or the file, when one was chosen) replaces the
/// items; a refused table comes back as typed with each bad line named, nothing written.
pub(super) async fn change(
    app: &App,
    person: &Person,
    fields: &[(String, String)],
    file: Option<Vec<u8>>,
) -> Result<Response, AppError> {
    let desk = Desk::open(app, person).await?;
    let typed = http::form_field(fields, items_form::FIELD).unwrap_or_default();
    let table = match file.filter(|f| !f.is_empty()) {
        Some(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        None => typed,
    };
    let draft = match items_form::parse(&desk.config.program, &table) {
        Ok(d) => d,
        Err(errors) => return page(person, &desk, &table, &errors, None),
    };
    let config = super::program::store(app, person.merchant, draft).await?;
    app.db.place(person.merchant);
    super::tills::record(
        app,
        person,
        "items_changed",
        "",
        &serde_json::json!({ "version": config.program_version, "items": config.program.item_points.len() }),
    )
    .await?;
    let desk = Desk::open(app, person).await?;
    let notice = view::saved(person.language, desk.config.program.item_points.len());
    let rules = &desk.config.program.item_points;
    let table = if rules.is_empty() {
        String::new()
    } else {
        items_form::to_csv(rules)
    };
    page(person, &desk, &table, &[], Some(&notice))
}
