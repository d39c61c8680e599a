//! Tier moves, appended to every batch that earns or reverses points: the level is recomputed
//! inside D1 from the ledger, in the same transaction as the entry that moved it.

use worker::D1PreparedStatement;

use super::Db;
use crate::domain::tier::Tiers;
use crate::shell::error::AppError;

/// What D1 needs to place a member among a program's levels.
pub struct TierRule {
    thresholds: String,
    window_ms: i64,
    hold_ms: Option<i64>,
    program_version: i64,
}

impl TierRule {
    /// The rule of `tiers` under program `version`; `None` when the program has no tiers.
    pub fn of(tiers: &Tiers, version: u32) -> Option<TierRule> {
        tiers.enabled().then(|| TierRule {
            thresholds: tiers.thresholds_json(),
            window_ms: tiers.window_ms(),
            hold_ms: tiers.hold_ms(),
            program_version: i64::from(version),
        })
    }
}

/// The statements that move the member of ledger entry `entry` (if this batch wrote it) to the
/// level the rule gives; nothing when there are no tiers.
pub fn recompute(
    db: &Db,
    rule: Option<&TierRule>,
    entry: &str,
    now: i64,
) -> Result<Vec<D1PreparedStatement>, AppError> {
    let Some(r) = rule else {
        return Ok(Vec::new());
    };
    let change = format!("{entry}:tier");
    Ok(vec![
        db.stmt(
            include_str!("sql/tier_change.sql"),
            &[
                entry.into(),
                r.thresholds.as_str().into(),
                (now - r.window_ms).into(),
                r.hold_ms.into(),
                now.into(),
                r.program_version.into(),
            ],
        )?,
        db.stmt(
            include_str!("sql/apply_tier.sql"),
            &[change.as_str().into(), now.into()],
        )?,
        super::messages::tier_stmt(db, Some(&change), now)?,
    ])
}

/// Moves members down whose window total no longer reaches their level (rolling downgrade,
/// after the hold), in one batch; returns how many moved.
pub async fn sweep(db: &Db, now: i64) -> Result<usize, AppError> {
    let results = db
        .batch(vec![
            db.stmt(include_str!("sql/sweep_tiers.sql"), &[now.into()])?,
            db.stmt(include_str!("sql/apply_tier_sweep.sql"), &[now.into()])?,
            super::messages::tier_stmt(db, None, now)?,
        ])
        .await?;
    super::count(&results, 0)
}

#[derive(serde::Deserialize)]
struct LevelCount {
    tier: i64,
    n: i64,
}

/// How many customers of `merchant` are on each level, by level index (up to `levels`; those
/// stored above the top level, removed since, count on the top one).
pub async fn on_each_level(db: &Db, merchant: &str, levels: usize) -> Result<Vec<i64>, AppError> {
    let rows: Vec<LevelCount> = db
        .rows(db.stmt(include_str!("sql/members_by_level.sql"), &[merchant.into()])?)
        .await?;
    let mut out = vec![0; levels];
    for r in rows {
        let i = usize::try_from(r.tier.max(0))
            .unwrap_or(0)
            .min(levels.saturating_sub(1));
        if let Some(slot) = out.get_mut(i) {
            *slot += r.n;
        }
    }
    Ok(out)
}
