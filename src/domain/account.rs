//! The people who run a merchant and how they get in: roles, the sign-up and sign-in forms, the
//! countries a sign-up can start from, console sessions and their CSRF tokens, and the console's
//! route table (which role may open what), so the router and the tests read the same list.

use sha2::{Digest, Sha256};

use super::enrol::parse_email;
use super::ids::to_hex;
use super::keys::SessionKey;
use super::language::Language;
use super::password::{self, Weakness};

/// What a person may do at one merchant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Everything, people and keys included.
    Owner,
    /// Everything but owners, keys and the merchant's settings.
    Manager,
    /// The till only.
    Staff,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 3] = [Role::Owner, Role::Manager, Role::Staff];

    /// Returns the stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Staff => "staff",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Tells whether a person of this role may give `other` to someone, or change or remove
    /// someone who holds `other`: owners any role; managers managers and staff, never owners;
    /// staff nobody.
    pub fn may_manage(self, other: Role) -> bool {
        match self {
            Role::Owner => true,
            Role::Manager => other != Role::Owner,
            Role::Staff => false,
        }
    }

    /// The role in words, in `l`.
    pub fn label(self, l: Language) -> &'static str {
        match self {
            Role::Owner => l.pick("Owner", "Właściciel"),
            Role::Manager => l.pick("Manager", "Kierownik"),
            Role::Staff => l.pick("Staff", "Obsługa"),
        }
    }
}

/// A country a merchant can start in: its time zone and currency become the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    pub code: &'static str,
    pub name_en: &'static str,
    pub name_pl: &'static str,
    pub time_zone: &'static str,
    pub currency: &'static str,
    pub minor_units: u8,
}

impl Country {
    /// The country's name in `l`.
    pub fn name(&self, l: Language) -> &'static str {
        l.pick(self.name_en, self.name_pl)
    }
}

const fn country(
    code: &'static str,
    name_en: &'static str,
    name_pl: &'static str,
    time_zone: &'static str,
    currency: &'static str,
) -> Country {
    Country {
        code,
        name_en,
        name_pl,
        time_zone,
        currency,
        minor_units: 2,
    }
}

/// The countries the sign-up form offers, Poland first.
pub const COUNTRIES: [Country; 13] = [
    country("PL", "Poland", "Polska", "Europe/Warsaw", "PLN"),
    country("CZ", "Czechia", "Czechy", "Europe/Prague", "CZK"),
    country("DE", "Germany", "Niemcy", "Europe/Berlin", "EUR"),
    country("ES", "Spain", "Hiszpania", "Europe/Madrid", "EUR"),
    country("FR", "France", "Francja", "Europe/Paris", "EUR"),
    country("IE", "Ireland", "Irlandia", "Europe/Dublin", "EUR"),
    country("IT", "Italy", "Włochy", "Europe/Rome", "EUR"),
    country("LT", "Lithuania", "Litwa", "Europe/Vilnius", "EUR"),
    country("NL", "Netherlands", "Holandia", "Europe/Amsterdam", "EUR"),
    country("SK", "Slovakia", "Słowacja", "Europe/Bratislava", "EUR"),
    country("UA", "Ukraine", "Ukraina", "Europe/Kyiv", "UAH"),
    country(
        "GB",
        "United Kingdom",
        "Wielka Brytania",
        "Europe/London",
        "GBP",
    ),
    country(
        "US",
        "United States",
        "Stany Zjednoczone",
        "America/New_York",
        "USD",
    ),
];

/// What is wrong with a field of a console form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Missing,
    TooLong,
    NotAnEmail,
    Password(Weakness),
    UnknownCountry,
    EmailTaken,
    WrongCode,
    /// A sign-up code that was used already or has expired.
    CodeSpent,
    /// The current password, typed to change it, is not the person's.
    WrongPassword,
    /// A role the person may not give (managers never give or change an owner's).
    RoleNotAllowed,
    /// A new till PIN that will not do.
    Pin(super::till::PinProblem),
    /// The browser's passkey answer did not check out.
    PasskeyRefused,
    /// The passkey's counter did not move forward (a copied authenticator).
    PasskeyReplayed,
    /// The page waited too long before the passkey was made.
    PasskeyExpired,
    /// The passkey is known already, or the person has the most passkeys allowed.
    PasskeyNotAdded,
}

/// A field of a console form and what is wrong with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub problem: Problem,
}

/// The sign-up form as posted.
#[derive(Debug, Clone, Default)]
pub struct SignUpForm {
    pub business: String,
    pub name: String,
    pub email: String,
    pub password: String,
    pub country: String,
    pub language: String,
    /// The operator's sign-up code (when sign-ups are by invitation).
    pub code: String,
    /// A field people never see: a bot that fills it in is refused.
    pub website: String,
}

/// A sign-up that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignUp {
    pub business: String,
    pub name: String,
    pub email: String,
    pub password: String,
    pub country: Country,
    pub language: Language,
}

fn text(field: &'static str, raw: &str, max: usize) -> Result<String, FieldError> {
    let value = raw.trim();
    let chars = value.chars().count();
    if chars == 0 {
        return Err(FieldError {
            field,
            problem: Problem::Missing,
        });
    }
    if chars > max || value.chars().any(char::is_control) {
        return Err(FieldError {
            field,
            problem: Problem::TooLong,
        });
    }
    Ok(value.to_owned())
}

/// Normalises and checks an email typed into a console form.
pub fn email(field: &'static str, raw: &str) -> Result<String, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError {
            field,
            problem: Problem::Missing,
        });
    }
    parse_email(raw).map_err(|_| FieldError {
        field,
        problem: Problem::NotAnEmail,
    })
}

/// Checks a new password for `email`.
pub fn new_password(field: &'static str, raw: &str, email: &str) -> Result<String, FieldError> {
    password::check_new(raw, email)
        .map(|()| raw.to_owned())
        .map_err(|w| FieldError {
            field,
            problem: Problem::Password(w),
        })
}

impl SignUpForm {
    /// Checks every field, returning all that are wrong (the form shows each beside its field).
    pub fn parse(&self) -> Result<SignUp, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut keep =
            |r: Result<String, FieldError>| r.map_err(|e| errors.push(e)).unwrap_or_default();
        let business = keep(text("business", &self.business, 60));
        let name = keep(text("name", &self.name, 60));
        let email = keep(email("email", &self.email));
        let password = keep(new_password("password", &self.password, &email));
        let country = COUNTRIES.iter().find(|c| c.code == self.country.trim());
        if country.is_none() {
            errors.push(FieldError {
                field: "country",
                problem: Problem::UnknownCountry,
            });
        }
        let language = Language::parse(self.language.trim()).unwrap_or(Language::En);
        match country {
            Some(&country) if errors.is_empty() => Ok(SignUp {
                business,
                name,
                email,
                password,
                country,
                language,
            }),
            _ => Err(errors),
        }
    }
}

/// How long an invitation link works, in ms (7 days).
pub const INVITE_MS: i64 = 7 * 86_400_000;

/// An invitation as the people page posts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub email: String,
    pub role: Role,
}

/// Checks an invitation typed by a person of role `by`: an email, and a role they may give.
pub fn invitation(by: Role, email: &str, role: &str) -> Result<Invitation, Vec<FieldError>> {
    let mut errors = Vec::new();
    let email = self::email("email", email).map_err(|e| errors.push(e)).ok();
    let role = Role::parse(role.trim()).filter(|r| by.may_manage(*r));
    if role.is_none() {
        errors.push(FieldError {
            field: "role",
            problem: Problem::RoleNotAllowed,
        });
    }
    match (email, role) {
        (Some(email), Some(role)) => Ok(Invitation { email, role }),
        _ => Err(errors),
    }
}

/// The name a person accepting an invitation gives (1 to 60 printable characters).
pub fn person_name(raw: &str) -> Result<String, FieldError> {
    text("name", raw, 60)
}

/// Checks what a new person accepting an invitation types: a name and a new password for
/// `email`; every bad field at once.
pub fn joining(name: &str, password: &str, email: &str) -> Result<String, Vec<FieldError>> {
    let name = person_name(name);
    let password = new_password("password", password, email);
    match (name, password) {
        (Ok(name), Ok(_)) => Ok(name),
        (name, password) => Err([name.err(), password.err()].into_iter().flatten().collect()),
    }
}

/// Who may sign up (the operator's `SIGNUP` setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignUpMode {
    /// Anyone.
    Open,
    /// With a sign-up code the operator issued.
    Invite,
    /// Nobody: merchants are made by the operator only.
    Closed,
}

impl SignUpMode {
    /// Reads the setting; unset or unknown is `Closed`, so a deployment opens sign-ups on purpose.
    pub fn parse(raw: Option<&str>) -> SignUpMode {
        match raw.map(str::trim) {
            Some("open") => SignUpMode::Open,
            Some("invite") => SignUpMode::Invite,
            _ => SignUpMode::Closed,
        }
    }
}

/// The console's session cookie (a random 256-bit secret; D1 keeps only its hash).
pub const SESSION_COOKIE: &str = "le_console";
/// A session ends after this long without a request, in ms.
pub const SESSION_IDLE_MS: i64 = 12 * 3_600_000;
/// A session ends this long after sign-in whatever happens, in ms.
pub const SESSION_MAX_MS: i64 = 30 * 86_400_000;
/// A cookie set by a successful sign-in: the device may still sign that person in while their
/// account is being guessed at from elsewhere (the per-account limit never blocks it).
pub const KNOWN_DEVICE_COOKIE: &str = "le_known";
/// How long a device stays known, in seconds.
pub const KNOWN_DEVICE_SECS: i64 = 180 * 86_400;
/// Failed sign-ins one account, or one address, may have per window before the right password
/// is also refused there for the rest of the window (a device that signed in before is exempt).
pub const SIGN_IN_FAILURES: i64 = 10;
/// The failed sign-in window, in ms.
pub const SIGN_IN_WINDOW_MS: i64 = 15 * 60_000;
/// Sign-ups one address may make per hour.
pub const SIGN_UPS_PER_HOUR: i64 = 5;

/// Writes a session secret's cookie value.
pub fn session_value(secret: &[u8; 32]) -> String {
    to_hex(secret)
}

/// Reads a session cookie: the stored id (the hash of the secret), if the value is well formed.
pub fn session_id(value: &str) -> Option<String> {
    let ok = value.len() == 64
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    ok.then(|| to_hex(&Sha256::digest(value.as_bytes())))
}

fn tag(key: &SessionKey, parts: &[&[u8]]) -> String {
    to_hex(&super::keys::mac(&key.0, parts))
}

/// The CSRF token of the session behind cookie `value`: forms carry it, and only a page of
/// this session can know it.
pub fn csrf_token(key: &SessionKey, value: &str) -> String {
    tag(key, &[b"csrf\0", value.as_bytes()])
}

/// Checks a form's CSRF token against the session's, in constant time.
pub fn csrf_matches(key: &SessionKey, value: &str, presented: &str) -> bool {
    super::apikey::constant_time_eq(csrf_token(key, value).as_bytes(), presented.as_bytes())
}

/// The known-device cookie for person `person`.
pub fn known_device_cookie(key: &SessionKey, person: &str) -> String {
    format!("{person}.{}", tag(key, &[b"known\0", person.as_bytes()]))
}

/// Tells whether a known-device cookie names `person`.
pub fn is_known_device(key: &SessionKey, value: &str, person: &str) -> bool {
    value.split_once('.').is_some_and(|(p, t)| {
        p == person
            && super::apikey::constant_time_eq(
                tag(key, &[b"known\0", person.as_bytes()]).as_bytes(),
                t.as_bytes(),
            )
    })
}

/// Names the browser and system of a `User-Agent` in a few words, for the list of signed-in
/// devices ("Chrome, Android"); never the whole header.
pub fn device_label(user_agent: &str) -> String {
    let ua = user_agent;
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("CriOS/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else {
        "Browser"
    };
    let system = if ua.contains("Android") {
        "Android"
    } else if ua.contains("iPhone") {
        "iPhone"
    } else if ua.contains("iPad") {
        "iPad"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        "Mac"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        "?"
    };
    format!("{browser}, {system}")
}

/// A module of the console, as its navigation lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Module {
    /// Its page.
    pub path: &'static str,
    pub name_en: &'static str,
    pub name_pl: &'static str,
    /// Who may open it.
    pub roles: &'static [Role],
}

impl Module {
    /// The module's name in `l`.
    pub fn name(&self, l: Language) -> &'static str {
        l.pick(self.name_en, self.name_pl)
    }

    /// The path segment after `/console/` (empty: the home page).
    pub fn slug(&self) -> &'static str {
        self.path
            .trim_start_matches("/console")
            .trim_start_matches('/')
    }

    /// Tells whether `role` may open it.
    pub fn allows(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

const OWNER: &[Role] = &[Role::Owner];
const MANAGERS: &[Role] = &[Role::Owner, Role::Manager];
/// Every role.
pub const EVERYONE: &[Role] = &[Role::Owner, Role::Manager, Role::Staff];

const fn module(
    path: &'static str,
    name_en: &'static str,
    name_pl: &'static str,
    roles: &'static [Role],
) -> Module {
    Module {
        path,
        name_en,
        name_pl,
        roles,
    }
}

/// The console's modules, in navigation order.
pub const MODULES: [Module; 12] = [
    module("/console", "Home", "Start", MANAGERS),
    module("/console/customers", "Customers", "Klienci", MANAGERS),
    module("/console/rewards", "Rewards", "Nagrody", MANAGERS),
    module(
        "/console/earning",
        "Earning rules",
        "Zasady zbierania",
        MANAGERS,
    ),
    module("/console/card", "Card & brand", "Karta i marka", MANAGERS),
    module("/console/messages", "Messages", "Wiadomości", MANAGERS),
    module(
        "/console/automations",
        "Automations",
        "Automatyzacje",
        MANAGERS,
    ),
    module("/console/campaigns", "Campaigns", "Kampanie", MANAGERS),
    module("/console/insights", "Insights", "Analizy", MANAGERS),
    module(
        "/console/people",
        "Locations & people",
        "Lokale i ludzie",
        MANAGERS,
    ),
    module("/console/integrations", "Integrations", "Integracje", OWNER),
    module("/console/settings", "Settings", "Ustawienia", OWNER),
];

/// A console route: the router serves exactly these, and the tests enumerate them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsoleRoute {
    pub method: &'static str,
    /// The path, with `{id}` where an id goes.
    pub path: &'static str,
    /// Who may use it (empty: anyone, signed in or not).
    pub roles: &'static [Role],
    /// Changes state: needs the session's CSRF token and a same-origin request.
    pub changes: bool,
}

const fn route(
    method: &'static str,
    path: &'static str,
    roles: &'static [Role],
    changes: bool,
) -> ConsoleRoute {
    ConsoleRoute {
        method,
        path,
        roles,
        changes,
    }
}

/// The signed-in console routes besides the module pages (`MODULES`, all `GET`).
pub const ACCOUNT_ROUTES: [ConsoleRoute; 83] = [
    route("GET", "/console/customers.csv", MANAGERS, false),
    // A customer's data (`routes/dashboard.rs`): download it; erase it after a confirmation.
    route("GET", "/console/customers/{id}/export", MANAGERS, false),
    route("POST", "/console/customers/{id}/erase", MANAGERS, true),
    // A correction of a customer's balance, with a reason (`routes/dashboard.rs`).
    route("POST", "/console/customers/{id}/adjust", MANAGERS, true),
    // Locations (`routes/locations.rs`): each with its posters and tills; rename, add.
    route("GET", "/console/locations", MANAGERS, false),
    route("POST", "/console/locations", MANAGERS, true),
    // Automations (`routes/automations.rs`): add a ready-made one; change or switch one.
    route("POST", "/console/automations/add", MANAGERS, true),
    route("POST", "/console/automations/{id}", MANAGERS, true),
    // Campaigns (`routes/campaigns.rs`): a new one; a draft reviewed, changed, sent or deleted
    // after its confirmation; a sent one's results on its own page.
    route("GET", "/console/campaigns/new", MANAGERS, false),
    route("POST", "/console/campaigns/new", MANAGERS, true),
    route("GET", "/console/campaigns/{id}", MANAGERS, false),
    route("GET", "/console/campaigns/{id}/edit", MANAGERS, false),
    route("POST", "/console/campaigns/{id}/edit", MANAGERS, true),
    route("POST", "/console/campaigns/{id}/send", MANAGERS, true),
    route("GET", "/console/campaigns/{id}/delete", MANAGERS, false),
    route("POST", "/console/campaigns/{id}/delete", MANAGERS, true),
    // Integrations (`routes/integrations.rs`, owners): API keys, the POS secrets, a test event.
    route("POST", "/console/integrations/keys", OWNER, true),
    route(
        "POST",
        "/console/integrations/keys/{id}/rotate",
        OWNER,
        true,
    ),
    route(
        "POST",
        "/console/integrations/keys/{id}/revoke",
        OWNER,
        true,
    ),
    route("POST", "/console/integrations/secrets/rotate", OWNER, true),
    route("POST", "/console/integrations/test", OWNER, true),
    // Earning rules (`routes/rules.rs`): save; the levels (`routes/tiers.rs`).
    route("POST", "/console/earning", MANAGERS, true),
    route("GET", "/console/earning/tiers", MANAGERS, false),
    route("POST", "/console/earning/tiers", MANAGERS, true),
    // Promotions (`routes/promotions.rs`): add; change one; delete one after its confirmation.
    route("GET", "/console/earning/promotions", MANAGERS, false),
    route("POST", "/console/earning/promotions", MANAGERS, true),
    route("GET", "/console/earning/promotions/{id}", MANAGERS, false),
    route("POST", "/console/earning/promotions/{id}", MANAGERS, true),
    route(
        "GET",
        "/console/earning/promotions/{id}/delete",
        MANAGERS,
        false,
    ),
    route(
        "POST",
        "/console/earning/promotions/{id}/delete",
        MANAGERS,
        true,
    ),
    // Settings (`routes/settings.rs`, owners): the name and time zone.
    route("POST", "/console/settings", OWNER, true),
    // Points per item (`routes/items.rs`): the table, its CSV, its replacement.
    route("GET", "/console/earning/items", MANAGERS, false),
    route("GET", "/console/earning/items.csv", MANAGERS, false),
    route("POST", "/console/earning/items", MANAGERS, true),
    // Card & brand (`routes/brand.rs`): the preview that follows the typed fields, and save.
    route("GET", "/console/card/preview", MANAGERS, false),
    route("POST", "/console/card", MANAGERS, true),
    // Rewards (`routes/catalog.rs`): a new one, the card preview, one reward, archive, restore.
    route("GET", "/console/rewards/new", MANAGERS, false),
    route("GET", "/console/rewards/preview", MANAGERS, false),
    route("GET", "/console/rewards/{id}", MANAGERS, false),
    route("POST", "/console/rewards/new", MANAGERS, true),
    route("POST", "/console/rewards/{id}", MANAGERS, true),
    route("POST", "/console/rewards/{id}/archive", MANAGERS, true),
    route("POST", "/console/rewards/{id}/restore", MANAGERS, true),
    // Messages (`routes/messaging.rs`): channels, a test to oneself, the words with their
    // previews, one message, re-send.
    route("GET", "/console/messages/templates", MANAGERS, false),
    route("POST", "/console/messages/templates", MANAGERS, true),
    route("GET", "/console/messages/preview", MANAGERS, false),
    route("POST", "/console/messages/channels", MANAGERS, true),
    route("POST", "/console/messages/test", MANAGERS, true),
    route("GET", "/console/messages/{id}", MANAGERS, false),
    route("POST", "/console/messages/{id}/resend", MANAGERS, true),
    route("POST", "/console/account/passkeys", EVERYONE, true),
    route(
        "POST",
        "/console/account/passkeys/{id}/remove",
        EVERYONE,
        true,
    ),
    route("GET", "/console/customers/{id}", MANAGERS, false),
    route(
        "POST",
        "/console/customers/referrals/{id}/approve",
        MANAGERS,
        true,
    ),
    route(
        "POST",
        "/console/customers/referrals/{id}/reject",
        MANAGERS,
        true,
    ),
    route("GET", "/console/tills", MANAGERS, false),
    route("POST", "/console/tills/pair", MANAGERS, true),
    route("POST", "/console/tills/{id}/unpair", MANAGERS, true),
    route("POST", "/console/tills/idle", MANAGERS, true),
    route("GET", "/console/activity", MANAGERS, false),
    route("POST", "/console/account/pin", EVERYONE, true),
    route("POST", "/console/people/invite", MANAGERS, true),
    route("POST", "/console/people/{id}/role", MANAGERS, true),
    route("POST", "/console/people/{id}/remove", MANAGERS, true),
    route("POST", "/console/people/{id}/reset", MANAGERS, true),
    route("GET", "/console/account", EVERYONE, false),
    route("POST", "/console/account/password", EVERYONE, true),
    route("POST", "/console/account/language", EVERYONE, true),
    route("POST", "/console/account/sessions/{id}/end", EVERYONE, true),
    route("POST", "/console/sign-out", EVERYONE, true),
    // The guided set-up (`domain::setup`), its card preview and the console's poster.
    route("GET", "/console/setup/business", MANAGERS, false),
    route("POST", "/console/setup/business", MANAGERS, true),
    route("POST", "/console/setup/logo", MANAGERS, true),
    route("GET", "/console/setup/preview", MANAGERS, false),
    route("GET", "/console/setup/earn", MANAGERS, false),
    route("POST", "/console/setup/earn", MANAGERS, true),
    route("GET", "/console/setup/rewards", MANAGERS, false),
    route("POST", "/console/setup/rewards", MANAGERS, true),
    route("GET", "/console/setup/locations", MANAGERS, false),
    route("POST", "/console/setup/locations", MANAGERS, true),
    route("GET", "/console/setup/print", MANAGERS, false),
    route("POST", "/console/setup/print", MANAGERS, true),
    route("GET", "/console/poster", MANAGERS, false),
];

/// Every signed-in console route: the module pages and the account routes.
pub fn console_routes() -> Vec<ConsoleRoute> {
    MODULES
        .iter()
        .map(|m| route("GET", m.path, m.roles, false))
        .chain(ACCOUNT_ROUTES)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SignUpForm {
        SignUpForm {
            business: " Kawiarnia Ala ".into(),
            name: "Ala Nowak".into(),
            email: " Ala@Example.com ".into(),
            password: "kawa z mlekiem o 7".into(),
            country: "PL".into(),
            language: "pl".into(),
            ..SignUpForm::default()
        }
    }

    #[test]
    fn a_good_sign_up_is_normalised() {
        let s = form().parse().unwrap();
        assert_eq!(s.business, "Kawiarnia Ala");
        assert_eq!(s.email, "ala@example.com");
        assert_eq!(s.country.time_zone, "Europe/Warsaw");
        assert_eq!(s.country.currency, "PLN");
        assert_eq!(s.language, Language::Pl);
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let bad = SignUpForm {
            business: String::new(),
            name: "x".repeat(61),
            email: "ala@".into(),
            password: "short".into(),
            country: "XX".into(),
            ..form()
        };
        let fields: Vec<_> = bad.parse().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["business", "name", "email", "password", "country"]);
        let common = SignUpForm {
            password: "Password123".into(),
            ..form()
        };
        assert_eq!(
            common.parse().unwrap_err(),
            [FieldError {
                field: "password",
                problem: Problem::Password(Weakness::Common)
            }]
        );
    }

    #[test]
    fn sign_ups_are_closed_unless_opened_on_purpose() {
        assert_eq!(SignUpMode::parse(Some("open")), SignUpMode::Open);
        assert_eq!(SignUpMode::parse(Some("invite")), SignUpMode::Invite);
        assert_eq!(SignUpMode::parse(Some("yes")), SignUpMode::Closed);
        assert_eq!(SignUpMode::parse(None), SignUpMode::Closed);
    }

    #[test]
    fn a_session_cookie_names_its_stored_hash_and_its_csrf_token() {
        let key = SessionKey([3; 32]);
        let value = session_value(&[0xab; 32]);
        let id = session_id(&value).unwrap();
        assert_eq!(id.len(), 64);
        assert_ne!(id, value, "only the hash is stored");
        assert_eq!(session_id("zz"), None);
        assert_eq!(session_id(&value.to_uppercase()), None);
        let token = csrf_token(&key, &value);
        assert!(csrf_matches(&key, &value, &token));
        assert!(!csrf_matches(&key, &value, ""));
        assert!(!csrf_matches(&key, &session_value(&[8; 32]), &token));
        let known = known_device_cookie(&key, "p1");
        assert!(is_known_device(&key, &known, "p1"));
        assert!(!is_known_device(&key, &known, "p2"));
        assert!(!is_known_device(&key, "p1.00", "p1"));
    }

    #[test]
    fn managers_never_give_or_touch_an_owners_role() {
        assert!(Role::Owner.may_manage(Role::Owner));
        assert!(Role::Manager.may_manage(Role::Staff));
        assert!(Role::Manager.may_manage(Role::Manager));
        assert!(!Role::Manager.may_manage(Role::Owner));
        assert!(!Role::Staff.may_manage(Role::Staff));
        let by_manager = invitation(Role::Manager, "ola@example.com", "owner").unwrap_err();
        assert_eq!(by_manager[0].problem, Problem::RoleNotAllowed);
        let ok = invitation(Role::Manager, " Ola@Example.com ", "staff").unwrap();
        assert_eq!(
            ok,
            Invitation {
                email: "ola@example.com".into(),
                role: Role::Staff
            }
        );
        let both = invitation(Role::Owner, "nope", "chef").unwrap_err();
        assert_eq!(
            both.iter().map(|e| e.field).collect::<Vec<_>>(),
            ["email", "role"]
        );
    }

    #[test]
    fn joining_names_every_bad_field_of_the_accept_form() {
        assert_eq!(
            joining(" Ola ", "kawa z mlekiem o 7", "ola@example.com").unwrap(),
            "Ola"
        );
        let both = joining("", "short", "ola@example.com").unwrap_err();
        assert_eq!(
            both.iter().map(|e| e.field).collect::<Vec<_>>(),
            ["name", "password"]
        );
        let common = joining("Ola", "password123", "ola@example.com").unwrap_err();
        assert_eq!(common[0].problem, Problem::Password(Weakness::Common));
    }

    #[test]
    fn a_device_is_named_in_a_few_words() {
        let android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36";
        assert_eq!(device_label(android), "Chrome, Android");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
        assert_eq!(device_label(iphone), "Safari, iPhone");
        assert_eq!(device_label(""), "Browser, ?");
    }

    #[test]
    fn every_country_has_a_zone_and_every_module_a_route() {
        for c in COUNTRIES {
            assert!(c.time_zone.parse::<chrono_tz::Tz>().is_ok(), "{}", c.code);
        }
        let routes = console_routes();
        for m in MODULES {
            assert!(routes.iter().any(|r| r.path == m.path && r.method == "GET"));
        }
        assert!(routes.iter().all(|r| !r.roles.is_empty()));
    }
}
