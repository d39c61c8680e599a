//! The email a member receives: the HTML part (a single centred column of tables with inline
//! styles, which is what the common mail clients render alike; light and dark schemes; the
//! merchant's logo and colours; one button) and the plain-text part with the same words.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::domain::language::Language;
use crate::domain::program::Branding;

/// What one email says and links to. Links are absolute; `open_pixel`, `button` and
/// `unsubscribe` already carry their signed tokens.
#[derive(Debug, Clone)]
pub struct EmailView<'a> {
    pub language: Language,
    pub shop: &'a str,
    pub branding: &'a Branding,
    /// The logo as an absolute URL (our `/files/...` made absolute), if any.
    pub logo: Option<String>,
    pub subject: &'a str,
    pub text: &'a str,
    /// The button: its words and where it goes.
    pub button: (&'a str, String),
    /// Why the member gets this email, in a sentence.
    pub why: String,
    /// Marketing mail: the page that turns offers by email off.
    pub unsubscribe: Option<String>,
    pub open_pixel: Option<String>,
}

/// Paragraphs of `text`: blank lines split them, single line breaks stay.
fn paragraphs(text: &str) -> Markup {
    html! {
        @for p in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            p style="margin:0 0 16px 0;font-size:16px;line-height:24px" {
                @for (i, line) in p.lines().enumerate() {
                    @if i > 0 { br; }
                    (line)
                }
            }
        }
    }
}

/// The HTML part.
pub fn html(v: &EmailView<'_>) -> String {
    let l = v.language;
    let primary = &v.branding.primary_color;
    html! {
        (DOCTYPE)
        html lang=(l.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                meta name="color-scheme" content="light dark";
                meta name="supported-color-schemes" content="light dark";
                title { (v.subject) }
                style { (PreEscaped("@media (prefers-color-scheme: dark){.bg{background:#111 !important}.card{background:#1e1e1e !important;color:#eee !important}.muted{color:#aaa !important}}")) }
            }
            body class="bg" style="margin:0;padding:0;background:#f3f1ee" {
                // The preview line mail apps show after the subject.
                div style="display:none;max-height:0;overflow:hidden" { (v.text.lines().next().unwrap_or_default()) }
                table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" class="bg" style="background:#f3f1ee" {
                    tr { td align="center" style="padding:24px 12px" {
                        table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px" {
                            tr { td style={ "background:" (primary) ";padding:16px 24px;border-radius:12px 12px 0 0;color:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:20px;font-weight:bold" } {
                                @if let Some(logo) = &v.logo {
                                    img src=(logo) alt="" height="40" style="height:40px;vertical-align:middle;margin-right:12px;border:0";
                                }
                                (v.shop)
                            } }
                            tr { td class="card" style="background:#ffffff;color:#222222;padding:24px;border-radius:0 0 12px 12px;font-family:Arial,Helvetica,sans-serif" {
                                (paragraphs(v.text))
                                table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 8px 0" {
                                    tr { td style={ "background:" (primary) ";border-radius:8px" } {
                                        a href=(v.button.1) style="display:inline-block;padding:12px 24px;color:#ffffff;text-decoration:none;font-size:16px;font-weight:bold" { (v.button.0) }
                                    } }
                                }
                            } }
                            tr { td class="muted" style="padding:16px 24px;color:#6b6b6b;font-family:Arial,Helvetica,sans-serif;font-size:13px;line-height:20px" {
                                (v.why)
                                @if let Some(u) = &v.unsubscribe {
                                    br;
                                    a href=(u) style="color:#6b6b6b" { (l.pick("Stop offers by email", "Nie wysyłaj mi ofert e-mailem")) }
                                }
                            } }
                        }
                    } }
                }
                @if let Some(pixel) = &v.open_pixel {
                    img src=(pixel) width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px";
                }
            }
        }
    }
    .into_string()
}

/// The plain-text part: the same words, the link, and the footer.
pub fn text(v: &EmailView<'_>) -> String {
    let mut t = String::with_capacity(v.text.len() + 300);
    t.push_str(v.text.trim());
    t.push_str("\n\n");
    t.push_str(v.button.0);
    t.push_str(": ");
    t.push_str(&v.button.1);
    t.push_str("\n\n-- \n");
    t.push_str(&v.why);
    if let Some(u) = &v.unsubscribe {
        t.push('\n');
        t.push_str(
            v.language
                .pick("Stop offers by email: ", "Rezygnacja z ofert e-mailem: "),
        );
        t.push_str(u);
    }
    t.push('\n');
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_parts_carry_the_words_the_button_and_the_way_out() {
        let branding = Branding {
            primary_color: "#3b2f2f".into(),
            accent_color: "#c8a165".into(),
            logo_url: None,
            tone: Default::default(),
            stamp_icon: Default::default(),
        };
        let v = EmailView {
            language: Language::Pl,
            shop: "Kawa <i>",
            branding: &branding,
            logo: Some("https://x.example/files/1/a.png".into()),
            subject: "Urodziny",
            text: "Cześć Ala!\n\nMasz prezent.\nDo zobaczenia",
            button: ("Otwórz kartę", "https://x.example/m/1/c/t".into()),
            why: "Dostajesz tę wiadomość, bo masz kartę w Kawa.".into(),
            unsubscribe: Some("https://x.example/u/1/t".into()),
            open_pixel: Some("https://x.example/m/1/o/t".into()),
        };
        let h = html(&v);
        assert!(h.contains("Kawa &lt;i&gt;"), "the shop's name is escaped");
        assert!(h.contains("Masz prezent.<br>Do zobaczenia"));
        assert!(h.contains("href=\"https://x.example/u/1/t\""));
        assert!(h.contains("color-scheme"));
        let t = text(&v);
        assert!(t.contains("Otwórz kartę: https://x.example/m/1/c/t"));
        assert!(t.contains("Rezygnacja z ofert e-mailem: https://x.example/u/1/t"));
    }
}
