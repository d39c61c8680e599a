//! The console's Messages module, in English or Polish: which channels send (and whether this
//! server can send them), the sender and the card's offer, quiet hours and the frequency cap, a
//! test email to oneself, what each channel achieves, and the delivery log with each message's
//! attempts and re-send.

use maud::{html, Markup};

use super::console::{csrf_field, framed, Frame};
use super::insights::table;
use crate::domain::channels_form::{ChannelsForm, Problem};
use crate::domain::language::Language;
use crate::domain::messages::Kind;

/// What this server can send, whatever the merchant chooses.
#[derive(Debug, Clone)]
pub struct Ready {
    /// The address email comes from, if the operator set email up.
    pub email_from: Option<String>,
    pub push: bool,
    /// The merchant's own sender (webhook endpoint), if they have one.
    pub webhook: Option<String>,
}

/// One channel's results.
pub struct ChannelLine {
    pub channel: String,
    pub sent: i64,
    pub failed: i64,
    pub opened: i64,
    pub clicked: i64,
    pub converted: i64,
}

/// One line of the delivery log.
pub struct LogLine {
    pub id: String,
    pub kind: String,
    pub member: String,
    pub channel: Option<String>,
    pub status: String,
    pub when: String,
    pub opened: bool,
    pub clicked: bool,
}

/// What the page shows.
pub struct MessagesView<'a> {
    pub ready: &'a Ready,
    pub form: &'a ChannelsForm,
    pub errors: &'a [(&'static str, Problem)],
    pub notice: Option<&'a str>,
    pub me: &'a str,
    pub results: &'a [ChannelLine],
    pub log: &'a [LogLine],
}

/// A kind of message in words.
pub fn kind_name(l: Language, kind: &str) -> String {
    let name = match Kind::parse(kind) {
        Some(Kind::Welcome) => l.pick("Welcome", "Powitanie"),
        Some(Kind::BalanceUpdate) => l.pick("Visit news", "Wiadomość o wizycie"),
        Some(Kind::Milestone) => l.pick("Visit milestone", "Jubileusz wizyt"),
        Some(Kind::TierChanged) => l.pick("New level", "Nowy poziom"),
        Some(Kind::RedemptionConfirmed) => l.pick("Reward collected", "Odebrana nagroda"),
        Some(Kind::ReferralRewarded) => l.pick("Referral bonus", "Premia za polecenie"),
        Some(Kind::PointsExpiring) => l.pick("Points expiring", "Wygasające punkty"),
        Some(Kind::RewardExpiring) => l.pick("Reward expiring", "Wygasająca nagroda"),
        Some(Kind::BirthdayOffer) => l.pick("Birthday offer", "Oferta urodzinowa"),
        Some(Kind::WeMissYou) => l.pick("We miss you", "Tęsknimy"),
        Some(Kind::Campaign) => l.pick("Campaign", "Kampania"),
        Some(Kind::Sequence) => l.pick("Automation", "Automatyzacja"),
        None => return kind.to_string(),
    };
    name.to_string()
}

/// A channel in words.
pub fn channel_name(l: Language, channel: Option<&str>) -> &'static str {
    match channel {
        Some("push") => l.pick("Notification", "Powiadomienie"),
        Some("email") => l.pick("Email", "E-mail"),
        Some("webhook") => l.pick("Your own sender", "Twój system"),
        _ => "—",
    }
}

/// A message's state in words.
pub fn status_name(l: Language, status: &str) -> &'static str {
    match status {
        "sent" => l.pick("Sent", "Wysłano"),
        "pending" => l.pick("Waiting", "Czeka"),
        "dead" => l.pick("Failed", "Nieudana"),
        _ => l.pick("Not sent", "Nie wysłano"),
    }
}

/// Whether a message in state `status` may be sent again (it failed, or was never sent).
pub fn resendable(status: &str) -> bool {
    matches!(status, "dead" | "suppressed")
}

/// A table of messages, newest first, each opening its page: every customer's (`one`: `None`,
/// with a customer column), or one customer's (`one`: the frame whose CSRF field a failed
/// message's Send again posts with).
pub fn log_table(l: Language, lines: &[LogLine], one: Option<&Frame<'_>>) -> Markup {
    let name = match one {
        None => l.pick("Latest messages", "Ostatnie wiadomości"),
        Some(_) => l.pick("Messages to them", "Wiadomości do klienta"),
    };
    html! {
        // Focusable, so a keyboard can scroll a table wider than a phone.
        div.scroll tabindex="0" role="region" aria-label=(name) { table {
            thead { tr {
                th scope="col" { (l.pick("when", "kiedy")) }
                @if one.is_none() { th scope="col" style="text-align:left" { (l.pick("customer", "klient")) } }
                th scope="col" style="text-align:left" { (l.pick("message", "wiadomość")) }
                th scope="col" style="text-align:left" { (l.pick("channel", "kanał")) }
                th scope="col" style="text-align:left" { (l.pick("result", "wynik")) }
            } }
            tbody { @for m in lines { tr {
                td { a href={"/console/messages/" (m.id)} { (m.when) } }
                @if one.is_none() { td { (m.member) } }
                td { (kind_name(l, &m.kind)) }
                td { (channel_name(l, m.channel.as_deref())) }
                td {
                    (status_name(l, &m.status))
                    @if m.clicked { " · " (l.pick("clicked", "kliknięta")) } @else if m.opened { " · " (l.pick("opened", "otwarta")) }
                    @if let (Some(f), true) = (one, resendable(&m.status)) {
                        form.inline method="post" action={"/console/messages/" (m.id) "/resend"} {
                            (csrf_field(f))
                            button.small type="submit" { (l.pick("Send again", "Wyślij ponownie")) }
                        }
                    }
                }
            } } }
        } }
    }
}

fn error_of(errors: &[(&'static str, Problem)], field: &str) -> Option<Problem> {
    errors.iter().find(|(f, _)| *f == field).map(|(_, p)| *p)
}

/// A text field with its label, help and error.
fn field(
    l: Language,
    errors: &[(&'static str, Problem)],
    name: &str,
    label: &str,
    value: &str,
    kind: &str,
    help: Option<String>,
) -> Markup {
    let error = error_of(errors, name);
    html! {
        label for={"f-" (name)} { (label) }
        input id={"f-" (name)} name=(name) type=(kind) value=(value)
            aria-invalid=[error.map(|_| "true")] aria-describedby={"f-" (name) "-help f-" (name) "-err"};
        @if let Some(h) = help { p.help id={"f-" (name) "-help"} { (h) } }
        @if let Some(e) = error { p.err id={"f-" (name) "-err"} role="alert" { (e.text(l)) } }
    }
}

/// The Messages page.
pub fn page(l: Language, f: &Frame<'_>, v: &MessagesView<'_>) -> String {
    let form = v.form;
    let e = v.errors;
    let notices = html! {
        @if let Some(n) = v.notice { p.ok role="status" { (n) } }
        @if !e.is_empty() { p.alert role="alert" { (l.pick("Nothing was saved: see the fields marked below.", "Nic nie zapisano: popraw zaznaczone pola.")) } }
    };
    let settings = html! {
        form.card method="post" action="/console/messages/channels" novalidate {
            (csrf_field(f))
            h2 { (l.pick("How messages reach your customers", "Jak wiadomości docierają do klientów")) }
            p.help { (l.pick("Each message goes by the customer's preferred channel, else as a notification on their card, else by email, else through your own sender.",
                             "Każda wiadomość idzie kanałem wybranym przez klienta, a jeśli się nie da: jako powiadomienie na karcie, potem e-mailem, potem przez Twój system.")) }
            label.check {
                input type="checkbox" name="push" value="on" checked[form.push] disabled[!v.ready.push];
                span { (l.pick("Notifications on the customer's card (Web Push)", "Powiadomienia na karcie klienta (Web Push)")) }
            }
            p.help { @if v.ready.push {
                (l.pick("After a visit the card offers to turn them on; no app needed.", "Po wizycie karta proponuje ich włączenie; bez aplikacji."))
            } @else {
                (l.pick("This server is not set up for notifications yet (the operator sets VAPID_KEY).", "Ten serwer nie ma jeszcze ustawionych powiadomień (operator ustawia VAPID_KEY)."))
            } }
            label.check {
                input type="checkbox" name="email" value="on" checked[form.email] disabled[v.ready.email_from.is_none()];
                span { (l.pick("Email", "E-mail")) }
            }
            p.help { @match &v.ready.email_from {
                Some(from) => { (l.pick("Sent from ", "Wysyłane z adresu ")) strong { (from) } (l.pick(" with your business name; offers carry a one-click unsubscribe.", " z nazwą Twojej firmy; oferty mają wypisanie jednym kliknięciem.")) },
                None => { (l.pick("This server is not set up for email yet (the operator sets EMAIL_FROM).", "Ten serwer nie ma jeszcze ustawionej poczty (operator ustawia EMAIL_FROM).")) },
            } }
            p.help { (l.pick("Your own sender (SMS or your tools): ", "Twój system (SMS lub własne narzędzia): "))
                @match &v.ready.webhook { Some(u) => { strong { (u) } }, None => { (l.pick("none (a developer can add one through the API)", "brak (programista może go dodać przez API)")) } } }
            (field(l, e, "sender_name", l.pick("Sender name", "Nazwa nadawcy"), &form.sender_name, "text",
                Some(l.pick("Empty: your business name.", "Puste: nazwa Twojej firmy.").to_string())))
            (field(l, e, "reply_to", l.pick("Replies go to", "Odpowiedzi trafiają na adres"), &form.reply_to, "email",
                Some(l.pick("Empty: replies are not possible.", "Puste: nie można odpowiedzieć.").to_string())))
            (field(l, e, "offer_en", l.pick("The card's offer to turn notifications on (English)", "Propozycja włączenia powiadomień na karcie (angielski)"), &form.offer_en, "text",
                Some(format!("{} “Get a message when your reward is ready”", l.pick("Empty:", "Puste:")))))
            (field(l, e, "offer_pl", l.pick("The same in Polish", "To samo po polsku"), &form.offer_pl, "text",
                Some(format!("{} „Dostań wiadomość, gdy nagroda będzie gotowa”", l.pick("Empty:", "Puste:")))))
            h3 { (l.pick("Quiet hours and frequency", "Godziny ciszy i częstotliwość")) }
            p.help { (l.pick("No offers are sent in quiet hours (your local time): they wait for the end. News about a customer's own card is never held back.",
                             "W godzinach ciszy (Twój czas lokalny) oferty nie są wysyłane: czekają do ich końca. Wiadomości o karcie klienta nigdy nie czekają.")) }
            (field(l, e, "quiet_start", l.pick("Quiet from", "Cisza od"), &form.quiet_start, "time", None))
            (field(l, e, "quiet_end", l.pick("Quiet until", "Cisza do"), &form.quiet_end, "time", None))
            (field(l, e, "cap_days", l.pick("At most one offer per customer every … days", "Najwyżej jedna oferta dla klienta co … dni"), &form.cap_days, "number",
                Some(l.pick("0: no limit.", "0: bez limitu.").to_string())))
            button type="submit" { (l.pick("Save", "Zapisz")) }
        }
        form.card method="post" action="/console/messages/test" {
            (csrf_field(f))
            h2 { (l.pick("Send a test to me", "Wyślij test do mnie")) }
            p { (l.pick("A sample message goes by email to ", "Przykładowa wiadomość pójdzie e-mailem na adres ")) strong { (v.me) } "." }
            button type="submit" disabled[v.ready.email_from.is_none()] { (l.pick("Send the test", "Wyślij test")) }
        }
    };
    let activity = html! {
        section.card {
            h2 { (l.pick("What each channel achieves (last 30 days)", "Co daje każdy kanał (ostatnie 30 dni)")) }
            (table(l, &[l.pick("channel", "kanał"), l.pick("sent", "wysłane"), l.pick("failed", "nieudane"), l.pick("opened", "otwarte"), l.pick("clicked", "kliknięte"), l.pick("came back in 7 days", "wrócili w 7 dni")],
                v.results.iter().map(|r| vec![channel_name(l, Some(&r.channel)).to_string(), r.sent.to_string(), r.failed.to_string(), r.opened.to_string(), r.clicked.to_string(), r.converted.to_string()]).collect()))
            p.help { (l.pick("Opens count an email's images loading, which some mail apps do by themselves; notifications count taps. “Came back” is a visit or purchase within 7 days of the customer's latest message.",
                             "Otwarcia liczą wczytanie obrazków e-maila, co niektóre programy pocztowe robią same; powiadomienia liczą stuknięcia. „Wrócili” to wizyta lub zakup w ciągu 7 dni od ostatniej wiadomości do klienta.")) }
        }
        section.card {
            h2 { (l.pick("Latest messages", "Ostatnie wiadomości")) }
            @if v.log.is_empty() {
                p.muted { (l.pick("No message yet. They start once a channel is on and customers visit.", "Jeszcze żadnej wiadomości. Pojawią się, gdy kanał będzie włączony, a klienci zaczną przychodzić.")) }
            } @else {
                (log_table(l, v.log, None))
            }
        }
    };
    // Once something sends, what it achieves comes first; the settings follow.
    let on = (form.email || form.push || v.ready.webhook.is_some()) && e.is_empty();
    let content = html! {
        (super::templates::tabs(l, "/console/messages"))
        (notices)
        @if on { (activity) (settings) } @else { (settings) (activity) }
    };
    framed(l, f, "messages", l.pick("Messages", "Wiadomości"), content)
}

/// One attempt at a message, as its page lists it.
pub struct AttemptLine {
    pub at: String,
    pub channel: Option<String>,
    pub answer: String,
    pub error: Option<String>,
}

/// One message's page.
pub struct MessageView<'a> {
    pub id: &'a str,
    pub line: &'a LogLine,
    pub note: Option<&'a str>,
    pub last_error: Option<&'a str>,
    pub opened: Option<String>,
    pub clicked: Option<String>,
    pub attempts: &'a [AttemptLine],
    pub can_resend: bool,
    pub notice: Option<&'a str>,
}

/// A message: to whom, by which channel and why, what happened at each attempt, re-send.
pub fn message(l: Language, f: &Frame<'_>, v: &MessageView<'_>) -> String {
    let m = v.line;
    let content = html! {
        p { a href="/console/messages" { (l.pick("← All messages", "← Wszystkie wiadomości")) } }
        @if let Some(n) = v.notice { p.ok role="status" { (n) } }
        section.card {
            h2 { (kind_name(l, &m.kind)) " · " (m.member) }
            p { (l.pick("Created ", "Utworzona ")) (m.when) " · " strong { (status_name(l, &m.status)) } }
            p { (l.pick("Channel: ", "Kanał: ")) (channel_name(l, m.channel.as_deref()))
                @if let Some(n) = v.note { " — " span.muted { (n) } } }
            @if let Some(e) = v.last_error { p.muted { (l.pick("Details: ", "Szczegóły: ")) (e) } }
            @if let Some(o) = &v.opened { p { (l.pick("Opened ", "Otwarta ")) (o) } }
            @if let Some(c) = &v.clicked { p { (l.pick("Clicked ", "Kliknięta ")) (c) } }
            @if v.can_resend {
                form method="post" action={"/console/messages/" (v.id) "/resend"} {
                    (csrf_field(f))
                    button type="submit" { (l.pick("Send it again", "Wyślij ponownie")) }
                }
            }
        }
        section.card {
            h2 { (l.pick("Attempts", "Próby")) }
            @if v.attempts.is_empty() { p.muted { (l.pick("None: it was not sent.", "Brak: nie została wysłana.")) } }
            ul.devices { @for a in v.attempts { li {
                strong { (a.at) } " · " (channel_name(l, a.channel.as_deref())) " · " (a.answer)
                @if let Some(e) = &a.error { p.help { (e) } }
            } } }
        }
    };
    framed(l, f, "messages", l.pick("Message", "Wiadomość"), content)
}
