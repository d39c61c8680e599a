//! Password reset links (migration 0018), in the directory with the people (callers move the
//! request there with `people::directory`): make one (voiding the person's older ones), read
//! one that still works, and use one exactly once: the password, the end of every session and a
//! new one in a single batch.

use serde::Deserialize;

use super::{count, Db};
use crate::shell::error::AppError;

/// A reset link to record.
pub struct NewReset<'a> {
    /// The hash of the link's secret.
    pub id: &'a str,
    pub person_id: &'a str,
    /// The person who made it, or `operator`.
    pub made_by: &'a str,
    pub expires_at: i64,
    /// The café a console link is made at: the person must work there and nowhere else.
    pub merchant: Option<&'a str>,
}

/// Records a reset link and voids the person's older ones, in one batch; false (nothing
/// written) when a console link's person also works at another merchant.
pub async fn make(db: &Db, r: &NewReset<'_>, now: i64) -> Result<bool, AppError> {
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/insert_reset.sql"),
                &[
                    r.id.into(),
                    r.person_id.into(),
                    r.made_by.into(),
                    now.into(),
                    r.expires_at.into(),
                    r.merchant.into(),
                ],
            )?,
            db.stmt(
                include_str!("sql/void_resets.sql"),
                &[r.person_id.into(), r.id.into(), now.into()],
            )?,
        ])
        .await?;
    super::changed(&results, 0)
}

/// A reset link that still works, and its person.
#[derive(Debug, Deserialize)]
pub struct Reset {
    pub person_id: String,
    pub email: String,
    pub language: String,
}

/// Reset link `id` if it still works at `now`, with its person's email and language.
pub async fn open(db: &Db, id: &str, now: i64) -> Result<Option<Reset>, AppError> {
    let rows: Vec<Reset> = db
        .rows(db.stmt(
            include_str!("sql/reset_by_id.sql"),
            &[id.into(), now.into()],
        )?)
        .await?;
    Ok(rows.into_iter().next())
}

/// What using a link did.
#[derive(Debug, PartialEq, Eq)]
pub enum Used {
    /// Used, already or by a concurrent request, voided or expired: nothing written.
    Gone,
    /// The password is set, every session ended; `signed_in` if the new session started (the
    /// person still holds a role somewhere).
    Done { signed_in: bool },
}

/// Uses reset link `id` once (with this request's random `token`): sets the password hash,
/// ends every session of the person and starts `session` from `device`, in one batch.
pub async fn spend(
    db: &Db,
    id: &str,
    token: &str,
    hash: &str,
    session: &str,
    device: &str,
    now: i64,
) -> Result<Used, AppError> {
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/use_reset.sql"),
                &[id.into(), now.into(), token.into()],
            )?,
            db.stmt(
                include_str!("sql/reset_password.sql"),
                &[id.into(), hash.into(), now.into(), token.into()],
            )?,
            db.stmt(
                include_str!("sql/reset_end_sessions.sql"),
                &[id.into(), now.into(), token.into()],
            )?,
            db.stmt(
                include_str!("sql/reset_session.sql"),
                &[
                    id.into(),
                    now.into(),
                    token.into(),
                    session.into(),
                    device.into(),
                ],
            )?,
        ])
        .await?;
    if !super::changed(&results, 0)? {
        return Ok(Used::Gone);
    }
    Ok(Used::Done {
        signed_in: count(&results, 3)? == 1,
    })
}

/// A person as the operator's reset call finds them.
#[derive(Debug, Deserialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub language: String,
}

/// The person with `email`, if any.
pub async fn person_by_email(db: &Db, email: &str) -> Result<Option<Person>, AppError> {
    let rows: Vec<Person> = db
        .rows(db.stmt(
            include_str!("sql/reset_person_by_email.sql"),
            &[email.into()],
        )?)
        .await?;
    Ok(rows.into_iter().next())
}

/// Person `id`'s name and language.
pub async fn person_name(db: &Db, id: &str) -> Result<Option<(String, String, String)>, AppError> {
    #[derive(Deserialize)]
    struct Row {
        name: String,
        language: String,
        email: String,
    }
    let rows: Vec<Row> = db
        .rows(db.stmt(include_str!("sql/person_name.sql"), &[id.into()])?)
        .await?;
    let row = rows.into_iter().next();
    Ok(row.map(|r| (r.name, r.language, r.email)))
}
