//! The operator's sign-up codes (migration 0018), in the directory with the people (callers
//! move the request there with `people::directory`): issue one, tell a wrong code from a spent
//! one, and make a sign-up's owner in the batch that uses the code, once.

use serde::Deserialize;

use super::people::{NewPerson, NewSession};
use super::Db;
use crate::shell::error::AppError;

/// Records code `id` (the hash of the code) with `note`, working until `expires_at`.
pub async fn issue(
    db: &Db,
    id: &str,
    note: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), AppError> {
    db.run(db.stmt(
        include_str!("sql/insert_signup_code.sql"),
        &[id.into(), note.into(), now.into(), expires_at.into()],
    )?)
    .await?;
    Ok(())
}

/// What a code is at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// No code has this hash.
    Unknown,
    /// Used already, or expired.
    Spent,
    /// It admits a sign-up.
    Open,
}

/// The state of code `id` at `now`.
pub async fn state(db: &Db, id: &str, now: i64) -> Result<State, AppError> {
    #[derive(Deserialize)]
    struct Row {
        spent: i64,
    }
    let rows: Vec<Row> = db
        .rows(db.stmt(
            include_str!("sql/signup_code_state.sql"),
            &[id.into(), now.into()],
        )?)
        .await?;
    Ok(match rows.first() {
        None => State::Unknown,
        Some(r) if r.spent == 1 => State::Spent,
        Some(_) => State::Open,
    })
}

/// Makes the owner of a sign-up with code `code`: the person (only while the code works), the
/// code marked used by them, their role and first session, in one batch. False (nothing
/// written) when the code was spent meanwhile or the email has an account.
pub async fn add_owner(
    db: &Db,
    code: &str,
    p: &NewPerson<'_>,
    s: &NewSession<'_>,
    now: i64,
) -> Result<bool, AppError> {
    let results = db
        .batch(vec![
            db.stmt(
                include_str!("sql/insert_person_by_code.sql"),
                &[
                    p.person_id.into(),
                    p.email.into(),
                    p.name.into(),
                    p.language.into(),
                    p.password_hash.into(),
                    now.into(),
                    code.into(),
                ],
            )?,
            db.stmt(
                include_str!("sql/use_signup_code.sql"),
                &[code.into(), now.into(), p.person_id.into()],
            )?,
            super::people::role_stmt(db, p, now)?,
            super::people::session_stmt(db, s, now)?,
        ])
        .await?;
    Ok(super::changed(&results, 0)? && super::changed(&results, 1)?)
}
