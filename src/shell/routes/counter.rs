//! The counter: `POST /api/v1/scan-tokens` signs a token for one sale (or a poster) and returns
//! its scan URL and QR code; `GET /api/v1/scan-key` hands a counter device the key to sign offline.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use serde_json::json;
use worker::{Request, Response};

use crate::domain::apikey::Scope;
use crate::domain::program::MerchantConfig;
use crate::domain::token::{Lifetime, ScanKind, ScanToken};
use crate::shell::app::{random, App};
use crate::shell::auth;
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::idempotency::{self, Key};
use crate::view::qr;

/// Longest life of a per-sale token, in seconds.
const MAX_SALE_TTL: u32 = 900;
/// Default life of a per-sale token, in seconds.
const DEFAULT_SALE_TTL: u32 = 180;
/// Default life of a poster token, in hours (400 days).
const DEFAULT_POSTER_HOURS: u32 = 400 * 24;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssueRequest {
    location: u8,
    kind: String,
    #[serde(default)]
    value: Option<u32>,
    #[serde(default)]
    ttl_secs: Option<u32>,
}

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::InvalidField {
        field: field.into(),
        message: message.into(),
    }
}

pub(crate) fn parse_kind(kind: &str, value: Option<u32>) -> Result<ScanKind, AppError> {
    let need = |v: Option<u32>| match v {
        Some(n) if n > 0 => Ok(n),
        _ => Err(invalid(
            "value",
            format!("a {kind} token needs a value above 0"),
        )),
    };
    match kind {
        "visit" if value.is_none() => Ok(ScanKind::Visit),
        "visit" => Err(invalid(
            "value",
            "a visit token takes no value; the program says what a visit earns",
        )),
        "purchase" => Ok(ScanKind::Purchase {
            amount_minor: need(value)?,
        }),
        "points" => Ok(ScanKind::Points(need(value)?)),
        "stamps" => Ok(ScanKind::Stamps(need(value)?)),
        other => Err(invalid(
            "kind",
            format!("must be visit, purchase, points or stamps, got {other:?}"),
        )),
    }
}

fn lifetime(kind: ScanKind, ttl_secs: Option<u32>) -> Result<Lifetime, AppError> {
    let bad = || {
        invalid("ttl_secs", format!("must be 30 to {MAX_SALE_TTL} for per-sale tokens, or whole hours up to 32767 for visit posters"))
    };
    match (kind, ttl_secs) {
        (ScanKind::Visit, None) => Lifetime::hours(DEFAULT_POSTER_HOURS as u16).ok_or_else(bad),
        (ScanKind::Visit, Some(s)) if s.is_multiple_of(3600) => u16::try_from(s / 3600)
            .ok()
            .and_then(Lifetime::hours)
            .ok_or_else(bad),
        (ScanKind::Visit, Some(_)) => Err(bad()),
        (_, ttl) => {
            let s = ttl.unwrap_or(DEFAULT_SALE_TTL);
            if !(30..=MAX_SALE_TTL).contains(&s) {
                return Err(bad());
            }
            u16::try_from(s)
                .ok()
                .and_then(Lifetime::seconds)
                .ok_or_else(bad)
        }
    }
}

/// Signs a scan token for the caller's merchant and returns its URL and QR code.
pub async fn issue(req: Request, app: &App) -> Result<Response, AppError> {
    let origin = http::origin(&req)?;
    let scopes = [Scope::Owner, Scope::Counter];
    idempotency::run(app, req, &scopes, Key::Optional, |caller, bytes| {
        sign_for_sale(origin, app, caller, bytes)
    })
    .await
}

async fn sign_for_sale(
    origin: String,
    app: &App,
    caller: auth::MerchantCaller,
    bytes: Vec<u8>,
) -> Result<(u16, serde_json::Value), AppError> {
    let body: IssueRequest = http::parse_json(&bytes)?;
    let config = cache::merchant(app, caller.merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    if config.location_name(body.location).is_none() {
        return Err(AppError::UnknownLocation(body.location));
    }
    if let Some(own) = caller.location.filter(|own| *own != body.location) {
        return Err(AppError::WrongLocation(own));
    }
    let kind = parse_kind(&body.kind, body.value)?;
    let lifetime = lifetime(kind, body.ttl_secs)?;
    let s = sign(app, &config, body.location, kind, lifetime, &origin)?;
    Ok((
        201,
        json!({
            "token": s.raw,
            "url": s.url,
            "qr_svg": s.svg,
            "expires_at": s.token.expires_at(),
            "single_use": kind.is_single_use(),
        }),
    ))
}

/// A token signed now, with its scan URL and QR code.
pub struct Signed {
    pub token: ScanToken,
    pub raw: String,
    pub url: String,
    pub svg: String,
}

/// Signs a `kind` token for `location` with the merchant's current key (the counter API, the
/// staff screen and the poster page).
pub fn sign(
    app: &App,
    config: &MerchantConfig,
    location: u8,
    kind: ScanKind,
    lifetime: Lifetime,
    origin: &str,
) -> Result<Signed, AppError> {
    let issued_at =
        u32::try_from(app.now_secs()).map_err(|_| AppError::internal("the clock is past 2106"))?;
    let merchant = config.id.0;
    let token = ScanToken {
        kid: config.current_kid,
        merchant,
        location,
        kind,
        issued_at,
        lifetime,
        nonce: random()?,
    };
    let raw = token.sign(&app.secrets.master.scan_key(merchant, config.current_kid));
    let url = format!("{origin}/s/{raw}");
    let svg =
        qr::svg(&url).ok_or_else(|| AppError::internal("the scan URL does not fit a QR code"))?;
    Ok(Signed {
        token,
        raw,
        url,
        svg,
    })
}

/// The life of a per-sale token shown on the staff screen, and of a printed poster's.
pub fn default_lifetime(kind: ScanKind) -> Result<Lifetime, AppError> {
    lifetime(kind, None)
}

/// Returns the merchant's current scan key, for a counter device that signs tokens offline.
pub async fn scan_key(req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner]).await?;
    let config = cache::merchant(app, caller.merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    let key = app
        .secrets
        .master
        .scan_key(caller.merchant, config.current_kid);
    http::json(
        200,
        &json!({
            "merchant": caller.merchant.to_string(),
            "kid": config.current_kid,
            "key": URL_SAFE_NO_PAD.encode(key.to_bytes()),
            "format": "docs/scan-token.md",
        }),
    )
}
