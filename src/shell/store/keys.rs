//! API key lookup.

use serde::Deserialize;

use super::{Arg, Db};
use crate::shell::error::AppError;

/// An active API key's stored form.
#[derive(Deserialize)]
pub struct StoredKey {
    pub merchant_id: String,
    pub secret_hash: String,
    pub scope: String,
}

/// Finds an active API key by its public id.
pub async fn find(db: &Db, id: &str) -> Result<Option<StoredKey>, AppError> {
    Ok(db
        .rows::<StoredKey>(db.stmt(include_str!("sql/api_key.sql"), &[Arg::Text(id)])?)
        .await?
        .into_iter()
        .next())
}
