//! The pages staff see: pairing a tablet as a till, who is working (a PIN per person), the
//! sign-in with an API key, the counter screen (a sale's QR code that renews itself before it
//! expires; redemption codes to confirm) and the printable poster of a location, in English or
//! Polish. Pure, like the phone's pages: callers pass in everything. No
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

/// What the counter screen shows besides the merchant: where, who, and the form token.
pub struct CounterView<'a> {
    pub locations: &'a [(u8, String)],
    pub csrf: &'a str,
    /// The person signed in with their PIN at a paired till (none: a key session).
    pub person: Option<&'a str>,
    /// The till's label, at a paired till.
    pub till: Option<&'a str>,
}

fn csrf(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// The counter screen: a sale's amount, a redemption code, the posters.
pub fn counter(
    l: Language,
    config: &MerchantConfig,
    v: &CounterView<'_>,
    n: Option<&Notice>,
) -> String {
    let symbol = &config.currency.code;
    let locations = v.locations;
    layout_with(
        l,
        &config.branding,
        &config.name,
        l.pick("Counter", "Kasa"),
        html! { style { (PreEscaped(TILL_CSS)) } },
        html! {
            @if let Some(person) = v.person {
                form class="who" method="post" action="/staff/lock" {
                    (csrf(v.csrf))
                    span { (person) @if let Some(t) = v.till { " · " (t) } }
                    button class="small" type="submit" { (l.pick("Lock · next person", "Zablokuj · następna osoba")) }
                }
            }
            (notice(n))
            form class="box" method="post" action="/staff/sale" {
                (csrf(v.csrf))
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
                (csrf(v.csrf))
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
                @if v.person.is_none() {
                    form method="post" action="/staff/sign-out" { (csrf(v.csrf)) button class="small" type="submit" { (l.pick("Sign out", "Wyloguj")) } }
                }
            }
        },
    )
}

/// The till's own styles: who is signed in, and the PIN screen's name buttons.
const TILL_CSS: &str = ".who{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between;background:#fff;border-radius:12px;padding:.5rem .9rem;margin:0 0 12px}.who span{font-weight:700}.who button{margin:0}.names{display:flex;flex-wrap:wrap;gap:.5rem;border:0;padding:0;margin:0 0 1rem}.names legend{font-weight:700;margin-bottom:.4rem}.names label{display:block;cursor:pointer}.names input{position:absolute;opacity:0}.names span{display:block;padding:.7rem 1.1rem;min-height:44px;border:2px solid #6f655b;border-radius:.6rem;background:#fff;font-weight:600}.names input:checked+span{border-color:#1f4e8c;background:#1f4e8c;color:#fff}.names input:focus-visible+span{outline:3px solid #e8b04a}input.pin{font-size:1.6rem;letter-spacing:.4em;max-width:12rem;text-align:center}.code{font-size:1.6rem;letter-spacing:.15em;text-transform:uppercase;max-width:14rem}";

/// The pairing form of a tablet: the code shown on the console.
pub fn pair(l: Language, code: &str, problem: Option<&str>) -> String {
    layout_with(
        l,
        &Branding::default(),
        l.pick("Till", "Kasa"),
        l.pick("Pair this tablet", "Połącz ten tablet"),
        html! { style { (PreEscaped(TILL_CSS)) } },
        html! {
            @if let Some(p) = problem { div class="box" role="alert" { p class="warn" { strong { (p) } } } }
            form class="box" method="post" action="/staff/pair" {
                h2 { (l.pick("Pair this tablet as a till", "Połącz ten tablet jako kasę")) }
                p class="muted" id="code-help" { (l.pick(
                    "In the console, open Locations & people → Tills and choose “Pair a till”. Type the code it shows (or scan its QR code with this tablet).",
                    "W konsoli otwórz Lokale i ludzie → Kasy i wybierz „Połącz kasę”. Wpisz pokazany kod (albo zeskanuj jego kod QR tym tabletem).")) }
                label for="code" { (l.pick("Pairing code", "Kod parowania")) }
                input class="code" type="text" id="code" name="code" value=(code) autocomplete="off" autocapitalize="characters"
                    spellcheck="false" aria-describedby="code-help" aria-invalid=[problem.map(|_| "true")] required;
                button type="submit" { (l.pick("Pair", "Połącz")) }
            }
            p class="muted" { a href="/staff" { (l.pick("Sign in with an API key instead", "Zaloguj się kluczem API")) } }
        },
    )
}

/// The PIN screen of a paired till.
pub struct PinView<'a> {
    pub till: &'a str,
    pub location: &'a str,
    /// (person id, name) of everyone who can sign in here.
    pub people: &'a [(&'a str, &'a str)],
    /// The person picked before (kept when the PIN was wrong).
    pub chosen: &'a str,
    pub csrf: &'a str,
    pub problem: Option<&'a str>,
}

/// Who is working: tap your name, type your PIN.
pub fn pin(l: Language, config: &MerchantConfig, v: &PinView<'_>) -> String {
    layout_with(
        l,
        &config.branding,
        &config.name,
        l.pick("Who is working?", "Kto pracuje?"),
        html! { style { (PreEscaped(TILL_CSS)) } },
        html! {
            @if let Some(p) = v.problem { div class="box" role="alert" { p class="warn" { strong { (p) } } } }
            form class="box" method="post" action="/staff/pin" {
                (csrf(v.csrf))
                p class="muted" { (v.till) " · " (v.location) }
                @if v.people.is_empty() {
                    p { (l.pick(
                        "Nobody can sign in here yet: each person sets their PIN in the console, under My account.",
                        "Nikt nie może się tu jeszcze zalogować: każda osoba ustawia swój PIN w konsoli, w zakładce Moje konto.")) }
                } @else {
                    fieldset class="names" {
                        legend { (l.pick("Tap your name", "Dotknij swojego imienia")) }
                        @for (id, name) in v.people {
                            label { input type="radio" name="person" value=(id) checked[*id == v.chosen] required; span { (name) } }
                        }
                    }
                    label for="pin" { (l.pick("Your PIN", "Twój PIN")) }
                    input class="pin" type="password" id="pin" name="pin" inputmode="numeric" pattern="[0-9]{4,6}" maxlength="6"
                        autocomplete="off" aria-invalid=[v.problem.map(|_| "true")] required;
                    button type="submit" { (l.pick("Start", "Zaczynam")) }
                }
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
        let view = |locations| CounterView {
            locations,
            csrf: "tok",
            person: None,
            till: None,
        };
        let both = counter(
            Language::En,
            &c,
            &view(&c.locations),
            Some(&Notice::Ok("Confirmed: Cake".into())),
        );
        assert!(both.contains("<select id=\"location\""));
        assert!(both.contains("Confirmed: Cake"));
        assert!(both.contains("Kawiarnia &lt;Lipa&gt;"));
        assert_eq!(both.matches(r#"name="csrf" value="tok""#).count(), 3);
        let one = counter(Language::En, &c, &view(&c.locations[1..]), None);
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
        let at_till = CounterView {
            locations: &c.locations,
            csrf: "tok",
            person: Some("Ola"),
            till: Some("Lada"),
        };
        let page = counter(Language::Pl, &c, &at_till, None);
        assert!(page.contains(r#"<html lang="pl">"#));
        for words in [
            "Nowa sprzedaż",
            "Kwota (PLN)",
            "Pokaż kod QR",
            "Potwierdź nagrodę",
            "Zablokuj · następna osoba",
            "Ola · Lada",
        ] {
            assert!(page.contains(words), "{words}");
        }
        assert!(!page.contains("New sale"));
        let poster = poster(Language::Pl, &c, "Rynek", "https://x/s/P", "<svg></svg>");
        assert!(poster.contains("8 pieczątek: a free coffee."), "{poster}");
        assert!(poster.contains("Rynek · bez aplikacji"));
        assert!(sign_in(Language::Pl, None).contains("Klucz API"));
        assert!(pair(Language::Pl, "", None).contains("Kod parowania"));
        let names = [("p1", "Ola"), ("p2", "Jan")];
        let pin_page = pin(
            Language::Pl,
            &c,
            &PinView {
                till: "Lada",
                location: "Rynek",
                people: &names,
                chosen: "p2",
                csrf: "tok",
                problem: Some("To nie ten PIN."),
            },
        );
        for words in [
            "Dotknij swojego imienia",
            "Twój PIN",
            "Zaczynam",
            "Lada · Rynek",
        ] {
            assert!(pin_page.contains(words), "{words}");
        }
        assert!(pin_page.contains(r#"value="p2" checked"#), "{pin_page}");
        assert!(!pin_page.contains("Tap your name"));
    }
}
