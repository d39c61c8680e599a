//! POS orders from webhooks: a purchase credits once per order id; refunds take back points in
//! proportion, each once per webhook id. One batch each, guarded inside D1.

use serde::{Deserialize, Serialize};

use super::referrals::{self, Cause, Which};
use super::tiers::TierRule;
use super::{first, Arg, Db};
use crate::domain::ledger::LotTerms;
use crate::shell::error::AppError;

/// An order as it stands after a webhook.
#[derive(Debug, Deserialize, Serialize, Clone)]
pub struct OrderRow {
    pub order_id: String,
    pub member_id: Option<String>,
    pub amount_minor: i64,
    pub points: i64,
    pub refunded_minor: i64,
    pub entry_id: Option<String>,
    /// Whether this request changed the order.
    pub changed_now: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// Whether the webhook id is on record (this request's or an earlier one).
    pub webhook_recorded: i64,
    /// The redemptions that paid towards the order with their status (a JSON array of
    /// `{id, status}` as D1 builds it).
    #[serde(skip_serializing)]
    pub linked: Option<String>,
}

/// A redemption that paid towards an order.
#[derive(Debug, Deserialize, Serialize, Clone)]
pub struct LinkedRedemption {
    pub id: String,
    pub status: String,
}

impl OrderRow {
    /// The redemptions that paid towards the order.
    pub fn redemptions(&self) -> Vec<LinkedRedemption> {
        self.linked
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default()
    }
}

/// Identifies one webhook delivery.
pub struct Delivery<'a> {
    pub merchant: &'a str,
    pub webhook_id: &'a str,
    pub kind: &'a str,
    pub request_id: &'a str,
    pub now: i64,
}

fn event_stmt(db: &Db, d: &Delivery<'_>) -> Result<worker::D1PreparedStatement, AppError> {
    db.stmt(
        include_str!("sql/insert_webhook_event.sql"),
        &[
            d.merchant.into(),
            d.webhook_id.into(),
            d.kind.into(),
            d.request_id.into(),
            d.now.into(),
        ],
    )
}

fn outcome_stmt(
    db: &Db,
    d: &Delivery<'_>,
    order_id: &str,
) -> Result<worker::D1PreparedStatement, AppError> {
    db.stmt(
        include_str!("sql/order_outcome.sql"),
        &[
            d.merchant.into(),
            order_id.into(),
            d.request_id.into(),
            d.webhook_id.into(),
        ],
    )
}

/// A purchase to record.
pub struct Purchase<'a> {
    pub order_id: &'a str,
    pub lookup_kind: &'a str,
    pub lookup_value: &'a str,
    pub amount_minor: i64,
    pub points: i64,
    pub entry_id: &'a str,
    pub lot: LotTerms,
    pub program_version: i64,
    /// Earn rates per tier level (JSON array).
    pub tier_rates: &'a str,
    pub tiers: Option<&'a TierRule>,
    /// The promotions that boosted the points, for the entry's note.
    pub note: Option<&'a str>,
    /// Redemptions used as payment (JSON array of ids).
    pub redemptions: &'a str,
    /// Set when the merchant runs referrals: the order may qualify its member's.
    pub referral: Option<super::scans::ScanReferral>,
    /// Set when the program has sequences a sale can set off.
    pub sequences: Option<super::sequences::OnSale>,
}

/// Records a purchase once and credits its member, in one round trip.
pub async fn complete(
    db: &Db,
    d: &Delivery<'_>,
    p: &Purchase<'_>,
) -> Result<Option<OrderRow>, AppError> {
    let pending = i64::from(p.lot.pending);
    let mut stmts = vec![
        event_stmt(db, d)?,
        db.stmt(
            include_str!("sql/insert_order.sql"),
            &[
                d.merchant.into(),
                p.order_id.into(),
                p.lookup_kind.into(),
                p.lookup_value.into(),
                p.amount_minor.into(),
                d.request_id.into(),
                d.webhook_id.into(),
                p.points.into(),
                p.entry_id.into(),
                d.now.into(),
                p.tier_rates.into(),
            ],
        )?,
        db.stmt(
            include_str!("sql/insert_order_entry.sql"),
            &[
                d.merchant.into(),
                p.order_id.into(),
                p.entry_id.into(),
                d.request_id.into(),
                pending.into(),
                p.program_version.into(),
                p.note.into(),
            ],
        )?,
        db.stmt(
            include_str!("sql/insert_order_lot.sql"),
            &[
                p.entry_id.into(),
                pending.into(),
                p.lot.available_at.into(),
                p.lot.expires_at.map_or(Arg::Null, Arg::Int),
            ],
        )?,
        db.stmt(
            include_str!("sql/apply_order_to_member.sql"),
            &[p.entry_id.into(), d.now.into()],
        )?,
    ];
    stmts.extend(super::tiers::recompute(db, p.tiers, p.entry_id, d.now)?);
    stmts.push(db.stmt(
        include_str!("sql/link_order_redemptions.sql"),
        &[
            d.merchant.into(),
            p.order_id.into(),
            d.request_id.into(),
            p.redemptions.into(),
        ],
    )?);
    if let Some(r) = &p.referral {
        let cause = Cause::Order {
            order_id: p.order_id,
            request_id: d.request_id,
        };
        stmts.push(referrals::qualify_stmt(
            db, d.merchant, &cause, r.final_at, d.now,
        )?);
        if let Some(expires_at) = r.pay_now {
            stmts.extend(referrals::pay_statements(
                db,
                d.merchant,
                &Which::QualifiedBy(&cause),
                d.now,
                expires_at,
            )?);
        }
    }
    if let Some(on_sale) = &p.sequences {
        let sale = super::sequences::Sale::Order {
            order_id: p.order_id,
            request_id: d.request_id,
        };
        on_sale.append(db, &mut stmts, d.merchant, &sale, d.request_id, d.now)?;
    }
    stmts.push(outcome_stmt(db, d, p.order_id)?);
    let results = db.batch(stmts).await?;
    first(results.last())
}

/// Reads an order.
pub async fn find(db: &Db, merchant: &str, order_id: &str) -> Result<Option<OrderRow>, AppError> {
    Ok(db
        .rows(db.stmt(
            include_str!("sql/order_by_id.sql"),
            &[merchant.into(), order_id.into()],
        )?)
        .await?
        .into_iter()
        .next())
}

/// How long after confirming a redemption a full refund of its order still cancels it (ten
/// years: a refund is the merchant's decision, not a staff slip).
const REFUND_CANCEL_WINDOW_MS: i64 = 3650 * 86_400_000;

/// A refund to record against an order read just before.
pub struct Refund<'a> {
    pub order: &'a OrderRow,
    pub refunded_after: i64,
    pub points: i64,
    pub entry_id: &'a str,
    pub policy: &'a str,
    pub program_version: i64,
    pub tiers: Option<&'a TierRule>,
}

/// Records a refund (if the order is unchanged since it was read) and reverses its points, in
/// one round trip. A refund that lost a race forgets its webhook id so the retry applies it.
pub async fn refund(
    db: &Db,
    d: &Delivery<'_>,
    r: &Refund<'_>,
) -> Result<Option<OrderRow>, AppError> {
    let o = r.order;
    let mut stmts = vec![
        event_stmt(db, d)?,
        db.stmt(
            include_str!("sql/refund_order.sql"),
            &[
                d.merchant.into(),
                o.order_id.as_str().into(),
                o.refunded_minor.into(),
                r.refunded_after.into(),
                d.request_id.into(),
                d.webhook_id.into(),
                d.now.into(),
            ],
        )?,
        db.stmt(
            include_str!("sql/insert_refund_entry.sql"),
            &[
                d.merchant.into(),
                o.order_id.as_str().into(),
                r.entry_id.into(),
                r.points.into(),
                d.request_id.into(),
                r.policy.into(),
                r.program_version.into(),
                d.now.into(),
            ],
        )?,
    ];
    stmts.extend(super::ledger::spend_statements(
        db,
        r.entry_id,
        o.entry_id.as_deref(),
        d.now,
    )?);
    stmts.push(db.stmt(
        include_str!("sql/withdraw_pending_points.sql"),
        &[o.entry_id.as_deref().into(), r.entry_id.into()],
    )?);
    stmts.extend(super::tiers::recompute(db, r.tiers, r.entry_id, d.now)?);
    if r.refunded_after >= o.amount_minor {
        let note = format!("order {} refunded in full", o.order_id);
        for linked in o.redemptions() {
            stmts.extend(super::ledger::cancel_statements(
                db,
                d.merchant,
                &linked.id,
                d.now,
                REFUND_CANCEL_WINDOW_MS,
                "pos",
                &note,
                Some((&o.order_id, d.request_id)),
            )?);
        }
    }
    stmts.push(referrals::cancel_stmt(
        db,
        d.merchant,
        &Cause::Order {
            order_id: &o.order_id,
            request_id: d.request_id,
        },
        d.now,
    )?);
    stmts.push(db.stmt(
        include_str!("sql/forget_unapplied_webhook.sql"),
        &[
            d.merchant.into(),
            d.webhook_id.into(),
            d.request_id.into(),
            o.order_id.as_str().into(),
        ],
    )?);
    stmts.push(outcome_stmt(db, d, &o.order_id)?);
    let results = db.batch(stmts).await?;
    first(results.last())
}
