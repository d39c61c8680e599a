//! Who a phone is: the signed member cookie, and the signed ticket an enrolment form carries.
//!
//! Both are `fields.tag` where the tag is the first 16 bytes of HMAC-SHA256 under the session key,
//! base64url without padding, over a purpose label and the fields; compared in constant time.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::ids::{MemberId, MerchantId};
use super::keys::{mac, verify_truncated, SessionKey};

const TAG_BYTES: usize = 16;
/// How long an enrolment form may stay open before it must be reloaded, in seconds.
pub const TICKET_LIFETIME_SECS: i64 = 30 * 60;
/// How long the member cookie lives, in seconds (400 days, the most browsers keep).
pub const COOKIE_MAX_AGE_SECS: i64 = 400 * 86_400;

/// Returns the name of the cookie that carries a phone's membership of `merchant`.
pub fn cookie_name(merchant: MerchantId) -> String {
    format!("le_{merchant}")
}

fn tag(key: &SessionKey, parts: &[&[u8]]) -> String {
    let full = mac(&key.0, parts);
    URL_SAFE_NO_PAD.encode(full.get(..TAG_BYTES).unwrap_or_default())
}

fn tag_matches(key: &SessionKey, parts: &[&[u8]], tag: &str) -> bool {
    match URL_SAFE_NO_PAD.decode(tag) {
        Ok(bytes) if bytes.len() == TAG_BYTES => verify_truncated(&key.0, parts, &bytes),
        _ => false,
    }
}

/// Writes the member cookie's value for `member` of `merchant`.
pub fn member_cookie(key: &SessionKey, merchant: MerchantId, member: &MemberId) -> String {
    let m = merchant.to_string();
    format!(
        "{member}.{}",
        tag(
            key,
            &[b"cookie\0", m.as_bytes(), b"\0", member.as_str().as_bytes()]
        )
    )
}

/// Reads a member cookie's value, returning the member only when the tag is right.
pub fn read_member_cookie(key: &SessionKey, merchant: MerchantId, value: &str) -> Option<MemberId> {
    let (member, t) = value.split_once('.')?;
    let member = MemberId::parse(member)?;
    let m = merchant.to_string();
    tag_matches(
        key,
        &[b"cookie\0", m.as_bytes(), b"\0", member.as_str().as_bytes()],
        t,
    )
    .then_some(member)
}

/// The cookie of a staff screen signed in with an API key (sent only to `/staff`).
pub const STAFF_COOKIE: &str = "le_staff";
/// The cookie of the dashboard signed in with an API key (sent only to `/dashboard`).
pub const DASHBOARD_COOKIE: &str = "le_dash";
/// How long a staff sign-in lasts, in seconds (a long shift).
pub const STAFF_MAX_AGE_SECS: i64 = 12 * 3600;

/// Writes a staff cookie's value: the API key's id (never its secret) and when the sign-in ends
/// (Unix seconds). The key is looked up on every request, so revoking it ends the session.
pub fn staff_cookie(key: &SessionKey, key_id: &str, expires_at: i64) -> String {
    let exp = expires_at.to_string();
    format!(
        "{key_id}.{exp}.{}",
        tag(key, &[b"staff\0", key_id.as_bytes(), b"\0", exp.as_bytes()])
    )
}

/// Reads a staff cookie's value at `now` (Unix seconds): the key id, when the tag is right and
/// the sign-in has not ended.
pub fn read_staff_cookie(key: &SessionKey, value: &str, now: i64) -> Option<String> {
    let mut parts = value.splitn(3, '.');
    let (key_id, exp, t) = (parts.next()?, parts.next()?, parts.next()?);
    let expires_at: i64 = exp.parse().ok()?;
    let ok = !key_id.is_empty()
        && key_id.len() <= 64
        && key_id.bytes().all(|b| b.is_ascii_alphanumeric())
        && now < expires_at
        && tag_matches(
            key,
            &[b"staff\0", key_id.as_bytes(), b"\0", exp.as_bytes()],
            t,
        );
    ok.then(|| key_id.to_owned())
}

/// How long a browser remembers the invitation it opened, in seconds (30 days): a friend who
/// joins later through a scan in the same browser is still counted as invited.
pub const INVITE_MAX_AGE_SECS: i64 = 30 * 86_400;
/// The cookie that tells one browser from another (for the self-referral and velocity checks).
pub const DEVICE_COOKIE: &str = "le_device";

/// Returns the name of the cookie that remembers the invitation a browser opened at `merchant`.
pub fn invite_cookie_name(merchant: MerchantId) -> String {
    format!("lr_{merchant}")
}

/// Writes the invitation cookie's value for `code` at `merchant`.
pub fn invite_cookie(key: &SessionKey, merchant: MerchantId, code: &str) -> String {
    let m = merchant.to_string();
    format!(
        "{code}.{}",
        tag(key, &[b"invite\0", m.as_bytes(), b"\0", code.as_bytes()])
    )
}

/// Reads an invitation cookie, returning the code only when the tag is right.
pub fn read_invite_cookie(key: &SessionKey, merchant: MerchantId, value: &str) -> Option<String> {
    let (code, t) = value.split_once('.')?;
    let code = super::referral::parse_code(code)?;
    let m = merchant.to_string();
    tag_matches(key, &[b"invite\0", m.as_bytes(), b"\0", code.as_bytes()], t).then_some(code)
}

/// Proof that this Worker showed an enrolment form for `merchant` at `issued_at`, reserving the
/// id of the member it may create (so a double submit creates one member, not two).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub merchant: MerchantId,
    pub member: MemberId,
    /// Unix seconds.
    pub issued_at: i64,
}

/// Why a ticket was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketError {
    /// Altered, truncated or not ours.
    Invalid,
    /// Older than [`TICKET_LIFETIME_SECS`].
    Expired,
}

impl Ticket {
    /// Writes the ticket as `merchant.member.issued_at.tag`.
    pub fn sign(&self, key: &SessionKey) -> String {
        let body = format!("{}.{}.{}", self.merchant, self.member, self.issued_at);
        let t = tag(key, &[b"ticket\0", body.as_bytes()]);
        format!("{body}.{t}")
    }

    /// Reads a ticket, checking its tag and its age at Unix second `now`.
    pub fn verify(key: &SessionKey, raw: &str, now: i64) -> Result<Ticket, TicketError> {
        let (body, t) = raw.rsplit_once('.').ok_or(TicketError::Invalid)?;
        if body.len() > 64 || !tag_matches(key, &[b"ticket\0", body.as_bytes()], t) {
            return Err(TicketError::Invalid);
        }
        let mut parts = body.split('.');
        let (Some(m), Some(member), Some(at), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TicketError::Invalid);
        };
        let ticket = Ticket {
            merchant: MerchantId::parse(m).ok_or(TicketError::Invalid)?,
            member: MemberId::parse(member).ok_or(TicketError::Invalid)?,
            issued_at: at.parse().map_err(|_| TicketError::Invalid)?,
        };
        if now - ticket.issued_at > TICKET_LIFETIME_SECS || ticket.issued_at > now + 60 {
            return Err(TicketError::Expired);
        }
        Ok(ticket)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staff_cookie_reads_back_until_it_ends_and_not_when_changed() {
        let key = SessionKey([7; 32]);
        let v = staff_cookie(&key, "0123abcd4567ef01", 1_000);
        assert_eq!(
            read_staff_cookie(&key, &v, 999).as_deref(),
            Some("0123abcd4567ef01")
        );
        assert_eq!(read_staff_cookie(&key, &v, 1_000), None, "ended");
        let longer = v.replacen(".1000.", ".9999.", 1);
        assert_eq!(
            read_staff_cookie(&key, &longer, 999),
            None,
            "extended by hand"
        );
        let other = SessionKey([8; 32]);
        assert_eq!(read_staff_cookie(&other, &v, 999), None);
        assert_eq!(read_staff_cookie(&key, "garbage", 0), None);
    }
    use crate::domain::keys::MasterSecret;

    fn key() -> SessionKey {
        MasterSecret::parse("test master secret, 32 bytes or more")
            .unwrap()
            .session_key()
    }

    #[test]
    fn a_member_cookie_reads_back_only_for_its_merchant() {
        let member = MemberId::from_random([1; 16]);
        let value = member_cookie(&key(), MerchantId::new(1), &member);
        assert_eq!(
            read_member_cookie(&key(), MerchantId::new(1), &value),
            Some(member)
        );
        assert_eq!(read_member_cookie(&key(), MerchantId::new(2), &value), None);
    }

    #[test]
    fn altered_cookies_are_ignored() {
        let value = member_cookie(&key(), MerchantId::new(1), &MemberId::from_random([1; 16]));
        let other = MemberId::from_random([2; 16]);
        let swapped = format!("{other}{}", &value[32..]);
        for bad in [
            &swapped,
            &value[..value.len() - 1],
            "",
            ".",
            "x.y",
            &format!("{value}A"),
        ] {
            assert_eq!(
                read_member_cookie(&key(), MerchantId::new(1), bad),
                None,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn invite_cookies_read_back_only_for_their_merchant_and_code() {
        let v = invite_cookie(&key(), MerchantId::new(1), "abcdefgh");
        assert_eq!(
            read_invite_cookie(&key(), MerchantId::new(1), &v).as_deref(),
            Some("abcdefgh")
        );
        assert_eq!(read_invite_cookie(&key(), MerchantId::new(2), &v), None);
        let swapped = v.replacen("abcdefgh", "abcdefgj", 1);
        assert_eq!(
            read_invite_cookie(&key(), MerchantId::new(1), &swapped),
            None
        );
    }

    #[test]
    fn tickets_round_trip_and_expire() {
        let t = Ticket {
            merchant: MerchantId::new(7),
            member: MemberId::from_random([3; 16]),
            issued_at: 1_000,
        };
        let raw = t.sign(&key());
        assert_eq!(
            Ticket::verify(&key(), &raw, 1_000 + TICKET_LIFETIME_SECS),
            Ok(t)
        );
        assert_eq!(
            Ticket::verify(&key(), &raw, 1_001 + TICKET_LIFETIME_SECS),
            Err(TicketError::Expired)
        );
        let tampered = raw.replacen("00000007", "00000008", 1);
        assert_eq!(
            Ticket::verify(&key(), &tampered, 1_000),
            Err(TicketError::Invalid)
        );
        assert_eq!(
            Ticket::verify(&key(), "garbage", 1_000),
            Err(TicketError::Invalid)
        );
    }

    proptest::proptest! {
        #[test]
        fn cookies_and_tickets_read_back_and_no_changed_character_does(
            merchant: u32, member: [u8; 16], key_id in "[a-z0-9]{1,64}", ends_in in 1i64..100_000,
            age in 0i64..=TICKET_LIFETIME_SECS, at: usize, with in proptest::char::any(),
        ) {
            let (key, merchant, member) = (key(), MerchantId::new(merchant), MemberId::from_random(member));
            let now = 1_800_000_000;
            let change = |s: &str| {
                let mut chars: Vec<char> = s.chars().collect();
                let i = at % chars.len();
                (chars[i] != with).then(|| { chars[i] = with; chars.into_iter().collect::<String>() })
            };
            let cookie = member_cookie(&key, merchant, &member);
            proptest::prop_assert_eq!(read_member_cookie(&key, merchant, &cookie), Some(member.clone()));
            if let Some(bad) = change(&cookie) {
                proptest::prop_assert_eq!(read_member_cookie(&key, merchant, &bad), None);
            }
            let staff = staff_cookie(&key, &key_id, now + ends_in);
            proptest::prop_assert_eq!(read_staff_cookie(&key, &staff, now), Some(key_id));
            proptest::prop_assert_eq!(read_staff_cookie(&key, &staff, now + ends_in), None);
            if let Some(bad) = change(&staff) {
                proptest::prop_assert_eq!(read_staff_cookie(&key, &bad, now), None);
            }
            let ticket = Ticket { merchant, member, issued_at: now - age };
            let raw = ticket.sign(&key);
            proptest::prop_assert_eq!(Ticket::verify(&key, &raw, now), Ok(ticket));
            if let Some(bad) = change(&raw) {
                proptest::prop_assert_eq!(Ticket::verify(&key, &bad, now), Err(TicketError::Invalid));
            }
        }
    }
}
