//! Time-series charts drawn on the server as SVG (no script, no library): a line chart of one or
//! more series and a bar chart of one, with the axis range and first and last dates written out,
//! and an accessible title. Pure and deterministic, so they test natively.

use maud::{html, Markup};

use crate::domain::language::Language;

const W: f64 = 640.0;
const H: f64 = 220.0;
const LEFT: f64 = 84.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;
/// Series colours, in order (distinct for the common colour-vision deficiencies).
const COLOURS: [&str; 3] = ["#0b6e99", "#d9822b", "#6b3fa0"];

/// One series: its name and its (date label, value) points, oldest first.
pub struct Series<'a> {
    pub name: &'a str,
    pub points: Vec<(String, f64)>,
}

fn scale(max: f64) -> f64 {
    if max <= 0.0 {
        1.0
    } else {
        max
    }
}

/// A value as an axis or a bar writes it, in `l` (a decimal comma in Polish).
fn number(l: Language, v: f64, unit: &str) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}{unit}")
    } else {
        l.decimal(format!("{v:.2}{unit}"))
    }
}

#[allow(clippy::too_many_arguments)] // the chart's frame: every part named where it is drawn
fn frame(
    l: Language,
    title: &str,
    max: f64,
    first: &str,
    last: &str,
    unit: &str,
    body: Markup,
) -> Markup {
    let label = |v: f64| number(l, v, unit);
    html! {
        svg class="chart" viewBox={ "0 0 " (W) " " (H) } role="img" aria-label=(title) xmlns="http://www.w3.org/2000/svg" {
            title { (title) }
            line x1=(LEFT) y1=(H - BOTTOM) x2=(W - RIGHT) y2=(H - BOTTOM) stroke="#888" {}
            line x1=(LEFT) y1=(TOP) x2=(LEFT) y2=(H - BOTTOM) stroke="#888" {}
            text x=(LEFT - 6.0) y=(TOP + 10.0) text-anchor="end" font-size="12" { (label(max)) }
            text x=(LEFT - 6.0) y=(H - BOTTOM) text-anchor="end" font-size="12" { (label(0.0)) }
            text x=(LEFT) y=(H - 8.0) font-size="12" { (first) }
            text x=(W - RIGHT) y=(H - 8.0) text-anchor="end" font-size="12" { (last) }
            (body)
        }
    }
}

fn x_at(i: usize, n: usize) -> f64 {
    let span = W - LEFT - RIGHT;
    if n <= 1 {
        LEFT + span / 2.0
    } else {
        LEFT + span * i as f64 / (n - 1) as f64
    }
}

fn y_at(v: f64, max: f64) -> f64 {
    let span = H - TOP - BOTTOM;
    H - BOTTOM - span * (v.max(0.0) / max)
}

/// A line chart of `series` (all on one axis from 0) in `l`; `unit` follows the axis labels
/// ("%", "").
pub fn line(l: Language, title: &str, series: &[Series<'_>], unit: &str) -> Markup {
    let n = series.iter().map(|s| s.points.len()).max().unwrap_or(0);
    if n == 0 {
        return empty(l, title);
    }
    let max = scale(
        series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .fold(0.0, f64::max),
    );
    let longest = series.iter().max_by_key(|s| s.points.len());
    let date = |i: usize| {
        longest
            .and_then(|s| s.points.get(i))
            .map(|p| p.0.clone())
            .unwrap_or_default()
    };
    let body = html! {
        @for (k, s) in series.iter().enumerate() {
            @let colour = COLOURS.get(k % COLOURS.len()).copied().unwrap_or("#000");
            @let pts: Vec<String> = s.points.iter().enumerate()
                .map(|(i, p)| format!("{:.1},{:.1}", x_at(i, s.points.len()), y_at(p.1, max)))
                .collect();
            polyline fill="none" stroke=(colour) stroke-width="2.5" points=(pts.join(" ")) {}
            @if let Some((i, p)) = s.points.iter().enumerate().next_back() {
                circle cx=(format!("{:.1}", x_at(i, s.points.len()))) cy=(format!("{:.1}", y_at(p.1, max))) r="3.5" fill=(colour) {}
            }
            text x=(LEFT + 8.0 + 150.0 * k as f64) y=(TOP + 12.0) font-size="12" fill=(colour) { "■ " (s.name) }
        }
    };
    frame(l, title, max, &date(0), &date(n - 1), unit, body)
}

/// A bar chart of one series, in `l`.
pub fn bars(l: Language, title: &str, s: &Series<'_>, unit: &str) -> Markup {
    let n = s.points.len();
    if n == 0 {
        return empty(l, title);
    }
    let max = scale(s.points.iter().map(|p| p.1).fold(0.0, f64::max));
    let span = W - LEFT - RIGHT;
    let width = (span / n as f64 * 0.8).max(1.0);
    let first = s.points.first().map(|p| p.0.as_str()).unwrap_or_default();
    let last = s.points.last().map(|p| p.0.as_str()).unwrap_or_default();
    let body = html! {
        @for (i, p) in s.points.iter().enumerate() {
            @let x = LEFT + span * (i as f64 + 0.1) / n as f64;
            @let y = y_at(p.1, max);
            rect x=(format!("{x:.1}")) y=(format!("{y:.1}")) width=(format!("{width:.1}")) height=(format!("{:.1}", H - BOTTOM - y)) fill=(COLOURS[0]) {
                title { (p.0) ": " (number(l, p.1, unit)) }
            }
        }
    };
    frame(l, title, max, first, last, unit, body)
}

fn empty(l: Language, title: &str) -> Markup {
    html! {
        svg class="chart" viewBox={ "0 0 " (W) " 60" } role="img" aria-label=(title) xmlns="http://www.w3.org/2000/svg" {
            title { (title) }
            text x=(W / 2.0) y="35" text-anchor="middle" font-size="14" fill="#666" { (l.pick("No days rolled up yet", "Żaden dzień nie jest jeszcze podsumowany")) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(values: &[f64]) -> Vec<(String, f64)> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("2026-11-{:02}", i + 1), *v))
            .collect()
    }

    #[test]
    fn a_line_chart_draws_each_point_inside_the_frame_and_labels_its_range() {
        let s = [
            Series {
                name: "members",
                points: series(&[10.0, 20.0, 40.0]),
            },
            Series {
                name: "active",
                points: series(&[5.0, 8.0, 9.0]),
            },
        ];
        let svg = line(Language::En, "Members", &s, "").into_string();
        assert_eq!(svg.matches("<polyline").count(), 2);
        // The highest point touches the top of the plot (y 12); 10 of 40 sits a quarter of the
        // 180-unit plot above the axis (y 192).
        assert!(svg.contains("628.0,12.0"), "{svg}");
        assert!(svg.contains("84.0,147.0"), "{svg}");
        assert!(
            svg.contains(">40<") && svg.contains(">2026-11-01<") && svg.contains(">2026-11-03<")
        );
        assert!(svg.contains(r#"aria-label="Members""#));
    }

    #[test]
    fn bars_and_empty_charts_render() {
        let s = Series {
            name: "revenue",
            points: series(&[0.0, 12.5]),
        };
        let svg = bars(Language::En, "Revenue", &s, " PLN").into_string();
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains(">12.50 PLN<"), "{svg}");
        let none = line(Language::En, "Nothing", &[], "").into_string();
        assert!(none.contains("No days rolled up yet"));
        let polish = bars(Language::Pl, "Przychód", &s, " PLN").into_string();
        assert!(polish.contains(">12,50 PLN<"), "{polish}");
        let one = line(
            Language::En,
            "One",
            &[Series {
                name: "x",
                points: series(&[3.0]),
            }],
            "",
        )
        .into_string();
        assert!(one.contains("356.0,12.0"), "{one}");
    }
}
