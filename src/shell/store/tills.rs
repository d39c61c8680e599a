//! Tills in the directory (migration 0016): pairing codes, paired tills, PINs and PIN tries.
//! Always on the first database, like the people they belong to (`people::directory`).

use serde::Deserialize;

use super::{changed, first, Db};
use crate::shell::error::AppError;

/// A pairing code to record.
pub struct NewPairing<'a> {
    /// The hash of the code.
    pub id: &'a str,
    pub merchant_id: &'a str,
    pub location: u8,
    pub label: &'a str,
    pub person_id: &'a str,
    pub expires_at: i64,
}

/// Records a pairing code; false when its maker no longer manages the merchant.
pub async fn create_pairing(db: &Db, p: &NewPairing<'_>, now: i64) -> Result<bool, AppError> {
    let n = db
        .run(db.stmt(
            include_str!("sql/insert_till_pairing.sql"),
            &[
                p.id.into(),
                p.merchant_id.into(),
                i64::from(p.location).into(),
                p.label.into(),
                p.person_id.into(),
                now.into(),
                p.expires_at.into(),
            ],
        )?)
        .await?;
    Ok(n == 1)
}

/// Uses pairing code `code_id` for a new till `till_id` with cookie hash `secret_hash`, once:
/// false when the code is unknown, used or expired (nothing written).
pub async fn pair(
    db: &Db,
    code_id: &str,
    till_id: &str,
    secret_hash: &str,
    now: i64,
) -> Result<bool, AppError> {
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/use_till_pairing.sql"),
                &[code_id.into(), now.into(), till_id.into()],
            )?,
            db.stmt(
                include_str!("sql/insert_paired_till.sql"),
                &[
                    code_id.into(),
                    now.into(),
                    till_id.into(),
                    secret_hash.into(),
                ],
            )?,
        ])
        .await?;
    changed(&results, 1)
}

/// A paired till, and who is signed in at it.
#[derive(Debug, Clone, Deserialize)]
pub struct Till {
    pub id: String,
    pub merchant_id: String,
    pub location: i64,
    pub label: String,
    /// The person signed in, while they hold a role and have not been idle too long.
    pub person_id: Option<String>,
    pub person_name: Option<String>,
    /// Their language: the till speaks it while they are signed in.
    pub person_language: Option<String>,
}

/// The paired till whose cookie secret hashes to `secret_hash`, marking it seen (and its person,
/// when `active` says a person did something), in one round trip.
pub async fn till(
    db: &Db,
    secret_hash: &str,
    now: i64,
    active: bool,
) -> Result<Option<Till>, AppError> {
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/touch_till.sql"),
                &[secret_hash.into(), now.into(), i64::from(active).into()],
            )?,
            db.stmt(
                include_str!("sql/till_by_secret.sql"),
                &[secret_hash.into(), now.into()],
            )?,
        ])
        .await?;
    first(results.get(1))
}

/// Someone who can sign in at a merchant's tills.
#[derive(Debug, Clone, Deserialize)]
pub struct TillPerson {
    pub id: String,
    pub name: String,
}

/// The people of `merchant` with a role and a PIN.
pub async fn people(db: &Db, merchant: &str) -> Result<Vec<TillPerson>, AppError> {
    db.rows(db.stmt(include_str!("sql/till_people.sql"), &[merchant.into()])?)
        .await
}

/// The result of claiming a PIN try.
#[derive(Debug, Deserialize)]
pub struct Try {
    /// Tries in a row so far.
    pub tries: i64,
    /// While ahead of now, the pair is locked.
    pub locked_until: i64,
    /// Whether this request got its try (1) or the pair was locked (0).
    pub claimed: i64,
}

#[derive(Debug, Deserialize)]
pub struct Pin {
    pub pin_hash: String,
    pub name: String,
}

/// The limits a PIN try is claimed under.
pub struct TryLimit {
    pub tries: i64,
    pub lock_ms: i64,
}

/// Claims a PIN try of `person` at `till` for request `request` and reads their PIN, in one
/// round trip (the try counts before the PIN is checked).
pub async fn claim_try(
    db: &Db,
    till: &str,
    person: &str,
    merchant: &str,
    request: &str,
    limit: &TryLimit,
    now: i64,
) -> Result<(Option<Try>, Option<Pin>), AppError> {
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/claim_pin_try.sql"),
                &[
                    till.into(),
                    person.into(),
                    now.into(),
                    limit.lock_ms.into(),
                    limit.tries.into(),
                    request.into(),
                ],
            )?,
            db.stmt(
                include_str!("sql/till_pin.sql"),
                &[person.into(), merchant.into()],
            )?,
        ])
        .await?;
    Ok((first(results.first())?, first(results.get(1))?))
}

/// Signs `person` in at `till` until idle for `idle_ms`, forgetting their wrong tries.
pub async fn sign_in(
    db: &Db,
    till: &str,
    person: &str,
    idle_ms: i64,
    now: i64,
) -> Result<(), AppError> {
    db.batch(vec![
        db.stmt(
            include_str!("sql/clear_pin_tries.sql"),
            &[till.into(), person.into()],
        )?,
        db.stmt(
            include_str!("sql/till_sign_in.sql"),
            &[till.into(), person.into(), now.into(), idle_ms.into()],
        )?,
    ])
    .await?;
    Ok(())
}

/// Signs whoever is at `till` out.
pub async fn lock(db: &Db, till: &str) -> Result<(), AppError> {
    db.run(db.stmt(include_str!("sql/till_lock.sql"), &[till.into()])?)
        .await?;
    Ok(())
}

/// Sets `person`'s PIN at `merchant`; false when they hold no role there.
pub async fn set_pin(
    db: &Db,
    person: &str,
    merchant: &str,
    pin_hash: &str,
    now: i64,
) -> Result<bool, AppError> {
    let n = db
        .run(db.stmt(
            include_str!("sql/set_pin.sql"),
            &[person.into(), merchant.into(), pin_hash.into(), now.into()],
        )?)
        .await?;
    Ok(n == 1)
}

#[derive(Deserialize)]
struct SetAt {
    set_at: i64,
}

/// When `person` set their PIN at `merchant`, if they have one.
pub async fn pin_set_at(db: &Db, person: &str, merchant: &str) -> Result<Option<i64>, AppError> {
    let rows: Vec<SetAt> = db
        .rows(db.stmt(
            include_str!("sql/has_pin.sql"),
            &[person.into(), merchant.into()],
        )?)
        .await?;
    Ok(rows.first().map(|r| r.set_at))
}

/// A paired till as the console lists it.
#[derive(Debug, Clone, Deserialize)]
pub struct TillLine {
    pub id: String,
    pub location: i64,
    pub label: String,
    pub paired_at: i64,
    pub seen_at: i64,
    pub paired_by: String,
    pub signed_in: Option<String>,
}

/// `merchant`'s paired tills.
pub async fn list(db: &Db, merchant: &str, now: i64) -> Result<Vec<TillLine>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/merchant_tills.sql"),
        &[merchant.into(), now.into()],
    )?)
    .await
}

/// An unpaired till.
#[derive(Debug, Clone, Deserialize)]
pub struct Unpaired {
    pub label: String,
    pub location: i64,
}

/// Unpairs `till` of `merchant`: `None` when it is not (or no longer) paired.
pub async fn unpair(
    db: &Db,
    till: &str,
    merchant: &str,
    now: i64,
) -> Result<Option<Unpaired>, AppError> {
    let rows: Vec<Unpaired> = db
        .rows(db.stmt(
            include_str!("sql/unpair_till.sql"),
            &[till.into(), merchant.into(), now.into()],
        )?)
        .await?;
    Ok(rows.into_iter().next())
}
