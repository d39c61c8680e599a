//! Redeeming rewards. On the phone: `POST /c/{merchant}/rewards/{reward}` holds the points and
//! shows a short-lived code at `GET /c/{merchant}/redemptions/{id}`. At the counter:
//! `POST /api/v1/redemptions/confirm` (the code), `POST /api/v1/redemptions/{id}/cancel`, and
//! `POST /api/v1/members/{id}/redemptions` for staff or a POS redeeming directly.

use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use worker::{Request, Response};

use crate::domain::apikey::Scope;
use crate::domain::ids::{to_hex, MemberId};
use crate::domain::program::MerchantConfig;
use crate::domain::reward::{self, Attempt, RedemptionError, Refusal};
use crate::shell::app::{random, App};
use crate::shell::auth;
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::idempotency::{self, Key};
use crate::shell::store::ledger::{self, AttemptRow, Redeem, RedemptionRow};
use crate::view::qr;
use crate::view::redemption::{self, CodeView};

fn is_hex_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn refusal_of(row: &AttemptRow, now: i64, card_size: i64) -> Result<Refusal, AppError> {
    if row.member_id.is_none() {
        return Err(AppError::MemberNotFound);
    }
    Ok(reward::refusal(
        Attempt {
            reward_exists: row.reward_id.is_some(),
            active: row.active == Some(1),
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            stock: row.stock,
            per_member_limit: row.per_member_limit,
            used: row.used,
            cost_points: row.cost_points,
            points: row.points.unwrap_or(0),
            stamps: row.stamps.unwrap_or(0),
        },
        now,
        card_size,
    ))
}

async fn merchant_and_member(
    req: &Request,
    app: &App,
    merchant: &str,
) -> Result<(MerchantConfig, MemberId), AppError> {
    let (config, member) = super::card::phone(req, app, merchant).await?;
    Ok((config, member.ok_or(AppError::MemberNotFound)?))
}

/// Holds a reward's cost for the member on this phone and redirects to the code. The form's
/// `attempt` (one per card page) makes the redemption id, so a double tap redeems once.
pub async fn phone_redeem(
    mut req: Request,
    app: &App,
    merchant: &str,
    reward_id: &str,
) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let (config, member) = merchant_and_member(&req, app, merchant).await?;
    let form = http::form_body(&mut req).await?;
    let attempt = http::form_field(&form, "attempt")
        .filter(|a| is_hex_id(a))
        .ok_or(AppError::EnrolFormInvalid)?;
    if !is_hex_id(reward_id) {
        return Err(AppError::Refused(Refusal::UnknownReward));
    }
    // One attempt per page and reward: the same button pressed twice is the same attempt.
    let digest = Sha256::digest(format!("{attempt}:{reward_id}"));
    let attempt = to_hex(digest.get(..16).unwrap_or_default());
    let id = to_hex(&random::<16>()?);
    let m = config.id.0.to_string();
    let card_size = i64::from(config.program.stamp_card_size);
    for _ in 0..2 {
        let code = reward::code_from(random::<4>()?);
        let r = Redeem {
            id: &id,
            merchant: &m,
            member: member.as_str(),
            reward: reward_id,
            code: Some(&code),
            attempt: Some(&attempt),
            now: app.now_ms,
            code_expires_at: app.now_ms + i64::from(config.program.redemption_code_secs) * 1000,
            card_size,
            actor: None,
            program_version: i64::from(config.program_version),
        };
        let (inserted, row, _) = ledger::redeem(&app.db, &r).await?;
        if inserted {
            return http::see_other(&format!("/c/{m}/redemptions/{id}"));
        }
        if let Some(earlier) = row.attempted_id.as_deref() {
            return http::see_other(&format!("/c/{m}/redemptions/{earlier}"));
        }
        match refusal_of(&row, app.now_ms, card_size)? {
            Refusal::CodeCollision => continue,
            refusal => return Err(AppError::Refused(refusal)),
        }
    }
    Err(AppError::Refused(Refusal::CodeCollision))
}

/// Shows a redemption code (with its QR and a bar that runs out with it), or how it ended.
pub async fn phone_show(
    req: Request,
    app: &App,
    merchant: &str,
    id: &str,
) -> Result<Response, AppError> {
    let (config, member) = merchant_and_member(&req, app, merchant).await?;
    if !is_hex_id(id) {
        return Err(AppError::Redemption(RedemptionError::NotFound));
    }
    let row = ledger::redemption(&app.db, &config.id.0.to_string(), id)
        .await?
        .filter(|r| r.member_id == member.as_str())
        .ok_or(AppError::Redemption(RedemptionError::NotFound))?;
    let code = row.code.clone().unwrap_or_default();
    let view = CodeView {
        reward: row.reward_name.clone(),
        qr_svg: qr::svg(&code).unwrap_or_default(),
        code,
        status: row.status.clone(),
        expires_at_ms: row.expires_at,
        coupon_code: row.coupon_code.clone(),
    };
    let lang = http::language(&req, Some(config.id.0));
    let resp = http::html(
        200,
        redemption::redemption(lang, &config, &view, app.now_ms),
    )?;
    resp.headers().set("cache-control", "no-store")?;
    Ok(resp)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfirmBody {
    code: String,
}

/// Wrong codes one key may enter per window before every code is refused until the next one:
/// a typo allowance, and for each live code one chance in 50,000 per window of guessing it.
pub const CODE_MISSES_PER_WINDOW: i64 = 20;
const CODE_MISS_WINDOW_MS: i64 = 600_000;

/// Confirms a code shown on a member's phone (a key that keeps entering wrong codes is stopped).
pub async fn confirm(req: Request, app: &App) -> Result<Response, AppError> {
    idempotency::run(
        app,
        req,
        &[Scope::Owner, Scope::Counter],
        Key::Optional,
        |caller, bytes| async move {
            let body: ConfirmBody = http::parse_json(&bytes)?;
            let row = confirm_code(app, &caller, &body.code).await?;
            Ok((200, json!({ "redemption": row })))
        },
    )
    .await
}

/// Confirms the six-digit code a member shows (the API and the staff screen): exactly once,
/// counting wrong codes against the caller's key.
pub async fn confirm_code(
    app: &App,
    caller: &auth::MerchantCaller,
    code: &str,
) -> Result<ledger::RedemptionRow, AppError> {
    app.wake(&caller.merchant.to_string());
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::InvalidField {
            field: "code".into(),
            message: "must be the six digits shown on the phone".into(),
        });
    }
    let m = caller.merchant.to_string();
    let window_start = app.now_ms - app.now_ms.rem_euclid(CODE_MISS_WINDOW_MS);
    let limit = ledger::MissLimit {
        bucket: format!("code-miss:{}", caller.key_id),
        window_start,
        limit: CODE_MISSES_PER_WINDOW,
    };
    let audit_id = to_hex(&random::<16>()?);
    let device = caller.device();
    let by = ledger::ConfirmedBy {
        actor: &caller.key_id,
        name: caller.actor_name(),
        device: &device,
        audit_id: &audit_id,
    };
    let (confirmed, row, misses) =
        ledger::confirm(&app.db, &m, code, app.now_ms, &by, &limit).await?;
    if !confirmed && misses >= CODE_MISSES_PER_WINDOW {
        let retry_after = (window_start + CODE_MISS_WINDOW_MS - app.now_ms + 999) / 1000;
        return Err(AppError::RateLimited { retry_after });
    }
    let row = row.ok_or(AppError::Redemption(RedemptionError::NotFound))?;
    if confirmed {
        return Ok(row);
    }
    Err(AppError::Redemption(match row.status.as_str() {
        "confirmed" | "cancelled" => RedemptionError::AlreadyConfirmed,
        _ => RedemptionError::Expired,
    }))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CancelBody {
    #[serde(default)]
    reason: Option<String>,
}

/// Cancels a confirmed redemption within the merchant's window; the points go back.
pub async fn cancel(req: Request, app: &App, id: &str) -> Result<Response, AppError> {
    idempotency::run(
        app,
        req,
        &[Scope::Owner, Scope::Counter],
        Key::Optional,
        |caller, bytes| async move {
            let body: CancelBody = http::parse_json(&bytes)?;
            let reason = check_reason(body.reason.as_deref().unwrap_or("cancelled by staff"))?;
            if !is_hex_id(id) {
                return Err(AppError::Redemption(RedemptionError::NotFound));
            }
            let config = cache::merchant(app, caller.merchant)
                .await?
                .ok_or(AppError::MerchantNotFound)?;
            let window = i64::from(config.program.redemption_cancel_mins) * 60_000;
            let m = caller.merchant.to_string();
            let (cancelled, row) =
                ledger::cancel(&app.db, &m, id, app.now_ms, window, &caller.key_id, &reason)
                    .await?;
            let row = row.ok_or(AppError::Redemption(RedemptionError::NotFound))?;
            if cancelled {
                return Ok((200, json!({ "redemption": row })));
            }
            Err(AppError::Redemption(cancel_refusal(
                &row, app.now_ms, window,
            )))
        },
    )
    .await
}

fn cancel_refusal(row: &RedemptionRow, now: i64, window: i64) -> RedemptionError {
    if row.status != "confirmed" {
        RedemptionError::NotConfirmed
    } else if row.confirmed_at.unwrap_or(0) <= now - window {
        RedemptionError::CancelWindowClosed
    } else {
        RedemptionError::CashbackSpent
    }
}

/// Checks a staff-written reason: 1 to 200 printable characters.
pub fn check_reason(reason: &str) -> Result<String, AppError> {
    let r = reason.trim();
    if r.is_empty() || r.chars().count() > 200 || r.chars().any(char::is_control) {
        return Err(AppError::InvalidField {
            field: "reason".into(),
            message: "must be 1 to 200 printable characters".into(),
        });
    }
    Ok(r.to_owned())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DirectBody {
    reward_id: String,
}

/// Staff or a POS redeem a reward for a member directly (no phone code). Needs an Idempotency-Key.
pub async fn direct(req: Request, app: &App, member: &str) -> Result<Response, AppError> {
    idempotency::run(
        app,
        req,
        &[Scope::Owner, Scope::Counter],
        Key::Required,
        |caller, bytes| async move {
            app.wake(&caller.merchant.to_string());
            let body: DirectBody = http::parse_json(&bytes)?;
            let member = MemberId::parse(member).ok_or(AppError::MemberNotFound)?;
            if !is_hex_id(&body.reward_id) {
                return Err(AppError::Refused(Refusal::UnknownReward));
            }
            let config = cache::merchant(app, caller.merchant)
                .await?
                .ok_or(AppError::MerchantNotFound)?;
            let id = to_hex(&random::<16>()?);
            let m = caller.merchant.to_string();
            let card_size = i64::from(config.program.stamp_card_size);
            let r = Redeem {
                id: &id,
                merchant: &m,
                member: member.as_str(),
                reward: &body.reward_id,
                code: None,
                attempt: None,
                now: app.now_ms,
                code_expires_at: app.now_ms,
                card_size,
                actor: Some(&caller.key_id),
                program_version: i64::from(config.program_version),
            };
            let (inserted, row, redemption) = ledger::redeem(&app.db, &r).await?;
            if !inserted {
                return Err(AppError::Refused(refusal_of(&row, app.now_ms, card_size)?));
            }
            Ok((201, json!({ "redemption": redemption })))
        },
    )
    .await
}
