//! Password reset links: an owner or a manager makes one on the console's people page (24 h),
//! the operator through the admin API (1 h); `/reset/{secret}` sets a new password once, ends
//! every session of that person and signs them in. Only the secret's hash is stored
//! (`store::resets`); using a link is one directory batch, so concurrent uses set it once.

use serde_json::json;
use worker::{Request, Response};

use super::console::{
    new_hash, new_session, signed_in_response, signed_out_language, user_agent, Person,
};
use crate::domain::account::{self, Role};
use crate::domain::ids::to_hex;
use crate::domain::language::Language;
use crate::domain::reset::{self, MadeBy};
use crate::shell::app::{random, App};
use crate::shell::auth;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::people;
use crate::shell::store::resets::{self, NewReset, Used};
use crate::view::console as console_view;
use crate::view::reset as view;

/// A fresh link secret (the URL's) and its hash (the row's id).
fn new_secret() -> Result<(String, String), AppError> {
    let value = account::session_value(&random::<32>()?);
    let id = account::session_id(&value)
        .ok_or_else(|| AppError::internal("a new reset link does not read back"))?;
    Ok((value, id))
}

fn gone(l: Language) -> Result<Response, AppError> {
    http::html(410, console_view::error(l, 410, view::gone_message(l)))
}

/// The page's language: `?lang=`, else the form's, else the person's own.
fn language(req: &Request, form: Option<&[(String, String)]>, saved: &str) -> Language {
    let asked = http::query(req, "lang")
        .or_else(|| form.and_then(|f| http::form_field(f, "language")))
        .and_then(|v| Language::parse(&v));
    asked
        .or_else(|| Language::parse(saved))
        .unwrap_or_else(|| signed_out_language(req, None))
}

/// `GET /reset/{secret}`: whose password the link sets, and the form.
pub async fn page(req: Request, app: &App, value: &str) -> Result<Response, AppError> {
    let open = match account::session_id(value) {
        Some(id) => {
            people::directory(&app.db);
            resets::open(&app.db, &id, app.now_ms).await?
        }
        None => None,
    };
    match open {
        Some(r) => {
            let l = language(&req, None, &r.language);
            http::html(200, view::reset_page(l, &r.email, &[]))
        }
        None => gone(signed_out_language(&req, None)),
    }
}

/// `POST /reset/{secret}`: sets the new password once, ends every session of the person and
/// signs them in on this device.
pub async fn set(mut req: Request, app: &App, value: &str) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let fields = http::form_body(&mut req).await?;
    let Some(id) = account::session_id(value) else {
        return gone(signed_out_language(&req, Some(&fields)));
    };
    people::directory(&app.db);
    let Some(r) = resets::open(&app.db, &id, app.now_ms).await? else {
        return gone(signed_out_language(&req, Some(&fields)));
    };
    let l = language(&req, Some(&fields), &r.language);
    let typed = http::form_field(&fields, "password").unwrap_or_default();
    let password = match reset::new_password(&typed, &r.email) {
        Ok(p) => p,
        Err(e) => return http::html(422, view::reset_page(l, &r.email, &[e])),
    };
    let hash = new_hash(&password).await?;
    let (cookie, session_id) = new_session()?;
    let token = to_hex(&random::<16>()?);
    let device = account::device_label(&user_agent(&req));
    people::directory(&app.db);
    match resets::spend(
        &app.db,
        &id,
        &token,
        &hash,
        &session_id,
        &device,
        app.now_ms,
    )
    .await?
    {
        Used::Gone => gone(l),
        Used::Done { signed_in: true } => {
            signed_in_response(&req, app, "/console", &cookie, &r.person_id)
        }
        // The password is set, but they hold no role anywhere: nothing to open.
        Used::Done { signed_in: false } => http::see_other("/signin"),
    }
}

/// What the people page's reset button made.
pub(super) enum Made {
    /// The link, shown once, and whose password it sets.
    Link {
        name: String,
        link: String,
        email: String,
        language: Language,
    },
    /// The person's role is not one the maker may touch (or it is the maker themselves).
    Forbidden,
    /// The person also works at another merchant: only the operator resets them.
    Elsewhere,
}

/// Makes a 24-hour reset link for `target` at `by`'s café, voiding their older ones.
pub(super) async fn console_link(
    req: &Request,
    app: &App,
    by: &Person,
    target: &str,
) -> Result<Made, AppError> {
    let merchant = by.merchant.to_string();
    people::directory(&app.db);
    let current = people::role_of(&app.db, &merchant, target)
        .await?
        .and_then(|r| Role::parse(&r));
    let allowed = target != by.person_id && current.is_some_and(|c| reset::may_reset(by.role, c));
    if !allowed {
        return Ok(Made::Forbidden);
    }
    let (value, id) = new_secret()?;
    let made = resets::make(
        &app.db,
        &NewReset {
            id: &id,
            person_id: target,
            made_by: &by.person_id,
            expires_at: MadeBy::Console.expires_at(app.now_ms),
            merchant: Some(&merchant),
        },
        app.now_ms,
    )
    .await?;
    if !made {
        return Ok(Made::Elsewhere);
    }
    let (name, language, email) = resets::person_name(&app.db, target)
        .await?
        .unwrap_or_default();
    let link = format!("{}/reset/{value}", http::origin(req)?);
    Ok(Made::Link {
        name,
        link,
        email,
        language: Language::parse(&language).unwrap_or(by.language),
    })
}

/// What the operator's reset call sends.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ResetBody {
    email: String,
}

/// `POST /admin/v1/password-resets`: a one-hour reset link for the person with `email`
/// (voiding their older ones), and the message that carries it in their language.
pub async fn operator_link(mut req: Request, app: &App) -> Result<Response, AppError> {
    auth::admin(app, &req)?;
    let body: ResetBody = http::json_body(&mut req).await?;
    let email = account::email("email", &body.email).map_err(|e| AppError::InvalidField {
        field: e.field.into(),
        message: console_view::problem_text(Language::En, e.problem).into(),
    })?;
    people::directory(&app.db);
    let no_account = || AppError::InvalidField {
        field: "email".into(),
        message: "has no account".into(),
    };
    let person = resets::person_by_email(&app.db, &email)
        .await?
        .ok_or_else(no_account)?;
    let (value, id) = new_secret()?;
    let expires_at = MadeBy::Operator.expires_at(app.now_ms);
    let new = NewReset {
        id: &id,
        person_id: &person.id,
        made_by: "operator",
        expires_at,
        merchant: None,
    };
    if !resets::make(&app.db, &new, app.now_ms).await? {
        return Err(no_account());
    }
    let link = format!("{}/reset/{value}", http::origin(&req)?);
    let l = Language::parse(&person.language).unwrap_or(Language::En);
    let message = reset::message(l, &person.name, &link, MadeBy::Operator);
    http::json(
        201,
        &json!({
            "person_id": person.id,
            "reset_url": link,
            "expires_at": expires_at,
            "message": { "language": l.as_str(), "subject": message.subject, "text": message.text },
        }),
    )
}
