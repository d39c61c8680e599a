//! The owner's console: sign-up, sign-in and sign-out with an email and a password, the module
//! pages inside the console frame, and the account page. People, roles and sessions live in the
//! directory (`store::people`, the first database); a merchant's own data on its shard.
//!
//! Every state-changing console form is same-origin (Origin / Sec-Fetch-Site) and carries the
//! session's CSRF token; a refused form answers 403 and writes nothing. Errors become console
//! pages in the person's language, never problem JSON.

use worker::{Request, Response};

use crate::domain::account::{
    self, csrf_matches, device_label, is_known_device, known_device_cookie, ConsoleRoute,
    FieldError, Problem, Role, SignUpForm, SignUpMode, KNOWN_DEVICE_COOKIE, KNOWN_DEVICE_SECS,
    MODULES, SESSION_COOKIE, SESSION_MAX_MS, SIGN_IN_FAILURES, SIGN_IN_WINDOW_MS,
    SIGN_UPS_PER_HOUR,
};
use crate::domain::ids::{to_hex, MerchantId};
use crate::domain::language::{self, Language};
use crate::domain::password::{self, StoredHash};
use crate::domain::program::{CurrencyDraft, MerchantConfig, MerchantDraft, NewMerchant};
use crate::domain::setup::Progress;
use crate::domain::till;
use crate::shell::app::{random, App};
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::kdf;
use crate::shell::store::{people, signup_codes, tills};
use crate::view::console::{self as view, DeviceLine, Frame};

/// The language of a signed-out page: `?lang=`, else the form's, else the browser's.
pub(super) fn signed_out_language(req: &Request, form: Option<&[(String, String)]>) -> Language {
    http::query(req, "lang")
        .or_else(|| form.and_then(|f| http::form_field(f, "language")))
        .and_then(|v| Language::parse(&v))
        .unwrap_or_else(|| language::choose(None, http::accept_language(req).as_deref()))
}

fn window_of(now: i64, len: i64) -> i64 {
    now - now.rem_euclid(len)
}

/// `GET /signup`.
pub async fn sign_up_page(req: Request, app: &App) -> Result<Response, AppError> {
    let l = signed_out_language(&req, None);
    http::html(
        200,
        view::sign_up(l, app.signup, &SignUpForm::default(), &[], None),
    )
}

/// `POST /signup`: makes the merchant (as the operator's API does), its owner and their first
/// session, then opens the console.
pub async fn sign_up(mut req: Request, app: &App) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let fields = http::form_body(&mut req).await?;
    let l = signed_out_language(&req, Some(&fields));
    let get = |name: &str| http::form_field(&fields, name).unwrap_or_default();
    let form = SignUpForm {
        business: get("business"),
        name: get("name"),
        email: get("email"),
        password: get("password"),
        country: get("country"),
        language: get("language"),
        code: get("code"),
        website: get("website"),
    };
    let again = |status: u16, errors: &[FieldError], alert: Option<&str>| {
        http::html(status, view::sign_up(l, app.signup, &form, errors, alert))
    };
    if app.signup == SignUpMode::Closed {
        return again(403, &[], None);
    }
    if !form.website.is_empty() {
        // Only a bot fills in the hidden field.
        return again(
            422,
            &[],
            Some(l.pick(
                "We could not create this account.",
                "Nie udało się założyć tego konta.",
            )),
        );
    }
    // By invitation, the operator's code is checked with the other fields: every error at once.
    let code = match app.signup {
        SignUpMode::Invite => Some(super::signup_codes::check(app, &form.code).await?),
        _ => None,
    };
    let code_error = code
        .as_ref()
        .and_then(|c| c.as_ref().err())
        .map(|&problem| FieldError {
            field: "code",
            problem,
        });
    let signup = match form.parse() {
        Ok(s) if code_error.is_none() => s,
        Ok(_) => return again(422, &Vec::from_iter(code_error), None),
        Err(mut errors) => {
            errors.extend(code_error);
            return again(422, &errors, None);
        }
    };
    let code = code.and_then(Result::ok);
    people::directory(&app.db);
    if let Some(ip) = &app.client_ip {
        let bucket = format!("signup-ip:{ip}");
        let window = window_of(app.now_ms, 3_600_000);
        let hits = people::hits(&app.db, &[&bucket], window).await?;
        if hits.first().copied().unwrap_or(0) >= SIGN_UPS_PER_HOUR {
            return again(
                429,
                &[],
                Some(l.pick(
                    "Too many accounts were created from here in the last hour. Try again later.",
                    "Z tego miejsca założono w ostatniej godzinie zbyt wiele kont. Spróbuj później.",
                )),
            );
        }
    }
    let taken = [FieldError {
        field: "email",
        problem: Problem::EmailTaken,
    }];
    if people::email_taken(&app.db, &signup.email).await? {
        return again(409, &taken, None);
    }
    let hash = new_hash(&signup.password).await?;
    let draft = MerchantDraft {
        name: signup.business.clone(),
        branding: None,
        currency: CurrencyDraft {
            code: signup.country.currency.into(),
            minor_units: signup.country.minor_units,
        },
        time_zone: signup.country.time_zone.into(),
        program: None,
        locations: vec![signup.business.clone()],
    };
    let new = NewMerchant::try_from(draft)?;
    let (merchant, _owner_key) = super::admin::open_merchant(app, &new).await?;
    let person = to_hex(&random::<8>()?);
    let (cookie, session_id) = new_session()?;
    let device = device_label(&user_agent(&req));
    people::directory(&app.db);
    let merchant_id = merchant.to_string();
    let owner = people::NewPerson {
        person_id: &person,
        email: &signup.email,
        name: &signup.name,
        language: signup.language.as_str(),
        password_hash: &hash,
        merchant_id: &merchant_id,
        role: Role::Owner.as_str(),
    };
    let session = people::NewSession {
        id: &session_id,
        person_id: &person,
        merchant_id: &merchant_id,
        device: &device,
    };
    let created = match &code {
        Some(code) => signup_codes::add_owner(&app.db, code, &owner, &session, app.now_ms).await?,
        None => people::add_person(&app.db, &owner, Some(&session), app.now_ms).await?,
    };
    if !created {
        if let Some(code) = &code {
            // A concurrent sign-up took the code: say so beside it.
            if let Some(problem) = super::signup_codes::spent_meanwhile(app, code).await? {
                let e = FieldError {
                    field: "code",
                    problem,
                };
                return again(422, &[e], None);
            }
        }
        // Another sign-up took the email between the check and now; the merchant made for
        // this one has no owner and is never shown.
        return again(409, &taken, None);
    }
    if let Some(ip) = &app.client_ip {
        let bucket = format!("signup-ip:{ip}");
        people::hit(&app.db, &[&bucket], window_of(app.now_ms, 3_600_000)).await?;
    }
    // A new merchant starts at the guided set-up's first step.
    signed_in_response(&req, app, SET_UP_START, &cookie, &person)
}

/// Where a sign-up lands: the first step of the guided set-up.
const SET_UP_START: &str = "/console/setup/business";

/// Hashes a new password: a fresh salt, PBKDF2 in Web Crypto.
pub(super) async fn new_hash(password: &str) -> Result<String, AppError> {
    let salt = random::<{ password::SALT_BYTES }>()?;
    let hash = kdf::pbkdf2(password.as_bytes(), &salt, password::ITERATIONS).await?;
    Ok(StoredHash {
        iterations: password::ITERATIONS,
        salt: salt.to_vec(),
        hash,
    }
    .format())
}

/// Checks `password` against `stored` (a malformed hash matches nothing, after the same work).
async fn verify(password: &str, stored: &str) -> Result<bool, AppError> {
    let (hash, usable) = match StoredHash::parse(stored) {
        Some(h) => (h, true),
        None => (
            StoredHash::parse(password::DECOY)
                .ok_or_else(|| AppError::internal("the decoy hash does not parse"))?,
            false,
        ),
    };
    let derived = kdf::pbkdf2(password.as_bytes(), &hash.salt, hash.iterations).await?;
    Ok(hash.matches(&derived) && usable)
}

pub(super) fn new_session() -> Result<(String, String), AppError> {
    let cookie = account::session_value(&random::<32>()?);
    let id = account::session_id(&cookie)
        .ok_or_else(|| AppError::internal("a new session cookie does not read back"))?;
    Ok((cookie, id))
}

pub(super) fn user_agent(req: &Request) -> String {
    req.headers()
        .get("user-agent")
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// A 303 to `to` that sets the session cookie and marks this device as known to `person`.
pub(super) fn signed_in_response(
    req: &Request,
    app: &App,
    to: &str,
    cookie: &str,
    person: &str,
) -> Result<Response, AppError> {
    let resp = http::see_other(to)?;
    let secure = !http::is_local_http(req);
    http::set_cookie(&resp, SESSION_COOKIE, cookie, SESSION_MAX_MS / 1000, secure)?;
    let known = known_device_cookie(&app.secrets.session, person);
    http::set_cookie(
        &resp,
        KNOWN_DEVICE_COOKIE,
        &known,
        KNOWN_DEVICE_SECS,
        secure,
    )?;
    Ok(resp)
}

/// `GET /signin`.
pub async fn sign_in_page(req: Request, app: &App) -> Result<Response, AppError> {
    if signed_in(app, &req).await?.is_some() {
        return http::see_other("/console");
    }
    let l = signed_out_language(&req, None);
    sign_in_form(app, l, 200, "", None, &[])
}

/// The sign-in page with the passkey button (its script allowed by the page's CSP).
fn sign_in_form(
    app: &App,
    l: Language,
    status: u16,
    email: &str,
    alert: Option<&str>,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let challenge = super::passkeys::sign_in_challenge(app)?;
    let page = view::sign_in(l, email, alert, errors, &challenge);
    http::html_with_script(status, page, super::passkeys::script())
}

/// The sign-in page again with `alert` (a passkey that was not accepted).
pub(super) fn sign_in_again(
    app: &App,
    l: Language,
    status: u16,
    alert: &str,
) -> Result<Response, AppError> {
    sign_in_form(app, l, status, "", Some(alert), &[])
}

/// `POST /signin`: an unknown email and a wrong password get the same answer after the same
/// work. Failures are counted per account and per address; past either limit the sign-in is
/// refused for the rest of the window, except on a device that signed in to that account
/// before (so guessing from elsewhere never locks the owner out of their own phone).
pub async fn sign_in(mut req: Request, app: &App) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let fields = http::form_body(&mut req).await?;
    let l = signed_out_language(&req, Some(&fields));
    let typed = http::form_field(&fields, "email").unwrap_or_default();
    let presented = http::form_field(&fields, "password").unwrap_or_default();
    let refused = |status: u16, alert: &str, errors: &[FieldError]| {
        sign_in_form(app, l, status, typed.trim(), Some(alert), errors)
    };
    let email = match account::email("email", &typed) {
        Ok(e) => e,
        Err(e) => return refused(422, l.pick("Check the email.", "Sprawdź e-mail."), &[e]),
    };
    if presented.is_empty() || presented.chars().count() > password::MAX_CHARS {
        let e = FieldError {
            field: "password",
            problem: Problem::Missing,
        };
        return refused(422, l.pick("Type your password.", "Wpisz hasło."), &[e]);
    }
    people::directory(&app.db);
    let window = window_of(app.now_ms, SIGN_IN_WINDOW_MS);
    let account_bucket = format!("signin-fail:{email}");
    let ip_bucket = app
        .client_ip
        .as_ref()
        .map(|ip| format!("signin-fail-ip:{ip}"));
    let mut buckets = vec![account_bucket.as_str()];
    buckets.extend(ip_bucket.as_deref());
    let failures = people::hits(&app.db, &buckets, window).await?;
    let person = people::by_email(&app.db, &email).await?;
    let known = person.as_ref().is_some_and(|p| {
        http::cookie(&req, KNOWN_DEVICE_COOKIE)
            .is_some_and(|v| is_known_device(&app.secrets.session, &v, &p.id))
    });
    if !known && failures.iter().any(|&n| n >= SIGN_IN_FAILURES) {
        let resp = refused(
            429,
            l.pick(
                "Too many failed sign-ins. Wait 15 minutes, or sign in from a device you used before.",
                "Zbyt wiele nieudanych logowań. Odczekaj 15 minut albo zaloguj się z urządzenia, którego już używałeś.",
            ),
            &[],
        )?;
        let retry = (window + SIGN_IN_WINDOW_MS - app.now_ms + 999) / 1000;
        resp.headers().set("retry-after", &retry.to_string())?;
        return Ok(resp);
    }
    let stored = person
        .as_ref()
        .map_or(password::DECOY, |p| p.password.as_str());
    let matches = verify(&presented, stored).await? && person.is_some();
    let Some(p) = person.filter(|_| matches) else {
        people::hit(&app.db, &buckets, window).await?;
        return refused(
            401,
            l.pick(
                "That email and password do not match an account.",
                "Ten e-mail i hasło nie pasują do żadnego konta.",
            ),
            &[],
        );
    };
    let Some(merchant) = p.merchant_id.as_deref() else {
        return refused(
            403,
            l.pick(
                "Your account no longer has access to any business.",
                "Twoje konto nie ma już dostępu do żadnej firmy.",
            ),
            &[],
        );
    };
    new_session_for(&req, app, &p.id, merchant).await
}

/// Starts a console session of `person` at `merchant` (the request is in the directory) and
/// opens the console.
pub(super) async fn new_session_for(
    req: &Request,
    app: &App,
    person: &str,
    merchant: &str,
) -> Result<Response, AppError> {
    let (cookie, session_id) = new_session()?;
    let device = device_label(&user_agent(req));
    let session = people::NewSession {
        id: &session_id,
        person_id: person,
        merchant_id: merchant,
        device: &device,
    };
    if !people::start_session(&app.db, &session, app.now_ms).await? {
        return Err(AppError::internal(
            "a session for a held role did not start",
        ));
    }
    signed_in_response(req, app, "/console", &cookie, person)
}

/// A signed-in person, as every console route sees them.
pub(super) struct Person {
    /// The session cookie's value (the CSRF token derives from it).
    pub cookie: String,
    pub session_id: String,
    pub person_id: String,
    pub name: String,
    pub email: String,
    pub language: Language,
    pub merchant: MerchantId,
    pub role: Role,
}

/// The person behind the request's session cookie, if the session is valid (in the directory).
pub async fn signed_in(app: &App, req: &Request) -> Result<Option<Person>, AppError> {
    let Some(cookie) = http::cookie(req, SESSION_COOKIE) else {
        return Ok(None);
    };
    let Some(session_id) = account::session_id(&cookie) else {
        return Ok(None);
    };
    people::directory(&app.db);
    let Some(s) = people::session(&app.db, &session_id, app.now_ms).await? else {
        return Ok(None);
    };
    let merchant = MerchantId::parse(&s.merchant_id)
        .ok_or_else(|| AppError::internal("a session row has a bad merchant id"))?;
    let role =
        Role::parse(&s.role).ok_or_else(|| AppError::internal("a session row has a bad role"))?;
    Ok(Some(Person {
        cookie,
        session_id,
        person_id: s.person_id,
        name: s.name,
        email: s.email,
        language: Language::parse(&s.language).unwrap_or(Language::En),
        merchant,
        role,
    }))
}

/// Serves a signed-in console route (`segments` after `console`), or sends a signed-out
/// browser to the sign-in page. Errors become console pages.
pub async fn serve(req: Request, app: &App, segments: &[&str]) -> Result<Response, AppError> {
    let method = req.method().to_string();
    let Some(route) = find_route(&method, segments) else {
        let l = language::choose(None, http::accept_language(&req).as_deref());
        return http::html(
            404,
            view::error(
                l,
                404,
                l.pick(
                    "There is no such page in the console.",
                    "W konsoli nie ma takiej strony.",
                ),
            ),
        );
    };
    let Some(person) = signed_in(app, &req).await? else {
        if route.changes {
            let l = language::choose(None, http::accept_language(&req).as_deref());
            return http::html(403, view::error(l, 403, view::csrf_message(l)));
        }
        return http::see_other("/signin");
    };
    let l = person.language;
    let result = match route.changes {
        true => changing(req, app, &person, route, segments).await,
        false => showing(req, app, &person, route, segments).await,
    };
    result.or_else(|e| match e {
        AppError::CrossSiteForm => http::html(403, view::error(l, 403, view::csrf_message(l))),
        other => Err(other),
    })
}

/// The console route `method` and `segments` name, if any.
fn find_route(method: &str, segments: &[&str]) -> Option<ConsoleRoute> {
    account::console_routes().into_iter().find(|r| {
        let want: Vec<&str> = r.path.trim_start_matches('/').split('/').collect();
        r.method == method
            && want.len() == segments.len()
            && want
                .iter()
                .zip(segments)
                .all(|(w, s)| *w == "{id}" && !s.is_empty() || w == s)
    })
}

/// What a console page of this request shows besides its own content: the merchant (read once
/// per request, from KV or its shard) and the session's CSRF token.
pub(super) struct Desk {
    pub(super) config: MerchantConfig,
    csrf: String,
}

impl Desk {
    /// Reads `person`'s merchant; the request is left on the merchant's shard.
    pub(super) async fn open(app: &App, person: &Person) -> Result<Desk, AppError> {
        app.db.place(person.merchant);
        let config = cache::merchant(app, person.merchant)
            .await?
            .ok_or(AppError::MerchantNotFound)?;
        Ok(Desk {
            config,
            csrf: account::csrf_token(&app.secrets.session, &person.cookie),
        })
    }

    /// The frame of `person`'s pages.
    pub(super) fn frame<'a>(&'a self, person: &'a Person) -> Frame<'a> {
        Frame {
            business: &self.config.name,
            person: &person.name,
            role: person.role,
            csrf: &self.csrf,
        }
    }
}

async fn showing(
    req: Request,
    app: &App,
    person: &Person,
    route: ConsoleRoute,
    segments: &[&str],
) -> Result<Response, AppError> {
    let l = person.language;
    if person.role == Role::Staff && segments == ["console"] {
        // Staff have the till and their account, nothing else: their home is the account.
        return http::see_other("/console/account");
    }
    let desk = Desk::open(app, person).await?;
    let f = desk.frame(person);
    if !route.roles.contains(&person.role) {
        let what = MODULES
            .iter()
            .find(|m| m.path == route.path)
            .map_or(route.path, |m| m.name(l));
        return http::html(403, view::forbidden(l, &f, what));
    }
    match segments {
        ["console"] => {
            let (counts, newest) =
                people::home_counts(&app.db, &person.merchant.to_string()).await?;
            let progress = Progress::parse(counts.setup.as_deref().unwrap_or_default());
            let has_logo = desk.config.branding.logo_url.is_some();
            people::directory(&app.db);
            let team = people::team(&app.db, &person.merchant.to_string()).await?;
            let mut steps = view::set_up_steps(l, &progress, has_logo, counts.rewards > 0);
            view::tick(&mut steps, "/console/tills", team.till == 1);
            view::tick(&mut steps, "/console/people", team.team == 1);
            view::tick(&mut steps, "/console/messages", counts.messaging == 1);
            let card = format!("{}/c/{}", http::origin(&req)?, person.merchant);
            let tz = desk.config.tz();
            let newest: Vec<(String, String)> = newest
                .into_iter()
                .map(|m| (m.name, when(&tz, m.created_at)))
                .collect();
            let members = view::Members {
                count: counts.members,
                newest: &newest,
            };
            http::html(200, view::home(l, &f, &steps, &members, &card))
        }
        ["console", "account"] => account_page(app, person, &desk, &[], None).await,
        ["console", "setup", _] | ["console", "poster"] => {
            super::setup::show(&req, app, person, &desk, segments).await
        }
        ["console", "people"] => {
            people_page(app, person, &desk, &view::InviteForm::default(), 200).await
        }
        ["console", "tills"] => {
            let after = super::tills::After::default();
            super::tills::page(app, person, &desk, &after, 200).await
        }
        ["console", "activity"] => super::tills::activity(app, person, &desk).await,
        ["console", "messages"] => super::messaging::page(app, person, &desk, None, None).await,
        ["console", "messages", "templates"] => {
            super::messaging::templates_page(&req, app, person, &desk, None, None, None).await
        }
        ["console", "messages", "preview"] => {
            super::messaging::preview(&req, app, person, &desk).await
        }
        ["console", "messages", id] => {
            super::messaging::message_page(app, person, &desk, id, None).await
        }
        ["console", "rewards", ..] => {
            super::catalog::show(&req, app, person, &desk, segments).await
        }
        ["console", "card", ..] => super::brand::show(&req, app, person, &desk, segments).await,
        ["console", "earning"] => super::rules::show(app, person, &desk).await,
        ["console", "earning", "tiers"] => super::tiers::show(app, person, &desk).await,
        ["console", "earning", "items"] => super::items::show(person, &desk),
        ["console", "earning", "items.csv"] => super::items::csv(&desk),
        ["console", "earning", "promotions", ..] => {
            super::promotions::show(app, person, &desk, segments).await
        }
        ["console", "automations"] => super::automations::show(app, person, &desk).await,
        ["console", "campaigns", ..] => super::campaigns::get(app, person, &desk, segments).await,
        ["console", "locations"] => super::locations::show(app, person, &desk).await,
        ["console", "integrations"] => super::integrations::show(&req, app, person, &desk).await,
        ["console", "insights"] => super::dashboard::insights(app, person, &desk).await,
        ["console", "customers"] => {
            let erased = http::query(&req, "erased").is_some().then(|| {
                l.pick(
                    "The customer's personal data is erased; their history stays, without a name.",
                    "Usunięto dane osobowe klienta; historia zostaje, bez nazwiska.",
                )
            });
            super::dashboard::customers(&req, app, person, &desk, erased, 200).await
        }
        ["console", "customers.csv"] => super::dashboard::customers_csv(app, person, &desk).await,
        ["console", "customers", id] => {
            let corrected = http::query(&req, "corrected")
                .is_some()
                .then(|| l.pick("The correction is recorded.", "Korekta zapisana."));
            super::dashboard::customer(app, person, &desk, id, corrected).await
        }
        ["console", "customers", id, "export"] => super::dashboard::export(app, person, id).await,
        ["console", "settings"] => super::settings::show(person, &desk),
        ["console", slug] => match MODULES.iter().find(|m| m.slug() == *slug) {
            Some(m) => http::html(200, view::not_built(l, &f, m)),
            None => Err(AppError::NotFound),
        },
        _ => Err(AppError::NotFound),
    }
}

async fn account_page(
    app: &App,
    person: &Person,
    desk: &Desk,
    errors: &[FieldError],
    notice: Option<&str>,
) -> Result<Response, AppError> {
    people::directory(&app.db);
    let tz = desk.config.tz();
    let devices: Vec<DeviceLine> = people::sessions(&app.db, &person.person_id, app.now_ms)
        .await?
        .into_iter()
        .map(|s| DeviceLine {
            id: s.id.get(..16).unwrap_or_default().to_owned(),
            current: s.id == person.session_id,
            device: s.device,
            since: when(&tz, s.created_at),
            seen: when(&tz, s.seen_at),
        })
        .collect();
    let pin_since = tills::pin_set_at(&app.db, &person.person_id, &person.merchant.to_string())
        .await?
        .map(|at| when(&tz, at));
    let (passkeys, register) = super::passkeys::account_part(app, person, desk).await?;
    let status = if errors.is_empty() { 200 } else { 422 };
    let v = view::AccountView {
        devices: &devices,
        errors,
        notice,
        pin_since: pin_since.as_deref(),
        passkeys: &passkeys,
        register: Some(&register),
    };
    http::html_with_script(
        status,
        view::account(person.language, &desk.frame(person), &v),
        super::passkeys::script(),
    )
}

pub(super) fn when(tz: &chrono_tz::Tz, ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

async fn changing(
    mut req: Request,
    app: &App,
    person: &Person,
    route: ConsoleRoute,
    segments: &[&str],
) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    // The set-up's forms (one of them a multipart upload) are read by their own module.
    let (fields, file) = match segments.get(1) {
        Some(&"setup") => super::setup::read_form(&mut req, &[], "logo").await?,
        Some(&"rewards") => super::catalog::read_form(&mut req).await?,
        Some(&"card") => super::brand::read_form(&mut req).await?,
        Some(&"earning") if segments.get(2) == Some(&"items") => {
            super::setup::read_form(&mut req, &[crate::domain::items_form::FIELD], "file").await?
        }
        _ => (http::form_body(&mut req).await?, None),
    };
    let token = http::form_field(&fields, "csrf").unwrap_or_default();
    if !csrf_matches(&app.secrets.session, &person.cookie, &token) {
        return Err(AppError::CrossSiteForm);
    }
    if !route.roles.contains(&person.role) {
        return Err(AppError::Forbidden);
    }
    let now = app.now_ms;
    people::directory(&app.db);
    if segments.get(1) == Some(&"people") {
        return change_people(&req, app, person, &fields, segments).await;
    }
    if segments.get(1) == Some(&"setup") {
        return super::setup::change(app, person, &fields, file, segments).await;
    }
    if segments.get(1) == Some(&"tills") {
        return super::tills::change(&req, app, person, &fields, segments).await;
    }
    if let ["console", "customers", id, "erase"] = segments {
        return super::dashboard::erase(app, person, &fields, id).await;
    }
    if let ["console", "customers", id, "adjust"] = segments {
        return super::dashboard::adjust(app, person, &fields, id).await;
    }
    if segments.get(1) == Some(&"customers") {
        return super::dashboard::review(&req, app, person, segments).await;
    }
    if segments.get(1) == Some(&"messages") {
        return super::messaging::change(&req, app, person, &fields, segments).await;
    }
    if segments.get(1) == Some(&"rewards") {
        return super::catalog::change(app, person, &fields, file, segments).await;
    }
    if segments.get(1) == Some(&"integrations") {
        return super::integrations::change(&req, app, person, &fields, segments).await;
    }
    if segments == ["console", "locations"] {
        return super::locations::change(app, person, &fields).await;
    }
    if segments.get(1) == Some(&"campaigns") {
        return super::campaigns::change(app, person, &fields, segments).await;
    }
    if segments.get(1) == Some(&"automations") {
        return super::automations::change(app, person, &fields, segments).await;
    }
    if segments == ["console", "earning"] {
        return super::rules::change(app, person, &fields).await;
    }
    if segments == ["console", "earning", "tiers"] {
        return super::tiers::change(app, person, &fields).await;
    }
    if segments == ["console", "settings"] {
        return super::settings::change(app, person, &fields).await;
    }
    if segments == ["console", "earning", "items"] {
        return super::items::change(app, person, &fields, file).await;
    }
    if segments.get(2) == Some(&"promotions") {
        return super::promotions::change(app, person, &fields, segments).await;
    }
    if segments.get(1) == Some(&"card") {
        return super::brand::change(app, person, &fields, file, segments).await;
    }
    match segments {
        ["console", "sign-out"] => {
            people::end_session(
                &app.db,
                &person.person_id,
                person.session_id.get(..16).unwrap_or_default(),
                now,
            )
            .await?;
            let resp = http::see_other("/signin")?;
            http::set_cookie(&resp, SESSION_COOKIE, "", 0, !http::is_local_http(&req))?;
            Ok(resp)
        }
        ["console", "account", "language"] => {
            let chosen = http::form_field(&fields, "language")
                .and_then(|v| Language::parse(&v))
                .unwrap_or(person.language);
            people::set_language(&app.db, &person.person_id, chosen.as_str(), now).await?;
            let back = http::form_field(&fields, "back")
                .filter(|b| b.starts_with("/console") && !b.contains("//"))
                .unwrap_or_else(|| String::from("/console"));
            http::see_other(&back)
        }
        ["console", "account", "sessions", id, "end"] => {
            people::end_session(&app.db, &person.person_id, id, now).await?;
            if person.session_id.starts_with(id) {
                return http::see_other("/signin");
            }
            http::see_other("/console/account")
        }
        ["console", "account", "passkeys"] => {
            let errors = super::passkeys::add(&req, app, person, &fields).await?;
            let desk = Desk::open(app, person).await?;
            let notice = errors.is_empty().then(|| {
                person.language.pick(
                    "Passkey added. Next time, choose “Sign in with a passkey”.",
                    "Dodano klucz dostępu. Następnym razem wybierz „Zaloguj się kluczem dostępu”.",
                )
            });
            account_page(app, person, &desk, &errors, notice).await
        }
        ["console", "account", "passkeys", id, "remove"] => {
            super::passkeys::remove(app, person, id).await?;
            let desk = Desk::open(app, person).await?;
            let notice = person
                .language
                .pick("Passkey removed.", "Usunięto klucz dostępu.");
            account_page(app, person, &desk, &[], Some(notice)).await
        }
        ["console", "account", "pin"] => {
            let l = person.language;
            let merchant = person.merchant.to_string();
            let checked = till::check_new_pin(
                &http::form_field(&fields, "pin").unwrap_or_default(),
                &http::form_field(&fields, "pin_again").unwrap_or_default(),
            );
            let errors = match checked {
                Ok(pin) => {
                    let hash =
                        till::pin_hash(&app.secrets.session, &merchant, &person.person_id, &pin);
                    if !tills::set_pin(&app.db, &person.person_id, &merchant, &hash, now).await? {
                        return Err(AppError::Forbidden);
                    }
                    Vec::new()
                }
                Err(p) => vec![FieldError {
                    field: "pin",
                    problem: Problem::Pin(p),
                }],
            };
            let desk = Desk::open(app, person).await?;
            let notice = errors.is_empty().then(|| {
                l.pick(
                    "PIN saved. Tap your name at a paired till and type it.",
                    "PIN zapisany. Dotknij swojego imienia w połączonej kasie i wpisz go.",
                )
            });
            account_page(app, person, &desk, &errors, notice).await
        }
        ["console", "account", "password"] => {
            let current = http::form_field(&fields, "current").unwrap_or_default();
            let new = http::form_field(&fields, "password").unwrap_or_default();
            let stored = people::password(&app.db, &person.person_id)
                .await?
                .unwrap_or_default();
            let mut errors = Vec::new();
            if !verify(&current, &stored).await? {
                errors.push(FieldError {
                    field: "current",
                    problem: Problem::WrongPassword,
                });
            }
            if let Err(e) = account::new_password("password", &new, &person.email) {
                errors.push(e);
            }
            if errors.is_empty() {
                let hash = new_hash(&new).await?;
                people::directory(&app.db);
                people::set_password(&app.db, &person.person_id, &hash, &person.session_id, now)
                    .await?;
            }
            let desk = Desk::open(app, person).await?;
            let l = person.language;
            let notice = errors.is_empty().then(|| {
                l.pick(
                    "Password changed. Other devices were signed out.",
                    "Hasło zmienione. Pozostałe urządzenia wylogowano.",
                )
            });
            account_page(app, person, &desk, &errors, notice).await
        }
        _ => Err(AppError::NotFound),
    }
}

async fn people_page(
    app: &App,
    person: &Person,
    desk: &Desk,
    form: &view::InviteForm<'_>,
    status: u16,
) -> Result<Response, AppError> {
    let tz = desk.config.tz();
    people::directory(&app.db);
    let m = person.merchant.to_string();
    let lines = people::colleagues(&app.db, &m)
        .await?
        .into_iter()
        .filter_map(|c| {
            Some(view::PersonLine {
                role: Role::parse(&c.role)?,
                id: c.id,
                name: c.name,
                email: c.email,
            })
        })
        .collect::<Vec<_>>();
    let invites = people::open_invites(&app.db, &m, app.now_ms)
        .await?
        .into_iter()
        .filter_map(|i| {
            Some(view::InviteLine {
                role: Role::parse(&i.role)?,
                email: i.email,
                until: when(&tz, i.expires_at),
            })
        })
        .collect::<Vec<_>>();
    let page = view::people(
        person.language,
        &desk.frame(person),
        &person.person_id,
        &lines,
        &invites,
        form,
    );
    if form.link.is_some() || form.reset.is_some() {
        // The copy button of a link shown once.
        return http::html_with_script(status, page, crate::view::card::SHARE_SCRIPT);
    }
    http::html(status, page)
}

/// Emails a link to a person of the café (an invitation, a reset) when this server sends email;
/// whether it went. The link is shown to copy either way.
#[allow(clippy::too_many_arguments)]
async fn email_person(
    app: &App,
    desk: &Desk,
    origin: &str,
    to: &str,
    language: Language,
    subject: &str,
    text: &str,
    button: (&str, String),
) -> bool {
    if app.mail.is_none() {
        return false;
    }
    // The merchant's sender name and reply-to live on its shard.
    app.db.place(desk.config.id.0);
    let settings =
        match crate::shell::store::messages::settings(&app.db, &desk.config.id.0.to_string()).await
        {
            Ok(s) => s.map(|s| s.settings()).unwrap_or_default(),
            Err(_) => Default::default(),
        };
    let mail = crate::shell::deliver::PersonMail {
        config: &desk.config,
        settings: &settings,
        origin,
        to,
        language,
        subject,
        text,
        button,
        why: language
            .pick(
                "You get this email because someone at the business entered your address.",
                "Dostajesz tę wiadomość, bo ktoś z firmy podał Twój adres.",
            )
            .to_string(),
    };
    match crate::shell::deliver::mail_person(app, &mail).await {
        Ok(()) => true,
        Err(e) => {
            worker::console_error!("emailing a link: {e}");
            false
        }
    }
}

/// The invite, role and remove forms of the people page.
async fn change_people(
    req: &Request,
    app: &App,
    person: &Person,
    fields: &[(String, String)],
    segments: &[&str],
) -> Result<Response, AppError> {
    let l = person.language;
    let m = person.merchant.to_string();
    let desk = Desk::open(app, person).await?;
    people::directory(&app.db);
    let get = |name: &str| http::form_field(fields, name).unwrap_or_default();
    match segments {
        ["console", "people", "invite"] => {
            let (email, role) = (get("email"), get("role"));
            match account::invitation(person.role, &email, &role) {
                Err(errors) => {
                    let form = view::InviteForm {
                        email: &email,
                        role: &role,
                        errors: &errors,
                        ..view::InviteForm::default()
                    };
                    people_page(app, person, &desk, &form, 422).await
                }
                Ok(invitation) => {
                    let value = account::session_value(&random::<32>()?);
                    let id = account::session_id(&value)
                        .ok_or_else(|| AppError::internal("a new invitation does not read back"))?;
                    people::directory(&app.db);
                    people::create_invite(
                        &app.db,
                        &id,
                        &m,
                        &invitation.email,
                        invitation.role.as_str(),
                        &person.person_id,
                        app.now_ms,
                        app.now_ms + account::INVITE_MS,
                    )
                    .await?;
                    let detail = serde_json::json!({
                        "email": invitation.email,
                        "role": invitation.role.as_str(),
                    });
                    super::tills::record(app, person, "person_invited", &invitation.email, &detail)
                        .await?;
                    let origin = http::origin(req)?;
                    let link = format!("{origin}/invite/{value}");
                    let text = match l {
                        Language::En => format!(
                            "{} invites you to work with {} in its loyalty console, as {}.\n\nThe link works once, for 7 days.",
                            person.name, desk.config.name, invitation.role.label(l)
                        ),
                        Language::Pl => format!(
                            "{} zaprasza Cię do konsoli programu lojalnościowego {} (rola: {}).\n\nLink działa raz, przez 7 dni.",
                            person.name, desk.config.name, invitation.role.label(l)
                        ),
                    };
                    let subject = match l {
                        Language::En => format!("Join {} in its loyalty console", desk.config.name),
                        Language::Pl => format!("Dołącz do konsoli {}", desk.config.name),
                    };
                    let emailed = email_person(
                        app,
                        &desk,
                        &origin,
                        &invitation.email,
                        l,
                        &subject,
                        &text,
                        (
                            l.pick("Accept the invitation", "Przyjmij zaproszenie"),
                            link.clone(),
                        ),
                    )
                    .await;
                    let form = view::InviteForm {
                        link: Some(&link),
                        emailed: emailed.then_some(invitation.email.as_str()),
                        ..view::InviteForm::default()
                    };
                    people_page(app, person, &desk, &form, 201).await
                }
            }
        }
        ["console", "people", target, "reset"] => {
            let (made, status) = match super::reset::console_link(req, app, person, target).await? {
                super::reset::Made::Forbidden => {
                    let what = l.pick("this person's password", "hasło tej osoby");
                    return http::html(403, view::forbidden(l, &desk.frame(person), what));
                }
                super::reset::Made::Elsewhere => (None, 409),
                super::reset::Made::Link {
                    name,
                    link,
                    email,
                    language,
                } => {
                    let origin = http::origin(req)?;
                    let text = match language {
                        Language::En => format!(
                            "{} made you a link to set a new password for the loyalty console of {}.\n\nIt works once, for 24 hours. If you did not ask for it, ignore this email.",
                            person.name, desk.config.name
                        ),
                        Language::Pl => format!(
                            "{} przygotował(a) link do ustawienia nowego hasła w konsoli programu lojalnościowego {}.\n\nDziała raz, przez 24 godziny. Jeśli o niego nie prosisz, zignoruj tę wiadomość.",
                            person.name, desk.config.name
                        ),
                    };
                    let sent = email_person(
                        app,
                        &desk,
                        &origin,
                        &email,
                        language,
                        language.pick("Set a new password", "Ustaw nowe hasło"),
                        &text,
                        (
                            language.pick("Set a new password", "Ustaw nowe hasło"),
                            link.clone(),
                        ),
                    )
                    .await;
                    (Some((name, link, sent.then_some(email))), 201)
                }
            };
            let form = view::InviteForm {
                reset: made
                    .as_ref()
                    .map(|(name, link, _)| crate::view::reset::Ready { name, link }),
                emailed: made.as_ref().and_then(|(_, _, e)| e.as_deref()),
                notice: made.is_none().then(|| {
                    l.pick(
                        "This person also works at another business, so only the operator can reset their password.",
                        "Ta osoba pracuje też w innej firmie, więc jej hasło może zresetować tylko operator.",
                    )
                }),
                ..view::InviteForm::default()
            };
            people_page(app, person, &desk, &form, status).await
        }
        ["console", "people", target, action] => {
            let current = people::role_of(&app.db, &m, target)
                .await?
                .and_then(|r| Role::parse(&r));
            let new = match *action {
                "role" => Some(Role::parse(&get("role")).ok_or(AppError::Forbidden)?),
                _ => None,
            };
            let allowed = *target != person.person_id
                && current.is_some_and(|c| person.role.may_manage(c))
                && new.is_none_or(|r| person.role.may_manage(r));
            if !allowed {
                let what = l.pick("this person's role", "rola tej osoby");
                return http::html(403, view::forbidden(l, &desk.frame(person), what));
            }
            people::directory(&app.db);
            let owners = person.role == Role::Owner;
            let changed = people::change_role(
                &app.db,
                &m,
                target,
                new.map(Role::as_str),
                owners,
                app.now_ms,
            )
            .await?;
            if changed {
                let action = if new.is_some() {
                    "role_changed"
                } else {
                    "person_removed"
                };
                let detail = serde_json::json!({
                    "from": current.map(Role::as_str),
                    "to": new.map(Role::as_str),
                });
                super::tills::record(app, person, action, target, &detail).await?;
            }
            let notice = if changed {
                l.pick(
                    "Saved. Their sessions were signed out.",
                    "Zapisano. Ta osoba została wylogowana.",
                )
            } else {
                l.pick(
                    "Nothing changed: a café always keeps at least one owner.",
                    "Nic nie zmieniono: firma zawsze ma co najmniej jednego właściciela.",
                )
            };
            let form = view::InviteForm {
                notice: Some(notice),
                ..view::InviteForm::default()
            };
            people_page(app, person, &desk, &form, if changed { 200 } else { 409 }).await
        }
        _ => Err(AppError::NotFound),
    }
}

/// `GET /invite/{secret}`: who invites whom to what, and the form to accept.
pub async fn invitation_page(req: Request, app: &App, value: &str) -> Result<Response, AppError> {
    let l = signed_out_language(&req, None);
    match open_invitation(app, value).await? {
        Some((invite, business)) => {
            let role = Role::parse(&invite.role).unwrap_or(Role::Staff);
            let page = view::invitation(
                l,
                &business,
                role,
                &invite.email,
                invite.person_id.is_some(),
                "",
                &[],
            );
            http::html(200, page)
        }
        None => gone(l),
    }
}

fn gone(l: Language) -> Result<Response, AppError> {
    http::html(
        410,
        view::error(
            l,
            410,
            l.pick(
                "This invitation was used already or has expired. Ask for a new one.",
                "To zaproszenie zostało już użyte albo wygasło. Poproś o nowe.",
            ),
        ),
    )
}

/// The invitation behind link secret `value` if it can be used, and its business's name.
async fn open_invitation(
    app: &App,
    value: &str,
) -> Result<Option<(people::Invite, String)>, AppError> {
    let Some(id) = account::session_id(value) else {
        return Ok(None);
    };
    people::directory(&app.db);
    let Some(invite) = people::invite(&app.db, &id, app.now_ms).await? else {
        return Ok(None);
    };
    let Some(merchant) = MerchantId::parse(&invite.merchant_id) else {
        return Ok(None);
    };
    app.db.place(merchant);
    let business = cache::merchant(app, merchant)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    people::directory(&app.db);
    Ok(Some((invite, business)))
}

/// `POST /invite/{secret}`: accepts the invitation once (a new person sets a name and a
/// password; someone with an account types theirs) and signs them in.
pub async fn accept_invitation(
    mut req: Request,
    app: &App,
    value: &str,
) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let fields = http::form_body(&mut req).await?;
    let l = signed_out_language(&req, Some(&fields));
    let Some((invite, business)) = open_invitation(app, value).await? else {
        return gone(l);
    };
    let id = account::session_id(value).unwrap_or_default();
    let role = Role::parse(&invite.role).unwrap_or(Role::Staff);
    let typed_name = http::form_field(&fields, "name").unwrap_or_default();
    let typed_password = http::form_field(&fields, "password").unwrap_or_default();
    let again = |status: u16, errors: &[FieldError]| {
        let page = view::invitation(
            l,
            &business,
            role,
            &invite.email,
            invite.person_id.is_some(),
            typed_name.trim(),
            errors,
        );
        http::html(status, page)
    };
    let (person, hash, name) = match &invite.person_id {
        Some(existing) => {
            let stored = people::password(&app.db, existing)
                .await?
                .unwrap_or_default();
            if !verify(&typed_password, &stored).await? {
                let e = FieldError {
                    field: "password",
                    problem: Problem::WrongPassword,
                };
                return again(401, &[e]);
            }
            (existing.clone(), None, String::new())
        }
        None => {
            let name = match account::joining(&typed_name, &typed_password, &invite.email) {
                Ok(name) => name,
                Err(errors) => return again(422, &errors),
            };
            let hash = new_hash(&typed_password).await?;
            (to_hex(&random::<8>()?), Some(hash), name)
        }
    };
    let (cookie, session_id) = new_session()?;
    let device = device_label(&user_agent(&req));
    let joining = hash.as_deref().map(|h| people::Joining {
        name: &name,
        language: l.as_str(),
        password_hash: h,
    });
    people::directory(&app.db);
    let accepted = people::accept_invite(
        &app.db,
        &id,
        &person,
        joining.as_ref(),
        &people::NewSession {
            id: &session_id,
            person_id: &person,
            merchant_id: &invite.merchant_id,
            device: &device,
        },
        app.now_ms,
    )
    .await?;
    if !accepted {
        return gone(l);
    }
    signed_in_response(&req, app, "/console", &cookie, &person)
}
