//! The console's automations (`/console/automations`), in English or Polish: each sequence as a
//! card with what a customer gets in one sentence, on or off, how often it gave in the last 30
//! days, and its numbers to change; the ready-made ones the café has not switched on yet.

use maud::{html, Markup, PreEscaped};

use super::catalog::CSS as FORM_CSS;
use super::console::{csrf_field, framed, Frame};
use super::setup::problem_text;
use crate::domain::automation_form::{n_bounds, AutomationForm};
use crate::domain::campaign_form::words_problem;
use crate::domain::language::{Language, Noun};
use crate::domain::sequence::{Sequence, Trigger};
use crate::domain::setup::FieldError;
use crate::domain::tier::Tiers;

const CSS: &str = ".auto h2{margin:0 0 .3rem}.badge{display:inline-block;padding:.1rem .5rem;border-radius:1rem;font-size:.85rem;font-weight:700;margin-left:.4rem;vertical-align:middle}.badge.on{background:#e6f4ea;color:#1e6b34;border:1px solid #1e6b34}.badge.off{background:#f6f4f1;color:#5c534a;border:1px solid #8a7f74}.auto .says{font-size:1.05rem}label.check .help{font-weight:400}fieldset.words{border:0;padding:0;margin:.9rem 0 0}fieldset.words legend{font-weight:700}";

/// A sequence with what it did in the last 30 days.
pub struct AutomationLine<'a> {
    pub sequence: &'a Sequence,
    pub given: i64,
    pub waiting: i64,
    /// The form as typed when it came back with errors (else the sequence's own).
    pub form: Option<&'a AutomationForm>,
    pub errors: &'a [FieldError],
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The sequence's name in words.
pub fn title(l: Language, t: Trigger) -> String {
    match (t, l) {
        (Trigger::FirstPurchase, _) => l.pick("First purchase", "Pierwszy zakup").into(),
        (Trigger::Visit { every }, Language::En) => format!("Every {} visit", ordinal(every)),
        (Trigger::Visit { every }, Language::Pl) => format!("Co {every}. wizyta"),
        (Trigger::Milestone { visits }, Language::En) => format!("The {} visit", ordinal(visits)),
        (Trigger::Milestone { visits }, Language::Pl) => format!("{visits}. wizyta"),
        (Trigger::Inactive { days }, Language::En) => format!("{days} days away"),
        (Trigger::Inactive { days }, Language::Pl) => format!("{days} dni nieobecności"),
    }
}

/// What a customer gets, in one sentence.
/// What sequence `s` gives a customer, in one sentence (`tiers` names its lowest level).
pub fn sentence(l: Language, s: &Sequence, tiers: &Tiers) -> String {
    let mut gifts = Vec::new();
    if s.gift.points > 0 {
        gifts.push(Noun::Point.count(l, i64::from(s.gift.points)));
    }
    if s.gift.stamps > 0 {
        gifts.push(Noun::Stamp.count(l, i64::from(s.gift.stamps)));
    }
    if s.gift.reward_id.is_some() {
        gifts.push(
            l.pick("a reward from the catalog", "nagroda z katalogu")
                .into(),
        );
    }
    if s.message {
        gifts.push(l.pick("a message", "wiadomość").into());
    }
    let and = l.pick(" and ", " i ");
    let what = match gifts.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}{and}{last}", rest.join(", ")),
        None => String::new(),
    };
    let when = match (s.trigger, l) {
        (Trigger::FirstPurchase, Language::En) => {
            "After their first purchase, a customer gets".to_owned()
        }
        (Trigger::FirstPurchase, Language::Pl) => "Po pierwszym zakupie klient dostaje:".to_owned(),
        (Trigger::Visit { every }, Language::En) => {
            format!("On every {} visit, a customer gets", ordinal(every))
        }
        (Trigger::Visit { every }, Language::Pl) => {
            format!("Przy co {every}. wizycie klient dostaje:")
        }
        (Trigger::Milestone { visits }, Language::En) => {
            format!("On their {} visit, a customer gets", ordinal(visits))
        }
        (Trigger::Milestone { visits }, Language::Pl) => {
            format!("Przy {visits}. wizycie klient dostaje:")
        }
        (Trigger::Inactive { days }, Language::En) => {
            format!("When a customer has not come for {days} days, they get")
        }
        (Trigger::Inactive { days }, Language::Pl) => {
            format!("Gdy klient nie przychodzi od {days} dni, dostaje:")
        }
    };
    let delay = match (s.delay_hours, l) {
        (0, _) => l.pick(" at once", " od razu").to_owned(),
        (1, Language::En) => " an hour later".into(),
        (h, Language::En) => format!(" {h} hours later"),
        (h, Language::Pl) => format!(" po {h} godz."),
    };
    let mut terms = Vec::new();
    if s.condition.marketing_consent {
        terms.push(l.pick("if they agreed to offers", "jeśli zgodził się na oferty"));
    }
    if s.condition.not_returned {
        terms.push(l.pick(
            "unless they came back meanwhile",
            "chyba że w międzyczasie wrócił",
        ));
    }
    let level = tiers
        .levels
        .get(usize::try_from(s.condition.min_tier).unwrap_or(0))
        .filter(|_| s.condition.min_tier > 0);
    let at_level = level.map(|lv| match l {
        Language::En => format!("if they are at {} or above", lv.name),
        Language::Pl => format!("jeśli ma poziom {} lub wyższy", lv.name),
    });
    let mut terms: Vec<String> = terms.into_iter().map(str::to_owned).collect();
    terms.extend(at_level);
    let terms = if terms.is_empty() {
        String::new()
    } else {
        format!(", {}", terms.join(", "))
    };
    format!("{when} {what}{delay}{terms}.")
}

fn given_words(l: Language, given: i64, waiting: i64) -> String {
    let mut s = match (given, l) {
        (0, Language::En) => "Nobody got it in the last 30 days".to_owned(),
        (0, Language::Pl) => "W ostatnich 30 dniach nikt tego nie dostał".to_owned(),
        (1, Language::En) => "Given once in the last 30 days".to_owned(),
        (n, Language::En) => format!("Given {n} times in the last 30 days"),
        (n, Language::Pl) => format!("W ostatnich 30 dniach: {n} ×"),
    };
    if waiting > 0 {
        s += &match l {
            Language::En => format!(" · {waiting} waiting for their delay"),
            Language::Pl => format!(" · czeka na swój czas: {waiting}"),
        };
    }
    s + "."
}

/// A text field whose id carries the sequence's (several cards share one page).
fn field(
    l: Language,
    errors: &[FieldError],
    seq: &str,
    name: &str,
    label: &str,
    value: &str,
    help: &str,
) -> Markup {
    let error = errors.iter().find(|e| e.field == name);
    let id = format!("f-{name}-{seq}");
    html! {
        div {
            label for=(id) { (label) }
            input id=(id) name=(name) type="text" inputmode="numeric" value=(value)
                aria-invalid=[error.map(|_| "true")] aria-describedby={(id) "-help " (id) "-err"};
            p.help id={(id) "-help"} { (help) }
            @if let Some(e) = error { p.err id={(id) "-err"} role="alert" { (problem_text(l, e.problem)) } }
        }
    }
}

fn card(l: Language, f: &Frame<'_>, a: &AutomationLine<'_>, tiers: &Tiers) -> Markup {
    let s = a.sequence;
    let own = AutomationForm::of(s);
    let form = a.form.unwrap_or(&own);
    let e = a.errors;
    let action = format!("/console/automations/{}", s.id);
    let n_label = match s.trigger {
        Trigger::Visit { .. } => l.pick("Every how many visits", "Co ile wizyt"),
        Trigger::Milestone { .. } => l.pick("Which visit", "Która wizyta"),
        _ => l.pick("Days without a visit", "Dni bez wizyty"),
    };
    html! {
        section.card.auto id={ "a-" (s.id) } {
            h2 { (title(l, s.trigger))
                @if s.enabled { span.badge.on { (l.pick("On", "Włączona")) } } @else { span.badge.off { (l.pick("Off", "Wyłączona")) } } }
            p.says { (sentence(l, s, tiers)) }
            p.muted { (given_words(l, a.given, a.waiting)) }
            form.inline method="post" action=(action) {
                (csrf_field(f))
                input type="hidden" name="switch" value=(if s.enabled { "off" } else { "on" });
                button.quiet type="submit" { (if s.enabled { l.pick("Switch off", "Wyłącz") } else { l.pick("Switch on", "Włącz") }) }
            }
            details open[!e.is_empty()] {
                summary { (l.pick("Change the numbers, conditions and words", "Zmień liczby, warunki i treść")) }
                form method="post" action=(action) novalidate {
                    (csrf_field(f))
                    div.pair {
                        @if let Some((min, max)) = n_bounds(s.trigger) {
                            (field(l, e, &s.id, "n", n_label, &form.n, &match l {
                                Language::En => format!("{min} to {max}."),
                                Language::Pl => format!("Od {min} do {max}."),
                            }))
                        }
                        (field(l, e, &s.id, "delay_hours", l.pick("Hours later", "Po ilu godzinach"), &form.delay_hours,
                            l.pick("0 to 720; 0: at once.", "Od 0 do 720; 0: od razu.")))
                        (field(l, e, &s.id, "points", l.pick("Points", "Punkty"), &form.points, l.pick("0 to 100000.", "Od 0 do 100000.")))
                        (field(l, e, &s.id, "stamps", l.pick("Stamps", "Pieczątki"), &form.stamps, l.pick("0 to 50.", "Od 0 do 50.")))
                    }
                    label.check for={ "f-message-" (s.id) } {
                        input id={ "f-message-" (s.id) } type="checkbox" name="message" value="1" checked[!form.message.is_empty()];
                        span { (l.pick("Send a message", "Wyślij wiadomość")) br; span.help { (l.pick("By the customer's channel, in the words below or else those on Messages.", "Kanałem klienta, z treścią poniżej, a jeśli jej nie ma, z Wiadomości.")) } }
                    }
                    label.check for={ "f-consent-" (s.id) } {
                        input id={ "f-consent-" (s.id) } type="checkbox" name="consent" value="1" checked[!form.consent.is_empty()];
                        span { (l.pick("Only customers who agreed to offers", "Tylko klienci, którzy zgodzili się na oferty")) br; span.help { (l.pick("Needed for anything that is marketing, like a win-back offer.", "Wymagane przy marketingu, np. ofercie powrotu.")) } }
                    }
                    label.check for={ "f-not_returned-" (s.id) } {
                        input id={ "f-not_returned-" (s.id) } type="checkbox" name="not_returned" value="1" checked[!form.not_returned.is_empty()];
                        span { (l.pick("Only if they have not come back since", "Tylko jeśli od tego czasu nie wrócił")) br; span.help { (l.pick("Skips a customer who visited or bought before the hours above ran out.", "Pomija klienta, który przyszedł lub kupił, zanim minęły powyższe godziny.")) } }
                    }
                    @if tiers.enabled() {
                        @let tier_id = format!("f-min_tier-{}", s.id);
                        @let tier_error = e.iter().find(|x| x.field == "min_tier");
                        label for=(tier_id) { (l.pick("For which levels", "Dla których poziomów")) }
                        select id=(tier_id) name="min_tier" aria-describedby={(tier_id) "-err"} aria-invalid=[tier_error.map(|_| "true")] {
                            option value="0" selected[form.min_tier == "0" || form.min_tier.is_empty()] { (l.pick("Every level", "Wszystkie poziomy")) }
                            @for (i, lv) in tiers.levels.iter().enumerate().skip(1) {
                                option value=(i) selected[form.min_tier == i.to_string()] { (match l {
                                    Language::En => format!("{} and above", lv.name),
                                    Language::Pl => format!("{} i wyższe", lv.name),
                                }) }
                            }
                        }
                        @if let Some(x) = tier_error { p.err id={(tier_id) "-err"} role="alert" { (problem_text(l, x.problem)) } }
                    }
                    fieldset.words {
                        legend { (l.pick("Its own words (optional)", "Własna treść (opcjonalnie)")) }
                        @let subject_id = format!("f-subject-{}", s.id);
                        @let text_id = format!("f-text-{}", s.id);
                        @let words_error = words_problem(l, &form.subject, &form.text)
                            .filter(|_| e.iter().any(|x| x.field == "subject" || x.field == "text"));
                        label for=(subject_id) { (l.pick("Subject", "Temat")) }
                        input id=(subject_id) name="subject" type="text" value=(form.subject)
                            aria-invalid=[words_error.as_ref().filter(|w| w.0).map(|_| "true")] aria-describedby={(subject_id) "-err"};
                        @if let Some((true, m)) = &words_error { p.err id={(subject_id) "-err"} role="alert" { (m) } }
                        label for=(text_id) { (l.pick("Message", "Treść")) }
                        textarea id=(text_id) name="text" rows="3"
                            aria-invalid=[words_error.as_ref().filter(|w| !w.0).map(|_| "true")] aria-describedby={(text_id) "-help " (text_id) "-err"} { (form.text) }
                        p.help id={(text_id) "-help"} { (l.pick("Empty: the words on Messages. {{name}}, {{merchant}}, {{points}} and the rest are filled in for each customer.",
                            "Puste: treść z Wiadomości. {{name}}, {{merchant}}, {{points}} i inne są uzupełniane dla każdego klienta.")) }
                        @if let Some((false, m)) = &words_error { p.err id={(text_id) "-err"} role="alert" { (m) } }
                    }
                    button type="submit" { (l.pick("Save", "Zapisz")) }
                }
            }
        }
    }
}

/// `/console/automations`.
pub fn page(
    l: Language,
    f: &Frame<'_>,
    lines: &[AutomationLine<'_>],
    suggestions: &[Sequence],
    tiers: &Tiers,
    notice: Option<&str>,
) -> String {
    let has_errors = lines.iter().any(|a| !a.errors.is_empty());
    let content = html! {
        style { (PreEscaped(FORM_CSS)) (PreEscaped(CSS)) }
        @if let Some(n) = notice { p.ok role="status" { (n) } }
        @if has_errors {
            p.alert role="alert" { (l.pick("Nothing was saved: please correct the fields marked below.", "Nic nie zapisano: popraw zaznaczone pola poniżej.")) }
        }
        p { (l.pick("Gifts and messages that go out by themselves when something happens. Each one reaches a customer once per occasion.",
            "Prezenty i wiadomości, które wychodzą same, gdy coś się wydarzy. Każda trafia do klienta raz na okazję.")) }
        @if lines.is_empty() {
            p { (l.pick("No automation is on yet: switch on a ready-made one below.", "Żadna automatyzacja nie jest jeszcze włączona: włącz gotową poniżej.")) }
        }
        @for a in lines { (card(l, f, a, tiers)) }
        @if !suggestions.is_empty() {
            h2 { (l.pick("Ready to switch on", "Gotowe do włączenia")) }
            @for s in suggestions {
                section.card.auto {
                    h3 { (title(l, s.trigger)) }
                    p.says { (sentence(l, s, tiers)) }
                    form method="post" action="/console/automations/add" {
                        (csrf_field(f))
                        input type="hidden" name="id" value=(s.id);
                        button type="submit" { (l.pick("Switch on", "Włącz")) }
                    }
                }
            }
        }
    };
    framed(
        l,
        f,
        "automations",
        l.pick("Automations", "Automatyzacje"),
        content,
    )
}

/// The page with sample data and every error, for the console's bilingual test.
#[cfg(test)]
pub(crate) fn bilingual_samples(l: Language, f: &Frame<'_>) -> Vec<String> {
    use crate::domain::setup::Problem;
    let all = crate::domain::sequence::defaults();
    let errors = crate::domain::automation_form::FIELDS.map(|field| FieldError {
        field,
        problem: Problem::Missing,
    });
    let lines: Vec<AutomationLine<'_>> = all
        .iter()
        .enumerate()
        .map(|(i, s)| AutomationLine {
            sequence: s,
            given: i as i64,
            waiting: 1,
            form: None,
            errors: if i == 2 { &errors } else { &[] },
        })
        .collect();
    let tiers: Tiers = serde_json::from_str(
        r#"{"levels":[{"name":"Klient","threshold":0},{"name":"Złoty","threshold":100}]}"#,
    )
    .unwrap_or_default();
    vec![
        page(l, f, &lines, &[], &tiers, Some("Zapisano.")),
        page(l, f, &[], &all, &Tiers::default(), None),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_default_says_what_a_customer_gets() {
        let d = crate::domain::sequence::defaults();
        let en: Vec<String> = d
            .iter()
            .map(|s| sentence(Language::En, s, &Tiers::default()))
            .collect();
        assert_eq!(
            en[0],
            "After their first purchase, a customer gets 1 stamp and a message at once."
        );
        assert_eq!(
            en[1],
            "On every 10th visit, a customer gets 50 points and a message at once."
        );
        assert_eq!(
            en[2],
            "When a customer has not come for 30 days, they get 30 points and a message at once, if they agreed to offers."
        );
        assert_eq!(title(Language::En, d[3].trigger), "The 25th visit");
        let pl = sentence(Language::Pl, &d[1], &Tiers::default());
        assert_eq!(
            pl,
            "Przy co 10. wizycie klient dostaje: 50 punktów i wiadomość od razu."
        );
        assert_eq!(ordinal(11), "11th");
        assert_eq!(ordinal(22), "22nd");
        // A lowest level and "not come back" are said too.
        let tiers: Tiers = serde_json::from_str(
            r#"{"levels":[{"name":"Member","threshold":0},{"name":"Gold","threshold":100}]}"#,
        )
        .unwrap();
        let mut s = d[2].clone();
        s.condition.min_tier = 1;
        s.condition.not_returned = true;
        assert_eq!(
            sentence(Language::En, &s, &tiers),
            "When a customer has not come for 30 days, they get 30 points and a message at once, if they agreed to offers, unless they came back meanwhile, if they are at Gold or above."
        );
    }
}
