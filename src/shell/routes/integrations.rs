//! The console's Integrations page (`/console/integrations`, owners only): the POS endpoint
//! with its signing secrets (a new one after a confirmation), a signed test event sent through
//! the endpoint's own code, the last 50 deliveries, and the API keys (made with a scope and a
//! location and shown once, rotated and revoked after a confirmation). The console router
//! (`routes::console`) has already checked the session, the role, and for changes the origin
//! and the CSRF token. The same store functions as the API's (`store::keys`,
//! `merchants::rotate_webhook_secret`) do the work, each audited by name.

use worker::{Request, Response};

use super::console::{when, Desk, Person};
use super::webhooks::{deliver, Signed};
use crate::domain::apikey::{self, Scope};
use crate::domain::setup::{FieldError, Problem};
use crate::domain::webhook;
use crate::shell::app::{random, App};
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::{keys, merchants, webhook_log};
use crate::view::card::SHARE_SCRIPT;
use crate::view::integrations::{
    self as view, Confirm, DeliveryLine, IntegrationsView, KeyForm, KeyLine, SecretLine, ShownKey,
};

/// What a page shows besides what is stored.
#[derive(Default)]
struct After<'a> {
    form: KeyForm,
    errors: Vec<FieldError>,
    shown: Option<ShownKey>,
    notice: Option<&'a str>,
    status: u16,
}

async fn active_keys(app: &App, person: &Person) -> Result<Vec<keys::KeyRow>, AppError> {
    Ok(keys::list(&app.db, &person.merchant.to_string())
        .await?
        .into_iter()
        .filter(|k| k.revoked_at.is_none())
        .collect())
}

async fn render(
    req: &Request,
    app: &App,
    person: &Person,
    desk: &Desk,
    after: After<'_>,
) -> Result<Response, AppError> {
    let c = &desk.config;
    let tz = c.tz();
    let m = person.merchant;
    let endpoint = format!("{}/webhooks/v1/{m}", http::origin(req)?);
    let newest = c.webhook_kids.iter().max().copied();
    let secrets: Vec<SecretLine> = c
        .webhook_kids
        .iter()
        .rev()
        .map(|k| SecretLine {
            id: *k,
            whsec: app.secrets.master.webhook_secret(m, *k).to_whsec(),
            newest: Some(*k) == newest,
        })
        .collect();
    let deliveries: Vec<DeliveryLine> = webhook_log::recent(&app.db, &m.to_string())
        .await?
        .into_iter()
        .map(|d| DeliveryLine {
            when: when(&tz, d.at),
            kind: d.kind,
            status: d.status,
            code: d.code,
            order_id: d.order_id,
        })
        .collect();
    let keys: Vec<KeyLine> = active_keys(app, person)
        .await?
        .into_iter()
        .map(|k| KeyLine {
            location: k
                .location
                .and_then(|n| u8::try_from(n).ok())
                .and_then(|n| c.location_name(n))
                .map(str::to_owned),
            name: k.name.unwrap_or_else(|| {
                person
                    .language
                    .pick(
                        "The first owner key (made with the café)",
                        "Pierwszy klucz właściciela (z założenia kawiarni)",
                    )
                    .into()
            }),
            id: k.id,
            scope: k.scope,
            last4: k.last4.unwrap_or_default(),
            since: when(&tz, k.created_at),
        })
        .collect();
    let v = IntegrationsView {
        endpoint: &endpoint,
        secrets: &secrets,
        deliveries: &deliveries,
        keys: &keys,
        locations: &c.locations,
        form: &after.form,
        errors: &after.errors,
        shown: after.shown.as_ref(),
        notice: after.notice,
    };
    let status = if after.status == 0 { 200 } else { after.status };
    http::html_with_script(
        status,
        view::page(person.language, &desk.frame(person), &v),
        SHARE_SCRIPT,
    )
}

/// `GET /console/integrations`.
pub(super) async fn show(
    req: &Request,
    app: &App,
    person: &Person,
    desk: &Desk,
) -> Result<Response, AppError> {
    render(req, app, person, desk, After::default()).await
}

fn check_key_form(
    form: &KeyForm,
    locations: &[(u8, String)],
) -> Result<(Scope, Option<u8>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = form.name.trim();
    if name.is_empty() {
        errors.push(FieldError {
            field: "name",
            problem: Problem::Missing,
        });
    } else if name.chars().count() > 60 || name.chars().any(char::is_control) {
        errors.push(FieldError {
            field: "name",
            problem: Problem::Text(60),
        });
    }
    let scope = match form.scope.as_str() {
        "owner" | "counter" | "read" => Scope::parse(&form.scope),
        _ => None,
    };
    if scope.is_none() {
        errors.push(FieldError {
            field: "scope",
            problem: Problem::UnknownChoice,
        });
    }
    let location = if scope == Some(Scope::Counter) {
        match form.location.trim().parse::<u8>() {
            Ok(n) if locations.iter().any(|(l, _)| *l == n) => Some(n),
            _ if form.location.trim().is_empty() => {
                errors.push(FieldError {
                    field: "location",
                    problem: Problem::Missing,
                });
                None
            }
            _ => {
                errors.push(FieldError {
                    field: "location",
                    problem: Problem::UnknownChoice,
                });
                None
            }
        }
    } else {
        None
    };
    match (errors.is_empty(), scope) {
        (true, Some(s)) => Ok((s, location)),
        _ => Err(errors),
    }
}

/// Handles the page's forms (`POST`).
pub(super) async fn change(
    req: &Request,
    app: &App,
    person: &Person,
    fields: &[(String, String)],
    segments: &[&str],
) -> Result<Response, AppError> {
    let l = person.language;
    let desk = Desk::open(app, person).await?;
    let f = desk.frame(person);
    let m = person.merchant.to_string();
    let get = |name: &str| http::form_field(fields, name).unwrap_or_default();
    let confirmed = !get("confirm").is_empty();
    let confirm_page = |what: &Confirm<'_>| http::html(200, view::confirm(l, &f, what));
    match segments {
        ["console", "integrations", "keys"] => {
            let form = KeyForm {
                name: get("name"),
                scope: get("scope"),
                location: get("location"),
            };
            let (scope, location) = match check_key_form(&form, &desk.config.locations) {
                Ok(ok) => ok,
                Err(errors) => {
                    let after = After {
                        form,
                        errors,
                        status: 422,
                        ..After::default()
                    };
                    return render(req, app, person, &desk, after).await;
                }
            };
            let key = apikey::generate(person.merchant, random()?, random()?);
            let name = form.name.trim().to_owned();
            keys::insert(&app.db, &m, &key, scope, &name, location, app.now_ms).await?;
            super::tills::record(
                app,
                person,
                "key_made",
                &key.id,
                &serde_json::json!({ "name": name, "scope": scope.as_str() }),
            )
            .await?;
            let after = After {
                shown: Some(ShownKey {
                    name,
                    full: key.full,
                }),
                ..After::default()
            };
            render(req, app, person, &desk, after).await
        }
        ["console", "integrations", "keys", id, action @ ("rotate" | "revoke")] => {
            let found = active_keys(app, person)
                .await?
                .into_iter()
                .find(|k| k.id == *id)
                .ok_or(AppError::NotFound)?;
            let name = found.name.clone().unwrap_or_else(|| found.id.clone());
            if !confirmed {
                return confirm_page(&if *action == "rotate" {
                    Confirm::RotateKey { id, name: &name }
                } else {
                    Confirm::RevokeKey { id, name: &name }
                });
            }
            let detail = serde_json::json!({ "name": name });
            if *action == "revoke" {
                if !keys::revoke(&app.db, &m, id, "", app.now_ms).await? {
                    return Err(AppError::NotFound);
                }
                super::tills::record(app, person, "key_revoked", id, &detail).await?;
                let notice = match l {
                    crate::domain::language::Language::En => {
                        format!("“{name}” is revoked: it no longer works.")
                    }
                    crate::domain::language::Language::Pl => {
                        format!("Unieważniono „{name}”: już nie działa.")
                    }
                };
                let after = After {
                    notice: Some(&notice),
                    ..After::default()
                };
                return render(req, app, person, &desk, after).await;
            }
            let key = apikey::generate(person.merchant, random()?, random()?);
            if !keys::rotate(&app.db, &m, id, &key, app.now_ms).await? {
                return Err(AppError::NotFound);
            }
            super::tills::record(app, person, "key_rotated", &key.id, &detail).await?;
            let after = After {
                shown: Some(ShownKey {
                    name,
                    full: key.full,
                }),
                ..After::default()
            };
            render(req, app, person, &desk, after).await
        }
        ["console", "integrations", "secrets", "rotate"] => {
            if !confirmed {
                return confirm_page(&Confirm::RotateSecret);
            }
            let notice = if merchants::rotate_webhook_secret(&app.db, person.merchant, app.now_ms)
                .await?
            {
                cache::refresh(app, person.merchant).await?;
                super::tills::record(
                    app,
                    person,
                    "webhook_secret_rotated",
                    "",
                    &serde_json::json!({}),
                )
                .await?;
                l.pick(
                    "A new secret is ready: paste it into your till system. The previous one works until the next new secret.",
                    "Nowy sekret jest gotowy: wklej go do systemu kasowego. Poprzedni działa do kolejnej zmiany.",
                )
            } else {
                l.pick(
                    "No more secrets can be made for this café (255 used): ask your operator.",
                    "Nie można utworzyć więcej sekretów dla tej kawiarni (wykorzystano 255): skontaktuj się z operatorem.",
                )
            };
            let desk = Desk::open(app, person).await?;
            let after = After {
                notice: Some(notice),
                ..After::default()
            };
            render(req, app, person, &desk, after).await
        }
        ["console", "integrations", "test"] => {
            // A delivery as a till system sends it, signed with the newest secret and applied
            // by the endpoint's own code (`test.ping` changes nothing but the log).
            let c = &desk.config;
            let kid = c
                .webhook_kids
                .iter()
                .max()
                .copied()
                .ok_or(AppError::NotFound)?;
            let secret = app.secrets.master.webhook_secret(person.merchant, kid);
            let id = format!(
                "msg_console_{}",
                crate::domain::ids::to_hex(&random::<8>()?)
            );
            let body = serde_json::json!({ "type": "test.ping", "data": {} }).to_string();
            let ts = app.now_secs();
            let signed = Signed {
                signature: Some(webhook::sign(&id, ts, body.as_bytes(), &secret)),
                id: Some(id),
                timestamp: Some(ts.to_string()),
            };
            let resp = deliver(app, person.merchant, c, &signed, body.as_bytes()).await;
            let notice = if resp.is_ok() {
                l.pick(
                    "The test event arrived: the address and the newest secret work. Send one from your till system too.",
                    "Zdarzenie testowe dotarło: adres i najnowszy sekret działają. Wyślij też jedno z systemu kasowego.",
                )
            } else {
                l.pick(
                    "The test event was refused: see the last deliveries below.",
                    "Zdarzenie testowe odrzucono: zobacz ostatnie dostawy poniżej.",
                )
            };
            let after = After {
                notice: Some(notice),
                ..After::default()
            };
            render(req, app, person, &desk, after).await
        }
        _ => Err(AppError::NotFound),
    }
}
