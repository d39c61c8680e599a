//! Insights: the KPI overview of the last day rolled up (cards with their definition and sample
//! size, server-side SVG charts of the days before), segments, channels, referrals, rewards,
//! sequences and campaigns, in English or Polish. The content only: the key-signed-in dashboard
//! (`view::dashboard`) and the console (`page`) each put it in their own frame. Pure.

use maud::{html, Markup};
use serde_json::Value;

use super::charts::{self, Series};
use super::console::{framed, Frame};
use crate::domain::language::{Language, Noun};
use crate::domain::metrics::{Counts, Kpis, DEFINITIONS};
use crate::domain::program::MerchantConfig;

/// Everything the overview shows.
pub struct Overview<'a> {
    pub config: &'a MerchantConfig,
    /// The last local day rolled up (`YYYY-MM-DD`), if any.
    pub rolled_through: Option<String>,
    /// Days oldest first: date, counts, rates.
    pub days: Vec<(String, Counts, Kpis)>,
    /// Channel, scans, enrolments, conversions over the same days.
    pub channels: Vec<(String, i64, i64, i64)>,
    /// Message channel; sent, accepted, failed, opened, clicked, came back; the typical time to
    /// come back (ms), over the same days.
    pub messages: Vec<(String, [i64; 6], Option<i64>)>,
    /// Segment sizes as last scored.
    pub segments: Vec<(String, i64)>,
    /// Opened, joined, converted, rewarded, blocked, held.
    pub referrals: Option<[i64; 6]>,
    /// Sequence, waiting, given, skipped.
    pub sequences: Vec<(String, i64, i64, i64)>,
    /// Reward, redeemed, points spent, codes waiting, released or cancelled (the last 30 days).
    pub rewards: Vec<(String, i64, i64, i64, i64)>,
    pub campaigns: Vec<CampaignView>,
}

/// A campaign and, once launched, its results per arm.
pub struct CampaignView {
    /// Its id: the console's page of it is `/console/campaigns/{id}`.
    pub id: String,
    pub name: String,
    pub segment: String,
    /// `draft` or `launched`.
    pub status: String,
    /// Once there are results: the days after the launch a visit or purchase counts in.
    pub window_days: Option<i64>,
    pub arms: Vec<ArmLine>,
}

/// One arm of a campaign's results.
pub struct ArmLine {
    pub arm: String,
    pub members: i64,
    pub delivered: i64,
    pub converted: i64,
    /// Conversion rate in percent.
    pub rate: Option<f64>,
    pub versus: Option<Versus>,
}

/// An arm against the holdout: lift in percentage points, its 95 % interval, the verdict.
pub struct Versus {
    pub lift: f64,
    pub low: f64,
    pub high: f64,
    /// `better`, `worse`, `no_clear_difference` or `too_small`.
    pub verdict: String,
}

/// The KPI cards: (figure, how it is shown).
const CARDS: [(&str, Shown); 11] = [
    ("members", Shown::Count),
    ("active_30d", Shown::Count),
    ("engagement_rate", Shown::Percent),
    ("retention_rate", Shown::Percent),
    ("churn_rate", Shown::Percent),
    ("repeat_purchase_rate", Shown::Percent),
    ("purchase_frequency", Shown::Ratio),
    ("average_order_value_minor", Shown::Money),
    ("clv_minor", Shown::Money),
    ("redemption_rate", Shown::Percent),
    ("points_liability", Shown::Count),
];

#[derive(Clone, Copy)]
enum Shown {
    Count,
    Percent,
    Ratio,
    Money,
}

/// An amount in the merchant's currency, in `l` ("12.50 PLN", "12,50 PLN").
pub(crate) fn money(l: Language, config: &MerchantConfig, minor: i64) -> String {
    l.decimal(config.currency.format(minor))
}

fn percent(l: Language, x: f64) -> String {
    l.decimal(format!("{x:.1} %"))
}

fn shown(l: Language, config: &MerchantConfig, v: Option<f64>, how: Shown) -> String {
    match (v, how) {
        (None, _) => "—".into(),
        (Some(x), Shown::Count) => format!("{x:.0}"),
        (Some(x), Shown::Percent) => percent(l, x * 100.0),
        (Some(x), Shown::Ratio) => l.decimal(format!("{x:.2}")),
        (Some(x), Shown::Money) => money(l, config, x.round() as i64),
    }
}

/// A figure of the day by name: a count or a rate.
fn figure(counts: &Value, rates: &Value, name: &str) -> Option<f64> {
    counts
        .get(name)
        .or_else(|| rates.get(name))
        .and_then(Value::as_f64)
}

/// A figure's name in `l`, in words (never its API name).
fn figure_name(l: Language, name: &str) -> String {
    let (en, pl) = match name {
        "members" => ("members", "członkowie"),
        "active_30d" => ("active in 30 days", "aktywni w 30 dniach"),
        "engagement_rate" => ("engagement", "zaangażowanie"),
        "retention_rate" => ("customers kept", "utrzymanie klientów"),
        "churn_rate" => ("customers lost", "odejścia"),
        "repeat_purchase_rate" => ("repeat purchases", "ponowne zakupy"),
        "purchase_frequency" => ("purchases per buyer", "częstotliwość zakupów"),
        "average_order_value_minor" => ("average purchase", "średnia wartość zakupu"),
        "clv_minor" => (
            "customer lifetime value (CLV)",
            "wartość klienta w czasie (CLV)",
        ),
        "redemption_rate" => ("points used", "wykorzystanie punktów"),
        "points_liability" => ("points customers hold", "punkty do wykorzystania"),
        "active_30d_before" => (
            "active in 30 days, 30 days earlier",
            "aktywni w 30 dniach, 30 dni wcześniej",
        ),
        "purchasers_90d" => ("buyers in 90 days", "kupujący w 90 dniach"),
        "priced_90d" => (
            "purchases with an amount in 90 days",
            "zakupy z kwotą w 90 dniach",
        ),
        "purchasers_365d" => ("buyers in 365 days", "kupujący w 365 dniach"),
        "issued_30d" => ("points given in 30 days", "punkty wydane w 30 dniach"),
        other => return other.replace('_', " ").replace(" minor", ""),
    };
    l.pick(en, pl).to_owned()
}

/// A figure's definition in `l`, in words (the API's own, with its field names, is on
/// `/api/v1/metrics`).
fn definition(l: Language, name: &str) -> Option<&'static str> {
    let api = DEFINITIONS.iter().find(|d| d.0 == name).map(|d| d.1)?;
    let en = match name {
        "members" => "members at the end of the day (erased ones do not count)",
        "active_30d" => "members with a purchase, a visit or a reward taken in the 30 days to that day",
        "engagement_rate" => "active in 30 days / members",
        "retention_rate" => "(active in 30 days − those of them who joined in those 30 days) / active in 30 days, 30 days earlier",
        "churn_rate" => "1 − customers kept",
        "repeat_purchase_rate" => "members with 2 or more purchases in the 90 days to that day / members with at least 1",
        "purchase_frequency" => "purchases in 90 days / members who bought in them",
        "average_order_value_minor" => "revenue in 90 days / purchases with an amount in that time",
        "clv_minor" => "revenue per buying member in 365 days × the expected time as a customer (1 / the yearly share lost, at most 10 years)",
        "redemption_rate" => "points used / points given in the 30 days to that day (rewards cancelled before the day was summed up do not count; a summed-up day is not counted again)",
        "points_liability" => "points customers can spend at the end of the day (pending ones not included)",
        "segments" => "RFM scores 1–5: last visit or purchase, frequency (purchases and visits), value (revenue), each cut at 20/40/60/80 % of members with a purchase or visit; new: joined in the last 30 days; loyal and valuable: last visit ≥ 4 and frequency or value ≥ 4; at risk of leaving: last visit ≤ 2 and frequency or value ≥ 3; occasional: the others who bought or visited; no activity: the rest",
        _ => api,
    };
    let pl = match name {
        "members" => "członkowie na koniec dnia (usuniętych się nie liczy)",
        "active_30d" => "członkowie z zakupem, wizytą lub odbiorem nagrody w 30 dniach do tego dnia",
        "engagement_rate" => "aktywni w 30 dniach / członkowie",
        "retention_rate" => "(aktywni w 30 dniach − ci z nich, którzy dołączyli w tych 30 dniach) / aktywni w 30 dniach 30 dni wcześniej",
        "churn_rate" => "1 − utrzymanie klientów",
        "repeat_purchase_rate" => "członkowie z 2 lub więcej zakupami w 90 dniach do tego dnia / członkowie z co najmniej 1",
        "purchase_frequency" => "zakupy w 90 dniach / członkowie, którzy w nich kupowali",
        "average_order_value_minor" => "przychód w 90 dniach / zakupy z kwotą w tym czasie",
        "clv_minor" => "przychód na kupującego członka w 365 dniach × oczekiwany czas bycia klientem (1 / roczne odejścia, najwyżej 10 lat)",
        "redemption_rate" => "punkty wykorzystane / punkty wydane w 30 dniach do tego dnia (odbiory anulowane przed podsumowaniem dnia się nie liczą; podsumowanego dnia nie liczy się ponownie)",
        "points_liability" => "punkty do wykorzystania na koniec dnia (bez oczekujących)",
        "segments" => "Oceny RFM 1–5: ostatnia wizyta lub zakup, częstotliwość (zakupy i wizyty), wartość (przychód), każda dzielona na 20/40/60/80 % członków z zakupem lub wizytą; nowi: dołączyli w ostatnich 30 dniach; wierni i cenni: ostatnia wizyta ≥ 4 i częstotliwość lub wartość ≥ 4; zagrożeni odejściem: ostatnia wizyta ≤ 2 i częstotliwość lub wartość ≥ 3; okazjonalni: pozostali, którzy kupowali lub odwiedzali; bez aktywności: reszta",
        _ => en,
    };
    Some(l.pick(en, pl))
}

/// A segment's name in `l`.
pub(crate) fn segment_name(l: Language, segment: &str) -> String {
    let (en, pl) = match segment {
        "high_value_loyal" => ("loyal and valuable", "wierni i cenni"),
        "at_risk" => ("at risk of leaving", "zagrożeni odejściem"),
        "new" => ("new", "nowi"),
        "occasional" => ("occasional", "okazjonalni"),
        "no_activity" => ("no activity", "bez aktywności"),
        "all" => ("everyone", "wszyscy"),
        other => return other.replace('_', " "),
    };
    l.pick(en, pl).to_owned()
}

/// An automation's name in `l`: its title from its trigger while the program has it, else its
/// id in words.
fn sequence_name(l: Language, c: &MerchantConfig, id: &str) -> String {
    c.program.sequences.iter().find(|s| s.id == id).map_or_else(
        || id.replace('_', " "),
        |s| super::automations::title(l, s.trigger),
    )
}

/// A channel's name in `l`.
fn channel_name(l: Language, channel: &str) -> String {
    let pl = match channel {
        "counter" => "lada",
        "poster" => "plakat",
        "receipt" => "paragon",
        "email" => "e-mail",
        "social" => "media społecznościowe",
        "website" => "strona internetowa",
        "app" => "aplikacja",
        "referral" => "polecenie",
        _ => channel,
    };
    l.pick(channel, pl).to_owned()
}

fn verdict(l: Language, v: &str) -> String {
    let pl = match v {
        "better" => "lepiej",
        "worse" => "gorzej",
        "no_clear_difference" => "brak wyraźnej różnicy",
        "too_small" => "za mało danych",
        _ => v,
    };
    match l {
        Language::En => v.replace('_', " "),
        Language::Pl => pl.to_owned(),
    }
}

fn versus(l: Language, v: &Versus) -> String {
    let n = |x: f64| l.decimal(format!("{x:+.1}"));
    match l {
        Language::En => format!(
            "{} points (95%: {} to {}): {}",
            n(v.lift),
            n(v.low),
            n(v.high),
            verdict(l, &v.verdict)
        ),
        Language::Pl => format!(
            "{} pkt proc. (95%: od {} do {}): {}",
            n(v.lift),
            n(v.low),
            n(v.high),
            verdict(l, &v.verdict)
        ),
    }
}

/// What figure `name` of the day means, in one sentence with its numbers (`value` as shown);
/// `None` for a figure without one.
fn says(
    l: Language,
    v: &Overview<'_>,
    name: &str,
    value: &str,
    c: &Counts,
    k: &Kpis,
) -> Option<String> {
    let people = |n: i64| Noun::Customer.count(l, n);
    let none = l.pick(
        "Not enough yet: nobody to count in that time.",
        "Na razie za mało: w tym czasie nie ma kogo policzyć.",
    );
    let rate =
        |r: Option<f64>, text: String| Some(if r.is_some() { text } else { none.to_owned() });
    match (name, l) {
        ("members", Language::En) => Some(format!(
            "{} {} your card; {} joined that day.",
            people(c.members),
            if c.members == 1 { "has" } else { "have" },
            c.new_members
        )),
        ("members", Language::Pl) => Some(format!("Klienci z kartą: {}; nowi tego dnia: {}.", c.members, c.new_members)),
        ("active_30d", Language::En) => Some(format!("{} of your {} came in, bought or took a reward in the last 30 days.", c.active_30d, people(c.members))),
        ("active_30d", Language::Pl) => Some(format!("W ostatnich 30 dniach przyszło, kupiło lub odebrało nagrodę {} z {} klientów.", c.active_30d, c.members)),
        ("engagement_rate", Language::En) => rate(k.engagement_rate, format!("{value} of your customers came in during the last 30 days.")),
        ("engagement_rate", Language::Pl) => rate(k.engagement_rate, format!("{value} Twoich klientów przyszło w ostatnich 30 dniach.")),
        ("retention_rate", Language::En) => rate(k.retention_rate, format!("Of the {} who came in the 30 days before, {value} came back in the last 30.", people(c.active_30d_before))),
        ("retention_rate", Language::Pl) => rate(k.retention_rate, format!("Spośród {} z poprzednich 30 dni w ostatnich 30 wróciło {value}.", people(c.active_30d_before))),
        ("churn_rate", Language::En) => rate(k.churn_rate, format!("Of the {} who came in the 30 days before, {value} did not come back in the last 30.", people(c.active_30d_before))),
        ("churn_rate", Language::Pl) => rate(k.churn_rate, format!("Spośród {} z poprzednich 30 dni w ostatnich 30 nie wróciło {value}.", people(c.active_30d_before))),
        ("repeat_purchase_rate", Language::En) => rate(k.repeat_purchase_rate, format!("Of the {} who bought in the last 90 days, {value} bought twice or more.", people(c.purchasers_90d))),
        ("repeat_purchase_rate", Language::Pl) => rate(k.repeat_purchase_rate, format!("Spośród {} kupujących w ostatnich 90 dniach {value} kupiło co najmniej dwa razy.", people(c.purchasers_90d))),
        ("purchase_frequency", Language::En) => rate(k.purchase_frequency, format!("A customer who bought in the last 90 days bought {value} times on average ({} purchases by {}).", c.purchases_90d, people(c.purchasers_90d))),
        ("purchase_frequency", Language::Pl) => rate(k.purchase_frequency, format!("Kupujący w ostatnich 90 dniach kupował średnio {value} razy (zakupy: {}, kupujący: {}).", c.purchases_90d, c.purchasers_90d)),
        ("average_order_value_minor", Language::En) => rate(k.average_order_value_minor, format!("A purchase in the last 90 days came to {value} on average ({} with an amount).", c.priced_90d)),
        ("average_order_value_minor", Language::Pl) => rate(k.average_order_value_minor, format!("Zakup w ostatnich 90 dniach był wart średnio {value} (zakupy z kwotą: {}).", c.priced_90d)),
        ("clv_minor", _) => {
            let yearly = k.revenue_per_member_365d_minor.map(|r| money(l, v.config, r.round() as i64));
            let years = k.expected_lifetime_years.map(|y| l.decimal(format!("{y:.1}")));
            match (yearly, years, l) {
                (Some(r), Some(y), Language::En) => Some(format!("A customer who buys spends about {r} a year and stays about {y} years: worth {value} to you.")),
                (Some(r), Some(y), Language::Pl) => Some(format!("Kupujący klient wydaje rocznie około {r} i zostaje średnio {y} r.: jest wart dla Ciebie {value}.")),
                _ => Some(none.to_owned()),
            }
        }
        ("redemption_rate", Language::En) => rate(k.redemption_rate, format!("Of the {} given in the last 30 days, {value} were spent on rewards.", Noun::Point.count(l, c.issued_30d))),
        ("redemption_rate", Language::Pl) => rate(k.redemption_rate, format!("Z punktów przyznanych w ostatnich 30 dniach ({}) na nagrody wydano {value}.", c.issued_30d)),
        ("points_liability", _) => {
            let worth = k.liability_value_minor.map(|m| money(l, v.config, m));
            Some(match (worth, l) {
                (Some(w), Language::En) => format!("Customers hold {} they can still spend: {w} of rewards at your cost.", Noun::Point.count(l, c.points_liability)),
                (None, Language::En) => format!("Customers hold {} they can still spend.", Noun::Point.count(l, c.points_liability)),
                (Some(w), Language::Pl) => format!("Punkty, które klienci mogą jeszcze wydać: {}, czyli nagrody za {w} Twoim kosztem.", c.points_liability),
                (None, Language::Pl) => format!("Punkty, które klienci mogą jeszcze wydać: {}.", c.points_liability),
            })
        }
        _ => None,
    }
}

/// What moves figure `name`, in a line.
fn moves(l: Language, name: &str) -> Option<&'static str> {
    let (en, pl) = match name {
        "members" => ("Grows with the poster at the counter and customers' invitations.", "Rośnie dzięki plakatowi przy kasie i zaproszeniom od klientów."),
        "active_30d" | "engagement_rate" => ("Moved by reasons to come back: stamps, promotions on quiet days, a reminder.", "Rośnie, gdy jest powód, by wrócić: pieczątki, promocje w spokojne dni, przypomnienie."),
        "retention_rate" => ("Brought up by a reward within reach and a message to those who have not been back.", "Podnosi je nagroda w zasięgu ręki i wiadomość do tych, którzy dawno nie byli."),
        "churn_rate" => ("Brought down the same way: the “we miss you” automation works best.", "Obniża je to samo: najlepiej działa automatyzacja „tęsknimy”."),
        "repeat_purchase_rate" => ("Brought up by a bonus after the first purchase and a stamp card that fills quickly.", "Podnosi je bonus po pierwszym zakupie i karta, która szybko się zapełnia."),
        "purchase_frequency" => ("Brought up by stamps and double points at quiet hours.", "Podnoszą ją pieczątki i podwójne punkty w spokojnych godzinach."),
        "average_order_value_minor" => ("Brought up by points per amount spent and rewards that need a little more.", "Podnoszą ją punkty za wydaną kwotę i nagrody, na które trzeba trochę więcej."),
        "clv_minor" => ("Grows when customers stay longer and spend a little more each time.", "Rośnie, gdy klienci zostają dłużej i wydają trochę więcej za każdym razem."),
        "redemption_rate" => ("Low: rewards may be too far off or unknown. High: customers value them.", "Niskie: nagrody mogą być za daleko lub nieznane. Wysokie: klienci je cenią."),
        "points_liability" => ("A cost to you until points are spent or expire: see the expiry on Earning rules.", "To Twój koszt, dopóki punkty nie zostaną wydane lub nie wygasną: wygasanie ustawisz w Zasadach zbierania."),
        _ => return None,
    };
    Some(l.pick(en, pl))
}

fn cards(l: Language, v: &Overview<'_>) -> Markup {
    let Some((date, c, k)) = v.days.last() else {
        return html! {
            div class="box" { p { (l.pick(
                "No day has been rolled up yet: figures appear the morning after the first day with members.",
                "Żaden dzień nie jest jeszcze podsumowany: liczby pojawią się rano po pierwszym dniu z członkami.")) } }
        };
    };
    let counts = serde_json::to_value(c).unwrap_or_default();
    let rates = serde_json::to_value(k).unwrap_or_default();
    html! {
        style { ".kpi .says{margin:.3em 0}.kpi summary{cursor:pointer;color:#1f4e8c;padding:.35rem 0;font-size:.9rem}" }
        h2 { (l.pick("On ", "Dzień ")) (date) }
        div class="cards" {
            @for (name, how) in CARDS {
                @let def = DEFINITIONS.iter().find(|d| d.0 == name);
                @let sample = def.and_then(|d| counts.get(d.2)).and_then(Value::as_i64);
                @let value = shown(l, v.config, figure(&counts, &rates, name), how);
                div class="box kpi" {
                    p class="muted" { (figure_name(l, name)) }
                    p class="big" { (value) }
                    @if let Some(says) = says(l, v, name, &value, c, k) { p class="says" { (says) } }
                    @if let Some(m) = moves(l, name) { p class="def" { (m) } }
                    details {
                        summary { (l.pick("How is this computed?", "Jak to liczymy?")) }
                        @if let Some(d) = definition(l, name) { p class="def" { (d) } }
                        @if let (Some(d), Some(n)) = (def, sample) {
                            p class="def" { (l.pick("sample: ", "próba: ")) (figure_name(l, d.2)) " = " (n) }
                        }
                    }
                }
            }
        }
    }
}

fn charts(l: Language, v: &Overview<'_>) -> Markup {
    let points = |f: &dyn Fn(&Counts, &Kpis) -> f64| -> Vec<(String, f64)> {
        v.days
            .iter()
            .map(|(d, c, k)| (d.clone(), f(c, k)))
            .collect()
    };
    let members = [
        Series {
            name: l.pick("members", "członkowie"),
            points: points(&|c, _| c.members as f64),
        },
        Series {
            name: l.pick("active in 30 days", "aktywni w 30 dniach"),
            points: points(&|c, _| c.active_30d as f64),
        },
    ];
    let scale = 10f64.powi(i32::from(v.config.currency.minor_units));
    let revenue = Series {
        name: l.pick("revenue", "przychód"),
        points: points(&|c, _| c.revenue_minor as f64 / scale),
    };
    let rates = [
        Series {
            name: l.pick("engagement", "zaangażowanie"),
            points: points(&|_, k| k.engagement_rate.unwrap_or(0.0) * 100.0),
        },
        Series {
            name: l.pick("repeat purchase", "ponowne zakupy"),
            points: points(&|_, k| k.repeat_purchase_rate.unwrap_or(0.0) * 100.0),
        },
    ];
    let unit = format!(" {}", v.config.currency.code);
    html! {
        div class="box" { h3 { (l.pick("Members", "Członkowie")) }
            (charts::line(l, l.pick("Members and active members per day", "Członkowie i aktywni członkowie dzień po dniu"), &members, "")) }
        div class="box" { h3 { (l.pick("Revenue from members", "Przychód od członków")) }
            (charts::bars(l, l.pick("Revenue from members per day", "Przychód od członków dzień po dniu"), &revenue, &unit)) }
        div class="box" { h3 { (l.pick("Engagement and repeat purchase", "Zaangażowanie i ponowne zakupy")) }
            (charts::line(l, l.pick("Engagement and repeat purchase rate per day", "Zaangażowanie i ponowne zakupy dzień po dniu"), &rates, " %")) }
    }
}

/// A time from message to return, in hours under two days, else days.
fn return_time(l: Language, ms: i64) -> String {
    let hours = ms as f64 / 3_600_000.0;
    if hours < 48.0 {
        format!("{:.0} {}", hours.max(1.0), l.pick("h", "godz."))
    } else {
        format!("{:.1} {}", hours / 24.0, l.pick("days", "dni"))
    }
}

/// A table with a head and rows (every column after the first is a number, right-aligned).
pub(crate) fn table(l: Language, head: &[&str], rows: Vec<Vec<String>>) -> Markup {
    html! {
        // Focusable, so a keyboard can scroll a table wider than a phone.
        div class="scroll" tabindex="0" role="region" aria-label=(head.join(", ")) {
            table {
                thead { tr { @for h in head { th scope="col" { (h) } } } }
                tbody {
                    @for r in &rows { tr { @for (i, c) in r.iter().enumerate() { td class=[(i > 0).then_some("n")] { (c) } } } }
                    @if rows.is_empty() { tr { td colspan=(head.len()) class="muted" { (l.pick("Nothing yet", "Jeszcze nic")) } } }
                }
            }
        }
    }
}

/// The overview's content in `l`, under a line saying through which day it is rolled up and
/// `links` (the pages next to it).
pub fn content(l: Language, v: &Overview<'_>, links: Markup) -> Markup {
    let c = v.config;
    let n = |x: &i64| x.to_string();
    html! {
        p class="muted" {
            (l.pick("Rolled up through ", "Podsumowano do dnia ")) (v.rolled_through.as_deref().unwrap_or("—")) " (" (c.time_zone) "). "
            (links)
        }
        (cards(l, v))
        (charts(l, v))
        div class="box" {
            h3 { (l.pick("Segments", "Segmenty")) }
            (table(l, &[l.pick("segment", "grupa"), l.pick("members", "członkowie")],
                v.segments.iter().map(|(s, m)| vec![segment_name(l, s), n(m)]).collect()))
            @if let Some(d) = definition(l, "segments") { p class="def" { (d) } }
        }
        div class="box" {
            h3 { (l.pick("Engagement channels (these days)", "Kanały (w tych dniach)")) }
            (table(l, &[l.pick("channel", "kanał"), l.pick("scans", "skany"), l.pick("enrolments", "dołączenia"), l.pick("conversions", "konwersje")],
                v.channels.iter().map(|(ch, s, e, k)| vec![channel_name(l, ch), n(s), n(e), n(k)]).collect()))
        }
        div class="box" {
            h3 { (l.pick("Messages by channel (these days)", "Wiadomości według kanału (w tych dniach)")) }
            (table(l, &[l.pick("channel", "kanał"), l.pick("sent", "wysłane"), l.pick("accepted", "przyjęte"), l.pick("failed", "nieudane"),
                        l.pick("opened", "otwarte"), l.pick("clicked", "kliknięte"), l.pick("came back", "wrócili"), l.pick("typical time to come back", "typowy czas do powrotu")],
                v.messages.iter().map(|(ch, c, t)| vec![
                    super::messages::channel_name(l, Some(ch)).to_string(), n(&c[0]), n(&c[1]), n(&c[2]), n(&c[3]), n(&c[4]), n(&c[5]),
                    t.map(|ms| return_time(l, ms)).unwrap_or_else(|| "—".to_string()),
                ]).collect()))
            p class="def" { (l.pick("A message “came back” when the customer's next visit or purchase was within 7 days of it and it was their latest message. Opens count an email's images loading; some mail apps load them by themselves.",
                                    "Wiadomość „wróciła”, gdy następna wizyta lub zakup klienta nastąpiły w ciągu 7 dni od niej i była to jego ostatnia wiadomość. Otwarcia liczą wczytanie obrazków e-maila; niektóre programy pocztowe robią to same.")) }
        }
        @if let Some(r) = v.referrals {
            div class="box" {
                h3 { (l.pick("Referrals", "Polecenia")) }
                (table(l, &[l.pick("opened", "otwarte"), l.pick("joined", "dołączyli"), l.pick("converted", "kupili"),
                    l.pick("rewarded", "nagrodzone"), l.pick("blocked", "zablokowane"), l.pick("held for review", "wstrzymane do decyzji")],
                    vec![r.iter().map(n).collect()]))
            }
        }
        div class="box" {
            h3 { (l.pick("Rewards (last 30 days)", "Nagrody (ostatnie 30 dni)")) }
            @if v.rewards.is_empty() { p class="muted" { (l.pick("No rewards in the catalog yet", "W katalogu nie ma jeszcze nagród")) } }
            @else {
                (table(l, &[l.pick("reward", "nagroda"), l.pick("redeemed", "odebrane"), l.pick("points spent", "wydane punkty"),
                    l.pick("codes waiting", "kody czekające"), l.pick("released or cancelled", "zwolnione lub anulowane")],
                    v.rewards.iter().map(|(r, a, p, w, x)| vec![r.clone(), n(a), n(p), n(w), n(x)]).collect()))
            }
        }
        div class="box" {
            h3 { (l.pick("Sequences", "Sekwencje")) }
            (table(l, &[l.pick("sequence", "sekwencja"), l.pick("waiting", "czekają"), l.pick("given", "przyznane"), l.pick("skipped", "pominięte")],
                v.sequences.iter().map(|(s, w, g, k)| vec![sequence_name(l, c, s), n(w), n(g), n(k)]).collect()))
        }
        div class="box" {
            h3 { (l.pick("Campaigns", "Kampanie")) }
            @if v.campaigns.is_empty() { p class="muted" { (l.pick("Nothing yet", "Jeszcze nic")) } }
            @for c in &v.campaigns {
                h4 { a href={ "/console/campaigns/" (c.id) } { (c.name) } " · " (segment_name(l, &c.segment)) " · " (match c.status.as_str() {
                    "launched" => l.pick("launched", "wysłana"),
                    "draft" => l.pick("draft", "szkic"),
                    other => other,
                }) }
                @if let Some(days) = c.window_days {
                    p class="def" { (match l {
                        Language::En => format!("conversion: a visit or purchase within {days} days after the launch"),
                        Language::Pl => format!("konwersja: wizyta lub zakup w ciągu {days} dni od wysłania"),
                    }) }
                }
                @if !c.arms.is_empty() {
                    (table(l, &[l.pick("arm", "wariant"), l.pick("members", "członkowie"), l.pick("messages delivered", "doręczone wiadomości"),
                        l.pick("converted", "konwersje"), l.pick("rate", "odsetek"), l.pick("against the holdout", "wobec grupy kontrolnej")],
                        c.arms.iter().map(|a| vec![
                            if a.arm == "holdout" { l.pick("holdout", "grupa kontrolna").to_owned() } else { a.arm.clone() },
                            n(&a.members), n(&a.delivered), n(&a.converted),
                            a.rate.map_or_else(|| "—".into(), |r| percent(l, r)),
                            a.versus.as_ref().map(|x| versus(l, x)).unwrap_or_default(),
                        ]).collect()))
                }
            }
        }
    }
}

/// The console's Insights page: the overview inside the console frame.
pub fn page(l: Language, f: &Frame<'_>, v: &Overview<'_>) -> String {
    let links = html! {
        a href="/console/customers" { (l.pick("Find a customer", "Znajdź klienta")) }
    };
    framed(
        l,
        f,
        "insights",
        l.pick("Insights", "Analizy"),
        content(l, v, links),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::metrics::kpis;

    /// An overview with a figure, a chart point and a line in every table.
    pub(crate) fn sample(config: &MerchantConfig) -> Overview<'_> {
        let counts = Counts {
            members: 40,
            active_30d: 10,
            purchasers_90d: 8,
            repeaters_90d: 2,
            revenue_minor: 12_345,
            ..Counts::default()
        };
        let k = kpis(&counts, 0);
        Overview {
            config,
            rolled_through: Some("2026-11-30".into()),
            days: vec![("2026-11-30".into(), counts, k)],
            channels: vec![("poster".into(), 5, 2, 1)],
            messages: vec![("email".into(), [3, 3, 0, 2, 1, 1], Some(100_000_000))],
            segments: vec![("at_risk".into(), 3)],
            referrals: Some([1, 2, 3, 4, 5, 6]),
            sequences: vec![("gone_one".into(), 1, 2, 3)],
            rewards: vec![("Free coffee".into(), 7, 700, 1, 2)],
            campaigns: vec![CampaignView {
                id: "cmp_0123456789abcdef".into(),
                name: "Come back".into(),
                segment: "at_risk".into(),
                status: "launched".into(),
                window_days: Some(14),
                arms: vec![
                    ArmLine {
                        arm: "a".into(),
                        members: 200,
                        delivered: 198,
                        converted: 60,
                        rate: Some(30.0),
                        versus: Some(Versus {
                            lift: 10.0,
                            low: -0.1,
                            high: 20.1,
                            verdict: "no_clear_difference".into(),
                        }),
                    },
                    ArmLine {
                        arm: "holdout".into(),
                        members: 20,
                        delivered: 0,
                        converted: 4,
                        rate: Some(20.0),
                        versus: None,
                    },
                ],
            }],
        }
    }

    fn frame() -> Frame<'static> {
        Frame {
            business: "Lipa",
            person: "Ala",
            role: crate::domain::account::Role::Owner,
            csrf: "t",
        }
    }

    #[test]
    fn polish_insights_write_numbers_with_a_decimal_comma() {
        let c = super::super::test_config("Lipa", &["Rynek"]);
        let f = frame();
        let page = page(Language::Pl, &f, &sample(&c));
        assert!(page.contains(">25,0 %<"), "engagement 10/40: {page}");
        assert!(
            page.contains("+10,0 pkt proc. (95%: od -0,1 do +20,1)"),
            "{page}"
        );
        assert!(page.contains(">123,45 PLN<"), "the revenue axis: {page}");
        assert!(page.contains(">zagrożeni odejściem<"));
        assert!(page.contains("próba: kupujący w 90 dniach = 8"), "{page}");
        assert_eq!(page.matches("<svg class=\"chart\"").count(), 3);
    }

    #[test]
    fn each_figure_says_what_it_means_with_its_numbers_and_what_moves_it() {
        let mut c = super::super::test_config("Lipa", &["Rynek"]);
        c.program.sequences = crate::domain::sequence::defaults();
        let f = frame();
        let mut o = sample(&c);
        o.sequences.push(("welcome_reward".into(), 0, 1, 0));
        let en = page(Language::En, &f, &o);
        assert!(
            en.contains(">First purchase<"),
            "an automation by its title: {en}"
        );
        assert!(
            en.contains(">gone one<"),
            "one no longer in the program by its id in words"
        );
        for said in [
            "40 customers have your card; 0 joined that day.",
            "10 of your 40 customers came in, bought or took a reward in the last 30 days.",
            "25.0 % of your customers came in during the last 30 days.",
            "Of the 8 customers who bought in the last 90 days, 25.0 % bought twice or more.",
            "Not enough yet: nobody to count in that time.",
            "Customers hold 0 points they can still spend.",
            "Brought up by a reward within reach",
            "<summary>How is this computed?</summary>",
        ] {
            assert!(en.contains(said), "{said}: {en}");
        }
        let pl = page(Language::Pl, &f, &sample(&c));
        for said in [
            "Klienci z kartą: 40; nowi tego dnia: 0.",
            "Spośród 8 klientów kupujących w ostatnich 90 dniach 25,0 % kupiło co najmniej dwa razy.",
            "<summary>Jak to liczymy?</summary>",
        ] {
            assert!(pl.contains(said), "{said}: {pl}");
        }
    }
}
