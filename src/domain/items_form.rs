//! The console's points per item (`/console/earning/items`): a table of item codes (the SKUs a
//! POS sends with an order) and the points each unit earns, read from CSV as spreadsheets
//! write it (commas or semicolons, an optional header line, quoted cells) and written back the
//! same way. Checked line by line here, then by the API's own checks
//! (`promo::check_item_rules` through `Program::try_from`).

use serde_json::Value;

use super::program::{Program, ProgramDraft};
use super::promo::{ItemRule, MAX_ITEM_RULES};
use super::setup::{redraft, FieldError, Problem};

/// The form's one field.
pub const FIELD: &str = "table";
const SKU_CHARS: usize = 64;
const MAX_POINTS: u32 = 100_000;

/// The table as CSV, a header line first.
pub fn to_csv(rules: &[ItemRule]) -> String {
    let mut out = super::csv::line(&["sku", "points"]);
    for r in rules {
        out += &super::csv::line(&[r.sku.as_str(), &r.points.to_string()]);
    }
    out
}

/// The cells of one CSV line, split at `sep` outside quotes.
fn cells(line: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => out.push(std::mem::take(&mut cell)),
            c => cell.push(c),
        }
    }
    out.push(cell);
    out.into_iter().map(|c| c.trim().to_owned()).collect()
}

fn line_no(i: usize) -> u32 {
    u32::try_from(i + 1).unwrap_or(u32::MAX)
}

/// The rules in `text`, or the first lines' problems (at most five, each naming its line).
pub fn parse_table(text: &str) -> Result<Vec<ItemRule>, Vec<FieldError>> {
    let text = text.trim_start_matches('\u{feff}');
    let sep = match text.lines().find(|l| !l.trim().is_empty()) {
        Some(first) if first.contains(';') && !first.contains(',') => ';',
        _ => ',',
    };
    let mut rules: Vec<ItemRule> = Vec::new();
    let mut errors = Vec::new();
    let mut err = |problem: Problem| {
        if errors.len() < 5 {
            errors.push(FieldError {
                field: FIELD,
                problem,
            });
        }
    };
    let mut first_line = true;
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let c = cells(raw, sep);
        let (sku, points) = match c.as_slice() {
            [sku, points] => (sku.as_str(), points.as_str()),
            [sku, points, rest @ ..] if rest.iter().all(String::is_empty) => {
                (sku.as_str(), points.as_str())
            }
            _ => {
                err(Problem::BadRow(line_no(i)));
                continue;
            }
        };
        // A header line (the first, its points not a number), in either language, is skipped.
        let first = std::mem::take(&mut first_line);
        if first && points.parse::<u32>().is_err() {
            continue;
        }
        let sku_ok = !sku.is_empty()
            && sku.chars().count() <= SKU_CHARS
            && !sku.chars().any(char::is_control);
        let points = points
            .parse::<u32>()
            .ok()
            .filter(|p| (1..=MAX_POINTS).contains(p));
        match (sku_ok, points) {
            (true, Some(_)) if rules.iter().any(|r| r.sku == sku) => {
                err(Problem::ListedTwice(line_no(i)));
            }
            (true, Some(points)) => rules.push(ItemRule {
                sku: sku.to_owned(),
                points,
            }),
            _ => err(Problem::BadRow(line_no(i))),
        }
    }
    if rules.len() > MAX_ITEM_RULES {
        err(Problem::TooMany(MAX_ITEM_RULES));
    }
    if errors.is_empty() {
        Ok(rules)
    } else {
        Err(errors)
    }
}

/// The program with the table in `text` as its points per item.
pub fn parse(program: &Program, text: &str) -> Result<ProgramDraft, Vec<FieldError>> {
    let rules = parse_table(text)?;
    let json = serde_json::to_value(&rules).unwrap_or(Value::Null);
    redraft(program, vec![("item_points", json)], &[], FIELD)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<Problem> {
        parse_table(text)
            .unwrap_err()
            .iter()
            .map(|e| e.problem)
            .collect()
    }

    #[test]
    fn a_table_reads_from_commas_or_semicolons_with_or_without_a_header() {
        let rules = parse_table("sku,points\r\nLATTE-L,5\r\n\"CAKE, CHOC\",12\r\n\r\n").unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[1].sku, "CAKE, CHOC");
        assert_eq!(rules[1].points, 12);
        let pl = parse_table("\u{feff}kod;punkty\nLATTE-L;5;\nESPRESSO;3\n").unwrap();
        assert_eq!(
            pl,
            [
                ItemRule {
                    sku: "LATTE-L".into(),
                    points: 5
                },
                ItemRule {
                    sku: "ESPRESSO".into(),
                    points: 3
                }
            ]
        );
        assert_eq!(parse_table("A1,7").unwrap()[0].points, 7, "no header");
        assert!(parse_table("").unwrap().is_empty(), "empty: no rules");
        // What is written reads back the same.
        assert_eq!(parse_table(&to_csv(&rules)).unwrap(), rules);
        let p = Program::try_from(parse(&Program::default(), "A,1\nB,2").unwrap()).unwrap();
        assert_eq!(p.item_points.len(), 2);
    }

    #[test]
    fn each_bad_line_is_named_by_its_number() {
        assert_eq!(
            problems("sku,points\nLATTE,5\nLATTE,6\nCAKE,0\nTEA\nSCONE,abc\n,4"),
            [
                Problem::ListedTwice(3),
                Problem::BadRow(4),
                Problem::BadRow(5),
                Problem::BadRow(6),
                Problem::BadRow(7),
            ]
        );
        assert_eq!(
            problems(&format!("{},1", "x".repeat(65))),
            [Problem::BadRow(1)]
        );
        assert_eq!(problems("A,100001"), [Problem::BadRow(1)]);
        let many: String = (0..=MAX_ITEM_RULES).map(|i| format!("S{i},1\n")).collect();
        assert_eq!(problems(&many), [Problem::TooMany(MAX_ITEM_RULES)]);
    }
}
