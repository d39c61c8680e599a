//! The console's settings (`/console/settings`, owners): the café's name and time zone, saved
//! through the profile's own checks (`Profile::patched`), then the cached configuration; the
//! currency shown, fixed; the programme as JSON, read only. The console router has already
//! checked the session, the role, and for changes the origin and the CSRF token.

use worker::Response;

use super::console::{Desk, Person};
use crate::domain::program::{Profile, ProfilePatch};
use crate::domain::setup::{FieldError, Problem};
use crate::shell::app::App;
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::merchants;
use crate::view::settings::{self as view, SettingsView};

fn render(
    person: &Person,
    desk: &Desk,
    name: &str,
    time_zone: &str,
    errors: &[FieldError],
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let c = &desk.config;
    let mut zones = super::setup::zones();
    if !zones.contains(&c.time_zone.as_str()) {
        zones.push(c.time_zone.as_str());
    }
    let json = serde_json::to_string_pretty(&c.program).unwrap_or_default();
    let v = SettingsView {
        name,
        time_zone,
        zones: &zones,
        currency: &c.currency.code,
        program_json: &json,
        program_version: c.program_version,
        errors,
        notice,
    };
    let status = if errors.is_empty() { 200 } else { 422 };
    http::html(status, view::page(person.language, &desk.frame(person), &v))
}

/// `GET /console/settings`.
pub(super) fn show(person: &Person, desk: &Desk) -> Result<Response, AppError> {
    let c = &desk.config;
    render(person, desk, &c.name, &c.time_zone, &[], None)
}

/// `POST /console/settings`: the name and time zone; a refused form comes back as typed with
/// each error beside its field, nothing written.
pub(super) async fn change(
    app: &App,
    person: &Person,
    fields: &[(String, String)],
) -> Result<Response, AppError> {
    let l = person.language;
    let desk = Desk::open(app, person).await?;
    let c = &desk.config;
    let get = |name: &str| http::form_field(fields, name).unwrap_or_default();
    let (name, zone) = (get("name"), get("time_zone"));
    let mut errors = Vec::new();
    let trimmed = name.trim();
    if trimmed.is_empty() {
        errors.push(FieldError {
            field: "name",
            problem: Problem::Missing,
        });
    } else if trimmed.chars().count() > 80 || trimmed.chars().any(char::is_control) {
        errors.push(FieldError {
            field: "name",
            problem: Problem::Text(80),
        });
    }
    let now = Profile {
        name: c.name.clone(),
        branding: c.branding.clone(),
        time_zone: c.time_zone.clone(),
    };
    let patch = ProfilePatch {
        name: Some(trimmed.to_owned()),
        branding: None,
        time_zone: Some(zone.trim().to_owned()),
        currency: None,
    };
    // The zone on its own, so a bad name and a bad zone are both named at once.
    let zone_patch = ProfilePatch {
        name: None,
        branding: None,
        time_zone: Some(zone.trim().to_owned()),
        currency: None,
    };
    if now.patched(zone_patch).is_err() {
        errors.push(FieldError {
            field: "time_zone",
            problem: Problem::UnknownZone,
        });
    }
    let profile = match now.patched(patch) {
        Ok(p) if errors.is_empty() => p,
        Ok(_) => return render(person, &desk, &name, &zone, &errors, None),
        Err(_) => {
            if errors.is_empty() {
                errors.push(FieldError {
                    field: "name",
                    problem: Problem::Refused,
                });
            }
            return render(person, &desk, &name, &zone, &errors, None);
        }
    };
    if profile == now {
        let notice = l.pick(
            "Nothing to save: the settings are as they were.",
            "Nie ma nic do zapisania: ustawienia są bez zmian.",
        );
        return render(person, &desk, &name, &zone, &[], Some(notice));
    }
    merchants::update_profile(&app.db, person.merchant, &profile).await?;
    cache::refresh(app, person.merchant).await?;
    super::tills::record(
        app,
        person,
        "settings_changed",
        "",
        &serde_json::json!({ "name": profile.name, "time_zone": profile.time_zone }),
    )
    .await?;
    let desk = Desk::open(app, person).await?;
    let notice = l.pick("Saved.", "Zapisano.");
    render(
        person,
        &desk,
        &profile.name,
        &profile.time_zone,
        &[],
        Some(notice),
    )
}
