//! The guided set-up's pages, in English or Polish, inside the console frame: a step list, then
//! one form per step (the business with its logo upload and a phone preview of the real card;
//! how customers earn; the first rewards; locations and time zone; the poster and the till),
//! each with "Save and continue" and "Skip for now"; and the table-tent layout of the poster.
//! Pure: no JavaScript (the preview follows the colours when "Preview" is pressed).

use maud::{html, Markup, PreEscaped};

use super::console::{framed, Frame};
use crate::domain::image::{Refusal, MAX_BYTES};
use crate::domain::language::Language;
use crate::domain::program::MerchantConfig;
use crate::domain::setup::{
    location_field, reward_fields, EarnForm, FieldError, Mode, Problem, Progress, RewardRow, State,
    Step, REWARD_ROWS,
};

/// The set-up pages' own styles (on top of the console's).
const CSS: &str = ".steps{list-style:none;display:flex;flex-wrap:wrap;gap:.4rem;padding:0;margin:0 0 1rem}.steps a,.steps span{display:inline-block;padding:.3rem .7rem;border-radius:1rem;border:1px solid #8a7f74;text-decoration:none;color:#1d1b19;font-size:.9rem}.steps .done{border-color:#1e7b34;color:#1e7b34}.steps [aria-current]{background:#2b2118;color:#fff}.actions{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center}.actions button{margin-top:1rem}.split{display:grid;gap:1rem}@media(min-width:900px){.split{grid-template-columns:1fr 340px}}.phone{width:300px;max-width:100%;margin:0 auto;border:10px solid #1d1b19;border-radius:28px;overflow:hidden;background:#1d1b19}.phone iframe{display:block;width:100%;height:520px;border:0;background:#fff}.swatch{display:inline-block;width:1.4rem;height:1.4rem;border-radius:.3rem;border:1px solid #6f655b;vertical-align:middle;margin-left:.4rem}fieldset{border:1px solid #d6cfc7;border-radius:.5rem;margin:1rem 0;padding:.6rem 1rem}legend{font-weight:700}.choice{display:flex;gap:.6rem;align-items:flex-start;font-weight:400}.choice input{width:auto;margin-top:.35rem}.row{display:grid;gap:.4rem;grid-template-columns:1fr}@media(min-width:600px){.row{grid-template-columns:2fr 1fr 1fr}}.logo{max-height:64px;max-width:200px;display:block;margin:.5rem 0}";

/// A problem in words, in `l`.
pub fn problem_text(l: Language, p: Problem) -> String {
    match (p, l) {
        (Problem::Missing, _) => l.pick("Please fill this in.", "Uzupełnij to pole.").into(),
        (Problem::Text(n), Language::En) => format!("Please use 1 to {n} characters, without line breaks."),
        (Problem::Text(n), Language::Pl) => format!("Użyj od 1 do {n} znaków, bez podziału wiersza."),
        (Problem::NotANumber, _) => l.pick("Type a whole number, e.g. 8.", "Wpisz liczbę całkowitą, np. 8.").into(),
        (Problem::OutOfRange(a, b), Language::En) => format!("Choose a number from {a} to {b}."),
        (Problem::OutOfRange(a, b), Language::Pl) => format!("Wybierz liczbę od {a} do {b}."),
        (Problem::NotAColour, _) => l
            .pick("Type a colour like #3b2f2f.", "Wpisz kolor w postaci #3b2f2f.")
            .into(),
        (Problem::UnknownZone, _) => l
            .pick("Choose a time zone from the list, e.g. Europe/Warsaw.", "Wybierz strefę czasową z listy, np. Europe/Warsaw.")
            .into(),
        (Problem::NotAnAmount, _) => l
            .pick("Type an amount, e.g. 5.00.", "Wpisz kwotę, np. 5,00.")
            .into(),
        (Problem::EarnsNothing, _) => l
            .pick("With 0, customers would earn nothing: choose at least 1.", "Przy 0 klienci nic nie zbiorą: wybierz co najmniej 1.")
            .into(),
        (Problem::UnknownChoice, _) => l.pick("Choose one of these.", "Wybierz jedną z opcji.").into(),
        (Problem::Image(Refusal::Empty), _) => l
            .pick("Choose an image file first.", "Najpierw wybierz plik z obrazem.")
            .into(),
        (Problem::Image(Refusal::TooLarge), Language::En) => {
            format!("This image is larger than {} MB: save it smaller and try again.", MAX_BYTES / 1_000_000)
        }
        (Problem::Image(Refusal::TooLarge), Language::Pl) => {
            format!("Ten obraz ma więcej niż {} MB: zapisz go mniejszy i spróbuj ponownie.", MAX_BYTES / 1_000_000)
        }
        (Problem::Image(Refusal::Svg), _) => l
            .pick(
                "SVG images are not accepted (they can carry scripts): save the logo as PNG, JPEG or WebP.",
                "Obrazy SVG nie są przyjmowane (mogą zawierać skrypty): zapisz logo jako PNG, JPEG lub WebP.",
            )
            .into(),
        (Problem::Image(Refusal::NotAnImage), _) => l
            .pick(
                "This file is not a PNG, JPEG or WebP image.",
                "Ten plik nie jest obrazem PNG, JPEG ani WebP.",
            )
            .into(),
        (Problem::NotADate, _) => l
            .pick("Choose a day from the calendar, e.g. 2026-12-31.", "Wybierz dzień z kalendarza, np. 2026-12-31.")
            .into(),
        (Problem::EndsBeforeStart, _) => l
            .pick("The last day comes before the first: swap them or change one.", "Ostatni dzień wypada przed pierwszym: zamień je lub popraw jeden.")
            .into(),
        (Problem::NotATime, _) => l
            .pick("Type a time like 09:30 (24-hour clock).", "Wpisz godzinę, np. 09:30 (zegar 24-godzinny).")
            .into(),
        (Problem::InThePast, _) => l
            .pick("This moment has passed: choose a later day or time.", "Ten moment już minął: wybierz późniejszy dzień lub godzinę.")
            .into(),
        (Problem::TooFarAhead(days), Language::En) => format!("Choose a moment within the next {days} days."),
        (Problem::TooFarAhead(days), Language::Pl) => format!("Wybierz moment w ciągu najbliższych {days} dni."),
        (Problem::NothingMoved, _) => l
            .pick("Give how many points or stamps, at least one.", "Podaj, ile punktów lub pieczątek: co najmniej jeden.")
            .into(),
        (Problem::MoreThanHeld(n), Language::En) => format!("They have only {n}: take away at most {n}."),
        (Problem::MoreThanHeld(n), Language::Pl) => format!("Klient ma tylko {n}: odejmij najwyżej {n}."),
        (Problem::NotAbove(n), Language::En) => format!("Choose more than the level before needs ({n})."),
        (Problem::NotAbove(n), Language::Pl) => format!("Podaj więcej, niż wymaga poprzedni poziom ({n})."),
        (Problem::Lines(n), Language::En) => format!("Please list at most {n}, one per line."),
        (Problem::Lines(n), Language::Pl) => format!("Wpisz najwyżej {n}, po jednej w wierszu."),
        (Problem::NoBoost, _) => l
            .pick("As it is, this adds nothing: give more than 100 % or some bonus points.", "Tak ustawiona nic nie dodaje: podaj więcej niż 100 % lub punkty dodatkowe.")
            .into(),
        (Problem::UntilBeforeFrom, _) => l
            .pick("It ends before it starts: choose a later time (past midnight, add a second promotion for the morning).", "Kończy się, zanim się zacznie: wybierz późniejszą godzinę (po północy dodaj drugą promocję na rano).")
            .into(),
        (Problem::TooMany(n), Language::En) => format!("There are already {n}, the most there can be: delete one first."),
        (Problem::TooMany(n), Language::Pl) => format!("Jest już {n}, więcej być nie może: najpierw usuń jedną."),
        (Problem::BadRow(n), Language::En) => format!("Line {n}: give an item code and a whole number of points from 1 to 100000, e.g. LATTE-L,5."),
        (Problem::BadRow(n), Language::Pl) => format!("Wiersz {n}: podaj kod produktu i liczbę punktów od 1 do 100000, np. LATTE-L;5."),
        (Problem::ListedTwice(n), Language::En) => format!("Line {n}: this item code is already listed above."),
        (Problem::ListedTwice(n), Language::Pl) => format!("Wiersz {n}: ten kod produktu jest już wyżej."),
        (Problem::Refused, _) => l
            .pick("This value is not accepted here.", "Ta wartość nie jest tu dozwolona.")
            .into(),
    }
}

fn error_of<'a>(errors: &'a [FieldError], name: &str) -> Option<&'a FieldError> {
    errors.iter().find(|e| e.field == name)
}

/// One labelled input with its help line and its error beside it (the input kept).
fn input(
    l: Language,
    errors: &[FieldError],
    name: &str,
    label: &str,
    value: &str,
    help: Option<&str>,
) -> Markup {
    let error = error_of(errors, name);
    let id = format!("f-{name}");
    html! {
        label for=(id) { (label) }
        input id=(id) name=(name) type="text" value=(value)
            aria-invalid=[error.map(|_| "true")] aria-describedby={(id) "-help " (id) "-err"};
        @if let Some(h) = help { p.help id={(id) "-help"} { (h) } }
        @if let Some(e) = error { p.err id={(id) "-err"} role="alert" { (problem_text(l, e.problem)) } }
    }
}

fn csrf(f: &Frame<'_>) -> Markup {
    html! { input type="hidden" name="csrf" value=(f.csrf); }
}

/// A step's name in `l`.
pub fn step_name(l: Language, s: Step) -> &'static str {
    match s {
        Step::Business => l.pick("Your business", "Twoja firma"),
        Step::Earn => l.pick("How customers earn", "Jak klienci zbierają"),
        Step::Rewards => l.pick("First rewards", "Pierwsze nagrody"),
        Step::Locations => l.pick("Locations and time zone", "Lokale i strefa czasowa"),
        Step::Print => l.pick("Poster and till", "Plakat i kasa"),
    }
}

fn steps(l: Language, progress: &Progress, here: Step) -> Markup {
    html! {
        nav aria-label=(l.pick("Set-up steps", "Kroki konfiguracji")) {
            ol.steps {
                @for s in Step::ALL {
                    @let state = progress.state(s);
                    li { a href=(s.path()) class=[(state == State::Done).then_some("done")]
                        aria-current=[(s == here).then_some("step")] {
                        (s.number()) ". " (step_name(l, s))
                        @match state {
                            State::Done => { " ✓" },
                            State::Skipped => { " · " (l.pick("skipped", "pominięto")) },
                            State::ToDo => {},
                        }
                    } }
                }
            }
        }
    }
}

fn actions(l: Language) -> Markup {
    html! {
        div.actions {
            button type="submit" { (l.pick("Save and continue", "Zapisz i dalej")) }
            button.quiet type="submit" name="skip" value="1" formnovalidate { (l.pick("Skip for now", "Pomiń na razie")) }
        }
    }
}

fn step_page(
    l: Language,
    f: &Frame<'_>,
    progress: &Progress,
    here: Step,
    content: Markup,
) -> String {
    let title = format!(
        "{} {}/{} · {}",
        l.pick("Set-up", "Konfiguracja"),
        here.number(),
        Step::ALL.len(),
        step_name(l, here)
    );
    let body = html! {
        style { (PreEscaped(CSS)) }
        (steps(l, progress, here))
        (content)
    };
    framed(l, f, "", &title, body)
}

/// What the business step shows: the colours as typed (or saved), the logo, and the errors.
pub struct BusinessForm<'a> {
    pub primary: &'a str,
    pub accent: &'a str,
    pub logo: Option<&'a str>,
    pub errors: &'a [FieldError],
    /// The preview's address (the card with these colours).
    pub preview: &'a str,
    pub notice: Option<&'a str>,
}

/// Step 1: logo upload and colours, with the real card in a phone frame beside them.
pub fn business(
    l: Language,
    f: &Frame<'_>,
    progress: &Progress,
    form: &BusinessForm<'_>,
) -> String {
    let logo_error = error_of(form.errors, "logo");
    let content = html! {
        @if let Some(n) = form.notice { p.ok role="status" { (n) } }
        div.split {
            div {
                section.card {
                    h2 { (l.pick("Logo", "Logotyp")) }
                    @if let Some(src) = form.logo { img.logo src=(src) alt=(l.pick("Your logo", "Twoje logo")); }
                    form method="post" action="/console/setup/logo" enctype="multipart/form-data" novalidate {
                        (csrf(f))
                        label for="f-logo" { (l.pick("Logo image", "Plik z logo")) }
                        input id="f-logo" name="logo" type="file" accept="image/png,image/jpeg,image/webp"
                            aria-invalid=[logo_error.map(|_| "true")] aria-describedby="f-logo-help f-logo-err";
                        p.help id="f-logo-help" { (l.pick("PNG, JPEG or WebP, at most 1 MB. It shows at the top of every customer's card.",
                            "PNG, JPEG lub WebP, najwyżej 1 MB. Pojawi się u góry karty każdego klienta.")) }
                        @if let Some(e) = logo_error { p.err id="f-logo-err" role="alert" { (problem_text(l, e.problem)) } }
                        button type="submit" { (l.pick("Upload the logo", "Wyślij logo")) }
                    }
                }
                section.card {
                    h2 { (l.pick("Colours", "Kolory")) }
                    form method="post" action="/console/setup/business" novalidate {
                        (csrf(f))
                        (input(l, form.errors, "primary", l.pick("Main colour", "Kolor główny"), form.primary,
                            Some(l.pick("Headers and buttons, e.g. #3b2f2f. Text on it is made readable for you.",
                                "Nagłówki i przyciski, np. #3b2f2f. Tekst na nim dobierzemy tak, by był czytelny."))))
                        (input(l, form.errors, "accent", l.pick("Accent colour", "Kolor akcentu"), form.accent,
                            Some(l.pick("Filled stamps and highlights, e.g. #d4a373.", "Zebrane pieczątki i wyróżnienia, np. #d4a373."))))
                        div.actions {
                            button.quiet type="submit" name="preview" value="1" { (l.pick("Preview", "Podgląd")) }
                        }
                        (actions(l))
                    }
                }
            }
            section aria-label=(l.pick("Preview of the customer's card", "Podgląd karty klienta")) {
                p.help { (l.pick("What a customer sees on their phone:", "Tak klient zobaczy kartę na telefonie:")) }
                div.phone { iframe src=(form.preview) title=(l.pick("Card preview", "Podgląd karty")) {} }
            }
        }
    };
    step_page(l, f, progress, Step::Business, content)
}

/// Step 2: stamps per visit, points per amount, or cashback, with good defaults.
pub fn earn(
    l: Language,
    f: &Frame<'_>,
    progress: &Progress,
    currency: &str,
    form: &EarnForm,
    errors: &[FieldError],
) -> String {
    let chosen = Mode::parse(&form.mode).unwrap_or(Mode::Stamps);
    let content = html! {
        form method="post" action="/console/setup/earn" novalidate {
            (csrf(f))
            fieldset {
                legend { (l.pick("Customers collect", "Klienci zbierają")) }
                @for m in Mode::ALL {
                    label.choice {
                        input type="radio" name="mode" value=(m.as_str()) checked[m == chosen];
                        span { strong { (mode_name(l, m)) } br; span.help { (mode_help(l, m)) } }
                    }
                }
                @if let Some(e) = error_of(errors, "mode") { p.err role="alert" { (problem_text(l, e.problem)) } }
            }
            fieldset {
                legend { (l.pick("Stamps", "Pieczątki")) }
                (input(l, errors, "card_size", l.pick("Stamps on a full card", "Pieczątek na pełnej karcie"), &form.card_size,
                    Some(l.pick("8 is what most cafés use.", "Większość kawiarni wybiera 8."))))
                (input(l, errors, "per_visit", l.pick("Stamps per visit", "Pieczątek za wizytę"), &form.per_visit, None))
                (input(l, errors, "card_reward", l.pick("A full card gets", "Pełna karta to"), &form.card_reward,
                    Some(l.pick("As the card says it, e.g. a free coffee.", "Tak, jak napisze karta, np. darmowa kawa."))))
            }
            fieldset {
                legend { (l.pick("Points and cashback", "Punkty i zwrot pieniędzy")) }
                (input(l, errors, "per_unit", &match l {
                    Language::En => format!("Points per 1 {currency} spent"),
                    Language::Pl => format!("Punkty za każde wydane 1 {currency}"),
                }, &form.per_unit, Some(l.pick("Used when customers collect points or cashback.",
                    "Dotyczy zbierania punktów i zwrotu pieniędzy."))))
            }
            (actions(l))
        }
    };
    step_page(l, f, progress, Step::Earn, content)
}

/// A mode's name in `l`.
pub fn mode_name(l: Language, m: Mode) -> &'static str {
    match m {
        Mode::Stamps => l.pick("Stamps per visit", "Pieczątki za wizyty"),
        Mode::Points => l.pick("Points per amount spent", "Punkty za wydaną kwotę"),
        Mode::Cashback => l.pick("Cashback", "Zwrot pieniędzy (cashback)"),
    }
}

fn mode_help(l: Language, m: Mode) -> &'static str {
    match m {
        Mode::Stamps => l.pick(
            "The paper card, on the phone: e.g. 8 stamps for a free coffee.",
            "Papierowa karta w telefonie: np. 8 pieczątek za darmową kawę.",
        ),
        Mode::Points => l.pick(
            "Points for every unit spent, exchanged for rewards.",
            "Punkty za każdą wydaną złotówkę, wymieniane na nagrody.",
        ),
        Mode::Cashback => l.pick(
            "Points for every unit spent, paid back as money off the next purchase.",
            "Punkty za wydane pieniądze, zwracane jako rabat na kolejny zakup.",
        ),
    }
}

/// A reward already in the catalog, as the rewards step lists it.
pub struct RewardLine {
    pub name: String,
    pub cost: String,
}

/// Step 3: the first rewards (rows left empty are not added).
#[allow(clippy::too_many_arguments)] // the page's parts, each named at the one call
pub fn rewards(
    l: Language,
    f: &Frame<'_>,
    progress: &Progress,
    mode: Mode,
    existing: &[RewardLine],
    rows: &[RewardRow],
    errors: &[FieldError],
) -> String {
    let content = html! {
        @if !existing.is_empty() {
            section.card {
                h2 { (l.pick("Your rewards", "Twoje nagrody")) }
                ul { @for r in existing { li { (r.name) " · " (r.cost) } } }
            }
        }
        form method="post" action="/console/setup/rewards" novalidate {
            (csrf(f))
            p { (match mode {
                Mode::Stamps => l.pick("Each reward costs a full stamp card.", "Każda nagroda kosztuje pełną kartę pieczątek."),
                Mode::Points => l.pick("Say what each reward costs in points.", "Podaj, ile punktów kosztuje każda nagroda."),
                Mode::Cashback => l.pick("The first reward pays money back; add others if you like.",
                    "Pierwsza nagroda to zwrot pieniędzy; możesz dodać kolejne."),
            }) }
            @for i in 0..REWARD_ROWS {
                @let (name_f, points_f, amount_f) = reward_fields(i);
                @let row = rows.get(i).cloned().unwrap_or_default();
                fieldset {
                    legend { (l.pick("Reward", "Nagroda")) " " (i + 1) }
                    div.row {
                        div { (input(l, errors, name_f, l.pick("Name", "Nazwa"), &row.name, None)) }
                        @if mode != Mode::Stamps {
                            div { (input(l, errors, points_f, l.pick("Cost in points", "Koszt w punktach"), &row.points, None)) }
                        }
                        @if mode == Mode::Cashback && i == 0 {
                            div { (input(l, errors, amount_f, l.pick("Money back", "Kwota zwrotu"), &row.amount, None)) }
                        }
                    }
                }
            }
            (actions(l))
        }
    };
    step_page(l, f, progress, Step::Rewards, content)
}

/// Step 4: the time zone and the locations (rename, add one).
#[allow(clippy::too_many_arguments)] // the page's parts, each named at the one call
pub fn locations(
    l: Language,
    f: &Frame<'_>,
    progress: &Progress,
    zones: &[&str],
    time_zone: &str,
    locations: &[(u8, String)],
    new: &str,
    errors: &[FieldError],
) -> String {
    let zone_error = error_of(errors, "time_zone");
    let names_error = error_of(errors, "locations");
    let content = html! {
        form method="post" action="/console/setup/locations" novalidate {
            (csrf(f))
            label for="f-time_zone" { (l.pick("Time zone", "Strefa czasowa")) }
            select id="f-time_zone" name="time_zone" aria-invalid=[zone_error.map(|_| "true")] aria-describedby="f-time_zone-help" {
                @if !zones.contains(&time_zone) { option value=(time_zone) selected { (time_zone) } }
                @for z in zones { option value=(z) selected[*z == time_zone] { (z) } }
            }
            p.help id="f-time_zone-help" { (l.pick("Opening hours, birthdays and reports follow it.",
                "Według niej liczą się godziny, urodziny i raporty.")) }
            @if let Some(e) = zone_error { p.err role="alert" { (problem_text(l, e.problem)) } }
            fieldset {
                legend { (l.pick("Locations", "Lokale")) }
                @for (n, name) in locations {
                    @let field = location_field(*n);
                    label for={"f-" (field)} { (l.pick("Location", "Lokal")) " " (n) }
                    input id={"f-" (field)} name=(field) type="text" value=(name) aria-invalid=[names_error.map(|_| "true")];
                }
                @if let Some(e) = names_error { p.err role="alert" { (problem_text(l, e.problem)) } }
                (input(l, errors, "new", l.pick("Add a location (optional)", "Dodaj lokal (opcjonalnie)"), new,
                    Some(l.pick("Each location gets its own poster.", "Każdy lokal dostaje własny plakat."))))
            }
            (actions(l))
        }
    };
    step_page(l, f, progress, Step::Locations, content)
}

/// Step 5: print the poster (A4 or a table tent) for each location, and pair the till.
pub fn print(
    l: Language,
    f: &Frame<'_>,
    progress: &Progress,
    locations: &[(u8, String)],
) -> String {
    let content = html! {
        section.card {
            h2 { (l.pick("Print the poster", "Wydrukuj plakat")) }
            p { (l.pick("Customers scan it with their phone camera to join and collect; no app needed.",
                "Klienci skanują go aparatem telefonu, aby dołączyć i zbierać; bez aplikacji.")) }
            ul {
                @for (n, name) in locations {
                    li { strong { (name) } br;
                        a href={"/console/poster?location=" (n)} { (l.pick("A4 poster", "Plakat A4")) } " · "
                        a href={"/console/poster?location=" (n) "&layout=tent"} { (l.pick("table tent", "stojak na stolik")) } }
                }
            }
        }
        section.card {
            h2 { (l.pick("Pair the till", "Połącz kasę")) }
            p { (l.pick("Open the till on the counter tablet and pair it with a code from the console.",
                "Otwórz kasę na tablecie przy ladzie i połącz ją kodem z konsoli.")) }
            p { a href="/console/tills" { (l.pick("Pair a till", "Połącz kasę")) } }
        }
        form method="post" action="/console/setup/print" {
            (csrf(f))
            div.actions {
                button type="submit" { (l.pick("Finish the set-up", "Zakończ konfigurację")) }
                button.quiet type="submit" name="skip" value="1" { (l.pick("Skip for now", "Pomiń na razie")) }
            }
        }
    };
    step_page(l, f, progress, Step::Print, content)
}

/// The table tent: an A4 sheet folded across the middle, the poster's panel on both faces (the
/// top one upside down, so it reads from either side of the table).
pub fn table_tent(
    l: Language,
    config: &MerchantConfig,
    location: &str,
    url: &str,
    svg: &str,
) -> String {
    let panel = html! {
        div.panel {
            h2 { (config.name) }
            p.lead { (l.pick("Scan with your phone camera to collect", "Zeskanuj aparatem telefonu i zbieraj")) }
            div.qr data-url=(url) { (PreEscaped(svg)) }
            p.muted { (location) (l.pick(" · no app needed", " · bez aplikacji")) }
        }
    };
    let body = html! {
        div.tent {
            div.top { (panel) }
            div.fold { (l.pick("fold here", "zegnij tutaj")) }
            div.bottom { (panel) }
        }
        p.noprint { a href="/console/setup/print" { (l.pick("Back to the set-up", "Wróć do konfiguracji")) } }
    };
    super::page::layout_with(
        l,
        &config.branding,
        &config.name,
        l.pick("Table tent", "Stojak na stolik"),
        html! { style { (PreEscaped(TENT_CSS)) } },
        body,
    )
}

/// Two panels of half an A4 page each; the top one turned 180° to face the other side.
const TENT_CSS: &str = ".tent{background:#fff;border-radius:14px}.panel{text-align:center;padding:16px;min-height:45vh;display:flex;flex-direction:column;justify-content:center}.panel h2{margin:.2em 0;font-size:1.6rem}.panel .qr svg{width:55%;max-width:9cm;min-width:5cm;margin:0 auto}.top{transform:rotate(180deg)}.fold{border-top:2px dashed #8c847b;text-align:center;font-size:.8rem;color:#5f5a55}@page{size:A4;margin:0}@media print{header,.noprint{display:none}body{background:#fff}main{max-width:none;padding:0}.panel{height:148mm;min-height:0}.fold{height:0;overflow:hidden;border-top:1px dashed #8c847b}}";

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::account::Role;
    use crate::domain::program::Program;

    fn frame() -> Frame<'static> {
        Frame {
            business: "Kawiarnia Ala",
            person: "Ala Nowak",
            role: Role::Owner,
            csrf: "t0ken",
        }
    }

    /// Every set-up page in `l`, with an error on every kind of field.
    pub(crate) fn pages(l: Language) -> Vec<String> {
        let f = frame();
        let p = Progress::parse("business:done,earn:skipped");
        let errors: Vec<FieldError> = [
            ("primary", Problem::NotAColour),
            ("accent", Problem::Missing),
            ("logo", Problem::Image(Refusal::Svg)),
            ("card_size", Problem::OutOfRange(1, 50)),
            ("per_unit", Problem::NotANumber),
            ("name1", Problem::Text(80)),
            ("points1", Problem::Missing),
            ("amount1", Problem::NotAnAmount),
            ("time_zone", Problem::UnknownZone),
            ("mode", Problem::UnknownChoice),
            ("new", Problem::Refused),
            ("per_visit", Problem::EarnsNothing),
        ]
        .into_iter()
        .map(|(field, problem)| FieldError { field, problem })
        .collect();
        let config = super::super::test_config("Kawiarnia Ala", &["Rynek"]);
        let locs = vec![(1u8, "Rynek".to_owned())];
        vec![
            business(
                l,
                &f,
                &p,
                &BusinessForm {
                    primary: "#3b2f2f",
                    accent: "#d4a373",
                    logo: Some("/files/x.png"),
                    errors: &errors,
                    preview: "/console/setup/preview",
                    notice: Some(l.pick("Saved.", "Zapisano.")),
                },
            ),
            earn(
                l,
                &f,
                &p,
                "PLN",
                &EarnForm::of(l, &Program::default(), None),
                &errors,
            ),
            rewards(
                l,
                &f,
                &p,
                Mode::Cashback,
                &[RewardLine {
                    name: "Kawa".into(),
                    cost: "100".into(),
                }],
                &[RewardRow {
                    name: "Kawa".into(),
                    ..RewardRow::default()
                }],
                &errors,
            ),
            locations(
                l,
                &f,
                &p,
                &["Europe/Warsaw"],
                "Europe/Warsaw",
                &locs,
                "",
                &errors,
            ),
            print(l, &f, &p, &locs),
            table_tent(l, &config, "Rynek", "https://x.test/s/T", "<svg></svg>"),
        ]
    }

    #[test]
    fn every_refusal_of_an_upload_is_said_plainly_in_both_languages() {
        for r in [
            Refusal::Empty,
            Refusal::TooLarge,
            Refusal::Svg,
            Refusal::NotAnImage,
        ] {
            let (en, pl) = (
                problem_text(Language::En, Problem::Image(r)),
                problem_text(Language::Pl, Problem::Image(r)),
            );
            assert_ne!(en, pl);
        }
        assert!(problem_text(Language::En, Problem::Image(Refusal::Svg))
            .contains("SVG images are not accepted"));
    }

    #[test]
    fn each_step_keeps_the_input_and_puts_the_error_beside_its_field() {
        let page = &pages(Language::Pl)[0];
        assert!(page.contains(r#"<html lang="pl">"#));
        assert!(page.contains(r#"enctype="multipart/form-data""#));
        assert!(page.contains(r#"name="csrf" value="t0ken""#));
        assert!(page.contains("Obrazy SVG nie są przyjmowane"));
        assert!(page.contains(r##"value="#3b2f2f""##));
        assert!(page.contains(r#"<iframe src="/console/setup/preview""#));
        let earn = &pages(Language::En)[1];
        assert!(earn.contains("Choose a number from 1 to 50."));
        assert!(earn.contains(r#"value="8""#) && earn.contains("a free coffee"));
    }
}
