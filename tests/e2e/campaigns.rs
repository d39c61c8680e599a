//! The console's campaigns end to end: an owner with messages on and three customers who
//! agreed to offers (scored "new" by the nightly run) drafts a campaign in the browser's forms;
//! a bad form comes back with each error beside its field and the typing kept, in English and
//! in Polish, and writes nothing; the review says who gets what before anything goes; Send,
//! pressed eight times at once, sends each message once; the results page says in a sentence
//! what the campaign did; a draft is changed, deleted after its confirmation, and one
//! scheduled in the café's time goes by itself when its moment comes; a sent campaign cannot be
//! changed or deleted; every step is in the activity log by name.

use std::time::{Duration, Instant};

use loyalty_edge::domain::campaign::Definition;
use loyalty_edge::domain::ids::MerchantId;
use serde_json::json;

use crate::channels::{emails_to, unique_email};
use crate::console::{csrf_of, get, post, sign_up, Owner};
use crate::harness::{concurrently, worker, Merchant, Resp};
use crate::messages::join_with_email;

fn shop(o: &Owner) -> Merchant {
    Merchant {
        id: MerchantId::parse(&o.merchant).unwrap(),
        key: String::new(),
    }
}

fn send(o: &Owner, path: &str, form: &[(&str, &str)]) -> Resp {
    let csrf = csrf_of(&get("/console/campaigns/new", &o.browser).body);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(form);
    post(path, &[("cookie", &o.browser)], &all)
}

fn now_ms() -> i64 {
    crate::messages::now_ms()
}

/// A campaign form with `changes` over a good one to the new customers.
fn form<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("name", "Winter comeback"),
        ("segment", "new"),
        ("subject_a", "A warm drink at {{merchant}}"),
        ("text_a", "{{name}}, come in from the cold: {{card_link}}"),
        ("subject_b", ""),
        ("text_b", ""),
        ("holdout", "34"),
        ("window", "14"),
        ("when", "now"),
        ("date", ""),
        ("time", ""),
    ];
    for (k, v) in changes {
        if let Some(at) = f.iter_mut().find(|(name, _)| name == k) {
            at.1 = v;
        }
    }
    f
}

/// The campaign's id from the address a new one is sent to.
fn created(resp: &Resp) -> String {
    assert_eq!(resp.status, 303, "{}", resp.body);
    let at = resp.header("location").unwrap();
    at.strip_prefix("/console/campaigns/").unwrap().to_owned()
}

/// Emails to `to` with `subject`, waiting up to 10 s for `n` of them.
fn campaign_emails(to: &str, subject: &str, n: usize) -> usize {
    let start = Instant::now();
    loop {
        let got = emails_to(to)
            .iter()
            .filter(|e| e["subject"] == subject)
            .count();
        if got >= n || start.elapsed() > Duration::from_secs(10) {
            return got;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn an_owner_drafts_reviews_sends_and_reads_a_campaign_to_a_segment() {
    let o = sign_up();
    let page = get("/console/campaigns", &o.browser);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("No campaign yet"), "{}", page.body);

    // Messages on (email), three customers who agreed to offers, then the nightly scoring.
    let csrf = csrf_of(&get("/console/messages", &o.browser).body);
    let on = post(
        "/console/messages/channels",
        &[("cookie", &o.browser)],
        &[
            ("csrf", &csrf),
            ("email", "on"),
            ("reply_to", &o.email),
            ("sender_name", ""),
            ("quiet_start", ""),
            ("quiet_end", ""),
            ("cap_days", "0"),
        ],
    );
    assert_eq!(on.status, 200, "{}", on.body);
    let s = shop(&o);
    let people: Vec<(String, String)> = ["Ala", "Bob", "Cyd"]
        .iter()
        .map(|name| {
            let to = unique_email(&name.to_lowercase());
            let cookie = join_with_email(&s, name, &to);
            (to, Merchant::member_id(&cookie))
        })
        .collect();
    let rolled = worker().admin(
        "POST",
        &format!("/admin/v1/merchants/{}/rollups", o.merchant),
        // A day and a few minutes on: a day counts as over GRACE_MS after its local midnight.
        Some(&json!({ "now": now_ms() + 86_400_000 + loyalty_edge::domain::metrics::GRACE_MS + 60_000 })),
    );
    assert_eq!(rolled.status, 200, "{}", rolled.body);

    let new = get("/console/campaigns/new", &o.browser);
    assert_eq!(new.status, 200, "{}", new.body);
    for shown in [
        "New customers (3)",
        "Everyone who agreed to offers (3)",
        "Only customers who agreed to offers get campaigns: 3 of your 3 customers.",
        "In the café's time (Europe/Warsaw)",
    ] {
        assert!(new.body.contains(shown), "{shown}: {}", new.body);
    }
    assert!(
        !new.body.contains(">new<") && !new.body.contains("high_value_loyal<"),
        "no identifier shown"
    );

    // A bad form: each error beside its field, the typing kept, nothing written.
    let bad = send(
        &o,
        "/console/campaigns/new",
        &form(&[
            ("name", ""),
            ("text_a", "Hi {{nmae}}"),
            ("holdout", "60"),
            ("when", "later"),
            ("date", "2020-01-01"),
            ("time", "09:00"),
        ]),
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    for shown in [
        r#"id="f-name-err""#,
        r#"id="f-text_a-err""#,
        "{{nmae}} is not one of the words that fill themselves in",
        r#"id="f-holdout-err""#,
        "Choose a number from 0 to 50.",
        "This moment has passed: choose a later day or time.",
        "Hi {{nmae}}</textarea>",
        r#"value="60""#,
    ] {
        assert!(bad.body.contains(shown), "{shown}: {}", bad.body);
    }
    assert!(get("/console/campaigns", &o.browser)
        .body
        .contains("No campaign yet"));

    // A good one: its review says who gets what, and nothing has gone yet.
    let id = created(&send(&o, "/console/campaigns/new", &form(&[])));
    let review = get(&format!("/console/campaigns/{id}"), &o.browser);
    assert_eq!(review.status, 200, "{}", review.body);
    for shown in [
        "It goes to 3 customers (new customers, as of now): about 2 get the message and about 1 get nothing, to compare against.",
        "Send to 3 customers now",
        "/console/messages/preview?kind=campaign",
    ] {
        assert!(review.body.contains(shown), "{shown}: {}", review.body);
    }
    let preview = get(
        "/console/messages/preview?kind=campaign&lang=en&subject=Hi&text=%7B%7Bname%7D%7D%2C+come+in&as=email",
        &o.browser,
    );
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("Marta, come in"), "{}", preview.body);

    // Changed before it goes.
    let edit = get(&format!("/console/campaigns/{id}/edit"), &o.browser);
    assert!(
        edit.body.contains(r#"value="Winter comeback""#),
        "{}",
        edit.body
    );
    let changed = send(
        &o,
        &format!("/console/campaigns/{id}/edit"),
        &form(&[("window", "7")]),
    );
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert!(changed.body.contains("Saved."));
    assert!(changed
        .body
        .contains("for 7 days, a visit or purchase counts"));

    // Send, pressed eight times at once: each customer of a version gets one email.
    let csrf = csrf_of(&get(&format!("/console/campaigns/{id}"), &o.browser).body);
    let statuses = concurrently(8, || {
        post(
            &format!("/console/campaigns/{id}/send"),
            &[("cookie", &o.browser)],
            &[("csrf", &csrf)],
        )
        .status
    });
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let d = definition(&form(&[("window", "7")]));
    for (to, member) in &people {
        let arm = d.assign(&id, member);
        let want = usize::from(arm != "holdout");
        assert_eq!(
            campaign_emails(to, "A warm drink at Café Ala", want),
            want,
            "{to} in {arm}"
        );
    }
    let results = get(&format!("/console/campaigns/{id}"), &o.browser);
    assert_eq!(results.status, 200);
    let held = people
        .iter()
        .filter(|(_, m)| d.assign(&id, m) == "holdout")
        .count();
    let sentence = if held == people.len() {
        "Version A: nobody got it (the group was too small to split)."
    } else if held == 0 {
        "Nobody was held out, so there is nothing to compare with."
    } else {
        "Too early to tell for version A: each group needs at least 30 customers"
    };
    for shown in [
        sentence,
        "Sent on",
        "to 3 customers (new customers)",
        "these figures can still change",
    ] {
        assert!(results.body.contains(shown), "{shown}: {}", results.body);
    }
    // Sent: it cannot be changed, deleted or sent again.
    assert_eq!(
        get(&format!("/console/campaigns/{id}/edit"), &o.browser).status,
        404
    );
    assert_eq!(
        send(&o, &format!("/console/campaigns/{id}/delete"), &[]).status,
        404
    );
    assert!(send(&o, &format!("/console/campaigns/{id}/send"), &[])
        .body
        .contains("Sent on"));
    let list = get("/console/campaigns", &o.browser).body;
    assert!(
        list.contains("Winter comeback") && list.contains(">Sent<"),
        "{list}"
    );

    // A draft deleted after its confirmation.
    let other = created(&send(
        &o,
        "/console/campaigns/new",
        &form(&[("name", "Spare"), ("segment", "all")]),
    ));
    let ask = get(&format!("/console/campaigns/{other}/delete"), &o.browser);
    assert!(ask.body.contains("Nothing has been sent"), "{}", ask.body);
    let gone = send(&o, &format!("/console/campaigns/{other}/delete"), &[]);
    assert_eq!(gone.status, 200, "{}", gone.body);
    assert!(gone.body.contains("The draft “Spare” is deleted."));
    assert_eq!(
        get(&format!("/console/campaigns/{other}"), &o.browser).status,
        404
    );

    // Scheduled for tomorrow at 09:30 in Warsaw: it goes by itself when that moment comes.
    let tz = chrono_tz::Europe::Warsaw;
    let tomorrow = chrono::DateTime::from_timestamp_millis(now_ms())
        .unwrap()
        .with_timezone(&tz)
        .date_naive()
        + chrono::Days::new(1);
    let day = tomorrow.format("%Y-%m-%d").to_string();
    let later = created(&send(
        &o,
        "/console/campaigns/new",
        &form(&[
            ("name", "Tomorrow"),
            ("segment", "all"),
            ("subject_a", "Tomorrow at {{merchant}}"),
            ("holdout", "0"),
            ("when", "later"),
            ("date", &day),
            ("time", "09:30"),
        ]),
    ));
    let planned = get(&format!("/console/campaigns/{later}"), &o.browser).body;
    assert!(
        planned.contains(&format!(
            "It goes by itself on {day} 09:30 (Europe/Warsaw)."
        )),
        "{planned}"
    );
    let at = tomorrow
        .and_hms_opt(9, 30, 0)
        .unwrap()
        .and_local_timezone(tz)
        .unwrap()
        .timestamp_millis();
    let early = crate::messages::deliver_at(&s, at - 60_000);
    assert_eq!(early["campaigns_launched"], 0, "{early}");
    let due = crate::messages::deliver_at(&s, at + 60_000);
    assert_eq!(due["campaigns_launched"], 1, "{due}");
    let again = crate::messages::deliver_at(&s, at + 120_000);
    assert_eq!(again["campaigns_launched"], 0, "once: {again}");
    let sent = get(&format!("/console/campaigns/{later}"), &o.browser).body;
    assert!(
        sent.contains("to 3 customers (everyone who agreed to offers)"),
        "{sent}"
    );
    for (to, _) in &people {
        assert_eq!(campaign_emails(to, "Tomorrow at Café Ala", 1), 1, "{to}");
    }

    let activity = get("/console/activity", &o.browser).body;
    for words in [
        "drafted the campaign “Winter comeback”",
        "changed the campaign “Winter comeback”",
        "sent the campaign “Winter comeback”",
        "deleted the draft campaign “Spare”",
    ] {
        assert!(activity.contains(words), "{words}: {activity}");
    }
    assert_eq!(
        activity
            .matches("sent the campaign “Winter comeback”")
            .count(),
        1,
        "sent once however often Send was pressed"
    );

    // In Polish, the same errors in Polish.
    let csrf = csrf_of(&get("/console/campaigns", &o.browser).body);
    post(
        "/console/account/language",
        &[("cookie", &o.browser)],
        &[
            ("csrf", &csrf),
            ("language", "pl"),
            ("back", "/console/campaigns"),
        ],
    );
    let pl = send(
        &o,
        "/console/campaigns/new",
        &form(&[("holdout", "60"), ("when", "later"), ("date", "jutro")]),
    );
    assert_eq!(pl.status, 422);
    for words in [
        "Wybierz liczbę od 0 do 50.",
        "Wybierz dzień z kalendarza",
        "Nic nie zapisano",
        "Nowi klienci (3)",
    ] {
        assert!(pl.body.contains(words), "{words}: {}", pl.body);
    }
}

/// The definition the console stores for `form` (to know each member's arm).
fn definition(form: &[(&str, &str)]) -> Definition {
    let get = |k: &str| form.iter().find(|(n, _)| *n == k).unwrap().1.to_owned();
    Definition {
        name: get("name"),
        segment: get("segment"),
        variants: vec![loyalty_edge::domain::campaign::Variant {
            name: "A".into(),
            weight: 1,
            subject: get("subject_a"),
            text: get("text_a"),
        }],
        holdout_percent: get("holdout").parse().unwrap(),
        window_days: get("window").parse().unwrap(),
        send_at: None,
    }
}
