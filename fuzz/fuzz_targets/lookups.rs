//! The small parsers of paths, query strings, headers and cookies: ids, the member search,
//! page cursors, `Idempotency-Key`, invitation codes, device cookies, client networks and the
//! stored names of channels, message kinds, languages, scopes and referral reasons. Whatever
//! parses is already in normal form (parsing it again gives it back) and prints as it was read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loyalty_edge::domain::apikey::Scope;
use loyalty_edge::domain::channel::Channel;
use loyalty_edge::domain::idempotency::parse_key;
use loyalty_edge::domain::ids::{MemberId, MerchantId, ScanId};
use loyalty_edge::domain::messages::{is_message_id, Kind, Language};
use loyalty_edge::domain::referral::{network_key, parse_code, parse_device, Reason};
use loyalty_edge::domain::search::{cursor, parse_cursor, Query};
use loyalty_edge::domain::shard::ShardMap;
use loyalty_edge::domain::webhook::{normalise_email, normalise_phone};

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let s = &*s;
    ids(s);
    search(s);
    if let Ok(k) = parse_key(Some(s)) {
        assert!((1..=255).contains(&k.len()));
        assert_eq!(parse_key(Some(&k)), Ok(k.clone()));
        assert_eq!(parse_key(Some(&format!("\"{k}\""))), Ok(k));
    }
    if let Some(c) = parse_code(s) {
        assert_eq!(parse_code(&c).as_deref(), Some(&*c));
        assert!(c.eq_ignore_ascii_case(s));
    }
    if let Some(d) = parse_device(s) {
        assert_eq!(parse_device(&d).as_deref(), Some(&*d));
    }
    if let Some(n) = network_key(s) {
        assert!(n.len() == 24 && n.bytes().all(|b| b.is_ascii_hexdigit()));
        if let Ok(std::net::IpAddr::V4(v4)) = s.parse::<std::net::IpAddr>() {
            let [a, b, c, d] = v4.octets();
            let neighbour = format!("{a}.{b}.{c}.{}", d ^ 1);
            assert_eq!(network_key(&neighbour), Some(n), "a /24 is one network");
        }
    }
    names(s);
    shards(s);
});

/// A shard map that parses gives every merchant exactly one of its named bindings, and reads
/// back from a map written out bucket by bucket.
fn shards(s: &str) {
    let Ok(map) = ShardMap::parse(s) else { return };
    let names = map.names();
    assert!(!names.is_empty());
    let owner = |b: u32| map.shard_of(MerchantId::new(b << 24 | 0x00ab_cdef));
    let spelled: Vec<String> = (0..256u32)
        .map(|b| {
            let i = owner(b);
            assert!(i < names.len(), "bucket {b:02x} -> {i} of {names:?}");
            format!("{}={b:02x}-{b:02x}", names[i])
        })
        .collect();
    let again = ShardMap::parse(&spelled.join(",")).expect("a spelled-out map parses");
    for b in 0..256u32 {
        assert_eq!(
            again.names()[again.shard_of(MerchantId::new(b << 24))],
            names[owner(b)]
        );
    }
}

fn ids(s: &str) {
    if let Some(m) = MerchantId::parse(s) {
        assert_eq!(m.to_string(), s);
    }
    for shown in [
        MemberId::parse(s).map(|m| m.to_string()),
        ScanId::parse(s).map(|m| m.to_string()),
    ]
    .into_iter()
    .flatten()
    {
        assert_eq!(shown, s);
    }
}

fn search(s: &str) {
    match Query::parse(Some(s)) {
        None | Some(Query::All) => {}
        Some(Query::Email(e)) => assert_eq!(normalise_email(&e).as_deref(), Some(&*e)),
        Some(Query::Phone(p)) => assert_eq!(normalise_phone(&p).as_deref(), Some(&*p)),
        Some(Query::Code(c)) => {
            assert!((8..=32).contains(&c.len()));
            assert!(c.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
        }
        Some(Query::Name(n)) => {
            // Every LIKE wildcard is escaped: unescaping gives the trimmed query back.
            let mut plain = String::new();
            let mut chars = n.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => plain.push(chars.next().expect("an escape escapes something")),
                    '%' | '_' => panic!("an unescaped wildcard in {n:?}"),
                    c => plain.push(c),
                }
            }
            assert_eq!(plain, s.trim());
        }
    }
    if let Some((t, id)) = parse_cursor(s) {
        assert_eq!(parse_cursor(&cursor(t, &id)), Some((t, id)));
    }
    if MemberId::parse(s).is_some() {
        for t in [0, -1, i64::MAX, i64::MIN, 1_795_000_000_000] {
            assert_eq!(parse_cursor(&cursor(t, s)), Some((t, s.to_owned())));
        }
    }
    let _ = is_message_id(s);
}

fn names(s: &str) {
    if let Some(c) = Channel::parse(s) {
        assert_eq!(c.as_str(), s);
    }
    if let Some(k) = Kind::parse(s) {
        assert_eq!(k.as_str(), s);
    }
    if let Some(l) = Language::parse(s) {
        assert_eq!(l.as_str(), s);
    }
    if let Some(scope) = Scope::parse(s) {
        assert_eq!(scope.as_str(), s);
    }
    if let Some(r) = Reason::parse(s) {
        assert_eq!(r.code(), s);
    }
}
