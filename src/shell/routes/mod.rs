//! The route table: one async function per route, errors turned into responses in one place.

mod admin;
mod automations;
mod brand;
mod campaigns;
mod card;
mod catalog;
mod console;
mod counter;
mod dashboard;
mod integrations;
mod items;
mod keys;
mod locations;
mod members;
mod merchant;
mod messages;
mod messaging;
mod metrics;
mod notify;
mod passkeys;
mod program;
mod promotions;
mod redemptions;
pub mod referrals;
mod reset;
mod rewards;
mod rules;
pub mod scan;
mod settings;
mod setup;
mod signup_codes;
mod staff;
mod tiers;
mod tills;
mod webhooks;

use worker::{Env, Method, Request, Response};

use super::app::App;
use super::error::AppError;
use super::http;
use crate::domain::ids::MerchantId;

/// Answers one request; never fails (errors become problem responses or error pages). Also
/// returns the merchants whose messages the request queued, to deliver after the response.
/// Launches a scheduled campaign (the deliveries job; `app.db` on the merchant's shard).
pub(crate) async fn launch_campaign(
    app: &App,
    merchant: &str,
    id: &str,
    now: i64,
) -> Result<(), AppError> {
    messages::launch_now(app, merchant, id, now)
        .await
        .map(|_| ())
}

pub async fn handle(req: Request, env: &Env) -> (Response, Vec<String>) {
    let path = req.path();
    if path == "/health" && matches!(req.method(), Method::Get | Method::Head) {
        // Liveness only: no bindings, secrets or storage.
        let resp = http::json(200, &serde_json::json!({ "status": "ok" }))
            .unwrap_or_else(|_| Response::builder().with_status(500).empty());
        return (resp, Vec::new());
    }
    if path == "/openapi.json" && matches!(req.method(), Method::Get | Method::Head) {
        let resp = http::json(200, &crate::view::openapi::document())
            .unwrap_or_else(|_| Response::builder().with_status(500).empty());
        return (resp, Vec::new());
    }
    let api = crate::view::openapi::is_api_path(&path);
    let lang = page_language(&req, &path);
    let (result, request_id, round_trips, woken) = match App::new(env) {
        Ok(mut app) => {
            app.client_ip = http::client_ip(&req);
            if app.moved_clock {
                // A test deployment only (JOB_CLOCK=scheduled): the request runs at `x-test-now`
                // (Unix ms), so tests reach a link's expiry without waiting for it.
                if let Some(t) = req.headers().get("x-test-now").ok().flatten() {
                    app.now_ms = t.parse().unwrap_or(app.now_ms);
                }
            }
            place(&app, &path);
            let method = req.method().to_string();
            let result = route(req, &app, &path).await;
            if let Some(calls) = app.db.trace() {
                let line = serde_json::json!({ "method": method, "path": path, "now_ms": app.now_ms, "calls": calls });
                worker::console_log!("d1-trace {line}");
            }
            (
                result,
                app.request_id.clone(),
                app.db.round_trips(),
                app.woken(),
            )
        }
        Err(e) => (Err(e), String::from("-"), 0, Vec::new()),
    };
    let retry_after = match &result {
        Err(AppError::RateLimited { retry_after }) => Some(*retry_after),
        _ => None,
    };
    let response = result.or_else(|err| {
        if let AppError::Internal(cause) = &err {
            worker::console_error!(
                "request {request_id}: {} {path}: {cause}",
                if api { "api" } else { "page" }
            );
        }
        if api {
            http::problem(&err, &request_id)
        } else {
            http::html(
                err.status(),
                crate::view::error::error_page(
                    lang,
                    None,
                    err.status(),
                    &err.message(),
                    err.code(),
                ),
            )
        }
    });
    match response {
        Ok(resp) => {
            let _ = resp
                .headers()
                .set("x-d1-round-trips", &round_trips.to_string());
            let _ = resp.headers().set("x-request-id", &request_id);
            if let Some(secs) = retry_after {
                let _ = resp.headers().set("retry-after", &secs.to_string());
            }
            (resp, woken)
        }
        Err(_) => (Response::builder().with_status(500).empty(), woken),
    }
}

/// The merchant a path names: a card, a scan token (unverified: only to find the shard and the
/// phone's language; the route verifies it), a webhook, the operator's merchant calls.
fn path_merchant(path: &str) -> Option<MerchantId> {
    let decoded = crate::domain::path::segments(path)?;
    let segments: Vec<&str> = decoded.iter().map(String::as_str).collect();
    match *segments.as_slice() {
        ["c", m, ..]
        | ["u", m, _]
        | ["m", m, _, _]
        | ["webhooks", "v1", m]
        | ["admin", "v1", "merchants", m, ..] => MerchantId::parse(m),
        ["s", token] => crate::domain::token::peek(token.as_bytes())
            .ok()
            .map(|h| h.merchant),
        _ => None,
    }
}

/// Puts the request on the shard of the merchant its path names. Requests with a key (the API,
/// staff screens, the dashboard) are placed by `auth` from the key id; invitation links by
/// `referrals::load`.
fn place(app: &App, path: &str) {
    if let Some(m) = path_merchant(path) {
        app.db.place(m);
    }
}

/// The language of an error page: the phone's saved choice at the path's merchant, else the
/// browser's.
fn page_language(req: &Request, path: &str) -> crate::domain::language::Language {
    http::language(req, path_merchant(path))
}

async fn route(req: Request, app: &App, path: &str) -> Result<Response, AppError> {
    use Method::{Delete, Get, Patch, Post, Put};
    // Each segment is percent-decoded once, here, so every route reads ids the same way.
    let decoded = crate::domain::path::segments(path).ok_or(AppError::NotFound)?;
    let segments: Vec<&str> = decoded.iter().map(String::as_str).collect();
    let method = req.method();
    let m = &method;
    match segments.as_slice() {
        ["s", token] => match method {
            Get => scan::show(req, app, token).await,
            Post => scan::enrol(req, app, token).await,
            _ => Err(AppError::MethodNotAllowed),
        },
        ["c", merchant] => only(&method, Get, card::show(req, app, merchant)).await,
        ["c", merchant, "manifest.webmanifest"] => {
            only(m, Get, card::manifest(app, merchant)).await
        }
        ["c", merchant, "icon.svg"] => only(m, Get, card::icon(app, merchant)).await,
        ["c", merchant, "sw.js"] => only(m, Get, notify::service_worker(app, merchant)).await,
        ["c", merchant, "push"] => only(m, Post, notify::subscribe(req, app, merchant)).await,
        ["c", merchant, "push", "off"] => only(m, Post, notify::push_off(req, app, merchant)).await,
        ["u", merchant, token] => match method {
            Get => notify::unsubscribe_page(req, app, merchant, token).await,
            Post => notify::unsubscribe(req, app, merchant, token).await,
            _ => Err(AppError::MethodNotAllowed),
        },
        ["m", merchant, "o", token] => only(m, Get, notify::opened(app, merchant, token)).await,
        ["m", merchant, "c", token] => only(m, Get, notify::clicked(app, merchant, token)).await,
        ["m", merchant, "p", token] => {
            only(m, Post, notify::push_clicked(app, merchant, token)).await
        }
        ["c", merchant, "history"] => only(m, Get, card::history(req, app, merchant)).await,
        ["c", merchant, "me"] => only(m, Get, card::my_data(req, app, merchant)).await,
        ["c", merchant, "me", "preferences"] => {
            only(m, Post, card::save_preferences(req, app, merchant)).await
        }
        ["c", merchant, "me", "export"] => only(m, Get, card::export(req, app, merchant)).await,
        ["c", merchant, "me", "erase"] => only(m, Post, card::erase(req, app, merchant)).await,
        ["r", code] => match method {
            Get => referrals::offer(req, app, code).await,
            Post => referrals::join(req, app, code).await,
            _ => Err(AppError::MethodNotAllowed),
        },
        ["c", merchant, "rewards", reward] => {
            only(
                m,
                Post,
                redemptions::phone_redeem(req, app, merchant, reward),
            )
            .await
        }
        ["c", merchant, "redemptions", id] => {
            only(m, Get, redemptions::phone_show(req, app, merchant, id)).await
        }
        ["signup"] => match method {
            Get => console::sign_up_page(req, app).await,
            Post => console::sign_up(req, app).await,
            _ => Err(AppError::MethodNotAllowed),
        },
        ["signin"] => match method {
            Get => console::sign_in_page(req, app).await,
            Post => console::sign_in(req, app).await,
            _ => Err(AppError::MethodNotAllowed),
        },
        ["signin", "passkey"] => only(m, Post, passkeys::sign_in(req, app)).await,
        ["console", ..] => console::serve(req, app, &segments).await,
        ["invite", secret] => match method {
            Get => console::invitation_page(req, app, secret).await,
            Post => console::accept_invitation(req, app, secret).await,
            _ => Err(AppError::MethodNotAllowed),
        },
        ["reset", secret] => match method {
            Get => reset::page(req, app, secret).await,
            Post => reset::set(req, app, secret).await,
            _ => Err(AppError::MethodNotAllowed),
        },
        ["dashboard"] => only(m, Get, dashboard::home(req, app)).await,
        ["dashboard", "sign-in"] => only(m, Post, dashboard::sign_in(req, app)).await,
        ["dashboard", "sign-out"] => only(m, Post, dashboard::sign_out(req, app)).await,
        ["dashboard", "members"] => only(m, Get, dashboard::find(req, app)).await,
        ["dashboard", "members", member] => only(m, Get, dashboard::member(req, app, member)).await,
        ["dashboard", "referrals", id, "approve"] => {
            only(m, Post, dashboard::decide(req, app, id, true)).await
        }
        ["dashboard", "referrals", id, "reject"] => {
            only(m, Post, dashboard::decide(req, app, id, false)).await
        }
        ["dashboard", "program"] => match method {
            Get => dashboard::program_form(req, app).await,
            Post => dashboard::program_save(req, app).await,
            _ => Err(AppError::MethodNotAllowed),
        },
        ["staff"] => only(m, Get, staff::home(req, app)).await,
        ["staff", "sign-in"] => only(m, Post, staff::sign_in(req, app)).await,
        ["staff", "sign-out"] => only(m, Post, staff::sign_out(req, app)).await,
        ["staff", "sale"] => match method {
            Get => staff::sale(req, app).await,
            Post => staff::start_sale(req, app).await,
            _ => Err(AppError::MethodNotAllowed),
        },
        ["staff", "confirm"] => only(m, Post, staff::confirm(req, app)).await,
        ["staff", "pair"] => match method {
            Get => staff::pair_page(req, app).await,
            Post => staff::pair(req, app).await,
            _ => Err(AppError::MethodNotAllowed),
        },
        ["staff", "pin"] => only(m, Post, staff::pin(req, app)).await,
        ["staff", "lock"] => only(m, Post, staff::lock(req, app)).await,
        ["staff", "poster", location] => only(m, Get, staff::poster(req, app, location)).await,
        ["files", merchant, file] => only(m, Get, setup::file(app, merchant, file)).await,
        ["api", "v1", "scan-tokens"] => only(&method, Post, counter::issue(req, app)).await,
        ["api", "v1", "scan-key"] => only(&method, Get, counter::scan_key(req, app)).await,
        ["api", "v1", "program"] => match method {
            Get => program::show(req, app).await,
            Put => program::update(req, app).await,
            _ => Err(AppError::MethodNotAllowed),
        },
        ["api", "v1", "sequences"] => only(m, Get, program::sequences(req, app)).await,
        ["api", "v1", "members"] => only(m, Get, members::search(req, app)).await,
        ["api", "v1", "members", member] => {
            only(&method, Get, members::show(req, app, member)).await
        }
        ["api", "v1", "members", member, "ledger"] => {
            only(m, Get, members::explain(req, app, member)).await
        }
        ["api", "v1", "members", member, "adjustments"] => {
            only(m, Post, members::adjust(req, app, member)).await
        }
        ["api", "v1", "members", member, "export"] => {
            only(m, Get, members::export(req, app, member)).await
        }
        ["api", "v1", "members", member, "erase"] => {
            only(m, Post, members::erase(req, app, member)).await
        }
        ["api", "v1", "members", member, "cashback-spends"] => {
            only(m, Post, members::spend_cashback(req, app, member)).await
        }
        ["api", "v1", "members", member, "redemptions"] => {
            only(m, Post, redemptions::direct(req, app, member)).await
        }
        ["api", "v1", "scans", scan, "reverse"] => {
            only(m, Post, members::reverse_scan(req, app, scan)).await
        }
        ["api", "v1", "rewards"] => match method {
            Get => rewards::list(req, app).await,
            Post => rewards::create(req, app).await,
            _ => Err(AppError::MethodNotAllowed),
        },
        ["api", "v1", "rewards", id] => only(m, Put, rewards::update(req, app, id)).await,
        ["api", "v1", "redemptions", "confirm"] => {
            only(m, Post, redemptions::confirm(req, app)).await
        }
        ["api", "v1", "redemptions", id, "cancel"] => {
            only(m, Post, redemptions::cancel(req, app, id)).await
        }
        ["api", "v1", "referrals"] => only(m, Get, referrals::list(req, app)).await,
        ["api", "v1", "referrals", "stats"] => only(m, Get, referrals::stats(req, app)).await,
        ["api", "v1", "referrals", id, "approve"] => {
            only(m, Post, referrals::review(req, app, id, true)).await
        }
        ["api", "v1", "referrals", id, "reject"] => {
            only(m, Post, referrals::review(req, app, id, false)).await
        }
        ["webhooks", "v1", merchant] => only(m, Post, webhooks::receive(req, app, merchant)).await,
        ["api", "v1", "webhook-secrets"] => match method {
            Get => webhooks::secrets(req, app).await,
            Post => webhooks::rotate(req, app).await,
            _ => Err(AppError::MethodNotAllowed),
        },
        ["api", "v1", "keys"] => match method {
            Get => keys::list(req, app).await,
            Post => keys::create(req, app).await,
            _ => Err(AppError::MethodNotAllowed),
        },
        ["api", "v1", "keys", id] => only(m, Delete, keys::revoke(req, app, id)).await,
        ["api", "v1", "keys", id, "rotate"] => only(m, Post, keys::rotate(req, app, id)).await,
        ["api", "v1", "merchant"] => match method {
            Get => merchant::show(req, app).await,
            Patch => merchant::update(req, app).await,
            _ => Err(AppError::MethodNotAllowed),
        },
        ["api", "v1", "locations"] => only(m, Post, merchant::add_location(req, app)).await,
        ["api", "v1", "locations", number] => {
            only(m, Put, merchant::rename_location(req, app, number)).await
        }
        ["api", "v1", "metrics"] => only(m, Get, metrics::series(req, app)).await,
        ["api", "v1", "metrics", "channels"] => only(m, Get, metrics::channels(req, app)).await,
        ["api", "v1", "segments"] => only(m, Get, metrics::segments(req, app)).await,
        ["api", "v1", "segments", segment, "members"] => {
            only(m, Get, metrics::members(req, app, segment)).await
        }
        ["api", "v1", "messaging"] => match method {
            Get => messages::show(req, app).await,
            Put => messages::update(req, app).await,
            _ => Err(AppError::MethodNotAllowed),
        },
        ["api", "v1", "messages"] => only(m, Get, messages::list(req, app)).await,
        ["api", "v1", "messages", id] => only(m, Get, messages::show_message(req, app, id)).await,
        ["api", "v1", "messages", id, "resend"] => {
            only(m, Post, messages::resend(req, app, id)).await
        }
        ["api", "v1", "members", member, "preferences"] => {
            only(m, Patch, messages::preferences(req, app, member)).await
        }
        ["api", "v1", "campaigns"] => match method {
            Get => messages::list_campaigns(req, app).await,
            Post => messages::create_campaign(req, app).await,
            _ => Err(AppError::MethodNotAllowed),
        },
        ["api", "v1", "campaigns", id] => only(m, Get, messages::show_campaign(req, app, id)).await,
        ["api", "v1", "campaigns", id, "launch"] => {
            only(m, Post, messages::launch(req, app, id)).await
        }
        ["api", "v1", "audit-log"] => only(m, Get, members::audit_log(req, app)).await,
        ["admin", "v1", "merchants"] => only(&method, Post, admin::create_merchant(req, app)).await,
        ["admin", "v1", "merchants", merchant, "audit"] => {
            only(&method, Get, admin::audit(req, app, merchant)).await
        }
        ["admin", "v1", "merchants", merchant, "people"] => {
            only(&method, Post, admin::add_person(req, app, merchant)).await
        }
        ["admin", "v1", "merchants", merchant, "rollups"] => {
            only(&method, Post, admin::rollups(req, app, merchant)).await
        }
        ["admin", "v1", "merchants", merchant, "deliveries"] => {
            only(&method, Post, messages::admin_deliver(req, app, merchant)).await
        }
        ["admin", "v1", "password-resets"] => {
            only(&method, Post, reset::operator_link(req, app)).await
        }
        ["admin", "v1", "signup-codes"] => only(&method, Post, signup_codes::issue(req, app)).await,
        ["admin", "v1", "jobs"] => only(&method, Get, admin::jobs(req, app)).await,
        ["health"] => Err(AppError::MethodNotAllowed), // GET and HEAD are answered before routing
        _ => Err(AppError::NotFound),
    }
}

/// Runs `handler` if the request's method is `allowed`; a future does nothing until awaited.
async fn only(
    method: &Method,
    allowed: Method,
    handler: impl std::future::Future<Output = Result<Response, AppError>>,
) -> Result<Response, AppError> {
    if *method == allowed {
        handler.await
    } else {
        Err(AppError::MethodNotAllowed)
    }
}
