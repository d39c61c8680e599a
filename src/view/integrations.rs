//! The console's Integrations page (`/console/integrations`, the owner's), in English or
//! Polish: the address to paste into the till system (POS) with its signing secrets, rotation
//! after a confirmation, a test event, and the last 50 deliveries with the reason for each
//! refusal in words; the API keys (made with a scope and a location and shown once, rotated and
//! revoked after a confirmation); and where the café's own message sender is set.

use maud::{html, Markup, PreEscaped};

use super::card::SHARE_SCRIPT;
use super::catalog::{input, CSS as FORM_CSS};
use super::console::{csrf_field, framed, Frame};
use super::setup::problem_text;
use crate::domain::language::Language;
use crate::domain::setup::FieldError;

const CSS: &str = "code.addr{display:block;padding:.6rem;background:#f6f4f1;border:1px solid #d6cfc7;border-radius:.4rem;overflow-wrap:anywhere;font-size:.95rem}ul.keys{list-style:none;padding:0;margin:0}ul.keys li{padding:.7rem 0;border-bottom:1px solid #e6e0d9;display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;justify-content:space-between}ul.keys .what{min-width:0;overflow-wrap:anywhere}.refused{color:#b3261e;font-weight:600}.accepted{color:#1e6b34;font-weight:600}details summary{cursor:pointer;min-height:44px;padding:.6rem 0}";

/// A signing secret of the POS endpoint.
pub struct SecretLine {
    pub id: u8,
    pub whsec: String,
    /// The one the till should use now.
    pub newest: bool,
}

/// A delivery to the POS endpoint, for the log.
pub struct DeliveryLine {
    pub when: String,
    pub kind: Option<String>,
    pub status: String,
    pub code: Option<String>,
    pub order_id: Option<String>,
}

/// An active API key.
pub struct KeyLine {
    pub id: String,
    pub name: String,
    pub scope: String,
    pub location: Option<String>,
    pub last4: String,
    pub since: String,
}

/// The new-key form as typed.
#[derive(Default)]
pub struct KeyForm {
    pub name: String,
    pub scope: String,
    pub location: String,
}

/// A key just made or rotated: shown this once.
pub struct ShownKey {
    pub name: String,
    pub full: String,
}

/// Everything the page shows.
pub struct IntegrationsView<'a> {
    pub endpoint: &'a str,
    pub secrets: &'a [SecretLine],
    pub deliveries: &'a [DeliveryLine],
    pub keys: &'a [KeyLine],
    pub locations: &'a [(u8, String)],
    pub form: &'a KeyForm,
    pub errors: &'a [FieldError],
    pub shown: Option<&'a ShownKey>,
    pub notice: Option<&'a str>,
}

/// A scope in words.
pub fn scope_name(l: Language, scope: &str) -> &'static str {
    match scope {
        "owner" => l.pick("Everything (owner)", "Wszystko (właściciel)"),
        "counter" => l.pick("One location's till", "Kasa jednego lokalu"),
        _ => l.pick("Read only", "Tylko odczyt"),
    }
}

fn scope_help(l: Language, scope: &str) -> &'static str {
    match scope {
        "owner" => l.pick(
            "Changes everything, like you: for your own back office or accountant's tools.",
            "Zmienia wszystko, tak jak Ty: dla własnego zaplecza lub narzędzi księgowej.",
        ),
        "counter" => l.pick(
            "Makes scan codes and confirms rewards at one location: for a till or tablet.",
            "Tworzy kody do skanowania i potwierdza nagrody w jednym lokalu: dla kasy lub tabletu.",
        ),
        _ => l.pick(
            "Reads figures and customers, changes nothing: for reports.",
            "Odczytuje dane i klientów, niczego nie zmienia: do raportów.",
        ),
    }
}

/// What a delivery did, or why it was refused, in words.
pub fn delivery_words(l: Language, d: &DeliveryLine) -> String {
    let order = d.order_id.as_deref().unwrap_or_default();
    match (d.status.as_str(), l) {
        ("credited", Language::En) => format!("Credited order {order} to its customer."),
        ("credited", Language::Pl) => format!("Zamówienie {order} zaliczone klientowi."),
        ("unmatched", Language::En) => format!("Order {order} recorded; no customer matched, so nothing was credited."),
        ("unmatched", Language::Pl) => format!("Zamówienie {order} zapisane; nie pasuje do żadnego klienta, więc niczego nie zaliczono."),
        ("duplicate", Language::En) => "Sent again; already applied, so nothing changed.".into(),
        ("duplicate", Language::Pl) => "Wysłane ponownie; już zastosowane, więc nic się nie zmieniło.".into(),
        ("refunded", Language::En) => format!("Refund of order {order}: points taken back."),
        ("refunded", Language::Pl) => format!("Zwrot zamówienia {order}: punkty odebrane."),
        ("received", Language::En) => "Test event received: the address and the signature work.".into(),
        ("received", Language::Pl) => "Zdarzenie testowe odebrane: adres i podpis działają.".into(),
        _ => refusal_words(l, d.code.as_deref().unwrap_or_default()).into(),
    }
}

fn refusal_words(l: Language, code: &str) -> &'static str {
    match code {
        "webhook_signature_invalid" => l.pick(
            "Refused: the signature does not match any of your secrets (an old or mistyped secret?).",
            "Odrzucone: podpis nie pasuje do żadnego z Twoich sekretów (stary lub źle wpisany sekret?).",
        ),
        "webhook_timestamp_out_of_range" => l.pick(
            "Refused: its time is more than 5 minutes from ours (is the till's clock right?).",
            "Odrzucone: jego czas różni się od naszego o ponad 5 minut (czy zegar kasy jest dobry?).",
        ),
        "webhook_header_missing" | "webhook_timestamp_invalid" => l.pick(
            "Refused: the signature headers are missing or malformed.",
            "Odrzucone: brak nagłówków podpisu lub są niepoprawne.",
        ),
        "order_not_found" => l.pick(
            "Refused: a refund for an order we never received.",
            "Odrzucone: zwrot zamówienia, którego nie otrzymaliśmy.",
        ),
        "order_changed" => l.pick(
            "Refused: the order was already refunded in full.",
            "Odrzucone: zamówienie było już w całości zwrócone.",
        ),
        "invalid_field" | "invalid_json" => l.pick(
            "Refused: the event is not one we understand (its type or a field).",
            "Odrzucone: nie rozumiemy zdarzenia (jego typu lub pola).",
        ),
        _ => l.pick("Refused.", "Odrzucone."),
    }
}

fn deliveries(l: Language, list: &[DeliveryLine]) -> Markup {
    html! {
        @if list.is_empty() {
            p { (l.pick("Nothing has arrived yet. Send a test event, or ring up a sale on the till.",
                "Nic jeszcze nie dotarło. Wyślij zdarzenie testowe albo zarejestruj sprzedaż w kasie.")) }
        } @else {
            div.scroll tabindex="0" role="region" aria-label=(l.pick("Last deliveries", "Ostatnie dostawy")) {
                table {
                    thead { tr { th { (l.pick("When", "Kiedy")) } th style="text-align:left" { (l.pick("Event", "Zdarzenie")) } th style="text-align:left" { (l.pick("What happened", "Co się stało")) } } }
                    tbody {
                        @for d in list {
                            tr {
                                td { (d.when) }
                                td { code { (d.kind.as_deref().unwrap_or("—")) } }
                                td class=(if d.status == "refused" { "refused" } else { "accepted" }) { (delivery_words(l, d)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn key_form(l: Language, f: &Frame<'_>, v: &IntegrationsView<'_>) -> Markup {
    let e = v.errors;
    let location_error = e.iter().find(|x| x.field == "location");
    let scope_error = e.iter().find(|x| x.field == "scope");
    html! {
        form method="post" action="/console/integrations/keys" novalidate {
            (csrf_field(f))
            h3 { (l.pick("A new key", "Nowy klucz")) }
            (input(l, e, "name", l.pick("Name", "Nazwa"), "text", &v.form.name,
                l.pick("Where it will be used, e.g. Till at Rynek.", "Gdzie będzie używany, np. Kasa na Rynku."), ""))
            fieldset {
                legend { (l.pick("What it may do", "Co może robić")) }
                @for s in ["counter", "read", "owner"] {
                    label.choice for={ "s-" (s) } {
                        input type="radio" id={ "s-" (s) } name="scope" value=(s) checked[v.form.scope == s];
                        span { strong { (scope_name(l, s)) } br; span.help { (scope_help(l, s)) } }
                    }
                }
                @if let Some(x) = scope_error { p.err id="f-scope-err" role="alert" { (problem_text(l, x.problem)) } }
            }
            label for="f-location" { (l.pick("Location (for a till key)", "Lokal (dla klucza kasy)")) }
            select id="f-location" name="location" aria-describedby="f-location-help f-location-err" aria-invalid=[location_error.map(|_| "true")] {
                option value="" selected[v.form.location.is_empty()] { (l.pick("—", "—")) }
                @for (n, name) in v.locations {
                    option value=(n) selected[v.form.location == n.to_string()] { (name) }
                }
            }
            p.help id="f-location-help" { (l.pick("A till key works at one location only.", "Klucz kasy działa tylko w jednym lokalu.")) }
            @if let Some(x) = location_error { p.err id="f-location-err" role="alert" { (problem_text(l, x.problem)) } }
            button type="submit" { (l.pick("Make the key", "Utwórz klucz")) }
        }
    }
}

/// `/console/integrations`.
pub fn page(l: Language, f: &Frame<'_>, v: &IntegrationsView<'_>) -> String {
    let copied = l.pick("Copied", "Skopiowano");
    let content = html! {
        style { (PreEscaped(FORM_CSS)) (PreEscaped(CSS)) }
        @if let Some(n) = v.notice { p.ok role="status" { (n) } }
        @if !v.errors.is_empty() {
            p.alert role="alert" { (l.pick("Nothing was made: please correct the fields marked below.", "Niczego nie utworzono: popraw zaznaczone pola poniżej.")) }
        }
        @if let Some(k) = v.shown {
            section.card #new-key {
                h2 { (l.pick("Your new key: ", "Twój nowy klucz: ")) (k.name) }
                p.alert { (l.pick("Copy it now and paste it into the device: it is shown only this once. If it is lost, rotate it.",
                    "Skopiuj go teraz i wklej do urządzenia: widać go tylko ten jeden raz. Jeśli zginie, wymień go.")) }
                code.addr { (k.full) }
                button.quiet type="button" hidden data-copy=(k.full) data-done=(copied) { (l.pick("Copy the key", "Kopiuj klucz")) }
            }
        }
        section.card {
            h2 { (l.pick("Your till system (POS)", "Twój system kasowy (POS)")) }
            p { (l.pick("Paste this address into your till system's webhook settings. Each sale and refund it sends credits or takes back points once, even if it is sent twice.",
                "Wklej ten adres w ustawieniach webhooków systemu kasowego. Każda sprzedaż i zwrot, które wyśle, doliczy lub odbierze punkty raz, nawet jeśli zostanie wysłana dwa razy.")) }
            code.addr #endpoint { (v.endpoint) }
            button.quiet type="button" hidden data-copy=(v.endpoint) data-done=(copied) { (l.pick("Copy the address", "Kopiuj adres")) }
            h3 { (l.pick("Signing secrets", "Sekrety podpisu")) }
            p.help { (l.pick("The till signs each delivery with a secret (Standard Webhooks); we accept any secret listed here.",
                "Kasa podpisuje każdą dostawę sekretem (Standard Webhooks); przyjmujemy każdy sekret z tej listy.")) }
            @for s in v.secrets {
                details {
                    summary { (l.pick("Secret ", "Sekret ")) (s.id) @if s.newest { " · " (l.pick("the newest: use this one", "najnowszy: użyj tego")) } @else { " · " (l.pick("still accepted until the next new secret", "przyjmowany do kolejnej zmiany")) } }
                    code.addr { (s.whsec) }
                    button.quiet type="button" hidden data-copy=(s.whsec) data-done=(copied) { (l.pick("Copy the secret", "Kopiuj sekret")) }
                }
            }
            div.actions {
                form method="post" action="/console/integrations/secrets/rotate" {
                    (csrf_field(f))
                    button.quiet type="submit" { (l.pick("Make a new secret", "Utwórz nowy sekret")) }
                }
                form method="post" action="/console/integrations/test" {
                    (csrf_field(f))
                    button.quiet type="submit" { (l.pick("Send a test event", "Wyślij zdarzenie testowe")) }
                }
            }
            h3 { (l.pick("Last deliveries", "Ostatnie dostawy")) }
            (deliveries(l, v.deliveries))
        }
        section.card {
            h2 { (l.pick("API keys", "Klucze API")) }
            p.help { (l.pick("For tills, tablets and tools that talk to loyalty-edge. A key is shown once; here you see how it ends.",
                "Dla kas, tabletów i narzędzi, które łączą się z loyalty-edge. Klucz widać raz; tutaj widać, jak się kończy.")) }
            @if v.keys.is_empty() {
                p { (l.pick("No key yet.", "Nie ma jeszcze kluczy.")) }
            } @else {
                ul.keys {
                    @for k in v.keys {
                        li {
                            span.what {
                                strong { (k.name) } br;
                                span.muted { (scope_name(l, &k.scope)) @if let Some(loc) = &k.location { " · " (loc) } @if !k.last4.is_empty() { " · …" (k.last4) } " · " (l.pick("since ", "od ")) (k.since) }
                            }
                            span.actions {
                                form.inline method="post" action={ "/console/integrations/keys/" (k.id) "/rotate" } {
                                    (csrf_field(f))
                                    button.quiet.small type="submit" aria-label={ (l.pick("Rotate: ", "Wymień: ")) (k.name) } { (l.pick("Rotate", "Wymień")) }
                                }
                                form.inline method="post" action={ "/console/integrations/keys/" (k.id) "/revoke" } {
                                    (csrf_field(f))
                                    button.quiet.small type="submit" aria-label={ (l.pick("Revoke: ", "Unieważnij: ")) (k.name) } { (l.pick("Revoke", "Unieważnij")) }
                                }
                            }
                        }
                    }
                }
            }
            (key_form(l, f, v))
        }
        section.card {
            h2 { (l.pick("Your own message sender", "Własna bramka wiadomości")) }
            p { (l.pick("Text messages (SMS) go through your own sender's address, with its secret and delivery log, on ",
                "Wiadomości SMS idą przez adres Twojej bramki, z jej sekretem i dziennikiem dostaw, w module ")) a href="/console/messages" { (l.pick("Messages", "Wiadomości")) } "." }
        }
        script { (PreEscaped(SHARE_SCRIPT)) }
    };
    framed(
        l,
        f,
        "integrations",
        l.pick("Integrations", "Integracje"),
        content,
    )
}

/// What a confirmation is about.
pub enum Confirm<'a> {
    RotateSecret,
    RotateKey { id: &'a str, name: &'a str },
    RevokeKey { id: &'a str, name: &'a str },
}

/// Before a secret or key changes: what will happen, and the button that does it.
pub fn confirm(l: Language, f: &Frame<'_>, what: &Confirm<'_>) -> String {
    let (title, text, action, button) = match what {
        Confirm::RotateSecret => (
            l.pick("Make a new signing secret?", "Utworzyć nowy sekret podpisu?"),
            l.pick("A new secret is added for your till system. The newest earlier one keeps working until the next new secret, so the till can switch over without losing a sale; older ones stop now.",
                "Dla systemu kasowego powstanie nowy sekret. Poprzedni działa do kolejnej zmiany, więc kasa przełączy się bez utraty sprzedaży; starsze przestają działać teraz."),
            "/console/integrations/secrets/rotate".to_owned(),
            l.pick("Make the new secret", "Utwórz nowy sekret"),
        ),
        Confirm::RotateKey { id, .. } => (
            l.pick("Rotate this key?", "Wymienić ten klucz?"),
            l.pick("A new key with the same name, scope and location is shown once; this one stops working at once.",
                "Nowy klucz z tą samą nazwą, zakresem i lokalem pokażemy raz; ten przestaje działać od razu."),
            format!("/console/integrations/keys/{id}/rotate"),
            l.pick("Rotate the key", "Wymień klucz"),
        ),
        Confirm::RevokeKey { id, .. } => (
            l.pick("Revoke this key?", "Unieważnić ten klucz?"),
            l.pick("Everything that uses it stops working at once. This cannot be undone; you can make a new key.",
                "Wszystko, co go używa, od razu przestanie działać. Nie da się tego cofnąć; możesz utworzyć nowy klucz."),
            format!("/console/integrations/keys/{id}/revoke"),
            l.pick("Revoke the key", "Unieważnij klucz"),
        ),
    };
    let name = match what {
        Confirm::RotateKey { name, .. } | Confirm::RevokeKey { name, .. } => Some(*name),
        Confirm::RotateSecret => None,
    };
    let content = html! {
        style { (PreEscaped(FORM_CSS)) }
        section.card {
            @if let Some(n) = name { h2 { (n) } }
            p { (text) }
            div.actions {
                form method="post" action=(action) {
                    (csrf_field(f))
                    input type="hidden" name="confirm" value="1";
                    button type="submit" { (button) }
                }
                a href="/console/integrations" { (l.pick("Keep it as it is", "Zostaw bez zmian")) }
            }
        }
    };
    framed(l, f, "integrations", title, content)
}

/// The page and its confirmations with sample data, for the console's bilingual test.
#[cfg(test)]
pub(crate) fn bilingual_samples(l: Language, f: &Frame<'_>) -> Vec<String> {
    use crate::domain::setup::Problem;
    let secrets = [
        SecretLine {
            id: 1,
            whsec: "whsec_abc".into(),
            newest: true,
        },
        SecretLine {
            id: 2,
            whsec: "whsec_def".into(),
            newest: false,
        },
    ];
    let deliveries: Vec<DeliveryLine> = [
        ("credited", None),
        ("unmatched", None),
        ("duplicate", None),
        ("refunded", None),
        ("received", None),
        ("refused", Some("webhook_signature_invalid")),
        ("refused", Some("webhook_timestamp_out_of_range")),
        ("refused", Some("webhook_header_missing")),
        ("refused", Some("order_not_found")),
        ("refused", Some("order_changed")),
        ("refused", Some("invalid_field")),
        ("refused", Some("other")),
    ]
    .into_iter()
    .map(|(status, code)| DeliveryLine {
        when: "2026-12-06 10:00".into(),
        kind: Some("purchase.completed".into()),
        status: status.into(),
        code: code.map(Into::into),
        order_id: Some("A-1".into()),
    })
    .collect();
    let keys = [KeyLine {
        id: "k1".into(),
        name: "Kasa".into(),
        scope: "counter".into(),
        location: Some("Rynek".into()),
        last4: "abcd".into(),
        since: "2026-12-01".into(),
    }];
    let locations = [(1u8, "Rynek".to_owned())];
    let form = KeyForm::default();
    let errors = ["name", "scope", "location"].map(|field| FieldError {
        field,
        problem: Problem::Missing,
    });
    let shown = ShownKey {
        name: "Kasa".into(),
        full: "le_x".into(),
    };
    let view = |errors, shown, deliveries, keys| IntegrationsView {
        endpoint: "https://x/webhooks/v1/0a0b0c0d",
        secrets: &secrets,
        deliveries,
        keys,
        locations: &locations,
        form: &form,
        errors,
        shown,
        notice: Some("Zapisano."),
    };
    vec![
        page(l, f, &view(&errors, Some(&shown), &deliveries, &keys)),
        page(l, f, &view(&[], None, &[], &[])),
        confirm(l, f, &Confirm::RotateSecret),
        confirm(
            l,
            f,
            &Confirm::RotateKey {
                id: "k1",
                name: "Kasa",
            },
        ),
        confirm(
            l,
            f,
            &Confirm::RevokeKey {
                id: "k1",
                name: "Kasa",
            },
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_carries_the_copy_script_its_csp_allows() {
        let f = Frame {
            business: "Kawiarnia",
            person: "Ala",
            role: crate::domain::account::Role::Owner,
            csrf: "t",
        };
        let pages = bilingual_samples(Language::Pl, &f);
        assert_eq!(
            pages[0]
                .matches(&format!("<script>{SHARE_SCRIPT}</script>"))
                .count(),
            1
        );
        assert!(pages[0].contains("podpis nie pasuje"));
    }
}
