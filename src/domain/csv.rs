//! CSV as spreadsheets read it (RFC 4180): each cell quoted when it must be, and a cell that a
//! spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return first)
//! prefixed with `'`, so a customer's name can never become a formula on the owner's computer.

/// One cell, escaped.
pub fn cell(value: &str) -> String {
    let guarded = match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// One line of cells, ended by CRLF.
pub fn line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out = cells
        .iter()
        .map(|c| cell(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_when_they_must_be_and_never_run_as_formulas() {
        assert_eq!(cell("Ola"), "Ola");
        assert_eq!(cell("Nowak, Ola"), "\"Nowak, Ola\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+48 600 100 200"), "'+48 600 100 200");
        assert_eq!(cell("-5"), "'-5");
        assert_eq!(cell("@sum"), "'@sum");
        assert_eq!(line(&["a", "b,c"]), "a,\"b,c\"\r\n");
    }
}
