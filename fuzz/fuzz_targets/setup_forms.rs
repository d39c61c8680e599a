//! The guided set-up (`domain::setup`) and the logo upload check (`domain::image`).
//! - The upload check: whatever the bytes, an accepted image is at most 1 MB and starts with
//!   its format's magic bytes; its stored name reads back from its own path to the same name,
//!   and is never an SVG's.
//! - The set-up forms, read as an `application/x-www-form-urlencoded` body the way the shell
//!   reads one: colours, the earn step, the first rewards and the locations step either pass the
//!   API's own checks (a program, rewards and a profile that are valid by construction) or name
//!   a field of the form, never panic.
//! - The console's reward form (`domain::reward_form`), the same way: a reward the API's check
//!   accepted (its window in order, its description one short line), or its own fields named.
//! - The card designer (`domain::card_form`): a branding and program the API accepts, or its
//!   own fields named; the stored card always reads back unchanged.
//! - The earning rules (`domain::rules_form`): a program the API accepts whose own form reads
//!   back to it, or the form's fields named.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loyalty_edge::domain::card_form::{self, CardForm};
use loyalty_edge::domain::ids::MerchantId;
use loyalty_edge::domain::image::{self, Kind, Stored};
use loyalty_edge::domain::language::Language;
use loyalty_edge::domain::program::{Branding, Currency, Profile, Program};
use loyalty_edge::domain::reward_form::{self, RewardForm};
use loyalty_edge::domain::rules_form::{self, RulesForm};
use loyalty_edge::domain::setup::{
    self, location_field, reward_fields, EarnForm, LocationsForm, Mode, RewardRow, REWARD_ROWS,
};

fuzz_target!(|data: &[u8]| {
    match image::check(data) {
        Ok(kind) => {
            assert!(data.len() <= image::MAX_BYTES);
            let magic: &[u8] = match kind {
                Kind::Png => b"\x89PNG",
                Kind::Jpeg => &[0xff, 0xd8, 0xff],
                Kind::Webp => b"RIFF",
            };
            assert!(data.starts_with(magic));
            let stored = Stored::of(MerchantId::new(0x0a0b0c0d), kind, data);
            assert_eq!(Stored::parse_path(&stored.path()), Some(stored.clone()));
            let logo = setup::with_logo(&Branding::default(), &stored.path()).unwrap();
            assert_eq!(logo.logo_url, Some(stored.path()));
        }
        Err(_) => {}
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Some(s) = Stored::parse_path(text) {
            assert_eq!(s.path(), text, "a served path names one file");
        }
    }

    let body = loyalty_edge_fuzz::Form::parse(data);
    let field = |name: &str| body.field(name);
    let fields_named = |errors: &[setup::FieldError], allowed: &[&str]| {
        assert!(!errors.is_empty());
        for e in errors {
            assert!(
                allowed.contains(&e.field),
                "{:?} is not a field of the form",
                e.field
            );
        }
    };

    let current = Branding::default();
    match setup::branding(&current, &field("primary"), &field("accent")) {
        Ok(b) => {
            let json = serde_json::to_string(&b).unwrap();
            assert_eq!(serde_json::from_str::<Branding>(&json).unwrap(), b);
        }
        Err(errors) => fields_named(&errors, &["primary", "accent"]),
    }

    let program = Program::default();
    let earn = EarnForm {
        mode: field("mode"),
        card_size: field("card_size"),
        per_visit: field("per_visit"),
        card_reward: field("card_reward"),
        per_unit: field("per_unit"),
    };
    match earn.parse(&program) {
        Ok((mode, draft)) => {
            let p = Program::try_from(draft).unwrap();
            // The chosen way earns something, and only that way.
            match mode {
                Mode::Stamps => assert!(p.stamps_per_visit > 0 && p.points_per_major_unit == 0),
                Mode::Points | Mode::Cashback => {
                    assert!(p.points_per_major_unit > 0 && p.stamps_per_visit == 0)
                }
            }
        }
        Err(errors) => fields_named(
            &errors,
            &["mode", "card_size", "per_visit", "card_reward", "per_unit"],
        ),
    }

    let pln = Currency {
        code: "PLN".into(),
        minor_units: 2,
    };
    let rows: Vec<RewardRow> = (0..REWARD_ROWS)
        .map(|i| {
            let (n, p, a) = reward_fields(i);
            RewardRow {
                name: field(n),
                points: field(p),
                amount: field(a),
            }
        })
        .collect();
    for mode in Mode::ALL {
        match setup::rewards(mode, &pln, &rows) {
            Ok(rewards) => assert!(rewards.len() <= REWARD_ROWS),
            Err(errors) => fields_named(
                &errors,
                &[
                    "name1", "points1", "amount1", "name2", "points2", "amount2", "name3",
                    "points3", "amount3",
                ],
            ),
        }
    }

    let profile = Profile {
        name: "Ala".into(),
        branding: current,
        time_zone: "Europe/Warsaw".into(),
    };
    let locations = [(1u8, "Ala".to_owned()), (2, "Rynek".to_owned())];
    let form = LocationsForm {
        time_zone: field("time_zone"),
        names: locations
            .iter()
            .map(|(n, _)| field(&location_field(*n)))
            .collect(),
        new: field("new"),
    };
    match form.parse(&profile, &locations) {
        Ok(ok) => {
            assert_eq!(ok.profile.time_zone, ok.profile.time_zone.trim());
            assert!(ok.renamed.iter().all(|(n, _)| *n == 1 || *n == 2));
        }
        Err(errors) => fields_named(&errors, &["time_zone", "locations", "new"]),
    }
    let _ = EarnForm::of(Language::Pl, &program, None);

    // The console's reward form: a reward the API's own check accepts again, or fields named.
    let reward = RewardForm {
        name: field("name"),
        description: field("description"),
        kind: field("kind"),
        amount: field("amount"),
        percent: field("percent"),
        coupon_code: field("coupon_code"),
        pays: field("pays"),
        points: field("points"),
        stock: field("stock"),
        limit: field("limit"),
        starts: field("starts"),
        ends: field("ends"),
    };
    let mut allowed: Vec<&str> = reward_form::FIELDS.to_vec();
    allowed.push("image");
    match reward.parse(&pln, "Europe/Warsaw".parse().unwrap(), None, true) {
        Ok(r) => {
            if let (Some(s), Some(e)) = (r.starts_at, r.ends_at) {
                assert!(s < e);
            }
            assert!(r
                .description
                .as_deref()
                .is_none_or(|d| !d.is_empty() && d.chars().count() <= 140));
        }
        Err(errors) => fields_named(&errors, &allowed),
    }

    // The card designer: a branding and (only when it changed) a program the API's own checks
    // accept again, or its own fields named; the stored values always pass as they are.
    let card = CardForm {
        primary: field("primary"),
        accent: field("accent"),
        stamp_icon: field("stamp_icon"),
        tone: field("tone"),
        card_size: field("card_size"),
        card_reward: field("card_reward"),
    };
    match card.parse(&Branding::default(), &program, None) {
        Ok(c) => {
            let json = serde_json::to_string(&c.branding).unwrap();
            assert_eq!(serde_json::from_str::<Branding>(&json).unwrap(), c.branding);
            if let Some(d) = c.program {
                assert!(Program::try_from(d).is_ok());
            }
        }
        Err(errors) => fields_named(&errors, &card_form::FIELDS),
    }
    // The earning rules: a program the API's own checks accept, or the form's own fields named;
    // the form of a program reads back to it.
    let rules = RulesForm {
        per_visit: field("per_visit"),
        per_purchase: field("per_purchase"),
        per_unit: field("per_unit"),
        cooldown_hours: field("cooldown_hours"),
        daily_cap: field("daily_cap"),
        expiry: field("expiry"),
        after_count: field("after_count"),
        after_unit: field("after_unit"),
        end_of_month: field("end_of_month"),
        inactive_days: field("inactive_days"),
        pending_days: field("pending_days"),
        negative: field("negative"),
        code_secs: field("code_secs"),
        cancel_mins: field("cancel_mins"),
        point_value: field("point_value"),
        birthday: field("birthday"),
        bday_points: field("bday_points"),
        bday_stamps: field("bday_stamps"),
        bday_reward: field("bday_reward"),
        bday_lead: field("bday_lead"),
        bday_hour: field("bday_hour"),
        bday_gift_days: field("bday_gift_days"),
        referral: field("referral"),
        ref_referrer_points: field("ref_referrer_points"),
        ref_referrer_stamps: field("ref_referrer_stamps"),
        ref_referee_points: field("ref_referee_points"),
        ref_referee_stamps: field("ref_referee_stamps"),
        ref_min: field("ref_min"),
        ref_cap: field("ref_cap"),
    };
    let gifts = ["a".repeat(32)];
    match rules.parse(&program, &pln, &gifts, &field("cooldown_was")) {
        Ok(d) => {
            let p = Program::try_from(d).unwrap();
            let again = RulesForm::of(&p, &pln);
            let back = again
                .parse(&p, &pln, &gifts, &again.cooldown_hours)
                .map(|d| Program::try_from(d).unwrap());
            assert_eq!(back.ok(), Some(p), "the form of a program reads back to it");
        }
        Err(errors) => fields_named(&errors, &rules_form::FIELDS),
    }

    let stored = CardForm::of(Language::Pl, &Branding::default(), &program);
    assert!(stored
        .parse(&Branding::default(), &program, None)
        .is_ok_and(|c| c.program.is_none()));
});
