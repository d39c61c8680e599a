//! The running Worker, as tests see it: real workerd started by `scripts/test`, reached over
//! loopback HTTP. Every test makes its own merchant, so tests run in parallel without sharing state.

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use loyalty_edge::domain::ids::{MemberId, MerchantId};
use loyalty_edge::domain::keys::MasterSecret;
use loyalty_edge::domain::session;
use loyalty_edge::domain::token::{Lifetime, ScanKind, ScanToken};
use serde_json::{json, Value};

/// The Worker under test.
pub struct Worker {
    pub base: String,
    admin: String,
    pub master: MasterSecret,
    agent: ureq::Agent,
}

/// One HTTP response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// Returns the `name=value` part of the response's Set-Cookie.
    pub fn cookie(&self) -> Option<String> {
        self.header("set-cookie")
            .map(|c| c.split(';').next().unwrap_or_default().to_owned())
    }

    /// Returns the D1 round trips the Worker reported for this request.
    pub fn round_trips(&self) -> u32 {
        self.header("x-d1-round-trips")
            .and_then(|v| v.parse().ok())
            .expect("x-d1-round-trips header")
    }

    /// Asserts this is a problem+json with `status` and `code`.
    pub fn assert_problem(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{}",
            self.body
        );
        let body = self.json();
        assert_eq!(body["code"], code, "{}", self.body);
        assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }

    /// Asserts this is an HTML error page with `status` naming `code`.
    pub fn assert_error_page(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        assert!(self
            .header("content-type")
            .is_some_and(|c| c.starts_with("text/html")));
        assert!(
            self.body.contains(&format!("Code: {code}")),
            "wanted {code} in {}",
            self.body
        );
    }
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: the end-to-end tests run against a worker started by scripts/test"
        )
    })
}

/// Returns the Worker, connecting on first use.
pub fn worker() -> &'static Worker {
    static WORKER: OnceLock<Worker> = OnceLock::new();
    WORKER.get_or_init(|| Worker {
        base: env("E2E_BASE_URL"),
        admin: env("E2E_ADMIN_SECRET"),
        master: MasterSecret::parse(&env("E2E_MASTER_SECRET")).expect("E2E_MASTER_SECRET"),
        agent: ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(std::time::Duration::from_secs(30)))
            .build()
            .into(),
    })
}

/// Returns the worker started with another `SIGNUP` mode, at the address in `var`
/// (`E2E_INVITE_URL`, `E2E_CLOSED_URL`; scripts/test starts them). A test that needs one fails
/// when it is not given: it never skips.
pub fn mode_worker(var: &str) -> Worker {
    let main = worker();
    Worker {
        base: env(var),
        admin: main.admin.clone(),
        master: MasterSecret::parse(&env("E2E_MASTER_SECRET")).expect("E2E_MASTER_SECRET"),
        agent: main.agent.clone(),
    }
}

/// Returns the current Unix second.
/// Waits, when a fixed window of `len_ms` (counted from the epoch, as the Worker's limits count
/// them) ends within `margin_ms`, until just after it: a check of a limit that straddles a
/// window's end sees its count restart.
pub fn clear_of_the_window_end(len_ms: u64, margin_ms: u64) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let left = len_ms - now % len_ms;
    if left < margin_ms {
        std::thread::sleep(std::time::Duration::from_millis(left + 2_000));
    }
}

pub fn now() -> u32 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as u32
}

impl Worker {
    fn read(mut resp: ureq::http::Response<ureq::Body>) -> Resp {
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    v.to_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        Resp {
            status: resp.status().as_u16(),
            headers,
            body: resp
                .body_mut()
                .with_config()
                .limit(10 << 20)
                .read_to_string()
                .unwrap_or_default(),
        }
    }

    /// Sends a request with optional headers and body.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Resp {
        let url = format!("{}{path}", self.base);
        let mut req = ureq::http::Request::builder().method(method).uri(&url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = match body {
            Some(b) => self.agent.run(req.body(b.to_owned()).unwrap()),
            None => self.agent.run(req.body(()).unwrap()),
        };
        Self::read(resp.unwrap_or_else(|e| panic!("{method} {path}: {e}")))
    }

    /// Sends a request with a binary body and reads the response's bytes (status, headers,
    /// body): for uploads and the images served back.
    pub fn send_bytes(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let url = format!("{}{path}", self.base);
        let mut req = ureq::http::Request::builder().method(method).uri(&url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = match body {
            Some(b) => self.agent.run(req.body(b).unwrap()),
            None => self.agent.run(req.body(()).unwrap()),
        };
        let mut resp = resp.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    v.to_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let status = resp.status().as_u16();
        let bytes = resp
            .body_mut()
            .with_config()
            .limit(10 << 20)
            .read_to_vec()
            .unwrap_or_default();
        (status, headers, bytes)
    }

    pub fn get(&self, path: &str, cookie: Option<&str>) -> Resp {
        match cookie {
            Some(c) => self.send("GET", path, &[("cookie", c)], None),
            None => self.send("GET", path, &[], None),
        }
    }

    pub fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Resp {
        self.post_form_as(path, None, form)
    }

    /// Posts a form with the browser's cookie, if it has one.
    pub fn post_form_as(&self, path: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Resp {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let mut headers = vec![("content-type", "application/x-www-form-urlencoded")];
        if let Some(c) = cookie {
            headers.push(("cookie", c));
        }
        self.send("POST", path, &headers, Some(&body))
    }

    pub fn json_as(&self, method: &str, path: &str, key: &str, body: &Value) -> Resp {
        let auth = format!("Bearer {key}");
        let body = body.to_string();
        self.send(
            method,
            path,
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            Some(&body),
        )
    }

    pub fn admin(&self, method: &str, path: &str, body: Option<&Value>) -> Resp {
        let auth = format!("Bearer {}", self.admin);
        match body {
            Some(b) => self.send(
                method,
                path,
                &[
                    ("authorization", &auth),
                    ("content-type", "application/json"),
                ],
                Some(&b.to_string()),
            ),
            None => self.send(method, path, &[("authorization", &auth)], None),
        }
    }

    /// Creates a merchant with one location; `program` overrides the default program.
    pub fn merchant(&self, program: Value) -> Merchant {
        self.create_merchant(&json!({
            "name": "Test Café",
            "currency": { "code": "PLN", "minor_units": 2 },
            "locations": ["Main"],
            "program": program,
        }))
    }

    /// Creates a merchant in `time_zone` with one location and `program`.
    pub fn merchant_in(&self, time_zone: &str, program: Value) -> Merchant {
        self.create_merchant(&json!({
            "name": "Test Café",
            "currency": { "code": "PLN", "minor_units": 2 },
            "time_zone": time_zone,
            "locations": ["Main"],
            "program": program,
        }))
    }

    fn create_merchant(&self, body: &Value) -> Merchant {
        let resp = self.admin("POST", "/admin/v1/merchants", Some(body));
        assert_eq!(resp.status, 201, "{}", resp.body);
        let body = resp.json();
        Merchant {
            id: MerchantId::parse(body["merchant_id"].as_str().unwrap()).unwrap(),
            key: body["api_key"].as_str().unwrap().to_owned(),
        }
    }
}

/// A merchant made for one test. When it goes out of scope at the end of a test that has not
/// failed already, every balance of its members is checked against their ledger and lots (the
/// admin audit), and a mismatch fails the test, naming the merchant and the members.
pub struct Merchant {
    pub id: MerchantId,
    pub key: String,
}

impl Drop for Merchant {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        if let Some(problem) = ledger_problem(&self.id.to_string(), &self.audit()) {
            panic!("{problem}");
        }
    }
}

/// Describes what the admin `audit` of `merchant` found wrong with its balances, if anything.
pub fn ledger_problem(merchant: &str, audit: &Value) -> Option<String> {
    let count = audit["mismatched_balances"].as_i64();
    if count == Some(0) {
        return None;
    }
    let members: Vec<String> = audit["mismatched_members"]
        .as_array()
        .map(|rows| rows.iter().map(|row| row.to_string()).collect())
        .unwrap_or_default();
    Some(format!(
        "merchant {merchant}: {} member(s) whose balance differs from their ledger or lots \
         (balance vs ledger_* and lot_*):\n  {}",
        count.map_or_else(|| format!("?? (audit: {audit})"), |n| n.to_string()),
        members.join("\n  ")
    ))
}

/// What a test token should say; `Default` is a fresh 120-second purchase of 12.50 at location 1.
pub struct Sign {
    pub kind: ScanKind,
    pub kid: u8,
    pub location: u8,
    pub issued_at: u32,
    pub lifetime: Lifetime,
    pub merchant: Option<MerchantId>,
}

impl Default for Sign {
    fn default() -> Self {
        Sign {
            kind: ScanKind::Purchase { amount_minor: 1250 },
            kid: 1,
            location: 1,
            issued_at: now(),
            lifetime: Lifetime::seconds(120).unwrap(),
            merchant: None,
        }
    }
}

impl Merchant {
    /// Signs a token for this merchant with its key `s.kid` (or names `s.merchant` in it instead).
    pub fn token(&self, s: Sign) -> String {
        let mut nonce = [0u8; 12];
        getrandom::getrandom(&mut nonce).unwrap();
        ScanToken {
            kid: s.kid,
            merchant: s.merchant.unwrap_or(self.id),
            location: s.location,
            kind: s.kind,
            issued_at: s.issued_at,
            lifetime: s.lifetime,
            nonce,
        }
        .sign(&worker().master.scan_key(self.id, s.kid))
    }

    /// Returns a visit token, as printed on a poster.
    pub fn poster(&self) -> String {
        self.token(Sign {
            kind: ScanKind::Visit,
            lifetime: Lifetime::hours(24).unwrap(),
            ..Sign::default()
        })
    }

    /// Opens the scan link without a card, fills in the join form, and returns the response.
    pub fn join(&self, token: &str, name: &str) -> Resp {
        let form = worker().get(&format!("/s/{token}"), None);
        assert_eq!(form.status, 200, "{}", form.body);
        let ticket = ticket_of(&form.body);
        worker().post_form(
            &format!("/s/{token}"),
            &[
                ("ticket", &ticket),
                ("name", name),
                ("marketing_consent", "yes"),
            ],
        )
    }

    /// Joins through a first scan and returns the member's cookie.
    pub fn member(&self) -> String {
        let resp = self.join(&self.token(Sign::default()), "Ola");
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.cookie().expect("a member cookie")
    }

    /// Returns the member id inside a cookie.
    pub fn member_id(cookie: &str) -> String {
        cookie
            .split_once('=')
            .unwrap()
            .1
            .split('.')
            .next()
            .unwrap()
            .to_owned()
    }

    /// Turns messaging on with an endpoint nobody listens on (messages are queued, and their
    /// deliveries fail), welcomes and visit news muted: for tests that look at what is queued.
    pub fn messaging_to_nowhere(&self) {
        let resp = worker().json_as(
            "PUT",
            "/api/v1/messaging",
            &self.key,
            &json!({
                "endpoint_url": "http://127.0.0.1:9/nowhere",
                "muted": ["welcome", "balance_update", "milestone"],
            }),
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
    }

    /// Scans `n` fresh purchase tokens for the member behind `cookie` at the same instant, and
    /// asserts each was credited.
    pub fn purchases_at_once(&self, cookie: &str, n: usize) {
        let tokens: Vec<String> = (0..n).map(|_| self.token(Sign::default())).collect();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let statuses = concurrently(n, || {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            worker()
                .get(&format!("/s/{}", tokens[i]), Some(cookie))
                .status
        });
        assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    }

    /// Reads a member through the merchant API.
    pub fn read_member(&self, cookie: &str) -> Value {
        let auth = format!("Bearer {}", self.key);
        let resp = worker().send(
            "GET",
            &format!("/api/v1/members/{}", Self::member_id(cookie)),
            &[("authorization", &auth)],
            None,
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.json()
    }

    /// Returns the merchant's row counts and ledger mismatches.
    pub fn audit(&self) -> Value {
        let resp = worker().admin(
            "GET",
            &format!("/admin/v1/merchants/{}/audit", self.id),
            None,
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        resp.json()
    }

    /// Asserts every member's balance equals the sum of their ledger entries; call at each test's end.
    pub fn assert_ledger_consistent(&self) {
        let audit = self.audit();
        assert_eq!(audit["mismatched_balances"], 0, "{audit}");
        assert_eq!(audit["scans"], audit["earn_entries"], "{audit}");
    }

    /// Writes a cookie this merchant's Worker would accept for `member`.
    pub fn cookie_for(&self, member: &MemberId) -> String {
        let value = session::member_cookie(&worker().master.session_key(), self.id, member);
        format!("{}={value}", session::cookie_name(self.id))
    }
}

#[test]
fn a_ledger_mismatch_is_reported_with_the_merchant_and_its_members() {
    let clean = json!({ "mismatched_balances": 0, "mismatched_members": [] });
    assert_eq!(ledger_problem("m1", &clean), None);
    let off = json!({ "mismatched_balances": 1, "mismatched_members": [
        { "member_id": "abc", "points": 35, "ledger_points": 30, "lot_points": 30 } ] });
    let problem = ledger_problem("m1", &off).expect("a mismatch is a problem");
    assert!(problem.contains("merchant m1: 1 member(s)"), "{problem}");
    assert!(problem.contains(r#""member_id":"abc""#), "{problem}");
    // An audit that does not say (a changed endpoint) is a problem, not a pass.
    assert!(ledger_problem("m1", &json!({})).is_some());
}

/// Pulls the enrolment ticket out of a join form.
pub fn ticket_of(page: &str) -> String {
    let start = page
        .find(r#"name="ticket" value=""#)
        .expect("a join form with a ticket")
        + 21;
    page[start..].split('"').next().unwrap().to_owned()
}

/// Runs `f` on `n` threads released at the same instant, returning each result.
pub fn concurrently<T: Send>(n: usize, f: impl Fn() -> T + Sync) -> Vec<T> {
    let barrier = std::sync::Barrier::new(n);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|_| {
                s.spawn(|| {
                    barrier.wait();
                    f()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}
