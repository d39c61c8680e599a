//! ECDSA P-256 signatures of passkeys, verified by the platform's Web Crypto (`crypto.subtle`:
//! native, no wasm size). The checks around them are pure (`domain::passkey`).

use worker::js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use worker::wasm_bindgen::JsValue;
use worker::wasm_bindgen_futures::JsFuture;

use super::error::AppError;
use super::kdf::{js_error, method, subtle};

fn algorithm(entries: &[(&str, &str)]) -> Result<JsValue, AppError> {
    let o = Object::new();
    for (k, v) in entries {
        Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v))
            .map_err(js_error("params"))?;
    }
    Ok(o.into())
}

/// Imports a public key (SubjectPublicKeyInfo DER) as an ECDSA P-256 verifying key; `None` when
/// it is not one.
async fn import(spki: &[u8]) -> Result<Option<JsValue>, AppError> {
    let subtle = subtle()?;
    let args = Array::new();
    args.push(&JsValue::from_str("spki"));
    args.push(&Uint8Array::from(spki));
    args.push(&algorithm(&[("name", "ECDSA"), ("namedCurve", "P-256")])?);
    args.push(&JsValue::FALSE);
    args.push(&Array::of1(&JsValue::from_str("verify")));
    let Ok(imported) = method(&subtle, "importKey")?.apply(&subtle, &args) else {
        return Ok(None);
    };
    Ok(JsFuture::from(Promise::from(imported)).await.ok())
}

/// Tells whether `spki` is an ECDSA P-256 public key.
pub async fn is_p256_key(spki: &[u8]) -> Result<bool, AppError> {
    Ok(import(spki).await?.is_some())
}

/// Verifies `signature` (r || s, 64 bytes) of `data` with the P-256 key `spki` (SHA-256).
pub async fn verify(spki: &[u8], signature: &[u8; 64], data: &[u8]) -> Result<bool, AppError> {
    let Some(key) = import(spki).await? else {
        return Ok(false);
    };
    let subtle = subtle()?;
    let args = Array::new();
    args.push(&algorithm(&[("name", "ECDSA"), ("hash", "SHA-256")])?);
    args.push(&key);
    args.push(&Uint8Array::from(&signature[..]));
    args.push(&Uint8Array::from(data));
    let checked = method(&subtle, "verify")?
        .apply(&subtle, &args)
        .map_err(js_error("verify"))?;
    let result = JsFuture::from(Promise::from(checked))
        .await
        .map_err(js_error("verify"))?;
    Ok(result.as_bool() == Some(true))
}
