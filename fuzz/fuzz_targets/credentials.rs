//! What a browser or a POS presents as proof: API keys (`domain::apikey`), the member, staff and
//! invitation cookies and the enrolment ticket (`domain::session`).
//! - The input as presented: a key that parses is exactly `lek_<16 hex>_<32 base64url>`; a
//!   cookie or ticket that reads back is exactly what the Worker writes for what it returned.
//! - Values made here from the input's bytes read back, and no one-character change does
//!   (apart from the letter case of an invitation code, which codes ignore by design).
#![no_main]

use libfuzzer_sys::fuzz_target;
use loyalty_edge::domain::apikey::{self, constant_time_eq};
use loyalty_edge::domain::ids::{MemberId, MerchantId};
use loyalty_edge::domain::keys::SessionKey;
use loyalty_edge::domain::referral;
use loyalty_edge::domain::session::{
    invite_cookie, member_cookie, read_invite_cookie, read_member_cookie, read_staff_cookie,
    staff_cookie, Ticket, TicketError, TICKET_LIFETIME_SECS,
};
use loyalty_edge::domain::shard;
use loyalty_edge_fuzz::{master, mutate_char, Bytes, NOW};

const MERCHANT: MerchantId = MerchantId::new(0x0000_0007);

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let key = master().session_key();
    presented(&key, &text);
    made_here(&key, data);
});

fn presented(key: &SessionKey, text: &str) {
    if let Some(p) = apikey::parse(text) {
        assert_eq!(text.len(), 4 + 16 + 1 + 32);
        assert_eq!(p.id, &text[4..20]);
        assert!(p.matches(&apikey::hash(&text[21..])));
        assert!(!p.matches(&apikey::hash(&format!("{}x", &text[21..]))));
    }
    if let Some(m) = read_member_cookie(key, MERCHANT, text) {
        assert_eq!(member_cookie(key, MERCHANT, &m), text);
    }
    if let Some(id) = read_staff_cookie(key, text, NOW) {
        let exp: i64 = text
            .split('.')
            .nth(1)
            .and_then(|e| e.parse().ok())
            .expect("exp");
        assert!(NOW < exp);
        assert_eq!(staff_cookie(key, &id, exp), text);
    }
    if let Some(code) = read_invite_cookie(key, MERCHANT, text) {
        let canonical = invite_cookie(key, MERCHANT, &code);
        assert_eq!(canonical.to_ascii_lowercase(), text.to_ascii_lowercase());
    }
    if let Ok(t) = Ticket::verify(key, text, NOW) {
        assert_eq!(t.sign(key), text);
        assert!(NOW - t.issued_at <= TICKET_LIFETIME_SECS && t.issued_at <= NOW + 60);
    }
    let a = text.as_bytes();
    let b = a.iter().rev().copied().collect::<Vec<_>>();
    assert_eq!(constant_time_eq(a, &b), a == b.as_slice());
}

fn made_here(key: &SessionKey, data: &[u8]) {
    let mut b = Bytes(data);
    let (id, secret): ([u8; 4], [u8; 24]) = (b.array(), b.array());
    let member = MemberId::from_random(b.array());
    let merchant = MerchantId::new(b.u32());
    let (at, with) = (usize::from(b.u16()), char::from(b.u8()));
    let age = i64::from(b.u16() % 2400);
    let key_id: String = b
        .array::<16>()
        .iter()
        .map(|c| char::from(b"0123456789abcdefghijklmnopqrstuvwxyz"[usize::from(*c % 36)]))
        .collect();
    let code = referral::new_code(b.array());

    let k = apikey::generate(merchant, id, secret);
    let p = apikey::parse(&k.full).expect("a generated key parses");
    assert!(p.id == k.id && p.matches(&k.secret_hash));
    assert_eq!(
        shard::merchant_of_key(p.id),
        Some(merchant),
        "a key names its merchant"
    );
    if let Some(changed) = mutate_char(&k.full, at, with) {
        let still = apikey::parse(&changed).is_some_and(|p| p.matches(&k.secret_hash));
        let id_changed = changed.get(..20) != k.full.get(..20);
        assert!(
            !still || id_changed,
            "{changed} matches the hash of {}",
            k.full
        );
    }

    let cookie = member_cookie(key, merchant, &member);
    assert_eq!(
        read_member_cookie(key, merchant, &cookie),
        Some(member.clone())
    );
    assert_eq!(
        read_member_cookie(key, MerchantId::new(merchant.get() ^ 1), &cookie),
        None
    );
    if let Some(changed) = mutate_char(&cookie, at, with) {
        assert_eq!(
            read_member_cookie(key, merchant, &changed),
            None,
            "{changed}"
        );
    }

    let staff = staff_cookie(key, &key_id, NOW + 1 + age);
    assert_eq!(
        read_staff_cookie(key, &staff, NOW).as_deref(),
        Some(&*key_id)
    );
    assert_eq!(read_staff_cookie(key, &staff, NOW + 1 + age), None, "ended");
    if let Some(changed) = mutate_char(&staff, at, with) {
        assert_eq!(read_staff_cookie(key, &changed, NOW), None, "{changed}");
    }

    let invite = invite_cookie(key, merchant, &code);
    assert_eq!(
        read_invite_cookie(key, merchant, &invite).as_deref(),
        Some(&*code)
    );
    if let Some(changed) = mutate_char(&invite, at, with) {
        if let Some(read) = read_invite_cookie(key, merchant, &changed) {
            assert_eq!(read, code);
            assert!(
                changed.eq_ignore_ascii_case(&invite),
                "{changed} read as {read}"
            );
        }
    }

    let ticket = Ticket {
        merchant,
        member,
        issued_at: NOW - age,
    };
    let raw = ticket.sign(key);
    let verified = Ticket::verify(key, &raw, NOW);
    if age <= TICKET_LIFETIME_SECS {
        assert_eq!(verified, Ok(ticket));
    } else {
        assert_eq!(verified, Err(TicketError::Expired));
    }
    if let Some(changed) = mutate_char(&raw, at, with) {
        assert_eq!(
            Ticket::verify(key, &changed, NOW),
            Err(TicketError::Invalid),
            "{changed}"
        );
    }
}
