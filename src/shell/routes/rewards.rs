//! The rewards catalog: `POST /api/v1/rewards`, `GET /api/v1/rewards`, `PUT /api/v1/rewards/{id}`.

use serde_json::{json, Value};
use worker::{Request, Response};

use crate::domain::apikey::Scope;
use crate::domain::ids::to_hex;
use crate::domain::reward::{Refusal, Reward, RewardDraft};
use crate::shell::app::{random, App};
use crate::shell::auth;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::idempotency::{self, Key};
use crate::shell::store::rewards;

/// Adds a reward to the caller's catalog.
pub async fn create(req: Request, app: &App) -> Result<Response, AppError> {
    idempotency::run(
        app,
        req,
        &[Scope::Owner],
        Key::Optional,
        |caller, bytes| async move {
            let reward = Reward::try_from(http::parse_json::<RewardDraft>(&bytes)?)?;
            let id = to_hex(&random::<16>()?);
            let m = caller.merchant.to_string();
            rewards::insert(&app.db, &id, &m, &reward, app.now_ms).await?;
            with_reward(app, &m, 201, &id).await
        },
    )
    .await
}

async fn with_reward(
    app: &App,
    merchant: &str,
    status: u16,
    id: &str,
) -> Result<(u16, Value), AppError> {
    let all = rewards::list(&app.db, merchant, false, app.now_ms).await?;
    let row = all
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(AppError::Refused(Refusal::UnknownReward))?;
    Ok((status, json!({ "reward": row })))
}

/// Lists the caller's rewards.
pub async fn list(req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner, Scope::Counter, Scope::Read]).await?;
    let rows = rewards::list(&app.db, &caller.merchant.to_string(), false, app.now_ms).await?;
    http::json(200, &json!({ "rewards": rows }))
}

/// Replaces one of the caller's rewards (set `active: false` to withdraw it); `image` and
/// `description`, when left out, stay as they are.
pub async fn update(req: Request, app: &App, id: &str) -> Result<Response, AppError> {
    idempotency::run(
        app,
        req,
        &[Scope::Owner],
        Key::Optional,
        |caller, bytes| async move {
            let m = caller.merchant.to_string();
            let draft = http::parse_json::<RewardDraft>(&bytes)?;
            // A client that does not send the picture or the description keeps them (they came
            // later, with the console); an empty description clears it.
            let keep = rewards::Keep {
                image: draft.image.is_none(),
                description: draft.description.is_none(),
            };
            let reward = Reward::try_from(draft)?;
            if !rewards::update(&app.db, id, &m, &reward, keep, app.now_ms).await? {
                return Err(AppError::Refused(Refusal::UnknownReward));
            }
            with_reward(app, &m, 200, id).await
        },
    )
    .await
}
