//! Message delivery: due messages are leased (one sender each), checked against consent, muted
//! kinds, quiet hours and the marketing frequency cap, rendered in the member's language,
//! signed (Standard Webhooks, the merchant's message secret) and POSTed to the merchant's
//! endpoint, six at a time. A 2xx is success and final; anything else is tried again with
//! backoff until the horizon, then dead-lettered. Every attempt is logged.
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
use crate::domain::campaign::Definition;
use crate::domain::ids::{to_hex, MerchantId};
use crate::domain::messages::{
    channel, default_template, quiet_until, render, retry, variables, Class, Facts, Kind, Language,
    Retry, Template, LEASE_MS, TIMEOUT_MS,
};
use crate::domain::webhook::sign;

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

/// Delivers up to one lease of `merchant`'s messages due at `now`.
pub async fn merchant(app: &App, merchant: &str, now: i64) -> Result<Tally, AppError> {
    let Some(id) = MerchantId::parse(merchant) else {
        return Ok(Tally::default());
    };
    let Some(stored) = store_messages::settings(&app.db, merchant).await? else {
        return Ok(Tally::default());
    };
    let settings = stored.settings();
    let Some(url) = settings.endpoint_url.clone() else {
        return Ok(Tally::default());
    };
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
    let secret = app.secrets.master.message_secret(id);

    let mut outcomes = Vec::with_capacity(held.len());
    let mut ready = Vec::new();
    for m in &held {
        let end = |status: &'static str, error: &str| store_messages::Outcome {
            id: &m.id,
            status,
            due_at: now,
            error: Some(error.to_string()),
            attempt: None,
        };
        let Some(kind) = Kind::parse(&m.kind) else {
            outcomes.push(end("suppressed", "unknown message kind"));
            continue;
        };
        let marketing = m.class == Class::Marketing.as_str();
        if now > m.give_up_at + STALE_AFTER_MS {
            // Queued while the endpoint was missing, long ago: news that old is not sent.
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
        let Some((via, to)) = channel(
            m.preferred_channel.as_deref(),
            m.email.as_deref(),
            m.phone.as_deref(),
        ) else {
            outcomes.push(end("suppressed", "the member gave no email or phone"));
            continue;
        };
        if marketing {
            if let Some(at) = quiet_until(now, tz, settings.quiet_hours) {
                outcomes.push(store_messages::Outcome {
                    id: &m.id,
                    status: "pending",
                    due_at: at,
                    error: Some("waiting for the end of quiet hours".into()),
                    attempt: None,
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
        let body = json!({
            "type": format!("message.{}", kind.as_str()),
            "timestamp": rfc3339(now),
            "data": {
                "message_id": m.id,
                "kind": kind.as_str(),
                "class": m.class,
                "merchant_id": merchant,
                "member_id": m.member_id,
                "language": language.as_str(),
                "channel": via,
                "to": to,
                "member": { "name": m.name, "email": m.email, "phone": m.phone },
                "subject": render(&template.subject, &vars),
                "text": render(&template.text, &vars),
                "variables": vars,
                "event": payload,
                "attempt": m.attempts + 1,
            }
        });
        ready.push((m, marketing, body.to_string()));
    }

    // The frequency cap, claimed in D1 for the marketing messages about to go.
    if settings.marketing_cap_days > 0 {
        let claims: Vec<(&str, &str)> = ready
            .iter()
            .filter(|(_, marketing, _)| *marketing)
            .map(|(m, _, _)| (m.member_id.as_str(), m.id.as_str()))
            .collect();
        let cap_ms = i64::from(settings.marketing_cap_days) * 86_400_000;
        let claimed = store_messages::claim_caps(&app.db, &claims, now, cap_ms).await?;
        let refused: Vec<&str> = claims
            .iter()
            .zip(claimed)
            .filter(|(_, ok)| !ok)
            .map(|((_, id), _)| *id)
            .collect();
        ready.retain(|(m, _, _)| {
            if refused.contains(&m.id.as_str()) {
                outcomes.push(store_messages::Outcome {
                    id: &m.id,
                    status: "suppressed",
                    due_at: now,
                    error: Some(format!(
                        "frequency cap: the member got a marketing message in the last {} days",
                        settings.marketing_cap_days
                    )),
                    attempt: None,
                });
                false
            } else {
                true
            }
        });
    }
    for group in ready.chunks(PARALLEL) {
        let sends = group.iter().map(|(m, _, body)| {
            let timestamp = now.div_euclid(1000);
            let signature = sign(&m.id, timestamp, body.as_bytes(), &secret);
            post(&url, &m.id, timestamp, signature, body)
        });
        let results = join_all(sends).await;
        for ((m, _, _), (status, latency, error)) in group.iter().zip(results) {
            let attempts = u32::try_from(m.attempts + 1).unwrap_or(u32::MAX);
            // `post` names an error for anything but a 2xx.
            let (state, due_at) = match (&error, retry(attempts, now, m.give_up_at)) {
                (None, _) => ("sent", now),
                (Some(_), Retry::At(at)) => ("pending", at),
                (Some(_), Retry::GiveUp) => ("dead", now),
            };
            outcomes.push(store_messages::Outcome {
                id: &m.id,
                status: state,
                due_at,
                error,
                attempt: Some((status, latency)),
            });
        }
    }
    store_messages::finish(&app.db, &lease, &outcomes, now).await?;
    Ok(Tally::of(&outcomes))
}

/// POSTs one message with a timeout: the HTTP status (None: no answer), latency in ms, and
/// what went wrong (None for a 2xx).
async fn post(
    url: &str,
    id: &str,
    timestamp: i64,
    signature: String,
    body: &str,
) -> (Option<i64>, i64, Option<String>) {
    let started = worker::Date::now().as_millis() as i64;
    let elapsed = || worker::Date::now().as_millis() as i64 - started;
    let request = (|| -> worker::Result<Request> {
        let headers = Headers::new();
        headers.set("content-type", "application/json")?;
        headers.set("user-agent", "loyalty-edge/1 (messages)")?;
        headers.set("webhook-id", id)?;
        headers.set("webhook-timestamp", &timestamp.to_string())?;
        headers.set("webhook-signature", &signature)?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(headers)
            .with_redirect(worker::RequestRedirect::Manual)
            .with_body(Some(body.into()));
        Request::new_with_init(url, &init)
    })();
    let request = match request {
        Ok(r) => r,
        Err(e) => {
            return (
                None,
                elapsed(),
                Some(format!("cannot build the request: {e}")),
            )
        }
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
            let error = (!(200..300).contains(&status))
                .then(|| format!("the endpoint answered HTTP {status}"));
            (Some(status), elapsed(), error)
        }
        Some(Err(e)) => (
            None,
            elapsed(),
            Some(format!("could not reach the endpoint: {e}")),
        ),
        None => {
            controller.abort();
            (
                None,
                elapsed(),
                Some(format!("no answer within {} s", TIMEOUT_MS / 1000)),
            )
        }
    }
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}
