//! PBKDF2-SHA256 through the platform's Web Crypto (`crypto.subtle`): native code, not wasm,
//! so a sign-in's 100,000 iterations cost a few milliseconds of CPU and no wasm size.

use worker::js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;

use super::error::AppError;

pub(super) fn js_error(what: &str) -> impl Fn(JsValue) -> AppError + '_ {
    move |e| AppError::internal(format!("Web Crypto {what}: {e:?}"))
}

pub(super) fn method(target: &JsValue, name: &str) -> Result<Function, AppError> {
    Reflect::get(target, &JsValue::from_str(name))
        .map_err(js_error(name))?
        .dyn_into::<Function>()
        .map_err(js_error(name))
}

/// The platform's `crypto.subtle`.
pub(super) fn subtle() -> Result<JsValue, AppError> {
    let crypto = Reflect::get(&worker::js_sys::global(), &JsValue::from_str("crypto"))
        .map_err(js_error("crypto"))?;
    Reflect::get(&crypto, &JsValue::from_str("subtle")).map_err(js_error("subtle"))
}

/// Derives 32 bytes from `password` with `salt` and `iterations` (PBKDF2-HMAC-SHA256).
pub async fn pbkdf2(password: &[u8], salt: &[u8], iterations: u32) -> Result<Vec<u8>, AppError> {
    let subtle = subtle()?;
    let import_args = Array::new();
    import_args.push(&JsValue::from_str("raw"));
    import_args.push(&Uint8Array::from(password));
    import_args.push(&JsValue::from_str("PBKDF2"));
    import_args.push(&JsValue::FALSE);
    import_args.push(&Array::of1(&JsValue::from_str("deriveBits")));
    let imported = method(&subtle, "importKey")?
        .apply(&subtle, &import_args)
        .map_err(js_error("importKey"))?;
    let key = JsFuture::from(Promise::from(imported))
        .await
        .map_err(js_error("importKey"))?;
    let params = Object::new();
    let set = |k: &str, v: &JsValue| {
        Reflect::set(&params, &JsValue::from_str(k), v).map_err(js_error("params"))
    };
    set("name", &JsValue::from_str("PBKDF2"))?;
    set("hash", &JsValue::from_str("SHA-256"))?;
    set("salt", &Uint8Array::from(salt))?;
    set("iterations", &JsValue::from(iterations))?;
    let derived = method(&subtle, "deriveBits")?
        .call3(&subtle, &params, &key, &JsValue::from(256))
        .map_err(js_error("deriveBits"))?;
    let bits = JsFuture::from(Promise::from(derived))
        .await
        .map_err(js_error("deriveBits"))?;
    Ok(Uint8Array::new(&bits).to_vec())
}
