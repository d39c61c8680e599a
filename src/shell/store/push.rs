//! Push subscriptions of members' cards, members' channel opt-outs (set from the card's
//! privacy page and by one-click unsubscribe, audited), and what a sent message achieved.

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::Db;
use crate::domain::ids::to_hex;
use crate::domain::push::Subscription;
use crate::shell::app::random;
use crate::shell::error::AppError;

/// Stores a card's subscription on one device; false when the member is gone.
pub async fn subscribe(
    db: &Db,
    merchant: &str,
    member: &str,
    sub: &Subscription,
    now: i64,
) -> Result<bool, AppError> {
    let id = to_hex(&Sha256::digest(sub.endpoint.as_bytes()));
    let changed = db
        .run(db.stmt(
            include_str!("sql/save_push_subscription.sql"),
            &[
                id.as_str().into(),
                merchant.into(),
                member.into(),
                sub.endpoint.as_str().into(),
                sub.p256dh_b64().as_str().into(),
                sub.auth_b64().as_str().into(),
                now.into(),
            ],
        )?)
        .await?;
    Ok(changed == 1)
}

/// A member's channels as their privacy page shows them.
#[derive(Debug, Deserialize)]
pub struct Channels {
    pub channel_opt_out: i64,
    pub push_devices: i64,
}

pub async fn channels(db: &Db, merchant: &str, member: &str) -> Result<Option<Channels>, AppError> {
    Ok(db
        .rows(db.stmt(
            include_str!("sql/member_channels.sql"),
            &[member.into(), merchant.into()],
        )?)
        .await?
        .into_iter()
        .next())
}

/// Sets opt-out bits of a member (`off`: the member turned them off) and audits who did it
/// (`actor`: `member` on their page, `unsubscribe-link` from an email), in one batch; then
/// reads the member's channels. With `forget_push`, the member's push subscriptions go too.
#[allow(clippy::too_many_arguments)]
pub async fn set_opt_out(
    db: &Db,
    merchant: &str,
    member: &str,
    bits: &[(i64, bool)],
    forget_push: bool,
    actor: &str,
    detail: &serde_json::Value,
    now: i64,
) -> Result<Option<Channels>, AppError> {
    let mut stmts = Vec::with_capacity(bits.len() + 3);
    for (bit, off) in bits {
        stmts.push(db.stmt(
            include_str!("sql/set_channel_opt_out.sql"),
            &[
                member.into(),
                merchant.into(),
                (*bit).into(),
                i64::from(*off).into(),
            ],
        )?);
    }
    if forget_push {
        stmts.push(db.stmt(
            include_str!("sql/forget_member_push.sql"),
            &[member.into(), merchant.into()],
        )?);
    }
    let audit_id = to_hex(&random::<16>()?);
    let detail = detail.to_string();
    stmts.push(db.stmt(
        include_str!("sql/insert_audit_member.sql"),
        &[
            audit_id.as_str().into(),
            merchant.into(),
            actor.into(),
            "channels".into(),
            member.into(),
            "".into(),
            detail.as_str().into(),
            now.into(),
        ],
    )?);
    stmts.push(db.stmt(
        include_str!("sql/member_channels.sql"),
        &[member.into(), merchant.into()],
    )?);
    let last = stmts.len() - 1;
    let results = db.batch(stmts).await?;
    super::first(results.get(last))
}

/// Records a message's first open or click (`what`: open or click).
pub async fn mark(
    db: &Db,
    merchant: &str,
    message: &str,
    what: &str,
    now: i64,
) -> Result<(), AppError> {
    db.run(db.stmt(
        include_str!("sql/mark_message.sql"),
        &[message.into(), merchant.into(), what.into(), now.into()],
    )?)
    .await?;
    Ok(())
}

/// A message as the console's delivery log lists it.
#[derive(Debug, Deserialize)]
pub struct LogRow {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub created_at: i64,
    pub last_error: Option<String>,
    pub channel: Option<String>,
    pub channel_note: Option<String>,
    pub opened_at: Option<i64>,
    pub clicked_at: Option<i64>,
    pub member_name: String,
    /// JSON array of attempts (the one message's page only).
    #[serde(default)]
    pub attempts_log: Option<String>,
}

/// One message with its attempts.
pub async fn message(db: &Db, merchant: &str, id: &str) -> Result<Option<LogRow>, AppError> {
    Ok(db
        .rows(db.stmt(
            include_str!("sql/console_message.sql"),
            &[merchant.into(), id.into()],
        )?)
        .await?
        .into_iter()
        .next())
}

/// Member `member`'s newest `limit` messages (of merchant `merchant` only).
pub async fn member_messages(
    db: &Db,
    merchant: &str,
    member: &str,
    limit: i64,
) -> Result<Vec<LogRow>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/member_messages.sql"),
        &[merchant.into(), member.into(), limit.into()],
    )?)
    .await
}

/// What one channel achieved.
#[derive(Debug, Deserialize)]
pub struct ChannelResult {
    pub channel: String,
    pub sent: i64,
    pub failed: i64,
    pub opened: i64,
    pub clicked: i64,
    pub converted: i64,
}

/// Everything the console's messages page reads, in one round trip: the settings, what each
/// channel achieved since `since`, and the newest `limit` messages.
pub async fn console_page(
    db: &Db,
    merchant: &str,
    since: i64,
    window_ms: i64,
    limit: i64,
) -> Result<
    (
        Option<super::messages::Stored>,
        Vec<ChannelResult>,
        Vec<LogRow>,
    ),
    AppError,
> {
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/messaging_settings.sql"),
                &[merchant.into()],
            )?,
            db.stmt(
                include_str!("sql/channel_results.sql"),
                &[merchant.into(), since.into(), window_ms.into()],
            )?,
            db.stmt(
                include_str!("sql/console_messages.sql"),
                &[merchant.into(), limit.into()],
            )?,
        ])
        .await?;
    let mut r = results.iter();
    let settings = super::first(r.next())?;
    let channels = r.next().map(super::decode).transpose()?.unwrap_or_default();
    let log = r.next().map(super::decode).transpose()?.unwrap_or_default();
    Ok((settings, channels, log))
}
