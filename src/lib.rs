//! loyalty-edge: a loyalty engine for small shops, running as a Cloudflare Worker.
//!
//! `domain` holds the rules (pure, tested natively); `view` renders pages and QR codes (pure);
//! `shell` is the Worker itself: routes, storage and jobs, compiled for wasm32 only.

pub mod domain;
pub mod view;

#[cfg(target_arch = "wasm32")]
mod shell;
