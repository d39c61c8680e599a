//! Merchants: their configuration (what the KV cache holds), creation, and program versions.

use serde::Deserialize;

use super::{first, Arg, Db};
use crate::domain::apikey::{NewKey, Scope};
use crate::domain::ids::MerchantId;
use crate::domain::program::{MerchantConfig, MerchantIdText, NewMerchant, Profile, Program};
use crate::shell::error::AppError;

#[derive(Deserialize)]
struct MerchantRow {
    name: String,
    branding: String,
    currency: String,
    time_zone: String,
    current_kid: u8,
}

#[derive(Deserialize)]
struct ProgramRow {
    version: u32,
    config: String,
}

#[derive(Deserialize)]
struct KidRow {
    kid: u8,
}

#[derive(Deserialize)]
struct LocationRow {
    number: u8,
    name: String,
}

fn stored_json<T: serde::de::DeserializeOwned>(what: &str, raw: &str) -> Result<T, AppError> {
    serde_json::from_str(raw)
        .map_err(|e| AppError::internal(format!("stored {what} does not parse: {e}")))
}

/// Loads everything the scan path needs about a merchant, in one round trip.
pub async fn config(db: &Db, id: MerchantId) -> Result<Option<MerchantConfig>, AppError> {
    let m = id.to_string();
    let results = db
        .batch(vec![
            db.stmt(include_str!("sql/merchant.sql"), &[Arg::Text(&m)])?,
            db.stmt(include_str!("sql/merchant_program.sql"), &[Arg::Text(&m)])?,
            db.stmt(include_str!("sql/merchant_scan_keys.sql"), &[Arg::Text(&m)])?,
            db.stmt(include_str!("sql/merchant_locations.sql"), &[Arg::Text(&m)])?,
            db.stmt(
                include_str!("sql/merchant_webhook_secrets.sql"),
                &[Arg::Text(&m)],
            )?,
            db.stmt(include_str!("sql/messaging_settings.sql"), &[Arg::Text(&m)])?,
        ])
        .await?;
    let mut results = results.iter();
    let Some(row) = first::<MerchantRow>(results.next())? else {
        return Ok(None);
    };
    let program = first::<ProgramRow>(results.next())?
        .ok_or_else(|| AppError::internal(format!("merchant {m} has no program")))?;
    let kids = results
        .next()
        .map(super::decode::<KidRow>)
        .transpose()?
        .unwrap_or_default();
    let locations = results
        .next()
        .map(super::decode::<LocationRow>)
        .transpose()?
        .unwrap_or_default();
    let webhook_kids = results
        .next()
        .map(super::decode::<KidRow>)
        .transpose()?
        .unwrap_or_default();
    let messaging = first::<super::messages::Stored>(results.next())?.map(|s| s.settings());
    let push_offer = messaging.filter(|s| s.push).map(|s| {
        crate::domain::language::Language::ALL
            .into_iter()
            .map(|l| (l, s.push_offer(l)))
            .collect()
    });
    Ok(Some(MerchantConfig {
        id: MerchantIdText(id),
        name: row.name,
        branding: stored_json("branding", &row.branding)?,
        currency: stored_json("currency", &row.currency)?,
        time_zone: row.time_zone,
        program: stored_json::<Program>("program", &program.config)?,
        program_version: program.version,
        scan_kids: kids.into_iter().map(|k| k.kid).collect(),
        current_kid: row.current_kid,
        locations: locations.into_iter().map(|l| (l.number, l.name)).collect(),
        webhook_kids: webhook_kids.into_iter().map(|k| k.kid).collect(),
        push_offer,
    }))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| AppError::internal(format!("cannot serialise: {e}")))
}

/// Creates a merchant with scan key 1, webhook secret 1, its locations, program version 1 and an owner API key,
/// all in one atomic batch.
pub async fn create(
    db: &Db,
    id: MerchantId,
    new: &NewMerchant,
    owner_key: &NewKey,
    now: i64,
) -> Result<(), AppError> {
    let m = id.to_string();
    let branding = to_json(&new.branding)?;
    let currency = to_json(&new.currency)?;
    let program = to_json(&new.program)?;
    let mut stmts = vec![
        db.stmt(
            include_str!("sql/insert_merchant.sql"),
            &[
                m.as_str().into(),
                new.name.as_str().into(),
                branding.as_str().into(),
                currency.as_str().into(),
                new.time_zone.as_str().into(),
                now.into(),
            ],
        )?,
        db.stmt(
            include_str!("sql/insert_scan_key.sql"),
            &[m.as_str().into(), 1.into(), now.into()],
        )?,
        db.stmt(
            include_str!("sql/insert_webhook_secret.sql"),
            &[m.as_str().into(), 1.into(), now.into()],
        )?,
        db.stmt(
            include_str!("sql/insert_program_version.sql"),
            &[m.as_str().into(), program.as_str().into(), now.into()],
        )?,
        db.stmt(
            include_str!("sql/insert_api_key.sql"),
            &[
                owner_key.id.as_str().into(),
                m.as_str().into(),
                owner_key.secret_hash.as_str().into(),
                Scope::Owner.as_str().into(),
                now.into(),
            ],
        )?,
    ];
    for (number, name) in (1i64..).zip(&new.locations) {
        stmts.push(db.stmt(
            include_str!("sql/insert_location.sql"),
            &[m.as_str().into(), number.into(), name.as_str().into()],
        )?);
    }
    db.batch(stmts).await?;
    Ok(())
}

/// Stores a new version of a merchant's program.
pub async fn add_program_version(
    db: &Db,
    id: MerchantId,
    program: &Program,
    now: i64,
) -> Result<(), AppError> {
    let m = id.to_string();
    let json = to_json(program)?;
    db.run(db.stmt(
        include_str!("sql/insert_program_version.sql"),
        &[m.as_str().into(), json.as_str().into(), now.into()],
    )?)
    .await?;
    Ok(())
}

/// A merchant's row counts and ledger mismatches, for the audit endpoint and the test suite.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct Audit {
    pub members: i64,
    pub scans: i64,
    pub ledger_entries: i64,
    /// Earn entries caused by scans: one per credited scan.
    pub earn_entries: i64,
    pub mismatched_balances: i64,
    /// The first members (at most 20) counted in `mismatched_balances`, with both sides.
    #[serde(default)]
    pub mismatched_members: Vec<Mismatch>,
}

/// One member whose materialised balance differs from their ledger or their lots.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct Mismatch {
    pub member_id: String,
    pub points: i64,
    pub debt: i64,
    pub pending_points: i64,
    pub stamps: i64,
    pub cashback_minor: i64,
    pub ledger_points: i64,
    pub ledger_pending: i64,
    pub ledger_stamps: i64,
    pub ledger_cashback: i64,
    pub lot_points: i64,
    pub lot_pending: i64,
}

/// Counts a merchant's rows and the members whose balance differs from their ledger, and names
/// the first of those members.
pub async fn audit(db: &Db, id: MerchantId) -> Result<Audit, AppError> {
    let m = id.to_string();
    let mut audit = db
        .rows::<Audit>(db.stmt(include_str!("sql/ledger_audit.sql"), &[Arg::Text(&m)])?)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::internal("the audit query returned no row"))?;
    if audit.mismatched_balances > 0 {
        audit.mismatched_members = db
            .rows::<Mismatch>(db.stmt(include_str!("sql/ledger_mismatches.sql"), &[Arg::Text(&m)])?)
            .await?;
    }
    Ok(audit)
}

/// Adds the merchant's next webhook secret and retires all but the two newest; returns false
/// when the merchant has used all 255 ids.
pub async fn rotate_webhook_secret(db: &Db, id: MerchantId, now: i64) -> Result<bool, AppError> {
    let m = id.to_string();
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/rotate_webhook_secret.sql"),
                &[m.as_str().into(), now.into()],
            )?,
            db.stmt(
                include_str!("sql/retire_old_webhook_secrets.sql"),
                &[m.as_str().into(), now.into()],
            )?,
        ])
        .await?;
    super::changed(&results, 0)
}

/// Stores a merchant's profile (name, branding, time zone).
pub async fn update_profile(db: &Db, id: MerchantId, p: &Profile) -> Result<(), AppError> {
    let m = id.to_string();
    let branding = to_json(&p.branding)?;
    db.run(db.stmt(
        include_str!("sql/update_merchant.sql"),
        &[
            m.as_str().into(),
            p.name.as_str().into(),
            branding.as_str().into(),
            p.time_zone.as_str().into(),
        ],
    )?)
    .await?;
    Ok(())
}

/// Adds a location with the next free number; `None` when all 255 are taken.
pub async fn add_location(db: &Db, id: MerchantId, name: &str) -> Result<Option<u8>, AppError> {
    let m = id.to_string();
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/add_location.sql"),
                &[m.as_str().into(), name.into()],
            )?,
            db.stmt(
                include_str!("sql/merchant_locations.sql"),
                &[m.as_str().into()],
            )?,
        ])
        .await?;
    if !super::changed(&results, 0)? {
        return Ok(None);
    }
    let rows = results
        .get(1)
        .map(super::decode::<LocationRow>)
        .transpose()?
        .unwrap_or_default();
    Ok(rows.last().map(|l| l.number))
}

/// Renames location `number`; returns false when the merchant has no such location.
pub async fn rename_location(
    db: &Db,
    id: MerchantId,
    number: u8,
    name: &str,
) -> Result<bool, AppError> {
    let m = id.to_string();
    let n = db
        .run(db.stmt(
            include_str!("sql/rename_location.sql"),
            &[m.as_str().into(), i64::from(number).into(), name.into()],
        )?)
        .await?;
    Ok(n == 1)
}
