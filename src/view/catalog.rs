//! The console's rewards catalog, in English or Polish: what customers can get and what it
//! costs them (on offer, then archived), a reward's form with its picture and a one-line help
//! beside each field, the card as customers will see it in a phone frame, and the confirmation
//! before a reward is archived. Pure and without JavaScript: the fields a kind does not use are
//! hidden by CSS only where the browser can (`:has`), and every form posts and comes back.

use maud::{html, Markup, PreEscaped};

use super::card::{gift_words, reward_terms};
use super::console::{csrf_field, framed, Frame};
use super::setup::problem_text;
use crate::domain::image::MAX_BYTES;
use crate::domain::language::{Language, Noun};
use crate::domain::program::MerchantConfig;
use crate::domain::reward_form::{RewardForm, KINDS};
use crate::domain::setup::FieldError;

/// The catalog's own styles (on top of the console's).
pub(super) const CSS: &str = ".split{display:grid;gap:1rem}@media(min-width:980px){.split{grid-template-columns:1fr 320px}}.phone{width:300px;max-width:100%;margin:0 auto;border:10px solid #1d1b19;border-radius:28px;overflow:hidden;background:#1d1b19}.phone iframe{display:block;width:100%;height:560px;border:0;background:#fff}ul.rewards{list-style:none;padding:0;margin:0}ul.rewards li{display:flex;gap:.8rem;align-items:flex-start;padding:.8rem 0;border-bottom:1px solid #e6e0d9}ul.rewards img,.pic{width:56px;height:56px;object-fit:cover;border-radius:.4rem;flex:none;background:#eee}ul.rewards .what{flex:1;min-width:0}ul.rewards .acts{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}fieldset{border:1px solid #d6cfc7;border-radius:.5rem;margin:1rem 0;padding:.6rem 1rem}legend{font-weight:700}.choice{display:flex;gap:.6rem;align-items:flex-start;font-weight:400;margin-top:.5rem}.choice input{width:auto;margin-top:.35rem}.pair{display:grid;gap:0 1rem}@media(min-width:600px){.pair{grid-template-columns:1fr 1fr}}form:has(#k-free_item:checked) .k-money,form:has(#k-free_item:checked) .k-percent,form:has(#k-free_item:checked) .k-coupon,form:has(#k-amount_off:checked) .k-percent,form:has(#k-amount_off:checked) .k-coupon,form:has(#k-cashback:checked) .k-percent,form:has(#k-cashback:checked) .k-coupon,form:has(#k-percent_off:checked) .k-money,form:has(#k-percent_off:checked) .k-coupon,form:has(#k-coupon:checked) .k-money,form:has(#k-coupon:checked) .k-percent,form:has(#p-card:checked) .p-points{display:none}.actions{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center}.actions button,.actions>a{margin-top:1rem}.actions form button{margin-top:1rem}ul.rewards .what{overflow-wrap:anywhere}@media(max-width:600px){ul.rewards li{flex-wrap:wrap}ul.rewards .acts{flex-basis:100%;padding-left:calc(56px + .8rem)}}";

/// A reward as the catalog lists it.
pub struct Line {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub image: Option<String>,
    pub kind: String,
    pub value: Option<i64>,
    /// `None`: a full stamp card.
    pub cost_points: Option<i64>,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub stock: Option<i64>,
    pub per_member_limit: Option<i64>,
    pub active: bool,
    /// Confirmed in the last 30 days.
    pub redeemed: i64,
    /// Codes customers hold that staff have not confirmed yet.
    pub waiting: i64,
}

/// What a reward costs, in words.
fn cost(l: Language, points: Option<i64>) -> String {
    match points {
        Some(p) => Noun::Point.count(l, p),
        None => l.pick("a full stamp card", "pełna karta pieczątek").into(),
    }
}

fn kind_name(l: Language, kind: &str) -> &'static str {
    match kind {
        "amount_off" => l.pick("Money off the bill", "Kwota zniżki"),
        "percent_off" => l.pick("Per cent off the bill", "Procent zniżki"),
        "cashback" => l.pick("Money back into the wallet", "Zwrot do portfela"),
        "coupon" => l.pick("A coupon code", "Kod rabatowy"),
        _ => l.pick("A free item", "Darmowy produkt"),
    }
}

fn kind_help(l: Language, kind: &str) -> &'static str {
    match kind {
        "amount_off" => l.pick(
            "Staff take this amount off the bill.",
            "Obsługa odejmuje tę kwotę od rachunku.",
        ),
        "percent_off" => l.pick(
            "Staff take this share off the bill.",
            "Obsługa odejmuje ten procent od rachunku.",
        ),
        "cashback" => l.pick(
            "The amount goes into the customer's cashback wallet, to spend on a later visit.",
            "Kwota trafia do portfela klienta; wyda ją przy kolejnej wizycie.",
        ),
        "coupon" => l.pick(
            "Customers get your code (e.g. for your online shop) when they take the reward.",
            "Klient dostaje Twój kod (np. do sklepu internetowego), gdy odbiera nagrodę.",
        ),
        _ => l.pick(
            "A coffee, a cake: the reward's name says what.",
            "Kawa, ciastko: nazwa nagrody mówi, co to jest.",
        ),
    }
}

/// The limits and dates of a reward, in words, for the owner.
fn terms(l: Language, c: &MerchantConfig, r: &Line, now: i64) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = r.starts_at.filter(|s| *s > now) {
        out.push(format!(
            "{} {}",
            l.pick("from", "od"),
            super::page::local_date_in(l, c, s)
        ));
    }
    if r.ends_at.is_some_and(|e| e <= now) {
        out.push(l.pick("ended", "zakończona").into());
    } else {
        out.extend(reward_terms(l, c, r.ends_at, None));
    }
    match r.stock {
        Some(0) => out.push(l.pick("none left", "wyczerpana").into()),
        Some(n) => out.push(match l {
            Language::En => format!("{n} left"),
            Language::Pl => format!("zostało: {n}"),
        }),
        None => {}
    }
    match (r.per_member_limit, l) {
        (Some(1), _) => out.push(l.pick("once per customer", "raz na klienta").into()),
        (Some(n), Language::En) => out.push(format!("{n} times per customer")),
        (Some(n), Language::Pl) => out.push(format!("{n} razy na klienta")),
        (None, _) => {}
    }
    out
}

/// A reward's use in words ("taken once in 30 days · 2 waiting at the counter").
pub fn usage(l: Language, r: &Line) -> String {
    match l {
        Language::En => format!(
            "taken {} in 30 days · {} waiting at the counter",
            match r.redeemed {
                1 => "once".to_string(),
                n => format!("{n} times"),
            },
            r.waiting
        ),
        Language::Pl => format!(
            "odebrana {} w 30 dni · czeka przy kasie: {}",
            match r.redeemed {
                1 => "1 raz".to_string(),
                n => format!("{n} razy"),
            },
            r.waiting
        ),
    }
}

fn reward_item(l: Language, f: &Frame<'_>, c: &MerchantConfig, r: &Line, now: i64) -> Markup {
    html! {
        li {
            @match &r.image { Some(src) => { img src=(src) alt=""; }, None => { span.pic aria-hidden="true" {} } }
            div.what {
                strong { (r.name) }
                @if let Some(d) = &r.description { br; span { (d) } }
                br; span.muted {
                    (gift_words(l, c, &r.kind, r.value).unwrap_or_else(|| kind_name(l, &r.kind).to_owned()))
                    " · " (cost(l, r.cost_points))
                }
                @let t = terms(l, c, r, now);
                @if !t.is_empty() { br; span.muted { (t.join(" · ")) } }
                br; span.help { (usage(l, r)) }
            }
            div.acts {
                a href={ "/console/rewards/" (r.id) } aria-label={ (l.pick("Edit: ", "Edytuj: ")) (r.name) } { (l.pick("Edit", "Edytuj")) }
                @if r.active {
                    form.inline method="post" action={ "/console/rewards/" (r.id) "/archive" } {
                        (csrf_field(f))
                        button.quiet.small type="submit" aria-label={ (l.pick("Archive: ", "Archiwizuj: ")) (r.name) } { (l.pick("Archive", "Archiwizuj")) }
                    }
                } @else {
                    form.inline method="post" action={ "/console/rewards/" (r.id) "/restore" } {
                        (csrf_field(f))
                        button.quiet.small type="submit" aria-label={ (l.pick("Offer again: ", "Przywróć: ")) (r.name) } { (l.pick("Offer again", "Przywróć")) }
                    }
                }
            }
        }
    }
}

/// The phone frame with the card as customers will see it.
fn phone(l: Language, src: &str) -> Markup {
    html! {
        aside {
            h2 { (l.pick("What customers see", "Co widzą klienci")) }
            div.phone { iframe src={ (src) "#rewards" } title=(l.pick("The card as customers see it", "Karta tak, jak widzą ją klienci")) loading="lazy" {} }
            p.help { (l.pick("A sample customer with enough points for every reward.", "Przykładowy klient z punktami na każdą nagrodę.")) }
        }
    }
}

/// `/console/rewards`: what is on offer, what was archived, and the card customers see.
pub fn list(
    l: Language,
    f: &Frame<'_>,
    c: &MerchantConfig,
    rewards: &[Line],
    notice: Option<&str>,
    now: i64,
) -> String {
    let (on, off): (Vec<&Line>, Vec<&Line>) = rewards.iter().partition(|r| r.active);
    let content = html! {
        style { (PreEscaped(CSS)) }
        @if let Some(n) = notice { p.ok role="status" { (n) } }
        p { (l.pick("What customers can get, and what it costs them. A reward customers hold is archived, never deleted: codes already given still work at the counter.",
            "Co klienci mogą dostać i ile to kosztuje. Nagrody, które klienci już mają, trafiają do archiwum, nigdy nie są usuwane: wydane kody nadal działają przy kasie.")) }
        p { a href="/console/rewards/new" { strong { (l.pick("+ Add a reward", "+ Dodaj nagrodę")) } } }
        div.split {
            div {
                section.card {
                    h2 { (l.pick("On offer", "W ofercie")) }
                    @if on.is_empty() {
                        p { (l.pick("No reward is on offer yet: customers collect, but cannot spend.", "Nie ma jeszcze nagród w ofercie: klienci zbierają, ale nie mogą wydawać.")) }
                    } @else {
                        ul.rewards { @for r in &on { (reward_item(l, f, c, r, now)) } }
                    }
                }
                @if !off.is_empty() {
                    section.card {
                        h2 { (l.pick("Archived", "Archiwum")) }
                        p.help { (l.pick("Customers no longer see these; codes already given still work.", "Klienci już ich nie widzą; wydane kody nadal działają.")) }
                        ul.rewards { @for r in &off { (reward_item(l, f, c, r, now)) } }
                    }
                }
            }
            (phone(l, "/console/rewards/preview"))
        }
    };
    framed(l, f, "rewards", l.pick("Rewards", "Nagrody"), content)
}

/// What the reward form shows besides its fields.
pub struct FormView<'a> {
    /// `None`: a new reward.
    pub id: Option<&'a str>,
    pub form: &'a RewardForm,
    pub image: Option<&'a str>,
    pub errors: &'a [FieldError],
    /// The card preview's address (with the typed fields when they were previewed).
    pub preview: &'a str,
    /// Its use, for a saved reward.
    pub usage: Option<String>,
    /// "Remove the picture" was ticked (kept ticked when the form comes back).
    pub remove_image: bool,
    /// A picture was chosen but not kept (a preview or an error): it must be chosen again.
    pub choose_again: bool,
    /// The stock the form was loaded with, so a save that did not change it keeps the count
    /// that customers have taken down since.
    pub stock_was: &'a str,
}

#[allow(clippy::too_many_arguments)] // one call per field reads best with every part named in place
pub(super) fn input(
    l: Language,
    errors: &[FieldError],
    name: &str,
    label: &str,
    kind: &str,
    value: &str,
    help: &str,
    extra: &str,
) -> Markup {
    let error = errors.iter().find(|e| e.field == name);
    let id = format!("f-{name}");
    html! {
        div class=(extra) {
            label for=(id) { (label) }
            input id=(id) name=(name) type=(kind) value=(value) inputmode=[(kind == "text" && matches!(name, "amount" | "percent" | "points" | "stock" | "limit")).then_some("decimal")]
                aria-invalid=[error.map(|_| "true")] aria-describedby={(id) "-help " (id) "-err"};
            p.help id={(id) "-help"} { (help) }
            @if let Some(e) = error { p.err id={(id) "-err"} role="alert" { (problem_text(l, e.problem)) } }
        }
    }
}

fn radio_error(l: Language, errors: &[FieldError], name: &str) -> Markup {
    html! {
        @if let Some(e) = errors.iter().find(|e| e.field == name) {
            p.err role="alert" { (problem_text(l, e.problem)) }
        }
    }
}

/// `/console/rewards/new` and `/console/rewards/{id}`: the reward's fields, each with its help
/// line and its error, the picture, and the card as customers will see it.
pub fn form(l: Language, f: &Frame<'_>, c: &MerchantConfig, v: &FormView<'_>) -> String {
    let r = v.form;
    let e = v.errors;
    let action = match v.id {
        Some(id) => format!("/console/rewards/{id}"),
        None => "/console/rewards/new".into(),
    };
    let money = format!("{} ({})", l.pick("Amount", "Kwota"), c.currency.code);
    let stamps = c.program.stamps_per_visit > 0 || c.program.stamps_per_purchase > 0;
    let image_error = e.iter().find(|x| x.field == "image");
    let content = html! {
        style { (PreEscaped(CSS)) }
        p { a href="/console/rewards" { "← " (l.pick("All rewards", "Wszystkie nagrody")) } }
        @if !e.is_empty() {
            p.alert role="alert" { (l.pick("Nothing was saved: please correct the fields marked below.", "Nic nie zapisano: popraw zaznaczone pola poniżej.")) }
        }
        @if let Some(u) = &v.usage { p.muted { (u) } }
        div.split {
            form method="post" action=(action) enctype="multipart/form-data" novalidate {
                (csrf_field(f))
                input type="hidden" name="stock_was" value=(v.stock_was);
                section.card {
                    h2 { (l.pick("The reward", "Nagroda")) }
                    (input(l, e, "name", l.pick("Name", "Nazwa"), "text", &r.name,
                        l.pick("What customers see, e.g. A free coffee.", "To widzą klienci, np. Darmowa kawa."), ""))
                    (input(l, e, "description", l.pick("One line more (optional)", "Jedno zdanie więcej (opcjonalnie)"), "text", &r.description,
                        l.pick("E.g. Any size, also with plant milk.", "Np. Dowolny rozmiar, także z mlekiem roślinnym."), ""))
                    fieldset {
                        legend { (l.pick("What it gives", "Co daje")) }
                        @for k in KINDS {
                            label.choice for={ "k-" (k) } {
                                input type="radio" id={ "k-" (k) } name="kind" value=(k) checked[r.kind == k];
                                span { strong { (kind_name(l, k)) } br; span.help { (kind_help(l, k)) } }
                            }
                        }
                        (radio_error(l, e, "kind"))
                        (input(l, e, "amount", &money, "text", &r.amount,
                            l.pick("For money off or back, e.g. 5.00.", "Dla zniżki kwotowej lub zwrotu, np. 5,00."), "k-money"))
                        (input(l, e, "percent", l.pick("Per cent off", "Procent zniżki"), "text", &r.percent,
                            l.pick("1 to 100, e.g. 10.", "Od 1 do 100, np. 10."), "k-percent"))
                        (input(l, e, "coupon_code", l.pick("Coupon code", "Kod rabatowy"), "text", &r.coupon_code,
                            l.pick("Letters, digits, - or _, e.g. LOYAL-10.", "Litery, cyfry, - lub _, np. STALY-10."), "k-coupon"))
                    }
                    fieldset {
                        legend { (l.pick("What it costs", "Ile kosztuje")) }
                        label.choice for="p-points" {
                            input type="radio" id="p-points" name="pays" value="points" checked[r.pays == "points"];
                            span { (l.pick("Points", "Punkty")) }
                        }
                        label.choice for="p-card" {
                            input type="radio" id="p-card" name="pays" value="card" checked[r.pays == "card"];
                            span { (l.pick("A full stamp card", "Pełna karta pieczątek"))
                                br; span.help { @match l {
                                    Language::En => { (c.program.stamp_card_size) " stamps, then the card starts again" @if !stamps { " (your card collects points now)" } },
                                    Language::Pl => { (c.program.stamp_card_size) " pieczątek, potem karta zaczyna się od nowa" @if !stamps { " (Twoja karta zbiera teraz punkty)" } },
                                } } }
                        }
                        (radio_error(l, e, "pays"))
                        (input(l, e, "points", l.pick("Points it costs", "Koszt w punktach"), "text", &r.points,
                            l.pick("Taken from the customer's balance when they take it.", "Odejmowane z salda klienta przy odbiorze."), "p-points"))
                    }
                }
                section.card {
                    h2 { (l.pick("Limits and dates", "Limity i daty")) }
                    p.help { (l.pick("Leave a field empty for no limit.", "Zostaw pole puste, jeśli bez limitu.")) }
                    div.pair {
                        (input(l, e, "stock", l.pick("How many to give", "Ile sztuk"), "text", &r.stock,
                            l.pick("Counts down as customers take it.", "Zmniejsza się, gdy klienci odbierają."), ""))
                        (input(l, e, "limit", l.pick("Times per customer", "Ile razy na klienta"), "text", &r.limit,
                            l.pick("E.g. 1 for a one-off welcome gift.", "Np. 1 dla jednorazowego prezentu."), ""))
                        (input(l, e, "starts", l.pick("First day", "Pierwszy dzień"), "date", &r.starts,
                            l.pick("In your time zone; empty: from now.", "W Twojej strefie czasowej; puste: od teraz."), ""))
                        (input(l, e, "ends", l.pick("Last day", "Ostatni dzień"), "date", &r.ends,
                            l.pick("Available until the end of this day.", "Dostępna do końca tego dnia."), ""))
                    }
                }
                section.card {
                    h2 { (l.pick("Picture (optional)", "Zdjęcie (opcjonalnie)")) }
                    @if let Some(src) = v.image {
                        img.pic src=(src) alt=(l.pick("The reward's picture", "Zdjęcie nagrody"));
                        label.check for="f-remove_image" { input id="f-remove_image" type="checkbox" name="remove_image" value="1" checked[v.remove_image]; span { (l.pick("Remove the picture", "Usuń zdjęcie")) } }
                    }
                    label for="f-image" { (l.pick("Image file", "Plik z obrazem")) }
                    input id="f-image" name="image" type="file" accept="image/png,image/jpeg,image/webp"
                        aria-invalid=[image_error.map(|_| "true")] aria-describedby="f-image-help f-image-err";
                    p.help id="f-image-help" { @match l {
                        Language::En => { "PNG, JPEG or WebP, at most " (MAX_BYTES / 1_000_000) " MB; shown square beside the reward." },
                        Language::Pl => { "PNG, JPEG lub WebP, najwyżej " (MAX_BYTES / 1_000_000) " MB; wyświetlane jako kwadrat obok nagrody." },
                    } }
                    @if let Some(x) = image_error { p.err id="f-image-err" role="alert" { (problem_text(l, x.problem)) } }
                    @if v.choose_again && image_error.is_none() {
                        p.alert role="status" { (l.pick("Browsers do not keep a chosen file: choose the picture again before saving.",
                            "Przeglądarka nie zapamiętuje wybranego pliku: wybierz zdjęcie ponownie przed zapisaniem.")) }
                    }
                }
                div.actions {
                    button type="submit" { (match v.id { Some(_) => l.pick("Save the reward", "Zapisz nagrodę"), None => l.pick("Add the reward", "Dodaj nagrodę") }) }
                    button.quiet type="submit" name="preview" value="1" { (l.pick("Preview on the card", "Podgląd na karcie")) }
                }
            }
            (phone(l, v.preview))
        }
    };
    let title = match v.id {
        Some(_) => l.pick("Edit the reward", "Edycja nagrody"),
        None => l.pick("A new reward", "Nowa nagroda"),
    };
    framed(l, f, "rewards", title, content)
}

/// Before a reward is archived: what will happen, and the button that does it.
pub fn confirm_archive(l: Language, f: &Frame<'_>, r: &Line) -> String {
    let content = html! {
        style { (PreEscaped(CSS)) }
        section.card {
            h2 { (r.name) }
            p { (l.pick("Customers will no longer see this reward on their card or be able to take it.",
                "Klienci nie zobaczą już tej nagrody na karcie i nie będą mogli jej odebrać.")) }
            @if r.waiting > 0 {
                p.alert { @match l {
                    Language::En => { (r.waiting) " customer code(s) for it are waiting at the counter: they stay valid until they expire." },
                    Language::Pl => { "Kody klientów czekające przy kasie (" (r.waiting) ") pozostaną ważne do wygaśnięcia." },
                } }
            }
            p { (l.pick("You can offer it again at any time.", "W każdej chwili możesz ją przywrócić.")) }
            div.actions {
                form method="post" action={ "/console/rewards/" (r.id) "/archive" } {
                    (csrf_field(f))
                    input type="hidden" name="confirm" value="1";
                    button type="submit" { (l.pick("Archive the reward", "Archiwizuj nagrodę")) }
                }
                a href="/console/rewards" { (l.pick("Keep it on offer", "Zostaw w ofercie")) }
            }
        }
    };
    framed(
        l,
        f,
        "rewards",
        l.pick("Archive a reward?", "Archiwizować nagrodę?"),
        content,
    )
}

/// Every catalog page with sample data, for the console's bilingual test.
#[cfg(test)]
pub(crate) fn bilingual_samples(l: Language, f: &Frame<'_>) -> Vec<String> {
    use crate::domain::setup::Problem;
    let c = super::test_config("Kawiarnia", &["Rynek"]);
    let line = |active, kind: &str, value| Line {
        id: "r1".into(),
        name: "Kawa".into(),
        description: Some("Duża".into()),
        image: None,
        kind: kind.into(),
        value,
        cost_points: Some(100),
        starts_at: Some(1_900_000_000_000),
        ends_at: Some(1_800_000_000_000),
        stock: Some(3),
        per_member_limit: Some(2),
        active,
        redeemed: 4,
        waiting: 1,
    };
    let lines = [
        line(true, "amount_off", Some(500)),
        line(false, "percent_off", Some(10)),
        line(true, "cashback", Some(300)),
        line(true, "coupon", None),
    ];
    let mut form_ = RewardForm::blank(true);
    form_.name = "Kawa".into();
    let errors: Vec<FieldError> = [
        "name",
        "amount",
        "percent",
        "coupon_code",
        "points",
        "stock",
        "limit",
        "starts",
        "ends",
        "image",
        "kind",
        "pays",
    ]
    .iter()
    .map(|field| FieldError {
        field,
        problem: Problem::Missing,
    })
    .collect();
    vec![
        list(
            l,
            f,
            &c,
            &lines,
            Some(l.pick("Saved.", "Zapisano.")),
            1_700_000_000_000,
        ),
        list(l, f, &c, &[], None, 0),
        form(
            l,
            f,
            &c,
            &FormView {
                id: Some("r1"),
                form: &form_,
                image: Some("/files/x.png"),
                errors: &errors,
                preview: "/console/rewards/preview",
                usage: Some(usage(l, &lines[0])),
                remove_image: true,
                choose_again: true,
                stock_was: "3",
            },
        ),
        form(
            l,
            f,
            &c,
            &FormView {
                id: None,
                form: &form_,
                image: None,
                errors: &[],
                preview: "/console/rewards/preview",
                usage: None,
                remove_image: false,
                choose_again: false,
                stock_was: "",
            },
        ),
        confirm_archive(l, f, &lines[0]),
    ]
}
