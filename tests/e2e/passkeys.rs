//! Passkeys end to end, with a software authenticator (ECDSA P-256 from `ring`, signing DER as
//! real authenticators do): a person adds one on the account page and signs in with it; an
//! answer is accepted once, a counter that goes back, another origin, another site, a changed
//! signature or an unknown passkey are refused and start no session; a removed passkey no
//! longer signs in. (Chromium's virtual authenticator drives the same pages in
//! tests/browser/from-zero.mjs.)

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
use sha2::{Digest, Sha256};

use crate::console::{csrf_of, get, post, sign_up as sign_up_owner, Owner};
use crate::harness::{worker, Resp};

/// The DER prefix of a P-256 SubjectPublicKeyInfo, before the 65-byte point.
const SPKI_P256: &str = "3059301306072a8648ce3d020106082a8648ce3d030107034200";

struct Authenticator {
    key: EcdsaKeyPair,
    id: Vec<u8>,
    count: u32,
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn data_attr(page: &str, name: &str) -> String {
    let start = page.find(&format!(r#"data-{name}=""#)).expect(name) + name.len() + 7;
    page[start..].split('"').next().unwrap().to_owned()
}

fn rp_id() -> String {
    let base = &worker().base;
    let host = base.split("://").nth(1).unwrap();
    host.split(':').next().unwrap().to_owned()
}

impl Authenticator {
    fn new() -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        let mut id = vec![0u8; 20];
        getrandom::getrandom(&mut id).unwrap();
        Authenticator { key, id, count: 0 }
    }

    fn spki(&self) -> Vec<u8> {
        let mut out = hex(SPKI_P256);
        out.extend_from_slice(self.key.public_key().as_ref());
        out
    }

    fn auth_data(&self, rp: &str, flags: u8, attested: bool) -> Vec<u8> {
        let mut out = Sha256::digest(rp.as_bytes()).to_vec();
        out.push(flags);
        out.extend_from_slice(&self.count.to_be_bytes());
        if attested {
            out.extend_from_slice(&[0; 16]);
            out.extend_from_slice(&(self.id.len() as u16).to_be_bytes());
            out.extend_from_slice(&self.id);
            out.extend_from_slice(&[0xa5, 0x01, 0x02]); // the COSE key (the server reads the SPKI)
        }
        out
    }

    fn sign(&self, data: &[u8]) -> Vec<u8> {
        self.key
            .sign(&SystemRandom::new(), data)
            .unwrap()
            .as_ref()
            .to_vec()
    }
}

fn client_data(kind: &str, challenge: &str, origin: &str) -> Vec<u8> {
    format!(
        r#"{{"type":"{kind}","challenge":"{challenge}","origin":"{origin}","crossOrigin":false}}"#
    )
    .into_bytes()
}

/// Adds `a` as a passkey of `o` through the account page's form.
fn register(o: &Owner, a: &Authenticator) -> Resp {
    let page = get("/console/account", &o.browser).body;
    let challenge = data_attr(&page, "challenge");
    let client = client_data("webauthn.create", &challenge, &worker().base);
    let auth = a.auth_data(&rp_id(), 0x45, true);
    post(
        "/console/account/passkeys",
        &[("cookie", &o.browser)],
        &[
            ("csrf", &csrf_of(&page)),
            ("challenge", &challenge),
            ("credential_id", &b64(&a.id)),
            ("client_data", &b64(&client)),
            ("authenticator_data", &b64(&auth)),
            ("public_key", &b64(&a.spki())),
            ("name", "My phone"),
        ],
    )
}

/// An answer of `a` to a fresh sign-in page's challenge, with what `change` alters.
fn answer(a: &mut Authenticator, change: impl Fn(&mut Answer)) -> Vec<(&'static str, String)> {
    let page = worker().get("/signin", None).body;
    let mut x = Answer {
        challenge: data_attr(&page, "challenge"),
        origin: worker().base.clone(),
        rp: rp_id(),
        bump: 1,
        tamper: false,
        id: a.id.clone(),
    };
    change(&mut x);
    a.count = a.count.wrapping_add(x.bump);
    let client = client_data("webauthn.get", &x.challenge, &x.origin);
    let auth = a.auth_data(&x.rp, 0x05, false);
    let mut signed = auth.clone();
    signed.extend_from_slice(&Sha256::digest(&client));
    let mut signature = a.sign(&signed);
    if x.tamper {
        let last = signature.len() - 1;
        signature[last] ^= 1;
    }
    vec![
        ("challenge", x.challenge),
        ("credential_id", b64(&x.id)),
        ("client_data", b64(&client)),
        ("authenticator_data", b64(&auth)),
        ("signature", b64(&signature)),
        ("language", "en".into()),
    ]
}

/// What a test changes in an answer.
type Change = Box<dyn Fn(&mut Answer)>;

struct Answer {
    challenge: String,
    origin: String,
    rp: String,
    bump: u32,
    tamper: bool,
    id: Vec<u8>,
}

fn sign_in_with(fields: &[(&'static str, String)]) -> Resp {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    post("/signin/passkey", &[], &refs)
}

fn signed_in(resp: &Resp) -> bool {
    resp.status == 303
        && resp.header("location") == Some("/console")
        && resp
            .headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("set-cookie") && v.starts_with("le_console="))
}

#[test]
fn a_passkey_added_on_the_account_page_signs_in_once_per_answer_and_nothing_forged_does() {
    let o = sign_up_owner();
    let mut a = Authenticator::new();
    let added = register(&o, &a);
    assert_eq!(added.status, 200, "{}", added.body);
    assert!(added.body.contains("Passkey added."), "{}", added.body);
    assert!(added.body.contains("My phone"));
    // The same credential again is refused beside the form.
    let again = register(&o, &a);
    assert_eq!(again.status, 422, "{}", again.body);
    assert!(again.body.contains("already known"), "{}", again.body);

    // A good answer signs in, and the session works.
    let good = answer(&mut a, |_| {});
    let resp = sign_in_with(&good);
    assert!(signed_in(&resp), "{} {:?}", resp.status, resp.headers);
    let cookie = crate::console::session_only(&crate::console::cookies(&resp));
    assert!(get("/console", &cookie).body.contains("Café Ala"));
    // The same answer again: refused (its challenge was answered).
    let replay = sign_in_with(&good);
    assert_eq!(replay.status, 401, "{}", replay.body);
    assert!(replay.body.contains("This passkey was not accepted"));
    // A counter that does not move forward: refused.
    let stale = answer(&mut a, |x| x.bump = 0);
    assert_eq!(sign_in_with(&stale).status, 401);
    // Another origin, another site, a changed signature, an unknown passkey: refused.
    let cases: Vec<(&str, Change)> = vec![
        (
            "another origin",
            Box::new(|x| x.origin = "https://evil.example".into()),
        ),
        ("another site", Box::new(|x| x.rp = "evil.example".into())),
        ("a changed signature", Box::new(|x| x.tamper = true)),
        ("an unknown passkey", Box::new(|x| x.id = vec![7; 20])),
        (
            "a forged challenge",
            Box::new(|x| x.challenge = "AAAA".into()),
        ),
    ];
    for (what, change) in cases {
        let fields = answer(&mut a, change);
        let resp = sign_in_with(&fields);
        assert!(!signed_in(&resp), "{what}");
        assert!(
            resp.status == 401 || resp.status == 400,
            "{what}: {}",
            resp.status
        );
    }
    // Still good after all that.
    assert!(signed_in(&sign_in_with(&answer(&mut a, |_| {}))));

    // Removed, it no longer signs in.
    let page = get("/console/account", &o.browser).body;
    let start = page.find("/console/account/passkeys/").unwrap() + 26;
    let prefix = page[start..].split('/').next().unwrap().to_owned();
    let removed = post(
        &format!("/console/account/passkeys/{prefix}/remove"),
        &[("cookie", &o.browser)],
        &[("csrf", &csrf_of(&page))],
    );
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert!(removed.body.contains("Passkey removed."));
    assert_eq!(sign_in_with(&answer(&mut a, |_| {})).status, 401);
}

#[test]
fn a_registration_for_another_site_or_with_a_changed_id_is_refused() {
    let o = sign_up_owner();
    let a = Authenticator::new();
    let page = get("/console/account", &o.browser).body;
    let challenge = data_attr(&page, "challenge");
    let send = |client: Vec<u8>, auth: Vec<u8>, id: &[u8]| {
        post(
            "/console/account/passkeys",
            &[("cookie", &o.browser)],
            &[
                ("csrf", &csrf_of(&page)),
                ("challenge", &challenge),
                ("credential_id", &b64(id)),
                ("client_data", &b64(&client)),
                ("authenticator_data", &b64(&auth)),
                ("public_key", &b64(&a.spki())),
            ],
        )
    };
    let base = worker().base.clone();
    let cases = [
        (
            "another origin",
            send(
                client_data("webauthn.create", &challenge, "https://evil.example"),
                a.auth_data(&rp_id(), 0x45, true),
                &a.id,
            ),
        ),
        (
            "another site",
            send(
                client_data("webauthn.create", &challenge, &base),
                a.auth_data("evil.example", 0x45, true),
                &a.id,
            ),
        ),
        (
            "not verified",
            send(
                client_data("webauthn.create", &challenge, &base),
                a.auth_data(&rp_id(), 0x41, true),
                &a.id,
            ),
        ),
        (
            "a changed id",
            send(
                client_data("webauthn.create", &challenge, &base),
                a.auth_data(&rp_id(), 0x45, true),
                &[9; 20],
            ),
        ),
        (
            "a sign-in answer",
            send(
                client_data("webauthn.get", &challenge, &base),
                a.auth_data(&rp_id(), 0x45, true),
                &a.id,
            ),
        ),
    ];
    for (what, resp) in cases {
        assert_eq!(resp.status, 422, "{what}: {}", resp.body);
        assert!(resp.body.contains("could not be checked"), "{what}");
    }
    let page = get("/console/account", &o.browser).body;
    assert!(
        !page.contains("/console/account/passkeys/"),
        "nothing was added"
    );
}
