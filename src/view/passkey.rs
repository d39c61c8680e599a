//! The passkey parts of the console's pages: the list and the "add a passkey" button on the
//! account page, the "sign in with a passkey" button on the sign-in page, and the one script
//! both need (served under the page's CSP by its hash; without it, or without WebAuthn in the
//! browser, the buttons stay hidden and the pages work as before).

use maud::{html, Markup, PreEscaped};

use super::console::{csrf_field, problem_text, Frame};
use crate::domain::account::FieldError;
use crate::domain::language::Language;

/// The browser side: asks the authenticator, fills the hidden fields, posts the form.
pub const SCRIPT: &str = r#"(() => {
  const form = document.getElementById('passkey-form');
  if (!form || !window.PublicKeyCredential) return;
  const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const bytes = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const d = form.dataset;
  const set = (name, value) => { form.elements[name].value = value; };
  const button = document.getElementById('passkey-button');
  button.hidden = false;
  button.addEventListener('click', async () => {
    document.getElementById('passkey-error').hidden = true;
    try {
      if (d.mode === 'register') {
        const c = await navigator.credentials.create({ publicKey: {
          challenge: bytes(d.challenge), rp: { id: location.hostname, name: d.rp },
          user: { id: bytes(d.user), name: d.email, displayName: d.name },
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
          attestation: 'none', timeout: 120000 } });
        set('credential_id', b64(c.rawId));
        set('client_data', b64(c.response.clientDataJSON));
        set('authenticator_data', b64(c.response.getAuthenticatorData()));
        set('public_key', b64(c.response.getPublicKey()));
      } else {
        const c = await navigator.credentials.get({ publicKey: {
          challenge: bytes(d.challenge), rpId: location.hostname, userVerification: 'required', timeout: 120000 } });
        set('credential_id', b64(c.rawId));
        set('client_data', b64(c.response.clientDataJSON));
        set('authenticator_data', b64(c.response.authenticatorData));
        set('signature', b64(c.response.signature));
      }
      form.submit();
    } catch (e) {
      document.getElementById('passkey-error').hidden = false;
    }
  });
})();"#;

/// A passkey as the account page lists it.
pub struct PasskeyLine {
    /// What removes it (a prefix of its id).
    pub id: String,
    pub name: String,
    pub added: String,
    pub used: Option<String>,
}

/// What the browser needs to make a passkey for this person.
pub struct RegisterPrompt {
    pub challenge: String,
    /// The person's id as the passkey's user handle (base64url).
    pub user: String,
    pub email: String,
    pub name: String,
    /// The name the authenticator shows for the site: the business.
    pub rp: String,
}

fn failed(l: Language) -> Markup {
    html! {
        p.err id="passkey-error" role="alert" hidden {
            (l.pick("No passkey was made or used: the browser was cancelled or cannot make one here (passkeys need the site's name, not an address like 127.0.0.1).",
                "Nie utworzono ani nie użyto klucza dostępu: przeglądarka przerwała albo nie może go tu utworzyć (klucze wymagają nazwy strony, nie adresu jak 127.0.0.1)."))
        }
    }
}

/// The account page's passkeys: the list with a remove button each, and the add button.
pub fn account_section(
    l: Language,
    f: &Frame<'_>,
    lines: &[PasskeyLine],
    prompt: Option<&RegisterPrompt>,
    errors: &[FieldError],
) -> Markup {
    let error = errors.iter().find(|e| e.field == "passkey");
    html! {
        section.card {
            h2 { (l.pick("Passkeys", "Klucze dostępu")) }
            p.help { (l.pick("Sign in with your phone's fingerprint, face or screen lock instead of the password.",
                "Loguj się odciskiem palca, twarzą albo blokadą ekranu telefonu zamiast hasła.")) }
            @if let Some(e) = error { p.err role="alert" { (problem_text(l, e.problem)) } }
            ul.devices {
                @for k in lines {
                    li {
                        strong { (k.name) }
                        p.help { (l.pick("Added", "Dodano")) " " (k.added) @if let Some(u) = &k.used { " · " (l.pick("last used", "ostatnio użyto")) " " (u) } }
                        form method="post" action={"/console/account/passkeys/" (k.id) "/remove"} {
                            (csrf_field(f))
                            button.quiet type="submit" { (l.pick("Remove this passkey", "Usuń ten klucz")) }
                        }
                    }
                }
            }
            @if let Some(p) = prompt {
                form id="passkey-form" method="post" action="/console/account/passkeys" data-mode="register"
                    data-challenge=(p.challenge) data-user=(p.user) data-email=(p.email) data-name=(p.name) data-rp=(p.rp) {
                    (csrf_field(f))
                    input type="hidden" name="challenge" value=(p.challenge);
                    @for name in ["credential_id", "client_data", "authenticator_data", "public_key"] {
                        input type="hidden" name=(name);
                    }
                    label for="f-passkey-name" { (l.pick("Name of the passkey (optional)", "Nazwa klucza (opcjonalnie)")) }
                    input id="f-passkey-name" name="name" type="text" maxlength="40" autocomplete="off";
                    button id="passkey-button" type="button" hidden { (l.pick("Add a passkey on this device", "Dodaj klucz dostępu na tym urządzeniu")) }
                }
                (failed(l))
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
}

/// The sign-in page's passkey button.
pub fn sign_in_section(l: Language, challenge: &str) -> Markup {
    html! {
        form id="passkey-form" method="post" action="/signin/passkey" data-mode="signin" data-challenge=(challenge) {
            input type="hidden" name="language" value=(l.as_str());
            input type="hidden" name="challenge" value=(challenge);
            @for name in ["credential_id", "client_data", "authenticator_data", "signature"] {
                input type="hidden" name=(name);
            }
            button.quiet id="passkey-button" type="button" hidden { (l.pick("Sign in with a passkey", "Zaloguj się kluczem dostępu")) }
        }
        (failed(l))
        script { (PreEscaped(SCRIPT)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_carry_the_script_whose_hash_their_csp_allows() {
        let page = super::super::console::sign_in(Language::En, "", None, &[], "CH");
        assert_eq!(
            page.matches(&format!("<script>{SCRIPT}</script>")).count(),
            1
        );
        assert!(page.contains(r#"data-challenge="CH""#));
        assert!(
            page.contains(r#"id="passkey-button" type="button" hidden"#),
            "hidden until the script runs"
        );
        // Nothing in the script would end its element early or need escaping.
        assert!(!SCRIPT.contains("</") && !SCRIPT.contains('<'));
    }
}
