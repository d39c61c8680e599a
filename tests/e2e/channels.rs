//! Messages that reach customers, against real local parts: email lands in wrangler dev's local
//! email store (read back through its explorer API), and Web Push goes to npm's
//! `web-push-testing` (started here on a loopback port), which checks the VAPID token, decrypts
//! the `aes128gcm` body and keeps what it received.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::{concurrently, worker, Merchant, Sign};
use crate::messages::{api, campaign, deliver_at, join_with_email, launch, now_ms};

/// Turns the merchant's channels on with `settings` (no quiet hours, no cap, visit news on).
fn channels(m: &Merchant, settings: Value) {
    let mut body = json!({ "quiet_hours": null, "marketing_cap_days": 0, "muted": ["milestone"] });
    for (k, v) in settings.as_object().unwrap() {
        body[k] = v.clone();
    }
    let resp = api(m, "PUT", "/api/v1/messaging", Some(&body));
    assert_eq!(resp.status, 200, "{}", resp.body);
}

/// Every email the local store holds for `to`, newest first, with their details.
pub(crate) fn emails_to(to: &str) -> Vec<Value> {
    let list = worker().get(
        "/cdn-cgi/local/explorer/api/local/email/sending?per_page=100",
        None,
    );
    assert_eq!(list.status, 200, "{}", list.body);
    let items = list.json()["result"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    items
        .iter()
        .filter(|e| {
            e["to"]
                .as_array()
                .is_some_and(|t| t.iter().any(|a| a.as_str().is_some_and(|a| a.contains(to))))
        })
        .map(|e| {
            let id = e["messageId"]
                .as_str()
                .unwrap()
                .trim_matches(['<', '>'])
                .to_string();
            let d = worker().get(
                &format!("/cdn-cgi/local/explorer/api/local/email/sending?email_id={id}"),
                None,
            );
            assert_eq!(d.status, 200, "{}", d.body);
            d.json()["result"].clone()
        })
        .collect()
}

/// Waits until the store holds `n` emails for `to`.
pub(crate) fn wait_for_emails(to: &str, n: usize) -> Vec<Value> {
    let start = Instant::now();
    loop {
        let got = emails_to(to);
        if got.len() >= n || start.elapsed() > Duration::from_secs(15) {
            assert_eq!(got.len(), n, "emails to {to}: {got:#?}");
            return got;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A raw header of a stored email (unfolded).
fn header(email: &Value, name: &str) -> Option<String> {
    let raw = email["raw"].as_str()?;
    let head = raw.split("\r\n\r\n").next()?.replace("\r\n ", " ");
    head.split("\r\n").find_map(|l| {
        let (k, v) = l.split_once(": ")?;
        k.eq_ignore_ascii_case(name).then(|| v.to_string())
    })
}

/// The decoded text part of a stored email (we send both parts in base64).
fn text_of(email: &Value) -> String {
    use base64::Engine;
    let raw = email["raw"].as_str().unwrap_or_default();
    let marker =
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    let Some(at) = raw.find(marker) else {
        return String::new();
    };
    let body: String = raw[at + marker.len()..]
        .split("\r\n--")
        .next()
        .unwrap_or_default()
        .split("\r\n")
        .collect();
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap(),
    )
    .unwrap()
}

pub(crate) fn unique_email(tag: &str) -> String {
    let mut b = [0u8; 6];
    getrandom::getrandom(&mut b).unwrap();
    format!(
        "{tag}.{}@example.com",
        b.iter().map(|x| format!("{x:02x}")).collect::<String>()
    )
}

#[test]
fn an_email_is_sent_by_us_with_both_parts_and_one_click_unsubscribe_stops_only_offers() {
    let m = worker().merchant_in("UTC", json!({}));
    channels(
        &m,
        json!({ "email": true, "sender_name": "Kawiarnia Żółw", "reply_to": "owner@cafe.example",
                "muted": ["milestone", "balance_update"] }),
    );
    let to = unique_email("ala");
    let cookie = join_with_email(&m, "Ala", &to);

    // The welcome (card news) goes right after the scan: no unsubscribe headers.
    let welcome = wait_for_emails(&to, 1).remove(0);
    assert!(
        welcome["from"]
            .as_str()
            .unwrap()
            .contains("cards@loyalty-edge.test"),
        "{welcome:#}"
    );
    let from = header(&welcome, "From").unwrap();
    assert!(
        from.starts_with("=?UTF-8?B?") && from.ends_with("<cards@loyalty-edge.test>"),
        "{from}"
    );
    assert_eq!(
        header(&welcome, "Reply-To").as_deref(),
        Some("<owner@cafe.example>")
    );
    assert_eq!(header(&welcome, "To"), Some(format!("<{to}>")));
    assert!(
        welcome["subject"].as_str().unwrap().len() > 3,
        "{welcome:#}"
    );
    let raw = welcome["raw"].as_str().unwrap();
    assert!(raw.contains("Content-Type: text/plain; charset=utf-8"));
    assert!(raw.contains("Content-Type: text/html; charset=utf-8"));
    assert!(
        header(&welcome, "List-Unsubscribe").is_none(),
        "card news has no unsubscribe link"
    );

    // An offer carries RFC 8058's headers.
    launch(&m, &campaign(&m, 0, &["a"]));
    deliver_at(&m, now_ms());
    let offer = wait_for_emails(&to, 2).remove(0);
    let list = header(&offer, "List-Unsubscribe").expect("List-Unsubscribe");
    assert_eq!(
        header(&offer, "List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let https = list
        .split(['<', '>'])
        .find(|p| p.starts_with("http"))
        .unwrap()
        .to_string();
    assert!(list.contains("<mailto:"), "{list}");
    let path = https
        .split_once("://")
        .unwrap()
        .1
        .split_once('/')
        .map(|(_, p)| format!("/{p}"))
        .unwrap();

    // Opening the link changes nothing; a forged one is refused.
    let page = worker().get(&path, None);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Stop offers"), "{}", page.body);
    let forged = worker().send(
        "POST",
        &format!("{path}x"),
        &[("content-type", "application/x-www-form-urlencoded")],
        Some("List-Unsubscribe=One-Click"),
    );
    assert_eq!(forged.status, 404);

    // The mail app's one-click POST: no cookie, no page.
    let one_click = worker().send(
        "POST",
        &path,
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("origin", "https://mail.example"),
        ],
        Some("List-Unsubscribe=One-Click"),
    );
    assert_eq!(one_click.status, 200, "{}", one_click.body);
    let audit = api(&m, "GET", "/api/v1/audit-log", None).json();
    let entry = audit["audit_log"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "channels")
        .unwrap_or_else(|| panic!("no audit entry: {audit:#}"))
        .clone();
    assert_eq!(entry["actor"], "unsubscribe-link");

    // The next offer is not sent; card news still is.
    launch(&m, &campaign(&m, 0, &["b"]));
    deliver_at(&m, now_ms());
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(emails_to(&to).len(), 2, "no email for the second offer");
    let messages = api(&m, "GET", "/api/v1/messages?status=suppressed", None).json();
    let why = messages["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "campaign")
        .map(|x| x["last_error"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default();
    assert!(why.contains("offers off"), "{messages:#}");
    channels(&m, json!({ "email": true, "muted": ["milestone"] }));
    let scan = worker().get(&format!("/s/{}", m.token(Sign::default())), Some(&cookie));
    assert_eq!(scan.status, 200);
    let news = wait_for_emails(&to, 3).remove(0);
    assert!(header(&news, "List-Unsubscribe").is_none());

    // The page shows the state and undoes it.
    let page = worker().get(&path, None);
    assert!(page.body.contains("no more offers"), "{}", page.body);
    let undo = worker().post_form(&path, &[("action", "on")]);
    assert_eq!(undo.status, 303, "{}", undo.body);
    assert!(worker().get(&path, None).body.contains("Stop offers"));
}

/// The test push service on a loopback port, stopped on drop.
struct PushService {
    child: Child,
    base: String,
}

impl Drop for PushService {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl PushService {
    fn start() -> PushService {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let root = env!("CARGO_MANIFEST_DIR");
        let child = Command::new("node")
            .arg(format!(
                "{root}/node_modules/web-push-testing/src/bin/server.js"
            ))
            .arg(port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs web-push-testing");
        let base = format!("http://localhost:{port}");
        let s = PushService { child, base };
        let start = Instant::now();
        while s.post("/status", &json!({})).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "web-push-testing did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        s
    }

    fn post(&self, path: &str, body: &Value) -> Result<(u16, String), ureq::Error> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut resp = agent
            .post(&format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .send(body.to_string())?;
        Ok((
            resp.status().as_u16(),
            resp.body_mut().read_to_string().unwrap_or_default(),
        ))
    }

    fn subscribe(&self, key: &str) -> Value {
        let (status, body) = self
            .post("/subscribe", &json!({ "applicationServerKey": key }))
            .unwrap();
        assert_eq!(status, 200, "{body}");
        serde_json::from_str::<Value>(&body).unwrap()["data"].clone()
    }

    fn received(&self, client: &str) -> Vec<Value> {
        let (status, body) = self
            .post("/get-notifications", &json!({ "clientHash": client }))
            .unwrap();
        assert_eq!(status, 200, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        v["data"]["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| serde_json::from_str(m.as_str().unwrap()).unwrap())
            .collect()
    }

    fn wait_for(&self, client: &str, n: usize) -> Vec<Value> {
        let start = Instant::now();
        loop {
            let got = self.received(client);
            if got.len() >= n || start.elapsed() > Duration::from_secs(15) {
                return got;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// The VAPID key the credited scan page offers to the card's script.
fn offered_key(page: &str) -> String {
    let at = page
        .find("data-key=\"")
        .expect("the push offer after a scan")
        + 10;
    page[at..].split('"').next().unwrap().to_string()
}

fn post_subscription(m: &Merchant, cookie: &str, sub: &Value) -> crate::harness::Resp {
    worker().send(
        "POST",
        &format!("/c/{}/push", m.id),
        &[("cookie", cookie), ("content-type", "application/json")],
        Some(
            &json!({ "endpoint": sub["endpoint"], "expirationTime": null, "keys": sub["keys"] })
                .to_string(),
        ),
    )
}

#[test]
fn push_reaches_the_card_once_under_concurrent_runs_and_a_gone_subscription_is_removed() {
    let service = PushService::start();
    let m = worker().merchant_in("UTC", json!({}));
    channels(
        &m,
        json!({ "push": true, "muted": ["milestone", "balance_update"] }),
    );
    let cookie = m.member();

    // The offer comes with a credit; the key it carries is what the browser subscribes with.
    let scan = worker().get(&format!("/s/{}", m.token(Sign::default())), Some(&cookie));
    assert_eq!(scan.status, 200);
    let csp = scan.header("content-security-policy").unwrap().to_string();
    assert!(
        csp.contains("worker-src 'self'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );
    let key = offered_key(&scan.body);
    let sub = service.subscribe(&key);
    let client = sub["clientHash"].as_str().unwrap().to_string();

    // A subscription elsewhere than a push service is refused and nothing is stored.
    let mut evil = sub.clone();
    evil["endpoint"] = json!("http://169.254.169.254/latest/meta-data");
    assert_eq!(post_subscription(&m, &cookie, &evil).status, 422);
    assert_eq!(post_subscription(&m, "", &sub).status, 401);
    let stored = post_subscription(&m, &cookie, &sub);
    assert_eq!(stored.status, 201, "{}", stored.body);
    let privacy = worker().get(&format!("/c/{}/me", m.id), Some(&cookie));
    assert!(privacy.body.contains("on for 1 device"), "{}", privacy.body);

    // A redemption-free service message: an owner's adjustment does not queue one, so use the
    // visit news, switched on now.
    channels(&m, json!({ "push": true }));
    let scan = worker().get(&format!("/s/{}", m.token(Sign::default())), Some(&cookie));
    assert_eq!(scan.status, 200);
    // Eight delivery runs at once with the one after the response: the service gets one.
    concurrently(8, || deliver_at(&m, now_ms()));
    let got = service.wait_for(&client, 1);
    std::thread::sleep(Duration::from_millis(500));
    let got_later = service.received(&client);
    assert_eq!(got_later.len(), 1, "exactly one push: {got_later:#?}");
    let n = &got[0];
    assert!(n["title"].as_str().is_some_and(|t| !t.is_empty()), "{n:#}");
    assert!(
        n["body"].as_str().unwrap().contains("stamp")
            || n["body"].as_str().unwrap().contains("point"),
        "{n:#}"
    );
    assert_eq!(n["url"], format!("{}/c/{}", worker().base, m.id));
    assert!(n["token"].as_str().is_some());
    let messages = api(&m, "GET", "/api/v1/messages?status=sent", None).json();
    assert!(
        messages["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["kind"] == "balance_update"),
        "{messages:#}"
    );

    // The service worker's tap report marks the message clicked.
    let tap = worker().send(
        "POST",
        &format!("/m/{}/p/{}", m.id, n["token"].as_str().unwrap()),
        &[],
        None,
    );
    assert_eq!(tap.status, 204);
    let forged = worker().send("POST", &format!("/m/{}/p/AAAA.BBBB", m.id), &[], None);
    assert_eq!(forged.status, 404);

    // The browser unsubscribed: the service answers 410 and the subscription is deleted.
    let (status, _) = service
        .post(&format!("/expire-subscription/{client}"), &json!({}))
        .unwrap();
    assert_eq!(status, 200);
    let scan = worker().get(&format!("/s/{}", m.token(Sign::default())), Some(&cookie));
    assert_eq!(scan.status, 200);
    let start = Instant::now();
    loop {
        deliver_at(&m, now_ms());
        let privacy = worker().get(&format!("/c/{}/me", m.id), Some(&cookie));
        if !privacy.body.contains("on for 1 device") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the gone subscription stayed: {:#}",
            api(&m, "GET", "/api/v1/messages", None).json()
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    m.assert_ledger_consistent();
}

#[test]
fn the_owner_turns_channels_on_in_the_console_sends_a_test_and_reads_the_delivery_log() {
    use crate::console::{csrf_of, get, post, sign_up};
    let owner = sign_up();
    let page = get("/console/messages", &owner.browser);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("cards@loyalty-edge.test"),
        "{}",
        page.body
    );
    let csrf = csrf_of(&page.body);
    let headers = [("cookie", owner.browser.as_str())];

    // A bad field comes back beside itself, with the input kept, and nothing is saved.
    let bad = post(
        "/console/messages/channels",
        &headers,
        &[
            ("csrf", &csrf),
            ("email", "on"),
            ("reply_to", "ala@"),
            ("sender_name", "Café Ala"),
            ("quiet_start", "21:00"),
            ("quiet_end", ""),
            ("cap_days", "7"),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body.contains(r#"id="f-reply_to-err""#)
            && bad.body.contains(r#"id="f-quiet_start-err""#),
        "{}",
        bad.body
    );
    assert!(bad.body.contains(r#"value="ala@""#), "the input is kept");
    let again = get("/console/messages", &owner.browser);
    assert!(
        !again.body.contains(r#"name="email" value="on" checked"#),
        "nothing was saved"
    );

    let good = post(
        "/console/messages/channels",
        &headers,
        &[
            ("csrf", &csrf),
            ("email", "on"),
            ("push", "on"),
            ("reply_to", &owner.email),
            ("sender_name", ""),
            ("offer_pl", "Powiem, gdy kawa będzie gratis"),
            ("quiet_start", ""),
            ("quiet_end", ""),
            ("cap_days", "0"),
        ],
    );
    assert_eq!(good.status, 200, "{}", good.body);
    assert!(good.body.contains("Saved."), "{}", good.body);
    assert!(
        good.body.contains(r#"name="email" value="on" checked"#)
            && good.body.contains(r#"name="push" value="on" checked"#)
    );
    // The home checklist ticks "Turn on messages".
    let home = get("/console", &owner.browser);
    let item = home.body.split("Turn on messages").next().unwrap();
    assert!(
        item.rsplit("<li").next().unwrap().contains("done"),
        "{}",
        home.body
    );

    // A test to oneself lands in the email store.
    let test = post("/console/messages/test", &headers, &[("csrf", &csrf)]);
    assert_eq!(test.status, 200, "{}", test.body);
    assert!(test.body.contains("Test sent to"), "{}", test.body);
    let mail = wait_for_emails(&owner.email, 1).remove(0);
    assert_eq!(mail["subject"], "A test message");
    assert_eq!(
        header(&mail, "Reply-To"),
        Some(format!("<{}>", owner.email))
    );

    // A customer joins by email: the welcome shows in the log, with its channel and attempts.
    let merchant = MerchantForLog {
        id: owner.merchant.clone(),
    };
    let to = unique_email("ola");
    merchant.join(&to);
    wait_for_emails(&to, 1);
    let page = get("/console/messages", &owner.browser);
    assert!(
        page.body.contains("Welcome") && page.body.contains(">Email<"),
        "{}",
        page.body
    );
    let start = page
        .body
        .find("/console/messages/welcome")
        .expect("a link to the message")
        + 18;
    let id = page.body[start..].split('"').next().unwrap().to_string();
    let one = get(&format!("/console/messages/{id}"), &owner.browser);
    assert_eq!(one.status, 200, "{}", one.body);
    assert!(
        one.body.contains("Attempts") && one.body.contains("Email"),
        "{}",
        one.body
    );
    assert!(
        !one.body.contains("Send it again"),
        "a sent message is not re-sent"
    );
    let refused = post(
        &format!("/console/messages/{id}/resend"),
        &headers,
        &[("csrf", &csrf)],
    );
    assert!(
        refused.body.contains("Only a failed or unsent message"),
        "{}",
        refused.body
    );
}

/// A merchant made by sign-up, for joining it from a phone (the harness's merchants come from
/// the operator's API).
struct MerchantForLog {
    id: String,
}

impl MerchantForLog {
    fn join(&self, email: &str) {
        let m = loyalty_edge::domain::ids::MerchantId::parse(&self.id).unwrap();
        let token = loyalty_edge::domain::token::ScanToken {
            kid: 1,
            merchant: m,
            location: 1,
            kind: loyalty_edge::domain::token::ScanKind::Visit,
            issued_at: crate::harness::now(),
            lifetime: loyalty_edge::domain::token::Lifetime::hours(24).unwrap(),
            nonce: {
                let mut n = [0u8; 12];
                getrandom::getrandom(&mut n).unwrap();
                n
            },
        }
        .sign(&worker().master.scan_key(m, 1));
        let form = worker().get(&format!("/s/{token}"), None);
        assert_eq!(form.status, 200, "{}", form.body);
        let ticket = crate::harness::ticket_of(&form.body);
        let resp = worker().post_form(
            &format!("/s/{token}"),
            &[
                ("ticket", &ticket),
                ("name", "Ola"),
                ("email", email),
                ("marketing_consent", "yes"),
            ],
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
    }
}

#[test]
fn invitations_and_reset_links_are_emailed_and_still_shown_to_copy() {
    use crate::console::{csrf_of, fresh_email, get, invite, post, sign_up};
    let owner = sign_up();
    let email = fresh_email();
    let link = invite(&owner.browser, &email, "manager");
    let mail = wait_for_emails(&email, 1).remove(0);
    assert!(
        mail["subject"].as_str().unwrap().contains("Café Ala"),
        "{mail:#}"
    );
    assert!(
        text_of(&mail).contains(&link),
        "the link is in the email: {mail:#}"
    );
    let page = post(
        &link,
        &[],
        &[
            ("name", "Piotr"),
            ("password", crate::console::PASSWORD),
            ("language", "en"),
        ],
    );
    assert_eq!(page.status, 303, "the emailed link works: {}", page.body);

    // A reset link for that manager goes to their address too.
    let people = get("/console/people", &owner.browser).body;
    let at = people
        .find("<strong>Piotr</strong>")
        .expect("Piotr on the people page");
    let start = people[at..].find("/console/people/").unwrap() + at + 16;
    let id = people[start..].split('/').next().unwrap().to_string();
    let made = post(
        &format!("/console/people/{id}/reset"),
        &[("cookie", owner.browser.as_str())],
        &[("csrf", &csrf_of(&people))],
    );
    assert_eq!(made.status, 201, "{}", made.body);
    assert!(
        made.body.contains("We emailed the link to"),
        "{}",
        made.body
    );
    let mails = wait_for_emails(&email, 2);
    let reset = mails
        .iter()
        .find(|m| text_of(m).contains("/reset/"))
        .expect("the reset email");
    assert!(header(reset, "List-Unsubscribe").is_none());
}

#[test]
fn the_owner_edits_a_messages_words_with_previews_and_bad_words_come_back_beside_the_field() {
    use crate::console::{csrf_of, get, post, sign_up};
    let owner = sign_up();
    let page = get(
        "/console/messages/templates?kind=birthday_offer&lang=pl",
        &owner.browser,
    );
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Oferta urodzinowa") || page.body.contains("Birthday offer"),
        "{}",
        page.body
    );
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("frame-src 'self'") && csp.contains("script-src 'sha256-"),
        "{csp}"
    );
    let csrf = csrf_of(&page.body);
    let headers = [("cookie", owner.browser.as_str())];
    let bad = post(
        "/console/messages/templates",
        &headers,
        &[
            ("csrf", &csrf),
            ("kind", "birthday_offer"),
            ("lang", "pl"),
            ("subject", "Sto lat"),
            ("text", "Cześć {{imie}}!"),
            ("action", "save"),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body.contains(r#"id="f-text-err""#) && bad.body.contains("{{imie}}"),
        "{}",
        bad.body
    );
    let saved = post(
        "/console/messages/templates",
        &headers,
        &[
            ("csrf", &csrf),
            ("kind", "birthday_offer"),
            ("lang", "pl"),
            ("subject", "Sto lat, {{name}}!"),
            (
                "text",
                "Cześć {{name}}, w {{merchant}} czeka prezent: {{amount}}.",
            ),
            ("action", "save"),
        ],
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(
        saved.body.contains("These are your own words.")
            || saved.body.contains("To Twoje własne słowa.")
    );
    // The previews: the email as it will look, the notification and the text message's parts.
    let q = "kind=birthday_offer&lang=pl&subject=Sto%20lat%2C%20%7B%7Bname%7D%7D!&text=Cze%C5%9B%C4%87%20%7B%7Bname%7D%7D";
    let email = get(
        &format!("/console/messages/preview?{q}&as=email"),
        &owner.browser,
    );
    assert_eq!(email.status, 200, "{}", email.body);
    assert!(
        email.body.contains("Cześć Marta") && email.body.contains("Café Ala"),
        "{}",
        email.body
    );
    assert!(email
        .header("content-security-policy")
        .unwrap()
        .contains("frame-ancestors 'self'"));
    let short = get(
        &format!("/console/messages/preview?{q}&as=short"),
        &owner.browser,
    );
    assert!(
        short.body.contains("Sto lat, Marta!") && short.body.contains("70"),
        "{}",
        short.body
    );
    // Our words come back on request.
    let reset = post(
        "/console/messages/templates",
        &headers,
        &[
            ("csrf", &csrf),
            ("kind", "birthday_offer"),
            ("lang", "pl"),
            ("subject", ""),
            ("text", ""),
            ("action", "reset"),
        ],
    );
    assert_eq!(reset.status, 200, "{}", reset.body);
    assert!(!reset.body.contains("Sto lat, {{name}}!"), "{}", reset.body);
}

#[test]
fn the_nightly_rollup_counts_what_each_message_channel_achieved() {
    let m = worker().merchant_in("UTC", json!({}));
    channels(
        &m,
        json!({ "email": true, "muted": ["milestone", "balance_update"] }),
    );
    let to = unique_email("roll");
    join_with_email(&m, "Ala", &to);
    wait_for_emails(&to, 1);
    let day_ms = 86_400_000;
    let tomorrow = (now_ms() / day_ms + 1) * day_ms + loyalty_edge::domain::metrics::GRACE_MS;
    for _ in 0..50 {
        let resp = worker().admin(
            "POST",
            &format!("/admin/v1/merchants/{}/rollups", m.id),
            Some(&json!({ "now": tomorrow })),
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        if resp.json()["done"] == true {
            break;
        }
    }
    let today = chrono::DateTime::from_timestamp_millis(now_ms())
        .unwrap()
        .format("%Y-%m-%d")
        .to_string();
    let got = api(
        &m,
        "GET",
        &format!("/api/v1/metrics/channels?from={today}&to={today}"),
        None,
    )
    .json();
    let email = got["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["channel"] == "email")
        .cloned()
        .unwrap_or_else(|| panic!("no email row: {got:#}"));
    assert_eq!(email["sent"], 1, "{got:#}");
    assert_eq!(email["accepted"], 1);
    assert_eq!(email["failed"], 0);
}

#[test]
fn a_member_who_turns_card_news_off_by_email_gets_none_and_the_choice_is_audited() {
    let m = worker().merchant_in("UTC", json!({}));
    channels(&m, json!({ "email": true, "muted": ["milestone"] }));
    let to = unique_email("news");
    let cookie = join_with_email(&m, "Ala", &to);
    wait_for_emails(&to, 2); // the welcome and the first visit's news
    let page = worker().get(&format!("/c/{}/me", m.id), Some(&cookie));
    assert!(
        page.body
            .contains(r#"name="news_email" value="yes" checked"#),
        "{}",
        page.body
    );
    let body = "marketing_consent=yes&channels=1&offers_email=yes&offers_push=yes&offers_sms=yes&news_push=yes&news_sms=yes";
    let saved = worker().send(
        "POST",
        &format!("/c/{}/me/preferences", m.id),
        &[
            ("cookie", &cookie),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        Some(body),
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = worker().get(&format!("/c/{}/me", m.id), Some(&cookie));
    assert!(
        !page
            .body
            .contains(r#"name="news_email" value="yes" checked"#),
        "{}",
        page.body
    );
    let scan = worker().get(&format!("/s/{}", m.token(Sign::default())), Some(&cookie));
    assert_eq!(scan.status, 200);
    deliver_at(&m, now_ms());
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(emails_to(&to).len(), 2, "no news by email any more");
    let suppressed = api(&m, "GET", "/api/v1/messages?status=suppressed", None).json();
    let why = suppressed["messages"][0]["last_error"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(why.contains("card news off"), "{suppressed:#}");
    let audit = api(&m, "GET", "/api/v1/audit-log", None).json();
    assert!(
        audit["audit_log"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "channels" && e["actor"] == "member"),
        "{audit:#}"
    );
}
