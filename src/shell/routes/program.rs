//! `PUT /api/v1/program`: the merchant changes their earning rules; a new version is stored and
//! the cached configuration is overwritten.

use serde_json::json;
use worker::{Request, Response};

use crate::domain::apikey::Scope;
use crate::domain::program::{Program, ProgramDraft};
use crate::shell::app::App;
use crate::shell::auth;
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::idempotency::{self, Start};
use crate::shell::store::merchants;

/// Validates and stores a new program version.
pub async fn update(mut req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner]).await?;
    let bytes = http::json_bytes(&mut req).await?;
    let claim = match idempotency::start(app, caller.merchant, &req, &bytes, false).await? {
        Start::Replay(resp) => return Ok(resp),
        Start::Run(claim) => claim,
    };
    let result = async {
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
    }
    .await;
    idempotency::finish(app, claim, result).await
}
