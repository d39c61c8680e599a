//! The console's tiers (`/console/earning/tiers`), in English or Polish: what each level gives
//! in one sentence with how many customers are on it, then the ladder as fields (a row per
//! level, blank rows to add one), the window and whether a level can be lost. Pure and without
//! JavaScript.

use maud::{html, Markup, PreEscaped};

use super::catalog::{input, CSS as FORM_CSS};
use super::console::{csrf_field, framed, Frame};
use super::rules::{radios, tabs};
use super::setup::problem_text;
use crate::domain::language::{Language, Noun};
use crate::domain::program::Program;
use crate::domain::setup::FieldError;
use crate::domain::tier::{Downgrade, Tiers};
use crate::domain::tiers_form::{TiersForm, ROWS};

const CSS: &str = "fieldset.level{border:1px solid #d6cfc7;border-radius:.5rem;padding:.2rem .9rem .9rem;margin:.8rem 0}fieldset.level legend{font-weight:700;padding:0 .3rem}ul.ladder{padding-left:1.2rem}ul.ladder li{margin:.4rem 0}textarea{min-height:4.5rem}label.check .help{font-weight:400}";

/// What the view shows besides the fields.
pub struct TiersView<'a> {
    pub form: &'a TiersForm,
    pub errors: &'a [FieldError],
    /// Customers on each level now, by level (members stored above the top level count there).
    pub on_level: &'a [i64],
    pub notice: Option<&'a str>,
}

fn times(pct: u32) -> String {
    let whole = pct / 100;
    let rest = pct % 100;
    match rest {
        0 => format!("{whole}×"),
        r if r % 10 == 0 => format!("{whole}.{}×", r / 10),
        r => format!("{whole}.{r:02}×"),
    }
}

/// What each level of `tiers` gives, a sentence each (none without tiers).
pub fn ladder(l: Language, tiers: &Tiers) -> Vec<String> {
    let window = Noun::Day.count(l, i64::from(tiers.window_days));
    tiers
        .levels
        .iter()
        .enumerate()
        .map(|(i, level)| {
            let reach = match (i, l) {
                (0, Language::En) => "everyone starts here".to_owned(),
                (0, Language::Pl) => "tu zaczyna każdy".to_owned(),
                (_, Language::En) => format!(
                    "from {} earned in the last {window}",
                    Noun::Point.count(l, i64::from(level.threshold))
                ),
                (_, Language::Pl) => format!(
                    "od {} zdobytych w ostatnich {window}",
                    Noun::Point.count(l, i64::from(level.threshold))
                ),
            };
            let rate = match (level.earn_rate_pct, l) {
                (100, Language::En) => "the usual points".to_owned(),
                (100, Language::Pl) => "zwykłe punkty".to_owned(),
                (p, Language::En) => format!("{} points", times(p)),
                (p, Language::Pl) => format!("{} punktów", times(p)),
            };
            let mut s = format!("{}: {reach}; {rate}", level.name);
            for b in &level.benefits {
                s.push_str("; ");
                s.push_str(b);
            }
            s + "."
        })
        .collect()
}

fn keeping(l: Language, tiers: &Tiers) -> String {
    match (tiers.downgrade, l) {
        (Downgrade::Never, Language::En) => "A level once reached is kept.".into(),
        (Downgrade::Never, Language::Pl) => "Raz osiągnięty poziom zostaje.".into(),
        (Downgrade::Rolling { hold_days }, Language::En) => format!(
            "A customer whose points in the window fall below their level moves down, but keeps a level at least {} after reaching it.",
            Noun::Day.count(l, i64::from(hold_days))
        ),
        (Downgrade::Rolling { hold_days }, Language::Pl) => format!(
            "Klient, którego punkty w tym okresie spadną poniżej progu, schodzi niżej, ale zachowuje poziom co najmniej {} od jego osiągnięcia.",
            Noun::Day.count(l, i64::from(hold_days))
        ),
    }
}

fn textarea(
    l: Language,
    errors: &[FieldError],
    name: &str,
    label: &str,
    value: &str,
    help: &str,
) -> Markup {
    let error = errors.iter().find(|e| e.field == name);
    let id = format!("f-{name}");
    html! {
        label for=(id) { (label) }
        textarea id=(id) name=(name) rows="3" aria-invalid=[error.map(|_| "true")] aria-describedby={(id) "-help " (id) "-err"} { (value) }
        p.help id={(id) "-help"} { (help) }
        @if let Some(e) = error { p.err id={(id) "-err"} role="alert" { (problem_text(l, e.problem)) } }
    }
}

/// `/console/earning/tiers`.
pub fn tiers(l: Language, f: &Frame<'_>, program: &Program, v: &TiersView<'_>) -> String {
    let t = &program.tiers;
    let r = v.form;
    let e = v.errors;
    let content = html! {
        style { (PreEscaped(FORM_CSS)) (PreEscaped(CSS)) }
        (tabs(l, "tiers"))
        @if let Some(n) = v.notice { p.ok role="status" { (n) } }
        @if !e.is_empty() {
            p.alert role="alert" { (l.pick("Nothing was saved: please correct the fields marked below.", "Nic nie zapisano: popraw zaznaczone pola poniżej.")) }
        }
        section.card {
            h2 { (l.pick("What the levels give now", "Co dają teraz poziomy")) }
            @if t.enabled() {
                ul.ladder {
                    @for (i, line) in ladder(l, t).iter().enumerate() {
                        li { (line) " "
                            span.muted { "(" (match l {
                                Language::En => format!("{} now", Noun::Customer.count(l, v.on_level.get(i).copied().unwrap_or(0))),
                                Language::Pl => format!("klientów teraz: {}", v.on_level.get(i).copied().unwrap_or(0)),
                            }) ")" }
                        }
                    }
                }
                p.help { (keeping(l, t)) }
            } @else {
                p { (l.pick("No levels yet: every customer earns the same. Levels reward your regulars: switch them on below; a suggested ladder is filled in.",
                    "Na razie bez poziomów: każdy klient zbiera tak samo. Poziomy nagradzają stałych gości: włącz je poniżej; proponowane poziomy są już wpisane.")) }
            }
            @if program.points_per_major_unit == 0 {
                p.warn { (l.pick("Levels count points, and your customers earn no points for money spent yet: set points per amount on the Rules tab.",
                    "Poziomy liczą punkty, a Twoi klienci nie dostają jeszcze punktów za wydane pieniądze: ustaw je w zakładce Zasady.")) }
            }
        }
        form method="post" action="/console/earning/tiers" novalidate {
            (csrf_field(f))
            section.card {
                h2 { (l.pick("The ladder", "Poziomy")) }
                label.check for="f-enabled" {
                    input id="f-enabled" type="checkbox" name="enabled" value="1" checked[!r.enabled.is_empty()] aria-describedby="f-enabled-help";
                    span { (l.pick("Customers move up levels", "Klienci awansują na wyższe poziomy")) br;
                        span.help id="f-enabled-help" { (l.pick("Off: everyone earns the same, and the levels below are not kept.", "Wyłączone: każdy zbiera tak samo, a poniższe poziomy nie są zapisywane.")) } }
                }
                (input(l, e, "window_days", l.pick("Days of points that count", "Dni, z których liczą się punkty"), "text", &r.window_days,
                    l.pick("1 to 1096: a level follows the points earned in this many recent days (365: a year).", "Od 1 do 1096: poziom zależy od punktów zdobytych w tylu ostatnich dniach (365: rok)."), ""))
                (radios(l, e, "downgrade", l.pick("Moving down", "Spadek poziomu"), &r.downgrade, &[
                    ("never", l.pick("Never: a level once reached is kept", "Nigdy: raz osiągnięty poziom zostaje"), l.pick("Simplest to explain to customers.", "Najprościej wytłumaczyć klientom.")),
                    ("rolling", l.pick("When the points in those days fall below it", "Gdy punkty z tych dni spadną poniżej progu"), l.pick("After a time a level is kept at least (below).", "Po czasie, przez który poziom zostaje na pewno (niżej).")),
                ]))
                (input(l, e, "hold_days", l.pick("Days a level is kept at least", "Dni, przez które poziom zostaje na pewno"), "text", &r.hold_days,
                    l.pick("0 to 1096, when levels can be lost.", "Od 0 do 1096, gdy poziom można stracić."), ""))
                h3 { (l.pick("Levels", "Poziomy")) }
                p.help { (l.pick("Leave a level's name and numbers empty to remove it. At most 10 levels.", "Zostaw puste nazwę i liczby poziomu, aby go usunąć. Najwyżej 10 poziomów.")) }
                @for (i, (row, names)) in r.rows.iter().zip(ROWS.iter()).enumerate() {
                    fieldset.level {
                        legend { (match (i, l) {
                            (0, Language::En) => "Level 1: everyone's".to_owned(),
                            (0, Language::Pl) => "Poziom 1: dla każdego".to_owned(),
                            (n, Language::En) => format!("Level {}", n + 1),
                            (n, Language::Pl) => format!("Poziom {}", n + 1),
                        }) }
                        div.pair {
                            (input(l, e, names.name, l.pick("Name", "Nazwa"), "text", &row.name,
                                l.pick("Up to 40 characters, shown on the card.", "Do 40 znaków, widoczna na karcie."), ""))
                            @if i > 0 {
                                (input(l, e, names.threshold, l.pick("Points that reach it", "Punkty, od których się zaczyna"), "text", &row.threshold,
                                    l.pick("More than the level before.", "Więcej niż poprzedni poziom."), ""))
                            }
                            (input(l, e, names.rate, l.pick("Points earned, in %", "Zdobywane punkty, w %"), "text", &row.rate,
                                l.pick("100 to 1000; 150: one and a half times the points.", "Od 100 do 1000; 150: półtora raza więcej punktów."), ""))
                        }
                        (textarea(l, e, names.benefits, l.pick("What it gives besides (optional)", "Co daje poza tym (opcjonalnie)"), &row.benefits,
                            l.pick("One per line, e.g. “Free refill”; shown on the card.", "Po jednej w wierszu, np. „Darmowa dolewka”; widoczne na karcie.")))
                    }
                }
            }
            button type="submit" { (l.pick("Save the levels", "Zapisz poziomy")) }
        }
    };
    framed(l, f, "earning", l.pick("Levels", "Poziomy"), content)
}

/// The tiers page with sample data and every error, for the console's bilingual test.
#[cfg(test)]
pub(crate) fn bilingual_samples(l: Language, f: &Frame<'_>) -> Vec<String> {
    use crate::domain::setup::Problem;
    use crate::domain::tiers_form::FIELDS;
    let mut program = Program::default();
    let mut form = TiersForm::of(&program.tiers, l);
    form.enabled = "1".into();
    let draft = form.parse(&program).expect("the suggested ladder is valid");
    program = Program::try_from(draft).expect("checked");
    let form = TiersForm::of(&program.tiers, l);
    let errors: Vec<FieldError> = FIELDS
        .into_iter()
        .chain(
            ROWS.iter()
                .take(2)
                .flat_map(|r| [r.name, r.threshold, r.rate, r.benefits]),
        )
        .map(|field| FieldError {
            field,
            problem: Problem::Missing,
        })
        .collect();
    let view = |errors, notice| TiersView {
        form: &form,
        errors,
        on_level: &[12, 3, 1],
        notice,
    };
    vec![
        tiers(l, f, &program, &view(&errors, None)),
        tiers(l, f, &program, &view(&[], Some("Zapisano."))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tier::{Level, Tiers};

    #[test]
    fn each_level_says_what_it_gives_in_one_sentence() {
        let t = Tiers {
            window_days: 365,
            downgrade: Downgrade::Never,
            levels: vec![
                Level {
                    name: "Member".into(),
                    threshold: 0,
                    earn_rate_pct: 100,
                    benefits: vec![],
                },
                Level {
                    name: "Gold".into(),
                    threshold: 2000,
                    earn_rate_pct: 150,
                    benefits: vec!["Free refill".into()],
                },
                Level {
                    name: "VIP".into(),
                    threshold: 5000,
                    earn_rate_pct: 125,
                    benefits: vec![],
                },
            ],
        };
        assert_eq!(
            ladder(Language::En, &t),
            [
                "Member: everyone starts here; the usual points.",
                "Gold: from 2000 points earned in the last 365 days; 1.5× points; Free refill.",
                "VIP: from 5000 points earned in the last 365 days; 1.25× points.",
            ]
        );
        assert_eq!(
            ladder(Language::Pl, &t)[1],
            "Gold: od 2000 punktów zdobytych w ostatnich 365 dni; 1.5× punktów; Free refill."
        );
    }
}
