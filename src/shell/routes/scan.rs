//! `GET /s/{token}` and `POST /s/{token}`: a phone scans a QR code, joins if new, and collects.
//!
//! Flow: peek the token's merchant -> config (KV) -> verify (domain) -> what it earns (domain)
//! -> member from the signed cookie, or the join form -> one D1 batch (store::scans::credit).

use worker::{Request, Response};

use crate::domain::channel::Channel;
use crate::domain::earn::{self, Credit, RecentVisits};
use crate::domain::enrol::EnrolForm;
use crate::domain::ids::{MemberId, MerchantId, ScanId};
use crate::domain::keys::ScanKey;
use crate::domain::language::Language;
use crate::domain::ledger;
use crate::domain::program::MerchantConfig;
use crate::domain::session::{self, Ticket, TicketError};
use crate::domain::token::{self, KeyRing, ScanKind, ScanToken, TokenError};
use crate::shell::app::{random, App};
use crate::shell::cache;
use crate::shell::error::AppError;
use crate::shell::http;
use crate::shell::routes::referrals;
use crate::shell::store::scans::{self, NewMember, Outcome, Scan};
use crate::shell::store::sequences::OnSale;
use crate::shell::store::tiers::TierRule;
use crate::view::card::{CardState, TierView};
use crate::view::page::member_code;
use crate::view::scan::{enrol_form, scan_result, ScanOutcome};

/// Loads the configuration of `merchant` and its active scan keys.
async fn merchant_keys(
    app: &App,
    merchant: MerchantId,
) -> Result<(MerchantConfig, Vec<(u8, ScanKey)>), AppError> {
    let config = cache::merchant(app, merchant)
        .await?
        .ok_or(AppError::MerchantNotFound)?;
    let keys = config
        .scan_kids
        .iter()
        .map(|&kid| (kid, app.secrets.master.scan_key(merchant, kid)))
        .collect();
    Ok((config, keys))
}

/// A token checked against its merchant, with what it earns.
struct Checked {
    config: MerchantConfig,
    token: ScanToken,
    credit: Credit,
    /// The promotions that boosted a purchase, for the ledger note.
    promo_note: Option<String>,
    channel: Channel,
}

/// Scans one address may have credited per minute (a café's Wi-Fi or a carrier's shared address
/// carries many phones; a script carries one). Only credited scans count: replays and visits in
/// their cooldown use up nothing, so one phone cannot lock out the others on its network.
pub const SCANS_PER_IP_PER_MINUTE: i64 = 120;
const IP_WINDOW_MS: i64 = 60_000;

fn check(
    config: MerchantConfig,
    token: ScanToken,
    req: &Request,
    now_ms: i64,
) -> Result<Checked, AppError> {
    let mut credit = earn::credit(&config.program, &config.currency, token.kind)?;
    let mut promo_note = None;
    if let ScanKind::Purchase { .. } = token.kind {
        (credit.points, promo_note) = earn::boosted(
            &config.program,
            credit.points,
            now_ms,
            config.tz(),
            earn::MAX_POINTS_PER_SCAN,
        );
    }
    if config.location_name(token.location).is_none() {
        return Err(AppError::UnknownLocation(token.location));
    }
    let channel = Channel::of_scan(token.kind, http::query(req, "c").as_deref());
    Ok(Checked {
        config,
        token,
        credit,
        promo_note,
        channel,
    })
}

/// Shows the result of a scan, or the join form to a phone without a card here.
pub async fn show(req: Request, app: &App, raw: &str) -> Result<Response, AppError> {
    let header = token::peek(raw.as_bytes())?;
    let (config, keys) = merchant_keys(app, header.merchant).await?;
    let ring = KeyRing {
        merchant: header.merchant,
        keys: &keys,
    };
    let token = token::verify(raw.as_bytes(), &ring, app.now_secs())?;
    let checked = check(config, token, &req, app.now_ms)?;
    let cookie = http::cookie(&req, &session::cookie_name(header.merchant));
    let member =
        cookie.and_then(|v| session::read_member_cookie(&app.secrets.session, header.merchant, &v));
    let lang = http::language(&req, Some(header.merchant));
    if let Some(member) = member {
        if let Some(outcome) = record(app, &checked, &member, None).await? {
            return result_page(app, lang, &checked, &member, &outcome, false, None);
        }
        // The cookie names a member who is gone (erased, or a reset database): join again.
    }
    let ticket = Ticket {
        merchant: header.merchant,
        member: MemberId::from_random(random()?),
        issued_at: app.now_secs(),
    };
    let form = EnrolForm {
        marketing_consent: false,
        ..EnrolForm::default()
    };
    let page = enrol_form(
        lang,
        &checked.config,
        &scan_path(raw, &req),
        &ticket.sign(&app.secrets.session),
        &form,
        &[],
    );
    let resp = http::html(200, page)?;
    referrals::ensure_device(&req, &resp)?;
    Ok(resp)
}

/// A posted join form: its checked ticket (and the raw one, to show the form again) and fields.
pub struct JoinPost {
    pub ticket: Ticket,
    pub ticket_raw: String,
    pub form: EnrolForm,
}

/// Reads a join form posted from this site (a scan's or an invitation's) and checks its ticket.
pub async fn read_join_post(req: &mut Request, app: &App) -> Result<JoinPost, AppError> {
    http::same_origin_post(req)?;
    let fields = http::form_body(req).await?;
    let field = |name: &str| http::form_field(&fields, name).unwrap_or_default();
    let ticket_raw = field("ticket");
    let ticket =
        Ticket::verify(&app.secrets.session, &ticket_raw, app.now_secs()).map_err(|e| match e {
            TicketError::Invalid => AppError::EnrolFormInvalid,
            TicketError::Expired => AppError::EnrolFormExpired,
        })?;
    let form = EnrolForm {
        name: field("name"),
        email: field("email"),
        phone: field("phone"),
        birthday: field("birthday"),
        marketing_consent: matches!(
            field("marketing_consent").as_str(),
            "yes" | "on" | "true" | "1"
        ),
    };
    Ok(JoinPost {
        ticket,
        ticket_raw,
        form,
    })
}

/// Takes the join form, enrols the member and credits the scan, in one batch.
pub async fn enrol(mut req: Request, app: &App, raw: &str) -> Result<Response, AppError> {
    let JoinPost {
        ticket,
        ticket_raw,
        form,
    } = read_join_post(&mut req, app).await?;
    // The ticket is ours (signed) and names the shop whose form was shown; a code of another
    // shop is refused before anything is read (it may not even be on this shop's shard).
    if token::peek(raw.as_bytes())?.merchant != ticket.merchant {
        return Err(TokenError::WrongMerchant.into());
    }
    app.db.place(ticket.merchant);
    let (config, keys) = merchant_keys(app, ticket.merchant).await?;
    let ring = KeyRing {
        merchant: ticket.merchant,
        keys: &keys,
    };
    // A code that expired while the customer was typing still counts if it was valid when the
    // form was shown (the ticket proves when that was); single use still holds.
    let token = match token::verify(raw.as_bytes(), &ring, app.now_secs()) {
        Err(TokenError::Expired) => token::verify(raw.as_bytes(), &ring, ticket.issued_at)?,
        other => other?,
    };
    let checked = check(config, token, &req, app.now_ms)?;
    let lang = http::language(&req, Some(ticket.merchant));
    let enrolment = match form.parse() {
        Ok(e) => e,
        Err(errors) => {
            let page = enrol_form(
                lang,
                &checked.config,
                &scan_path(raw, &req),
                &ticket_raw,
                &form,
                &errors,
            );
            return http::html(422, page);
        }
    };
    // A browser that opened an invitation here joins as invited (the referral is judged in the
    // same batch); its enrolment channel is the invitation.
    let m = ticket.merchant.to_string();
    let invite = referrals::invite_code(app, &req, ticket.merchant)
        .filter(|_| checked.config.program.referral.enabled);
    let device = referrals::device(&req);
    let network = referrals::network(app);
    let new = NewMember {
        enrolment: &enrolment,
        channel: if invite.is_some() {
            Channel::Referral.as_str()
        } else {
            checked.channel.as_str()
        },
        device: device.as_deref(),
        referral: invite.as_deref().map(|code| {
            referrals::new_join(
                app,
                &checked.config,
                &m,
                code,
                ticket.member.as_str(),
                device.as_deref(),
                network.as_deref(),
            )
        }),
    };
    let outcome = record(app, &checked, &ticket.member, Some(new))
        .await?
        .ok_or_else(|| AppError::internal("an enrolled member was not found in the same batch"))?;
    let cookie = session::member_cookie(&app.secrets.session, ticket.merchant, &ticket.member);
    result_page(
        app,
        lang,
        &checked,
        &ticket.member,
        &outcome,
        outcome.created_at == app.now_ms,
        Some((&req, cookie)),
    )
}

/// The scan path with its channel parameter, for the join form to post back to.
fn scan_path(raw: &str, req: &Request) -> String {
    match http::query(req, "c").as_deref().and_then(Channel::parse) {
        Some(c) => format!("/s/{raw}?c={}", c.as_str()),
        None => format!("/s/{raw}"),
    }
}

async fn record(
    app: &App,
    c: &Checked,
    member: &MemberId,
    new: Option<NewMember<'_>>,
) -> Result<Option<Outcome>, AppError> {
    let program = &c.config.program;
    let purchase = matches!(c.token.kind, ScanKind::Purchase { .. });
    let rates = if purchase {
        program.tiers.rates_json()
    } else {
        String::from("[]")
    };
    let rule = TierRule::of(&program.tiers, c.config.program_version);
    let lot = ledger::lot_terms(
        c.config.program.points_expiry,
        c.config.program.pending_days,
        c.config.tz(),
        purchase,
        app.now_ms,
    );
    let sale = !matches!(c.token.kind, ScanKind::Visit);
    let scan = Scan {
        id: &ScanId::from_random(random()?),
        merchant: c.token.merchant,
        member,
        token: &c.token,
        channel: c.channel.as_str(),
        credit: c.credit,
        lot,
        program_version: c.config.program_version,
        cooldown_ms: i64::from(c.config.program.visit_cooldown_secs) * 1000,
        daily_cap: i64::from(c.config.program.visit_daily_cap),
        now: app.now_ms,
        rate: app.client_ip.as_ref().map(|ip| scans::RateLimit {
            bucket: format!("ip:{ip}"),
            window_start: app.now_ms - app.now_ms.rem_euclid(IP_WINDOW_MS),
            limit: SCANS_PER_IP_PER_MINUTE,
        }),
        tier_rates: &rates,
        tiers: rule.as_ref(),
        tier_window_start: app.now_ms - program.tiers.window_ms(),
        note: c.promo_note.as_deref(),
        referral: if sale {
            referrals::purchase_hooks(&c.config, &lot, app.now_ms)
        } else {
            None
        },
        sequences: OnSale::of(&c.config, app.now_ms),
    };
    let outcome = scans::credit(&app.db, &scan, new).await?;
    if outcome.as_ref().is_some_and(|o| o.queued_messages) {
        app.wake(&scan.merchant.to_string());
    }
    Ok(outcome)
}

fn result_page(
    app: &App,
    lang: Language,
    c: &Checked,
    member: &MemberId,
    outcome: &Outcome,
    welcome: bool,
    set_cookie: Option<(&Request, String)>,
) -> Result<Response, AppError> {
    if outcome.credited == 0 && outcome.ip_hits.unwrap_or(0) >= SCANS_PER_IP_PER_MINUTE {
        let retry_after = (IP_WINDOW_MS - app.now_ms.rem_euclid(IP_WINDOW_MS) + 999) / 1000;
        return Err(AppError::RateLimited { retry_after });
    }
    let (status, shown) = if outcome.credited == 1 {
        (
            200,
            ScanOutcome::Credited {
                credit: Credit {
                    points: outcome.scan_points.unwrap_or(c.credit.points),
                    stamps: c.credit.stamps,
                },
                welcome,
                tier_up: outcome
                    .new_tier
                    .filter(|t| *t > 0)
                    .and_then(|t| c.config.program.tiers.level(t))
                    .map(|l| l.name.clone()),
                bonus: Credit {
                    points: outcome.bonus_points,
                    stamps: outcome.bonus_stamps,
                },
            },
        )
    } else if c.token.kind.is_single_use() {
        let by_you = outcome.used_by.as_deref() == Some(member.as_str());
        (409, ScanOutcome::AlreadyUsed { by_you })
    } else {
        let visits = RecentVisits {
            last_at: outcome.last_visit_at,
            in_last_day: outcome.visits_last_day,
            first_in_last_day: outcome.first_visit_last_day,
        };
        let refusal = earn::visit_refusal(&c.config.program, visits, app.now_ms);
        (429, ScanOutcome::VisitRefused(refusal))
    };
    let state = CardState {
        code: member_code(member.as_str()),
        name: outcome.name.clone(),
        points: outcome.points,
        pending: outcome.pending_points,
        stamps: outcome.stamps,
        tier: TierView::of(&c.config, outcome.tier, outcome.tier_points),
    };
    // The offer to turn notifications on comes with a credit, the moment it means something.
    let key = matches!(shown, ScanOutcome::Credited { .. })
        .then(|| super::notify::public_key(app))
        .flatten()
        .filter(|_| c.config.push_offer.is_some());
    let offer = key
        .as_deref()
        .map(|k| crate::view::notify::offer(lang, &c.config, k))
        .unwrap_or_default();
    let page = scan_result(lang, &c.config, &state, &shown, offer);
    let resp = if key.is_some() {
        http::html_with_push_script(status, page, crate::view::notify::OFFER_SCRIPT)?
    } else {
        http::html(status, page)?
    };
    if let Some((req, value)) = set_cookie {
        let name = session::cookie_name(c.token.merchant);
        http::set_cookie(
            &resp,
            &name,
            &value,
            session::COOKIE_MAX_AGE_SECS,
            !http::is_local_http(req),
        )?;
    }
    Ok(resp)
}
