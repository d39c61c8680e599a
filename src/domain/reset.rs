//! Password reset links: who may make one, how long each kind works, when a link is still open,
//! and the message that carries it (subject and text in the person's language), ready for the
//! email sending that comes later. No I/O; the shell stores only the link secret's hash.

use super::account::{self, FieldError, Role};
use super::language::{Language, Noun};

/// How long a link made in the console works, in ms (24 h: the owner hands it over in person
/// or by message, which can take a day).
pub const CONSOLE_MS: i64 = 24 * 3_600_000;
/// How long a link the operator issues works, in ms (1 h: it comes through a support channel).
pub const OPERATOR_MS: i64 = 3_600_000;

/// Who made a reset link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MadeBy {
    /// An owner or a manager, from the console's people page.
    Console,
    /// The operator, through the admin API.
    Operator,
}

impl MadeBy {
    /// How long a link of this kind works, in ms.
    pub fn valid_ms(self) -> i64 {
        match self {
            MadeBy::Console => CONSOLE_MS,
            MadeBy::Operator => OPERATOR_MS,
        }
    }

    /// When a link made at `now` stops working.
    pub fn expires_at(self, now: i64) -> i64 {
        now.saturating_add(self.valid_ms())
    }
}

/// Tells whether a link (or code) that expires at `expires_at` still works at `now`: up to the
/// millisecond before, never at it. The SQL that uses a link says the same (`expires_at > now`).
pub fn is_open(expires_at: i64, now: i64) -> bool {
    now < expires_at
}

/// Tells whether a person of role `by` may make a reset link for someone who holds `target` at
/// the same café: owners for anyone, managers for managers and staff, never for an owner.
pub fn may_reset(by: Role, target: Role) -> bool {
    by.may_manage(target)
}

/// Checks the new password typed on a reset page for the person with `email`.
pub fn new_password(raw: &str, email: &str) -> Result<String, FieldError> {
    account::new_password("password", raw, email)
}

/// The message that carries a reset link, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub text: String,
}

/// Writes the reset message for `name` in `l`: the link, how long it works, and what to do if
/// they did not ask for it.
pub fn message(l: Language, name: &str, link: &str, made_by: MadeBy) -> Message {
    let hours = made_by.valid_ms() / 3_600_000;
    // After "for" / "przez": Polish takes the accusative, which differs only for one ("godzinę").
    let valid = match (l, hours) {
        (Language::Pl, 1) => String::from("1 godzinę"),
        _ => Noun::Hour.count(l, hours),
    };
    match l {
        Language::En => Message {
            subject: String::from("Set a new password for your loyalty console"),
            text: format!(
                "Hello {name},\n\nopen this link to set a new password for your loyalty console:\n\n{link}\n\nIt works once, for {valid}. Setting the password signs you out on every other device.\n\nIf you did not ask for this, ignore this message: your password stays as it is.\n"
            ),
        },
        Language::Pl => Message {
            subject: String::from("Ustaw nowe hasło do konsoli lojalnościowej"),
            text: format!(
                "Dzień dobry, {name}!\n\nOtwórz ten link, aby ustawić nowe hasło do konsoli lojalnościowej:\n\n{link}\n\nDziała raz, przez {valid}. Ustawienie hasła wyloguje Cię na wszystkich innych urządzeniach.\n\nJeśli to nie Ty prosisz o zmianę, zignoruj tę wiadomość: Twoje hasło się nie zmieni.\n"
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_works_until_the_millisecond_before_it_expires() {
        let made = 1_800_000_000_000;
        let until = MadeBy::Console.expires_at(made);
        assert_eq!(until - made, 24 * 3_600_000);
        assert!(is_open(until, made));
        assert!(is_open(until, until - 1));
        assert!(!is_open(until, until));
        assert!(!is_open(until, until + 1));
        assert_eq!(MadeBy::Operator.expires_at(made) - made, 3_600_000);
        assert_eq!(MadeBy::Operator.expires_at(i64::MAX), i64::MAX);
    }

    #[test]
    fn managers_reset_staff_and_managers_but_never_an_owner() {
        assert!(may_reset(Role::Owner, Role::Owner));
        assert!(may_reset(Role::Owner, Role::Staff));
        assert!(may_reset(Role::Manager, Role::Manager));
        assert!(may_reset(Role::Manager, Role::Staff));
        assert!(!may_reset(Role::Manager, Role::Owner));
        assert!(!may_reset(Role::Staff, Role::Staff));
    }

    #[test]
    fn the_new_password_follows_the_same_rules_as_every_new_password() {
        assert!(new_password("kawa z mlekiem o 7", "ala@example.com").is_ok());
        assert_eq!(
            new_password("short", "a@b.pl").unwrap_err().field,
            "password"
        );
        assert!(new_password("password123", "a@b.pl").is_err());
    }

    #[test]
    fn the_message_names_the_link_and_its_time_in_the_persons_language() {
        let link = "https://x.test/reset/ab";
        let en = message(Language::En, "Ola", link, MadeBy::Console);
        assert_eq!(en.subject, "Set a new password for your loyalty console");
        assert!(en.text.starts_with("Hello Ola,"));
        assert!(en.text.contains(link));
        assert!(en.text.contains("for 24 hours"));
        let pl = message(Language::Pl, "Ola", link, MadeBy::Operator);
        assert_eq!(pl.subject, "Ustaw nowe hasło do konsoli lojalnościowej");
        assert!(pl.text.contains(link));
        assert!(pl.text.contains("przez 1 godzinę"), "{}", pl.text);
        assert!(message(Language::Pl, "Ola", link, MadeBy::Console)
            .text
            .contains("przez 24 godziny"));
        assert!(message(Language::En, "Ola", link, MadeBy::Operator)
            .text
            .contains("for 1 hour."));
        assert_ne!(
            en.text,
            message(Language::Pl, "Ola", link, MadeBy::Console).text
        );
    }
}
