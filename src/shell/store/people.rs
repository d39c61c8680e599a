//! The directory of people who run merchants (migration 0014): people, their roles, console
//! sessions and the counters of failed sign-ins. Always on the first database: callers move the
//! request there with [`directory`] and back to a merchant's shard with `Db::place`.

use serde::Deserialize;

use super::{first, Db};
use crate::domain::account::{SESSION_IDLE_MS, SESSION_MAX_MS};
use crate::shell::error::AppError;

/// Moves `db` to the directory, the first database.
pub fn directory(db: &Db) {
    db.use_shard(0);
}

/// A person found by email, for sign-in.
#[derive(Debug, Deserialize)]
pub struct Person {
    pub id: String,
    pub password: String,
    /// The merchant they were first given a role at (none: every role was taken away).
    pub merchant_id: Option<String>,
}

/// A new person and their role at a merchant.
pub struct NewPerson<'a> {
    pub person_id: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub language: &'a str,
    pub password_hash: &'a str,
    pub merchant_id: &'a str,
    pub role: &'a str,
}

/// A session to start.
pub struct NewSession<'a> {
    /// The hash of the cookie's secret.
    pub id: &'a str,
    pub person_id: &'a str,
    pub merchant_id: &'a str,
    pub device: &'a str,
}

#[derive(Deserialize)]
struct Taken {
    taken: i64,
}

#[derive(Deserialize)]
struct Hits {
    hits: i64,
}

/// Tells whether `email` belongs to someone already.
pub async fn email_taken(db: &Db, email: &str) -> Result<bool, AppError> {
    let rows: Vec<Taken> = db
        .rows(db.stmt(include_str!("sql/person_email_taken.sql"), &[email.into()])?)
        .await?;
    Ok(rows.first().is_some_and(|t| t.taken == 1))
}

/// Records a new person, their role and (when given) their first session, in one batch;
/// returns false (writing nothing) when the email has an account, even one made in the meantime.
pub async fn add_person(
    db: &Db,
    p: &NewPerson<'_>,
    session: Option<&NewSession<'_>>,
    now: i64,
) -> Result<bool, AppError> {
    let mut stmts = vec![
        db.stmt(
            include_str!("sql/insert_person.sql"),
            &[
                p.person_id.into(),
                p.email.into(),
                p.name.into(),
                p.language.into(),
                p.password_hash.into(),
                now.into(),
            ],
        )?,
        role_stmt(db, p, now)?,
    ];
    if let Some(s) = session {
        stmts.push(session_stmt(db, s, now)?);
    }
    let results = db.batch(stmts).await?;
    super::changed(&results, 0)
}

/// The statement that gives a new person their role (only if their row went in).
pub(super) fn role_stmt(
    db: &Db,
    p: &NewPerson<'_>,
    now: i64,
) -> Result<worker::D1PreparedStatement, AppError> {
    db.stmt(
        include_str!("sql/insert_role.sql"),
        &[
            p.person_id.into(),
            p.merchant_id.into(),
            p.role.into(),
            now.into(),
            p.email.into(),
        ],
    )
}

pub(super) fn session_stmt(
    db: &Db,
    s: &NewSession<'_>,
    now: i64,
) -> Result<worker::D1PreparedStatement, AppError> {
    db.stmt(
        include_str!("sql/insert_console_session.sql"),
        &[
            s.id.into(),
            s.person_id.into(),
            s.merchant_id.into(),
            s.device.into(),
            now.into(),
        ],
    )
}

/// Starts a session; returns false when the person holds no role at its merchant.
pub async fn start_session(db: &Db, s: &NewSession<'_>, now: i64) -> Result<bool, AppError> {
    Ok(db.run(session_stmt(db, s, now)?).await? == 1)
}

/// Finds a person by email, counting nothing.
pub async fn by_email(db: &Db, email: &str) -> Result<Option<Person>, AppError> {
    let rows: Vec<Person> = db
        .rows(db.stmt(include_str!("sql/person_by_email.sql"), &[email.into()])?)
        .await?;
    Ok(rows.into_iter().next())
}

/// Runs `sql` (bound to a bucket and a window start) once per bucket, in one batch.
async fn per_bucket(
    db: &Db,
    sql: &str,
    buckets: &[&str],
    window_start: i64,
) -> Result<Vec<worker::D1Result>, AppError> {
    let stmts = buckets
        .iter()
        .map(|b| db.stmt(sql, &[(*b).into(), window_start.into()]))
        .collect::<Result<Vec<_>, _>>()?;
    db.batch(stmts).await
}

/// The hits of each of `buckets` in the window starting at `window_start`, in one round trip.
pub async fn hits(db: &Db, buckets: &[&str], window_start: i64) -> Result<Vec<i64>, AppError> {
    let sql = include_str!("sql/rate_window_hits.sql");
    per_bucket(db, sql, buckets, window_start)
        .await?
        .iter()
        .map(|r| Ok(first::<Hits>(Some(r))?.map_or(0, |h| h.hits)))
        .collect()
}

/// Counts one hit in each of `buckets` for the window starting at `window_start`.
pub async fn hit(db: &Db, buckets: &[&str], window_start: i64) -> Result<(), AppError> {
    let sql = include_str!("sql/hit_rate_window.sql");
    per_bucket(db, sql, buckets, window_start).await?;
    Ok(())
}

/// A valid console session and who is behind it.
#[derive(Debug, Deserialize)]
pub struct Session {
    pub person_id: String,
    pub merchant_id: String,
    pub role: String,
    pub name: String,
    pub email: String,
    pub language: String,
}

/// Reads session `id` at `now` if it is still valid, marking it seen, in one round trip.
pub async fn session(db: &Db, id: &str, now: i64) -> Result<Option<Session>, AppError> {
    let args = [
        id.into(),
        now.into(),
        SESSION_IDLE_MS.into(),
        SESSION_MAX_MS.into(),
    ];
    let results = db
        .batch(vec![
            db.stmt(include_str!("sql/touch_console_session.sql"), &args)?,
            db.stmt(include_str!("sql/console_session.sql"), &args)?,
        ])
        .await?;
    first(results.get(1))
}

/// A session as the person's list of signed-in devices shows it.
#[derive(Debug, Deserialize)]
pub struct SessionLine {
    pub id: String,
    pub device: String,
    pub created_at: i64,
    pub seen_at: i64,
}

/// The person's valid sessions, newest first.
pub async fn sessions(db: &Db, person: &str, now: i64) -> Result<Vec<SessionLine>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/person_sessions.sql"),
        &[
            person.into(),
            now.into(),
            SESSION_IDLE_MS.into(),
            SESSION_MAX_MS.into(),
        ],
    )?)
    .await
}

/// Ends the person's session whose id starts with `prefix`; returns whether one ended.
pub async fn end_session(db: &Db, person: &str, prefix: &str, now: i64) -> Result<bool, AppError> {
    Ok(db
        .run(db.stmt(
            include_str!("sql/end_console_session.sql"),
            &[prefix.into(), person.into(), now.into()],
        )?)
        .await?
        > 0)
}

/// The person's stored password hash.
pub async fn password(db: &Db, person: &str) -> Result<Option<String>, AppError> {
    #[derive(Deserialize)]
    struct Row {
        password: String,
    }
    let rows: Vec<Row> = db
        .rows(db.stmt(include_str!("sql/person_password.sql"), &[person.into()])?)
        .await?;
    Ok(rows.into_iter().next().map(|r| r.password))
}

/// Sets a new password hash and ends every other session of the person, in one batch.
pub async fn set_password(
    db: &Db,
    person: &str,
    hash: &str,
    keep_session: &str,
    now: i64,
) -> Result<(), AppError> {
    db.batch(vec![
        db.stmt(
            include_str!("sql/set_person_password.sql"),
            &[person.into(), hash.into(), now.into()],
        )?,
        db.stmt(
            include_str!("sql/end_other_console_sessions.sql"),
            &[person.into(), keep_session.into(), now.into()],
        )?,
    ])
    .await?;
    Ok(())
}

/// Saves the person's console language.
pub async fn set_language(db: &Db, person: &str, language: &str, now: i64) -> Result<(), AppError> {
    db.run(db.stmt(
        include_str!("sql/set_person_language.sql"),
        &[person.into(), language.into(), now.into()],
    )?)
    .await?;
    Ok(())
}

/// What the console home counts at a merchant (on the merchant's own shard).
#[derive(Debug, Deserialize)]
pub struct HomeCounts {
    pub members: i64,
    pub rewards: i64,
    /// Where the guided set-up stands (`domain::setup::Progress::parse` reads it).
    #[serde(default)]
    pub setup: Option<String>,
    /// 1 when some channel sends messages.
    #[serde(default)]
    pub messaging: i64,
}

/// A member who joined lately, for the console home.
#[derive(Debug, Deserialize)]
pub struct Newest {
    pub name: String,
    pub created_at: i64,
}

/// Counts `merchant`'s members and active rewards the five newest members and where its set-up
/// stands, in one round trip (the request must be on its shard).
pub async fn home_counts(db: &Db, merchant: &str) -> Result<(HomeCounts, Vec<Newest>), AppError> {
    let results = db
        .batch(vec![
            db.stmt(include_str!("sql/console_home.sql"), &[merchant.into()])?,
            db.stmt(
                include_str!("sql/console_newest_members.sql"),
                &[merchant.into()],
            )?,
        ])
        .await?;
    let counts = first(results.first())?.unwrap_or(HomeCounts {
        members: 0,
        rewards: 0,
        setup: None,
        messaging: 0,
    });
    let newest = results
        .get(1)
        .map(super::decode)
        .transpose()?
        .unwrap_or_default();
    Ok((counts, newest))
}

/// What the home checklist reads from the directory.
#[derive(Debug, Default, Deserialize)]
pub struct Team {
    /// A till is paired.
    pub till: i64,
    /// Someone besides one person works there or is invited.
    pub team: i64,
}

/// Whether `merchant` has a paired till and a team (the request must be in the directory).
pub async fn team(db: &Db, merchant: &str) -> Result<Team, AppError> {
    let rows: Vec<Team> = db
        .rows(db.stmt(include_str!("sql/console_team.sql"), &[merchant.into()])?)
        .await?;
    Ok(rows.into_iter().next().unwrap_or_default())
}

/// Records an invitation (`id`: the hash of the link's secret).
#[allow(clippy::too_many_arguments)] // the row's columns, each named at the call
pub async fn create_invite(
    db: &Db,
    id: &str,
    merchant: &str,
    email: &str,
    role: &str,
    by: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), AppError> {
    db.run(db.stmt(
        include_str!("sql/insert_invite.sql"),
        &[
            id.into(),
            merchant.into(),
            email.into(),
            role.into(),
            by.into(),
            now.into(),
            expires_at.into(),
        ],
    )?)
    .await?;
    Ok(())
}

/// An invitation that can still be used.
#[derive(Debug, Deserialize)]
pub struct Invite {
    pub merchant_id: String,
    pub email: String,
    pub role: String,
    /// The person its email belongs to already, if any.
    pub person_id: Option<String>,
}

/// Invitation `id` if it can still be used at `now`.
pub async fn invite(db: &Db, id: &str, now: i64) -> Result<Option<Invite>, AppError> {
    let rows: Vec<Invite> = db
        .rows(db.stmt(
            include_str!("sql/invite_by_id.sql"),
            &[id.into(), now.into()],
        )?)
        .await?;
    Ok(rows.into_iter().next())
}

/// A new person accepting an invitation.
pub struct Joining<'a> {
    pub name: &'a str,
    pub language: &'a str,
    pub password_hash: &'a str,
}

/// Uses invitation `invite` once for `person` (new when `joining` is given), gives them its
/// role and starts their session, in one batch; false (nothing written) if it was used already
/// or has expired.
pub async fn accept_invite(
    db: &Db,
    invite: &str,
    person: &str,
    joining: Option<&Joining<'_>>,
    session: &NewSession<'_>,
    now: i64,
) -> Result<bool, AppError> {
    let mut stmts = vec![db.stmt(
        include_str!("sql/use_invite.sql"),
        &[invite.into(), now.into(), person.into()],
    )?];
    if let Some(j) = joining {
        stmts.push(db.stmt(
            include_str!("sql/insert_invited_person.sql"),
            &[
                person.into(),
                j.name.into(),
                j.language.into(),
                j.password_hash.into(),
                invite.into(),
                now.into(),
            ],
        )?);
    }
    stmts.push(db.stmt(
        include_str!("sql/insert_invited_role.sql"),
        &[person.into(), invite.into(), now.into()],
    )?);
    stmts.push(session_stmt(db, session, now)?);
    let results = db.batch(stmts).await?;
    super::changed(&results, 0)
}

/// A person of a merchant, as the people page lists them.
#[derive(Debug, Deserialize)]
pub struct Colleague {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
}

/// The people of `merchant`, owners first.
pub async fn colleagues(db: &Db, merchant: &str) -> Result<Vec<Colleague>, AppError> {
    db.rows(db.stmt(include_str!("sql/merchant_people.sql"), &[merchant.into()])?)
        .await
}

/// An open invitation, as the people page lists it.
#[derive(Debug, Deserialize)]
pub struct OpenInvite {
    pub email: String,
    pub role: String,
    pub expires_at: i64,
}

/// `merchant`'s invitations still open at `now`.
pub async fn open_invites(db: &Db, merchant: &str, now: i64) -> Result<Vec<OpenInvite>, AppError> {
    db.rows(db.stmt(
        include_str!("sql/merchant_invites.sql"),
        &[merchant.into(), now.into()],
    )?)
    .await
}

/// Person `person`'s role at `merchant`, if they hold one.
pub async fn role_of(db: &Db, merchant: &str, person: &str) -> Result<Option<String>, AppError> {
    #[derive(Deserialize)]
    struct Row {
        role: String,
    }
    let rows: Vec<Row> = db
        .rows(db.stmt(
            include_str!("sql/role_of.sql"),
            &[merchant.into(), person.into()],
        )?)
        .await?;
    Ok(rows.into_iter().next().map(|r| r.role))
}

/// Changes person `person`'s role at `merchant` to `role` (`None`: takes it away) and ends
/// their sessions there, in one batch; `owners` allows touching an owner (never the last one).
/// Returns whether the role changed.
pub async fn change_role(
    db: &Db,
    merchant: &str,
    person: &str,
    role: Option<&str>,
    owners: bool,
    now: i64,
) -> Result<bool, AppError> {
    let owners = i64::from(owners);
    let first = match role {
        Some(r) => db.stmt(
            include_str!("sql/set_role.sql"),
            &[merchant.into(), person.into(), r.into(), owners.into()],
        )?,
        None => db.stmt(
            include_str!("sql/remove_role.sql"),
            &[merchant.into(), person.into(), owners.into()],
        )?,
    };
    let results = db
        .batch(vec![
            first,
            db.stmt(
                include_str!("sql/end_role_sessions.sql"),
                &[merchant.into(), person.into(), now.into()],
            )?,
        ])
        .await?;
    super::changed(&results, 0)
}
