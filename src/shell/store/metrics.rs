//! Rollups in D1: a merchant's local day is rolled by one atomic batch guarded by
//! `rollup_state.next_day` (so a repeated or overlapping run rolls nothing twice), and members
//! are scored in chunks that each mark what they scored (so an interrupted scoring resumes).

use serde::{Deserialize, Serialize};

use super::{count, Arg, Db};
use crate::domain::metrics::{cut_offsets, Counts};
use crate::shell::error::AppError;

/// Statements in one day's batch.
pub const DAY_STATEMENTS: usize = 8;
/// Statements in one scoring chunk's batch.
pub const CHUNK_STATEMENTS: usize = 4;

/// How far a merchant's rollups got.
#[derive(Debug, Deserialize)]
pub struct Clock {
    pub merchant_id: String,
    pub time_zone: String,
    pub created_at: i64,
    pub next_day: Option<i64>,
    pub rolled_to: Option<i64>,
    pub scored_day: Option<i64>,
}

/// Every merchant's clock, or one merchant's.
pub async fn clocks(db: &Db, merchant: Option<&str>) -> Result<Vec<Clock>, AppError> {
    db.rows(db.stmt(include_str!("sql/rollup_merchants.sql"), &[merchant.into()])?)
        .await
}

/// Starts a merchant's rollups at `day` unless they started already.
pub async fn start(db: &Db, merchant: &str, day: i64) -> Result<(), AppError> {
    db.run(db.stmt(
        include_str!("sql/rollup_start.sql"),
        &[merchant.into(), day.into()],
    )?)
    .await?;
    Ok(())
}

/// Rolls local day `day` (Unix ms `from` to `to`) if it is the merchant's next; returns whether
/// this call rolled it.
pub async fn roll_day(
    db: &Db,
    merchant: &str,
    day: i64,
    from: i64,
    to: i64,
    now: i64,
) -> Result<bool, AppError> {
    let window = || -> [Arg<'_>; 4] { [merchant.into(), day.into(), from.into(), to.into()] };
    let stmts = vec![
        db.stmt(include_str!("sql/rollup_new_members.sql"), &window())?,
        db.stmt(include_str!("sql/rollup_work.sql"), &window())?,
        db.stmt(include_str!("sql/rollup_channels.sql"), &window())?,
        db.stmt(include_str!("sql/rollup_messages.sql"), &window())?,
        db.stmt(
            include_str!("sql/rollup_fold.sql"),
            &[merchant.into(), day.into()],
        )?,
        db.stmt(
            include_str!("sql/rollup_day.sql"),
            &[
                merchant.into(),
                day.into(),
                from.into(),
                to.into(),
                now.into(),
            ],
        )?,
        db.stmt(include_str!("sql/rollup_clear.sql"), &[merchant.into()])?,
        db.stmt(
            include_str!("sql/rollup_next.sql"),
            &[merchant.into(), day.into(), to.into()],
        )?,
    ];
    debug_assert_eq!(stmts.len(), DAY_STATEMENTS);
    let results = db.batch(stmts).await?;
    Ok(count(&results, DAY_STATEMENTS - 1)? == 1)
}

#[derive(Debug, Deserialize)]
struct Sample {
    members: i64,
    scored: i64,
}

/// Fixes the RFM cut points of `day` (once; only while the totals hold exactly the days to it):
/// counts the sample, then reads each cut point off an index at its offset. Two round trips.
pub async fn thresholds(db: &Db, merchant: &str, day: i64) -> Result<(), AppError> {
    let sample: Option<Sample> = db
        .rows(db.stmt(include_str!("sql/rfm_sample.sql"), &[merchant.into()])?)
        .await?
        .into_iter()
        .next();
    let Some(sample) = sample else {
        return Ok(());
    };
    let [a, b, c, d] = cut_offsets(sample.scored);
    db.run(db.stmt(
        include_str!("sql/rfm_thresholds.sql"),
        &[
            merchant.into(),
            day.into(),
            sample.scored.into(),
            a.into(),
            b.into(),
            c.into(),
            d.into(),
            (sample.members - sample.scored).into(),
        ],
    )?)
    .await?;
    Ok(())
}

/// Scores up to `limit` members not yet scored for `day`; returns how many it scored.
pub async fn score_chunk(
    db: &Db,
    merchant: &str,
    day: i64,
    limit: i64,
    now: i64,
) -> Result<usize, AppError> {
    let stmts = vec![
        db.stmt(
            include_str!("sql/rfm_score_work.sql"),
            &[merchant.into(), day.into(), limit.into()],
        )?,
        db.stmt(
            include_str!("sql/rfm_we_miss_you.sql"),
            &[merchant.into(), day.into(), now.into()],
        )?,
        db.stmt(
            include_str!("sql/rfm_score.sql"),
            &[merchant.into(), day.into()],
        )?,
        db.stmt(include_str!("sql/rfm_clear.sql"), &[merchant.into()])?,
    ];
    debug_assert_eq!(stmts.len(), CHUNK_STATEMENTS);
    let results = db.batch(stmts).await?;
    count(&results, 2)
}

/// Records the segment sizes of `day` and marks its scoring finished, once every member is
/// scored; returns whether it finished.
pub async fn finish_scoring(db: &Db, merchant: &str, day: i64) -> Result<bool, AppError> {
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/rfm_sizes.sql"),
                &[merchant.into(), day.into()],
            )?,
            db.stmt(
                include_str!("sql/rfm_done.sql"),
                &[merchant.into(), day.into()],
            )?,
        ])
        .await?;
    Ok(count(&results, 1)? == 1)
}

/// One rolled-up day.
#[derive(Debug, Deserialize)]
pub struct Day {
    pub day: i64,
    #[serde(flatten)]
    pub counts: Counts,
}

/// A merchant's days `from` to `to`.
pub async fn days(db: &Db, merchant: &str, from: i64, to: i64) -> Result<Vec<Day>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/metrics_days.sql"),
        &[merchant.into(), from.into(), to.into()],
    )?)
    .await
}

/// One channel's figures over a range of days.
#[derive(Debug, Deserialize, Serialize)]
pub struct Channel {
    pub channel: String,
    pub scans: i64,
    pub enrolments: i64,
    pub conversions: i64,
}

/// A merchant's channels over days `from` to `to`.
pub async fn channels(
    db: &Db,
    merchant: &str,
    from: i64,
    to: i64,
) -> Result<Vec<Channel>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/metrics_channels.sql"),
        &[merchant.into(), from.into(), to.into()],
    )?)
    .await
}

/// What one message channel achieved over some days.
#[derive(Debug, Deserialize)]
pub struct MessageChannel {
    pub channel: String,
    pub sent: i64,
    pub accepted: i64,
    pub failed: i64,
    pub opened: i64,
    pub clicked: i64,
    pub converted: i64,
    pub typical_return_ms: Option<i64>,
}

/// A merchant's messages per channel over days `from` to `to`.
pub async fn message_channels(
    db: &Db,
    merchant: &str,
    from: i64,
    to: i64,
) -> Result<Vec<MessageChannel>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/metrics_message_channels.sql"),
        &[merchant.into(), from.into(), to.into()],
    )?)
    .await
}

/// The cut points of a merchant's last finished scoring.
#[derive(Debug, Deserialize)]
pub struct Thresholds {
    pub day: i64,
    pub scored: i64,
    pub r1: Option<i64>,
    pub r2: Option<i64>,
    pub r3: Option<i64>,
    pub r4: Option<i64>,
    pub f1: Option<i64>,
    pub f2: Option<i64>,
    pub f3: Option<i64>,
    pub f4: Option<i64>,
    pub m1: Option<i64>,
    pub m2: Option<i64>,
    pub m3: Option<i64>,
    pub m4: Option<i64>,
}

/// The last finished scoring's cut points, if any.
pub async fn latest_thresholds(db: &Db, merchant: &str) -> Result<Option<Thresholds>, AppError> {
    Ok(db
        .rows(db.stmt(include_str!("sql/rfm_latest.sql"), &[merchant.into()])?)
        .await?
        .into_iter()
        .next())
}

/// A segment's size on a day.
#[derive(Debug, Deserialize)]
pub struct Size {
    pub day: i64,
    pub segment: String,
    pub members: i64,
}

/// Segment sizes on the scored days `from` to `to`.
pub async fn sizes(db: &Db, merchant: &str, from: i64, to: i64) -> Result<Vec<Size>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/segment_sizes.sql"),
        &[merchant.into(), from.into(), to.into()],
    )?)
    .await
}

/// A member of a segment with their scores.
#[derive(Debug, Deserialize)]
pub struct SegmentMember {
    pub member_id: String,
    pub name: String,
    pub r: Option<i64>,
    pub f: Option<i64>,
    pub m: Option<i64>,
    pub transactions: i64,
    pub purchases: i64,
    pub revenue_minor: i64,
    pub last_transaction_day: Option<i64>,
    pub created_day: i64,
}

/// Up to `limit` members of `segment` after member id `after`.
pub async fn segment_members(
    db: &Db,
    merchant: &str,
    segment: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<SegmentMember>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/segment_members.sql"),
        &[merchant.into(), segment.into(), after.into(), limit.into()],
    )?)
    .await
}
