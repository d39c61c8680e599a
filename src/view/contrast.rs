//! Colour contrast as WCAG 2.1 defines it (relative luminance, ratio), so text on a merchant's
//! own colours stays readable: the pages pick white or near-black text for each brand surface.

/// The ratio WCAG 2.1 AA asks of body text.
pub const AA_TEXT: f64 = 4.5;
/// The ratio WCAG 2.1 asks of focus rings, borders and other non-text parts (1.4.11).
pub const AA_NON_TEXT: f64 = 3.0;

/// The pages' dark text colour.
pub const INK: &str = "#1d1b19";
const WHITE: &str = "#ffffff";
const BLACK: &str = "#000000";

/// Reads `#rrggbb` (or `#rgb`) as red, green and blue.
pub fn rgb(hex: &str) -> Option<[u8; 3]> {
    let digits = hex.strip_prefix('#')?;
    let channel = |s: &str| u8::from_str_radix(s, 16).ok();
    match digits.len() {
        6 => Some([
            channel(digits.get(0..2)?)?,
            channel(digits.get(2..4)?)?,
            channel(digits.get(4..6)?)?,
        ]),
        3 => {
            let short = |i: usize| channel(digits.get(i..=i)?).map(|v| v * 17);
            Some([short(0)?, short(1)?, short(2)?])
        }
        _ => None,
    }
}

/// Returns the relative luminance of a colour (0 black .. 1 white).
pub fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let s = f64::from(c) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// Returns the contrast ratio of two colours (1 .. 21), or 1 if either is not a colour.
pub fn ratio(a: &str, b: &str) -> f64 {
    match (rgb(a), rgb(b)) {
        (Some(a), Some(b)) => {
            let (la, lb) = (luminance(a), luminance(b));
            (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
        }
        _ => 1.0,
    }
}

/// Returns the text colour for a surface of colour `background`: white when it reaches AA,
/// else the pages' ink, else black (one of white and black always reaches 4.58:1).
pub fn text_on(background: &str) -> &'static str {
    [WHITE, INK]
        .into_iter()
        .find(|c| ratio(c, background) >= AA_TEXT)
        .unwrap_or(BLACK)
}

/// Returns `color` if it stands out from `background` as a focus ring or highlight must (3:1),
/// else the pages' ink.
pub fn visible_on<'a>(color: &'a str, background: &str) -> &'a str {
    if ratio(color, background) >= AA_NON_TEXT {
        color
    } else {
        INK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.01
    }

    #[test]
    fn ratios_match_known_pairs() {
        assert!(
            close(ratio("#777777", "#ffffff"), 4.48),
            "{}",
            ratio("#777777", "#fff")
        );
        assert!(close(ratio("#000000", "#ffffff"), 21.0));
        assert!(close(ratio("#ffffff", "#ffffff"), 1.0));
        assert!(close(ratio("#767676", "#ffffff"), 4.54));
        assert!(close(ratio("#fff", "#0000ff"), 8.59));
        assert_eq!(ratio("#ffffff", "red"), 1.0, "not a colour");
    }

    #[test]
    fn text_on_any_brand_colour_reaches_aa() {
        let mut worst = f64::MAX;
        for r in (0..=255).step_by(15) {
            for g in (0..=255).step_by(15) {
                for b in (0..=255).step_by(15) {
                    let bg = format!("#{r:02x}{g:02x}{b:02x}");
                    let r = ratio(text_on(&bg), &bg);
                    assert!(r >= AA_TEXT, "{bg}: {r}");
                    worst = worst.min(r);
                }
            }
        }
        assert!(
            worst < 4.7,
            "the grid reaches the hard middle greys: {worst}"
        );
    }

    #[test]
    fn light_brands_get_dark_text_and_dark_brands_white() {
        assert_eq!(text_on("#3b2f2f"), "#ffffff");
        assert_eq!(text_on("#ffd54f"), INK);
        assert_eq!(text_on("#f6f4f1"), INK);
        assert_eq!(
            visible_on("#d4a373", "#ffffff"),
            INK,
            "the default accent is too light"
        );
        assert_eq!(visible_on("#3b2f2f", "#ffffff"), "#3b2f2f");
    }
}
