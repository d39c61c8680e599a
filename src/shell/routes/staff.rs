//! The staff screens under `/staff`: the till. A tablet is paired once to a location with a code
//! from the console (`/staff/pair`: a long-lived cookie naming the till, never a merchant), then
//! each person signs in at it with their own PIN; or the screen signs in with a counter or owner
//! key (a signed session cookie naming the key, never its secret), as API users do. Then the
//! counter: a sale's QR code that renews itself before it expires and shows when it was scanned,
//! redemption codes confirmed exactly once, and printable posters. A till, and a counter key, see
//! only their own location. Every form carries the screen's CSRF token; every action is audited
//! with the person and the till.

use serde_json::json;
use worker::{Request, Response};

use super::counter::{self, default_lifetime};
use super::redemptions::confirm_code;
use crate::domain::account;
use crate::domain::apikey::Scope;
use crate::domain::ids::{to_hex, MerchantId};
use crate::domain::language::Language;
use crate::domain::program::MerchantConfig;
use crate::domain::session;
use crate::domain::till::{self, PinProblem};
use crate::domain::token::{self, KeyRing, ScanKind};
use crate::shell::app::{random, App};
use crate::shell::auth::{self, AtTill, MerchantCaller};
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::{audit, people, scans, tills};
use crate::view::error::error_message_pl;
use crate::view::staff::{self as view, CounterView, Notice, PinView, SaleView};

const STAFF: [Scope; 2] = [Scope::Owner, Scope::Counter];
/// How often the sale screen reloads, in seconds.
const REFRESH_SECS: i64 = 3;
/// A sale's code is replaced when less than this many seconds are left.
const RENEW_BEFORE_SECS: i64 = 20;

/// Who is at the counter screen.
enum AtCounter {
    /// Signed in, with a key or with a PIN at a paired till; `csrf` is the screen's form token.
    In {
        caller: MerchantCaller,
        csrf: String,
        language: Language,
    },
    /// A paired till nobody is signed in at (`cookie`: its cookie's value).
    Paired { till: tills::Till, cookie: String },
    /// Neither.
    Out,
}

/// Finds who is at the screen. `active`: the request is a person's action (not a page
/// reloading itself), so it keeps a till's sign-in from going idle.
async fn at_counter(app: &App, req: &Request, active: bool) -> Result<AtCounter, AppError> {
    match auth::session(app, req, COUNTER.cookie, COUNTER.allowed).await {
        Ok(caller) => {
            let value = http::cookie(req, COUNTER.cookie).unwrap_or_default();
            return Ok(AtCounter::In {
                caller,
                csrf: till::csrf_token(&app.secrets.session, &value),
                language: browser_language(req),
            });
        }
        Err(AppError::AuthMissing | AppError::Forbidden) => {}
        Err(e) => return Err(e),
    }
    let Some((cookie, hash)) =
        http::cookie(req, till::TILL_COOKIE).and_then(|c| account::session_id(&c).map(|h| (c, h)))
    else {
        return Ok(AtCounter::Out);
    };
    people::directory(&app.db);
    let Some(t) = tills::till(&app.db, &hash, app.now_ms, active).await? else {
        return Ok(AtCounter::Out);
    };
    let merchant = MerchantId::parse(&t.merchant_id)
        .ok_or_else(|| AppError::internal("a till row has a bad merchant id"))?;
    app.db.place(merchant);
    let (Some(person_id), Some(person_name)) = (t.person_id.clone(), t.person_name.clone()) else {
        return Ok(AtCounter::Paired { till: t, cookie });
    };
    let location = u8::try_from(t.location).ok();
    Ok(AtCounter::In {
        caller: MerchantCaller {
            merchant,
            key_id: till::actor_id(&person_id, &t.id),
            location,
            at_till: Some(AtTill {
                person_id,
                person_name,
                till_id: t.id,
                till_label: t.label,
            }),
        },
        csrf: till::csrf_token(&app.secrets.session, &cookie),
        language: t
            .person_language
            .as_deref()
            .and_then(Language::parse)
            .unwrap_or_else(|| browser_language(req)),
    })
}

/// The signed-in caller of a form post (its CSRF token checked), or the page to show instead.
async fn signed_in_form(
    app: &App,
    req: &Request,
    form: &[(String, String)],
) -> Result<Result<(MerchantCaller, String, Language), Response>, AppError> {
    match at_counter(app, req, true).await? {
        AtCounter::In {
            caller,
            csrf,
            language,
        } => {
            let presented = http::form_field(form, "csrf").unwrap_or_default();
            if !account_csrf_matches(&csrf, &presented) {
                return Ok(Err(http::html(
                    403,
                    (COUNTER.page)(language, Some(crate::view::console::csrf_message(language))),
                )?));
            }
            Ok(Ok((caller, csrf, language)))
        }
        AtCounter::Paired { till, cookie } => {
            let l = browser_language(req);
            Ok(Err(pin_page(app, &till, &cookie, l, 401, None).await?))
        }
        AtCounter::Out => {
            let l = browser_language(req);
            Ok(Err(sign_in_page(l, 401, Some(sign_in_again(l)))?))
        }
    }
}

fn account_csrf_matches(expected: &str, presented: &str) -> bool {
    crate::domain::apikey::constant_time_eq(expected.as_bytes(), presented.as_bytes())
}

/// Writes the audit line of a till action (the request is on the merchant's shard).
async fn record(
    app: &App,
    caller: &MerchantCaller,
    action: &str,
    subject: &str,
    detail: &serde_json::Value,
) -> Result<(), AppError> {
    let id = to_hex(&random::<16>()?);
    let merchant = caller.merchant.to_string();
    let device = caller.device();
    let line = audit::Line {
        id: &id,
        merchant: &merchant,
        actor: &caller.key_id,
        actor_name: caller.actor_name(),
        device: &device,
        action,
        subject,
        reason: "",
        detail,
    };
    audit::record(&app.db, &line, app.now_ms).await
}

fn sign_in_page(l: Language, status: u16, problem: Option<&str>) -> Result<Response, AppError> {
    http::html(status, (COUNTER.page)(l, problem))
}

/// The language of a screen nobody is signed in at, or signed in with a key: the browser's
/// (a person signed in with a PIN sees theirs).
fn browser_language(req: &Request) -> Language {
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
    csrf: &str,
    status: u16,
    notice: Option<&Notice>,
) -> Result<Response, AppError> {
    let view = CounterView {
        locations: &locations(config, caller),
        csrf,
        person: caller.at_till.as_ref().map(|t| t.person_name.as_str()),
        till: caller.at_till.as_ref().map(|t| t.till_label.as_str()),
    };
    http::html(status, view::counter(l, config, &view, notice))
}

/// `GET /staff`: the counter screen; on a paired till nobody is signed in at, who is working;
/// else the key sign-in form.
pub async fn home(req: Request, app: &App) -> Result<Response, AppError> {
    match at_counter(app, &req, true).await? {
        AtCounter::In {
            caller,
            csrf,
            language,
        } => {
            let config = config_of(app, &caller).await?;
            counter_page(language, &config, &caller, &csrf, 200, None)
        }
        AtCounter::Paired { till, cookie } => {
            let l = browser_language(&req);
            pin_page(app, &till, &cookie, l, 200, None).await
        }
        AtCounter::Out => sign_in_page(browser_language(&req), 200, None),
    }
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
    let l = browser_language(&req);
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
    let form = http::form_body(&mut req).await?;
    let (caller, csrf, l) = match signed_in_form(app, &req, &form).await? {
        Ok(at) => at,
        Err(page) => return Ok(page),
    };
    let config = config_of(app, &caller).await?;
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
        return counter_page(
            l,
            &config,
            &caller,
            &csrf,
            422,
            Some(&Notice::Problem(problem)),
        );
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
    let detail = json!({ "amount_minor": minor, "location": location });
    record(app, &caller, "sale_started", &location.to_string(), &detail).await?;
    http::see_other(&format!("/staff/sale?amount={minor}&location={location}"))
}

/// `GET /staff/sale?amount=&location=[&t=]`: the sale's QR code. With `t` (the token shown
/// before), says who collected it, or shows it again, or a fresh one when it is about to expire.
pub async fn sale(req: Request, app: &App) -> Result<Response, AppError> {
    // The page reloading itself (with `t`) is not a person's action: it does not keep a till's
    // sign-in from going idle.
    let active = http::query(&req, "t").is_none();
    let (caller, l) = match signed_in_page(app, &req, active, None).await? {
        Ok(at) => at,
        Err(page) => return Ok(page),
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
    let form = http::form_body(&mut req).await?;
    let (caller, csrf, l) = match signed_in_form(app, &req, &form).await? {
        Ok(at) => at,
        Err(page) => return Ok(page),
    };
    let config = config_of(app, &caller).await?;
    let code = http::form_field(&form, "code").unwrap_or_default();
    match confirm_code(app, &caller, &code).await {
        Ok(row) => {
            let done = match l {
                Language::En => format!("Confirmed: {} (code {})", row.reward_name, code.trim()),
                Language::Pl => format!("Potwierdzono: {} (kod {})", row.reward_name, code.trim()),
            };
            counter_page(l, &config, &caller, &csrf, 200, Some(&Notice::Ok(done)))
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
                &csrf,
                e.status(),
                Some(&Notice::Problem(problem)),
            )
        }
        Err(e) => Err(e),
    }
}

/// `GET /staff/poster/{location}`: the printable poster with the location's visit QR code.
pub async fn poster(req: Request, app: &App, location: &str) -> Result<Response, AppError> {
    let why: fn(Language) -> &'static str = |l| {
        l.pick(
            "Sign in to print a poster.",
            "Zaloguj się, aby wydrukować plakat.",
        )
    };
    let (caller, l) = match signed_in_page(app, &req, true, Some(why)).await? {
        Ok(at) => at,
        Err(page) => return Ok(page),
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

/// The signed-in caller of a page, or the page to show instead (`why`: what the sign-in form says).
async fn signed_in_page(
    app: &App,
    req: &Request,
    active: bool,
    why: Option<fn(Language) -> &'static str>,
) -> Result<Result<(MerchantCaller, Language), Response>, AppError> {
    let l = browser_language(req);
    let why = why.unwrap_or(sign_in_again);
    match at_counter(app, req, active).await? {
        AtCounter::In {
            caller, language, ..
        } => Ok(Ok((caller, language))),
        AtCounter::Paired { till, cookie } => {
            Ok(Err(
                pin_page(app, &till, &cookie, l, 401, Some(why(l))).await?
            ))
        }
        AtCounter::Out => Ok(Err(sign_in_page(l, 401, Some(why(l)))?)),
    }
}

// ---- Pairing a till and signing in at it with a PIN ----

/// `GET /staff/pair[?code=]`: the pairing form (the console's QR code fills the code in).
pub async fn pair_page(req: Request, _app: &App) -> Result<Response, AppError> {
    let l = browser_language(&req);
    let code = http::query(&req, "code").unwrap_or_default();
    http::html(200, view::pair(l, &code, None))
}

/// `POST /staff/pair`: uses a pairing code, once, and makes this browser that till.
pub async fn pair(mut req: Request, app: &App) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let form = http::form_body(&mut req).await?;
    let l = browser_language(&req);
    let typed = http::form_field(&form, "code").unwrap_or_default();
    people::directory(&app.db);
    let window = app.now_ms - app.now_ms.rem_euclid(till::PAIRING_WINDOW_MS);
    let bucket = app
        .client_ip
        .as_ref()
        .map(|ip| format!("pair-fail-ip:{ip}"))
        .unwrap_or_else(|| "pair-fail-ip:?".into());
    let refused = |status: u16, why: &str| http::html(status, view::pair(l, &typed, Some(why)));
    let failures = people::hits(&app.db, &[&bucket], window).await?;
    if failures.first().copied().unwrap_or(0) >= till::PAIRING_FAILURES {
        let resp = refused(
            429,
            l.pick(
                "Too many wrong codes were typed here. Wait 15 minutes, then try again.",
                "Wpisano tu zbyt wiele błędnych kodów. Odczekaj 15 minut i spróbuj ponownie.",
            ),
        )?;
        let retry = (window + till::PAIRING_WINDOW_MS - app.now_ms + 999) / 1000;
        resp.headers().set("retry-after", &retry.to_string())?;
        return Ok(resp);
    }
    let Some(code) = till::parse_code(&typed) else {
        people::hit(&app.db, &[&bucket], window).await?;
        return refused(
            422,
            l.pick(
                "A pairing code is 8 letters and digits, like K7QM-2XPD. Check it on the console.",
                "Kod parowania to 8 liter i cyfr, np. K7QM-2XPD. Sprawdź go w konsoli.",
            ),
        );
    };
    let secret = random::<32>()?;
    let value = account::session_value(&secret);
    let hash = account::session_id(&value)
        .ok_or_else(|| AppError::internal("a fresh till secret did not read back"))?;
    let till_id = to_hex(&random::<8>()?);
    if !tills::pair(&app.db, &till::code_id(&code), &till_id, &hash, app.now_ms).await? {
        people::hit(&app.db, &[&bucket], window).await?;
        return refused(
            422,
            l.pick(
                "This code is not valid: it may have expired (codes last 10 minutes) or been used. Make a new one on the console.",
                "Ten kod jest nieprawidłowy: mógł wygasnąć (kod działa 10 minut) albo zostać użyty. Utwórz nowy w konsoli.",
            ),
        );
    }
    let resp = http::see_other("/staff")?;
    let secure = !http::is_local_http(&req);
    http::set_session_cookie(
        &resp,
        till::TILL_COOKIE,
        "/staff",
        &value,
        till::TILL_COOKIE_SECS,
        secure,
    )?;
    Ok(resp)
}

/// The PIN screen of a paired till: who is working (the people with a PIN), and the PIN.
async fn pin_page(
    app: &App,
    t: &tills::Till,
    cookie: &str,
    l: Language,
    status: u16,
    problem: Option<&str>,
) -> Result<Response, AppError> {
    PinScreen {
        app,
        till: t,
        cookie,
        l,
        chosen: "",
    }
    .show(status, problem)
    .await
}

/// The PIN screen of one till, with the person picked before.
struct PinScreen<'a> {
    app: &'a App,
    till: &'a tills::Till,
    cookie: &'a str,
    l: Language,
    chosen: &'a str,
}

impl PinScreen<'_> {
    async fn show(&self, status: u16, problem: Option<&str>) -> Result<Response, AppError> {
        let (app, t) = (self.app, self.till);
        let merchant = MerchantId::parse(&t.merchant_id)
            .ok_or_else(|| AppError::internal("a till row has a bad merchant id"))?;
        people::directory(&app.db);
        let staff = tills::people(&app.db, &t.merchant_id).await?;
        app.db.place(merchant);
        let config = config_of_merchant(app, merchant).await?;
        let location = u8::try_from(t.location)
            .ok()
            .and_then(|n| config.location_name(n))
            .unwrap_or_default();
        let csrf = till::csrf_token(&app.secrets.session, self.cookie);
        let people: Vec<(&str, &str)> = staff
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str()))
            .collect();
        let v = PinView {
            till: &t.label,
            location,
            people: &people,
            chosen: self.chosen,
            csrf: &csrf,
            problem,
        };
        let resp = http::html(status, view::pin(self.l, &config, &v))?;
        resp.headers().set("cache-control", "no-store")?;
        Ok(resp)
    }
}

/// `POST /staff/pin`: signs a person in at this paired till with their PIN. The try is counted
/// before the PIN is checked; five wrong ones in a row lock that person here for 15 minutes. On a
/// browser that is not a paired till, nothing is checked or counted.
pub async fn pin(mut req: Request, app: &App) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let form = http::form_body(&mut req).await?;
    let l = browser_language(&req);
    let (t, cookie) = match at_counter(app, &req, true).await? {
        AtCounter::Paired { till, cookie } => (till, cookie),
        AtCounter::In { .. } => return http::see_other("/staff"),
        AtCounter::Out => return http::html(
            401,
            view::pair(
                l,
                "",
                Some(l.pick(
                    "This tablet is not a paired till: pair it with a code from the console first.",
                    "Ten tablet nie jest połączoną kasą: najpierw połącz go kodem z konsoli.",
                )),
            ),
        ),
    };
    let presented = http::form_field(&form, "csrf").unwrap_or_default();
    if !till::csrf_matches(&app.secrets.session, &cookie, &presented) {
        return http::html(
            403,
            view::pair(l, "", Some(crate::view::console::csrf_message(l))),
        );
    }
    let person = http::form_field(&form, "person").unwrap_or_default();
    let typed = http::form_field(&form, "pin").unwrap_or_default();
    let screen = PinScreen {
        app,
        till: &t,
        cookie: &cookie,
        l,
        chosen: &person,
    };
    let is_id = person.len() == 16 && person.bytes().all(|b| b.is_ascii_hexdigit());
    if !is_id {
        let why = l.pick("Tap your name first.", "Najpierw dotknij swojego imienia.");
        return screen.show(422, Some(why)).await;
    }
    let Some(pin) = till::parse_pin(&typed) else {
        return screen.show(422, Some(PinProblem::Shape.text(l))).await;
    };
    people::directory(&app.db);
    let request = to_hex(&random::<16>()?);
    let limit = tills::TryLimit {
        tries: till::PIN_TRIES,
        lock_ms: till::PIN_LOCK_MS,
    };
    let (tried, stored) = tills::claim_try(
        &app.db,
        &t.id,
        &person,
        &t.merchant_id,
        &request,
        &limit,
        app.now_ms,
    )
    .await?;
    let tried = tried.ok_or_else(|| AppError::internal("a PIN try was not recorded"))?;
    let locked_words = |until: i64| {
        let mins = (until - app.now_ms + 59_999) / 60_000;
        match l {
            Language::En => format!("Too many wrong PINs: this person is locked at this till for {mins} more minutes. Ask a manager if you forgot your PIN."),
            Language::Pl => format!("Zbyt wiele błędnych PIN-ów: ta osoba jest zablokowana w tej kasie jeszcze przez {mins} min. Jeśli nie pamiętasz PIN-u, poproś kierownika."),
        }
    };
    if tried.claimed == 0 {
        let words = locked_words(tried.locked_until);
        let resp = screen.show(429, Some(&words)).await?;
        let retry = (tried.locked_until - app.now_ms + 999) / 1000;
        resp.headers().set("retry-after", &retry.to_string())?;
        return Ok(resp);
    }
    let merchant = MerchantId::parse(&t.merchant_id)
        .ok_or_else(|| AppError::internal("a till row has a bad merchant id"))?;
    let right = stored.as_ref().filter(|p| {
        till::pin_matches(
            &app.secrets.session,
            &t.merchant_id,
            &person,
            &pin,
            &p.pin_hash,
        )
    });
    let Some(found) = right else {
        app.db.place(merchant);
        // A wrong PIN of someone who works here is audited; a made-up person is not (their
        // tries are still counted and locked like anyone's).
        if let Some(p) = &stored {
            let detail = json!({ "tries": tried.tries });
            let caller = till_caller(merchant, &t, &person, &p.name);
            record(app, &caller, "till_pin_wrong", &person, &detail).await?;
        }
        if tried.locked_until > app.now_ms {
            let words = locked_words(tried.locked_until);
            return screen.show(429, Some(&words)).await;
        }
        let left = till::PIN_TRIES - tried.tries;
        let words = match l {
            Language::En => format!("That PIN is not right. {left} tries left before this person is locked here for 15 minutes."),
            Language::Pl => format!("To nie ten PIN. Pozostało prób: {left}, potem ta osoba zostanie tu zablokowana na 15 minut."),
        };
        return screen.show(401, Some(&words)).await;
    };
    let name = found.name.clone();
    app.db.place(merchant);
    let config = config_of_merchant(app, merchant).await?;
    let idle_ms = i64::from(config.program.till_idle_mins) * 60_000;
    people::directory(&app.db);
    tills::sign_in(&app.db, &t.id, &person, idle_ms, app.now_ms).await?;
    app.db.place(merchant);
    let caller = till_caller(merchant, &t, &person, &name);
    record(app, &caller, "till_sign_in", &person, &json!({})).await?;
    http::see_other("/staff")
}

/// `POST /staff/lock`: signs the person at this till out (the till stays paired); with a key
/// session, the same as signing out.
pub async fn lock(mut req: Request, app: &App) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let form = http::form_body(&mut req).await?;
    let (caller, _, _) = match signed_in_form(app, &req, &form).await? {
        Ok(at) => at,
        Err(page) => return Ok(page),
    };
    let Some(at) = caller.at_till.as_ref() else {
        return sign_out_at(&req, &COUNTER);
    };
    record(app, &caller, "till_sign_out", &at.person_id, &json!({})).await?;
    people::directory(&app.db);
    tills::lock(&app.db, &at.till_id).await?;
    http::see_other("/staff")
}

/// The caller a till action of `person` is recorded as.
fn till_caller(merchant: MerchantId, t: &tills::Till, person: &str, name: &str) -> MerchantCaller {
    MerchantCaller {
        merchant,
        key_id: till::actor_id(person, &t.id),
        location: u8::try_from(t.location).ok(),
        at_till: Some(AtTill {
            person_id: person.to_owned(),
            person_name: name.to_owned(),
            till_id: t.id.clone(),
            till_label: t.label.clone(),
        }),
    }
}

async fn config_of_merchant(app: &App, merchant: MerchantId) -> Result<MerchantConfig, AppError> {
    cache::merchant(app, merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)
}
