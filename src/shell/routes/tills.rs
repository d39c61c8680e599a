//! The console's tills (pair a tablet with a one-time code, unpair it, how long a till keeps a
//! person signed in) and activity (the audit log in words). Pairing codes and tills live in the
//! directory (`store::tills`); audit lines and the programme on the merchant's shard.

use serde_json::json;
use worker::{Request, Response};

use super::console::{when, Desk, Person};
use crate::domain::ids::to_hex;
use crate::domain::language::Language;
use crate::domain::program::ProgramDraft;
use crate::domain::till::{self, IDLE_CHOICES};
use crate::shell::app::{random, App};
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::{audit, members, people, tills};
use crate::view::tills::{self as view, ActivityRow, NewCode, PairForm, TillRow, TillsView};

/// What the tills page shows after a post.
#[derive(Default)]
pub(super) struct After<'a> {
    pub form: PairForm<'a>,
    pub code: Option<NewCode<'a>>,
    pub notice: Option<&'a str>,
    /// The idle time posted was not one of the choices.
    pub idle_error: bool,
}

/// `GET /console/tills`, or the page after a post.
pub(super) async fn page(
    app: &App,
    person: &Person,
    desk: &Desk,
    after: &After<'_>,
    status: u16,
) -> Result<Response, AppError> {
    let tz = desk.config.tz();
    people::directory(&app.db);
    let lines = tills::list(&app.db, &person.merchant.to_string(), app.now_ms).await?;
    let rows: Vec<TillRow> = lines
        .into_iter()
        .map(|t| TillRow {
            location: u8::try_from(t.location)
                .ok()
                .and_then(|n| desk.config.location_name(n))
                .unwrap_or_default()
                .to_owned(),
            paired: when(&tz, t.paired_at),
            seen: when(&tz, t.seen_at),
            id: t.id,
            label: t.label,
            paired_by: t.paired_by,
            signed_in: t.signed_in,
        })
        .collect();
    let v = TillsView {
        tills: &rows,
        locations: &desk.config.locations,
        form: &after.form,
        code: after.code.as_ref(),
        idle_mins: desk.config.program.till_idle_mins,
        idle_error: after.idle_error,
        notice: after.notice,
    };
    let resp = http::html(
        status,
        view::tills(person.language, &desk.frame(person), &v),
    )?;
    resp.headers().set("cache-control", "no-store")?;
    Ok(resp)
}

/// Writes the audit line of a console action by `person` (the request moves to its merchant's
/// shard).
pub(super) async fn record(
    app: &App,
    person: &Person,
    action: &str,
    subject: &str,
    detail: &serde_json::Value,
) -> Result<(), AppError> {
    app.db.place(person.merchant);
    let id = to_hex(&random::<16>()?);
    let merchant = person.merchant.to_string();
    let line = audit::Line {
        id: &id,
        merchant: &merchant,
        actor: &person.person_id,
        actor_name: &person.name,
        device: "",
        action,
        subject,
        reason: "",
        detail,
    };
    audit::record(&app.db, &line, app.now_ms).await
}

/// The tills' forms: pair, unpair, the idle time.
pub(super) async fn change(
    req: &Request,
    app: &App,
    person: &Person,
    fields: &[(String, String)],
    segments: &[&str],
) -> Result<Response, AppError> {
    let l = person.language;
    let get = |name: &str| http::form_field(fields, name).unwrap_or_default();
    let desk = Desk::open(app, person).await?;
    match segments {
        ["console", "tills", "pair"] => {
            let (typed, location) = (get("label"), get("location"));
            let place = location
                .parse::<u8>()
                .ok()
                .and_then(|n| desk.config.location_name(n).map(|name| (n, name)));
            let label = till::parse_label(&typed);
            let (Ok(label), Some((number, location_name))) = (&label, place) else {
                let after = After {
                    form: PairForm {
                        label: &typed,
                        location: &location,
                        problem: label.err(),
                        bad_location: place.is_none(),
                    },
                    ..After::default()
                };
                return page(app, person, &desk, &after, 422).await;
            };
            let code = till::pairing_code(&random::<8>()?);
            let expires_at = app.now_ms + till::PAIRING_MS;
            let merchant = person.merchant.to_string();
            people::directory(&app.db);
            let made = tills::create_pairing(
                &app.db,
                &tills::NewPairing {
                    id: &till::code_id(&code),
                    merchant_id: &merchant,
                    location: number,
                    label,
                    person_id: &person.person_id,
                    expires_at,
                },
                app.now_ms,
            )
            .await?;
            if !made {
                return Err(AppError::Forbidden);
            }
            let detail = json!({ "label": label, "location": number });
            record(app, person, "till_pairing_code", label, &detail).await?;
            let origin = http::origin(req)?;
            let pair_page = format!("{origin}/staff/pair");
            let url = format!("{pair_page}?code={code}");
            let svg = crate::view::qr::svg(&url)
                .ok_or_else(|| AppError::internal("the pairing URL does not fit a QR code"))?;
            let until = chrono::DateTime::from_timestamp_millis(expires_at)
                .map(|t| {
                    t.with_timezone(&desk.config.tz())
                        .format("%H:%M")
                        .to_string()
                })
                .unwrap_or_default();
            let shown = till::show_code(&code);
            let after = After {
                code: Some(NewCode {
                    code: &shown,
                    url: &url,
                    svg: &svg,
                    pair_page: &pair_page,
                    until: &until,
                    label,
                    location: location_name,
                }),
                ..After::default()
            };
            page(app, person, &desk, &after, 201).await
        }
        ["console", "tills", id, "unpair"] => {
            people::directory(&app.db);
            let merchant = person.merchant.to_string();
            let Some(gone) = tills::unpair(&app.db, id, &merchant, app.now_ms).await? else {
                return Err(AppError::NotFound);
            };
            let detail = json!({ "label": gone.label, "location": gone.location });
            record(app, person, "till_unpaired", id, &detail).await?;
            let notice = match l {
                Language::En => format!(
                    "“{}” is unpaired: it shows the pairing form now.",
                    gone.label
                ),
                Language::Pl => format!(
                    "Kasa „{}” jest odłączona: pokazuje teraz formularz parowania.",
                    gone.label
                ),
            };
            let after = After {
                notice: Some(&notice),
                ..After::default()
            };
            page(app, person, &desk, &after, 200).await
        }
        ["console", "tills", "idle"] => {
            let Some(minutes) = get("idle_mins")
                .parse::<u32>()
                .ok()
                .filter(|m| IDLE_CHOICES.contains(m))
            else {
                let after = After {
                    idle_error: true,
                    ..After::default()
                };
                return page(app, person, &desk, &after, 422).await;
            };
            // The same path as the programme API: the whole programme, checked, a new version.
            let mut draft: ProgramDraft = serde_json::to_value(&desk.config.program)
                .and_then(serde_json::from_value)
                .map_err(|e| {
                    AppError::internal(format!("the programme does not read back: {e}"))
                })?;
            draft.till_idle_mins = minutes;
            super::program::store(app, person.merchant, draft).await?;
            record(app, person, "till_idle", "", &json!({ "minutes": minutes })).await?;
            http::see_other("/console/tills")
        }
        _ => Err(AppError::NotFound),
    }
}

/// `GET /console/activity`: the latest audit lines, in words.
pub(super) async fn activity(
    app: &App,
    person: &Person,
    desk: &Desk,
) -> Result<Response, AppError> {
    let l = person.language;
    let tz = desk.config.tz();
    let money = |minor: i64| desk.config.currency.format(minor);
    app.db.place(person.merchant);
    let lines = members::audit_log(&app.db, &person.merchant.to_string()).await?;
    let rows: Vec<ActivityRow> = lines
        .into_iter()
        .map(|a| {
            let detail: serde_json::Value = serde_json::from_str(&a.detail).unwrap_or_default();
            let who = if a.actor_name.is_empty() {
                match l {
                    Language::En => format!("API key {}", a.actor),
                    Language::Pl => format!("Klucz API {}", a.actor),
                }
            } else {
                a.actor_name.clone()
            };
            ActivityRow {
                when: when(&tz, a.created_at),
                who,
                device: a.device.clone(),
                what: view::describe(l, &a.action, &a.reason, &detail, &money),
            }
        })
        .collect();
    http::html(200, view::activity(l, &desk.frame(person), &rows))
}
