//! Birthday gifts end to end: the hourly job gives each member their gift once a year from the
//! merchant's local hour, in the merchant's time zone (across the date line and on a clock-change
//! day), with 29 February handled, and queues a message for members who consented.
//!
//! The worker runs jobs on the scheduled time's clock (JOB_CLOCK), so these tests trigger runs
//! at fixed instants years in the past: nothing else is due then, so they cannot disturb tests
//! running alongside. Each test owns its instants (years no other test uses).

use chrono::DateTime;
use serde_json::{json, Value};

use crate::harness::{ticket_of, worker, Merchant};
use crate::jobs::trigger;

fn at(rfc3339: &str) -> i64 {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .timestamp_millis()
}

fn hourly(rfc3339: &str) {
    trigger("5 * * * *", at(rfc3339));
}

/// A merchant in `time_zone` giving `gift` on birthdays from `local_hour`.
pub fn celebrating(time_zone: &str, local_hour: u32, gift: Value) -> Merchant {
    let m = worker().merchant_in(
        time_zone,
        json!({ "birthday": { "enabled": true, "local_hour": local_hour, "gift": gift } }),
    );
    m.messaging_to_nowhere();
    m
}

impl Merchant {
    /// Joins a member born on `birthday` (`YYYY-MM-DD`); returns their member id.
    pub fn born(&self, birthday: &str, consent: bool) -> String {
        let token = self.poster();
        let form = worker().get(&format!("/s/{token}"), None);
        let mut fields = vec![
            ("ticket", ticket_of(&form.body)),
            ("name", "Basia".to_owned()),
            ("birthday", birthday.to_owned()),
            // An address to write to: messages to a member without one are suppressed (and
            // pruned once old, which a test running years ahead would see).
            (
                "email",
                format!("basia.{}@example.com", crate::webhooks::fresh_id()),
            ),
        ];
        if consent {
            fields.push(("marketing_consent", "yes".to_owned()));
        }
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let resp = worker().post_form(&format!("/s/{token}"), &fields);
        assert_eq!(resp.status, 200, "{}", resp.body);
        Merchant::member_id(&resp.cookie().unwrap())
    }

    /// The member's birthday entries: (points, stamps) each.
    pub fn birthday_gifts(&self, member: &str) -> Vec<(i64, i64)> {
        self.entries_of(member, "birthday")
    }

    /// The kinds of the messages queued for a member.
    pub fn messages(&self, member: &str) -> Vec<String> {
        let resp = self.api(
            "GET",
            &format!("/api/v1/members/{member}/export"),
            None,
            None,
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.json()["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["kind"].as_str().unwrap().to_owned())
            .collect()
    }
}

#[test]
fn one_instant_is_a_different_birthday_on_each_side_of_the_date_line_and_gifts_come_once() {
    let honolulu = celebrating("Pacific/Honolulu", 9, json!({ "points": 50 }));
    let kiritimati = celebrating("Pacific/Kiritimati", 9, json!({ "stamps": 2 }));
    let h15 = honolulu.born("1990-06-15", true);
    let h16 = honolulu.born("1990-06-16", true);
    let k16 = kiritimati.born("1985-06-16", false);
    let k17 = kiritimati.born("1985-06-17", true);
    // 2003-06-15 18:05 UTC: 08:05 on the 15th in Honolulu (before its 9:00), 08:05 on the 16th
    // on Kiritimati: nothing yet anywhere.
    hourly("2003-06-15T18:05:00Z");
    assert_eq!(honolulu.birthday_gifts(&h15), []);
    assert_eq!(kiritimati.birthday_gifts(&k16), []);
    // An hour later it is 09:05 on both sides: the 15th in Honolulu, the 16th on Kiritimati.
    hourly("2003-06-15T19:05:00Z");
    assert_eq!(honolulu.birthday_gifts(&h15), [(50, 0)]);
    assert_eq!(honolulu.birthday_gifts(&h16), [], "tomorrow in Honolulu");
    assert_eq!(kiritimati.birthday_gifts(&k16), [(0, 2)]);
    assert_eq!(kiritimati.birthday_gifts(&k17), []);
    // Later runs the same day, and the next day's, give nobody a second gift this year.
    hourly("2003-06-15T20:05:00Z");
    hourly("2003-06-16T19:05:00Z");
    assert_eq!(honolulu.birthday_gifts(&h15), [(50, 0)]);
    assert_eq!(honolulu.birthday_gifts(&h16), [(50, 0)]);
    assert_eq!(kiritimati.birthday_gifts(&k16), [(0, 2)]);
    assert_eq!(kiritimati.birthday_gifts(&k17), [(0, 2)]);
    // A new year, a new gift.
    hourly("2004-06-15T19:05:00Z");
    assert_eq!(honolulu.birthday_gifts(&h15), [(50, 0), (50, 0)]);
    // Messages only for those who said yes.
    assert_eq!(
        honolulu.messages(&h15),
        ["birthday_offer", "birthday_offer"]
    );
    assert_eq!(kiritimati.messages(&k16), Vec::<String>::new());
    assert_eq!(kiritimati.messages(&k17), ["birthday_offer"]);
    honolulu.assert_ledger_consistent();
    kiritimati.assert_ledger_consistent();
}

#[test]
fn february_29_birthdays_are_celebrated_on_the_28th_in_common_years() {
    let m = celebrating("UTC", 9, json!({ "points": 29 }));
    let leapling = m.born("2000-02-29", true);
    let other = m.born("2000-02-28", true);
    hourly("1997-02-27T12:05:00Z");
    assert_eq!(m.birthday_gifts(&leapling), []);
    hourly("1997-02-28T12:05:00Z"); // 1997 has no 29 February
    assert_eq!(m.birthday_gifts(&leapling), [(29, 0)]);
    assert_eq!(m.birthday_gifts(&other), [(29, 0)]);
    hourly("1997-03-01T12:05:00Z");
    assert_eq!(m.birthday_gifts(&leapling), [(29, 0)], "once in 1997");
    // 1996 had one: the 28th is not the leapling's day, the 29th is.
    hourly("1996-02-28T12:05:00Z");
    assert_eq!(m.birthday_gifts(&leapling), [(29, 0)]);
    hourly("1996-02-29T12:05:00Z");
    assert_eq!(m.birthday_gifts(&leapling), [(29, 0), (29, 0)]);
    m.assert_ledger_consistent();
}

#[test]
fn on_a_clock_change_day_the_skipped_hours_gifts_go_out_at_the_next_run() {
    // Warsaw skipped 02:00-03:00 on 31 March 2002; the merchant sends from 02:00.
    let m = celebrating("Europe/Warsaw", 2, json!({ "points": 10 }));
    let member = m.born("1970-03-31", false);
    hourly("2002-03-31T00:05:00Z"); // 01:05 local
    assert_eq!(m.birthday_gifts(&member), []);
    hourly("2002-03-31T01:05:00Z"); // 03:05 local: 02:05 never happened
    assert_eq!(m.birthday_gifts(&member), [(10, 0)]);
    m.assert_ledger_consistent();
}

#[test]
fn a_birthday_gift_of_a_reward_names_a_reward_in_the_catalog() {
    let m = celebrating("UTC", 9, json!({ "points": 10 }));
    let resp = m.api(
        "PUT",
        "/api/v1/program",
        Some(&json!({ "birthday": { "enabled": true,
            "gift": { "reward_id": "0123456789abcdef0123456789abcdef" } } })),
        None,
    );
    resp.assert_problem(422, "invalid_field");
    assert!(resp.json()["detail"]
        .as_str()
        .unwrap()
        .starts_with("program.birthday.gift.reward_id"));
    m.api(
        "PUT",
        "/api/v1/program",
        Some(&json!({ "birthday": { "enabled": true, "gift": {} } })),
        None,
    )
    .assert_problem(422, "invalid_field");
}

/// Runs ahead of time: after the other tests, one at a time.
pub mod later {
    use super::*;
    use crate::jobs::at_or_after;

    #[test]
    fn a_reward_as_a_birthday_gift_waits_on_the_card_and_expiring_points_are_announced() {
        let m = celebrating("UTC", 0, json!({ "points": 5 }));
        let cake = m
            .api(
                "POST",
                "/api/v1/rewards",
                Some(&json!({ "name": "Cake", "kind": "free_item", "cost_points": 500 })),
                None,
            )
            .json()["reward"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let put = m.api(
            "PUT",
            "/api/v1/program",
            Some(&json!({
                "points_expiry": { "policy": "after_earning", "days": 5 },
                "birthday": { "enabled": true, "local_hour": 0, "gift": { "reward_id": cake } } })),
            None,
        );
        assert_eq!(put.status, 200, "{}", put.body);
        let now = i64::from(crate::harness::now()) * 1000;
        let run = at_or_after(now);
        let day = DateTime::from_timestamp_millis(run)
            .unwrap()
            .format("%m-%d");
        let member = m.born(&format!("1999-{day}"), true);
        let quiet = m.born("1999-01-01", false);
        // Points that will expire within the week, for both.
        for id in [&member, &quiet] {
            let resp = m.api(
                "POST",
                &format!("/api/v1/members/{id}/adjustments"),
                Some(&json!({ "points": 40, "reason": "welcome" })),
                Some(&crate::webhooks::fresh_id()),
            );
            assert_eq!(resp.status, 201, "{}", resp.body);
        }
        trigger("5 * * * *", run);
        trigger("5 * * * *", at_or_after(run));
        let ledger = m
            .api(
                "GET",
                &format!("/api/v1/members/{member}/ledger"),
                None,
                None,
            )
            .json();
        let codes = ledger["live_codes"].as_array().unwrap();
        assert_eq!(codes.len(), 1, "{ledger}");
        assert_eq!(codes[0]["reward_name"], "Cake");
        assert_eq!(ledger["balance"]["points"], 40, "a gift takes no points");
        let messages = m.messages(&member);
        assert_eq!(
            messages.iter().filter(|k| *k == "points_expiring").count(),
            1,
            "{messages:?}"
        );
        assert!(messages.contains(&"birthday_offer".to_owned()));
        assert_eq!(
            m.messages(&quiet),
            Vec::<String>::new(),
            "no consent, no message"
        );
        m.assert_ledger_consistent();
    }
}
