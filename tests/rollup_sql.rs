//! The rollup and scoring SQL (the very files D1 runs) on SQLite natively, over a fixture spread
//! across two months, which end-to-end tests cannot make (events there happen on the real
//! clock): trailing windows, retention, repeat purchases and every RFM segment, each against a
//! value worked out by hand below. The statement order mirrors `shell::store::metrics`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use loyalty_edge::domain::metrics::cut_offsets;
use rusqlite::{params_from_iter, Connection};

const DAY_MS: i64 = 86_400_000;
const M: &str = "0000abcd";
/// The fixture's first day (2026-01-01), in UTC.
const B: i64 = 20_454;

fn sql(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/src/shell/store/sql/{name}.sql",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn run(db: &Connection, name: &str, args: &[rusqlite::types::Value]) -> usize {
    db.execute(&sql(name), params_from_iter(args.iter()))
        .unwrap()
}

fn int(i: i64) -> rusqlite::types::Value {
    rusqlite::types::Value::Integer(i)
}

fn text(s: &str) -> rusqlite::types::Value {
    rusqlite::types::Value::Text(s.to_owned())
}

fn database() -> Connection {
    let db = Connection::open_in_memory().unwrap();
    let mut files: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        db.execute_batch(&std::fs::read_to_string(f).unwrap())
            .unwrap();
    }
    db.execute(
        "INSERT INTO merchants (id, name, branding, currency, time_zone, current_kid, created_at)
         VALUES (?1, 'Fixture', '{}', '{}', 'UTC', 1, ?2)",
        (M, B * DAY_MS),
    )
    .unwrap();
    db.execute(
        "INSERT INTO rollup_state (merchant_id, next_day) VALUES (?1, ?2)",
        (M, B),
    )
    .unwrap();
    db
}

fn member(db: &Connection, name: &str, day: i64) {
    db.execute(
        "INSERT INTO members (id, merchant_id, name, marketing_consent, channel, created_at)
         VALUES (?1, ?2, ?1, 1, 'poster', ?3)",
        (name, M, day * DAY_MS + 3_600_000),
    )
    .unwrap();
}

/// A counter purchase of `amount` (or a poster visit when `None`) by `who` on `day`.
fn scan(db: &Connection, who: &str, day: i64, amount: Option<i64>) {
    let n: i64 = db
        .query_row("SELECT COUNT(*) FROM scans", [], |r| r.get(0))
        .unwrap();
    db.execute(
        "INSERT INTO scans (id, merchant_id, member_id, kind, nonce, kid, location, channel,
                            amount_minor, points, stamps, program_version, created_at)
         VALUES (?1, ?2, ?3, ?4, ?1, 1, 1, ?5, ?6, 0, 1, 1, ?7)",
        (
            format!("scan{n}"),
            M,
            who,
            if amount.is_some() {
                "purchase"
            } else {
                "visit"
            },
            if amount.is_some() {
                "counter"
            } else {
                "poster"
            },
            amount,
            day * DAY_MS + 12 * 3_600_000,
        ),
    )
    .unwrap();
}

/// Rolls `day` as `store::metrics::roll_day` does.
fn roll_day(db: &Connection, day: i64) {
    let (from, to) = (day * DAY_MS, (day + 1) * DAY_MS);
    let window = [text(M), int(day), int(from), int(to)];
    run(db, "rollup_new_members", &window);
    run(db, "rollup_work", &window);
    run(db, "rollup_channels", &window);
    run(db, "rollup_messages", &window);
    run(db, "rollup_fold", &[text(M), int(day)]);
    let mut with_now = window.to_vec();
    with_now.push(int(to));
    run(db, "rollup_day", &with_now);
    run(db, "rollup_clear", &[text(M)]);
    assert_eq!(run(db, "rollup_next", &[text(M), int(day), int(to)]), 1);
}

/// Scores every member as of `day` as `rollups::run_merchant` does, in chunks of 2.
fn score(db: &Connection, day: i64) {
    let (members, scored): (i64, i64) = db
        .query_row(&sql("rfm_sample"), [M], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    let mut args = vec![text(M), int(day), int(scored)];
    args.extend(cut_offsets(scored).map(int));
    args.push(int(members - scored));
    run(db, "rfm_thresholds", &args);
    loop {
        run(db, "rfm_score_work", &[text(M), int(day), int(2)]);
        run(db, "rfm_we_miss_you", &[text(M), int(day), int(0)]);
        let n = run(db, "rfm_score", &[text(M), int(day)]);
        run(db, "rfm_clear", &[text(M)]);
        if n < 2 {
            break;
        }
    }
    run(db, "rfm_sizes", &[text(M), int(day)]);
    assert_eq!(run(db, "rfm_done", &[text(M), int(day)]), 1);
}

/// A member's id, recency, frequency and monetary scores, and segment.
type Scored = (String, Option<i64>, Option<i64>, Option<i64>, String);

fn count(db: &Connection, day: i64, column: &str) -> i64 {
    db.query_row(
        &format!("SELECT {column} FROM daily_metrics WHERE merchant_id = ?1 AND day = ?2"),
        (M, day),
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn two_months_roll_up_to_the_values_worked_out_by_hand() {
    let db = database();
    // loyal buys every few weeks up to day 55; slipping bought four days running, then stopped;
    // occasional bought once, small; visitor only visits; idle never came; late joined on 45.
    member(&db, "loyal", B);
    member(&db, "slipping", B);
    member(&db, "idle", B + 2);
    member(&db, "occasional", B + 5);
    member(&db, "visitor", B + 10);
    member(&db, "late", B + 45);
    for d in [0, 10, 20, 40, 55] {
        scan(&db, "loyal", B + d, Some(5_000));
    }
    for d in 0..4 {
        scan(&db, "slipping", B + d, Some(8_000));
    }
    scan(&db, "occasional", B + 5, Some(500));
    scan(&db, "visitor", B + 10, None);
    scan(&db, "visitor", B + 50, None);
    scan(&db, "late", B + 45, Some(1_000));
    for day in B..=B + 60 {
        roll_day(&db, day);
    }

    // Day 20: five members (late has not joined); all but idle active in the 30 days to it.
    assert_eq!(count(&db, B + 20, "members"), 5);
    assert_eq!(count(&db, B + 20, "active_30d"), 4);
    // Day 60: active in (30, 60]: loyal (55), visitor (50), late (45). Thirty days before, four
    // were active (loyal, slipping, occasional, visitor); late joined since: retention
    // (3 - 1) / 4.
    assert_eq!(count(&db, B + 60, "members"), 6);
    assert_eq!(count(&db, B + 60, "active_30d"), 3);
    assert_eq!(count(&db, B + 60, "active_30d_before"), 4);
    assert_eq!(count(&db, B + 60, "new_active_30d"), 1);
    // Purchasers in 90 days: loyal, slipping, occasional, late; loyal and slipping twice or more.
    assert_eq!(count(&db, B + 60, "purchasers_90d"), 4);
    assert_eq!(count(&db, B + 60, "repeaters_90d"), 2);
    assert_eq!(count(&db, B + 60, "purchases_90d"), 11);
    assert_eq!(
        count(&db, B + 60, "revenue_90d"),
        25_000 + 32_000 + 500 + 1_000
    );
    assert_eq!(count(&db, B + 55, "revenue_minor"), 5_000);
    assert_eq!(count(&db, B + 55, "purchases"), 1);
    assert_eq!(count(&db, B + 50, "visits"), 1);
    let channels: i64 = db
        .query_row(
            "SELECT SUM(conversions) FROM daily_channels WHERE merchant_id = ?1",
            [M],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(channels, 4, "four members made a first purchase");

    // RFM as of day 60, sample of five (idle has no transaction), offsets 0, 1, 2, 3:
    // recency (last day) 3, 5, 45, 50, 55 -> cuts 3, 5, 45, 50;
    // frequency 1, 1, 2, 4, 5 -> cuts 1, 1, 2, 4; revenue 0, 500, 1000, 25000, 32000 -> cuts 0,
    // 500, 1000, 25000.
    score(&db, B + 60);
    let cuts: Vec<i64> = db
        .query_row(
            "SELECT r1 - ?2, r2 - ?2, r3 - ?2, r4 - ?2, f1, f2, f3, f4, m1, m2, m3, m4
             FROM rfm_thresholds WHERE merchant_id = ?1 AND day = ?3",
            (M, B, B + 60),
            |r| (0..12).map(|i| r.get(i)).collect(),
        )
        .unwrap();
    assert_eq!(cuts, [3, 5, 45, 50, 1, 1, 2, 4, 0, 500, 1_000, 25_000]);
    let mut got: Vec<Scored> = db
        .prepare("SELECT member_id, r, f, m, segment FROM member_totals ORDER BY member_id")
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    got.sort();
    let s = |n: &str, r: Option<i64>, f: Option<i64>, m: Option<i64>, seg: &str| {
        (n.to_owned(), r, f, m, seg.to_owned())
    };
    assert_eq!(
        got,
        [
            s("idle", None, None, None, "no_activity"),
            // Joined on day 45, within 30 days of 60: new, whatever the scores.
            s("late", Some(3), Some(1), Some(3), "new"),
            // Recent (5) and frequent (5): high value, loyal.
            s("loyal", Some(5), Some(5), Some(4), "high_value_loyal"),
            s("occasional", Some(2), Some(1), Some(2), "occasional"),
            // Not seen since day 3 (recency 1) after spending the most: at risk.
            s("slipping", Some(1), Some(4), Some(5), "at_risk"),
            // Recent (4) but neither frequent nor spending enough for high value.
            s("visitor", Some(4), Some(3), Some(1), "occasional"),
        ]
    );
    let sizes: Vec<(String, i64)> = db
        .prepare("SELECT segment, members FROM daily_segments WHERE day = ?1 ORDER BY segment")
        .unwrap()
        .query_map([B + 60], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        sizes,
        [
            ("at_risk".to_owned(), 1),
            ("high_value_loyal".to_owned(), 1),
            ("new".to_owned(), 1),
            ("no_activity".to_owned(), 1),
            ("occasional".to_owned(), 2),
        ]
    );
}

/// A message to `who` queued on `day` (hour `hour`) by `channel`, accepted then, with an open and
/// a click that many hours later (None: never).
#[allow(clippy::too_many_arguments)]
fn message(
    db: &Connection,
    id: &str,
    who: &str,
    kind: &str,
    channel: &str,
    day: i64,
    hour: i64,
    opened: Option<i64>,
    clicked: Option<i64>,
) {
    let at = day * DAY_MS + hour * 3_600_000;
    let later = |h: Option<i64>| h.map(|h| at + h * 3_600_000);
    db.execute(
        "INSERT INTO outbox (id, merchant_id, member_id, kind, payload, created_at, status, attempts,
                             due_at, sent_at, channel, opened_at, clicked_at)
         VALUES (?1, ?2, ?3, ?4, '{}', ?5, 'sent', 1, ?5, ?5, ?6, ?7, ?8)",
        rusqlite::params![id, M, who, kind, at, channel, later(opened), later(clicked)],
    )
    .unwrap();
    db.execute(
        "INSERT INTO message_attempts (message_id, attempt, at, http_status, latency_ms, channel)
         VALUES (?1, 1, ?2, 201, 30, ?3)",
        rusqlite::params![id, at, channel],
    )
    .unwrap();
}

#[test]
fn message_channels_roll_up_per_day_with_conversions_to_the_last_message_and_their_median() {
    let db = database();
    for who in ["ala", "ola", "ewa"] {
        member(&db, who, B);
    }
    // Day B: an email offer to Ala (opened 2 h later, clicked 3 h later), a push offer to Ola and
    // to Ewa, and Ola's visit receipt (not a message that converts anyone).
    message(
        &db,
        "m1",
        "ala",
        "campaign",
        "email",
        B,
        8,
        Some(2),
        Some(3),
    );
    message(&db, "m2", "ola", "campaign", "push", B, 8, None, None);
    message(&db, "m3", "ewa", "campaign", "push", B, 9, None, None);
    message(&db, "r1", "ola", "balance_update", "push", B, 9, None, None);
    // Day B+1: Ala comes back (16 h after her email's 08:00 plus a day: 28 h), Ola twice (her first
    // return counts once), Ewa not at all.
    scan(&db, "ala", B + 1, Some(1000)); // 12:00 on B+1
    scan(&db, "ola", B + 1, None);
    scan(&db, "ola", B + 1, None);
    roll_day(&db, B);
    roll_day(&db, B + 1);
    let row = |day: i64, channel: &str| -> (i64, i64, i64, i64, i64, i64, Option<i64>) {
        db.query_row(
            "SELECT sent, accepted, failed, opened, clicked, converted, median_return_ms
             FROM daily_message_channels WHERE merchant_id = ?1 AND day = ?2 AND channel = ?3",
            rusqlite::params![M, day, channel],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            },
        )
        .unwrap()
    };
    assert_eq!(row(B, "email"), (1, 1, 0, 1, 1, 0, None));
    assert_eq!(row(B, "push"), (3, 3, 0, 0, 0, 0, None));
    // Ala: 28 h after her email at 08:00; Ola: her push offer, not the later receipt, converts.
    assert_eq!(
        row(B + 1, "email"),
        (0, 0, 0, 0, 0, 1, Some(28 * 3_600_000))
    );
    assert_eq!(
        row(B + 1, "push").5,
        1,
        "Ola converts once, at her first return"
    );
    assert_eq!(
        row(B + 1, "push").6,
        Some(28 * 3_600_000),
        "her push offer was at 08:00"
    );
    // A rolled day is not rolled again.
    assert_eq!(
        run(
            &db,
            "rollup_messages",
            &[text(M), int(B), int(B * DAY_MS), int((B + 1) * DAY_MS)]
        ),
        0
    );
}
