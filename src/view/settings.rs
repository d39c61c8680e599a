//! The console's settings (`/console/settings`, owners), in English or Polish: the café's name
//! and time zone as fields, the currency (fixed, and why), where the customers' data is, and the
//! programme as JSON under "Advanced" (read only: every part of it has its own screen). Pure.

use maud::{html, PreEscaped};

use super::catalog::{input, CSS as FORM_CSS};
use super::console::{csrf_field, framed, Frame};
use super::setup::problem_text;
use crate::domain::language::Language;
use crate::domain::setup::FieldError;

const CSS: &str = "textarea.json{font:13px/1.45 ui-monospace,monospace;min-height:16rem}details summary{cursor:pointer;color:#1f4e8c;padding:.4rem 0;min-height:44px}";

/// What the page shows.
pub struct SettingsView<'a> {
    /// As typed, or as stored.
    pub name: &'a str,
    pub time_zone: &'a str,
    /// The time zones to choose from.
    pub zones: &'a [&'a str],
    pub currency: &'a str,
    /// The programme in force, as pretty JSON.
    pub program_json: &'a str,
    pub program_version: u32,
    pub errors: &'a [FieldError],
    pub notice: Option<&'a str>,
}

/// `/console/settings`.
pub fn page(l: Language, f: &Frame<'_>, v: &SettingsView<'_>) -> String {
    let e = v.errors;
    let zone_error = e.iter().find(|x| x.field == "time_zone");
    let content = html! {
        style { (PreEscaped(FORM_CSS)) (PreEscaped(CSS)) }
        @if let Some(n) = v.notice { p.ok role="status" { (n) } }
        @if !e.is_empty() {
            p.alert role="alert" { (l.pick("Nothing was saved: please correct the fields marked below.", "Nic nie zapisano: popraw zaznaczone pola poniżej.")) }
        }
        section.card {
            h2 { (l.pick("Your café", "Twój lokal")) }
            form method="post" action="/console/settings" novalidate {
                (csrf_field(f))
                (input(l, e, "name", l.pick("Name", "Nazwa"), "text", v.name,
                    l.pick("Up to 80 characters; on the card, the posters and every message.", "Do 80 znaków; na karcie, plakatach i w każdej wiadomości."), ""))
                label for="f-time_zone" { (l.pick("Time zone", "Strefa czasowa")) }
                select id="f-time_zone" name="time_zone" aria-describedby="f-time_zone-help f-time_zone-err" aria-invalid=[zone_error.map(|_| "true")] {
                    @for z in v.zones {
                        option value=(z) selected[*z == v.time_zone] { (z) }
                    }
                }
                p.help id="f-time_zone-help" { (l.pick("Days, promotions, birthdays and quiet hours follow it.", "Według niej liczą się dni, promocje, urodziny i godziny ciszy.")) }
                @if let Some(x) = zone_error { p.err id="f-time_zone-err" role="alert" { (problem_text(l, x.problem)) } }
                button type="submit" { (l.pick("Save", "Zapisz")) }
            }
        }
        section.card {
            h2 { (l.pick("Money", "Pieniądze")) }
            p { (match l {
                Language::En => format!("Amounts are in {}. The currency is fixed: balances, rewards and orders are counted in it.", v.currency),
                Language::Pl => format!("Kwoty są w {}. Waluty nie można zmienić: liczone są w niej salda, nagrody i zamówienia.", v.currency),
            }) }
        }
        section.card {
            h2 { (l.pick("Your data", "Twoje dane")) }
            p { a href="/console/customers.csv" download { (l.pick("Download the customers as CSV", "Pobierz klientów jako CSV")) } }
            p.help { (l.pick("One customer's data, or erasing it, is on their page in Customers.", "Dane jednego klienta i ich usunięcie są na jego stronie w zakładce Klienci.")) }
        }
        section.card {
            h2 { (l.pick("Advanced", "Zaawansowane")) }
            details {
                summary { (match l {
                    Language::En => format!("The programme as JSON (version {})", v.program_version),
                    Language::Pl => format!("Program jako JSON (wersja {})", v.program_version),
                }) }
                p.help { (l.pick("For developers and till integrators. Every part of it has its own screen; to change it by hand, use the API with an owner key (PUT /api/v1/program, keys on Integrations).",
                    "Dla programistów i integratorów kas. Każda jego część ma swój ekran; by zmienić go ręcznie, użyj API z kluczem właściciela (PUT /api/v1/program, klucze w Integracjach).")) }
                label for="f-program" { (l.pick("The programme in force", "Obowiązujący program")) }
                textarea.json id="f-program" readonly spellcheck="false" { (v.program_json) }
            }
        }
    };
    framed(l, f, "settings", l.pick("Settings", "Ustawienia"), content)
}

/// The page with sample data and its errors, for the console's bilingual test.
#[cfg(test)]
pub(crate) fn bilingual_samples(l: Language, f: &Frame<'_>) -> Vec<String> {
    use crate::domain::setup::Problem;
    let errors = [
        FieldError {
            field: "name",
            problem: Problem::Missing,
        },
        FieldError {
            field: "time_zone",
            problem: Problem::UnknownZone,
        },
    ];
    let view = |errors, notice| SettingsView {
        name: "Kawiarnia",
        time_zone: "Europe/Warsaw",
        zones: &["Europe/Warsaw", "Europe/Berlin"],
        currency: "PLN",
        program_json: "{}",
        program_version: 3,
        errors,
        notice,
    };
    vec![
        page(l, f, &view(&errors, None)),
        page(l, f, &view(&[], Some("Zapisano."))),
    ]
}
