//! The KV cache of merchant configuration. KV is eventually consistent (a write can take about a
//! minute to be seen everywhere), so it only ever holds read-mostly config; D1 stays the truth.

use super::app::App;
use super::error::AppError;
use super::store::merchants;
use crate::domain::ids::MerchantId;
use crate::domain::program::MerchantConfig;

/// How long a cached configuration may live before it is reloaded from D1, in seconds.
const TTL_SECS: u64 = 3600;
/// How long an edge location may keep a value without asking KV again (the minimum, 60 s).
const EDGE_CACHE_SECS: u64 = 60;

fn key(id: MerchantId) -> String {
    format!("merchant-config:v3:{id}")
}

/// Returns a merchant's configuration, from KV when cached, else from D1 (then caching it).
pub async fn merchant(app: &App, id: MerchantId) -> Result<Option<MerchantConfig>, AppError> {
    let cached = app
        .kv
        .get(&key(id))
        .cache_ttl(EDGE_CACHE_SECS)
        .text()
        .await
        .ok()
        .flatten();
    if let Some(config) = cached.and_then(|raw| serde_json::from_str::<MerchantConfig>(&raw).ok()) {
        return Ok(Some(config));
    }
    let config = merchants::config(&app.db, id).await?;
    if let Some(config) = &config {
        store(app, config).await;
    }
    Ok(config)
}

/// Reloads a merchant's configuration from D1 and overwrites the cached copy (after a change).
pub async fn refresh(app: &App, id: MerchantId) -> Result<Option<MerchantConfig>, AppError> {
    let config = merchants::config(&app.db, id).await?;
    match &config {
        Some(config) => store(app, config).await,
        None => {
            let _ = app.kv.delete(&key(id)).await;
        }
    }
    Ok(config)
}

async fn store(app: &App, config: &MerchantConfig) {
    // A failed cache write only costs a D1 read next time; it must not fail the request.
    if let Ok(raw) = serde_json::to_string(config) {
        if let Ok(put) = app.kv.put(&key(config.id.0), raw) {
            let _ = put.expiration_ttl(TTL_SECS).execute().await;
        }
    }
}
