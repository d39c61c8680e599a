//! Where a merchant's guided set-up stands (migration 0017), on the merchant's shard.

use serde::Deserialize;

use super::{Arg, Db};
use crate::domain::setup::{Progress, State, Step};
use crate::shell::error::AppError;

#[derive(Deserialize)]
struct Row {
    progress: Option<String>,
}

/// Reads where `merchant`'s set-up stands.
pub async fn progress(db: &Db, merchant: &str) -> Result<Progress, AppError> {
    let rows: Vec<Row> = db
        .rows(db.stmt(include_str!("sql/setup_progress.sql"), &[merchant.into()])?)
        .await?;
    let stored = rows.into_iter().next().and_then(|r| r.progress);
    Ok(Progress::parse(stored.as_deref().unwrap_or_default()))
}

/// Marks `step` done or skipped (a done step stays done when skipped later), with `choice`.
pub async fn mark(
    db: &Db,
    merchant: &str,
    step: Step,
    state: State,
    choice: Option<&str>,
    now: i64,
) -> Result<(), AppError> {
    db.run(db.stmt(
        include_str!("sql/set_setup_step.sql"),
        &[
            merchant.into(),
            step.slug().into(),
            state.as_str().into(),
            choice.map_or(Arg::Null, Arg::Text),
            now.into(),
        ],
    )?)
    .await?;
    Ok(())
}
