//! The hourly job days ahead: pending points become spendable after the return window, lots
//! expire at their instant, and whole balances expire after the inactivity limit; each once.

/// Runs ahead of time: after the other tests, one at a time.
pub mod later {
    use loyalty_edge::domain::token::ScanKind;
    use serde_json::json;

    use crate::harness::{worker, Merchant, Sign};
    use crate::jobs::{at_or_after, trigger};

    const DAY_MS: i64 = 86_400_000;

    fn now_ms() -> i64 {
        i64::from(crate::harness::now()) * 1000
    }

    fn balance(m: &Merchant, cookie: &str) -> (i64, i64) {
        let b = m.explain(cookie)["balance"].clone();
        (
            b["points"].as_i64().unwrap(),
            b["pending_points"].as_i64().unwrap(),
        )
    }

    fn purchase(m: &Merchant, cookie: &str, amount_minor: u32) {
        let token = m.token(Sign {
            kind: ScanKind::Purchase { amount_minor },
            ..Sign::default()
        });
        let resp = worker().get(&format!("/s/{token}"), Some(cookie));
        assert_eq!(resp.status, 200, "{}", resp.body);
    }

    #[test]
    fn pending_points_activate_lots_expire_and_inactive_balances_lapse_once() {
        let lots = worker().merchant(json!({
            "points_per_major_unit": 1, "pending_days": 1,
            "points_expiry": { "policy": "after_earning", "days": 3 },
        }));
        let idle = worker().merchant(json!({
            "points_per_major_unit": 1,
            "points_expiry": { "policy": "inactivity", "days": 2 },
        }));
        let a = lots.member_with(0);
        purchase(&lots, &a, 4000);
        assert_eq!(balance(&lots, &a), (0, 40), "pending for the return window");
        let b = idle.member_with(0);
        purchase(&idle, &b, 2500);
        assert_eq!(balance(&idle, &b), (25, 0));

        let now = now_ms();
        trigger("5 * * * *", at_or_after(now + DAY_MS + 3_600_000));
        assert_eq!(balance(&lots, &a), (40, 0), "spendable after the window");
        assert_eq!(balance(&idle, &b), (25, 0), "one day idle is not two");

        trigger("5 * * * *", at_or_after(now + 2 * DAY_MS + 3_600_000));
        assert_eq!(
            balance(&idle, &b),
            (0, 0),
            "two days idle: the balance lapses"
        );
        trigger("5 * * * *", at_or_after(now + 4 * DAY_MS));
        assert_eq!(
            balance(&lots, &a),
            (0, 0),
            "three days after earning: expired"
        );
        trigger("5 * * * *", at_or_after(now + 5 * DAY_MS));
        for (m, cookie) in [(&lots, &a), (&idle, &b)] {
            let entries = m.explain(cookie)["entries"].clone();
            let expired: Vec<_> = entries
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["reason"] == "expire")
                .map(|e| e["points"].as_i64().unwrap())
                .collect();
            assert_eq!(expired.len(), 1, "expired once: {entries}");
            m.assert_ledger_consistent();
        }
        assert_eq!(
            lots.explain(&a)["entries"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["reason"] == "activate")
                .count(),
            1
        );
    }
}
