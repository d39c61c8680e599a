//! The operator's sign-up codes (`SIGNUP=invite`): issued through the admin API (shown once,
//! only the hash stored, with an expiry and a note), checked on the sign-up form, and used by
//! the batch that makes the owner (`store::signup_codes`), so a code admits one sign-up.

use serde_json::json;
use worker::{Request, Response};

use crate::domain::account::Problem;
use crate::domain::signup_code::{self, RANDOM_BYTES};
use crate::shell::app::{random, App};
use crate::shell::auth;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::people;
use crate::shell::store::signup_codes::{self, State};

/// What the operator's call to issue a code sends.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeBody {
    #[serde(default)]
    note: Option<String>,
    /// Days the code works (1 to 90; none: 14).
    #[serde(default)]
    valid_days: Option<i64>,
}

/// `POST /admin/v1/signup-codes`: a one-time sign-up code (shown once), its expiry and note.
pub async fn issue(mut req: Request, app: &App) -> Result<Response, AppError> {
    auth::admin(app, &req)?;
    let body: CodeBody = if req.headers().get("content-type").ok().flatten().is_some() {
        http::json_body(&mut req).await?
    } else {
        CodeBody::default()
    };
    let invalid = |field: &str, message: &str| AppError::InvalidField {
        field: field.into(),
        message: message.into(),
    };
    let note = signup_code::note(body.note.as_deref().unwrap_or_default())
        .map_err(|m| invalid("note", m))?;
    let valid = signup_code::valid_ms(body.valid_days).map_err(|m| invalid("valid_days", m))?;
    let code = signup_code::new_code(random::<RANDOM_BYTES>()?);
    let canonical = signup_code::parse(&code)
        .ok_or_else(|| AppError::internal("a new sign-up code does not read back"))?;
    let expires_at = app.now_ms.saturating_add(valid);
    people::directory(&app.db);
    signup_codes::issue(
        &app.db,
        &signup_code::id(&canonical),
        &note,
        app.now_ms,
        expires_at,
    )
    .await?;
    http::json(
        201,
        &json!({ "code": code, "expires_at": expires_at, "note": note }),
    )
}

/// Checks the code typed on the sign-up form: its stored id if it admits a sign-up now, else
/// what is wrong with it (made up or mistyped; used or expired).
pub(super) async fn check(app: &App, typed: &str) -> Result<Result<String, Problem>, AppError> {
    if typed.trim().is_empty() {
        return Ok(Err(Problem::Missing));
    }
    let Some(canonical) = signup_code::parse(typed) else {
        return Ok(Err(Problem::WrongCode));
    };
    let id = signup_code::id(&canonical);
    people::directory(&app.db);
    Ok(match signup_codes::state(&app.db, &id, app.now_ms).await? {
        State::Unknown => Err(Problem::WrongCode),
        State::Spent => Err(Problem::CodeSpent),
        State::Open => Ok(id),
    })
}

/// What is wrong with code `id` after a sign-up batch with it made nobody: spent meanwhile, or
/// (`None`) it still works and the email was the problem.
pub(super) async fn spent_meanwhile(app: &App, id: &str) -> Result<Option<Problem>, AppError> {
    people::directory(&app.db);
    Ok(match signup_codes::state(&app.db, id, app.now_ms).await? {
        State::Open => None,
        State::Spent => Some(Problem::CodeSpent),
        State::Unknown => Some(Problem::WrongCode),
    })
}
