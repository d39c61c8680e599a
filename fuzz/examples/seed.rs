//! Writes the seed inputs of every fuzz target into `fuzz/corpus/<target>/seed-*`: real, valid
//! inputs made with the domain's own functions (a signed token, a signed webhook, cookies, a
//! full program, ...), so the fuzzer starts from the accepting paths. Run by `scripts/fuzz seed`.

use std::fs;
use std::path::Path;

use loyalty_edge::domain::apikey;
use loyalty_edge::domain::ids::{MemberId, MerchantId};
use loyalty_edge::domain::search::cursor;
use loyalty_edge::domain::session::{invite_cookie, member_cookie, staff_cookie, Ticket};
use loyalty_edge::domain::token::{Lifetime, ScanKind, ScanToken};
use loyalty_edge::domain::webhook::sign;
use loyalty_edge_fuzz::{master, NOW};
use serde_json::json;

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let write = |target: &str, name: &str, bytes: &[u8]| -> std::io::Result<()> {
        let dir = root.join(target);
        fs::create_dir_all(&dir)?;
        fs::write(dir.join(format!("seed-{name}")), bytes)
    };

    for (name, t) in tokens() {
        let raw = t.sign(&master().scan_key(t.merchant, t.kid));
        write("scan_token", name, raw.as_bytes())?;
        // The same token's signed bytes, for the target's second reading of its input.
        let bytes = data_encoding::BASE32_NOPAD
            .decode(raw.as_bytes())
            .unwrap_or_default();
        let mut signed = bytes[..29].to_vec();
        signed.extend_from_slice(&60i32.to_be_bytes());
        signed.extend_from_slice(&[5, b'A']);
        write("scan_token", &format!("{name}-bytes"), &signed)?;
    }

    let secret = master().webhook_secret(MerchantId::new(7), 1);
    let member = "0123456789abcdef0123456789abcdef";
    for (name, body) in [
        (
            "completed",
            json!({"type": "purchase.completed", "timestamp": "2027-01-15T08:00:00Z",
            "data": {"order_id": "A-1001", "member": {"member_id": member}, "amount_minor": 1250,
                     "currency": "PLN", "items": [{"sku": "LATTE", "quantity": 2}],
                     "redemption_ids": ["fedcba9876543210fedcba9876543210"]}}),
        ),
        (
            "completed-email",
            json!({"type": "purchase.completed",
            "data": {"order_id": "A-1002", "member": {"email": " Ola@Example.PL "},
                     "amount_minor": 990}}),
        ),
        (
            "completed-phone",
            json!({"type": "purchase.completed",
            "data": {"order_id": "A-1003", "member": {"phone": "+48 600-100-200"},
                     "amount_minor": 4500, "currency": "PLN"}}),
        ),
        (
            "refunded",
            json!({"type": "purchase.refunded",
            "data": {"order_id": "A-1001", "amount_minor": 500, "currency": "PLN"}}),
        ),
    ] {
        let body = body.to_string();
        let sig = sign("msg_2bQm4x", NOW, body.as_bytes(), &secret);
        let input = format!("msg_2bQm4x\n{NOW}\n{sig}\n{body}");
        write("webhook", name, input.as_bytes())?;
    }

    let key = master().session_key();
    let m = MemberId::from_random([0x5a; 16]);
    let k = apikey::generate(MerchantId::new(7), [1, 2, 3, 4], [9; 24]);
    for (name, value) in [
        ("api-key", k.full.clone()),
        ("member-cookie", member_cookie(&key, MerchantId::new(7), &m)),
        ("staff-cookie", staff_cookie(&key, &k.id, NOW + 3600)),
        (
            "invite-cookie",
            invite_cookie(&key, MerchantId::new(7), "abcdefgh"),
        ),
        (
            "ticket",
            Ticket {
                merchant: MerchantId::new(7),
                member: m.clone(),
                issued_at: NOW - 60,
            }
            .sign(&key),
        ),
    ] {
        write("credentials", name, value.as_bytes())?;
    }

    for (name, body) in programs() {
        write("program", name, body.to_string().as_bytes())?;
    }

    for (name, body) in [
        (
            "free-item",
            json!({"name": "Free coffee", "kind": "free_item", "cost_stamp_card": true}),
        ),
        (
            "amount-off",
            json!({"name": "10 off", "kind": "amount_off", "value": 1000,
            "cost_points": 500, "starts_at": 1_795_000_000_000i64,
            "ends_at": 1_796_000_000_000i64, "stock": 20, "per_member_limit": 1}),
        ),
        (
            "coupon",
            json!({"name": "Online 15%", "kind": "coupon", "coupon_code": "SAVE-15",
            "cost_points": 300, "active": false}),
        ),
        (
            "cashback",
            json!({"name": "5 back", "kind": "cashback", "value": 500, "cost_points": 250}),
        ),
        (
            "percent-off",
            json!({"name": "Half price", "kind": "percent_off", "value": 50, "cost_points": 900}),
        ),
    ] {
        write("reward", name, body.to_string().as_bytes())?;
    }

    for (name, body) in [
        (
            "settings",
            json!({"endpoint_url": "https://hooks.example/loyalty", "language": "pl",
            "quiet_hours": {"start": "21:00", "end": "09:00"}, "marketing_cap_days": 7,
            "muted": ["balance_update"],
            "templates": {"welcome": {"en": {"subject": "Welcome, {{name}}",
                "text": "You have {{points}} points at {{merchant}}: {{card_link}}"}}}}),
        ),
        (
            "campaign",
            json!({"name": "Spring", "segment": "at_risk", "holdout_percent": 10,
            "window_days": 14, "variants": [
                {"name": "a", "weight": 2, "subject": "We miss you", "text": "Come back, {{name}}"},
                {"name": "b", "subject": "", "text": "{{points}} points wait for you"}]}),
        ),
    ] {
        write("messaging", name, body.to_string().as_bytes())?;
    }

    for (name, body) in [
        ("amount", "amount=12.50&location=1".to_owned()),
        ("amount-comma", "amount=7%2C5".to_owned()),
        (
            "join",
            "ticket=x&name=Ola+Nowak&email=Ola%40Example.PL&phone=%2B48+600-100-200\
             &birthday=1990-02-28&marketing_consent=yes"
                .to_owned(),
        ),
        ("join-month-day", "name=Zo%C3%AB&birthday=02-29".to_owned()),
    ] {
        write("staff_forms", name, body.as_bytes())?;
    }

    for (name, value) in [
        ("merchant-id", "0a0b0c0d".to_owned()),
        ("member-id", member.to_owned()),
        ("search-email", " Ola@Example.com ".to_owned()),
        ("search-phone", "+48 600-100-200".to_owned()),
        ("search-name", "a%b_c".to_owned()),
        ("cursor", cursor(1_795_000_000_000, member)),
        (
            "idempotency-key",
            "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"".to_owned(),
        ),
        ("invite-code", "ABCDEFGH".to_owned()),
        ("ipv4", "203.0.113.7".to_owned()),
        ("ipv6", "2001:db8:85a3::8a2e:370:7334".to_owned()),
        ("kind", "we_miss_you".to_owned()),
        ("reason", "velocity_network".to_owned()),
        ("shard-map", "DB=00-3f,DB_3=40-7f,DB_2=80-ff".to_owned()),
    ] {
        write("lookups", name, value.as_bytes())?;
    }
    // The set-up: each step's good form, a bad one, and the upload check's three formats.
    for (name, body) in [
        ("business", "primary=%23112233&accent=%23D4A373"),
        ("business-bad", "primary=red&accent=%2312"),
        (
            "earn-stamps",
            "mode=stamps&card_size=8&per_visit=1&card_reward=a+free+coffee",
        ),
        ("earn-points", "mode=cashback&per_unit=2"),
        (
            "earn-bad",
            "mode=stamps&card_size=70&per_visit=x&card_reward=",
        ),
        (
            "rewards",
            "name1=Money+back&points1=100&amount1=5.00&name2=Cake&points2=50&name3=",
        ),
        (
            "locations",
            "time_zone=Europe%2FBerlin&location1=Rynek&location2=&new=Dworzec",
        ),
        (
            "reward-form",
            "name=Flat+white&description=Any+size&kind=amount_off&amount=5%2C50&pays=points&points=120&stock=10&limit=1&starts=2026-12-01&ends=2026-12-31",
        ),
        (
            "reward-form-bad",
            "name=&kind=percent_off&percent=150&pays=card&stock=x&starts=2026-12-31&ends=2026-12-01",
        ),
        (
            "card-form",
            "primary=%230b3d2e&accent=%23ffd166&stamp_icon=cup&tone=formal&card_size=10&card_reward=a+cinnamon+bun",
        ),
        (
            "rules-form",
            "per_visit=1&per_purchase=1&per_unit=2&cooldown_hours=6&cooldown_was=4&daily_cap=2&expiry=after&after_count=12&after_unit=months&end_of_month=1&inactive_days=365&pending_days=14&negative=allow&code_secs=180&cancel_mins=60&point_value=2%2C50&birthday=1&bday_points=0&bday_stamps=1&bday_reward=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&bday_lead=3&bday_hour=9&bday_gift_days=30&referral=1&ref_referrer_points=100&ref_referrer_stamps=0&ref_referee_points=50&ref_referee_stamps=0&ref_min=20&ref_cap=10",
        ),
        (
            "rules-form-bad",
            "per_visit=11&cooldown_hours=200&daily_cap=x&expiry=after&after_count=130&after_unit=months&negative=maybe&point_value=abc&bday_reward=ffff&bday_hour=24",
        ),
        (
            "card-form-bad",
            "primary=red&accent=%23fff&stamp_icon=skull&tone=&card_size=0&card_reward=",
        ),
    ] {
        write("setup_forms", name, body.as_bytes())?;
    }
    write("setup_forms", "png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")?;
    write(
        "setup_forms",
        "jpeg",
        &[0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F'],
    )?;
    write("setup_forms", "webp", b"RIFF\x1a\0\0\0WEBPVP8L")?;
    write(
        "setup_forms",
        "svg",
        b"<?xml version=\"1.0\"?><svg><script/></svg>",
    )?;
    let path = format!("/files/0a0b0c0d/{}.png", "ab".repeat(32));
    write("setup_forms", "path", path.as_bytes())?;
    Ok(())
}

fn tokens() -> Vec<(&'static str, ScanToken)> {
    let t = |kind, lifetime| ScanToken {
        kid: 1,
        merchant: MerchantId::new(0x0102_0304),
        location: 1,
        kind,
        issued_at: NOW as u32,
        lifetime,
        nonce: [7; 12],
    };
    let secs = |s| Lifetime::seconds(s).unwrap_or_else(|| unreachable!());
    let hours = |h| Lifetime::hours(h).unwrap_or_else(|| unreachable!());
    vec![
        (
            "purchase",
            t(ScanKind::Purchase { amount_minor: 1250 }, secs(120)),
        ),
        ("visit-poster", t(ScanKind::Visit, hours(24 * 365))),
        ("points", t(ScanKind::Points(50), secs(300))),
        ("stamps", t(ScanKind::Stamps(2), secs(60))),
    ]
}

fn programs() -> Vec<(&'static str, serde_json::Value)> {
    let full = json!({
        "stamp_card_size": 10, "stamps_per_visit": 1, "stamps_per_purchase": 2,
        "points_per_major_unit": 5, "visit_cooldown_secs": 3600, "visit_daily_cap": 3,
        "card_reward": "a free pastry", "pending_days": 14, "negative_balance": "allow",
        "redemption_code_secs": 120, "redemption_cancel_mins": 30, "point_value_per_100": 50,
        "points_expiry": {"policy": "after_earning", "months": 12, "end_of_month": true},
        "tiers": {"window_days": 180, "downgrade": {"policy": "never"},
            "levels": [{"name": "Member", "threshold": 0},
                       {"name": "Gold", "threshold": 900, "earn_rate_pct": 150,
                        "benefits": ["Free upsize"]}]},
        "promotions": [
            {"name": "Happy hour", "multiplier_pct": 200, "days": ["mon", "fri"],
             "from": "15:00", "until": "17:00"},
            {"name": "Advent", "bonus_points": 20, "starts_on": "2026-12-01", "ends_on": "2026-12-24"}],
        "item_points": [{"sku": "LATTE", "points": 5}],
        "referral": {"enabled": true, "referrer": {"points": 100}, "referee": {"stamps": 1},
            "min_purchase_minor": 1000, "qualifying_purchase": "first_at_minimum",
            "monthly_cap": 5, "velocity": {"window_hours": 24, "per_device": 2, "per_network": 5}},
        "birthday": {"enabled": true, "gift": {"points": 50}, "lead_days": 3, "local_hour": 9},
        "sequences": [
            {"id": "welcome_reward", "event": "first_purchase",
             "gift": {"points": 20, "stamps": 1}, "message": false},
            {"id": "every_third", "event": "visit", "every": 3, "gift": {"points": 50}},
            {"id": "lapsed", "event": "inactive", "days": 30, "delay_hours": 2,
             "condition": {"marketing_consent": true, "not_returned": true},
             "words": {"subject": "Hi {{name}}", "text": "Come back for {{points}} points"}},
            {"id": "fourth", "event": "milestone", "visits": 4, "gift": {"stamps": 2}}]
    });
    let merchant = json!({
        "name": "Kawiarnia Ola", "currency": {"code": "PLN", "minor_units": 2},
        "time_zone": "Europe/Warsaw", "locations": ["Main", "Station"],
        "branding": {"primary_color": "#AABBCC", "accent_color": "#112233",
                     "logo_url": "https://cdn.example/logo.png", "tone": "formal"},
        "program": {"stamp_card_size": 8, "points_expiry": {"policy": "never"}}
    });
    vec![
        ("empty", json!({})),
        ("full", full),
        ("merchant", merchant),
        (
            "profile-patch",
            json!({"name": " Kawiarnia ", "time_zone": "America/New_York",
            "branding": {"accent_color": "#00ff00"}}),
        ),
        ("currency", json!({"code": "TND", "minor_units": 3})),
    ]
}
