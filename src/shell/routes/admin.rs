//! The operator's API, behind the admin secret: create merchants, audit ledgers, list job runs.

use serde_json::json;
use worker::{Request, Response};

use crate::domain::apikey;
use crate::domain::ids::MerchantId;
use crate::domain::program::{MerchantDraft, NewMerchant};
use crate::shell::app::{random, App};
use crate::shell::auth;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::rollups;
use crate::shell::store::{jobs, merchants, metrics};

/// Creates a merchant with its program, locations, scan key and owner API key (shown once).
pub async fn create_merchant(mut req: Request, app: &App) -> Result<Response, AppError> {
    auth::admin(app, &req)?;
    let draft: MerchantDraft = http::json_body(&mut req).await?;
    let new = NewMerchant::try_from(draft)?;
    let (id, key) = open_merchant(app, &new).await?;
    let origin = http::origin(&req)?;
    let locations: Vec<_> = new
        .locations
        .iter()
        .zip(1u8..=255)
        .map(|(name, n)| json!({ "number": n, "name": name }))
        .collect();
    http::json(
        201,
        &json!({
            "merchant_id": id.to_string(),
            "api_key": key.full,
            "locations": locations,
            "card_url": format!("{origin}/c/{id}"),
            "shard": app.db.shard_name(),
        }),
    )
}

/// Makes a merchant with its program, locations, scan key and owner API key, on the shard its
/// id places it (the request stays there): the operator's API and the console's sign-up share it.
pub(super) async fn open_merchant(
    app: &App,
    new: &NewMerchant,
) -> Result<(MerchantId, apikey::NewKey), AppError> {
    let id = MerchantId::new(u32::from_be_bytes(random()?));
    let key = apikey::generate(id, random()?, random()?);
    app.db.place(id);
    merchants::create(&app.db, id, new, &key, app.now_ms).await?;
    Ok((id, key))
}

/// What the operator's call to add a person sends.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct NewPersonBody {
    email: String,
    name: String,
    role: String,
    #[serde(default)]
    language: Option<String>,
    password: String,
}

/// Gives a merchant made through this API its first people (an owner to sign in to the
/// console): a new person with `role` and a password they can change. `409 email_taken` when
/// the email has an account.
pub async fn add_person(mut req: Request, app: &App, merchant: &str) -> Result<Response, AppError> {
    use crate::domain::account::{self, Role};
    use crate::domain::language::Language;
    use crate::shell::store::people;
    auth::admin(app, &req)?;
    let merchant = MerchantId::parse(merchant).ok_or(AppError::MerchantNotFound)?;
    let body: NewPersonBody = http::json_body(&mut req).await?;
    let invalid = |e: account::FieldError| AppError::InvalidField {
        field: e.field.into(),
        message: crate::view::console::problem_text(Language::En, e.problem).into(),
    };
    let email = account::email("email", &body.email).map_err(invalid)?;
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AppError::InvalidField {
            field: "name".into(),
            message: "must be 1 to 60 characters".into(),
        });
    }
    let role = Role::parse(&body.role).ok_or_else(|| AppError::InvalidField {
        field: "role".into(),
        message: "must be owner, manager or staff".into(),
    })?;
    let language = body
        .language
        .as_deref()
        .map_or(Some(Language::En), Language::parse)
        .ok_or_else(|| AppError::InvalidField {
            field: "language".into(),
            message: "must be en or pl".into(),
        })?;
    account::new_password("password", &body.password, &email).map_err(invalid)?;
    app.db.place(merchant);
    if merchants::config(&app.db, merchant).await?.is_some() {
        people::directory(&app.db);
        let hash = super::console::new_hash(&body.password).await?;
        let person = crate::domain::ids::to_hex(&random::<8>()?);
        let new = people::NewPerson {
            person_id: &person,
            email: &email,
            name,
            language: language.as_str(),
            password_hash: &hash,
            merchant_id: &merchant.to_string(),
            role: role.as_str(),
        };
        if people::add_person(&app.db, &new, None, app.now_ms).await? {
            return http::json(
                201,
                &json!({ "person_id": person, "email": email, "role": role.as_str() }),
            );
        }
        return Err(AppError::InvalidField {
            field: "email".into(),
            message: "already has an account".into(),
        });
    }
    Err(AppError::MerchantNotFound)
}

/// Counts a merchant's rows and the members whose balance differs from their ledger.
pub async fn audit(req: Request, app: &App, merchant: &str) -> Result<Response, AppError> {
    auth::admin(app, &req)?;
    let merchant = MerchantId::parse(merchant).ok_or(AppError::MerchantNotFound)?;
    http::json(200, &merchants::audit(&app.db, merchant).await?)
}

/// Lists the latest job runs of every shard, newest first, each naming its shard.
pub async fn jobs(req: Request, app: &App) -> Result<Response, AppError> {
    auth::admin(app, &req)?;
    let mut runs = Vec::new();
    for i in 0..app.db.shard_count() {
        app.db.use_shard(i);
        for mut run in jobs::recent(&app.db).await? {
            run.shard = app.db.shard_name().to_owned();
            runs.push(run);
        }
    }
    runs.sort_by_key(|r| std::cmp::Reverse(r.started_at));
    runs.truncate(50);
    http::json(200, &json!({ "runs": runs }))
}

/// What the operator's rollup call may set.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RollupRequest {
    /// Statements to spend (1 to 900, default 900).
    budget: Option<usize>,
    /// Members scored per batch (1 to 5,000).
    chunk: Option<i64>,
    /// The clock to roll up to, Unix ms: test deployments only.
    now: Option<i64>,
}

/// Rolls one merchant's due days and scores its members now, as the nightly run would (after a
/// data fix, or to catch a merchant up without waiting): returns what it did and whether work is
/// left for another call.
pub async fn rollups(mut req: Request, app: &App, merchant: &str) -> Result<Response, AppError> {
    auth::admin(app, &req)?;
    let merchant = MerchantId::parse(merchant).ok_or(AppError::MerchantNotFound)?;
    // A call without a body rolls with the defaults.
    let body: RollupRequest = if req.headers().get("content-type").ok().flatten().is_some() {
        http::json_body(&mut req).await?
    } else {
        RollupRequest::default()
    };
    let invalid = |field: &str, message: &str| AppError::InvalidField {
        field: field.into(),
        message: message.into(),
    };
    let mut budget = body.budget.unwrap_or(rollups::RUN_BUDGET);
    if !(1..=rollups::RUN_BUDGET).contains(&budget) {
        return Err(invalid("budget", "must be 1 to 900"));
    }
    let chunk = body.chunk.unwrap_or(rollups::CHUNK);
    if !(1..=rollups::CHUNK).contains(&chunk) {
        return Err(invalid("chunk", "must be 1 to 5000"));
    }
    let now = match body.now {
        None => app.now_ms,
        Some(_) if !app.moved_clock => {
            return Err(invalid("now", "can only be set on a test deployment"))
        }
        Some(t) if !(0..=LATEST_CLOCK_MS).contains(&t) => {
            return Err(invalid("now", "must be a Unix time in milliseconds"))
        }
        Some(t) => t,
    };
    let clock = metrics::clocks(&app.db, Some(&merchant.to_string()))
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::MerchantNotFound)?;
    let p = rollups::run_merchant(&app.db, &clock, now, &mut budget, chunk).await?;
    let lapses = crate::shell::jobs::queue_lapses_of(app, merchant, now).await?;
    let state = metrics::clocks(&app.db, Some(&merchant.to_string()))
        .await?
        .into_iter()
        .next();
    let date = |d: Option<i64>| d.map(|d| crate::domain::metrics::date(d).to_string());
    http::json(
        200,
        &json!({
            "rolled_days": p.days,
            "scored_members": p.scored,
            "done": p.behind == 0,
            "rolled_through": date(state.as_ref().and_then(|s| s.next_day).map(|d| d - 1)),
            "scored_on": date(state.as_ref().and_then(|s| s.scored_day)),
            "sequence_lapses_queued": lapses,
        }),
    )
}

/// The latest clock the rollup call accepts (year 2200).
pub(crate) const LATEST_CLOCK_MS: i64 = 7_258_118_400_000;
