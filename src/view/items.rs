//! The console's points per item (`/console/earning/items`), in English or Polish: what the
//! table does, the table itself, a download as CSV, and the form that replaces it from a pasted
//! table or a CSV file, each bad line named by its number. Pure and without JavaScript.

use maud::{html, PreEscaped};

use super::catalog::CSS as FORM_CSS;
use super::console::{csrf_field, framed, Frame};
use super::rules::tabs;
use super::setup::problem_text;
use crate::domain::items_form::FIELD;
use crate::domain::language::Language;
use crate::domain::promo::{ItemRule, MAX_ITEM_RULES};
use crate::domain::setup::FieldError;

const CSS: &str = "textarea.table{font:14px/1.5 ui-monospace,monospace;min-height:12rem}td.code{font-family:ui-monospace,monospace;overflow-wrap:anywhere}";

/// What the view shows besides the frame.
pub struct ItemsView<'a> {
    pub rules: &'a [ItemRule],
    /// The table as typed (kept when refused), or the saved one as CSV.
    pub table: &'a str,
    pub errors: &'a [FieldError],
    pub notice: Option<&'a str>,
}

/// `/console/earning/items`.
pub fn page(l: Language, f: &Frame<'_>, v: &ItemsView<'_>) -> String {
    let errors: Vec<String> = v
        .errors
        .iter()
        .map(|e| problem_text(l, e.problem))
        .collect();
    let content = html! {
        style { (PreEscaped(FORM_CSS)) (PreEscaped(CSS)) }
        (tabs(l, "items"))
        @if let Some(n) = v.notice { p.ok role="status" { (n) } }
        @if !errors.is_empty() {
            p.alert role="alert" { (l.pick("Nothing was saved: please correct the lines named below.", "Nic nie zapisano: popraw wiersze wskazane poniżej.")) }
        }
        section.card {
            h2 { (l.pick("Points for particular items", "Punkty za wybrane produkty")) }
            p { (l.pick("When your till sends an order with its items, each item listed here earns its points per unit, on top of the points for the amount. Items not listed earn nothing extra.",
                "Gdy kasa wysyła zamówienie z produktami, każdy produkt z tej listy daje swoje punkty za sztukę, oprócz punktów za kwotę. Produkty spoza listy nie dają nic więcej.")) }
            p.help { (l.pick("The code is the one your till gives the item (its SKU or PLU), exactly as the till sends it.",
                "Kod to ten, który produkt ma w kasie (SKU lub PLU), dokładnie tak, jak kasa go wysyła.")) }
            @if v.rules.is_empty() {
                p { (l.pick("No items yet.", "Na razie bez produktów.")) }
            } @else {
                div.scroll {
                    table {
                        thead { tr { th scope="col" { (l.pick("Item code", "Kod produktu")) } th scope="col" { (l.pick("Points per unit", "Punkty za sztukę")) } } }
                        tbody {
                            @for r in v.rules {
                                tr { td.code { (r.sku) } td.n { (r.points) } }
                            }
                        }
                    }
                }
                p {
                    a href="/console/earning/items.csv" download="points-per-item.csv" { (l.pick("Download the table (CSV)", "Pobierz tabelę (CSV)")) }
                    " · " (match l {
                        Language::En => format!("{} of at most {MAX_ITEM_RULES}", v.rules.len()),
                        Language::Pl => format!("{} z najwyżej {MAX_ITEM_RULES}", v.rules.len()),
                    })
                }
            }
        }
        section.card {
            h2 { (l.pick("Replace the table", "Zastąp tabelę")) }
            form method="post" action="/console/earning/items" enctype="multipart/form-data" novalidate {
                (csrf_field(f))
                label for="f-table" { (l.pick("The table: an item code and its points on each line", "Tabela: w każdym wierszu kod produktu i jego punkty")) }
                textarea.table id="f-table" name=(FIELD) rows="10" spellcheck="false"
                    aria-invalid=[(!errors.is_empty()).then_some("true")] aria-describedby="f-table-help f-table-err" { (v.table) }
                p.help id="f-table-help" { (l.pick("Paste from a spreadsheet or type, e.g. LATTE-L,5. Commas or semicolons; a header line is fine. An empty table removes every item.",
                    "Wklej z arkusza lub wpisz, np. LATTE-L;5. Przecinki lub średniki; wiersz nagłówka może zostać. Pusta tabela usuwa wszystkie produkty.")) }
                @if !errors.is_empty() {
                    div.err id="f-table-err" role="alert" {
                        @for e in &errors { p.err { (e) } }
                    }
                }
                label for="f-file" { (l.pick("Or a CSV file instead", "Albo zamiast tego plik CSV")) }
                input id="f-file" type="file" name="file" accept=".csv,text/csv" aria-describedby="f-file-help";
                p.help id="f-file-help" { (match l {
                    Language::En => format!("Up to {MAX_ITEM_RULES} items; a file chosen here replaces what is typed above."),
                    Language::Pl => format!("Do {MAX_ITEM_RULES} produktów; wybrany plik zastępuje to, co wpisano powyżej."),
                }) }
                button type="submit" { (l.pick("Save the table", "Zapisz tabelę")) }
            }
        }
    };
    framed(
        l,
        f,
        "earning",
        l.pick("Points per item", "Punkty za produkty"),
        content,
    )
}

/// How many items a saved table has, as a notice.
pub fn saved(l: Language, n: usize) -> String {
    match (l, n) {
        (Language::En, 0) => "The table is saved: no item earns extra points now.".into(),
        (Language::Pl, 0) => {
            "Zapisano tabelę: żaden produkt nie daje teraz dodatkowych punktów.".into()
        }
        (Language::En, 1) => "The table is saved: 1 item earns points, from the next order.".into(),
        (Language::En, n) => {
            format!("The table is saved: {n} items earn points, from the next order.")
        }
        (Language::Pl, n) => format!(
            "Zapisano tabelę; produkty z punktami: {n}. Obowiązuje od następnego zamówienia."
        ),
    }
}

/// The page with sample data and its errors, for the console's bilingual test.
#[cfg(test)]
pub(crate) fn bilingual_samples(l: Language, f: &Frame<'_>) -> Vec<String> {
    use crate::domain::setup::Problem;
    let rules = [ItemRule {
        sku: "LATTE-L".into(),
        points: 5,
    }];
    let errors = [
        FieldError {
            field: FIELD,
            problem: Problem::BadRow(2),
        },
        FieldError {
            field: FIELD,
            problem: Problem::ListedTwice(3),
        },
    ];
    vec![
        page(
            l,
            f,
            &ItemsView {
                rules: &rules,
                table: "LATTE-L,5",
                errors: &errors,
                notice: None,
            },
        ),
        page(
            l,
            f,
            &ItemsView {
                rules: &[],
                table: "",
                errors: &[],
                notice: Some(&saved(l, 0)),
            },
        ),
    ]
}
