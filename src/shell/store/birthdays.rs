//! Birthday gifts in D1: one batch per merchant and run (grants, entries, lots, balances, gift
//! codes, messages), each statement acting on the grants this run made; a member's grant for a
//! year is a primary key, so a repeated or overlapping run gives nothing twice.

use serde::Deserialize;

use super::{count, Arg, Db};
use crate::domain::birthday::{Birthday, Target};
use crate::shell::error::AppError;

#[derive(Debug, Deserialize)]
struct MerchantRow {
    merchant_id: String,
}

/// Merchants whose program in force gives birthday gifts.
pub async fn merchants(db: &Db) -> Result<Vec<String>, AppError> {
    let rows: Vec<MerchantRow> = db
        .rows(db.stmt(include_str!("sql/birthday_merchants.sql"), &[])?)
        .await?;
    Ok(rows.into_iter().map(|r| r.merchant_id).collect())
}

/// Gives `merchant`'s members celebrating one of `targets` their gift; returns how many got one.
pub async fn grant(
    db: &Db,
    merchant: &str,
    terms: &Birthday,
    program_version: i64,
    targets: &[Target],
    now: i64,
    expires_at: Option<i64>,
) -> Result<usize, AppError> {
    let mut stmts = Vec::with_capacity(targets.len() + 5);
    for t in targets {
        let first = t.days.first().map_or("", String::as_str);
        let second = t.days.get(1).map_or(first, String::as_str);
        stmts.push(db.stmt(
            include_str!("sql/insert_birthday_grants.sql"),
            &[
                merchant.into(),
                now.into(),
                i64::from(t.year).into(),
                first.into(),
                second.into(),
                i64::from(terms.gift.points).into(),
                i64::from(terms.gift.stamps).into(),
                terms.gift.reward_id.as_deref().into(),
                i64::from(terms.gift_days).into(),
                program_version.into(),
            ],
        )?);
    }
    let granted = stmts.len();
    let m = || -> [Arg<'_>; 2] { [merchant.into(), now.into()] };
    stmts.push(db.stmt(include_str!("sql/birthday_entries.sql"), &m())?);
    stmts.push(db.stmt(
        include_str!("sql/birthday_lots.sql"),
        &[
            merchant.into(),
            now.into(),
            expires_at.map_or(Arg::Null, Arg::Int),
        ],
    )?);
    stmts.push(db.stmt(include_str!("sql/birthday_members.sql"), &m())?);
    stmts.push(db.stmt(include_str!("sql/birthday_gifts.sql"), &m())?);
    stmts.push(db.stmt(include_str!("sql/birthday_outbox.sql"), &m())?);
    let results = db.batch(stmts).await?;
    let mut n = 0;
    for i in 0..granted {
        n += count(&results, i)?;
    }
    Ok(n)
}

/// Queues "points expiring soon" messages for the next 7 days and "reward expiring soon" ones
/// for gifts that lapse within 2 days, in one round trip; returns how many were new.
pub async fn queue_expiry_reminders(db: &Db, now: i64) -> Result<usize, AppError> {
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/queue_expiry_reminders.sql"),
                &[now.into()],
            )?,
            db.stmt(
                include_str!("sql/queue_reward_reminders.sql"),
                &[now.into()],
            )?,
        ])
        .await?;
    Ok(count(&results, 0)? + count(&results, 1)?)
}
