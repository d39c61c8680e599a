//! The merchant's figures and customers, read from the rollups and tables the JSON API reads,
//! in two seats: the key-signed-in dashboard under `/dashboard` (an owner or read key on its own
//! cookie, English: the overview, the member lookup with each member's explained ledger, the
//! referral review, the program settings form) and the console's Insights and Customers (a
//! signed-in person, in their language, inside the console frame). Both gather with the same
//! functions here and draw with the same views (`view::insights`, `view::customers`).

use worker::{Request, Response};

use super::console::{Desk, Person};
use super::program;
use super::referrals::Reviewer;
use super::staff::{sign_in_at, sign_out_at, Door};
use sha2::{Digest, Sha256};

use crate::domain::adjust_form::{refusal, AdjustForm};
use crate::domain::apikey::Scope;
use crate::domain::ids::{to_hex, MemberId, MerchantId};
use crate::domain::language::Language;
use crate::domain::ledger as domain_ledger;
use crate::domain::metrics::{self, date, kpis};
use crate::domain::program::{MerchantConfig, ProgramDraft};
use crate::domain::search::Query;
use crate::domain::session;
use crate::domain::setup::{FieldError, Problem};
use crate::shell::app::{random, App};
use crate::shell::auth;
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::{
    campaigns, ledger, members, metrics as store, push, referrals, rewards, sequences,
};
use crate::view::customers::{self as people_view, Found, Held, History, Line, Lookup};
use crate::view::dashboard::{self as view, settings, SettingsForm};
use crate::view::insights::{self, ArmLine, CampaignView, Overview, Versus};
use crate::view::page::local_date_in;

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
/// Held referrals listed for review, oldest first.
const HELD: i64 = 50;

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
                        Versus {
                            lift: f("lift_points"),
                            low: at(0),
                            high: at(1),
                            verdict: text(v, "verdict"),
                        }
                    }),
                })
                .collect()
        })
        .unwrap_or_default();
    CampaignView {
        id: text(c, "id"),
        name: text(c, "name"),
        segment: text(c, "segment"),
        status: text(c, "status"),
        window_days: results.and_then(|_| c.get("window_days")?.as_i64()),
        arms,
    }
}

/// Reads what the overview of `merchant` shows.
async fn overview<'a>(
    app: &App,
    merchant: MerchantId,
    config: &'a MerchantConfig,
) -> Result<Overview<'a>, AppError> {
    let m = merchant.to_string();
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
    let messages = store::message_channels(&app.db, &m, from, last)
        .await?
        .into_iter()
        .map(|c| {
            (
                c.channel,
                [
                    c.sent,
                    c.accepted,
                    c.failed,
                    c.opened,
                    c.clicked,
                    c.converted,
                ],
                c.typical_return_ms,
            )
        })
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
    Ok(Overview {
        config,
        rolled_through: rolled.map(|d| date(d).to_string()),
        days,
        channels,
        messages,
        segments,
        referrals,
        sequences,
        rewards,
        campaigns: shown,
    })
}

/// Reads the referrals of `merchant` held for review (none while referrals are off).
async fn held(
    app: &App,
    merchant: MerchantId,
    config: &MerchantConfig,
) -> Result<Vec<Held>, AppError> {
    if !config.program.referral.enabled {
        return Ok(Vec::new());
    }
    let rows = referrals::list(&app.db, &merchant.to_string(), Some("held"), None, HELD).await?;
    Ok(rows
        .into_iter()
        .map(|r| Held {
            reason: r.reason.unwrap_or_default(),
            id: r.id,
            referrer: r.referrer_name,
            friend: r.referee_name,
        })
        .collect())
}

/// Finds members of `merchant` for the typed `text`: `None` when it cannot be read as a query.
async fn search(
    app: &App,
    merchant: MerchantId,
    text: &str,
) -> Result<Option<Vec<Found>>, AppError> {
    let Some(query) = Query::parse(Some(text)) else {
        return Ok(None);
    };
    let (kind, value) = query.sql();
    let found = members::search(&app.db, &merchant.to_string(), kind, value, 50, None)
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
    Ok(Some(found))
}

/// A member's balance and entries, read for the history page.
struct Explained {
    name: String,
    points: i64,
    pending: i64,
    stamps: i64,
    cashback_minor: i64,
    lines: Vec<Line>,
    expiries: Vec<(i64, String)>,
}

impl Explained {
    fn history<'a>(&'a self, config: &'a MerchantConfig) -> History<'a> {
        History {
            config,
            name: &self.name,
            points: self.points,
            pending: self.pending,
            stamps: self.stamps,
            cashback_minor: self.cashback_minor,
            lines: &self.lines,
            expiries: &self.expiries,
        }
    }
}

/// Reads member `id` of `merchant` explained, dates in `l`; `None` when `merchant` has no
/// such member (another merchant's id included).
async fn explain(
    app: &App,
    merchant: MerchantId,
    config: &MerchantConfig,
    id: &str,
    l: Language,
) -> Result<Option<Explained>, AppError> {
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let m = merchant.to_string();
    let window = app.now_ms - config.program.tiers.window_ms();
    let Some(e) = ledger::explain(&app.db, &m, id, app.now_ms, 100, window, None).await? else {
        return Ok(None);
    };
    let s = &e.statement;
    let lines = e
        .entries
        .iter()
        .map(|x| Line {
            when: local_date_in(l, config, x.created_at),
            reason: x.reason.clone(),
            points: x.points,
            pending: x.pending,
            stamps: x.stamps,
            cashback: x.cashback,
            cause_type: x.cause_type.clone(),
            cause_label: x.cause_label.clone(),
            note: x.note.clone(),
        })
        .collect();
    let expiries = e
        .expiries
        .iter()
        .map(|x| (x.points, local_date_in(l, config, x.expires_at)))
        .collect();
    Ok(Some(Explained {
        name: s.name.clone(),
        points: s.points,
        pending: s.pending_points,
        stamps: s.stamps,
        cashback_minor: s.cashback_minor,
        lines,
        expiries,
    }))
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
    let by = Reviewer {
        id: &caller.key_id,
        name: "",
    };
    super::referrals::decide(app, caller.merchant, &by, id, approve).await?;
    http::see_other("/dashboard#referrals")
}

async fn signed_in(
    app: &App,
    req: &Request,
) -> Result<Option<(auth::MerchantCaller, MerchantConfig)>, AppError> {
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
    let v = overview(app, caller.merchant, &config).await?;
    let held = held(app, caller.merchant, &config).await?;
    http::html(200, view::overview(&v, &held))
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
    let found = match text.trim() {
        "" => Some(Vec::new()),
        _ => search(app, caller.merchant, &text).await?,
    };
    let lookup = Lookup {
        query: text.trim(),
        found: found.as_deref().unwrap_or_default(),
        problem: found.is_none(),
    };
    let status = if found.is_some() { 200 } else { 422 };
    http::html(status, view::members(&config, &lookup))
}

/// `GET /dashboard/members/{id}`: a member's balance explained, entry by entry.
pub async fn member(req: Request, app: &App, id: &str) -> Result<Response, AppError> {
    let Some((caller, config)) = signed_in(app, &req).await? else {
        return sign_in_page(401);
    };
    let e = explain(app, caller.merchant, &config, id, Language::En)
        .await?
        .ok_or(AppError::MemberNotFound)?;
    http::html(200, view::member(&e.history(&config)))
}

/// `GET /console/insights`: the overview, in the person's language, inside the console frame.
pub(super) async fn insights(
    app: &App,
    person: &Person,
    desk: &Desk,
) -> Result<Response, AppError> {
    let v = overview(app, person.merchant, &desk.config).await?;
    let page = insights::page(person.language, &desk.frame(person), &v);
    http::html(200, page)
}

/// `GET /console/customers?query=`, or the page after a referral was decided: the referrals
/// held for review, then the lookup.
pub(super) async fn customers(
    req: &Request,
    app: &App,
    person: &Person,
    desk: &Desk,
    notice: Option<&str>,
    status: u16,
) -> Result<Response, AppError> {
    let text = http::query(req, "query").unwrap_or_default();
    let found = match text.trim() {
        "" => Some(Vec::new()),
        _ => search(app, person.merchant, &text).await?,
    };
    let pending = held(app, person.merchant, &desk.config).await?;
    let lookup = Lookup {
        query: text.trim(),
        found: found.as_deref().unwrap_or_default(),
        problem: found.is_none(),
    };
    let status = if found.is_some() { status } else { 422 };
    let page = people_view::lookup_page(
        person.language,
        &desk.frame(person),
        notice,
        &pending,
        &lookup,
    );
    http::html(status, page)
}

/// Messages a customer's page lists, newest first.
const CUSTOMER_MESSAGES: i64 = 10;

/// A fresh token for a correction form.
fn fresh_once() -> Result<String, AppError> {
    Ok(to_hex(&random::<16>()?))
}

/// `GET /console/customers/{id}`: one of the person's merchant's customers, explained; any
/// other id (another café's member too) is not found.
pub(super) async fn customer(
    app: &App,
    person: &Person,
    desk: &Desk,
    id: &str,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let form = AdjustForm {
        direction: "add".into(),
        ..AdjustForm::default()
    };
    let once = fresh_once()?;
    let c = people_view::Correction {
        form: &form,
        errors: &[],
        once: &once,
    };
    customer_page(app, person, desk, id, c, notice, 200).await
}

async fn customer_page(
    app: &App,
    person: &Person,
    desk: &Desk,
    id: &str,
    correction: people_view::Correction<'_>,
    notice: Option<&str>,
    status: u16,
) -> Result<Response, AppError> {
    let l = person.language;
    let f = desk.frame(person);
    let Some(e) = explain(app, person.merchant, &desk.config, id, l).await? else {
        return http::html(404, people_view::unknown_page(l, &f));
    };
    let tz = desk.config.tz();
    let m = person.merchant.to_string();
    let sent: Vec<_> = push::member_messages(&app.db, &m, id, CUSTOMER_MESSAGES)
        .await?
        .iter()
        .map(|r| super::messaging::log_line(&tz, r))
        .collect();
    let v = people_view::CustomerView {
        correction,
        notice,
        messages: &sent,
    };
    http::html(
        status,
        people_view::history_page(l, &f, &e.history(&desk.config), id, &v),
    )
}

/// `POST /console/customers/{id}/adjust`: a correction of the balance with its reason, checked
/// as the API checks it, recorded once however often the form is sent (its ledger entry's id
/// comes from the form's token, and D1 keeps entry ids unique), audited with the person's
/// name; taking away more than the customer has writes nothing and says so beside the field.
pub(super) async fn adjust(
    app: &App,
    person: &Person,
    fields: &[(String, String)],
    id: &str,
) -> Result<Response, AppError> {
    let l = person.language;
    let desk = Desk::open(app, person).await?;
    let Some(member) = MemberId::parse(id) else {
        return http::html(404, people_view::unknown_page(l, &desk.frame(person)));
    };
    let form = AdjustForm::read(|name| http::form_field(fields, name));
    let typed_once = http::form_field(fields, "once").unwrap_or_default();
    let fresh;
    let (once, stale) =
        if typed_once.len() == 32 && typed_once.bytes().all(|b| b.is_ascii_hexdigit()) {
            (typed_once.as_str(), false)
        } else {
            fresh = fresh_once()?;
            (fresh.as_str(), true)
        };
    let (form_ref, desk_ref) = (&form, &desk);
    let back = |errors: Vec<FieldError>| async move {
        let c = people_view::Correction {
            form: form_ref,
            errors: &errors,
            once,
        };
        customer_page(app, person, desk_ref, id, c, None, 422).await
    };
    if stale {
        return back(vec![FieldError {
            field: "once",
            problem: Problem::Missing,
        }])
        .await;
    }
    let a = match form.parse() {
        Ok(a) => a,
        Err(errors) => return back(errors).await,
    };
    let m = person.merchant.to_string();
    let entry = {
        let mut h = Sha256::new();
        for part in ["adjust", &m, member.as_str(), once] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        let digest: [u8; 32] = h.finalize().into();
        let mut id = [0u8; 16];
        id.iter_mut().zip(digest).for_each(|(to, from)| *to = from);
        to_hex(&id)
    };
    let config = &desk.config;
    let lot = domain_ledger::lot_terms(
        config.program.points_expiry,
        0,
        config.tz(),
        false,
        app.now_ms,
    );
    let audit = to_hex(&random::<16>()?);
    let done = http::see_other(&format!("/console/customers/{id}?corrected=1"));
    let recorded = ledger::adjust(
        &app.db,
        &ledger::Adjust {
            entry: &entry,
            audit: &audit,
            merchant: &m,
            member: member.as_str(),
            points: a.points,
            stamps: a.stamps,
            actor: &person.person_id,
            actor_name: Some(&person.name),
            reason: &a.reason,
            program_version: i64::from(config.program_version),
            expires_at: lot.expires_at,
            now: app.now_ms,
        },
    )
    .await;
    match recorded {
        Ok((true, _)) => done,
        Ok((false, Some(b))) => back(vec![refusal(&a, b.points, b.stamps)]).await,
        Ok((false, None)) => http::html(404, people_view::unknown_page(l, &desk.frame(person))),
        // Sent twice at once: the other one recorded it (its entry id is taken).
        Err(e) => match ledger::entry_of(&app.db, &entry, &m, member.as_str()).await? {
            true => done,
            false => Err(e),
        },
    }
}

/// The most customers one CSV download lists (a D1 answer stays well inside its limits).
pub(super) const CSV_ROWS: i64 = 10_000;

/// `GET /console/customers.csv`: the café's customers for a spreadsheet, headed in the
/// person's language, dates in the café's time zone, oldest first (at most `CSV_ROWS`).
pub(super) async fn customers_csv(
    app: &App,
    person: &Person,
    desk: &Desk,
) -> Result<Response, AppError> {
    use crate::domain::csv;
    let l = person.language;
    let tz = desk.config.tz();
    let day = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| t.with_timezone(&tz).format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    let rows = members::for_csv(&app.db, &person.merchant.to_string(), CSV_ROWS).await?;
    let mut out = String::from("\u{feff}");
    out += &csv::line(&[
        l.pick("name", "imię"),
        l.pick("email", "e-mail"),
        l.pick("phone", "telefon"),
        l.pick("birthday (month-day)", "urodziny (miesiąc-dzień)"),
        l.pick("agreed to offers", "zgoda na oferty"),
        l.pick("points", "punkty"),
        l.pick("stamps", "pieczątki"),
        l.pick("joined", "dołączył(a)"),
        l.pick("last visit", "ostatnia wizyta"),
    ]);
    for r in rows {
        out += &csv::line(&[
            r.name,
            r.email.unwrap_or_default(),
            r.phone.unwrap_or_default(),
            r.birthday.unwrap_or_default(),
            l.pick(
                if r.marketing_consent == 1 {
                    "yes"
                } else {
                    "no"
                },
                if r.marketing_consent == 1 {
                    "tak"
                } else {
                    "nie"
                },
            )
            .to_owned(),
            r.points.to_string(),
            r.stamps.to_string(),
            day(r.created_at),
            r.last_activity_at.map(day).unwrap_or_default(),
        ]);
    }
    let resp = Response::ok(out)?;
    let h = resp.headers();
    h.set("content-type", "text/csv; charset=utf-8")?;
    h.set(
        "content-disposition",
        "attachment; filename=\"customers.csv\"",
    )?;
    h.set("cache-control", "no-store")?;
    h.set("x-content-type-options", "nosniff")?;
    Ok(resp)
}

/// `GET /console/customers/{id}/export`: everything held about the customer, as a JSON file
/// (the API's own export); another café's customer is not found.
pub(super) async fn export(app: &App, person: &Person, id: &str) -> Result<Response, AppError> {
    let member = MemberId::parse(id).ok_or(AppError::MemberNotFound)?;
    let text = members::export(&app.db, &person.merchant.to_string(), member.as_str())
        .await?
        .ok_or(AppError::MemberNotFound)?;
    let resp = Response::ok(text)?;
    let h = resp.headers();
    h.set("content-type", "application/json; charset=utf-8")?;
    h.set(
        "content-disposition",
        &format!("attachment; filename=\"customer-{id}.json\""),
    )?;
    h.set("cache-control", "no-store")?;
    h.set("x-content-type-options", "nosniff")?;
    Ok(resp)
}

/// `POST /console/customers/{id}/erase`: a confirmation with a reason first; then the API's
/// own erasure (personal data removed, balances and history kept anonymous), audited with the
/// person and the reason. Erasing twice is harmless.
pub(super) async fn erase(
    app: &App,
    person: &Person,
    fields: &[(String, String)],
    id: &str,
) -> Result<Response, AppError> {
    let l = person.language;
    let desk = Desk::open(app, person).await?;
    let f = desk.frame(person);
    let member = MemberId::parse(id).ok_or(AppError::NotFound)?;
    let m = person.merchant.to_string();
    if members::export(&app.db, &m, member.as_str())
        .await?
        .is_none()
    {
        return http::html(404, people_view::unknown_page(l, &f));
    }
    let get = |name: &str| http::form_field(fields, name).unwrap_or_default();
    if get("confirm").is_empty() {
        return http::html(200, people_view::confirm_erase(l, &f, id, "", false));
    }
    let typed = get("reason");
    let Ok(reason) = super::redemptions::check_reason(&typed) else {
        return http::html(422, people_view::confirm_erase(l, &f, id, &typed, true));
    };
    let audit = to_hex(&random::<16>()?);
    members::erase(
        &app.db,
        &m,
        member.as_str(),
        &audit,
        (&person.person_id, &person.name),
        &reason,
        app.now_ms,
    )
    .await?;
    http::see_other("/console/customers?erased=1")
}

/// `POST /console/customers/referrals/{id}/{approve|reject}`: decides a held referral once,
/// recorded with the person's id and name; the Customers page says what happened.
pub(super) async fn review(
    req: &Request,
    app: &App,
    person: &Person,
    segments: &[&str],
) -> Result<Response, AppError> {
    let l = person.language;
    let desk = Desk::open(app, person).await?;
    let (id, approve) = match segments {
        ["console", "customers", "referrals", id, "approve"] => (*id, true),
        ["console", "customers", "referrals", id, "reject"] => (*id, false),
        _ => return Err(AppError::NotFound),
    };
    let by = Reviewer {
        id: &person.person_id,
        name: &person.name,
    };
    let (notice, status) =
        match super::referrals::decide(app, person.merchant, &by, id, approve).await {
            Ok(_) if approve => (
                l.pick(
                    "Approved: both bonuses are paid once the friend's purchase is final.",
                    "Zatwierdzono: obie premie zostaną wypłacone, gdy zakup znajomego będzie ostateczny.",
                ),
                200,
            ),
            Ok(_) => (
                l.pick(
                    "Rejected: no bonus is paid.",
                    "Odrzucono: premia nie zostanie wypłacona.",
                ),
                200,
            ),
            Err(AppError::ReferralNotHeld(_)) => (
                l.pick(
                    "This referral was decided already, so nothing changed.",
                    "To polecenie zostało już rozstrzygnięte, więc nic nie zmieniono.",
                ),
                409,
            ),
            Err(AppError::ReferralNotFound) => (
                l.pick(
                    "There is no such referral here, so nothing changed.",
                    "Nie ma tu takiego polecenia, więc nic nie zmieniono.",
                ),
                404,
            ),
            Err(e) => return Err(e),
        };
    customers(req, app, person, &desk, Some(notice), status).await
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
