//! Passkeys: adding one on the account page and signing in with it at `/signin`. The browser's
//! answer is checked in the domain (`domain::passkey`: challenge, client data, authenticator
//! data, counter) and its signature by Web Crypto (`shell::webauthn`); passkeys and answered
//! challenges live in the directory (`store::passkeys`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use worker::{Request, Response};

use super::console::{new_session_for, Desk, Person};
use crate::domain::account::{self, FieldError, Problem};
use crate::domain::passkey::{self, Purpose, Refusal, CHALLENGE_MS};
use crate::shell::app::{random, App};
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::{passkeys, people};
use crate::shell::webauthn;
use crate::view::passkey::{self as view, PasskeyLine, RegisterPrompt};

/// The site passkeys are made for: the request's host name, without its port.
fn rp_id(req: &Request) -> Result<String, AppError> {
    Ok(req.url()?.host_str().unwrap_or_default().to_owned())
}

/// A fresh sign-in challenge for the sign-in page.
pub(super) fn sign_in_challenge(app: &App) -> Result<String, AppError> {
    let expires = app.now_ms + CHALLENGE_MS;
    Ok(passkey::challenge(
        &app.secrets.session,
        Purpose::SignIn,
        "",
        &random::<16>()?,
        expires,
    ))
}

/// What the account page shows of `person`'s passkeys, with a fresh registration challenge.
pub(super) async fn account_part(
    app: &App,
    person: &Person,
    desk: &Desk,
) -> Result<(Vec<PasskeyLine>, RegisterPrompt), AppError> {
    people::directory(&app.db);
    let tz = desk.config.tz();
    let lines = passkeys::of(&app.db, &person.person_id)
        .await?
        .into_iter()
        .map(|k| PasskeyLine {
            id: k.id.chars().take(16).collect(),
            name: k.name,
            added: super::console::when(&tz, k.created_at),
            used: k.used_at.map(|t| super::console::when(&tz, t)),
        })
        .collect();
    let expires = app.now_ms + CHALLENGE_MS;
    let prompt = RegisterPrompt {
        challenge: passkey::challenge(
            &app.secrets.session,
            Purpose::Register,
            &person.person_id,
            &random::<16>()?,
            expires,
        ),
        user: URL_SAFE_NO_PAD.encode(person.person_id.as_bytes()),
        email: person.email.clone(),
        name: person.name.clone(),
        rp: desk.config.name.clone(),
    };
    Ok((lines, prompt))
}

/// The field of the passkey form a refusal is shown beside.
fn problem(r: Refusal) -> Problem {
    match r {
        Refusal::Replayed => Problem::PasskeyReplayed,
        _ => Problem::PasskeyRefused,
    }
}

/// `POST /console/account/passkeys`: checks a new passkey (its challenge was made for this
/// person, the browser's client and authenticator data are for this site and purpose, its key is
/// a P-256 key) and adds it. Returns the errors to show beside the passkey form, if any.
pub(super) async fn add(
    req: &Request,
    app: &App,
    person: &Person,
    fields: &[(String, String)],
) -> Result<Vec<FieldError>, AppError> {
    let get = |name: &str| http::form_field(fields, name).unwrap_or_default();
    let refused = |r: Refusal| {
        vec![FieldError {
            field: "passkey",
            problem: problem(r),
        }]
    };
    let challenge = get("challenge");
    if passkey::read_challenge(
        &app.secrets.session,
        Purpose::Register,
        &person.person_id,
        &challenge,
        app.now_ms,
    )
    .is_none()
    {
        return Ok(vec![FieldError {
            field: "passkey",
            problem: Problem::PasskeyExpired,
        }]);
    }
    let decoded = (
        passkey::decode(&get("client_data")),
        passkey::decode(&get("authenticator_data")),
        passkey::decode(&get("public_key")),
        passkey::decode(&get("credential_id")),
    );
    let (Ok(client), Ok(auth), Ok(key), Ok(id)) = decoded else {
        return Ok(refused(Refusal::Malformed));
    };
    let origin = http::origin(req)?;
    if let Err(r) = passkey::check_client_data(&client, Purpose::Register, &challenge, &origin) {
        return Ok(refused(r));
    }
    let data = match passkey::check_auth_data(&auth, &rp_id(req)?, Purpose::Register) {
        Ok(d) => d,
        Err(r) => return Ok(refused(r)),
    };
    if data.credential_id.as_deref() != Some(id.as_slice()) || id.len() < 16 || id.len() > 1023 {
        return Ok(refused(Refusal::WrongCredential));
    }
    if !webauthn::is_p256_key(&key).await? {
        return Ok(refused(Refusal::Malformed));
    }
    let device = account::device_label(&user_agent(req));
    let name = passkey::name(&get("name"), &device);
    let id_text = URL_SAFE_NO_PAD.encode(&id);
    let key_text = URL_SAFE_NO_PAD.encode(&key);
    people::directory(&app.db);
    let added = passkeys::add(
        &app.db,
        &passkeys::NewPasskey {
            id: &id_text,
            person_id: &person.person_id,
            public_key: &key_text,
            sign_count: data.sign_count,
            name: &name,
        },
        app.now_ms,
    )
    .await?;
    Ok(if added {
        Vec::new()
    } else {
        vec![FieldError {
            field: "passkey",
            problem: Problem::PasskeyNotAdded,
        }]
    })
}

/// `POST /console/account/passkeys/{id}/remove`.
pub(super) async fn remove(app: &App, person: &Person, prefix: &str) -> Result<(), AppError> {
    people::directory(&app.db);
    passkeys::remove(&app.db, &person.person_id, prefix).await
}

fn user_agent(req: &Request) -> String {
    req.headers()
        .get("user-agent")
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// `POST /signin/passkey`: signs in with a passkey's answer to the page's challenge, once.
pub async fn sign_in(mut req: Request, app: &App) -> Result<Response, AppError> {
    http::same_origin_post(&req)?;
    let fields = http::form_body(&mut req).await?;
    let l = super::console::signed_out_language(&req, Some(&fields));
    let get = |name: &str| http::form_field(&fields, name).unwrap_or_default();
    let refused = |status: u16, why: &str| super::console::sign_in_again(app, l, status, why);
    let not_accepted = l.pick(
        "This passkey was not accepted. Sign in with your password, or try the passkey again.",
        "Ten klucz dostępu nie został przyjęty. Zaloguj się hasłem albo spróbuj ponownie.",
    );
    let challenge = get("challenge");
    let Some(nonce) = passkey::read_challenge(
        &app.secrets.session,
        Purpose::SignIn,
        "",
        &challenge,
        app.now_ms,
    ) else {
        return refused(
            400,
            l.pick(
                "The page waited too long. Try the passkey again.",
                "Strona czekała zbyt długo. Spróbuj ponownie kluczem dostępu.",
            ),
        );
    };
    let decoded = (
        passkey::decode(&get("client_data")),
        passkey::decode(&get("authenticator_data")),
        passkey::decode(&get("signature")),
    );
    let (Ok(client), Ok(auth), Ok(der)) = decoded else {
        return refused(400, not_accepted);
    };
    let (origin, rp) = (http::origin(&req)?, rp_id(&req)?);
    let checked = passkey::check_client_data(&client, Purpose::SignIn, &challenge, &origin)
        .and_then(|()| passkey::check_auth_data(&auth, &rp, Purpose::SignIn));
    let Ok(data) = checked else {
        return refused(401, not_accepted);
    };
    let id = get("credential_id");
    people::directory(&app.db);
    let Some(found) = passkeys::find(&app.db, id.trim_end_matches('=')).await? else {
        return refused(401, not_accepted);
    };
    let key = passkey::decode(&found.public_key)
        .map_err(|_| AppError::internal("a stored passkey key is not base64url"))?;
    let signed = passkey::signed_bytes(&auth, &client);
    let good = match passkey::der_to_raw(&der) {
        Some(raw) => webauthn::verify(&key, &raw, &signed).await?,
        None => false,
    };
    let stored_count = u32::try_from(found.sign_count).unwrap_or(u32::MAX);
    if !good || passkey::check_count(stored_count, data.sign_count).is_err() {
        return refused(401, not_accepted);
    }
    let Some(merchant) = found.merchant_id.as_deref() else {
        return refused(
            403,
            l.pick(
                "Your account no longer has access to any business.",
                "Twoje konto nie ma już dostępu do żadnej firmy.",
            ),
        );
    };
    let answer = passkeys::Answer {
        passkey: id.trim_end_matches('='),
        nonce: &nonce,
        expires_at: app.now_ms + CHALLENGE_MS,
        read_count: found.sign_count,
        new_count: data.sign_count,
    };
    if !passkeys::answer(&app.db, &answer, app.now_ms).await? {
        return refused(401, not_accepted);
    }
    new_session_for(&req, app, &found.person_id, merchant).await
}

/// The script of the pages with a passkey button (allowed by their CSP's hash).
pub(super) fn script() -> &'static str {
    view::SCRIPT
}
