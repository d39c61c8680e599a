//! Passkeys in the directory (migration 0019): a person's passkeys and the sign-in challenges
//! already answered. Always on the first database, like the people (`people::directory`).

use serde::Deserialize;

use super::{changed, Db};
use crate::domain::passkey::MAX_PER_PERSON;
use crate::shell::error::AppError;

/// A passkey to add.
pub struct NewPasskey<'a> {
    pub id: &'a str,
    pub person_id: &'a str,
    pub public_key: &'a str,
    pub sign_count: u32,
    pub name: &'a str,
}

/// Adds a passkey; false when its id is taken, the person holds no role, or has the most.
pub async fn add(db: &Db, k: &NewPasskey<'_>, now: i64) -> Result<bool, AppError> {
    let limit = i64::try_from(MAX_PER_PERSON).unwrap_or(i64::MAX);
    let n = db
        .run(db.stmt(
            include_str!("sql/insert_passkey.sql"),
            &[
                k.id.into(),
                k.person_id.into(),
                k.public_key.into(),
                i64::from(k.sign_count).into(),
                k.name.into(),
                now.into(),
                limit.into(),
            ],
        )?)
        .await?;
    Ok(n == 1)
}

/// A passkey as the account page lists it.
#[derive(Debug, Deserialize)]
pub struct Line {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub used_at: Option<i64>,
}

/// `person`'s passkeys.
pub async fn of(db: &Db, person: &str) -> Result<Vec<Line>, AppError> {
    db.rows(db.stmt(include_str!("sql/person_passkeys.sql"), &[person.into()])?)
        .await
}

/// Removes `person`'s passkey whose id starts with `prefix` (16 characters).
pub async fn remove(db: &Db, person: &str, prefix: &str) -> Result<(), AppError> {
    db.run(db.stmt(
        include_str!("sql/remove_passkey.sql"),
        &[person.into(), prefix.into()],
    )?)
    .await?;
    Ok(())
}

/// A passkey found for a sign-in.
#[derive(Debug, Deserialize)]
pub struct Found {
    pub person_id: String,
    pub public_key: String,
    pub sign_count: i64,
    pub merchant_id: Option<String>,
}

/// Passkey `id`, if there is one.
pub async fn find(db: &Db, id: &str) -> Result<Option<Found>, AppError> {
    let rows: Vec<Found> = db
        .rows(db.stmt(include_str!("sql/passkey_by_id.sql"), &[id.into()])?)
        .await?;
    Ok(rows.into_iter().next())
}

/// A sign-in's answer to record.
pub struct Answer<'a> {
    pub passkey: &'a str,
    /// The challenge's nonce (hex).
    pub nonce: &'a str,
    pub expires_at: i64,
    pub read_count: i64,
    pub new_count: u32,
}

/// Records the challenge as answered and moves the passkey's count, once: false when the
/// challenge was answered before or the count moved meanwhile (nothing written then).
pub async fn answer(db: &Db, a: &Answer<'_>, now: i64) -> Result<bool, AppError> {
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/prune_passkey_challenges.sql"),
                &[now.into()],
            )?,
            db.stmt(
                include_str!("sql/use_passkey_challenge.sql"),
                &[
                    a.nonce.into(),
                    a.passkey.into(),
                    now.into(),
                    a.expires_at.into(),
                ],
            )?,
            db.stmt(
                include_str!("sql/passkey_used.sql"),
                &[
                    a.passkey.into(),
                    i64::from(a.new_count).into(),
                    now.into(),
                    a.nonce.into(),
                    a.read_count.into(),
                ],
            )?,
        ])
        .await?;
    changed(&results, 2)
}
