//! Cron jobs. Schedules are UTC; one `scheduled` entry point dispatches on the cron string.
//! Every job claims its time slot in D1 first, so a repeated or overlapping run does nothing.
//! Hourly: pending points become spendable, lots expire, lapsed codes are released, members
//! whose points in the tier window fell below their level move down (rolling policy), old
//! idempotency keys (24 h), webhook ids (76 h) and rate windows are forgotten. Every 10 minutes:
//! lapsed codes are released. (Birthday offers, rollups and message delivery arrive with their
//! issues.)

use worker::Env;

use super::app::App;
use super::error::AppError;
use super::store::{jobs, ledger, tiers};
use crate::domain::idempotency::KEEP_MS;
use crate::domain::webhook::DEDUPE_MS;

/// The crons in wrangler.toml, the job each runs, and the slot length that makes a run unique.
pub const SCHEDULE: [(&str, &str, i64); 2] = [
    ("5 * * * *", "hourly", 3_600_000),
    ("*/10 * * * *", "deliveries", 600_000),
];

/// Runs the job for `cron`, scheduled at Unix millisecond `scheduled_ms`, logging a one-line summary.
pub async fn run(cron: &str, scheduled_ms: i64, env: &Env) {
    let Some(&(_, job, period)) = SCHEDULE.iter().find(|(c, _, _)| *c == cron) else {
        worker::console_error!("job: no job for cron {cron:?}");
        return;
    };
    let app = match App::new(env) {
        Ok(app) => app,
        Err(e) => {
            worker::console_error!("job {job}: cannot start: {e:?}");
            return;
        }
    };
    let slot = scheduled_ms - scheduled_ms.rem_euclid(period);
    match run_slot(&app, job, cron, slot).await {
        Ok(Some(summary)) => worker::console_log!(
            "job {job} slot {slot}: {summary} in {} ms",
            worker::Date::now().as_millis() as i64 - app.now_ms
        ),
        Ok(None) => worker::console_log!("job {job} slot {slot}: already run, skipped"),
        Err(e) => worker::console_error!("job {job} slot {slot}: failed: {e:?}"),
    }
}

async fn run_slot(app: &App, job: &str, cron: &str, slot: i64) -> Result<Option<String>, AppError> {
    if !jobs::claim(&app.db, job, slot, cron, app.now_ms).await? {
        return Ok(None);
    }
    let summary = match job {
        "hourly" => {
            let activated = ledger::activate_due(&app.db, app.now_ms).await?;
            let expired = ledger::expire_due(&app.db, app.now_ms).await?;
            let released = ledger::release_due(&app.db, app.now_ms).await?;
            let keys = jobs::prune_idempotency_keys(&app.db, app.now_ms - KEEP_MS).await?;
            jobs::prune_rate_windows(&app.db, app.now_ms - 3_600_000).await?;
            let webhooks = jobs::prune_webhook_events(&app.db, app.now_ms - DEDUPE_MS).await?;
            let pruned = jobs::prune(&app.db, app.now_ms - 90 * 86_400_000).await?;
            let lowered = tiers::sweep(&app.db, app.now_ms).await?;
            format!(
                "activated {activated} pending lots, expired {expired} lots, released {released} \
                 codes, moved {lowered} members down a tier, forgot {keys} idempotency keys and {webhooks} webhook ids, pruned \
                 {pruned} job runs"
            )
        }
        _ => {
            let released = ledger::release_due(&app.db, app.now_ms).await?;
            format!("released {released} expired redemption codes; nothing to deliver yet")
        }
    };
    jobs::finish(&app.db, job, slot, app.now_ms, &summary).await?;
    Ok(Some(summary))
}
