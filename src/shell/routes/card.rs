//! `GET /c/{merchant}`: the member's card on their phone: balance, pending points, codes waiting
//! for staff, rewards to redeem, upcoming expiries and the latest entries, in one D1 round trip.

use worker::{Request, Response};

use crate::domain::ids::{to_hex, MemberId, MerchantId};
use crate::domain::language::{self, Language};
use crate::domain::program::MerchantConfig;
use crate::domain::referral;
use crate::domain::session;
use crate::shell::app::{random, App};
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::routes::referrals;
use crate::shell::store::{ledger, members};
use crate::view::card::{
    self, CardExtras, CardState, CodeLine, EntryLine, RewardLine, Share, TierView,
};
use crate::view::error::notice;
use crate::view::page::member_code;

/// Shows the card of the member this phone's cookie names, or how to join.
pub async fn show(req: Request, app: &App, merchant: &str) -> Result<Response, AppError> {
    let (config, member) = phone(&req, app, merchant).await?;
    let lang = http::language(&req, Some(config.id.0));
    let Some(member) = member else {
        return http::html(200, card::no_card(lang, &config));
    };
    let m = config.id.0.to_string();
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
        return http::html(200, card::no_card(lang, &config));
    };
    let state = CardState {
        code: member_code(&e.statement.member_id),
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
            note: None,
        })
        .collect();
    let extras = CardExtras {
        expiries: e
            .expiries
            .iter()
            .map(|x| (x.expires_at, x.points))
            .collect(),
        expiring_30_days: e.statement.expiring_30_days,
        rewards: e.rewards.into_iter().map(reward_line).collect(),
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
            .and_then(|i| referrals::welcome_line(lang, &config, i, app.now_ms)),
        share: e.referral.map(|r| Share {
            url: format!("{}/r/{}", http::origin(&req).unwrap_or_default(), r.code),
            offer: referrals::share_offer(lang, &config),
            joined: r.joined,
            rewarded: r.rewarded,
        }),
    };
    let page = card::card(lang, &config, &state, &lines, &extras, app.now_ms);
    let resp = if extras.share.is_some() {
        http::html_with_script(200, page, card::SHARE_SCRIPT)?
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
    let resp = http::json(200, &card::manifest(&config))?;
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
    let resp = Response::ok(card::icon(&config))?;
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

/// The merchant of a phone path and the member its cookie names, if it names one (the card,
/// the member's own pages and the phone redemption all start here).
pub(super) async fn phone(
    req: &Request,
    app: &App,
    merchant: &str,
) -> Result<(MerchantConfig, Option<MemberId>), AppError> {
    let merchant = MerchantId::parse(merchant).ok_or(AppError::MerchantNotFound)?;
    let config = cache::merchant(app, merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    let member = http::cookie(req, &session::cookie_name(merchant))
        .and_then(|v| session::read_member_cookie(&app.secrets.session, merchant, &v));
    Ok((config, member))
}

/// `GET /c/{merchant}/history`: every entry with its reason, and upcoming expiries.
pub async fn history(req: Request, app: &App, merchant: &str) -> Result<Response, AppError> {
    let (config, member) = phone(&req, app, merchant).await?;
    let lang = http::language(&req, Some(config.id.0));
    let Some(member) = member else {
        return http::html(200, card::no_card(lang, &config));
    };
    let m = config.id.0.to_string();
    let window = app.now_ms - config.program.tiers.window_ms();
    let Some(e) =
        ledger::explain(&app.db, &m, member.as_str(), app.now_ms, 200, window, None).await?
    else {
        return http::html(200, card::no_card(lang, &config));
    };
    let lines: Vec<EntryLine> = e
        .entries
        .into_iter()
        .map(|e| EntryLine {
            reason: e.reason,
            points: e.points + e.pending,
            stamps: e.stamps,
            created_at_ms: e.created_at,
            note: e.note,
        })
        .collect();
    let expiries: Vec<(i64, i64)> = e
        .expiries
        .iter()
        .map(|x| (x.expires_at, x.points))
        .collect();
    let resp = http::html(200, card::history(lang, &config, &lines, &expiries))?;
    resp.headers().set("cache-control", "no-store")?;
    Ok(resp)
}

/// `GET /c/{merchant}/me`: the member's consent, preferences, data copy and erasure.
pub async fn my_data(req: Request, app: &App, merchant: &str) -> Result<Response, AppError> {
    let (config, member) = phone(&req, app, merchant).await?;
    let lang = http::language(&req, Some(config.id.0));
    let Some(member) = member else {
        return http::html(200, card::no_card(lang, &config));
    };
    let m = config.id.0.to_string();
    let Some(p) = members::preferences(&app.db, &m, member.as_str()).await? else {
        return http::html(200, card::no_card(lang, &config));
    };
    let saved = http::query(&req, "saved").is_some();
    // The member row is the truth: its language wins here and the phone's copy follows it.
    let chosen = p.language.as_deref().and_then(Language::parse);
    let lang = language::choose(chosen, http::accept_language(&req).as_deref());
    let channels = crate::shell::store::push::channels(&app.db, &m, member.as_str()).await?;
    let prefs = card::Preferences {
        marketing_consent: p.marketing_consent == 1,
        channel: p.preferred_channel,
        language: p.language,
        opt_out: channels.as_ref().map_or(0, |c| c.channel_opt_out),
        push_devices: channels.as_ref().map_or(0, |c| c.push_devices),
    };
    let resp = http::html(200, card::my_data(lang, &config, &prefs, saved))?;
    resp.headers().set("cache-control", "no-store")?;
    let remembered = http::cookie(&req, &language::cookie_name(config.id.0));
    if remembered.as_deref().and_then(Language::parse) != chosen {
        http::set_language_cookie(&req, &resp, config.id.0, chosen)?;
    }
    Ok(resp)
}

/// `POST /c/{merchant}/me/preferences`: the member changes their consent, channel, language
/// (audited as the member's own change).
pub async fn save_preferences(
    mut req: Request,
    app: &App,
    merchant: &str,
) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let (config, member) = phone(&req, app, merchant).await?;
    let lang = http::language(&req, Some(config.id.0));
    let Some(member) = member else {
        return http::html(200, card::no_card(lang, &config));
    };
    let form = http::form_body(&mut req).await?;
    let consent = http::form_field(&form, "marketing_consent").is_some_and(|v| v == "yes");
    let pick = |name: &str, allowed: &[&str]| -> Result<Option<String>, AppError> {
        match http::form_field(&form, name).unwrap_or_default().as_str() {
            "" => Ok(None),
            v if allowed.contains(&v) => Ok(Some(v.to_owned())),
            _ => Err(AppError::InvalidField {
                field: name.into(),
                message: format!("must be one of {}", allowed.join(", ")),
            }),
        }
    };
    let channel = pick("channel", &["email", "sms", "push"])?;
    let language = pick("language", &["en", "pl"])?;
    let m = config.id.0.to_string();
    members::set_preferences(
        &app.db,
        &m,
        member.as_str(),
        Some(consent),
        Some(channel.as_deref()),
        Some(language.as_deref()),
        "member",
        app.now_ms,
    )
    .await?
    .ok_or(AppError::MemberNotFound)?;
    // The offers per channel, when the form had them (checked: allowed).
    if http::form_field(&form, "channels").is_some() {
        use crate::domain::messages::{opt_out_bit, Class, Via};
        let boxes = [
            ("offers_email", Via::Email, Class::Marketing),
            ("offers_push", Via::Push, Class::Marketing),
            ("offers_sms", Via::Webhook, Class::Marketing),
            ("news_email", Via::Email, Class::Transactional),
            ("news_push", Via::Push, Class::Transactional),
            ("news_sms", Via::Webhook, Class::Transactional),
        ];
        let allowed = |name: &str| http::form_field(&form, name).is_some_and(|v| v == "yes");
        let bits: Vec<(i64, bool)> = boxes
            .iter()
            .map(|(name, via, class)| (opt_out_bit(*via, *class), !allowed(name)))
            .collect();
        let detail: serde_json::Map<String, serde_json::Value> = boxes
            .iter()
            .map(|(name, _, _)| ((*name).to_string(), allowed(name).into()))
            .collect();
        let detail = serde_json::Value::Object(detail);
        crate::shell::store::push::set_opt_out(
            &app.db,
            &m,
            member.as_str(),
            &bits,
            false,
            "member",
            &detail,
            app.now_ms,
        )
        .await?;
    }
    let resp = http::see_other(&format!("/c/{m}/me?saved=1"))?;
    let chosen = language.as_deref().and_then(Language::parse);
    http::set_language_cookie(&req, &resp, config.id.0, chosen)?;
    Ok(resp)
}

/// `GET /c/{merchant}/me/export`: everything held about the member, as a JSON file.
pub async fn export(req: Request, app: &App, merchant: &str) -> Result<Response, AppError> {
    let (config, member) = phone(&req, app, merchant).await?;
    let lang = http::language(&req, Some(config.id.0));
    let Some(member) = member else {
        return http::html(200, card::no_card(lang, &config));
    };
    let text = members::export(&app.db, &config.id.0.to_string(), member.as_str())
        .await?
        .ok_or(AppError::MemberNotFound)?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| AppError::internal(format!("export JSON: {e}")))?;
    let resp = http::json(200, &value)?;
    resp.headers().set(
        "content-disposition",
        "attachment; filename=\"my-loyalty-data.json\"",
    )?;
    resp.headers().set("cache-control", "no-store")?;
    Ok(resp)
}

/// `POST /c/{merchant}/me/erase`: the member erases themselves (confirmed on the form); the
/// cookie is cleared.
pub async fn erase(mut req: Request, app: &App, merchant: &str) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let (config, member) = phone(&req, app, merchant).await?;
    let lang = http::language(&req, Some(config.id.0));
    let Some(member) = member else {
        return http::html(200, card::no_card(lang, &config));
    };
    let form = http::form_body(&mut req).await?;
    if http::form_field(&form, "confirm").as_deref() != Some("yes") {
        return Err(AppError::InvalidField {
            field: "confirm".into(),
            message: "tick the box to confirm the erasure".into(),
        });
    }
    let m = config.id.0.to_string();
    let audit = to_hex(&random::<16>()?);
    members::erase(
        &app.db,
        &m,
        member.as_str(),
        &audit,
        ("member", ""),
        "asked by the member on their phone",
        app.now_ms,
    )
    .await?;
    let resp = http::html(
        200,
        notice(
            lang,
            &config,
            lang.pick("Your data is erased", "Twoje dane zostały usunięte"),
            lang.pick(
                "Your name, contacts and birthday are gone and this card no longer works. Thank you for having been a member.",
                "Twoje imię, dane kontaktowe i data urodzin zostały usunięte, a ta karta już nie działa. Dziękujemy za udział w programie.",
            ),
            None,
        ),
    )?;
    http::set_cookie(
        &resp,
        &session::cookie_name(config.id.0),
        "",
        0,
        !http::is_local_http(&req),
    )?;
    http::set_language_cookie(&req, &resp, config.id.0, None)?;
    Ok(resp)
}

/// A stored reward as the card lists it.
pub(crate) fn reward_line(r: crate::shell::store::rewards::RewardRow) -> RewardLine {
    RewardLine {
        id: r.id,
        name: r.name,
        cost_points: r.cost_points,
        kind: r.kind,
        value: r.value,
        description: r.description,
        image: r.image,
        ends_at: r.ends_at,
        stock: r.stock,
    }
}
