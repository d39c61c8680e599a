//! The console's locations (`/console/locations`, under Locations & people), in English or
//! Polish: each location with its name to change, its posters to print and the tills paired
//! there; a new location; the time zone everything local follows.

use maud::{html, PreEscaped};

use super::catalog::CSS as FORM_CSS;
use super::console::{csrf_field, framed, Frame};
use super::setup::problem_text;
use super::tills::people_tabs;
use crate::domain::language::Language;
use crate::domain::setup::{location_field, FieldError};

/// A location as the page lists it.
pub struct LocationLine {
    pub number: u8,
    /// As typed when the form came back, else as stored.
    pub name: String,
    /// The tills paired there (their labels).
    pub tills: Vec<String>,
}

/// What the page shows.
pub struct LocationsView<'a> {
    pub zones: &'a [&'a str],
    pub time_zone: &'a str,
    pub locations: &'a [LocationLine],
    pub new: &'a str,
    pub errors: &'a [FieldError],
    pub notice: Option<&'a str>,
}

/// `/console/locations`.
pub fn page(l: Language, f: &Frame<'_>, v: &LocationsView<'_>) -> String {
    let error = |name: &str| v.errors.iter().find(|e| e.field == name);
    let zone_error = error("time_zone");
    let names_error = error("locations");
    let new_error = error("new");
    let content = html! {
        style { (PreEscaped(FORM_CSS)) }
        (people_tabs(l, "/console/locations"))
        @if let Some(n) = v.notice { p.ok role="status" { (n) } }
        @if !v.errors.is_empty() {
            p.alert role="alert" { (l.pick("Nothing was saved: please correct the fields marked below.", "Nic nie zapisano: popraw zaznaczone pola poniżej.")) }
        }
        form method="post" action="/console/locations" novalidate {
            (csrf_field(f))
            @for loc in v.locations {
                @let field = location_field(loc.number);
                section.card {
                    label for={ "f-" (field) } { (l.pick("Location", "Lokal")) " " (loc.number) }
                    input id={ "f-" (field) } name=(field) type="text" value=(loc.name) aria-invalid=[names_error.map(|_| "true")]
                        aria-describedby="f-locations-err";
                    p {
                        a href={ "/console/poster?location=" (loc.number) } { (l.pick("Print the A4 poster", "Drukuj plakat A4")) } " · "
                        a href={ "/console/poster?location=" (loc.number) "&layout=tent" } { (l.pick("table tent", "stojak na stolik")) }
                    }
                    p.help {
                        @if loc.tills.is_empty() {
                            (l.pick("No till paired here yet: ", "Brak połączonej kasy: ")) a href="/console/tills" { (l.pick("pair one", "połącz kasę")) }
                        } @else {
                            (l.pick("Tills here: ", "Kasy tutaj: ")) (loc.tills.join(", "))
                        }
                    }
                }
            }
            @if let Some(e) = names_error { p.err id="f-locations-err" role="alert" { (problem_text(l, e.problem)) } }
            section.card {
                label for="f-new" { (l.pick("Add a location (optional)", "Dodaj lokal (opcjonalnie)")) }
                input id="f-new" name="new" type="text" value=(v.new) aria-invalid=[new_error.map(|_| "true")] aria-describedby="f-new-help f-new-err";
                p.help id="f-new-help" { (l.pick("Each location gets its own poster and tills.", "Każdy lokal ma własny plakat i kasy.")) }
                @if let Some(e) = new_error { p.err id="f-new-err" role="alert" { (problem_text(l, e.problem)) } }
                label for="f-time_zone" { (l.pick("Time zone", "Strefa czasowa")) }
                select id="f-time_zone" name="time_zone" aria-invalid=[zone_error.map(|_| "true")] aria-describedby="f-time_zone-help f-time_zone-err" {
                    @if !v.zones.contains(&v.time_zone) { option value=(v.time_zone) selected { (v.time_zone) } }
                    @for z in v.zones { option value=(z) selected[*z == v.time_zone] { (z) } }
                }
                p.help id="f-time_zone-help" { (l.pick("Opening hours, birthdays, expiry and reports follow it.", "Według niej liczą się godziny, urodziny, wygasanie i raporty.")) }
                @if let Some(e) = zone_error { p.err id="f-time_zone-err" role="alert" { (problem_text(l, e.problem)) } }
            }
            button type="submit" { (l.pick("Save the locations", "Zapisz lokale")) }
        }
    };
    framed(l, f, "people", l.pick("Locations", "Lokale"), content)
}

/// The page with sample data and every error, for the console's bilingual test.
#[cfg(test)]
pub(crate) fn bilingual_samples(l: Language, f: &Frame<'_>) -> Vec<String> {
    use crate::domain::setup::Problem;
    let locations = [
        LocationLine {
            number: 1,
            name: "Rynek".into(),
            tills: vec!["Lada".into()],
        },
        LocationLine {
            number: 2,
            name: "Dworzec".into(),
            tills: vec![],
        },
    ];
    let errors = ["time_zone", "locations", "new"].map(|field| FieldError {
        field,
        problem: Problem::Missing,
    });
    let view = |errors, notice| LocationsView {
        zones: &["Europe/Warsaw"],
        time_zone: "Europe/Berlin",
        locations: &locations,
        new: "Kiosk",
        errors,
        notice,
    };
    vec![
        page(l, f, &view(&errors, None)),
        page(l, f, &view(&[], Some("Zapisano."))),
    ]
}
