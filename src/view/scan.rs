//! What a phone sees when it scans: the result of the scan, and the join form for a phone
//! without a card (from a counter's code or a friend's invitation).

use maud::{html, Markup};

use super::card::CardState;
use super::page::{balance, duration, layout};
use crate::domain::earn::{Credit, VisitRefusal};
use crate::domain::enrol::{EnrolForm, FieldError};
use crate::domain::language::{Language, Noun};
use crate::domain::program::{MerchantConfig, Tone};

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

/// Renders the page after a scan.
pub fn scan_result(
    l: Language,
    config: &MerchantConfig,
    state: &CardState,
    outcome: &ScanOutcome,
    offer: Markup,
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
    let offer_is_empty = offer.0.is_empty();
    layout(
        l,
        &config.branding,
        &config.name,
        title,
        html! {
            (body)
            (balance(l, config, state, new_stamps))
            a class="btn" href=(card_link) { (l.pick("Open my card", "Otwórz moją kartę")) }
            (offer)
            @if !offer_is_empty { script { (maud::PreEscaped(super::notify::OFFER_SCRIPT)) } }
        },
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::page::fixture::{config, state};

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
            html! {},
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
            html! {},
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
    fn the_polish_join_errors_are_polish() {
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
}
