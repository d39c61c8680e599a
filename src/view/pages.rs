//! The pages a phone sees, rendered with maud (escaped by construction). Pure: callers pass in
//! everything, including `now`, so pages test natively. Small inline CSS, no JavaScript needed.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::domain::earn::{Credit, StampCard, VisitRefusal};
use crate::domain::enrol::{EnrolForm, FieldError};
use crate::domain::program::{Branding, MerchantConfig, Tone};

const CSS: &str = r#"
*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f6f4f1;color:#1d1b19}
header{background:var(--p);color:#fff;padding:18px 20px}header h1{margin:0;font-size:1.25rem}
header{display:flex;align-items:center;gap:12px}header .logo{max-height:40px;width:auto;border-radius:6px}
main{max-width:28rem;margin:0 auto;padding:16px}
.box{background:#fff;border-radius:14px;padding:18px;margin:0 0 14px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.big{font-size:2.2rem;font-weight:700;margin:.1em 0}.muted{color:#5f5a55}.ok{color:#1e6b34}.warn{color:#8a4b00}
.stamps{display:grid;grid-template-columns:repeat(auto-fill,minmax(2.4rem,1fr));gap:8px;margin:12px 0}
.stamp{aspect-ratio:1;border-radius:50%;border:2px dashed #b9b2aa}.stamp.on{background:var(--a);border:2px solid var(--a)}
.stamp.new{outline:3px solid var(--p);outline-offset:2px}
label{display:block;font-weight:600;margin:12px 0 4px}input[type=text],input[type=email],input[type=tel],input[type=date]{width:100%;padding:12px;font-size:1rem;border:1px solid #a59d95;border-radius:10px}
.check{display:flex;gap:10px;align-items:flex-start;font-weight:400}.check input{width:1.3rem;height:1.3rem;margin-top:2px}
.err{color:#a4161a;font-size:.9rem;margin:4px 0 0}select{width:100%;padding:12px;font-size:1rem;border:1px solid #a59d95;border-radius:10px;background:#fff}
button,.btn{display:block;width:100%;margin-top:18px;padding:14px;font-size:1.05rem;font-weight:700;border:0;border-radius:12px;background:var(--p);color:#fff;text-align:center;text-decoration:none}
button:focus,.btn:focus,input:focus{outline:3px solid var(--a);outline-offset:2px}
.code{font-size:3rem;font-weight:800;letter-spacing:.2em;text-align:center;margin:.2em 0;font-variant-numeric:tabular-nums}
.qr svg{display:block;width:60%;margin:0 auto}.bar{height:8px;background:#eee;border-radius:4px;overflow:hidden;margin:12px 0}
.bar span{display:block;height:100%;background:var(--p);animation:run linear forwards}@keyframes run{from{width:100%}to{width:0}}
button.small{margin:0;padding:8px 12px;font-size:.95rem;width:auto;display:inline-block}
.link{word-break:break-all;text-align:center;font-weight:600;user-select:all}
table{width:100%;border-collapse:collapse}td{padding:8px 0;border-bottom:1px solid #eee}td.n{text-align:right;font-variant-numeric:tabular-nums}
"#;

fn layout(branding: &Branding, shop: &str, title: &str, body: Markup) -> String {
    layout_with(branding, shop, title, html! {}, body)
}

/// The page frame with extra `head` content (a refresh, a manifest link, page styles).
pub(crate) fn layout_with(
    branding: &Branding,
    shop: &str,
    title: &str,
    head: Markup,
    body: Markup,
) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                meta name="theme-color" content=(branding.primary_color);
                meta name="referrer" content="no-referrer";
                title { (title) " · " (shop) }
                style {
                    ":root{--p:" (branding.primary_color) ";--a:" (branding.accent_color) "}"
                    (PreEscaped(CSS))
                }
                (head)
            }
            body {
                header {
                    @if let Some(logo) = &branding.logo_url { img class="logo" src=(logo) alt="" height="40"; }
                    h1 { (shop) }
                }
                main { (body) }
            }
        }
    }
    .into_string()
}

/// A member's state as the card and result pages show it.
#[derive(Debug, Clone)]
pub struct CardState {
    pub name: String,
    /// The member code staff can search by: the first eight characters of the member id.
    pub code: String,
    /// Spendable points (negative while a refund's debt is open).
    pub points: i64,
    /// Points waiting for the return window.
    pub pending: i64,
    pub stamps: i64,
    /// The member's level, when the program has tiers.
    pub tier: Option<TierView>,
}

/// A member's level as the card shows it.
#[derive(Debug, Clone)]
pub struct TierView {
    pub name: String,
    pub benefits: Vec<String>,
    /// Points still to earn in the window for the next level, and its name.
    pub next: Option<(i64, String)>,
}

impl TierView {
    /// The view of a member stored at `tier` with `earned` points in the window.
    pub fn of(config: &MerchantConfig, tier: i64, earned: i64) -> Option<TierView> {
        let tiers = &config.program.tiers;
        let level = tiers.level(tier)?;
        Some(TierView {
            name: level.name.clone(),
            benefits: level.benefits.clone(),
            next: tiers
                .to_next(tier, earned)
                .map(|(n, name)| (n, name.to_owned())),
        })
    }
}

/// One ledger entry as the card page lists it.
#[derive(Debug, Clone)]
pub struct EntryLine {
    pub reason: String,
    pub points: i64,
    pub stamps: i64,
    pub created_at_ms: i64,
    /// Why, in words, when the entry says (a bonus's sequence, an adjustment's reason).
    pub note: Option<String>,
}

/// How a scan ended, for the result page.
#[derive(Debug, Clone)]
pub enum ScanOutcome {
    /// Credited now.
    Credited {
        credit: Credit,
        welcome: bool,
        /// The level this scan lifted the member to.
        tier_up: Option<String>,
        /// What the merchant's sequences gave with this scan (a welcome gift, a visit bonus).
        bonus: Credit,
    },
    /// This single-use code was already credited (to this member or another).
    AlreadyUsed { by_you: bool },
    /// A poster visit inside the cooldown or over the daily cap.
    VisitRefused(VisitRefusal),
}

fn stamp_card(config: &MerchantConfig, stamps: i64, new_stamps: i64) -> Markup {
    let card = StampCard::of(&config.program, stamps);
    let first_new = card.filled - new_stamps.min(card.filled);
    html! {
        div class="stamps" role="img" aria-label={ (card.filled) " of " (card.size) " stamps" } {
            @for i in 0..card.size {
                @let class = if i < first_new { "stamp on" } else if i < card.filled { "stamp on new" } else { "stamp" };
                span class=(class) {}
            }
        }
        p {
            @if card.rewards_ready > 0 {
                strong class="ok" { (card.rewards_ready) " × " (config.program.card_reward) " ready — show this to staff. " }
            }
            (card.to_next_reward()) " more " (plural(card.to_next_reward(), "stamp", "stamps")) " to " (config.program.card_reward) "."
        }
    }
}

fn plural<'a>(n: i64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

fn balance(config: &MerchantConfig, state: &CardState, new_stamps: i64) -> Markup {
    html! {
        div class="box" {
            p class="muted" { "Points" }
            p class="big" { (state.points) }
            @if state.pending > 0 {
                p class="muted" { "+" (state.pending) " pending: spendable once the return window has passed" }
            }
            @if let Some(t) = &state.tier {
                p class="tier" { strong { (t.name) } @if !t.benefits.is_empty() { " · " (t.benefits.join(" · ")) } }
                @if let Some((n, next)) = &t.next { p class="muted" { (n) " more " (plural(*n, "point", "points")) " to " (next) } }
            }
            (stamp_card(config, state.stamps, new_stamps))
        }
    }
}

/// Renders the page after a scan.
pub fn scan_result(config: &MerchantConfig, state: &CardState, outcome: &ScanOutcome) -> String {
    let (title, new_stamps, body) = match outcome {
        ScanOutcome::Credited {
            credit,
            welcome,
            tier_up,
            bonus,
        } => (
            "Collected",
            credit.stamps + bonus.stamps,
            html! {
                div class="box" {
                    @if *welcome {
                        @match config.branding.tone {
                            Tone::Friendly => p { "Welcome, " (state.name) "! Your card is ready." },
                            Tone::Formal => p { "Welcome. Your loyalty card is ready." },
                        }
                    }
                    p class="big ok" {
                        @if credit.points > 0 { "+" (credit.points) " " (plural(credit.points, "point", "points")) " " }
                        @if credit.stamps > 0 { "+" (credit.stamps) " " (plural(credit.stamps, "stamp", "stamps")) }
                        @if credit.points == 0 && credit.stamps == 0 { "Visit recorded" }
                    }
                    @if let Some(level) = tier_up { p class="ok" { "You have reached " strong { (level) } "!" } }
                    @if bonus.points > 0 || bonus.stamps > 0 {
                        p class="ok" {
                            "And a gift from " (config.name) ": "
                            @if bonus.points > 0 { "+" (bonus.points) " " (plural(bonus.points, "point", "points")) " " }
                            @if bonus.stamps > 0 { "+" (bonus.stamps) " " (plural(bonus.stamps, "stamp", "stamps")) }
                        }
                    }
                }
            },
        ),
        ScanOutcome::AlreadyUsed { by_you } => (
            "Already collected",
            0,
            html! {
                div class="box" {
                    p class="big warn" { "Already collected" }
                    @if *by_you {
                        p { "You already collected this code — nothing was added twice." }
                    } @else {
                        p { "This code has already been used. Ask staff for a new one." }
                    }
                }
            },
        ),
        ScanOutcome::VisitRefused(refusal) => (
            "See you next visit",
            0,
            html! {
                div class="box" {
                    p class="big warn" { "Already stamped" }
                    @match refusal {
                        VisitRefusal::Cooldown { wait_secs } => p {
                            "You collected a stamp here recently. The next one can be collected in " (duration(*wait_secs)) "."
                        },
                        VisitRefusal::DailyCap { cap, wait_secs } => p {
                            "You have collected " (cap) " visit " (plural(i64::from(*cap), "stamp", "stamps"))
                            " in the last 24 hours, the most there is. The next one can be collected in " (duration(*wait_secs)) "."
                        },
                    }
                }
            },
        ),
    };
    let card_link = format!("/c/{}", config.id.0);
    layout(
        &config.branding,
        &config.name,
        title,
        html! {
            (body)
            (balance(config, state, new_stamps))
            a class="btn" href=(card_link) { "Open my card" }
        },
    )
}

/// Writes a wait as "about 3 hours" or "12 minutes".
fn duration(secs: i64) -> String {
    let minutes = (secs.max(0) + 59) / 60;
    if minutes < 60 {
        format!("{minutes} {}", plural(minutes, "minute", "minutes"))
    } else {
        let hours = (minutes + 59) / 60;
        format!("about {hours} {}", plural(hours, "hour", "hours"))
    }
}

/// Writes how long ago something happened.
fn ago(now_ms: i64, then_ms: i64) -> String {
    let secs = (now_ms - then_ms).max(0) / 1000;
    match secs {
        0..=59 => "just now".into(),
        60..=3599 => format!("{} min ago", secs / 60),
        3600..=86_399 => format!("{} h ago", secs / 3600),
        _ => {
            let days = secs / 86_400;
            format!("{days} {} ago", plural(days, "day", "days"))
        }
    }
}

/// Renders the join form shown to a phone without this merchant's card.
pub fn enrol_form(
    config: &MerchantConfig,
    action: &str,
    ticket: &str,
    form: &EnrolForm,
    errors: &[FieldError],
) -> String {
    let intro = html! {
        h2 { "Join " (config.name) "'s loyalty card" }
        p class="muted" { "One quick step, then this scan is added to your new card. No app needed." }
    };
    join_page(
        config,
        action,
        ticket,
        form,
        errors,
        intro,
        "Join and collect",
    )
}

/// An invitation as the friend sees it.
#[derive(Debug, Clone)]
pub struct Invite {
    /// The inviting member's first name.
    pub from: String,
    /// What the friend gets, in words ("50 points"); empty for a single-sided program.
    pub you_get: String,
    /// What the inviting member gets, in words.
    pub they_get: String,
    /// The smallest purchase that counts, formatted, if any.
    pub minimum: Option<String>,
}

/// Renders an invitation: the offer, then the join form.
pub fn invite_form(
    config: &MerchantConfig,
    invite: &Invite,
    action: &str,
    ticket: &str,
    form: &EnrolForm,
    errors: &[FieldError],
) -> String {
    let purchase = match &invite.minimum {
        Some(m) => format!("your first purchase of at least {m}"),
        None => "your first purchase".to_owned(),
    };
    let intro = html! {
        h2 { (invite.from) " invited you to " (config.name) }
        @if invite.you_get.is_empty() {
            p { "Join the loyalty card. After " (purchase) ", " (invite.from) " gets " (invite.they_get) " as a thank-you." }
        } @else if invite.they_get.is_empty() {
            p { "Join the loyalty card and get " strong { (invite.you_get) } " after " (purchase) "." }
        } @else {
            p { "Join the loyalty card and get " strong { (invite.you_get) } " after " (purchase) " — and " (invite.from) " gets " (invite.they_get) "." }
        }
        p class="muted" { "Bonuses are added once the purchase is final (after any return period). No app needed." }
    };
    join_page(config, action, ticket, form, errors, intro, "Join")
}

/// Renders a short message with a way on (e.g. to the card).
pub fn notice(
    config: &MerchantConfig,
    title: &str,
    message: &str,
    link: Option<(&str, &str)>,
) -> String {
    layout(
        &config.branding,
        &config.name,
        title,
        html! {
            div class="box" {
                h2 { (title) }
                p { (message) }
            }
            @if let Some((href, label)) = link { a class="btn" href=(href) { (label) } }
        },
    )
}

fn join_page(
    config: &MerchantConfig,
    action: &str,
    ticket: &str,
    form: &EnrolForm,
    errors: &[FieldError],
    intro: Markup,
    button: &str,
) -> String {
    let error_for = |field: &str| errors.iter().find(|e| e.field == field).map(|e| e.message);
    let field = |name: &'static str,
                 label: &'static str,
                 kind: &'static str,
                 value: &str,
                 autocomplete: &'static str| {
        let err = error_for(name);
        let err_id = format!("{name}-err");
        html! {
            label for=(name) { (label) }
            input type=(kind) id=(name) name=(name) value=(value) autocomplete=(autocomplete)
                aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| err_id.as_str())]
                required[name == "name"] maxlength="100";
            @if let Some(message) = err { p class="err" id=(err_id) { (message) } }
        }
    };
    layout(
        &config.branding,
        &config.name,
        "Join",
        html! {
            div class="box" {
                (intro)
                form method="post" action=(action) {
                    input type="hidden" name="ticket" value=(ticket);
                    (field("name", "Your name", "text", &form.name, "given-name"))
                    (field("email", "Email (optional)", "email", &form.email, "email"))
                    (field("phone", "Phone (optional)", "tel", &form.phone, "tel"))
                    (field("birthday", "Birthday (optional, for a birthday treat)", "date", &form.birthday, "bday"))
                    label class="check" {
                        input type="checkbox" name="marketing_consent" value="yes" checked[form.marketing_consent];
                        span { "Send me offers and news from " (config.name) ". You can stop any time." }
                    }
                    button type="submit" { (button) }
                }
            }
        },
    )
}

/// A reward on the card page.
#[derive(Debug, Clone)]
pub struct RewardLine {
    pub id: String,
    pub name: String,
    /// `None`: a full stamp card.
    pub cost_points: Option<i64>,
}

/// A redemption code still waiting for staff.
#[derive(Debug, Clone)]
pub struct CodeLine {
    pub id: String,
    pub reward: String,
    pub expires_at_ms: i64,
}

/// What the card page shows besides the balance and the entries.
#[derive(Debug, Clone, Default)]
pub struct CardExtras {
    /// (Unix ms, points) of upcoming expiries, soonest first.
    pub expiries: Vec<(i64, i64)>,
    pub expiring_30_days: i64,
    pub rewards: Vec<RewardLine>,
    pub live_codes: Vec<CodeLine>,
    /// The per-page id that makes a double-tapped redeem button redeem once.
    pub attempt: String,
    /// The member's invitation, when the merchant runs referrals.
    pub share: Option<Share>,
    /// What the member's own welcome bonus waits for, if they were invited.
    pub welcome_bonus: Option<String>,
}

/// A member's invitation on their card.
#[derive(Debug, Clone)]
pub struct Share {
    /// The full link (`https://.../r/{code}`).
    pub url: String,
    /// What a friend and the member get, in words.
    pub offer: String,
    pub joined: i64,
    pub rewarded: i64,
}

/// The script of the card page's Share and Copy buttons (allowed by its hash in the page's CSP;
/// without it the link, its QR code and long-press copy still work).
pub const SHARE_SCRIPT: &str = "document.querySelectorAll('[data-share]').forEach(function(b){if(navigator.share){b.hidden=false;b.onclick=function(){navigator.share({title:document.title,text:b.dataset.text,url:b.dataset.share}).catch(function(){})}}});document.querySelectorAll('[data-copy]').forEach(function(b){if(navigator.clipboard){b.hidden=false;b.onclick=function(){navigator.clipboard.writeText(b.dataset.copy).then(function(){b.textContent='Link copied'})}}});";

/// Writes a Unix ms instant as a date in the merchant's time zone, e.g. "31 Mar 2027".
pub(crate) fn local_date(config: &MerchantConfig, ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&config.tz())
                .format("%-d %b %Y")
                .to_string()
        })
        .unwrap_or_default()
}

/// Writes a Unix ms instant as a time of day in the merchant's time zone.
fn local_time(config: &MerchantConfig, ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&config.tz()).format("%H:%M:%S").to_string())
        .unwrap_or_default()
}

/// Renders a member's card: balance, live codes, rewards, upcoming expiries, latest entries.
pub fn card(
    config: &MerchantConfig,
    state: &CardState,
    entries: &[EntryLine],
    extras: &CardExtras,
    now_ms: i64,
) -> String {
    let shop = config.id.0;
    let card_size = i64::from(config.program.stamp_card_size);
    layout_with(
        &config.branding,
        &config.name,
        "My card",
        html! {
            link rel="manifest" href={ "/c/" (shop) "/manifest.webmanifest" };
            link rel="icon" href={ "/c/" (shop) "/icon.svg" } type="image/svg+xml";
        },
        html! {
            div class="box" { p { "Hi " (state.name) "!" } p class="muted" { "Member code " strong { (state.code) } } }
            (balance(config, state, 0))
            @if let Some(w) = &extras.welcome_bonus { div class="box" { p { (w) } } }
            @for c in &extras.live_codes {
                a class="btn" href={ "/c/" (shop) "/redemptions/" (c.id) } { "Show my code for " (c.reward) }
            }
            @if !extras.rewards.is_empty() {
                div class="box" {
                    h2 { "Rewards" }
                    table {
                        @for r in &extras.rewards {
                            @let affordable = match r.cost_points { Some(p) => state.points >= p, None => state.stamps >= card_size };
                            tr {
                                td { (r.name) br; span class="muted" {
                                    @match r.cost_points { Some(p) => { (p) " points" }, None => { "a full stamp card" } }
                                } }
                                td class="n" {
                                    @if affordable {
                                        form method="post" action={ "/c/" (shop) "/rewards/" (r.id) } {
                                            input type="hidden" name="attempt" value=(extras.attempt);
                                            button type="submit" class="small" { "Redeem" }
                                        }
                                    } @else {
                                        span class="muted" { "not yet" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(s) = &extras.share {
                div class="box" {
                    h2 { "Invite a friend" }
                    p { (s.offer) }
                    div class="qr" { (PreEscaped(crate::view::qr::svg(&s.url).unwrap_or_default())) }
                    p class="link" { (s.url) }
                    button type="button" hidden data-share=(s.url) data-text={ "Join me at " (config.name) } { "Share my invitation" }
                    button type="button" hidden data-copy=(s.url) { "Copy link" }
                    @if s.joined > 0 {
                        p class="muted" { (s.joined) " " (plural(s.joined, "friend", "friends")) " joined · " (s.rewarded) " bonus" @if s.rewarded != 1 { "es" } " paid" }
                    }
                }
                script { (PreEscaped(SHARE_SCRIPT)) }
            }
            @if !extras.expiries.is_empty() {
                div class="box" {
                    h2 { "Expiring points" }
                    @if extras.expiring_30_days > 0 {
                        p class="warn" { (extras.expiring_30_days) " points expire in the next 30 days — use them!" }
                    }
                    table {
                        @for (at, points) in &extras.expiries {
                            tr { td { (local_date(config, *at)) } td class="n" { (points) " pts" } }
                        }
                    }
                }
            }
            div class="box" {
                h2 { "Latest" }
                @if entries.is_empty() {
                    p class="muted" { "Nothing yet." }
                } @else {
                    table {
                        @for e in entries {
                            tr {
                                td { (reason_label(&e.reason)) br; span class="muted" { (ago(now_ms, e.created_at_ms)) } }
                                td class="n" {
                                    @if e.points != 0 { (signed(e.points)) " pts" br; }
                                    @if e.stamps != 0 { (signed(e.stamps)) " " (plural(e.stamps.abs(), "stamp", "stamps")) }
                                }
                            }
                        }
                    }
                }
                p { a href={ "/c/" (shop) "/history" } { "Full history and expiries" } }
            }
            p class="muted" { a href={ "/c/" (shop) "/me" } { "My data and privacy" } }
        },
    )
}

/// Renders a member's whole history: every entry with its reason, and the points that expire.
pub fn history(config: &MerchantConfig, entries: &[EntryLine], expiries: &[(i64, i64)]) -> String {
    let shop = config.id.0;
    layout(
        &config.branding,
        &config.name,
        "History",
        html! {
            @if !expiries.is_empty() {
                div class="box" {
                    h2 { "Expiring" }
                    @for (at, points) in expiries {
                        p { strong { (points) " " (plural(*points, "point", "points")) } " on " (local_date(config, *at)) }
                    }
                }
            }
            div class="box" {
                h2 { "History" }
                @if entries.is_empty() { p class="muted" { "Nothing yet." } }
                table {
                    @for e in entries {
                        tr {
                            td {
                                (reason_label(&e.reason))
                                @if let Some(n) = &e.note { " · " (n) }
                                br; span class="muted" { (local_date(config, e.created_at_ms)) }
                            }
                            td class="n" {
                                @if e.points != 0 { (signed(e.points)) " pts" br; }
                                @if e.stamps != 0 { (signed(e.stamps)) " " (plural(e.stamps.abs(), "stamp", "stamps")) }
                            }
                        }
                    }
                }
            }
            a class="btn" href={ "/c/" (shop) } { "Back to my card" }
        },
    )
}

/// A member's messaging preferences as the privacy page shows them.
pub struct Preferences {
    pub marketing_consent: bool,
    pub channel: Option<String>,
    pub language: Option<String>,
}

/// Renders the member's data page: consent and preferences, a copy of their data, erasure.
pub fn my_data(config: &MerchantConfig, p: &Preferences, saved: bool) -> String {
    let shop = config.id.0;
    let channel = p.channel.as_deref().unwrap_or("");
    let language = p.language.as_deref().unwrap_or("");
    layout(
        &config.branding,
        &config.name,
        "My data",
        html! {
            @if saved { div class="box" role="status" { p class="ok" { strong { "Saved." } } } }
            form class="box" method="post" action={ "/c/" (shop) "/me/preferences" } {
                h2 { "Messages" }
                label class="check" {
                    input type="checkbox" name="marketing_consent" value="yes" checked[p.marketing_consent];
                    span { "Send me offers and news from " (config.name) "." }
                }
                p class="muted" { "News about your own card (points, rewards) comes either way, if you gave a contact." }
                label for="channel" { "How" }
                select id="channel" name="channel" {
                    option value="" selected[channel.is_empty()] { "Whatever I gave (email first)" }
                    option value="email" selected[channel == "email"] { "Email" }
                    option value="sms" selected[channel == "sms"] { "SMS" }
                    option value="push" selected[channel == "push"] { "Push" }
                }
                label for="language" { "Language" }
                select id="language" name="language" {
                    option value="" selected[language.is_empty()] { "The shop's" }
                    option value="en" selected[language == "en"] { "English" }
                    option value="pl" selected[language == "pl"] { "Polski" }
                }
                button type="submit" { "Save" }
            }
            div class="box" {
                h2 { "Your data" }
                p { "Everything " (config.name) " holds about you, as a file." }
                a class="btn" href={ "/c/" (shop) "/me/export" } download="my-loyalty-data.json" { "Download my data" }
            }
            form class="box" method="post" action={ "/c/" (shop) "/me/erase" } {
                h2 { "Erase me" }
                p { "Your name, contacts and birthday are erased and this card stops working. The shop keeps the anonymous record of points, as the law on accounts asks." }
                label class="check" {
                    input type="checkbox" name="confirm" value="yes" required;
                    span { "I understand: my points and rewards are lost." }
                }
                button type="submit" { "Erase my data" }
            }
            a class="btn" href={ "/c/" (shop) } { "Back to my card" }
        },
    )
}

/// A redemption as the phone shows it.
#[derive(Debug, Clone)]
pub struct CodeView {
    pub reward: String,
    pub code: String,
    pub status: String,
    pub expires_at_ms: i64,
    pub qr_svg: String,
    pub coupon_code: Option<String>,
}

/// Renders the redemption code for staff to confirm, with a bar that runs out with it, or how it
/// ended. The page refreshes itself when the code expires (no JavaScript).
pub fn redemption(config: &MerchantConfig, view: &CodeView, now_ms: i64) -> String {
    let left_secs = ((view.expires_at_ms - now_ms).max(0) + 999) / 1000;
    let live = view.status == "reserved" && left_secs > 0;
    let card_link = format!("/c/{}", config.id.0);
    let body = html! {
        @if live {
            meta http-equiv="refresh" content=(left_secs + 1);
            div class="box" {
                h2 { (view.reward) }
                p { "Show this to staff. They confirm it at the till." }
                p class="code" aria-label={ "Code " (view.code) } { (view.code) }
                div class="qr" { (PreEscaped(&view.qr_svg)) }
                div class="bar" { span style={ "animation-duration:" (left_secs) "s" } {} }
                p class="muted" { "Valid until " (local_time(config, view.expires_at_ms)) " (" (left_secs) " s). If it runs out, the points come back." }
            }
        } @else if view.status == "confirmed" {
            div class="box" {
                p class="big ok" { "Redeemed" }
                p { "Enjoy your " (view.reward) "!" }
                @if let Some(code) = &view.coupon_code { p { "Your coupon code: " strong { (code) } } }
            }
        } @else if view.status == "cancelled" {
            div class="box" { p class="big warn" { "Cancelled" } p { "Staff cancelled this redemption; the points are back on your card." } }
        } @else {
            div class="box" { p class="big warn" { "Code expired" } p { "It was not confirmed in time, so the points are back on your card. Redeem again when you are at the counter." } }
        }
        a class="btn" href=(card_link) { "Back to my card" }
    };
    layout(&config.branding, &config.name, "Reward", body)
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

pub(crate) fn reason_label(reason: &str) -> &str {
    match reason {
        "earn" => "Collected",
        "redeem" => "Reward redeemed",
        "expire" => "Expired",
        "reverse" => "Refund",
        "activate" => "Now spendable",
        "reserve" => "Held for a reward code",
        "release" => "Reward code expired: points back",
        "cancel" => "Redemption cancelled: points back",
        "cashback_spend" => "Cashback spent",
        "adjust" => "Adjusted by staff",
        "referral" => "Referral bonus",
        "birthday" => "Birthday gift",
        "bonus" => "Bonus",
        other => other,
    }
}

/// The web app manifest of a merchant's card, so a phone can add the card to its home screen.
pub fn manifest(config: &MerchantConfig) -> serde_json::Value {
    let shop = config.id.0;
    let short: String = config.name.chars().take(12).collect();
    serde_json::json!({
        "name": format!("{} card", config.name),
        "short_name": short,
        "start_url": format!("/c/{shop}"),
        "scope": format!("/c/{shop}"),
        "display": "standalone",
        "background_color": "#f6f4f1",
        "theme_color": config.branding.primary_color,
        "icons": [{ "src": format!("/c/{shop}/icon.svg"), "sizes": "any", "type": "image/svg+xml" }],
    })
}

/// The card's icon: the shop's initial on its colours (any size).
pub fn icon(config: &MerchantConfig) -> String {
    let initial: String = config
        .name
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_else(|| "★".into());
    html! {
        svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" {
            rect width="96" height="96" rx="20" fill=(config.branding.primary_color) {}
            text x="48" y="64" font-size="52" font-family="system-ui,sans-serif" font-weight="700"
                text-anchor="middle" fill=(config.branding.accent_color) { (initial) }
        }
    }
    .into_string()
}

/// Renders the card link of a phone that has no card here yet.
pub fn no_card(config: &MerchantConfig) -> String {
    layout(
        &config.branding,
        &config.name,
        "My card",
        html! {
            div class="box" {
                h2 { "No card on this phone yet" }
                p { "Scan the QR code at the counter to join " (config.name) "'s loyalty card and collect your first stamp." }
            }
        },
    )
}

/// Renders an error for a phone: what happened and what to do, never internal detail.
pub fn error_page(
    branding: Option<(&Branding, &str)>,
    title: &str,
    message: &str,
    code: &str,
) -> String {
    let default = Branding::default();
    let (branding, shop) = branding.unwrap_or((&default, "Loyalty card"));
    layout(
        branding,
        shop,
        title,
        html! {
            div class="box" {
                h2 { (title) }
                p { (message) }
                p class="muted" { small { "Code: " (code) } }
            }
        },
    )
}

/// Returns the member code shown on the card: the first eight characters of the id, upper case.
pub fn member_code(member_id: &str) -> String {
    member_id
        .chars()
        .take(8)
        .collect::<String>()
        .to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> MerchantConfig {
        super::super::test_config("Kawiarnia <Pod Lipą>", &["Rynek"])
    }

    fn state() -> CardState {
        CardState {
            name: "Ola".into(),
            code: "1A2B3C4D".into(),
            points: 25,
            pending: 0,
            stamps: 3,
            tier: None,
        }
    }

    #[test]
    fn a_credited_scan_shows_the_new_stamps_and_the_way_to_the_reward() {
        let page = scan_result(
            &config(),
            &state(),
            &ScanOutcome::Credited {
                credit: Credit {
                    points: 12,
                    stamps: 1,
                },
                welcome: true,
                tier_up: Some("Silver".into()),
                bonus: Credit {
                    points: 20,
                    stamps: 0,
                },
            },
        );
        assert!(page.contains("+12 points"));
        assert!(
            page.contains("And a gift from Kawiarnia &lt;Pod Lipą&gt;: +20 points"),
            "{page}"
        );
        assert!(page.contains("You have reached <strong>Silver</strong>"));
        assert!(page.contains("+1 stamp<"));
        assert!(page.contains("Welcome, Ola!"));
        assert!(page.contains("5 more stamps to a free coffee"));
        assert_eq!(page.matches("stamp on new").count(), 1);
        assert_eq!(page.matches("class=\"stamp on").count(), 3);
    }

    #[test]
    fn merchant_text_is_escaped() {
        let page = no_card(&config());
        assert!(page.contains("Kawiarnia &lt;Pod Lipą&gt;"));
        assert!(!page.contains("<Pod"));
    }

    #[test]
    fn the_enrol_form_marks_bad_fields_for_screen_readers() {
        let errors = [FieldError {
            field: "email",
            message: "this does not look like an email address",
        }];
        let page = enrol_form(
            &config(),
            "/s/X",
            "t",
            &EnrolForm {
                email: "x".into(),
                ..Default::default()
            },
            &errors,
        );
        assert!(page.contains(r#"aria-invalid="true" aria-describedby="email-err""#));
        assert!(page.contains(r#"<label for="name">"#));
        assert_eq!(page.matches("aria-invalid").count(), 1);
    }

    #[test]
    fn waits_and_ages_read_naturally() {
        assert_eq!(duration(30), "1 minute");
        assert_eq!(duration(3 * 3600 + 5), "about 4 hours");
        assert_eq!(ago(10_000_000, 10_000_000 - 90_000), "1 min ago");
        assert_eq!(ago(10 * 86_400_000, 86_400_000), "9 days ago");
    }

    #[test]
    fn pages_stay_small() {
        let entries: Vec<_> = (0..10)
            .map(|i| EntryLine {
                reason: "earn".into(),
                points: 10,
                stamps: 1,
                created_at_ms: i,
                note: None,
            })
            .collect();
        let extras = CardExtras {
            expiries: vec![(1_800_000_000_000, 40)],
            rewards: (0..5)
                .map(|i| RewardLine {
                    id: format!("{i:032x}"),
                    name: "Free coffee".into(),
                    cost_points: Some(20 * i),
                })
                .collect(),
            ..CardExtras::default()
        };
        let page = card(&config(), &state(), &entries, &extras, 1_000_000);
        assert_eq!(
            page.matches("Redeem</button>").count(),
            2,
            "25 points afford the 0- and 20-point rewards"
        );
        assert!(page.contains("15 Jan 2027"), "expiry dates are local");
        assert!(page.len() < 12_000, "card page is {} bytes", page.len());
    }
}
