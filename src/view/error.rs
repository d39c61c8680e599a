//! The pages of errors and short notices a phone sees, and the Polish words of the errors by
//! their stable code.

use maud::html;

use super::page::layout;
use crate::domain::language::Language;
use crate::domain::program::{Branding, MerchantConfig};

/// Renders a short message with a way on (e.g. to the card).
pub fn notice(
    l: Language,
    config: &MerchantConfig,
    title: &str,
    message: &str,
    link: Option<(&str, &str)>,
) -> String {
    layout(
        l,
        &config.branding,
        &config.name,
        title,
        html! {
            div class="box" {
                h2 { (title) }
                p { (message) }
            }
            @if let Some((href, label)) = link { a class="btn" href=(href) { (label) } }
        },
    )
}

/// An error page's title for an HTTP status, in `l`.
pub fn error_title(l: Language, status: u16) -> &'static str {
    let (en, pl) = match status {
        400 => ("This request is not valid", "Nieprawidłowe żądanie"),
        401 => ("Authentication needed", "Wymagane logowanie"),
        403 => ("Not allowed", "Brak dostępu"),
        404 => ("Not found", "Nie znaleziono"),
        405 => ("Method not allowed", "Niedozwolona metoda"),
        409 => ("Conflict", "Konflikt"),
        410 => ("Expired", "Wygasło"),
        413 => ("Too large", "Za duże"),
        415 => ("Wrong content type", "Zły typ treści"),
        422 => ("Cannot be processed", "Nie można przetworzyć"),
        429 => ("Too many requests", "Za dużo prób"),
        503 => ("Try again", "Spróbuj ponownie"),
        _ => ("Something went wrong", "Coś poszło nie tak"),
    };
    l.pick(en, pl)
}

/// The Polish words of the errors a phone can meet, by their stable code (the English message
/// comes with the error; codes not listed here keep it).
pub fn error_message_pl(code: &str) -> Option<&'static str> {
    Some(match code {
        "token_malformed" => "to nie jest prawidłowy kod programu lojalnościowego",
        "token_unsupported_version" => "ten kod pochodzi z nowszej wersji systemu; poproś obsługę o nowy",
        "token_wrong_merchant" => "ten kod należy do innego sklepu",
        "token_unknown_key" => "ten kod podpisano kluczem, który nie jest już aktywny; poproś obsługę o nowy",
        "token_bad_signature" => "ten kod został zmieniony albo nie pochodzi ze sklepu",
        "token_expired" => "ten kod wygasł; poproś obsługę o nowy",
        "token_not_yet_valid" => "ten kod nie jest jeszcze ważny; sprawdź zegar urządzenia, które go wygenerowało",
        "scan_zero_value" => "ten kod jest na zero: kwota wynosi zero",
        "scan_too_large" => "ten kod jest na więcej, niż można dodać jednym skanem; poproś obsługę o sprawdzenie kwoty",
        "not_found" => "pod tym adresem nic nie ma",
        "method_not_allowed" => "ten adres nie obsługuje tej metody",
        "merchant_not_found" => "tego sklepu nie ma (lub już nie ma) w programie lojalnościowym",
        "member_not_found" => "w tym sklepie nie ma takiego klienta",
        "unknown_location" | "location_not_found" => "tego miejsca nie ma wśród lokalizacji sklepu",
        "enrol_form_invalid" => "ten formularz jest nieprawidłowy; zeskanuj kod ponownie",
        "enrol_form_expired" => "formularz był otwarty zbyt długo; zeskanuj kod ponownie",
        "cross_site_form" => "formularz wysłano z innej strony; otwórz ponownie link sklepu",
        "reward_not_found" => "w tym sklepie nie ma takiej nagrody",
        "reward_unavailable" => "ta nagroda nie jest teraz dostępna",
        "reward_out_of_stock" => "tej nagrody już zabrakło",
        "reward_limit_reached" => "limit odbiorów tej nagrody na osobę został już wykorzystany",
        "insufficient_points" => "masz za mało punktów na tę nagrodę",
        "insufficient_stamps" => "ta nagroda wymaga pełnej karty pieczątek",
        "redemption_retry" => "spróbuj ponownie",
        "redemption_not_found" => "nie ma tu odbioru nagrody z tym kodem",
        "referral_not_found" => "tego zaproszenia nie ma albo sklep nie prowadzi już poleceń",
        "link_not_found" => "ten link nie jest nasz albo zmienił się po drodze: otwórz go ponownie z wiadomości",
        "rate_limited" => "za dużo prób naraz; spróbuj ponownie za chwilę",
        "internal" => "coś poszło nie tak po naszej stronie; spróbuj ponownie",
        _ => return None,
    })
}

/// Renders an error for a phone: what happened and what to do, never internal detail. The
/// message is shown in Polish when `l` is Polish and the code has Polish words.
pub fn error_page(
    l: Language,
    branding: Option<(&Branding, &str)>,
    status: u16,
    message: &str,
    code: &str,
) -> String {
    let default = Branding::default();
    let (branding, shop) =
        branding.unwrap_or((&default, l.pick("Loyalty card", "Karta stałego klienta")));
    let title = error_title(l, status);
    let message = match l {
        Language::Pl => error_message_pl(code).unwrap_or(message),
        Language::En => message,
    };
    layout(
        l,
        branding,
        shop,
        title,
        html! {
            div class="box" {
                h2 { (title) }
                p { (message) }
                p class="muted" { small { (l.pick("Code: ", "Kod: ")) (code) } }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polish_error_pages_say_what_to_do_in_polish() {
        let page = error_page(
            Language::Pl,
            None,
            410,
            "this code has expired; ask staff for a new one",
            "token_expired",
        );
        assert!(page.contains("ten kod wygasł; poproś obsługę o nowy"));
        assert!(page.contains("<h2>Wygasło</h2>"));
        let unknown = error_page(Language::Pl, None, 400, "amount: bad", "invalid_field");
        assert!(
            unknown.contains("amount: bad"),
            "no Polish words: the message as given"
        );
        let english = error_page(
            Language::En,
            None,
            410,
            "this code has expired; ask staff for a new one",
            "token_expired",
        );
        assert!(english.contains("<h2>Expired</h2>"));
    }
}
