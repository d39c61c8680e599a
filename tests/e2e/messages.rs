//! Automated messages end to end: a receiver on loopback (started here) plays the merchant's
//! endpoint and checks every Standard Webhooks signature; the Worker delivers right after the
//! response, retries with backoff on the operator's delivery call (which moves the clock on test
//! deployments), dead-letters at the horizon, and respects consent, caps and quiet hours.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use loyalty_edge::domain::campaign::{compare, Arm, Definition, HOLDOUT};
use loyalty_edge::domain::token::ScanKind;
use serde_json::{json, Value};
use sha2::Sha256;

use crate::harness::{worker, Merchant, Sign};

/// How the receiver answers the next request.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Answer {
    Status(u16),
    /// Waits this long before answering 200 (longer than the Worker's timeout).
    Hang(Duration),
}

/// One request the receiver got.
#[derive(Clone, Debug)]
pub(crate) struct Received {
    id: String,
    timestamp: String,
    signature: String,
    body: Vec<u8>,
    answered: u16,
}

impl Received {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// A merchant's messaging endpoint on 127.0.0.1.
pub(crate) struct Receiver {
    port: u16,
    got: Arc<Mutex<Vec<Received>>>,
    script: Arc<Mutex<VecDeque<Answer>>>,
}

impl Receiver {
    /// Starts a receiver that answers `script` in order, then 200.
    pub(crate) fn start(script: &[Answer]) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script.iter().copied().collect::<VecDeque<_>>()));
        let (g, s) = (got.clone(), script.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (g, s) = (g.clone(), s.clone());
                std::thread::spawn(move || serve(stream, &g, &s));
            }
        });
        Receiver { port, got, script }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/loyalty-hook", self.port)
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    fn of_kind(&self, kind: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.json()["data"]["kind"] == kind)
            .collect()
    }

    /// Waits (up to 20 s) until `n` requests matching `kind` arrived.
    pub(crate) fn wait_for(&self, kind: &str, n: usize) -> Vec<Received> {
        let start = Instant::now();
        loop {
            let got = self.of_kind(kind);
            if got.len() >= n || start.elapsed() > Duration::from_secs(20) {
                return got;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn serve(
    stream: std::net::TcpStream,
    got: &Mutex<Vec<Received>>,
    script: &Mutex<VecDeque<Answer>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end().to_owned();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let header = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let len: usize = header("content-length").parse().unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    let answer = script
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or(Answer::Status(200));
    let status = match answer {
        Answer::Status(s) => s,
        Answer::Hang(d) => {
            std::thread::sleep(d);
            200
        }
    };
    got.lock().unwrap().push(Received {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        body,
        answered: status,
    });
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    );
}

/// Checks a request's Standard Webhooks signature with the merchant's `whsec_` secret,
/// independently of the Worker's code.
pub(crate) fn assert_signed(r: &Received, whsec: &str) {
    let key = STANDARD
        .decode(whsec.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.", r.id, r.timestamp).as_bytes());
    mac.update(&r.body);
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    assert!(
        r.signature.split(' ').any(|s| s == expected),
        "bad signature {} for {}",
        r.signature,
        r.id
    );
    let ts: i64 = r.timestamp.parse().unwrap();
    assert!(ts > 1_700_000_000, "timestamp {ts}");
}

/// Points `m`'s messaging at `rx` with `settings` on top; returns the signing secret.
pub(crate) fn messaging(m: &Merchant, rx: &Receiver, settings: Value) -> String {
    let mut body = json!({ "endpoint_url": rx.url(), "quiet_hours": null });
    for (k, v) in settings.as_object().unwrap() {
        body[k] = v.clone();
    }
    let resp = worker().json_as("PUT", "/api/v1/messaging", &m.key, &body);
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.json()["signing_secret"].as_str().unwrap().to_owned()
}

/// Joins with an email address through a first purchase scan; returns the cookie.
pub(crate) fn join_with_email(m: &Merchant, name: &str, email: &str) -> String {
    let token = m.token(Sign::default());
    let form = worker().get(&format!("/s/{token}"), None);
    assert_eq!(form.status, 200, "{}", form.body);
    let ticket = crate::harness::ticket_of(&form.body);
    let resp = worker().post_form(
        &format!("/s/{token}"),
        &[
            ("ticket", &ticket),
            ("name", name),
            ("email", email),
            ("marketing_consent", "yes"),
        ],
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.cookie().unwrap()
}

pub(crate) fn api(
    m: &Merchant,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> crate::harness::Resp {
    let auth = format!("Bearer {}", m.key);
    match body {
        Some(b) => worker().send(
            method,
            path,
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            Some(&b.to_string()),
        ),
        None => worker().send(method, path, &[("authorization", &auth)], None),
    }
}

fn message(m: &Merchant, id: &str) -> Value {
    let resp = api(m, "GET", &format!("/api/v1/messages/{id}"), None);
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.json()
}

/// Reads message `id` until `ready` holds for it (the attempt after a response runs in the
/// background), for at most two seconds.
fn message_once(m: &Merchant, id: &str, ready: impl Fn(&Value) -> bool) -> Value {
    let mut shown = message(m, id);
    for _ in 0..40 {
        if ready(&shown) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
        shown = message(m, id);
    }
    shown
}

/// Runs the operator's delivery call for `m` with the clock at `now`.
pub(crate) fn deliver_at(m: &Merchant, now: i64) -> Value {
    let resp = worker().admin(
        "POST",
        &format!("/admin/v1/merchants/{}/deliveries", m.id),
        Some(&json!({ "now": now })),
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.json()
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[test]
fn a_welcome_goes_out_signed_right_after_the_scan_and_never_twice() {
    let m = worker().merchant(json!({}));
    let rx = Receiver::start(&[]);
    let whsec = messaging(&m, &rx, json!({ "language": "pl" }));
    let cookie = join_with_email(&m, "Ala", "ala@example.com");
    let member = Merchant::member_id(&cookie);

    let got = rx.wait_for("welcome", 1);
    assert_eq!(got.len(), 1, "the welcome arrives without any cron");
    let r = &got[0];
    assert_signed(r, &whsec);
    assert_eq!(
        r.id,
        format!("welcome:{member}"),
        "the id is the stable message id"
    );
    let body = r.json();
    assert_eq!(body["type"], "message.welcome");
    let data = &body["data"];
    assert_eq!(data["message_id"], r.id.as_str());
    assert_eq!(data["class"], "transactional");
    assert_eq!(data["channel"], "email");
    assert_eq!(data["to"], "ala@example.com");
    assert_eq!(data["language"], "pl");
    let text = data["text"].as_str().unwrap();
    assert!(text.starts_with("Cześć Ala, witamy"), "{text}");
    assert!(
        text.contains(&format!("/c/{}", m.id)),
        "the card link: {text}"
    );
    assert_eq!(data["variables"]["name"], "Ala");

    // Delivered, logged, and not sent again by a later run.
    let shown = message_once(&m, &r.id, |v| v["status"] == "sent");
    assert_eq!(shown["status"], "sent", "{shown}");
    assert_eq!(shown["attempts"], 1);
    assert_eq!(shown["delivery_log"][0]["http_status"], 200);
    deliver_at(&m, now_ms() + 3_600_000);
    deliver_at(&m, now_ms() + 5 * 86_400_000);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        rx.of_kind("welcome").len(),
        1,
        "no duplicate after a success"
    );

    // Balance updates are muted by default; switched on, the next scan sends one.
    assert!(rx.of_kind("balance_update").is_empty());
    messaging(&m, &rx, json!({ "muted": [] }));
    let resp = worker().get(&format!("/s/{}", m.token(Sign::default())), Some(&cookie));
    assert_eq!(resp.status, 200, "{}", resp.body);
    let balance = rx.wait_for("balance_update", 1);
    assert_eq!(balance.len(), 1);
    assert_signed(&balance[0], &whsec);
    let card = m.read_member(&cookie);
    assert_eq!(
        balance[0].json()["data"]["variables"]["points"],
        card["member"]["points"].to_string(),
        "the balance as it stands: {card}"
    );

    // The log pages newest first: the balance update, then the welcome.
    let first = api(&m, "GET", "/api/v1/messages?limit=1", None).json();
    assert_eq!(first["messages"][0]["kind"], "balance_update", "{first}");
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = api(
        &m,
        "GET",
        &format!("/api/v1/messages?limit=1&cursor={cursor}"),
        None,
    )
    .json();
    assert_eq!(second["messages"][0]["id"], r.id.as_str(), "{second}");
    assert_eq!(second["next_cursor"], Value::Null);
    api(&m, "GET", "/api/v1/messages?cursor=bm9wZQ", None).assert_problem(422, "invalid_field");

    // Failures list nothing; an unknown message is a 404, a sent one cannot be re-sent.
    let dead = api(&m, "GET", "/api/v1/messages?status=dead", None);
    assert_eq!(dead.json()["messages"], json!([]));
    api(&m, "GET", "/api/v1/messages/nope", None).assert_problem(404, "message_not_found");
    // An id with its `:` percent-encoded names the same message, on every route with ids.
    let encoded = r.id.replace(':', "%3A");
    assert_ne!(encoded, r.id);
    assert_eq!(message(&m, &encoded)["id"], r.id.as_str());
    api(
        &m,
        "POST",
        &format!("/api/v1/messages/{encoded}/resend"),
        Some(&json!({})),
    )
    .assert_problem(409, "message_not_failed");
    api(
        &m,
        "POST",
        &format!("/api/v1/messages/{}/resend", r.id),
        Some(&json!({})),
    )
    .assert_problem(409, "message_not_failed");
}

#[test]
fn failed_deliveries_are_retried_with_growing_delays_after_errors_and_timeouts() {
    let m = worker().merchant(json!({}));
    let rx = Receiver::start(&[
        Answer::Status(500),
        Answer::Hang(Duration::from_secs(12)),
        Answer::Status(503),
    ]);
    let whsec = messaging(&m, &rx, json!({}));
    let cookie = join_with_email(&m, "Bob", "bob@example.com");
    let id = format!("welcome:{}", Merchant::member_id(&cookie));

    // Attempt 1 (right after the response): 500.
    assert_eq!(rx.wait_for("welcome", 1).len(), 1);
    let shown = message_once(&m, &id, |v| v["attempts"] == 1);
    assert_eq!(shown["status"], "pending", "{shown}");
    let first_at = shown["delivery_log"][0]["at"].as_i64().unwrap();
    let due = shown["due_at"].as_i64().unwrap();
    let mut waits = vec![due - first_at];

    // Not before it is due.
    assert_eq!(deliver_at(&m, due - 1)["sent"], 0);
    assert_eq!(rx.of_kind("welcome").len(), 1);

    // Attempt 2: no answer within the timeout; attempt 3: 503; attempt 4: 200.
    let mut at = due;
    for expected in [None, Some(503), Some(200)] {
        deliver_at(&m, at);
        let shown = message(&m, &id);
        let log = shown["delivery_log"].as_array().unwrap().clone();
        let last = log.last().unwrap();
        assert_eq!(
            last["http_status"].as_i64(),
            expected.map(i64::from),
            "{shown}"
        );
        if expected.is_none() {
            assert!(last["latency_ms"].as_i64().unwrap() >= 9_000, "{last}");
            assert!(
                last["error"].as_str().unwrap().contains("no answer"),
                "{last}"
            );
        }
        if expected == Some(200) {
            assert_eq!(shown["status"], "sent");
            assert_eq!(shown["attempts"], 4);
        } else {
            let next = shown["due_at"].as_i64().unwrap();
            waits.push(next - at);
            at = next;
        }
    }
    assert!(
        waits.windows(2).all(|w| w[0] < w[1]),
        "delays grow: {waits:?}"
    );
    assert_eq!(waits[0], 60_000);
    let got = rx.wait_for("welcome", 4);
    assert_eq!(got.len(), 4);
    for r in &got {
        assert_signed(r, &whsec);
        assert_eq!(r.id, id, "every attempt carries the same id");
    }
    let mut answers: Vec<u16> = got.iter().map(|r| r.answered).collect();
    answers.sort_unstable();
    // The hung request was answered late, after the Worker had given up on it.
    assert_eq!(answers, [200, 200, 500, 503]);
    deliver_at(&m, at + 86_400_000);
    assert_eq!(rx.of_kind("welcome").len(), 4, "nothing after the success");
}

#[test]
fn a_message_that_keeps_failing_is_dead_lettered_at_the_horizon_and_can_be_resent() {
    let m = worker().merchant(json!({}));
    let rx = Receiver::start(&[Answer::Status(500); 64]);
    messaging(&m, &rx, json!({}));
    let cookie = join_with_email(&m, "Cyd", "cyd@example.com");
    let id = format!("welcome:{}", Merchant::member_id(&cookie));
    assert_eq!(rx.wait_for("welcome", 1).len(), 1);
    let mut shown = message_once(&m, &id, |v| v["attempts"] == 1);
    let give_up = shown["give_up_at"].as_i64().unwrap();
    let created = shown["created_at"].as_i64().unwrap();
    assert_eq!(give_up - created, 72 * 3_600_000, "about three days");
    let mut rounds = 0;
    while shown["status"] == "pending" {
        rounds += 1;
        assert!(rounds < 30, "{shown}");
        deliver_at(&m, shown["due_at"].as_i64().unwrap());
        shown = message(&m, &id);
    }
    assert_eq!(shown["status"], "dead", "{shown}");
    let log = shown["delivery_log"].as_array().unwrap();
    assert_eq!(log.len() as i64, shown["attempts"].as_i64().unwrap());
    assert_eq!(log.last().unwrap()["at"].as_i64().unwrap(), give_up);
    assert!(shown["last_error"].as_str().unwrap().contains("HTTP 500"));
    assert!(log.len() >= 10, "{} attempts", log.len());

    let dead = api(&m, "GET", "/api/v1/messages?status=dead", None).json();
    assert_eq!(dead["messages"][0]["id"], id.as_str());
    // Nothing more after the horizon.
    let before = rx.of_kind("welcome").len();
    deliver_at(&m, give_up + 86_400_000);
    assert_eq!(rx.of_kind("welcome").len(), before);

    // The merchant fixes the endpoint and re-sends: delivered at once.
    rx.script.lock().unwrap().clear();
    let resp = api(
        &m,
        "POST",
        &format!("/api/v1/messages/{id}/resend"),
        Some(&json!({})),
    );
    assert_eq!(resp.status, 202, "{}", resp.body);
    let got = rx.wait_for("welcome", before + 1);
    assert_eq!(got.last().unwrap().answered, 200);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(message(&m, &id)["status"], "sent");
}

/// A merchant in UTC whose quiet hours surround the present moment: from an hour ago to `end`
/// (two hours from now, to the minute).
fn quiet_now() -> (Value, i64) {
    let now = now_ms();
    let minute = 60_000;
    let start = (now - 3_600_000).div_euclid(minute) * minute;
    let end = (now + 2 * 3_600_000).div_euclid(minute) * minute;
    let hhmm = |ms: i64| {
        let mins = ms.rem_euclid(86_400_000) / minute;
        format!("{:02}:{:02}", mins / 60, mins % 60)
    };
    (json!({ "start": hhmm(start), "end": hhmm(end) }), end)
}

pub(crate) fn campaign(m: &Merchant, holdout: u32, variants: &[&str]) -> String {
    let body = json!({
        "name": "Come back",
        "segment": "all",
        "holdout_percent": holdout,
        "window_days": 14,
        "variants": variants.iter().map(|v| json!({
            "name": v, "subject": "{{merchant}} misses you",
            "text": format!("{{{{name}}}}, variant {v}: a free cookie with your next coffee"),
        })).collect::<Vec<_>>(),
    });
    let resp = api(m, "POST", "/api/v1/campaigns", Some(&body));
    assert_eq!(resp.status, 201, "{}", resp.body);
    resp.json()["id"].as_str().unwrap().to_owned()
}

pub(crate) fn launch(m: &Merchant, id: &str) -> Value {
    let resp = api(
        m,
        "POST",
        &format!("/api/v1/campaigns/{id}/launch"),
        Some(&json!({})),
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.json()
}

#[test]
fn marketing_waits_out_quiet_hours_needs_consent_and_respects_the_frequency_cap() {
    let m = worker().merchant_in("UTC", json!({}));
    let rx = Receiver::start(&[]);
    let (quiet, end) = quiet_now();
    let whsec = messaging(
        &m,
        &rx,
        json!({ "quiet_hours": quiet, "marketing_cap_days": 2 }),
    );
    let ala = join_with_email(&m, "Ala", "ala@example.com");
    let bob = join_with_email(&m, "Bob", "bob@example.com");
    // Transactional messages are not held by quiet hours.
    assert_eq!(rx.wait_for("welcome", 2).len(), 2);

    let first = campaign(&m, 0, &["a"]);
    launch(&m, &first);
    // Bob withdraws consent at the counter before anything went out.
    let resp = api(
        &m,
        "PATCH",
        &format!("/api/v1/members/{}/preferences", Merchant::member_id(&bob)),
        Some(&json!({ "marketing_consent": false })),
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    assert_eq!(resp.json()["marketing_consent"], false);

    let ala_msg = format!("campaign:{first}:{}", Merchant::member_id(&ala));
    let bob_msg = format!("campaign:{first}:{}", Merchant::member_id(&bob));
    // The attempt after the launch found quiet hours: held until their end.
    let shown = message_once(&m, &ala_msg, |v| v["due_at"].as_i64() == Some(end));
    assert_eq!(shown["due_at"].as_i64(), Some(end), "{shown}");
    assert_eq!(shown["attempts"], 0);
    assert!(rx.of_kind("campaign").is_empty());
    let t = deliver_at(&m, end - 60_000);
    assert_eq!(t["sent"], 0, "still quiet a minute before the end: {t}");

    let t = deliver_at(&m, end);
    assert_eq!(t["sent"], 1, "{t}");
    let got = rx.wait_for("campaign", 1);
    assert_eq!(got.len(), 1);
    assert_signed(&got[0], &whsec);
    assert_eq!(got[0].id, ala_msg);
    assert_eq!(got[0].json()["data"]["class"], "marketing");
    assert!(got[0].json()["data"]["text"]
        .as_str()
        .unwrap()
        .starts_with("Ala, variant a"));
    let b = message(&m, &bob_msg);
    assert_eq!(b["status"], "suppressed", "{b}");
    assert!(
        b["last_error"].as_str().unwrap().contains("marketing"),
        "{b}"
    );

    // A second campaign a day later: Ala had a marketing message within the cap (two days).
    let second = campaign(&m, 0, &["a"]);
    launch(&m, &second);
    deliver_at(&m, end + 86_400_000);
    let capped = message(
        &m,
        &format!("campaign:{second}:{}", Merchant::member_id(&ala)),
    );
    assert_eq!(capped["status"], "suppressed", "{capped}");
    assert!(capped["last_error"]
        .as_str()
        .unwrap()
        .contains("frequency cap"));
    // Two days after the first, a third one goes (still inside its own three-day horizon).
    let third = campaign(&m, 0, &["a"]);
    launch(&m, &third);
    deliver_at(&m, end + 2 * 86_400_000);
    let sent = message(
        &m,
        &format!("campaign:{third}:{}", Merchant::member_id(&ala)),
    );
    assert_eq!(sent["status"], "sent", "{sent}");
    assert_eq!(rx.of_kind("campaign").len(), 2);
}

#[test]
fn campaign_arms_are_deterministic_the_holdout_gets_nothing_and_results_show_lift() {
    let m = worker().merchant(json!({}));
    let rx = Receiver::start(&[]);
    messaging(
        &m,
        &rx,
        json!({ "muted": ["welcome", "balance_update", "milestone"] }),
    );
    let members: Vec<String> = (0..24)
        .map(|i| join_with_email(&m, &format!("M{i}"), &format!("m{i}@example.com")))
        .collect();
    let id = campaign(&m, 30, &["a", "b"]);
    // Not launched: no results yet; a bad definition is refused.
    let draft = api(&m, "GET", &format!("/api/v1/campaigns/{id}"), None).json();
    assert_eq!(draft["status"], "draft");
    assert!(draft.get("results").is_none());
    let bad = api(
        &m,
        "POST",
        "/api/v1/campaigns",
        Some(&json!({ "name": "x", "segment": "vip", "variants": [] })),
    );
    bad.assert_problem(422, "invalid_field");
    api(
        &m,
        "POST",
        "/api/v1/campaigns/cmp_nope/launch",
        Some(&json!({})),
    )
    .assert_problem(404, "campaign_not_found");

    launch(&m, &id);
    api(
        &m,
        "POST",
        &format!("/api/v1/campaigns/{id}/launch"),
        Some(&json!({})),
    )
    .assert_problem(409, "campaign_already_launched");

    // The same arms as the rule computes, independently of the Worker.
    let definition: Definition = serde_json::from_value(json!({
        "name": "Come back", "segment": "all", "holdout_percent": 30, "window_days": 14,
        "variants": [
            {"name": "a", "subject": "", "text": "x"},
            {"name": "b", "subject": "", "text": "x"}
        ]
    }))
    .unwrap();
    let arm_of = |cookie: &String| {
        definition
            .assign(&id, &Merchant::member_id(cookie))
            .to_owned()
    };
    let messaged: Vec<&String> = members.iter().filter(|c| arm_of(c) != HOLDOUT).collect();
    let got = rx.wait_for("campaign", messaged.len());
    assert_eq!(
        got.len(),
        messaged.len(),
        "one message per member outside the holdout"
    );
    for r in &got {
        let member = r.id.rsplit(':').next().unwrap().to_owned();
        let cookie = members
            .iter()
            .find(|c| Merchant::member_id(c) == member)
            .unwrap();
        assert_eq!(
            r.json()["data"]["event"]["variant"],
            arm_of(cookie).as_str()
        );
    }

    // Every third member comes back for a coffee.
    let returned: Vec<&String> = members.iter().step_by(3).collect();
    for c in &returned {
        let token = m.token(Sign {
            kind: ScanKind::Visit,
            ..Sign::default()
        });
        let resp = worker().get(&format!("/s/{token}"), Some(c));
        assert_eq!(resp.status, 200, "{}", resp.body);
    }
    let arm = |name: &str| Arm {
        members: members.iter().filter(|c| arm_of(c) == name).count() as u64,
        converted: returned.iter().filter(|c| arm_of(c) == name).count() as u64,
    };
    let shown = api(&m, "GET", &format!("/api/v1/campaigns/{id}"), None).json();
    let results = &shown["results"];
    assert_eq!(results["final"], false);
    for name in ["a", "b", HOLDOUT] {
        let row = results["arms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["arm"] == name)
            .unwrap();
        let want = arm(name);
        assert_eq!(row["members"], want.members, "{row}");
        assert_eq!(row["converted"], want.converted, "{row}");
        if name != HOLDOUT && want.members > 0 {
            let c = compare(want, arm(HOLDOUT)).unwrap();
            assert_eq!(
                row["vs_holdout"]["lift_points"],
                json!(c.lift_points),
                "{row}"
            );
            assert_eq!(row["vs_holdout"]["verdict"], "too_small", "{row}");
        }
    }
}

#[test]
fn messaging_settings_are_checked() {
    let m = worker().merchant(json!({}));
    let put = |body: Value| worker().json_as("PUT", "/api/v1/messaging", &m.key, &body);
    put(json!({ "endpoint_url": "http://example.com/hook" })).assert_problem(422, "invalid_field");
    put(json!({ "templates": { "welcome": { "en": { "subject": "Hi", "text": "{{nope}}" } } } }))
        .assert_problem(422, "invalid_field");
    put(json!({ "quiet_hours": { "start": "25:00", "end": "08:00" } }))
        .assert_problem(400, "invalid_json");
    put(json!({ "muted": ["spam"] })).assert_problem(400, "invalid_json");
    let shown = api(&m, "GET", "/api/v1/messaging", None).json();
    assert_eq!(shown["settings"]["endpoint_url"], Value::Null);
    assert!(shown["signing_secret"]
        .as_str()
        .unwrap()
        .starts_with("whsec_"));
    assert!(shown["default_templates"]["welcome"]["pl"]["text"]
        .as_str()
        .unwrap()
        .contains("{{name}}"));
    // Without an endpoint a campaign cannot launch.
    let id = campaign(&m, 0, &["a"]);
    api(
        &m,
        "POST",
        &format!("/api/v1/campaigns/{id}/launch"),
        Some(&json!({})),
    )
    .assert_problem(409, "messaging_not_configured");
    // A merchant template replaces the default.
    let rx = Receiver::start(&[]);
    messaging(
        &m,
        &rx,
        json!({ "templates": { "welcome": { "en": {
            "subject": "Hello", "text": "Hey {{name}}, {{stamps_to_next_reward}} to go" } } } }),
    );
    let dee = join_with_email(&m, "Dee", "dee@example.com");
    let stamps = m.read_member(&dee)["member"]["stamps"].as_i64().unwrap();
    let got = rx.wait_for("welcome", 1);
    assert_eq!(
        got[0].json()["data"]["text"],
        format!("Hey Dee, {} to go", 8 - stamps)
    );
    let other = worker().merchant(json!({}));
    api(
        &other,
        "GET",
        &format!("/api/v1/messages/{}", got[0].id),
        None,
    )
    .assert_problem(404, "message_not_found");
}

#[test]
fn a_message_left_undelivered_past_its_horizon_is_dropped_not_sent_late() {
    let m = worker().merchant(json!({}));
    let rx = Receiver::start(&[Answer::Status(500)]);
    messaging(&m, &rx, json!({}));
    let cookie = join_with_email(&m, "Eve", "eve@example.com");
    let id = format!("welcome:{}", Merchant::member_id(&cookie));
    assert_eq!(rx.wait_for("welcome", 1).len(), 1);
    let shown = message_once(&m, &id, |v| v["attempts"] == 1);
    assert_eq!(shown["status"], "pending", "{shown}");
    // Nobody ran deliveries for days (say the endpoint was removed and put back).
    let give_up = shown["give_up_at"].as_i64().unwrap();
    deliver_at(&m, give_up + 2 * 3_600_000);
    let shown = message(&m, &id);
    assert_eq!(shown["status"], "dead", "{shown}");
    assert!(shown["last_error"]
        .as_str()
        .unwrap()
        .contains("within three days"));
    assert_eq!(shown["attempts"], 1, "no attempt was made");
    assert_eq!(rx.of_kind("welcome").len(), 1);
}
