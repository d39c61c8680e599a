//! The scheduled entry point: every cron in wrangler.toml runs its job, once per time slot.

use crate::harness::{concurrently, worker};

/// The cron strings configured in wrangler.toml, the source of truth for what the platform calls.
fn configured_crons() -> Vec<String> {
    let toml =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/wrangler.toml")).unwrap();
    let line = toml
        .lines()
        .find(|l| l.trim_start().starts_with("crons"))
        .expect("a crons line");
    line.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

pub fn trigger(cron: &str, time_ms: i64) {
    let cron = cron.replace(' ', "+");
    let resp = worker().get(
        &format!("/cdn-cgi/handler/scheduled?cron={cron}&time={time_ms}"),
        None,
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
}

fn runs_of(cron: &str) -> Vec<serde_json::Value> {
    let resp = worker().admin("GET", "/admin/v1/jobs", None);
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.json()["runs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["cron"] == cron)
        .cloned()
        .collect()
}

/// A scheduled time no other test uses: a random hour of 10 to 19 October in a random year
/// 1975-2020, plus 5 minutes. The worker runs jobs on the scheduled time's clock (JOB_CLOCK), so
/// a past run finds nothing due and cannot disturb tests running alongside; the dates stay clear
/// of the birthdays the birthday tests celebrate (a run on someone's birthday in some past year
/// would give them that year's gift).
pub fn fresh_time() -> i64 {
    let mut b = [0u8; 4];
    getrandom::getrandom(&mut b).unwrap();
    let r = u32::from_be_bytes(b);
    let year = 1975 + (r % 46) as i32;
    let day = 10 + (r / 46) % 10;
    let hour = (r / 460) % 24;
    chrono::NaiveDate::from_ymd_opt(year, 10, day)
        .unwrap()
        .and_hms_opt(hour, 5, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

/// A scheduled time at least `ms` (Unix ms), later than any this process asked for before (so
/// each run has its own slot). Only for tests under a `later` module: they run one at a time,
/// after every other test, because a job run ahead of time acts on every merchant.
pub fn at_or_after(ms: i64) -> i64 {
    static LAST: std::sync::Mutex<i64> = std::sync::Mutex::new(0);
    let mut last = LAST.lock().unwrap();
    let hour = (ms.div_euclid(3_600_000) + 1).max(*last + 1);
    *last = hour;
    hour * 3_600_000 + 300_000
}

#[test]
fn every_configured_cron_runs_its_job_once_per_slot() {
    let crons = configured_crons();
    assert!(crons.len() >= 2, "{crons:?}");
    let time = fresh_time();
    for cron in &crons {
        trigger(cron, time);
        trigger(cron, time); // a retried delivery of the same schedule
        let runs: Vec<_> = runs_of(cron)
            .into_iter()
            .filter(|r| {
                r["slot"].as_i64().unwrap() <= time
                    && r["slot"].as_i64().unwrap() > time - 3_600_000
            })
            .collect();
        // Once per slot on each shard (scripts/test binds two).
        assert_eq!(
            shards_of(&runs),
            ["DB", "DB_2"],
            "cron {cron:?} should have run its job exactly once on each shard: {runs:?}"
        );
        for run in &runs {
            assert!(run["finished_at"].is_i64(), "{runs:?}");
            assert!(run["summary"].as_str().is_some_and(|s| !s.is_empty()));
        }
    }
}

/// The shards the runs were on, sorted (a shard twice means the slot ran twice there).
fn shards_of(runs: &[serde_json::Value]) -> Vec<String> {
    let mut shards: Vec<String> = runs
        .iter()
        .map(|r| r["shard"].as_str().unwrap().to_owned())
        .collect();
    shards.sort_unstable();
    shards
}

#[test]
fn overlapping_runs_of_one_slot_do_the_work_once() {
    let cron = configured_crons().remove(0);
    let time = fresh_time();
    concurrently(8, || trigger(&cron, time));
    let slot_runs: Vec<_> = runs_of(&cron)
        .into_iter()
        .filter(|r| (time - r["slot"].as_i64().unwrap()).abs() < 3_600_000)
        .collect();
    assert_eq!(shards_of(&slot_runs), ["DB", "DB_2"], "{slot_runs:?}");
}

#[test]
fn an_unknown_cron_does_nothing() {
    trigger("1 2 3 4 5", fresh_time());
    assert!(runs_of("1 2 3 4 5").is_empty());
}
