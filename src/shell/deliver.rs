//! Message delivery: due messages are leased (one sender each), checked against consent, muted
//! kinds, quiet hours and the marketing frequency cap, given a channel (`messages::choose`:
//! the member's preferred one, else push, email, the merchant's webhook), rendered in the
//! member's language and sent six at a time: Web Push to the card (RFC 8291/8292), email
//! through the platform's email service with one-click unsubscribe, or a signed webhook
//! (Standard Webhooks) to the merchant's own sender. Acceptance is final; anything else is
//! tried again with backoff until the horizon, then dead-lettered; a push subscription its
//! service calls gone is removed and the message tries the next channel. Every attempt is
//! logged with its channel.
//!
//! Runs right after a response that queued messages (`wait_until`), from the deliveries cron
//! for everything due, and from the operator's call for one merchant.

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::future::{join_all, select, Either};
use serde_json::json;
use worker::{AbortController, Delay, Fetch, Headers, Method, Request, RequestInit};

use super::app::{random, App};
use super::cache;
use super::error::AppError;
use super::store::{self, messages as store_messages};
use super::webpush::{self, Vapid};
use crate::domain::campaign::Definition;
use crate::domain::email;
use crate::domain::ids::{to_hex, MerchantId};
use crate::domain::keys::WebhookSecret;
use crate::domain::links;
use crate::domain::messages::{
    channel, choose, default_template, quiet_until, render, retry, variables, Class, Facts, Kind,
    Language, Reach, Retry, Settings, Template, Via, LEASE_MS, TIMEOUT_MS,
};
use crate::domain::program::MerchantConfig;
use crate::domain::push;
use crate::domain::webhook::sign;
use crate::view::email::{self as email_view, EmailView};

/// Messages one sender takes at a time, and sends at once (the platform's open connections).
const BATCH: i64 = 30;
const PARALLEL: usize = 6;
/// How long after its horizon a message that was never finished is dropped rather than sent
/// (the cron runs every 10 minutes, so the last attempt at the horizon can be that late).
const STALE_AFTER_MS: i64 = 3_600_000;

/// What a delivery run did.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Tally {
    pub sent: usize,
    pub failed: usize,
    pub dead: usize,
    pub suppressed: usize,
    pub postponed: usize,
}

impl Tally {
    /// Counts what the outcomes of one lease say.
    fn of(outcomes: &[store_messages::Outcome<'_>]) -> Tally {
        let mut t = Tally::default();
        for o in outcomes {
            match (o.status, o.attempt.is_some()) {
                ("sent", _) => t.sent += 1,
                ("dead", _) => t.dead += 1,
                ("suppressed", _) => t.suppressed += 1,
                (_, true) => t.failed += 1,
                (_, false) => t.postponed += 1,
            }
        }
        t
    }

    fn add(&mut self, o: Tally) {
        self.sent += o.sent;
        self.failed += o.failed;
        self.dead += o.dead;
        self.suppressed += o.suppressed;
        self.postponed += o.postponed;
    }
}

/// Delivers what is due for every merchant, within `budget` leases of up to 30 messages.
pub async fn all(app: &App, now: i64, budget: usize) -> Result<Tally, AppError> {
    let mut tally = Tally::default();
    let mut rounds = 0;
    while rounds < budget {
        let merchants = store_messages::due_merchants(&app.db, now, 100).await?;
        if merchants.is_empty() {
            break;
        }
        for m in merchants {
            if rounds >= budget {
                break;
            }
            rounds += 1;
            match merchant(app, &m, now).await {
                Ok(t) => tally.add(t),
                Err(e) => worker::console_error!("deliveries: merchant {m}: {e:?}"),
            }
        }
    }
    Ok(tally)
}

/// What every message of one lease shares.
struct Lease<'a> {
    app: &'a App,
    merchant: &'a str,
    config: &'a MerchantConfig,
    settings: &'a Settings,
    origin: &'a str,
    webhook: Option<(String, WebhookSecret)>,
    vapid: Option<Vapid>,
    now: i64,
}

/// A message ready to go: its channel, why, and its words.
struct Ready<'a> {
    m: &'a store_messages::Leased,
    marketing: bool,
    kind: Kind,
    language: Language,
    via: Via,
    note: String,
    subject: String,
    text: String,
    /// The signed webhook body, for the merchant's own sender.
    webhook_body: Option<String>,
}

/// What one attempt did: HTTP status (None: no answer, or email), latency, the error (None:
/// accepted), and whether the push subscription is gone.
struct Sent {
    status: Option<i64>,
    latency: i64,
    error: Option<String>,
    gone: bool,
}

/// Delivers up to one lease of `merchant`'s messages due at `now`.
pub async fn merchant(app: &App, merchant: &str, now: i64) -> Result<Tally, AppError> {
    let Some(id) = MerchantId::parse(merchant) else {
        return Ok(Tally::default());
    };
    let Some(stored) = store_messages::settings(&app.db, merchant).await? else {
        return Ok(Tally::default());
    };
    let settings = stored.settings();
    let vapid = match (&app.vapid_key, settings.push) {
        (Some(key), true) => {
            let subject = app
                .vapid_subject
                .clone()
                .unwrap_or_else(|| match &app.mail {
                    Some(m) => format!("mailto:{}", m.from),
                    None => stored.origin.clone(),
                });
            Vapid::read(Some(key.clone()), subject)?
        }
        _ => None,
    };
    let email_on = settings.email && app.mail.is_some();
    let webhook = settings
        .endpoint_url
        .clone()
        .map(|url| (url, app.secrets.master.message_secret(id)));
    if webhook.is_none() && vapid.is_none() && !email_on {
        return Ok(Tally::default());
    }
    let Some(config) = cache::merchant(app, id).await? else {
        return Ok(Tally::default());
    };
    let lease = to_hex(&random::<8>()?);
    let held = store_messages::lease(&app.db, merchant, &lease, now, BATCH, LEASE_MS).await?;
    if held.is_empty() {
        return Ok(Tally::default());
    }
    // Reward names are read only when a message names a reward.
    let rewards = if held.iter().any(|m| m.payload.contains("\"reward_id\":\"")) {
        store::rewards::list(&app.db, merchant, false, now).await?
    } else {
        Vec::new()
    };
    let mut campaigns: BTreeMap<String, Option<Definition>> = BTreeMap::new();
    let tz = config.tz();
    let card_link = format!("{}/c/{}", stored.origin, merchant);
    let ctx = Lease {
        app,
        merchant,
        config: &config,
        settings: &settings,
        origin: &stored.origin,
        webhook,
        vapid,
        now,
    };

    let mut outcomes = Vec::with_capacity(held.len());
    let mut ready: Vec<Ready<'_>> = Vec::new();
    for m in &held {
        let end = |status: &'static str, error: &str| store_messages::Outcome {
            id: &m.id,
            status,
            due_at: now,
            error: Some(error.to_string()),
            attempt: None,
            channel: None,
        };
        let Some(kind) = Kind::parse(&m.kind) else {
            outcomes.push(end("suppressed", "unknown message kind"));
            continue;
        };
        let class = kind.class();
        let marketing = m.class == Class::Marketing.as_str();
        if now > m.give_up_at + STALE_AFTER_MS {
            // Queued while no channel was on, long ago: news that old is not sent.
            outcomes.push(end(
                "dead",
                "not delivered within three days of its occasion",
            ));
            continue;
        }
        if m.erased_at.is_some() {
            outcomes.push(end("suppressed", "the member was erased"));
            continue;
        }
        if settings.is_muted(kind) {
            outcomes.push(end("suppressed", "the merchant muted this kind of message"));
            continue;
        }
        if marketing && m.marketing_consent != 1 {
            outcomes.push(end("suppressed", "the member has not agreed to marketing"));
            continue;
        }
        let reach = Reach {
            push_on: ctx.vapid.is_some(),
            email_on,
            webhook_on: ctx.webhook.is_some(),
            subscribed: m.push_endpoint.is_some(),
            email: m.email.as_deref(),
            phone: m.phone.as_deref(),
            preferred: m.preferred_channel.as_deref(),
            opt_out: m.channel_opt_out,
        };
        let class = if marketing { Class::Marketing } else { class };
        let (via, note) = match choose(class, &reach) {
            Ok(v) => v,
            Err(why) => {
                outcomes.push(end("suppressed", &why));
                continue;
            }
        };
        if marketing {
            if let Some(at) = quiet_until(now, tz, settings.quiet_hours) {
                outcomes.push(store_messages::Outcome {
                    id: &m.id,
                    status: "pending",
                    due_at: at,
                    error: Some("waiting for the end of quiet hours".into()),
                    attempt: None,
                    channel: None,
                });
                continue;
            }
        }
        let payload: serde_json::Value =
            serde_json::from_str(&m.payload).unwrap_or_else(|_| json!({}));
        let language = m
            .language
            .as_deref()
            .and_then(Language::parse)
            .unwrap_or(settings.language);
        let template = if kind == Kind::Campaign {
            let text = |k: &str| payload.get(k).and_then(|v| v.as_str()).unwrap_or_default();
            let cid = text("campaign_id").to_string();
            if !campaigns.contains_key(&cid) {
                let d = store::campaigns::definition(&app.db, merchant, &cid).await?;
                campaigns.insert(cid.clone(), d);
            }
            let variant = text("variant");
            campaigns
                .get(&cid)
                .and_then(Option::as_ref)
                .and_then(|d| d.variants.iter().find(|v| v.name == variant))
                .map(|v| Template {
                    subject: v.subject.clone(),
                    text: v.text.clone(),
                })
                .unwrap_or_else(|| default_template(Kind::Campaign, language))
        } else if kind == Kind::Sequence {
            // A sequence's own words, else the merchant's `sequence` template, else the default.
            let id = payload.get("sequence").and_then(|v| v.as_str());
            config
                .program
                .sequences
                .iter()
                .find(|s| Some(s.id.as_str()) == id)
                .and_then(|s| s.words.as_ref())
                .map(|w| Template {
                    subject: w.subject.clone(),
                    text: w.text.clone(),
                })
                .unwrap_or_else(|| settings.template(kind, language))
        } else {
            settings.template(kind, language)
        };
        let level = |n: i64| {
            usize::try_from(n)
                .ok()
                .and_then(|i| config.program.tiers.levels.get(i))
                .map(|l| l.name.clone())
        };
        let member_tier = level(m.tier);
        let facts = Facts {
            kind,
            language,
            member_name: &m.name,
            merchant_name: &config.name,
            points: m.points,
            stamps: m.stamps,
            card_size: config.program.stamp_card_size,
            card_reward: &config.program.card_reward,
            tier: member_tier.as_deref(),
            card_link: &card_link,
            tz,
            payload: &payload,
        };
        let reward_name = |rid: &str| rewards.iter().find(|r| r.id == rid).map(|r| r.name.clone());
        let vars = variables(&facts, &reward_name, &level);
        let subject = render(&template.subject, &vars);
        let text = render(&template.text, &vars);
        let webhook_body = (via == Via::Webhook).then(|| {
            let (legacy, to) = channel(
                m.preferred_channel.as_deref(),
                m.email.as_deref(),
                m.phone.as_deref(),
            )
            .unwrap_or(("push", None));
            json!({
                "type": format!("message.{}", kind.as_str()),
                "timestamp": rfc3339(now),
                "data": {
                    "message_id": m.id,
                    "kind": kind.as_str(),
                    "class": m.class,
                    "merchant_id": merchant,
                    "member_id": m.member_id,
                    "language": language.as_str(),
                    "channel": legacy,
                    "to": to,
                    "member": { "name": m.name, "email": m.email, "phone": m.phone },
                    "subject": subject,
                    "text": text,
                    "variables": vars,
                    "event": payload,
                    "attempt": m.attempts + 1,
                }
            })
            .to_string()
        });
        ready.push(Ready {
            m,
            marketing,
            kind,
            language,
            via,
            note,
            subject,
            text,
            webhook_body,
        });
    }

    // The frequency cap, claimed in D1 for the marketing messages about to go.
    if settings.marketing_cap_days > 0 {
        let claims: Vec<(&str, &str)> = ready
            .iter()
            .filter(|r| r.marketing)
            .map(|r| (r.m.member_id.as_str(), r.m.id.as_str()))
            .collect();
        let cap_ms = i64::from(settings.marketing_cap_days) * 86_400_000;
        let claimed = store_messages::claim_caps(&app.db, &claims, now, cap_ms).await?;
        let refused: Vec<&str> = claims
            .iter()
            .zip(claimed)
            .filter(|(_, ok)| !ok)
            .map(|((_, id), _)| *id)
            .collect();
        ready.retain(|r| {
            if refused.contains(&r.m.id.as_str()) {
                outcomes.push(store_messages::Outcome {
                    id: &r.m.id,
                    status: "suppressed",
                    due_at: now,
                    error: Some(format!(
                        "frequency cap: the member got a marketing message in the last {} days",
                        settings.marketing_cap_days
                    )),
                    attempt: None,
                    channel: None,
                });
                false
            } else {
                true
            }
        });
    }
    for group in ready.chunks(PARALLEL) {
        let results = join_all(group.iter().map(|r| send(&ctx, r))).await;
        for (r, sent) in group.iter().zip(results) {
            let attempts = u32::try_from(r.m.attempts + 1).unwrap_or(u32::MAX);
            if sent.gone {
                if let Some(push_id) = &r.m.push_id {
                    store_messages::forget_push(&app.db, push_id).await?;
                }
            }
            // A gone subscription is tried again at once by the next channel.
            let (state, due_at) = match (&sent.error, retry(attempts, now, r.m.give_up_at)) {
                (None, _) => ("sent", now),
                (Some(_), _) if sent.gone => ("pending", now),
                (Some(_), Retry::At(at)) => ("pending", at),
                (Some(_), Retry::GiveUp) => ("dead", now),
            };
            outcomes.push(store_messages::Outcome {
                id: &r.m.id,
                status: state,
                due_at,
                error: sent.error,
                attempt: Some((sent.status, sent.latency)),
                channel: Some((r.via.as_str(), r.note.clone())),
            });
        }
    }
    store_messages::finish(&app.db, &lease, &outcomes, now).await?;
    Ok(Tally::of(&outcomes))
}

/// Makes `path` (ours) absolute on the origin messages link to.
fn absolute(origin: &str, path: &str) -> String {
    if path.starts_with("https://") || path.starts_with("http://") {
        path.to_string()
    } else {
        format!("{origin}{path}")
    }
}

/// Sends one message by its channel.
async fn send(ctx: &Lease<'_>, r: &Ready<'_>) -> Sent {
    let started = worker::Date::now().as_millis() as i64;
    let elapsed = || worker::Date::now().as_millis() as i64 - started;
    let failed = |error: String| Sent {
        status: None,
        latency: elapsed(),
        error: Some(error),
        gone: false,
    };
    match r.via {
        Via::Webhook => {
            let (Some((url, secret)), Some(body)) = (&ctx.webhook, &r.webhook_body) else {
                return failed("no webhook endpoint".into());
            };
            let timestamp = ctx.now.div_euclid(1000);
            let signature = sign(&r.m.id, timestamp, body.as_bytes(), secret);
            let headers = vec![
                ("content-type", "application/json".to_string()),
                ("webhook-id", r.m.id.clone()),
                ("webhook-timestamp", timestamp.to_string()),
                ("webhook-signature", signature),
            ];
            post(url, headers, body.as_bytes().to_vec(), "the endpoint").await
        }
        Via::Push => {
            let (Some(vapid), Some(endpoint), Some(p256dh), Some(auth)) = (
                &ctx.vapid,
                &r.m.push_endpoint,
                &r.m.push_p256dh,
                &r.m.push_auth,
            ) else {
                return failed("no push subscription".into());
            };
            let json = json!({ "endpoint": endpoint, "keys": { "p256dh": p256dh, "auth": auth } });
            let sub = match push::parse_subscription(
                json.to_string().as_bytes(),
                ctx.app.push_loopback,
            ) {
                Ok(s) => s,
                Err(e) => return failed(format!("the stored subscription is unusable: {e}")),
            };
            let key = ctx.app.secrets.master.link_key();
            let token = links::message_token(&key, ctx.merchant, &r.m.id);
            let card = format!("/c/{}", ctx.merchant);
            let icon = ctx
                .config
                .branding
                .logo_url
                .clone()
                .unwrap_or_else(|| format!("/c/{}/icon.svg", ctx.merchant));
            let title = if r.subject.trim().is_empty() {
                ctx.config.name.as_str()
            } else {
                r.subject.as_str()
            };
            let payload = push::notification(
                title,
                &r.text,
                &absolute(ctx.origin, &card),
                &absolute(ctx.origin, &icon),
                &token,
            );
            let prepared = match webpush::prepare(
                vapid,
                &sub,
                &payload,
                push::delivery(r.kind),
                ctx.now.div_euclid(1000),
            )
            .await
            {
                Ok(p) => p,
                Err(e) => return failed(format!("could not encrypt the push message: {e:?}")),
            };
            let mut sent = post(
                endpoint,
                prepared.headers,
                prepared.body,
                "the push service",
            )
            .await;
            if matches!(sent.status, Some(404 | 410)) {
                sent.gone = true;
                sent.error = Some(format!(
                    "the push service answered HTTP {}: the subscription is gone and was removed",
                    sent.status.unwrap_or_default()
                ));
            }
            sent
        }
        Via::Email => {
            let Some(mail) = &ctx.app.mail else {
                return failed("email is not set up by the operator".into());
            };
            let Some(to) = r.m.email.as_deref() else {
                return failed("no email address".into());
            };
            match compose_email(ctx, r, &mail.from, to) {
                Ok(raw) => match send_email(&mail.binding, &mail.from, to, &raw).await {
                    Ok(()) => Sent {
                        status: None,
                        latency: elapsed(),
                        error: None,
                        gone: false,
                    },
                    Err(e) => failed(format!("the email service refused the message: {e}")),
                },
                Err(e) => failed(format!("the email cannot be written: {e}")),
            }
        }
    }
}

/// Writes one member's email: both parts, the signed links, and the unsubscribe headers of
/// a marketing message.
fn compose_email(ctx: &Lease<'_>, r: &Ready<'_>, from: &str, to: &str) -> Result<String, String> {
    let key = ctx.app.secrets.master.link_key();
    let m = ctx.merchant;
    let l = r.language;
    let message = links::message_token(&key, m, &r.m.id);
    let card = format!("/c/{m}");
    let click = links::click_token(&key, m, &r.m.id, &card);
    let unsubscribe = r.marketing.then(|| {
        let t = links::unsubscribe_token(&key, m, &r.m.member_id, Via::Email);
        format!("{}/u/{m}/{t}", ctx.origin)
    });
    let shop = &ctx.config.name;
    let view = EmailView {
        language: l,
        shop,
        branding: &ctx.config.branding,
        logo: ctx
            .config
            .branding
            .logo_url
            .as_deref()
            .map(|u| absolute(ctx.origin, u)),
        subject: &r.subject,
        text: &r.text,
        button: (
            l.pick("Open my card", "Otwórz moją kartę"),
            format!("{}/m/{m}/c/{click}", ctx.origin),
        ),
        why: match l {
            Language::En => {
                format!("You get this email because you have a loyalty card at {shop}.")
            }
            Language::Pl => {
                format!("Dostajesz tę wiadomość, bo masz kartę stałego klienta w {shop}.")
            }
        },
        unsubscribe: unsubscribe.clone(),
        open_pixel: Some(format!("{}/m/{m}/o/{message}", ctx.origin)),
    };
    let subject = if r.subject.trim().is_empty() {
        shop.clone()
    } else {
        r.subject.clone()
    };
    let date = chrono::DateTime::from_timestamp_millis(ctx.now)
        .map(|t| t.to_rfc2822())
        .unwrap_or_default();
    let reply = ctx.settings.reply_to.clone();
    let mailto = format!(
        "mailto:{}?subject=unsubscribe",
        reply.as_deref().unwrap_or(from)
    );
    let html = email_view::html(&view);
    let text = email_view::text(&view);
    email::compose(&email::Mail {
        id: &r.m.id,
        domain: email::domain_of(from),
        from_name: ctx.settings.sender_name.as_deref().unwrap_or(shop),
        from_address: from,
        reply_to: reply.as_deref(),
        to,
        subject: &subject,
        text: &text,
        html: &html,
        date: &date,
        unsubscribe: unsubscribe.as_deref().map(|u| (u, mailto.as_str())),
    })
    .map_err(|e| e.to_string())
}

/// Hands a composed message to the platform's email service.
pub async fn send_email(
    binding: &worker::SendEmail,
    from: &str,
    to: &str,
    raw: &str,
) -> Result<(), String> {
    let message = worker::EmailMessage::new(from, to, raw).map_err(|e| format!("{e:?}"))?;
    binding
        .send(&message)
        .await
        .map(|_| ())
        .map_err(|e| format!("{e:?}"))
}

/// POSTs one message with a timeout, without following redirects.
async fn post(url: &str, headers: Vec<(&'static str, String)>, body: Vec<u8>, peer: &str) -> Sent {
    let started = worker::Date::now().as_millis() as i64;
    let elapsed = || worker::Date::now().as_millis() as i64 - started;
    let request = (|| -> worker::Result<Request> {
        let h = Headers::new();
        h.set("user-agent", "loyalty-edge/1 (messages)")?;
        for (k, v) in &headers {
            h.set(k, v)?;
        }
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(h)
            .with_redirect(worker::RequestRedirect::Manual)
            .with_body(Some(worker::js_sys::Uint8Array::from(&body[..]).into()));
        Request::new_with_init(url, &init)
    })();
    let fail = |error: String| Sent {
        status: None,
        latency: elapsed(),
        error: Some(error),
        gone: false,
    };
    let request = match request {
        Ok(r) => r,
        Err(e) => return fail(format!("cannot build the request: {e}")),
    };
    let controller = AbortController::default();
    let signal = controller.signal();
    let fetch = Fetch::Request(request);
    let sending = Box::pin(fetch.send_with_signal(&signal));
    let timeout = Delay::from(Duration::from_millis(TIMEOUT_MS.unsigned_abs()));
    let answer = match select(sending, timeout).await {
        Either::Left((result, _)) => Some(result),
        Either::Right(((), _)) => None,
    };
    match answer {
        Some(Ok(resp)) => {
            let status = i64::from(resp.status_code());
            let error =
                (!(200..300).contains(&status)).then(|| format!("{peer} answered HTTP {status}"));
            Sent {
                status: Some(status),
                latency: elapsed(),
                error,
                gone: false,
            }
        }
        Some(Err(e)) => fail(format!("could not reach {peer}: {e}")),
        None => {
            controller.abort();
            fail(format!("no answer within {} s", TIMEOUT_MS / 1000))
        }
    }
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// An email to a person of the merchant (a test, an invitation, a reset link): the same
/// layout and path as members' mail, no tracking, no unsubscribe (it is not marketing).
pub struct PersonMail<'a> {
    pub config: &'a MerchantConfig,
    pub settings: &'a Settings,
    pub origin: &'a str,
    pub to: &'a str,
    pub language: Language,
    pub subject: &'a str,
    pub text: &'a str,
    pub button: (&'a str, String),
    pub why: String,
}

/// Sends `m` now; the error says why it could not go.
pub async fn mail_person(app: &App, m: &PersonMail<'_>) -> Result<(), String> {
    let Some(mail) = &app.mail else {
        return Err("email is not set up on this server".into());
    };
    let view = EmailView {
        language: m.language,
        shop: &m.config.name,
        branding: &m.config.branding,
        logo: m
            .config
            .branding
            .logo_url
            .as_deref()
            .map(|u| absolute(m.origin, u)),
        subject: m.subject,
        text: m.text,
        button: (m.button.0, m.button.1.clone()),
        why: m.why.clone(),
        unsubscribe: None,
        open_pixel: None,
    };
    let date = chrono::DateTime::from_timestamp_millis(app.now_ms)
        .map(|t| t.to_rfc2822())
        .unwrap_or_default();
    let id = format!(
        "person:{}",
        to_hex(&random::<8>().map_err(|e| format!("{e:?}"))?)
    );
    let raw = email::compose(&email::Mail {
        id: &id,
        domain: email::domain_of(&mail.from),
        from_name: m.settings.sender_name.as_deref().unwrap_or(&m.config.name),
        from_address: &mail.from,
        reply_to: m.settings.reply_to.as_deref(),
        to: m.to,
        subject: m.subject,
        text: &email_view::text(&view),
        html: &email_view::html(&view),
        date: &date,
        unsubscribe: None,
    })
    .map_err(|e| e.to_string())?;
    send_email(&mail.binding, &mail.from, m.to, &raw).await
}
