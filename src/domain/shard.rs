//! Where a merchant's data lives when one D1 database is not enough. A D1 database is a single
//! writer, so a deployment may bind several (`DB`, `DB_2`, ...) and place each merchant, with all
//! its rows, in exactly one of them. The rule is stable and needs no lookup: the first byte of
//! the merchant number (the first two hex digits of its id) names a bucket, and the shard map
//! gives each of the 256 buckets to one binding, as contiguous ranges:
//!
//! ```text
//! D1_SHARDS = "DB=00-7f,DB_2=80-ff"
//! ```
//!
//! Without `D1_SHARDS`, everything is in `DB`. Splitting a shard later means moving the merchants
//! of a bucket range to a new database and then changing the map (ARCHITECTURE.md, "Past one
//! database"); no merchant id changes. API keys are placed by the same rule: a key id begins with
//! its merchant's id, so a request with only a key in hand finds the right shard at once.

use super::ids::MerchantId;

/// Buckets: the values of the merchant number's first byte.
pub const BUCKETS: usize = 256;

/// The shard map: binding names, and the binding of each bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardMap {
    names: Vec<String>,
    /// For each bucket, the index of its binding in `names`.
    owner: Vec<u8>,
}

/// Why a shard map was refused (the message names the part at fault).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapError(pub String);

impl std::fmt::Display for MapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl ShardMap {
    /// One database holds every merchant.
    pub fn single(name: &str) -> ShardMap {
        ShardMap {
            names: vec![name.to_owned()],
            owner: vec![0; BUCKETS],
        }
    }

    /// Reads `NAME=lo-hi,NAME=lo-hi,...`: hex bucket ranges (inclusive) that together cover
    /// 00-ff exactly once. A binding may own several ranges; names are Worker binding names.
    pub fn parse(text: &str) -> Result<ShardMap, MapError> {
        let mut names: Vec<String> = Vec::new();
        let mut owner: Vec<Option<u8>> = vec![None; BUCKETS];
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let err = |why: &str| MapError(format!("`{part}`: {why}"));
            let (name, range) = part
                .split_once('=')
                .ok_or_else(|| err("write NAME=lo-hi, e.g. DB_2=80-ff"))?;
            let name = name.trim();
            let name_ok = !name.is_empty()
                && name.len() <= 64
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if !name_ok {
                return Err(err("a binding name is letters, digits and _"));
            }
            let (lo, hi) = range
                .trim()
                .split_once('-')
                .and_then(|(lo, hi)| Some((bucket(lo)?, bucket(hi)?)))
                .ok_or_else(|| err("a range is two hex bytes, lo-hi, e.g. 00-7f"))?;
            if lo > hi {
                return Err(err("a range starts at or below its end"));
            }
            let index = match names.iter().position(|n| n == name) {
                Some(i) => i,
                None => {
                    names.push(name.to_owned());
                    names.len() - 1
                }
            };
            let index = u8::try_from(index).map_err(|_| err("at most 255 bindings"))?;
            for b in lo..=hi {
                let slot = owner
                    .get_mut(usize::from(b))
                    .ok_or_else(|| err("a bucket is 00 to ff"))?;
                if slot.is_some() {
                    return Err(err(&format!("bucket {b:02x} is already placed")));
                }
                *slot = Some(index);
            }
        }
        if names.is_empty() {
            return Err(MapError("name at least one binding, e.g. DB=00-ff".into()));
        }
        let owner = owner
            .into_iter()
            .enumerate()
            .map(|(b, o)| o.ok_or_else(|| MapError(format!("bucket {b:02x} has no binding"))))
            .collect::<Result<Vec<u8>, MapError>>()?;
        Ok(ShardMap { names, owner })
    }

    /// The binding names, in the order first named.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The index (into `names`) of the shard that holds `merchant`.
    pub fn shard_of(&self, merchant: MerchantId) -> usize {
        let bucket = usize::from(merchant.get().to_be_bytes()[0]);
        self.owner.get(bucket).map_or(0, |&i| usize::from(i))
    }
}

fn bucket(hex: &str) -> Option<u8> {
    let hex = hex.trim();
    (hex.len() == 2)
        .then(|| u8::from_str_radix(hex, 16).ok())
        .flatten()
}

/// The merchant an API key id names: its first eight hex digits (see `apikey::generate`).
/// Keys made before sharding have random ids; their first digits name some merchant number
/// that may not be theirs, so callers look elsewhere when the key is not on that shard.
pub fn merchant_of_key(key_id: &str) -> Option<MerchantId> {
    key_id.get(..8).and_then(MerchantId::parse)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_default_map_puts_everyone_in_one_database() {
        let map = ShardMap::single("DB");
        assert_eq!(map.names(), ["DB"]);
        assert_eq!(map.shard_of(MerchantId::new(0xffff_ffff)), 0);
    }

    #[test]
    fn ranges_place_merchants_by_their_first_byte() {
        let map = ShardMap::parse("DB=00-7f, DB_2=80-ff").unwrap();
        assert_eq!(map.names(), ["DB", "DB_2"]);
        assert_eq!(map.shard_of(MerchantId::new(0x7fff_ffff)), 0);
        assert_eq!(map.shard_of(MerchantId::new(0x8000_0000)), 1);
        let split = ShardMap::parse("DB=00-3f,DB_3=40-7f,DB=80-ff").unwrap();
        assert_eq!(split.names(), ["DB", "DB_3"]);
        assert_eq!(split.shard_of(MerchantId::new(0x4000_0001)), 1);
        assert_eq!(split.shard_of(MerchantId::new(0x8000_0001)), 0);
    }

    #[test]
    fn bad_maps_name_their_fault() {
        for (text, fault) in [
            ("", "name at least one binding"),
            ("DB=00-7f", "bucket 80 has no binding"),
            ("DB=00-ff,DB_2=80-ff", "bucket 80 is already placed"),
            ("DB=7f-00", "starts at or below"),
            ("DB=0-ff", "two hex bytes"),
            ("DB:00-ff", "write NAME=lo-hi"),
            ("D B=00-ff", "letters, digits"),
        ] {
            let err = ShardMap::parse(text).unwrap_err();
            assert!(err.0.contains(fault), "{text}: {err}");
        }
    }

    #[test]
    fn key_ids_name_their_merchant() {
        assert_eq!(
            merchant_of_key("80000001a1b2c3d4"),
            Some(MerchantId::new(0x8000_0001))
        );
        assert_eq!(merchant_of_key("8000"), None);
        assert_eq!(merchant_of_key("zz000001a1b2c3d4"), None);
    }

    proptest! {
        /// Any split point gives every merchant exactly one shard, the one its range names.
        #[test]
        fn a_two_way_split_places_each_merchant_once(split in 1u8..=255, n: u32) {
            let map = ShardMap::parse(&format!("A=00-{:02x},B={split:02x}-ff", split - 1)).unwrap();
            let expected = usize::from(n.to_be_bytes()[0] >= split);
            prop_assert_eq!(map.shard_of(MerchantId::new(n)), expected);
        }
    }
}
