//! `GET /c/{merchant}`: the member's card on their phone: balance, pending points, codes waiting
//! for staff, rewards to redeem, upcoming expiries and the latest entries, in one D1 round trip.

use worker::{Request, Response};

use crate::domain::ids::{to_hex, MerchantId};
use crate::domain::referral;
use crate::domain::session;
use crate::shell::app::{random, App};
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::routes::referrals;
use crate::shell::store::ledger;
use crate::view::pages::{
    self, CardExtras, CardState, CodeLine, EntryLine, RewardLine, Share, TierView,
};

/// Shows the card of the member this phone's cookie names, or how to join.
pub async fn show(req: Request, app: &App, merchant: &str) -> Result<Response, AppError> {
    let merchant = MerchantId::parse(merchant).ok_or(AppError::MerchantNotFound)?;
    let config = cache::merchant(app, merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    let member = http::cookie(&req, &session::cookie_name(merchant))
        .and_then(|v| session::read_member_cookie(&app.secrets.session, merchant, &v));
    let Some(member) = member else {
        return http::html(200, pages::no_card(&config));
    };
    let m = merchant.to_string();
    let referring = config.program.referral.enabled;
    let new_code = referral::new_code(random()?);
    let device = referrals::device(&req);
    let fresh_device = match (&device, referring) {
        (None, true) => Some(to_hex(&random::<16>()?)),
        _ => None,
    };
    let Some(e) = ledger::explain(
        &app.db,
        &m,
        member.as_str(),
        app.now_ms,
        10,
        app.now_ms - config.program.tiers.window_ms(),
        referring.then(|| ledger::CardRefs {
            new_code: Some(&new_code),
            device: device.as_deref().or(fresh_device.as_deref()),
        }),
    )
    .await?
    else {
        return http::html(200, pages::no_card(&config));
    };
    let state = CardState {
        code: pages::member_code(&e.statement.member_id),
        name: e.statement.name,
        points: e.statement.points,
        pending: e.statement.pending_points,
        stamps: e.statement.stamps,
        tier: TierView::of(&config, e.statement.tier, e.statement.tier_points),
    };
    let lines: Vec<EntryLine> = e
        .entries
        .into_iter()
        .map(|e| EntryLine {
            reason: e.reason,
            points: e.points + e.pending,
            stamps: e.stamps,
            created_at_ms: e.created_at,
        })
        .collect();
    let extras = CardExtras {
        expiries: e
            .expiries
            .iter()
            .map(|x| (x.expires_at, x.points))
            .collect(),
        expiring_30_days: e.statement.expiring_30_days,
        rewards: e
            .rewards
            .into_iter()
            .map(|r| RewardLine {
                id: r.id,
                name: r.name,
                cost_points: r.cost_points,
            })
            .collect(),
        live_codes: e
            .live_codes
            .into_iter()
            .map(|c| CodeLine {
                id: c.id,
                reward: c.reward_name,
                expires_at_ms: c.expires_at,
            })
            .collect(),
        attempt: to_hex(&random::<16>()?),
        welcome_bonus: e
            .invited
            .as_ref()
            .and_then(|i| referrals::welcome_line(&config, i, app.now_ms)),
        share: e.referral.map(|r| Share {
            url: format!("{}/r/{}", http::origin(&req).unwrap_or_default(), r.code),
            offer: referrals::share_offer(&config),
            joined: r.joined,
            rewarded: r.rewarded,
        }),
    };
    let page = pages::card(&config, &state, &lines, &extras, app.now_ms);
    let resp = if extras.share.is_some() {
        http::html_with_script(200, page, pages::SHARE_SCRIPT)?
    } else {
        http::html(200, page)?
    };
    resp.headers().set("cache-control", "no-store")?;
    if let Some(d) = fresh_device {
        http::set_cookie(
            &resp,
            session::DEVICE_COOKIE,
            &d,
            session::COOKIE_MAX_AGE_SECS,
            !http::is_local_http(&req),
        )?;
    }
    Ok(resp)
}

/// `GET /c/{merchant}/manifest.webmanifest`: lets a phone add the card to its home screen.
pub async fn manifest(app: &App, merchant: &str) -> Result<Response, AppError> {
    let merchant = MerchantId::parse(merchant).ok_or(AppError::MerchantNotFound)?;
    let config = cache::merchant(app, merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    let resp = http::json(200, &pages::manifest(&config))?;
    resp.headers()
        .set("content-type", "application/manifest+json")?;
    resp.headers()
        .set("cache-control", "public, max-age=3600")?;
    Ok(resp)
}

/// `GET /c/{merchant}/icon.svg`: the card's home-screen icon.
pub async fn icon(app: &App, merchant: &str) -> Result<Response, AppError> {
    let merchant = MerchantId::parse(merchant).ok_or(AppError::MerchantNotFound)?;
    let config = cache::merchant(app, merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    let resp = Response::ok(pages::icon(&config))?;
    resp.headers().set("content-type", "image/svg+xml")?;
    resp.headers()
        .set("cache-control", "public, max-age=3600")?;
    resp.headers().set(
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'",
    )?;
    resp.headers().set("x-content-type-options", "nosniff")?;
    Ok(resp)
}
