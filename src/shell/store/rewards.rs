//! The rewards catalog in D1.

use serde::{Deserialize, Serialize};

use super::{Arg, Db};
use crate::domain::reward::{Cost, Reward};
use crate::shell::error::AppError;

/// A reward as stored.
#[derive(Debug, Deserialize, Serialize, Clone)]
pub struct RewardRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub value: Option<i64>,
    pub coupon_code: Option<String>,
    /// `None`: costs a full stamp card.
    pub cost_points: Option<i64>,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub stock: Option<i64>,
    pub per_member_limit: Option<i64>,
    pub active: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub image: Option<String>,
    pub description: Option<String>,
}

fn args<'a>(id: &'a str, merchant: &'a str, r: &'a Reward, now: i64) -> Vec<Arg<'a>> {
    let (kind, value, coupon) = r.gift.columns();
    let opt = |v: Option<i64>| v.map_or(Arg::Null, Arg::Int);
    vec![
        id.into(),
        merchant.into(),
        r.name.as_str().into(),
        kind.into(),
        opt(value),
        coupon.into(),
        opt(match r.cost {
            Cost::Points(n) => Some(i64::from(n)),
            Cost::StampCard => None,
        }),
        opt(r.starts_at),
        opt(r.ends_at),
        opt(r.stock.map(i64::from)),
        opt(r.per_member_limit.map(i64::from)),
        i64::from(r.active).into(),
        now.into(),
        r.image.as_deref().into(),
        r.description.as_deref().into(),
    ]
}

/// Adds a reward to the catalog.
pub async fn insert(
    db: &Db,
    id: &str,
    merchant: &str,
    r: &Reward,
    now: i64,
) -> Result<(), AppError> {
    db.run(db.stmt(
        include_str!("sql/insert_reward.sql"),
        &args(id, merchant, r, now),
    )?)
    .await?;
    Ok(())
}

/// Adds several rewards to the catalog in one batch: all or none.
pub async fn insert_all(
    db: &Db,
    merchant: &str,
    rewards: &[(String, Reward)],
    now: i64,
) -> Result<(), AppError> {
    let stmts = rewards
        .iter()
        .map(|(id, r)| {
            db.stmt(
                include_str!("sql/insert_reward.sql"),
                &args(id, merchant, r, now),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    if !stmts.is_empty() {
        db.batch(stmts).await?;
    }
    Ok(())
}

/// What an update leaves as stored.
#[derive(Debug, Clone, Copy, Default)]
pub struct Keep {
    pub image: bool,
    pub description: bool,
}

/// Replaces a reward, but for what `keep` names; returns false if the merchant has no such
/// reward.
pub async fn update(
    db: &Db,
    id: &str,
    merchant: &str,
    r: &Reward,
    keep: Keep,
    now: i64,
) -> Result<bool, AppError> {
    let mut all = args(id, merchant, r, now);
    all.extend([
        i64::from(keep.image).into(),
        i64::from(keep.description).into(),
    ]);
    let n = db
        .run(db.stmt(include_str!("sql/update_reward.sql"), &all)?)
        .await?;
    Ok(n == 1)
}

/// Lists a merchant's rewards (only those redeemable at `now`, if `available`).
pub async fn list(
    db: &Db,
    merchant: &str,
    available: bool,
    now: i64,
) -> Result<Vec<RewardRow>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/merchant_rewards.sql"),
        &[merchant.into(), i64::from(available).into(), now.into()],
    )?)
    .await
}

/// How one reward was used over a window: redemptions confirmed (and the points they spent),
/// codes still waiting at the counter, and those released or cancelled.
#[derive(Debug, Deserialize)]
pub struct Usage {
    pub name: String,
    pub redeemed: i64,
    pub points: i64,
    pub waiting: i64,
    pub lapsed: i64,
}

/// Each reward's use since `since` (Unix ms), most redeemed first.
pub async fn usage(db: &Db, merchant: &str, since: i64) -> Result<Vec<Usage>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/reward_usage.sql"),
        &[merchant.into(), since.into()],
    )?)
    .await
}

/// A reward as the console lists it: the stored row's columns and its use.
#[derive(Debug, Deserialize, Clone)]
pub struct ConsoleReward {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub value: Option<i64>,
    pub coupon_code: Option<String>,
    pub cost_points: Option<i64>,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub stock: Option<i64>,
    pub per_member_limit: Option<i64>,
    pub active: i64,
    pub image: Option<String>,
    pub description: Option<String>,
    /// Confirmed since the window's start.
    pub redeemed: i64,
    /// Codes given and not yet confirmed, released or cancelled.
    pub waiting: i64,
}

/// Every reward of a merchant, on offer first, with its use since `since` (one round trip).
pub async fn console_list(
    db: &Db,
    merchant: &str,
    since: i64,
) -> Result<Vec<ConsoleReward>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/console_rewards.sql"),
        &[merchant.into(), since.into()],
    )?)
    .await
}

/// Archives a reward or puts it back on offer; false when it was already so (or is not the
/// merchant's).
pub async fn set_active(
    db: &Db,
    id: &str,
    merchant: &str,
    active: bool,
    now: i64,
) -> Result<bool, AppError> {
    let n = db
        .run(db.stmt(
            include_str!("sql/set_reward_active.sql"),
            &[
                id.into(),
                merchant.into(),
                i64::from(active).into(),
                now.into(),
            ],
        )?)
        .await?;
    Ok(n == 1)
}
