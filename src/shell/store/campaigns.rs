//! Campaigns in D1: drafts, assignment of members to arms, launch (which queues the variants'
//! messages in the same batch), and results per arm.

use serde::{Deserialize, Serialize};

use super::{changed, Db};
use crate::domain::campaign::Definition;
use crate::domain::campaign_form::Reach;
use crate::shell::error::AppError;

/// A campaign as stored.
#[derive(Debug, Deserialize, Serialize)]
pub struct Row {
    pub id: String,
    pub name: String,
    pub segment: String,
    pub definition: String,
    pub status: String,
    pub created_at: i64,
    pub launched_at: Option<i64>,
    /// When a draft goes by itself (Unix ms), if it is scheduled.
    #[serde(default)]
    pub scheduled_at: Option<i64>,
}

impl Row {
    pub fn definition(&self) -> Option<Definition> {
        serde_json::from_str(&self.definition).ok()
    }
}

pub async fn insert(
    db: &Db,
    id: &str,
    merchant: &str,
    d: &Definition,
    now: i64,
) -> Result<(), AppError> {
    let json = serde_json::to_string(d).map_err(|e| AppError::internal(e.to_string()))?;
    db.run(db.stmt(
        include_str!("sql/insert_campaign.sql"),
        &[
            id.into(),
            merchant.into(),
            d.name.as_str().into(),
            d.segment.as_str().into(),
            json.as_str().into(),
            now.into(),
            d.send_at.into(),
        ],
    )?)
    .await?;
    Ok(())
}

/// Changes draft `id`; false if there is no such draft (launched meanwhile, or gone).
pub async fn update(db: &Db, merchant: &str, id: &str, d: &Definition) -> Result<bool, AppError> {
    let json = serde_json::to_string(d).map_err(|e| AppError::internal(e.to_string()))?;
    let results = db
        .batch(vec![db.stmt(
            include_str!("sql/update_campaign.sql"),
            &[
                merchant.into(),
                id.into(),
                d.name.as_str().into(),
                d.segment.as_str().into(),
                json.as_str().into(),
                d.send_at.into(),
            ],
        )?])
        .await?;
    changed(&results, 0)
}

/// Deletes draft `id`; false if there is no such draft.
pub async fn delete(db: &Db, merchant: &str, id: &str) -> Result<bool, AppError> {
    let results = db
        .batch(vec![db.stmt(
            include_str!("sql/delete_campaign.sql"),
            &[merchant.into(), id.into()],
        )?])
        .await?;
    changed(&results, 0)
}

/// Scheduled drafts (merchant, id) due by `now` on the current shard (of `merchant` only, if
/// given), at most `limit`.
pub async fn due(
    db: &Db,
    now: i64,
    limit: i64,
    merchant: Option<&str>,
) -> Result<Vec<(String, String)>, AppError> {
    #[derive(Deserialize)]
    struct Due {
        merchant_id: String,
        id: String,
    }
    let rows: Vec<Due> = db
        .rows(db.stmt(
            include_str!("sql/due_campaigns.sql"),
            &[now.into(), limit.into(), merchant.into()],
        )?)
        .await?;
    Ok(rows.into_iter().map(|r| (r.merchant_id, r.id)).collect())
}

/// How many customers a campaign can reach, per segment and in all (one query).
pub async fn sizes(db: &Db, merchant: &str) -> Result<Reach, AppError> {
    #[derive(Deserialize)]
    struct Size {
        segment: String,
        n: i64,
    }
    let rows: Vec<Size> = db
        .rows(db.stmt(
            include_str!("sql/campaign_audience_sizes.sql"),
            &[merchant.into()],
        )?)
        .await?;
    let mut out = Reach::default();
    for r in rows {
        if r.segment == "customers" {
            out.customers = r.n;
        } else {
            out.reachable.insert(r.segment, r.n);
        }
    }
    Ok(out)
}

pub async fn get(db: &Db, merchant: &str, id: &str) -> Result<Option<Row>, AppError> {
    Ok(db
        .rows(db.stmt(
            include_str!("sql/campaign_by_id.sql"),
            &[merchant.into(), id.into()],
        )?)
        .await?
        .into_iter()
        .next())
}

/// The definition of campaign `id`, if it exists and reads.
pub async fn definition(db: &Db, merchant: &str, id: &str) -> Result<Option<Definition>, AppError> {
    Ok(get(db, merchant, id).await?.and_then(|r| r.definition()))
}

pub async fn list(db: &Db, merchant: &str) -> Result<Vec<Row>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/merchant_campaigns.sql"),
        &[merchant.into()],
    )?)
    .await
}

/// Up to `limit` eligible members of `segment` ("all": every member) after `after`, by id.
pub async fn audience(
    db: &Db,
    merchant: &str,
    segment: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<String>, AppError> {
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    let stmt = if segment == "all" {
        db.stmt(
            include_str!("sql/campaign_audience_all.sql"),
            &[merchant.into(), after.into(), limit.into()],
        )?
    } else {
        db.stmt(
            include_str!("sql/campaign_audience_segment.sql"),
            &[merchant.into(), after.into(), limit.into(), segment.into()],
        )?
    };
    let rows: Vec<Id> = db.rows(stmt).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Records arms: `pairs` of (member, arm), in one batch of statements of up to 500 pairs.
pub async fn assign(db: &Db, campaign: &str, pairs: &[(String, String)]) -> Result<(), AppError> {
    let mut stmts = Vec::new();
    for chunk in pairs.chunks(500) {
        let json = serde_json::to_string(chunk).map_err(|e| AppError::internal(e.to_string()))?;
        stmts.push(db.stmt(
            include_str!("sql/assign_campaign_members.sql"),
            &[campaign.into(), json.as_str().into()],
        )?);
    }
    if !stmts.is_empty() {
        db.batch(stmts).await?;
    }
    Ok(())
}

/// Launches the campaign and queues its messages in one batch; false if it was launched.
pub async fn launch(db: &Db, merchant: &str, id: &str, now: i64) -> Result<bool, AppError> {
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/launch_campaign.sql"),
                &[merchant.into(), id.into(), now.into()],
            )?,
            db.stmt(
                include_str!("sql/queue_campaign.sql"),
                &[merchant.into(), id.into(), now.into()],
            )?,
        ])
        .await?;
    changed(&results, 0)
}

/// One arm's counts.
#[derive(Debug, Deserialize)]
pub struct ArmRow {
    pub arm: String,
    pub members: i64,
    pub delivered: i64,
    pub converted: i64,
}

pub async fn results(
    db: &Db,
    id: &str,
    launched_at: i64,
    until: i64,
) -> Result<Vec<ArmRow>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/campaign_results.sql"),
        &[id.into(), launched_at.into(), until.into()],
    )?)
    .await
}
