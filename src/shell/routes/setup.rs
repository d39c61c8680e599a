//! The guided set-up after sign-up (`/console/setup/{step}`), the card preview its first step
//! shows, the console's printable poster (`/console/poster`, A4 or a table tent), the logo
//! upload (multipart, into R2) and the uploaded images served from our origin
//! (`/files/<merchant>/<sha256>.<ext>`). The console router (`routes::console`) has already
//! checked the session, the role, and for changes the origin and the CSRF token.
//!
//! Every field goes through the checks the API uses (`domain::setup` over `program`, `reward`
//! and `Profile::patched`); a refused form comes back with the input kept and nothing saved.

use worker::{FormEntry, Request, Response};

use super::console::{Desk, Person};
use super::counter::{self, default_lifetime};
use crate::domain::account::COUNTRIES;
use crate::domain::ids::to_hex;
use crate::domain::image::{self, Stored};
use crate::domain::language::Language;
use crate::domain::program::{MerchantConfig, Profile};
use crate::domain::setup::{
    self, default_rewards, location_field, reward_fields, EarnForm, FieldError, LocationsForm,
    Mode, Problem, Progress, RewardRow, State, Step, REWARD_ROWS,
};
use crate::domain::token::ScanKind;
use crate::shell::app::{random, App};
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::{files, merchants, rewards, setup as store};
use crate::view::card::{self as card_view, CardExtras, CardState, EntryLine};
use crate::view::setup::{self as view, BusinessForm, RewardLine};

/// The largest upload request read at all (the image's 1 MB, the form around it, and room to
/// say "too large" on the form rather than refuse the request).
const UPLOAD_LIMIT: usize = 2 * image::MAX_BYTES;

/// Reads a changing form that may upload a file: multipart (the CSRF token and `names` its
/// fields, `file_field` the file), or else the usual urlencoded form.
pub(super) async fn read_form(
    req: &mut Request,
    names: &[&str],
    file_field: &str,
) -> Result<(Vec<(String, String)>, Option<Vec<u8>>), AppError> {
    let kind = req
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    if !kind.starts_with("multipart/form-data") {
        return Ok((http::form_body(req).await?, None));
    }
    let length: usize = req
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
        .unwrap_or(UPLOAD_LIMIT + 1);
    if length > UPLOAD_LIMIT {
        return Err(AppError::BodyTooLarge {
            limit: UPLOAD_LIMIT,
        });
    }
    let data = req
        .form_data()
        .await
        .map_err(|_| AppError::UnsupportedMediaType {
            expected: "multipart/form-data",
        })?;
    let fields = std::iter::once("csrf")
        .chain(names.iter().copied())
        .filter_map(|name| data.get_field(name).map(|v| (name.to_owned(), v)))
        .collect();
    let file = match data.get(file_field) {
        Some(FormEntry::File(f)) => Some(f.bytes().await?),
        Some(FormEntry::Field(v)) => Some(v.into_bytes()),
        None => None,
    };
    Ok((fields, file))
}

fn merchant_of(person: &Person) -> String {
    person.merchant.to_string()
}

/// A console page that frames a preview of ours (the set-up's and the catalog's card): the
/// console's headers, and frames from our origin.
pub(super) fn page(status: u16, body: String) -> Result<Response, AppError> {
    let resp = http::html(status, body)?;
    http::extend_csp(&resp, "frame-src 'self'")?;
    Ok(resp)
}

/// The next page after `step`: the next step, or the console home after the last.
fn after(step: Step) -> Result<Response, AppError> {
    match step.next() {
        Some(next) => http::see_other(&next.path()),
        None => http::see_other("/console"),
    }
}

fn preview_url(primary: &str, accent: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("primary", primary)
        .append_pair("accent", accent)
        .finish();
    format!("/console/setup/preview?{query}")
}

/// Serves a set-up page (`GET`).
pub(super) async fn show(
    req: &Request,
    app: &App,
    person: &Person,
    desk: &Desk,
    segments: &[&str],
) -> Result<Response, AppError> {
    let l = person.language;
    let f = desk.frame(person);
    let c = &desk.config;
    let m = merchant_of(person);
    match segments {
        ["console", "poster"] => poster(req, app, l, c),
        ["console", "setup", "preview"] => preview(req, app, l, c),
        ["console", "setup", step] => {
            let step = Step::parse(step).ok_or(AppError::NotFound)?;
            let progress = store::progress(&app.db, &m).await?;
            let body = match step {
                Step::Business => business_page(l, desk, person, &progress, &[], None, None),
                Step::Earn => {
                    let form = EarnForm::of(l, &c.program, progress.mode);
                    view::earn(l, &f, &progress, &c.currency.code, &form, &[])
                }
                Step::Rewards => {
                    let mode = progress.mode.unwrap_or_else(|| Mode::of(&c.program));
                    let existing = reward_lines(app, person, l, c).await?;
                    let rows = if existing.is_empty() {
                        default_rewards(l, mode, &c.program, &c.currency)
                    } else {
                        Vec::new()
                    };
                    view::rewards(l, &f, &progress, mode, &existing, &rows, &[])
                }
                Step::Locations => view::locations(
                    l,
                    &f,
                    &progress,
                    &zones(),
                    &c.time_zone,
                    &c.locations,
                    "",
                    &[],
                ),
                Step::Print => view::print(l, &f, &progress, &c.locations),
            };
            page(200, body)
        }
        _ => Err(AppError::NotFound),
    }
}

/// The time zones the forms offer (the countries' own).
pub(super) fn zones() -> Vec<&'static str> {
    let mut z: Vec<&str> = COUNTRIES.iter().map(|c| c.time_zone).collect();
    z.sort_unstable();
    z.dedup();
    z
}

fn business_page(
    l: Language,
    desk: &Desk,
    person: &Person,
    progress: &Progress,
    errors: &[FieldError],
    typed: Option<(&str, &str)>,
    notice: Option<&str>,
) -> String {
    let b = &desk.config.branding;
    let (primary, accent) = typed.unwrap_or((&b.primary_color, &b.accent_color));
    // The preview shows the typed colours when they pass the checks, else the saved ones.
    let shown = setup::branding(b, primary, accent).unwrap_or_else(|_| b.clone());
    let preview = preview_url(&shown.primary_color, &shown.accent_color);
    view::business(
        l,
        &desk.frame(person),
        progress,
        &BusinessForm {
            primary,
            accent,
            logo: b.logo_url.as_deref(),
            errors,
            preview: &preview,
            notice,
        },
    )
}

async fn reward_lines(
    app: &App,
    person: &Person,
    l: Language,
    c: &MerchantConfig,
) -> Result<Vec<RewardLine>, AppError> {
    Ok(
        rewards::list(&app.db, &merchant_of(person), false, app.now_ms)
            .await?
            .into_iter()
            .map(|r| RewardLine {
                cost: match r.cost_points {
                    Some(p) => format!("{p} {}", l.pick("points", "pkt")),
                    None => l.pick("a full stamp card", "pełna karta pieczątek").into(),
                } + &match (r.kind.as_str(), r.value) {
                    ("cashback", Some(v)) => format!(" → {}", c.currency.format(v)),
                    _ => String::new(),
                },
                name: r.name,
            })
            .collect(),
    )
}

/// `GET /console/setup/preview`: the real card page of a sample member, in the merchant's
/// branding with the colours of the query (when they pass the checks), framed by the set-up.
fn preview(
    req: &Request,
    app: &App,
    l: Language,
    c: &MerchantConfig,
) -> Result<Response, AppError> {
    let mut config = c.clone();
    let primary = http::query(req, "primary").unwrap_or_else(|| c.branding.primary_color.clone());
    let accent = http::query(req, "accent").unwrap_or_else(|| c.branding.accent_color.clone());
    if let Ok(b) = setup::branding(&c.branding, &primary, &accent) {
        config.branding = b;
    }
    sample_card(app, l, &config, Vec::new())
}

/// The real card page of a sample member ("Alex", part-way through a stamp card, enough points
/// for every reward listed) in `config`'s branding, to be framed by a console page of ours.
pub(super) fn sample_card(
    app: &App,
    l: Language,
    config: &MerchantConfig,
    rewards: Vec<card_view::RewardLine>,
) -> Result<Response, AppError> {
    let stamps = i64::from(config.program.stamp_card_size.saturating_sub(3).max(1));
    let most = rewards
        .iter()
        .filter_map(|r| r.cost_points)
        .max()
        .unwrap_or(0);
    let state = CardState {
        name: l.pick("Alex", "Ola").into(),
        code: "A1B2C3D4".into(),
        points: if config.program.points_per_major_unit > 0 || most > 0 {
            most.max(120)
        } else {
            0
        },
        pending: 0,
        stamps: if config.program.stamps_per_visit > 0 {
            stamps
        } else {
            0
        },
        tier: None,
    };
    let entries = [EntryLine {
        reason: "scan".into(),
        points: 0,
        stamps: 1,
        created_at_ms: app.now_ms - 3_600_000,
        note: None,
    }];
    let extras = CardExtras {
        rewards,
        ..CardExtras::default()
    };
    let body = card_view::card(l, config, &state, &entries, &extras, app.now_ms);
    let resp = http::html(200, body)?;
    resp.headers().set(
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: https:; form-action 'none'; base-uri 'none'; frame-ancestors 'self'",
    )?;
    resp.headers().set("x-frame-options", "SAMEORIGIN")?;
    Ok(resp)
}

/// `GET /console/poster?location=N&layout=a4|tent`: the poster the staff screen prints, or the
/// table tent, for an owner or manager signed in to the console.
fn poster(req: &Request, app: &App, l: Language, c: &MerchantConfig) -> Result<Response, AppError> {
    let number: u8 = http::query(req, "location")
        .and_then(|n| n.parse().ok())
        .or_else(|| c.locations.first().map(|(n, _)| *n))
        .unwrap_or(1);
    let name = c
        .location_name(number)
        .ok_or(AppError::UnknownLocation(number))?
        .to_owned();
    let origin = http::origin(req)?;
    let s = counter::sign(
        app,
        c,
        number,
        ScanKind::Visit,
        default_lifetime(ScanKind::Visit)?,
        &origin,
    )?;
    let body = match http::query(req, "layout").as_deref() {
        Some("tent") => view::table_tent(l, c, &name, &s.url, &s.svg),
        _ => crate::view::staff::poster(l, c, &name, &s.url, &s.svg),
    };
    http::html(200, body)
}

/// Handles a set-up form (`POST`): save and continue, skip, or (business) preview.
pub(super) async fn change(
    app: &App,
    person: &Person,
    fields: &[(String, String)],
    file: Option<Vec<u8>>,
    segments: &[&str],
) -> Result<Response, AppError> {
    let l = person.language;
    let desk = Desk::open(app, person).await?;
    let m = merchant_of(person);
    let get = |name: &str| http::form_field(fields, name).unwrap_or_default();
    let slug = match segments {
        ["console", "setup", slug] => *slug,
        _ => return Err(AppError::NotFound),
    };
    if slug == "logo" {
        return upload(app, person, &desk, file.unwrap_or_default()).await;
    }
    let step = Step::parse(slug).ok_or(AppError::NotFound)?;
    if !get("skip").is_empty() {
        store::mark(&app.db, &m, step, State::Skipped, None, app.now_ms).await?;
        return after(step);
    }
    let c = &desk.config;
    let progress = store::progress(&app.db, &m).await?;
    let f = desk.frame(person);
    match step {
        Step::Business => {
            let (primary, accent) = (get("primary"), get("accent"));
            let checked = setup::branding(&c.branding, &primary, &accent);
            let previewing = !get("preview").is_empty();
            match checked {
                Err(errors) => page(
                    422,
                    business_page(
                        l,
                        &desk,
                        person,
                        &progress,
                        &errors,
                        Some((&primary, &accent)),
                        None,
                    ),
                ),
                Ok(_) if previewing => page(
                    200,
                    business_page(
                        l,
                        &desk,
                        person,
                        &progress,
                        &[],
                        Some((&primary, &accent)),
                        None,
                    ),
                ),
                Ok(branding) => {
                    let profile = Profile {
                        name: c.name.clone(),
                        branding,
                        time_zone: c.time_zone.clone(),
                    };
                    merchants::update_profile(&app.db, person.merchant, &profile).await?;
                    cache::refresh(app, person.merchant).await?;
                    store::mark(&app.db, &m, step, State::Done, None, app.now_ms).await?;
                    after(step)
                }
            }
        }
        Step::Earn => {
            let form = EarnForm {
                mode: get("mode"),
                card_size: get("card_size"),
                per_visit: get("per_visit"),
                card_reward: get("card_reward"),
                per_unit: get("per_unit"),
            };
            let again = |errors: &[FieldError]| {
                page(
                    422,
                    view::earn(l, &f, &progress, &c.currency.code, &form, errors),
                )
            };
            let (mode, draft) = match form.parse(&c.program) {
                Ok(ok) => ok,
                Err(errors) => return again(&errors),
            };
            match super::program::store(app, person.merchant, draft).await {
                Ok(_) => {}
                Err(AppError::InvalidField { .. }) => {
                    return again(&[FieldError {
                        field: "mode",
                        problem: Problem::Refused,
                    }])
                }
                Err(e) => return Err(e),
            }
            app.db.place(person.merchant);
            store::mark(
                &app.db,
                &m,
                step,
                State::Done,
                Some(mode.as_str()),
                app.now_ms,
            )
            .await?;
            after(step)
        }
        Step::Rewards => {
            let mode = progress.mode.unwrap_or_else(|| Mode::of(&c.program));
            let rows: Vec<RewardRow> = (0..REWARD_ROWS)
                .map(|i| {
                    let (n, p, a) = reward_fields(i);
                    RewardRow {
                        name: get(n),
                        points: get(p),
                        amount: get(a),
                    }
                })
                .collect();
            match setup::rewards(mode, &c.currency, &rows) {
                Err(errors) => {
                    let existing = reward_lines(app, person, l, c).await?;
                    page(
                        422,
                        view::rewards(l, &f, &progress, mode, &existing, &rows, &errors),
                    )
                }
                Ok(checked) => {
                    let mut named = Vec::new();
                    for r in checked {
                        named.push((to_hex(&random::<16>()?), r));
                    }
                    rewards::insert_all(&app.db, &m, &named, app.now_ms).await?;
                    store::mark(&app.db, &m, step, State::Done, None, app.now_ms).await?;
                    after(step)
                }
            }
        }
        Step::Locations => {
            let (form, profile) = locations_form(fields, c);
            match form.parse(&profile, &c.locations) {
                Err(errors) => {
                    let typed: Vec<(u8, String)> = c
                        .locations
                        .iter()
                        .map(|(n, _)| *n)
                        .zip(form.names.iter().cloned())
                        .collect();
                    let body = view::locations(
                        l,
                        &f,
                        &progress,
                        &zones(),
                        &form.time_zone,
                        &typed,
                        &form.new,
                        &errors,
                    );
                    page(422, body)
                }
                Ok(checked) => {
                    save_locations(app, person, &checked).await?;
                    store::mark(&app.db, &m, step, State::Done, None, app.now_ms).await?;
                    after(step)
                }
            }
        }
        Step::Print => {
            store::mark(&app.db, &m, step, State::Done, None, app.now_ms).await?;
            after(step)
        }
    }
}

/// The locations form as posted (a name per location there is, a new one, the time zone) and
/// the profile it is laid over.
pub(super) fn locations_form(
    fields: &[(String, String)],
    c: &MerchantConfig,
) -> (LocationsForm, Profile) {
    let get = |name: &str| http::form_field(fields, name).unwrap_or_default();
    let form = LocationsForm {
        time_zone: get("time_zone"),
        names: c
            .locations
            .iter()
            .map(|(n, _)| get(&location_field(*n)))
            .collect(),
        new: get("new"),
    };
    let profile = Profile {
        name: c.name.clone(),
        branding: c.branding.clone(),
        time_zone: c.time_zone.clone(),
    };
    (form, profile)
}

/// Stores a checked locations form: the profile (time zone), renames, a new location; then the
/// cached configuration.
pub(super) async fn save_locations(
    app: &App,
    person: &Person,
    checked: &setup::Locations,
) -> Result<(), AppError> {
    merchants::update_profile(&app.db, person.merchant, &checked.profile).await?;
    for (n, name) in &checked.renamed {
        merchants::rename_location(&app.db, person.merchant, *n, name).await?;
    }
    if let Some(new) = &checked.new {
        merchants::add_location(&app.db, person.merchant, new).await?;
    }
    cache::refresh(app, person.merchant).await?;
    Ok(())
}

/// `POST /console/setup/logo`: checks the bytes (magic bytes, 1 MB, no SVG), stores them under
/// their SHA-256 in R2, and sets the logo through the branding checks; a refusal stores nothing.
async fn upload(
    app: &App,
    person: &Person,
    desk: &Desk,
    bytes: Vec<u8>,
) -> Result<Response, AppError> {
    let l = person.language;
    let m = merchant_of(person);
    let refuse = |problem: Problem, progress: &Progress| {
        let e = [FieldError {
            field: "logo",
            problem,
        }];
        page(
            422,
            business_page(l, desk, person, progress, &e, None, None),
        )
    };
    let kind = match image::check(&bytes) {
        Ok(k) => k,
        Err(r) => {
            let progress = store::progress(&app.db, &m).await?;
            return refuse(Problem::Image(r), &progress);
        }
    };
    let stored = Stored::of(person.merchant, kind, &bytes);
    let branding = match setup::with_logo(&desk.config.branding, &stored.path()) {
        Ok(b) => b,
        Err(e) => {
            let progress = store::progress(&app.db, &m).await?;
            return refuse(e.problem, &progress);
        }
    };
    files::put(app, &stored, bytes).await?;
    let c = &desk.config;
    let profile = Profile {
        name: c.name.clone(),
        branding,
        time_zone: c.time_zone.clone(),
    };
    merchants::update_profile(&app.db, person.merchant, &profile).await?;
    cache::refresh(app, person.merchant).await?;
    http::see_other(&Step::Business.path())
}

/// `GET /files/{merchant}/{file}`: an uploaded image with its type, never sniffed, cached for a
/// year (its name is its content's hash, so it never changes); anything else is a plain 404.
pub async fn file(app: &App, merchant: &str, name: &str) -> Result<Response, AppError> {
    let not_found = || -> Result<Response, AppError> {
        let resp = Response::ok("No such file.")?.with_status(404);
        resp.headers().set("x-content-type-options", "nosniff")?;
        resp.headers().set("cache-control", "no-store")?;
        Ok(resp)
    };
    let Some(stored) = Stored::parse_path(&format!("{}{merchant}/{name}", image::PREFIX)) else {
        return not_found();
    };
    let Some(bytes) = files::get(app, &stored).await? else {
        return not_found();
    };
    let resp = Response::from_bytes(bytes)?;
    let h = resp.headers();
    h.set("content-type", stored.kind.content_type())?;
    h.set("x-content-type-options", "nosniff")?;
    h.set("cache-control", "public, max-age=31536000, immutable")?;
    h.set("content-security-policy", "default-src 'none'; sandbox")?;
    h.set("cross-origin-resource-policy", "same-site")?;
    Ok(resp)
}
