//! The console's rewards catalog (`/console/rewards`): the list with each reward's use, a
//! reward's form (new or saved) with its picture, the card preview customers will see, and
//! archiving with a confirmation (a reward is never deleted: codes customers hold stay valid).
//! The console router (`routes::console`) has already checked the session, the role, and for
//! changes the origin and the CSRF token.
//!
//! Every form goes through the API's own reward checks (`domain::reward_form` over
//! `domain::reward`); a refused form comes back with the input kept and nothing saved or stored.

use worker::{Request, Response};

use super::console::{Desk, Person};
use super::setup::page;
use crate::domain::ids::to_hex;
use crate::domain::image::{self, Stored};
use crate::domain::language::Language;
use crate::domain::reward::Reward;
use crate::domain::reward_form::{self, RewardForm};
use crate::domain::setup::{FieldError, Problem};
use crate::shell::app::{random, App};
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::store::files;
use crate::shell::store::rewards::{self, ConsoleReward};
use crate::view::card::RewardLine;
use crate::view::catalog::{self as view, FormView, Line};

/// The window a reward's use is counted over, in days.
const DAYS: i64 = 30;

/// Reads a catalog form: the reward's form is multipart (its picture), the others urlencoded.
pub(super) async fn read_form(
    req: &mut Request,
) -> Result<(Vec<(String, String)>, Option<Vec<u8>>), AppError> {
    let mut names: Vec<&str> = reward_form::FIELDS.to_vec();
    names.extend(["preview", "remove_image", "confirm"]);
    super::setup::read_form(req, &names, "image").await
}

fn merchant_of(person: &Person) -> String {
    person.merchant.to_string()
}

fn line(r: &ConsoleReward) -> Line {
    Line {
        id: r.id.clone(),
        name: r.name.clone(),
        description: r.description.clone(),
        image: r.image.clone(),
        kind: r.kind.clone(),
        value: r.value,
        cost_points: r.cost_points,
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        stock: r.stock,
        per_member_limit: r.per_member_limit,
        active: r.active == 1,
        redeemed: r.redeemed,
        waiting: r.waiting,
    }
}

async fn all(app: &App, person: &Person) -> Result<Vec<ConsoleReward>, AppError> {
    rewards::console_list(
        &app.db,
        &merchant_of(person),
        app.now_ms - DAYS * 86_400_000,
    )
    .await
}

/// The preview's address for the typed form of reward `id` (or a new one).
fn preview_url(id: Option<&str>, form: Option<&RewardForm>) -> String {
    let Some(r) = form else {
        return "/console/rewards/preview".into();
    };
    let mut q = form_urlencoded::Serializer::new(String::new());
    if let Some(id) = id {
        q.append_pair("id", id);
    }
    for (k, v) in [
        ("name", &r.name),
        ("description", &r.description),
        ("kind", &r.kind),
        ("amount", &r.amount),
        ("percent", &r.percent),
        ("coupon_code", &r.coupon_code),
        ("pays", &r.pays),
        ("points", &r.points),
        ("stock", &r.stock),
        ("limit", &r.limit),
        ("starts", &r.starts),
        ("ends", &r.ends),
    ] {
        q.append_pair(k, v);
    }
    format!("/console/rewards/preview?{}", q.finish())
}

fn form_of(get: impl Fn(&str) -> String) -> RewardForm {
    RewardForm {
        name: get("name"),
        description: get("description"),
        kind: get("kind"),
        amount: get("amount"),
        percent: get("percent"),
        coupon_code: get("coupon_code"),
        pays: get("pays"),
        points: get("points"),
        stock: get("stock"),
        limit: get("limit"),
        starts: get("starts"),
        ends: get("ends"),
    }
}

fn stored_form(desk: &Desk, r: &ConsoleReward) -> RewardForm {
    let c = &desk.config;
    RewardForm::of(
        &reward_form::Stored {
            name: &r.name,
            description: r.description.as_deref(),
            kind: &r.kind,
            value: r.value,
            coupon_code: r.coupon_code.as_deref(),
            cost_points: r.cost_points,
            stock: r.stock,
            per_member_limit: r.per_member_limit,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
        },
        &c.currency,
        c.tz(),
    )
}

fn stamps(desk: &Desk) -> bool {
    let p = &desk.config.program;
    p.stamps_per_visit > 0 || p.stamps_per_purchase > 0
}

/// Serves a catalog page (`GET`).
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
    match segments {
        ["console", "rewards"] => {
            let lines: Vec<Line> = all(app, person).await?.iter().map(line).collect();
            page(200, view::list(l, &f, c, &lines, None, app.now_ms))
        }
        ["console", "rewards", "new"] => {
            let form = RewardForm::blank(stamps(desk));
            let v = FormView {
                id: None,
                form: &form,
                image: None,
                errors: &[],
                preview: &preview_url(None, None),
                usage: None,
                remove_image: false,
                choose_again: false,
                stock_was: "",
            };
            page(200, view::form(l, &f, c, &v))
        }
        ["console", "rewards", "preview"] => preview(req, app, person, desk).await,
        ["console", "rewards", id] => {
            let rows = all(app, person).await?;
            let r = rows
                .iter()
                .find(|r| r.id == *id)
                .ok_or(AppError::NotFound)?;
            let form = stored_form(desk, r);
            let v = FormView {
                id: Some(id),
                form: &form,
                image: r.image.as_deref(),
                errors: &[],
                preview: &preview_url(Some(id), None),
                usage: Some(view::usage(l, &line(r))),
                remove_image: false,
                choose_again: false,
                stock_was: &form.stock,
            };
            page(200, view::form(l, &f, c, &v))
        }
        _ => Err(AppError::NotFound),
    }
}

/// `GET /console/rewards/preview`: the real card of a sample customer listing the rewards on
/// offer now; with a typed form in the query, that reward as typed (in place of the saved one).
async fn preview(
    req: &Request,
    app: &App,
    person: &Person,
    desk: &Desk,
) -> Result<Response, AppError> {
    let l = person.language;
    let c = &desk.config;
    let mut lines: Vec<RewardLine> = rewards::list(&app.db, &merchant_of(person), true, app.now_ms)
        .await?
        .into_iter()
        .map(super::card::reward_line)
        .collect();
    let q = |name: &str| http::query(req, name).unwrap_or_default();
    if http::query(req, "name").is_some() {
        let id = q("id");
        let kept = lines
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.image.clone());
        lines.retain(|r| r.id != id);
        if let Ok(r) = form_of(q).parse(&c.currency, c.tz(), kept, true) {
            lines.insert(0, typed_line(&r));
        }
    }
    super::setup::sample_card(app, l, c, lines)
}

fn typed_line(r: &Reward) -> RewardLine {
    let (kind, value, _) = r.gift.columns();
    RewardLine {
        id: "preview".into(),
        name: r.name.clone(),
        cost_points: match r.cost {
            crate::domain::reward::Cost::Points(p) => Some(i64::from(p)),
            crate::domain::reward::Cost::StampCard => None,
        },
        kind: kind.into(),
        value,
        description: r.description.clone(),
        image: r.image.clone(),
        ends_at: r.ends_at,
        stock: r.stock.map(i64::from),
    }
}

/// Handles a catalog form (`POST`): add, save, preview, archive (after a confirmation),
/// offer again.
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
    match segments {
        ["console", "rewards", id, action @ ("archive" | "restore")] => {
            let rows = all(app, person).await?;
            let r = rows
                .iter()
                .find(|r| r.id == *id)
                .ok_or(AppError::NotFound)?;
            let archive = *action == "archive";
            if archive && get("confirm").is_empty() && r.active == 1 {
                return page(200, view::confirm_archive(l, &desk.frame(person), &line(r)));
            }
            if rewards::set_active(&app.db, id, &m, !archive, app.now_ms).await? {
                let what = if archive {
                    "reward_archived"
                } else {
                    "reward_restored"
                };
                super::tills::record(
                    app,
                    person,
                    what,
                    id,
                    &serde_json::json!({ "name": r.name }),
                )
                .await?;
            }
            let notice = match (archive, l) {
                (true, Language::En) => format!("“{}” is archived.", r.name),
                (true, Language::Pl) => format!("„{}” trafiła do archiwum.", r.name),
                (false, Language::En) => format!("“{}” is on offer again.", r.name),
                (false, Language::Pl) => format!("„{}” znów jest w ofercie.", r.name),
            };
            let lines: Vec<Line> = all(app, person).await?.iter().map(line).collect();
            page(
                200,
                view::list(
                    l,
                    &desk.frame(person),
                    &desk.config,
                    &lines,
                    Some(&notice),
                    app.now_ms,
                ),
            )
        }
        ["console", "rewards", target] => {
            let existing = match *target {
                "new" => None,
                id => Some(
                    all(app, person)
                        .await?
                        .into_iter()
                        .find(|r| r.id == id)
                        .ok_or(AppError::NotFound)?,
                ),
            };
            save(app, person, &desk, existing, form_of(get), fields, file).await
        }
        _ => Err(AppError::NotFound),
    }
}

async fn save(
    app: &App,
    person: &Person,
    desk: &Desk,
    existing: Option<ConsoleReward>,
    form: RewardForm,
    fields: &[(String, String)],
    file: Option<Vec<u8>>,
) -> Result<Response, AppError> {
    let l = person.language;
    let c = &desk.config;
    let m = merchant_of(person);
    let flag = |name: &str| http::form_field(fields, name).is_some_and(|v| !v.is_empty());
    let id = existing.as_ref().map(|r| r.id.clone());
    let shown = existing.as_ref().and_then(|r| r.image.clone());
    let kept = shown.clone().filter(|_| !flag("remove_image"));
    let chosen = file.as_ref().is_some_and(|b| !b.is_empty());
    let stock_was = http::form_field(fields, "stock_was").unwrap_or_default();
    let again = |errors: &[FieldError], preview: String| {
        let v = FormView {
            id: id.as_deref(),
            form: &form,
            image: shown.as_deref(),
            errors,
            preview: &preview,
            usage: existing.as_ref().map(|r| view::usage(l, &line(r))),
            remove_image: flag("remove_image"),
            choose_again: chosen,
            stock_was: &stock_was,
        };
        page(
            if errors.is_empty() { 200 } else { 422 },
            view::form(l, &desk.frame(person), c, &v),
        )
    };
    // A new picture, checked before anything is saved; stored only once the form passes.
    let upload = match file.filter(|b| !b.is_empty()) {
        None => None,
        Some(bytes) => match image::check(&bytes) {
            Ok(kind) => Some((Stored::of(person.merchant, kind, &bytes), bytes)),
            Err(r) => {
                let e = [FieldError {
                    field: "image",
                    problem: Problem::Image(r),
                }];
                return again(&e, preview_url(id.as_deref(), Some(&form)));
            }
        },
    };
    let image = upload.as_ref().map(|(s, _)| s.path()).or(kept.clone());
    let active = existing.as_ref().is_none_or(|r| r.active == 1);
    let mut reward = match form.parse(&c.currency, c.tz(), image, active) {
        Ok(r) => r,
        Err(errors) => return again(&errors, preview_url(id.as_deref(), Some(&form))),
    };
    if let Some(r) = &existing {
        // What the owner did not change stays exactly as stored: the stock customers have
        // taken down since the form was opened, and times set to the minute through the API.
        let before = stored_form(desk, r);
        if form.stock.trim() == stock_was.trim() {
            reward.stock = r.stock.and_then(|n| u32::try_from(n).ok());
        }
        if form.starts.trim() == before.starts {
            reward.starts_at = r.starts_at;
        }
        if form.ends.trim() == before.ends {
            reward.ends_at = r.ends_at;
        }
    }
    if flag("preview") {
        return again(&[], preview_url(id.as_deref(), Some(&form)));
    }
    if let Some((stored, bytes)) = upload {
        files::put(app, &stored, bytes).await?;
    }
    let (rid, action) = match &id {
        Some(id) => {
            if !rewards::update(
                &app.db,
                id,
                &m,
                &reward,
                rewards::Keep::default(),
                app.now_ms,
            )
            .await?
            {
                return Err(AppError::NotFound);
            }
            (id.clone(), "reward_changed")
        }
        None => {
            let id = to_hex(&random::<16>()?);
            rewards::insert(&app.db, &id, &m, &reward, app.now_ms).await?;
            (id, "reward_added")
        }
    };
    super::tills::record(
        app,
        person,
        action,
        &rid,
        &serde_json::json!({ "name": reward.name }),
    )
    .await?;
    let notice = match (action, l) {
        ("reward_added", Language::En) => format!("“{}” is on offer.", reward.name),
        ("reward_added", Language::Pl) => format!("„{}” jest w ofercie.", reward.name),
        (_, Language::En) => format!("“{}” is saved.", reward.name),
        (_, Language::Pl) => format!("Zapisano „{}”.", reward.name),
    };
    let lines: Vec<Line> = all(app, person).await?.iter().map(line).collect();
    page(
        200,
        view::list(l, &desk.frame(person), c, &lines, Some(&notice), app.now_ms),
    )
}
