//! The pages a phone sees, rendered with maud (escaped by construction), in English or Polish.
//! Pure: callers pass in everything, including `now` and the language, so pages test natively.
//! Small inline CSS, no JavaScript needed. Text on the merchant's colours is picked to reach
//! WCAG AA contrast (`contrast`).

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::contrast;
use crate::domain::earn::{Credit, StampCard, VisitRefusal};
use crate::domain::enrol::{EnrolForm, FieldError};
use crate::domain::language::{Language, Noun};
use crate::domain::program::{Branding, MerchantConfig, Tone};

/// The pages' fixed colours: body text on the page, and the boxes.
pub(crate) const PAGE_BACKGROUND: &str = "#f6f4f1";
pub(crate) const BOX_BACKGROUND: &str = "#ffffff";

/// The stylesheet. `--p`/`--a` are the brand colours, `--pt` the text on `--p` and `--f` the
/// focus ring (both chosen per brand by `contrast`). Every other colour is fixed, and a test holds
/// each text colour to AA on the surfaces it is used on.
pub(crate) const CSS: &str = r#"
*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f6f4f1;color:#1d1b19}
header{background:var(--p);color:var(--pt);padding:18px 20px}header h1{margin:0;font-size:1.25rem}
header{display:flex;align-items:center;gap:12px}header .logo{max-height:40px;width:auto;border-radius:6px}
main{max-width:28rem;margin:0 auto;padding:16px}
.box{background:#fff;border-radius:14px;padding:18px;margin:0 0 14px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.big{font-size:2.2rem;font-weight:700;margin:.1em 0}.muted{color:#5f5a55}.ok{color:#1e6b34}.warn{color:#8a4b00}
.stamps{display:grid;grid-template-columns:repeat(auto-fill,minmax(2.4rem,1fr));gap:8px;margin:12px 0}
.stamp{aspect-ratio:1;border-radius:50%;border:2px dashed #8c847b}.stamp.on{background:var(--a);border:2px solid var(--f)}
.stamp.new{outline:3px solid var(--f);outline-offset:2px}
label{display:block;font-weight:600;margin:12px 0 4px}input[type=text],input[type=email],input[type=tel],input[type=date]{width:100%;padding:12px;font-size:1rem;border:1px solid #8c847b;border-radius:10px}
.check{display:flex;gap:10px;align-items:flex-start;font-weight:400}.check input{width:1.3rem;height:1.3rem;margin-top:2px}
.err{color:#a4161a;font-size:.9rem;margin:4px 0 0}select{width:100%;padding:12px;font-size:1rem;border:1px solid #8c847b;border-radius:10px;background:#fff;color:#1d1b19}
button,.btn{display:block;width:100%;margin-top:18px;padding:14px;font-size:1.05rem;font-weight:700;border:0;border-radius:12px;background:var(--p);color:var(--pt);text-align:center;text-decoration:none}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid var(--f);outline-offset:2px}
a{color:#1a4f9c}
.code{font-size:3rem;font-weight:800;letter-spacing:.2em;text-align:center;margin:.2em 0;font-variant-numeric:tabular-nums}
.qr svg{display:block;width:60%;margin:0 auto}.bar{height:8px;background:#eee;border-radius:4px;overflow:hidden;margin:12px 0}
.bar span{display:block;height:100%;background:var(--p);animation:run linear forwards}@keyframes run{from{width:100%}to{width:0}}
button.small{margin:0;padding:8px 12px;font-size:.95rem;width:auto;display:inline-block}
.link{word-break:break-all;text-align:center;font-weight:600;user-select:all}
table{width:100%;border-collapse:collapse}td{padding:8px 0;border-bottom:1px solid #eee}td.n{text-align:right;font-variant-numeric:tabular-nums}
"#;

/// The colours a brand's pages are drawn with: its own two, the text on the primary and the focus
/// ring, each readable (AA) where it is used.
pub(crate) fn palette(branding: &Branding) -> String {
    let focus = [PAGE_BACKGROUND, BOX_BACKGROUND]
        .iter()
        .fold(branding.accent_color.as_str(), |c, bg| {
            contrast::visible_on(c, bg)
        });
    format!(
        ":root{{--p:{};--a:{};--pt:{};--f:{}}}",
        branding.primary_color,
        branding.accent_color,
        contrast::text_on(&branding.primary_color),
        focus
    )
}

fn layout(lang: Language, branding: &Branding, shop: &str, title: &str, body: Markup) -> String {
    layout_with(lang, branding, shop, title, html! {}, body)
}

/// The page frame in `lang` with extra `head` content (a refresh, a manifest link, page styles).
pub(crate) fn layout_with(
    lang: Language,
    branding: &Branding,
    shop: &str,
    title: &str,
    head: Markup,
    body: Markup,
) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                meta name="theme-color" content=(branding.primary_color);
                meta name="referrer" content="no-referrer";
                title { (title) " · " (shop) }
                style {
                    (PreEscaped(palette(branding)))
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

fn stamp_card(l: Language, config: &MerchantConfig, stamps: i64, new_stamps: i64) -> Markup {
    let card = StampCard::of(&config.program, stamps);
    let first_new = card.filled - new_stamps.min(card.filled);
    let reward = &config.program.card_reward;
    let to_next = Noun::Stamp.count(l, card.to_next_reward());
    let label = match l {
        Language::En => format!("{} of {} stamps", card.filled, card.size),
        Language::Pl => format!("Pieczątki: {} z {}", card.filled, card.size),
    };
    html! {
        div class="stamps" role="img" aria-label=(label) {
            @for i in 0..card.size {
                @let class = if i < first_new { "stamp on" } else if i < card.filled { "stamp on new" } else { "stamp" };
                span class=(class) {}
            }
        }
        p {
            @if card.rewards_ready > 0 {
                strong class="ok" {
                    @match l {
                        Language::En => { (card.rewards_ready) " × " (reward) " ready — show this to staff. " },
                        Language::Pl => { "Gotowe do odbioru (" (card.rewards_ready) " ×): " (reward) " — pokaż to obsłudze. " },
                    }
                }
            }
            @match l {
                Language::En => { (card.to_next_reward()) " more " (Noun::Stamp.word(l, card.to_next_reward())) " to " (reward) "." },
                Language::Pl => { "Jeszcze " (to_next) " do nagrody: " (reward) "." },
            }
        }
    }
}

/// "+12 points +1 stamp", in `l`; empty for nothing.
fn gains(l: Language, c: &Credit) -> String {
    let mut parts = Vec::new();
    if c.points > 0 {
        parts.push(format!("+{}", Noun::Point.count(l, c.points)));
    }
    if c.stamps > 0 {
        parts.push(format!("+{}", Noun::Stamp.count(l, c.stamps)));
    }
    parts.join(" ")
}

fn balance(l: Language, config: &MerchantConfig, state: &CardState, new_stamps: i64) -> Markup {
    html! {
        div class="box" {
            p class="muted" { (l.pick("Points", "Punkty")) }
            p class="big" { (state.points) }
            @if state.pending > 0 {
                p class="muted" { "+" (state.pending) " "
                    (l.pick("pending: spendable once the return window has passed",
                            "w oczekiwaniu: do wykorzystania po upływie czasu na zwrot")) }
            }
            @if let Some(t) = &state.tier {
                p class="tier" { strong { (t.name) } @if !t.benefits.is_empty() { " · " (t.benefits.join(" · ")) } }
                @if let Some((n, next)) = &t.next {
                    p class="muted" {
                        @match l {
                            Language::En => { (n) " more " (Noun::Point.word(l, *n)) " to " (next) },
                            Language::Pl => { "Jeszcze " (Noun::Point.count(l, *n)) " do poziomu " (next) },
                        }
                    }
                }
            }
            (stamp_card(l, config, state.stamps, new_stamps))
        }
    }
}

/// Renders the page after a scan.
pub fn scan_result(
    l: Language,
    config: &MerchantConfig,
    state: &CardState,
    outcome: &ScanOutcome,
) -> String {
    let (title, new_stamps, body) = match outcome {
        ScanOutcome::Credited {
            credit,
            welcome,
            tier_up,
            bonus,
        } => (
            l.pick("Collected", "Zebrano"),
            credit.stamps + bonus.stamps,
            html! {
                div class="box" {
                    @if *welcome {
                        @match (config.branding.tone, l) {
                            (Tone::Friendly, Language::En) => p { "Welcome, " (state.name) "! Your card is ready." },
                            (Tone::Friendly, Language::Pl) => p { "Witaj, " (state.name) "! Twoja karta jest gotowa." },
                            (Tone::Formal, Language::En) => p { "Welcome. Your loyalty card is ready." },
                            (Tone::Formal, Language::Pl) => p { "Witamy. Karta stałego klienta jest gotowa." },
                        }
                    }
                    p class="big ok" {
                        @if credit.points == 0 && credit.stamps == 0 { (l.pick("Visit recorded", "Wizyta zapisana")) }
                        @else { (gains(l, credit)) }
                    }
                    @if let Some(level) = tier_up {
                        p class="ok" { (l.pick("You have reached ", "Nowy poziom: ")) strong { (level) } "!" }
                    }
                    @if bonus.points > 0 || bonus.stamps > 0 {
                        p class="ok" {
                            @match l {
                                Language::En => { "And a gift from " (config.name) ": " },
                                Language::Pl => { "Do tego prezent od sklepu " (config.name) ": " },
                            }
                            (gains(l, bonus))
                        }
                    }
                }
            },
        ),
        ScanOutcome::AlreadyUsed { by_you } => (
            l.pick("Already collected", "Już zebrano"),
            0,
            html! {
                div class="box" {
                    p class="big warn" { (l.pick("Already collected", "Już zebrano")) }
                    @if *by_you {
                        p { (l.pick("You already collected this code — nothing was added twice.",
                                    "Ten kod jest już na Twojej karcie — nic nie zostało dodane dwa razy.")) }
                    } @else {
                        p { (l.pick("This code has already been used. Ask staff for a new one.",
                                    "Ten kod został już wykorzystany. Poproś obsługę o nowy.")) }
                    }
                }
            },
        ),
        ScanOutcome::VisitRefused(refusal) => (
            l.pick("See you next visit", "Do zobaczenia następnym razem"),
            0,
            html! {
                div class="box" {
                    p class="big warn" { (l.pick("Already stamped", "Pieczątka już przyznana")) }
                    @match (refusal, l) {
                        (VisitRefusal::Cooldown { wait_secs }, Language::En) => p {
                            "You collected a stamp here recently. The next one can be collected in " (duration(l, *wait_secs)) "."
                        },
                        (VisitRefusal::Cooldown { wait_secs }, Language::Pl) => p {
                            "Pieczątka za wizytę została tu niedawno przyznana. Następną można zebrać za " (duration(l, *wait_secs)) "."
                        },
                        (VisitRefusal::DailyCap { cap, wait_secs }, Language::En) => p {
                            "You have collected " (cap) " visit " (Noun::Stamp.word(l, i64::from(*cap)))
                            " in the last 24 hours, the most there is. The next one can be collected in " (duration(l, *wait_secs)) "."
                        },
                        (VisitRefusal::DailyCap { cap, wait_secs }, Language::Pl) => p {
                            "Limit pieczątek za wizyty w ciągu 24 godzin (" (cap) ") został już wykorzystany. Następną można zebrać za "
                            (duration(l, *wait_secs)) "."
                        },
                    }
                }
            },
        ),
    };
    let card_link = format!("/c/{}", config.id.0);
    layout(
        l,
        &config.branding,
        &config.name,
        title,
        html! {
            (body)
            (balance(l, config, state, new_stamps))
            a class="btn" href=(card_link) { (l.pick("Open my card", "Otwórz moją kartę")) }
        },
    )
}

/// Writes a wait as "about 3 hours" or "12 minutes" ("ok. 3 godz.", "12 min" in Polish, whose
/// abbreviations need no case after "za").
fn duration(l: Language, secs: i64) -> String {
    let minutes = (secs.max(0) + 59) / 60;
    let hours = (minutes + 59) / 60;
    match l {
        Language::En if minutes < 60 => Noun::Minute.count(l, minutes),
        Language::En => format!("about {}", Noun::Hour.count(l, hours)),
        Language::Pl if minutes < 60 => format!("{minutes} min"),
        Language::Pl => format!("ok. {hours} godz."),
    }
}

/// Writes how long ago something happened.
fn ago(l: Language, now_ms: i64, then_ms: i64) -> String {
    let secs = (now_ms - then_ms).max(0) / 1000;
    match secs {
        0..=59 => l.pick("just now", "przed chwilą").into(),
        60..=3599 => format!("{} min {}", secs / 60, l.pick("ago", "temu")),
        3600..=86_399 => format!("{} {}", secs / 3600, l.pick("h ago", "godz. temu")),
        _ => format!(
            "{} {}",
            Noun::Day.count(l, secs / 86_400),
            l.pick("ago", "temu")
        ),
    }
}

/// Renders the join form shown to a phone without this merchant's card.
pub fn enrol_form(
    l: Language,
    config: &MerchantConfig,
    action: &str,
    ticket: &str,
    form: &EnrolForm,
    errors: &[FieldError],
) -> String {
    let intro = html! {
        @match l {
            Language::En => h2 { "Join " (config.name) "'s loyalty card" },
            Language::Pl => h2 { "Dołącz do programu lojalnościowego: " (config.name) },
        }
        p class="muted" { (l.pick("One quick step, then this scan is added to your new card. No app needed.",
                                  "Jeden szybki krok i ten skan trafi na Twoją nową kartę. Bez aplikacji.")) }
    };
    let button = l.pick("Join and collect", "Dołącz i zbieraj");
    join_page(l, config, action, ticket, form, errors, intro, button)
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
    l: Language,
    config: &MerchantConfig,
    invite: &Invite,
    action: &str,
    ticket: &str,
    form: &EnrolForm,
    errors: &[FieldError],
) -> String {
    let purchase = match (&invite.minimum, l) {
        (Some(m), Language::En) => format!("your first purchase of at least {m}"),
        (None, Language::En) => "your first purchase".to_owned(),
        (Some(m), Language::Pl) => format!("Twoim pierwszym zakupie za co najmniej {m}"),
        (None, Language::Pl) => "Twoim pierwszym zakupie".to_owned(),
    };
    let (from, you, they) = (&invite.from, &invite.you_get, &invite.they_get);
    let intro = html! {
        @match l {
            Language::En => h2 { (from) " invited you to " (config.name) },
            Language::Pl => h2 { (from) " zaprasza Cię: " (config.name) },
        }
        @match (you.is_empty(), they.is_empty(), l) {
            (true, _, Language::En) => p { "Join the loyalty card. After " (purchase) ", " (from) " gets " (they) " as a thank-you." },
            (true, _, Language::Pl) => p { "Dołącz do programu lojalnościowego. Po " (purchase) " " (from) " dostanie w podziękowaniu: " (they) "." },
            (false, true, Language::En) => p { "Join the loyalty card and get " strong { (you) } " after " (purchase) "." },
            (false, true, Language::Pl) => p { "Dołącz do programu lojalnościowego, a po " (purchase) " dostaniesz: " strong { (you) } "." },
            (false, false, Language::En) => p { "Join the loyalty card and get " strong { (you) } " after " (purchase) " — and " (from) " gets " (they) "." },
            (false, false, Language::Pl) => p { "Dołącz do programu lojalnościowego, a po " (purchase) " dostaniesz: " strong { (you) } ", a " (from) ": " (they) "." },
        }
        p class="muted" { (l.pick("Bonuses are added once the purchase is final (after any return period). No app needed.",
                                  "Premie są dodawane, gdy zakup jest ostateczny (po upływie czasu na zwrot). Bez aplikacji.")) }
    };
    join_page(
        l,
        config,
        action,
        ticket,
        form,
        errors,
        intro,
        l.pick("Join", "Dołącz"),
    )
}

/// Renders a short message with a way on (e.g. to the card).
pub fn notice(
    l: Language,
    config: &MerchantConfig,
    title: &str,
    message: &str,
    link: Option<(&str, &str)>,
) -> String {
    layout(
        l,
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

/// A join form's field error in `l` (the domain words them in English).
fn field_message(l: Language, message: &'static str) -> &'static str {
    let polish = match message {
        "please tell us your name" => "podaj swoje imię",
        "please use at most 60 letters" => "wpisz najwyżej 60 liter",
        "this does not look like an email address" => "to nie wygląda na adres e-mail",
        "please give a phone number of 7 to 15 digits, like +48 600 100 200" => {
            "podaj numer telefonu od 7 do 15 cyfr, np. +48 600 100 200"
        }
        "please pick your birthday from the calendar" => "wybierz datę urodzin z kalendarza",
        other => other,
    };
    l.pick(message, polish)
}

#[allow(clippy::too_many_arguments)]
fn join_page(
    l: Language,
    config: &MerchantConfig,
    action: &str,
    ticket: &str,
    form: &EnrolForm,
    errors: &[FieldError],
    intro: Markup,
    button: &str,
) -> String {
    let error_for = |field: &str| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| field_message(l, e.message))
    };
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
        l,
        &config.branding,
        &config.name,
        l.pick("Join", "Dołącz"),
        html! {
            div class="box" {
                (intro)
                form method="post" action=(action) {
                    input type="hidden" name="ticket" value=(ticket);
                    (field("name", l.pick("Your name", "Imię"), "text", &form.name, "given-name"))
                    (field("email", l.pick("Email (optional)", "E-mail (opcjonalnie)"), "email", &form.email, "email"))
                    (field("phone", l.pick("Phone (optional)", "Telefon (opcjonalnie)"), "tel", &form.phone, "tel"))
                    (field("birthday", l.pick("Birthday (optional, for a birthday treat)", "Data urodzin (opcjonalnie, na urodzinowy prezent)"),
                        "date", &form.birthday, "bday"))
                    label class="check" {
                        input type="checkbox" name="marketing_consent" value="yes" checked[form.marketing_consent];
                        @match l {
                            Language::En => span { "Send me offers and news from " (config.name) ". You can stop any time." },
                            Language::Pl => span { "Chcę dostawać oferty i nowości od sklepu " (config.name) ". Mogę zrezygnować w każdej chwili." },
                        }
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
/// without it the link, its QR code and long-press copy still work). The words it shows come
/// from the button (`data-done`), so one script serves every language.
pub const SHARE_SCRIPT: &str = "document.querySelectorAll('[data-share]').forEach(function(b){if(navigator.share){b.hidden=false;b.onclick=function(){navigator.share({title:document.title,text:b.dataset.text,url:b.dataset.share}).catch(function(){})}}});document.querySelectorAll('[data-copy]').forEach(function(b){if(navigator.clipboard){b.hidden=false;b.onclick=function(){navigator.clipboard.writeText(b.dataset.copy).then(function(){b.textContent=b.dataset.done})}}});";

/// Polish month names as a date says them ("15 stycznia 2027").
const PL_MONTHS: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];

/// Writes a Unix ms instant as a date in the merchant's time zone, e.g. "31 Mar 2027".
pub fn local_date(config: &MerchantConfig, ms: i64) -> String {
    local_date_in(Language::En, config, ms)
}

/// Writes a Unix ms instant as a date in the merchant's time zone and in `l`: "31 Mar 2027",
/// "31 marca 2027".
pub fn local_date_in(l: Language, config: &MerchantConfig, ms: i64) -> String {
    use chrono::Datelike;
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            let t = t.with_timezone(&config.tz());
            match l {
                Language::En => t.format("%-d %b %Y").to_string(),
                Language::Pl => {
                    let month = PL_MONTHS.get(t.month0() as usize).unwrap_or(&"");
                    format!("{} {month} {}", t.day(), t.year())
                }
            }
        })
        .unwrap_or_default()
}

/// Writes a Unix ms instant as a time of day in the merchant's time zone.
fn local_time(config: &MerchantConfig, ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&config.tz()).format("%H:%M:%S").to_string())
        .unwrap_or_default()
}

/// A ledger line's amounts: "+10 pts" and "+1 stamp" ("+10 pkt", "+1 pieczątka").
fn amounts(l: Language, points: i64, stamps: i64) -> Markup {
    html! {
        @if points != 0 { (signed(points)) " " (l.pick("pts", "pkt")) br; }
        @if stamps != 0 { (signed(stamps)) " " (Noun::Stamp.word(l, stamps)) }
    }
}

/// Renders a member's card: balance, live codes, rewards, upcoming expiries, latest entries.
pub fn card(
    l: Language,
    config: &MerchantConfig,
    state: &CardState,
    entries: &[EntryLine],
    extras: &CardExtras,
    now_ms: i64,
) -> String {
    let shop = config.id.0;
    let card_size = i64::from(config.program.stamp_card_size);
    layout_with(
        l,
        &config.branding,
        &config.name,
        l.pick("My card", "Moja karta"),
        html! {
            link rel="manifest" href={ "/c/" (shop) "/manifest.webmanifest" };
            link rel="icon" href={ "/c/" (shop) "/icon.svg" } type="image/svg+xml";
        },
        html! {
            div class="box" {
                p { (l.pick("Hi ", "Cześć, ")) (state.name) "!" }
                p class="muted" { (l.pick("Member code ", "Kod klienta ")) strong { (state.code) } }
            }
            (balance(l, config, state, 0))
            @if let Some(w) = &extras.welcome_bonus { div class="box" { p { (w) } } }
            @for c in &extras.live_codes {
                a class="btn" href={ "/c/" (shop) "/redemptions/" (c.id) } { (l.pick("Show my code for ", "Pokaż kod: ")) (c.reward) }
            }
            @if !extras.rewards.is_empty() {
                div class="box" {
                    h2 { (l.pick("Rewards", "Nagrody")) }
                    table {
                        @for r in &extras.rewards {
                            @let affordable = match r.cost_points { Some(p) => state.points >= p, None => state.stamps >= card_size };
                            tr {
                                td { (r.name) br; span class="muted" {
                                    @match r.cost_points {
                                        Some(p) => { (Noun::Point.count(l, p)) },
                                        None => { (l.pick("a full stamp card", "pełna karta pieczątek")) },
                                    }
                                } }
                                td class="n" {
                                    @if affordable {
                                        form method="post" action={ "/c/" (shop) "/rewards/" (r.id) } {
                                            input type="hidden" name="attempt" value=(extras.attempt);
                                            button type="submit" class="small" aria-label={ (l.pick("Redeem: ", "Odbierz: ")) (r.name) } {
                                                (l.pick("Redeem", "Odbierz"))
                                            }
                                        }
                                    } @else {
                                        span class="muted" { (l.pick("not yet", "jeszcze nie")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(s) = &extras.share {
                div class="box" {
                    h2 { (l.pick("Invite a friend", "Zaproś znajomych")) }
                    p { (s.offer) }
                    div class="qr" { (PreEscaped(crate::view::qr::svg(&s.url).unwrap_or_default())) }
                    p class="link" { (s.url) }
                    button type="button" hidden data-share=(s.url) data-text={ (l.pick("Join me at ", "Dołącz do mnie: ")) (config.name) } {
                        (l.pick("Share my invitation", "Udostępnij zaproszenie"))
                    }
                    button type="button" hidden data-copy=(s.url) data-done=(l.pick("Link copied", "Skopiowano link")) {
                        (l.pick("Copy link", "Kopiuj link"))
                    }
                    @if s.joined > 0 {
                        p class="muted" {
                            @match l {
                                Language::En => { (s.joined) " " (if s.joined == 1 { "friend" } else { "friends" }) " joined · "
                                    (s.rewarded) " bonus" @if s.rewarded != 1 { "es" } " paid" },
                                Language::Pl => { "Dołączyli znajomi: " (s.joined) " · wypłacone premie: " (s.rewarded) },
                            }
                        }
                    }
                }
                script { (PreEscaped(SHARE_SCRIPT)) }
            }
            @if !extras.expiries.is_empty() {
                div class="box" {
                    h2 { (l.pick("Expiring points", "Wygasające punkty")) }
                    @if extras.expiring_30_days > 0 {
                        p class="warn" {
                            @match l {
                                Language::En => { (extras.expiring_30_days) " points expire in the next 30 days — use them!" },
                                Language::Pl => { "W ciągu 30 dni wygasa: " (Noun::Point.count(l, extras.expiring_30_days)) ". Wykorzystaj je!" },
                            }
                        }
                    }
                    table {
                        @for (at, points) in &extras.expiries {
                            tr { td { (local_date_in(l, config, *at)) } td class="n" { (points) " " (l.pick("pts", "pkt")) } }
                        }
                    }
                }
            }
            div class="box" {
                h2 { (l.pick("Latest", "Ostatnio")) }
                @if entries.is_empty() {
                    p class="muted" { (l.pick("Nothing yet.", "Na razie nic.")) }
                } @else {
                    table {
                        @for e in entries {
                            tr {
                                td { (reason_label_in(l, &e.reason)) br; span class="muted" { (ago(l, now_ms, e.created_at_ms)) } }
                                td class="n" { (amounts(l, e.points, e.stamps)) }
                            }
                        }
                    }
                }
                p { a href={ "/c/" (shop) "/history" } { (l.pick("Full history and expiries", "Cała historia i wygasanie punktów")) } }
            }
            p class="muted" { a href={ "/c/" (shop) "/me" } { (l.pick("My data and privacy", "Moje dane i prywatność")) } }
        },
    )
}

/// Renders a member's whole history: every entry with its reason, and the points that expire.
pub fn history(
    l: Language,
    config: &MerchantConfig,
    entries: &[EntryLine],
    expiries: &[(i64, i64)],
) -> String {
    let shop = config.id.0;
    layout(
        l,
        &config.branding,
        &config.name,
        l.pick("History", "Historia"),
        html! {
            @if !expiries.is_empty() {
                div class="box" {
                    h2 { (l.pick("Expiring", "Wygasają")) }
                    @for (at, points) in expiries {
                        @match l {
                            Language::En => p { strong { (Noun::Point.count(l, *points)) } " on " (local_date_in(l, config, *at)) },
                            Language::Pl => p { (local_date_in(l, config, *at)) ": " strong { (Noun::Point.count(l, *points)) } },
                        }
                    }
                }
            }
            div class="box" {
                h2 { (l.pick("History", "Historia")) }
                @if entries.is_empty() { p class="muted" { (l.pick("Nothing yet.", "Na razie nic.")) } }
                table {
                    @for e in entries {
                        tr {
                            td {
                                (reason_label_in(l, &e.reason))
                                @if let Some(n) = &e.note { " · " (n) }
                                br; span class="muted" { (local_date_in(l, config, e.created_at_ms)) }
                            }
                            td class="n" { (amounts(l, e.points, e.stamps)) }
                        }
                    }
                }
            }
            a class="btn" href={ "/c/" (shop) } { (l.pick("Back to my card", "Wróć do mojej karty")) }
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
pub fn my_data(l: Language, config: &MerchantConfig, p: &Preferences, saved: bool) -> String {
    let shop = config.id.0;
    let channel = p.channel.as_deref().unwrap_or("");
    let language = p.language.as_deref().unwrap_or("");
    layout(
        l,
        &config.branding,
        &config.name,
        l.pick("My data", "Moje dane"),
        html! {
            @if saved { div class="box" role="status" { p class="ok" { strong { (l.pick("Saved.", "Zapisano.")) } } } }
            form class="box" method="post" action={ "/c/" (shop) "/me/preferences" } {
                h2 { (l.pick("Messages", "Wiadomości")) }
                label class="check" {
                    input type="checkbox" name="marketing_consent" value="yes" checked[p.marketing_consent];
                    @match l {
                        Language::En => span { "Send me offers and news from " (config.name) "." },
                        Language::Pl => span { "Chcę dostawać oferty i nowości od sklepu " (config.name) "." },
                    }
                }
                p class="muted" { (l.pick("News about your own card (points, rewards) comes either way, if you gave a contact.",
                                          "Wiadomości o Twojej karcie (punkty, nagrody) przychodzą zawsze, jeśli podano kontakt.")) }
                label for="channel" { (l.pick("How", "Jak")) }
                select id="channel" name="channel" {
                    option value="" selected[channel.is_empty()] { (l.pick("Whatever I gave (email first)", "Tak, jak podano (najpierw e-mail)")) }
                    option value="email" selected[channel == "email"] { (l.pick("Email", "E-mail")) }
                    option value="sms" selected[channel == "sms"] { "SMS" }
                    option value="push" selected[channel == "push"] { (l.pick("Push", "Powiadomienie push")) }
                }
                label for="language" { (l.pick("Language", "Język")) }
                select id="language" name="language" {
                    option value="" selected[language.is_empty()] { (l.pick("The shop's", "Jak w sklepie")) }
                    option value="en" lang="en" selected[language == "en"] { "English" }
                    option value="pl" lang="pl" selected[language == "pl"] { "Polski" }
                }
                button type="submit" { (l.pick("Save", "Zapisz")) }
            }
            div class="box" {
                h2 { (l.pick("Your data", "Twoje dane")) }
                @match l {
                    Language::En => p { "Everything " (config.name) " holds about you, as a file." },
                    Language::Pl => p { "Wszystko, co sklep " (config.name) " przechowuje o Tobie, w jednym pliku." },
                }
                a class="btn" href={ "/c/" (shop) "/me/export" } download="my-loyalty-data.json" { (l.pick("Download my data", "Pobierz moje dane")) }
            }
            form class="box" method="post" action={ "/c/" (shop) "/me/erase" } {
                h2 { (l.pick("Erase me", "Usuń mnie")) }
                p { (l.pick("Your name, contacts and birthday are erased and this card stops working. The shop keeps the anonymous record of points, as the law on accounts asks.",
                            "Twoje imię, dane kontaktowe i data urodzin zostaną usunięte, a ta karta przestanie działać. Sklep zachowa anonimowy zapis punktów, jak wymagają przepisy o rachunkowości.")) }
                label class="check" {
                    input type="checkbox" name="confirm" value="yes" required;
                    span { (l.pick("I understand: my points and rewards are lost.", "Rozumiem: moje punkty i nagrody przepadną.")) }
                }
                button type="submit" { (l.pick("Erase my data", "Usuń moje dane")) }
            }
            a class="btn" href={ "/c/" (shop) } { (l.pick("Back to my card", "Wróć do mojej karty")) }
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
pub fn redemption(l: Language, config: &MerchantConfig, view: &CodeView, now_ms: i64) -> String {
    let left_secs = ((view.expires_at_ms - now_ms).max(0) + 999) / 1000;
    let live = view.status == "reserved" && left_secs > 0;
    let card_link = format!("/c/{}", config.id.0);
    let until = local_time(config, view.expires_at_ms);
    let body = html! {
        @if live {
            meta http-equiv="refresh" content=(left_secs + 1);
            div class="box" {
                h2 { (view.reward) }
                p { (l.pick("Show this to staff. They confirm it at the till.", "Pokaż to obsłudze. Potwierdzi kod przy kasie.")) }
                p class="code" aria-label={ (l.pick("Code ", "Kod ")) (view.code) } { (view.code) }
                div class="qr" { (PreEscaped(&view.qr_svg)) }
                div class="bar" { span style={ "animation-duration:" (left_secs) "s" } {} }
                @match l {
                    Language::En => p class="muted" { "Valid until " (until) " (" (left_secs) " s). If it runs out, the points come back." },
                    Language::Pl => p class="muted" { "Ważny do " (until) " (" (left_secs) " s). Jeśli czas minie, punkty wrócą na kartę." },
                }
            }
        } @else if view.status == "confirmed" {
            div class="box" {
                p class="big ok" { (l.pick("Redeemed", "Odebrano")) }
                @match l {
                    Language::En => p { "Enjoy your " (view.reward) "!" },
                    Language::Pl => p { "Gotowe: " (view.reward) ". Miłego dnia!" },
                }
                @if let Some(code) = &view.coupon_code { p { (l.pick("Your coupon code: ", "Twój kod kuponu: ")) strong { (code) } } }
            }
        } @else if view.status == "cancelled" {
            div class="box" {
                p class="big warn" { (l.pick("Cancelled", "Anulowano")) }
                p { (l.pick("Staff cancelled this redemption; the points are back on your card.",
                            "Obsługa anulowała odbiór nagrody; punkty wróciły na Twoją kartę.")) }
            }
        } @else {
            div class="box" {
                p class="big warn" { (l.pick("Code expired", "Kod wygasł")) }
                p { (l.pick("It was not confirmed in time, so the points are back on your card. Redeem again when you are at the counter.",
                            "Kod nie został potwierdzony na czas, więc punkty wróciły na Twoją kartę. Odbierz nagrodę ponownie, gdy będziesz przy kasie.")) }
            }
        }
        a class="btn" href=(card_link) { (l.pick("Back to my card", "Wróć do mojej karty")) }
    };
    layout(
        l,
        &config.branding,
        &config.name,
        l.pick("Reward", "Nagroda"),
        body,
    )
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// A ledger entry's reason in words, in English (the dashboard's).
pub fn reason_label(reason: &str) -> &str {
    reason_label_in(Language::En, reason)
}

/// A ledger entry's reason in words, in `l`.
pub(crate) fn reason_label_in(l: Language, reason: &str) -> &str {
    let (en, pl) = match reason {
        "earn" => ("Collected", "Zebrane"),
        "redeem" => ("Reward redeemed", "Odebrana nagroda"),
        "expire" => ("Expired", "Wygasłe"),
        "reverse" => ("Refund", "Zwrot"),
        "activate" => ("Now spendable", "Do wykorzystania"),
        "reserve" => ("Held for a reward code", "Zarezerwowane na kod nagrody"),
        "release" => (
            "Reward code expired: points back",
            "Kod nagrody wygasł: punkty wróciły",
        ),
        "cancel" => (
            "Redemption cancelled: points back",
            "Odbiór anulowany: punkty wróciły",
        ),
        "cashback_spend" => ("Cashback spent", "Wykorzystany zwrot gotówki"),
        "adjust" => ("Adjusted by staff", "Korekta obsługi"),
        "referral" => ("Referral bonus", "Premia za polecenie"),
        "birthday" => ("Birthday gift", "Prezent urodzinowy"),
        "bonus" => ("Bonus", "Premia"),
        other => return other,
    };
    l.pick(en, pl)
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
        "background_color": PAGE_BACKGROUND,
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
    let primary = &config.branding.primary_color;
    // The accent when it stands out from the primary, else readable text on it.
    let letter = match contrast::ratio(&config.branding.accent_color, primary) {
        r if r >= contrast::AA_NON_TEXT => config.branding.accent_color.as_str(),
        _ => contrast::text_on(primary),
    };
    html! {
        svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" {
            rect width="96" height="96" rx="20" fill=(primary) {}
            text x="48" y="64" font-size="52" font-family="system-ui,sans-serif" font-weight="700"
                text-anchor="middle" fill=(letter) { (initial) }
        }
    }
    .into_string()
}

/// Renders the card link of a phone that has no card here yet.
pub fn no_card(l: Language, config: &MerchantConfig) -> String {
    layout(
        l,
        &config.branding,
        &config.name,
        l.pick("My card", "Moja karta"),
        html! {
            div class="box" {
                h2 { (l.pick("No card on this phone yet", "Na tym telefonie nie ma jeszcze karty")) }
                @match l {
                    Language::En => p { "Scan the QR code at the counter to join " (config.name) "'s loyalty card and collect your first stamp." },
                    Language::Pl => p { "Zeskanuj kod QR przy kasie, aby dołączyć do programu lojalnościowego sklepu " (config.name) " i zebrać pierwszą pieczątkę." },
                }
            }
        },
    )
}

/// An error page's title for an HTTP status, in `l`.
pub fn error_title(l: Language, status: u16) -> &'static str {
    let (en, pl) = match status {
        400 => ("This request is not valid", "Nieprawidłowe żądanie"),
        401 => ("Authentication needed", "Wymagane logowanie"),
        403 => ("Not allowed", "Brak dostępu"),
        404 => ("Not found", "Nie znaleziono"),
        405 => ("Method not allowed", "Niedozwolona metoda"),
        409 => ("Conflict", "Konflikt"),
        410 => ("Expired", "Wygasło"),
        413 => ("Too large", "Za duże"),
        415 => ("Wrong content type", "Zły typ treści"),
        422 => ("Cannot be processed", "Nie można przetworzyć"),
        429 => ("Too many requests", "Za dużo prób"),
        503 => ("Try again", "Spróbuj ponownie"),
        _ => ("Something went wrong", "Coś poszło nie tak"),
    };
    l.pick(en, pl)
}

/// The Polish words of the errors a phone can meet, by their stable code (the English message
/// comes with the error; codes not listed here keep it).
pub fn error_message_pl(code: &str) -> Option<&'static str> {
    Some(match code {
        "token_malformed" => "to nie jest prawidłowy kod programu lojalnościowego",
        "token_unsupported_version" => "ten kod pochodzi z nowszej wersji systemu; poproś obsługę o nowy",
        "token_wrong_merchant" => "ten kod należy do innego sklepu",
        "token_unknown_key" => "ten kod podpisano kluczem, który nie jest już aktywny; poproś obsługę o nowy",
        "token_bad_signature" => "ten kod został zmieniony albo nie pochodzi ze sklepu",
        "token_expired" => "ten kod wygasł; poproś obsługę o nowy",
        "token_not_yet_valid" => "ten kod nie jest jeszcze ważny; sprawdź zegar urządzenia, które go wygenerowało",
        "scan_zero_value" => "ten kod jest na zero: kwota wynosi zero",
        "scan_too_large" => "ten kod jest na więcej, niż można dodać jednym skanem; poproś obsługę o sprawdzenie kwoty",
        "not_found" => "pod tym adresem nic nie ma",
        "method_not_allowed" => "ten adres nie obsługuje tej metody",
        "merchant_not_found" => "tego sklepu nie ma (lub już nie ma) w programie lojalnościowym",
        "member_not_found" => "w tym sklepie nie ma takiego klienta",
        "unknown_location" | "location_not_found" => "tego miejsca nie ma wśród lokalizacji sklepu",
        "enrol_form_invalid" => "ten formularz jest nieprawidłowy; zeskanuj kod ponownie",
        "enrol_form_expired" => "formularz był otwarty zbyt długo; zeskanuj kod ponownie",
        "cross_site_form" => "formularz wysłano z innej strony; otwórz ponownie link sklepu",
        "reward_not_found" => "w tym sklepie nie ma takiej nagrody",
        "reward_unavailable" => "ta nagroda nie jest teraz dostępna",
        "reward_out_of_stock" => "tej nagrody już zabrakło",
        "reward_limit_reached" => "limit odbiorów tej nagrody na osobę został już wykorzystany",
        "insufficient_points" => "masz za mało punktów na tę nagrodę",
        "insufficient_stamps" => "ta nagroda wymaga pełnej karty pieczątek",
        "redemption_retry" => "spróbuj ponownie",
        "redemption_not_found" => "nie ma tu odbioru nagrody z tym kodem",
        "referral_not_found" => "tego zaproszenia nie ma albo sklep nie prowadzi już poleceń",
        "rate_limited" => "za dużo prób naraz; spróbuj ponownie za chwilę",
        "internal" => "coś poszło nie tak po naszej stronie; spróbuj ponownie",
        _ => return None,
    })
}

/// Renders an error for a phone: what happened and what to do, never internal detail. The
/// message is shown in Polish when `l` is Polish and the code has Polish words.
pub fn error_page(
    l: Language,
    branding: Option<(&Branding, &str)>,
    status: u16,
    message: &str,
    code: &str,
) -> String {
    let default = Branding::default();
    let (branding, shop) =
        branding.unwrap_or((&default, l.pick("Loyalty card", "Karta stałego klienta")));
    let title = error_title(l, status);
    let message = match l {
        Language::Pl => error_message_pl(code).unwrap_or(message),
        Language::En => message,
    };
    layout(
        l,
        branding,
        shop,
        title,
        html! {
            div class="box" {
                h2 { (title) }
                p { (message) }
                p class="muted" { small { (l.pick("Code: ", "Kod: ")) (code) } }
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
            Language::En,
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
        let page = no_card(Language::En, &config());
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
            Language::En,
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
        assert_eq!(duration(Language::En, 30), "1 minute");
        assert_eq!(duration(Language::En, 3 * 3600 + 5), "about 4 hours");
        assert_eq!(
            ago(Language::En, 10_000_000, 10_000_000 - 90_000),
            "1 min ago"
        );
        assert_eq!(ago(Language::En, 10 * 86_400_000, 86_400_000), "9 days ago");
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
        let page = card(
            Language::En,
            &config(),
            &state(),
            &entries,
            &extras,
            1_000_000,
        );
        assert_eq!(
            page.matches("Redeem</button>").count(),
            2,
            "25 points afford the 0- and 20-point rewards"
        );
        assert!(page.contains("15 Jan 2027"), "expiry dates are local");
        assert!(page.len() < 12_000, "card page is {} bytes", page.len());
    }
    #[test]
    fn waits_and_ages_read_naturally_in_polish() {
        assert_eq!(duration(Language::Pl, 30), "1 min");
        assert_eq!(duration(Language::Pl, 3 * 3600 + 5), "ok. 4 godz.");
        assert_eq!(
            ago(Language::Pl, 10_000_000, 10_000_000 - 90_000),
            "1 min temu"
        );
        assert_eq!(ago(Language::Pl, 10 * 86_400_000, 86_400_000), "9 dni temu");
        assert_eq!(ago(Language::Pl, 3 * 86_400_000, 86_400_000), "2 dni temu");
        assert_eq!(
            ago(Language::Pl, 2 * 86_400_000, 86_400_000),
            "1 dzień temu"
        );
    }

    #[test]
    fn a_polish_scan_result_speaks_polish_with_the_right_plurals() {
        let page = scan_result(
            Language::Pl,
            &config(),
            &state(),
            &ScanOutcome::Credited {
                credit: Credit {
                    points: 12,
                    stamps: 1,
                },
                welcome: true,
                tier_up: None,
                bonus: Credit {
                    points: 22,
                    stamps: 0,
                },
            },
        );
        assert!(page.contains(r#"<html lang="pl">"#));
        assert!(page.contains("+12 punktów +1 pieczątka"), "{page}");
        assert!(page.contains("+22 punkty"));
        assert!(page.contains("Witaj, Ola! Twoja karta jest gotowa."));
        assert!(page.contains("Jeszcze 5 pieczątek do nagrody: a free coffee."));
        assert!(page.contains("Otwórz moją kartę"));
        assert!(page.contains(r#"aria-label="Pieczątki: 3 z 8""#));
        for english in ["Open my card", "Welcome", "point", " more ", " to a free"] {
            assert!(!page.contains(english), "{english} in the Polish page");
        }
    }

    #[test]
    fn the_polish_card_dates_and_join_errors_are_polish() {
        let extras = CardExtras {
            expiries: vec![(1_800_000_000_000, 3)],
            expiring_30_days: 3,
            ..CardExtras::default()
        };
        let page = card(Language::Pl, &config(), &state(), &[], &extras, 1_000_000);
        assert!(page.contains("15 stycznia 2027"), "{page}");
        assert!(page.contains("W ciągu 30 dni wygasa: 3 punkty."));
        assert!(page.contains("Moja karta"));
        let errors = EnrolForm {
            name: String::new(),
            email: "x".into(),
            phone: "12".into(),
            birthday: "soon".into(),
            marketing_consent: false,
        }
        .parse()
        .err()
        .unwrap_or_default();
        assert_eq!(errors.len(), 4, "every field is wrong");
        for e in &errors {
            assert_ne!(
                field_message(Language::Pl, e.message),
                e.message,
                "{}",
                e.message
            );
        }
        let long = EnrolForm {
            name: "x".repeat(61),
            ..EnrolForm::default()
        };
        for e in long.parse().err().unwrap_or_default() {
            assert_ne!(
                field_message(Language::Pl, e.message),
                e.message,
                "{}",
                e.message
            );
        }
        let form = enrol_form(
            Language::Pl,
            &config(),
            "/s/X",
            "t",
            &EnrolForm::default(),
            &errors,
        );
        assert!(form.contains("to nie wygląda na adres e-mail"));
        assert!(form.contains("Dołącz i zbieraj"));
    }

    #[test]
    fn polish_error_pages_say_what_to_do_in_polish() {
        let page = error_page(
            Language::Pl,
            None,
            410,
            "this code has expired; ask staff for a new one",
            "token_expired",
        );
        assert!(page.contains("ten kod wygasł; poproś obsługę o nowy"));
        assert!(page.contains("<h2>Wygasło</h2>"));
        let unknown = error_page(Language::Pl, None, 400, "amount: bad", "invalid_field");
        assert!(
            unknown.contains("amount: bad"),
            "no Polish words: the message as given"
        );
        let english = error_page(
            Language::En,
            None,
            410,
            "this code has expired; ask staff for a new one",
            "token_expired",
        );
        assert!(english.contains("<h2>Expired</h2>"));
    }

    /// Every fixed text colour of the stylesheets with the surfaces it is drawn on.
    const TEXT_PAIRS: [(&str, &[&str]); 6] = [
        ("#1d1b19", &[PAGE_BACKGROUND, BOX_BACKGROUND]),
        ("#5f5a55", &[PAGE_BACKGROUND, BOX_BACKGROUND]),
        ("#1e6b34", &[BOX_BACKGROUND]),
        ("#8a4b00", &[BOX_BACKGROUND]),
        ("#a4161a", &[BOX_BACKGROUND]),
        ("#1a4f9c", &[PAGE_BACKGROUND, BOX_BACKGROUND]),
    ];
    /// Surfaces and rules that carry no text or meaning (box and bar backgrounds, table rules).
    const DECORATIVE: [&str; 3] = ["#fff", "#eee", "#ddd"];
    /// Borders that tell a control or an empty stamp apart from its box (3:1, WCAG 1.4.11).
    const BORDERS: [&str; 1] = ["#8c847b"];

    fn hex_colours(css: &str) -> Vec<String> {
        css.split('#')
            .skip(1)
            .map(|s| {
                s.chars()
                    .take_while(|c| c.is_ascii_hexdigit())
                    .collect::<String>()
            })
            .filter(|h| h.len() == 3 || h.len() == 6)
            .map(|h| format!("#{h}"))
            .collect()
    }

    #[test]
    fn every_fixed_colour_of_the_pages_reaches_aa() {
        for (text, surfaces) in TEXT_PAIRS {
            for bg in surfaces {
                let r = contrast::ratio(text, bg);
                assert!(r >= contrast::AA_TEXT, "{text} on {bg}: {r:.2}");
            }
        }
        for border in BORDERS {
            let r = contrast::ratio(border, BOX_BACKGROUND);
            assert!(r >= contrast::AA_NON_TEXT, "{border}: {r:.2}");
        }
        let known: Vec<&str> = TEXT_PAIRS
            .iter()
            .map(|(c, _)| *c)
            .chain(BORDERS)
            .chain(DECORATIVE)
            .chain([PAGE_BACKGROUND, BOX_BACKGROUND])
            .collect();
        let sheets = [
            CSS,
            crate::view::staff::POSTER_CSS,
            crate::view::dashboard::CSS,
        ];
        for colour in sheets.iter().flat_map(|s| hex_colours(s)) {
            assert!(
                known.contains(&colour.as_str()),
                "{colour} is not checked: add it above"
            );
        }
    }

    #[test]
    fn light_brand_colours_get_dark_text_and_a_visible_focus_ring() {
        let mut branding = Branding {
            primary_color: "#ffe066".into(),
            accent_color: "#fff3b0".into(),
            ..Branding::default()
        };
        let light = palette(&branding);
        assert!(light.contains("--pt:#1d1b19"), "{light}");
        assert!(
            light.contains("--f:#1d1b19"),
            "a pale accent is no focus ring: {light}"
        );
        branding.primary_color = "#3b2f2f".into();
        branding.accent_color = "#2a6f97".into();
        let dark = palette(&branding);
        assert!(dark.contains("--pt:#ffffff"), "{dark}");
        assert!(dark.contains("--f:#2a6f97"), "{dark}");
    }
}
