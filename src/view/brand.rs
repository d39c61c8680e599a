//! The console's card designer (`/console/card`), in English or Polish: the logo, the brand's
//! colours with what the card does to keep them readable (WCAG AA), the picture inside each
//! stamp, how many stamps fill the card and what a full card gives, and how the pages address
//! customers; beside it the real card in a phone frame. Works without JavaScript (the Preview
//! button); a small script refreshes the preview as the owner types.

use maud::{html, Markup, PreEscaped};

use super::catalog::{input, CSS as FORM_CSS};
use super::console::{csrf_field, framed, Frame};
use super::contrast::{self, AA_NON_TEXT, AA_TEXT, INK};
use super::page::{stamp_svg, BOX_BACKGROUND};
use super::setup::problem_text;
use crate::domain::card_form::CardForm;
use crate::domain::image::MAX_BYTES;
use crate::domain::language::Language;
use crate::domain::program::{Branding, StampIcon, Tone};
use crate::domain::setup::FieldError;

/// The designer's own styles (on top of the console's and the catalog's form styles).
const CSS: &str = ".icons{display:flex;flex-wrap:wrap;gap:.5rem}.icons label{display:flex;flex-direction:column;align-items:center;gap:.2rem;font-weight:400;margin:0;padding:.4rem;border:1px solid #d6cfc7;border-radius:.5rem;min-width:4.2rem;cursor:pointer}.icons label:has(input:checked){border:2px solid #1d1b19}.icons input{margin:0}.icons .stamp{display:block;width:2.4rem;height:2.4rem;border-radius:50%}.icons .stamp svg{display:block;width:64%;height:64%;margin:18%;fill:var(--ic)}.swatch{display:inline-block;width:1.1rem;height:1.1rem;border-radius:.25rem;border:1px solid #5f5a55;vertical-align:-.2rem;margin-right:.3rem}ul.checks{list-style:none;padding:0;margin:.4rem 0}ul.checks li{margin:.5rem 0;padding-left:1.6rem;position:relative}ul.checks li::before{position:absolute;left:0;font-weight:700}ul.checks li.good::before{content:'✓';color:#1e6b34}ul.checks li.fixed::before{content:'!';color:#8a4b00}img.logo{max-height:64px;width:auto;border-radius:.4rem;display:block;margin:.4rem 0}";

/// The script that refreshes the preview as the owner types (the form's fields, never the
/// file, into the preview's query).
pub const LIVE_SCRIPT: &str = "(function(){var f=document.getElementById('card-form'),p=document.getElementById('card-preview');if(!f||!p)return;var t;function go(){var q=new URLSearchParams();['primary','accent','stamp_icon','tone','card_size','card_reward'].forEach(function(n){var e=f.elements[n];if(e)q.set(n,e.value)});p.src='/console/card/preview?'+q.toString()}f.addEventListener('input',function(){clearTimeout(t);t=setTimeout(go,400)})})();";

/// What the designer shows besides its fields.
pub struct CardView<'a> {
    pub form: &'a CardForm,
    /// The branding the preview and the readability notes are drawn with (the typed one when
    /// it passes, else the saved one).
    pub shown: &'a Branding,
    pub logo: Option<&'a str>,
    pub errors: &'a [FieldError],
    pub preview: &'a str,
    /// The card collects stamps (else the stamp card's fields are not shown).
    pub stamps: bool,
    pub remove_logo: bool,
    /// A logo was chosen but not kept (a preview or an error): it must be chosen again.
    pub choose_again: bool,
    pub notice: Option<&'a str>,
}

/// A readability note: what the card does with the brand's colours, and whether it had to step
/// in (a colour that fails WCAG AA where it is used).
pub struct Note {
    pub fixed: bool,
    pub text: String,
}

fn colour_name(l: Language, c: &str) -> String {
    match c {
        "#ffffff" => l.pick("white", "biały").into(),
        INK => l.pick("dark ink", "ciemny grafit").into(),
        "#000000" => l.pick("black", "czarny").into(),
        other => other.into(),
    }
}

fn ratio_text(r: f64) -> String {
    format!("{r:.1}:1")
}

/// What the card does to keep `b` readable, in words.
pub fn notes(l: Language, b: &Branding) -> Vec<Note> {
    let mut out = Vec::new();
    let on_primary = contrast::text_on(&b.primary_color);
    let r = contrast::ratio(on_primary, &b.primary_color);
    out.push(Note {
        fixed: on_primary != "#ffffff",
        text: match l {
            Language::En => format!(
                "Header and buttons: {} text on your main colour ({}; AA asks {}:1).",
                colour_name(l, on_primary),
                ratio_text(r),
                AA_TEXT
            ),
            Language::Pl => format!(
                "Nagłówek i przyciski: {} tekst na kolorze głównym ({}; AA wymaga {}:1).",
                colour_name(l, on_primary),
                ratio_text(r),
                AA_TEXT
            ),
        },
    });
    let on_white = contrast::ratio(&b.accent_color, BOX_BACKGROUND);
    let faint = on_white < AA_NON_TEXT;
    out.push(Note {
        fixed: faint,
        text: match (faint, l) {
            (false, Language::En) => format!(
                "Filled stamps: your accent colour stands out on white ({}; shapes need {}:1).",
                ratio_text(on_white),
                AA_NON_TEXT
            ),
            (false, Language::Pl) => format!(
                "Zebrane pieczątki: kolor akcentu dobrze widać na białym ({}; kształty wymagają {}:1).",
                ratio_text(on_white),
                AA_NON_TEXT
            ),
            (true, Language::En) => format!(
                "Filled stamps: your accent colour is faint on white ({}; shapes need {}:1), so the card outlines them and draws focus rings in dark ink.",
                ratio_text(on_white),
                AA_NON_TEXT
            ),
            (true, Language::Pl) => format!(
                "Zebrane pieczątki: kolor akcentu słabo widać na białym ({}; kształty wymagają {}:1), więc karta obrysowuje je i rysuje obwódki fokusu ciemnym grafitem.",
                ratio_text(on_white),
                AA_NON_TEXT
            ),
        },
    });
    if b.stamp_icon != StampIcon::Dot {
        let icon = contrast::text_on(&b.accent_color);
        out.push(Note {
            fixed: false,
            text: match l {
                Language::En => format!(
                    "The picture in a stamp: {} on your accent colour ({}).",
                    colour_name(l, icon),
                    ratio_text(contrast::ratio(icon, &b.accent_color))
                ),
                Language::Pl => format!(
                    "Obrazek w pieczątce: {} na kolorze akcentu ({}).",
                    colour_name(l, icon),
                    ratio_text(contrast::ratio(icon, &b.accent_color))
                ),
            },
        });
    }
    out
}

fn icon_name(l: Language, i: StampIcon) -> &'static str {
    match i {
        StampIcon::Dot => l.pick("Plain", "Gładka"),
        StampIcon::Cup => l.pick("Cup", "Filiżanka"),
        StampIcon::Star => l.pick("Star", "Gwiazdka"),
        StampIcon::Heart => l.pick("Heart", "Serce"),
        StampIcon::Leaf => l.pick("Leaf", "Listek"),
        StampIcon::Check => l.pick("Tick", "Ptaszek"),
    }
}

fn tone_example(l: Language, t: Tone) -> (&'static str, &'static str) {
    match t {
        Tone::Friendly => (
            l.pick("Friendly", "Przyjazny"),
            l.pick(
                "“Welcome, Ola! Your card is ready.”",
                "„Witaj, Ola! Twoja karta jest gotowa.”",
            ),
        ),
        Tone::Formal => (
            l.pick("Formal", "Oficjalny"),
            l.pick(
                "“Welcome. Your loyalty card is ready.”",
                "„Witamy. Karta stałego klienta jest gotowa.”",
            ),
        ),
    }
}

fn error_line(l: Language, errors: &[FieldError], name: &str) -> Markup {
    html! {
        @if let Some(e) = errors.iter().find(|e| e.field == name) {
            p.err id={ "f-" (name) "-err" } role="alert" { (problem_text(l, e.problem)) }
        }
    }
}

/// `/console/card`: the designer and the card as customers see it.
pub fn designer(l: Language, f: &Frame<'_>, v: &CardView<'_>) -> String {
    let form = v.form;
    let e = v.errors;
    let logo_error = e.iter().find(|x| x.field == "logo");
    let chosen_icon = StampIcon::parse(&form.stamp_icon);
    let chosen_tone = Tone::parse(&form.tone);
    let swatch = |c: &str| {
        let c = contrast::rgb(c).map(|_| c.trim().to_owned());
        html! { @if let Some(c) = c { span.swatch style={ "background:" (c) } {} } }
    };
    // The chooser's stamps are drawn filled, in the brand as shown.
    let accent = &v.shown.accent_color;
    let stamp_style = format!(
        "background:{accent};--ic:{};border:2px solid {}",
        contrast::text_on(accent),
        contrast::visible_on(accent, BOX_BACKGROUND)
    );
    let content = html! {
        style { (PreEscaped(FORM_CSS)) (PreEscaped(CSS)) }
        @if let Some(n) = v.notice { p.ok role="status" { (n) } }
        @if !e.is_empty() {
            p.alert role="alert" { (l.pick("Nothing was saved: please correct the fields marked below.", "Nic nie zapisano: popraw zaznaczone pola poniżej.")) }
        }
        p { (l.pick("How your card looks on customers' phones. Changes show on every card as soon as you save.",
            "Tak Twoja karta wygląda na telefonach klientów. Zmiany pojawią się na każdej karcie zaraz po zapisaniu.")) }
        div.split {
            form #card-form method="post" action="/console/card" enctype="multipart/form-data" novalidate {
                (csrf_field(f))
                section.card {
                    h2 { (l.pick("Logo", "Logotyp")) }
                    @if let Some(src) = v.logo {
                        img.logo src=(src) alt=(l.pick("Your logo", "Twoje logo"));
                        label.check for="f-remove_logo" { input id="f-remove_logo" type="checkbox" name="remove_logo" value="1" checked[v.remove_logo]; span { (l.pick("Remove the logo", "Usuń logo")) } }
                    }
                    label for="f-logo" { (l.pick("Logo image", "Plik z logo")) }
                    input id="f-logo" name="logo" type="file" accept="image/png,image/jpeg,image/webp"
                        aria-invalid=[logo_error.map(|_| "true")] aria-describedby="f-logo-help f-logo-err";
                    p.help id="f-logo-help" { @match l {
                        Language::En => { "PNG, JPEG or WebP, at most " (MAX_BYTES / 1_000_000) " MB. It shows at the top of every card." },
                        Language::Pl => { "PNG, JPEG lub WebP, najwyżej " (MAX_BYTES / 1_000_000) " MB. Pojawi się u góry każdej karty." },
                    } }
                    (error_line(l, e, "logo"))
                    @if v.choose_again && logo_error.is_none() {
                        p.alert role="status" { (l.pick("Browsers do not keep a chosen file: choose the logo again before saving.",
                            "Przeglądarka nie zapamiętuje wybranego pliku: wybierz logo ponownie przed zapisaniem.")) }
                    }
                }
                section.card {
                    h2 { (l.pick("Colours", "Kolory")) }
                    div.pair {
                        (input(l, e, "primary", l.pick("Main colour", "Kolor główny"), "text", &form.primary,
                            l.pick("Header and buttons, e.g. #3b2f2f.", "Nagłówek i przyciski, np. #3b2f2f."), ""))
                        (input(l, e, "accent", l.pick("Accent colour", "Kolor akcentu"), "text", &form.accent,
                            l.pick("Filled stamps, e.g. #d4a373.", "Zebrane pieczątki, np. #d4a373."), ""))
                    }
                    h3 { (l.pick("Readable for everyone", "Czytelne dla każdego")) }
                    p.help { (swatch(&v.shown.primary_color)) (v.shown.primary_color) " · " (swatch(&v.shown.accent_color)) (v.shown.accent_color) }
                    ul.checks #contrast {
                        @for n in notes(l, v.shown) {
                            li class=(if n.fixed { "fixed" } else { "good" }) { (n.text) }
                        }
                    }
                }
                section.card {
                    h2 { (l.pick("Stamps", "Pieczątki")) }
                    fieldset {
                        legend { (l.pick("The picture in each stamp", "Obrazek w pieczątce")) }
                        div.icons {
                            @for i in StampIcon::ALL {
                                label for={ "i-" (i.as_str()) } {
                                    span.stamp style=(stamp_style) { (stamp_svg(i)) }
                                    input type="radio" id={ "i-" (i.as_str()) } name="stamp_icon" value=(i.as_str()) checked[chosen_icon == Some(i)];
                                    span { (icon_name(l, i)) }
                                }
                            }
                        }
                        (error_line(l, e, "stamp_icon"))
                    }
                    @if v.stamps {
                        div.pair {
                            (input(l, e, "card_size", l.pick("Stamps on a full card", "Pieczątek na pełnej karcie"), "text", &form.card_size,
                                l.pick("1 to 50; 8 is what most cafés use.", "Od 1 do 50; większość kawiarni wybiera 8."), ""))
                            (input(l, e, "card_reward", l.pick("A full card gets", "Pełna karta to"), "text", &form.card_reward,
                                l.pick("As the card says it, e.g. a free coffee.", "Tak, jak napisze karta, np. darmowa kawa."), ""))
                        }
                    } @else {
                        p.help { (l.pick("Your customers collect points, so the card shows their balance; the stamp picture is used if you switch to stamps.",
                            "Twoi klienci zbierają punkty, więc karta pokazuje saldo; obrazek pieczątki przyda się, gdy przejdziesz na pieczątki.")) }
                        input type="hidden" name="card_size" value=(form.card_size);
                        input type="hidden" name="card_reward" value=(form.card_reward);
                    }
                }
                section.card {
                    h2 { (l.pick("How the card speaks", "Jak mówi karta")) }
                    fieldset {
                        legend { (l.pick("Tone", "Ton")) }
                        @for t in [Tone::Friendly, Tone::Formal] {
                            @let (name, example) = tone_example(l, t);
                            label.choice for={ "t-" (t.as_str()) } {
                                input type="radio" id={ "t-" (t.as_str()) } name="tone" value=(t.as_str()) checked[chosen_tone == Some(t)];
                                span { strong { (name) } br; span.help { (example) } }
                            }
                        }
                        (error_line(l, e, "tone"))
                    }
                    p.help { (l.pick("The words of your messages are on ", "Treść wiadomości zmienisz w ")) a href="/console/messages/templates" { (l.pick("Messages → Words", "Wiadomości → Treść")) } "." }
                }
                div.actions {
                    button type="submit" { (l.pick("Save the card", "Zapisz kartę")) }
                    button.quiet type="submit" name="preview" value="1" { (l.pick("Preview", "Podgląd")) }
                }
            }
            aside {
                h2 { (l.pick("What customers see", "Co widzą klienci")) }
                div.phone { iframe #card-preview src=(v.preview) title=(l.pick("The card as customers see it", "Karta tak, jak widzą ją klienci")) {} }
                p.help { (l.pick("A sample customer part-way through the card. It follows what you type.", "Przykładowy klient w połowie karty. Podgląd zmienia się, gdy piszesz.")) }
            }
        }
        script { (PreEscaped(LIVE_SCRIPT)) }
    };
    framed(
        l,
        f,
        "card",
        l.pick("Card & brand", "Karta i marka"),
        content,
    )
}

/// The designer with sample data and every error, for the console's bilingual test.
#[cfg(test)]
pub(crate) fn bilingual_samples(l: Language, f: &Frame<'_>) -> Vec<String> {
    use crate::domain::program::Program;
    use crate::domain::setup::Problem;
    let faint = Branding {
        accent_color: "#fff3b0".into(),
        stamp_icon: StampIcon::Star,
        logo_url: Some("/files/x/y.png".into()),
        ..Branding::default()
    };
    let form = CardForm::of(l, &faint, &Program::default());
    let errors: Vec<FieldError> = [
        "primary",
        "accent",
        "stamp_icon",
        "tone",
        "card_size",
        "card_reward",
        "logo",
    ]
    .into_iter()
    .map(|field| FieldError {
        field,
        problem: Problem::Missing,
    })
    .collect();
    let view = |errors, stamps, notice| CardView {
        form: &form,
        shown: &faint,
        logo: faint.logo_url.as_deref(),
        errors,
        preview: "/console/card/preview",
        stamps,
        remove_logo: true,
        choose_again: true,
        notice,
    };
    vec![
        designer(l, f, &view(&errors, true, None)),
        designer(l, f, &view(&[], false, Some("Zapisano."))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_designer_carries_the_script_its_csp_allows() {
        let f = Frame {
            business: "Kawiarnia",
            person: "Ala",
            role: crate::domain::account::Role::Owner,
            csrf: "t",
        };
        for page in bilingual_samples(Language::En, &f) {
            assert_eq!(
                page.matches(&format!("<script>{LIVE_SCRIPT}</script>"))
                    .count(),
                1
            );
        }
        assert!(
            !LIVE_SCRIPT.contains('<'),
            "nothing that would end the element early"
        );
    }

    #[test]
    fn a_faint_accent_is_said_and_what_the_card_did() {
        let faint = Branding {
            accent_color: "#fff3b0".into(),
            stamp_icon: StampIcon::Cup,
            ..Branding::default()
        };
        for l in [Language::En, Language::Pl] {
            let n = notes(l, &faint);
            assert_eq!(n.len(), 3);
            assert!(!n[0].fixed, "white on the default dark brown");
            assert!(n[1].fixed, "{}", n[1].text);
            assert!(n[1].text.contains("1.1:1"), "{}", n[1].text);
        }
        let good = Branding {
            primary_color: "#ffe066".into(),
            accent_color: "#0b3d2e".into(),
            ..Branding::default()
        };
        let n = notes(Language::En, &good);
        assert_eq!(n.len(), 2, "no picture, no note on it");
        assert!(
            n[0].fixed && n[0].text.contains("dark ink"),
            "{}",
            n[0].text
        );
        assert!(!n[1].fixed, "{}", n[1].text);
    }
}
