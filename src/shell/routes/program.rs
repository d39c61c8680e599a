//! `PUT /api/v1/program`: the merchant changes their earning rules; a new version is stored and
//! the cached configuration is overwritten.

use serde_json::json;
use worker::{Request, Response};

use crate::domain::apikey::Scope;
use crate::domain::program::{Program, ProgramDraft};
use crate::shell::app::App;
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::idempotency::{self, Key};
use crate::shell::store::merchants;

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
