//! The staff screens under `/staff`: sign in with a counter or owner key (a signed session
//! cookie, HttpOnly and SameSite=Strict, naming the key, never its secret), then the counter:
//! a sale's QR code that renews itself before it expires and shows when it was scanned,
//! redemption codes confirmed exactly once, and printable posters. Counter keys see only their
//! own location.

use worker::{Request, Response};

use super::counter::{self, default_lifetime};
use super::redemptions::confirm_code;
use crate::domain::apikey::Scope;
use crate::domain::language::Language;
use crate::domain::program::MerchantConfig;
use crate::domain::session;
use crate::domain::token::{self, KeyRing, ScanKind};
use crate::shell::app::App;
use crate::shell::auth::{self, MerchantCaller};
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::scans;
use crate::view::error::error_message_pl;
use crate::view::staff::{self as view, Notice, SaleView};

const STAFF: [Scope; 2] = [Scope::Owner, Scope::Counter];
/// How often the sale screen reloads, in seconds.
const REFRESH_SECS: i64 = 3;
/// A sale's code is replaced when less than this many seconds are left.
const RENEW_BEFORE_SECS: i64 = 20;

/// The signed-in caller, or `None` when the screen must sign in (no, ended or revoked session).
async fn signed_in(app: &App, req: &Request) -> Result<Option<MerchantCaller>, AppError> {
    match auth::session(app, req, COUNTER.cookie, COUNTER.allowed).await {
        Ok(c) => Ok(Some(c)),
        Err(AppError::AuthMissing | AppError::Forbidden) => Ok(None),
        Err(e) => Err(e),
    }
}

fn sign_in_page(l: Language, status: u16, problem: Option<&str>) -> Result<Response, AppError> {
    http::html(status, (COUNTER.page)(l, problem))
}

/// The language of the staff screens: the till's browser's (staff have no saved choice).
fn language(req: &Request) -> Language {
    http::language(req, None)
}

async fn config_of(app: &App, caller: &MerchantCaller) -> Result<MerchantConfig, AppError> {
    cache::merchant(app, caller.merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)
}

/// The locations this caller serves: a counter key its own, an owner key all.
fn locations(config: &MerchantConfig, caller: &MerchantCaller) -> Vec<(u8, String)> {
    config
        .locations
        .iter()
        .filter(|(n, _)| caller.location.is_none_or(|own| own == *n))
        .cloned()
        .collect()
}

fn counter_page(
    l: Language,
    config: &MerchantConfig,
    caller: &MerchantCaller,
    status: u16,
    notice: Option<&Notice>,
) -> Result<Response, AppError> {
    http::html(
        status,
        view::counter(l, config, &locations(config, caller), notice),
    )
}

/// `GET /staff`: the counter screen, or the sign-in form.
pub async fn home(req: Request, app: &App) -> Result<Response, AppError> {
    let l = language(&req);
    let Some(caller) = signed_in(app, &req).await? else {
        return sign_in_page(l, 200, None);
    };
    let config = config_of(app, &caller).await?;
    counter_page(l, &config, &caller, 200, None)
}

/// Where a key session lives: its cookie, the path it is sent to, the scopes it accepts, and
/// what a refused key is told.
pub(crate) struct Door {
    pub cookie: &'static str,
    pub path: &'static str,
    pub allowed: &'static [Scope],
    /// What a key of the wrong scope is told, in the page's language.
    pub wrong_scope: fn(Language) -> &'static str,
    pub page: fn(Language, Option<&str>) -> String,
}

const COUNTER: Door = Door {
    cookie: session::STAFF_COOKIE,
    path: "/staff",
    allowed: &STAFF,
    wrong_scope: |l| {
        l.pick(
            "A read-only key cannot run the counter: use a counter or owner key.",
            "Klucz tylko do odczytu nie obsłuży kasy: użyj klucza kasy albo właściciela.",
        )
    },
    page: view::sign_in,
};

/// Checks the key typed into a sign-in form and sets the door's session cookie.
pub(crate) async fn sign_in_at(
    mut req: Request,
    app: &App,
    door: &Door,
) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let form = http::form_body(&mut req).await?;
    let key = http::form_field(&form, "key").unwrap_or_default();
    let l = language(&req);
    let refused = |status: u16, why: &str| http::html(status, (door.page)(l, Some(why)));
    match auth::with_key(app, key.trim(), door.allowed).await {
        Ok(caller) => {
            let expires_at = app.now_secs() + session::STAFF_MAX_AGE_SECS;
            let value = session::staff_cookie(&app.secrets.session, &caller.key_id, expires_at);
            let resp = http::see_other(door.path)?;
            let secure = !http::is_local_http(&req);
            let max_age = session::STAFF_MAX_AGE_SECS;
            http::set_session_cookie(&resp, door.cookie, door.path, &value, max_age, secure)?;
            Ok(resp)
        }
        Err(AppError::AuthInvalid | AppError::AuthMissing) => refused(
            401,
            l.pick(
                "That key is not valid (or was revoked).",
                "Ten klucz jest nieprawidłowy (albo został unieważniony).",
            ),
        ),
        Err(AppError::Forbidden) => refused(403, (door.wrong_scope)(l)),
        Err(AppError::RateLimited { retry_after }) => {
            let resp = refused(
                429,
                l.pick(
                    "Too many wrong keys were tried from here. Wait a minute, then try again.",
                    "Stąd wpisano zbyt wiele błędnych kluczy. Odczekaj minutę i spróbuj ponownie.",
                ),
            )?;
            resp.headers()
                .set("retry-after", &retry_after.to_string())?;
            Ok(resp)
        }
        Err(e) => Err(e),
    }
}

/// Forgets the door's session.
pub(crate) fn sign_out_at(req: &Request, door: &Door) -> Result<Response, AppError> {
    http::same_origin_post(req)?;
    let resp = http::see_other(door.path)?;
    let secure = !http::is_local_http(req);
    http::set_session_cookie(&resp, door.cookie, door.path, "", 0, secure)?;
    Ok(resp)
}

/// `POST /staff/sign-in`: checks the key typed in and sets the session cookie.
pub async fn sign_in(req: Request, app: &App) -> Result<Response, AppError> {
    sign_in_at(req, app, &COUNTER).await
}

/// `POST /staff/sign-out`: forgets the session.
pub async fn sign_out(req: Request, _app: &App) -> Result<Response, AppError> {
    sign_out_at(&req, &COUNTER)
}

/// `POST /staff/sale`: reads the amount and location, then shows the sale's code.
pub async fn start_sale(mut req: Request, app: &App) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let l = language(&req);
    let Some(caller) = signed_in(app, &req).await? else {
        return sign_in_page(l, 401, Some(sign_in_again(l)));
    };
    let config = config_of(app, &caller).await?;
    let form = http::form_body(&mut req).await?;
    let amount = http::form_field(&form, "amount").unwrap_or_default();
    let Some(minor) = config.currency.parse_amount(&amount) else {
        let problem = match l {
            Language::En => format!(
                "{amount:?} is not an amount: type it like 12.50 ({}).",
                config.currency.code
            ),
            Language::Pl => format!(
                "„{amount}” to nie kwota: wpisz ją np. tak: 12,50 ({}).",
                config.currency.code
            ),
        };
        return counter_page(l, &config, &caller, 422, Some(&Notice::Problem(problem)));
    };
    let location = http::form_field(&form, "location")
        .and_then(|l| l.parse::<u8>().ok())
        .unwrap_or(0);
    if !locations(&config, &caller)
        .iter()
        .any(|(n, _)| *n == location)
    {
        return Err(AppError::UnknownLocation(location));
    }
    http::see_other(&format!("/staff/sale?amount={minor}&location={location}"))
}

/// `GET /staff/sale?amount=&location=[&t=]`: the sale's QR code. With `t` (the token shown
/// before), says who collected it, or shows it again, or a fresh one when it is about to expire.
pub async fn sale(req: Request, app: &App) -> Result<Response, AppError> {
    let l = language(&req);
    let Some(caller) = signed_in(app, &req).await? else {
        return sign_in_page(l, 401, Some(sign_in_again(l)));
    };
    let config = config_of(app, &caller).await?;
    let origin = http::origin(&req)?;
    let bad = || AppError::InvalidField {
        field: "amount".into(),
        message: "start the sale from the counter screen".into(),
    };
    let minor: u32 = http::query(&req, "amount")
        .and_then(|a| a.parse().ok())
        .filter(|a| *a > 0)
        .ok_or_else(bad)?;
    let location: u8 = http::query(&req, "location")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let Some(location_name) = locations(&config, &caller)
        .into_iter()
        .find(|(n, _)| *n == location)
        .map(|(_, name)| name)
    else {
        return Err(AppError::UnknownLocation(location));
    };
    let amount = config.currency.format(i64::from(minor));
    let kind = ScanKind::Purchase {
        amount_minor: minor,
    };
    // The token shown before: ours, for this sale, and still valid for a while?
    let keys = [(
        config.current_kid,
        app.secrets
            .master
            .scan_key(caller.merchant, config.current_kid),
    )];
    let ring = KeyRing {
        merchant: caller.merchant,
        keys: &keys,
    };
    let shown = http::query(&req, "t").and_then(|raw| {
        token::verify(raw.as_bytes(), &ring, app.now_secs())
            .ok()
            .filter(|t| t.kind == kind && t.location == location)
            .map(|t| (raw, t))
    });
    if let Some((_, t)) = &shown {
        let m = caller.merchant.to_string();
        if let Some(name) = scans::collected_by(&app.db, &m, &t.nonce_hex()).await? {
            return http::html(200, view::collected(l, &config, &amount, &name));
        }
    }
    let (raw, url, svg, expires_at) = match shown {
        Some((raw, t)) if t.expires_at() - app.now_secs() > RENEW_BEFORE_SECS => {
            let url = format!("{origin}/s/{raw}");
            let svg = crate::view::qr::svg(&url)
                .ok_or_else(|| AppError::internal("the scan URL does not fit a QR code"))?;
            (raw, url, svg, t.expires_at())
        }
        _ => {
            let s = counter::sign(
                app,
                &config,
                location,
                kind,
                default_lifetime(kind)?,
                &origin,
            )?;
            let expires_at = s.token.expires_at();
            (s.raw, s.url, s.svg, expires_at)
        }
    };
    let reload = format!("/staff/sale?amount={minor}&location={location}&t={raw}");
    let page = view::sale(
        l,
        &config,
        &SaleView {
            amount: &amount,
            location: &location_name,
            url: &url,
            svg: &svg,
            expires_in_secs: expires_at - app.now_secs(),
            reload: &reload,
            refresh_secs: REFRESH_SECS,
        },
    );
    let resp = http::html(200, page)?;
    resp.headers().set("cache-control", "no-store")?;
    Ok(resp)
}

/// `POST /staff/confirm`: confirms a redemption code, exactly once.
pub async fn confirm(mut req: Request, app: &App) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let l = language(&req);
    let Some(caller) = signed_in(app, &req).await? else {
        return sign_in_page(l, 401, Some(sign_in_again(l)));
    };
    let config = config_of(app, &caller).await?;
    let form = http::form_body(&mut req).await?;
    let code = http::form_field(&form, "code").unwrap_or_default();
    match confirm_code(app, &caller, &code).await {
        Ok(row) => {
            let done = match l {
                Language::En => format!("Confirmed: {} (code {})", row.reward_name, code.trim()),
                Language::Pl => format!("Potwierdzono: {} (kod {})", row.reward_name, code.trim()),
            };
            counter_page(l, &config, &caller, 200, Some(&Notice::Ok(done)))
        }
        Err(e) if e.status() < 500 => {
            let message = match l {
                Language::Pl => error_message_pl(e.code()).map(str::to_owned),
                Language::En => None,
            }
            .unwrap_or_else(|| e.message());
            let problem = format!("{message} ({}: {})", l.pick("code", "kod"), e.code());
            counter_page(
                l,
                &config,
                &caller,
                e.status(),
                Some(&Notice::Problem(problem)),
            )
        }
        Err(e) => Err(e),
    }
}

/// `GET /staff/poster/{location}`: the printable poster with the location's visit QR code.
pub async fn poster(req: Request, app: &App, location: &str) -> Result<Response, AppError> {
    let l = language(&req);
    let Some(caller) = signed_in(app, &req).await? else {
        let why = l.pick(
            "Sign in to print a poster.",
            "Zaloguj się, aby wydrukować plakat.",
        );
        return sign_in_page(l, 401, Some(why));
    };
    let config = config_of(app, &caller).await?;
    let number: u8 = location.parse().unwrap_or(0);
    let Some((_, name)) = locations(&config, &caller)
        .into_iter()
        .find(|(n, _)| *n == number)
    else {
        return Err(AppError::UnknownLocation(number));
    };
    let origin = http::origin(&req)?;
    let s = counter::sign(
        app,
        &config,
        number,
        ScanKind::Visit,
        default_lifetime(ScanKind::Visit)?,
        &origin,
    )?;
    http::html(200, view::poster(l, &config, &name, &s.url, &s.svg))
}

fn sign_in_again(l: Language) -> &'static str {
    l.pick(
        "Sign in again to continue.",
        "Zaloguj się ponownie, aby kontynuować.",
    )
}
