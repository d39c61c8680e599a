//! The console's tills and activity pages, in English or Polish: the paired tills of each
//! location, pairing a new one with a code (and its QR code), how long a till keeps a person
//! signed in, and the audit log in words (who did what, on which till, when).

use maud::{html, Markup, PreEscaped};

use super::console::{csrf_field, framed, Frame};
use crate::domain::language::Language;
use crate::domain::till::{LabelProblem, IDLE_CHOICES};

/// A paired till as the tills page lists it.
pub struct TillRow {
    pub id: String,
    pub label: String,
    pub location: String,
    pub paired: String,
    pub paired_by: String,
    pub seen: String,
    /// Who is signed in at it now.
    pub signed_in: Option<String>,
}

/// A pairing code just made: shown once.
pub struct NewCode<'a> {
    /// As people read it: `ABCD-EFGH`.
    pub code: &'a str,
    /// The pairing page with the code filled in (the QR code's content).
    pub url: &'a str,
    pub svg: &'a str,
    pub pair_page: &'a str,
    pub until: &'a str,
    pub label: &'a str,
    pub location: &'a str,
}

/// The pairing form as posted, with what is wrong.
#[derive(Default)]
pub struct PairForm<'a> {
    pub label: &'a str,
    pub location: &'a str,
    pub problem: Option<LabelProblem>,
    /// The location posted is not one of the café's.
    pub bad_location: bool,
}

/// What the tills page shows.
pub struct TillsView<'a> {
    pub tills: &'a [TillRow],
    pub locations: &'a [(u8, String)],
    pub form: &'a PairForm<'a>,
    pub code: Option<&'a NewCode<'a>>,
    pub idle_mins: u32,
    /// The time posted is not one of the choices.
    pub idle_error: bool,
    pub notice: Option<&'a str>,
}

/// The sub-navigation of Locations & people.
pub fn people_tabs(l: Language, active: &str) -> Markup {
    let tabs = [
        ("/console/people", l.pick("People", "Ludzie")),
        ("/console/locations", l.pick("Locations", "Lokale")),
        ("/console/tills", l.pick("Tills", "Kasy")),
        ("/console/activity", l.pick("Activity", "Aktywność")),
    ];
    html! {
        nav.tabs aria-label=(l.pick("Locations & people", "Lokale i ludzie")) {
            @for (href, name) in tabs {
                a href=(href) aria-current=[(href == active).then_some("page")] { (name) }
            }
        }
    }
}

fn idle_words(l: Language, mins: u32) -> String {
    match (l, mins) {
        (Language::En, m) if m % 60 == 0 => format!("{} h", m / 60),
        (Language::Pl, m) if m % 60 == 0 => format!("{} godz.", m / 60),
        (_, m) => format!("{m} min"),
    }
}

/// The tills page.
pub fn tills(l: Language, f: &Frame<'_>, v: &TillsView<'_>) -> String {
    let content = html! {
        (people_tabs(l, "/console/tills"))
        @if let Some(n) = v.notice { p.ok role="status" { (n) } }
        @if let Some(c) = v.code {
            section.card.code aria-labelledby="code-title" {
                h2 id="code-title" { (l.pick("Pairing code for ", "Kod parowania: ")) (c.label) " · " (c.location) }
                p.pairing-code { (c.code) }
                p { (l.pick("On the tablet, open ", "Na tablecie otwórz ")) strong { (c.pair_page) }
                    (l.pick(" and type this code, or scan the QR code with the tablet's camera.",
                        " i wpisz ten kod albo zeskanuj kod QR aparatem tabletu.")) }
                div.qr data-url=(c.url) { (PreEscaped(c.svg)) }
                p.help { (l.pick("It works once, until ", "Działa raz, do ")) (c.until) "." }
            }
        }
        section.card {
            h2 { (l.pick("Paired tills", "Połączone kasy")) }
            @if v.tills.is_empty() {
                p { (l.pick("No till is paired yet. Pair the tablet at your counter below: staff then sign in on it with their own PIN.",
                    "Żadna kasa nie jest jeszcze połączona. Połącz poniżej tablet przy ladzie: obsługa zaloguje się na nim własnym PIN-em.")) }
            }
            ul.devices {
                @for t in v.tills {
                    li {
                        strong { (t.label) } " · " (t.location)
                        p.help {
                            (l.pick("Paired by ", "Połączył(a): ")) (t.paired_by) ", " (t.paired) " · "
                            (l.pick("last used ", "ostatnio użyta ")) (t.seen)
                        }
                        p.help { @match &t.signed_in {
                            Some(name) => { (l.pick("Signed in now: ", "Teraz zalogowany(-a): ")) strong { (name) } },
                            None => { (l.pick("Nobody signed in.", "Nikt nie jest zalogowany.")) },
                        } }
                        form method="post" action={"/console/tills/" (t.id) "/unpair"} {
                            (csrf_field(f))
                            button.quiet type="submit" { (l.pick("Unpair this till", "Odłącz tę kasę")) }
                        }
                    }
                }
            }
        }
        section.card {
            h2 { (l.pick("Pair a till", "Połącz kasę")) }
            p.help { (l.pick("Use the tablet (or phone) that stays at the counter. It stays paired until you unpair it here.",
                "Użyj tabletu (lub telefonu), który zostaje przy ladzie. Pozostanie połączony, dopóki go tu nie odłączysz.")) }
            form method="post" action="/console/tills/pair" novalidate {
                (csrf_field(f))
                label for="f-label" { (l.pick("Name of the till", "Nazwa kasy")) }
                input id="f-label" name="label" type="text" maxlength="40" value=(v.form.label)
                    aria-invalid=[v.form.problem.map(|_| "true")] aria-describedby="f-label-help f-label-err";
                p.help id="f-label-help" { (l.pick("What staff call it, e.g. Counter or Terrace.", "Jak nazywa ją obsługa, np. Lada albo Taras.")) }
                @if let Some(p) = v.form.problem { p.err id="f-label-err" role="alert" { (p.text(l)) } }
                @if let [(only, name)] = v.locations {
                    input type="hidden" name="location" value=(only);
                    p.help { (l.pick("Location: ", "Lokal: ")) (name) }
                } @else {
                    label for="f-location" { (l.pick("Location", "Lokal")) }
                    select id="f-location" name="location" aria-invalid=[v.form.bad_location.then_some("true")] aria-describedby="f-location-err" {
                        @for (n, name) in v.locations {
                            option value=(n) selected[n.to_string() == v.form.location] { (name) }
                        }
                    }
                }
                @if v.form.bad_location {
                    p.err id="f-location-err" role="alert" { (l.pick("Choose one of your locations.", "Wybierz jeden ze swoich lokali.")) }
                }
                button type="submit" { (l.pick("Show a pairing code", "Pokaż kod parowania")) }
            }
        }
        section.card {
            h2 { (l.pick("Signing out at the till", "Wylogowanie w kasie")) }
            form method="post" action="/console/tills/idle" {
                (csrf_field(f))
                label for="f-idle" { (l.pick("Sign a person out after this long without use", "Wyloguj osobę po takim czasie bez użycia")) }
                select id="f-idle" name="idle_mins" aria-describedby="f-idle-help f-idle-err" aria-invalid=[v.idle_error.then_some("true")] {
                    @for m in IDLE_CHOICES {
                        option value=(m) selected[m == v.idle_mins] { (idle_words(l, m)) }
                    }
                }
                @if v.idle_error {
                    p.err id="f-idle-err" role="alert" { (l.pick("Nothing was saved: choose one of the listed times.", "Nic nie zapisano: wybierz jeden z podanych czasów.")) }
                }
                p.help id="f-idle-help" { (l.pick("Then the next person taps their name and types their PIN. A shorter time is safer at a busy counter.",
                    "Potem następna osoba dotyka swojego imienia i wpisuje PIN. Krótszy czas jest bezpieczniejszy przy ruchliwej ladzie.")) }
                button type="submit" { (l.pick("Save", "Zapisz")) }
            }
        }
    };
    framed(l, f, "people", l.pick("Tills", "Kasy"), content)
}

/// One audit line in words.
pub struct ActivityRow {
    pub when: String,
    /// Who: a person's name, or the API key.
    pub who: String,
    /// Where: a till's label, or empty.
    pub device: String,
    /// What, in a sentence.
    pub what: String,
}

/// The activity page: the latest audit lines, newest first.
pub fn activity(l: Language, f: &Frame<'_>, rows: &[ActivityRow]) -> String {
    let content = html! {
        (people_tabs(l, "/console/activity"))
        p.help { (l.pick("Everything done at the tills and by hand: who, where and when. The latest 100.",
            "Wszystko, co zrobiono w kasach i ręcznie: kto, gdzie i kiedy. Ostatnie 100.")) }
        @if rows.is_empty() {
            p.card { (l.pick("Nothing yet.", "Na razie nic.")) }
        } @else {
            ul.devices.activity {
                @for r in rows {
                    li {
                        strong { (r.who) } " " (r.what)
                        p.help { (r.when) @if !r.device.is_empty() { " · " (r.device) } }
                    }
                }
            }
        }
    };
    framed(l, f, "people", l.pick("Activity", "Aktywność"), content)
}

/// A role's name in `l`, from its stored text.
fn role(l: Language, stored: &str) -> String {
    crate::domain::account::Role::parse(stored)
        .map_or_else(|| stored.to_owned(), |r| r.label(l).to_owned())
}

/// An audit line's action in words (`money` formats minor units in the merchant's currency).
/// A part of the card a save changed, in words.
fn card_part(l: Language, part: &str) -> &'static str {
    match part {
        "logo" => l.pick("logo", "logo"),
        "colours" => l.pick("colours", "kolory"),
        "stamp_icon" => l.pick("stamp picture", "obrazek pieczątki"),
        "tone" => l.pick("tone", "ton"),
        _ => l.pick("stamp card", "karta pieczątek"),
    }
}

pub fn describe(
    l: Language,
    action: &str,
    reason: &str,
    detail: &serde_json::Value,
    money: &dyn Fn(i64) -> String,
) -> String {
    let text = |key: &str| {
        detail
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let number = |key: &str| {
        detail
            .get(key)
            .and_then(serde_json::Value::as_i64)
            .unwrap_or_default()
    };
    let why = if reason.is_empty() {
        String::new()
    } else {
        format!(" ({reason})")
    };
    match (action, l) {
        ("sale_started", Language::En) => format!(
            "showed the QR code of a sale of {}",
            money(number("amount_minor"))
        ),
        ("sale_started", Language::Pl) => format!(
            "pokazał(a) kod QR sprzedaży na {}",
            money(number("amount_minor"))
        ),
        ("redemption_confirmed", Language::En) => format!(
            "confirmed the reward {} (code {})",
            text("reward"),
            text("code")
        ),
        ("redemption_confirmed", Language::Pl) => format!(
            "potwierdził(a) nagrodę {} (kod {})",
            text("reward"),
            text("code")
        ),
        ("till_sign_in", _) => l
            .pick("signed in with their PIN", "zalogował(a) się PIN-em")
            .into(),
        ("till_sign_out", _) => l.pick("locked the till", "zablokował(a) kasę").into(),
        ("till_pin_wrong", Language::En) => {
            format!("typed a wrong PIN ({} in a row)", number("tries"))
        }
        ("till_pin_wrong", Language::Pl) => {
            format!("wpisał(a) błędny PIN ({}. z rzędu)", number("tries"))
        }
        ("till_pairing_code", Language::En) => {
            format!("made a pairing code for the till {}", text("label"))
        }
        ("till_pairing_code", Language::Pl) => {
            format!("utworzył(a) kod parowania kasy {}", text("label"))
        }
        ("till_unpaired", Language::En) => format!("unpaired the till {}", text("label")),
        ("till_unpaired", Language::Pl) => format!("odłączył(a) kasę {}", text("label")),
        ("till_idle", Language::En) => format!(
            "set tills to sign people out after {} min without use",
            number("minutes")
        ),
        ("till_idle", Language::Pl) => format!(
            "ustawił(a) wylogowanie w kasach po {} min bez użycia",
            number("minutes")
        ),
        ("person_invited", Language::En) => {
            format!("invited {} as {}", text("email"), role(l, &text("role")))
        }
        ("person_invited", Language::Pl) => format!(
            "zaprosił(a) {} jako: {}",
            text("email"),
            role(l, &text("role"))
        ),
        ("role_changed", Language::En) => format!(
            "changed a role from {} to {}",
            role(l, &text("from")),
            role(l, &text("to"))
        ),
        ("role_changed", Language::Pl) => format!(
            "zmienił(a) rolę z: {} na: {}",
            role(l, &text("from")),
            role(l, &text("to"))
        ),
        ("person_removed", Language::En) => {
            format!("took away a role ({})", role(l, &text("from")))
        }
        ("person_removed", Language::Pl) => format!("odebrał(a) rolę ({})", role(l, &text("from"))),
        ("reward_added", Language::En) => format!("added the reward {}", text("name")),
        ("reward_added", Language::Pl) => format!("dodał(a) nagrodę {}", text("name")),
        ("reward_changed", Language::En) => format!("changed the reward {}", text("name")),
        ("reward_changed", Language::Pl) => format!("zmienił(a) nagrodę {}", text("name")),
        ("reward_archived", Language::En) => format!("archived the reward {}", text("name")),
        ("reward_archived", Language::Pl) => format!("zarchiwizował(a) nagrodę {}", text("name")),
        ("reward_restored", Language::En) => {
            format!("put the reward {} on offer again", text("name"))
        }
        ("reward_restored", Language::Pl) => format!("przywrócił(a) nagrodę {}", text("name")),
        ("key_made", Language::En) => format!("made the API key {}", text("name")),
        ("key_made", Language::Pl) => format!("utworzył(a) klucz API {}", text("name")),
        ("key_rotated", Language::En) => format!("rotated the API key {}", text("name")),
        ("key_rotated", Language::Pl) => format!("wymienił(a) klucz API {}", text("name")),
        ("key_revoked", Language::En) => format!("revoked the API key {}", text("name")),
        ("key_revoked", Language::Pl) => format!("unieważnił(a) klucz API {}", text("name")),
        ("webhook_secret_rotated", Language::En) => {
            "made a new signing secret for the till system".into()
        }
        ("webhook_secret_rotated", Language::Pl) => {
            "utworzył(a) nowy sekret podpisu systemu kasowego".into()
        }
        ("automation_changed", _) => {
            let what = match (text("what").as_str(), l) {
                ("added", Language::En) => "switched on the automation",
                ("added", Language::Pl) => "włączył(a) automatyzację",
                ("on", Language::En) => "switched on the automation",
                ("on", Language::Pl) => "włączył(a) automatyzację",
                ("off", Language::En) => "switched off the automation",
                ("off", Language::Pl) => "wyłączył(a) automatyzację",
                (_, Language::En) => "changed the automation",
                (_, Language::Pl) => "zmienił(a) automatyzację",
            };
            let name = text(l.pick("title_en", "title_pl"));
            match l {
                Language::En => format!("{what} “{name}”"),
                Language::Pl => format!("{what} „{name}”"),
            }
        }
        ("campaign_changed", _) => {
            let what = match (text("what").as_str(), l) {
                ("created", Language::En) => "drafted the campaign",
                ("created", Language::Pl) => "przygotował(a) kampanię",
                ("sent", Language::En) => "sent the campaign",
                ("sent", Language::Pl) => "wysłał(a) kampanię",
                ("deleted", Language::En) => "deleted the draft campaign",
                ("deleted", Language::Pl) => "usunął(-ęła) szkic kampanii",
                (_, Language::En) => "changed the campaign",
                (_, Language::Pl) => "zmienił(a) kampanię",
            };
            let name = text("name");
            match l {
                Language::En => format!("{what} “{name}”"),
                Language::Pl => format!("{what} „{name}”"),
            }
        }
        ("locations_changed", Language::En) => match detail.get("new").and_then(|v| v.as_str()) {
            Some(new) => format!("changed the locations (added {new})"),
            None => "changed the locations".into(),
        },
        ("locations_changed", Language::Pl) => match detail.get("new").and_then(|v| v.as_str()) {
            Some(new) => format!("zmienił(a) lokale (dodał(a): {new})"),
            None => "zmienił(a) lokale".into(),
        },
        ("rules_changed", Language::En) => "changed the earning rules".into(),
        ("rules_changed", Language::Pl) => "zmienił(a) zasady zbierania".into(),
        ("tiers_changed", Language::En) => "changed the levels".into(),
        ("tiers_changed", Language::Pl) => "zmienił(a) poziomy".into(),
        ("settings_changed", Language::En) => "changed the settings (name, time zone)".into(),
        ("settings_changed", Language::Pl) => {
            "zmienił(a) ustawienia (nazwa, strefa czasowa)".into()
        }
        ("items_changed", Language::En) => "changed the points per item".into(),
        ("items_changed", Language::Pl) => "zmienił(a) punkty za produkty".into(),
        ("promotions_changed", Language::En) => match detail.get("name").and_then(|v| v.as_str()) {
            Some(name) => format!("changed the promotions ({name})"),
            None => "changed the promotions".into(),
        },
        ("promotions_changed", Language::Pl) => match detail.get("name").and_then(|v| v.as_str()) {
            Some(name) => format!("zmienił(a) promocje ({name})"),
            None => "zmienił(a) promocje".into(),
        },
        ("card_changed", _) => {
            let parts: Vec<&str> = detail
                .get("changed")
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|p| p.as_str())
                        .map(|p| card_part(l, p))
                        .collect()
                })
                .unwrap_or_default();
            let what = if parts.is_empty() {
                String::new()
            } else {
                format!(" ({})", parts.join(", "))
            };
            match l {
                Language::En => format!("changed the card{what}"),
                Language::Pl => format!("zmienił(a) kartę{what}"),
            }
        }
        ("adjust", Language::En) => format!("corrected a customer's balance{why}"),
        ("adjust", Language::Pl) => format!("skorygował(a) saldo klienta{why}"),
        ("reverse", Language::En) => format!("reversed a scan{why}"),
        ("reverse", Language::Pl) => format!("cofnął(-ęła) skanowanie{why}"),
        ("erase", Language::En) => format!("erased a customer's personal data{why}"),
        ("erase", Language::Pl) => format!("usunął(-ęła) dane osobowe klienta{why}"),
        ("preferences", _) => l
            .pick(
                "changed a customer's message preferences",
                "zmienił(a) zgody klienta na wiadomości",
            )
            .into(),
        ("referral.approve", _) => l
            .pick("approved a referral", "zatwierdził(a) polecenie")
            .into(),
        ("referral.reject", _) => l
            .pick("rejected a referral", "odrzucił(a) polecenie")
            .into(),
        (other, _) => other.replace(['_', '.'], " "),
    }
}

/// Every tills and activity page with sample data, for the console's bilingual test.
#[cfg(test)]
pub(crate) fn bilingual_samples(l: Language, f: &Frame<'_>) -> Vec<String> {
    let rows = [TillRow {
        id: "t1".into(),
        label: "Lada".into(),
        location: "Rynek".into(),
        paired: "2026-12-06 10:00".into(),
        paired_by: "Ala".into(),
        seen: "2026-12-06 11:00".into(),
        signed_in: Some("Ola".into()),
    }];
    let idle = TillRow {
        signed_in: None,
        ..TillRow {
            id: "t2".into(),
            label: "Taras".into(),
            location: "Rynek".into(),
            paired: "2026-12-06 10:00".into(),
            paired_by: "Ala".into(),
            seen: "2026-12-06 11:00".into(),
            signed_in: None,
        }
    };
    let two = [(1, "Rynek".to_string()), (2, "Dworzec".to_string())];
    let code = NewCode {
        code: "K7QM-2XPD",
        url: "https://x.test/staff/pair?code=K7QM2XPD",
        svg: "<svg></svg>",
        pair_page: "https://x.test/staff/pair",
        until: "10:10",
        label: "Lada",
        location: "Rynek",
    };
    let wrong = PairForm {
        label: "",
        location: "1",
        problem: Some(LabelProblem::Invalid),
        bad_location: true,
    };
    let money = |m: i64| format!("{m} PLN");
    let none = serde_json::json!({});
    let actions = [
        "sale_started",
        "redemption_confirmed",
        "till_sign_in",
        "till_sign_out",
        "till_pin_wrong",
        "till_pairing_code",
        "till_unpaired",
        "till_idle",
        "adjust",
        "reverse",
        "erase",
        "preferences",
        "referral.approve",
        "referral.reject",
        "person_invited",
        "role_changed",
        "person_removed",
        "reward_added",
        "reward_changed",
        "reward_archived",
        "reward_restored",
        "card_changed",
        "rules_changed",
        "locations_changed",
        "automation_changed",
        "campaign_changed",
        "key_made",
        "key_rotated",
        "key_revoked",
        "webhook_secret_rotated",
    ];
    let lines: Vec<ActivityRow> = actions
        .iter()
        .map(|a| ActivityRow {
            when: "2026-12-06 10:00".into(),
            who: "Ola".into(),
            device: "Lada".into(),
            what: describe(l, a, "", &none, &money),
        })
        .collect();
    vec![
        tills(
            l,
            f,
            &TillsView {
                tills: &rows,
                locations: &two,
                form: &wrong,
                code: Some(&code),
                idle_mins: 15,
                idle_error: true,
                notice: Some(l.pick("Saved.", "Zapisano.")),
            },
        ),
        tills(
            l,
            f,
            &TillsView {
                tills: &[idle],
                locations: &two[..1],
                form: &PairForm::default(),
                code: None,
                idle_mins: 60,
                idle_error: false,
                notice: None,
            },
        ),
        tills(
            l,
            f,
            &TillsView {
                tills: &[],
                locations: &two,
                form: &PairForm::default(),
                code: None,
                idle_mins: 5,
                idle_error: false,
                notice: None,
            },
        ),
        activity(l, f, &lines),
        activity(l, f, &[]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::account::Role;

    fn frame() -> Frame<'static> {
        Frame {
            business: "Kawiarnia Lipa",
            person: "Ala",
            role: Role::Owner,
            csrf: "tok",
        }
    }

    #[test]
    fn the_tills_page_shows_a_new_code_once_with_its_qr_and_lists_tills() {
        for l in Language::ALL {
            let page = &bilingual_samples(l, &frame())[0];
            assert!(page.contains("K7QM-2XPD"));
            assert!(page.contains(r#"data-url="https://x.test/staff/pair?code=K7QM2XPD""#));
            assert!(page.contains(r#"action="/console/tills/t1/unpair""#));
            assert!(page.contains(r#"<option value="15" selected>"#), "{page}");
            // The frame's two forms (language, sign-out), unpair, pair, the idle time.
            assert_eq!(page.matches(r#"name="csrf" value="tok""#).count(), 5);
            let (yes, no) = match l {
                Language::En => ("Signed in now: ", "Teraz zalogowany"),
                Language::Pl => ("Teraz zalogowany", "Signed in now"),
            };
            assert!(page.contains(yes) && !page.contains(no), "{l:?}");
        }
    }

    #[test]
    fn a_wrong_label_comes_back_beside_its_field_with_the_input() {
        let form = PairForm {
            label: "",
            location: "2",
            problem: Some(LabelProblem::Empty),
            bad_location: false,
        };
        let locations = [(1, "Rynek".to_string()), (2, "Dworzec".to_string())];
        let page = tills(
            Language::Pl,
            &frame(),
            &TillsView {
                tills: &[],
                locations: &locations,
                form: &form,
                code: None,
                idle_mins: 480,
                idle_error: false,
                notice: None,
            },
        );
        assert!(page.contains("Nazwij kasę"));
        assert!(page.contains(r#"<option value="2" selected>"#));
        assert!(page.contains("8 godz."));
    }

    #[test]
    fn activity_names_who_and_where() {
        let rows = [ActivityRow {
            when: "2026-12-06 10:00".into(),
            who: "Ola".into(),
            device: "Lada".into(),
            what: "confirmed Free coffee".into(),
        }];
        let page = activity(Language::En, &frame(), &rows);
        assert!(page.contains("<strong>Ola</strong> confirmed Free coffee"));
        assert!(page.contains("2026-12-06 10:00 · Lada"));
        assert!(activity(Language::Pl, &frame(), &[]).contains("Na razie nic."));
    }

    #[test]
    fn actions_read_as_sentences_in_both_languages() {
        let money = |m: i64| format!("{}.{:02} PLN", m / 100, m % 100);
        let sale = serde_json::json!({ "amount_minor": 1250, "location": 1 });
        assert_eq!(
            describe(Language::En, "sale_started", "", &sale, &money),
            "showed the QR code of a sale of 12.50 PLN"
        );
        let confirmed = serde_json::json!({ "reward": "Kawa", "code": "123456" });
        assert_eq!(
            describe(Language::Pl, "redemption_confirmed", "", &confirmed, &money),
            "potwierdził(a) nagrodę Kawa (kod 123456)"
        );
        let none = serde_json::json!({});
        assert_eq!(
            describe(Language::En, "adjust", "broken cup", &none, &money),
            "corrected a customer's balance (broken cup)"
        );
        assert_eq!(
            describe(Language::En, "some_new.thing", "", &none, &money),
            "some new thing"
        );
    }
}
