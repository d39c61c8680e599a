//! Engagement channels: where a scan or an enrolment came from, for the channel review.

use super::token::ScanKind;

/// A place a customer met the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Counter,
    Poster,
    Receipt,
    Email,
    Social,
    Website,
    App,
    Referral,
}

impl Channel {
    /// Every channel, in the order reports list them.
    pub const ALL: [Channel; 8] = [
        Channel::Counter,
        Channel::Poster,
        Channel::Receipt,
        Channel::Email,
        Channel::Social,
        Channel::Website,
        Channel::App,
        Channel::Referral,
    ];

    /// Returns the stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Counter => "counter",
            Channel::Poster => "poster",
            Channel::Receipt => "receipt",
            Channel::Email => "email",
            Channel::Social => "social",
            Channel::Website => "website",
            Channel::App => "app",
            Channel::Referral => "referral",
        }
    }

    /// Parses a stored name or a link's `c` parameter.
    pub fn parse(s: &str) -> Option<Self> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Picks the channel of a scan: the link's `c` parameter when it names one, else the token's kind
    /// (a poster for visits, the counter for everything signed per sale).
    pub fn of_scan(kind: ScanKind, link_param: Option<&str>) -> Self {
        link_param.and_then(Channel::parse).unwrap_or(match kind {
            ScanKind::Visit => Channel::Poster,
            _ => Channel::Counter,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        assert_eq!(Channel::parse("tv"), None);
    }

    #[test]
    fn a_scan_takes_the_link_channel_or_falls_back_to_its_kind() {
        assert_eq!(Channel::of_scan(ScanKind::Visit, None), Channel::Poster);
        assert_eq!(
            Channel::of_scan(ScanKind::Points(1), None),
            Channel::Counter
        );
        assert_eq!(
            Channel::of_scan(ScanKind::Visit, Some("receipt")),
            Channel::Receipt
        );
        assert_eq!(
            Channel::of_scan(ScanKind::Visit, Some("nonsense")),
            Channel::Poster
        );
    }
}
