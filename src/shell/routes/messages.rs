//! Messaging for merchants: settings (endpoint, voice, quiet hours, cap, templates), the
//! delivery log with failures and re-sends, members' preferences, and campaigns with results.

use serde::Deserialize;
use serde_json::{json, Value};
use worker::{Request, Response};

use crate::domain::apikey::Scope;
use crate::domain::campaign::{compare, Arm, ArmResult, Definition, HOLDOUT};
use crate::domain::ids::to_hex;
use crate::domain::messages::{default_template, Kind, Language, Settings, VARIABLES};
use crate::domain::metrics::SEGMENTS;
use crate::shell::app::{random, App};
use crate::shell::error::AppError;
use crate::shell::idempotency::{self, Key};
use crate::shell::store::{campaigns, messages as store};
use crate::shell::{auth, deliver, http};

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::InvalidField {
        field: field.into(),
        message: message.into(),
    }
}

fn settings_json(app: &App, merchant: crate::domain::ids::MerchantId, s: &Settings) -> Value {
    let defaults: serde_json::Map<String, Value> = Kind::ALL
        .iter()
        .filter(|k| **k != Kind::Campaign)
        .map(|k| {
            (
                k.as_str().to_string(),
                json!({
                    "class": k.class().as_str(),
                    "en": default_template(*k, Language::En),
                    "pl": default_template(*k, Language::Pl),
                }),
            )
        })
        .collect();
    json!({
        "settings": s,
        "signing_secret": app.secrets.master.message_secret(merchant).to_whsec(),
        "signature_scheme": "Standard Webhooks: webhook-id, webhook-timestamp and webhook-signature (v1, HMAC-SHA256 of id.timestamp.body)",
        "variables": VARIABLES,
        "default_templates": defaults,
    })
}

/// GET /api/v1/messaging: the settings, the signing secret and the default templates.
pub async fn show(req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner]).await?;
    let settings = store::settings(&app.db, &caller.merchant.to_string())
        .await?
        .map(|s| s.settings())
        .unwrap_or_default();
    http::json(200, &settings_json(app, caller.merchant, &settings))
}

/// PUT /api/v1/messaging: replaces the settings (fields left out take their defaults).
pub async fn update(req: Request, app: &App) -> Result<Response, AppError> {
    let origin = http::origin(&req)?;
    idempotency::run(
        app,
        req,
        &[Scope::Owner],
        Key::Optional,
        |caller, bytes| async move {
            let settings: Settings = http::parse_json(&bytes)?;
            settings.check().map_err(|(f, m)| invalid(&f, m))?;
            store::put_settings(
                &app.db,
                &caller.merchant.to_string(),
                &settings,
                &origin,
                app.now_ms,
            )
            .await?;
            // The card's push offer lives in the cached config.
            crate::shell::cache::refresh(app, caller.merchant).await?;
            Ok((200, settings_json(app, caller.merchant, &settings)))
        },
    )
    .await
}

/// GET /api/v1/messages?status=: the newest messages first (`status=dead` lists failures).
pub async fn list(req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner, Scope::Read]).await?;
    let status = http::query(&req, "status");
    if let Some(s) = &status {
        if !["pending", "sent", "dead", "suppressed"].contains(&s.as_str()) {
            return Err(invalid(
                "status",
                "must be pending, sent, dead or suppressed",
            ));
        }
    }
    let (limit, after) = http::page_of(&req, |raw| {
        crate::domain::search::parse_cursor_of(raw, crate::domain::messages::is_message_id)
    })?;
    let rows = store::list(
        &app.db,
        &caller.merchant.to_string(),
        status.as_deref(),
        after.as_ref().map(|(t, id)| (*t, id.as_str())),
        limit + 1,
    )
    .await?;
    let more = rows.len() as i64 > limit;
    let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
    let next = if more {
        rows.last()
            .map(|r| crate::domain::search::cursor(r.created_at, &r.id))
    } else {
        None
    };
    http::json(200, &json!({ "messages": rows, "next_cursor": next }))
}

/// GET /api/v1/messages/{id}: one message with its delivery log.
pub async fn show_message(req: Request, app: &App, id: &str) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner, Scope::Read]).await?;
    let d = store::detail(&app.db, &caller.merchant.to_string(), id)
        .await?
        .ok_or(AppError::MessageNotFound)?;
    let log: Value = serde_json::from_str(&d.attempts_log).unwrap_or_else(|_| json!([]));
    let event: Value = serde_json::from_str(&d.payload).unwrap_or_else(|_| json!({}));
    http::json(
        200,
        &json!({
            "id": d.id, "member_id": d.member_id, "kind": d.kind, "class": d.class,
            "status": d.status, "attempts": d.attempts, "event": event,
            "created_at": d.created_at, "due_at": d.due_at, "sent_at": d.sent_at,
            "give_up_at": d.give_up_at, "last_error": d.last_error, "delivery_log": log,
        }),
    )
}

/// POST /api/v1/messages/{id}/resend: a dead or suppressed message goes back in the queue
/// (with a new three-day horizon) and is attempted at once.
pub async fn resend(req: Request, app: &App, id: &str) -> Result<Response, AppError> {
    let id = id.to_string();
    idempotency::run(
        app,
        req,
        &[Scope::Owner],
        Key::Optional,
        |caller, _| async move {
            let m = caller.merchant.to_string();
            if !store::resend(&app.db, &m, &id, app.now_ms).await? {
                let d = store::detail(&app.db, &m, &id)
                    .await?
                    .ok_or(AppError::MessageNotFound)?;
                return Err(AppError::MessageNotFailed(d.status));
            }
            app.wake(&m);
            Ok((202, json!({ "id": id, "status": "pending" })))
        },
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Preferences {
    #[serde(default)]
    marketing_consent: Option<bool>,
    /// email, sms, push, or null for whichever they gave.
    #[serde(default, deserialize_with = "present")]
    preferred_channel: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    language: Option<Option<String>>,
}

/// A field that is present (even as null) is `Some`; an absent one stays `None` (default).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(Option::deserialize(d)?))
}

/// PATCH /api/v1/members/{id}/preferences: consent, channel and language, as the member asked
/// at the counter or by email. Recorded in the audit log.
pub async fn preferences(req: Request, app: &App, member: &str) -> Result<Response, AppError> {
    let member = member.to_string();
    idempotency::run(
        app,
        req,
        &[Scope::Owner, Scope::Counter],
        Key::Optional,
        |caller, bytes| async move {
            let p: Preferences = http::parse_json(&bytes)?;
            let channel = match &p.preferred_channel {
                Some(Some(c)) if !["email", "sms", "push"].contains(&c.as_str()) => {
                    return Err(invalid(
                        "preferred_channel",
                        "must be email, sms, push or null",
                    ))
                }
                other => other.clone(),
            };
            let language = match &p.language {
                Some(Some(l)) if Language::parse(l).is_none() => {
                    return Err(invalid("language", "must be en, pl or null"))
                }
                other => other.clone(),
            };
            let m = caller.merchant.to_string();
            let changed = crate::shell::store::members::set_preferences(
                &app.db,
                &m,
                &member,
                p.marketing_consent,
                channel.as_ref().map(|c| c.as_deref()),
                language.as_ref().map(|l| l.as_deref()),
                &caller.key_id,
                app.now_ms,
            )
            .await?;
            let now = changed.ok_or(AppError::MemberNotFound)?;
            Ok((200, now))
        },
    )
    .await
}

/// POST /api/v1/campaigns: a draft campaign (checked; nothing is sent until launch).
pub async fn create_campaign(req: Request, app: &App) -> Result<Response, AppError> {
    idempotency::run(
        app,
        req,
        &[Scope::Owner],
        Key::Optional,
        |caller, bytes| async move {
            let d: Definition = http::parse_json(&bytes)?;
            d.check(&SEGMENTS).map_err(|(f, m)| invalid(&f, m))?;
            d.check_send_at(app.now_ms)
                .map_err(|(f, m)| invalid(&f, m))?;
            let id = format!("cmp_{}", to_hex(&random::<8>()?));
            campaigns::insert(&app.db, &id, &caller.merchant.to_string(), &d, app.now_ms).await?;
            let row = campaigns::get(&app.db, &caller.merchant.to_string(), &id)
                .await?
                .ok_or_else(|| AppError::internal("a new campaign was not found"))?;
            Ok((201, campaign_json(app, &row, false).await?))
        },
    )
    .await
}

/// GET /api/v1/campaigns
pub async fn list_campaigns(req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner, Scope::Read]).await?;
    let rows = campaigns::list(&app.db, &caller.merchant.to_string()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(campaign_json(app, r, false).await?);
    }
    http::json(200, &json!({ "campaigns": out }))
}

/// GET /api/v1/campaigns/{id}: the campaign and its results per arm against the holdout.
pub async fn show_campaign(req: Request, app: &App, id: &str) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner, Scope::Read]).await?;
    let row = campaigns::get(&app.db, &caller.merchant.to_string(), id)
        .await?
        .ok_or(AppError::CampaignNotFound)?;
    http::json(200, &campaign_json(app, &row, true).await?)
}

/// Most members one campaign reaches.
const MAX_AUDIENCE: usize = 50_000;

/// POST /api/v1/campaigns/{id}/launch: assigns every eligible member of the segment to an arm
/// and queues the variants' messages, once.
pub async fn launch(req: Request, app: &App, id: &str) -> Result<Response, AppError> {
    let id = id.to_string();
    idempotency::run(
        app,
        req,
        &[Scope::Owner],
        Key::Optional,
        |caller, _| async move {
            let row = launch_now(app, &caller.merchant.to_string(), &id, app.now_ms).await?;
            Ok((200, campaign_json(app, &row, true).await?))
        },
    )
    .await
}

/// Launches draft campaign `id` of merchant `m` now: assigns every eligible member of its
/// segment to an arm and queues the variants' messages, once (the API, the console and the
/// deliveries job for a scheduled one). `app.db` must be placed on the merchant's shard.
pub(crate) async fn launch_now(
    app: &App,
    m: &str,
    id: &str,
    now: i64,
) -> Result<campaigns::Row, AppError> {
    let row = campaigns::get(&app.db, m, id)
        .await?
        .ok_or(AppError::CampaignNotFound)?;
    if row.status != "draft" {
        return Err(AppError::CampaignLaunched);
    }
    let d = row
        .definition()
        .ok_or_else(|| AppError::internal("a campaign's definition does not read"))?;
    let sends = store::settings(&app.db, m)
        .await?
        .is_some_and(|s| s.settings().sends());
    if !sends {
        return Err(AppError::MessagingOff);
    }
    let mut after = String::new();
    let mut assigned = 0;
    while assigned < MAX_AUDIENCE {
        let ids = campaigns::audience(&app.db, m, &d.segment, &after, 2000).await?;
        let Some(last) = ids.last().cloned() else {
            break;
        };
        let pairs: Vec<(String, String)> = ids
            .iter()
            .take(MAX_AUDIENCE - assigned)
            .map(|member| (member.clone(), d.assign(id, member).to_string()))
            .collect();
        assigned += pairs.len();
        campaigns::assign(&app.db, id, &pairs).await?;
        after = last;
    }
    if !campaigns::launch(&app.db, m, id, now).await? {
        return Err(AppError::CampaignLaunched);
    }
    app.wake(m);
    campaigns::get(&app.db, m, id)
        .await?
        .ok_or(AppError::CampaignNotFound)
}

/// A campaign as the API shows it, with its results per arm when asked (also the dashboard's).
pub(crate) async fn campaign_json(
    app: &App,
    row: &campaigns::Row,
    with_results: bool,
) -> Result<Value, AppError> {
    let d = row.definition();
    let mut out = json!({
        "id": row.id, "name": row.name, "segment": row.segment, "status": row.status,
        "created_at": row.created_at, "launched_at": row.launched_at,
        "variants": d.as_ref().map(|d| &d.variants),
        "holdout_percent": d.as_ref().map(|d| d.holdout_percent),
        "window_days": d.as_ref().map(|d| d.window_days),
        "send_at": row.scheduled_at,
    });
    let (Some(launched_at), Some(d), true) = (row.launched_at, d.as_ref(), with_results) else {
        return Ok(out);
    };
    let r = results_of(app, &row.id, launched_at, d).await?;
    let window_end = r.window_end;
    let holdout = r.holdout;
    let groups: Vec<Value> = r
        .arms
        .iter()
        .map(|a| {
            json!({
                "arm": a.name,
                "members": a.arm.members,
                "delivered": a.delivered,
                "converted": a.arm.converted,
                "conversion_rate": a.arm.rate().map(|r| (r * 1000.0).round() / 10.0),
                "vs_holdout": a.versus,
            })
        })
        .collect();
    let results = json!({
        "conversion": format!(
            "a visit or purchase within {} days after the launch", d.window_days),
        "window_ends_at": window_end,
        "final": app.now_ms >= window_end,
        "arms": groups,
        "note": if holdout.members == 0 {
            Some("no holdout: there is nothing to compare against")
        } else {
            None
        },
    });
    if let Some(o) = out.as_object_mut() {
        o.insert("results".into(), results);
    }
    Ok(out)
}

/// A launched campaign's results: each variant then the holdout, and when its window ends.
pub(crate) struct Results {
    pub arms: Vec<ArmResult>,
    pub holdout: Arm,
    pub window_end: i64,
}

/// The results of campaign `id` launched at `launched_at` (one D1 query).
pub(crate) async fn results_of(
    app: &App,
    id: &str,
    launched_at: i64,
    d: &Definition,
) -> Result<Results, AppError> {
    let window_end = launched_at + i64::from(d.window_days) * 86_400_000;
    let rows = campaigns::results(&app.db, id, launched_at, window_end).await?;
    let arm = |name: &str| {
        rows.iter().find(|a| a.arm == name).map_or(
            (
                Arm {
                    members: 0,
                    converted: 0,
                },
                0,
            ),
            |a| {
                (
                    Arm {
                        members: a.members.unsigned_abs(),
                        converted: a.converted.unsigned_abs(),
                    },
                    a.delivered,
                )
            },
        )
    };
    let (holdout, _) = arm(HOLDOUT);
    let arms = d
        .variants
        .iter()
        .map(|v| v.name.as_str())
        .chain([HOLDOUT])
        .map(|name| {
            let (a, delivered) = arm(name);
            ArmResult {
                name: name.to_owned(),
                arm: a,
                delivered,
                versus: (name != HOLDOUT).then(|| compare(a, holdout)).flatten(),
            }
        })
        .collect();
    Ok(Results {
        arms,
        holdout,
        window_end,
    })
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct DeliverRequest {
    #[serde(default)]
    now: Option<i64>,
}

/// POST /admin/v1/merchants/{id}/deliveries: fires one merchant's due sequence occasions and
/// delivers its due messages now (the operator's nudge; tests move `now` on a test deployment).
pub async fn admin_deliver(
    mut req: Request,
    app: &App,
    merchant: &str,
) -> Result<Response, AppError> {
    auth::admin(app, &req)?;
    let id = crate::domain::ids::MerchantId::parse(merchant).ok_or(AppError::MerchantNotFound)?;
    let body: DeliverRequest = if req.headers().get("content-type").ok().flatten().is_some() {
        http::json_body(&mut req).await?
    } else {
        DeliverRequest::default()
    };
    let now = match body.now {
        None => app.now_ms,
        Some(_) if !app.moved_clock => {
            return Err(invalid("now", "can only be set on a test deployment"))
        }
        Some(t) if !(0..=super::admin::LATEST_CLOCK_MS).contains(&t) => {
            return Err(invalid("now", "must be a Unix time in milliseconds"))
        }
        Some(t) => t,
    };
    let launched = crate::shell::jobs::launch_scheduled(app, Some(&id.to_string()), now).await?;
    let fired = crate::shell::jobs::fire_sequences_of(app, id, now).await?;
    let tally = deliver::merchant(app, &id.to_string(), now).await?;
    http::json(
        200,
        &json!({
            "sent": tally.sent,
            "failed": tally.failed,
            "dead": tally.dead,
            "suppressed": tally.suppressed,
            "postponed": tally.postponed,
            "sequences_fired": fired,
            "campaigns_launched": launched,
        }),
    )
}
