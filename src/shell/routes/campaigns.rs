//! The console's campaigns (`/console/campaigns`): the list, the form of a new or draft
//! campaign (read by `domain::campaign_form` into the API's own `campaign::Definition` and its
//! checks), the review a draft is sent from, deleting a draft after a confirmation, and a sent
//! campaign's results. Sending is the API's own launch (`messages::launch_now`): members are
//! assigned and messages queued once, whoever presses Send twice. Every change is audited by
//! name. The console router has already checked the session, the role, the origin and the CSRF
//! token.

use worker::Response;

use super::console::{when, Desk, Person};
use super::messages::{launch_now, results_of};
use crate::domain::campaign::Definition;
use crate::domain::campaign_form::CampaignForm;
use crate::domain::ids::to_hex;
use crate::domain::language::Language;
use crate::domain::setup::FieldError;
use crate::shell::app::{random, App};
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::{campaigns as store, messages as store_messages};
use crate::view::campaigns::{self as view, ListLine, Version};

fn page(status: u16, body: String) -> Result<Response, AppError> {
    let resp = http::html_with_script(status, body, view::PREVIEW_SCRIPT)?;
    http::extend_csp(&resp, "frame-src 'self'")?;
    Ok(resp)
}

/// `GET /console/campaigns`.
pub(super) async fn list(
    app: &App,
    person: &Person,
    desk: &Desk,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let l = person.language;
    let m = person.merchant.to_string();
    let tz = desk.config.tz();
    let mut lines = Vec::new();
    for row in store::list(&app.db, &m).await? {
        let (state, at) = match (row.launched_at, row.scheduled_at) {
            (Some(at), _) => ("sent", Some(at)),
            (None, Some(at)) => ("scheduled", Some(at)),
            _ => ("draft", None),
        };
        // The first version's result of the newest few sent ones (one query each).
        let result = match (row.launched_at, row.definition(), lines.len() < 10) {
            (Some(launched), Some(d), true) => {
                let r = results_of(app, &row.id, launched, &d).await?;
                r.arms
                    .first()
                    .map(|a| view::result_sentence(l, &a.name, a.arm, r.holdout, a.versus.as_ref()))
            }
            _ => None,
        };
        lines.push(ListLine {
            id: row.id.clone(),
            name: row.name.clone(),
            segment: row.segment.clone(),
            state,
            when: at.map(|at| when(&tz, at)),
            result,
        });
    }
    http::html(200, view::list(l, &desk.frame(person), &lines, notice))
}

async fn form_page(
    app: &App,
    person: &Person,
    desk: &Desk,
    id: Option<&str>,
    form: &CampaignForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let reach = store::sizes(&app.db, &person.merchant.to_string()).await?;
    let v = view::FormView {
        id,
        form,
        errors,
        reach: &reach,
        zone: desk.config.tz().name(),
    };
    let status = if errors.is_empty() { 200 } else { 422 };
    page(status, view::form(person.language, &desk.frame(person), &v))
}

fn versions(d: &Definition) -> Vec<Version<'_>> {
    d.variants
        .iter()
        .map(|v| Version {
            name: &v.name,
            subject: &v.subject,
            text: &v.text,
        })
        .collect()
}

/// `GET /console/campaigns/{id}`: a draft's review, or a sent campaign's results.
async fn show(
    app: &App,
    person: &Person,
    desk: &Desk,
    id: &str,
    notice: Option<&str>,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let m = person.merchant.to_string();
    let row = store::get(&app.db, &m, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let d = row
        .definition()
        .ok_or_else(|| AppError::internal("a campaign's definition does not read"))?;
    let tz = desk.config.tz();
    let l = person.language;
    let f = desk.frame(person);
    let versions = versions(&d);
    if let Some(launched) = row.launched_at {
        let r = results_of(app, id, launched, &d).await?;
        let v = view::ResultsView {
            name: &row.name,
            segment: &row.segment,
            sent_on: &when(&tz, launched),
            window_days: d.window_days,
            window_ends: &when(&tz, r.window_end),
            done: app.now_ms >= r.window_end,
            arms: &r.arms,
            versions: &versions,
            notice,
        };
        return page(200, view::results(l, &f, &v));
    }
    let sizes = store::sizes(&app.db, &m).await?;
    let sends = store_messages::settings(&app.db, &m)
        .await?
        .is_some_and(|s| s.settings().sends());
    let v = view::ReviewView {
        id,
        name: &row.name,
        segment: &row.segment,
        reach: sizes.of(&row.segment),
        versions: &versions,
        holdout_percent: d.holdout_percent,
        window_days: d.window_days,
        scheduled: row.scheduled_at.map(|at| (when(&tz, at), at <= app.now_ms)),
        zone: tz.name(),
        sends,
        notice,
        error,
    };
    page(
        if error.is_some() { 409 } else { 200 },
        view::review(l, &f, &v),
    )
}

/// The `GET` pages under `/console/campaigns`.
pub(super) async fn get(
    app: &App,
    person: &Person,
    desk: &Desk,
    segments: &[&str],
) -> Result<Response, AppError> {
    let l = person.language;
    match segments {
        ["console", "campaigns"] => list(app, person, desk, None).await,
        ["console", "campaigns", "new"] => {
            form_page(app, person, desk, None, &CampaignForm::new(l), &[]).await
        }
        ["console", "campaigns", id] => show(app, person, desk, id, None, None).await,
        ["console", "campaigns", id, "edit"] => {
            let row = draft(app, person, id).await?;
            let d = row
                .definition()
                .ok_or_else(|| AppError::internal("a campaign's definition does not read"))?;
            let form = CampaignForm::of(&d, desk.config.tz());
            form_page(app, person, desk, Some(id), &form, &[]).await
        }
        ["console", "campaigns", id, "delete"] => {
            let row = draft(app, person, id).await?;
            http::html(
                200,
                view::confirm_delete(l, &desk.frame(person), id, &row.name),
            )
        }
        _ => Err(AppError::NotFound),
    }
}

/// Draft `id` of the person's merchant (a sent one cannot be changed or deleted: 404).
async fn draft(app: &App, person: &Person, id: &str) -> Result<store::Row, AppError> {
    store::get(&app.db, &person.merchant.to_string(), id)
        .await?
        .filter(|r| r.status == "draft")
        .ok_or(AppError::NotFound)
}

fn typed(fields: &[(String, String)]) -> CampaignForm {
    let get = |name: &str| http::form_field(fields, name).unwrap_or_default();
    CampaignForm {
        name: get("name"),
        segment: get("segment"),
        subject_a: get("subject_a"),
        text_a: get("text_a"),
        subject_b: get("subject_b"),
        text_b: get("text_b"),
        holdout: get("holdout"),
        window: get("window"),
        when: get("when"),
        date: get("date"),
        time: get("time"),
    }
}

async fn audit(
    app: &App,
    person: &Person,
    what: &str,
    id: &str,
    name: &str,
) -> Result<(), AppError> {
    super::tills::record(
        app,
        person,
        "campaign_changed",
        id,
        &serde_json::json!({ "id": id, "what": what, "name": name }),
    )
    .await
}

/// The `POST`s under `/console/campaigns`.
pub(super) async fn change(
    app: &App,
    person: &Person,
    fields: &[(String, String)],
    segments: &[&str],
) -> Result<Response, AppError> {
    let desk = Desk::open(app, person).await?;
    let l = person.language;
    let m = person.merchant.to_string();
    let tz = desk.config.tz();
    match segments {
        ["console", "campaigns", "new"] => {
            let form = typed(fields);
            match form.parse(tz, app.now_ms) {
                Err(errors) => form_page(app, person, &desk, None, &form, &errors).await,
                Ok(d) => {
                    let id = format!("cmp_{}", to_hex(&random::<8>()?));
                    store::insert(&app.db, &id, &m, &d, app.now_ms).await?;
                    audit(app, person, "created", &id, &d.name).await?;
                    http::see_other(&format!("/console/campaigns/{id}"))
                }
            }
        }
        ["console", "campaigns", id, "edit"] => {
            draft(app, person, id).await?;
            let form = typed(fields);
            match form.parse(tz, app.now_ms) {
                Err(errors) => form_page(app, person, &desk, Some(id), &form, &errors).await,
                Ok(d) => {
                    if !store::update(&app.db, &m, id, &d).await? {
                        return Err(AppError::NotFound);
                    }
                    audit(app, person, "changed", id, &d.name).await?;
                    show(
                        app,
                        person,
                        &desk,
                        id,
                        Some(l.pick("Saved.", "Zapisano.")),
                        None,
                    )
                    .await
                }
            }
        }
        ["console", "campaigns", id, "send"] => {
            match launch_now(app, &m, id, app.now_ms).await {
                Ok(row) => {
                    audit(app, person, "sent", id, &row.name).await?;
                    show(
                        app,
                        person,
                        &desk,
                        id,
                        Some(l.pick(
                            "Sent: the messages are on their way. Results fill in as customers come back.",
                            "Wysłano: wiadomości są w drodze. Wyniki uzupełnią się, gdy klienci będą wracać.",
                        )),
                        None,
                    )
                    .await
                }
                // Pressed twice, or sent by its schedule meanwhile: its results, once.
                Err(AppError::CampaignLaunched) => show(app, person, &desk, id, None, None).await,
                Err(AppError::MessagingOff) => {
                    let e = l.pick(
                        "Nothing was sent: messages are switched off.",
                        "Nic nie wysłano: wiadomości są wyłączone.",
                    );
                    show(app, person, &desk, id, None, Some(e)).await
                }
                Err(AppError::CampaignNotFound) => Err(AppError::NotFound),
                Err(e) => Err(e),
            }
        }
        ["console", "campaigns", id, "delete"] => {
            let row = draft(app, person, id).await?;
            if !store::delete(&app.db, &m, id).await? {
                return Err(AppError::NotFound);
            }
            audit(app, person, "deleted", id, &row.name).await?;
            list(
                app,
                person,
                &desk,
                Some(&match l {
                    Language::En => format!("The draft “{}” is deleted.", row.name),
                    Language::Pl => format!("Usunięto szkic „{}”.", row.name),
                }),
            )
            .await
        }
        _ => Err(AppError::NotFound),
    }
}
