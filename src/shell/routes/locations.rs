//! The console's locations (`/console/locations`): each location with its posters and the
//! tills paired there, renamed or added, and the time zone, through the set-up's own checks
//! (`domain::setup::LocationsForm` over `Profile::patched`), audited by name. The console
//! router has already checked the session, the role, the origin and the CSRF token.

use worker::Response;

use super::console::{Desk, Person};
use crate::domain::setup::{FieldError, LocationsForm};
use crate::shell::app::App;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::{people, tills};
use crate::view::locations::{self as view, LocationLine, LocationsView};

async fn render(
    app: &App,
    person: &Person,
    desk: &Desk,
    typed: Option<&LocationsForm>,
    errors: &[FieldError],
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let c = &desk.config;
    people::directory(&app.db);
    let paired = tills::list(&app.db, &person.merchant.to_string(), app.now_ms).await?;
    let lines: Vec<LocationLine> = c
        .locations
        .iter()
        .enumerate()
        .map(|(i, (n, name))| LocationLine {
            number: *n,
            name: typed
                .and_then(|t| t.names.get(i).cloned())
                .unwrap_or_else(|| name.clone()),
            tills: paired
                .iter()
                .filter(|t| t.location == i64::from(*n))
                .map(|t| t.label.clone())
                .collect(),
        })
        .collect();
    let zones = super::setup::zones();
    let v = LocationsView {
        zones: &zones,
        time_zone: typed.map_or(c.time_zone.as_str(), |t| t.time_zone.as_str()),
        locations: &lines,
        new: typed.map_or("", |t| t.new.as_str()),
        errors,
        notice,
    };
    let status = if errors.is_empty() { 200 } else { 422 };
    http::html(status, view::page(person.language, &desk.frame(person), &v))
}

/// `GET /console/locations`.
pub(super) async fn show(app: &App, person: &Person, desk: &Desk) -> Result<Response, AppError> {
    render(app, person, desk, None, &[], None).await
}

/// `POST /console/locations`.
pub(super) async fn change(
    app: &App,
    person: &Person,
    fields: &[(String, String)],
) -> Result<Response, AppError> {
    let l = person.language;
    let desk = Desk::open(app, person).await?;
    let c = &desk.config;
    let (form, profile) = super::setup::locations_form(fields, c);
    let checked = match form.parse(&profile, &c.locations) {
        Ok(k) => k,
        Err(errors) => return render(app, person, &desk, Some(&form), &errors, None).await,
    };
    let changed = checked.profile.time_zone != c.time_zone
        || !checked.renamed.is_empty()
        || checked.new.is_some();
    if !changed {
        let notice = l.pick(
            "Nothing to save: the locations are as they were.",
            "Nie ma nic do zapisania: lokale są bez zmian.",
        );
        return render(app, person, &desk, None, &[], Some(notice)).await;
    }
    super::setup::save_locations(app, person, &checked).await?;
    super::tills::record(
        app,
        person,
        "locations_changed",
        "",
        &serde_json::json!({ "new": checked.new, "renamed": checked.renamed.len(), "time_zone": checked.profile.time_zone }),
    )
    .await?;
    let desk = Desk::open(app, person).await?;
    let notice = l.pick("The locations are saved.", "Zapisano lokale.");
    render(app, person, &desk, None, &[], Some(notice)).await
}
