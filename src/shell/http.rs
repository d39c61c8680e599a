//! HTTP plumbing: reading bodies, cookies and keys; writing pages, JSON and problems.

use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Headers, Request, Response};

use super::error::AppError;
use crate::domain::ids::MerchantId;
use crate::domain::language::{self, Language};

/// Largest request body accepted, in bytes.
pub const BODY_LIMIT: usize = 16 * 1024;

const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: https:; manifest-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Reads the body, refusing more than [`BODY_LIMIT`] bytes.
pub async fn body(req: &mut Request) -> Result<Vec<u8>, AppError> {
    let declared = req
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<usize>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT) {
        return Err(AppError::BodyTooLarge { limit: BODY_LIMIT });
    }
    let bytes = req
        .bytes()
        .await
        .map_err(|e| AppError::internal(format!("reading the body: {e}")))?;
    if bytes.len() > BODY_LIMIT {
        return Err(AppError::BodyTooLarge { limit: BODY_LIMIT });
    }
    Ok(bytes)
}

fn content_type(req: &Request) -> String {
    req.headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Reads a JSON body into `T`, naming what is wrong when it does not fit.
pub async fn json_body<T: DeserializeOwned>(req: &mut Request) -> Result<T, AppError> {
    parse_json(&json_bytes(req).await?)
}

/// Reads the raw bytes of a JSON body (checking its content type and size).
pub async fn json_bytes(req: &mut Request) -> Result<Vec<u8>, AppError> {
    if !content_type(req).starts_with("application/json") {
        return Err(AppError::UnsupportedMediaType {
            expected: "application/json",
        });
    }
    body(req).await
}

/// Parses JSON bytes into `T`.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    serde_json::from_slice(bytes).map_err(|e| {
        // serde's messages name the field and position, never our internals.
        AppError::InvalidJson(e.to_string())
    })
}

/// Reads a form body as name/value pairs.
pub async fn form_body(req: &mut Request) -> Result<Vec<(String, String)>, AppError> {
    if !content_type(req).starts_with("application/x-www-form-urlencoded") {
        return Err(AppError::UnsupportedMediaType {
            expected: "application/x-www-form-urlencoded",
        });
    }
    let bytes = body(req).await?;
    Ok(form_urlencoded::parse(&bytes).into_owned().collect())
}

/// The value of field `name` of a parsed form, if it has one.
pub fn form_field(form: &[(String, String)], name: &str) -> Option<String> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

/// Refuses a form post that a browser says came from another site (login CSRF: a page elsewhere
/// must not be able to sign this browser in as someone else's card).
pub fn same_origin_post(req: &Request) -> Result<(), AppError> {
    let header = |name: &str| req.headers().get(name).ok().flatten();
    if header("sec-fetch-site").is_some_and(|site| site == "cross-site" || site == "same-site") {
        return Err(AppError::CrossSiteForm);
    }
    match header("origin") {
        Some(o) if o != "null" && o != origin(req)? => Err(AppError::CrossSiteForm),
        _ => Ok(()),
    }
}

/// The caller's address as the platform reports it (`cf-connecting-ip`), for per-address
/// limits. Loopback is local development and tests (the platform never reports it): `None`,
/// so nothing is limited by it.
pub fn client_ip(req: &Request) -> Option<String> {
    req.headers()
        .get("cf-connecting-ip")
        .ok()
        .flatten()
        .filter(|ip| !ip.is_empty() && ip.len() <= 64)
        .filter(|ip| {
            ip.parse::<std::net::IpAddr>()
                .is_ok_and(|a| !a.is_loopback())
        })
}

/// Returns the value of cookie `name`, if the request carries it.
pub fn cookie(req: &Request, name: &str) -> Option<String> {
    let header = req.headers().get("cookie").ok().flatten()?;
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

/// The language a customer page is shown in at `merchant`: the member's choice saved on this
/// phone, else the browser's `Accept-Language`, else English (`domain::language::choose`).
pub fn language(req: &Request, merchant: Option<MerchantId>) -> Language {
    let saved = merchant
        .and_then(|m| cookie(req, &language::cookie_name(m)))
        .and_then(|v| Language::parse(&v));
    language::choose(saved, accept_language(req).as_deref())
}

/// The browser's `Accept-Language` header, if it sent one.
pub fn accept_language(req: &Request) -> Option<String> {
    req.headers().get("accept-language").ok().flatten()
}

/// Remembers on the phone the language a member saved at `merchant` (or forgets it: `None`).
pub fn set_language_cookie(
    req: &Request,
    resp: &Response,
    merchant: MerchantId,
    saved: Option<Language>,
) -> Result<(), AppError> {
    let (value, max_age) = match saved {
        Some(l) => (l.as_str(), crate::domain::session::COOKIE_MAX_AGE_SECS),
        None => ("", 0),
    };
    set_cookie(
        resp,
        &language::cookie_name(merchant),
        value,
        max_age,
        !is_local_http(req),
    )
}

/// Returns the bearer credential of the Authorization header.
pub fn bearer(req: &Request) -> Option<String> {
    let header = req.headers().get("authorization").ok().flatten()?;
    let (scheme, value) = header.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| value.trim().to_owned())
}

/// Returns a query parameter of the request URL.
pub fn query(req: &Request, name: &str) -> Option<String> {
    let url = req.url().ok()?;
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Returns the request's origin, e.g. `https://loyalty.example.com`.
pub fn origin(req: &Request) -> Result<String, AppError> {
    let url = req.url()?;
    Ok(url.origin().ascii_serialization())
}

/// Tells whether the request came to a loopback host over plain HTTP (local development).
pub fn is_local_http(req: &Request) -> bool {
    req.url()
        .map(|u| {
            u.scheme() == "http"
                && matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"))
        })
        .unwrap_or(false)
}

fn secure_headers(headers: &Headers) -> Result<(), AppError> {
    headers.set("cache-control", "no-store")?;
    headers.set("referrer-policy", "no-referrer")?;
    headers.set("x-content-type-options", "nosniff")?;
    Ok(())
}

/// Builds an HTML page response.
pub fn html(status: u16, page: String) -> Result<Response, AppError> {
    let resp = Response::from_html(page)?.with_status(status);
    secure_headers(resp.headers())?;
    resp.headers().set("content-security-policy", CSP)?;
    resp.headers().set("x-frame-options", "DENY")?;
    Ok(resp)
}

/// Builds an HTML page response that runs one inline `script` (allowed by its hash only).
pub fn html_with_script(status: u16, page: String, script: &str) -> Result<Response, AppError> {
    use base64::Engine;
    use sha2::Digest;
    let resp = html(status, page)?;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script));
    resp.headers().set(
        "content-security-policy",
        &format!("{CSP}; script-src 'sha256-{hash}'"),
    )?;
    Ok(resp)
}

/// Builds an HTML page whose one inline script may also call this origin and register this
/// origin's service worker (the card's push offer).
pub fn html_with_push_script(
    status: u16,
    page: String,
    script: &str,
) -> Result<Response, AppError> {
    let resp = html_with_script(status, page, script)?;
    extend_csp(&resp, "connect-src 'self'; worker-src 'self'")?;
    Ok(resp)
}

/// Adds `directives` to the response's content security policy.
pub fn extend_csp(resp: &Response, directives: &str) -> Result<(), AppError> {
    let csp = resp
        .headers()
        .get("content-security-policy")?
        .unwrap_or_default();
    resp.headers()
        .set("content-security-policy", &format!("{csp}; {directives}"))?;
    Ok(())
}

/// Builds a JSON response.
pub fn json<T: Serialize>(status: u16, value: &T) -> Result<Response, AppError> {
    let resp = Response::from_json(value)?.with_status(status);
    secure_headers(resp.headers())?;
    Ok(resp)
}

/// Writes the RFC 9457 problem body of `err`.
pub fn problem_body(err: &AppError, request_id: &str) -> serde_json::Value {
    serde_json::json!({
        "type": format!("urn:loyalty-edge:problem:{}", err.code()),
        "title": err.title(),
        "status": err.status(),
        "code": err.code(),
        "detail": err.message(),
        "request_id": request_id,
    })
}

/// Builds an RFC 9457 problem response.
pub fn problem(err: &AppError, request_id: &str) -> Result<Response, AppError> {
    let resp = json(err.status(), &problem_body(err, request_id))?;
    resp.headers()
        .set("content-type", "application/problem+json")?;
    Ok(resp)
}

/// Adds a `Set-Cookie` for a long-lived, HttpOnly, SameSite=Lax cookie (Secure except on local HTTP).
pub fn set_cookie(
    resp: &Response,
    name: &str,
    value: &str,
    max_age_secs: i64,
    secure: bool,
) -> Result<(), AppError> {
    append_cookie(resp, name, "/", value, max_age_secs, "Lax", secure)
}

fn append_cookie(
    resp: &Response,
    name: &str,
    path: &str,
    value: &str,
    max_age_secs: i64,
    same_site: &str,
    secure: bool,
) -> Result<(), AppError> {
    let secure = if secure { "; Secure" } else { "" };
    resp.headers().append(
        "set-cookie",
        &format!(
            "{name}={value}; Path={path}; Max-Age={max_age_secs}; HttpOnly; SameSite={same_site}{secure}"
        ),
    )?;
    Ok(())
}

/// Sets (or, with max age 0, clears) a key-session cookie (staff screens, dashboard): HttpOnly,
/// SameSite=Strict and only sent below `path` (Secure except on local HTTP).
pub fn set_session_cookie(
    resp: &Response,
    name: &str,
    path: &str,
    value: &str,
    max_age_secs: i64,
    secure: bool,
) -> Result<(), AppError> {
    append_cookie(resp, name, path, value, max_age_secs, "Strict", secure)
}

/// Reads a list's paging: `?limit=` 1 to 100 (default 50) and `?cursor=` from the previous page
/// (of member or referral ids).
pub fn page(req: &Request) -> Result<(i64, Option<(i64, String)>), AppError> {
    page_of(req, crate::domain::search::parse_cursor)
}

/// Reads a list's paging with the cursor reader of its ids.
pub fn page_of(
    req: &Request,
    parse: impl Fn(&str) -> Option<(i64, String)>,
) -> Result<(i64, Option<(i64, String)>), AppError> {
    let invalid = |field: &str, message: &str| AppError::InvalidField {
        field: field.into(),
        message: message.into(),
    };
    let limit = match query(req, "limit") {
        None => 50,
        Some(l) => l
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| invalid("limit", "must be 1 to 100"))?,
    };
    let cursor = match query(req, "cursor") {
        None => None,
        Some(c) => {
            Some(parse(&c).ok_or_else(|| invalid("cursor", "is not a cursor from this API"))?)
        }
    };
    Ok((limit, cursor))
}

/// Builds a 303 See Other to a path on this origin (after a form post).
pub fn see_other(path: &str) -> Result<Response, AppError> {
    let resp = Response::empty()?.with_status(303);
    resp.headers().set("location", path)?;
    secure_headers(resp.headers())?;
    Ok(resp)
}
