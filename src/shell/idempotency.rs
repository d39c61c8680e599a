//! `Idempotency-Key` on mutating merchant API calls (IETF httpapi draft): the first request with
//! a key runs and its response is stored; the same key and body again gets that response back
//! (`idempotent-replayed: true`); the same key with another body gets 422; the same key while
//! the first still runs gets 409. Keys are per merchant and kept 24 hours. A server error frees
//! the key so the retry runs afresh; a claim whose request died lapses after a minute.

use serde::Deserialize;
use serde_json::Value;
use worker::{Request, Response};

use super::app::{random, App};
use super::auth::{self, MerchantCaller};
use super::error::AppError;
use super::http;
use super::store::{first, Arg};
use crate::domain::apikey::Scope;
use crate::domain::idempotency::{self, KeyError, KEEP_MS, LOCK_MS};
use crate::domain::ids::{to_hex, MerchantId};

/// A key this request holds.
pub struct Claim {
    merchant: String,
    key: String,
    owner: String,
}

/// How to go on after looking at the key.
enum Start {
    /// Run the operation (holding the key, if one was sent).
    Run(Option<Claim>),
    /// Answer with the stored response.
    Replay(Response),
}

#[derive(Deserialize)]
struct KeyRow {
    fingerprint: String,
    owner: String,
    status: Option<u16>,
    response: Option<String>,
}

/// Whether a call must carry an Idempotency-Key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Calls that move points, stamps or cashback.
    Required,
    Optional,
}

/// Runs a mutating merchant API call: authenticates the key (scope one of `scopes`), reads the
/// JSON body, answers a repeated Idempotency-Key from storage, else runs `op` with the caller and
/// the raw body and stores what it answered.
pub async fn run<F, Fut>(
    app: &App,
    mut req: Request,
    scopes: &[Scope],
    key: Key,
    op: F,
) -> Result<Response, AppError>
where
    F: FnOnce(MerchantCaller, Vec<u8>) -> Fut,
    Fut: std::future::Future<Output = Result<(u16, Value), AppError>>,
{
    let caller = auth::merchant(app, &req, scopes).await?;
    let bytes = http::json_bytes(&mut req).await?;
    let claim = match start(app, caller.merchant, &req, &bytes, key == Key::Required).await? {
        Start::Replay(resp) => return Ok(resp),
        Start::Run(claim) => claim,
    };
    let result = op(caller, bytes).await;
    finish(app, claim, result).await
}

/// Looks at the request's Idempotency-Key (refusing its absence if `required`) and claims it.
async fn start(
    app: &App,
    merchant: MerchantId,
    req: &Request,
    body: &[u8],
    required: bool,
) -> Result<Start, AppError> {
    let header = req.headers().get("idempotency-key").ok().flatten();
    let key = match idempotency::parse_key(header.as_deref()) {
        Ok(k) => k,
        Err(KeyError::Missing) if !required => return Ok(Start::Run(None)),
        Err(e) => return Err(AppError::IdempotencyKey(e)),
    };
    let method = req.method().to_string();
    let fingerprint = idempotency::fingerprint(&method, &req.path(), body);
    let owner = to_hex(&random::<16>()?);
    let m = merchant.to_string();
    let now = app.now_ms;
    let db = &app.db;
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("store/sql/claim_idempotency_key.sql"),
                &[
                    Arg::Text(&m),
                    Arg::Text(&key),
                    Arg::Text(&fingerprint),
                    Arg::Text(&owner),
                    Arg::Int(now + LOCK_MS),
                    Arg::Int(now),
                    Arg::Int(now - KEEP_MS),
                ],
            )?,
            db.stmt(
                include_str!("store/sql/idempotency_key.sql"),
                &[Arg::Text(&m), Arg::Text(&key)],
            )?,
        ])
        .await?;
    let row = first::<KeyRow>(results.get(1))?
        .ok_or_else(|| AppError::internal("idempotency key vanished after its claim"))?;
    if row.owner == owner {
        return Ok(Start::Run(Some(Claim {
            merchant: m,
            key,
            owner,
        })));
    }
    if row.fingerprint != fingerprint {
        return Err(AppError::IdempotencyKeyReused);
    }
    match (row.status, row.response) {
        (Some(status), Some(body)) => {
            let value: Value = serde_json::from_str(&body)
                .map_err(|e| AppError::internal(format!("stored response: {e}")))?;
            let resp = http::json(status, &value)?;
            if status >= 400 {
                resp.headers()
                    .set("content-type", "application/problem+json")?;
            }
            resp.headers().set("idempotent-replayed", "true")?;
            Ok(Start::Replay(resp))
        }
        _ => Err(AppError::IdempotencyInProgress),
    }
}

/// Turns the operation's result into the response, storing it under the claimed key: successes
/// and client errors are kept for replays; a server error frees the key.
async fn finish(
    app: &App,
    claim: Option<Claim>,
    result: Result<(u16, Value), AppError>,
) -> Result<Response, AppError> {
    let Some(claim) = claim else {
        let (status, value) = result?;
        return http::json(status, &value);
    };
    let (status, value, problem) = match result {
        Ok((status, value)) => (status, value, false),
        Err(e) if e.status() < 500 => (e.status(), http::problem_body(&e, &app.request_id), true),
        Err(e) => {
            let db = &app.db;
            db.run(db.stmt(
                include_str!("store/sql/drop_idempotency_key.sql"),
                &[
                    Arg::Text(&claim.merchant),
                    Arg::Text(&claim.key),
                    Arg::Text(&claim.owner),
                ],
            )?)
            .await?;
            return Err(e);
        }
    };
    let body = value.to_string();
    let db = &app.db;
    db.run(db.stmt(
        include_str!("store/sql/finish_idempotency_key.sql"),
        &[
            Arg::Text(&claim.merchant),
            Arg::Text(&claim.key),
            Arg::Text(&claim.owner),
            Arg::Int(i64::from(status)),
            Arg::Text(&body),
        ],
    )?)
    .await?;
    let resp = http::json(status, &value)?;
    if problem {
        resp.headers()
            .set("content-type", "application/problem+json")?;
    }
    Ok(resp)
}
