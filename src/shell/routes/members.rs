//! `GET /api/v1/members/{id}`: a member's balance and ledger, for the merchant's software.

use serde_json::json;
use worker::{Request, Response};

use crate::domain::apikey::Scope;
use crate::domain::ids::MemberId;
use crate::shell::app::App;
use crate::shell::auth;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::members;

/// Returns a member of the caller's merchant with their latest 100 ledger entries.
pub async fn show(req: Request, app: &App, member: &str) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner, Scope::Read]).await?;
    let member = MemberId::parse(member).ok_or(AppError::MemberNotFound)?;
    let (row, entries) = members::card(&app.db, caller.merchant, &member, 100)
        .await?
        .ok_or(AppError::MemberNotFound)?;
    http::json(200, &json!({ "member": row, "ledger": entries }))
}
