//! Invitations. `GET /r/{code}` shows a member's invitation with the join form (and remembers it
//! in the browser, so a later join through a scan counts too); `POST /r/{code}` enrols the friend
//! and records the referral, judged in the same batch. The merchant's side:
//! `GET /api/v1/referrals` (the review list with `?decision=held`), `GET /api/v1/referrals/stats`,
//! `POST /api/v1/referrals/{id}/approve` and `/reject`.

use serde_json::json;
use worker::{Request, Response};

use crate::domain::apikey::Scope;
use crate::domain::channel::Channel;
use crate::domain::enrol::EnrolForm;
use crate::domain::ids::{to_hex, MemberId, MerchantId};
use crate::domain::language::{Language, Noun};
use crate::domain::ledger::LotTerms;
use crate::domain::program::MerchantConfig;
use crate::domain::referral::{self, Bonus, Reason};
use crate::domain::search;
use crate::domain::session::{self, Ticket};
use crate::shell::app::{random, App};
use crate::shell::auth;
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::routes::scan::{read_join_post, JoinPost};
use crate::shell::store::referrals::{self, Invited, Join, Link, Review};
use crate::shell::store::scans::ScanReferral;
use crate::shell::store::{members, Db};
use crate::view::error::notice;
use crate::view::page::local_date_in;
use crate::view::scan::{invite_form, Invite};

/// What a sale does for its member's referral, when the merchant runs referrals: it may qualify
/// it, final when the sale's return window ends (paid in the sale's own batch if that is now).
pub fn purchase_hooks(config: &MerchantConfig, lot: &LotTerms, now: i64) -> Option<ScanReferral> {
    config.program.referral.enabled.then(|| ScanReferral {
        final_at: lot.available_at,
        pay_now: (!lot.pending).then(|| config.bonus_expiry(now)),
    })
}

/// The browser's device cookie, if it has a well-formed one.
pub fn device(req: &Request) -> Option<String> {
    http::cookie(req, session::DEVICE_COOKIE).and_then(|v| referral::parse_device(&v))
}

/// Sets a new device cookie on `resp` unless the browser has one; returns the device either way.
pub fn ensure_device(req: &Request, resp: &Response) -> Result<String, AppError> {
    if let Some(d) = device(req) {
        return Ok(d);
    }
    let d = to_hex(&random::<16>()?);
    http::set_cookie(
        resp,
        session::DEVICE_COOKIE,
        &d,
        session::COOKIE_MAX_AGE_SECS,
        !http::is_local_http(req),
    )?;
    Ok(d)
}

/// The phone's network, pseudonymised (none for loopback: local development and tests that do
/// not name an address).
pub fn network(app: &App) -> Option<String> {
    app.client_ip.as_deref().and_then(referral::network_key)
}

/// The invitation this browser opened at `merchant`, if any.
pub fn invite_code(app: &App, req: &Request, merchant: MerchantId) -> Option<String> {
    http::cookie(req, &session::invite_cookie_name(merchant))
        .and_then(|v| session::read_invite_cookie(&app.secrets.session, merchant, &v))
}

/// The join of a new member `member` through invitation `code`, judged under the merchant's terms.
pub fn new_join<'a>(
    app: &App,
    config: &'a MerchantConfig,
    merchant: &'a str,
    code: &'a str,
    member: &'a str,
    device: Option<&'a str>,
    network: Option<&'a str>,
) -> Join<'a> {
    Join {
        id: member,
        merchant,
        code,
        referee: member,
        joined: true,
        reason: None,
        device,
        network,
        now: app.now_ms,
        month_start: referral::month_start(app.now_ms, config.tz()),
        terms: &config.program.referral,
        program_version: i64::from(config.program_version),
    }
}

fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_owned()
}

/// A bonus in words: "100 points and a free Coffee" ("100 punktów i Coffee gratis").
fn describe(l: Language, b: &Bonus, rewards: &[(String, String)]) -> String {
    let mut parts = Vec::new();
    if b.points > 0 {
        parts.push(Noun::Point.count(l, i64::from(b.points)));
    }
    if b.stamps > 0 {
        parts.push(Noun::Stamp.count(l, i64::from(b.stamps)));
    }
    if let Some(id) = &b.reward_id {
        match (rewards.iter().find(|(r, _)| r == id), l) {
            (Some((_, name)), Language::En) => parts.push(format!("a free {name}")),
            (Some((_, name)), Language::Pl) => parts.push(format!("{name} gratis")),
            (None, _) => parts.push(l.pick("a reward", "nagroda").into()),
        }
    }
    parts.join(l.pick(" and ", " i "))
}

/// The names of the rewards the terms give.
async fn reward_names(
    db: &Db,
    merchant: &str,
    config: &MerchantConfig,
) -> Result<Vec<(String, String)>, AppError> {
    let terms = &config.program.referral;
    if terms.reward_ids().next().is_none() {
        return Ok(Vec::new());
    }
    let rows = crate::shell::store::rewards::list(db, merchant, false, 0).await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

fn invite(
    l: Language,
    config: &MerchantConfig,
    from: &str,
    rewards: &[(String, String)],
) -> Invite {
    let terms = &config.program.referral;
    Invite {
        from: first_name(from),
        you_get: describe(l, &terms.referee, rewards),
        they_get: describe(l, &terms.referrer, rewards),
        minimum: (terms.min_purchase_minor > 0)
            .then(|| config.currency.format(i64::from(terms.min_purchase_minor))),
    }
}

/// What a member's card says about inviting friends.
pub fn share_offer(l: Language, config: &MerchantConfig) -> String {
    let terms = &config.program.referral;
    let you = describe(l, &terms.referrer, &[]);
    let friend = describe(l, &terms.referee, &[]);
    let minimum = (terms.min_purchase_minor > 0)
        .then(|| config.currency.format(i64::from(terms.min_purchase_minor)));
    let after = match (&minimum, l) {
        (Some(m), Language::En) => format!("after their first purchase of at least {m}"),
        (None, Language::En) => "after their first purchase".into(),
        (Some(m), Language::Pl) => format!("po pierwszym zakupie znajomego za co najmniej {m}"),
        (None, Language::Pl) => "po pierwszym zakupie znajomego".into(),
    };
    match (you.is_empty(), friend.is_empty(), l) {
        (false, false, Language::En) => {
            format!("You get {you} and your friend gets {friend} {after}.")
        }
        (false, false, Language::Pl) => {
            format!("Ty dostajesz: {you}, a znajomy: {friend} — {after}.")
        }
        (false, true, Language::En) => format!("You get {you} when a friend joins and {after}."),
        (false, true, Language::Pl) => format!("Dostajesz: {you}, gdy znajomy dołączy — {after}."),
        (true, _, Language::En) => format!("Your friend gets {friend} {after}."),
        (true, _, Language::Pl) => format!("Znajomy dostaje: {friend} — {after}."),
    }
}

/// What an invited member's card says about their own welcome bonus until it is paid.
pub fn welcome_line(l: Language, config: &MerchantConfig, i: &Invited, now: i64) -> Option<String> {
    let bonus = Bonus {
        points: u32::try_from(i.referee_points).unwrap_or(0),
        stamps: u32::try_from(i.referee_stamps).unwrap_or(0),
        reward_id: i.referee_reward.clone(),
    };
    if bonus.is_empty() || !matches!(i.decision.as_str(), "ok" | "held") {
        return None;
    }
    let what = describe(l, &bonus, &[]);
    let from = first_name(&i.referrer_name);
    let minimum = (i.min_purchase_minor > 0).then(|| config.currency.format(i.min_purchase_minor));
    match (i.progress.as_str(), l) {
        ("joined", Language::En) => {
            let purchase = match minimum {
                Some(m) => format!("your first purchase of at least {m}"),
                None => "your first purchase".into(),
            };
            Some(format!(
                "You joined through {from}'s invitation: your welcome bonus of {what} comes with {purchase}."
            ))
        }
        ("joined", Language::Pl) => {
            let purchase = match minimum {
                Some(m) => format!("Twoim pierwszym zakupie za co najmniej {m}"),
                None => "Twoim pierwszym zakupie".into(),
            };
            Some(format!(
                "Zaproszenie od: {from}. Twoja premia powitalna ({what}) przyjdzie po {purchase}."
            ))
        }
        ("qualified", _) if i.decision == "held" => Some(match l {
            Language::En => {
                format!("Your welcome bonus of {what} arrives once the shop has confirmed it.")
            }
            Language::Pl => {
                format!("Twoja premia powitalna ({what}) przyjdzie, gdy sklep ją potwierdzi.")
            }
        }),
        ("qualified", _) => Some(match (i.final_at.filter(|t| *t > now), l) {
            (Some(t), Language::En) => format!(
                "Your welcome bonus of {what} arrives on {}, after the return period.",
                local_date_in(l, config, t)
            ),
            (Some(t), Language::Pl) => format!(
                "Twoja premia powitalna ({what}) przyjdzie {}, po upływie czasu na zwrot.",
                local_date_in(l, config, t)
            ),
            (None, Language::En) => format!("Your welcome bonus of {what} arrives shortly."),
            (None, Language::Pl) => format!("Twoja premia powitalna ({what}) przyjdzie wkrótce."),
        }),
        _ => None,
    }
}

/// The invitation `raw`, its merchant's configuration, with the program switched on.
async fn load(app: &App, raw: &str) -> Result<(Link, MerchantConfig), AppError> {
    let code = referral::parse_code(raw).ok_or(AppError::ReferralNotFound)?;
    // An invitation link names no merchant: each shard is asked in turn (one read without
    // sharding), and the request stays on the shard that has the code.
    let mut found = None;
    for i in 0..app.db.shard_count() {
        app.db.use_shard(i);
        if let Some(link) = referrals::link(&app.db, &code).await? {
            found = Some(link);
            break;
        }
    }
    let link = found.ok_or(AppError::ReferralNotFound)?;
    let merchant = MerchantId::parse(&link.merchant_id).ok_or(AppError::ReferralNotFound)?;
    let config = cache::merchant(app, merchant)
        .await?
        .filter(|c| c.program.referral.enabled)
        .ok_or(AppError::ReferralNotFound)?;
    Ok((link, config))
}

/// Shows an invitation: the offer and the join form, or what to do for a phone that has a card.
pub async fn offer(req: Request, app: &App, raw: &str) -> Result<Response, AppError> {
    let (link, config) = load(app, raw).await?;
    let merchant = config.id.0;
    let m = merchant.to_string();
    let card = format!("/c/{m}");
    let l = http::language(&req, Some(merchant));
    let member = http::cookie(&req, &session::cookie_name(merchant))
        .and_then(|v| session::read_member_cookie(&app.secrets.session, merchant, &v));
    if let Some(member) = member {
        if member.as_str() == link.member_id {
            let page = notice(
                l,
                &config,
                l.pick("This is your invitation", "To Twoje zaproszenie"),
                l.pick(
                    "Send this link to friends: they join here, and you both get your bonus after their first purchase.",
                    "Wyślij ten link znajomym: dołączą tutaj, a po ich pierwszym zakupie oboje dostaniecie premię.",
                ),
                Some((&card, l.pick("Back to my card", "Wróć do mojej karty"))),
            );
            return http::html(200, page);
        }
        // An existing member cannot be invited; the attempt is recorded (blocked, not new).
        let id = format!("{}:{}", member.as_str(), link.member_id);
        let mut join = new_join(app, &config, &m, &link.code, member.as_str(), None, None);
        join.id = &id;
        join.joined = false;
        join.reason = Some(Reason::NotNew.code());
        referrals::attempt(&app.db, &join).await?;
        let page = notice(
            l,
            &config,
            l.pick("You already have a card here", "Masz już tutaj kartę"),
            l.pick(
                "Invitations are for people new to us — but you can invite your own friends from your card.",
                "Zaproszenia są dla nowych klientów — ale ze swojej karty możesz zaprosić własnych znajomych.",
            ),
            Some((&card, l.pick("Open my card", "Otwórz moją kartę"))),
        );
        return http::html(200, page);
    }
    let seen = invite_code(app, &req, merchant).as_deref() == Some(link.code.as_str());
    if !seen {
        referrals::count_open(&app.db, &link.code).await?;
    }
    let rewards = reward_names(&app.db, &m, &config).await?;
    let ticket = Ticket {
        merchant,
        member: MemberId::from_random(random()?),
        issued_at: app.now_secs(),
    };
    let page = invite_form(
        l,
        &config,
        &invite(l, &config, &link.name, &rewards),
        &format!("/r/{}", link.code),
        &ticket.sign(&app.secrets.session),
        &EnrolForm::default(),
        &[],
    );
    let resp = http::html(200, page)?;
    http::set_cookie(
        &resp,
        &session::invite_cookie_name(merchant),
        &session::invite_cookie(&app.secrets.session, merchant, &link.code),
        session::INVITE_MAX_AGE_SECS,
        !http::is_local_http(&req),
    )?;
    ensure_device(&req, &resp)?;
    Ok(resp)
}

/// Takes the join form of an invitation: enrols the friend and records the referral (judged in
/// the same batch), then shows their new card.
pub async fn join(mut req: Request, app: &App, raw: &str) -> Result<Response, AppError> {
    let JoinPost {
        ticket,
        ticket_raw,
        form,
    } = read_join_post(&mut req, app).await?;
    let (link, config) = load(app, raw).await?;
    if config.id.0 != ticket.merchant {
        return Err(AppError::EnrolFormInvalid);
    }
    let m = ticket.merchant.to_string();
    let l = http::language(&req, Some(ticket.merchant));
    let enrolment = match form.parse() {
        Ok(e) => e,
        Err(errors) => {
            let rewards = reward_names(&app.db, &m, &config).await?;
            let page = invite_form(
                l,
                &config,
                &invite(l, &config, &link.name, &rewards),
                &format!("/r/{}", link.code),
                &ticket_raw,
                &form,
                &errors,
            );
            return http::html(422, page);
        }
    };
    let device = device(&req);
    let network = network(app);
    let member = ticket.member.as_str();
    let insert = members::insert_stmt(
        &app.db,
        member,
        &m,
        &enrolment,
        Channel::Referral.as_str(),
        device.as_deref(),
        app.now_ms,
    )?;
    let join = new_join(
        app,
        &config,
        &m,
        &link.code,
        member,
        device.as_deref(),
        network.as_deref(),
    );
    referrals::enrol(&app.db, insert, &join).await?;
    app.wake(&m);
    let resp = http::see_other(&format!("/c/{m}"))?;
    http::set_cookie(
        &resp,
        &session::cookie_name(ticket.merchant),
        &session::member_cookie(&app.secrets.session, ticket.merchant, &ticket.member),
        session::COOKIE_MAX_AGE_SECS,
        !http::is_local_http(&req),
    )?;
    Ok(resp)
}

/// Lists the merchant's referrals, newest first: `?decision=held` is the review list; `?cursor=`
/// from the previous page; `?limit=` 1 to 100 (default 50). Each held or blocked one says why.
pub async fn list(req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner, Scope::Counter, Scope::Read]).await?;
    let invalid = |field: &str, message: &str| AppError::InvalidField {
        field: field.into(),
        message: message.into(),
    };
    let decision = http::query(&req, "decision");
    if let Some(d) = &decision {
        if !matches!(d.as_str(), "ok" | "held" | "blocked" | "rejected") {
            return Err(invalid("decision", "must be ok, held, blocked or rejected"));
        }
    }
    let (limit, before) = http::page(&req)?;
    let m = caller.merchant.to_string();
    let mut rows = referrals::list(
        &app.db,
        &m,
        decision.as_deref(),
        before.as_ref().map(|(t, id)| (*t, id.as_str())),
        limit + 1,
    )
    .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(50));
    let next = if more {
        rows.last().map(|r| search::cursor(r.created_at, &r.id))
    } else {
        None
    };
    let rows: Vec<_> = rows.into_iter().map(row_json).collect();
    http::json(200, &json!({ "referrals": rows, "next_cursor": next }))
}

fn row_json(r: referrals::Row) -> serde_json::Value {
    let why = r
        .reason
        .as_deref()
        .and_then(Reason::parse)
        .map(Reason::describe);
    let mut v = serde_json::to_value(&r).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("reason_text".into(), json!(why));
    }
    v
}

/// The merchant's referral figures.
pub async fn stats(req: Request, app: &App) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner, Scope::Counter, Scope::Read]).await?;
    let stats = referrals::stats(&app.db, &caller.merchant.to_string()).await?;
    http::json(200, &json!({ "referrals": stats }))
}

/// Approves (paying at once if the friend's purchase is final) or rejects a held referral.
pub async fn review(
    req: Request,
    app: &App,
    id: &str,
    approve: bool,
) -> Result<Response, AppError> {
    let caller = auth::merchant(app, &req, &[Scope::Owner]).await?;
    let by = Reviewer {
        id: &caller.key_id,
        name: "",
    };
    let row = decide(app, caller.merchant, &by, id, approve).await?;
    http::json(200, &json!({ "referral": row_json(row) }))
}

/// Who decides a held referral: an API key (its id, no name) or a console person (their id
/// and name), as the referral's `reviewed_by` and its audit line record them.
pub struct Reviewer<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// Approves or rejects a held referral of `merchant` (the API, the dashboard, the console);
/// returns the referral as it stands after. One that is no longer held is left as it is and
/// answers `ReferralNotHeld`.
pub async fn decide(
    app: &App,
    merchant: MerchantId,
    by: &Reviewer<'_>,
    id: &str,
    approve: bool,
) -> Result<referrals::Row, AppError> {
    if id.len() > 65 || !id.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
        return Err(AppError::ReferralNotFound);
    }
    let config = cache::merchant(app, merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    let m = merchant.to_string();
    let audit_id = to_hex(&random::<16>()?);
    let (decided, row) = referrals::review(
        &app.db,
        &Review {
            merchant: &m,
            id,
            approve,
            actor: by.id,
            actor_name: by.name,
            audit_id: &audit_id,
            now: app.now_ms,
            expires_at: config.bonus_expiry(app.now_ms),
        },
    )
    .await?;
    let row = row.ok_or(AppError::ReferralNotFound)?;
    if !decided {
        return Err(AppError::ReferralNotHeld(row.decision));
    }
    Ok(row)
}
