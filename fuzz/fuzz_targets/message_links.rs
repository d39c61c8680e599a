//! What a message's recipient can send back: a push subscription as the card's script posts it
//! (`domain::push`), and the unsubscribe, open and click links of `domain::links`, as any text.
//! - A subscription that reads has a loopback or push-service endpoint, a 65-octet uncompressed
//!   key and a 16-octet secret, and never one of the cloud's metadata addresses.
//! - No text we did not sign reads as a link; a link signed for the text reads back as signed,
//!   for its own merchant only; a click target that passes `safe_target` is one of our paths.
//! - An email header made from the text is ASCII on lines without bare breaks, or refused.
//! - The console's channels form, its fields cut from the text, either names its bad fields or
//!   gives settings that pass the API's own check; a template's words either pass or are named.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loyalty_edge::domain::channels_form::ChannelsForm;
use loyalty_edge::domain::email;
use loyalty_edge::domain::language::Language;
use loyalty_edge::domain::messages::{check_template, template_problem, Settings, Template};
use loyalty_edge::domain::links::{self, Via};
use loyalty_edge::domain::push;
use loyalty_edge_fuzz::master;

fuzz_target!(|data: &[u8]| {
    for loopback in [false, true] {
        if let Ok(sub) = push::parse_subscription(data, loopback) {
            assert_eq!(sub.p256dh[0], 4);
            assert!(push::check_endpoint(&sub.endpoint, loopback).is_ok());
            assert!(!sub.endpoint.contains("169.254."));
            if !loopback {
                assert!(sub.endpoint.starts_with("https://"));
            }
        }
    }
    let key = master().link_key();
    let text = String::from_utf8_lossy(data);
    assert!(links::read_unsubscribe(&key, "1", &text).is_none());
    assert!(links::read_message(&key, "1", &text).is_none());
    assert!(links::read_click(&key, "1", &text).is_none());
    let member: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(40)
        .collect();
    if !member.is_empty() {
        let t = links::unsubscribe_token(&key, "1", &member, Via::Email);
        let read = links::read_unsubscribe(&key, "1", &t).expect("our own link reads");
        assert_eq!((read.member.as_str(), read.via), (member.as_str(), Via::Email));
        assert!(links::read_unsubscribe(&key, "2", &t).is_none());
        let m = links::message_token(&key, "1", &member);
        assert_eq!(links::read_message(&key, "1", &m).as_deref(), Some(member.as_str()));
        let c = links::click_token(&key, "1", &member, &text);
        assert_eq!(links::read_click(&key, "1", &c), Some((member.clone(), text.to_string())));
    }
    if links::safe_target(&text, None) {
        assert!(text.starts_with('/') && !text.starts_with("//"));
    }
    if let Ok(v) = email::header_text(&text) {
        assert!(v.is_ascii());
        assert!(v.split("\r\n").skip(1).all(|l| l.starts_with(' ')));
        assert!(!v.replace("\r\n ", "").contains(['\r', '\n']));
    }
    if email::check_address(&text).is_ok() {
        assert!(!text.contains(['\r', '\n', '<', '>', ',', ' ']));
    }
    let parts: Vec<&str> = text.split('|').collect();
    let part = |i: usize| parts.get(i).map(|p| (*p).to_string());
    let form = ChannelsForm::read(|name| match name {
        "email" => part(0),
        "push" => part(1),
        "sender_name" => part(2),
        "reply_to" => part(3),
        "offer_en" => part(4),
        "offer_pl" => part(5),
        "quiet_start" => part(6),
        "quiet_end" => part(7),
        "cap_days" => part(8),
        _ => None,
    });
    match form.apply(&Settings::default()) {
        Ok(settings) => assert!(settings.check().is_ok(), "{settings:?}"),
        Err(errors) => assert!(!errors.is_empty()),
    }
    let t = Template {
        subject: part(9).unwrap_or_default(),
        text: part(10).unwrap_or_default(),
    };
    for l in Language::ALL {
        assert_eq!(template_problem(&t, l).is_none(), check_template(&t).is_ok(), "{t:?}");
    }
});
