//! QR codes, drawn as SVG for pages and as text for terminals.

use qrcode::render::{svg, unicode};
use qrcode::{EcLevel, QrCode};

/// Draws `data` as an SVG QR code at error correction M with the standard 4-module quiet zone.
/// Returns `None` only if the data is too long for any QR code.
pub fn svg(data: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}

/// Draws `data` with Unicode half blocks, two modules per character, for a terminal.
pub fn terminal(data: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()?;
    Some(
        code.render::<unicode::Dense1x2>()
            .dark_color(unicode::Dense1x2::Light)
            .light_color(unicode::Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::MerchantId;
    use crate::domain::keys::MasterSecret;
    use crate::domain::token::{Lifetime, ScanKind, ScanToken};
    use qrcode::Version;

    #[test]
    fn a_scan_url_with_a_30_character_origin_fits_a_version_5_code_at_level_m() {
        let origin = "https://loyalty.example-cafe.pl";
        assert_eq!(origin.len(), 31);
        let token = ScanToken {
            kid: 255,
            merchant: MerchantId::new(u32::MAX),
            location: 255,
            kind: ScanKind::Purchase {
                amount_minor: u32::MAX,
            },
            issued_at: u32::MAX,
            lifetime: Lifetime::hours(32_767).unwrap(),
            nonce: [0xff; 12],
        }
        .sign(
            &MasterSecret::parse(&"k".repeat(32))
                .unwrap()
                .scan_key(MerchantId::new(1), 1),
        );
        let url = format!("{origin}/s/{token}");
        assert!(
            QrCode::with_version(url.as_bytes(), Version::Normal(5), EcLevel::M).is_ok(),
            "{url}"
        );
        assert!(QrCode::with_version(url.as_bytes(), Version::Normal(4), EcLevel::M).is_err());
    }

    #[test]
    fn svg_and_terminal_renderings_are_produced() {
        let s = svg("https://example.com/s/ABC").unwrap();
        assert!(s.starts_with("<?xml") && s.contains("<svg"));
        assert!(terminal("https://example.com/s/ABC").unwrap().contains('█'));
    }
}
