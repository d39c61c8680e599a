//! The rules of loyalty, in plain Rust: tokens, keys, programs, earning, enrolment, sessions.
//! No I/O, no clock (callers pass `now`), no `worker` types: everything here is tested natively.

pub mod account;
pub mod apikey;
pub mod birthday;
pub mod campaign;
pub mod channel;
pub mod config;
pub mod earn;
pub mod enrol;
pub mod idempotency;
pub mod ids;
pub mod image;
pub mod keys;
pub mod language;
pub mod ledger;
pub mod messages;
pub mod metrics;
pub mod passkey;
pub mod password;
pub mod path;
pub mod program;
pub mod promo;
pub mod referral;
pub mod reset;
pub mod reward;
pub mod search;
pub mod sequence;
pub mod session;
pub mod setup;
pub mod shard;
pub mod signup_code;
pub mod tier;
pub mod till;
pub mod token;
pub mod webhook;
