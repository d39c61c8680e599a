//! The console's message words: one kind of message in one language, its subject and text with
//! the variables it may use, and live previews of the email as it will look and of the
//! notification and text message (with its length in parts).

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::console::{csrf_field, framed, Frame};
use super::messages::kind_name;
use crate::domain::language::Language;
use crate::domain::messages::Kind;

/// The sub-navigation of Messages.
pub fn tabs(l: Language, active: &str) -> Markup {
    let tabs = [
        (
            "/console/messages",
            l.pick("Channels and results", "Kanały i wyniki"),
        ),
        ("/console/messages/templates", l.pick("Words", "Treści")),
    ];
    html! {
        nav.tabs aria-label=(l.pick("Messages", "Wiadomości")) {
            @for (href, name) in tabs {
                a href=(href) aria-current=[(href == active).then_some("page")] { (name) }
            }
        }
    }
}

/// What a variable stands for.
fn variable_help(l: Language, name: &str) -> &'static str {
    match name {
        "name" => l.pick("the customer's name", "imię klienta"),
        "merchant" => l.pick("your business name", "nazwa Twojej firmy"),
        "points" => l.pick("their points now", "ich punkty teraz"),
        "stamps" => l.pick("their stamps now", "ich pieczątki teraz"),
        "stamps_to_next_reward" => l.pick("stamps still to go", "ile pieczątek brakuje"),
        "reward" => l.pick("the reward", "nagroda"),
        "expiry_date" => l.pick("when it expires", "kiedy wygasa"),
        "card_link" => l.pick("the link to their card", "link do ich karty"),
        "tier" => l.pick("their level", "ich poziom"),
        "amount" => l.pick(
            "the number or gift of this message",
            "liczba lub prezent tej wiadomości",
        ),
        _ => "",
    }
}

/// The live preview's script (allowed by its hash): while typing, both preview frames follow
/// the form, a moment after the last key.
pub const PREVIEW_SCRIPT: &str = "(function(){var f=document.getElementById('words');if(!f)return;var t;function go(){var e=f.elements,q=new URLSearchParams({kind:e['kind'].value,lang:e['lang'].value,subject:e['subject'].value,text:e['text'].value});document.querySelectorAll('iframe[data-as]').forEach(function(i){i.src='/console/messages/preview?'+q+'&as='+i.dataset.as})}f.addEventListener('input',function(){clearTimeout(t);t=setTimeout(go,400)})})();";

/// What the page shows.
pub struct TemplatesView<'a> {
    pub kind: Kind,
    pub language: Language,
    pub subject: &'a str,
    pub text: &'a str,
    /// The merchant has words of their own for this kind and language.
    pub custom: bool,
    pub error: Option<&'a str>,
    pub notice: Option<&'a str>,
    pub variables: &'a [&'a str],
    /// The previews' query (kind, language, subject, text).
    pub query: &'a str,
}

/// The words page.
pub fn page(l: Language, f: &Frame<'_>, v: &TemplatesView<'_>) -> String {
    let kinds = Kind::ALL.iter().filter(|k| **k != Kind::Campaign);
    let here = |k: Kind, lang: Language| {
        format!(
            "/console/messages/templates?kind={}&lang={}",
            k.as_str(),
            lang.as_str()
        )
    };
    let content = html! {
        (tabs(l, "/console/messages/templates"))
        @if let Some(n) = v.notice { p.ok role="status" { (n) } }
        section.card {
            h2 { (l.pick("Which message", "Która wiadomość")) }
            ul.kinds { @for k in kinds { li {
                a href=(here(*k, v.language)) aria-current=[(*k == v.kind).then_some("page")] { (kind_name(l, k.as_str())) }
            } } }
            p { (l.pick("Language: ", "Język: "))
                @for (lang, name) in [(Language::En, "English"), (Language::Pl, "Polski")] {
                    a href=(here(v.kind, lang)) lang=(lang.as_str()) aria-current=[(lang == v.language).then_some("page")] { (name) } " "
                }
            }
        }
        form.card id="words" method="post" action="/console/messages/templates" novalidate {
            (csrf_field(f))
            input type="hidden" name="kind" value=(v.kind.as_str());
            input type="hidden" name="lang" value=(v.language.as_str());
            h2 { (kind_name(l, v.kind.as_str())) " · " (match v.language { Language::En => "English", Language::Pl => "Polski" }) }
            p.help { @if v.custom { (l.pick("These are your own words.", "To Twoje własne słowa.")) } @else { (l.pick("These are our words; change them to make them yours.", "To nasze słowa; zmień je, by były Twoje.")) } }
            label for="f-subject" { (l.pick("Subject (email) or title (notification)", "Temat (e-mail) lub tytuł (powiadomienie)")) }
            input id="f-subject" name="subject" type="text" maxlength="200" value=(v.subject);
            label for="f-text" { (l.pick("Text", "Treść")) }
            textarea id="f-text" name="text" rows="6" aria-invalid=[v.error.map(|_| "true")] aria-describedby="f-text-err" { (v.text) }
            @if let Some(e) = v.error { p.err id="f-text-err" role="alert" { (e) } }
            details {
                summary { (l.pick("Words that fill themselves in", "Słowa, które uzupełniają się same")) }
                ul { @for name in v.variables { li { code { "{{" (name) "}}" } " — " (variable_help(l, name)) } } }
            }
            button type="submit" name="action" value="save" { (l.pick("Save", "Zapisz")) }
            " "
            button.quiet type="submit" name="action" value="preview" { (l.pick("Show the preview", "Pokaż podgląd")) }
            @if v.custom {
                " "
                button.quiet type="submit" name="action" value="reset" { (l.pick("Use our words again", "Przywróć nasze słowa")) }
            }
        }
        section.card {
            h2 { (l.pick("As the customer will see it", "Tak zobaczy to klient")) }
            p.help { (l.pick("With a sample customer, Marta. It follows what you type.", "Z przykładową klientką, Martą. Zmienia się, gdy piszesz.")) }
            iframe.preview data-as="short" title=(l.pick("Notification and text message", "Powiadomienie i SMS")) src={ "/console/messages/preview?" (v.query) "&as=short" } {}
            iframe.preview.email data-as="email" title=(l.pick("Email", "E-mail")) src={ "/console/messages/preview?" (v.query) "&as=email" } {}
        }
        script { (PreEscaped(PREVIEW_SCRIPT)) }
    };
    framed(
        l,
        f,
        "messages",
        l.pick("Message words", "Treści wiadomości"),
        content,
    )
}

/// The short preview: the notification as a phone shows it, and the text message with its
/// length; or what is wrong with the words.
pub fn short_preview(
    l: Language,
    shop: &str,
    title: &str,
    text: &str,
    sms: (usize, usize, bool),
    error: Option<&str>,
) -> String {
    let (chars, parts, gsm) = sms;
    html! {
        (DOCTYPE)
        html lang=(l.as_str()) {
            head {
                meta charset="utf-8";
                style { (PreEscaped("body{margin:0;font:15px/1.4 system-ui,sans-serif;color:#1d1b19;background:#f6f4f1;padding:8px}.n{background:#fff;border-radius:14px;box-shadow:0 1px 4px rgba(0,0,0,.2);padding:10px 12px;max-width:24rem}.n small{color:#5c534a}.n strong{display:block}.sms{background:#dcf8c6;border-radius:14px;padding:10px 12px;max-width:24rem;margin-top:12px;white-space:pre-wrap;overflow-wrap:anywhere}.m{color:#5c534a;font-size:13px;margin:4px 0 0}.err{color:#b3261e}h3{font-size:13px;margin:10px 0 4px;color:#5c534a;text-transform:uppercase;letter-spacing:.04em}")) }
            }
            body {
                @if let Some(e) = error { p.err { (e) } }
                @else {
                    h3 { (l.pick("Notification", "Powiadomienie")) }
                    div.n { small { (shop) } strong { (title) } (text) }
                    h3 { (l.pick("Text message (your own sender)", "SMS (Twój system)")) }
                    div.sms { (text) }
                    p.m { @match l {
                        Language::En => { (chars) " characters · " (parts) " part" @if parts != 1 { "s" }
                            @if !gsm { " · letters outside the basic SMS alphabet (like ą, ż) allow 70 characters a part, not 160" } },
                        Language::Pl => { "znaki: " (chars) " · części: " (parts)
                            @if !gsm { " · polskie litery (ą, ż…) zmieszczą 70 znaków w części zamiast 160" } },
                    } }
                }
            }
        }
    }
    .into_string()
}
