//! The Worker itself, a thin shell around the domain: routes (parse, decide, store, respond),
//! storage (D1 statements, KV cache) and cron jobs. Compiled for wasm32 only.

mod app;
mod auth;
mod cache;
mod error;
mod http;
mod idempotency;
mod jobs;
mod rollups;
mod routes;
mod store;

use worker::{event, Context, Env, Request, Response, ScheduleContext, ScheduledEvent};

#[event(fetch)]
pub async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    Ok(routes::handle(req, &env).await)
}

#[event(scheduled)]
pub async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    jobs::run(&event.cron(), event.schedule() as i64, &env).await;
}
