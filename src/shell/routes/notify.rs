//! Messages on the member's side: the card's service worker and push subscription, one-click
//! unsubscribe from an email (RFC 8058), and what a sent message achieved (the email's open
//! pixel, its signed click links, taps on a push notification).

use worker::{Request, Response};

use crate::domain::ids::MerchantId;
use crate::domain::links;
use crate::domain::messages::{opt_out_bit, Class};
use crate::domain::push::{self, VapidJwk};
use crate::shell::app::App;
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::routes::card::phone;
use crate::shell::store::push as store;
use crate::view::notify;

/// The operator's VAPID public key for the card's script, when push is set up.
pub fn public_key(app: &App) -> Option<String> {
    use base64::Engine;
    let (_, public) = VapidJwk::parse(app.vapid_key.as_deref()?).ok()?;
    Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(public))
}

/// `GET /c/{merchant}/sw.js`: the card's service worker (scope `/c/{merchant}/`).
pub async fn service_worker(app: &App, merchant: &str) -> Result<Response, AppError> {
    let id = MerchantId::parse(merchant).ok_or(AppError::MerchantNotFound)?;
    cache::merchant(app, id)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    let resp = Response::ok(notify::service_worker(&id.to_string()))?;
    let h = resp.headers();
    h.set("content-type", "text/javascript; charset=utf-8")?;
    h.set("cache-control", "no-cache")?;
    h.set("x-content-type-options", "nosniff")?;
    Ok(resp)
}

/// `POST /c/{merchant}/push`: stores the subscription the card's script posts (JSON, from this
/// origin, with the member's cookie). The endpoint must be a known push service.
pub async fn subscribe(mut req: Request, app: &App, merchant: &str) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let (config, member) = phone(&req, app, merchant).await?;
    let member = member.ok_or(AppError::AuthMissing)?;
    if config.push_offer.is_none() || public_key(app).is_none() {
        return Err(AppError::InvalidField {
            field: "subscription".into(),
            message: "this shop does not send notifications".into(),
        });
    }
    let body = http::body(&mut req).await?;
    let sub = push::parse_subscription(&body, app.push_loopback).map_err(|message| {
        AppError::InvalidField {
            field: "subscription".into(),
            message,
        }
    })?;
    let m = config.id.0.to_string();
    if !store::subscribe(&app.db, &m, member.as_str(), &sub, app.now_ms).await? {
        return Err(AppError::MemberNotFound);
    }
    http::json(201, &serde_json::json!({ "subscribed": true }))
}

/// `POST /c/{merchant}/push/off`: the member turns notifications off (every device).
pub async fn push_off(req: Request, app: &App, merchant: &str) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let (config, member) = phone(&req, app, merchant).await?;
    let member = member.ok_or(AppError::AuthMissing)?;
    let m = config.id.0.to_string();
    let detail = serde_json::json!({ "push": "off" });
    store::set_opt_out(
        &app.db,
        &m,
        member.as_str(),
        &[],
        true,
        "member",
        &detail,
        app.now_ms,
    )
    .await?
    .ok_or(AppError::MemberNotFound)?;
    http::see_other(&format!("/c/{m}/me?saved=1"))
}

/// Reads an unsubscribe link: the merchant's config and the link's facts.
async fn unsubscribe_link(
    app: &App,
    merchant: &str,
    token: &str,
) -> Result<(crate::domain::program::MerchantConfig, links::Unsubscribe), AppError> {
    let id = MerchantId::parse(merchant).ok_or(AppError::LinkNotFound)?;
    let link = links::read_unsubscribe(&app.secrets.master.link_key(), merchant, token)
        .ok_or(AppError::LinkNotFound)?;
    let config = cache::merchant(app, id)
        .await?
        .ok_or(AppError::LinkNotFound)?;
    Ok((config, link))
}

/// `GET /u/{merchant}/{token}`: what the unsubscribe link would do, with the button. Opening
/// it changes nothing.
pub async fn unsubscribe_page(
    req: Request,
    app: &App,
    merchant: &str,
    token: &str,
) -> Result<Response, AppError> {
    let (config, link) = unsubscribe_link(app, merchant, token).await?;
    let lang = http::language(&req, Some(config.id.0));
    let m = config.id.0.to_string();
    let channels = store::channels(&app.db, &m, &link.member)
        .await?
        .ok_or(AppError::LinkNotFound)?;
    let off = channels.channel_opt_out & opt_out_bit(link.via, Class::Marketing) != 0;
    let changed = http::query(&req, "changed").is_some();
    let action = format!("/u/{m}/{token}");
    let resp = http::html(
        200,
        notify::unsubscribe_page(lang, &config, link.via, off, changed, &action),
    )?;
    resp.headers().set("cache-control", "no-store")?;
    Ok(resp)
}

/// `POST /u/{merchant}/{token}`: a mail app's one-click unsubscribe (`List-Unsubscribe=One-Click`,
/// RFC 8058: no cookie, no page) or the page's button (`action=off|on`). Audited either way.
pub async fn unsubscribe(
    mut req: Request,
    app: &App,
    merchant: &str,
    token: &str,
) -> Result<Response, AppError> {
    let (config, link) = unsubscribe_link(app, merchant, token).await?;
    let form = http::form_body(&mut req).await?;
    let one_click = http::form_field(&form, "List-Unsubscribe").as_deref() == Some("One-Click");
    let off = match http::form_field(&form, "action").as_deref() {
        _ if one_click => true,
        Some("off") => true,
        Some("on") => false,
        _ => {
            return Err(AppError::InvalidField {
                field: "action".into(),
                message: "must be off or on".into(),
            })
        }
    };
    let m = config.id.0.to_string();
    let bit = opt_out_bit(link.via, Class::Marketing);
    let detail = serde_json::json!({
        "channel": link.via.as_str(),
        "marketing": if off { "off" } else { "on" },
        "by": if one_click { "one-click" } else { "unsubscribe page" },
    });
    store::set_opt_out(
        &app.db,
        &m,
        &link.member,
        &[(bit, off)],
        false,
        "unsubscribe-link",
        &detail,
        app.now_ms,
    )
    .await?
    .ok_or(AppError::LinkNotFound)?;
    if one_click {
        let resp = Response::ok("Unsubscribed.")?;
        resp.headers().set("cache-control", "no-store")?;
        return Ok(resp);
    }
    http::see_other(&format!("/u/{m}/{token}?changed=1"))
}

/// The smallest transparent GIF.
const PIXEL: [u8; 43] = [
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

/// `GET /m/{merchant}/o/{token}`: an email was opened (or its images preloaded): the pixel.
pub async fn opened(app: &App, merchant: &str, token: &str) -> Result<Response, AppError> {
    if let Some(message) = links::read_message(&app.secrets.master.link_key(), merchant, token) {
        store::mark(&app.db, merchant, &message, "open", app.now_ms).await?;
    }
    let resp = Response::from_bytes(PIXEL.to_vec())?;
    resp.headers().set("content-type", "image/gif")?;
    resp.headers().set("cache-control", "no-store")?;
    Ok(resp)
}

/// `GET /m/{merchant}/c/{token}`: a link in an email was followed: recorded, then on to where
/// the link was signed to go (our pages only: never an open redirect).
pub async fn clicked(app: &App, merchant: &str, token: &str) -> Result<Response, AppError> {
    let (message, target) = links::read_click(&app.secrets.master.link_key(), merchant, token)
        .ok_or(AppError::LinkNotFound)?;
    if !links::safe_target(&target, None) {
        return Err(AppError::LinkNotFound);
    }
    store::mark(&app.db, merchant, &message, "click", app.now_ms).await?;
    http::see_other(&target)
}

/// `POST /m/{merchant}/p/{token}`: the card's service worker reports a tap on a notification.
pub async fn push_clicked(app: &App, merchant: &str, token: &str) -> Result<Response, AppError> {
    let message = links::read_message(&app.secrets.master.link_key(), merchant, token)
        .ok_or(AppError::LinkNotFound)?;
    store::mark(&app.db, merchant, &message, "click", app.now_ms).await?;
    Ok(Response::empty()?.with_status(204))
}
