//! `GET /api/v1/program` reads the rules in force (and the default sequences a merchant can
//! start from); `PUT` changes them: a new version is stored and the cached configuration is
//! overwritten.

use serde_json::json;
use worker::{Request, Response};

use crate::domain::apikey::Scope;
use crate::domain::ids::MerchantId;
use crate::domain::program::{MerchantConfig, Program, ProgramDraft};
use crate::domain::sequence;
use crate::shell::app::App;
use crate::shell::auth;
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::idempotency::{self, Key};
use crate::shell::store::{merchants, rewards, sequences as store_sequences};

/// The program in force, read from D1 (the cache may lag a change by up to a minute elsewhere).
pub async fn show(req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner, Scope::Counter, Scope::Read]).await?;
    let config = merchants::config(&app.db, caller.merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    http::json(
        200,
        &json!({
            "version": config.program_version,
            "program": config.program,
            // What a merchant can start from: the four automations of domain::sequence.
            "defaults": { "sequences": sequence::defaults() },
        }),
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
            let config = store(app, caller.merchant, draft).await?;
            Ok((
                200,
                json!({ "version": config.program_version, "program": config.program }),
            ))
        },
    )
    .await
}

/// Checks a program (limits, and that every reward it names is in the catalog), stores it as
/// the next version and refreshes the cached configuration (the API and the dashboard form).
pub async fn store(
    app: &App,
    merchant: MerchantId,
    draft: ProgramDraft,
) -> Result<MerchantConfig, AppError> {
    let program = Program::try_from(draft)?;
    let mut named: Vec<(String, &str)> = program
        .referral
        .reward_ids()
        .map(|(field, id)| (field.to_string(), id))
        .collect();
    if let Some(id) = &program.birthday.gift.reward_id {
        named.push(("program.birthday.gift.reward_id".into(), id.as_str()));
    }
    for (i, s) in program.sequences.iter().enumerate() {
        if let Some(id) = &s.gift.reward_id {
            named.push((
                format!("program.sequences[{i}].gift.reward_id"),
                id.as_str(),
            ));
        }
    }
    if !named.is_empty() {
        let m = merchant.to_string();
        let catalog = rewards::list(&app.db, &m, false, 0).await?;
        for (field, id) in named {
            if !catalog.iter().any(|r| r.id == id) {
                return Err(AppError::InvalidField {
                    field,
                    message: "no reward with this id in the catalog".into(),
                });
            }
        }
    }
    merchants::add_program_version(&app.db, merchant, &program, app.now_ms).await?;
    cache::refresh(app, merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)
}

/// The program's sequences with what each has done: occasions waiting for their delay, given
/// and skipped, and the points, stamps and rewards given.
pub async fn sequences(req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner, Scope::Counter, Scope::Read]).await?;
    let config = merchants::config(&app.db, caller.merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    let counts = store_sequences::counts(&app.db, &caller.merchant.to_string()).await?;
    let runs = |id: &str| json!(store_sequences::runs_of(&counts, id));
    let mut listed: Vec<serde_json::Value> = config
        .program
        .sequences
        .iter()
        .map(|s| json!({ "sequence": s, "runs": runs(&s.id) }))
        .collect();
    // Sequences a later program version dropped keep their history.
    let mut gone: Vec<&str> = counts
        .iter()
        .map(|c| c.sequence.as_str())
        .filter(|id| !config.program.sequences.iter().any(|s| s.id == *id))
        .collect();
    gone.dedup();
    for id in gone {
        listed.push(json!({ "sequence": { "id": id, "removed": true }, "runs": runs(id) }));
    }
    http::json(200, &json!({ "sequences": listed }))
}
