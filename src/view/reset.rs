//! Password reset pages, in English or Polish: the page a reset link opens (a new password),
//! and the card on the people page that shows a link just made, once, with a copy button.

use maud::{html, Markup};

use super::console::{field, language_links, page};
use crate::domain::account::FieldError;
use crate::domain::language::Language;

/// The page a reset link opens: whose password it sets, and the form.
pub fn reset_page(l: Language, email: &str, errors: &[FieldError]) -> String {
    let title = l.pick("Set a new password", "Ustaw nowe hasło");
    let body = html! {
        header { span.brand { "loyalty-edge" } }
        main {
            h1 { (title) }
            (language_links(l, ""))
            p { (match l {
                Language::En => format!("For the account {email}. This link works once."),
                Language::Pl => format!("Dla konta {email}. Ten link działa raz."),
            }) }
            form method="post" novalidate {
                input type="hidden" name="language" value=(l.as_str());
                (field(l, errors, "password", l.pick("New password", "Nowe hasło"), "password", "",
                    Some(l.pick("At least 10 characters. Every device signed in to this account is signed out.",
                        "Co najmniej 10 znaków. Wszystkie urządzenia zalogowane na to konto zostaną wylogowane.")), "new-password"))
                button type="submit" { (l.pick("Set the password and sign in", "Ustaw hasło i zaloguj się")) }
            }
        }
    };
    page(l, title, body)
}

/// The message of a reset link that no longer works, in `l`.
pub fn gone_message(l: Language) -> &'static str {
    l.pick(
        "This password link was used already, has expired or was replaced by a newer one. Ask for a new one.",
        "Ten link do hasła został już użyty, wygasł albo zastąpił go nowszy. Poproś o nowy.",
    )
}

/// A reset link just made on the people page.
pub struct Ready<'a> {
    /// Whose password it sets.
    pub name: &'a str,
    pub link: &'a str,
}

/// A one-time link to hand over, with a copy button (shown only where the browser can copy;
/// the page's script is `view::card::SHARE_SCRIPT`).
pub fn link_box(l: Language, id: &str, label: &str, link: &str) -> Markup {
    html! {
        label for=(id) { (label) }
        div.tools {
            input id=(id) type="text" readonly value=(link);
            button.quiet type="button" hidden data-copy=(link) data-done=(l.pick("Link copied", "Skopiowano link")) {
                (l.pick("Copy link", "Kopiuj link")) }
        }
    }
}

/// The card that shows a reset link once.
pub fn ready_card(l: Language, r: &Ready<'_>) -> Markup {
    html! {
        section.card {
            h2 { (l.pick("Password link ready", "Link do hasła gotowy")) }
            p { (match l {
                Language::En => format!("Give this link to {} (it works once, for 24 hours; a newer link replaces it). Setting the password signs them out everywhere. We will email it once email sending is on.", r.name),
                Language::Pl => format!("Przekaż ten link tej osobie: {} (działa raz, przez 24 godziny; nowszy link go zastępuje). Ustawienie hasła wyloguje ją wszędzie. Gdy włączysz wysyłkę e-maili, wyślemy go za Ciebie.", r.name),
            }) }
            (link_box(l, "reset-link", l.pick("Password link", "Link do hasła"), r.link))
        }
    }
}
