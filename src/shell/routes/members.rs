//! A member through the merchant API: `GET /api/v1/members/{id}` (balance and ledger),
//! `GET /api/v1/members/{id}/ledger` (the balance explained), `POST .../adjustments` (staff
//! corrections, audited), and `POST /api/v1/scans/{id}/reverse` (a mistaken or refunded scan).

use serde::Deserialize;
use serde_json::json;
use worker::{Request, Response};

use crate::domain::adjust_form::MAX_ADJUST;
use crate::domain::apikey::Scope;
use crate::domain::ids::{to_hex, MemberId};
use crate::domain::ledger::{self, ExpiryPolicy, NegativeBalance, DAY_MS};
use crate::domain::program::MerchantConfig;
use crate::domain::reward::Refusal;
use crate::domain::search::{self, Query};
use crate::shell::app::{random, App};
use crate::shell::auth;
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::idempotency::{self, Key};
use crate::shell::routes::redemptions::check_reason;
use crate::shell::store::ledger as store;
use crate::shell::store::members;
use crate::shell::store::tiers::TierRule;

/// Returns a member of the caller's merchant with their latest 100 ledger entries.
pub async fn show(req: Request, app: &App, member: &str) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner, Scope::Counter, Scope::Read]).await?;
    let member = MemberId::parse(member).ok_or(AppError::MemberNotFound)?;
    let (row, entries) = members::card(&app.db, caller.merchant, &member, 100)
        .await?
        .ok_or(AppError::MemberNotFound)?;
    http::json(200, &json!({ "member": row, "ledger": entries }))
}

/// Lists or searches members, newest first, a page at a time: `?query=` an email, a phone
/// number, a member code (the start of the id) or the start of a name; `?cursor=` from the
/// previous page; `?limit=` 1 to 100 (default 50).
pub async fn search(req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner, Scope::Counter, Scope::Read]).await?;
    let invalid = |field: &str, message: &str| AppError::InvalidField {
        field: field.into(),
        message: message.into(),
    };
    let query = Query::parse(http::query(&req, "query").as_deref()).ok_or_else(|| {
        invalid(
            "query",
            "give an email, a phone number, a member code or the start of a name (up to 100 characters)",
        )
    })?;
    let (limit, after) = http::page(&req)?;
    let (kind, value) = query.sql();
    let m = caller.merchant.to_string();
    let mut rows = members::search(
        &app.db,
        &m,
        kind,
        value,
        limit + 1,
        after.as_ref().map(|(t, id)| (*t, id.as_str())),
    )
    .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(50));
    let next = if more {
        rows.last().map(|r| search::cursor(r.created_at, &r.id))
    } else {
        None
    };
    http::json(200, &json!({ "members": rows, "next_cursor": next }))
}

/// A member's level as the API shows it (`null` when the program has no tiers).
fn tier_json(config: &MerchantConfig, tier: i64, since: i64, earned: i64) -> serde_json::Value {
    let tiers = &config.program.tiers;
    let Some(level) = tiers.level(tier) else {
        return serde_json::Value::Null;
    };
    json!({
        "level": tier,
        "name": level.name,
        "benefits": level.benefits,
        "earn_rate_pct": level.earn_rate_pct,
        "since": since,
        "points_in_window": earned,
        "window_days": tiers.window_days,
        "next": tiers.to_next(tier, earned).map(|(points, name)| json!({ "name": name, "points_needed": points })),
    })
}

/// Explains a member's balance: every entry with its cause, the balances it adds up to, what
/// expires when, and codes still waiting for staff.
pub async fn explain(req: Request, app: &App, member: &str) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner, Scope::Counter, Scope::Read]).await?;
    let member = MemberId::parse(member).ok_or(AppError::MemberNotFound)?;
    let config = cache::merchant(app, caller.merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    let m = caller.merchant.to_string();
    let e = store::explain(
        &app.db,
        &m,
        member.as_str(),
        app.now_ms,
        200,
        app.now_ms - config.program.tiers.window_ms(),
        Some(store::CardRefs {
            new_code: None,
            device: None,
        }),
    )
    .await?
    .ok_or(AppError::MemberNotFound)?;
    let s = &e.statement;
    let policy = config.program.points_expiry;
    // Under the inactivity policy the whole balance expires at one instant, not by lot.
    let (expiring_30_days, inactivity_expiry) = match policy {
        ExpiryPolicy::Inactivity { .. } => {
            let at = s.last_activity_at.unwrap_or(s.created_at) + policy.inactivity_ms();
            let soon = at <= app.now_ms + 30 * DAY_MS;
            (if soon { s.points.max(0) } else { 0 }, Some(at))
        }
        _ => (s.expiring_30_days, None),
    };
    http::json(
        200,
        &json!({
            "member_id": s.member_id,
            "balance": {
                "points": s.points,
                "pending_points": s.pending_points,
                "debt": s.debt,
                "lifetime_points": s.lifetime_points,
                "expiring_30_days": expiring_30_days,
                "stamps": s.stamps,
                "cashback_minor": s.cashback_minor,
                "cashback_currency": config.currency.code,
            },
            "policy": {
                "points_expiry": policy,
                "whole_balance_expires_at": inactivity_expiry,
                "pending_days": config.program.pending_days,
                "negative_balance": config.program.negative_balance,
            },
            "tier": tier_json(&config, s.tier, s.tier_since, s.tier_points),
            "referrals": e.referral,
            "upcoming_expiries": e.expiries,
            "live_codes": e.live_codes,
            "entries": e.entries,
            "entries_sum": {
                "points": e.entries.iter().map(|x| x.points).sum::<i64>(),
                "complete": (e.entries.len() as i64) < 200,
            },
        }),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdjustBody {
    #[serde(default)]
    points: i64,
    #[serde(default)]
    stamps: i64,
    reason: String,
}

/// A staff correction of points and/or stamps, with a mandatory reason, written to the audit
/// log with the key that made it. Needs an Idempotency-Key.
pub async fn adjust(req: Request, app: &App, member: &str) -> Result<Response, AppError> {
    idempotency::run(app, req, &[Scope::Owner], Key::Required, |caller, bytes| async move {
        let body: AdjustBody = http::parse_json(&bytes)?;
        let reason = check_reason(&body.reason)?;
        let in_range = |n: i64| (-MAX_ADJUST..=MAX_ADJUST).contains(&n);
        if !in_range(body.points) || !in_range(body.stamps) || (body.points == 0 && body.stamps == 0) {
            return Err(AppError::InvalidField {
                field: "points".into(),
                message: format!("give points and/or stamps, each from -{MAX_ADJUST} to {MAX_ADJUST}, not both zero"),
            });
        }
        let member = MemberId::parse(member).ok_or(AppError::MemberNotFound)?;
        let config = cache::merchant(app, caller.merchant)
            .await?
            .ok_or(AppError::MerchantNotFound)?;
        let lot = ledger::lot_terms(config.program.points_expiry, 0, config.tz(), false, app.now_ms);
        let (entry, audit) = (to_hex(&random::<16>()?), to_hex(&random::<16>()?));
        let m = caller.merchant.to_string();
        let (inserted, balance) = store::adjust(
            &app.db,
            &store::Adjust {
                entry: &entry,
                audit: &audit,
                merchant: &m,
                member: member.as_str(),
                points: body.points,
                stamps: body.stamps,
                actor: &caller.key_id,
                actor_name: None,
                reason: &reason,
                program_version: i64::from(config.program_version),
                expires_at: lot.expires_at,
                now: app.now_ms,
            },
        )
        .await?;
        let balance = balance.ok_or(AppError::MemberNotFound)?;
        if !inserted {
            let refusal = if body.points < 0 && balance.points < -body.points {
                Refusal::InsufficientPoints { have: balance.points, need: -body.points }
            } else if body.stamps < 0 {
                Refusal::InsufficientStamps { have: balance.stamps, need: -body.stamps }
            } else {
                // The balance counted points whose lots have expired but are not yet swept.
                Refusal::InsufficientPoints { have: balance.points, need: -body.points }
            };
            return Err(AppError::Refused(refusal));
        }
        Ok((201, json!({ "entry_id": entry, "balance": balance })))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReverseBody {
    reason: String,
}

/// Reverses what a scan earned, once: pending points are withdrawn; spent points are written off
/// or become debt, per the program's `negative_balance`. Needs an Idempotency-Key.
pub async fn reverse_scan(req: Request, app: &App, scan: &str) -> Result<Response, AppError> {
    idempotency::run(
        app,
        req,
        &[Scope::Owner],
        Key::Required,
        |caller, bytes| async move {
            let body: ReverseBody = http::parse_json(&bytes)?;
            let reason = check_reason(&body.reason)?;
            if crate::domain::ids::ScanId::parse(scan).is_none() {
                return Err(AppError::ScanNotFound);
            }
            let config = cache::merchant(app, caller.merchant)
                .await?
                .ok_or(AppError::MerchantNotFound)?;
            let (entry, audit) = (to_hex(&random::<16>()?), to_hex(&random::<16>()?));
            let m = caller.merchant.to_string();
            let policy = match config.program.negative_balance {
                NegativeBalance::Clamp => "clamp",
                NegativeBalance::Allow => "allow",
            };
            let (inserted, row) = store::reverse(
                &app.db,
                &store::Reverse {
                    entry: &entry,
                    audit: &audit,
                    merchant: &m,
                    scan,
                    policy,
                    actor: &caller.key_id,
                    reason: &reason,
                    program_version: i64::from(config.program_version),
                    now: app.now_ms,
                    tiers: TierRule::of(&config.program.tiers, config.program_version).as_ref(),
                },
            )
            .await?;
            let row = row.ok_or(AppError::ScanNotFound)?;
            if !inserted {
                return Err(AppError::ScanAlreadyReversed);
            }
            Ok((200, json!({ "reversal": row })))
        },
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CashbackSpendBody {
    amount_minor: i64,
    reference: String,
}

/// Spends cashback from a member's wallet at the till (never points). Needs an Idempotency-Key.
pub async fn spend_cashback(req: Request, app: &App, member: &str) -> Result<Response, AppError> {
    let scopes = [Scope::Owner, Scope::Counter];
    idempotency::run(
        app,
        req,
        &scopes,
        Key::Required,
        |caller, bytes| async move {
            let body: CashbackSpendBody = http::parse_json(&bytes)?;
            if !(1..=100_000_000).contains(&body.amount_minor) {
                return Err(AppError::InvalidField {
                    field: "amount_minor".into(),
                    message: "must be 1 to 100000000 minor units".into(),
                });
            }
            let reference = check_reason(&body.reference).map_err(|_| AppError::InvalidField {
                field: "reference".into(),
                message: "must name the order or receipt in 1 to 200 printable characters".into(),
            })?;
            let member = MemberId::parse(member).ok_or(AppError::MemberNotFound)?;
            let config = cache::merchant(app, caller.merchant)
                .await?
                .ok_or(AppError::MerchantNotFound)?;
            let entry = to_hex(&random::<16>()?);
            let m = caller.merchant.to_string();
            let (inserted, balance) = store::spend_cashback(
                &app.db,
                &entry,
                &m,
                member.as_str(),
                body.amount_minor,
                &reference,
                i64::from(config.program_version),
                &caller.key_id,
                app.now_ms,
            )
            .await?;
            let balance = balance.ok_or(AppError::MemberNotFound)?;
            if !inserted {
                return Err(AppError::Refused(Refusal::InsufficientCashback {
                    have: balance.cashback_minor,
                    need: body.amount_minor,
                }));
            }
            Ok((201, json!({ "entry_id": entry, "balance": balance })))
        },
    )
    .await
}

/// Exports everything held about a member (GDPR access): profile, ledger, scans, redemptions,
/// orders.
pub async fn export(req: Request, app: &App, member: &str) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner]).await?;
    let member = MemberId::parse(member).ok_or(AppError::MemberNotFound)?;
    let text = members::export(&app.db, &caller.merchant.to_string(), member.as_str())
        .await?
        .ok_or(AppError::MemberNotFound)?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| AppError::internal(format!("export JSON: {e}")))?;
    http::json(200, &value)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EraseBody {
    reason: String,
}

/// Erases a member's personal data (GDPR erasure); balances and the ledger stay, anonymous.
pub async fn erase(req: Request, app: &App, member: &str) -> Result<Response, AppError> {
    idempotency::run(
        app,
        req,
        &[Scope::Owner],
        Key::Required,
        |caller, bytes| async move {
            let body: EraseBody = http::parse_json(&bytes)?;
            let reason = check_reason(&body.reason)?;
            let member = MemberId::parse(member).ok_or(AppError::MemberNotFound)?;
            let audit = to_hex(&random::<16>()?);
            let m = caller.merchant.to_string();
            let erased = members::erase(
                &app.db,
                &m,
                member.as_str(),
                &audit,
                (&caller.key_id, ""),
                &reason,
                app.now_ms,
            )
            .await?;
            if !erased {
                // Either no such member here, or erased before: both leave nothing to erase.
                members::export(&app.db, &m, member.as_str())
                    .await?
                    .ok_or(AppError::MemberNotFound)?;
            }
            Ok((200, json!({ "member_id": member.as_str(), "erased": true })))
        },
    )
    .await
}

/// Lists the merchant's latest 100 audit log lines.
pub async fn audit_log(req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner]).await?;
    let rows = members::audit_log(&app.db, &caller.merchant.to_string()).await?;
    http::json(200, &json!({ "audit_log": rows }))
}
