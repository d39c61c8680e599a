//! The merchant's dashboard under `/dashboard`: sign in with an owner or read key (the staff
//! screens' key session, on its own cookie), then the overview (KPIs of the last rolled day with
//! definitions and samples, charts, segments, channels, referrals, sequences, campaigns), the
//! member lookup with each member's explained ledger, and the program settings form (owner keys).
//! Everything is read from the rollups and tables the JSON API reads.

use worker::{Request, Response};

use super::program;
use super::staff::{sign_in_at, sign_out_at, Door};
use crate::domain::apikey::Scope;
use crate::domain::metrics::{self, date, kpis};
use crate::domain::program::{MerchantConfig, ProgramDraft};
use crate::domain::search::Query;
use crate::domain::session;
use crate::shell::app::App;
use crate::shell::auth::{self, MerchantCaller};
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::{
    campaigns, ledger, members, metrics as store, referrals, rewards, sequences,
};
use crate::view::dashboard::{
    self as view, settings, ArmLine, CampaignView, Found, Held, Line, Overview, SettingsForm,
};
use crate::view::page::{local_date, reason_label};

const READERS: [Scope; 2] = [Scope::Owner, Scope::Read];

const DASHBOARD: Door = Door {
    cookie: session::DASHBOARD_COOKIE,
    path: "/dashboard",
    allowed: &READERS,
    wrong_scope: |_| "A counter key cannot open the dashboard: use an owner or read-only key.",
    // The dashboard is in English only.
    page: |_, problem| view::sign_in(problem),
};

/// Days the overview charts.
const DAYS: i64 = 30;
/// Campaigns the overview shows, newest first.
const CAMPAIGNS: usize = 10;

/// A campaign's API JSON (with results) as the overview shows it.
fn campaign_view(c: &serde_json::Value) -> CampaignView {
    let text = |v: &serde_json::Value, k: &str| {
        v.get(k)
            .and_then(|x| x.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let int =
        |v: &serde_json::Value, k: &str| v.get(k).and_then(serde_json::Value::as_i64).unwrap_or(0);
    let results = c.get("results");
    let arms = results
        .and_then(|r| r.get("arms"))
        .and_then(|a| a.as_array())
        .map(|arms| {
            arms.iter()
                .map(|a| ArmLine {
                    arm: text(a, "arm"),
                    members: int(a, "members"),
                    delivered: int(a, "delivered"),
                    converted: int(a, "converted"),
                    rate: a.get("conversion_rate").and_then(serde_json::Value::as_f64),
                    versus: a.get("vs_holdout").filter(|v| !v.is_null()).map(|v| {
                        let f =
                            |k: &str| v.get(k).and_then(serde_json::Value::as_f64).unwrap_or(0.0);
                        let ci = v.get("ci95").and_then(|x| x.as_array());
                        let at = |i: usize| {
                            ci.and_then(|c| c.get(i))
                                .and_then(serde_json::Value::as_f64)
                                .unwrap_or(0.0)
                        };
                        format!(
                            "{:+.1} points (95%: {:+.1} to {:+.1}): {}",
                            f("lift_points"),
                            at(0),
                            at(1),
                            text(v, "verdict").replace('_', " ")
                        )
                    }),
                })
                .collect()
        })
        .unwrap_or_default();
    CampaignView {
        name: text(c, "name"),
        segment: text(c, "segment"),
        status: text(c, "status"),
        conversion: results.map(|r| text(r, "conversion")),
        arms,
    }
}

/// `POST /dashboard/referrals/{id}/{approve|reject}`: decides a held referral (owner keys).
pub async fn decide(
    req: Request,
    app: &App,
    id: &str,
    approve: bool,
) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let caller = match auth::session(app, &req, DASHBOARD.cookie, &[Scope::Owner]).await {
        Ok(c) => c,
        Err(AppError::AuthMissing) => return sign_in_page(401),
        Err(e) => return Err(e),
    };
    super::referrals::decide(app, &caller, id, approve).await?;
    http::see_other("/dashboard#referrals")
}

async fn signed_in(
    app: &App,
    req: &Request,
) -> Result<Option<(MerchantCaller, MerchantConfig)>, AppError> {
    match auth::session(app, req, DASHBOARD.cookie, DASHBOARD.allowed).await {
        Ok(caller) => {
            let config = cache::merchant(app, caller.merchant)
                .await?
                .ok_or(AppError::MerchantNotFound)?;
            Ok(Some((caller, config)))
        }
        Err(AppError::AuthMissing | AppError::Forbidden) => Ok(None),
        Err(e) => Err(e),
    }
}

fn sign_in_page(status: u16) -> Result<Response, AppError> {
    http::html(status, view::sign_in(None))
}

/// `GET /dashboard`: the overview, or the sign-in form.
pub async fn home(req: Request, app: &App) -> Result<Response, AppError> {
    let Some((caller, config)) = signed_in(app, &req).await? else {
        return sign_in_page(200);
    };
    let m = caller.merchant.to_string();
    let clock = store::clocks(&app.db, Some(&m)).await?.into_iter().next();
    let rolled = clock.as_ref().and_then(|c| c.next_day).map(|d| d - 1);
    let scored = clock.as_ref().and_then(|c| c.scored_day);
    let last = rolled.unwrap_or_else(|| metrics::last_complete_day(app.now_ms, config.tz()));
    let from = last - (DAYS - 1);
    let value = config.program.point_value_per_100;
    let days = store::days(&app.db, &m, from, last)
        .await?
        .into_iter()
        .map(|d| {
            let k = kpis(&d.counts, value);
            (date(d.day).to_string(), d.counts, k)
        })
        .collect();
    let channels = store::channels(&app.db, &m, from, last)
        .await?
        .into_iter()
        .map(|c| (c.channel, c.scans, c.enrolments, c.conversions))
        .collect();
    let segments = match scored {
        Some(day) => store::sizes(&app.db, &m, day, day)
            .await?
            .into_iter()
            .map(|s| (s.segment, s.members))
            .collect(),
        None => Vec::new(),
    };
    let referrals = if config.program.referral.enabled {
        let s = referrals::stats(&app.db, &m).await?;
        Some([
            s.opened,
            s.joined,
            s.converted,
            s.rewarded,
            s.blocked,
            s.held,
        ])
    } else {
        None
    };
    let counts = sequences::counts(&app.db, &m).await?;
    let sequences = config
        .program
        .sequences
        .iter()
        .map(|s| {
            let r = sequences::runs_of(&counts, &s.id);
            (s.id.clone(), r.waiting, r.given, r.skipped)
        })
        .collect();
    let rewards = rewards::usage(&app.db, &m, app.now_ms - DAYS * 86_400_000)
        .await?
        .into_iter()
        .map(|u| (u.name, u.redeemed, u.points, u.waiting, u.lapsed))
        .collect();
    let mut shown = Vec::new();
    for row in campaigns::list(&app.db, &m)
        .await?
        .into_iter()
        .take(CAMPAIGNS)
    {
        shown.push(campaign_view(
            &super::messages::campaign_json(app, &row, true).await?,
        ));
    }
    let held = if config.program.referral.enabled {
        referrals::list(&app.db, &m, Some("held"), None, 50)
            .await?
            .into_iter()
            .map(|r| Held {
                why: r
                    .reason
                    .as_deref()
                    .and_then(crate::domain::referral::Reason::parse)
                    .map_or_else(
                        || r.reason.clone().unwrap_or_default(),
                        |x| x.describe().to_string(),
                    ),
                id: r.id,
                referrer: r.referrer_name,
                friend: r.referee_name,
            })
            .collect()
    } else {
        Vec::new()
    };
    http::html(
        200,
        view::overview(&Overview {
            config: &config,
            rolled_through: rolled.map(|d| date(d).to_string()),
            days,
            channels,
            segments,
            referrals,
            sequences,
            rewards,
            campaigns: shown,
            held,
        }),
    )
}

/// `POST /dashboard/sign-in`.
pub async fn sign_in(req: Request, app: &App) -> Result<Response, AppError> {
    sign_in_at(req, app, &DASHBOARD).await
}

/// `POST /dashboard/sign-out`.
pub async fn sign_out(req: Request, _app: &App) -> Result<Response, AppError> {
    sign_out_at(&req, &DASHBOARD)
}

/// `GET /dashboard/members?query=`: the member lookup.
pub async fn find(req: Request, app: &App) -> Result<Response, AppError> {
    let Some((caller, config)) = signed_in(app, &req).await? else {
        return sign_in_page(401);
    };
    let text = http::query(&req, "query").unwrap_or_default();
    if text.trim().is_empty() {
        return http::html(200, view::members(&config, "", &[], None));
    }
    let Some(query) = Query::parse(Some(&text)) else {
        let problem = "Give an email, a phone number, a member code or the start of a name.";
        return http::html(422, view::members(&config, &text, &[], Some(problem)));
    };
    let (kind, value) = query.sql();
    let m = caller.merchant.to_string();
    let found: Vec<Found> = members::search(&app.db, &m, kind, value, 50, None)
        .await?
        .into_iter()
        .map(|r| Found {
            contact: r.email.or(r.phone).unwrap_or_default(),
            id: r.id,
            name: r.name,
            points: r.points,
            stamps: r.stamps,
        })
        .collect();
    http::html(200, view::members(&config, &text, &found, None))
}

/// `GET /dashboard/members/{id}`: a member's balance explained, entry by entry.
pub async fn member(req: Request, app: &App, id: &str) -> Result<Response, AppError> {
    let Some((caller, config)) = signed_in(app, &req).await? else {
        return sign_in_page(401);
    };
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::MemberNotFound);
    }
    let m = caller.merchant.to_string();
    let window = app.now_ms - config.program.tiers.window_ms();
    let e = ledger::explain(&app.db, &m, id, app.now_ms, 100, window, None)
        .await?
        .ok_or(AppError::MemberNotFound)?;
    let s = &e.statement;
    let balance = format!(
        "{} points ({} pending), {} stamps, {} cashback",
        s.points,
        s.pending_points,
        s.stamps,
        config.currency.format(s.cashback_minor)
    );
    let lines: Vec<Line> = e
        .entries
        .iter()
        .map(|l| {
            let mut change = Vec::new();
            for (n, unit) in [
                (l.points, "pts"),
                (l.pending, "pending"),
                (l.stamps, "stamps"),
            ] {
                if n != 0 {
                    change.push(format!("{n:+} {unit}"));
                }
            }
            if l.cashback != 0 {
                change.push(format!("{:+} cashback", l.cashback));
            }
            let cause = l
                .cause_label
                .clone()
                .unwrap_or_else(|| l.cause_type.clone());
            Line {
                when: local_date(&config, l.created_at),
                reason: reason_label(&l.reason).to_string(),
                change: change.join(", "),
                why: match &l.note {
                    Some(note) => format!("{cause}: {note}"),
                    None => cause,
                },
            }
        })
        .collect();
    let expiries: Vec<String> = e
        .expiries
        .iter()
        .map(|x| {
            format!(
                "{} points on {}",
                x.points,
                local_date(&config, x.expires_at)
            )
        })
        .collect();
    http::html(
        200,
        view::member(&config, &s.name, &balance, &lines, &expiries),
    )
}

/// `GET /dashboard/program`: the settings form and the whole program as JSON (both disabled for
/// read-only keys).
pub async fn program_form(req: Request, app: &App) -> Result<Response, AppError> {
    let Some((_, config)) = signed_in(app, &req).await? else {
        return sign_in_page(401);
    };
    let editable = is_owner(app, &req).await;
    let json = program_json(&config)?;
    let form = SettingsForm::of(&config.program, editable);
    http::html(200, view::program(&config, &json, None, &form))
}

/// `POST /dashboard/program`: stores the edited program as a new version (owner keys only),
/// or shows the form again with the first problem named. `form=settings` is the settings form:
/// its fields change just those settings of the program in force; otherwise `program` is the
/// whole program as JSON. Both are checked and stored by `routes::program::store`.
pub async fn program_save(mut req: Request, app: &App) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let Some((caller, config)) = signed_in(app, &req).await? else {
        return sign_in_page(401);
    };
    let form = http::form_body(&mut req).await?;
    let fields = http::form_field(&form, "form").as_deref() == Some("settings");
    let text = http::form_field(&form, "program").unwrap_or_default();
    let current = program_json(&config)?;
    if !is_owner(app, &req).await {
        let why = "A read-only key cannot change the program.";
        let settings = SettingsForm::of(&config.program, false);
        let json = if fields { &current } else { &text };
        return http::html(
            403,
            view::program(&config, json, Some((false, why)), &settings),
        );
    }
    let draft = if fields {
        settings::apply(&config.program, &form).map_err(AppError::from)
    } else {
        http::parse_json::<ProgramDraft>(text.as_bytes())
    };
    let stored = match draft {
        Ok(draft) => program::store(app, caller.merchant, draft).await,
        Err(e) => Err(e),
    };
    match stored {
        Ok(config) => {
            let json = program_json(&config)?;
            let done = format!("Saved as version {}.", config.program_version);
            let settings = SettingsForm::of(&config.program, true);
            http::html(
                200,
                view::program(&config, &json, Some((true, &done)), &settings),
            )
        }
        Err(e) if e.status() < 500 && fields => {
            let field = match &e {
                AppError::InvalidField { field, .. } => field.clone(),
                _ => "program".to_owned(),
            };
            let settings = SettingsForm {
                values: settings::typed(&config.program, &form),
                problem: Some((field, format!("{} ({})", e.message(), e.code()))),
                editable: true,
            };
            http::html(
                e.status(),
                view::program(&config, &current, None, &settings),
            )
        }
        Err(e) if e.status() < 500 => {
            let why = format!("{} ({})", e.message(), e.code());
            let settings = SettingsForm::of(&config.program, true);
            http::html(
                e.status(),
                view::program(&config, &text, Some((false, &why)), &settings),
            )
        }
        Err(e) => Err(e),
    }
}

/// Whether the dashboard's session is an owner key's (which may change the program).
async fn is_owner(app: &App, req: &Request) -> bool {
    auth::session(app, req, DASHBOARD.cookie, &[Scope::Owner])
        .await
        .is_ok()
}

fn program_json(config: &MerchantConfig) -> Result<String, AppError> {
    serde_json::to_string_pretty(&config.program).map_err(|e| AppError::internal(e.to_string()))
}
