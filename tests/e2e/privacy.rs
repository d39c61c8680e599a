//! Personal data: a member's export holds everything we keep about them; erasure removes who
//! they are and keeps the anonymous ledger (balances and metrics stay true).

use loyalty_edge::domain::webhook::sign;
use serde_json::json;

use crate::harness::{now, ticket_of, worker, Merchant};

#[test]
fn a_member_is_exported_whole_and_erased_without_losing_the_ledger() {
    let m = worker().merchant(json!({ "points_per_major_unit": 1 }));
    let token = m.poster();
    let form = worker().get(&format!("/s/{token}"), None);
    let joined = worker().post_form(
        &format!("/s/{token}"),
        &[
            ("ticket", &ticket_of(&form.body)),
            ("name", "Ola Nowak"),
            ("email", "Ola@Example.com"),
            ("phone", "+48 600 100 200"),
            ("birthday", "1990-05-17"),
            ("marketing_consent", "yes"),
        ],
    );
    assert_eq!(joined.status, 200, "{}", joined.body);
    let cookie = joined.cookie().unwrap();
    let member = Merchant::member_id(&cookie);
    // A POS finds the member by email.
    let purchase = |order: &str| {
        let body = json!({ "type": "purchase.completed",
            "data": { "order_id": order, "member": { "email": "ola@example.com" }, "amount_minor": 2000 } })
        .to_string();
        let (id, ts) = (format!("msg_{order}_{}", now()), i64::from(now()));
        let sig = sign(
            &id,
            ts,
            body.as_bytes(),
            &worker().master.webhook_secret(m.id, 1),
        );
        let resp = worker().send(
            "POST",
            &format!("/webhooks/v1/{}", m.id),
            &[
                ("webhook-id", &id),
                ("webhook-timestamp", &ts.to_string()),
                ("webhook-signature", &sig),
            ],
            Some(&body),
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.json()["status"].as_str().unwrap().to_owned()
    };
    assert_eq!(purchase("E-1"), "credited");
    let export = m.api(
        "GET",
        &format!("/api/v1/members/{member}/export"),
        None,
        None,
    );
    assert_eq!(export.status, 200, "{}", export.body);
    let e = export.json();
    assert_eq!(e["member"]["email"], "ola@example.com");
    assert_eq!(e["member"]["phone"], "+48600100200");
    assert_eq!(e["member"]["birthday"], "05-17");
    assert_eq!(e["ledger"].as_array().unwrap().len(), 2, "{e}");
    assert_eq!(e["scans"].as_array().unwrap().len(), 1);
    assert_eq!(e["orders"][0]["order_id"], "E-1");
    let other = worker().merchant(json!({}));
    assert_eq!(
        other
            .api(
                "GET",
                &format!("/api/v1/members/{member}/export"),
                None,
                None
            )
            .status,
        404
    );

    let erase = |k: &str| {
        m.api(
            "POST",
            &format!("/api/v1/members/{member}/erase"),
            Some(&json!({ "reason": "customer asked by email" })),
            Some(k),
        )
    };
    erase_without_key(&m, &member);
    let resp = erase("erase-1");
    assert_eq!(resp.status, 200, "{}", resp.body);
    let after = m
        .api(
            "GET",
            &format!("/api/v1/members/{member}/export"),
            None,
            None,
        )
        .json();
    assert_eq!(after["member"]["name"], "Erased member");
    for field in ["email", "phone", "birthday"] {
        assert!(after["member"][field].is_null(), "{field}: {after}");
    }
    assert!(!after.to_string().contains("Nowak") && !after.to_string().contains("ola@"));
    assert_eq!(after["ledger"], e["ledger"], "the ledger stays, whole");
    assert_eq!(after["member"]["points"], e["member"]["points"]);
    assert_eq!(
        purchase("E-2"),
        "unmatched",
        "the email no longer finds anyone"
    );
    assert_eq!(erase("erase-2").status, 200, "erasing twice is harmless");
    let log = m.api("GET", "/api/v1/audit-log", None, None).json();
    let lines: Vec<_> = log["audit_log"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["action"] == "erase")
        .collect();
    assert_eq!(lines.len(), 1, "{log}");
    assert!(!log.to_string().contains("ola@"));
    m.assert_ledger_consistent();
}

fn erase_without_key(m: &Merchant, member: &str) {
    m.api(
        "POST",
        &format!("/api/v1/members/{member}/erase"),
        Some(&json!({ "reason": "x" })),
        None,
    )
    .assert_problem(400, "idempotency_key_missing");
}

#[test]
fn staff_find_members_by_email_phone_code_or_name_a_page_at_a_time() {
    let m = worker().merchant(json!({}));
    let join = |name: &str, email: &str, phone: &str| {
        let token = m.poster();
        let form = worker().get(&format!("/s/{token}"), None);
        let resp = worker().post_form(
            &format!("/s/{token}"),
            &[
                ("ticket", &ticket_of(&form.body)),
                ("name", name),
                ("email", email),
                ("phone", phone),
            ],
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        Merchant::member_id(&resp.cookie().unwrap())
    };
    let ola = join("Ola Nowak", "ola@example.com", "");
    let jan = join("Jan Kowalski", "", "+48 600 100 201");
    let olga = join("olga", "", "");
    let find = |query: &str| {
        let q: String = form_urlencoded::byte_serialize(query.as_bytes()).collect();
        let resp = m.api("GET", &format!("/api/v1/members?query={q}"), None, None);
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.json()["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(find("OLA@example.com"), vec![ola.clone()]);
    assert_eq!(find("+48 600-100-201"), vec![jan.clone()]);
    assert_eq!(find(&ola[..8].to_uppercase()), vec![ola.clone()]);
    assert_eq!(
        find("ol"),
        vec![olga.clone(), ola.clone()],
        "names, any case, newest first"
    );
    assert_eq!(find("nobody@example.com"), Vec::<String>::new());
    let card = worker().get(
        &format!("/c/{}", m.id),
        Some(&m.cookie_for(&loyalty_edge::domain::ids::MemberId::parse(&ola).unwrap())),
    );
    assert!(
        card.body.contains(&ola[..8].to_uppercase()),
        "the card shows the member code"
    );

    let page = |cursor: Option<&str>| {
        let path = match cursor {
            Some(c) => format!("/api/v1/members?limit=2&cursor={c}"),
            None => "/api/v1/members?limit=2".to_owned(),
        };
        let resp = m.api("GET", &path, None, None);
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.json()
    };
    let first = page(None);
    assert_eq!(first["members"].as_array().unwrap().len(), 2);
    let second = page(first["next_cursor"].as_str());
    assert_eq!(second["members"].as_array().unwrap().len(), 1);
    assert!(second["next_cursor"].is_null());
    let all: Vec<_> = [&first, &second]
        .iter()
        .flat_map(|p| {
            p["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["id"].as_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(all, vec![olga, jan, ola]);
    m.api("GET", "/api/v1/members?cursor=bogus", None, None)
        .assert_problem(422, "invalid_field");
    m.api("GET", "/api/v1/members?limit=0", None, None)
        .assert_problem(422, "invalid_field");
    let other = worker().merchant(json!({}));
    let resp = other.api("GET", "/api/v1/members?query=ola%40example.com", None, None);
    assert_eq!(
        resp.json()["members"],
        json!([]),
        "another merchant finds nobody"
    );
}
