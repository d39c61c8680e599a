pub mod automations;
pub mod brand;
pub mod campaigns;
pub mod card;
pub mod catalog;
pub mod charts;
pub mod console;
pub mod contrast;
pub mod customers;
pub mod dashboard;
pub mod email;
pub mod error;
pub mod insights;
pub mod integrations;
pub mod items;
pub mod locations;
pub mod messages;
pub mod notify;
pub mod openapi;
pub mod page;
pub mod passkey;
pub mod promotions;
pub mod qr;
pub mod redemption;
pub mod reset;
pub mod rules;
pub mod scan;
pub mod settings;
pub mod setup;
pub mod staff;
pub mod templates;
pub mod tiers;
pub mod tills;

/// A merchant for the views' tests: `name`, PLN, Warsaw, the default program, `locations`.
#[cfg(test)]
pub(crate) fn test_config(
    name: &str,
    locations: &[&str],
) -> crate::domain::program::MerchantConfig {
    use crate::domain::ids::MerchantId;
    use crate::domain::program::{Branding, Currency, MerchantConfig, MerchantIdText, Program};
    MerchantConfig {
        id: MerchantIdText(MerchantId::new(1)),
        name: name.into(),
        branding: Branding::default(),
        currency: Currency {
            code: "PLN".into(),
            minor_units: 2,
        },
        time_zone: "Europe/Warsaw".into(),
        program: Program::default(),
        program_version: 1,
        scan_kids: vec![1],
        current_kid: 1,
        locations: (1..).zip(locations.iter().map(|l| l.to_string())).collect(),
        webhook_kids: vec![1],
        push_offer: None,
    }
}
