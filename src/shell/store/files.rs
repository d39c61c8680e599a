//! Uploaded images in R2 (binding `FILES`), content-addressed per merchant
//! (`<merchant>/<sha256>.<ext>`, see `domain::image`). Only bytes `image::check` accepted are
//! put here; the key says the format, so serving never trusts stored metadata.

use worker::{Bucket, HttpMetadata};

use crate::domain::image::Stored;
use crate::shell::app::App;
use crate::shell::error::AppError;

fn bucket(app: &App) -> Result<&Bucket, AppError> {
    app.files
        .as_ref()
        .ok_or_else(|| AppError::internal("the FILES bucket is not bound"))
}

/// Stores an accepted image under its name (the same bytes twice are one object).
pub async fn put(app: &App, stored: &Stored, bytes: Vec<u8>) -> Result<(), AppError> {
    bucket(app)?
        .put(stored.key(), bytes)
        .http_metadata(HttpMetadata {
            content_type: Some(stored.kind.content_type().into()),
            ..HttpMetadata::default()
        })
        .execute()
        .await
        .map_err(|e| AppError::internal(format!("R2 put: {e}")))?;
    Ok(())
}

/// The bytes stored under `stored`'s name, if any.
pub async fn get(app: &App, stored: &Stored) -> Result<Option<Vec<u8>>, AppError> {
    let Some(object) = bucket(app)?
        .get(stored.key())
        .execute()
        .await
        .map_err(|e| AppError::internal(format!("R2 get: {e}")))?
    else {
        return Ok(None);
    };
    match object.body() {
        Some(body) => {
            Ok(Some(body.bytes().await.map_err(|e| {
                AppError::internal(format!("R2 read: {e}"))
            })?))
        }
        None => Ok(None),
    }
}
