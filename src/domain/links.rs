//! Signed links in the messages we send: one-click unsubscribe (a member, a channel), and the
//! open pixel and click links of one message (a message, and for a click where it goes).
//!
//! A link carries its facts in the clear and a 128-bit HMAC tag over them with a key derived
//! for links only, so nobody can make one for another member, channel or target, and a link
//! works without anyone signing in. Unsubscribe links do not expire: RFC 8058 expects the link
//! in an old message to work.

use super::keys::{mac, LinkKey};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// A channel a member can turn marketing (or service messages) off on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Via {
    Push,
    Email,
    /// The merchant's own sender (SMS or their tools), through their webhook.
    Webhook,
}

impl Via {
    pub const ALL: [Via; 3] = [Via::Push, Via::Email, Via::Webhook];

    pub fn as_str(self) -> &'static str {
        match self {
            Via::Push => "push",
            Via::Email => "email",
            Via::Webhook => "webhook",
        }
    }

    pub fn parse(s: &str) -> Option<Via> {
        Via::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The letter a link writes for the channel.
    fn letter(self) -> char {
        match self {
            Via::Push => 'p',
            Via::Email => 'e',
            Via::Webhook => 'w',
        }
    }

    fn from_letter(c: &str) -> Option<Via> {
        Via::ALL.into_iter().find(|v| v.letter().to_string() == c)
    }
}

/// Longest id a link carries (member and message ids are far shorter).
const MAX_ID: usize = 120;

fn tag(key: &LinkKey, purpose: &str, parts: &[&str]) -> String {
    let mut input: Vec<&[u8]> = vec![purpose.as_bytes()];
    for p in parts {
        input.push(&[0]);
        input.push(p.as_bytes());
    }
    let full = mac(&key.0, &input);
    URL_SAFE_NO_PAD.encode(full.get(..16).unwrap_or_default())
}

fn tags_equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

fn id_ok(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'))
}

/// An unsubscribe link's facts: this member, this channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsubscribe {
    pub member: String,
    pub via: Via,
}

/// Writes the token of an unsubscribe link: `<member>.<channel letter>.<tag>`.
pub fn unsubscribe_token(key: &LinkKey, merchant: &str, member: &str, via: Via) -> String {
    let letter = via.letter().to_string();
    let t = tag(key, "unsubscribe", &[merchant, member, &letter]);
    format!("{member}.{letter}.{t}")
}

/// Reads an unsubscribe token; `None` for anything we did not sign.
pub fn read_unsubscribe(key: &LinkKey, merchant: &str, token: &str) -> Option<Unsubscribe> {
    let mut parts = token.split('.');
    let (member, letter, t) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !id_ok(member) {
        return None;
    }
    let via = Via::from_letter(letter)?;
    tags_equal(t, &tag(key, "unsubscribe", &[merchant, member, letter])).then(|| Unsubscribe {
        member: member.to_string(),
        via,
    })
}

/// Writes the token that names one delivered message, for its open pixel and push clicks.
pub fn message_token(key: &LinkKey, merchant: &str, message: &str) -> String {
    let id = URL_SAFE_NO_PAD.encode(message);
    format!("{id}.{}", tag(key, "message", &[merchant, message]))
}

/// Reads a message token back to the message id.
pub fn read_message(key: &LinkKey, merchant: &str, token: &str) -> Option<String> {
    let (id, t) = token.split_once('.')?;
    let message = String::from_utf8(URL_SAFE_NO_PAD.decode(id).ok()?).ok()?;
    (id_ok(&message) && tags_equal(t, &tag(key, "message", &[merchant, &message])))
        .then_some(message)
}

/// Writes the token of a click link: the message and where the link goes, signed together, so
/// a link can only ever lead where the message pointed.
pub fn click_token(key: &LinkKey, merchant: &str, message: &str, target: &str) -> String {
    let id = URL_SAFE_NO_PAD.encode(message);
    let to = URL_SAFE_NO_PAD.encode(target);
    format!(
        "{id}.{to}.{}",
        tag(key, "click", &[merchant, message, target])
    )
}

/// Reads a click token: the message id and the target.
pub fn read_click(key: &LinkKey, merchant: &str, token: &str) -> Option<(String, String)> {
    let mut parts = token.split('.');
    let (id, to, t) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || to.len() > 4096 {
        return None;
    }
    let message = String::from_utf8(URL_SAFE_NO_PAD.decode(id).ok()?).ok()?;
    let target = String::from_utf8(URL_SAFE_NO_PAD.decode(to).ok()?).ok()?;
    (id_ok(&message) && tags_equal(t, &tag(key, "click", &[merchant, &message, &target])))
        .then_some((message, target))
}

/// Where a click may lead: a path on our own origin, or a page of the merchant's own website
/// (same host, https). Anything else is refused even with a good tag: no open redirect.
pub fn safe_target(target: &str, website: Option<&str>) -> bool {
    if let Some(path) = target.strip_prefix('/') {
        return !path.starts_with('/')
            && !path.starts_with('\\')
            && !target.chars().any(|c| c.is_control() || c == '\\');
    }
    let host = |u: &str| -> Option<String> {
        let rest = u.strip_prefix("https://")?;
        let authority = rest.split(['/', '?', '#']).next()?;
        if authority.is_empty() || authority.contains('@') || authority.contains('\\') {
            return None;
        }
        Some(authority.to_ascii_lowercase())
    };
    match (host(target), website.and_then(host)) {
        (Some(a), Some(b)) => {
            a == b && !target.chars().any(|c| c.is_control() || c.is_whitespace())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(b: u8) -> LinkKey {
        LinkKey([b; 32])
    }

    #[test]
    fn an_unsubscribe_token_names_one_member_and_channel() {
        let t = unsubscribe_token(&key(1), "7", "mem_abc", Via::Email);
        assert_eq!(read_unsubscribe(&key(1), "8", &t), None, "another merchant");
        assert_eq!(
            read_unsubscribe(&key(1), "7", &t),
            Some(Unsubscribe {
                member: "mem_abc".into(),
                via: Via::Email
            })
        );
        // Another key, another channel or another member: refused.
        assert_eq!(read_unsubscribe(&key(2), "7", &t), None);
        assert_eq!(
            read_unsubscribe(&key(1), "7", &t.replacen(".e.", ".p.", 1)),
            None
        );
        assert_eq!(
            read_unsubscribe(&key(1), "7", &t.replacen("mem_abc", "mem_abd", 1)),
            None
        );
        assert_eq!(read_unsubscribe(&key(1), "7", &format!("{t}.x")), None);
    }

    #[test]
    fn click_tokens_bind_the_target() {
        let t = click_token(&key(1), "7", "welcome:m1", "/c/1");
        assert_eq!(
            read_click(&key(1), "7", &t),
            Some(("welcome:m1".into(), "/c/1".into()))
        );
        assert_eq!(read_click(&key(1), "8", &t), None);
        let (id, rest) = t.split_once('.').unwrap();
        let (_, sig) = rest.split_once('.').unwrap();
        let forged = format!(
            "{id}.{}.{sig}",
            URL_SAFE_NO_PAD.encode("https://evil.example")
        );
        assert_eq!(read_click(&key(1), "7", &forged), None);
        let m = message_token(&key(1), "7", "welcome:m1");
        assert_eq!(
            read_message(&key(1), "7", &m).as_deref(),
            Some("welcome:m1")
        );
        assert_eq!(read_message(&key(3), "7", &m), None);
    }

    #[test]
    fn clicks_lead_only_to_our_pages_or_the_merchants_site() {
        let site = Some("https://cafe.example/");
        assert!(safe_target("/c/12", site));
        assert!(safe_target("https://cafe.example/menu", site));
        assert!(safe_target("https://CAFE.example", site));
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/",
            "http://cafe.example/",
            "https://cafe.example@evil.example/",
            "javascript:alert(1)",
            "https://cafe.example.evil.example/",
        ] {
            assert!(!safe_target(bad, site), "{bad}");
        }
        assert!(!safe_target("https://cafe.example/", None));
    }

    proptest! {
        #[test]
        fn no_token_text_panics_or_passes_unsigned(s in "\\PC{0,200}") {
            prop_assert!(read_unsubscribe(&key(9), "1", &s).is_none());
            prop_assert!(read_click(&key(9), "1", &s).is_none());
            prop_assert!(read_message(&key(9), "1", &s).is_none());
        }
    }
}
