//! The merchant's own profile and locations: `GET`/`PATCH /api/v1/merchant`,
//! `POST /api/v1/locations`, `PUT /api/v1/locations/{number}`. Every change overwrites the cached
//! configuration.

use serde::Deserialize;
use serde_json::json;
use worker::{Request, Response};

use crate::domain::apikey::Scope;
use crate::domain::program::{self, MerchantConfig, Profile, ProfilePatch};
use crate::shell::app::App;
use crate::shell::auth;
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::idempotency::{self, Key};
use crate::shell::store::merchants;

fn profile_json(c: &MerchantConfig) -> serde_json::Value {
    let locations: Vec<_> = c
        .locations
        .iter()
        .map(|(n, name)| json!({ "number": n, "name": name }))
        .collect();
    json!({
        "merchant_id": c.id.0.to_string(),
        "name": c.name,
        "branding": c.branding,
        "currency": c.currency,
        "time_zone": c.time_zone,
        "locations": locations,
        "program_version": c.program_version,
    })
}

async fn fresh(app: &App, caller: &auth::MerchantCaller) -> Result<MerchantConfig, AppError> {
    cache::refresh(app, caller.merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)
}

/// The merchant's profile and locations, read from D1.
pub async fn show(req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner, Scope::Counter, Scope::Read]).await?;
    let config = merchants::config(&app.db, caller.merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    http::json(200, &profile_json(&config))
}

/// Changes the name, branding or time zone (never the currency).
pub async fn update(req: Request, app: &App) -> Result<Response, AppError> {
    idempotency::run(
        app,
        req,
        &[Scope::Owner],
        Key::Optional,
        |caller, bytes| async move {
            let patch: ProfilePatch = http::parse_json(&bytes)?;
            let config = merchants::config(&app.db, caller.merchant)
                .await?
                .ok_or(AppError::MerchantNotFound)?;
            let current = Profile {
                name: config.name.clone(),
                branding: config.branding.clone(),
                time_zone: config.time_zone.clone(),
            };
            let next = current.patched(patch)?;
            merchants::update_profile(&app.db, caller.merchant, &next).await?;
            Ok((200, profile_json(&fresh(app, &caller).await?)))
        },
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LocationBody {
    name: String,
}

/// Adds a location; it gets the next free number (counter keys and scan tokens name it).
pub async fn add_location(req: Request, app: &App) -> Result<Response, AppError> {
    idempotency::run(
        app,
        req,
        &[Scope::Owner],
        Key::Optional,
        |caller, bytes| async move {
            let body: LocationBody = http::parse_json(&bytes)?;
            let name = program::check_location_name(body.name)?;
            let number = merchants::add_location(&app.db, caller.merchant, &name)
                .await?
                .ok_or(AppError::InvalidField {
                    field: "locations".into(),
                    message: "a merchant has at most 255 locations".into(),
                })?;
            fresh(app, &caller).await?;
            Ok((201, json!({ "number": number, "name": name })))
        },
    )
    .await
}

/// Renames location `number`.
pub async fn rename_location(req: Request, app: &App, number: &str) -> Result<Response, AppError> {
    let number: Option<u8> = number.parse().ok().filter(|n| *n > 0);
    idempotency::run(
        app,
        req,
        &[Scope::Owner],
        Key::Optional,
        |caller, bytes| async move {
            let body: LocationBody = http::parse_json(&bytes)?;
            let name = program::check_location_name(body.name)?;
            let number = number.ok_or(AppError::LocationNotFound)?;
            if !merchants::rename_location(&app.db, caller.merchant, number, &name).await? {
                return Err(AppError::LocationNotFound);
            }
            fresh(app, &caller).await?;
            Ok((200, json!({ "number": number, "name": name })))
        },
    )
    .await
}
