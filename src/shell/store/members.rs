//! Members as their card shows them: balance and latest ledger entries.

use serde::{Deserialize, Serialize};

use worker::D1PreparedStatement;

use super::{first, Arg, Db};
use crate::domain::enrol::Enrolment;
use crate::domain::ids::{MemberId, MerchantId};
use crate::domain::referral;
use crate::shell::error::AppError;

/// A member's name and balance.
#[derive(Debug, Deserialize, Serialize)]
pub struct MemberRow {
    pub id: String,
    pub name: String,
    /// Spendable points less any debt.
    pub points: i64,
    pub pending_points: i64,
    pub debt: i64,
    pub stamps: i64,
    pub cashback_minor: i64,
    pub created_at: i64,
}

/// One ledger entry.
#[derive(Debug, Deserialize, Serialize)]
pub struct EntryRow {
    pub id: String,
    pub reason: String,
    pub points: i64,
    pub pending: i64,
    pub stamps: i64,
    pub cashback: i64,
    pub note: Option<String>,
    pub cause_type: String,
    pub cause_id: String,
    pub program_version: i64,
    pub created_at: i64,
}

/// Loads a member of `merchant` with their latest `limit` entries, in one round trip.
pub async fn card(
    db: &Db,
    merchant: MerchantId,
    member: &MemberId,
    limit: i64,
) -> Result<Option<(MemberRow, Vec<EntryRow>)>, AppError> {
    let m = merchant.to_string();
    let args = [Arg::Text(member.as_str()), Arg::Text(&m)];
    let results = db
        .batch(vec![
            db.stmt(include_str!("sql/member_card.sql"), &args)?,
            db.stmt(
                include_str!("sql/member_latest_entries.sql"),
                &[Arg::Text(member.as_str()), Arg::Text(&m), Arg::Int(limit)],
            )?,
        ])
        .await?;
    let Some(row) = first::<MemberRow>(results.first())? else {
        return Ok(None);
    };
    let entries = results
        .get(1)
        .map(super::decode::<EntryRow>)
        .transpose()?
        .unwrap_or_default();
    Ok(Some((row, entries)))
}

/// One line of the audit log.
#[derive(Debug, Deserialize, Serialize)]
pub struct AuditRow {
    pub id: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub reason: String,
    pub detail: String,
    pub created_at: i64,
    /// Who `actor` was: a person's name (empty for an API key).
    pub actor_name: String,
    /// The device: a till's label and id (empty when not at a till).
    pub device: String,
}

/// Lists a merchant's latest 100 audit lines.
pub async fn audit_log(db: &Db, merchant: &str) -> Result<Vec<AuditRow>, AppError> {
    db.rows(db.stmt(include_str!("sql/audit_log.sql"), &[merchant.into()])?)
        .await
}

#[derive(Deserialize)]
struct ExportRow {
    export: String,
}

/// Everything held about a member, as JSON text; `None` if the merchant has no such member.
pub async fn export(db: &Db, merchant: &str, member: &str) -> Result<Option<String>, AppError> {
    Ok(db
        .rows::<ExportRow>(db.stmt(
            include_str!("sql/member_export.sql"),
            &[member.into(), merchant.into()],
        )?)
        .await?
        .into_iter()
        .next()
        .map(|r| r.export))
}

/// The statement that enrols member `id` of `merchant` once (a double submit inserts nothing),
/// with the keys the referral checks compare.
pub fn insert_stmt(
    db: &Db,
    id: &str,
    merchant: &str,
    e: &Enrolment,
    channel: &str,
    device: Option<&str>,
    now: i64,
) -> Result<D1PreparedStatement, AppError> {
    let email_key = e.email.as_deref().map(referral::email_key);
    let phone_key = e.phone.as_deref().map(referral::phone_key);
    db.stmt(
        include_str!("sql/insert_member.sql"),
        &[
            id.into(),
            merchant.into(),
            e.name.as_str().into(),
            e.email.as_deref().into(),
            e.phone.as_deref().into(),
            e.birthday.as_deref().into(),
            i64::from(e.marketing_consent).into(),
            channel.into(),
            now.into(),
            email_key.as_deref().into(),
            phone_key.as_deref().into(),
            device.into(),
        ],
    )
}

/// Erases a member's personal data and writes the audit line, in one batch; returns whether
/// this call erased them (false: no such member, or already erased).
pub async fn erase(
    db: &Db,
    merchant: &str,
    member: &str,
    audit_id: &str,
    actor: (&str, &str),
    reason: &str,
    now: i64,
) -> Result<bool, AppError> {
    let (actor, actor_name) = actor;
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/erase_member.sql"),
                &[member.into(), merchant.into(), now.into()],
            )?,
            db.stmt(
                include_str!("sql/erase_member_referrals.sql"),
                &[member.into(), merchant.into()],
            )?,
            db.stmt(
                include_str!("sql/erase_member_outbox.sql"),
                &[member.into(), merchant.into()],
            )?,
            // Push endpoints identify a device: they go with the person.
            db.stmt(
                include_str!("sql/forget_member_push.sql"),
                &[member.into(), merchant.into()],
            )?,
            db.stmt(
                include_str!("sql/erase_member_totals.sql"),
                &[member.into(), merchant.into()],
            )?,
            db.stmt(
                include_str!("sql/insert_audit_always.sql"),
                &[
                    audit_id.into(),
                    merchant.into(),
                    actor.into(),
                    "erase".into(),
                    member.into(),
                    reason.into(),
                    "{}".into(),
                    now.into(),
                    actor_name.into(),
                ],
            )?,
        ])
        .await?;
    super::changed(&results, 0)
}

/// A member in a search result.
#[derive(Debug, Deserialize, Serialize)]
pub struct ListedMember {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub points: i64,
    pub pending_points: i64,
    pub stamps: i64,
    pub cashback_minor: i64,
    pub channel: String,
    pub created_at: i64,
    pub last_activity_at: Option<i64>,
    pub erased_at: Option<i64>,
}

/// Finds a page of a merchant's members (`kind`: all, email, phone, code, name) after a cursor.
pub async fn search(
    db: &Db,
    merchant: &str,
    kind: &str,
    value: &str,
    limit: i64,
    after: Option<(i64, &str)>,
) -> Result<Vec<ListedMember>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/search_members.sql"),
        &[
            merchant.into(),
            kind.into(),
            value.into(),
            limit.into(),
            after.map_or(Arg::Null, |(t, _)| Arg::Int(t)),
            after.map_or(Arg::Null, |(_, id)| Arg::Text(id)),
        ],
    )?)
    .await
}

/// Messaging preferences as the API shows them.
#[derive(Debug, Deserialize, Serialize)]
pub struct Preferences {
    pub marketing_consent: i64,
    pub preferred_channel: Option<String>,
    pub language: Option<String>,
}

/// A member's messaging preferences, if the member exists for this merchant.
pub async fn preferences(
    db: &Db,
    merchant: &str,
    member: &str,
) -> Result<Option<Preferences>, AppError> {
    Ok(db
        .rows(db.stmt(
            include_str!("sql/member_preferences.sql"),
            &[member.into(), merchant.into()],
        )?)
        .await?
        .into_iter()
        .next())
}

/// Changes a member's messaging preferences (`None`: unchanged; `Some(None)`: cleared) and
/// audits it, in one batch; returns the preferences now, or `None` for no such member.
#[allow(clippy::too_many_arguments)]
pub async fn set_preferences(
    db: &Db,
    merchant: &str,
    member: &str,
    consent: Option<bool>,
    channel: Option<Option<&str>>,
    language: Option<Option<&str>>,
    actor: &str,
    now: i64,
) -> Result<Option<serde_json::Value>, AppError> {
    let detail = serde_json::json!({
        "marketing_consent": consent, "preferred_channel": channel, "language": language,
    })
    .to_string();
    let audit_id = crate::domain::ids::to_hex(&crate::shell::app::random::<16>()?);
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/set_member_preferences.sql"),
                &[
                    member.into(),
                    merchant.into(),
                    consent.map(i64::from).into(),
                    i64::from(channel.is_some()).into(),
                    channel.flatten().into(),
                    i64::from(language.is_some()).into(),
                    language.flatten().into(),
                ],
            )?,
            db.stmt(
                include_str!("sql/insert_audit_member.sql"),
                &[
                    audit_id.as_str().into(),
                    merchant.into(),
                    actor.into(),
                    "preferences".into(),
                    member.into(),
                    "".into(),
                    detail.as_str().into(),
                    now.into(),
                ],
            )?,
            db.stmt(
                include_str!("sql/member_preferences.sql"),
                &[member.into(), merchant.into()],
            )?,
        ])
        .await?;
    let now: Option<Preferences> = super::first(results.get(2))?;
    Ok(now.map(|p| {
        serde_json::json!({
            "marketing_consent": p.marketing_consent == 1,
            "preferred_channel": p.preferred_channel,
            "language": p.language,
        })
    }))
}

/// A customer as the console's CSV download lists it.
#[derive(Debug, Deserialize)]
pub struct CsvRow {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub birthday: Option<String>,
    pub marketing_consent: i64,
    pub points: i64,
    pub stamps: i64,
    pub created_at: i64,
    pub last_activity_at: Option<i64>,
}

/// A merchant's customers (not erased), oldest first, at most `limit`.
pub async fn for_csv(db: &Db, merchant: &str, limit: i64) -> Result<Vec<CsvRow>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/members_csv.sql"),
        &[merchant.into(), limit.into()],
    )?)
    .await
}
