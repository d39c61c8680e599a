//! Crediting a scan: one atomic D1 batch that records the scan under its guards, writes the
//! ledger entry and moves the balance only if the scan row went in, then reads back the outcome.

use serde::Deserialize;

use super::referrals::{self, Cause, Join, Which};
use super::sequences::{self, OnSale, Sale};
use super::tiers::{self, TierRule};
use super::{first, Arg, Db};
use crate::domain::earn::Credit;
use crate::domain::enrol::Enrolment;
use crate::domain::ids::{MemberId, MerchantId, ScanId};
use crate::domain::ledger::LotTerms;
use crate::domain::token::{ScanKind, ScanToken};
use crate::shell::error::AppError;

/// A verified scan, ready to be recorded.
pub struct Scan<'a> {
    pub id: &'a ScanId,
    pub merchant: MerchantId,
    pub member: &'a MemberId,
    pub token: &'a ScanToken,
    pub channel: &'a str,
    pub credit: Credit,
    pub lot: LotTerms,
    pub program_version: u32,
    pub cooldown_ms: i64,
    pub daily_cap: i64,
    pub now: i64,
    /// The per-address limit to count this scan against, if the address is known.
    pub rate: Option<RateLimit>,
    /// Earn rates per tier level (JSON array; `[]` when levels do not change what this earns).
    pub tier_rates: &'a str,
    /// The program's levels, to move the member after the credit.
    pub tiers: Option<&'a TierRule>,
    /// Start of the tier window (for the outcome's progress line).
    pub tier_window_start: i64,
    /// The promotions that boosted the points, for the entry's note.
    pub note: Option<&'a str>,
    /// Set when the merchant runs referrals and the scan is a sale.
    pub referral: Option<ScanReferral>,
    /// Set when the program has sequences a sale can set off.
    pub sequences: Option<OnSale>,
}

/// A fixed-window request limit.
pub struct RateLimit {
    pub bucket: String,
    pub window_start: i64,
    pub limit: i64,
}

/// A member to enrol in the same batch as their first scan.
pub struct NewMember<'a> {
    pub enrolment: &'a Enrolment,
    pub channel: &'a str,
    /// The phone's device cookie.
    pub device: Option<&'a str>,
    /// The invitation they came through (recorded and judged right after the member).
    pub referral: Option<Join<'a>>,
}

/// What a purchase scan does for its member's referral.
pub struct ScanReferral {
    /// When the purchase's return window ends (a qualifying purchase is final then).
    pub final_at: i64,
    /// `Some(expiry of bonus points)` when the purchase is final at once: pay in this batch.
    pub pay_now: Option<Option<i64>>,
}

/// How the batch ended.
#[derive(Debug, Deserialize)]
pub struct Outcome {
    pub name: String,
    pub points: i64,
    pub pending_points: i64,
    pub stamps: i64,
    pub created_at: i64,
    pub credited: i64,
    /// Points the scan credited (after the member's tier rate).
    pub scan_points: Option<i64>,
    pub tier: i64,
    /// The level this scan moved the member to.
    pub new_tier: Option<i64>,
    /// Points earned in the tier window.
    pub tier_points: i64,
    /// The member who used this per-sale token, when it was used before.
    pub used_by: Option<String>,
    pub last_visit_at: Option<i64>,
    pub visits_last_day: i64,
    pub first_visit_last_day: Option<i64>,
    /// Scans from this address credited in the current window, this one included.
    pub ip_hits: Option<i64>,
    /// What sequences gave in this batch.
    pub bonus_points: i64,
    pub bonus_stamps: i64,
    /// Whether the batch queued messages (welcome, balance update, milestone, level change).
    #[serde(skip)]
    pub queued_messages: bool,
}

fn kind_name(kind: ScanKind) -> (&'static str, Option<i64>) {
    match kind {
        ScanKind::Visit => ("visit", None),
        ScanKind::Purchase { amount_minor } => ("purchase", Some(i64::from(amount_minor))),
        ScanKind::Points(_) => ("points", None),
        ScanKind::Stamps(_) => ("stamps", None),
    }
}

/// Records `scan` exactly once (enrolling `new_member` first, if given), in one round trip.
/// Returns `None` when the member does not exist for this merchant.
pub async fn credit(
    db: &Db,
    scan: &Scan<'_>,
    new_member: Option<NewMember<'_>>,
) -> Result<Option<Outcome>, AppError> {
    let m = scan.merchant.to_string();
    let member = scan.member.as_str();
    let id = scan.id.as_str();
    let nonce = scan.token.nonce_hex();
    let (kind, amount) = kind_name(scan.token.kind);
    let mut stmts = Vec::with_capacity(7);
    let (bucket, window, limit) = match &scan.rate {
        Some(r) => (Some(r.bucket.as_str()), r.window_start, r.limit),
        None => (None, 0, 0),
    };
    if let Some(new) = &new_member {
        stmts.push(super::members::insert_stmt(
            db,
            member,
            &m,
            new.enrolment,
            new.channel,
            new.device,
            scan.now,
        )?);
        if let Some(join) = &new.referral {
            stmts.push(referrals::join_stmt(db, join)?);
        }
    }
    stmts.push(db.stmt(
        include_str!("sql/insert_scan.sql"),
        &[
            id.into(),
            m.as_str().into(),
            member.into(),
            kind.into(),
            nonce.as_str().into(),
            i64::from(scan.token.kid).into(),
            i64::from(scan.token.location).into(),
            scan.channel.into(),
            amount.map_or(Arg::Null, Arg::Int),
            scan.credit.points.into(),
            scan.credit.stamps.into(),
            i64::from(scan.program_version).into(),
            scan.now.into(),
            scan.cooldown_ms.into(),
            scan.daily_cap.into(),
            bucket.into(),
            window.into(),
            limit.into(),
            scan.tier_rates.into(),
        ],
    )?);
    if let Some(b) = bucket {
        stmts.push(db.stmt(
            include_str!("sql/count_credited_scan.sql"),
            &[b.into(), window.into(), id.into()],
        )?);
    }
    let pending = i64::from(scan.lot.pending);
    stmts.push(db.stmt(
        include_str!("sql/insert_scan_ledger_entry.sql"),
        &[id.into(), pending.into(), scan.note.into()],
    )?);
    stmts.push(db.stmt(
        include_str!("sql/insert_scan_lot.sql"),
        &[
            id.into(),
            pending.into(),
            scan.lot.available_at.into(),
            scan.lot.expires_at.map_or(Arg::Null, Arg::Int),
        ],
    )?);
    stmts.push(db.stmt(
        include_str!("sql/apply_scan_to_balance.sql"),
        &[id.into(), member.into(), pending.into(), scan.now.into()],
    )?);
    stmts.extend(tiers::recompute(db, scan.tiers, id, scan.now)?);
    if let Some(r) = &scan.referral {
        let cause = Cause::Scan(id);
        stmts.push(referrals::qualify_stmt(
            db, &m, &cause, r.final_at, scan.now,
        )?);
        if let Some(expires_at) = r.pay_now {
            stmts.extend(referrals::pay_statements(
                db,
                &m,
                &Which::QualifiedBy(&cause),
                scan.now,
                expires_at,
            )?);
        }
    }
    let fired = match &scan.sequences {
        Some(on_sale) => {
            on_sale.append(db, &mut stmts, &m, &Sale::Scan { id, member }, id, scan.now)?
        }
        None => None,
    };
    let first_message = stmts.len();
    if new_member.is_some() {
        stmts.push(super::messages::welcome_stmt(db, member, scan.now)?);
    }
    stmts.push(super::messages::scan_stmt(db, id, scan.now)?);
    let messages = first_message..stmts.len();
    stmts.push(db.stmt(
        include_str!("sql/scan_outcome.sql"),
        &[
            id.into(),
            member.into(),
            m.as_str().into(),
            nonce.as_str().into(),
            scan.now.into(),
            bucket.into(),
            window.into(),
            scan.tier_window_start.into(),
        ],
    )?);
    let results = db.batch(stmts).await?;
    // A level change queues its message earlier in the batch (tiers::recompute).
    let mut queued = match fired {
        Some(start) => sequences::fired(&results, start)?.messages > 0,
        None => false,
    };
    for i in messages {
        queued |= super::count(&results, i)? > 0;
    }
    Ok(first::<Outcome>(results.last())?.map(|mut o| {
        o.queued_messages = queued || o.new_tier.is_some();
        o
    }))
}

#[derive(Debug, Deserialize)]
struct Collector {
    name: String,
}

/// The name of the member who collected `merchant`'s per-sale token `nonce`, if one did.
pub async fn collected_by(
    db: &Db,
    merchant: &str,
    nonce: &str,
) -> Result<Option<String>, AppError> {
    let rows: Vec<Collector> = db
        .rows(db.stmt(
            include_str!("sql/scan_by_nonce.sql"),
            &[merchant.into(), nonce.into()],
        )?)
        .await?;
    Ok(rows.into_iter().next().map(|c| c.name))
}
