//! Uploaded images (a merchant's logo): which bytes we accept (PNG, JPEG or WebP, recognised by
//! their magic bytes, never by the file's name or the browser's claimed type; at most 1 MB; SVG
//! refused, since a script inside it would run on our origin), and the content-addressed name
//! each is stored and served under. No I/O: the shell stores and serves what this accepts.

use sha2::{Digest, Sha256};

use super::ids::{to_hex, MerchantId};

/// The largest image accepted, in bytes (1 MB).
pub const MAX_BYTES: usize = 1_000_000;

/// The path prefix images are served under.
pub const PREFIX: &str = "/files/";

/// An accepted image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Png,
    Jpeg,
    Webp,
}

impl Kind {
    /// Every accepted format.
    pub const ALL: [Kind; 3] = [Kind::Png, Kind::Jpeg, Kind::Webp];

    /// The file extension it is stored and served with.
    pub fn ext(self) -> &'static str {
        match self {
            Kind::Png => "png",
            Kind::Jpeg => "jpg",
            Kind::Webp => "webp",
        }
    }

    /// The `Content-Type` it is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Webp => "image/webp",
        }
    }

    /// The format of extension `ext`, if accepted.
    pub fn from_ext(ext: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.ext() == ext)
    }
}

/// Why an upload was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No file was chosen (or it is empty).
    Empty,
    /// Larger than [`MAX_BYTES`].
    TooLarge,
    /// An SVG (or other XML): refused because scripts inside it run.
    Svg,
    /// Neither PNG, JPEG nor WebP by its first bytes.
    NotAnImage,
}

/// Recognises an image by its first bytes and checks its size.
pub fn check(bytes: &[u8]) -> Result<Kind, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Refusal::TooLarge);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Kind::Png);
    }
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        return Ok(Kind::Jpeg);
    }
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return Ok(Kind::Webp);
    }
    if looks_like_svg(bytes) {
        return Err(Refusal::Svg);
    }
    Err(Refusal::NotAnImage)
}

/// Tells whether text-like bytes open an SVG or XML document (after a BOM and white space).
fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(512)).unwrap_or_default();
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let text = String::from_utf8_lossy(head.get(start..).unwrap_or_default()).to_lowercase();
    text.starts_with("<?xml") || text.starts_with("<svg") || text.contains("<svg")
}

/// Where an accepted image is stored and served: named by its content's SHA-256, per merchant,
/// so the same bytes are stored once and a name never changes what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub merchant: MerchantId,
    /// 64 lowercase hex digits.
    pub hash: String,
    pub kind: Kind,
}

impl Stored {
    /// The name of `bytes` (already checked to be `kind`) for `merchant`.
    pub fn of(merchant: MerchantId, kind: Kind, bytes: &[u8]) -> Stored {
        Stored {
            merchant,
            hash: to_hex(&Sha256::digest(bytes)),
            kind,
        }
    }

    /// The object's key in the bucket: `<merchant>/<hash>.<ext>`.
    pub fn key(&self) -> String {
        format!("{}/{}.{}", self.merchant, self.hash, self.kind.ext())
    }

    /// The path it is served at: `/files/<merchant>/<hash>.<ext>`.
    pub fn path(&self) -> String {
        format!("{PREFIX}{}", self.key())
    }

    /// Reads a served path back (`/files/<merchant>/<hash>.<ext>`); anything else is `None`.
    pub fn parse_path(path: &str) -> Option<Stored> {
        let rest = path.strip_prefix(PREFIX)?;
        let (merchant, file) = rest.split_once('/')?;
        let (hash, ext) = file.split_once('.')?;
        let hex = hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !hex || merchant.len() != 8 {
            return None;
        }
        Some(Stored {
            merchant: MerchantId::parse(merchant)?,
            hash: hash.to_owned(),
            kind: Kind::from_ext(ext)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = &[0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F'];
    const WEBP: &[u8] = b"RIFF\x24\0\0\0WEBPVP8 ";

    #[test]
    fn images_are_recognised_by_their_first_bytes() {
        assert_eq!(check(PNG), Ok(Kind::Png));
        assert_eq!(check(JPEG), Ok(Kind::Jpeg));
        assert_eq!(check(WEBP), Ok(Kind::Webp));
        assert_eq!(check(b"RIFF\x24\0\0\0WAVEfmt "), Err(Refusal::NotAnImage));
        assert_eq!(check(b"GIF89a"), Err(Refusal::NotAnImage));
        assert_eq!(check(b"\x89PNG"), Err(Refusal::NotAnImage), "cut short");
        assert_eq!(check(b""), Err(Refusal::Empty));
    }

    #[test]
    fn svg_is_refused_as_svg_whatever_it_starts_with() {
        for svg in [
            &b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"[..],
            b"  \n<?xml version=\"1.0\"?><svg/>",
            b"\xef\xbb\xbf<SVG></SVG>",
            b"<!DOCTYPE svg><svg></svg>",
        ] {
            assert_eq!(check(svg), Err(Refusal::Svg), "{svg:?}");
        }
        assert_eq!(check(b"hello"), Err(Refusal::NotAnImage));
    }

    #[test]
    fn an_image_over_one_megabyte_is_refused() {
        let mut big = PNG.to_vec();
        big.resize(MAX_BYTES, 0);
        assert_eq!(check(&big), Ok(Kind::Png));
        big.push(0);
        assert_eq!(check(&big), Err(Refusal::TooLarge));
    }

    #[test]
    fn a_stored_image_is_named_by_its_content_and_its_path_reads_back() {
        let m = MerchantId::new(0x0a0b0c0d);
        let s = Stored::of(m, Kind::Png, PNG);
        assert_eq!(s.hash.len(), 64);
        assert_eq!(s.key(), format!("0a0b0c0d/{}.png", s.hash));
        assert_eq!(Stored::parse_path(&s.path()), Some(s.clone()));
        assert_eq!(Stored::of(m, Kind::Png, PNG), s, "same bytes, same name");
        for bad in [
            "/files/0a0b0c0d/abc.png".to_owned(),
            format!("/files/0a0b0c0d/{}.svg", s.hash),
            format!("/files/0a0b0c0d/{}.PNG", s.hash),
            format!("/files/0a0b0c0d/{}.png/x", s.hash),
            format!("/files/zz/{}.png", s.hash),
            format!("/files/0a0b0c0d/{}.png", s.hash.to_uppercase()),
            format!("/other/0a0b0c0d/{}.png", s.hash),
        ] {
            assert_eq!(Stored::parse_path(&bad), None, "{bad}");
        }
    }
}
