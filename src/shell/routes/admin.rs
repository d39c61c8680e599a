//! The operator's API, behind the admin secret: create merchants, audit ledgers, list job runs.

use serde_json::json;
use worker::{Request, Response};

use crate::domain::apikey;
use crate::domain::ids::MerchantId;
use crate::domain::program::{MerchantDraft, NewMerchant};
use crate::shell::app::{random, App};
use crate::shell::auth;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::{jobs, merchants};

/// Creates a merchant with its program, locations, scan key and owner API key (shown once).
pub async fn create_merchant(mut req: Request, app: &App) -> Result<Response, AppError> {
    auth::admin(app, &req)?;
    let draft: MerchantDraft = http::json_body(&mut req).await?;
    let new = NewMerchant::try_from(draft)?;
    let id = MerchantId::new(u32::from_be_bytes(random()?));
    let key = apikey::generate(random()?, random()?);
    merchants::create(&app.db, id, &new, &key, app.now_ms).await?;
    let origin = http::origin(&req)?;
    let locations: Vec<_> = new
        .locations
        .iter()
        .zip(1u8..=255)
        .map(|(name, n)| json!({ "number": n, "name": name }))
        .collect();
    http::json(
        201,
        &json!({
            "merchant_id": id.to_string(),
            "api_key": key.full,
            "locations": locations,
            "card_url": format!("{origin}/c/{id}"),
        }),
    )
}

/// Counts a merchant's rows and the members whose balance differs from their ledger.
pub async fn audit(req: Request, app: &App, merchant: &str) -> Result<Response, AppError> {
    auth::admin(app, &req)?;
    let merchant = MerchantId::parse(merchant).ok_or(AppError::MerchantNotFound)?;
    http::json(200, &merchants::audit(&app.db, merchant).await?)
}

/// Lists the latest job runs.
pub async fn jobs(req: Request, app: &App) -> Result<Response, AppError> {
    auth::admin(app, &req)?;
    http::json(200, &json!({ "runs": jobs::recent(&app.db).await? }))
}
