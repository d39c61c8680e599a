//! Messaging bodies: the settings (`PUT /api/v1/messages/settings`, `domain::messages`) and
//! campaign definitions (`POST /api/v1/campaigns`, `domain::campaign`). Both are stored as JSON
//! and read back on every delivery, so what is accepted must read back equal (a settings row
//! that no longer parses would fall back to the defaults without a word). Templates render
//! without panicking; a campaign's assignment is deterministic and never names an arm the
//! campaign does not have.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use loyalty_edge::domain::campaign::{Definition, HOLDOUT};
use loyalty_edge::domain::messages::{check_endpoint, render, Settings, VARIABLES};

fuzz_target!(|data: &[u8]| {
    settings(data);
    campaign(data);
    let text = String::from_utf8_lossy(data);
    let vars: BTreeMap<&str, String> = VARIABLES.iter().map(|v| (*v, format!("<{v}>"))).collect();
    let out = render(&text, &vars);
    if !text.contains("{{") {
        assert_eq!(out, text);
    }
    let _ = check_endpoint(&text);
});

fn settings(data: &[u8]) {
    let Ok(s) = serde_json::from_slice::<Settings>(data) else {
        return;
    };
    if s.check().is_err() {
        return;
    }
    let json = serde_json::to_string(&s).expect("settings serialise");
    let again: Settings = match serde_json::from_str(&json) {
        Ok(s) => s,
        Err(e) => panic!("accepted settings do not read back: {e}\n{json}"),
    };
    assert_eq!(again, s);
    assert_eq!(again.check(), Ok(()));
}

fn campaign(data: &[u8]) {
    let Ok(d) = serde_json::from_slice::<Definition>(data) else {
        return;
    };
    if d.check(&["champions", "at_risk"]).is_err() {
        return;
    }
    let json = serde_json::to_string(&d).expect("definitions serialise");
    let again: Definition = serde_json::from_str(&json).expect("a definition reads back");
    assert_eq!(again, d);
    for member in [
        "0123456789abcdef0123456789abcdef",
        "ffffffffffffffffffffffffffffffff",
        "",
    ] {
        let arm = d.assign("c1", member);
        assert_eq!(
            arm,
            d.assign("c1", member),
            "assignment is not deterministic"
        );
        assert!(
            arm == HOLDOUT || d.variants.iter().any(|v| v.name == arm),
            "{arm:?} is not an arm"
        );
        if d.holdout_percent == 0 {
            assert_ne!(arm, HOLDOUT, "no holdout, yet {member} was held out");
        }
    }
}
