//! The dashboard's JSON: KPI series over a date range, channels, RFM segments and who is in
//! them. Everything here reads the nightly rollups; nothing is computed over raw history.

use serde_json::{json, Map, Value};
use worker::{Request, Response};

use crate::domain::apikey::Scope;
use crate::domain::metrics::{self, date, kpis, parse_day, DEFINITIONS, SEGMENTS};
use crate::shell::app::App;
use crate::shell::error::AppError;
use crate::shell::store::metrics as store;
use crate::shell::{auth, cache, http};

/// The longest range one call returns.
const MAX_DAYS: i64 = 366;

fn invalid(field: &str, message: &str) -> AppError {
    AppError::InvalidField {
        field: field.into(),
        message: message.into(),
    }
}

/// Reads `?from=` and `?to=` (local dates, `YYYY-MM-DD`); by default the `default_days` days to
/// `last` (the last day rolled up).
fn range(req: &Request, last: i64, default_days: i64) -> Result<(i64, i64), AppError> {
    let day = |name: &str| -> Result<Option<i64>, AppError> {
        http::query(req, name)
            .map(|t| parse_day(&t).ok_or_else(|| invalid(name, "must be a date, YYYY-MM-DD")))
            .transpose()
    };
    let to = day("to")?.unwrap_or(last);
    let from = day("from")?.unwrap_or(to - (default_days - 1));
    if from > to {
        return Err(invalid("from", "must not be after to"));
    }
    if to - from >= MAX_DAYS {
        return Err(invalid("to", "a range is at most 366 days"));
    }
    Ok((from, to))
}

fn definitions() -> Value {
    let map: Map<String, Value> = DEFINITIONS
        .iter()
        .map(|(name, definition, sample)| {
            (
                (*name).to_owned(),
                json!({ "definition": definition, "sample": sample }),
            )
        })
        .collect();
    Value::Object(map)
}

/// The last day rolled up and scored for a merchant.
async fn progress(app: &App, merchant: &str) -> Result<(Option<i64>, Option<i64>), AppError> {
    let clock = store::clocks(&app.db, Some(merchant))
        .await?
        .into_iter()
        .next();
    Ok((
        clock.as_ref().and_then(|c| c.next_day).map(|d| d - 1),
        clock.and_then(|c| c.scored_day),
    ))
}

/// What a KPI read needs: the caller's merchant, how far its rollups got, and the range asked
/// for (by default the 30 days to the last rolled).
struct Rolled {
    config: crate::domain::program::MerchantConfig,
    m: String,
    rolled: Option<i64>,
    from: i64,
    to: i64,
}

async fn rolled(req: &Request, app: &App) -> Result<Rolled, AppError> {
    let caller = auth::merchant(app, req, &[Scope::Owner, Scope::Read]).await?;
    let config = cache::merchant(app, caller.merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    let m = caller.merchant.to_string();
    let (rolled, _) = progress(app, &m).await?;
    let last = rolled.unwrap_or_else(|| metrics::last_complete_day(app.now_ms, config.tz()));
    let (from, to) = range(req, last, 30)?;
    Ok(Rolled {
        config,
        m,
        rolled,
        from,
        to,
    })
}

fn date_text(day: Option<i64>) -> Value {
    day.map_or(Value::Null, |d| Value::String(date(d).to_string()))
}

/// GET /api/v1/metrics: each day's counts and rates, with their definitions.
pub async fn series(req: Request, app: &App) -> Result<Response, AppError> {
    let Rolled {
        config,
        m,
        rolled,
        from,
        to,
    } = rolled(&req, app).await?;
    let value = config.program.point_value_per_100;
    let days: Vec<Value> = store::days(&app.db, &m, from, to)
        .await?
        .into_iter()
        .map(|d| {
            json!({
                "date": date(d.day).to_string(),
                "counts": d.counts,
                "kpis": kpis(&d.counts, value),
            })
        })
        .collect();
    http::json(
        200,
        &json!({
            "time_zone": config.time_zone,
            "from": date(from).to_string(),
            "to": date(to).to_string(),
            "rolled_through": date_text(rolled),
            "days": days,
            "definitions": definitions(),
        }),
    )
}

/// GET /api/v1/metrics/channels: scans, enrolments and conversions per channel over a range.
pub async fn channels(req: Request, app: &App) -> Result<Response, AppError> {
    let Rolled {
        m,
        rolled,
        from,
        to,
        ..
    } = rolled(&req, app).await?;
    let rows: Vec<Value> = store::channels(&app.db, &m, from, to)
        .await?
        .into_iter()
        .map(|c| {
            let rate = (c.enrolments > 0).then(|| {
                (c.conversions as f64 / c.enrolments as f64 * 10_000.0).round() / 10_000.0
            });
            json!({
                "channel": c.channel,
                "scans": c.scans,
                "enrolments": c.enrolments,
                "conversions": c.conversions,
                "conversion_rate": rate,
            })
        })
        .collect();
    let messages: Vec<Value> = store::message_channels(&app.db, &m, from, to)
        .await?
        .into_iter()
        .map(|c| {
            json!({
                "channel": c.channel,
                "sent": c.sent,
                "accepted": c.accepted,
                "failed": c.failed,
                "opened": c.opened,
                "clicked": c.clicked,
                "converted": c.converted,
                "typical_return_ms": c.typical_return_ms,
            })
        })
        .collect();
    http::json(
        200,
        &json!({
            "from": date(from).to_string(),
            "to": date(to).to_string(),
            "rolled_through": date_text(rolled),
            "channels": rows,
            "messages": messages,
            "definitions": {
                "messages": "per message channel (push, email, webhook), events counted on the day they happened: sent (attempted), accepted, failed (given up), opened (email images loaded; some mail apps preload them), clicked, converted (the member's first visit or purchase after a message, within 7 days, when it was their latest accepted message; receipts of a visit excluded) and the typical time from message to that return",
                "scans": "QR scans credited through the channel",
                "enrolments": "members who joined through the channel",
                "conversions": "members who joined through the channel and made their first purchase that day",
                "conversion_rate": "conversions / enrolments over the range",
            },
        }),
    )
}

/// GET /api/v1/segments: the last scoring's cut points and segment sizes, and sizes over a range.
pub async fn segments(req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner, Scope::Read]).await?;
    let m = caller.merchant.to_string();
    let (_, scored) = progress(app, &m).await?;
    let t = store::latest_thresholds(&app.db, &m).await?;
    let last = scored.unwrap_or(0);
    let (from, to) = range(&req, last, 30)?;
    let mut history: Vec<(i64, Map<String, Value>)> = Vec::new();
    for s in store::sizes(&app.db, &m, from, to).await? {
        if history.last().is_none_or(|(d, _)| *d != s.day) {
            let zeros = SEGMENTS
                .iter()
                .map(|n| ((*n).to_owned(), json!(0)))
                .collect();
            history.push((s.day, zeros));
        }
        if let Some((_, sizes)) = history.last_mut() {
            sizes.insert(s.segment, json!(s.members));
        }
    }
    let latest = history
        .iter()
        .find(|(d, _)| Some(*d) == scored)
        .map(|(_, s)| Value::Object(s.clone()));
    let thresholds = t.as_ref().map(|t| {
        // Recency is shown as days since the last purchase or visit (the stored cut points are
        // day numbers): a member scores above a cut point when they came back more recently.
        let ago = |x: Option<i64>| x.map(|x| t.day - x);
        json!({
            "scored_on": date(t.day).to_string(),
            "sample": t.scored,
            "recency_days": [ago(t.r1), ago(t.r2), ago(t.r3), ago(t.r4)],
            "frequency": [t.f1, t.f2, t.f3, t.f4],
            "monetary_minor": [t.m1, t.m2, t.m3, t.m4],
        })
    });
    let history: Vec<Value> = history
        .into_iter()
        .map(|(d, s)| json!({ "date": date(d).to_string(), "sizes": s }))
        .collect();
    http::json(
        200,
        &json!({
            "scored_on": date_text(scored),
            "sizes": latest,
            "thresholds": thresholds,
            "history": history,
            "definition": DEFINITIONS.iter().find(|d| d.0 == "segments").map(|d| d.1),
        }),
    )
}

/// GET /api/v1/segments/{segment}/members: who is in a segment, with their scores.
pub async fn members(req: Request, app: &App, segment: &str) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner, Scope::Read]).await?;
    if !SEGMENTS.contains(&segment) {
        return Err(AppError::NotFound);
    }
    let (limit, cursor) = http::page(&req)?;
    let after = cursor.map(|(_, id)| id).unwrap_or_default();
    let m = caller.merchant.to_string();
    let mut rows = store::segment_members(&app.db, &m, segment, &after, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(50));
    let next = if more {
        rows.last()
            .map(|r| crate::domain::search::cursor(0, &r.member_id))
    } else {
        None
    };
    let rows: Vec<Value> = rows
        .into_iter()
        .map(|r| {
            json!({
                "member_id": r.member_id,
                "name": r.name,
                "recency": r.r,
                "frequency": r.f,
                "monetary": r.m,
                "transactions": r.transactions,
                "purchases": r.purchases,
                "revenue_minor": r.revenue_minor,
                "last_visit": date_text(r.last_transaction_day),
                "joined": date(r.created_day).to_string(),
            })
        })
        .collect();
    http::json(
        200,
        &json!({ "segment": segment, "members": rows, "next_cursor": next }),
    )
}
