//! Email as we send it: a MIME message (RFC 5322 headers, multipart/alternative text and HTML,
//! both base64 in UTF-8) composed here, so that what goes on the wire is ours and tested.
//!
//! Header injection is impossible by construction: every header value passes through
//! [`header_text`], which refuses CR, LF and other control characters and writes anything that
//! is not printable ASCII as RFC 2047 encoded words; addresses pass [`check_address`].

use base64::Engine;

/// Longest address accepted (RFC 5321's path limit less the brackets).
pub const MAX_ADDRESS: usize = 254;
/// Longest display name or subject accepted before encoding, in characters.
pub const MAX_HEADER_CHARS: usize = 200;

/// Why a message cannot be composed: the field and what is wrong, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailError {
    pub field: &'static str,
    pub message: String,
}

impl MailError {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        MailError {
            field,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for MailError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Checks an email address as we send to it or from it: `local@domain`, printable ASCII without
/// spaces, quotes, angle brackets, commas or semicolons, a dotted domain, at most 254 characters.
/// Stricter than RFC 5322 on purpose: what passes here is safe inside a header.
pub fn check_address(address: &str) -> Result<(), String> {
    let fail = || Err("is not an email address like name@example.com".to_string());
    if address.is_empty() || address.len() > MAX_ADDRESS {
        return fail();
    }
    let Some((local, domain)) = address.rsplit_once('@') else {
        return fail();
    };
    let allowed = |c: char| c.is_ascii_graphic() && !"\"<>()[]\\,;:@".contains(c);
    if local.is_empty() || local.len() > 64 || !local.chars().all(allowed) {
        return fail();
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return fail();
    }
    Ok(())
}

/// Writes `value` as an unstructured header value: printable ASCII as it is, anything else as
/// RFC 2047 `=?UTF-8?B?…?=` words of at most 75 characters, folded onto continuation lines.
/// Refuses CR, LF, every other control character and more than [`MAX_HEADER_CHARS`] characters.
pub fn header_text(value: &str) -> Result<String, String> {
    if value.chars().any(char::is_control) {
        return Err("must be one line, without control characters".into());
    }
    if value.chars().count() > MAX_HEADER_CHARS {
        return Err(format!("must be at most {MAX_HEADER_CHARS} characters"));
    }
    if value.chars().all(|c| c == ' ' || c.is_ascii_graphic()) && !value.contains("=?") {
        return Ok(value.to_string());
    }
    Ok(encoded_words(value).join("\r\n "))
}

/// Splits `value` into encoded words of at most 75 characters each, never inside a character
/// (RFC 2047 §5: each word must decode on its own).
fn encoded_words(value: &str) -> Vec<String> {
    // "=?UTF-8?B?" + "?=" is 12 characters; 63 left hold 45 bytes of base64 input (60 chars).
    const BYTES: usize = 45;
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in value.chars() {
        if chunk.len() + c.len_utf8() > BYTES {
            words.push(word(&chunk));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() || words.is_empty() {
        words.push(word(&chunk));
    }
    words
}

fn word(text: &str) -> String {
    format!(
        "=?UTF-8?B?{}?=",
        base64::engine::general_purpose::STANDARD.encode(text)
    )
}

/// A mailbox header value: `"Name" <address>` (the name quoted, or encoded when not ASCII).
pub fn mailbox(name: &str, address: &str) -> Result<String, String> {
    check_address(address)?;
    let name = name.trim();
    if name.is_empty() {
        return Ok(format!("<{address}>"));
    }
    let text = header_text(name)?;
    if text.starts_with("=?") {
        return Ok(format!("{text} <{address}>"));
    }
    let quoted = text.replace('\\', "\\\\").replace('"', "\\\"");
    Ok(format!("\"{quoted}\" <{address}>"))
}

/// One message to compose.
#[derive(Debug, Clone)]
pub struct Mail<'a> {
    /// The message's id (ours: the outbox id); with `domain` it makes the Message-ID.
    pub id: &'a str,
    /// The domain of the sending address.
    pub domain: &'a str,
    pub from_name: &'a str,
    pub from_address: &'a str,
    pub reply_to: Option<&'a str>,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    /// RFC 2822 date, e.g. `Mon, 07 Dec 2026 10:00:00 +0000`.
    pub date: &'a str,
    /// Marketing mail: the one-click https link and a mailto for `List-Unsubscribe` (RFC 8058).
    pub unsubscribe: Option<(&'a str, &'a str)>,
}

/// Composes `mail` as a MIME message with CRLF line ends, ready for the platform to send.
pub fn compose(mail: &Mail<'_>) -> Result<String, MailError> {
    let from = mailbox(mail.from_name, mail.from_address).map_err(|m| MailError::new("from", m))?;
    check_address(mail.to).map_err(|m| MailError::new("to", m))?;
    let subject = header_text(mail.subject).map_err(|m| MailError::new("subject", m))?;
    if !mail
        .id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
        || mail.id.is_empty()
    {
        return Err(MailError::new("id", "must be letters, digits, - _ . or :"));
    }
    check_address(&format!("x@{}", mail.domain)).map_err(|m| MailError::new("domain", m))?;
    let plain = |field: &'static str, v: &str| {
        if v.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
            Ok(())
        } else {
            Err(MailError::new(field, "must be printable ASCII"))
        }
    };
    plain("date", mail.date)?;
    let boundary = format!("=_le_{}", mail.id.replace([':', '.'], "_"));
    let mut out = String::with_capacity(mail.text.len() * 2 + mail.html.len() * 2 + 1024);
    let mut header = |name: &str, value: &str| {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push_str("\r\n");
    };
    header("From", &from);
    header("To", &format!("<{}>", mail.to));
    if let Some(reply) = mail.reply_to {
        check_address(reply).map_err(|m| MailError::new("reply_to", m))?;
        header("Reply-To", &format!("<{reply}>"));
    }
    header("Subject", &subject);
    header("Date", mail.date);
    header(
        "Message-ID",
        &format!("<{}@{}>", mail.id.replace(':', "."), mail.domain),
    );
    header("MIME-Version", "1.0");
    if let Some((https, mailto)) = mail.unsubscribe {
        plain("unsubscribe", https)?;
        plain("unsubscribe", mailto)?;
        if !https.starts_with("https://") && !https.starts_with("http://") {
            return Err(MailError::new("unsubscribe", "needs an http(s) link"));
        }
        if !mailto.starts_with("mailto:")
            || https.contains(['<', '>'])
            || mailto.contains(['<', '>'])
        {
            return Err(MailError::new("unsubscribe", "needs a mailto: link"));
        }
        header("List-Unsubscribe", &format!("<{https}>,\r\n <{mailto}>"));
        header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }
    header(
        "Content-Type",
        &format!("multipart/alternative; boundary=\"{boundary}\""),
    );
    out.push_str("\r\n");
    for (kind, body) in [("text/plain", mail.text), ("text/html", mail.html)] {
        out.push_str(&format!("--{boundary}\r\n"));
        out.push_str(&format!("Content-Type: {kind}; charset=utf-8\r\n"));
        out.push_str("Content-Transfer-Encoding: base64\r\n\r\n");
        let encoded = base64::engine::general_purpose::STANDARD.encode(body);
        for line in encoded.as_bytes().chunks(76) {
            out.push_str(std::str::from_utf8(line).unwrap_or_default());
            out.push_str("\r\n");
        }
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    Ok(out)
}

/// The domain of an address (after the last `@`).
pub fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map(|(_, d)| d).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Decodes a header value we wrote: encoded words back to text (a minimal RFC 2047 reader).
    fn decode(value: &str) -> String {
        let unfolded = value.replace("\r\n ", " ");
        if !unfolded.starts_with("=?") {
            return unfolded;
        }
        let mut bytes = Vec::new();
        for w in unfolded.split(' ') {
            let inner = w
                .strip_prefix("=?UTF-8?B?")
                .and_then(|w| w.strip_suffix("?="))
                .expect("an encoded word");
            bytes.extend(
                base64::engine::general_purpose::STANDARD
                    .decode(inner)
                    .expect("base64"),
            );
        }
        String::from_utf8(bytes).expect("utf-8")
    }

    fn mail<'a>(subject: &'a str, unsubscribe: Option<(&'a str, &'a str)>) -> Mail<'a> {
        Mail {
            id: "welcome:abc",
            domain: "mail.example.com",
            from_name: "Kawiarnia Żółw",
            from_address: "cards@mail.example.com",
            reply_to: Some("owner@cafe.example"),
            to: "ala@example.com",
            subject,
            text: "Cześć Ala!\nTwoja karta: https://x.example/c/1",
            html: "<p>Cześć Ala!</p>",
            date: "Mon, 07 Dec 2026 10:00:00 +0000",
            unsubscribe,
        }
    }

    #[test]
    fn a_message_has_both_parts_and_the_headers_in_order() {
        let raw = compose(&mail(
            "Witaj w Żółwiu",
            Some((
                "https://x.example/u/t",
                "mailto:cards@mail.example.com?subject=unsubscribe",
            )),
        ))
        .unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("From: =?UTF-8?B?"));
        assert!(head.contains("\r\nTo: <ala@example.com>\r\n"));
        assert!(head.contains("\r\nReply-To: <owner@cafe.example>\r\n"));
        assert!(head.contains("\r\nMessage-ID: <welcome.abc@mail.example.com>\r\n"));
        assert!(head.contains(
            "\r\nList-Unsubscribe: <https://x.example/u/t>,\r\n <mailto:cards@mail.example.com?subject=unsubscribe>\r\n"
        ));
        assert!(head.contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
        let subject = head
            .split("\r\n")
            .find_map(|l| l.strip_prefix("Subject: "))
            .unwrap();
        assert_eq!(decode(subject), "Witaj w Żółwiu");
        assert!(body.contains("Content-Type: text/plain; charset=utf-8"));
        assert!(body.contains("Content-Type: text/html; charset=utf-8"));
        assert!(body.ends_with("--=_le_welcome_abc--\r\n"));
        // Body lines keep to RFC 5322's 78 characters; no line comes near its 998.
        assert!(body.split("\r\n").all(|l| l.len() <= 78), "{raw}");
        assert!(raw.split("\r\n").all(|l| l.len() <= 998));
    }

    #[test]
    fn service_mail_has_no_unsubscribe_headers_and_ascii_stays_as_it_is() {
        let raw = compose(&mail("Your card", None)).unwrap();
        assert!(raw.contains("\r\nSubject: Your card\r\n"));
        assert!(!raw.contains("List-Unsubscribe"));
    }

    #[test]
    fn line_breaks_in_names_or_subjects_are_refused() {
        for evil in [
            "Hi\r\nBcc: x@evil.example",
            "Hi\nBcc: x",
            "Hi\rX",
            "tab\there",
            "nul\0",
        ] {
            let err = compose(&mail(evil, None)).unwrap_err();
            assert_eq!(err.field, "subject");
            let mut m = mail("ok", None);
            m.from_name = evil;
            assert_eq!(compose(&m).unwrap_err().field, "from");
        }
        let mut m = mail("ok", None);
        m.to = "a@example.com>\r\nBcc: <b@evil.example";
        assert_eq!(compose(&m).unwrap_err().field, "to");
    }

    #[test]
    fn addresses_are_checked_strictly() {
        for ok in [
            "a@b.co",
            "ala.kot+karta@poczta.example.pl",
            "x_y-z@a-b.example",
        ] {
            assert_eq!(check_address(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "a",
            "a@",
            "@b.co",
            "a@b",
            "a b@c.co",
            "a@b..co",
            "a@-b.co",
            "<a@b.co>",
            "a,b@c.co",
            "ą@b.co",
            "a@b.co\r\n",
        ] {
            assert!(check_address(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_quote_in_a_name_is_escaped() {
        assert_eq!(
            mailbox("Bob \"the\" Baker", "b@x.co").unwrap(),
            "\"Bob \\\"the\\\" Baker\" <b@x.co>"
        );
        assert_eq!(mailbox("", "b@x.co").unwrap(), "<b@x.co>");
    }

    proptest! {
        /// Any one-line text of up to 200 characters becomes a header value that is ASCII, has
        /// no bare line break, keeps each encoded word within 75 characters, and decodes back.
        #[test]
        fn header_text_round_trips(s in "[^\\p{Cc}]{0,200}") {
            let v = header_text(&s).unwrap();
            prop_assert!(v.is_ascii());
            for (i, line) in v.split("\r\n").enumerate() {
                prop_assert!(i == 0 || line.starts_with(' '));
                prop_assert!(!line.contains('\r') && !line.contains('\n'));
                for w in line.split(' ').filter(|w| w.starts_with("=?")) {
                    prop_assert!(w.len() <= 75, "{}", w);
                }
            }
            prop_assert_eq!(decode(&v), s);
        }

        /// Whatever the text, a value with a control character is refused.
        #[test]
        fn control_characters_are_always_refused(a in ".{0,20}", c in "\\p{Cc}", b in ".{0,20}") {
            let s = format!("{a}{c}{b}");
            prop_assert!(header_text(&s).is_err());
        }
    }
}
