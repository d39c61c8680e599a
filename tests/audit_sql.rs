//! The ledger audit SQL (the very files D1 runs) on SQLite natively: a member whose balance
//! equals their ledger and lots is not reported, and one whose stored balance was changed behind
//! the ledger's back is counted and named with both sides. The end-to-end suite relies on these
//! queries after every test (`impl Drop for Merchant` in tests/e2e/harness.rs), and the Worker
//! offers no path that writes a balance without its ledger entry, so this is where the check is
//! shown to fire.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use rusqlite::Connection;

const M: &str = "0000abcd";

fn sql(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// A database with every migration, one merchant and two members who each earned 30 points and
/// 1 stamp from a scan (ledger entry and lot), all consistent.
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
         VALUES (?1, 'Fixture', '{}', '{}', 'UTC', 1, 0)",
        [M],
    )
    .unwrap();
    for who in ["ala", "ola"] {
        db.execute(
            "INSERT INTO members (id, merchant_id, name, marketing_consent, channel, created_at,
                                  points, stamps)
             VALUES (?1, ?2, ?1, 1, 'poster', 0, 30, 1)",
            (who, M),
        )
        .unwrap();
        db.execute(
            "INSERT INTO ledger_entries (id, merchant_id, member_id, reason, points, stamps,
                                         cause_type, cause_id, program_version, created_at)
             VALUES ('e-' || ?1, ?2, ?1, 'earn', 30, 1, 'scan', 's-' || ?1, 1, 0)",
            (who, M),
        )
        .unwrap();
        db.execute(
            "INSERT INTO point_lots (id, merchant_id, member_id, status, earned, remaining,
                                     earned_at, available_at, source_id)
             VALUES ('e-' || ?1, ?2, ?1, 'active', 30, 30, 0, 0, 's-' || ?1)",
            (who, M),
        )
        .unwrap();
    }
    db
}

fn counted(db: &Connection) -> (i64, i64) {
    let merchant: i64 = db
        .query_row(&sql("src/shell/store/sql/ledger_audit.sql"), [M], |r| {
            r.get("mismatched_balances")
        })
        .unwrap();
    let everyone: i64 = db
        .query_row(&sql("scripts/sql/ledger-audit.sql"), [], |r| {
            r.get("mismatched")
        })
        .unwrap();
    (merchant, everyone)
}

/// (member, points, ledger points, lot points, stamps, ledger stamps) of each named mismatch.
fn named(db: &Connection) -> Vec<(String, i64, i64, i64, i64, i64)> {
    let text = sql("src/shell/store/sql/ledger_mismatches.sql");
    let mut stmt = db.prepare(&text).unwrap();
    stmt.query_map([M], |r| {
        Ok((
            r.get("member_id")?,
            r.get("points")?,
            r.get("ledger_points")?,
            r.get("lot_points")?,
            r.get("stamps")?,
            r.get("ledger_stamps")?,
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn consistent_members_are_not_reported() {
    let db = database();
    assert_eq!(counted(&db), (0, 0));
    assert!(named(&db).is_empty());
}

#[test]
fn a_balance_changed_without_its_ledger_is_counted_and_named() {
    let db = database();
    db.execute(
        "UPDATE members SET points = points + 5 WHERE id = 'ola'",
        [],
    )
    .unwrap();
    assert_eq!(counted(&db), (1, 1));
    assert_eq!(named(&db), vec![("ola".to_owned(), 35, 30, 30, 1, 1)]);
}

#[test]
fn a_stamp_or_a_lot_out_of_step_is_reported_too() {
    let db = database();
    db.execute("UPDATE members SET stamps = 0 WHERE id = 'ala'", [])
        .unwrap();
    db.execute(
        "UPDATE point_lots SET remaining = 10 WHERE member_id = 'ola'",
        [],
    )
    .unwrap();
    assert_eq!(counted(&db), (2, 2));
    assert_eq!(
        named(&db),
        vec![
            ("ala".to_owned(), 30, 30, 30, 0, 1),
            ("ola".to_owned(), 30, 30, 10, 1, 1)
        ]
    );
}
