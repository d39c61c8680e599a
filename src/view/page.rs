//! The frame of every page a phone sees: the stylesheet, the brand's colours, the layout, and
//! the helpers several page families share (the balance and stamp card, dates, waits and ages,
//! entry reasons, member codes). The families: `scan`, `card`, `redemption` and `error`.
//!
//! The pages a phone sees, rendered with maud (escaped by construction), in English or Polish.
//! Pure: callers pass in everything, including `now` and the language, so pages test natively.
//! Small inline CSS, no JavaScript needed. Text on the merchant's colours is picked to reach
//! WCAG AA contrast (`contrast`).

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::card::CardState;
use super::contrast;
use crate::domain::earn::StampCard;
use crate::domain::language::{Language, Noun};
use crate::domain::program::{Branding, MerchantConfig, StampIcon};

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
.stamp.new{outline:3px solid var(--f);outline-offset:2px}.stamp svg{display:block;width:64%;height:64%;margin:18%;fill:#d6cfc7}.stamp.on svg{fill:var(--at)}
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
table{width:100%;border-collapse:collapse}td{padding:8px 0;border-bottom:1px solid #eee}td.n{text-align:right;font-variant-numeric:tabular-nums}img.pic{float:left;width:56px;height:56px;object-fit:cover;border-radius:8px;margin:0 10px 4px 0}
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
        ":root{{--p:{};--a:{};--pt:{};--at:{};--f:{}}}",
        branding.primary_color,
        branding.accent_color,
        contrast::text_on(&branding.primary_color),
        contrast::text_on(&branding.accent_color),
        focus
    )
}

pub(super) fn layout(
    lang: Language,
    branding: &Branding,
    shop: &str,
    title: &str,
    body: Markup,
) -> String {
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

/// The picture inside a stamp (24 × 24), or none for a plain filled circle.
pub(crate) fn stamp_icon_path(icon: StampIcon) -> Option<&'static str> {
    match icon {
        StampIcon::Dot => None,
        StampIcon::Cup => Some("M3 7h14v6a6 6 0 0 1-6 6H9a6 6 0 0 1-6-6zM17 9h1.5a3 3 0 0 1 0 6H17v-2h1.5a1 1 0 0 0 0-2H17zM2 20h16v2H2z"),
        StampIcon::Star => Some("M12 2l3 6.9 7.5.6-5.7 5 1.8 7.3L12 18l-6.6 3.8 1.8-7.3-5.7-5 7.5-.6z"),
        StampIcon::Heart => Some("M12 21s-7.6-4.6-9.6-9.4C.9 7.9 3.4 4.5 7 4.5c2 0 3.6 1.2 5 3 1.4-1.8 3-3 5-3 3.6 0 6.1 3.4 4.6 7.1C19.6 16.4 12 21 12 21z"),
        StampIcon::Leaf => Some("M21 3C9 3 3 8.5 3 16c0 1.6.3 3 .9 4.2C5 16 8 12 13 9.5 9 12.5 6.5 16 5.4 20.6 6.8 21 8.3 21 9.5 21 17 21 21 15 21 3z"),
        StampIcon::Check => Some("M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z"),
    }
}

/// A stamp's picture as inline SVG (nothing for a plain circle).
pub(crate) fn stamp_svg(icon: StampIcon) -> Markup {
    html! {
        @if let Some(d) = stamp_icon_path(icon) {
            svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" { path d=(d) {} }
        }
    }
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
                span class=(class) { (stamp_svg(config.branding.stamp_icon)) }
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

pub(super) fn balance(
    l: Language,
    config: &MerchantConfig,
    state: &CardState,
    new_stamps: i64,
) -> Markup {
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

/// Writes a wait as "about 3 hours" or "12 minutes" ("ok. 3 godz.", "12 min" in Polish, whose
/// abbreviations need no case after "za").
pub(super) fn duration(l: Language, secs: i64) -> String {
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
pub(super) fn ago(l: Language, now_ms: i64, then_ms: i64) -> String {
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

/// Returns the member code shown on the card: the first eight characters of the id, upper case.
pub fn member_code(member_id: &str) -> String {
    member_id
        .chars()
        .take(8)
        .collect::<String>()
        .to_ascii_uppercase()
}

/// The merchant and member the page families' tests render.
#[cfg(test)]
pub(super) mod fixture {
    use crate::domain::program::MerchantConfig;
    use crate::view::card::CardState;

    pub(crate) fn config() -> MerchantConfig {
        crate::view::test_config("Kawiarnia <Pod Lipą>", &["Rynek"])
    }

    pub(crate) fn state() -> CardState {
        CardState {
            name: "Ola".into(),
            code: "1A2B3C4D".into(),
            points: 25,
            pending: 0,
            stamps: 3,
            tier: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Every fixed text colour of the stylesheets with the surfaces it is drawn on.
    const TEXT_PAIRS: [(&str, &[&str]); 6] = [
        ("#1d1b19", &[PAGE_BACKGROUND, BOX_BACKGROUND]),
        ("#5f5a55", &[PAGE_BACKGROUND, BOX_BACKGROUND]),
        ("#1e6b34", &[BOX_BACKGROUND]),
        ("#8a4b00", &[BOX_BACKGROUND]),
        ("#a4161a", &[BOX_BACKGROUND]),
        ("#1a4f9c", &[PAGE_BACKGROUND, BOX_BACKGROUND]),
    ];
    /// Surfaces and rules that carry no text or meaning (box and bar backgrounds, table rules, the
    /// watermark picture in an empty stamp).
    const DECORATIVE: [&str; 4] = ["#fff", "#eee", "#ddd", "#d6cfc7"];
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
