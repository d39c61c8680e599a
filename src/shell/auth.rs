//! Who is calling: a merchant API key (with a scope; as a bearer token, or through a staff
//! screen's signed session cookie) or the operator's admin secret.

use worker::Request;

use super::app::App;
use super::error::AppError;
use super::http::{bearer, cookie};
use super::store::keys;
use crate::domain::apikey::{self, Scope};
use crate::domain::ids::MerchantId;
use crate::domain::session;
use crate::domain::shard;

/// Requests one API key may make per window (a POS or till well above its real pace; a runaway
/// script or a leaked key well below what would hurt the database).
pub const KEY_LIMIT_PER_WINDOW: i64 = 1200;
/// The rate window, in ms.
pub const KEY_WINDOW_MS: i64 = 60_000;

/// A caller authenticated by a merchant API key.
#[derive(Debug, Clone)]
pub struct MerchantCaller {
    pub merchant: MerchantId,
    /// The id of the key used (the actor recorded for staff actions).
    pub key_id: String,
    /// The one location a counter key serves (`None`: every location).
    pub location: Option<u8>,
    /// Who is working, for a person signed in with their PIN at a paired till (then `key_id` is
    /// `person@till`, the id their actions are recorded under).
    pub at_till: Option<AtTill>,
}

/// A person signed in at a paired till.
#[derive(Debug, Clone)]
pub struct AtTill {
    pub person_id: String,
    pub person_name: String,
    pub till_id: String,
    pub till_label: String,
}

impl MerchantCaller {
    /// The name an audit line gives this caller (a key has none: the line shows its id).
    pub fn actor_name(&self) -> &str {
        self.at_till.as_ref().map_or("", |t| t.person_name.as_str())
    }

    /// The device an audit line names: a till's label and id (a key: none).
    pub fn device(&self) -> String {
        self.at_till
            .as_ref()
            .map(|t| format!("{} ({})", t.till_label, t.till_id))
            .unwrap_or_default()
    }
}

/// Authenticates a merchant API key and checks its scope is one of `allowed`.
pub async fn merchant(
    app: &App,
    req: &Request,
    allowed: &[Scope],
) -> Result<MerchantCaller, AppError> {
    let raw = bearer(req).ok_or(AppError::AuthMissing)?;
    with_key(app, &raw, allowed).await
}

/// Failed authentications one client address, or one key id, may make per window. Past it a
/// wrong key answers 429 instead of 401, so guessing stays slow; the right secret is never held
/// back by it (it only counts and checks requests that failed).
pub const AUTH_FAILURES_PER_WINDOW: i64 = 30;

/// Authenticates the full text of an API key (a bearer token, or a key typed into the staff
/// sign-in form) and checks its scope is one of `allowed`. Only a request with the right secret
/// counts against the key's own limit; a wrong one counts as a failure of its address and key id.
pub async fn with_key(app: &App, raw: &str, allowed: &[Scope]) -> Result<MerchantCaller, AppError> {
    let window = window_of(app.now_ms, KEY_WINDOW_MS);
    let Some(presented) = apikey::parse(raw) else {
        return Err(failed(app, None, window).await);
    };
    let proof = presented.proof();
    match stored_key(app, presented.id, Some(&proof), window).await? {
        Some(stored) if presented.matches(&stored.secret_hash) => {
            caller_of(app, presented.id, &stored, window, allowed)
        }
        _ => Err(failed(app, Some(presented.id), window).await),
    }
}

/// Counts a failed authentication against the caller's address and the key id it named, and
/// answers 401, or 429 once either is past [`AUTH_FAILURES_PER_WINDOW`].
async fn failed(app: &App, key_id: Option<&str>, window: i64) -> AppError {
    let buckets: Vec<String> = key_id
        .map(|id| format!("auth-fail-key:{id}"))
        .into_iter()
        .chain(
            app.client_ip
                .as_ref()
                .map(|ip| format!("auth-fail-ip:{ip}")),
        )
        .collect();
    // Failures are counted on the first shard whatever the key id names, so that one address's
    // guesses at ids of every shard add up in one place.
    app.db.use_shard(0);
    match keys::count_failure(&app.db, &buckets, window).await {
        Ok(hits) if hits > AUTH_FAILURES_PER_WINDOW => AppError::RateLimited {
            retry_after: (window + KEY_WINDOW_MS - app.now_ms + 999) / 1000,
        },
        Ok(_) => AppError::AuthInvalid,
        Err(e) => e,
    }
}

/// Authenticates a staff screen or the dashboard by its signed session cookie `name`
/// (`domain::session::staff_cookie`): the key it names must still be active, within its rate
/// limit, and of a scope in `allowed`. The cookie's signature is the proof of the key.
pub async fn session(
    app: &App,
    req: &Request,
    name: &str,
    allowed: &[Scope],
) -> Result<MerchantCaller, AppError> {
    let value = cookie(req, name).ok_or(AppError::AuthMissing)?;
    let key_id = session::read_staff_cookie(&app.secrets.session, &value, app.now_secs())
        .ok_or(AppError::AuthMissing)?;
    let window = window_of(app.now_ms, KEY_WINDOW_MS);
    let stored = stored_key(app, &key_id, None, window)
        .await?
        .ok_or(AppError::AuthMissing)?;
    caller_of(app, &key_id, &stored, window, allowed)
}

fn window_of(now_ms: i64, len: i64) -> i64 {
    now_ms - now_ms.rem_euclid(len)
}

/// Finds a key on the shard its id names and leaves the request there, counting the request in
/// the key's window only when `proof` is its secret's hash (`None`: proved by a signed cookie).
/// A key made before sharding (a random id) may live on another shard: the others are asked in
/// turn, so such keys keep working after a split at the price of a few more reads when used.
async fn stored_key(
    app: &App,
    id: &str,
    proof: Option<&str>,
    window: i64,
) -> Result<Option<keys::StoredKey>, AppError> {
    if let Some(m) = shard::merchant_of_key(id) {
        app.db.place(m);
    }
    let home = app.db.shard();
    if let Some(stored) = keys::find(&app.db, id, proof, window).await? {
        return Ok(Some(stored));
    }
    for i in (0..app.db.shard_count()).filter(|&i| i != home) {
        app.db.use_shard(i);
        if let Some(stored) = keys::find(&app.db, id, proof, window).await? {
            return Ok(Some(stored));
        }
    }
    app.db.use_shard(home);
    Ok(None)
}

fn caller_of(
    app: &App,
    key_id: &str,
    stored: &keys::StoredKey,
    window: i64,
    allowed: &[Scope],
) -> Result<MerchantCaller, AppError> {
    if stored.hits.unwrap_or(0) > KEY_LIMIT_PER_WINDOW {
        let retry_after = (window + KEY_WINDOW_MS - app.now_ms + 999) / 1000;
        return Err(AppError::RateLimited { retry_after });
    }
    let merchant = MerchantId::parse(&stored.merchant_id)
        .ok_or_else(|| AppError::internal("an API key row has a bad merchant id"))?;
    let scope = Scope::parse(&stored.scope)
        .ok_or_else(|| AppError::internal("an API key row has a bad scope"))?;
    if !allowed.contains(&scope) {
        return Err(AppError::Forbidden);
    }
    Ok(MerchantCaller {
        merchant,
        key_id: key_id.to_owned(),
        location: stored.location,
        at_till: None,
    })
}

/// Checks the caller presented the operator's admin secret.
pub fn admin(app: &App, req: &Request) -> Result<(), AppError> {
    let raw = bearer(req).ok_or(AppError::AuthMissing)?;
    if app.secrets.is_admin(&raw) {
        Ok(())
    } else {
        Err(AppError::AuthInvalid)
    }
}
