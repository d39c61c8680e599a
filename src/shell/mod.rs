//! The Worker itself, a thin shell around the domain: routes (parse, decide, store, respond),
//! storage (D1 statements, KV cache) and cron jobs. Compiled for wasm32 only.

mod app;
mod auth;
mod cache;
mod deliver;
mod error;
mod http;
mod idempotency;
pub(crate) mod jobs;
mod kdf;
mod rollups;
mod routes;
mod store;
mod webauthn;
mod webpush;

use worker::{event, Context, Env, Request, Response, ScheduleContext, ScheduledEvent};

#[event(fetch)]
pub async fn fetch(req: Request, env: Env, ctx: Context) -> worker::Result<Response> {
    let (response, woken) = routes::handle(req, &env).await;
    if !woken.is_empty() {
        // Messages this request queued are attempted right after the response; what fails
        // here is retried by the deliveries cron.
        ctx.wait_until(async move {
            let app = match app::App::new(&env) {
                Ok(app) => app,
                Err(e) => return worker::console_error!("deliveries after a response: {e:?}"),
            };
            for m in woken {
                if let Some(id) = crate::domain::ids::MerchantId::parse(&m) {
                    app.db.place(id);
                }
                if let Err(e) = deliver::merchant(&app, &m, app.now_ms).await {
                    worker::console_error!("deliveries after a response: merchant {m}: {e:?}");
                }
            }
        });
    }
    Ok(response)
}

#[event(scheduled)]
pub async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    jobs::run(&event.cron(), event.schedule() as i64, &env).await;
}
