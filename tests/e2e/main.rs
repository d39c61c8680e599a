//! End-to-end tests: the built Worker in real workerd with local D1 and KV, driven over HTTP.
//! Run by `scripts/test`, which starts the Worker and passes its address and secrets in
//! E2E_BASE_URL, E2E_ADMIN_SECRET and E2E_MASTER_SECRET.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod form_fuzz;
mod harness;

mod analytics;
mod api;
mod automations;
mod birthdays;
mod brand;
mod campaigns;
mod catalog;
mod channels;
mod console;
mod customers;
mod dashboard;
mod expiry;
mod integrations;
mod isolation;
mod jobs;
mod language;
mod ledger;
mod limits;
mod locations;
mod merchant;
mod messages;
mod pages;
mod passkeys;
mod phone;
mod privacy;
mod referrals;
mod resets;
mod rules;
mod scan;
mod sequences;
mod setup;
mod shards;
mod signup_modes;
mod staff;
mod tiers;
mod tills;
mod tokens;
mod webhooks;
