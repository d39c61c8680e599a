//! Nightly rollups, merchant by merchant in each one's time zone: every local day that is over
//! and not rolled yet (a missed day is caught up, oldest first), then, once a merchant is caught
//! up, RFM scoring of its members as of its last day. Work is bounded by a statement budget (D1
//! allows 1,000 queries per invocation); what does not fit is picked up by the next run, where it
//! stopped.

use serde::Serialize;

use super::error::AppError;
use super::store::metrics::{self as store, Clock, CHUNK_STATEMENTS, DAY_STATEMENTS};
use super::store::Db;
use crate::domain::metrics::{last_complete_day, local_day, start};

/// Statements a cron run may spend (the rest of the 1,000 is headroom for the run's own records).
pub const RUN_BUDGET: usize = 900;
/// Members scored per batch.
pub const CHUNK: i64 = 5_000;

/// What a run did.
#[derive(Debug, Default, Serialize)]
pub struct Progress {
    pub merchants: usize,
    pub days: usize,
    pub scored: usize,
    /// Merchants with work left for the next run.
    pub behind: usize,
}

/// Rolls every merchant, those with the fewest days due first (a nightly day is never held up by
/// another merchant's backfill).
pub async fn run_all(db: &Db, now: i64, budget: usize) -> Result<Progress, AppError> {
    let mut clocks = store::clocks(db, None).await?;
    clocks.sort_by_key(|c| due_days(c, now));
    let mut budget = budget;
    let mut total = Progress::default();
    for clock in &clocks {
        let p = run_merchant(db, clock, now, &mut budget, CHUNK).await?;
        total.merchants += usize::from(p.days > 0 || p.scored > 0);
        total.days += p.days;
        total.scored += p.scored;
        total.behind += p.behind;
    }
    Ok(total)
}

fn zone(c: &Clock) -> chrono_tz::Tz {
    c.time_zone.parse().unwrap_or(chrono_tz::UTC)
}

fn first_day(c: &Clock) -> i64 {
    c.next_day
        .unwrap_or_else(|| local_day(c.created_at, zone(c)))
}

fn due_days(c: &Clock, now: i64) -> i64 {
    (last_complete_day(now, zone(c)) + 1 - first_day(c)).max(0)
}

/// Rolls one merchant's due days and then scores its members, within `budget` statements
/// (spent as it goes); `behind` is 1 if work is left.
pub async fn run_merchant(
    db: &Db,
    clock: &Clock,
    now: i64,
    budget: &mut usize,
    chunk: i64,
) -> Result<Progress, AppError> {
    let tz = zone(clock);
    let m = clock.merchant_id.as_str();
    let mut p = Progress::default();
    let last = last_complete_day(now, tz);
    let mut day = first_day(clock);
    if clock.next_day.is_none() {
        if day > last {
            return Ok(p); // its first day is not over yet
        }
        store::start(db, m, day).await?;
    }
    // Each day starts where the one before ended, so a change of time zone neither counts an
    // hour twice nor skips one.
    let mut from = clock.rolled_to.unwrap_or_else(|| start(day, tz));
    while day <= last {
        if *budget < DAY_STATEMENTS {
            p.behind = 1;
            return Ok(p);
        }
        *budget -= DAY_STATEMENTS;
        let to = start(day + 1, tz).max(from);
        store::roll_day(db, m, day, from, to, now).await?;
        from = to;
        p.days += 1;
        day += 1;
    }
    // Caught up to the last day that is over: score as of it, unless that scoring finished. (A
    // clock behind the rolled days, as in a test of the past, scores nothing.)
    if day != last + 1 || clock.scored_day >= Some(last) {
        return Ok(p);
    }
    if *budget < 2 + CHUNK_STATEMENTS + 2 {
        p.behind = 1;
        return Ok(p);
    }
    *budget -= 2;
    store::thresholds(db, m, last).await?;
    loop {
        if *budget < CHUNK_STATEMENTS + 2 {
            p.behind = 1;
            return Ok(p);
        }
        *budget -= CHUNK_STATEMENTS;
        let n = store::score_chunk(db, m, last, chunk, now).await?;
        p.scored += n;
        if n < usize::try_from(chunk).unwrap_or(usize::MAX) {
            break;
        }
    }
    *budget -= 2;
    store::finish_scoring(db, m, last).await?;
    Ok(p)
}
