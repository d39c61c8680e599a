//! Messages in D1: merchants' messaging settings, the statements that queue a message in the
//! same batch as the change that causes it, and delivery's leases, caps and log.

use serde::Deserialize;
use worker::D1PreparedStatement;

use super::{changed, Db};
use crate::domain::messages::{Settings, HORIZON_MS};
use crate::shell::error::AppError;

/// A merchant's stored messaging settings.
#[derive(Debug, Deserialize)]
pub struct Stored {
    pub endpoint_url: Option<String>,
    settings: String,
    pub origin: String,
}

impl Stored {
    /// The settings (defaults if the stored JSON no longer reads: never fail a delivery run).
    pub fn settings(&self) -> Settings {
        let mut s: Settings = serde_json::from_str(&self.settings).unwrap_or_default();
        s.endpoint_url.clone_from(&self.endpoint_url);
        s
    }
}

/// Reads `merchant`'s messaging settings, if they set any.
pub async fn settings(db: &Db, merchant: &str) -> Result<Option<Stored>, AppError> {
    Ok(db
        .rows(db.stmt(
            include_str!("sql/messaging_settings.sql"),
            &[merchant.into()],
        )?)
        .await?
        .into_iter()
        .next())
}

/// Replaces `merchant`'s messaging settings (checked by the caller).
pub async fn put_settings(
    db: &Db,
    merchant: &str,
    settings: &Settings,
    origin: &str,
    now: i64,
) -> Result<(), AppError> {
    let json = serde_json::to_string(settings).map_err(|e| AppError::internal(e.to_string()))?;
    let muted: Vec<&str> = settings.muted.iter().map(|k| k.as_str()).collect();
    let muted = serde_json::to_string(&muted).map_err(|e| AppError::internal(e.to_string()))?;
    db.run(db.stmt(
        include_str!("sql/put_messaging.sql"),
        &[
            merchant.into(),
            settings.endpoint_url.as_deref().into(),
            json.as_str().into(),
            muted.as_str().into(),
            origin.into(),
            now.into(),
            i64::from(settings.sends()).into(),
        ],
    )?)
    .await?;
    Ok(())
}

/// Queues a welcome for `member` if the batch enrolled them at `now`.
pub fn welcome_stmt(db: &Db, member: &str, now: i64) -> Result<D1PreparedStatement, AppError> {
    db.stmt(
        include_str!("sql/queue_welcome.sql"),
        &[member.into(), now.into()],
    )
}

/// Queues the balance update and milestone of scan `scan` if the batch credited it at `now`.
pub fn scan_stmt(db: &Db, scan: &str, now: i64) -> Result<D1PreparedStatement, AppError> {
    db.stmt(
        include_str!("sql/queue_scan_messages.sql"),
        &[scan.into(), now.into()],
    )
}

/// Queues the confirmation of a redemption (by id, or by live code) confirmed at `now`.
pub fn redeemed_stmt(
    db: &Db,
    merchant: &str,
    id: Option<&str>,
    code: Option<&str>,
    now: i64,
) -> Result<D1PreparedStatement, AppError> {
    db.stmt(
        include_str!("sql/queue_redemption_confirmed.sql"),
        &[merchant.into(), id.into(), code.into(), now.into()],
    )
}

/// Queues the level-change messages of change `change` (None: the sweep's) made at `now`.
pub fn tier_stmt(db: &Db, change: Option<&str>, now: i64) -> Result<D1PreparedStatement, AppError> {
    db.stmt(
        include_str!("sql/queue_tier_messages.sql"),
        &[now.into(), change.into()],
    )
}

/// Merchants with messages due at `now`.
pub async fn due_merchants(db: &Db, now: i64, limit: i64) -> Result<Vec<String>, AppError> {
    #[derive(Deserialize)]
    struct Row {
        merchant_id: String,
    }
    let rows: Vec<Row> = db
        .rows(db.stmt(
            include_str!("sql/messages_due_merchants.sql"),
            &[now.into(), limit.into()],
        )?)
        .await?;
    Ok(rows.into_iter().map(|r| r.merchant_id).collect())
}

/// A message a sender holds, with its member.
#[derive(Debug, Deserialize)]
pub struct Leased {
    pub id: String,
    pub member_id: String,
    pub kind: String,
    pub class: String,
    pub payload: String,
    pub attempts: i64,
    pub give_up_at: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub marketing_consent: i64,
    pub preferred_channel: Option<String>,
    pub language: Option<String>,
    pub points: i64,
    pub stamps: i64,
    pub tier: i64,
    pub erased_at: Option<i64>,
    pub channel_opt_out: i64,
    pub push_id: Option<String>,
    pub push_endpoint: Option<String>,
    pub push_p256dh: Option<String>,
    pub push_auth: Option<String>,
}

/// Takes up to `limit` of `merchant`'s due messages for sender `lease` and reads them, in one
/// round trip.
pub async fn lease(
    db: &Db,
    merchant: &str,
    lease: &str,
    now: i64,
    limit: i64,
    hold_ms: i64,
) -> Result<Vec<Leased>, AppError> {
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/lease_messages.sql"),
                &[
                    merchant.into(),
                    now.into(),
                    lease.into(),
                    limit.into(),
                    hold_ms.into(),
                ],
            )?,
            db.stmt(
                include_str!("sql/leased_messages.sql"),
                &[lease.into(), HORIZON_MS.into()],
            )?,
        ])
        .await?;
    match results.get(1) {
        Some(r) => super::decode(r),
        None => Err(AppError::internal("lease batch returned one result")),
    }
}

/// Claims the marketing frequency cap of each `(member, message)` for its message; returns
/// whether each was claimed (one round trip).
pub async fn claim_caps(
    db: &Db,
    claims: &[(&str, &str)],
    now: i64,
    cap_ms: i64,
) -> Result<Vec<bool>, AppError> {
    if claims.is_empty() {
        return Ok(Vec::new());
    }
    let stmts = claims
        .iter()
        .map(|(member, message)| {
            db.stmt(
                include_str!("sql/claim_marketing_cap.sql"),
                &[
                    (*member).into(),
                    (*message).into(),
                    now.into(),
                    cap_ms.into(),
                ],
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let results = db.batch(stmts).await?;
    (0..claims.len()).map(|i| changed(&results, i)).collect()
}

/// How one held message ends for now.
#[derive(Debug)]
pub struct Outcome<'a> {
    pub id: &'a str,
    /// sent, dead, suppressed, or pending (tried again at `due_at`).
    pub status: &'static str,
    pub due_at: i64,
    pub error: Option<String>,
    /// The attempt made, if one was: HTTP status (None: no answer) and latency.
    pub attempt: Option<(Option<i64>, i64)>,
    /// The channel chosen and why (None: not chosen on this run).
    pub channel: Option<(&'static str, String)>,
}

/// Records outcomes of sender `lease` at `now`, one batch for all (attempt log, then status).
pub async fn finish(
    db: &Db,
    lease: &str,
    outcomes: &[Outcome<'_>],
    now: i64,
) -> Result<(), AppError> {
    let mut stmts = Vec::with_capacity(outcomes.len() * 2);
    for o in outcomes {
        let error = o.error.as_deref();
        if let Some((status, latency)) = o.attempt {
            stmts.push(db.stmt(
                include_str!("sql/record_attempt.sql"),
                &[
                    o.id.into(),
                    lease.into(),
                    now.into(),
                    status.into(),
                    latency.into(),
                    error.into(),
                    o.channel.as_ref().map(|(c, _)| *c).into(),
                ],
            )?);
        }
        stmts.push(db.stmt(
            include_str!("sql/finish_message.sql"),
            &[
                o.id.into(),
                lease.into(),
                o.status.into(),
                o.due_at.into(),
                error.into(),
                now.into(),
                i64::from(o.attempt.is_some()).into(),
                o.channel.as_ref().map(|(c, _)| *c).into(),
                o.channel.as_ref().map(|(_, n)| n.as_str()).into(),
            ],
        )?);
    }
    if !stmts.is_empty() {
        db.batch(stmts).await?;
    }
    Ok(())
}

/// A message as the merchant's API lists it.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct Row {
    pub id: String,
    pub member_id: String,
    pub kind: String,
    pub class: String,
    pub status: String,
    pub attempts: i64,
    pub created_at: i64,
    pub due_at: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
}

/// `merchant`'s messages, newest first.
pub async fn list(
    db: &Db,
    merchant: &str,
    status: Option<&str>,
    after: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<Row>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/merchant_messages.sql"),
        &[
            merchant.into(),
            status.into(),
            after.map(|(t, _)| t).into(),
            after.map(|(_, id)| id).into(),
            limit.into(),
        ],
    )?)
    .await
}

/// One message with its delivery log.
#[derive(Debug, Deserialize)]
pub struct Detail {
    pub id: String,
    pub member_id: String,
    pub kind: String,
    pub class: String,
    pub status: String,
    pub attempts: i64,
    pub payload: String,
    pub created_at: i64,
    pub due_at: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
    pub give_up_at: i64,
    pub attempts_log: String,
}

pub async fn detail(db: &Db, merchant: &str, id: &str) -> Result<Option<Detail>, AppError> {
    Ok(db
        .rows(db.stmt(
            include_str!("sql/message_by_id.sql"),
            &[merchant.into(), id.into(), HORIZON_MS.into()],
        )?)
        .await?
        .into_iter()
        .next())
}

/// Puts a dead or suppressed message back in the queue; false when there is no such message
/// in that state.
pub async fn resend(db: &Db, merchant: &str, id: &str, now: i64) -> Result<bool, AppError> {
    Ok(db
        .run(db.stmt(
            include_str!("sql/resend_message.sql"),
            &[
                merchant.into(),
                id.into(),
                now.into(),
                (now + HORIZON_MS).into(),
            ],
        )?)
        .await?
        == 1)
}

/// Forgets a push subscription its service says is gone.
pub async fn forget_push(db: &Db, id: &str) -> Result<(), AppError> {
    db.run(db.stmt(
        include_str!("sql/forget_push_subscription.sql"),
        &[id.into()],
    )?)
    .await?;
    Ok(())
}

/// Forgets ended messages created before `before`; returns how many.
pub async fn prune(db: &Db, before: i64) -> Result<usize, AppError> {
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/prune_message_attempts.sql"),
                &[before.into()],
            )?,
            db.stmt(include_str!("sql/prune_messages.sql"), &[before.into()])?,
        ])
        .await?;
    super::count(&results, 1)
}
