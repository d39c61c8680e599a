//! The member's own pages: the card (balance, codes, rewards, the invitation to share, expiries,
//! latest entries), the whole history, the data and privacy page, the card of a phone without
//! one, and the card's web app manifest and icon.

use maud::{html, Markup, PreEscaped};

use super::contrast;
use super::page::{
    ago, balance, layout, layout_with, local_date_in, reason_label_in, PAGE_BACKGROUND,
};
use crate::domain::language::{Language, Noun};
use crate::domain::messages::{opt_out_bit, Class, Via};
use crate::domain::program::{MerchantConfig, Tone};

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

/// A reward on the card page.
#[derive(Debug, Clone)]
pub struct RewardLine {
    pub id: String,
    pub name: String,
    /// `None`: a full stamp card.
    pub cost_points: Option<i64>,
    /// What it gives: `free_item`, `amount_off`, `percent_off`, `cashback`, `coupon`.
    pub kind: String,
    /// Its amount (minor units) or per cent.
    pub value: Option<i64>,
    pub description: Option<String>,
    /// A picture's address (checked when the reward was saved).
    pub image: Option<String>,
    /// When it stops being offered (Unix ms).
    pub ends_at: Option<i64>,
    /// How many are left, when the shop counts them.
    pub stock: Option<i64>,
}

/// What a reward gives, in words, when its name may not say it ("5.00 PLN off the bill"); none
/// for a free item.
pub fn gift_words(
    l: Language,
    config: &MerchantConfig,
    kind: &str,
    value: Option<i64>,
) -> Option<String> {
    let money = |v| l.decimal(config.currency.format(v));
    match (kind, value, l) {
        ("amount_off", Some(v), Language::En) => Some(format!("{} off the bill", money(v))),
        ("amount_off", Some(v), Language::Pl) => Some(format!("{} zniżki na rachunek", money(v))),
        ("percent_off", Some(v), Language::En) => Some(format!("{v} % off the bill")),
        ("percent_off", Some(v), Language::Pl) => Some(format!("{v} % zniżki na rachunek")),
        ("cashback", Some(v), Language::En) => Some(format!("{} back into your wallet", money(v))),
        ("cashback", Some(v), Language::Pl) => Some(format!("{} zwrotu do portfela", money(v))),
        ("coupon", _, _) => Some(
            l.pick("a coupon code to use", "kod rabatowy do wykorzystania")
                .into(),
        ),
        _ => None,
    }
}

/// The small print under a reward: when it ends and how many are left (only when few are).
pub fn reward_terms(
    l: Language,
    config: &MerchantConfig,
    ends_at: Option<i64>,
    stock: Option<i64>,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(e) = ends_at {
        // The stored end is the first instant it is gone: the day before is the last one.
        out.push(format!(
            "{} {}",
            l.pick("until", "do"),
            super::page::local_date_in(l, config, e - 1)
        ));
    }
    if let Some(n) = stock.filter(|n| *n <= 20) {
        out.push(match l {
            Language::En => format!("{n} left"),
            Language::Pl => format!("zostało: {n}"),
        });
    }
    out
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
                @match config.branding.tone {
                    Tone::Friendly => p { (l.pick("Hi ", "Cześć, ")) (state.name) "!" },
                    Tone::Formal => p { (l.pick("Welcome back.", "Witamy ponownie.")) },
                }
                p class="muted" { (l.pick("Member code ", "Kod klienta ")) strong { (state.code) } }
            }
            (balance(l, config, state, 0))
            @if let Some(w) = &extras.welcome_bonus { div class="box" { p { (w) } } }
            @for c in &extras.live_codes {
                a class="btn" href={ "/c/" (shop) "/redemptions/" (c.id) } { (l.pick("Show my code for ", "Pokaż kod: ")) (c.reward) }
            }
            @if !extras.rewards.is_empty() {
                div class="box" id="rewards" {
                    h2 { (l.pick("Rewards", "Nagrody")) }
                    table {
                        @for r in &extras.rewards {
                            @let affordable = match r.cost_points { Some(p) => state.points >= p, None => state.stamps >= card_size };
                            tr {
                                td {
                                    @if let Some(src) = &r.image { img class="pic" src=(src) alt="" width="56" height="56"; }
                                    strong { (r.name) }
                                    @if let Some(d) = &r.description { br; span { (d) } }
                                    @if let Some(g) = gift_words(l, config, &r.kind, r.value) { br; span { (g) } }
                                    br; span class="muted" {
                                    @match r.cost_points {
                                        Some(p) => { (Noun::Point.count(l, p)) },
                                        None => { (l.pick("a full stamp card", "pełna karta pieczątek")) },
                                    }
                                    @for t in reward_terms(l, config, r.ends_at, r.stock) { " · " (t) }
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
    /// Opt-out bits per channel (`domain::messages::opt_out_bit`).
    pub opt_out: i64,
    /// Devices that get notifications from this card.
    pub push_devices: i64,
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
                p class="muted" { (l.pick("News about your own card (points, rewards) comes without this, if you gave a contact, unless you turn it off below.",
                                          "Wiadomości o Twojej karcie (punkty, nagrody) przychodzą i bez tej zgody, jeśli podano kontakt, chyba że wyłączysz je poniżej.")) }
                label for="channel" { (l.pick("How", "Jak")) }
                select id="channel" name="channel" {
                    option value="" selected[channel.is_empty()] { (l.pick("Any (a notification first, then email)", "Dowolnie (najpierw powiadomienie, potem e-mail)")) }
                    option value="email" selected[channel == "email"] { (l.pick("Email", "E-mail")) }
                    option value="sms" selected[channel == "sms"] { "SMS" }
                    option value="push" selected[channel == "push"] { (l.pick("Push", "Powiadomienie push")) }
                }
                fieldset class="plain" {
                    legend { (l.pick("Offers may come", "Oferty mogą przychodzić")) }
                    input type="hidden" name="channels" value="1";
                    @for (name, via, words) in [
                        ("offers_email", Via::Email, l.pick("by email", "e-mailem")),
                        ("offers_push", Via::Push, l.pick("as notifications on my phone", "jako powiadomienia na telefonie")),
                        ("offers_sms", Via::Webhook, l.pick("by text message", "SMS-em")),
                    ] {
                        label class="check" {
                            input type="checkbox" name=(name) value="yes" checked[p.opt_out & opt_out_bit(via, Class::Marketing) == 0];
                            span { (words) }
                        }
                    }
                }
                fieldset class="plain" {
                    legend { (l.pick("News about my card (a reward ready, points expiring) may come", "Wiadomości o mojej karcie (gotowa nagroda, wygasające punkty) mogą przychodzić")) }
                    @for (name, via, words) in [
                        ("news_email", Via::Email, l.pick("by email", "e-mailem")),
                        ("news_push", Via::Push, l.pick("as notifications on my phone", "jako powiadomienia na telefonie")),
                        ("news_sms", Via::Webhook, l.pick("by text message", "SMS-em")),
                    ] {
                        label class="check" {
                            input type="checkbox" name=(name) value="yes" checked[p.opt_out & opt_out_bit(via, Class::Transactional) == 0];
                            span { (words) }
                        }
                    }
                }
                label for="language" { (l.pick("Language", "Język")) }
                select id="language" name="language" {
                    option value="" selected[language.is_empty()] { (l.pick("The shop's", "Jak w sklepie")) }
                    option value="en" lang="en" selected[language == "en"] { "English" }
                    option value="pl" lang="pl" selected[language == "pl"] { "Polski" }
                }
                button type="submit" { (l.pick("Save", "Zapisz")) }
            }
            @if p.push_devices > 0 {
                form class="box" method="post" action={ "/c/" (shop) "/push/off" } {
                    h2 { (l.pick("Notifications", "Powiadomienia")) }
                    p { @match l {
                        Language::En => { "Notifications from this card are on for " (p.push_devices) " " (if p.push_devices == 1 { "device" } else { "devices" }) "." },
                        Language::Pl => { "Powiadomienia z tej karty są włączone na urządzeniach: " (p.push_devices) "." },
                    } }
                    button type="submit" { (l.pick("Turn notifications off", "Wyłącz powiadomienia")) }
                }
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

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::page::fixture::{config, state};

    #[test]
    fn merchant_text_is_escaped() {
        let page = no_card(Language::En, &config());
        assert!(page.contains("Kawiarnia &lt;Pod Lipą&gt;"));
        assert!(!page.contains("<Pod"));
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
                    kind: "free_item".into(),
                    value: None,
                    description: None,
                    image: None,
                    ends_at: None,
                    stock: None,
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
    fn the_polish_card_dates_are_polish() {
        let extras = CardExtras {
            expiries: vec![(1_800_000_000_000, 3)],
            expiring_30_days: 3,
            ..CardExtras::default()
        };
        let page = card(Language::Pl, &config(), &state(), &[], &extras, 1_000_000);
        assert!(page.contains("15 stycznia 2027"), "{page}");
        assert!(page.contains("W ciągu 30 dni wygasa: 3 punkty."));
        assert!(page.contains("Moja karta"));
    }
}
