//! Cron jobs. Schedules are UTC; one `scheduled` entry point dispatches on the cron string.
//! Every job claims its time slot in D1 first, so a repeated or overlapping run does nothing.
//! Hourly: pending points become spendable, lots expire, lapsed codes are released, members
//! whose points in the tier window fell below their level move down (rolling policy), old
//! idempotency keys (24 h), webhook ids (76 h) and rate windows are forgotten, and referrals
//! whose qualifying purchase became final are paid; members whose birthday it is (in each
//! merchant's time zone, from its local hour) get their gift once a year; "points expiring in 7
//! days" messages are queued. At 20 past each hour: every merchant's local days that are over
//! are rolled up into daily KPIs, and members get their RFM scores and segments (see rollups.rs).
//! The rollups run also queues the lapses inactivity sequences look for. Every 10 minutes:
//! lapsed codes are released, due sequence occasions fire (gift and/or message, once each), and
//! due messages are delivered (first attempts
//! the response did not make, retries with backoff, the end of quiet hours; see deliver.rs).

use worker::Env;

use super::app::App;
use super::error::AppError;
use std::collections::BTreeMap;

use super::app::random;
use super::cache;
use super::store::{birthdays, campaigns, jobs, ledger, messages, referrals, sequences, tiers};
use crate::domain::idempotency::KEEP_MS;
use crate::domain::ids::{to_hex, MerchantId};
use crate::domain::sequence;
use crate::domain::webhook::DEDUPE_MS;

/// The crons in wrangler.toml, the job each runs, and the slot length that makes a run unique.
pub const SCHEDULE: [(&str, &str, i64); 3] = [
    ("5 * * * *", "hourly", 3_600_000),
    ("20 * * * *", "rollups", 3_600_000),
    ("*/10 * * * *", "deliveries", 600_000),
];

/// Runs the job for `cron`, scheduled at Unix millisecond `scheduled_ms`, logging a one-line summary.
pub async fn run(cron: &str, scheduled_ms: i64, env: &Env) {
    let Some(&(_, job, period)) = SCHEDULE.iter().find(|(c, _, _)| *c == cron) else {
        worker::console_error!("job: no job for cron {cron:?}");
        return;
    };
    let mut app = match App::new(env) {
        Ok(app) => app,
        Err(e) => {
            worker::console_error!("job {job}: cannot start: {e:?}");
            return;
        }
    };
    // Tests move a job's clock by triggering it at another time; deployments run on the real
    // clock (JOB_CLOCK is set only by scripts/test). The job's own records keep the wall clock.
    let wall_ms = app.now_ms;
    if app.moved_clock {
        app.now_ms = scheduled_ms;
    }
    let slot = scheduled_ms - scheduled_ms.rem_euclid(period);
    // Each shard runs the job on its own merchants and claims the slot in its own table, so a
    // failed shard is retried by its next slot without holding up the others.
    for i in 0..app.db.shard_count() {
        app.db.use_shard(i);
        let shard = app.db.shard_name().to_owned();
        let started = worker::Date::now().as_millis() as i64;
        match run_slot(&app, job, cron, slot, wall_ms).await {
            Ok(Some(summary)) => worker::console_log!(
                "job {job} slot {slot} on {shard}: {summary} in {} ms",
                worker::Date::now().as_millis() as i64 - started
            ),
            Ok(None) => {
                worker::console_log!("job {job} slot {slot} on {shard}: already run, skipped")
            }
            Err(e) => worker::console_error!("job {job} slot {slot} on {shard}: failed: {e:?}"),
        }
    }
}

async fn run_slot(
    app: &App,
    job: &str,
    cron: &str,
    slot: i64,
    wall_ms: i64,
) -> Result<Option<String>, AppError> {
    if !jobs::claim(&app.db, job, slot, cron, wall_ms).await? {
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
            let pruned = jobs::prune(&app.db, wall_ms - 90 * 86_400_000).await?;
            let messages = messages::prune(&app.db, app.now_ms - 90 * 86_400_000).await?;
            let lowered = tiers::sweep(&app.db, app.now_ms).await?;
            let referrals = pay_referrals(app).await?;
            let birthdays = give_birthday_gifts(app).await?;
            let reminders = birthdays::queue_expiry_reminders(&app.db, app.now_ms).await?;
            format!(
                "activated {activated} pending lots, expired {expired} lots, released {released} \
                 codes, moved {lowered} members down a tier, paid {referrals} referrals, gave \
                 {birthdays} birthday gifts, queued {reminders} expiry reminders, forgot \
                 {keys} idempotency keys and {webhooks} webhook ids, pruned {pruned} job runs and \
                 {messages} old messages"
            )
        }
        "rollups" => {
            let p =
                super::rollups::run_all(&app.db, app.now_ms, super::rollups::RUN_BUDGET).await?;
            let lapses = queue_lapses(app).await?;
            format!(
                "rolled up {} days for {} merchants, scored {} members, {} merchants left for \
                 the next run; queued {lapses} inactivity sequences",
                p.days, p.merchants, p.scored, p.behind
            )
        }
        _ => {
            let released = ledger::release_due(&app.db, app.now_ms).await?;
            let launched = launch_scheduled(app, None, app.now_ms).await?;
            let fired = fire_sequences(app).await?;
            let t = super::deliver::all(app, app.now_ms, DELIVERY_LEASES).await?;
            format!(
                "released {released} expired redemption codes; launched {launched} scheduled \
                 campaigns; fired {fired} sequence occasions; messages: {} sent, {} failed \
                 (will retry), {} dead-lettered, {} suppressed, {} held for quiet hours",
                t.sent, t.failed, t.dead, t.suppressed, t.postponed
            )
        }
    };
    jobs::finish(&app.db, job, slot, wall_ms, &summary).await?;
    Ok(Some(summary))
}

/// Scheduled campaigns launched per run (each assigns its audience in batches of 2,000).
const CAMPAIGNS_PER_RUN: i64 = 5;

/// Launches the scheduled campaigns whose moment has come, once each (`launch_now` checks the
/// draft status in D1). One that cannot go (messages switched off) stays a draft, says so on
/// its page, and is tried again by the next run.
/// `merchant`: that merchant's only (the operator's nudge).
pub async fn launch_scheduled(
    app: &App,
    merchant: Option<&str>,
    now: i64,
) -> Result<usize, AppError> {
    let mut launched = 0;
    for (merchant, id) in campaigns::due(&app.db, now, CAMPAIGNS_PER_RUN, merchant).await? {
        match super::routes::launch_campaign(app, &merchant, &id, now).await {
            Ok(()) => launched += 1,
            Err(AppError::CampaignLaunched) => {}
            Err(e) => worker::console_warn!("job: campaign {id} of {merchant} not launched: {e:?}"),
        }
    }
    Ok(launched)
}

/// Leases of up to 30 messages one deliveries run takes (each waits at most one timeout per
/// six messages).
const DELIVERY_LEASES: usize = 20;

/// Referrals paid per batch (ten statements each).
const REFERRALS_PER_BATCH: usize = 10;

/// Pays the referrals whose qualifying purchase became final (up to 500 a run; the rest next
/// hour), merchant by merchant: bonus points expire under each merchant's policy.
async fn pay_referrals(app: &App) -> Result<usize, AppError> {
    let due = referrals::due(&app.db, app.now_ms, 500).await?;
    let mut by_merchant: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in due {
        by_merchant.entry(d.merchant_id).or_default().push(d.id);
    }
    let mut paid = 0;
    for (m, ids) in by_merchant {
        let Some(merchant) = MerchantId::parse(&m) else {
            continue;
        };
        let Some(config) = cache::merchant(app, merchant).await? else {
            continue;
        };
        let expires_at = config.bonus_expiry(app.now_ms);
        for chunk in ids.chunks(REFERRALS_PER_BATCH) {
            paid += referrals::pay(&app.db, &m, chunk, app.now_ms, expires_at).await?;
        }
    }
    Ok(paid)
}

/// Merchants whose due sequence occasions one deliveries run fires (one batch each; the rest
/// next run).
const SEQUENCE_MERCHANTS: i64 = 50;

/// Fires due sequence occasions, merchant by merchant; returns how many were taken.
async fn fire_sequences(app: &App) -> Result<usize, AppError> {
    let mut taken = 0;
    for m in sequences::due_merchants(&app.db, app.now_ms, SEQUENCE_MERCHANTS).await? {
        if let Some(merchant) = MerchantId::parse(&m) {
            taken += fire_sequences_of(app, merchant, app.now_ms).await?;
        }
    }
    Ok(taken)
}

/// Fires one merchant's occasions due at `now` (up to one batch; bonus points expire under the
/// merchant's policy); returns how many were taken. The deliveries job and the operator's
/// delivery call run it before delivering, so the messages it queues go out in the same run.
pub async fn fire_sequences_of(
    app: &App,
    merchant: MerchantId,
    now: i64,
) -> Result<usize, AppError> {
    let Some(config) = cache::merchant(app, merchant).await? else {
        return Ok(0);
    };
    let m = merchant.to_string();
    let batch = to_hex(&random::<16>()?);
    let firing = sequences::Firing {
        merchant: &m,
        now,
        batch: &batch,
        whose: sequences::Whose::All,
        expires_at: config.bonus_expiry(now),
    };
    Ok(sequences::fire_due(&app.db, &firing).await?.taken)
}

/// Queues the lapses the last rollups show for merchants with an inactivity sequence.
async fn queue_lapses(app: &App) -> Result<usize, AppError> {
    let mut queued = 0;
    for m in sequences::inactive_merchants(&app.db).await? {
        if let Some(merchant) = MerchantId::parse(&m) {
            queued += queue_lapses_of(app, merchant, app.now_ms).await?;
        }
    }
    Ok(queued)
}

/// Queues one merchant's lapses as its last rollup sees them (the rollups job, and the
/// operator's rollup call after rolling); returns how many were new.
pub async fn queue_lapses_of(app: &App, merchant: MerchantId, now: i64) -> Result<usize, AppError> {
    let Some(config) = cache::merchant(app, merchant).await? else {
        return Ok(0);
    };
    let version = config.program_version;
    let rules = sequence::rules_json(&config.program.sequences, false, version);
    if rules == "[]" {
        return Ok(0);
    }
    sequences::queue_inactive(&app.db, &merchant.to_string(), now, &rules).await
}

/// Gives birthday gifts merchant by merchant, from each merchant's local hour on.
async fn give_birthday_gifts(app: &App) -> Result<usize, AppError> {
    let mut given = 0;
    for m in birthdays::merchants(&app.db).await? {
        let Some(merchant) = MerchantId::parse(&m) else {
            continue;
        };
        let Some(config) = cache::merchant(app, merchant).await? else {
            continue;
        };
        let terms = &config.program.birthday;
        let targets = crate::domain::birthday::targets(app.now_ms, config.tz(), terms);
        if !terms.enabled || targets.is_empty() {
            continue;
        }
        given += birthdays::grant(
            &app.db,
            &m,
            terms,
            i64::from(config.program_version),
            &targets,
            app.now_ms,
            config.bonus_expiry(app.now_ms),
        )
        .await?;
    }
    Ok(given)
}
