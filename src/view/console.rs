//! The owner's console, in English or Polish: sign-up and sign-in, the frame every module page
//! lives in (navigation by role, the language switch), the home page's set-up checklist, the
//! account page (password, language, signed-in devices) and the plain pages for what is not
//! built yet or not allowed. Pure and without JavaScript: every form posts and comes back.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::domain::account::{
    FieldError, Module, Problem, Role, SignUpForm, SignUpMode, COUNTRIES, MODULES,
};
use crate::domain::language::Language;
use crate::domain::password::Weakness;
use crate::domain::setup::{Progress, State, Step as SetUpStep};

/// The console's stylesheet: readable on a 360 px phone, a side menu from 800 px.
const CSS: &str = "*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1d1b19;background:#f6f4f1}a{color:#1f4e8c}header{background:#2b2118;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between}header a{color:#fff}.brand{font-weight:700}.who{font-size:.9rem}main{padding:1rem;max-width:60rem}.shell{display:flex}.side{display:none}.side ul,.menu ul{list-style:none;margin:0;padding:0}.side a,.menu a{display:block;padding:.55rem 1rem;text-decoration:none;color:#1d1b19;min-height:44px}.side a[aria-current],.menu a[aria-current]{background:#e8e0d6;font-weight:700}.menu{background:#fff;border-bottom:1px solid #8a7f74}.menu summary{padding:.7rem 1rem;cursor:pointer;min-height:44px}@media(min-width:800px){.side{display:block;width:15rem;background:#fff;border-right:1px solid #8a7f74;min-height:calc(100vh - 3rem)}.menu{display:none}}form.inline{display:inline}label{display:block;font-weight:600;margin-top:.9rem}input,select{font:inherit;width:100%;max-width:28rem;padding:.6rem;border:1px solid #6f655b;border-radius:.4rem;background:#fff}input[aria-invalid=true]{border:2px solid #b3261e}.err{color:#b3261e;margin:.2rem 0 0}.help{color:#5c534a;margin:.2rem 0 0;font-size:.9rem}button{font:inherit;min-height:44px;padding:.55rem 1.1rem;border-radius:.4rem;border:0;background:#1f4e8c;color:#fff;cursor:pointer;margin-top:1rem}button.quiet{background:#fff;color:#1f4e8c;border:1px solid #1f4e8c;margin-top:0}.card{background:#fff;border:1px solid #8a7f74;border-radius:.6rem;padding:1rem;margin:1rem 0}.alert{background:#fdecea;border:1px solid #b3261e;border-radius:.4rem;padding:.7rem}.ok{background:#e6f4ea;border:1px solid #1e7b34;border-radius:.4rem;padding:.7rem}ol.check{padding-left:1.2rem}ol.check li{margin:.5rem 0}.done{color:#1e7b34}.hp{position:absolute;left:-9999px}ul.devices{list-style:none;padding:0;margin:0}ul.devices li{padding:.6rem 0;border-bottom:1px solid #d6cfc7}ul.devices button{margin-top:.3rem}.tools{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}label.inline{display:inline;margin:0 .3rem 0 0}.devices select{width:auto}.lang button{margin:0;padding:.2rem .6rem;min-height:32px;background:#fff;color:#2b2118}.lang button[aria-pressed=true]{background:#e8b04a}.tabs{display:flex;flex-wrap:wrap;gap:.3rem;margin:0 0 1rem;border-bottom:1px solid #8a7f74}.tabs a{padding:.55rem .9rem;min-height:44px;text-decoration:none}.tabs a[aria-current]{border-bottom:3px solid #1f4e8c;font-weight:700}.pairing-code{font:700 2.4rem/1.2 ui-monospace,monospace;letter-spacing:.12em;margin:.5rem 0}.qr svg{width:100%;max-width:14rem;height:auto;background:#fff}input.pin{display:block;max-width:10rem;letter-spacing:.3em}.box{background:#fff;border:1px solid #8a7f74;border-radius:.6rem;padding:1rem;margin:1rem 0}.box h3{margin-top:0}.shell main{flex:1;min-width:0}.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,14rem),1fr));gap:.75rem}.cards .box{margin:0}.big{font-size:1.6rem;font-weight:700;margin:.1em 0}.muted{color:#5c534a}.def{font-size:.85rem;color:#5c534a;margin:.3em 0;overflow-wrap:anywhere}.chart{width:100%;height:auto}.scroll{overflow-x:auto}table{width:100%;border-collapse:collapse}th{text-align:left;padding:.4rem .5rem .4rem 0;border-bottom:2px solid #d6cfc7;font-size:.9rem}th+th{text-align:right}ul.held{list-style:none;padding:0;margin:0}ul.held li{padding:.6rem 0;border-bottom:1px solid #e6e0d9}.decide form{display:inline-block;margin:.3rem .4rem 0 0}td{padding:.5rem .5rem .5rem 0;border-bottom:1px solid #e6e0d9;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}@media(max-width:480px){th,td{font-size:.85rem}.big{font-size:1.3rem}}button.small{margin:0;min-height:40px;padding:.4rem .8rem}.warn{color:#b3261e}form[role=search] button{margin-top:.6rem}label.check{display:flex;gap:.6rem;align-items:flex-start}label.check input{width:1.3rem;height:1.3rem;flex:none;margin:.15rem 0 0}textarea{font:inherit;width:100%;max-width:40rem;padding:.6rem;border:1px solid #6f655b;border-radius:.4rem}iframe.preview{display:block;width:100%;max-width:40rem;height:19rem;border:1px solid #d6cfc7;border-radius:.4rem;background:#fff;margin:.5rem 0}iframe.preview.email{height:27rem}ul.kinds{display:flex;flex-wrap:wrap;gap:.3rem .9rem;list-style:none;padding:0;margin:0}ul.kinds a{display:inline-block;padding:.3rem 0;min-height:32px}ul.kinds a[aria-current],p a[aria-current]{font-weight:700;color:#1d1b19}";

/// The page frame of a console page in `l`.
pub(crate) fn page(l: Language, title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(l.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) " · loyalty-edge" }
                style { (PreEscaped(CSS)) }
            }
            body { (body) }
        }
    }
    .into_string()
}

/// A field problem in words, in `l`.
pub fn problem_text(l: Language, p: Problem) -> &'static str {
    match p {
        Problem::Missing => l.pick("Please fill this in.", "Uzupełnij to pole."),
        Problem::TooLong => l.pick(
            "Please use at most 60 characters, without line breaks.",
            "Użyj najwyżej 60 znaków, bez podziału wiersza.",
        ),
        Problem::NotAnEmail => l.pick(
            "This does not look like an email address.",
            "To nie wygląda na adres e-mail.",
        ),
        Problem::Password(Weakness::TooShort) => {
            l.pick("Use at least 10 characters.", "Użyj co najmniej 10 znaków.")
        }
        Problem::Password(Weakness::TooLong) => {
            l.pick("Use at most 200 characters.", "Użyj najwyżej 200 znaków.")
        }
        Problem::Password(Weakness::Common) => l.pick(
            "This password is too easy to guess: choose another.",
            "To hasło łatwo odgadnąć: wybierz inne.",
        ),
        Problem::UnknownCountry => l.pick("Choose a country.", "Wybierz kraj."),
        Problem::EmailTaken => l.pick(
            "This email already has an account: sign in instead.",
            "Ten e-mail ma już konto: zaloguj się.",
        ),
        Problem::WrongPassword => l.pick(
            "This is not your current password.",
            "To nie jest Twoje obecne hasło.",
        ),
        Problem::RoleNotAllowed => l.pick(
            "Choose a role you may give: only an owner makes or changes owners.",
            "Wybierz rolę, którą możesz nadać: tylko właściciel nadaje i zmienia rolę właściciela.",
        ),
        Problem::WrongCode => l.pick(
            "This sign-up code is not valid.",
            "Ten kod rejestracji jest nieprawidłowy.",
        ),
        Problem::Pin(p) => p.text(l),
        Problem::PasskeyRefused => l.pick(
            "This passkey could not be checked: try again, or use another device.",
            "Nie udało się sprawdzić tego klucza: spróbuj ponownie albo użyj innego urządzenia.",
        ),
        Problem::PasskeyReplayed => l.pick(
            "This passkey's counter went back: it may have been copied. Remove it and add it again.",
            "Licznik tego klucza się cofnął: mógł zostać skopiowany. Usuń go i dodaj ponownie.",
        ),
        Problem::PasskeyExpired => l.pick(
            "The page waited too long: try again.",
            "Strona czekała zbyt długo: spróbuj ponownie.",
        ),
        Problem::PasskeyNotAdded => l.pick(
            "This passkey was not added: it is already known, or you have 10 passkeys.",
            "Nie dodano klucza: jest już znany albo masz już 10 kluczy.",
        ),
        Problem::CodeSpent => l.pick(
            "This sign-up code was used already or has expired: ask the operator for a new one.",
            "Ten kod rejestracji został już użyty albo wygasł: poproś operatora o nowy.",
        ),
    }
}

/// One labelled input with its help line and, if any, its error (kept input, `aria-invalid`).
#[allow(clippy::too_many_arguments)] // one call per field reads best with every part named in place
pub(crate) fn field(
    l: Language,
    errors: &[FieldError],
    name: &str,
    label: &str,
    kind: &str,
    value: &str,
    help: Option<&str>,
    autocomplete: &str,
) -> Markup {
    let error = errors.iter().find(|e| e.field == name);
    let id = format!("f-{name}");
    let described = format!("{id}-help {id}-err");
    html! {
        label for=(id) { (label) }
        input id=(id) name=(name) type=(kind) value=(value) autocomplete=(autocomplete)
            aria-invalid=[error.map(|_| "true")] aria-describedby=(described);
        @if let Some(h) = help { p.help id={(id) "-help"} { (h) } }
        @if let Some(e) = error { p.err id={(id) "-err"} role="alert" { (problem_text(l, e.problem)) } }
    }
}

/// A PIN input with its error.
fn pin_field(l: Language, errors: &[FieldError], name: &str, label: &str) -> Markup {
    let error = errors.iter().find(|e| e.field == name);
    let id = format!("f-{name}");
    html! {
        label for=(id) { (label) }
        input.pin id=(id) name=(name) type="password" inputmode="numeric" maxlength="6" autocomplete="off"
            aria-invalid=[error.map(|_| "true")] aria-describedby={(id) "-err"};
        @if let Some(e) = error { p.err id={(id) "-err"} role="alert" { (problem_text(l, e.problem)) } }
    }
}

/// The language links of a signed-out page.
pub(crate) fn language_links(l: Language, path: &str) -> Markup {
    html! {
        p.lang {
            @for other in Language::ALL {
                @if other == l { strong { (other.as_str().to_uppercase()) } " " }
                @else { a href={(path) "?lang=" (other.as_str())} hreflang=(other.as_str()) lang=(other.as_str()) {
                    (other.pick("English", "Polski")) } " " }
            }
        }
    }
}

/// The sign-up page: the form with what was typed kept (never the password) and each error
/// beside its field.
pub fn sign_up(
    l: Language,
    mode: SignUpMode,
    form: &SignUpForm,
    errors: &[FieldError],
    alert: Option<&str>,
) -> String {
    let title = l.pick("Start your loyalty card", "Załóż kartę lojalnościową");
    let chosen = if form.country.is_empty() {
        l.pick("GB", "PL")
    } else {
        form.country.as_str()
    };
    let body = html! {
        header { span.brand { "loyalty-edge" } }
        main {
            h1 { (title) }
            (language_links(l, "/signup"))
            @if mode == SignUpMode::Closed {
                p.alert role="alert" { (l.pick(
                    "Sign-ups are closed here: ask the operator of this service for an account.",
                    "Rejestracja jest tu wyłączona: poproś operatora tej usługi o konto.")) }
            } @else {
                p { (l.pick("Free for your café or shop: set up the card in a few minutes, then print the poster.",
                    "Za darmo dla Twojej kawiarni lub sklepu: ustaw kartę w kilka minut i wydrukuj plakat.")) }
                @if let Some(a) = alert { p.alert role="alert" { (a) } }
                form method="post" action="/signup" novalidate {
                    input type="hidden" name="language" value=(l.as_str());
                    (field(l, errors, "business", l.pick("Business name", "Nazwa firmy"), "text", &form.business,
                        Some(l.pick("As customers know it, e.g. Café Ala.", "Tak, jak znają ją klienci, np. Kawiarnia Ala.")), "organization"))
                    (field(l, errors, "name", l.pick("Your name", "Twoje imię i nazwisko"), "text", &form.name, None, "name"))
                    (field(l, errors, "email", l.pick("Email", "E-mail"), "email", &form.email,
                        Some(l.pick("You sign in with it.", "Nim się logujesz.")), "email"))
                    (field(l, errors, "password", l.pick("Password", "Hasło"), "password", "",
                        Some(l.pick("At least 10 characters; a short sentence is easy to remember.",
                            "Co najmniej 10 znaków; krótkie zdanie łatwo zapamiętać.")), "new-password"))
                    label for="f-country" { (l.pick("Country", "Kraj")) }
                    select id="f-country" name="country" aria-describedby="f-country-help" {
                        @for c in COUNTRIES {
                            option value=(c.code) selected[c.code == chosen] { (c.name(l)) }
                        }
                    }
                    p.help id="f-country-help" { (l.pick("Sets your time zone and currency; you can change them later.",
                        "Ustawia strefę czasową i walutę; możesz je później zmienić.")) }
                    @if let Some(e) = errors.iter().find(|e| e.field == "country") {
                        p.err role="alert" { (problem_text(l, e.problem)) } }
                    @if mode == SignUpMode::Invite {
                        (field(l, errors, "code", l.pick("Sign-up code", "Kod rejestracji"), "text", &form.code,
                            Some(l.pick("The operator of this service gave it to you.", "Dał Ci go operator tej usługi.")), "off"))
                    }
                    div.hp aria-hidden="true" {
                        label for="f-website" { "Website" }
                        input id="f-website" name="website" type="text" tabindex="-1" autocomplete="off";
                    }
                    button type="submit" { (l.pick("Create my account", "Załóż konto")) }
                }
            }
            p { (l.pick("Already have an account?", "Masz już konto?")) " "
                a href="/signin" { (l.pick("Sign in", "Zaloguj się")) } }
        }
    };
    page(l, title, body)
}

/// The sign-in page, with the email kept and one message for every failure, and the passkey
/// button for `challenge`.
pub fn sign_in(
    l: Language,
    email: &str,
    alert: Option<&str>,
    errors: &[FieldError],
    challenge: &str,
) -> String {
    let title = l.pick("Sign in", "Logowanie");
    let body = html! {
        header { span.brand { "loyalty-edge" } }
        main {
            h1 { (title) }
            (language_links(l, "/signin"))
            @if let Some(a) = alert { p.alert role="alert" { (a) } }
            form method="post" action="/signin" novalidate {
                input type="hidden" name="language" value=(l.as_str());
                (field(l, errors, "email", l.pick("Email", "E-mail"), "email", email, None, "username"))
                (field(l, errors, "password", l.pick("Password", "Hasło"), "password", "", None, "current-password"))
                button type="submit" { (l.pick("Sign in", "Zaloguj się")) }
            }
            (super::passkey::sign_in_section(l, challenge))
            p { (l.pick("New here?", "Pierwszy raz tutaj?")) " "
                a href="/signup" { (l.pick("Create an account", "Załóż konto")) } }
        }
    };
    page(l, title, body)
}

/// Who is signed in, for the frame of every console page.
pub struct Frame<'a> {
    pub business: &'a str,
    pub person: &'a str,
    pub role: Role,
    /// The session's CSRF token, for every form on the page.
    pub csrf: &'a str,
}

/// The hidden CSRF field of a console form.
pub(crate) fn csrf_field(f: &Frame<'_>) -> Markup {
    html! { input type="hidden" name="csrf" value=(f.csrf); }
}

fn nav_list(l: Language, f: &Frame<'_>, active: &str) -> Markup {
    html! {
        ul {
            @for m in MODULES.iter().filter(|m| m.allows(f.role)) {
                li { a href=(m.path) aria-current=[(m.slug() == active).then_some("page")] { (m.name(l)) } }
            }
            li { a href="/console/account" aria-current=[(active == "account").then_some("page")] {
                (l.pick("My account", "Moje konto")) } }
            li { a href="/staff" { (l.pick("Till", "Kasa")) } }
        }
    }
}

/// A console page inside the frame: the header (business, person, language, sign-out), the
/// navigation of the person's role, and `content`.
pub fn framed(l: Language, f: &Frame<'_>, active: &str, title: &str, content: Markup) -> String {
    let here = match active {
        "" => String::from("/console"),
        slug => format!("/console/{slug}"),
    };
    let body = html! {
        header {
            span.brand { (f.business) }
            div.tools {
            span.who { (f.person) " · " (f.role.label(l)) }
            form.inline.lang method="post" action="/console/account/language" {
                (csrf_field(f))
                input type="hidden" name="back" value=(here);
                @for other in Language::ALL {
                    button type="submit" name="language" value=(other.as_str()) lang=(other.as_str())
                        aria-pressed=(if other == l { "true" } else { "false" }) {
                        (other.as_str().to_uppercase()) }
                    " "
                }
            }
            form.inline method="post" action="/console/sign-out" {
                (csrf_field(f))
                button.quiet type="submit" { (l.pick("Sign out", "Wyloguj")) }
            }
            }
        }
        details.menu { summary { (l.pick("Menu", "Menu")) " · " (title) } nav aria-label=(l.pick("Console", "Konsola")) { (nav_list(l, f, active)) } }
        div.shell {
            nav.side aria-label=(l.pick("Console", "Konsola")) { (nav_list(l, f, active)) }
            main { h1 { (title) } (content) }
        }
    };
    page(l, title, body)
}

/// One item of the home page's set-up checklist.
pub struct Step {
    pub done: bool,
    pub label: &'static str,
    pub help: &'static str,
    pub href: &'static str,
}

/// The set-up checklist in `l`: each item done (saved at its set-up step, or already true of
/// the merchant) or still left (to do or skipped), and one click from its step.
pub fn set_up_steps(
    l: Language,
    progress: &Progress,
    has_logo: bool,
    has_reward: bool,
) -> Vec<Step> {
    let done = |s: SetUpStep| progress.state(s) == State::Done;
    vec![
        Step {
            done: has_logo || done(SetUpStep::Business),
            label: l.pick("Brand your card", "Nadaj karcie wygląd"),
            help: l.pick(
                "Your logo and colours on every customer's phone.",
                "Twoje logo i kolory na telefonie każdego klienta.",
            ),
            href: "/console/setup/business",
        },
        Step {
            done: done(SetUpStep::Earn),
            label: l.pick("Choose how customers earn", "Wybierz, jak klienci zbierają"),
            help: l.pick(
                "Stamps per visit, points per amount spent, or cashback.",
                "Pieczątki za wizyty, punkty za wydaną kwotę albo zwrot pieniędzy.",
            ),
            href: "/console/setup/earn",
        },
        Step {
            done: has_reward || done(SetUpStep::Rewards),
            label: l.pick("Add a reward", "Dodaj nagrodę"),
            help: l.pick(
                "What customers collect for, e.g. a free coffee after 8 stamps.",
                "Na co klienci zbierają, np. darmowa kawa po 8 pieczątkach.",
            ),
            href: "/console/setup/rewards",
        },
        Step {
            done: done(SetUpStep::Locations),
            label: l.pick(
                "Check locations and time zone",
                "Sprawdź lokale i strefę czasową",
            ),
            help: l.pick(
                "Each location gets its own poster; the time zone sets the clock.",
                "Każdy lokal dostaje własny plakat; strefa czasowa ustawia zegar.",
            ),
            href: "/console/setup/locations",
        },
        Step {
            done: done(SetUpStep::Print),
            label: l.pick("Print the poster", "Wydrukuj plakat"),
            help: l.pick(
                "Customers scan it at the counter to join and collect.",
                "Klienci skanują go przy ladzie, aby dołączyć i zbierać.",
            ),
            href: "/console/setup/print",
        },
        Step {
            done: false,
            label: l.pick("Pair the till", "Połącz kasę"),
            help: l.pick(
                "The tablet at the counter shows each sale's code.",
                "Tablet przy ladzie pokazuje kod każdej sprzedaży.",
            ),
            href: "/console/tills",
        },
        Step {
            done: false,
            label: l.pick("Invite your staff", "Zaproś obsługę"),
            help: l.pick(
                "Each person signs in with their own PIN at the till.",
                "Każda osoba loguje się w kasie własnym PIN-em.",
            ),
            href: "/console/people",
        },
        Step {
            done: false,
            label: l.pick("Turn on messages", "Włącz wiadomości"),
            help: l.pick(
                "Welcome, birthday and reward messages go out by themselves.",
                "Powitania, życzenia urodzinowe i wiadomości o nagrodach wysyłają się same.",
            ),
            href: "/console/messages",
        },
    ]
}

/// Marks the step that links to `href` done when `done` (what the directory knows: a paired
/// till, a team).
pub fn tick(steps: &mut [Step], href: &str, done: bool) {
    for s in steps.iter_mut().filter(|s| s.href == href) {
        s.done |= done;
    }
}

/// The members the console home shows: how many, and who joined last (name, when).
pub struct Members<'a> {
    pub count: i64,
    pub newest: &'a [(String, String)],
}

/// The console home: the set-up checklist until it is done, the newest members, the card's link.
pub fn home(l: Language, f: &Frame<'_>, steps: &[Step], m: &Members<'_>, card_url: &str) -> String {
    let members = m.count;
    let left = steps.iter().filter(|s| !s.done).count();
    let content = html! {
        @if left > 0 {
            section.card {
                h2 { (l.pick("Set up your programme", "Przygotuj swój program")) }
                p { (match l {
                    Language::En => format!("{left} of {} steps left. Each one takes a minute.", steps.len()),
                    Language::Pl => format!("Zostało {left} z {} kroków. Każdy zajmie minutę.", steps.len()),
                }) }
                ol.check {
                    @for s in steps {
                        li {
                            @if s.done { span.done { "✓ " } s { (s.label) } }
                            @else { a href=(s.href) { (s.label) } }
                            p.help { (s.help) }
                        }
                    }
                }
            }
        }
        section.card {
            h2 { (l.pick("Your customers", "Twoi klienci")) }
            p { (match l {
                Language::En if members == 1 => "1 member so far.".to_owned(),
                Language::En => format!("{members} members so far."),
                Language::Pl => format!("Liczba członków: {members}."),
            }) }
            @if !m.newest.is_empty() {
                h3 { (l.pick("Joined lately", "Ostatnio dołączyli")) }
                ul.devices {
                    @for (name, at) in m.newest { li { strong { (name) } " · " (at) } }
                }
            }
            p { (l.pick("Your customers' card:", "Karta Twoich klientów:")) " " a href=(card_url) { (card_url) } }
        }
    };
    framed(l, f, "", l.pick("Home", "Start"), content)
}

/// A person of the merchant, as the people page lists them.
pub struct PersonLine {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
}

/// An open invitation, as the people page lists it.
pub struct InviteLine {
    pub email: String,
    pub role: Role,
    pub until: String,
}

/// What the invite form sends back after a post: what was typed and what is wrong, or the link
/// just made.
#[derive(Default)]
pub struct InviteForm<'a> {
    pub email: &'a str,
    pub role: &'a str,
    pub errors: &'a [FieldError],
    /// The one-time link of the invitation just made (shown once, to copy).
    pub link: Option<&'a str>,
    pub notice: Option<&'a str>,
    /// The password reset link just made (shown once, to copy).
    pub reset: Option<super::reset::Ready<'a>>,
    /// Where the link was emailed, if it was.
    pub emailed: Option<&'a str>,
}

fn role_options(l: Language, by: Role, chosen: &str) -> Markup {
    html! {
        @for r in Role::ALL.into_iter().filter(|r| by.may_manage(*r)) {
            option value=(r.as_str()) selected[r.as_str() == chosen] { (r.label(l)) }
        }
    }
}

/// The people page: who works here and in which role, open invitations, and the invite form.
pub fn people(
    l: Language,
    f: &Frame<'_>,
    me: &str,
    people: &[PersonLine],
    invites: &[InviteLine],
    form: &InviteForm<'_>,
) -> String {
    let role_error = form.errors.iter().find(|e| e.field == "role");
    let content = html! {
        (super::tills::people_tabs(l, "/console/people"))
        @if let Some(n) = form.notice { p.ok role="status" { (n) } }
        @if let Some(to) = form.emailed {
            p.ok role="status" { (l.pick("We emailed the link to ", "Wysłaliśmy link e-mailem na adres ")) strong { (to) } (l.pick(". You can also copy it below.", ". Możesz go też skopiować poniżej.")) }
        }
        @if let Some(link) = form.link {
            section.card {
                h2 { (l.pick("Invitation ready", "Zaproszenie gotowe")) }
                p { (l.pick("Send this link to the person (it works once, for 7 days). We will email it for you once email sending is on.",
                    "Wyślij ten link tej osobie (działa raz, przez 7 dni). Gdy włączysz wysyłkę e-maili, wyślemy go za Ciebie.")) }
                (super::reset::link_box(l, "invite-link", l.pick("Invitation link", "Link z zaproszeniem"), link))
            }
        }
        @if let Some(r) = &form.reset { (super::reset::ready_card(l, r)) }
        @if form.link.is_some() || form.reset.is_some() {
            // The copy buttons (the route allows this script by its hash).
            script { (PreEscaped(super::card::SHARE_SCRIPT)) }
        }
        section.card {
            h2 { (l.pick("People", "Ludzie")) }
            ul.devices {
                @for p in people {
                    li {
                        strong { (p.name) } " · " (p.role.label(l))
                        @if p.id == me { " " (l.pick("(you)", "(Ty)")) }
                        p.help { (p.email) }
                        @if p.id != me && f.role.may_manage(p.role) {
                            form.inline method="post" action={"/console/people/" (p.id) "/role"} {
                                (csrf_field(f))
                                label.inline for={"role-" (p.id)} { (l.pick("Role", "Rola")) }
                                select id={"role-" (p.id)} name="role" { (role_options(l, f.role, p.role.as_str())) }
                                " "
                                button.quiet type="submit" { (l.pick("Change role", "Zmień rolę")) }
                            }
                            " "
                            form.inline method="post" action={"/console/people/" (p.id) "/remove"} {
                                (csrf_field(f))
                                button.quiet type="submit" { (l.pick("Remove", "Usuń")) }
                            }
                            " "
                            form.inline method="post" action={"/console/people/" (p.id) "/reset"} {
                                (csrf_field(f))
                                button.quiet type="submit" { (l.pick("Password link", "Link do hasła")) }
                            }
                        }
                    }
                }
            }
        }
        @if !invites.is_empty() {
            section.card {
                h2 { (l.pick("Open invitations", "Otwarte zaproszenia")) }
                ul.devices {
                    @for i in invites {
                        li { strong { (i.email) } " · " (i.role.label(l))
                            p.help { (l.pick("Works until", "Ważne do")) " " (i.until) } }
                    }
                }
            }
        }
        section.card {
            h2 { (l.pick("Invite someone", "Zaproś kogoś")) }
            form method="post" action="/console/people/invite" novalidate {
                (csrf_field(f))
                (field(l, form.errors, "email", l.pick("Their email", "Jego lub jej e-mail"), "email", form.email, None, "off"))
                label for="f-role" { (l.pick("Role", "Rola")) }
                select id="f-role" name="role" aria-invalid=[role_error.map(|_| "true")] {
                    (role_options(l, f.role, if form.role.is_empty() { "staff" } else { form.role }))
                }
                p.help { (l.pick("Staff: the till only. Manager: everything except owners, keys and settings. Owner: everything.",
                    "Obsługa: tylko kasa. Kierownik: wszystko poza właścicielami, kluczami i ustawieniami. Właściciel: wszystko.")) }
                @if let Some(e) = role_error { p.err role="alert" { (problem_text(l, e.problem)) } }
                button type="submit" { (l.pick("Make the invitation link", "Utwórz link z zaproszeniem")) }
            }
        }
    };
    framed(
        l,
        f,
        "people",
        l.pick("Locations & people", "Lokale i ludzie"),
        content,
    )
}

/// The page an invitation link opens: who invites you to what, and the form to accept (a name
/// and a password for a new person; their password for someone who has an account).
pub fn invitation(
    l: Language,
    business: &str,
    role: Role,
    email: &str,
    has_account: bool,
    name: &str,
    errors: &[FieldError],
) -> String {
    let title = l.pick("You are invited", "Masz zaproszenie");
    let body = html! {
        header { span.brand { "loyalty-edge" } }
        main {
            h1 { (title) }
            (language_links(l, ""))
            p { (match l {
                Language::En => format!("{business} invites {email} to its loyalty console as {}.", role.label(l)),
                Language::Pl => format!("{business} zaprasza {email} do swojej konsoli lojalnościowej. Rola: {}.", role.label(l)),
            }) }
            form method="post" novalidate {
                input type="hidden" name="language" value=(l.as_str());
                @if has_account {
                    p { (l.pick("You have an account: type your password to accept.",
                        "Masz już konto: wpisz swoje hasło, aby przyjąć zaproszenie.")) }
                    (field(l, errors, "password", l.pick("Your password", "Twoje hasło"), "password", "", None, "current-password"))
                } @else {
                    (field(l, errors, "name", l.pick("Your name", "Twoje imię i nazwisko"), "text", name, None, "name"))
                    (field(l, errors, "password", l.pick("Choose a password", "Wybierz hasło"), "password", "",
                        Some(l.pick("At least 10 characters; a short sentence is easy to remember.",
                            "Co najmniej 10 znaków; krótkie zdanie łatwo zapamiętać.")), "new-password"))
                }
                button type="submit" { (l.pick("Accept the invitation", "Przyjmij zaproszenie")) }
            }
        }
    };
    page(l, title, body)
}

/// The page of a module that is not built yet: says so plainly, and what to use meanwhile.
pub fn not_built(l: Language, f: &Frame<'_>, m: &Module) -> String {
    let content = html! {
        p.card { (l.pick(
            "This part of the console is not built yet. It is coming in a next release.",
            "Ta część konsoli nie jest jeszcze gotowa. Pojawi się w kolejnej wersji.")) }
        p { (l.pick("Until then, the merchant API and the key-based dashboard at ",
            "Do tego czasu API dla firm i panel z kluczem pod adresem ")) a href="/dashboard" { "/dashboard" }
            (l.pick(" cover it.", " to obsługują.")) }
    };
    framed(l, f, m.slug(), m.name(l), content)
}

/// A page the person's role may not open.
pub fn forbidden(l: Language, f: &Frame<'_>, what: &str) -> String {
    let content = html! {
        p.alert role="alert" { (match l {
            Language::En => format!("Your role ({}) cannot open {what}. Ask the owner if you need it.", f.role.label(l)),
            Language::Pl => format!("Twoja rola ({}) nie pozwala otworzyć: {what}. Poproś właściciela, jeśli tego potrzebujesz.", f.role.label(l)),
        }) }
    };
    framed(l, f, "", l.pick("Not allowed", "Brak dostępu"), content)
}

/// A signed-in device as the account page lists it.
pub struct DeviceLine {
    /// What ends it (a prefix of the session's stored id).
    pub id: String,
    pub device: String,
    pub since: String,
    pub seen: String,
    pub current: bool,
}

/// What the account page shows.
pub struct AccountView<'a> {
    pub devices: &'a [DeviceLine],
    pub errors: &'a [FieldError],
    pub notice: Option<&'a str>,
    /// When the person set their till PIN, if they have one.
    pub pin_since: Option<&'a str>,
    pub passkeys: &'a [super::passkey::PasskeyLine],
    /// What adding a passkey needs (none: not offered).
    pub register: Option<&'a super::passkey::RegisterPrompt>,
}

/// The account page: password change, till PIN, signed-in devices.
pub fn account(l: Language, f: &Frame<'_>, v: &AccountView<'_>) -> String {
    let (devices, errors, notice) = (v.devices, v.errors, v.notice);
    let content = html! {
        @if let Some(n) = notice { p.ok role="status" { (n) } }
        section.card {
            h2 { (l.pick("Password", "Hasło")) }
            form method="post" action="/console/account/password" novalidate {
                (csrf_field(f))
                (field(l, errors, "current", l.pick("Current password", "Obecne hasło"), "password", "", None, "current-password"))
                (field(l, errors, "password", l.pick("New password", "Nowe hasło"), "password", "",
                    Some(l.pick("At least 10 characters. Your other devices are signed out.",
                        "Co najmniej 10 znaków. Pozostałe urządzenia zostaną wylogowane.")), "new-password"))
                button type="submit" { (l.pick("Change password", "Zmień hasło")) }
            }
        }
        section.card {
            h2 { (l.pick("PIN for the till", "PIN do kasy")) }
            p.help { @match v.pin_since {
                Some(at) => { (l.pick("You have a PIN, set ", "Masz PIN, ustawiony ")) (at) ". " (l.pick("A new one replaces it.", "Nowy zastąpi obecny.")) },
                None => { (l.pick("At a paired till you tap your name and type this PIN: 4 to 6 digits only you know.",
                    "W połączonej kasie dotykasz swojego imienia i wpisujesz ten PIN: 4 do 6 cyfr, które znasz tylko Ty.")) },
            } }
            form method="post" action="/console/account/pin" novalidate {
                (csrf_field(f))
                (pin_field(l, errors, "pin", l.pick("New PIN", "Nowy PIN")))
                label for="f-pin_again" { (l.pick("The same PIN again", "Ten sam PIN jeszcze raz")) }
                input.pin id="f-pin_again" name="pin_again" type="password" inputmode="numeric" maxlength="6" autocomplete="off";
                button type="submit" { (l.pick("Save PIN", "Zapisz PIN")) }
            }
        }
        (super::passkey::account_section(l, f, v.passkeys, v.register, errors))
        section.card {
            h2 { (l.pick("Signed-in devices", "Zalogowane urządzenia")) }
            ul.devices {
                @for d in devices {
                    li {
                        strong { (d.device) } @if d.current { " " (l.pick("(this one)", "(to urządzenie)")) }
                        p.help { (l.pick("Signed in", "Zalogowano")) " " (d.since) " · "
                            (l.pick("last seen", "ostatnio")) " " (d.seen) }
                        form method="post" action={"/console/account/sessions/" (d.id) "/end"} {
                            (csrf_field(f))
                            button.quiet type="submit" { (l.pick("Sign out this device", "Wyloguj to urządzenie")) }
                        }
                    }
                }
            }
        }
    };
    framed(l, f, "account", l.pick("My account", "Moje konto"), content)
}

/// An error page of the console (a refused form, a gone session), with a way on.
pub fn error(l: Language, status: u16, message: &str) -> String {
    let title = match status {
        403 => l.pick("This form was refused", "Formularz odrzucony"),
        404 => l.pick("Not found", "Nie znaleziono"),
        410 => l.pick("This link no longer works", "Ten link już nie działa"),
        429 => l.pick("Too many attempts", "Zbyt wiele prób"),
        _ => l.pick("Something went wrong", "Coś poszło nie tak"),
    };
    let body = html! {
        header { span.brand { "loyalty-edge" } }
        main {
            h1 { (title) }
            p.alert role="alert" { (message) }
            p { a href="/console" { (l.pick("Back to the console", "Wróć do konsoli")) } }
        }
    };
    page(l, title, body)
}

/// The message of a refused console form (no token, a wrong one, or another site), in `l`.
pub fn csrf_message(l: Language) -> &'static str {
    l.pick(
        "This form has expired or was not sent from this console, so nothing was changed. Go back, reload the page and try again.",
        "Ten formularz wygasł albo nie został wysłany z tej konsoli, więc nic nie zmieniono. Wróć, odśwież stronę i spróbuj ponownie.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME_PERSON: &str = "Ala Nowak";
    const BUSINESS: &str = "Kawiarnia Ala";

    fn frame(role: Role) -> Frame<'static> {
        Frame {
            business: BUSINESS,
            person: FRAME_PERSON,
            role,
            csrf: "t0ken",
        }
    }

    /// Every page of the console in `l`.
    fn pages(l: Language) -> Vec<String> {
        let f = frame(Role::Owner);
        let errors = [
            FieldError {
                field: "business",
                problem: Problem::Missing,
            },
            FieldError {
                field: "email",
                problem: Problem::EmailTaken,
            },
            FieldError {
                field: "password",
                problem: Problem::Password(Weakness::Common),
            },
        ];
        let form = SignUpForm {
            business: String::new(),
            email: "ala@example.com".into(),
            ..SignUpForm::default()
        };
        let devices = [DeviceLine {
            id: "abcd".into(),
            device: "Chrome, Android".into(),
            since: "2026-12-06 10:00".into(),
            seen: "2026-12-06 12:00".into(),
            current: true,
        }];
        let mut all = vec![
            sign_up(
                l,
                SignUpMode::Open,
                &form,
                &errors,
                Some(l.pick("Too many sign-ups.", "Zbyt wiele rejestracji.")),
            ),
            sign_up(l, SignUpMode::Invite, &form, &[], None),
            sign_up(l, SignUpMode::Closed, &form, &[], None),
            sign_in(
                l,
                "ala@example.com",
                Some(l.pick("Wrong.", "Błąd.")),
                &[],
                "CH",
            ),
            home(
                l,
                &f,
                &set_up_steps(l, &Progress::parse("earn:done"), true, false),
                &Members {
                    count: 3,
                    newest: &[("Ola".into(), "2026-12-06 10:00".into())],
                },
                "https://x.test/c/1",
            ),
            forbidden(l, &frame(Role::Staff), "X"),
            account(
                l,
                &f,
                &AccountView {
                    devices: &devices,
                    errors: &errors[2..],
                    notice: Some(l.pick("Saved.", "Zapisano.")),
                    pin_since: None,
                    passkeys: &[],
                    register: None,
                },
            ),
            account(
                l,
                &f,
                &AccountView {
                    devices: &devices,
                    errors: &[FieldError {
                        field: "pin",
                        problem: Problem::Pin(crate::domain::till::PinProblem::Guessable),
                    }],
                    notice: None,
                    pin_since: Some("2026-12-06 10:00"),
                    passkeys: &[super::super::passkey::PasskeyLine {
                        id: "k1".into(),
                        name: "Chrome, Android".into(),
                        added: "2026-12-06 10:00".into(),
                        used: Some("2026-12-06 12:00".into()),
                    }],
                    register: Some(&super::super::passkey::RegisterPrompt {
                        challenge: "CH".into(),
                        user: "U".into(),
                        email: "ala@example.com".into(),
                        name: FRAME_PERSON.into(),
                        rp: BUSINESS.into(),
                    }),
                },
            ),
            error(l, 403, csrf_message(l)),
        ];
        let people_lines = [
            PersonLine {
                id: "p1".into(),
                name: FRAME_PERSON.into(),
                email: "ala@example.com".into(),
                role: Role::Owner,
            },
            PersonLine {
                id: "p2".into(),
                name: "Ola".into(),
                email: "ola@example.com".into(),
                role: Role::Staff,
            },
        ];
        let invites = [InviteLine {
            email: "ola@example.com".into(),
            role: Role::Manager,
            until: "2026-12-13 10:00".into(),
        }];
        all.push(people(
            l,
            &f,
            "p1",
            &people_lines,
            &invites,
            &InviteForm {
                email: "ola@example.com",
                role: "owner",
                errors: &[FieldError {
                    field: "role",
                    problem: Problem::RoleNotAllowed,
                }],
                link: Some("https://x.test/c/1"),
                notice: Some(l.pick("Saved.", "Zapisano.")),
                reset: Some(crate::view::reset::Ready {
                    name: "Ola",
                    link: "https://x.test/c/1",
                }),
                emailed: Some("ola@example.com"),
            },
        ));
        all.push(invitation(
            l,
            BUSINESS,
            Role::Staff,
            "ala@example.com",
            false,
            "Ola",
            &errors,
        ));
        all.push(invitation(
            l,
            BUSINESS,
            Role::Staff,
            "ala@example.com",
            true,
            "",
            &[],
        ));
        all.push(crate::view::reset::reset_page(
            l,
            "ala@example.com",
            &errors[2..],
        ));
        all.push(error(l, 410, crate::view::reset::gone_message(l)));
        all.extend(MODULES.iter().map(|m| not_built(l, &f, m)));
        all.extend(super::super::tills::bilingual_samples(l, &f));
        all.extend(super::super::catalog::bilingual_samples(l, &f));
        all.extend(super::super::brand::bilingual_samples(l, &f));
        all.extend(super::super::rules::bilingual_samples(l, &f));
        all.extend(super::super::tiers::bilingual_samples(l, &f));
        all.extend(super::super::promotions::bilingual_samples(l, &f));
        all.extend(super::super::items::bilingual_samples(l, &f));
        all.extend(super::super::settings::bilingual_samples(l, &f));
        all.extend(super::super::automations::bilingual_samples(l, &f));
        all.extend(super::super::campaigns::bilingual_samples(l, &f));
        all.extend(super::super::locations::bilingual_samples(l, &f));
        all.extend(super::super::integrations::bilingual_samples(l, &f));
        let shop = super::super::test_config(BUSINESS, &["Rynek"]);
        all.extend(super::super::customers::bilingual_samples(l, &f, &shop));
        all.push(super::super::insights::page(
            l,
            &f,
            &super::super::insights::tests::sample(&shop),
        ));
        all.extend(crate::view::setup::tests::pages(l));
        all
    }

    const NO_MEMBERS: Members<'static> = Members {
        count: 0,
        newest: &[],
    };

    /// The text a person reads on a page: what is between tags, and the values of attributes
    /// that are read aloud or shown.
    fn visible_text(page: &str) -> Vec<String> {
        let body = page.split("</style>").nth(1).unwrap_or(page);
        // A script is not read by a person.
        let body = match (body.find("<script>"), body.find("</script>")) {
            (Some(a), Some(b)) => format!("{}{}", &body[..a], &body[b + 9..]),
            _ => body.to_owned(),
        };
        let body = body.as_str();
        let mut out = Vec::new();
        for chunk in body.split('<').skip(1) {
            if let Some((tag, text)) = chunk.split_once('>') {
                if tag.starts_with("style") {
                    continue; // a page family's own styles, not words
                }
                // A script's text is code, not words on the page.
                let t = if tag.starts_with("script") {
                    ""
                } else {
                    text.trim()
                };
                if !t.is_empty() {
                    out.push(t.to_owned());
                }
                for attr in ["aria-label=\"", "placeholder=\""] {
                    if let Some(rest) = tag.split(attr).nth(1) {
                        out.push(rest.split('"').next().unwrap_or_default().to_owned());
                    }
                }
            }
        }
        out
    }

    /// Words that are the same in both languages (names, the product, codes and data).
    fn shared(t: &str) -> bool {
        let names: Vec<String> = COUNTRIES
            .iter()
            .flat_map(|c| [c.name_en.to_owned(), c.name_pl.to_owned()])
            .collect();
        [
            FRAME_PERSON,
            BUSINESS,
            "loyalty-edge",
            "EN",
            "PL",
            "English",
            "Polski",
            "Menu",
            "·",
            "✓",
            "/dashboard",
            "Website",
            "ala@example.com",
            "https://x.test/c/1",
            "Chrome, Android",
            "2026-12-06 10:00",
            "2026-12-06 12:00",
            "X",
            "ola@example.com",
            "Ola",
            "2026-12-13 10:00",
            "K7QM-2XPD",
            "https://x.test/staff/pair",
            "Lada",
            "Taras",
            "Rynek",
            "Dworzec",
            "Ala",
            "2026-12-06 11:00",
            "· Rynek",
            "· Lada",
            // The set-up pages' sample data.
            "Kawa · 100",
            "Europe/Warsaw",
        ]
        .contains(&t)
            || names.iter().any(|n| n == t)
            || t.starts_with("Kawiarnia Ala")
            // Data on the Insights and Customers samples: numbers, amounts, dates, names.
            || t.chars().all(|c| c.is_ascii_digit() || "+-.,% —()".contains(c))
            || t.strip_suffix(" PLN").is_some_and(|n| n.chars().all(|c| c.is_ascii_digit() || ".,+-".contains(c)))
            || ["2026-11-30", "Come back", "Free coffee", "a", "■ a", "Europe/Warsaw"].contains(&t)
            // "min" is the same word in Polish.
            || t.strip_suffix(" min").is_some_and(|n| n.parse::<u32>().is_ok())
            || (t.contains(" · ") && t.split(" · ").all(shared))
            || t.strip_prefix("· ").is_some_and(shared)
    }

    #[test]
    fn every_console_string_is_in_both_languages() {
        let en: Vec<String> = pages(Language::En)
            .iter()
            .flat_map(|p| visible_text(p))
            .collect();
        let pl: Vec<String> = pages(Language::Pl)
            .iter()
            .flat_map(|p| visible_text(p))
            .collect();
        assert!(en.len() > 100, "{}", en.len());
        for text in &pl {
            assert!(
                shared(text) || !en.contains(text),
                "{text:?} is shown on a Polish page exactly as on the English one: give it Polish words"
            );
        }
        for text in &en {
            assert!(
                shared(text) || !pl.contains(text),
                "{text:?} is shown on an English page exactly as on the Polish one"
            );
        }
    }

    #[test]
    fn pages_say_their_language_and_keep_what_was_typed_but_never_the_password() {
        let page = sign_up(
            Language::Pl,
            SignUpMode::Open,
            &SignUpForm {
                business: "Kawiarnia <Ala>".into(),
                password: "secret-typed".into(),
                ..SignUpForm::default()
            },
            &[FieldError {
                field: "email",
                problem: Problem::Missing,
            }],
            None,
        );
        assert!(page.contains(r#"<html lang="pl">"#));
        assert!(page.contains("Kawiarnia &lt;Ala&gt;"), "kept and escaped");
        assert!(!page.contains("secret-typed"));
        assert!(page.contains(r#"aria-invalid="true""#));
        assert!(page.contains("Uzupełnij to pole."));
    }

    #[test]
    fn the_navigation_follows_the_role() {
        let staff = forbidden(Language::En, &frame(Role::Staff), "Settings");
        assert!(!staff.contains(r#"href="/console/settings""#));
        assert!(staff.contains(r#"href="/staff""#));
        let manager = home(Language::En, &frame(Role::Manager), &[], &NO_MEMBERS, "u");
        assert!(manager.contains(r#"href="/console/people""#));
        assert!(!manager.contains(r#"href="/console/integrations""#));
        let owner = home(Language::En, &frame(Role::Owner), &[], &NO_MEMBERS, "u");
        assert!(owner.contains(r#"href="/console/integrations""#));
        assert!(owner.contains(r#"name="csrf" value="t0ken""#));
    }
}
