//! Audit lines that name people and devices (migration 0016): actions at a till and in the
//! console. Lines of API-key actions are written with their ledger moves (`store::ledger`).

use super::Db;
use crate::shell::error::AppError;

/// An action to record on a merchant's shard.
pub struct Line<'a> {
    pub id: &'a str,
    pub merchant: &'a str,
    /// A person's id (or `person@till`), or an API key's id.
    pub actor: &'a str,
    /// The person's name now (kept: people may leave).
    pub actor_name: &'a str,
    /// A till's label and id, or empty.
    pub device: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub reason: &'a str,
    pub detail: &'a serde_json::Value,
}

/// Records `line` at `now`.
pub async fn record(db: &Db, line: &Line<'_>, now: i64) -> Result<(), AppError> {
    let detail = line.detail.to_string();
    db.run(db.stmt(
        include_str!("sql/insert_audit_by.sql"),
        &[
            line.id.into(),
            line.merchant.into(),
            line.actor.into(),
            line.action.into(),
            line.subject.into(),
            line.reason.into(),
            detail.as_str().into(),
            now.into(),
            line.actor_name.into(),
            line.device.into(),
        ],
    )?)
    .await?;
    Ok(())
}
