//! The route table: one async function per route, errors turned into responses in one place.

mod admin;
mod card;
mod counter;
mod members;
mod program;
mod scan;

use worker::{Env, Method, Request, Response};

use super::app::App;
use super::error::AppError;
use super::http;

/// Answers one request; never fails (errors become problem responses or error pages).
pub async fn handle(req: Request, env: &Env) -> Response {
    let path = req.path();
    if path == "/health" && matches!(req.method(), Method::Get | Method::Head) {
        // Liveness only: no bindings, secrets or storage.
        return http::json(200, &serde_json::json!({ "status": "ok" }))
            .unwrap_or_else(|_| Response::builder().with_status(500).empty());
    }
    let api = path.starts_with("/api/") || path.starts_with("/admin/");
    let (result, request_id, round_trips) = match App::new(env) {
        Ok(app) => {
            let result = route(req, &app, &path).await;
            (result, app.request_id.clone(), app.db.round_trips())
        }
        Err(e) => (Err(e), String::from("-"), 0),
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
                crate::view::pages::error_page(None, err.title(), &err.message(), err.code()),
            )
        }
    });
    match response {
        Ok(resp) => {
            let _ = resp
                .headers()
                .set("x-d1-round-trips", &round_trips.to_string());
            let _ = resp.headers().set("x-request-id", &request_id);
            resp
        }
        Err(_) => Response::builder().with_status(500).empty(),
    }
}

async fn route(req: Request, app: &App, path: &str) -> Result<Response, AppError> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let method = req.method();
    match (method, segments.as_slice()) {
        (Method::Get | Method::Head, ["health"]) => {
            http::json(200, &serde_json::json!({ "status": "ok" }))
        }
        (Method::Get, ["s", token]) => scan::show(req, app, token).await,
        (Method::Post, ["s", token]) => scan::enrol(req, app, token).await,
        (Method::Get, ["c", merchant]) => card::show(req, app, merchant).await,
        (Method::Post, ["api", "v1", "scan-tokens"]) => counter::issue(req, app).await,
        (Method::Get, ["api", "v1", "scan-key"]) => counter::scan_key(req, app).await,
        (Method::Put, ["api", "v1", "program"]) => program::update(req, app).await,
        (Method::Get, ["api", "v1", "members", member]) => members::show(req, app, member).await,
        (Method::Post, ["admin", "v1", "merchants"]) => admin::create_merchant(req, app).await,
        (Method::Get, ["admin", "v1", "merchants", merchant, "audit"]) => {
            admin::audit(req, app, merchant).await
        }
        (Method::Get, ["admin", "v1", "jobs"]) => admin::jobs(req, app).await,
        (_, ["health"] | ["s", _] | ["c", _])
        | (_, ["api", "v1", "scan-tokens" | "scan-key" | "program"])
        | (_, ["api", "v1", "members", _])
        | (_, ["admin", "v1", "merchants"] | ["admin", "v1", "jobs"])
        | (_, ["admin", "v1", "merchants", _, "audit"]) => Err(AppError::MethodNotAllowed),
        _ => Err(AppError::NotFound),
    }
}
