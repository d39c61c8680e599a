//! `le-token`: signs a scan token on the command line, as a counter device would offline, and
//! prints its scan URL (and, with `--qr`, the QR code drawn in the terminal).
//!
//! The key is derived from the master secret (env `MASTER_SECRET`) or given directly
//! (`--key`, base64url, as `GET /api/v1/scan-key` returns it).

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use loyalty_edge::domain::ids::MerchantId;
use loyalty_edge::domain::keys::{MasterSecret, ScanKey};
use loyalty_edge::domain::token::{Lifetime, ScanKind, ScanToken};

const USAGE: &str = "usage: le-token --merchant ID [--kid N] [--location N] --kind visit|purchase|points|stamps
                [--value N] [--ttl SECONDS] [--issued-at UNIX_SECONDS] [--origin URL] [--key BASE64URL] [--qr]
env: MASTER_SECRET (unless --key is given)";

struct Args {
    merchant: MerchantId,
    kid: u8,
    location: u8,
    kind: ScanKind,
    ttl: u32,
    issued_at: Option<u32>,
    origin: String,
    key: Option<String>,
    qr: bool,
}

fn parse_args(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let (mut merchant, mut kid, mut location, mut kind, mut value) = (None, 1u8, 1u8, None, None);
    let (mut ttl, mut issued_at, mut origin, mut key, mut qr) =
        (None, None, "http://127.0.0.1:8787".to_owned(), None, false);
    while let Some(flag) = argv.next() {
        let mut val = || argv.next().ok_or_else(|| format!("{flag} needs a value"));
        let num = |s: String| {
            s.parse::<u64>()
                .map_err(|_| format!("{flag}: not a number: {s}"))
        };
        match flag.as_str() {
            "--merchant" => {
                merchant = Some(
                    MerchantId::parse(&val()?).ok_or("--merchant: eight lowercase hex digits")?,
                )
            }
            "--kid" => kid = u8::try_from(num(val()?)?).map_err(|_| "--kid: 0 to 255")?,
            "--location" => {
                location = u8::try_from(num(val()?)?).map_err(|_| "--location: 1 to 255")?
            }
            "--kind" => kind = Some(val()?),
            "--value" => {
                value = Some(u32::try_from(num(val()?)?).map_err(|_| "--value: too large")?)
            }
            "--ttl" => ttl = Some(u32::try_from(num(val()?)?).map_err(|_| "--ttl: too large")?),
            "--issued-at" => {
                issued_at = Some(u32::try_from(num(val()?)?).map_err(|_| "--issued-at: too large")?)
            }
            "--origin" => origin = val()?,
            "--key" => key = Some(val()?),
            "--qr" => qr = true,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let kind = match (kind.as_deref(), value) {
        (Some("visit"), None) => ScanKind::Visit,
        (Some("purchase"), Some(v)) => ScanKind::Purchase { amount_minor: v },
        (Some("points"), Some(v)) => ScanKind::Points(v),
        (Some("stamps"), Some(v)) => ScanKind::Stamps(v),
        (Some("visit"), Some(_)) => return Err("--kind visit takes no --value".into()),
        (Some(_), _) => {
            return Err(format!(
                "--kind needs a --value (visit takes none)\n{USAGE}"
            ))
        }
        (None, _) => return Err(format!("--kind is required\n{USAGE}")),
    };
    let default_ttl = if kind.is_single_use() {
        180
    } else {
        400 * 86_400
    };
    Ok(Args {
        merchant: merchant.ok_or_else(|| format!("--merchant is required\n{USAGE}"))?,
        kid,
        location,
        kind,
        ttl: ttl.unwrap_or(default_ttl),
        issued_at,
        origin,
        key,
        qr,
    })
}

fn lifetime(secs: u32) -> Result<Lifetime, String> {
    let small = u16::try_from(secs).ok().and_then(Lifetime::seconds);
    let hours = secs
        .is_multiple_of(3600)
        .then(|| u16::try_from(secs / 3600).ok().and_then(Lifetime::hours))
        .flatten();
    small
        .or(hours)
        .ok_or_else(|| "--ttl: 1 to 32767 seconds, or whole hours up to 32767 hours".into())
}

fn run() -> Result<(), String> {
    let args = parse_args(std::env::args().skip(1))?;
    let key = match &args.key {
        Some(k) => {
            let bytes = URL_SAFE_NO_PAD
                .decode(k)
                .map_err(|_| "--key: not base64url")?;
            ScanKey::from_bytes(bytes.try_into().map_err(|_| "--key: must be 32 bytes")?)
        }
        None => {
            let raw =
                std::env::var("MASTER_SECRET").map_err(|_| "set MASTER_SECRET or pass --key")?;
            MasterSecret::parse(&raw)
                .map_err(|e| e.to_string())?
                .scan_key(args.merchant, args.kid)
        }
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs();
    let issued_at = match args.issued_at {
        Some(t) => t,
        None => u32::try_from(now).map_err(|_| "the clock is past 2106")?,
    };
    let mut nonce = [0u8; 12];
    getrandom::getrandom(&mut nonce).map_err(|e| e.to_string())?;
    let token = ScanToken {
        kid: args.kid,
        merchant: args.merchant,
        location: args.location,
        kind: args.kind,
        issued_at,
        lifetime: lifetime(args.ttl)?,
        nonce,
    };
    let url = format!(
        "{}/s/{}",
        args.origin.trim_end_matches('/'),
        token.sign(&key)
    );
    if args.qr {
        println!(
            "{}",
            loyalty_edge::view::qr::terminal(&url).ok_or("the URL does not fit a QR code")?
        );
    }
    println!("{url}");
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("le-token: {e}");
            ExitCode::from(2)
        }
    }
}
