//! Identifiers. Merchants have a 32-bit number (it travels inside scan tokens) written as
//! eight hex digits; members and scans have 128-bit random ids written as 32 hex digits.
//! All are stored as TEXT, so no id ever meets JavaScript's 2^53 number limit.

use std::fmt;

/// A merchant (tenant).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MerchantId(u32);

impl MerchantId {
    /// Wraps a merchant number.
    pub const fn new(n: u32) -> Self {
        MerchantId(n)
    }

    /// Returns the merchant number.
    pub const fn get(self) -> u32 {
        self.0
    }

    /// Parses the eight-lowercase-hex-digit form used in URLs and storage.
    pub fn parse(s: &str) -> Option<Self> {
        let digits_ok = s.len() == 8 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !digits_ok {
            return None;
        }
        u32::from_str_radix(s, 16).ok().map(MerchantId)
    }
}

impl fmt::Display for MerchantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08x}", self.0)
    }
}

/// Writes bytes as lowercase hex.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    use fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn is_hex_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

macro_rules! random_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// Makes an id from 16 random bytes supplied by the caller.
            pub fn from_random(bytes: [u8; 16]) -> Self {
                $name(to_hex(&bytes))
            }

            /// Parses the 32-lowercase-hex-digit form.
            pub fn parse(s: &str) -> Option<Self> {
                is_hex_id(s).then(|| $name(s.to_owned()))
            }

            /// Returns the stored form.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

random_id!(
    /// A member of one merchant's program (a customer's card).
    MemberId
);
random_id!(
    /// One credited scan.
    ScanId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merchant_ids_round_trip_through_text() {
        for n in [0, 1, 0xdead_beef, u32::MAX] {
            let id = MerchantId::new(n);
            assert_eq!(MerchantId::parse(&id.to_string()), Some(id));
        }
    }

    #[test]
    fn merchant_ids_reject_other_spellings() {
        for bad in [
            "",
            "0000001",
            "000000001",
            "DEADBEEF",
            "0000000g",
            "+0000001",
        ] {
            assert_eq!(MerchantId::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn member_ids_are_32_hex_digits() {
        let id = MemberId::from_random([0xab; 16]);
        assert_eq!(id.as_str(), "ab".repeat(16));
        assert_eq!(MemberId::parse(id.as_str()), Some(id));
        assert_eq!(MemberId::parse(&"AB".repeat(16)), None);
        assert_eq!(MemberId::parse("abc"), None);
    }
}
