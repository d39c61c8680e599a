//! The console's promotions (`/console/earning/promotions`), in English or Polish: the next four
//! weeks as a calendar in the café's time with what runs each day, each promotion in one
//! sentence with Change and Delete, and the form for a new one (or one being changed), each
//! field with its help line and its error. Pure and without JavaScript.

use chrono::{Datelike, NaiveDate};
use maud::{html, Markup, PreEscaped};

use super::catalog::{input, CSS as FORM_CSS};
use super::console::{csrf_field, framed, Frame};
use super::rules::tabs;
use super::setup::problem_text;
use crate::domain::language::{Language, Noun};
use crate::domain::promo::{Promotion, MAX_PROMOTIONS};
use crate::domain::promo_form::{four_weeks, id_of, PromoForm, DAYS};
use crate::domain::setup::FieldError;

const CSS: &str = "table.cal{table-layout:fixed;width:100%;border-collapse:collapse}table.cal th{text-align:center;font-size:.85rem;padding:.3rem 0;border-bottom:1px solid #d6cfc7}table.cal td{border:1px solid #e6e0d9;height:3.2rem;vertical-align:top;padding:.2rem;font-size:.85rem}table.cal td.today{outline:2px solid #1f4e8c;outline-offset:-2px}table.cal td.past{color:#6f655b;background:#faf8f6}.num{display:inline-block;min-width:1.5rem;text-align:center;border-radius:1rem;background:#1f4e8c;color:#fff;font-weight:700;font-size:.8rem;margin:.1rem .1rem 0 0;padding:0 .3rem}ol.promos{padding:0;list-style:none;margin:0}ol.promos li{padding:.7rem 0;border-bottom:1px solid #e6e0d9;display:flex;flex-wrap:wrap;gap:.4rem .6rem;align-items:flex-start}ol.promos .says{flex:1 1 14rem}.actions{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center}fieldset.days{border:0;padding:0;margin:.9rem 0 0}fieldset.days legend{font-weight:600}.daylist{display:flex;flex-wrap:wrap;gap:.2rem .9rem}.daylist label{display:flex;gap:.35rem;align-items:center;font-weight:400;margin:.3rem 0;min-height:44px}.daylist input{width:1.3rem;height:1.3rem}";

/// A day's short and long names, Monday first.
fn day_names(l: Language) -> [(&'static str, &'static str); 7] {
    match l {
        Language::En => [
            ("Mon", "Mondays"),
            ("Tue", "Tuesdays"),
            ("Wed", "Wednesdays"),
            ("Thu", "Thursdays"),
            ("Fri", "Fridays"),
            ("Sat", "Saturdays"),
            ("Sun", "Sundays"),
        ],
        Language::Pl => [
            ("pn.", "w poniedziałki"),
            ("wt.", "we wtorki"),
            ("śr.", "w środy"),
            ("czw.", "w czwartki"),
            ("pt.", "w piątki"),
            ("sob.", "w soboty"),
            ("nd.", "w niedziele"),
        ],
    }
}

fn list(l: Language, parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), l.pick("and", "i")),
    }
}

fn times(pct: u32) -> String {
    let (whole, rest) = (pct / 100, pct % 100);
    match rest {
        0 => format!("{whole}×"),
        r if r % 10 == 0 => format!("{whole}.{}×", r / 10),
        r => format!("{whole}.{r:02}×"),
    }
}

/// What promotion `p` gives, when, in one sentence.
pub fn sentence(l: Language, p: &Promotion) -> String {
    let mut what = Vec::new();
    if p.multiplier_pct > 100 {
        what.push(match (p.multiplier_pct, l) {
            (200, Language::En) => "double points".to_owned(),
            (200, Language::Pl) => "podwójne punkty".to_owned(),
            (300, Language::En) => "triple points".to_owned(),
            (300, Language::Pl) => "potrójne punkty".to_owned(),
            (m, Language::En) => format!("{} points", times(m)),
            (m, Language::Pl) => format!("{} punktów", times(m)),
        });
    }
    if p.bonus_points > 0 {
        what.push(format!(
            "+{}",
            Noun::Point.count(l, i64::from(p.bonus_points))
        ));
    }
    let mut s = what.join(" ");
    if !what.is_empty() && p.multiplier_pct > 100 && p.bonus_points > 0 {
        s = what.join(&format!(" {} ", l.pick("and", "i")));
    }
    s.push_str(l.pick(" on every purchase", " za każdy zakup"));
    let names = day_names(l);
    let days: Vec<String> = DAYS
        .iter()
        .zip(names.iter())
        .filter(|((n, _), _)| p.days.iter().any(|d| d == n))
        .map(|(_, (_, long))| (*long).to_owned())
        .collect();
    if !days.is_empty() && days.len() < 7 {
        s.push_str(", ");
        s.push_str(&list(l, &days));
    }
    if let (Some(f), Some(u)) = (&p.from, &p.until) {
        s.push_str(&format!(", {f}–{u}"));
    }
    match (&p.starts_on, &p.ends_on, l) {
        (Some(a), Some(b), Language::En) => s.push_str(&format!(", from {a} to {b}")),
        (Some(a), Some(b), Language::Pl) => s.push_str(&format!(", od {a} do {b}")),
        (Some(a), None, Language::En) => s.push_str(&format!(", from {a}")),
        (Some(a), None, Language::Pl) => s.push_str(&format!(", od {a}")),
        (None, Some(b), Language::En) => s.push_str(&format!(", until {b}")),
        (None, Some(b), Language::Pl) => s.push_str(&format!(", do {b}")),
        (None, None, _) => {}
    }
    let mut chars = s.chars();
    let s = match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => s,
    };
    s + "."
}

/// What the view shows besides the frame.
pub struct PromotionsView<'a> {
    pub promotions: &'a [Promotion],
    /// The café's local day and time zone.
    pub today: NaiveDate,
    pub zone: &'a str,
    /// The form on the page: a new promotion's, or the one being changed (`editing`).
    pub form: &'a PromoForm,
    pub editing: Option<&'a str>,
    pub errors: &'a [FieldError],
    pub notice: Option<&'a str>,
    /// Whether the program gives points for money spent (promotions multiply those).
    pub earns_points: bool,
}

fn calendar(l: Language, v: &PromotionsView<'_>) -> Markup {
    let weeks = four_weeks(v.promotions, v.today);
    let first = weeks.first().map(|(d, _)| *d);
    let names = day_names(l);
    html! {
        div.scroll {
            table.cal {
                caption.help { (match l {
                    Language::En => format!("The next four weeks in the café's time ({}). Each number is a promotion in the list below.", v.zone),
                    Language::Pl => format!("Najbliższe cztery tygodnie w czasie lokalu ({}). Każdy numer to promocja z listy poniżej.", v.zone),
                }) }
                thead { tr { @for (short, _) in names { th scope="col" { (short) } } } }
                tbody {
                    @for week in weeks.chunks(7) {
                        tr {
                            @for (day, running) in week {
                                td.today[*day == v.today].past[*day < v.today] {
                                    div { (day.day()) @if day.day() == 1 || Some(*day) == first { " " (month(l, day.month())) } }
                                    @for i in running { span.num title=(v.promotions.get(*i).map(|p| p.name.as_str()).unwrap_or_default()) { (i + 1) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn month(l: Language, m: u32) -> &'static str {
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const PL: [&str; 12] = [
        "sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru",
    ];
    let i = usize::try_from(m.saturating_sub(1)).unwrap_or(0);
    match l {
        Language::En => EN.get(i).copied().unwrap_or_default(),
        Language::Pl => PL.get(i).copied().unwrap_or_default(),
    }
}

fn form(l: Language, f: &Frame<'_>, v: &PromotionsView<'_>) -> Markup {
    let r = v.form;
    let e = v.errors;
    let action = match v.editing {
        Some(id) => format!("/console/earning/promotions/{id}"),
        None => "/console/earning/promotions".into(),
    };
    let days_error = e.iter().find(|x| x.field == "days");
    let names = day_names(l);
    html! {
        form method="post" action=(action) novalidate {
            (csrf_field(f))
            (input(l, e, "name", l.pick("Name", "Nazwa"), "text", &r.name,
                l.pick("Up to 60 characters, e.g. “Happy hour”; shown in the customer's history.", "Do 60 znaków, np. „Szczęśliwa godzina”; widoczna w historii klienta."), ""))
            div.pair {
                (input(l, e, "multiplier", l.pick("Points for money spent, in %", "Punkty za wydane pieniądze, w %"), "text", &r.multiplier,
                    l.pick("100 to 1000; 200: double points; 100: as usual.", "Od 100 do 1000; 200: podwójne punkty; 100: jak zwykle."), ""))
                (input(l, e, "bonus", l.pick("Bonus points on each purchase", "Dodatkowe punkty za każdy zakup"), "text", &r.bonus,
                    l.pick("0 to 100000, on top.", "Od 0 do 100000, w dodatku."), ""))
            }
            fieldset.days aria-describedby="f-days-help" {
                legend { (l.pick("On which days", "W które dni")) }
                div.daylist {
                    @for ((value, _), (short, _)) in DAYS.iter().zip(names.iter()) {
                        label for={ "f-days-" (value) } {
                            input type="checkbox" id={ "f-days-" (value) } name="days" value=(value) checked[r.days.iter().any(|d| d == value)];
                            (short)
                        }
                    }
                }
                p.help id="f-days-help" { (l.pick("None ticked: every day.", "Nic nie zaznaczono: codziennie.")) }
                @if let Some(x) = days_error { p.err role="alert" { (problem_text(l, x.problem)) } }
            }
            div.pair {
                (input(l, e, "from", l.pick("From (time)", "Od godziny"), "time", &r.from,
                    l.pick("Optional, your time; empty: all day.", "Opcjonalnie, Twój czas; puste: cały dzień."), ""))
                (input(l, e, "until", l.pick("Until (time)", "Do godziny"), "time", &r.until,
                    l.pick("Not included: 17:00 ends at 16:59.", "Bez tej minuty: 17:00 kończy o 16:59."), ""))
            }
            div.pair {
                (input(l, e, "starts_on", l.pick("First day", "Pierwszy dzień"), "date", &r.starts_on,
                    l.pick("Optional; empty: from today.", "Opcjonalnie; puste: od dziś."), ""))
                (input(l, e, "ends_on", l.pick("Last day", "Ostatni dzień"), "date", &r.ends_on,
                    l.pick("Optional, included; empty: until you delete it.", "Opcjonalnie, włącznie; puste: do usunięcia."), ""))
            }
            div.actions {
                button type="submit" { (if v.editing.is_some() { l.pick("Save the promotion", "Zapisz promocję") } else { l.pick("Add the promotion", "Dodaj promocję") }) }
                @if v.editing.is_some() { a href="/console/earning/promotions" { (l.pick("Cancel", "Anuluj")) } }
            }
        }
    }
}

/// `/console/earning/promotions` and `/console/earning/promotions/{id}` (one being changed).
pub fn page(l: Language, f: &Frame<'_>, v: &PromotionsView<'_>) -> String {
    let e = v.errors;
    let content = html! {
        style { (PreEscaped(FORM_CSS)) (PreEscaped(CSS)) }
        (tabs(l, "promotions"))
        @if let Some(n) = v.notice { p.ok role="status" { (n) } }
        @if !e.is_empty() {
            p.alert role="alert" { (l.pick("Nothing was saved: please correct the fields marked below.", "Nic nie zapisano: popraw zaznaczone pola poniżej.")) }
        }
        @if v.editing.is_none() {
            section.card {
                h2 { (l.pick("What runs when", "Co i kiedy")) }
                @if v.promotions.is_empty() {
                    p { (l.pick("No promotion yet. A promotion gives more points at the times you choose: double points on quiet afternoons, a bonus before Christmas.",
                        "Na razie bez promocji. Promocja daje więcej punktów w wybranym czasie: podwójne punkty w spokojne popołudnia, bonus przed świętami.")) }
                } @else {
                    (calendar(l, v))
                    ol.promos {
                        @for (i, p) in v.promotions.iter().enumerate() {
                            li {
                                span.num { (i + 1) }
                                div.says { strong { (p.name) } br; (sentence(l, p)) }
                                div.actions {
                                    a href={ "/console/earning/promotions/" (id_of(p)) } { (l.pick("Change", "Zmień")) }
                                    a href={ "/console/earning/promotions/" (id_of(p)) "/delete" } { (l.pick("Delete", "Usuń")) }
                                }
                            }
                        }
                    }
                    p.help { (l.pick("When two run at once, the higher percentage counts and the bonuses add up.", "Gdy działają dwie naraz, liczy się wyższy procent, a punkty dodatkowe się sumują.")) }
                }
                @if !v.earns_points {
                    p.warn { (l.pick("Promotions multiply the points for money spent, and your customers earn none yet: set points per amount on the Rules tab. Bonus points still count.",
                        "Promocje mnożą punkty za wydane pieniądze, a Twoi klienci jeszcze ich nie dostają: ustaw je w zakładce Zasady. Punkty dodatkowe działają i tak.")) }
                }
            }
        }
        section.card {
            h2 { (if v.editing.is_some() { l.pick("Change the promotion", "Zmień promocję") } else { l.pick("New promotion", "Nowa promocja") }) }
            @if v.editing.is_none() && v.promotions.len() >= MAX_PROMOTIONS {
                p.help { (match l {
                    Language::En => format!("You have {MAX_PROMOTIONS} promotions, the most there can be: delete one to add another."),
                    Language::Pl => format!("Masz {MAX_PROMOTIONS} promocji, więcej być nie może: usuń jedną, aby dodać kolejną."),
                }) }
            }
            p.help { (match l {
                Language::En => format!("Days and times are the café's ({}). Stamps are not changed by promotions.", v.zone),
                Language::Pl => format!("Dni i godziny według czasu lokalu ({}). Promocje nie zmieniają pieczątek.", v.zone),
            }) }
            (form(l, f, v))
        }
    };
    let title = if v.editing.is_some() {
        l.pick("Change the promotion", "Zmień promocję")
    } else {
        l.pick("Promotions", "Promocje")
    };
    framed(l, f, "earning", title, content)
}

/// `GET /console/earning/promotions/{id}/delete`: the question before a promotion goes.
pub fn confirm_delete(l: Language, f: &Frame<'_>, id: &str, p: &Promotion) -> String {
    let content = html! {
        style { (PreEscaped(FORM_CSS)) (PreEscaped(CSS)) }
        section.card {
            h2 { (p.name) }
            p { (sentence(l, p)) }
            p { (l.pick("Delete this promotion? Points already given stay; from now on purchases earn the usual points.",
                "Usunąć tę promocję? Przyznane punkty zostają; od teraz zakupy dają zwykłe punkty.")) }
            div.actions {
                form method="post" action={ "/console/earning/promotions/" (id) "/delete" } {
                    (csrf_field(f))
                    button type="submit" { (l.pick("Delete the promotion", "Usuń promocję")) }
                }
                a href="/console/earning/promotions" { (l.pick("Keep it", "Zostaw")) }
            }
        }
    };
    framed(
        l,
        f,
        "earning",
        l.pick("Delete the promotion?", "Usunąć promocję?"),
        content,
    )
}

/// The promotions pages with sample data and every error, for the console's bilingual test.
#[cfg(test)]
pub(crate) fn bilingual_samples(l: Language, f: &Frame<'_>) -> Vec<String> {
    use crate::domain::promo_form::FIELDS;
    use crate::domain::setup::Problem;
    let p = Promotion {
        name: "Happy hour".into(),
        multiplier_pct: 200,
        bonus_points: 10,
        days: vec!["tue".into(), "fri".into()],
        from: Some("14:00".into()),
        until: Some("17:00".into()),
        starts_on: Some("2026-12-01".into()),
        ends_on: None,
    };
    let promotions = [p.clone()];
    let form = PromoForm::new_one();
    let errors: Vec<FieldError> = FIELDS
        .into_iter()
        .map(|field| FieldError {
            field,
            problem: Problem::Missing,
        })
        .collect();
    let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default();
    let view = |errors, notice, editing, earns_points| PromotionsView {
        promotions: &promotions,
        today,
        zone: "Europe/Warsaw",
        form: &form,
        editing,
        errors,
        notice,
        earns_points,
    };
    vec![
        page(l, f, &view(&errors, None, None, false)),
        page(l, f, &view(&[], Some("Zapisano."), None, true)),
        page(l, f, &view(&[], None, Some("abc"), true)),
        confirm_delete(l, f, "abc", &p),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_promotion_reads_as_one_sentence() {
        let mut p = Promotion {
            name: "Happy hour".into(),
            multiplier_pct: 200,
            bonus_points: 0,
            days: vec!["tue".into(), "fri".into()],
            from: Some("14:00".into()),
            until: Some("17:00".into()),
            starts_on: None,
            ends_on: None,
        };
        assert_eq!(
            sentence(Language::En, &p),
            "Double points on every purchase, Tuesdays and Fridays, 14:00–17:00."
        );
        assert_eq!(
            sentence(Language::Pl, &p),
            "Podwójne punkty za każdy zakup, we wtorki i w piątki, 14:00–17:00."
        );
        p.multiplier_pct = 150;
        p.bonus_points = 50;
        p.days.clear();
        p.from = None;
        p.until = None;
        p.starts_on = Some("2026-12-01".into());
        p.ends_on = Some("2026-12-24".into());
        assert_eq!(
            sentence(Language::En, &p),
            "1.5× points and +50 points on every purchase, from 2026-12-01 to 2026-12-24."
        );
        p.multiplier_pct = 100;
        assert_eq!(
            sentence(Language::Pl, &p),
            "+50 punktów za każdy zakup, od 2026-12-01 do 2026-12-24."
        );
    }
}
