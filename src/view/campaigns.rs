//! The console's campaigns (`/console/campaigns`), in English or Polish: the list with each
//! campaign's state or result in a line; the form (who gets it, with each group's size; one or
//! two versions of the message with their preview; how many get nothing to compare against;
//! how long a return counts; when it goes, in the café's time); the review a draft is sent from
//! (the one step before messages go); and a sent campaign's results in sentences a person
//! understands, with the 95 % interval in customers.

use maud::{html, Markup, PreEscaped};

use super::catalog::{input, CSS as FORM_CSS};
use super::console::{csrf_field, framed, Frame};
use super::insights::segment_name;
use super::setup::problem_text;
use crate::domain::campaign::{Arm, ArmResult, Comparison, MIN_ARM, MIN_OUTCOMES};
use crate::domain::campaign_form::{words_problem, CampaignForm, Reach, AUDIENCES};
use crate::domain::language::{Language, Noun};
use crate::domain::messages::VARIABLES;
use crate::domain::setup::FieldError;

const CSS: &str = ".camp h2{margin:0 0 .3rem}ul.camps{list-style:none;padding:0;margin:0}ul.camps li{padding:.8rem 0;border-bottom:1px solid #e6e0d9}ul.camps .says{margin:.2rem 0}.badge{display:inline-block;padding:.1rem .5rem;border-radius:1rem;font-size:.85rem;font-weight:700;margin-left:.4rem;vertical-align:middle;border:1px solid #8a7f74;background:#f6f4f1;color:#5c534a}.badge.sent{background:#e6f4ea;color:#1e6b34;border-color:#1e6b34}.verdict{font-size:1.1rem;margin:.4rem 0 .8rem}textarea{min-height:7rem}code.var{background:#f0ebe4;padding:0 .25rem;border-radius:.2rem}.versions{display:grid;gap:1rem}@media(min-width:980px){.versions.two{grid-template-columns:1fr 1fr}}";

/// Keeps the previews of the versions following the typing, 400 ms after the last key.
pub const PREVIEW_SCRIPT: &str = "(function(){var f=document.getElementById('campaign');if(!f)return;var t;function go(){var e=f.elements;document.querySelectorAll('iframe[data-v]').forEach(function(i){var v=i.dataset.v,q=new URLSearchParams({kind:'campaign',lang:f.dataset.lang,subject:e['subject_'+v].value,text:e['text_'+v].value});i.src='/console/messages/preview?'+q+'&as=email'})}f.addEventListener('input',function(){clearTimeout(t);t=setTimeout(go,400)})})();";

/// The preview address of words as Marta would get them by email.
pub fn preview_src(l: Language, subject: &str, text: &str) -> String {
    let q = form_urlencoded::Serializer::new(String::new())
        .append_pair("kind", "campaign")
        .append_pair("lang", l.as_str())
        .append_pair("subject", subject)
        .append_pair("text", text)
        .append_pair("as", "email")
        .finish();
    format!("/console/messages/preview?{q}")
}

/// The audience in words, starting in lower case: "new customers", "everyone who agreed to
/// offers".
pub fn audience_name(l: Language, segment: &str) -> String {
    let (en, pl) = match segment {
        "all" => (
            "everyone who agreed to offers",
            "wszyscy, którzy zgodzili się na oferty",
        ),
        "high_value_loyal" => ("loyal, valuable customers", "wierni, cenni klienci"),
        "at_risk" => (
            "customers at risk of leaving",
            "klienci zagrożeni odejściem",
        ),
        "new" => ("new customers", "nowi klienci"),
        "occasional" => ("occasional customers", "okazjonalni klienci"),
        "no_activity" => (
            "customers with no recent activity",
            "klienci bez ostatniej aktywności",
        ),
        other => return segment_name(l, other),
    };
    l.pick(en, pl).to_owned()
}

/// A campaign in the list.
pub struct ListLine {
    pub id: String,
    pub name: String,
    pub segment: String,
    /// `draft`, `scheduled` or `sent`.
    pub state: &'static str,
    /// When it went or goes, in the café's time.
    pub when: Option<String>,
    /// A sent campaign's result in one sentence.
    pub result: Option<String>,
}

/// `GET /console/campaigns`: the campaigns, newest first, and a way to start one.
pub fn list(l: Language, f: &Frame<'_>, lines: &[ListLine], notice: Option<&str>) -> String {
    let content = html! {
        style { (PreEscaped(CSS)) }
        @if let Some(n) = notice { p.ok role="status" { (n) } }
        p { (l.pick(
            "A campaign is a message to a group of your customers, sent once. A few of them get nothing, so you can see how many more came back because of it.",
            "Kampania to jednorazowa wiadomość do grupy klientów. Kilku z nich nie dostaje nic, dzięki czemu widać, ilu więcej wróciło dzięki wiadomości.")) }
        p { a href="/console/campaigns/new" { (l.pick("New campaign", "Nowa kampania")) } }
        section.card {
            h2 { (l.pick("Your campaigns", "Twoje kampanie")) }
            @if lines.is_empty() {
                p.muted { (l.pick("No campaign yet. Start with a short message to everyone who agreed to offers.",
                    "Nie ma jeszcze kampanii. Zacznij od krótkiej wiadomości do wszystkich, którzy zgodzili się na oferty.")) }
            }
            ul.camps {
                @for c in lines {
                    li {
                        a href={ "/console/campaigns/" (c.id) } { strong { (c.name) } }
                        @match c.state {
                            "sent" => { span.badge.sent { (l.pick("Sent", "Wysłana")) } },
                            "scheduled" => { span.badge { (l.pick("Scheduled", "Zaplanowana")) } },
                            _ => { span.badge { (l.pick("Draft", "Szkic")) } },
                        }
                        p.says.muted { (audience_name(l, &c.segment))
                            @if let Some(w) = &c.when { " · " (w) } }
                        @if let Some(r) = &c.result { p.says { (r) } }
                    }
                }
            }
        }
    };
    framed(l, f, "campaigns", l.pick("Campaigns", "Kampanie"), content)
}

/// What the form page shows.
pub struct FormView<'a> {
    /// The draft being changed (none: a new campaign).
    pub id: Option<&'a str>,
    pub form: &'a CampaignForm,
    pub errors: &'a [FieldError],
    pub reach: &'a Reach,
    pub zone: &'a str,
}

/// The error beside a version's subject or text: the words' own problem in `l`, else the
/// general one.
fn text_error(
    l: Language,
    errors: &[FieldError],
    field: &str,
    subject: &str,
    text: &str,
) -> Markup {
    let shown = errors.iter().find(|e| e.field == field).map(|e| {
        words_problem(l, subject, text).map_or_else(|| problem_text(l, e.problem), |(_, m)| m)
    });
    html! {
        @if let Some(m) = shown { p.err id={ "f-" (field) "-err" } role="alert" { (m) } }
    }
}

fn version(l: Language, form: &CampaignForm, errors: &[FieldError], v: &str) -> Markup {
    let (subject, text) = if v == "a" {
        (&form.subject_a, &form.text_a)
    } else {
        (&form.subject_b, &form.text_b)
    };
    let s_field = format!("subject_{v}");
    let t_field = format!("text_{v}");
    let bad = |f: &str| errors.iter().any(|e| e.field == f);
    html! {
        div {
            label for={ "f-" (s_field) } { (l.pick("Subject (email and notification title)", "Temat (e-mail i tytuł powiadomienia)")) }
            input id={ "f-" (s_field) } name=(s_field) type="text" value=(subject)
                aria-invalid=[bad(&s_field).then_some("true")] aria-describedby={ "f-" (s_field) "-err" };
            (text_error(l, errors, &s_field, subject, text))
            label for={ "f-" (t_field) } { (l.pick("Message", "Treść")) }
            textarea id={ "f-" (t_field) } name=(t_field) rows="5"
                aria-invalid=[bad(&t_field).then_some("true")] aria-describedby={ "f-" (t_field) "-help f-" (t_field) "-err" } { (text) }
            p.help id={ "f-" (t_field) "-help" } { (l.pick("A text message takes the first 160 characters.", "SMS zawiera pierwsze 160 znaków.")) }
            (text_error(l, errors, &t_field, subject, text))
            iframe.preview.email data-v=(v) title=(l.pick("The email as a customer will see it", "E-mail tak, jak zobaczy go klient"))
                src=(preview_src(l, subject, text)) {}
        }
    }
}

/// `/console/campaigns/new` and `/console/campaigns/{id}/edit`.
pub fn form(l: Language, f: &Frame<'_>, v: &FormView<'_>) -> String {
    let c = v.form;
    let e = v.errors;
    let action = match v.id {
        Some(id) => format!("/console/campaigns/{id}/edit"),
        None => "/console/campaigns/new".into(),
    };
    let error = |name: &str| {
        e.iter()
            .find(|x| x.field == name)
            .map(|x| problem_text(l, x.problem))
    };
    let agreed = v.reach.of("all");
    let content = html! {
        style { (PreEscaped(FORM_CSS)) (PreEscaped(CSS)) }
        @if !e.is_empty() {
            p.alert role="alert" { (l.pick("Nothing was saved: please correct what is marked below.",
                "Nic nie zapisano: popraw zaznaczone pola poniżej.")) }
        }
        form id="campaign" method="post" action=(action) novalidate data-lang=(l.as_str()) {
            (csrf_field(f))
            (input(l, e, "name", l.pick("Name (only you see it)", "Nazwa (widzisz ją tylko Ty)"), "text", &c.name,
                l.pick("E.g. “Winter comeback”.", "Np. „Zimowy powrót”."), ""))
            fieldset {
                legend { (l.pick("Who gets it", "Kto ją dostanie")) }
                label for="f-segment" { (l.pick("Group", "Grupa")) }
                select id="f-segment" name="segment" aria-describedby="f-segment-help f-segment-err" aria-invalid=[error("segment").map(|_| "true")] {
                    @for a in AUDIENCES {
                        option value=(a) selected[c.segment == a] {
                            (capital(&audience_name(l, a))) " (" (v.reach.of(a)) ")"
                        }
                    }
                }
                p.help id="f-segment-help" {
                    (match l {
                        Language::En => format!("Only customers who agreed to offers get campaigns: {agreed} of your {}.", Noun::Customer.count(l, v.reach.customers)),
                        Language::Pl => format!("Kampanie dostają tylko klienci, którzy zgodzili się na oferty: {agreed} z {}.", Noun::Customer.count(l, v.reach.customers)),
                    })
                    " "
                    @if v.reach.scored() {
                        (l.pick("The groups are worked out every night from visits and spending.",
                            "Grupy są wyliczane co noc z wizyt i wydatków."))
                    } @else {
                        (l.pick("The groups appear after the first night with visits; until then, send to everyone.",
                            "Grupy pojawią się po pierwszej nocy z wizytami; do tego czasu wysyłaj do wszystkich."))
                    }
                }
                @if let Some(m) = error("segment") { p.err id="f-segment-err" role="alert" { (m) } }
            }
            fieldset {
                legend { (l.pick("The message", "Wiadomość")) }
                p.help { (l.pick("These words fill themselves in for each customer: ", "Te słowa uzupełniają się same dla każdego klienta: "))
                    @for (i, name) in VARIABLES.iter().enumerate() {
                        @if i > 0 { ", " }
                        code.var { "{{" (name) "}}" }
                    }
                }
                div.versions.two[c.has_b()] {
                    div {
                        h3 { (l.pick("Version A", "Wersja A")) }
                        (version(l, c, e, "a"))
                    }
                    details open[c.has_b()] {
                        summary { (l.pick("Compare with a second version (B)", "Porównaj z drugą wersją (B)")) }
                        p.help { (l.pick("Half of those who get a message get A, half get B; the results show which brought more customers back. Leave both fields empty for one version.",
                            "Połowa odbiorców dostanie A, połowa B; wyniki pokażą, która sprowadziła więcej klientów. Zostaw oba pola puste, by wysłać jedną wersję.")) }
                        (version(l, c, e, "b"))
                    }
                }
            }
            fieldset {
                legend { (l.pick("Measuring what it changed", "Pomiar efektu")) }
                div.pair {
                    (input(l, e, "holdout", l.pick("Share who get nothing (%)", "Odsetek bez wiadomości (%)"), "text", &c.holdout,
                        l.pick("0 to 50. They are picked at random and compared with the rest; 0: everyone gets it, but there is nothing to compare with.",
                            "Od 0 do 50. Losowani i porównywani z resztą; 0: dostają wszyscy, ale nie ma z czym porównać."), ""))
                    (input(l, e, "window", l.pick("Days in which a return counts", "Dni, w których liczy się powrót"), "text", &c.window,
                        l.pick("1 to 90. A visit or purchase within this many days after sending counts as coming back.",
                            "Od 1 do 90. Wizyta lub zakup w tym czasie od wysłania liczy się jako powrót."), ""))
                }
            }
            fieldset {
                legend { (l.pick("When it goes", "Kiedy wyjdzie")) }
                label.choice { input type="radio" name="when" value="now" checked[c.when != "later"];
                    span { (l.pick("When I press Send on the next page", "Gdy nacisnę „Wyślij” na następnej stronie")) } }
                label.choice { input id="when-later" type="radio" name="when" value="later" checked[c.when == "later"];
                    span { (l.pick("By itself, at a day and time I choose", "Sama, w wybranym dniu i o wybranej godzinie")) } }
                @if let Some(m) = error("when") { p.err role="alert" { (m) } }
                div.pair {
                    (input(l, e, "date", l.pick("Day", "Dzień"), "date", &c.date, l.pick("Within the next 90 days.", "W ciągu najbliższych 90 dni."), ""))
                    (input(l, e, "time", l.pick("Time", "Godzina"), "time", &c.time,
                        &match l {
                            Language::En => format!("In the café's time ({}). Messages wait for the end of quiet hours.", v.zone),
                            Language::Pl => format!("Według czasu lokalu ({}). Wiadomości czekają na koniec godzin ciszy.", v.zone),
                        }, ""))
                }
            }
            div.actions {
                button type="submit" { (l.pick("Save and review", "Zapisz i sprawdź")) }
                a href=(v.id.map_or_else(|| "/console/campaigns".to_owned(), |id| format!("/console/campaigns/{id}"))) { (l.pick("Cancel", "Anuluj")) }
            }
        }
        script { (PreEscaped(PREVIEW_SCRIPT)) }
    };
    let title = if v.id.is_some() {
        l.pick("Change the campaign", "Zmień kampanię")
    } else {
        l.pick("New campaign", "Nowa kampania")
    };
    framed(l, f, "campaigns", title, content)
}

/// A campaign page's title: "Campaign “Winter”".
fn titled(l: Language, name: &str) -> String {
    match l {
        Language::En => format!("Campaign “{name}”"),
        Language::Pl => format!("Kampania „{name}”"),
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|first| first.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A version of the message as the review shows it.
pub struct Version<'a> {
    pub name: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
}

/// What the review of a draft shows.
pub struct ReviewView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub segment: &'a str,
    /// Customers it would go to now.
    pub reach: i64,
    pub versions: &'a [Version<'a>],
    pub holdout_percent: u32,
    pub window_days: u32,
    /// When it goes by itself, in the café's time; and whether that moment has passed.
    pub scheduled: Option<(String, bool)>,
    pub zone: &'a str,
    /// Messages are switched on.
    pub sends: bool,
    pub notice: Option<&'a str>,
    pub error: Option<&'a str>,
}

/// Who gets what, in one sentence: "It goes to the 40 customers …: about 18 get version A,
/// about 18 version B and about 4 get nothing, to compare against."
pub fn split_sentence(
    l: Language,
    segment: &str,
    reach: i64,
    versions: usize,
    holdout: u32,
) -> String {
    let held = (reach * i64::from(holdout) + 50) / 100;
    let each = (reach - held) / i64::try_from(versions.max(1)).unwrap_or(1);
    let who = audience_name(l, segment);
    let to = match l {
        Language::En => format!(
            "It goes to {} ({who}, as of now)",
            Noun::Customer.count(l, reach)
        ),
        Language::Pl => format!(
            "Trafi do {} ({who}, według stanu na teraz)",
            Noun::Customer.count(l, reach)
        ),
    };
    let parts = match (versions, l) {
        (1, Language::En) => format!("about {} get the message", reach - held),
        (1, Language::Pl) => format!("około {} dostanie wiadomość", reach - held),
        (_, Language::En) => format!("about {each} get version A, about {each} version B"),
        (_, Language::Pl) => format!("około {each} dostanie wersję A, około {each} wersję B"),
    };
    let nothing = match l {
        Language::En if holdout == 0 => {
            String::from(" and nobody is held out, so there will be nothing to compare with")
        }
        Language::Pl if holdout == 0 => {
            String::from(" i nikt nie jest pominięty, więc nie będzie z czym porównać")
        }
        Language::En => format!(" and about {held} get nothing, to compare against"),
        Language::Pl => format!(" i około {held} nie dostanie nic, dla porównania"),
    };
    format!("{to}: {parts}{nothing}.")
}

/// `GET /console/campaigns/{id}` for a draft: what will happen, the words, and Send.
pub fn review(l: Language, f: &Frame<'_>, v: &ReviewView<'_>) -> String {
    let base = format!("/console/campaigns/{}", v.id);
    let content = html! {
        style { (PreEscaped(FORM_CSS)) (PreEscaped(CSS)) }
        @if let Some(n) = v.notice { p.ok role="status" { (n) } }
        @if let Some(e) = v.error { p.alert role="alert" { (e) } }
        section.card.camp {
            h2 { (v.name) span.badge { (if v.scheduled.is_some() { l.pick("Scheduled", "Zaplanowana") } else { l.pick("Draft", "Szkic") }) } }
            p.verdict { (split_sentence(l, v.segment, v.reach, v.versions.len(), v.holdout_percent)) }
            p { (match l {
                Language::En => format!("Then, for {}, a visit or purchase counts as coming back: the results compare those who got a message with those who did not.", Noun::Day.count(l, i64::from(v.window_days))),
                Language::Pl => format!("Potem przez {} wizyta lub zakup liczy się jako powrót: wyniki porównają tych, którzy dostali wiadomość, z tymi, którzy nie dostali.", Noun::Day.count(l, i64::from(v.window_days))),
            }) }
            @if let Some((at, passed)) = &v.scheduled {
                p { (match l {
                    Language::En => format!("It goes by itself on {at} ({})", v.zone),
                    Language::Pl => format!("Wyjdzie sama {at} ({})", v.zone),
                })
                (if *passed { l.pick(", as soon as messages are on.", ", gdy tylko wiadomości zostaną włączone.") } else { "." }) }
            }
            @if !v.sends {
                p.alert { (l.pick("Messages are switched off, so nothing can go yet: ", "Wiadomości są wyłączone, więc nic jeszcze nie wyjdzie: "))
                    a href="/console/messages" { (l.pick("switch them on in Messages", "włącz je w Wiadomościach")) } "." }
            } @else if v.reach == 0 {
                p.alert { (l.pick("Nobody in this group agreed to offers yet, so there is no one to send it to.",
                    "Nikt z tej grupy nie zgodził się jeszcze na oferty, więc nie ma do kogo wysłać.")) }
            } @else {
                form method="post" action={ (base) "/send" } {
                    (csrf_field(f))
                    p.help { (l.pick("Once sent, it cannot be taken back.", "Wysłanej wiadomości nie da się cofnąć.")) }
                    button type="submit" { (match l {
                        Language::En => format!("Send to {} now", Noun::Customer.count(l, v.reach)),
                        Language::Pl => format!("Wyślij teraz do {}", Noun::Customer.count(l, v.reach)),
                    }) }
                }
            }
            div.actions {
                a href={ (base) "/edit" } { (l.pick("Change it", "Zmień")) }
                a href={ (base) "/delete" } { (l.pick("Delete the draft", "Usuń szkic")) }
                a href="/console/campaigns" { (l.pick("All campaigns", "Wszystkie kampanie")) }
            }
        }
        div.versions.two[v.versions.len() > 1] {
            @for version in v.versions {
                section.card {
                    h3 { (match l { Language::En => format!("Version {}", version.name), Language::Pl => format!("Wersja {}", version.name) }) }
                    iframe.preview.email title=(l.pick("The email as a customer will see it", "E-mail tak, jak zobaczy go klient"))
                        src=(preview_src(l, version.subject, version.text)) {}
                }
            }
        }
    };
    framed(l, f, "campaigns", &titled(l, v.name), content)
}

/// `GET /console/campaigns/{id}/delete`: the question before a draft goes.
pub fn confirm_delete(l: Language, f: &Frame<'_>, id: &str, name: &str) -> String {
    let content = html! {
        style { (PreEscaped(FORM_CSS)) }
        section.card {
            h2 { (name) }
            p { (l.pick("Delete this draft? Nothing has been sent, so no customer notices.",
                "Usunąć ten szkic? Nic nie zostało wysłane, więc żaden klient tego nie zauważy.")) }
            div.actions {
                form method="post" action={ "/console/campaigns/" (id) "/delete" } {
                    (csrf_field(f))
                    button type="submit" { (l.pick("Delete the draft", "Usuń szkic")) }
                }
                a href={ "/console/campaigns/" (id) } { (l.pick("Keep it", "Zostaw")) }
            }
        }
    };
    framed(
        l,
        f,
        "campaigns",
        l.pick("Delete the draft?", "Usunąć szkic?"),
        content,
    )
}

/// What a sent campaign's page shows.
pub struct ResultsView<'a> {
    pub name: &'a str,
    pub segment: &'a str,
    pub sent_on: &'a str,
    pub window_days: u32,
    pub window_ends: &'a str,
    /// The window is over: the figures no longer move.
    pub done: bool,
    pub arms: &'a [ArmResult],
    pub versions: &'a [Version<'a>],
    pub notice: Option<&'a str>,
}

/// Percentage points of a group of `members` as a number of customers.
fn customers(points: f64, members: u64) -> i64 {
    (points / 100.0 * members as f64).round() as i64
}

fn more_or_fewer(l: Language, n: i64) -> String {
    match (n.signum(), l) {
        (0, Language::En) => "no more".into(),
        (0, Language::Pl) => "tyle samo".into(),
        (1, Language::En) => format!("{n} more"),
        (1, Language::Pl) => format!("{n} więcej"),
        (_, Language::En) => format!("{} fewer", -n),
        (_, Language::Pl) => format!("{} mniej", -n),
    }
}

/// A version against the holdout in one sentence: "Version B brought back 12 more customers
/// than sending nothing; we are 95 % sure it is between 4 and 20."
pub fn result_sentence(
    l: Language,
    name: &str,
    arm: Arm,
    holdout: Arm,
    vs: Option<&Comparison>,
) -> String {
    let version = match l {
        Language::En => format!("Version {name}"),
        Language::Pl => format!("Wersja {name}"),
    };
    let rate = |a: Arm| a.rate().map_or(0, |r| (r * 100.0).round() as i64);
    if arm.members == 0 {
        return match l {
            Language::En => format!("{version}: nobody got it (the group was too small to split)."),
            Language::Pl => {
                format!("{version}: nikt jej nie dostał (grupa była za mała, by ją podzielić).")
            }
        };
    }
    let Some(c) = vs.filter(|_| holdout.members > 0) else {
        return match l {
            Language::En => format!(
                "{version}: {} of the {} who got it came back ({} %). Nobody was held out, so there is nothing to compare with.",
                arm.converted, arm.members, rate(arm)
            ),
            Language::Pl => format!(
                "{version}: wróciło {} z {}, którzy ją dostali ({} %). Nikt nie był pominięty, więc nie ma z czym porównać.",
                arm.converted, arm.members, rate(arm)
            ),
        };
    };
    let n = customers(c.lift_points, arm.members);
    let (lo, hi) = (
        customers(c.ci95[0], arm.members),
        customers(c.ci95[1], arm.members),
    );
    let who = Noun::Customer.word(l, n.abs());
    match (c.verdict, l) {
        ("better", Language::En) => format!(
            "{version} brought back {n} more {who} than sending nothing; we are 95 % sure it is between {lo} and {hi}."
        ),
        ("better", Language::Pl) => format!(
            "{version} sprowadziła o {n} {who} więcej, niż gdyby nic nie wysłać; z 95-procentową pewnością to od {lo} do {hi}."
        ),
        ("worse", Language::En) => format!(
            "{version} brought back {} fewer {who} than sending nothing; we are 95 % sure it is between {} and {} fewer.",
            -n, -hi, -lo
        ),
        ("worse", Language::Pl) => format!(
            "{version} sprowadziła o {} {who} mniej, niż gdyby nic nie wysłać; z 95-procentową pewnością to od {} do {} mniej.",
            -n, -hi, -lo
        ),
        ("no_clear_difference", Language::En) => format!(
            "{version}: no clear difference from sending nothing yet; we are 95 % sure it brought back between {} and {} customers.",
            more_or_fewer(l, lo), more_or_fewer(l, hi)
        ),
        ("no_clear_difference", Language::Pl) => format!(
            "{version}: na razie brak wyraźnej różnicy względem niewysłania niczego; z 95-procentową pewnością wróciło od {} do {} klientów.",
            more_or_fewer(l, lo), more_or_fewer(l, hi)
        ),
        (_, Language::En) => format!(
            "Too early to tell for version {name}: each group needs at least {MIN_ARM} customers, with at least {MIN_OUTCOMES} who came back and {MIN_OUTCOMES} who did not (now {} got it and {} got nothing).",
            arm.members, holdout.members
        ),
        (_, Language::Pl) => format!(
            "Za wcześnie, by ocenić wersję {name}: każda grupa potrzebuje co najmniej {MIN_ARM} klientów, w tym co najmniej {MIN_OUTCOMES}, którzy wrócili, i {MIN_OUTCOMES}, którzy nie wrócili (teraz dostało ją {}, a nic nie dostało {}).",
            arm.members, holdout.members
        ),
    }
}

/// `GET /console/campaigns/{id}` once sent: the results in sentences, then the figures.
pub fn results(l: Language, f: &Frame<'_>, v: &ResultsView<'_>) -> String {
    let holdout = v.arms.iter().find(|a| a.name == "holdout").map_or(
        Arm {
            members: 0,
            converted: 0,
        },
        |a| a.arm,
    );
    let total: u64 = v.arms.iter().map(|a| a.arm.members).sum();
    let percent = |a: Arm| {
        a.rate().map_or_else(
            || "—".into(),
            |r| format!("{} %", (r * 100.0).round() as i64),
        )
    };
    let content = html! {
        style { (PreEscaped(FORM_CSS)) (PreEscaped(CSS)) }
        @if let Some(n) = v.notice { p.ok role="status" { (n) } }
        section.card.camp {
            h2 { (v.name) span.badge.sent { (l.pick("Sent", "Wysłana")) } }
            p.muted { (match l {
                Language::En => format!("Sent on {} to {} ({}).", v.sent_on, Noun::Customer.count(l, i64::try_from(total).unwrap_or(0)), audience_name(l, v.segment)),
                Language::Pl => format!("Wysłana {} do {} ({}).", v.sent_on, Noun::Customer.count(l, i64::try_from(total).unwrap_or(0)), audience_name(l, v.segment)),
            }) }
            @for a in v.arms.iter().filter(|a| a.name != "holdout") {
                p.verdict { (result_sentence(l, &a.name, a.arm, holdout, a.versus.as_ref())) }
            }
            p { (match (v.done, l) {
                (true, Language::En) => format!("Final: the {}-day window ended on {}.", v.window_days, v.window_ends),
                (true, Language::Pl) => format!("Wynik końcowy: {}-dniowe okno skończyło się {}.", v.window_days, v.window_ends),
                (false, Language::En) => format!("A visit or purchase until {} counts, so these figures can still change.", v.window_ends),
                (false, Language::Pl) => format!("Wizyty i zakupy do {} się liczą, więc te liczby mogą się jeszcze zmienić.", v.window_ends),
            }) }
        }
        section.card {
            h3 { (l.pick("The figures", "Liczby")) }
            // Focusable, so a keyboard can scroll a table wider than a phone.
            div.scroll tabindex="0" role="region" aria-label=(l.pick("The figures per group", "Liczby według grup")) { table {
                thead { tr {
                    th { (l.pick("Group", "Grupa")) }
                    th { (l.pick("Customers", "Klienci")) }
                    th { (l.pick("Messages delivered", "Doręczone wiadomości")) }
                    th { (l.pick("Came back", "Wróciło")) }
                    th { (l.pick("Share", "Odsetek")) }
                } }
                tbody {
                    @for a in v.arms {
                        tr {
                            td { @if a.name == "holdout" { (l.pick("Got nothing", "Nic nie dostali")) } @else {
                                (match l { Language::En => format!("Version {}", a.name), Language::Pl => format!("Wersja {}", a.name) }) } }
                            td.n { (a.arm.members) }
                            td.n { @if a.name == "holdout" { "—" } @else { (a.delivered) } }
                            td.n { (a.arm.converted) }
                            td.n { (percent(a.arm)) }
                        }
                    }
                }
            } }
            details {
                summary { (l.pick("How is this computed?", "Jak to jest liczone?")) }
                p.def { (l.pick(
                    "Customers were split at random when it was sent. “Came back”: a visit or purchase within the window. The difference between a version's share and the share of those who got nothing, times the customers who got the version, is how many more came back because of it; the 95 % interval uses the normal approximation for two proportions.",
                    "Klienci zostali rozlosowani w chwili wysłania. „Wróciło”: wizyta lub zakup w oknie. Różnica między odsetkiem wersji a odsetkiem tych, którzy nic nie dostali, razy liczba klientów z tą wersją, to ilu więcej wróciło dzięki niej; 95-procentowy przedział liczony jest przybliżeniem normalnym dla dwóch proporcji.")) }
            }
        }
        div.versions.two[v.versions.len() > 1] {
            @for version in v.versions {
                section.card {
                    h3 { (match l { Language::En => format!("Version {}", version.name), Language::Pl => format!("Wersja {}", version.name) }) }
                    iframe.preview.email title=(l.pick("The email as customers saw it", "E-mail tak, jak zobaczyli go klienci"))
                        src=(preview_src(l, version.subject, version.text)) {}
                }
            }
        }
        p { a href="/console/campaigns" { (l.pick("All campaigns", "Wszystkie kampanie")) } }
    };
    framed(l, f, "campaigns", &titled(l, v.name), content)
}

/// Every campaign page with sample data, for the console's bilingual test.
#[cfg(test)]
pub(crate) fn bilingual_samples(l: Language, f: &Frame<'_>) -> Vec<String> {
    use crate::domain::campaign::compare;
    use crate::domain::setup::Problem;
    let sizes = [
        ("all", 40),
        ("at_risk", 12),
        ("new", 5),
        ("high_value_loyal", 0),
        ("occasional", 3),
        ("no_activity", 0),
    ];
    let reach = Reach {
        reachable: sizes.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect(),
        customers: 60,
    };
    let unscored = Reach {
        reachable: [("all".to_owned(), 40)].into(),
        customers: 60,
    };
    let mut typed = CampaignForm::new(l);
    typed.name = "Zima".into();
    typed.subject_b = "Kawa".into();
    typed.text_b = "{{name}}".into();
    let errors: Vec<FieldError> = [
        "name",
        "segment",
        "text_a",
        "subject_b",
        "holdout",
        "window",
        "when",
        "date",
        "time",
    ]
    .into_iter()
    .map(|field| FieldError {
        field,
        problem: Problem::Refused,
    })
    .collect();
    let form_view = |errors, reach| FormView {
        id: None,
        form: &typed,
        errors,
        reach,
        zone: "Europe/Warsaw",
    };
    let versions = [
        Version {
            name: "A",
            subject: "Kawa",
            text: "Hej",
        },
        Version {
            name: "B",
            subject: "Ciastko",
            text: "Hej",
        },
    ];
    let review_view = |sends, scheduled| ReviewView {
        id: "cmp_1",
        name: "Zima",
        segment: "at_risk",
        reach: 12,
        versions: &versions,
        holdout_percent: 10,
        window_days: 14,
        scheduled,
        zone: "Europe/Warsaw",
        sends,
        notice: None,
        error: None,
    };
    let a = Arm {
        members: 400,
        converted: 120,
    };
    let b = Arm {
        members: 400,
        converted: 40,
    };
    let h = Arm {
        members: 200,
        converted: 40,
    };
    let arms = [
        ArmResult {
            name: "A".into(),
            arm: a,
            delivered: 390,
            versus: compare(a, h),
        },
        ArmResult {
            name: "B".into(),
            arm: b,
            delivered: 390,
            versus: compare(b, h),
        },
        ArmResult {
            name: "holdout".into(),
            arm: h,
            delivered: 0,
            versus: None,
        },
    ];
    let results_view = |done| ResultsView {
        name: "Zima",
        segment: "all",
        sent_on: "2026-12-07 10:00",
        window_days: 14,
        window_ends: "2026-12-21 10:00",
        done,
        arms: &arms,
        versions: &versions,
        notice: None,
    };
    let lines = [ListLine {
        id: "cmp_1".into(),
        name: "Zima".into(),
        segment: "new".into(),
        state: "scheduled",
        when: Some("2026-12-08 09:30".into()),
        result: None,
    }];
    vec![
        list(l, f, &[], None),
        list(l, f, &lines, None),
        form(l, f, &form_view(&errors, &unscored)),
        form(l, f, &form_view(&[], &reach)),
        review(l, f, &review_view(true, None)),
        review(
            l,
            f,
            &review_view(false, Some(("2026-12-08 09:30".into(), true))),
        ),
        confirm_delete(l, f, "cmp_1", "Zima"),
        results(l, f, &results_view(false)),
        results(l, f, &results_view(true)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::campaign::compare;

    #[test]
    fn a_result_reads_as_customers_brought_back_with_the_interval() {
        let v = Arm {
            members: 200,
            converted: 60,
        };
        let h = Arm {
            members: 100,
            converted: 20,
        };
        // +10 points, interval -0.1 .. +20.1 points of 200 customers.
        let c = compare(v, h);
        assert_eq!(
            result_sentence(Language::En, "A", v, h, c.as_ref()),
            "Version A: no clear difference from sending nothing yet; we are 95 % sure it brought back between no more and 40 more customers."
        );
        let v = Arm {
            members: 400,
            converted: 120,
        };
        let h = Arm {
            members: 200,
            converted: 40,
        };
        // +10 points (40 customers of 400), interval 2.9 .. 17.1 points: 12 to 68.
        let c = compare(v, h);
        assert_eq!(
            result_sentence(Language::En, "B", v, h, c.as_ref()),
            "Version B brought back 40 more customers than sending nothing; we are 95 % sure it is between 12 and 68."
        );
        assert_eq!(
            result_sentence(Language::Pl, "B", v, h, c.as_ref()),
            "Wersja B sprowadziła o 40 klientów więcej, niż gdyby nic nie wysłać; z 95-procentową pewnością to od 12 do 68."
        );
        let worse = Arm {
            members: 400,
            converted: 40,
        };
        let c = compare(worse, h);
        assert!(result_sentence(Language::En, "A", worse, h, c.as_ref())
            .starts_with("Version A brought back 40 fewer customers than sending nothing; we are 95 % sure it is between "));
        let small = Arm {
            members: 12,
            converted: 3,
        };
        let c = compare(
            small,
            Arm {
                members: 2,
                converted: 0,
            },
        );
        assert!(result_sentence(
            Language::En,
            "A",
            small,
            Arm {
                members: 2,
                converted: 0
            },
            c.as_ref()
        )
        .starts_with("Too early to tell for version A: each group needs at least 30 customers"));
        assert_eq!(
            result_sentence(
                Language::En,
                "A",
                Arm {
                    members: 0,
                    converted: 0
                },
                h,
                None
            ),
            "Version A: nobody got it (the group was too small to split)."
        );
        assert_eq!(
            result_sentence(Language::En, "A", small, Arm { members: 0, converted: 0 }, None),
            "Version A: 3 of the 12 who got it came back (25 %). Nobody was held out, so there is nothing to compare with."
        );
    }

    #[test]
    fn the_split_is_said_before_sending() {
        assert_eq!(
            split_sentence(Language::En, "at_risk", 40, 2, 10),
            "It goes to 40 customers (customers at risk of leaving, as of now): about 18 get version A, about 18 version B and about 4 get nothing, to compare against."
        );
        assert_eq!(
            split_sentence(Language::Pl, "all", 1, 1, 0),
            "Trafi do 1 klienta (wszyscy, którzy zgodzili się na oferty, według stanu na teraz): około 1 dostanie wiadomość i nikt nie jest pominięty, więc nie będzie z czym porównać."
        );
    }
}
