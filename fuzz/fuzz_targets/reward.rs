//! Reward bodies (`POST` and `PUT /api/v1/rewards`, `domain::reward`): what is accepted keeps
//! every limit, and writing it back out as the stored columns and sending that again gives the
//! same reward.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loyalty_edge::domain::reward::{
    Cost, Gift, Reward, RewardDraft, MAX_COST_POINTS, MAX_VALUE_MINOR,
};

fuzz_target!(|data: &[u8]| {
    let Ok(draft) = serde_json::from_slice::<RewardDraft>(data) else {
        return;
    };
    let Ok(r) = Reward::try_from(draft) else {
        return;
    };
    assert_eq!(r.name, r.name.trim());
    assert!((1..=80).contains(&r.name.chars().count()));
    assert!(!r.name.chars().any(char::is_control));
    match &r.gift {
        Gift::FreeItem => {}
        Gift::AmountOff { value } | Gift::Cashback { value } => {
            assert!((1..=MAX_VALUE_MINOR).contains(value))
        }
        Gift::PercentOff { value } => assert!((1..=100).contains(value)),
        Gift::Coupon { code } => assert!(
            (1..=40).contains(&code.len())
                && code
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        ),
    }
    if let Cost::Points(n) = r.cost {
        assert!((1..=MAX_COST_POINTS).contains(&n));
    }
    if let (Some(s), Some(e)) = (r.starts_at, r.ends_at) {
        assert!(s < e);
    }
    assert!(r.stock.is_none_or(|s| s <= 1_000_000));
    assert!(r.per_member_limit.is_none_or(|n| (1..=1000).contains(&n)));

    let (kind, value, code) = r.gift.columns();
    let again = RewardDraft {
        name: r.name.clone(),
        kind: kind.into(),
        value: value.map(|v| u32::try_from(v).expect("values fit u32")),
        coupon_code: code.map(str::to_owned),
        cost_points: match r.cost {
            Cost::Points(n) => Some(n),
            Cost::StampCard => None,
        },
        cost_stamp_card: r.cost == Cost::StampCard,
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        stock: r.stock,
        per_member_limit: r.per_member_limit,
        active: r.active,
        image: r.image.clone(),
        description: r.description.clone(),
    };
    assert_eq!(Reward::try_from(again), Ok(r));
});
