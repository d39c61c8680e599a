//! `GET /c/{merchant}`: the member's card on their phone (balance, stamp card, latest entries).

use worker::{Request, Response};

use crate::domain::ids::MerchantId;
use crate::domain::session;
use crate::shell::app::App;
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::members;
use crate::view::pages::{self, CardState, EntryLine};

/// Shows the card of the member this phone's cookie names, or how to join.
pub async fn show(req: Request, app: &App, merchant: &str) -> Result<Response, AppError> {
    let merchant = MerchantId::parse(merchant).ok_or(AppError::MerchantNotFound)?;
    let config = cache::merchant(app, merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    let member = http::cookie(&req, &session::cookie_name(merchant))
        .and_then(|v| session::read_member_cookie(&app.secrets.session, merchant, &v));
    let Some(member) = member else {
        return http::html(200, pages::no_card(&config));
    };
    let Some((row, entries)) = members::card(&app.db, merchant, &member, 10).await? else {
        return http::html(200, pages::no_card(&config));
    };
    let state = CardState {
        name: row.name,
        points: row.points,
        stamps: row.stamps,
    };
    let lines: Vec<EntryLine> = entries
        .into_iter()
        .map(|e| EntryLine {
            reason: e.reason,
            points: e.points,
            stamps: e.stamps,
            created_at_ms: e.created_at,
        })
        .collect();
    http::html(200, pages::card(&config, &state, &lines, app.now_ms))
}
