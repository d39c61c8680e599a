//! Who is calling the API: a merchant API key (with a scope) or the operator's admin secret.

use worker::Request;

use super::app::App;
use super::error::AppError;
use super::http::bearer;
use super::store::keys;
use crate::domain::apikey::{self, Scope};
use crate::domain::ids::MerchantId;

/// Requests one API key may make per window (a POS or till well above its real pace; a runaway
/// script or a leaked key well below what would hurt the database).
pub const KEY_LIMIT_PER_WINDOW: i64 = 1200;
/// The rate window, in ms.
pub const KEY_WINDOW_MS: i64 = 60_000;

/// A caller authenticated by a merchant API key.
#[derive(Debug, Clone)]
pub struct MerchantCaller {
    pub merchant: MerchantId,
    /// The id of the key used (the actor recorded for staff actions).
    pub key_id: String,
    /// The one location a counter key serves (`None`: every location).
    pub location: Option<u8>,
}

/// Authenticates a merchant API key and checks its scope is one of `allowed`.
pub async fn merchant(
    app: &App,
    req: &Request,
    allowed: &[Scope],
) -> Result<MerchantCaller, AppError> {
    let raw = bearer(req).ok_or(AppError::AuthMissing)?;
    let presented = apikey::parse(&raw).ok_or(AppError::AuthInvalid)?;
    let key_id = presented.id;
    let window = app.now_ms - app.now_ms.rem_euclid(KEY_WINDOW_MS);
    let stored = keys::find(&app.db, presented.id, window)
        .await?
        .ok_or(AppError::AuthInvalid)?;
    if !presented.matches(&stored.secret_hash) {
        return Err(AppError::AuthInvalid);
    }
    if stored.hits.unwrap_or(0) > KEY_LIMIT_PER_WINDOW {
        let retry_after = (window + KEY_WINDOW_MS - app.now_ms + 999) / 1000;
        return Err(AppError::RateLimited { retry_after });
    }
    let merchant = MerchantId::parse(&stored.merchant_id)
        .ok_or_else(|| AppError::internal("an API key row has a bad merchant id"))?;
    let scope = Scope::parse(&stored.scope)
        .ok_or_else(|| AppError::internal("an API key row has a bad scope"))?;
    if !allowed.contains(&scope) {
        return Err(AppError::Forbidden);
    }
    Ok(MerchantCaller {
        merchant,
        key_id: key_id.to_owned(),
        location: stored.location,
    })
}

/// Checks the caller presented the operator's admin secret.
pub fn admin(app: &App, req: &Request) -> Result<(), AppError> {
    let raw = bearer(req).ok_or(AppError::AuthMissing)?;
    if app.secrets.is_admin(&raw) {
        Ok(())
    } else {
        Err(AppError::AuthInvalid)
    }
}
