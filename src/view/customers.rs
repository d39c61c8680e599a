//! Customers: the member lookup, a member's balance explained entry by entry, and the referrals
//! held for review with their approve and reject forms, in English or Polish. The content only:
//! the key-signed-in dashboard (`view::dashboard`) and the console (the `*_page` functions here)
//! each put it in their own frame, with their own paths (`Seat`). Pure.

use maud::{html, Markup, PreEscaped};

use super::catalog::{input, CSS as FORM_CSS};
use super::console::{csrf_field, framed, Frame};
use super::insights::{money, table};
use super::messages::{log_table, LogLine};
use super::page::reason_label_in;
use super::rules::radios;
use crate::domain::adjust_form::AdjustForm;
use crate::domain::language::{Language, Noun};
use crate::domain::program::MerchantConfig;
use crate::domain::referral::Reason;
use crate::domain::setup::FieldError;

/// Where these pages are shown: the paths their links and forms use.
#[derive(Clone, Copy)]
pub enum Seat<'a> {
    /// `/dashboard`, signed in with a key (English; its forms carry no token).
    Dashboard,
    /// The console's Customers, with the frame of the signed-in person.
    Console(&'a Frame<'a>),
}

impl Seat<'_> {
    /// The lookup's path.
    pub fn lookup(self) -> &'static str {
        match self {
            Seat::Dashboard => "/dashboard/members",
            Seat::Console(_) => "/console/customers",
        }
    }

    fn member(self, id: &str) -> String {
        format!("{}/{id}", self.lookup())
    }

    /// The path that approves (`verb` = `approve`) or rejects held referral `id`.
    fn decide(self, id: &str, verb: &str) -> String {
        match self {
            Seat::Dashboard => format!("/dashboard/referrals/{id}/{verb}"),
            Seat::Console(_) => format!("/console/customers/referrals/{id}/{verb}"),
        }
    }

    fn csrf(self) -> Markup {
        match self {
            Seat::Dashboard => html! {},
            Seat::Console(f) => csrf_field(f),
        }
    }
}

/// A member as the lookup lists them.
pub struct Found {
    pub id: String,
    pub name: String,
    pub contact: String,
    pub points: i64,
    pub stamps: i64,
}

/// What the lookup was asked and found.
pub struct Lookup<'a> {
    pub query: &'a str,
    pub found: &'a [Found],
    /// The query could not be read.
    pub problem: bool,
}

/// The words of a lookup that could not be read, in `l`.
fn lookup_problem(l: Language) -> &'static str {
    l.pick(
        "Give an email, a phone number, a member code or the start of a name.",
        "Podaj e-mail, numer telefonu, kod członka albo początek imienia.",
    )
}

/// The lookup: a search box and what it found.
pub fn lookup(l: Language, seat: Seat<'_>, v: &Lookup<'_>) -> Markup {
    html! {
        form class="box" method="get" action=(seat.lookup()) role="search" {
            label for="query" { (l.pick("Email, phone, member code or the start of a name",
                "E-mail, telefon, kod członka albo początek imienia")) }
            input type="text" id="query" name="query" value=(v.query) autocomplete="off"
                aria-invalid=[v.problem.then_some("true")] aria-describedby=[v.problem.then_some("query-err")];
            @if v.problem { p class="err warn" id="query-err" role="alert" { (lookup_problem(l)) } }
            button type="submit" { (l.pick("Find", "Szukaj")) }
        }
        @if !v.query.is_empty() && !v.problem {
            div class="box" {
                (table(l, &[l.pick("member", "członek"), l.pick("contact", "kontakt"), l.pick("points", "punkty"), l.pick("stamps", "pieczątki")],
                    v.found.iter().map(|f| vec![f.name.clone(), f.contact.clone(), f.points.to_string(), f.stamps.to_string()]).collect()))
                @for f in v.found {
                    p { a href=(seat.member(&f.id)) { (match l {
                        Language::En => format!("Open {}'s ledger", f.name),
                        Language::Pl => format!("Historia: {}", f.name),
                    }) } }
                }
            }
        }
    }
}

/// One entry of a member's explained ledger.
pub struct Line {
    /// The date, already in the page's language.
    pub when: String,
    /// The ledger reason (`earn`, `redeem`, …).
    pub reason: String,
    pub points: i64,
    pub pending: i64,
    pub stamps: i64,
    pub cashback: i64,
    /// What caused it (`scan`, `redemption`, …) and its name where it has one.
    pub cause_type: String,
    pub cause_label: Option<String>,
    pub note: Option<String>,
}

/// A member's balance and entries.
pub struct History<'a> {
    pub config: &'a MerchantConfig,
    pub name: &'a str,
    pub points: i64,
    pub pending: i64,
    pub stamps: i64,
    pub cashback_minor: i64,
    /// Newest first.
    pub lines: &'a [Line],
    /// Points and the date (in the page's language) they expire on.
    pub expiries: &'a [(i64, String)],
}

/// The balance in one line, in `l`.
pub fn balance(l: Language, h: &History<'_>) -> String {
    let cash = money(l, h.config, h.cashback_minor);
    match l {
        Language::En => format!(
            "{} ({} pending), {}, {cash} cashback",
            Noun::Point.count(l, h.points),
            h.pending,
            Noun::Stamp.count(l, h.stamps)
        ),
        Language::Pl => format!(
            "{} ({} oczekujących), {}, {cash} zwrotu gotówki",
            Noun::Point.count(l, h.points),
            h.pending,
            Noun::Stamp.count(l, h.stamps)
        ),
    }
}

fn change(l: Language, config: &MerchantConfig, line: &Line) -> String {
    let mut parts = Vec::new();
    for (n, unit) in [
        (line.points, l.pick("pts", "pkt")),
        (line.pending, l.pick("pending", "oczek.")),
        (line.stamps, l.pick("stamps", "piecz.")),
    ] {
        if n != 0 {
            parts.push(format!("{n:+} {unit}"));
        }
    }
    if line.cashback != 0 {
        let sign = if line.cashback > 0 { "+" } else { "" };
        parts.push(format!(
            "{sign}{} {}",
            money(l, config, line.cashback),
            l.pick("cashback", "zwrotu")
        ));
    }
    parts.join(", ")
}

/// What caused an entry, in `l`: its name where it has one (a reward, a purchase and its
/// amount: "purchase 1250" on the dashboard as the API names it, "purchase 12.50 PLN" in the
/// console), else its kind.
fn cause(l: Language, seat: Seat<'_>, config: &MerchantConfig, line: &Line) -> String {
    let kind = |t: &str| -> String {
        let pl = match t {
            "scan" => "skan",
            "order" => "zamówienie",
            "reward" => "nagroda",
            "redemption" => "odbiór nagrody",
            "lot" => "partia punktów",
            "rule" => "reguła programu",
            "staff" => "obsługa",
            other => other,
        };
        l.pick(t, pl).to_owned()
    };
    let amount = |rest: &str| match (seat, rest.parse::<i64>()) {
        (Seat::Console(_), Ok(minor)) => money(l, config, minor),
        _ => rest.to_owned(),
    };
    let named = match (&line.cause_label, l) {
        (Some(label), Language::Pl) => {
            let (first, rest) = label.split_once(' ').unwrap_or((label, ""));
            let word = match first {
                "purchase" => "zakup",
                "visit" => "wizyta",
                "adjust" => "korekta",
                other => other,
            };
            Some(format!("{word} {}", amount(rest)).trim_end().to_owned())
        }
        (Some(label), Language::En) => Some(match label.split_once(' ') {
            Some((first, rest)) => format!("{first} {}", amount(rest)),
            None => label.clone(),
        }),
        (None, _) => None,
    };
    let cause = named.unwrap_or_else(|| kind(&line.cause_type));
    match &line.note {
        Some(note) => format!("{cause}: {note}"),
        None => cause,
    }
}

/// A member's balance explained: the balance, what expires, then every entry with its reason
/// and cause.
pub fn history(l: Language, seat: Seat<'_>, h: &History<'_>) -> Markup {
    html! {
        p { a href=(seat.lookup()) { (l.pick("← Customers", "← Klienci")) } }
        div class="box" { h2 { (h.name) } p class="big" { (balance(l, h)) } }
        @if !h.expiries.is_empty() {
            div class="box" { h3 { (l.pick("Expiring", "Wygasają")) }
                @for (points, on) in h.expiries { p { (match l {
                    Language::En => format!("{points} points on {on}"),
                    Language::Pl => format!("{} — {on}", Noun::Point.count(l, *points)),
                }) } }
            }
        }
        div class="box" {
            h3 { (l.pick("Ledger, newest first", "Historia, od najnowszych")) }
            (table(l, &[l.pick("when", "kiedy"), l.pick("reason", "powód"), l.pick("change", "zmiana"), l.pick("because", "przyczyna")],
                h.lines.iter().map(|x| vec![x.when.clone(), reason_label_in(l, &x.reason).to_owned(), change(l, h.config, x), cause(l, seat, h.config, x)]).collect()))
        }
    }
}

/// A referral held for the merchant's review.
pub struct Held {
    pub id: String,
    pub referrer: String,
    pub friend: String,
    /// The stored reason code (`velocity_device`, …).
    pub reason: String,
}

/// Why a referral was held, in `l`.
fn held_why(l: Language, code: &str) -> String {
    let Some(r) = Reason::parse(code) else {
        return code.replace('_', " ");
    };
    let pl = match r {
        Reason::SelfMember => "zapraszający otworzył własny link",
        Reason::SelfDevice => "znajomy dołączył na telefonie zapraszającego",
        Reason::SelfEmail => "e-mail znajomego to e-mail zapraszającego",
        Reason::SelfPhone => "telefon znajomego to telefon zapraszającego",
        Reason::NotNew => "znajomy był już tu klientem",
        Reason::MonthlyCap => "zapraszający osiągnął limit na ten miesiąc",
        Reason::VelocityDevice => "wiele dołączeń z jednego telefonu w krótkim czasie",
        Reason::VelocityNetwork => "wiele dołączeń z jednej sieci w krótkim czasie",
    };
    l.pick(r.describe(), pl).to_owned()
}

/// The referrals held for review, each with its approve and reject forms (nothing when none).
pub fn held(l: Language, seat: Seat<'_>, held: &[Held]) -> Markup {
    html! {
        @if !held.is_empty() {
            div class="box" id="referrals" {
                h3 { (l.pick("Referrals held for review", "Polecenia wstrzymane do decyzji")) }
                p class="def" { (l.pick(
                    "Approving pays both bonuses (once the friend's purchase is final); rejecting pays none. Each is decided once.",
                    "Zatwierdzenie wypłaca obie premie (gdy zakup znajomego jest ostateczny); odrzucenie nie wypłaca żadnej. Każde rozstrzyga się raz.")) }
                ul class="held" {
                    @for h in held {
                        li {
                            strong { (match l {
                                Language::En => format!("{} invited {}", h.referrer, h.friend),
                                Language::Pl => format!("{} zaprasza: {}", h.referrer, h.friend),
                            }) }
                            p class="def" { (l.pick("Held because ", "Wstrzymane, bo ")) (held_why(l, &h.reason)) "." }
                            div class="decide" {
                                form method="post" action=(seat.decide(&h.id, "approve")) { (seat.csrf()) button class="small" type="submit" { (l.pick("Approve", "Zatwierdź")) } }
                                " "
                                form method="post" action=(seat.decide(&h.id, "reject")) { (seat.csrf()) button class="small quiet" type="submit" { (l.pick("Reject", "Odrzuć")) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The console's Customers page: what was decided just now, the referrals held for review,
/// then the lookup.
pub fn lookup_page(
    l: Language,
    f: &Frame<'_>,
    notice: Option<&str>,
    pending: &[Held],
    v: &Lookup<'_>,
) -> String {
    let seat = Seat::Console(f);
    let content = html! {
        @if let Some(n) = notice { p.ok role="status" { (n) } }
        (held(l, seat, pending))
        (lookup(l, seat, v))
        p { a href="/console/customers.csv" download { (l.pick("Download every customer (CSV, for a spreadsheet)", "Pobierz wszystkich klientów (CSV, do arkusza)")) } }
    };
    framed(l, f, "customers", l.pick("Customers", "Klienci"), content)
}

/// A correction of the balance as the customer's page shows it: the form, its errors, and the
/// token that makes sending it twice record it once.
pub struct Correction<'a> {
    pub form: &'a AdjustForm,
    pub errors: &'a [FieldError],
    pub once: &'a str,
}

/// What the console's page of one customer shows besides their history.
pub struct CustomerView<'a> {
    pub correction: Correction<'a>,
    pub notice: Option<&'a str>,
    /// Their newest messages.
    pub messages: &'a [LogLine],
}

/// The form that corrects a customer's balance, with a reason for the activity log.
fn correction(l: Language, f: &Frame<'_>, id: &str, c: &Correction<'_>) -> Markup {
    let (form, e) = (c.form, c.errors);
    let stale = e.iter().any(|x| x.field == "once");
    html! {
        form.card method="post" action={ "/console/customers/" (id) "/adjust" } novalidate id="correct" {
            (csrf_field(f))
            input type="hidden" name="once" value=(c.once);
            h2 { (l.pick("Correct the balance", "Popraw saldo")) }
            p.help { (l.pick("For a stamp forgotten at the till, or points given by mistake. It is kept in the activity log with your name and the reason.",
                "Na przykład pieczątka zapomniana przy kasie albo punkty dodane przez pomyłkę. Zostaje w dzienniku zdarzeń z Twoim imieniem i powodem.")) }
            @if stale {
                p.alert role="alert" { (l.pick("Nothing was recorded: this form was out of date. Check the figures and press the button again.",
                    "Nic nie zapisano: formularz był nieaktualny. Sprawdź liczby i naciśnij przycisk jeszcze raz.")) }
            } @else if !e.is_empty() {
                p.alert role="alert" { (l.pick("Nothing was recorded: see the fields marked below.", "Nic nie zapisano: popraw zaznaczone pola.")) }
            }
            (radios(l, e, "direction", l.pick("What to do", "Co zrobić"), &form.direction, &[
                ("add", l.pick("Add", "Dodaj"), ""),
                ("take", l.pick("Take away", "Odejmij"), ""),
            ]))
            div.pair {
                (input(l, e, "points", l.pick("Points", "Punkty"), "text", &form.points,
                    l.pick("Leave empty for none.", "Zostaw puste, jeśli bez punktów."), ""))
                (input(l, e, "stamps", l.pick("Stamps", "Pieczątki"), "text", &form.stamps,
                    l.pick("Leave empty for none.", "Zostaw puste, jeśli bez pieczątek."), ""))
            }
            (input(l, e, "reason", l.pick("Reason", "Powód"), "text", &form.reason,
                l.pick("E.g. Stamp forgotten at the till on Monday.", "Np. Pieczątka zapomniana przy kasie w poniedziałek."), ""))
            button type="submit" { (l.pick("Record the correction", "Zapisz korektę")) }
        }
    }
}

/// The customer's newest messages, each opening its page; a failed one can be sent again.
fn messages(l: Language, f: &Frame<'_>, lines: &[LogLine]) -> Markup {
    html! {
        section.card id="messages" {
            h2 { (l.pick("Messages to them", "Wiadomości do klienta")) }
            @if lines.is_empty() {
                p.muted { (l.pick("No message yet.", "Jeszcze żadnej wiadomości.")) }
            } @else {
                (log_table(l, lines, Some(f)))
            }
        }
    }
}

/// The console's page of one customer: their balance explained, a correction, their messages
/// and their data.
pub fn history_page(
    l: Language,
    f: &Frame<'_>,
    h: &History<'_>,
    id: &str,
    v: &CustomerView<'_>,
) -> String {
    let content = html! {
        style { (PreEscaped(FORM_CSS)) "form.inline{display:inline-block;margin-left:.5rem}form.inline button{margin:0}" }
        @if let Some(n) = v.notice { p.ok role="status" { (n) } }
        (history(l, Seat::Console(f), h))
        (correction(l, f, id, &v.correction))
        (messages(l, f, v.messages))
        section.card {
            h2 { (l.pick("Their data", "Ich dane")) }
            p.help { (l.pick("A customer may ask what you hold about them, or to be forgotten (GDPR).",
                "Klient może zapytać, jakie dane o nim masz, albo poprosić o usunięcie (RODO).")) }
            p { a href={ "/console/customers/" (id) "/export" } download { (l.pick("Download their data (JSON)", "Pobierz ich dane (JSON)")) } }
            form method="post" action={ "/console/customers/" (id) "/erase" } {
                (csrf_field(f))
                button.quiet type="submit" { (l.pick("Erase this customer…", "Usuń dane tego klienta…")) }
            }
        }
    };
    framed(l, f, "customers", l.pick("Customers", "Klienci"), content)
}

/// Before a customer's personal data is erased: what happens, a reason, and the button.
pub fn confirm_erase(l: Language, f: &Frame<'_>, id: &str, reason: &str, refused: bool) -> String {
    let content = html! {
        @if refused {
            p.alert role="alert" { (l.pick("Nothing was erased: please give a reason.", "Nic nie usunięto: podaj powód.")) }
        }
        section.card {
            h2 { (l.pick("Erase this customer's personal data?", "Usunąć dane osobowe tego klienta?")) }
            p { (l.pick("Their name, email, phone and birthday are removed for good, and their card stops working. Balances and the history stay, without a name, so your figures add up. This cannot be undone.",
                "Imię, e-mail, telefon i data urodzin zostaną trwale usunięte, a karta przestanie działać. Salda i historia zostają, bez nazwiska, żeby zgadzały się Twoje liczby. Tego nie da się cofnąć.")) }
            form method="post" action={ "/console/customers/" (id) "/erase" } novalidate {
                (csrf_field(f))
                input type="hidden" name="confirm" value="1";
                label for="f-reason" { (l.pick("Reason (kept in the activity log)", "Powód (zapisany w dzienniku)")) }
                input id="f-reason" name="reason" type="text" value=(reason) aria-invalid=[refused.then_some("true")] aria-describedby="f-reason-help f-reason-err";
                p.help id="f-reason-help" { (l.pick("E.g. The customer asked by email on 6 December.", "Np. Klient poprosił e-mailem 6 grudnia.")) }
                @if refused { p.err id="f-reason-err" role="alert" { (l.pick("Please use 1 to 200 characters.", "Użyj od 1 do 200 znaków.")) } }
                div.actions {
                    button type="submit" { (l.pick("Erase for good", "Usuń na zawsze")) }
                    a href={ "/console/customers/" (id) } { (l.pick("Keep the customer", "Zostaw klienta")) }
                }
            }
        }
    };
    framed(
        l,
        f,
        "customers",
        l.pick("Erase a customer?", "Usunąć klienta?"),
        content,
    )
}

/// The console's page for a customer that is not this business's (or not at all).
pub fn unknown_page(l: Language, f: &Frame<'_>) -> String {
    let content = html! {
        p.alert role="alert" { (l.pick("There is no such customer here.", "Nie ma tu takiego klienta.")) }
        p { a href="/console/customers" { (l.pick("← Customers", "← Klienci")) } }
    };
    framed(l, f, "customers", l.pick("Customers", "Klienci"), content)
}

/// Samples of every Customers page, for the console's bilingual test.
#[cfg(test)]
pub(crate) fn bilingual_samples(
    l: Language,
    f: &Frame<'_>,
    config: &MerchantConfig,
) -> Vec<String> {
    let found = [Found {
        id: "0123456789abcdef0123456789abcdef".into(),
        name: "Ola".into(),
        contact: "ola@example.com".into(),
        points: 12,
        stamps: 3,
    }];
    let pending = [Held {
        id: "r1".into(),
        referrer: "Ola".into(),
        friend: "Ala".into(),
        reason: "velocity_device".into(),
    }];
    let lines = [
        Line {
            when: l.pick("6 Dec 2026", "6 grudnia 2026").into(),
            reason: "earn".into(),
            points: 12,
            pending: 0,
            stamps: 1,
            cashback: 150,
            cause_type: "scan".into(),
            cause_label: Some("purchase 1250".into()),
            note: None,
        },
        Line {
            when: l.pick("6 Dec 2026", "6 grudnia 2026").into(),
            reason: "adjust".into(),
            points: -2,
            pending: 3,
            stamps: 0,
            cashback: 0,
            cause_type: "staff".into(),
            cause_label: None,
            note: None,
        },
    ];
    let expiries = [(12, l.pick("31 Mar 2027", "31 marca 2027").to_owned())];
    let correct = AdjustForm {
        direction: "take".into(),
        points: "20".into(),
        stamps: String::new(),
        reason: String::new(),
    };
    let refused = [
        FieldError {
            field: "points",
            problem: crate::domain::setup::Problem::MoreThanHeld(12),
        },
        FieldError {
            field: "reason",
            problem: crate::domain::setup::Problem::Missing,
        },
    ];
    let sent = [
        LogLine {
            id: "m1".into(),
            kind: "welcome".into(),
            member: "Ola".into(),
            channel: Some("email".into()),
            status: "sent".into(),
            when: "2026-12-06 09:30".into(),
            opened: true,
            clicked: false,
        },
        LogLine {
            id: "m2".into(),
            kind: "campaign".into(),
            member: "Ola".into(),
            channel: Some("push".into()),
            status: "dead".into(),
            when: "2026-12-06 10:30".into(),
            opened: false,
            clicked: false,
        },
    ];
    let h = History {
        config,
        name: "Ola",
        points: 12,
        pending: 3,
        stamps: 1,
        cashback_minor: 150,
        lines: &lines,
        expiries: &expiries,
    };
    vec![
        lookup_page(
            l,
            f,
            Some(l.pick("Approved.", "Zatwierdzono.")),
            &pending,
            &Lookup {
                query: "Ol",
                found: &found,
                problem: false,
            },
        ),
        lookup_page(
            l,
            f,
            None,
            &[],
            &Lookup {
                query: "?",
                found: &[],
                problem: true,
            },
        ),
        history_page(
            l,
            f,
            &h,
            "0123456789abcdef0123456789abcdef",
            &CustomerView {
                correction: Correction {
                    form: &correct,
                    errors: &[],
                    once: "00",
                },
                notice: Some(l.pick("Recorded.", "Zapisano.")),
                messages: &sent,
            },
        ),
        history_page(
            l,
            f,
            &h,
            "0123456789abcdef0123456789abcdef",
            &CustomerView {
                correction: Correction {
                    form: &correct,
                    errors: &refused,
                    once: "00",
                },
                notice: None,
                messages: &[],
            },
        ),
        confirm_erase(l, f, "0123456789abcdef0123456789abcdef", "", true),
        unknown_page(l, f),
    ]
}
