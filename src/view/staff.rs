//! The pages staff see: the sign-in with an API key, the counter screen (a sale's QR code that
//! renews itself before it expires; redemption codes to confirm) and the printable poster of a
//! location, in English or Polish. Pure, like the phone's pages: callers pass in everything. No
//! JavaScript: the sale screen reloads itself every few seconds to show the scan or a fresh code.

use maud::{html, Markup, PreEscaped};

use super::page::layout_with;
use crate::domain::language::{Language, Noun};
use crate::domain::program::{Branding, MerchantConfig};

/// A line at the top of the counter screen after an action.
pub enum Notice {
    Ok(String),
    Problem(String),
}

fn notice(n: Option<&Notice>) -> Markup {
    html! {
        @match n {
            Some(Notice::Ok(text)) => div class="box" role="status" { p class="big ok" { (text) } },
            Some(Notice::Problem(text)) => div class="box" role="alert" { p class="warn" { strong { (text) } } },
            None => {},
        }
    }
}

/// A key sign-in form: `area` names the screen, `action` is where it posts, `hint` says which
/// keys fit (shared by the counter and the dashboard).
pub fn key_sign_in(
    l: Language,
    area: &str,
    action: &str,
    hint: &str,
    problem: Option<&str>,
) -> String {
    layout_with(
        l,
        &Branding::default(),
        area,
        l.pick("Sign in", "Logowanie"),
        html! {},
        html! {
            @if let Some(p) = problem { div class="box" role="alert" { p class="warn" { strong { (p) } } } }
            form class="box" method="post" action=(action) {
                @match l {
                    Language::En => h2 { (area) " sign-in" },
                    Language::Pl => h2 { "Logowanie: " (area) },
                }
                p class="muted" id="key-hint" { (hint) }
                label for="key" { (l.pick("API key", "Klucz API")) }
                input type="text" id="key" name="key" autocomplete="off" autocapitalize="none" spellcheck="false"
                    aria-describedby="key-hint" required;
                button type="submit" { (l.pick("Sign in", "Zaloguj")) }
            }
        },
    )
}

/// The counter's sign-in form (a counter or owner key, as printed when it was made).
pub fn sign_in(l: Language, problem: Option<&str>) -> String {
    key_sign_in(
        l,
        l.pick("Counter", "Kasa"),
        "/staff/sign-in",
        l.pick(
            "Enter the counter key of this till (lek_…). The screen stays signed in for 12 hours; revoking the key signs it out.",
            "Wpisz klucz tej kasy (lek_…). Ekran pozostaje zalogowany przez 12 godzin; unieważnienie klucza go wylogowuje.",
        ),
        problem,
    )
}

/// The counter screen: a sale's amount, a redemption code, the posters.
pub fn counter(
    l: Language,
    config: &MerchantConfig,
    locations: &[(u8, String)],
    n: Option<&Notice>,
) -> String {
    let symbol = &config.currency.code;
    layout_with(
        l,
        &config.branding,
        &config.name,
        l.pick("Counter", "Kasa"),
        html! {},
        html! {
            (notice(n))
            form class="box" method="post" action="/staff/sale" {
                h2 { (l.pick("New sale", "Nowa sprzedaż")) }
                label for="amount" { (l.pick("Amount", "Kwota")) " (" (symbol) ")" }
                input type="text" id="amount" name="amount" inputmode="decimal" placeholder=(l.pick("12.50", "12,50")) autocomplete="off" required;
                @if let [(only, name)] = locations {
                    input type="hidden" name="location" value=(only);
                    p class="muted" { (l.pick("Location: ", "Lokalizacja: ")) (name) }
                } @else {
                    label for="location" { (l.pick("Location", "Lokalizacja")) }
                    select id="location" name="location" {
                        @for (n, name) in locations { option value=(n) { (name) } }
                    }
                }
                button type="submit" { (l.pick("Show the QR code", "Pokaż kod QR")) }
            }
            form class="box" method="post" action="/staff/confirm" {
                h2 { (l.pick("Confirm a reward", "Potwierdź nagrodę")) }
                label for="code" { (l.pick("Code on the customer's phone", "Kod z telefonu klienta")) }
                input type="text" id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="off" required;
                button type="submit" { (l.pick("Confirm", "Potwierdź")) }
            }
            div class="box" {
                h2 { (l.pick("Posters", "Plakaty")) }
                @for (n, name) in locations {
                    p { a href={ "/staff/poster/" (n) } { (l.pick("Print the poster of ", "Wydrukuj plakat: ")) (name) } }
                }
                form method="post" action="/staff/sign-out" { button class="small" type="submit" { (l.pick("Sign out", "Wyloguj")) } }
            }
        },
    )
}

/// A sale's QR code, shown until it is scanned; the page reloads itself every `refresh_secs`.
pub struct SaleView<'a> {
    pub amount: &'a str,
    pub location: &'a str,
    pub url: &'a str,
    pub svg: &'a str,
    pub expires_in_secs: i64,
    /// Where the reload goes (this token, so the next view can tell whether it was scanned).
    pub reload: &'a str,
    pub refresh_secs: i64,
}

/// Renders the sale screen.
pub fn sale(l: Language, config: &MerchantConfig, v: &SaleView<'_>) -> String {
    let refresh = format!("{};url={}", v.refresh_secs, v.reload);
    layout_with(
        l,
        &config.branding,
        &config.name,
        l.pick("Scan to collect", "Zeskanuj i zbieraj"),
        html! { meta http-equiv="refresh" content=(refresh); },
        html! {
            div class="box" {
                p class="muted" { (v.location) }
                p class="big" { (v.amount) }
                div class="qr" data-url=(v.url) { (PreEscaped(v.svg)) }
                @match l {
                    Language::En => p class="muted" { "Scan with the phone camera. A new code replaces this one before it expires (in " (v.expires_in_secs) " s)." },
                    Language::Pl => p class="muted" { "Zeskanuj aparatem telefonu. Nowy kod zastąpi ten, zanim wygaśnie (za " (v.expires_in_secs) " s)." },
                }
                div class="bar" { span style={ "animation-duration:" (v.expires_in_secs) "s" } {} }
            }
            a class="btn" href="/staff" { (l.pick("Cancel", "Anuluj")) }
        },
    )
}

/// The sale screen once the customer scanned.
pub fn collected(l: Language, config: &MerchantConfig, amount: &str, member: &str) -> String {
    layout_with(
        l,
        &config.branding,
        &config.name,
        l.pick("Collected", "Zebrano"),
        html! {},
        html! {
            div class="box" role="status" {
                p class="big ok" { (l.pick("Collected ✓", "Zebrano ✓")) }
                p { (amount) " · " (member) }
            }
            a class="btn" href="/staff" { (l.pick("Next sale", "Następna sprzedaż")) }
        },
    )
}

/// The poster of a location: the shop's name, what a visit earns, and the visit QR code.
pub fn poster(
    l: Language,
    config: &MerchantConfig,
    location: &str,
    url: &str,
    svg: &str,
) -> String {
    let size = i64::from(config.program.stamp_card_size);
    let reward = &config.program.card_reward;
    let what = match (config.program.stamps_per_visit > 0, l) {
        (true, Language::En) => {
            format!("Scan with your phone camera for a stamp. {size} stamps: {reward}.")
        }
        (true, Language::Pl) => format!(
            "Zeskanuj aparatem telefonu i zbierz pieczątkę. {}: {reward}.",
            Noun::Stamp.count(l, size)
        ),
        (false, Language::En) => "Scan with your phone camera to join our loyalty card.".into(),
        (false, Language::Pl) => {
            "Zeskanuj aparatem telefonu i dołącz do naszego programu lojalnościowego.".into()
        }
    };
    layout_with(
        l,
        &config.branding,
        &config.name,
        l.pick("Poster", "Plakat"),
        html! { style { (PreEscaped(POSTER_CSS)) } },
        html! {
            div class="poster" {
                h2 { (l.pick("Collect with every visit", "Zbieraj przy każdej wizycie")) }
                p class="lead" { (what) }
                div class="qr" data-url=(url) { (PreEscaped(svg)) }
                p class="muted" { (location) (l.pick(" · no app needed", " · bez aplikacji")) }
            }
            p class="noprint" { a class="btn" href="/staff" { (l.pick("Back to the counter", "Wróć do kasy")) } }
        },
    )
}

/// The poster prints on one page with the QR code at least 6 cm wide (about 35 modules of
/// 1.7 mm: a phone reads it from a metre away).
pub(crate) const POSTER_CSS: &str = ".poster{text-align:center;background:#fff;border-radius:14px;padding:24px}.poster h2{font-size:2rem;margin:.2em 0}.lead{font-size:1.25rem}.poster .qr svg{width:80%;max-width:12cm;min-width:6cm}@media print{header{-webkit-print-color-adjust:exact;print-color-adjust:exact}.noprint{display:none}body{background:#fff}main{max-width:none}}";

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> MerchantConfig {
        super::super::test_config("Kawiarnia <Lipa>", &["Rynek", "Dworzec"])
    }

    #[test]
    fn the_counter_offers_a_location_choice_only_when_there_is_one() {
        let c = config();
        let both = counter(
            Language::En,
            &c,
            &c.locations,
            Some(&Notice::Ok("Confirmed: Cake".into())),
        );
        assert!(both.contains("<select id=\"location\""));
        assert!(both.contains("Confirmed: Cake"));
        assert!(both.contains("Kawiarnia &lt;Lipa&gt;"));
        let one = counter(Language::En, &c, &c.locations[1..], None);
        assert!(!one.contains("<select"));
        assert!(one.contains("name=\"location\" value=\"2\""));
    }

    #[test]
    fn the_sale_screen_reloads_itself_to_its_own_token() {
        let page = sale(
            Language::En,
            &config(),
            &SaleView {
                amount: "12.50 PLN",
                location: "Rynek",
                url: "https://x/s/T",
                svg: "<svg></svg>",
                expires_in_secs: 170,
                reload: "/staff/sale?t=T",
                refresh_secs: 3,
            },
        );
        assert!(page.contains(r#"<meta http-equiv="refresh" content="3;url=/staff/sale?t=T">"#));
        assert!(page.contains(r#"data-url="https://x/s/T""#));
    }

    #[test]
    fn the_poster_says_what_a_visit_earns() {
        let page = poster(
            Language::En,
            &config(),
            "Rynek",
            "https://x/s/P",
            "<svg></svg>",
        );
        assert!(page.contains("8 stamps: a free coffee."), "{page}");
        assert!(page.contains("@media print"));
    }
    #[test]
    fn the_counter_and_the_poster_speak_polish() {
        let c = config();
        let page = counter(Language::Pl, &c, &c.locations, None);
        assert!(page.contains(r#"<html lang="pl">"#));
        for words in [
            "Nowa sprzedaż",
            "Kwota (PLN)",
            "Pokaż kod QR",
            "Potwierdź nagrodę",
            "Wyloguj",
        ] {
            assert!(page.contains(words), "{words}");
        }
        assert!(!page.contains("New sale"));
        let poster = poster(Language::Pl, &c, "Rynek", "https://x/s/P", "<svg></svg>");
        assert!(poster.contains("8 pieczątek: a free coffee."), "{poster}");
        assert!(poster.contains("Rynek · bez aplikacji"));
        assert!(sign_in(Language::Pl, None).contains("Klucz API"));
    }
}
