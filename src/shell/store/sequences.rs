//! Triggered sequences in D1: occasions are queued by the batch of the sale that caused them
//! (or by the job that noticed a lapse) and fired once their delay is over by one set of seven
//! statements, in the sale's own batch when there is no delay or by the deliveries job. Each
//! statement acts only on the occasions its batch took (`fired_by`, unique per batch); the status
//! flips last, so an occasion fires once.

use serde::{Deserialize, Serialize};
use worker::D1PreparedStatement;

use super::{count, Arg, Db};
use crate::domain::program::MerchantConfig;
use crate::domain::sequence::{self, INACTIVE_LOOKBACK_DAYS};
use crate::shell::error::AppError;

/// Occasions one firing batch takes at most.
pub const FIRE_LIMIT: i64 = 200;

/// What a sale's batch does for the merchant's sequences.
pub struct OnSale {
    /// The sale-triggered rules (`domain::sequence::rules_json(.., true, ..)`).
    pub rules: String,
    /// Whether a rule has no delay, so this batch fires the member's due occasions.
    pub fire_now: bool,
    /// When bonus points expire, under the merchant's policy.
    pub expires_at: Option<i64>,
}

impl OnSale {
    /// What a sale at `now` does for `config`'s sequences (none: nothing to add to its batch).
    pub fn of(config: &MerchantConfig, now: i64) -> Option<OnSale> {
        let (any, fire_now) = sequence::on_sale(&config.program.sequences);
        any.then(|| OnSale {
            rules: sequence::rules_json(&config.program.sequences, true, config.program_version),
            fire_now,
            expires_at: config.bonus_expiry(now),
        })
    }

    /// Appends the statements to a sale's batch (`batch` unique to it); returns the index of the
    /// first firing statement, if any.
    pub fn append(
        &self,
        db: &Db,
        stmts: &mut Vec<D1PreparedStatement>,
        merchant: &str,
        sale: &Sale<'_>,
        batch: &str,
        now: i64,
    ) -> Result<Option<usize>, AppError> {
        stmts.push(queue_stmt(db, merchant, now, &self.rules, sale)?);
        if !self.fire_now {
            return Ok(None);
        }
        let start = stmts.len();
        stmts.extend(fire_statements(
            db,
            &Firing {
                merchant,
                now,
                batch,
                whose: match sale {
                    Sale::Scan { member, .. } => Whose::Member(member),
                    Sale::Order { order_id, .. } => Whose::OrderOf(order_id),
                },
                expires_at: self.expires_at,
            },
        )?);
        Ok(Some(start))
    }
}

/// The sale an occasion may come from.
pub enum Sale<'a> {
    /// A scan credited by this batch, for this member.
    Scan { id: &'a str, member: &'a str },
    /// An order recorded by this request.
    Order {
        order_id: &'a str,
        request_id: &'a str,
    },
}

/// The statement that queues what `sale` sets off, for the rules of
/// `domain::sequence::rules_json(.., true, ..)`.
pub fn queue_stmt(
    db: &Db,
    merchant: &str,
    now: i64,
    rules: &str,
    sale: &Sale<'_>,
) -> Result<D1PreparedStatement, AppError> {
    let (kind, id, request) = match sale {
        Sale::Scan { id, .. } => ("scan", *id, ""),
        Sale::Order {
            order_id,
            request_id,
        } => ("order", *order_id, *request_id),
    };
    db.stmt(
        include_str!("sql/queue_sequences.sql"),
        &[
            merchant.into(),
            now.into(),
            rules.into(),
            kind.into(),
            id.into(),
            request.into(),
        ],
    )
}

/// Who a firing batch is for.
pub struct Firing<'a> {
    pub merchant: &'a str,
    pub now: i64,
    /// Unique per batch (a scan id, a request id, a job's random id).
    pub batch: &'a str,
    /// Whose occasions: one member's (a sale's own batch) or all that are due.
    pub whose: Whose<'a>,
    /// When bonus points expire, under the merchant's policy.
    pub expires_at: Option<i64>,
}

/// Whose occasions a firing batch takes.
#[derive(Clone, Copy)]
pub enum Whose<'a> {
    All,
    Member(&'a str),
    /// The member an order of this id was recorded for.
    OrderOf(&'a str),
}

/// The seven statements that fire due occasions; the last one's count is how many fired.
pub fn fire_statements(db: &Db, f: &Firing<'_>) -> Result<Vec<D1PreparedStatement>, AppError> {
    let own = || -> [Arg<'_>; 2] { [f.batch.into(), f.now.into()] };
    Ok(vec![
        db.stmt(
            include_str!("sql/fire_sequences.sql"),
            &[
                f.merchant.into(),
                f.now.into(),
                f.batch.into(),
                match f.whose {
                    Whose::Member(m) => Arg::Text(m),
                    _ => Arg::Null,
                },
                FIRE_LIMIT.into(),
                match f.whose {
                    Whose::OrderOf(o) => Arg::Text(o),
                    _ => Arg::Null,
                },
            ],
        )?,
        db.stmt(include_str!("sql/sequence_entries.sql"), &own())?,
        db.stmt(
            include_str!("sql/sequence_lots.sql"),
            &[
                f.batch.into(),
                f.now.into(),
                f.expires_at.map_or(Arg::Null, Arg::Int),
            ],
        )?,
        db.stmt(include_str!("sql/sequence_members.sql"), &own())?,
        db.stmt(include_str!("sql/sequence_gifts.sql"), &own())?,
        db.stmt(include_str!("sql/sequence_outbox.sql"), &own())?,
        db.stmt(include_str!("sql/sequence_status.sql"), &[f.batch.into()])?,
    ])
}

/// What a firing batch did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Fired {
    /// Occasions taken (given or skipped).
    pub taken: usize,
    /// Messages queued.
    pub messages: usize,
}

/// Reads what the statements of `fire_statements`, starting at `start` in a batch, did.
pub fn fired(results: &[worker::D1Result], start: usize) -> Result<Fired, AppError> {
    Ok(Fired {
        taken: count(results, start + 6)?,
        messages: count(results, start + 5)?,
    })
}

/// Fires a merchant's due occasions in one batch (the deliveries job).
pub async fn fire_due(db: &Db, f: &Firing<'_>) -> Result<Fired, AppError> {
    let results = db.batch(fire_statements(db, f)?).await?;
    fired(&results, 0)
}

#[derive(Debug, Deserialize)]
struct MerchantRow {
    merchant_id: String,
}

/// Merchants with occasions due at `now` (at most `limit`).
pub async fn due_merchants(db: &Db, now: i64, limit: i64) -> Result<Vec<String>, AppError> {
    let rows: Vec<MerchantRow> = db
        .rows(db.stmt(
            include_str!("sql/sequences_due_merchants.sql"),
            &[now.into(), limit.into()],
        )?)
        .await?;
    Ok(rows.into_iter().map(|r| r.merchant_id).collect())
}

/// Merchants whose program in force has an enabled inactivity sequence.
pub async fn inactive_merchants(db: &Db) -> Result<Vec<String>, AppError> {
    let rows: Vec<MerchantRow> = db
        .rows(db.stmt(include_str!("sql/sequence_inactive_merchants.sql"), &[])?)
        .await?;
    Ok(rows.into_iter().map(|r| r.merchant_id).collect())
}

/// Queues the lapses of `merchant`'s inactivity sequences (`rules`) as the last rollup sees
/// them; returns how many were new.
pub async fn queue_inactive(
    db: &Db,
    merchant: &str,
    now: i64,
    rules: &str,
) -> Result<usize, AppError> {
    db.run(db.stmt(
        include_str!("sql/queue_sequences_inactive.sql"),
        &[
            merchant.into(),
            now.into(),
            rules.into(),
            i64::from(INACTIVE_LOOKBACK_DAYS).into(),
        ],
    )?)
    .await
}

/// One sequence's occasions in one status.
#[derive(Debug, Deserialize)]
pub struct Count {
    pub sequence: String,
    pub status: String,
    pub n: i64,
    pub points: i64,
    pub stamps: i64,
    pub rewards: i64,
}

/// What one sequence's occasions came to, as the API and the dashboard show it.
#[derive(Debug, Default, Serialize)]
pub struct Runs {
    pub waiting: i64,
    pub given: i64,
    pub skipped: i64,
    pub points_given: i64,
    pub stamps_given: i64,
    pub rewards_given: i64,
}

/// Sums the rows of `counts` for sequence `id`.
pub fn runs_of(counts: &[Count], id: &str) -> Runs {
    let mut r = Runs::default();
    for c in counts.iter().filter(|c| c.sequence == id) {
        match c.status.as_str() {
            "pending" => r.waiting += c.n,
            "skipped" => r.skipped += c.n,
            _ => {
                r.given += c.n;
                r.points_given += c.points;
                r.stamps_given += c.stamps;
                r.rewards_given += c.rewards;
            }
        }
    }
    r
}

/// A merchant's occasions since `since` per sequence and status.
pub async fn counts_since(db: &Db, merchant: &str, since: i64) -> Result<Vec<Count>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/sequence_counts_since.sql"),
        &[merchant.into(), since.into()],
    )?)
    .await
}

/// A merchant's occasions per sequence and status.
pub async fn counts(db: &Db, merchant: &str) -> Result<Vec<Count>, AppError> {
    db.rows(db.stmt(include_str!("sql/sequence_counts.sql"), &[merchant.into()])?)
        .await
}
