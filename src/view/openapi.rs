//! The OpenAPI 3.1 description of the HTTP API, served at `/openapi.json`. `ROUTES` lists every
//! route the router answers; a test reads the router's source and holds the two to each other.

use serde_json::{json, Map, Value};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    None,
    /// A member cookie (the phone).
    Member,
    /// Merchant API keys with one of these scopes.
    Key(&'static [&'static str]),
    /// The operator's admin secret.
    Admin,
    /// The staff screen's session cookie (signed in with a counter or owner key).
    Staff,
    /// The dashboard's session cookie (signed in with an owner or read key).
    Dashboard,
    /// A Standard Webhooks signature.
    Webhook,
}

/// One route: method, path (OpenAPI templating), tag, summary, who may call it, and whether it
/// takes (or requires) an Idempotency-Key.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    pub auth: Auth,
    pub idempotency: Idem,
}

/// Idempotency-Key support.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idem {
    No,
    Optional,
    Required,
}

const ALL: &[&str] = &["owner", "counter", "read"];
const OWNER: &[&str] = &["owner"];
const STAFF: &[&str] = &["owner", "counter"];
const REPORTS: &[&str] = &["owner", "read"];

macro_rules! route {
    ($m:literal $p:literal, $tag:literal, $auth:expr, $idem:ident, $summary:literal) => {
        Route {
            method: $m,
            path: $p,
            tag: $tag,
            summary: $summary,
            auth: $auth,
            idempotency: Idem::$idem,
        }
    };
}

/// Every route of the Worker.
pub const ROUTES: &[Route] = &[
    route!("get" "/health", "operations", Auth::None, No, "Liveness"),
    route!("get" "/openapi.json", "operations", Auth::None, No, "This document"),
    route!("get" "/s/{token}", "phone", Auth::Member, No, "Scan: verify the token and credit once, or show the join form"),
    route!("post" "/s/{token}", "phone", Auth::None, No, "Join (signed form ticket) and credit that same scan"),
    route!("get" "/c/{merchant}", "phone", Auth::Member, No, "The member's card"),
    route!("get" "/c/{merchant}/manifest.webmanifest", "phone", Auth::None, No, "The card's web app manifest (add to home screen)"),
    route!("get" "/c/{merchant}/icon.svg", "phone", Auth::None, No, "The card's home-screen icon"),
    route!("get" "/c/{merchant}/sw.js", "phone", Auth::None, No, "The card's service worker: shows pushed messages, reports taps, opens the card"),
    route!("post" "/c/{merchant}/push", "phone", Auth::Member, No, "Store this device's push subscription (JSON from the card's script; known push services only)"),
    route!("post" "/c/{merchant}/push/off", "phone", Auth::Member, No, "Turn notifications off on every device of the member (form)"),
    route!("get" "/u/{merchant}/{token}", "phone", Auth::None, No, "An unsubscribe link: the state of offers on that channel and one button (opening changes nothing)"),
    route!("post" "/u/{merchant}/{token}", "phone", Auth::None, No, "One-click unsubscribe (RFC 8058, List-Unsubscribe=One-Click) or the page's button (action=off|on); audited"),
    route!("get" "/m/{merchant}/o/{token}", "phone", Auth::None, No, "An email's open pixel (records the first open)"),
    route!("get" "/m/{merchant}/c/{token}", "phone", Auth::None, No, "A signed link in an email: records the click and goes on to our page"),
    route!("post" "/m/{merchant}/p/{token}", "phone", Auth::None, No, "The service worker reports a tap on a notification"),
    route!("get" "/c/{merchant}/history", "phone", Auth::Member, No, "The member's whole history with reasons, and upcoming expiries"),
    route!("get" "/c/{merchant}/me", "phone", Auth::Member, No, "The member's consent, preferences, data copy and erasure"),
    route!("post" "/c/{merchant}/me/preferences", "phone", Auth::Member, No, "Change consent, channel and language (form; audited)"),
    route!("get" "/c/{merchant}/me/export", "phone", Auth::Member, No, "Everything held about the member, as a JSON file"),
    route!("post" "/c/{merchant}/me/erase", "phone", Auth::Member, No, "Erase the member (confirmed on the form); the anonymous ledger stays"),
    route!("post" "/c/{merchant}/rewards/{reward}", "phone", Auth::Member, No, "Redeem: hold the points and show a short-lived code"),
    route!("get" "/c/{merchant}/redemptions/{id}", "phone", Auth::Member, No, "The redemption code, its QR and countdown"),
    route!("get" "/r/{code}", "phone", Auth::Member, No, "A member's invitation: the offer and the join form"),
    route!("post" "/r/{code}", "phone", Auth::None, No, "Join through an invitation (signed form ticket); the referral is judged in the same batch"),
    route!("get" "/signup", "console", Auth::None, No, "The console's sign-up form (closed unless the operator sets SIGNUP=open or invite)"),
    route!("post" "/signup", "console", Auth::None, No, "Sign up: the merchant, its owner and a console session (form)"),
    route!("get" "/signin", "console", Auth::None, No, "The console's sign-in form"),
    route!("post" "/signin", "console", Auth::None, No, "Sign in with email and password (form); sets the console session cookie"),
    route!("post" "/signin/passkey", "console", Auth::None, No, "Sign in with a passkey's answer to the sign-in page's challenge (form, WebAuthn ES256); sets the console session cookie"),
    route!("get" "/invite/{secret}", "console", Auth::None, No, "An invitation to a merchant's console: who invites whom, and the form to accept"),
    route!("post" "/invite/{secret}", "console", Auth::None, No, "Accept an invitation once (form: a name and a password, or the person's own password)"),
    route!("get" "/reset/{secret}", "console", Auth::None, No, "A password reset link: whose password it sets, and the form"),
    route!("post" "/reset/{secret}", "console", Auth::None, No, "Set a new password once (form); ends every session of the person and signs them in"),
    route!("get" "/dashboard", "dashboard", Auth::Dashboard, No, "The dashboard: KPIs with definitions and samples, charts, segments, channels, referrals, sequences, campaigns (or its sign-in form)"),
    route!("post" "/dashboard/sign-in", "dashboard", Auth::None, No, "Sign in with an owner or read key (form); sets the dashboard cookie"),
    route!("post" "/dashboard/sign-out", "dashboard", Auth::Dashboard, No, "Sign the dashboard out"),
    route!("get" "/dashboard/members", "dashboard", Auth::Dashboard, No, "Find a member by email, phone, member code or name"),
    route!("get" "/dashboard/members/{member}", "dashboard", Auth::Dashboard, No, "A member's balance explained, entry by entry"),
    route!("post" "/dashboard/referrals/{id}/approve", "dashboard", Auth::Dashboard, No, "Approve a held referral (owner keys)"),
    route!("post" "/dashboard/referrals/{id}/reject", "dashboard", Auth::Dashboard, No, "Reject a held referral (owner keys)"),
    route!("get" "/dashboard/program", "dashboard", Auth::Dashboard, No, "The program settings form"),
    route!("post" "/dashboard/program", "dashboard", Auth::Dashboard, No, "Store the edited program as a new version (owner keys)"),
    route!("get" "/staff", "staff", Auth::Staff, No, "The counter screen (or its sign-in form)"),
    route!("post" "/staff/sign-in", "staff", Auth::None, No, "Sign a screen in with a counter or owner key (form); sets the staff cookie"),
    route!("post" "/staff/sign-out", "staff", Auth::Staff, No, "Sign the screen out"),
    route!("post" "/staff/sale", "staff", Auth::Staff, No, "Start a sale: amount and location (form)"),
    route!("get" "/staff/sale", "staff", Auth::Staff, No, "A sale's QR code, renewed before it expires; says when it was collected"),
    route!("post" "/staff/confirm", "staff", Auth::Staff, No, "Confirm a redemption code (form)"),
    route!("get" "/staff/pair", "staff", Auth::None, No, "The form that pairs this tablet as a till with a code from the console (?code= fills it in)"),
    route!("post" "/staff/pair", "staff", Auth::None, No, "Pair this tablet as a till: a one-time code from the console (form); sets the till cookie"),
    route!("post" "/staff/pin", "staff", Auth::Staff, No, "Sign a person in at a paired till with their PIN (form); five wrong PINs lock them there for 15 minutes"),
    route!("post" "/staff/lock", "staff", Auth::Staff, No, "Sign the person at this till out (the till stays paired)"),
    route!("get" "/staff/poster/{location}", "staff", Auth::Staff, No, "A location's printable poster with its visit QR code"),
    route!("get" "/files/{merchant}/{file}", "phone", Auth::None, No, "An uploaded image (a logo), named by its SHA-256, with its type, nosniff and a year's immutable cache"),
    route!("post" "/api/v1/scan-tokens", "counter", Auth::Key(STAFF), Optional, "Sign a scan token for a sale or a poster"),
    route!("get" "/api/v1/scan-key", "counter", Auth::Key(OWNER), No, "The key to sign scan tokens offline"),
    route!("get" "/api/v1/program", "program", Auth::Key(ALL), No, "The program in force, with its version"),
    route!("put" "/api/v1/program", "program", Auth::Key(OWNER), Optional, "Store a new program version"),
    route!("get" "/api/v1/sequences", "program", Auth::Key(ALL), No, "The program's sequences and what each has given or skipped"),
    route!("get" "/api/v1/members", "members", Auth::Key(ALL), No, "Search members (email, phone, member code, name) a page at a time"),
    route!("get" "/api/v1/members/{member}", "members", Auth::Key(ALL), No, "A member with their latest ledger entries"),
    route!("get" "/api/v1/members/{member}/ledger", "members", Auth::Key(ALL), No, "The balance explained"),
    route!("post" "/api/v1/members/{member}/adjustments", "members", Auth::Key(OWNER), Required, "Adjust points or stamps, with a reason (audited)"),
    route!("get" "/api/v1/members/{member}/export", "members", Auth::Key(OWNER), No, "Everything held about a member (GDPR)"),
    route!("post" "/api/v1/members/{member}/erase", "members", Auth::Key(OWNER), Required, "Erase a member's personal data (GDPR)"),
    route!("post" "/api/v1/members/{member}/cashback-spends", "members", Auth::Key(STAFF), Required, "Spend cashback at the till"),
    route!("post" "/api/v1/members/{member}/redemptions", "redemptions", Auth::Key(STAFF), Required, "Redeem a reward directly"),
    route!("post" "/api/v1/scans/{scan}/reverse", "members", Auth::Key(OWNER), Required, "Reverse what a scan earned, once"),
    route!("get" "/api/v1/rewards", "rewards", Auth::Key(ALL), No, "The rewards catalog"),
    route!("post" "/api/v1/rewards", "rewards", Auth::Key(OWNER), Optional, "Add a reward"),
    route!("put" "/api/v1/rewards/{id}", "rewards", Auth::Key(OWNER), Optional, "Replace a reward"),
    route!("post" "/api/v1/redemptions/confirm", "redemptions", Auth::Key(STAFF), Optional, "Confirm a code shown on a phone"),
    route!("post" "/api/v1/redemptions/{id}/cancel", "redemptions", Auth::Key(STAFF), Optional, "Cancel a confirmed redemption within the window"),
    route!("post" "/webhooks/v1/{merchant}", "webhooks", Auth::Webhook, No, "POS events: purchase.completed, purchase.refunded, test.ping"),
    route!("get" "/api/v1/webhook-secrets", "webhooks", Auth::Key(OWNER), No, "The whsec_ secrets a POS signs with"),
    route!("post" "/api/v1/webhook-secrets", "webhooks", Auth::Key(OWNER), No, "Add a webhook secret (the previous one stays valid)"),
    route!("get" "/api/v1/keys", "keys", Auth::Key(OWNER), No, "List API keys (never their secrets)"),
    route!("post" "/api/v1/keys", "keys", Auth::Key(OWNER), Optional, "Make an API key (shown once)"),
    route!("delete" "/api/v1/keys/{id}", "keys", Auth::Key(OWNER), No, "Revoke an API key"),
    route!("post" "/api/v1/keys/{id}/rotate", "keys", Auth::Key(OWNER), No, "Rotate an API key: a new secret, the old one revoked"),
    route!("get" "/api/v1/merchant", "program", Auth::Key(ALL), No, "The merchant's profile and locations"),
    route!("patch" "/api/v1/merchant", "program", Auth::Key(OWNER), Optional, "Change the name, branding or time zone"),
    route!("post" "/api/v1/locations", "program", Auth::Key(OWNER), Optional, "Add a location"),
    route!("put" "/api/v1/locations/{number}", "program", Auth::Key(OWNER), Optional, "Rename a location"),
    route!("get" "/api/v1/referrals", "referrals", Auth::Key(ALL), No, "Referrals newest first; ?decision=held is the review list, each with its reason"),
    route!("get" "/api/v1/referrals/stats", "referrals", Auth::Key(ALL), No, "Links opened, friends joined, converted, rewarded, blocked, held"),
    route!("post" "/api/v1/referrals/{id}/approve", "referrals", Auth::Key(OWNER), No, "Approve a held referral (paid at once if its purchase is final)"),
    route!("post" "/api/v1/referrals/{id}/reject", "referrals", Auth::Key(OWNER), No, "Reject a held referral"),
    route!("get" "/api/v1/audit-log", "members", Auth::Key(OWNER), No, "Who changed what by hand"),
    route!("get" "/api/v1/metrics", "metrics", Auth::Key(REPORTS), No, "Nightly KPIs per local day (?from=&to=, YYYY-MM-DD, at most 366 days), each with its counts, rates and definitions"),
    route!("get" "/api/v1/metrics/channels", "metrics", Auth::Key(REPORTS), No, "Scans, enrolments and conversions per channel over ?from=&to="),
    route!("get" "/api/v1/segments", "metrics", Auth::Key(REPORTS), No, "RFM cut points and segment sizes of the last scoring, and sizes over ?from=&to="),
    route!("get" "/api/v1/segments/{segment}/members", "metrics", Auth::Key(REPORTS), No, "Members of a segment with their RFM scores (?limit=&cursor=)"),
    route!("get" "/api/v1/messaging", "messages", Auth::Key(OWNER), No, "Messaging settings, the whsec_ secret outgoing messages are signed with, variables and default templates (en, pl)"),
    route!("put" "/api/v1/messaging", "messages", Auth::Key(OWNER), Optional, "Set the endpoint, language, quiet hours, marketing cap, muted kinds and templates"),
    route!("get" "/api/v1/messages", "messages", Auth::Key(REPORTS), No, "Messages newest first; ?status=dead lists failures (?limit=&cursor=)"),
    route!("get" "/api/v1/messages/{id}", "messages", Auth::Key(REPORTS), No, "One message with its delivery log (attempts, HTTP status, latency, error)"),
    route!("post" "/api/v1/messages/{id}/resend", "messages", Auth::Key(OWNER), Optional, "Send a dead or suppressed message again (a new three-day horizon)"),
    route!("patch" "/api/v1/members/{member}/preferences", "members", Auth::Key(STAFF), Optional, "Marketing consent, preferred channel and language (audited)"),
    route!("get" "/api/v1/campaigns", "messages", Auth::Key(REPORTS), No, "Campaigns newest first"),
    route!("post" "/api/v1/campaigns", "messages", Auth::Key(OWNER), Optional, "A draft campaign: segment, variants, holdout_percent, window_days, and send_at (Unix ms) to go by itself"),
    route!("get" "/api/v1/campaigns/{id}", "messages", Auth::Key(REPORTS), No, "A campaign with conversion per arm, lift against the holdout and its 95% interval"),
    route!("post" "/api/v1/campaigns/{id}/launch", "messages", Auth::Key(OWNER), Optional, "Assign members to arms (deterministic) and queue the variants' messages, once"),
    route!("post" "/admin/v1/merchants", "operator", Auth::Admin, No, "Create a merchant and its owner key"),
    route!("get" "/admin/v1/merchants/{merchant}/audit", "operator", Auth::Admin, No, "Row counts and ledger mismatches"),
    route!("post" "/admin/v1/password-resets", "operator", Auth::Admin, No, "A one-hour password reset link for a person ({email}), voiding their older ones, with the message that carries it in their language"),
    route!("post" "/admin/v1/signup-codes", "operator", Auth::Admin, No, "A one-time sign-up code for SIGNUP=invite ({note, valid_days}: 1 to 90, default 14), shown once"),
    route!("get" "/admin/v1/jobs", "operator", Auth::Admin, No, "Latest cron runs"),
    route!("post" "/admin/v1/merchants/{merchant}/deliveries", "operator", Auth::Admin, No, "Deliver a merchant's due messages now (now on test deployments)"),
    route!("post" "/admin/v1/merchants/{merchant}/people", "operator", Auth::Admin, No, "Add a person (owner, manager or staff) who signs in to the merchant's console ({email, name, role, language, password})"),
    route!("post" "/admin/v1/merchants/{merchant}/rollups", "operator", Auth::Admin, No, "Roll a merchant's due days up and score its members now ({budget, chunk}; now on test deployments)"),
];

/// The form posts that answer 303 See Other with the next page of this origin in `Location`.
const REDIRECTS: &[(&str, &str)] = &[
    ("post", "/signup"),
    ("post", "/signin"),
    ("post", "/signin/passkey"),
    ("post", "/invite/{secret}"),
    ("post", "/reset/{secret}"),
    ("post", "/c/{merchant}/me/preferences"),
    ("post", "/c/{merchant}/rewards/{reward}"),
    ("post", "/c/{merchant}/push/off"),
    ("post", "/u/{merchant}/{token}"),
    ("get", "/m/{merchant}/c/{token}"),
    ("post", "/r/{code}"),
    ("post", "/dashboard/sign-in"),
    ("post", "/dashboard/sign-out"),
    ("post", "/dashboard/referrals/{id}/approve"),
    ("post", "/dashboard/referrals/{id}/reject"),
    ("post", "/staff/sign-in"),
    ("post", "/staff/sign-out"),
    ("post", "/staff/sale"),
    ("post", "/staff/pair"),
    ("post", "/staff/pin"),
    ("post", "/staff/lock"),
];

/// Tells whether `path` belongs to the API, whose problems are `application/problem+json`; every
/// other path is a page for a person, whose problems are HTML error pages showing the same code.
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/admin/") || path.starts_with("/webhooks/")
}

/// What a route answers on success, by media type.
fn success_content(r: &Route) -> Value {
    let object = json!({ "schema": { "type": "object" } });
    match r.path {
        "/health" => json!({ "application/json": { "schema": {
            "type": "object", "required": ["status"], "properties": { "status": { "const": "ok" } } } } }),
        "/c/{merchant}/manifest.webmanifest" => json!({ "application/manifest+json": object }),
        "/c/{merchant}/icon.svg" => json!({ "image/svg+xml": { "schema": { "type": "string" } } }),
        "/c/{merchant}/sw.js" => json!({ "text/javascript": { "schema": { "type": "string" } } }),
        "/c/{merchant}/push" => json!({ "application/json": object }),
        "/m/{merchant}/o/{token}" => json!({ "image/gif": { "schema": { "type": "string" } } }),
        "/m/{merchant}/p/{token}" => json!({}),
        // The one-click POST answers plain text; the page's button, a redirect to the page.
        "/u/{merchant}/{token}" if r.method == "post" => {
            json!({ "text/plain": { "schema": { "type": "string" } } })
        }
        "/files/{merchant}/{file}" => {
            let bytes = json!({ "schema": { "type": "string", "contentEncoding": "binary" } });
            json!({ "image/png": bytes, "image/jpeg": bytes, "image/webp": bytes })
        }
        // Without the member's cookie: the page that offers to join instead of the file.
        "/c/{merchant}/me/export" => {
            json!({ "application/json": object, "text/html": { "schema": { "type": "string" } } })
        }
        p if p == "/openapi.json" || is_api_path(p) => json!({ "application/json": object }),
        _ => json!({ "text/html": { "schema": { "type": "string" } } }),
    }
}

/// Every status a route may answer, with its media types: success, a redirect after some form
/// posts, and problems (JSON on the API, HTML error pages elsewhere). Nothing answers 5XX by design.
fn responses(r: &Route) -> Value {
    let mut out = Map::new();
    out.insert(
        "2XX".into(),
        json!({ "description": "Success", "content": success_content(r) }),
    );
    if REDIRECTS.contains(&(r.method, r.path)) {
        out.insert(
            "303".into(),
            json!({ "description": "See Other: the next page",
            "headers": { "Location": { "required": true, "schema": { "type": "string" } } } }),
        );
    }
    let problem = if r.path == "/files/{merchant}/{file}" {
        json!({ "description": "No such file (plain text)",
                "content": { "text/plain": { "schema": { "type": "string" } } } })
    } else if is_api_path(r.path) {
        json!({ "description": "A problem: stable `code`, human `detail` (RFC 9457)",
                "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } })
    } else {
        json!({ "description": "An error page for a person, showing the stable code",
                "content": { "text/html": { "schema": { "type": "string" } } } })
    };
    out.insert("4XX".into(), problem);
    Value::Object(out)
}

/// The JSON bodies the API reads, for the routes where a fuzzer reaching past the shape check
/// matters most (money and points move there); every other body is described in docs/api.md.
fn json_body(r: &Route) -> Option<Value> {
    let text = json!({ "type": "string" });
    let int = json!({ "type": "integer" });
    let (props, required) = match (r.method, r.path) {
        ("post", "/api/v1/members/{member}/adjustments") => (
            json!({ "points": int, "stamps": int, "reason": text }),
            json!(["reason"]),
        ),
        ("post", "/api/v1/members/{member}/cashback-spends") => (
            json!({ "amount_minor": int, "reference": text }),
            json!(["amount_minor", "reference"]),
        ),
        ("post", "/api/v1/members/{member}/redemptions") => {
            (json!({ "reward_id": text }), json!(["reward_id"]))
        }
        ("post", "/api/v1/members/{member}/erase" | "/api/v1/scans/{scan}/reverse") => {
            (json!({ "reason": text }), json!(["reason"]))
        }
        ("post", "/api/v1/redemptions/confirm") => (json!({ "code": text }), json!(["code"])),
        ("post", "/api/v1/redemptions/{id}/cancel") => (json!({ "reason": text }), json!([])),
        ("post", "/api/v1/scan-tokens") => (
            json!({ "location": { "type": "integer", "minimum": 0, "maximum": 255 },
                    "kind": { "enum": ["visit", "purchase", "points", "stamps"] },
                    "value": { "type": "integer", "minimum": 0, "maximum": 4_294_967_295_u64 },
                    "ttl_secs": { "type": "integer", "minimum": 0, "maximum": 4_294_967_295_u64 } }),
            json!(["location", "kind"]),
        ),
        ("post", "/api/v1/keys") => (
            json!({ "scope": { "enum": ["owner", "counter", "read"] }, "name": text,
                    "location": { "type": "integer", "minimum": 0, "maximum": 255 } }),
            json!(["scope", "name"]),
        ),
        _ => return None,
    };
    Some(json!({ "type": "object", "properties": props, "required": required }))
}

fn operation(r: &Route) -> Value {
    let mut params: Vec<Value> = r
        .path
        .split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
        .collect();
    if r.idempotency != Idem::No {
        params.push(json!({
            "name": "Idempotency-Key", "in": "header", "required": r.idempotency == Idem::Required,
            "schema": { "type": "string", "minLength": 1, "maxLength": 255 },
            "description": "Same key and body: the stored response again; another body: 422; still running: 409.",
        }));
    }
    let security = match r.auth {
        Auth::Key(scopes) => json!([{ "apiKey": scopes }]),
        Auth::Admin => json!([{ "admin": [] }]),
        Auth::Member => json!([{ "memberCookie": [] }, {}]),
        Auth::Staff => json!([{ "staffCookie": [] }]),
        Auth::Dashboard => json!([{ "dashboardCookie": [] }]),
        Auth::Webhook => json!([{ "webhookSignature": [] }]),
        Auth::None => json!([]),
    };
    let mut op = json!({
        "tags": [r.tag],
        "summary": r.summary,
        "operationId": format!("{}{}", r.method, r.path.replace(['/', '{', '}', '-', '.'], "_")),
        "parameters": params,
        "security": security,
        "responses": responses(r),
    });
    let body = match json_body(r) {
        Some(schema) => Some(json!({ "required": true, "content": {
            "application/json": { "schema": schema } } })),
        None if matches!(r.method, "post" | "put") => Some(json!({ "required": false, "content": {
            "application/json": { "schema": { "type": "object" } },
            "application/x-www-form-urlencoded": { "schema": { "type": "object" } } } })),
        None => None,
    };
    if let (Some(body), Some(o)) = (body, op.as_object_mut()) {
        o.insert("requestBody".into(), body);
    }
    op
}

/// Builds the document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for r in ROUTES {
        let entry = paths.entry(r.path).or_insert_with(|| json!({}));
        if let Some(o) = entry.as_object_mut() {
            o.insert(r.method.into(), operation(r));
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "loyalty-edge",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "A loyalty engine for small shops at the edge. Request and response bodies are described in docs/api.md and docs/scan-token.md.",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "apiKey": { "type": "http", "scheme": "bearer", "description": "A merchant API key `lek_...`; its scope (owner, counter, read) is listed per operation." },
                "admin": { "type": "http", "scheme": "bearer", "description": "The operator's ADMIN_SECRET." },
                "memberCookie": { "type": "apiKey", "in": "cookie", "name": "le_{merchant}" },
                "staffCookie": { "type": "apiKey", "in": "cookie", "name": "le_staff" },
                "dashboardCookie": { "type": "apiKey", "in": "cookie", "name": "le_dash" },
                "webhookSignature": { "type": "apiKey", "in": "header", "name": "webhook-signature", "description": "Standard Webhooks: v1,<base64 HMAC-SHA256 of id.timestamp.body> with the merchant's whsec_ secret." },
            },
            "schemas": {
                "Problem": { "type": "object", "required": ["type", "title", "status", "code", "detail"],
                  "properties": { "type": { "type": "string" }, "title": { "type": "string" },
                    "status": { "type": "integer" }, "code": { "type": "string" },
                    "detail": { "type": "string" }, "request_id": { "type": "string" } } },
            },
        },
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::expect_used)]

    use std::collections::BTreeSet;

    use super::*;

    /// Reads (method, path) pairs out of the router's match arms, in the router's own source.
    fn router_routes() -> BTreeSet<(String, String)> {
        let src = include_str!("../shell/routes/mod.rs");
        let start = src
            .find("match segments.as_slice() {")
            .expect("the route table");
        let end = src
            .find("_ => Err(AppError::NotFound)")
            .expect("the fallback arm");
        let table = src[start..end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let mut found = BTreeSet::new();
        for arm in table.split(" [").skip(1) {
            let (pattern, body) = arm.split_once("] =>").expect("an arm");
            let path: String = pattern
                .split(',')
                .map(|s| {
                    let s = s.trim();
                    match s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                        Some(lit) => lit.to_owned(),
                        None => format!("{{{s}}}"),
                    }
                })
                .map(|seg| format!("/{seg}"))
                .collect();
            // Up to the next arm: `only(m, Get, ...)` or `Get => ...` inside a method match.
            for method in ["Get", "Post", "Put", "Patch", "Delete"] {
                if body.contains(&format!(", {method},")) || body.contains(&format!("{method} =>"))
                {
                    found.insert((method.to_lowercase(), path.clone()));
                }
            }
        }
        found
    }

    #[test]
    fn every_routed_path_is_documented_and_every_documented_path_is_routed() {
        let routed = router_routes();
        // GET /health and GET /openapi.json are answered before the route table.
        let documented: BTreeSet<_> = ROUTES
            .iter()
            .filter(|r| !matches!(r.path, "/health" | "/openapi.json"))
            .map(|r| (r.method.to_owned(), r.path.to_owned()))
            .collect();
        assert!(routed.len() > 25, "the router parse found {routed:?}");
        let missing: Vec<_> = routed.difference(&documented).collect();
        let stale: Vec<_> = documented.difference(&routed).collect();
        assert!(missing.is_empty(), "routed but not documented: {missing:?}");
        assert!(stale.is_empty(), "documented but not routed: {stale:?}");
    }

    #[test]
    fn the_document_is_openapi_3_1_with_every_route() {
        let doc = document();
        assert_eq!(doc["openapi"], "3.1.0");
        let ops: usize = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|p| p.as_object().unwrap().len())
            .sum();
        assert_eq!(ops, ROUTES.len());
        let adjust = &doc["paths"]["/api/v1/members/{member}/adjustments"]["post"];
        assert_eq!(adjust["security"][0]["apiKey"], json!(["owner"]));
        assert!(adjust["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "Idempotency-Key" && p["required"] == true));
        let ids: BTreeSet<_> = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|p| {
                p.as_object()
                    .unwrap()
                    .values()
                    .map(|o| o["operationId"].as_str().unwrap().to_owned())
            })
            .collect();
        assert_eq!(ids.len(), ROUTES.len(), "operation ids are unique");
    }

    #[test]
    fn each_route_declares_the_media_types_it_answers() {
        let doc = document();
        let op = |method: &str, path: &str| doc["paths"][path][method].clone();
        let problem = &op("post", "/api/v1/members/{member}/adjustments")["responses"]["4XX"];
        assert!(problem["content"]["application/problem+json"].is_object());
        let page = &op("get", "/c/{merchant}")["responses"];
        assert!(page["4XX"]["content"]["text/html"].is_object());
        assert!(page["2XX"]["content"]["text/html"].is_object());
        assert!(
            op("get", "/c/{merchant}/icon.svg")["responses"]["2XX"]["content"]["image/svg+xml"]
                .is_object()
        );
        let file = &op("get", "/files/{merchant}/{file}")["responses"];
        assert!(file["2XX"]["content"]["image/webp"].is_object());
        assert!(file["4XX"]["content"]["text/plain"].is_object());
        assert!(op("post", "/staff/sign-in")["responses"]["303"].is_object());
        assert!(op("post", "/api/v1/keys")["responses"]["303"].is_null());
        for (method, path) in REDIRECTS {
            assert!(
                ROUTES
                    .iter()
                    .any(|r| r.method == *method && r.path == *path),
                "{method} {path} redirects but is no route"
            );
        }
    }
}
