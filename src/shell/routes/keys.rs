//! The merchant's API keys: `POST /api/v1/keys` (shown once), `GET /api/v1/keys` (never the
//! secrets), `DELETE /api/v1/keys/{id}` (revoke). Rotation is a new key, then revoking the old.

use serde::Deserialize;
use serde_json::json;
use worker::{Request, Response};

use crate::domain::apikey::{self, Scope};
use crate::shell::app::{random, App};
use crate::shell::auth;
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::idempotency::{self, Key};
use crate::shell::store::keys;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewKeyBody {
    scope: String,
    name: String,
    #[serde(default)]
    location: Option<u8>,
}

fn invalid(field: &str, message: &str) -> AppError {
    AppError::InvalidField {
        field: field.into(),
        message: message.into(),
    }
}

/// Makes a key: owner (everything), counter (one location: scan tokens, redemptions) or read.
pub async fn create(req: Request, app: &App) -> Result<Response, AppError> {
    idempotency::run(
        app,
        req,
        &[Scope::Owner],
        Key::Optional,
        |caller, bytes| async move {
            let body: NewKeyBody = http::parse_json(&bytes)?;
            let scope = Scope::parse(&body.scope)
                .ok_or_else(|| invalid("scope", "must be owner, counter or read"))?;
            let name = body.name.trim();
            if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
                return Err(invalid("name", "must be 1 to 60 printable characters"));
            }
            let config = cache::merchant(app, caller.merchant)
                .await?
                .ok_or(AppError::MerchantNotFound)?;
            match (scope, body.location) {
                (Scope::Counter, Some(l)) if config.location_name(l).is_some() => {}
                (Scope::Counter, Some(l)) => return Err(AppError::UnknownLocation(l)),
                (Scope::Counter, None) => {
                    return Err(invalid(
                        "location",
                        "a counter key serves one location; name it",
                    ))
                }
                (_, Some(_)) => {
                    return Err(invalid("location", "only counter keys have a location"))
                }
                (_, None) => {}
            }
            let key = apikey::generate(caller.merchant, random()?, random()?);
            let m = caller.merchant.to_string();
            keys::insert(&app.db, &m, &key, scope, name, body.location, app.now_ms).await?;
            Ok((
                201,
                json!({
                    "id": key.id,
                    "api_key": key.full,
                    "scope": scope.as_str(),
                    "name": name,
                    "location": body.location,
                    "note": "the key is shown only now; store it in the device or POS",
                }),
            ))
        },
    )
    .await
}

/// Lists the merchant's keys (id, scope, name, location, last four characters, dates).
pub async fn list(req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner]).await?;
    let rows = keys::list(&app.db, &caller.merchant.to_string()).await?;
    http::json(200, &json!({ "keys": rows }))
}

/// Revokes a key at once (every later call with it gets 401). A key cannot revoke itself.
pub async fn revoke(req: Request, app: &App, id: &str) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner]).await?;
    if id == caller.key_id {
        return Err(AppError::KeyInUse);
    }
    let m = caller.merchant.to_string();
    if !keys::revoke(&app.db, &m, id, &caller.key_id, app.now_ms).await? {
        return Err(AppError::KeyNotFound);
    }
    http::json(200, &json!({ "revoked": id }))
}

/// Rotates a key: a new secret with the same scope, name and location, shown once; the old key
/// is revoked in the same batch. A key may rotate itself (a POS replacing its own secret). Not
/// idempotent by key: a secret is never stored to replay it, so a lost answer means rotating
/// again with the new key's predecessor revoked — make another key with an owner key.
pub async fn rotate(req: Request, app: &App, id: &str) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner]).await?;
    let key = apikey::generate(caller.merchant, random()?, random()?);
    let m = caller.merchant.to_string();
    if !keys::rotate(&app.db, &m, id, &key, app.now_ms).await? {
        return Err(AppError::KeyNotFound);
    }
    http::json(
        201,
        &json!({
            "id": key.id,
            "api_key": key.full,
            "replaces": id,
            "note": "the key is shown only now; the old key no longer works",
        }),
    )
}
