//! `GET /api/v1/program` reads the rules in force; `PUT` changes them: a new version is stored
//! and the cached configuration is overwritten.

use serde_json::json;
use worker::{Request, Response};

use crate::domain::apikey::Scope;
use crate::domain::program::{Program, ProgramDraft};
use crate::shell::app::App;
use crate::shell::auth;
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::idempotency::{self, Key};
use crate::shell::store::{merchants, rewards};

/// The program in force, read from D1 (the cache may lag a change by up to a minute elsewhere).
pub async fn show(req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner, Scope::Counter, Scope::Read]).await?;
    let config = merchants::config(&app.db, caller.merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    http::json(
        200,
        &json!({ "version": config.program_version, "program": config.program }),
    )
}

/// Validates and stores a new program version.
pub async fn update(req: Request, app: &App) -> Result<Response, AppError> {
    idempotency::run(
        app,
        req,
        &[Scope::Owner],
        Key::Optional,
        |caller, bytes| async move {
            let draft: ProgramDraft = http::parse_json(&bytes)?;
            let program = Program::try_from(draft)?;
            let mut named: Vec<_> = program.referral.reward_ids().collect();
            if let Some(id) = &program.birthday.gift.reward_id {
                named.push(("program.birthday.gift.reward_id", id));
            }
            if !named.is_empty() {
                let m = caller.merchant.to_string();
                let catalog = rewards::list(&app.db, &m, false, 0).await?;
                for (field, id) in named {
                    if !catalog.iter().any(|r| r.id == id) {
                        return Err(AppError::InvalidField {
                            field: field.into(),
                            message: "no reward with this id in the catalog".into(),
                        });
                    }
                }
            }
            merchants::add_program_version(&app.db, caller.merchant, &program, app.now_ms).await?;
            let config = cache::refresh(app, caller.merchant)
                .await?
                .ok_or(AppError::MerchantNotFound)?;
            Ok((
                200,
                json!({ "version": config.program_version, "program": config.program }),
            ))
        },
    )
    .await
}
