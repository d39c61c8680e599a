//! The redemption code page: the code and QR code a phone shows staff while it runs, and how it
//! ended.

use maud::{html, PreEscaped};

use super::page::layout;
use crate::domain::language::Language;
use crate::domain::program::MerchantConfig;

/// Writes a Unix ms instant as a time of day in the merchant's time zone.
fn local_time(config: &MerchantConfig, ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&config.tz()).format("%H:%M:%S").to_string())
        .unwrap_or_default()
}

/// A redemption as the phone shows it.
#[derive(Debug, Clone)]
pub struct CodeView {
    pub reward: String,
    pub code: String,
    pub status: String,
    pub expires_at_ms: i64,
    pub qr_svg: String,
    pub coupon_code: Option<String>,
}

/// Renders the redemption code for staff to confirm, with a bar that runs out with it, or how it
/// ended. The page refreshes itself when the code expires (no JavaScript).
pub fn redemption(l: Language, config: &MerchantConfig, view: &CodeView, now_ms: i64) -> String {
    let left_secs = ((view.expires_at_ms - now_ms).max(0) + 999) / 1000;
    let live = view.status == "reserved" && left_secs > 0;
    let card_link = format!("/c/{}", config.id.0);
    let until = local_time(config, view.expires_at_ms);
    let body = html! {
        @if live {
            meta http-equiv="refresh" content=(left_secs + 1);
            div class="box" {
                h2 { (view.reward) }
                p { (l.pick("Show this to staff. They confirm it at the till.", "Pokaż to obsłudze. Potwierdzi kod przy kasie.")) }
                p class="code" aria-label={ (l.pick("Code ", "Kod ")) (view.code) } { (view.code) }
                div class="qr" { (PreEscaped(&view.qr_svg)) }
                div class="bar" { span style={ "animation-duration:" (left_secs) "s" } {} }
                @match l {
                    Language::En => p class="muted" { "Valid until " (until) " (" (left_secs) " s). If it runs out, the points come back." },
                    Language::Pl => p class="muted" { "Ważny do " (until) " (" (left_secs) " s). Jeśli czas minie, punkty wrócą na kartę." },
                }
            }
        } @else if view.status == "confirmed" {
            div class="box" {
                p class="big ok" { (l.pick("Redeemed", "Odebrano")) }
                @match l {
                    Language::En => p { "Enjoy your " (view.reward) "!" },
                    Language::Pl => p { "Gotowe: " (view.reward) ". Miłego dnia!" },
                }
                @if let Some(code) = &view.coupon_code { p { (l.pick("Your coupon code: ", "Twój kod kuponu: ")) strong { (code) } } }
            }
        } @else if view.status == "cancelled" {
            div class="box" {
                p class="big warn" { (l.pick("Cancelled", "Anulowano")) }
                p { (l.pick("Staff cancelled this redemption; the points are back on your card.",
                            "Obsługa anulowała odbiór nagrody; punkty wróciły na Twoją kartę.")) }
            }
        } @else {
            div class="box" {
                p class="big warn" { (l.pick("Code expired", "Kod wygasł")) }
                p { (l.pick("It was not confirmed in time, so the points are back on your card. Redeem again when you are at the counter.",
                            "Kod nie został potwierdzony na czas, więc punkty wróciły na Twoją kartę. Odbierz nagrodę ponownie, gdy będziesz przy kasie.")) }
            }
        }
        a class="btn" href=(card_link) { (l.pick("Back to my card", "Wróć do mojej karty")) }
    };
    layout(
        l,
        &config.branding,
        &config.name,
        l.pick("Reward", "Nagroda"),
        body,
    )
}
