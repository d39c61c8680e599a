//! The last deliveries to a merchant's POS webhook endpoint, for the console's Integrations
//! page: one row per delivery (accepted or refused), the newest 50 kept by the insert's batch.

use serde::Deserialize;

use super::Db;
use crate::shell::error::AppError;

/// A delivery as it is recorded.
pub struct Entry<'a> {
    pub merchant: &'a str,
    pub id: &'a str,
    pub webhook_id: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub status: &'a str,
    pub code: Option<&'a str>,
    pub order_id: Option<&'a str>,
    pub now: i64,
}

/// A delivery as the console lists it.
#[derive(Debug, Deserialize)]
pub struct Row {
    pub at: i64,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub status: String,
    pub code: Option<String>,
    pub order_id: Option<String>,
}

/// Records a delivery and keeps the merchant's newest 50, in one round trip.
pub async fn record(db: &Db, e: &Entry<'_>) -> Result<(), AppError> {
    db.batch(vec![
        db.stmt(
            include_str!("sql/insert_webhook_log.sql"),
            &[
                e.merchant.into(),
                e.id.into(),
                e.now.into(),
                e.webhook_id.into(),
                e.kind.into(),
                e.status.into(),
                e.code.into(),
                e.order_id.into(),
            ],
        )?,
        db.stmt(
            include_str!("sql/trim_webhook_log.sql"),
            &[e.merchant.into()],
        )?,
    ])
    .await?;
    Ok(())
}

/// The merchant's last 50 deliveries, newest first.
pub async fn recent(db: &Db, merchant: &str) -> Result<Vec<Row>, AppError> {
    db.rows(db.stmt(include_str!("sql/webhook_log.sql"), &[merchant.into()])?)
        .await
}
