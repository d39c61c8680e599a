//! The console's earning rules (`/console/earning`), in English or Polish: what customers earn
//! in one sentence, then each rule as a field with its help line and its error: visits and
//! purchases, the poster's limits, expiry, returns, the counter's timings, what points are
//! worth, the birthday gift and invitations. Pure and without JavaScript.

use maud::{html, Markup, PreEscaped};

use super::catalog::{input, CSS as FORM_CSS};
use super::console::{csrf_field, framed, Frame};
use super::setup::problem_text;
use crate::domain::language::{Language, Noun};
use crate::domain::ledger::ExpiryPolicy;
use crate::domain::program::{MerchantConfig, Program};
use crate::domain::rules_form::RulesForm;
use crate::domain::setup::FieldError;

const CSS: &str =
    ".summary{font-size:1.05rem}.pair .choice{margin-top:.9rem}fieldset .pair{margin-top:.4rem}";

/// What the view shows besides the fields.
pub struct RulesView<'a> {
    pub form: &'a RulesForm,
    pub errors: &'a [FieldError],
    /// The catalog's rewards on offer a birthday gift may be: id and name.
    pub rewards: &'a [(String, String)],
    /// The cooldown the form was loaded with (kept when unchanged).
    pub cooldown_was: &'a str,
    pub notice: Option<&'a str>,
}

fn hours(l: Language, secs: u32) -> String {
    let h = secs.div_ceil(3600);
    match l {
        Language::En if h == 1 => "1 hour".into(),
        Language::En => format!("{h} hours"),
        Language::Pl => format!("{h} godz."),
    }
}

/// What the rules in force give a customer, in one or two sentences.
pub fn summary(l: Language, c: &MerchantConfig) -> String {
    let p = &c.program;
    let mut parts = Vec::new();
    let stamps = |n: u32| Noun::Stamp.count(l, i64::from(n));
    if p.stamps_per_visit > 0 {
        let apart = hours(l, p.visit_cooldown_secs);
        let limits = match (p.visit_daily_cap, l) {
            (0, Language::En) => format!(" ({apart} apart)"),
            (0, Language::Pl) => format!(" (co {apart})"),
            (cap, Language::En) => format!(" (at most {cap} a day, {apart} apart)"),
            (cap, Language::Pl) => format!(" (najwyżej {cap} dziennie, co {apart})"),
        };
        parts.push(format!(
            "{}: {}{limits}",
            l.pick("scanning the poster", "skan plakatu"),
            stamps(p.stamps_per_visit)
        ));
    }
    if p.stamps_per_purchase > 0 {
        parts.push(format!(
            "{}: {}",
            l.pick("a purchase at the till", "zakup przy kasie"),
            stamps(p.stamps_per_purchase)
        ));
    }
    if p.points_per_major_unit > 0 {
        let unit = c
            .currency
            .format(10i64.pow(u32::from(c.currency.minor_units)));
        let per = match l {
            Language::En => format!("each {unit} spent"),
            Language::Pl => format!("każde wydane {unit}"),
        };
        parts.push(format!(
            "{per}: {}",
            Noun::Point.count(l, i64::from(p.points_per_major_unit))
        ));
    }
    let earning = if parts.is_empty() {
        l.pick(
            "Customers earn nothing yet.",
            "Klienci jeszcze nic nie zbierają.",
        )
        .to_owned()
    } else {
        let mut s = parts.join("; ");
        if let Some(first) = s.get(..1) {
            s = first.to_uppercase() + s.get(1..).unwrap_or_default();
        }
        s + "."
    };
    let expiry = match (p.points_expiry, l) {
        (_, _) if p.points_per_major_unit == 0 && !has_point_gifts(p) => String::new(),
        (ExpiryPolicy::Never, Language::En) => " Points never expire.".into(),
        (ExpiryPolicy::Never, Language::Pl) => " Punkty nie wygasają.".into(),
        (ExpiryPolicy::AfterEarning { months, .. }, Language::En) if months > 0 => {
            format!(" Points expire {months} months after they were earned.")
        }
        (ExpiryPolicy::AfterEarning { months, .. }, Language::Pl) if months > 0 => {
            format!(" Punkty wygasają po {months} mies. od zdobycia.")
        }
        (ExpiryPolicy::AfterEarning { days, .. }, Language::En) => {
            format!(" Points expire {days} days after they were earned.")
        }
        (ExpiryPolicy::AfterEarning { days, .. }, Language::Pl) => {
            format!(" Punkty wygasają po {days} dniach od zdobycia.")
        }
        (ExpiryPolicy::Inactivity { days }, Language::En) => {
            format!(" Points expire after {days} days without a visit.")
        }
        (ExpiryPolicy::Inactivity { days }, Language::Pl) => {
            format!(" Punkty wygasają po {days} dniach bez wizyty.")
        }
    };
    earning + &expiry
}

fn has_point_gifts(p: &Program) -> bool {
    p.birthday.gift.points > 0 || p.referral.referrer.points > 0 || p.referral.referee.points > 0
}

fn checkbox(name: &str, label: &str, help: &str, on: bool) -> Markup {
    let id = format!("f-{name}");
    html! {
        label.check for=(id) {
            input id=(id) type="checkbox" name=(name) value="1" checked[on] aria-describedby={(id) "-help"};
            span { (label) br; span.help id={(id) "-help"} { (help) } }
        }
    }
}

pub(super) fn radios(
    l: Language,
    errors: &[FieldError],
    name: &str,
    legend: &str,
    chosen: &str,
    options: &[(&str, &str, &str)],
) -> Markup {
    html! {
        fieldset {
            legend { (legend) }
            @for (value, label, help) in options {
                label.choice for={ "f-" (name) "-" (value) } {
                    input type="radio" id={ "f-" (name) "-" (value) } name=(name) value=(value) checked[chosen == *value];
                    span { strong { (label) } @if !help.is_empty() { br; span.help { (help) } } }
                }
            }
            @if let Some(e) = errors.iter().find(|e| e.field == name) {
                p.err id={ "f-" (name) "-err" } role="alert" { (problem_text(l, e.problem)) }
            }
        }
    }
}

/// The earning pages' tabs: the rules, the levels, promotions and points per item.
pub(super) fn tabs(l: Language, current: &str) -> Markup {
    let tabs = [
        ("rules", "/console/earning", l.pick("Rules", "Zasady")),
        (
            "tiers",
            "/console/earning/tiers",
            l.pick("Levels", "Poziomy"),
        ),
        (
            "promotions",
            "/console/earning/promotions",
            l.pick("Promotions", "Promocje"),
        ),
        (
            "items",
            "/console/earning/items",
            l.pick("Points per item", "Punkty za produkty"),
        ),
    ];
    html! {
        nav.tabs aria-label=(l.pick("Earning", "Zbieranie")) {
            @for (key, href, label) in tabs {
                a href=(href) aria-current=[(key == current).then_some("page")] { (label) }
            }
        }
    }
}

/// `/console/earning`: the rules, each with its help line and error.
pub fn rules(l: Language, f: &Frame<'_>, c: &MerchantConfig, v: &RulesView<'_>) -> String {
    let r = v.form;
    let e = v.errors;
    let cur = &c.currency.code;
    let money = |label: &str| format!("{label} ({cur})");
    let bday_error = e.iter().find(|x| x.field == "bday_reward");
    let content = html! {
        style { (PreEscaped(FORM_CSS)) (PreEscaped(CSS)) }
        (tabs(l, "rules"))
        @if let Some(n) = v.notice { p.ok role="status" { (n) } }
        @if !e.is_empty() {
            p.alert role="alert" { (l.pick("Nothing was saved: please correct the fields marked below.", "Nic nie zapisano: popraw zaznaczone pola poniżej.")) }
        }
        section.card {
            h2 { (l.pick("What customers get now", "Co dostają teraz klienci")) }
            p.summary { (summary(l, c)) }
            p.help { (l.pick("The card's look and what a full stamp card gives are on ", "Wygląd karty i nagrodę za pełną kartę zmienisz w ")) a href="/console/card" { (l.pick("Card & brand", "Karta i marka")) } "; "
                (l.pick("what points buy is on ", "na co wydać punkty — w ")) a href="/console/rewards" { (l.pick("Rewards", "Nagrody")) } "." }
        }
        form method="post" action="/console/earning" novalidate {
            (csrf_field(f))
            input type="hidden" name="cooldown_was" value=(v.cooldown_was);
            section.card {
                h2 { (l.pick("Visits and purchases", "Wizyty i zakupy")) }
                div.pair {
                    (input(l, e, "per_visit", l.pick("Stamps for scanning the poster", "Pieczątki za skan plakatu"), "text", &r.per_visit,
                        l.pick("0 to 10; 0: the poster gives no stamps.", "Od 0 do 10; 0: plakat nie daje pieczątek."), ""))
                    (input(l, e, "per_purchase", l.pick("Stamps for a purchase at the till", "Pieczątki za zakup przy kasie"), "text", &r.per_purchase,
                        l.pick("0 to 10, for each sale staff ring up.", "Od 0 do 10, za każdą sprzedaż w kasie."), ""))
                    (input(l, e, "per_unit", &match l { Language::En => format!("Points per 1 {cur} spent"), Language::Pl => format!("Punkty za każde wydane 1 {cur}") }, "text", &r.per_unit,
                        l.pick("0 to 1000, rounded down; 0: no points for money spent.", "Od 0 do 1000, w dół; 0: bez punktów za wydane pieniądze."), ""))
                }
            }
            section.card {
                h2 { (l.pick("The poster's limits", "Limity plakatu")) }
                p.help { (l.pick("A photo of the poster can travel: these keep one customer from collecting at home.",
                    "Zdjęcie plakatu może krążyć: te limity nie pozwolą zbierać z domu.")) }
                div.pair {
                    (input(l, e, "cooldown_hours", l.pick("Hours between stamps", "Godziny między pieczątkami"), "text", &r.cooldown_hours,
                        l.pick("0 to 168; the same customer waits this long before the poster gives again.", "Od 0 do 168; tyle ten sam klient czeka na kolejną pieczątkę z plakatu."), ""))
                    (input(l, e, "daily_cap", l.pick("Poster stamps a day", "Pieczątki z plakatu dziennie"), "text", &r.daily_cap,
                        l.pick("0 to 24 in any 24 hours; 0: no cap.", "Od 0 do 24 w ciągu doby; 0: bez limitu."), ""))
                }
            }
            section.card {
                h2 { (l.pick("When points expire", "Kiedy punkty wygasają")) }
                (radios(l, e, "expiry", l.pick("Points", "Punkty"), &r.expiry, &[
                    ("never", l.pick("Never", "Nigdy"), l.pick("Simple, and what customers like best.", "Najprościej; klienci lubią to najbardziej.")),
                    ("after", l.pick("Some time after they were earned", "Po czasie od zdobycia"), l.pick("Each lot on its own, oldest spent first.", "Każda porcja osobno; najpierw wydawane najstarsze.")),
                    ("inactive", l.pick("After a long time without a visit", "Po długim czasie bez wizyty"), l.pick("The whole balance, if the customer stops coming.", "Całe saldo, jeśli klient przestanie przychodzić.")),
                ]))
                div.pair {
                    (input(l, e, "after_count", l.pick("Expire after", "Wygasają po"), "text", &r.after_count,
                        l.pick("1 to 120 months, or 1 to 3650 days.", "Od 1 do 120 miesięcy lub od 1 do 3650 dni."), ""))
                    (radios(l, e, "after_unit", l.pick("Counted in", "Liczone w"), &r.after_unit, &[
                        ("months", l.pick("months", "miesiącach"), ""),
                        ("days", l.pick("days", "dniach"), ""),
                    ]))
                }
                (checkbox("end_of_month", l.pick("At the end of that month", "Na koniec tego miesiąca"),
                    l.pick("In your time zone: easier to remember.", "W Twojej strefie czasowej: łatwiej zapamiętać."), !r.end_of_month.is_empty()))
                (input(l, e, "inactive_days", l.pick("Days without a visit", "Dni bez wizyty"), "text", &r.inactive_days,
                    l.pick("1 to 3650, when “after a long time without a visit” is chosen.", "Od 1 do 3650, gdy wybrano „po długim czasie bez wizyty”."), ""))
            }
            section.card {
                h2 { (l.pick("Returns", "Zwroty")) }
                (input(l, e, "pending_days", l.pick("Days before purchase points can be spent", "Dni, zanim punkty za zakup można wydać"), "text", &r.pending_days,
                    l.pick("0 to 90: your return window; 0: at once.", "Od 0 do 90: Twój czas na zwrot; 0: od razu."), ""))
                (radios(l, e, "negative", l.pick("A refund after the points were spent", "Zwrot po wydaniu punktów"), &r.negative, &[
                    ("clamp", l.pick("Take what is left", "Odejmij, co zostało"), l.pick("The balance never goes below zero; the rest is written off.", "Saldo nigdy nie spada poniżej zera; reszta przepada.")),
                    ("allow", l.pick("Keep the rest as a debt", "Zapisz resztę jako dług"), l.pick("The next points earned pay it off first.", "Kolejne zdobyte punkty najpierw go spłacą.")),
                ]))
            }
            section.card {
                h2 { (l.pick("At the counter", "Przy kasie")) }
                div.pair {
                    (input(l, e, "code_secs", l.pick("Seconds a reward code stays valid", "Sekundy ważności kodu nagrody"), "text", &r.code_secs,
                        l.pick("5 to 180; the points are held meanwhile.", "Od 5 do 180; punkty są w tym czasie wstrzymane."), ""))
                    (input(l, e, "cancel_mins", l.pick("Minutes staff may undo a reward", "Minuty na cofnięcie nagrody"), "text", &r.cancel_mins,
                        l.pick("0 to 10080 after confirming; 0: never.", "Od 0 do 10080 po potwierdzeniu; 0: nigdy."), ""))
                }
                (input(l, e, "point_value", &money(l.pick("What 100 points cost you", "Ile kosztuje Cię 100 punktów")), "text", &r.point_value,
                    l.pick("Optional: values the points customers hold on Insights.", "Opcjonalnie: wycenia punkty klientów w Analizach."), ""))
            }
            section.card {
                h2 { (l.pick("Birthday gift", "Prezent urodzinowy")) }
                (checkbox("birthday", l.pick("Give a birthday gift", "Dawaj prezent urodzinowy"),
                    l.pick("To customers who gave their birthday when they joined.", "Klientom, którzy podali datę urodzin przy dołączeniu."), !r.birthday.is_empty()))
                div.pair {
                    (input(l, e, "bday_points", l.pick("Points", "Punkty"), "text", &r.bday_points, l.pick("0 to 100000.", "Od 0 do 100000."), ""))
                    (input(l, e, "bday_stamps", l.pick("Stamps", "Pieczątki"), "text", &r.bday_stamps, l.pick("0 to 50.", "Od 0 do 50."), ""))
                }
                label for="f-bday_reward" { (l.pick("A reward from your catalog", "Nagroda z katalogu")) }
                select id="f-bday_reward" name="bday_reward" aria-describedby="f-bday_reward-help f-bday_reward-err" aria-invalid=[bday_error.map(|_| "true")] {
                    option value="" selected[r.bday_reward.is_empty()] { (l.pick("No reward", "Bez nagrody")) }
                    @for (id, name) in v.rewards {
                        option value=(id) selected[r.bday_reward == *id] { (name) }
                    }
                }
                p.help id="f-bday_reward-help" { (l.pick("Optional, besides or instead of points.", "Opcjonalnie, obok punktów lub zamiast nich.")) }
                @if let Some(x) = bday_error { p.err id="f-bday_reward-err" role="alert" { (problem_text(l, x.problem)) } }
                div.pair {
                    (input(l, e, "bday_lead", l.pick("Days before the birthday", "Dni przed urodzinami"), "text", &r.bday_lead,
                        l.pick("0 to 30; 0: on the day.", "Od 0 do 30; 0: w dniu urodzin."), ""))
                    (input(l, e, "bday_hour", l.pick("From which hour", "Od której godziny"), "text", &r.bday_hour,
                        l.pick("0 to 23, your time.", "Od 0 do 23, Twój czas."), ""))
                    (input(l, e, "bday_gift_days", l.pick("Days the gift reward lasts", "Dni ważności nagrody"), "text", &r.bday_gift_days,
                        l.pick("1 to 90.", "Od 1 do 90."), ""))
                }
            }
            section.card {
                h2 { (l.pick("Invitations", "Zaproszenia")) }
                (checkbox("referral", l.pick("Customers may invite friends", "Klienci mogą zapraszać znajomych"),
                    l.pick("Each card gets an invitation link; both sides get a bonus after the friend's first purchase.", "Każda karta ma link z zaproszeniem; obie strony dostają bonus po pierwszym zakupie znajomego."), !r.referral.is_empty()))
                div.pair {
                    (input(l, e, "ref_referrer_points", l.pick("Points for the one who invites", "Punkty dla zapraszającego"), "text", &r.ref_referrer_points, l.pick("0 to 100000.", "Od 0 do 100000."), ""))
                    (input(l, e, "ref_referrer_stamps", l.pick("Stamps for the one who invites", "Pieczątki dla zapraszającego"), "text", &r.ref_referrer_stamps, l.pick("0 to 50.", "Od 0 do 50."), ""))
                    (input(l, e, "ref_referee_points", l.pick("Points for the friend", "Punkty dla znajomego"), "text", &r.ref_referee_points, l.pick("0 to 100000.", "Od 0 do 100000."), ""))
                    (input(l, e, "ref_referee_stamps", l.pick("Stamps for the friend", "Pieczątki dla znajomego"), "text", &r.ref_referee_stamps, l.pick("0 to 50.", "Od 0 do 50."), ""))
                    (input(l, e, "ref_min", &money(l.pick("Smallest first purchase", "Najmniejszy pierwszy zakup")), "text", &r.ref_min,
                        l.pick("Optional; empty: any purchase.", "Opcjonalnie; puste: każdy zakup."), ""))
                    (input(l, e, "ref_cap", l.pick("Bonuses per customer a month", "Bonusy na klienta miesięcznie"), "text", &r.ref_cap,
                        l.pick("0 to 1000; 0: no cap.", "Od 0 do 1000; 0: bez limitu."), ""))
                }
                p.help { (l.pick("Invitations that look like one person are held for you on ", "Zaproszenia wyglądające na jedną osobę czekają na Twoją decyzję w ")) a href="/console/customers" { (l.pick("Customers", "Klienci")) } "." }
            }
            button type="submit" { (l.pick("Save the rules", "Zapisz zasady")) }
        }
    };
    framed(
        l,
        f,
        "earning",
        l.pick("Earning rules", "Zasady zbierania"),
        content,
    )
}

/// The rules page with sample data and every error, for the console's bilingual test.
#[cfg(test)]
pub(crate) fn bilingual_samples(l: Language, f: &Frame<'_>) -> Vec<String> {
    use crate::domain::rules_form::FIELDS;
    use crate::domain::setup::Problem;
    let mut c = super::test_config("Kawiarnia", &["Rynek"]);
    c.program.points_per_major_unit = 2;
    let form = RulesForm::of(&c.program, &c.currency);
    let errors: Vec<FieldError> = FIELDS
        .into_iter()
        .map(|field| FieldError {
            field,
            problem: Problem::Missing,
        })
        .collect();
    let rewards = [("r1".to_owned(), "Kawa".to_owned())];
    let view = |errors, notice| RulesView {
        form: &form,
        errors,
        rewards: &rewards,
        cooldown_was: "4",
        notice,
    };
    vec![
        rules(l, f, &c, &view(&errors, None)),
        rules(l, f, &c, &view(&[], Some("Zapisano."))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_says_what_a_customer_gets() {
        let mut c = super::super::test_config("Kawiarnia", &["Rynek"]);
        assert_eq!(
            summary(Language::En, &c),
            "Scanning the poster: 1 stamp (at most 2 a day, 4 hours apart); a purchase at the till: 1 stamp; each 1.00 PLN spent: 1 point. Points never expire."
        );
        c.program.points_per_major_unit = 3;
        c.program.stamps_per_visit = 0;
        c.program.stamps_per_purchase = 0;
        c.program.points_expiry = ExpiryPolicy::Inactivity { days: 365 };
        let pl = summary(Language::Pl, &c);
        assert!(pl.starts_with("Każde wydane 1.00 PLN: 3 punkty."), "{pl}");
        assert!(
            pl.ends_with("Punkty wygasają po 365 dniach bez wizyty."),
            "{pl}"
        );
    }
}
