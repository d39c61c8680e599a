//! What every request and job gets: bindings, secrets, the clock and randomness.

use worker::{Env, KvStore};

use super::error::AppError;
use super::store::Db;
use crate::domain::keys::{MasterSecret, SessionKey};
use crate::domain::shard::ShardMap;

/// Secrets, read once and checked, naming whichever is missing. `Debug` shows no values.
#[derive(Debug)]
pub struct Secrets {
    pub master: MasterSecret,
    pub session: SessionKey,
    admin: String,
}

impl Secrets {
    fn read(env: &Env) -> Result<Secrets, AppError> {
        let text = |name: &str| -> Result<String, AppError> {
            env.secret(name)
                .map(|s| s.to_string())
                .or_else(|_| env.var(name).map(|v| v.to_string()))
                .map_err(|_| AppError::internal(format!("the Worker secret {name} is not set")))
        };
        let master = MasterSecret::parse(&text("MASTER_SECRET")?)
            .map_err(|e| AppError::internal(format!("MASTER_SECRET: {e}")))?;
        let admin = text("ADMIN_SECRET")?;
        if admin.len() < 32 {
            return Err(AppError::internal(
                "ADMIN_SECRET: use at least 32 random characters",
            ));
        }
        Ok(Secrets {
            session: master.session_key(),
            master,
            admin,
        })
    }

    /// Checks a presented admin secret in constant time.
    pub fn is_admin(&self, presented: &str) -> bool {
        crate::domain::apikey::constant_time_eq(presented.as_bytes(), self.admin.as_bytes())
    }
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

/// The context of one request or job.
pub struct App {
    pub db: Db,
    pub kv: KvStore,
    pub secrets: Secrets,
    /// Unix milliseconds, read once.
    pub now_ms: i64,
    pub request_id: String,
    /// A test deployment (JOB_CLOCK=scheduled, set only by scripts/test): jobs run on the
    /// scheduled time's clock, and the operator's rollup call may name its own `now`.
    pub moved_clock: bool,
    /// The caller's address as the platform reports it (`http::client_ip`), for per-address
    /// limits; `None` for jobs, loopback and requests without one.
    pub client_ip: Option<String>,
    /// Who may sign up in the console (`SIGNUP`: open, invite or closed, the default).
    pub signup: crate::domain::account::SignUpMode,
    /// Uploaded images (R2 binding `FILES`); `None` when the deployment has not bound it.
    pub files: Option<worker::Bucket>,
    /// The operator's email sender (binding `EMAIL` and the address `EMAIL_FROM`), if set up.
    pub mail: Option<Mailer>,
    /// The operator's VAPID key for Web Push (`VAPID_KEY`, a JWK), if set up.
    pub vapid_key: Option<String>,
    /// The contact in VAPID tokens (`VAPID_SUBJECT`, else `mailto:` the sending address).
    pub vapid_subject: Option<String>,
    /// Push endpoints on this machine are allowed (`PUSH_LOOPBACK=allow`: local and tests only).
    pub push_loopback: bool,
    /// Merchants whose messages this request queued: delivered after the response.
    woken: std::cell::RefCell<Vec<String>>,
}

/// The email binding and the address mail is sent from.
pub struct Mailer {
    pub binding: worker::SendEmail,
    pub from: String,
}

impl App {
    /// Binds D1 and KV, reads the secrets and the clock.
    pub fn new(env: &Env) -> Result<App, AppError> {
        let now_ms = worker::Date::now().as_millis() as i64;
        Ok(App {
            db: bind_shards(env)?,
            kv: env.kv("CACHE")?,
            secrets: Secrets::read(env)?,
            now_ms,
            request_id: crate::domain::ids::to_hex(&random::<8>()?),
            moved_clock: env
                .var("JOB_CLOCK")
                .is_ok_and(|v| v.to_string() == "scheduled"),
            client_ip: None,
            signup: crate::domain::account::SignUpMode::parse(
                env.var("SIGNUP").ok().map(|v| v.to_string()).as_deref(),
            ),
            files: env.bucket("FILES").ok(),
            mail: mailer(env),
            vapid_key: text_var(env, "VAPID_KEY"),
            vapid_subject: text_var(env, "VAPID_SUBJECT"),
            push_loopback: text_var(env, "PUSH_LOOPBACK").as_deref() == Some("allow"),
            woken: std::cell::RefCell::new(Vec::new()),
        })
    }

    /// Asks for `merchant`'s due messages to be delivered once the response is out.
    pub fn wake(&self, merchant: &str) {
        let mut woken = self.woken.borrow_mut();
        if !woken.iter().any(|m| m == merchant) {
            woken.push(merchant.to_string());
        }
    }

    /// The merchants to deliver for after the response.
    pub fn woken(&self) -> Vec<String> {
        self.woken.borrow().clone()
    }

    /// Returns the current Unix second.
    pub fn now_secs(&self) -> i64 {
        self.now_ms.div_euclid(1000)
    }
}

/// Binds the D1 databases `D1_SHARDS` names (`domain::shard`), or just `DB` without it.
fn bind_shards(env: &Env) -> Result<Db, AppError> {
    let map = match env.var("D1_SHARDS") {
        Ok(text) => ShardMap::parse(&text.to_string())
            .map_err(|e| AppError::internal(format!("D1_SHARDS: {e}")))?,
        Err(_) => ShardMap::single("DB"),
    };
    let shards = map
        .names()
        .iter()
        .map(|name| {
            env.d1(name).map_err(|_| {
                AppError::internal(format!("D1_SHARDS names {name}, which is not bound"))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let traced = env.var("D1_TRACE").is_ok_and(|v| v.to_string() == "1");
    Ok(Db::new(shards, map, traced))
}

/// Returns `N` bytes from the platform's cryptographic random source.
/// A var or secret's text, if set and not empty.
fn text_var(env: &Env, name: &str) -> Option<String> {
    env.secret(name)
        .or_else(|_| env.var(name))
        .ok()
        .map(|v| v.to_string())
        .filter(|v| !v.trim().is_empty())
}

/// The email sender, when the deployment binds `EMAIL` and names a valid `EMAIL_FROM`.
fn mailer(env: &Env) -> Option<Mailer> {
    let from = text_var(env, "EMAIL_FROM")?;
    crate::domain::email::check_address(&from).ok()?;
    let binding = env.send_email("EMAIL").ok()?;
    Some(Mailer { binding, from })
}

pub fn random<const N: usize>() -> Result<[u8; N], AppError> {
    let mut buf = [0u8; N];
    getrandom::getrandom(&mut buf)
        .map_err(|e| AppError::internal(format!("random source failed: {e}")))?;
    Ok(buf)
}
