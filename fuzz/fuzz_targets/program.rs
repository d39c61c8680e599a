//! The merchant's configuration bodies (`domain::program` and what it includes: tiers,
//! promotions, item points, referral, birthday and sequences), as `PUT /api/v1/program`, the
//! dashboard's program form, `POST /admin/v1/merchants` and `PATCH /api/v1/merchant` send them.
//! What is accepted is stored as JSON (D1) and cached as JSON (KV), so it must read back equal:
//! a program, a currency and a whole merchant config round-trip through their own rendering;
//! a profile patch applied twice changes nothing the second time.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loyalty_edge::domain::ids::MerchantId;
use loyalty_edge::domain::program::{
    Branding, BrandingDraft, Currency, MerchantConfig, MerchantDraft, MerchantIdText, NewMerchant,
    Profile, ProfilePatch, Program,
};
use loyalty_edge::domain::sequence;

fuzz_target!(|data: &[u8]| {
    program(data);
    merchant(data);
    profile(data);
    if let Ok(c) = serde_json::from_slice::<Currency>(data) {
        assert!(c.minor_units <= 3 && c.code.len() == 3);
        let again: Currency = serde_json::from_str(&to_json(&c)).expect("a currency reads back");
        assert_eq!(again, c);
    }
});

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("domain values serialise")
}

fn program(data: &[u8]) {
    let Ok(p) = serde_json::from_slice::<Program>(data) else {
        return;
    };
    let json = to_json(&p);
    let again: Program = match serde_json::from_str(&json) {
        Ok(p) => p,
        Err(e) => panic!("an accepted program does not read back: {e}\n{json}"),
    };
    assert_eq!(
        again, p,
        "the program changed on its way through JSON: {json}"
    );
    // The JSON the SQL reads of it is JSON.
    for on_sale in [true, false] {
        let rules = sequence::rules_json(&p.sequences, on_sale, 1);
        serde_json::from_str::<serde_json::Value>(&rules).expect("rules_json is JSON");
    }
    serde_json::from_str::<serde_json::Value>(&p.tiers.thresholds_json()).expect("thresholds");
    serde_json::from_str::<serde_json::Value>(&p.tiers.rates_json()).expect("rates");
}

fn merchant(data: &[u8]) {
    let Ok(draft) = serde_json::from_slice::<MerchantDraft>(data) else {
        return;
    };
    let Ok(m) = NewMerchant::try_from(draft) else {
        return;
    };
    assert!(!m.locations.is_empty() && m.locations.len() <= 255);
    let config = MerchantConfig {
        id: MerchantIdText(MerchantId::new(7)),
        name: m.name,
        branding: m.branding,
        currency: m.currency,
        time_zone: m.time_zone,
        program: m.program,
        program_version: 1,
        scan_kids: vec![1],
        current_kid: 1,
        locations: (1..=255u8).zip(m.locations).collect(),
        webhook_kids: vec![1],
        push_offer: None,
    };
    assert_eq!(
        config.tz().name(),
        config.time_zone,
        "an accepted time zone must be the one the pages use"
    );
    let json = to_json(&config);
    let again: MerchantConfig = match serde_json::from_str(&json) {
        Ok(c) => c,
        Err(e) => panic!("an accepted merchant does not read back from the cache: {e}\n{json}"),
    };
    assert_eq!(again, config);
}

fn profile(data: &[u8]) {
    let Ok(patch) = serde_json::from_slice::<ProfilePatch>(data) else {
        return;
    };
    let start = Profile {
        name: "Cafe".into(),
        branding: Branding::default(),
        time_zone: "Europe/Warsaw".into(),
    };
    let Ok(p) = start.patched(patch) else {
        return;
    };
    let same = ProfilePatch {
        name: Some(p.name.clone()),
        branding: Some(BrandingDraft {
            primary_color: p.branding.primary_color.clone(),
            accent_color: p.branding.accent_color.clone(),
            logo_url: p.branding.logo_url.clone(),
            tone: p.branding.tone,
            stamp_icon: p.branding.stamp_icon,
        }),
        time_zone: Some(p.time_zone.clone()),
        currency: None,
    };
    assert_eq!(p.patched(same), Ok(p.clone()), "a patch is not idempotent");
    let branding: Branding =
        serde_json::from_str(&to_json(&p.branding)).expect("branding reads back");
    assert_eq!(branding, p.branding);
}
