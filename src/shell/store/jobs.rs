//! Job runs: one row per job and time slot, so a repeated or overlapping run does nothing.

use serde::{Deserialize, Serialize};

use super::{Arg, Db};
use crate::shell::error::AppError;

/// Claims `(job, slot)`; returns false when another run already has it.
pub async fn claim(db: &Db, job: &str, slot: i64, cron: &str, now: i64) -> Result<bool, AppError> {
    let n = db
        .run(db.stmt(
            include_str!("sql/claim_job_run.sql"),
            &[
                Arg::Text(job),
                Arg::Int(slot),
                Arg::Text(cron),
                Arg::Int(now),
            ],
        )?)
        .await?;
    Ok(n == 1)
}

/// Marks a claimed run finished with a one-line summary.
pub async fn finish(
    db: &Db,
    job: &str,
    slot: i64,
    now: i64,
    summary: &str,
) -> Result<(), AppError> {
    db.run(db.stmt(
        include_str!("sql/finish_job_run.sql"),
        &[
            Arg::Text(job),
            Arg::Int(slot),
            Arg::Int(now),
            Arg::Text(summary),
        ],
    )?)
    .await?;
    Ok(())
}

/// Deletes run records started before `cutoff`; returns how many.
pub async fn prune(db: &Db, cutoff: i64) -> Result<usize, AppError> {
    let results = db
        .batch(vec![db.stmt(
            include_str!("sql/prune_job_runs.sql"),
            &[Arg::Int(cutoff)],
        )?])
        .await?;
    super::count(&results, 0)
}

/// Forgets idempotency keys created before `cutoff`; returns how many.
pub async fn prune_idempotency_keys(db: &Db, cutoff: i64) -> Result<usize, AppError> {
    db.run(db.stmt(
        include_str!("sql/prune_idempotency_keys.sql"),
        &[Arg::Int(cutoff)],
    )?)
    .await
}

/// Forgets webhook ids received before `cutoff`; returns how many.
pub async fn prune_webhook_events(db: &Db, cutoff: i64) -> Result<usize, AppError> {
    db.run(db.stmt(
        include_str!("sql/prune_webhook_events.sql"),
        &[Arg::Int(cutoff)],
    )?)
    .await
}

/// Forgets rate windows that started before `cutoff`.
pub async fn prune_rate_windows(db: &Db, cutoff: i64) -> Result<usize, AppError> {
    db.run(db.stmt(
        include_str!("sql/prune_rate_windows.sql"),
        &[Arg::Int(cutoff)],
    )?)
    .await
}

/// A job run as the admin API lists it.
#[derive(Debug, Deserialize, Serialize)]
pub struct JobRun {
    pub job: String,
    pub slot: i64,
    pub cron: String,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub summary: Option<String>,
    /// The D1 binding whose table holds the run (filled by the caller, not stored).
    #[serde(default)]
    pub shard: String,
}

/// Lists the 50 latest runs.
pub async fn recent(db: &Db) -> Result<Vec<JobRun>, AppError> {
    db.rows(db.stmt(include_str!("sql/recent_job_runs.sql"), &[])?)
        .await
}
