//! Referrals in D1: invitation links, joins judged inside the batch that records them, the
//! qualifying purchase, and the bonus paid once (entries keyed `<referral>:<side>`, the status
//! flipped last), by the purchase's own batch when it is final at once, by the hourly job after a
//! return window, or by the merchant's approval of a held referral.

use serde::{Deserialize, Serialize};
use worker::D1PreparedStatement;

use super::{changed, first, Arg, Db};
use crate::domain::referral::Referral;
use crate::domain::reward::code_from;
use crate::shell::app::random;
use crate::shell::error::AppError;

/// The two sides of a referral, as the bonus statements name them.
const SIDES: [&str; 2] = ["referrer", "referee"];

/// An invitation link and whose it is.
#[derive(Debug, Deserialize)]
pub struct Link {
    pub code: String,
    pub merchant_id: String,
    pub member_id: String,
    pub name: String,
}

/// A join to judge and record.
pub struct Join<'a> {
    /// The referral's id: the friend's member id, or `<member>:<referrer>` for an existing member.
    pub id: &'a str,
    pub merchant: &'a str,
    pub code: &'a str,
    pub referee: &'a str,
    /// Whether the friend enrolled through it (a new member).
    pub joined: bool,
    /// A reason decided before the batch (an existing member's attempt).
    pub reason: Option<&'a str>,
    pub device: Option<&'a str>,
    pub network: Option<&'a str>,
    pub now: i64,
    /// Start of the current calendar month in the merchant's time zone.
    pub month_start: i64,
    pub terms: &'a Referral,
    pub program_version: i64,
}

/// The statement that judges and records `j`.
pub fn join_stmt(db: &Db, j: &Join<'_>) -> Result<D1PreparedStatement, AppError> {
    let t = j.terms;
    let window = i64::from(t.velocity.window_hours) * 3_600_000;
    db.stmt(
        include_str!("sql/insert_referral.sql"),
        &[
            j.id.into(),
            j.merchant.into(),
            j.code.into(),
            j.referee.into(),
            j.now.into(),
            j.device.into(),
            j.network.into(),
            j.reason.into(),
            j.month_start.into(),
            i64::from(t.monthly_cap).into(),
            (j.now - window).into(),
            i64::from(t.velocity.per_device).into(),
            i64::from(t.velocity.per_network).into(),
            i64::from(t.referrer.points).into(),
            i64::from(t.referrer.stamps).into(),
            t.referrer.reward_id.as_deref().into(),
            i64::from(t.referee.points).into(),
            i64::from(t.referee.stamps).into(),
            t.referee.reward_id.as_deref().into(),
            i64::from(t.min_purchase_minor).into(),
            i64::from(t.qualifying_purchase == crate::domain::referral::Qualifying::First).into(),
            i64::from(j.joined).into(),
            i64::from(t.gift_days).into(),
            j.program_version.into(),
        ],
    )
}

/// How a referral stands after a join.
#[derive(Debug, Deserialize, Serialize)]
pub struct Outcome {
    pub id: String,
    pub decision: String,
    pub reason: Option<String>,
    pub progress: String,
    pub referrer_id: String,
    pub referrer_name: String,
    pub referee_id: String,
    pub referee_points: i64,
    pub referee_stamps: i64,
    pub referee_reward: Option<String>,
    pub created_at: i64,
}

/// The statement that reads referral `id` back.
pub fn outcome_stmt(db: &Db, merchant: &str, id: &str) -> Result<D1PreparedStatement, AppError> {
    db.stmt(
        include_str!("sql/referral_outcome.sql"),
        &[id.into(), merchant.into()],
    )
}

/// Counts one opening of the invitation `code` (by a browser that had not opened it).
pub async fn count_open(db: &Db, code: &str) -> Result<(), AppError> {
    db.run(db.stmt(include_str!("sql/count_referral_open.sql"), &[code.into()])?)
        .await?;
    Ok(())
}

/// Reads the invitation `code`.
pub async fn link(db: &Db, code: &str) -> Result<Option<Link>, AppError> {
    Ok(db
        .rows(db.stmt(
            include_str!("sql/referral_link_by_code.sql"),
            &[code.into()],
        )?)
        .await?
        .into_iter()
        .next())
}

/// Records an existing member's attempt to use someone's invitation (always blocked).
pub async fn attempt(db: &Db, j: &Join<'_>) -> Result<(), AppError> {
    db.batch(vec![join_stmt(db, j)?]).await?;
    Ok(())
}

/// Enrols a member (`member`, the insert statement) and records their referral, in one round
/// trip; returns how the referral stands (`None`: the code's owner is gone).
pub async fn enrol(
    db: &Db,
    member: D1PreparedStatement,
    j: &Join<'_>,
) -> Result<Option<Outcome>, AppError> {
    let results = db
        .batch(vec![
            member,
            join_stmt(db, j)?,
            outcome_stmt(db, j.merchant, j.id)?,
            super::messages::welcome_stmt(db, j.referee, j.now)?,
        ])
        .await?;
    first(results.get(2))
}

/// Where a purchase qualified from, for the statements that follow it in its batch.
pub enum Cause<'a> {
    Scan(&'a str),
    Order {
        order_id: &'a str,
        request_id: &'a str,
    },
}

/// The statement that lets a purchase recorded by this batch qualify its member's referral.
pub fn qualify_stmt(
    db: &Db,
    merchant: &str,
    cause: &Cause<'_>,
    final_at: i64,
    now: i64,
) -> Result<D1PreparedStatement, AppError> {
    match cause {
        Cause::Scan(id) => db.stmt(
            include_str!("sql/qualify_referral_scan.sql"),
            &[(*id).into(), final_at.into(), now.into()],
        ),
        Cause::Order {
            order_id,
            request_id,
        } => db.stmt(
            include_str!("sql/qualify_referral_order.sql"),
            &[
                merchant.into(),
                (*order_id).into(),
                (*request_id).into(),
                final_at.into(),
                now.into(),
            ],
        ),
    }
}

/// The statement that cancels the unpaid bonus of a purchase this batch refunded or reversed.
pub fn cancel_stmt(
    db: &Db,
    merchant: &str,
    cause: &Cause<'_>,
    now: i64,
) -> Result<D1PreparedStatement, AppError> {
    match cause {
        Cause::Scan(id) => db.stmt(
            include_str!("sql/cancel_referral_scan.sql"),
            &[merchant.into(), (*id).into(), now.into()],
        ),
        Cause::Order {
            order_id,
            request_id,
        } => db.stmt(
            include_str!("sql/cancel_referral_order.sql"),
            &[
                merchant.into(),
                (*order_id).into(),
                (*request_id).into(),
                now.into(),
            ],
        ),
    }
}

/// Which referral to pay.
pub enum Which<'a> {
    Id(&'a str),
    /// The one the purchase qualified (in the purchase's own batch).
    QualifiedBy(&'a Cause<'a>),
}

/// The statements that pay one referral if it is approved, qualified and final at `now`: each
/// side's entry, lot, balances and gift, then the status (nothing happens twice: the entries'
/// ids are primary keys and every statement acts only while the status is 'qualified').
/// `expires_at`: when bonus points expire under the merchant's policy.
pub fn pay_statements(
    db: &Db,
    merchant: &str,
    which: &Which<'_>,
    now: i64,
    expires_at: Option<i64>,
) -> Result<Vec<D1PreparedStatement>, AppError> {
    let (id, cause_type, cause_id) = match which {
        Which::Id(id) => (Some(*id), "", ""),
        Which::QualifiedBy(Cause::Scan(s)) => (None, "scan", *s),
        Which::QualifiedBy(Cause::Order { order_id, .. }) => (None, "order", *order_id),
    };
    let head = |side: &'static str| -> [Arg<'_>; 6] {
        [
            merchant.into(),
            id.into(),
            cause_type.into(),
            cause_id.into(),
            now.into(),
            side.into(),
        ]
    };
    let mut stmts = Vec::with_capacity(PAY_STATEMENTS);
    for side in SIDES {
        stmts.push(db.stmt(include_str!("sql/referral_bonus_entry.sql"), &head(side))?);
        let mut lot = Vec::from(head(side));
        lot.push(expires_at.map_or(Arg::Null, Arg::Int));
        stmts.push(db.stmt(include_str!("sql/referral_bonus_lot.sql"), &lot)?);
        stmts.push(db.stmt(include_str!("sql/referral_bonus_member.sql"), &head(side))?);
        let code = code_from(random::<4>()?);
        let mut gift = Vec::from(head(side));
        gift.push(code.as_str().into());
        stmts.push(db.stmt(include_str!("sql/referral_gift.sql"), &gift)?);
    }
    let [m, i, ct, ci, n, _] = head("referrer");
    stmts.push(db.stmt(
        include_str!("sql/referral_rewarded.sql"),
        &[m, i, ct, ci, n],
    )?);
    let [m, i, ct, ci, n, _] = head("referrer");
    stmts.push(db.stmt(
        include_str!("sql/queue_referral_rewarded.sql"),
        &[m, i, ct, ci, n],
    )?);
    Ok(stmts)
}

/// Statements per referral paid (`pay_statements`); the ninth marks it rewarded.
const PAY_STATEMENTS: usize = 10;

/// A referral due for payment.
#[derive(Debug, Deserialize)]
pub struct Due {
    pub id: String,
    pub merchant_id: String,
}

/// Referrals approved, qualified and final by `now`, oldest first, at most `limit`.
pub async fn due(db: &Db, now: i64, limit: i64) -> Result<Vec<Due>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/referrals_due.sql"),
        &[now.into(), limit.into()],
    )?)
    .await
}

/// Pays the referrals `ids` of `merchant` (each still guarded), in one round trip; returns how
/// many were paid.
pub async fn pay(
    db: &Db,
    merchant: &str,
    ids: &[String],
    now: i64,
    expires_at: Option<i64>,
) -> Result<usize, AppError> {
    let mut stmts = Vec::with_capacity(ids.len() * PAY_STATEMENTS);
    for id in ids {
        stmts.extend(pay_statements(
            db,
            merchant,
            &Which::Id(id),
            now,
            expires_at,
        )?);
    }
    let results = db.batch(stmts).await?;
    let mut paid = 0;
    for k in 0..ids.len() {
        if changed(&results, k * PAY_STATEMENTS + 8)? {
            paid += 1;
        }
    }
    Ok(paid)
}

/// A referral as the merchant's API shows it.
#[derive(Debug, Deserialize, Serialize)]
pub struct Row {
    pub id: String,
    pub decision: String,
    pub reason: Option<String>,
    pub progress: String,
    pub joined: i64,
    pub referrer_id: String,
    pub referrer_name: String,
    pub referee_id: String,
    pub referee_name: String,
    pub referrer_points: i64,
    pub referrer_stamps: i64,
    pub referrer_reward: Option<String>,
    pub referee_points: i64,
    pub referee_stamps: i64,
    pub referee_reward: Option<String>,
    pub min_purchase_minor: i64,
    pub cause_type: Option<String>,
    pub cause_id: Option<String>,
    pub qualified_at: Option<i64>,
    pub final_at: Option<i64>,
    pub rewarded_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<i64>,
    pub created_at: i64,
}

/// A page of a merchant's referrals, newest first (`decision` filters; `before` is the cursor).
pub async fn list(
    db: &Db,
    merchant: &str,
    decision: Option<&str>,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<Row>, AppError> {
    let (at, id) = before.map_or((Arg::Null, Arg::Null), |(t, i)| (Arg::Int(t), Arg::Text(i)));
    db.rows(list_stmt(db, merchant, decision, at, id, limit, None)?)
        .await
}

fn list_stmt<'a>(
    db: &Db,
    merchant: &'a str,
    decision: Option<&'a str>,
    at: Arg<'a>,
    id: Arg<'a>,
    limit: i64,
    only: Option<&'a str>,
) -> Result<D1PreparedStatement, AppError> {
    db.stmt(
        include_str!("sql/list_referrals.sql"),
        &[
            merchant.into(),
            decision.into(),
            at,
            id,
            limit.into(),
            only.into(),
        ],
    )
}

/// Referral figures: links opened, friends joined, converted (made the qualifying purchase),
/// rewarded, blocked (or rejected), held for review, cancelled by a refund.
#[derive(Debug, Deserialize, Serialize, Default)]
pub struct Stats {
    pub opened: i64,
    pub joined: i64,
    pub converted: i64,
    pub rewarded: i64,
    pub blocked: i64,
    pub held: i64,
    #[serde(default)]
    pub cancelled: i64,
}

/// A merchant's referral figures.
pub async fn stats(db: &Db, merchant: &str) -> Result<Stats, AppError> {
    Ok(db
        .rows(db.stmt(
            include_str!("sql/merchant_referral_stats.sql"),
            &[merchant.into()],
        )?)
        .await?
        .into_iter()
        .next()
        .unwrap_or_default())
}

/// A member's invitation code and its figures.
#[derive(Debug, Deserialize, Serialize, Clone)]
pub struct MemberLink {
    pub code: String,
    pub opened: i64,
    pub joined: i64,
    pub converted: i64,
    pub rewarded: i64,
    pub blocked: i64,
    pub held: i64,
}

/// The statements that read the invitation the member joined through, then their own code and
/// figures (last), after giving them
/// `new_code` if they have none and noting the phone's `device`.
pub fn card_statements(
    db: &Db,
    merchant: &str,
    member: &str,
    new_code: Option<&str>,
    device: Option<&str>,
    now: i64,
) -> Result<Vec<D1PreparedStatement>, AppError> {
    let mut stmts = Vec::with_capacity(3);
    if let Some(code) = new_code {
        stmts.push(db.stmt(
            include_str!("sql/ensure_referral_link.sql"),
            &[member.into(), merchant.into(), code.into(), now.into()],
        )?);
    }
    if let Some(d) = device {
        stmts.push(db.stmt(
            include_str!("sql/remember_device.sql"),
            &[member.into(), merchant.into(), d.into()],
        )?);
    }
    stmts.push(db.stmt(
        include_str!("sql/member_invited.sql"),
        &[member.into(), merchant.into()],
    )?);
    stmts.push(db.stmt(
        include_str!("sql/member_referrals.sql"),
        &[member.into(), merchant.into()],
    )?);
    Ok(stmts)
}

/// The invitation a member joined through, as their card shows it.
#[derive(Debug, Deserialize, Serialize, Clone)]
pub struct Invited {
    pub decision: String,
    pub progress: String,
    pub final_at: Option<i64>,
    pub referee_points: i64,
    pub referee_stamps: i64,
    pub referee_reward: Option<String>,
    pub min_purchase_minor: i64,
    pub referrer_name: String,
}

/// A merchant's decision on a held referral.
pub struct Review<'a> {
    pub merchant: &'a str,
    pub id: &'a str,
    pub approve: bool,
    /// An API key's id or a person's.
    pub actor: &'a str,
    /// The person's name (empty for a key).
    pub actor_name: &'a str,
    pub audit_id: &'a str,
    pub now: i64,
    /// When bonus points paid now would expire.
    pub expires_at: Option<i64>,
}

/// Approves (and pays, if final) or rejects a held referral, in one round trip. Returns
/// whether this request decided it, and the referral as it stands.
pub async fn review(db: &Db, r: &Review<'_>) -> Result<(bool, Option<Row>), AppError> {
    let decision = if r.approve { "ok" } else { "rejected" };
    let mut stmts = vec![
        db.stmt(
            include_str!("sql/review_referral.sql"),
            &[
                r.merchant.into(),
                r.id.into(),
                decision.into(),
                r.actor.into(),
                r.now.into(),
            ],
        )?,
        db.stmt(
            include_str!("sql/audit_referral_review.sql"),
            &[
                r.audit_id.into(),
                r.merchant.into(),
                r.actor.into(),
                if r.approve {
                    "referral.approve"
                } else {
                    "referral.reject"
                }
                .into(),
                r.id.into(),
                r.now.into(),
                r.actor_name.into(),
            ],
        )?,
    ];
    if r.approve {
        stmts.extend(pay_statements(
            db,
            r.merchant,
            &Which::Id(r.id),
            r.now,
            r.expires_at,
        )?);
    }
    stmts.push(list_stmt(
        db,
        r.merchant,
        None,
        Arg::Null,
        Arg::Null,
        1,
        Some(r.id),
    )?);
    let results = db.batch(stmts).await?;
    Ok((changed(&results, 0)?, first(results.last())?))
}
