//! What the fuzz targets share: fixed keys, an independent HMAC, and a reader that turns fuzz
//! bytes into numbers. Nothing here calls the code under test.

use hmac::{Hmac, Mac};
use loyalty_edge::domain::keys::MasterSecret;
use sha2::Sha256;

/// The Unix second every target treats as "now" (2027-01-15).
pub const NOW: i64 = 1_800_000_000;

/// The master secret the targets derive every key from.
pub fn master() -> MasterSecret {
    match MasterSecret::parse("fuzzing master secret, 32 bytes or more") {
        Ok(m) => m,
        Err(e) => panic!("the fuzz master secret is refused: {e}"),
    }
}

/// HMAC-SHA256 of the concatenated `parts`, computed with the `hmac` crate directly (an oracle
/// independent of the domain's own `keys::mac`).
pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut m = match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(m) => m,
        Err(e) => panic!("HMAC takes keys of any length: {e}"),
    };
    for p in parts {
        m.update(p);
    }
    m.finalize().into_bytes().into()
}

/// Reads fixed-size values off the front of the fuzz input; short input reads as zeros.
pub struct Bytes<'a>(pub &'a [u8]);

impl<'a> Bytes<'a> {
    /// Takes `N` bytes (zero-padded when the input runs out).
    pub fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        let n = N.min(self.0.len());
        out[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        out
    }

    pub fn u8(&mut self) -> u8 {
        self.array::<1>()[0]
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_be_bytes(self.array())
    }

    pub fn u32(&mut self) -> u32 {
        u32::from_be_bytes(self.array())
    }

    pub fn i32(&mut self) -> i32 {
        i32::from_be_bytes(self.array())
    }

    /// Whatever is left, as text (invalid UTF-8 replaced).
    pub fn rest_text(&mut self) -> String {
        let s = String::from_utf8_lossy(self.0).into_owned();
        self.0 = &[];
        s
    }
}

/// Replaces the character at `at % len` with `with`, returning `None` when that changes nothing.
pub fn mutate_char(s: &str, at: usize, with: char) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return None;
    }
    let i = at % chars.len();
    if chars[i] == with {
        return None;
    }
    let mut out = chars;
    out[i] = with;
    Some(out.into_iter().collect())
}

/// An `application/x-www-form-urlencoded` body read the way the shell reads one
/// (`shell/http.rs`, wasm-only): the first value of a name wins; a missing name is empty.
pub struct Form(pub Vec<(String, String)>);

impl Form {
    pub fn parse(data: &[u8]) -> Self {
        Form(form_urlencoded::parse(data).into_owned().collect())
    }

    pub fn field(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}
