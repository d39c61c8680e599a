//! API keys: lookup on every call, and the merchant's own management of them.

use serde::{Deserialize, Serialize};

use super::{Arg, Db};
use crate::domain::apikey::{NewKey, Scope};
use crate::shell::error::AppError;

/// An active API key's stored form.
#[derive(Deserialize)]
pub struct StoredKey {
    pub merchant_id: String,
    pub secret_hash: String,
    pub scope: String,
    /// The one location a counter key serves.
    pub location: Option<u8>,
    /// Requests this key made in the current rate window, this one included.
    pub hits: Option<i64>,
}

/// Finds an active API key by its public id, counting this request in the key's rate window
/// (starting at `window_start`) in the same round trip, but only when `proof` is the hash of
/// the key's secret (`None`: the caller proved the key by a signed session cookie). A request
/// with a wrong secret reads the key and counts nothing against it.
pub async fn find(
    db: &Db,
    id: &str,
    proof: Option<&str>,
    window_start: i64,
) -> Result<Option<StoredKey>, AppError> {
    let proof = proof.map_or(Arg::Null, Arg::Text);
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/hit_key_window.sql"),
                &[id.into(), window_start.into(), proof],
            )?,
            db.stmt(
                include_str!("sql/api_key.sql"),
                &[id.into(), window_start.into()],
            )?,
        ])
        .await?;
    super::first(results.get(1))
}

/// Counts one failed authentication in each of `buckets` for the window starting at
/// `window_start`; returns the highest count among them, this failure included (0: no bucket).
pub async fn count_failure(
    db: &Db,
    buckets: &[String],
    window_start: i64,
) -> Result<i64, AppError> {
    let Some(first) = buckets.first() else {
        return Ok(0);
    };
    let second = buckets.get(1).unwrap_or(first);
    let mut stmts = Vec::with_capacity(buckets.len() + 1);
    for b in buckets {
        stmts.push(db.stmt(
            include_str!("sql/hit_rate_window.sql"),
            &[b.as_str().into(), window_start.into()],
        )?);
    }
    stmts.push(db.stmt(
        include_str!("sql/auth_failures.sql"),
        &[
            first.as_str().into(),
            second.as_str().into(),
            window_start.into(),
        ],
    )?);
    let results = db.batch(stmts).await?;
    Ok(super::first::<Failures>(results.get(buckets.len()))?.map_or(0, |f| f.hits))
}

#[derive(Deserialize)]
struct Failures {
    hits: i64,
}

/// A key as its merchant sees it in a list: never the secret.
#[derive(Debug, Deserialize, Serialize)]
pub struct KeyRow {
    pub id: String,
    pub scope: String,
    pub name: Option<String>,
    pub location: Option<i64>,
    pub last4: Option<String>,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// The last four characters of a full key: how a list tells keys apart without the secret.
fn last4(full: &str) -> String {
    full.chars()
        .skip(full.chars().count().saturating_sub(4))
        .collect()
}

/// Stores a new key for `merchant`.
pub async fn insert(
    db: &Db,
    merchant: &str,
    key: &NewKey,
    scope: Scope,
    name: &str,
    location: Option<u8>,
    now: i64,
) -> Result<(), AppError> {
    let last4 = last4(&key.full);
    db.run(db.stmt(
        include_str!("sql/insert_named_api_key.sql"),
        &[
            key.id.as_str().into(),
            merchant.into(),
            key.secret_hash.as_str().into(),
            scope.as_str().into(),
            now.into(),
            name.into(),
            location.map_or(Arg::Null, |l| Arg::Int(i64::from(l))),
            last4.as_str().into(),
        ],
    )?)
    .await?;
    Ok(())
}

/// Lists a merchant's keys.
pub async fn list(db: &Db, merchant: &str) -> Result<Vec<KeyRow>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/merchant_api_keys.sql"),
        &[merchant.into()],
    )?)
    .await
}

/// Revokes a merchant's key (never the caller's own); returns false if there was none to revoke.
pub async fn revoke(
    db: &Db,
    merchant: &str,
    id: &str,
    caller_key: &str,
    now: i64,
) -> Result<bool, AppError> {
    let n = db
        .run(db.stmt(
            include_str!("sql/revoke_api_key.sql"),
            &[merchant.into(), id.into(), now.into(), caller_key.into()],
        )?)
        .await?;
    Ok(n == 1)
}

/// Replaces active key `old` with `new` (same scope, name and location) and revokes `old`, in one
/// batch; returns false when `old` is not an active key of `merchant`.
pub async fn rotate(
    db: &Db,
    merchant: &str,
    old: &str,
    new: &NewKey,
    now: i64,
) -> Result<bool, AppError> {
    let last4 = last4(&new.full);
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/rotate_api_key.sql"),
                &[
                    merchant.into(),
                    old.into(),
                    new.id.as_str().into(),
                    new.secret_hash.as_str().into(),
                    last4.as_str().into(),
                    now.into(),
                ],
            )?,
            db.stmt(
                include_str!("sql/revoke_rotated_key.sql"),
                &[
                    merchant.into(),
                    old.into(),
                    new.id.as_str().into(),
                    now.into(),
                ],
            )?,
        ])
        .await?;
    super::changed(&results, 0)
}
