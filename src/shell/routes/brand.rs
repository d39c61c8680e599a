//! The console's card designer (`/console/card`): the logo (multipart, into R2), the brand's
//! colours with their readability, the stamp picture, the stamp card and the tone, and the
//! real card of a sample customer as a preview that follows the typed fields. The console
//! router (`routes::console`) has already checked the session, the role, and for changes the
//! origin and the CSRF token.
//!
//! The form goes through the API's own branding and program checks (`domain::card_form`); a
//! refused form comes back with the input kept, and nothing is stored (not even the logo).

use worker::{Request, Response};

use super::console::{Desk, Person};
use crate::domain::card_form::{self, CardForm};
use crate::domain::image::{self, Stored};
use crate::domain::program::{Branding, Profile, Program};
use crate::domain::setup::{FieldError, Problem};
use crate::shell::app::App;
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::{files, merchants, rewards};
use crate::view::brand::{self as view, CardView, LIVE_SCRIPT};

/// Reads the designer's form (multipart: the logo).
pub(super) async fn read_form(
    req: &mut Request,
) -> Result<(Vec<(String, String)>, Option<Vec<u8>>), AppError> {
    let mut names: Vec<&str> = card_form::FIELDS.to_vec();
    names.extend(["preview", "remove_logo"]);
    super::setup::read_form(req, &names, "logo").await
}

fn form_of(get: impl Fn(&str) -> String) -> CardForm {
    CardForm {
        primary: get("primary"),
        accent: get("accent"),
        stamp_icon: get("stamp_icon"),
        tone: get("tone"),
        card_size: get("card_size"),
        card_reward: get("card_reward"),
    }
}

fn preview_url(form: &CardForm) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("primary", &form.primary),
        ("accent", &form.accent),
        ("stamp_icon", &form.stamp_icon),
        ("tone", &form.tone),
        ("card_size", &form.card_size),
        ("card_reward", &form.card_reward),
    ] {
        q.append_pair(k, v);
    }
    format!("/console/card/preview?{}", q.finish())
}

/// The page: the designer frames the preview and runs its one script.
fn page(status: u16, body: String) -> Result<Response, AppError> {
    let resp = http::html_with_script(status, body, LIVE_SCRIPT)?;
    http::extend_csp(&resp, "frame-src 'self'")?;
    Ok(resp)
}

struct Shown<'a> {
    form: &'a CardForm,
    errors: &'a [FieldError],
    remove_logo: bool,
    choose_again: bool,
    notice: Option<&'a str>,
}

fn designer(person: &Person, desk: &Desk, s: &Shown<'_>) -> Result<Response, AppError> {
    let c = &desk.config;
    // The typed branding when it passes the checks, else the saved one.
    let shown = s
        .form
        .parse(&c.branding, &c.program, c.branding.logo_url.clone())
        .map_or_else(|_| c.branding.clone(), |k| k.branding);
    let v = CardView {
        form: s.form,
        shown: &shown,
        logo: c.branding.logo_url.as_deref(),
        errors: s.errors,
        preview: &preview_url(s.form),
        stamps: card_form::uses_stamps(&c.program),
        remove_logo: s.remove_logo,
        choose_again: s.choose_again,
        notice: s.notice,
    };
    let status = if s.errors.is_empty() { 200 } else { 422 };
    page(
        status,
        view::designer(person.language, &desk.frame(person), &v),
    )
}

/// Serves `/console/card` and its preview (`GET`).
pub(super) async fn show(
    req: &Request,
    app: &App,
    person: &Person,
    desk: &Desk,
    segments: &[&str],
) -> Result<Response, AppError> {
    let c = &desk.config;
    match segments {
        ["console", "card"] => {
            let form = CardForm::of(person.language, &c.branding, &c.program);
            designer(
                person,
                desk,
                &Shown {
                    form: &form,
                    errors: &[],
                    remove_logo: false,
                    choose_again: false,
                    notice: None,
                },
            )
        }
        ["console", "card", "preview"] => preview(req, app, person, desk).await,
        _ => Err(AppError::NotFound),
    }
}

/// `GET /console/card/preview`: the real card of a sample customer with the typed brand and
/// stamp card (each part as saved when what was typed does not pass), and the rewards on offer.
async fn preview(
    req: &Request,
    app: &App,
    person: &Person,
    desk: &Desk,
) -> Result<Response, AppError> {
    let c = &desk.config;
    let l = person.language;
    let stored = CardForm::of(l, &c.branding, &c.program);
    let q = |name: &str, fallback: &str| http::query(req, name).unwrap_or_else(|| fallback.into());
    let typed = CardForm {
        primary: q("primary", &stored.primary),
        accent: q("accent", &stored.accent),
        stamp_icon: q("stamp_icon", &stored.stamp_icon),
        tone: q("tone", &stored.tone),
        card_size: q("card_size", &stored.card_size),
        card_reward: q("card_reward", &stored.card_reward),
    };
    // Each part on its own over what is saved: a bad colour does not hide a good picture.
    let one = |set: &dyn Fn(&mut CardForm)| {
        let mut f = stored.clone();
        set(&mut f);
        f.parse(&c.branding, &c.program, c.branding.logo_url.clone())
            .ok()
    };
    let mut config = c.clone();
    let b = &mut config.branding;
    if let Some(k) = one(&|f| f.primary = typed.primary.clone()) {
        b.primary_color = k.branding.primary_color;
    }
    if let Some(k) = one(&|f| f.accent = typed.accent.clone()) {
        b.accent_color = k.branding.accent_color;
    }
    if let Some(k) = one(&|f| f.stamp_icon = typed.stamp_icon.clone()) {
        b.stamp_icon = k.branding.stamp_icon;
    }
    if let Some(k) = one(&|f| f.tone = typed.tone.clone()) {
        b.tone = k.branding.tone;
    }
    let stamp_card = one(&|f| {
        f.card_size = typed.card_size.clone();
        f.card_reward = typed.card_reward.clone();
    });
    if let Some(p) = stamp_card
        .and_then(|k| k.program)
        .and_then(|d| Program::try_from(d).ok())
    {
        config.program.stamp_card_size = p.stamp_card_size;
        config.program.card_reward = p.card_reward;
    }
    let lines = rewards::list(&app.db, &person.merchant.to_string(), true, app.now_ms)
        .await?
        .into_iter()
        .map(super::card::reward_line)
        .collect();
    super::setup::sample_card(app, l, &config, lines)
}

/// `POST /console/card`: preview, or save the card (the logo into R2 only once the form
/// passes), audited by name.
pub(super) async fn change(
    app: &App,
    person: &Person,
    fields: &[(String, String)],
    file: Option<Vec<u8>>,
    segments: &[&str],
) -> Result<Response, AppError> {
    if segments != ["console", "card"] {
        return Err(AppError::NotFound);
    }
    let l = person.language;
    let desk = Desk::open(app, person).await?;
    let c = &desk.config;
    let get = |name: &str| http::form_field(fields, name).unwrap_or_default();
    let flag = |name: &str| !get(name).is_empty();
    let form = form_of(get);
    let chosen = file.as_ref().is_some_and(|b| !b.is_empty());
    let again = |errors: &[FieldError], notice: Option<&str>| {
        designer(
            person,
            &desk,
            &Shown {
                form: &form,
                errors,
                remove_logo: flag("remove_logo"),
                choose_again: chosen && notice.is_none(),
                notice,
            },
        )
    };
    let upload = match file.filter(|b| !b.is_empty()) {
        None => None,
        Some(bytes) => match image::check(&bytes) {
            Ok(kind) => Some((Stored::of(person.merchant, kind, &bytes), bytes)),
            Err(r) => {
                let e = [FieldError {
                    field: "logo",
                    problem: Problem::Image(r),
                }];
                return again(&e, None);
            }
        },
    };
    let logo = match &upload {
        Some((s, _)) => Some(s.path()),
        None if flag("remove_logo") => None,
        None => c.branding.logo_url.clone(),
    };
    let checked = match form.parse(&c.branding, &c.program, logo) {
        Ok(k) => k,
        Err(errors) => return again(&errors, None),
    };
    if flag("preview") {
        return again(&[], None);
    }
    if let Some((stored, bytes)) = upload {
        files::put(app, &stored, bytes).await?;
    }
    let changed = describe(&c.branding, &checked.branding, checked.program.is_some());
    if let Some(draft) = checked.program {
        match super::program::store(app, person.merchant, draft).await {
            Ok(_) => {}
            Err(AppError::InvalidField { .. }) => {
                let e = [FieldError {
                    field: "card_size",
                    problem: Problem::Refused,
                }];
                return again(&e, None);
            }
            Err(e) => return Err(e),
        }
    }
    if checked.branding != c.branding {
        let profile = Profile {
            name: c.name.clone(),
            branding: checked.branding,
            time_zone: c.time_zone.clone(),
        };
        merchants::update_profile(&app.db, person.merchant, &profile).await?;
        cache::refresh(app, person.merchant).await?;
    }
    if !changed.is_empty() {
        super::tills::record(
            app,
            person,
            "card_changed",
            "",
            &serde_json::json!({ "changed": changed }),
        )
        .await?;
    }
    let desk = Desk::open(app, person).await?;
    let c = &desk.config;
    let saved = CardForm::of(l, &c.branding, &c.program);
    let notice = if changed.is_empty() {
        l.pick(
            "Nothing to save: the card is as it was.",
            "Nie ma nic do zapisania: karta jest bez zmian.",
        )
    } else {
        l.pick(
            "The card is saved: customers see it now.",
            "Zapisano kartę: klienci już ją widzą.",
        )
    };
    designer(
        person,
        &desk,
        &Shown {
            form: &saved,
            errors: &[],
            remove_logo: false,
            choose_again: false,
            notice: Some(notice),
        },
    )
}

/// The parts of the card a save changes, by name (for the audit).
fn describe(before: &Branding, after: &Branding, stamp_card: bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    if before.logo_url != after.logo_url {
        out.push("logo");
    }
    if before.primary_color != after.primary_color || before.accent_color != after.accent_color {
        out.push("colours");
    }
    if before.stamp_icon != after.stamp_icon {
        out.push("stamp_icon");
    }
    if before.tone != after.tone {
        out.push("tone");
    }
    if stamp_card {
        out.push("stamp_card");
    }
    out
}
