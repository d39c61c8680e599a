//! Moving points: redemptions (reserve, confirm, cancel, release), staff adjustments, reversals,
//! the sweeps that activate and expire lots, and the reads that explain a balance. Every move is
//! one atomic batch whose first statement carries the guards; the rest act only on its row.

use serde::{Deserialize, Serialize};
use worker::D1PreparedStatement;

use super::{changed, count, decode, first, Arg, Db};
use crate::shell::error::AppError;

/// The audit log line of a staff action, written only if its ledger entry went in.
#[allow(clippy::too_many_arguments)]
fn audit_line(
    db: &Db,
    id: &str,
    merchant: &str,
    (actor, actor_name): (&str, Option<&str>),
    action: &str,
    subject: &str,
    reason: &str,
    detail: &serde_json::Value,
    entry: &str,
    now: i64,
) -> Result<D1PreparedStatement, AppError> {
    let detail = detail.to_string();
    db.stmt(
        include_str!("sql/insert_audit.sql"),
        &[
            id.into(),
            merchant.into(),
            actor.into(),
            action.into(),
            subject.into(),
            reason.into(),
            detail.as_str().into(),
            entry.into(),
            now.into(),
            actor_name.into(),
        ],
    )
}

/// The five statements that release expired phone codes (all, or one member's) at `now`.
fn release_expired(
    db: &Db,
    now: i64,
    member: Option<&str>,
) -> Result<Vec<D1PreparedStatement>, AppError> {
    let args = [Arg::Int(now), member.into()];
    Ok(vec![
        db.stmt(include_str!("sql/release_expired_codes.sql"), &args)?,
        db.stmt(include_str!("sql/release_expired_codes_lots.sql"), &args)?,
        db.stmt(include_str!("sql/release_expired_codes_members.sql"), &args)?,
        db.stmt(include_str!("sql/release_expired_codes_stock.sql"), &args)?,
        db.stmt(include_str!("sql/release_expired_codes_status.sql"), &args)?,
    ])
}

/// The statements that spend ledger entry `entry` from lots and apply it to its member.
fn spend(
    db: &Db,
    entry: &str,
    amount: Option<i64>,
    preferred_lot: Option<&str>,
    now: i64,
    activity: bool,
) -> Result<Vec<D1PreparedStatement>, AppError> {
    Ok(vec![
        db.stmt(
            include_str!("sql/draw_lots.sql"),
            &[
                entry.into(),
                amount.map_or(Arg::Null, Arg::Int),
                preferred_lot.into(),
                now.into(),
            ],
        )?,
        db.stmt(include_str!("sql/apply_draws.sql"), &[entry.into()])?,
        db.stmt(
            include_str!("sql/apply_spend_to_member.sql"),
            &[
                entry.into(),
                if activity { Arg::Int(now) } else { Arg::Null },
            ],
        )?,
    ])
}

/// The statements that spend entry `entry` (a reversal), preferring lot `preferred`, without
/// touching the member's last activity.
pub fn spend_statements(
    db: &Db,
    entry: &str,
    preferred: Option<&str>,
    now: i64,
) -> Result<Vec<D1PreparedStatement>, AppError> {
    spend(db, entry, None, preferred, now, false)
}

/// A redemption to record.
pub struct Redeem<'a> {
    pub id: &'a str,
    pub merchant: &'a str,
    pub member: &'a str,
    pub reward: &'a str,
    /// The six-digit code of a phone redemption; `None` when staff redeem directly.
    pub code: Option<&'a str>,
    /// The phone page's attempt id (a double tap sends the same one).
    pub attempt: Option<&'a str>,
    pub now: i64,
    pub code_expires_at: i64,
    pub card_size: i64,
    pub actor: Option<&'a str>,
    pub program_version: i64,
}

/// What D1 said after a redemption attempt.
#[derive(Debug, Deserialize)]
pub struct AttemptRow {
    /// The redemption an earlier request with the same phone attempt made.
    pub attempted_id: Option<String>,
    pub reward_id: Option<String>,
    pub active: Option<i64>,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub stock: Option<i64>,
    pub per_member_limit: Option<i64>,
    pub cost_points: Option<i64>,
    pub used: i64,
    pub member_id: Option<String>,
    pub points: Option<i64>,
    pub stamps: Option<i64>,
}

/// Records a redemption under every guard in one round trip (releasing the member's expired codes
/// first, so their points count). Returns whether it went in, the facts to explain a refusal,
/// and the redemption as recorded.
pub async fn redeem(
    db: &Db,
    r: &Redeem<'_>,
) -> Result<(bool, AttemptRow, Option<RedemptionRow>), AppError> {
    let (status, reason) = match r.code {
        Some(_) => ("reserved", "reserve"),
        None => ("confirmed", "redeem"),
    };
    let entry = format!("{}:{reason}", r.id);
    let mut stmts = release_expired(db, r.now, Some(r.member))?;
    stmts.push(db.stmt(
        include_str!("sql/insert_redemption.sql"),
        &[
            r.id.into(),
            r.merchant.into(),
            r.member.into(),
            r.reward.into(),
            r.code.into(),
            status.into(),
            r.now.into(),
            r.code_expires_at.into(),
            r.card_size.into(),
            r.actor.into(),
            r.attempt.into(),
        ],
    )?);
    stmts.push(db.stmt(
        include_str!("sql/insert_redemption_entry.sql"),
        &[r.id.into(), reason.into(), r.program_version.into()],
    )?);
    stmts.extend(spend(db, &entry, None, None, r.now, true)?);
    stmts.push(db.stmt(include_str!("sql/take_stock.sql"), &[r.id.into()])?);
    stmts.push(super::messages::redeemed_stmt(
        db,
        r.merchant,
        Some(r.id),
        None,
        r.now,
    )?);
    stmts.push(db.stmt(
        include_str!("sql/redemption_attempt.sql"),
        &[
            r.id.into(),
            r.merchant.into(),
            r.member.into(),
            r.reward.into(),
            r.now.into(),
            r.attempt.into(),
        ],
    )?);
    stmts.push(db.stmt(
        include_str!("sql/redemption_by_id.sql"),
        &[r.merchant.into(), r.id.into()],
    )?);
    let results = db.batch(stmts).await?;
    let inserted = changed(&results, 5)?;
    let n = results.len();
    let row = first::<AttemptRow>(results.get(n.saturating_sub(2)))?
        .ok_or_else(|| AppError::internal("redemption_attempt returned no row"))?;
    Ok((inserted, row, first(results.last())?))
}

/// A redemption as the API and the phone show it.
#[derive(Debug, Deserialize, Serialize, Clone)]
pub struct RedemptionRow {
    pub id: String,
    pub status: String,
    pub code: Option<String>,
    pub member_id: String,
    pub reward_id: String,
    pub reward_name: String,
    pub reward_kind: String,
    pub reward_value: Option<i64>,
    pub coupon_code: Option<String>,
    pub points: i64,
    pub stamps: i64,
    pub cashback: i64,
    pub created_at: i64,
    pub expires_at: i64,
    pub confirmed_at: Option<i64>,
    pub closed_at: Option<i64>,
}

/// Confirms live code `code` of `merchant`; returns whether this call confirmed it, and the
/// latest redemption with that code.
pub async fn confirm(
    db: &Db,
    merchant: &str,
    code: &str,
    now: i64,
    by: &ConfirmedBy<'_>,
    misses: &MissLimit,
) -> Result<(bool, Option<RedemptionRow>, i64), AppError> {
    let actor = by.actor;
    let base = [Arg::Text(merchant), Arg::Text(code), Arg::Int(now)];
    let bucket = misses.bucket.as_str();
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/count_code_miss.sql"),
                &[
                    merchant.into(),
                    code.into(),
                    now.into(),
                    bucket.into(),
                    misses.window_start.into(),
                ],
            )?,
            db.stmt(
                include_str!("sql/confirm_code_entry.sql"),
                &[
                    merchant.into(),
                    code.into(),
                    now.into(),
                    actor.into(),
                    bucket.into(),
                    misses.window_start.into(),
                    misses.limit.into(),
                ],
            )?,
            db.stmt(include_str!("sql/confirm_code_cashback.sql"), &base)?,
            db.stmt(
                include_str!("sql/confirm_code_status.sql"),
                &[merchant.into(), code.into(), now.into(), actor.into()],
            )?,
            db.stmt(
                include_str!("sql/redemption_by_code.sql"),
                &[merchant.into(), code.into()],
            )?,
            db.stmt(
                include_str!("sql/code_misses.sql"),
                &[bucket.into(), misses.window_start.into()],
            )?,
            super::messages::redeemed_stmt(db, merchant, None, Some(code), now)?,
            db.stmt(
                include_str!("sql/confirm_code_audit.sql"),
                &[
                    by.audit_id.into(),
                    merchant.into(),
                    actor.into(),
                    by.name.into(),
                    code.into(),
                    by.device.into(),
                    now.into(),
                ],
            )?,
        ])
        .await?;
    let confirmed = changed(&results, 3)?;
    let missed = first::<Misses>(results.get(5))?.map_or(0, |m| m.misses);
    Ok((confirmed, first(results.get(4))?, missed))
}

/// Who confirms a code: the id recorded on the redemption, and the audit line's name and device.
pub struct ConfirmedBy<'a> {
    pub actor: &'a str,
    pub name: &'a str,
    pub device: &'a str,
    /// The id of the audit line written if this confirms the code.
    pub audit_id: &'a str,
}

/// The limit on wrong codes one key may enter in a window.
pub struct MissLimit {
    pub bucket: String,
    pub window_start: i64,
    pub limit: i64,
}

#[derive(Deserialize)]
struct Misses {
    misses: i64,
}

/// Cancels confirmed redemption `id` inside `window_ms` of its confirmation; returns whether
/// this call cancelled it, and the redemption.
pub async fn cancel(
    db: &Db,
    merchant: &str,
    id: &str,
    now: i64,
    window_ms: i64,
    actor: &str,
    note: &str,
) -> Result<(bool, Option<RedemptionRow>), AppError> {
    let mut stmts = cancel_statements(db, merchant, id, now, window_ms, actor, note, None)?;
    stmts.push(db.stmt(
        include_str!("sql/redemption_by_id.sql"),
        &[merchant.into(), id.into()],
    )?);
    let results = db.batch(stmts).await?;
    let cancelled = changed(&results, 4)?;
    Ok((cancelled, first(results.get(5))?))
}

/// The five statements that cancel confirmed redemption `id` inside `window_ms` of confirming;
/// with `order` = (order id, request id), only if that request refunded the order in full.
#[allow(clippy::too_many_arguments)]
pub fn cancel_statements(
    db: &Db,
    merchant: &str,
    id: &str,
    now: i64,
    window_ms: i64,
    actor: &str,
    note: &str,
    order: Option<(&str, &str)>,
) -> Result<Vec<D1PreparedStatement>, AppError> {
    let pair = [Arg::Text(merchant), Arg::Text(id)];
    Ok(vec![
        db.stmt(
            include_str!("sql/cancel_redemption.sql"),
            &[
                merchant.into(),
                id.into(),
                now.into(),
                window_ms.into(),
                actor.into(),
                note.into(),
                order.map(|o| o.0).into(),
                order.map(|o| o.1).into(),
            ],
        )?,
        db.stmt(include_str!("sql/cancel_redemption_lots.sql"), &pair)?,
        db.stmt(include_str!("sql/cancel_redemption_member.sql"), &pair)?,
        db.stmt(include_str!("sql/cancel_redemption_stock.sql"), &pair)?,
        db.stmt(
            include_str!("sql/cancel_redemption_status.sql"),
            &[merchant.into(), id.into(), now.into()],
        )?,
    ])
}

/// Reads redemption `id` of `merchant`.
pub async fn redemption(
    db: &Db,
    merchant: &str,
    id: &str,
) -> Result<Option<RedemptionRow>, AppError> {
    Ok(db
        .rows(db.stmt(
            include_str!("sql/redemption_by_id.sql"),
            &[merchant.into(), id.into()],
        )?)
        .await?
        .into_iter()
        .next())
}

/// Whether ledger entry `entry` is member `member` of merchant `merchant`'s (a correction
/// sent twice finds its first one here).
pub async fn entry_of(
    db: &Db,
    entry: &str,
    merchant: &str,
    member: &str,
) -> Result<bool, AppError> {
    let rows: Vec<serde::de::IgnoredAny> = db
        .rows(db.stmt(
            include_str!("sql/ledger_entry_of.sql"),
            &[entry.into(), merchant.into(), member.into()],
        )?)
        .await?;
    Ok(!rows.is_empty())
}

/// A staff adjustment to record.
pub struct Adjust<'a> {
    pub entry: &'a str,
    pub audit: &'a str,
    pub merchant: &'a str,
    pub member: &'a str,
    pub points: i64,
    pub stamps: i64,
    pub actor: &'a str,
    /// The person's name, when a person (not a key) made it from the console.
    pub actor_name: Option<&'a str>,
    pub reason: &'a str,
    pub program_version: i64,
    pub expires_at: Option<i64>,
    pub now: i64,
}

/// A member's balances.
#[derive(Debug, Deserialize, Serialize, Clone)]
pub struct Balance {
    pub member_id: String,
    pub points: i64,
    pub pending_points: i64,
    pub debt: i64,
    pub stamps: i64,
    pub cashback_minor: i64,
}

/// Records an adjustment, its lot or draws, and its audit line; returns whether it went in.
pub async fn adjust(db: &Db, a: &Adjust<'_>) -> Result<(bool, Option<Balance>), AppError> {
    let mut stmts = vec![db.stmt(
        include_str!("sql/insert_adjustment.sql"),
        &[
            a.entry.into(),
            a.merchant.into(),
            a.member.into(),
            a.program_version.into(),
            a.points.into(),
            a.stamps.into(),
            a.actor.into(),
            a.reason.into(),
            a.now.into(),
        ],
    )?];
    if a.points > 0 {
        stmts.push(db.stmt(
            include_str!("sql/insert_entry_lot.sql"),
            &[a.entry.into(), a.expires_at.map_or(Arg::Null, Arg::Int)],
        )?);
        stmts.push(db.stmt(
            include_str!("sql/apply_earn_to_member.sql"),
            &[a.entry.into(), a.now.into()],
        )?);
    } else {
        stmts.extend(spend(db, a.entry, None, None, a.now, false)?);
    }
    let detail = serde_json::json!({ "points": a.points, "stamps": a.stamps, "entry": a.entry });
    stmts.push(audit_line(
        db,
        a.audit,
        a.merchant,
        (a.actor, a.actor_name),
        "adjust",
        a.member,
        a.reason,
        &detail,
        a.entry,
        a.now,
    )?);
    stmts.push(db.stmt(
        include_str!("sql/member_balance.sql"),
        &[a.member.into(), a.merchant.into()],
    )?);
    let results = db.batch(stmts).await?;
    let inserted = changed(&results, 0)?;
    Ok((inserted, first(results.last())?))
}

/// Spends `amount` of a member's cashback wallet on order `reference`; returns whether it went in.
#[allow(clippy::too_many_arguments)]
pub async fn spend_cashback(
    db: &Db,
    entry: &str,
    merchant: &str,
    member: &str,
    amount: i64,
    reference: &str,
    program_version: i64,
    actor: &str,
    now: i64,
) -> Result<(bool, Option<Balance>), AppError> {
    let mut stmts = vec![db.stmt(
        include_str!("sql/insert_cashback_spend.sql"),
        &[
            entry.into(),
            merchant.into(),
            member.into(),
            amount.into(),
            reference.into(),
            program_version.into(),
            actor.into(),
            now.into(),
        ],
    )?];
    stmts.extend(spend(db, entry, None, None, now, true)?);
    stmts.push(db.stmt(
        include_str!("sql/member_balance.sql"),
        &[member.into(), merchant.into()],
    )?);
    let results = db.batch(stmts).await?;
    let inserted = changed(&results, 0)?;
    Ok((inserted, first(results.last())?))
}

/// A scan reversal to record.
pub struct Reverse<'a> {
    pub entry: &'a str,
    pub audit: &'a str,
    pub merchant: &'a str,
    pub scan: &'a str,
    pub policy: &'a str,
    pub actor: &'a str,
    pub reason: &'a str,
    pub program_version: i64,
    pub now: i64,
    pub tiers: Option<&'a super::tiers::TierRule>,
}

/// How a reversal ended.
#[derive(Debug, Deserialize, Serialize)]
pub struct ReversalRow {
    pub scan_id: String,
    pub member_id: String,
    pub reversed_at: Option<i64>,
    pub points: Option<i64>,
    pub pending: Option<i64>,
    pub stamps: Option<i64>,
    pub note: Option<String>,
}

/// Reverses a scan once; returns whether this call did, and the scan's reversal state.
pub async fn reverse(db: &Db, r: &Reverse<'_>) -> Result<(bool, Option<ReversalRow>), AppError> {
    let mut stmts = vec![db.stmt(
        include_str!("sql/insert_reversal.sql"),
        &[
            r.scan.into(),
            r.merchant.into(),
            r.policy.into(),
            r.program_version.into(),
            r.actor.into(),
            r.reason.into(),
            r.now.into(),
            r.entry.into(),
        ],
    )?];
    stmts.extend(spend(db, r.entry, None, Some(r.scan), r.now, false)?);
    stmts.push(db.stmt(
        include_str!("sql/withdraw_pending_lot.sql"),
        &[r.scan.into(), r.entry.into()],
    )?);
    stmts.push(db.stmt(
        include_str!("sql/mark_scan_reversed.sql"),
        &[r.scan.into(), r.now.into(), r.entry.into()],
    )?);
    stmts.extend(super::tiers::recompute(db, r.tiers, r.entry, r.now)?);
    stmts.push(super::referrals::cancel_stmt(
        db,
        r.merchant,
        &super::referrals::Cause::Scan(r.scan),
        r.now,
    )?);
    let detail = serde_json::json!({ "scan": r.scan, "entry": r.entry });
    stmts.push(audit_line(
        db,
        r.audit,
        r.merchant,
        (r.actor, None),
        "reverse",
        r.scan,
        r.reason,
        &detail,
        r.entry,
        r.now,
    )?);
    stmts.push(db.stmt(
        include_str!("sql/scan_reversal.sql"),
        &[r.scan.into(), r.merchant.into()],
    )?);
    let results = db.batch(stmts).await?;
    let inserted = changed(&results, 0)?;
    Ok((inserted, first(results.last())?))
}

/// Activates pending lots due by `now`; returns how many.
pub async fn activate_due(db: &Db, now: i64) -> Result<usize, AppError> {
    let a = [Arg::Int(now)];
    let results = db
        .batch(vec![
            db.stmt(include_str!("sql/activate_lots.sql"), &a)?,
            db.stmt(include_str!("sql/activate_lots_members.sql"), &a)?,
            db.stmt(include_str!("sql/activate_lots_status.sql"), &a)?,
        ])
        .await?;
    count(&results, 0)
}

/// Expires lots due by `now`; returns how many.
pub async fn expire_due(db: &Db, now: i64) -> Result<usize, AppError> {
    let mut expired = 0;
    for _ in 0..EXPIRE_BATCHES {
        let results = db
            .batch(vec![
                db.stmt(
                    include_str!("sql/pick_expiring_lots.sql"),
                    &[Arg::Int(now), Arg::Int(EXPIRE_CHUNK)],
                )?,
                db.stmt(include_str!("sql/expire_lots.sql"), &[Arg::Int(now)])?,
                db.stmt(include_str!("sql/expire_lots_members.sql"), &[])?,
                db.stmt(include_str!("sql/expire_lots_empty.sql"), &[])?,
                db.stmt(include_str!("sql/unpick_expiring_lots.sql"), &[])?,
            ])
            .await?;
        let n = count(&results, 3)?;
        expired += n;
        if (n as i64) < EXPIRE_CHUNK {
            break;
        }
    }
    Ok(expired)
}

/// Lots expired per batch (each statement stays well under D1's per-statement time limit: about
/// 2,000 lots take 0.4 s locally at 200,000 members, whatever the backlog).
const EXPIRE_CHUNK: i64 = 2_000;
/// Batches per run: a larger backlog resumes at the next hourly run.
const EXPIRE_BATCHES: usize = 25;

/// Releases every phone code expired by `now`; returns how many.
pub async fn release_due(db: &Db, now: i64) -> Result<usize, AppError> {
    let results = db.batch(release_expired(db, now, None)?).await?;
    count(&results, 0)
}

/// One ledger entry, explained.
#[derive(Debug, Deserialize, Serialize)]
pub struct EntryRow {
    pub id: String,
    pub reason: String,
    pub points: i64,
    pub pending: i64,
    pub stamps: i64,
    pub cashback: i64,
    pub cause_type: String,
    pub cause_id: String,
    pub cause_label: Option<String>,
    pub actor: Option<String>,
    pub note: Option<String>,
    pub created_at: i64,
}

/// Points that expire at one instant.
#[derive(Debug, Deserialize, Serialize)]
pub struct Expiry {
    pub expires_at: i64,
    pub points: i64,
}

/// A member's balances with their lifetime total, last activity and points expiring soon.
#[derive(Debug, Deserialize, Serialize, Clone)]
pub struct Statement {
    pub member_id: String,
    pub name: String,
    pub points: i64,
    pub pending_points: i64,
    pub debt: i64,
    pub stamps: i64,
    pub cashback_minor: i64,
    pub lifetime_points: i64,
    pub last_activity_at: Option<i64>,
    pub created_at: i64,
    pub expiring_30_days: i64,
    pub tier: i64,
    pub tier_since: i64,
    /// Points earned in the tier window.
    pub tier_points: i64,
}

/// A live phone code.
#[derive(Debug, Deserialize, Serialize)]
pub struct LiveCode {
    pub id: String,
    pub code: String,
    pub reward_name: String,
    pub points: i64,
    pub stamps: i64,
    pub expires_at: i64,
}

/// Everything that explains a member's balance.
pub struct Explained {
    pub statement: Statement,
    pub entries: Vec<EntryRow>,
    pub expiries: Vec<Expiry>,
    pub live_codes: Vec<LiveCode>,
    /// The rewards redeemable now.
    pub rewards: Vec<super::rewards::RewardRow>,
    /// The member's invitation code and figures (when asked for).
    pub referral: Option<super::referrals::MemberLink>,
    /// The invitation the member joined through (when asked for).
    pub invited: Option<super::referrals::Invited>,
}

/// What [`explain`] adds to its batch to read the member's invitation: the card page also gives
/// the member a code if they have none, and notes the phone's device cookie.
pub struct CardRefs<'a> {
    pub new_code: Option<&'a str>,
    pub device: Option<&'a str>,
}

/// Reads a member's statement, latest `limit` entries, upcoming expiries, live codes and the
/// rewards redeemable now in one round trip, after releasing their expired codes (so a lapsed code's points show as back).
pub async fn explain(
    db: &Db,
    merchant: &str,
    member: &str,
    now: i64,
    limit: i64,
    tier_window_start: i64,
    card: Option<CardRefs<'_>>,
) -> Result<Option<Explained>, AppError> {
    let mut stmts = release_expired(db, now, Some(member))?;
    stmts.push(db.stmt(
        include_str!("sql/member_statement.sql"),
        &[
            member.into(),
            merchant.into(),
            now.into(),
            tier_window_start.into(),
        ],
    )?);
    stmts.push(db.stmt(
        include_str!("sql/member_entries.sql"),
        &[member.into(), merchant.into(), limit.into()],
    )?);
    stmts.push(db.stmt(
        include_str!("sql/member_expiries.sql"),
        &[member.into(), merchant.into(), now.into()],
    )?);
    stmts.push(db.stmt(
        include_str!("sql/member_live_codes.sql"),
        &[member.into(), merchant.into(), now.into()],
    )?);
    stmts.push(db.stmt(
        include_str!("sql/merchant_rewards.sql"),
        &[merchant.into(), 1i64.into(), now.into()],
    )?);
    let with_card = card.is_some();
    if let Some(c) = card {
        stmts.extend(super::referrals::card_statements(
            db, merchant, member, c.new_code, c.device, now,
        )?);
    }
    let results = db.batch(stmts).await?;
    let Some(statement) = first::<Statement>(results.get(5))? else {
        return Ok(None);
    };
    let rows = |i: usize| {
        results
            .get(i)
            .ok_or_else(|| AppError::internal("short batch"))
    };
    Ok(Some(Explained {
        statement,
        entries: decode(rows(6)?)?,
        expiries: decode(rows(7)?)?,
        live_codes: decode(rows(8)?)?,
        rewards: decode(rows(9)?)?,
        referral: if with_card {
            first(results.last())?
        } else {
            None
        },
        invited: if with_card {
            first(results.len().checked_sub(2).and_then(|i| results.get(i)))?
        } else {
            None
        },
    }))
}
