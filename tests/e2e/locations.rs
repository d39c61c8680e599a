//! The console's locations end to end: each location with its posters and paired tills, a
//! rename and a new location saved (the till pairing form offers it at once), bad fields beside
//! their fields with nothing written, an unchanged form says so, audited by name.

use crate::console::{csrf_of, get, post, sign_up, Owner};
use crate::harness::Resp;

fn send(o: &Owner, form: &[(&str, &str)]) -> Resp {
    let csrf = csrf_of(&get("/console/locations", &o.browser).body);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(form);
    post("/console/locations", &[("cookie", &o.browser)], &all)
}

#[test]
fn an_owner_renames_and_adds_locations_with_their_posters() {
    let o = sign_up();
    let page = get("/console/locations", &o.browser);
    assert_eq!(page.status, 200, "{}", page.body);
    for shown in [
        r#"href="/console/poster?location=1""#,
        "No till paired here yet",
        r#"name="location1" type="text" value="Café Ala""#,
        r#"value="Europe/Warsaw" selected"#,
    ] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }

    let long = "k".repeat(81);
    let bad = send(
        &o,
        &[
            ("location1", "Rynek"),
            ("new", &long),
            ("time_zone", "Mars/Base"),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains(r#"id="f-new-err""#) && bad.body.contains(r#"id="f-time_zone-err""#));
    assert!(bad.body.contains(r#"value="Rynek""#), "input kept");
    assert!(
        get("/console/locations", &o.browser)
            .body
            .contains(r#"value="Café Ala""#),
        "nothing written"
    );

    let saved = send(
        &o,
        &[
            ("location1", "Rynek"),
            ("new", "Kiosk"),
            ("time_zone", "Europe/Warsaw"),
        ],
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(saved.body.contains("The locations are saved."));
    assert!(saved.body.contains(r#"value="Rynek""#) && saved.body.contains(r#"value="Kiosk""#));
    assert!(saved
        .body
        .contains(r#"href="/console/poster?location=2&amp;layout=tent""#));
    let tills = get("/console/tills", &o.browser).body;
    assert!(tills.contains(">Kiosk</option>"), "{tills}");
    assert_eq!(get("/console/poster?location=2", &o.browser).status, 200);

    let same = send(
        &o,
        &[
            ("location1", "Rynek"),
            ("location2", "Kiosk"),
            ("time_zone", "Europe/Warsaw"),
        ],
    );
    assert!(same.body.contains("Nothing to save"), "{}", same.body);
    let activity = get("/console/activity", &o.browser).body;
    assert_eq!(
        activity.matches("changed the locations").count(),
        1,
        "{activity}"
    );
    assert!(activity.contains("changed the locations (added Kiosk)"));
}
