//! A request path as the router reads it: split into segments, each percent-decoded exactly
//! once, so `welcome%3Aabc` and `welcome:abc` name the same message on every route.

use percent_encoding::percent_decode_str;

/// Splits `path` (as the URL carries it, still percent-encoded) into decoded segments; `None`
/// when a segment does not decode to UTF-8 (no route can match it).
pub fn segments(path: &str) -> Option<Vec<String>> {
    path.trim_start_matches('/')
        .split('/')
        .map(|s| {
            percent_decode_str(s)
                .decode_utf8()
                .ok()
                .map(|d| d.into_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_decoded_once() {
        let cases: [(&str, &[&str]); 6] = [
            (
                "/api/v1/messages/welcome:ab12",
                &["api", "v1", "messages", "welcome:ab12"],
            ),
            (
                "/api/v1/messages/welcome%3Aab12",
                &["api", "v1", "messages", "welcome:ab12"],
            ),
            (
                "/api/v1/messages/welcome%3aab12",
                &["api", "v1", "messages", "welcome:ab12"],
            ),
            // Decoded once: an encoded percent stays a percent sign.
            ("/api/v1/members/a%253A", &["api", "v1", "members", "a%3A"]),
            // An encoded slash is part of its segment, never a separator.
            ("/c/ab%2Fcd", &["c", "ab/cd"]),
            ("/", &[""]),
        ];
        for (path, want) in cases {
            assert_eq!(segments(path).unwrap(), want, "{path}");
        }
    }

    #[test]
    fn a_segment_that_is_not_utf8_matches_nothing() {
        assert_eq!(segments("/api/v1/members/%FF"), None);
    }
}
