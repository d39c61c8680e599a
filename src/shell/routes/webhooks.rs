//! Inbound POS webhooks (`POST /webhooks/v1/{merchant}`, Standard Webhooks signatures) and the
//! merchant's webhook secrets (`GET`/`POST /api/v1/webhook-secrets`).

use serde_json::json;
use worker::{Request, Response};

use crate::domain::apikey::Scope;
use crate::domain::ids::{to_hex, MerchantId};
use crate::domain::keys::WebhookSecret;
use crate::domain::ledger::{self, NegativeBalance};
use crate::domain::program::MerchantConfig;
use crate::domain::webhook::{self, Event, Headers, Lookup};
use crate::domain::{earn, promo};
use crate::shell::app::{random, App};
use crate::shell::auth;
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::routes::referrals;
use crate::shell::store::orders::{self, Delivery, Purchase, Refund};
use crate::shell::store::sequences::OnSale;
use crate::shell::store::tiers::TierRule;
use crate::shell::store::{merchants, webhook_log};

/// The signature headers of a delivery, as received.
pub(crate) struct Signed {
    pub id: Option<String>,
    pub timestamp: Option<String>,
    pub signature: Option<String>,
}

/// Verifies a POS webhook over its raw bytes and applies it: `purchase.completed` credits the
/// order once; `purchase.refunded` takes back points in proportion; `test.ping` only answers.
/// A replayed webhook id answers 200 with `"status": "duplicate"` and changes nothing.
pub async fn receive(mut req: Request, app: &App, merchant: &str) -> Result<Response, AppError> {
    let merchant = MerchantId::parse(merchant).ok_or(AppError::MerchantNotFound)?;
    let config = cache::merchant(app, merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    let body = http::body(&mut req).await?;
    let header = |name: &str| req.headers().get(name).ok().flatten();
    let signed = Signed {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
    };
    deliver(app, merchant, &config, &signed, &body).await
}

/// Applies a delivery for a merchant that exists and records it (accepted or refused, with the
/// refusal's code) for the console's Integrations page.
pub(crate) async fn deliver(
    app: &App,
    merchant: MerchantId,
    config: &MerchantConfig,
    signed: &Signed,
    body: &[u8],
) -> Result<Response, AppError> {
    let mut kind = None;
    let result = apply(app, merchant, config, signed, body, &mut kind).await;
    let (status, code, order) = match &result {
        Ok((_, v)) => (
            v.get("status")
                .and_then(|s| s.as_str())
                .unwrap_or("accepted")
                .to_owned(),
            None,
            v.get("order")
                .and_then(|o| o.get("order_id"))
                .and_then(|o| o.as_str())
                .map(str::to_owned),
        ),
        Err(e) => ("refused".to_owned(), Some(e.code()), None),
    };
    let m = merchant.to_string();
    let id = to_hex(&random::<16>()?);
    let entry = webhook_log::Entry {
        merchant: &m,
        id: &id,
        webhook_id: signed.id.as_deref().map(|w| w.get(..120).unwrap_or(w)),
        kind,
        status: &status,
        code,
        order_id: order.as_deref(),
        now: app.now_ms,
    };
    // The log is for people; a failure to write it never changes what the POS is told (a
    // credited purchase stays credited, and a retry is a duplicate anyway).
    let _ = webhook_log::record(&app.db, &entry).await;
    let (status, v) = result?;
    http::json(status, &v)
}

async fn apply(
    app: &App,
    merchant: MerchantId,
    config: &MerchantConfig,
    signed: &Signed,
    body: &[u8],
    kind: &mut Option<&'static str>,
) -> Result<(u16, serde_json::Value), AppError> {
    let secrets: Vec<WebhookSecret> = config
        .webhook_kids
        .iter()
        .map(|k| app.secrets.master.webhook_secret(merchant, *k))
        .collect();
    let headers = Headers {
        id: signed.id.as_deref(),
        timestamp: signed.timestamp.as_deref(),
        signature: signed.signature.as_deref(),
    };
    let webhook_id = webhook::verify(headers, body, &secrets, app.now_secs())
        .map_err(AppError::Webhook)?
        .to_owned();
    let event =
        webhook::parse_event(body, &config.currency.code).map_err(|e| AppError::InvalidField {
            field: e.field.into(),
            message: e.message,
        })?;
    *kind = Some(match event {
        Event::Completed { .. } => "purchase.completed",
        Event::Refunded { .. } => "purchase.refunded",
        Event::Ping => "test.ping",
    });
    let m = merchant.to_string();
    app.wake(&m);
    let request_id = to_hex(&random::<16>()?);
    let entry_id = to_hex(&random::<16>()?);
    let program = &config.program;
    let version = i64::from(config.program_version);
    let rule = TierRule::of(&program.tiers, config.program_version);
    match event {
        Event::Completed {
            order_id,
            member,
            amount_minor,
            items,
            occurred_at,
            redemptions,
        } => {
            let redemptions = serde_json::to_string(&redemptions)
                .map_err(|e| AppError::internal(format!("cannot serialise: {e}")))?;
            // Promotions follow when the purchase happened (a retry may arrive hours later), as
            // far back as the standard's retry horizon and never in the future.
            let at = occurred_at.map_or(app.now_ms, |t| {
                t.clamp(app.now_ms - webhook::DEDUPE_MS, app.now_ms)
            });
            let base = earn::order_points(program, &config.currency, amount_minor)
                + promo::item_points(&program.item_points, &items);
            let (points, note) =
                earn::boosted(program, base, at, config.tz(), earn::MAX_POINTS_PER_ORDER);
            let rates = program.tiers.rates_json();
            let (kind, value) = match &member {
                Lookup::Id(v) => ("id", v),
                Lookup::Email(v) => ("email", v),
                Lookup::Phone(v) => ("phone", v),
            };
            let delivery = Delivery {
                merchant: &m,
                webhook_id: &webhook_id,
                kind: "purchase.completed",
                request_id: &request_id,
                now: app.now_ms,
            };
            let lot = ledger::lot_terms(
                program.points_expiry,
                program.pending_days,
                config.tz(),
                true,
                app.now_ms,
            );
            let purchase = Purchase {
                order_id: &order_id,
                lookup_kind: kind,
                lookup_value: value,
                amount_minor,
                points,
                entry_id: &entry_id,
                lot,
                referral: referrals::purchase_hooks(config, &lot, app.now_ms),
                program_version: version,
                tier_rates: &rates,
                tiers: rule.as_ref(),
                note: note.as_deref(),
                redemptions: &redemptions,
                sequences: OnSale::of(config, app.now_ms),
            };
            let row = orders::complete(&app.db, &delivery, &purchase)
                .await?
                .ok_or_else(|| AppError::internal("an order vanished in its own batch"))?;
            let status = match (row.changed_now == 1, row.member_id.is_some()) {
                (true, true) => "credited",
                (true, false) => "unmatched",
                (false, _) => "duplicate",
            };
            Ok((
                200,
                json!({ "status": status, "redemptions": row.redemptions(), "order": row }),
            ))
        }
        Event::Refunded {
            order_id,
            amount_minor,
        } => {
            let order = orders::find(&app.db, &m, &order_id)
                .await?
                .ok_or(AppError::OrderNotFound)?;
            let (points, after) = webhook::refund_points(
                order.points,
                order.amount_minor,
                order.refunded_minor,
                amount_minor,
            );
            let delivery = Delivery {
                merchant: &m,
                webhook_id: &webhook_id,
                kind: "purchase.refunded",
                request_id: &request_id,
                now: app.now_ms,
            };
            let refund = Refund {
                order: &order,
                refunded_after: after,
                points,
                entry_id: &entry_id,
                policy: match program.negative_balance {
                    NegativeBalance::Clamp => "clamp",
                    NegativeBalance::Allow => "allow",
                },
                program_version: version,
                tiers: rule.as_ref(),
            };
            let row = orders::refund(&app.db, &delivery, &refund)
                .await?
                .ok_or(AppError::OrderNotFound)?;
            if row.changed_now == 1 {
                return Ok((
                    200,
                    json!({ "status": "refunded", "points_reversed": points,
                             "redemptions": row.redemptions(), "order": row }),
                ));
            }
            if row.webhook_recorded == 1 {
                return Ok((200, json!({ "status": "duplicate", "order": row })));
            }
            Err(AppError::OrderChanged)
        }
        Event::Ping => Ok((200, json!({ "status": "received", "type": "test.ping" }))),
    }
}

fn secrets_body(app: &App, merchant: MerchantId, kids: &[u8]) -> serde_json::Value {
    let secrets: Vec<_> = kids
        .iter()
        .map(|k| {
            json!({
                "id": k,
                "secret": app.secrets.master.webhook_secret(merchant, *k).to_whsec(),
            })
        })
        .collect();
    json!({
        "endpoint": format!("/webhooks/v1/{merchant}"),
        "scheme": "Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>)",
        "secrets": secrets,
    })
}

/// Lists the merchant's active webhook secrets (owner only: they sign money movements).
pub async fn secrets(req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner]).await?;
    let config = cache::merchant(app, caller.merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    http::json(
        200,
        &secrets_body(app, caller.merchant, &config.webhook_kids),
    )
}

/// Adds a new webhook secret; the previous one stays valid until the next rotation, so the POS
/// can switch over without losing a delivery.
pub async fn rotate(req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner]).await?;
    if !merchants::rotate_webhook_secret(&app.db, caller.merchant, app.now_ms).await? {
        return Err(AppError::InvalidField {
            field: "webhook_secret".into(),
            message: "all 255 webhook secret ids are used".into(),
        });
    }
    let config = cache::refresh(app, caller.merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    http::json(
        201,
        &secrets_body(app, caller.merchant, &config.webhook_kids),
    )
}
