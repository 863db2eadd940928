//! The register's web pages on a real server with a SQLite register, driven as a browser would (cookies, form
//! posts, redirects): sign-up, sign-in and sign-out, the cookie's flags, forms refused without the session's token,
//! viewers refused, another organisation refused without a leak, forms that keep what was typed, import with a
//! preview and export that round-trips, partner careers (consent, profile, withdrawal, the candidates on a date and
//! no one else), settings and users.

mod common;

use common::*;
use serde_json::Value;

async fn store() -> verblijf_store::Store {
    temp_store("pages").await
}

async fn server() -> Server {
    start_with(Some(store().await)).await
}

fn set_cookie_line(r: &Reply, name: &str) -> String {
    r.headers
        .lines()
        .find(|l| {
            l.to_ascii_lowercase().starts_with("set-cookie: ") && l.contains(&format!("{name}="))
        })
        .unwrap_or_else(|| panic!("no cookie {name}: {}", r.headers))
        .to_string()
}

/// The id in the first link `/register/<kind>/<id>/edit` of a page.
fn edit_id(body: &str, kind: &str) -> String {
    body.split(&format!("/register/{kind}/"))
        .skip(1)
        .find_map(|x| {
            x.split_once("/edit")
                .map(|(id, _)| id.to_string())
                .filter(|id| id.len() == 36)
        })
        .unwrap_or_else(|| panic!("no link to change a {kind} in {body}"))
}

/// An id from a redirect to `/register/<kind>/<id>?lang=..`.
fn id_in(loc: &str) -> String {
    loc.split('?')
        .next()
        .and_then(|p| p.rsplit('/').next())
        .expect("id")
        .to_string()
}

const PASSWORD: &str = "correct horse battery";

async fn sign_up(s: &Server, org: &str, email: &str) -> Client {
    let mut c = Client::default();
    let r = c
        .submit(
            s,
            "/register/sign-up",
            "/register/sign-up?lang=en",
            &[("name", org), ("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(location(&r).starts_with("/register"), "{}", location(&r));
    c
}

async fn new_household(s: &Server, c: &mut Client, name: &str) -> String {
    let r = c
        .submit(
            s,
            "/register/households/new",
            "/register/households/new?lang=en",
            &[("name", name)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    id_in(&location(&r))
}

async fn new_person(
    s: &Server,
    c: &mut Client,
    household: &str,
    name: &str,
    birth: &str,
) -> String {
    let r = c
        .submit(
            s,
            "/register/people/new",
            "/register/people/new?lang=en",
            &[
                ("name", name),
                ("household_id", household),
                ("birth_date", birth),
                ("nationality", "IN"),
                ("bsn", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    id_in(&location(&r))
}

async fn new_permit(
    s: &Server,
    c: &mut Client,
    person: &str,
    kind: &str,
    until: &str,
    sponsor: &str,
) -> Reply {
    c.submit(
        s,
        &format!("/register/permits/new?person={person}"),
        "/register/permits/new?lang=en",
        &[
            ("person_id", person),
            ("kind", kind),
            ("valid_from", "2025-10-15"),
            ("valid_until", until),
            ("sponsor_person_id", sponsor),
            ("document_number", ""),
            ("restriction_text", ""),
        ],
    )
    .await
}

/// A household of three: a highly skilled migrant, her partner and their child, with permits and a contract.
async fn household_of_three(s: &Server, c: &mut Client) -> (String, [String; 3]) {
    let h = new_household(s, c, "Sharma").await;
    let anna = new_person(s, c, &h, "Anna", "1994-08-20").await;
    let ben = new_person(s, c, &h, "Ben", "1992-02-11").await;
    let cleo = new_person(s, c, &h, "Cleo", "2020-04-02").await;
    let r = new_permit(s, c, &anna, "highly_skilled_migrant", "2030-08-31", "").await;
    assert_eq!(r.status, 303, "{}", r.body);
    for who in [&ben, &cleo] {
        let r = new_permit(s, c, who, "family_member", "2030-08-31", &anna).await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let r = c
        .submit(
            s,
            &format!("/register/contracts/new?person={anna}"),
            "/register/contracts/new?lang=en",
            &[
                ("person_id", &anna),
                ("employer", "Acme"),
                ("gross_monthly_salary", "5200"),
                ("start_date", "2023-10-01"),
                ("end_date", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    for (kind, a, b) in [("partner", &anna, &ben), ("child", &anna, &cleo)] {
        let r = c
            .submit(
                s,
                &format!("/register/relationships/new?household={h}"),
                "/register/relationships/new?lang=en",
                &[
                    ("household", &h),
                    ("kind", kind),
                    ("a", a),
                    ("b", b),
                    ("form", "married"),
                    ("from", ""),
                    ("until", ""),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    (h, [anna, ben, cleo])
}

#[tokio::test]
async fn sign_up_sign_in_and_sign_out_with_a_session_cookie() {
    let s = server().await;
    let mut c = Client::default();
    // The sign-up page sets the cookie its form token must match; Dutch and English are one link apart.
    let p = c.get(&s, "/register/sign-up?lang=nl").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("Een register aanmaken"), "{}", p.body);
    assert!(p.body.contains("/register/sign-up?lang=en"));
    assert!(p.body.contains("<label for=\"f-email\">"));
    let form_cookie = set_cookie_line(&p, "verblijf_form");
    assert!(form_cookie.contains("HttpOnly") && form_cookie.contains("SameSite=Lax"));
    let token = csrf(&p.body);
    // Without the token, or without the cookie, the form is refused.
    let r = c
        .post(
            &s,
            "/register/sign-up?lang=en",
            &[
                ("name", "Acme"),
                ("email", "hr@acme.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = Client::default()
        .post(
            &s,
            "/register/sign-up?lang=en",
            &[
                ("_csrf", &token),
                ("name", "Acme"),
                ("email", "hr@acme.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    // A bad field is named, and what was typed is kept (never the password).
    let r = c
        .post(
            &s,
            "/register/sign-up?lang=en",
            &[
                ("_csrf", &token),
                ("name", "Acme"),
                ("email", "not-an-email"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("expected an email address"), "{}", r.body);
    assert!(r.body.contains("value=\"not-an-email\""));
    assert!(r.body.contains("value=\"Acme\""));
    assert!(!r.body.contains(PASSWORD));
    let r = c
        .post(
            &s,
            "/register/sign-up?lang=en",
            &[
                ("_csrf", &token),
                ("name", "Acme"),
                ("email", "hr@acme.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(location(&r), "/register?lang=en");
    let cookie = set_cookie_line(&r, "verblijf_session");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "not behind HTTPS: {cookie}");
    let d = c.get(&s, "/register?lang=en").await;
    assert_eq!(d.status, 200);
    assert!(d.body.contains("Acme") && d.body.contains("hr@acme.example"));
    assert!(d.body.contains("No deadlines ahead."));
    // Sign out: the session ends on the server, not only in the browser.
    let session = c
        .cookies
        .get("verblijf_session")
        .cloned()
        .expect("session cookie");
    let r = c
        .submit(&s, "/register", "/register/sign-out?lang=en", &[])
        .await;
    assert_eq!(r.status, 303);
    assert!(location(&r).starts_with("/register/sign-in"));
    let mut replay = Client::default();
    replay.cookies.insert("verblijf_session".into(), session);
    let r = replay.get(&s, "/register").await;
    assert_eq!(r.status, 303);
    assert!(location(&r).starts_with("/register/sign-in"));
    // Sign in again.
    let r = c
        .submit(
            &s,
            "/register/sign-in",
            "/register/sign-in?lang=en",
            &[
                ("email", "HR@acme.example"),
                ("password", PASSWORD),
                ("next", "/register/households"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(location(&r), "/register/households?lang=en");
    assert_eq!(c.get(&s, "/register/households").await.status, 200);
    // Only a path in the register may follow sign-in.
    let mut d = Client::default();
    let r = d
        .submit(
            &s,
            "/register/sign-in",
            "/register/sign-in?lang=en",
            &[
                ("email", "hr@acme.example"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/register?lang=en");
}

#[tokio::test]
async fn the_sign_in_form_is_rate_limited_like_the_api() {
    let s = server().await;
    sign_up(&s, "Acme", "hr@acme.example").await;
    let mut c = Client::default();
    for _ in 0..5 {
        let r = c
            .submit(
                &s,
                "/register/sign-in",
                "/register/sign-in?lang=en",
                &[
                    ("email", "hr@acme.example"),
                    ("password", "wrong password!"),
                ],
            )
            .await;
        assert_eq!(r.status, 401, "{}", r.body);
        assert!(r.body.contains("Wrong email address or password."));
    }
    let r = c
        .submit(
            &s,
            "/register/sign-in",
            "/register/sign-in?lang=en",
            &[("email", "hr@acme.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.headers.to_ascii_lowercase().contains("retry-after: 60"));
    // The JSON API counts the same failures.
    let r = post_json(
        &s,
        "/api/v1/register/login",
        &format!(r#"{{"email":"hr@acme.example","password":"{PASSWORD}"}}"#),
    )
    .await;
    assert_eq!(r.status, 429);
}

#[tokio::test]
async fn behind_https_the_cookies_are_secure_and_idle_sessions_end() {
    let state = verblijf_web::AppState::new(verblijf_rules::ParamSet::embedded().expect("params"))
        .with_store(store().await)
        .with_sessions(verblijf_web::SessionSettings {
            limits: verblijf_store::SessionLimits {
                idle: std::time::Duration::from_secs(1),
                absolute: std::time::Duration::from_secs(3600),
            },
            behind_https: true,
        });
    let s = start_state(state).await;
    let mut c = Client::default();
    let p = c.get(&s, "/register/sign-up").await;
    assert!(set_cookie_line(&p, "verblijf_form").contains("; Secure"));
    let r = c
        .post(
            &s,
            "/register/sign-up",
            &[
                ("_csrf", &csrf(&p.body)),
                ("name", "Acme"),
                ("email", "hr@acme.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let cookie = set_cookie_line(&r, "verblijf_session");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Max-Age=3600"),
        "{cookie}"
    );
    assert_eq!(c.get(&s, "/register").await.status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    let r = c.get(&s, "/register/people?lang=nl").await;
    assert_eq!(r.status, 303);
    assert!(location(&r).contains("expired=1"), "{}", location(&r));
    let p = c.get(&s, &location(&r)).await;
    assert!(p.body.contains("Uw sessie is beëindigd"), "{}", p.body);
}

#[tokio::test]
async fn a_form_without_the_session_token_is_refused() {
    let s = server().await;
    let mut c = sign_up(&s, "Acme", "hr@acme.example").await;
    let r = c
        .post(
            &s,
            "/register/households/new?lang=en",
            &[("name", "Sharma")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("The form was refused"), "{}", r.body);
    let r = c
        .post(
            &s,
            "/register/households/new?lang=nl",
            &[("_csrf", "0000"), ("name", "Sharma")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("Het formulier is geweigerd"));
    // Another session's token does not do either.
    let other = sign_up(&s, "Other", "hr@other.example").await;
    let mut other = other;
    let token = csrf(&other.get(&s, "/register/households/new").await.body);
    let r = c
        .post(
            &s,
            "/register/households/new",
            &[("_csrf", &token), ("name", "Sharma")],
        )
        .await;
    assert_eq!(r.status, 403);
    let page = c.get(&s, "/register/households").await;
    assert!(!page.body.contains("Sharma"));
    // Sign-out needs it too.
    let r = c.post(&s, "/register/sign-out", &[]).await;
    assert_eq!(r.status, 403);
    // With the token it works.
    new_household(&s, &mut c, "Sharma").await;
    assert!(c
        .get(&s, "/register/households")
        .await
        .body
        .contains("Sharma"));
}

#[tokio::test]
async fn a_household_page_shows_members_assessment_timeline_and_what_changed() {
    let s = server().await;
    let mut c = sign_up(&s, "Acme", "hr@acme.example").await;
    let (h, [anna, ..]) = household_of_three(&s, &mut c).await;
    let p = c
        .get(&s, &format!("/register/households/{h}?lang=en"))
        .await;
    assert_eq!(p.status, 200);
    for want in [
        "Anna",
        "Ben",
        "Cleo",
        "Highly skilled migrant",
        "€5,200.00",
        "Anna and Ben: married",
        "Anna is a parent of Cleo",
        "<svg",
        "Deadlines",
        "None kept yet.",
        "Assess again and keep",
    ] {
        assert!(p.body.contains(want), "{want} missing in {}", p.body);
    }
    // The dashboard lists the household's deadlines, soonest first, with a link to it.
    let d = c.get(&s, "/register?lang=en").await;
    assert!(
        d.body
            .contains(&format!("/register/households/{h}?lang=en")),
        "{}",
        d.body
    );
    // Those inside their warning period first, then the later ones; each soonest first.
    assert!(d.body.contains("Due now") && d.body.contains("id=\"later\""));
    let (due, later) = d.body.split_once("id=\"later\"").expect("later");
    let mut all = 0;
    for part in [due, later] {
        let dates: Vec<&str> = part
            .split("<tr><td class=\"date\">")
            .skip(1)
            .map(|r| &r[..10])
            .collect();
        let mut sorted = dates.clone();
        sorted.sort();
        assert_eq!(dates, sorted);
        all += dates.len();
    }
    assert!(all > 0);
    // Keep an assessment; then change the salary and keep another: the page says what changed.
    let r = c
        .submit(
            &s,
            &format!("/register/households/{h}"),
            &format!("/register/households/{h}/assess?lang=en"),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("This is the first kept assessment."));
    let person = c.get(&s, &format!("/register/people/{anna}")).await;
    let contract = edit_id(&person.body, "contracts");
    let r = c
        .submit(
            &s,
            &format!("/register/contracts/{contract}/edit"),
            &format!("/register/contracts/{contract}/edit?lang=en"),
            &[
                ("employer", "Acme"),
                ("gross_monthly_salary", "1000"),
                ("start_date", "2023-10-01"),
                ("end_date", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let p = c
        .get(&s, &format!("/register/households/{h}?lang=en"))
        .await;
    assert!(
        p.body.contains("Since the last kept assessment"),
        "{}",
        p.body
    );
    let r = c
        .submit(
            &s,
            &format!("/register/households/{h}"),
            &format!("/register/households/{h}/assess?lang=en"),
            &[],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("What changed since the one kept before"));
    assert!(r.body.contains("<td>Anna</td>"), "{}", r.body);
    // Two snapshots are kept.
    let p = c
        .get(&s, &format!("/register/households/{h}?lang=en"))
        .await;
    assert!(p.body.contains("2 kept; the last on"), "{}", p.body);
}

#[tokio::test]
async fn bad_form_input_names_the_field_and_keeps_what_was_typed() {
    let s = server().await;
    let mut c = sign_up(&s, "Acme", "hr@acme.example").await;
    let h = new_household(&s, &mut c, "Sharma").await;
    let r = c
        .submit(
            &s,
            "/register/people/new",
            "/register/people/new?lang=en",
            &[
                ("name", "Anna Sharma"),
                ("household_id", &h),
                ("birth_date", "1994-08-20"),
                ("nationality", "india"),
                ("bsn", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("<a href=\"#f-nationality\">Nationality</a>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("expected a two-letter country code"));
    assert!(
        r.body.contains("value=\"Anna Sharma\"")
            && r.body.contains("value=\"india\"")
            && r.body.contains("value=\"1994-08-20\"")
    );
    assert!(r.body.contains("aria-invalid=\"true\""));
    let r = c
        .submit(
            &s,
            "/register/people/new",
            "/register/people/new?lang=en",
            &[("name", "Anna"), ("bsn", "123456789")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("eleven-test"));
    // In Dutch, the store's refusal is in Dutch.
    let r = c
        .submit(
            &s,
            "/register/people/new?lang=nl",
            "/register/people/new?lang=nl",
            &[("name", "Anna"), ("bsn", "123456789")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("elfproef"), "{}", r.body);
    assert!(!r.body.contains("eleven-test"));
    let anna = new_person(&s, &mut c, &h, "Anna", "1994-08-20").await;
    let r = c
        .submit(
            &s,
            &format!("/register/contracts/new?person={anna}"),
            "/register/contracts/new?lang=nl",
            &[
                ("person_id", &anna),
                ("gross_monthly_salary", "lots"),
                ("start_date", "2023-10-01"),
                ("end_date", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("verwacht een bedrag in euro"), "{}", r.body);
    assert!(r.body.contains("value=\"lots\""));
    let r = c
        .submit(
            &s,
            &format!("/register/contracts/new?person={anna}"),
            "/register/contracts/new?lang=en",
            &[
                ("person_id", &anna),
                ("gross_monthly_salary", "5200"),
                ("start_date", "2023-10-01"),
                ("end_date", "2022-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("expected a date on or after the start"));
    let r = new_permit(
        &s,
        &mut c,
        &anna,
        "highly_skilled_migrant",
        "2020-01-01",
        "",
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("is before valid_from"), "{}", r.body);
    let r = c
        .submit(
            &s,
            &format!("/register/permits/new?person={anna}"),
            "/register/permits/new?lang=en",
            &[("person_id", &anna), ("kind", "study"), ("valid_from", "")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("the first day the permit is valid"));
    let r = c
        .submit(
            &s,
            &format!("/register/households/{h}/edit"),
            &format!("/register/households/{h}/edit?lang=en"),
            &[("name", "  ")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("a household needs a name"));
    let r = c
        .submit(
            &s,
            &format!("/register/relationships/new?household={h}"),
            "/register/relationships/new?lang=en",
            &[
                ("household", &h),
                ("kind", "partner"),
                ("a", &anna),
                ("b", &anna),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r
        .body
        .contains("expected someone other than the first person"));
    // What people type is shown as text, never as markup (the timeline included).
    let evil = new_person(&s, &mut c, &h, "<b>Evil</b>", "1990-01-01").await;
    let r = new_permit(&s, &mut c, &evil, "study", "2030-08-31", "").await;
    assert_eq!(r.status, 303, "{}", r.body);
    let p = c.get(&s, &format!("/register/households/{h}")).await;
    assert!(
        p.body.contains("&lt;b&gt;Evil&lt;/b&gt;") && !p.body.contains("<b>Evil"),
        "{}",
        p.body
    );
    // Search finds by part of the name.
    assert!(c
        .get(&s, "/register/people?q=ann")
        .await
        .body
        .contains("Anna"));
    assert!(!c
        .get(&s, "/register/people?q=zed")
        .await
        .body
        .contains("Anna"));
    assert!(c
        .get(&s, "/register/households?q=SHAR")
        .await
        .body
        .contains("Sharma"));
}

async fn api_token(s: &Server, email: &str) -> String {
    let r = post_json(
        s,
        "/api/v1/register/login",
        &format!(r#"{{"email":"{email}","password":"{PASSWORD}"}}"#),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    serde_json::from_str::<Value>(&r.body).expect("json")["token"]
        .as_str()
        .expect("token")
        .to_string()
}

#[tokio::test]
async fn a_viewer_reads_but_sees_no_forms_and_cannot_post() {
    let s = server().await;
    let mut owner = sign_up(&s, "Acme", "hr@acme.example").await;
    let (h, [anna, ..]) = household_of_three(&s, &mut owner).await;
    let token = api_token(&s, "hr@acme.example").await;
    let r = call(
        &s,
        "POST",
        "/api/v1/register/users",
        Some(&token),
        &format!(r#"{{"email":"v@acme.example","password":"{PASSWORD}","role":"viewer"}}"#),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let mut v = Client::default();
    let r = v
        .submit(
            &s,
            "/register/sign-in",
            "/register/sign-in?lang=en",
            &[("email", "v@acme.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, 303);
    let p = v
        .get(&s, &format!("/register/households/{h}?lang=en"))
        .await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("Anna") && p.body.contains("viewer (read only)"));
    for hidden in [
        "Assess again and keep",
        "/edit",
        "Add a permit",
        "/register/import",
    ] {
        assert!(!p.body.contains(hidden), "a viewer sees {hidden}");
    }
    let pp = v.get(&s, &format!("/register/people/{anna}?lang=en")).await;
    assert!(!pp.body.contains("Erase this person"));
    for page in [
        "/register/households/new",
        "/register/people/new",
        &format!("/register/people/{anna}/edit"),
        &format!("/register/permits/new?person={anna}"),
        "/register/import",
    ] {
        assert_eq!(v.get(&s, page).await.status, 403, "{page}");
    }
    // Posting anyway, with a valid token: refused, nothing changes.
    let token = csrf(&p.body);
    for (path, fields) in [
        ("/register/households/new".to_string(), vec![("name", "X")]),
        (
            format!("/register/households/{h}/edit"),
            vec![("name", "X")],
        ),
        (format!("/register/households/{h}/assess"), vec![]),
        (
            format!("/register/people/{anna}/erase"),
            vec![("confirm", "yes")],
        ),
        (format!("/register/people/{anna}/edit"), vec![("name", "X")]),
        (
            "/register/import/confirm".to_string(),
            vec![("csv", "id,reference_date\nX,2025-01-01\n")],
        ),
    ] {
        let mut all = vec![("_csrf", token.as_str())];
        all.extend(fields);
        let r = v.post(&s, &path, &all).await;
        assert_eq!(r.status, 403, "{path}: {}", r.body);
        assert!(r.body.contains("Your role is viewer"));
    }
    let p = owner
        .get(&s, &format!("/register/households/{h}?lang=en"))
        .await;
    assert!(p.body.contains("<h1>Sharma</h1>") && p.body.contains("None kept yet."));
    // The viewer may export.
    assert_eq!(v.get(&s, "/register/export.csv").await.status, 200);
}

#[tokio::test]
async fn another_organisation_gets_not_found_on_every_page_and_learns_nothing() {
    let s = server().await;
    let mut a = sign_up(&s, "Acme", "hr@acme.example").await;
    let (h, [anna, ben, _]) = household_of_three(&s, &mut a).await;
    let person = a.get(&s, &format!("/register/people/{anna}")).await.body;
    let permit = edit_id(&person, "permits");
    let contract = edit_id(&person, "contracts");
    let mut b = sign_up(&s, "Other", "hr@other.example").await;
    let unknown = "00000000-0000-4000-8000-000000000000";
    let pages = |h: &str, p: &str, pm: &str, c: &str| {
        vec![
            format!("/register/households/{h}"),
            format!("/register/households/{h}/edit"),
            format!("/register/people/{p}"),
            format!("/register/people/{p}/edit"),
            format!("/register/people/{p}/export"),
            format!("/register/permits/{pm}/edit"),
            format!("/register/contracts/{c}/edit"),
            format!("/register/permits/new?person={p}"),
            format!("/register/contracts/new?person={p}"),
            format!("/register/people/new?household={h}"),
            format!("/register/relationships/new?household={h}"),
        ]
    };
    let theirs = pages(&h, &anna, &permit, &contract);
    let nobody = pages(unknown, unknown, unknown, unknown);
    for (path, control) in theirs.iter().zip(&nobody) {
        let r = b.get(&s, path).await;
        let n = b.get(&s, control).await;
        assert_eq!(r.status, 404, "{path}: {}", r.body);
        assert_eq!(
            r.body, n.body,
            "{path} differs from a page that does not exist"
        );
        assert!(!r.body.contains("Anna") && !r.body.contains("Sharma"));
    }
    let token = csrf(&b.get(&s, "/register").await.body);
    for (path, fields) in [
        (
            format!("/register/households/{h}/edit"),
            vec![("name", "Stolen")],
        ),
        (format!("/register/households/{h}/assess"), vec![]),
        (
            format!("/register/people/{anna}/erase"),
            vec![("confirm", "yes")],
        ),
        (
            format!("/register/people/{anna}/edit"),
            vec![("name", "Stolen")],
        ),
        (
            format!("/register/permits/{permit}/edit"),
            vec![
                ("person_id", anna.as_str()),
                ("kind", "study"),
                ("valid_from", "2020-01-01"),
            ],
        ),
        (
            format!("/register/contracts/{contract}/edit"),
            vec![("employer", "Stolen")],
        ),
        (
            "/register/permits/new".to_string(),
            vec![
                ("person_id", anna.as_str()),
                ("kind", "study"),
                ("valid_from", "2020-01-01"),
            ],
        ),
        (
            "/register/contracts/new".to_string(),
            vec![("person_id", anna.as_str()), ("employer", "Stolen")],
        ),
        (
            "/register/relationships/new".to_string(),
            vec![
                ("household", h.as_str()),
                ("kind", "partner"),
                ("a", anna.as_str()),
                ("b", ben.as_str()),
            ],
        ),
    ] {
        let mut all = vec![("_csrf", token.as_str())];
        all.extend(fields);
        let r = b.post(&s, &path, &all).await;
        assert_eq!(r.status, 404, "{path}: {}", r.body);
        assert!(!r.body.contains("Anna"));
    }
    for page in [
        "/register",
        "/register/people",
        "/register/households",
        "/register/export.csv",
        "/register/export.json",
    ] {
        let r = b.get(&s, page).await;
        assert_eq!(r.status, 200, "{page}");
        assert!(
            !r.body.contains("Anna") && !r.body.contains("Sharma"),
            "{page} leaks: {}",
            r.body
        );
    }
    // Nothing of theirs changed.
    let p = a
        .get(&s, &format!("/register/households/{h}?lang=en"))
        .await;
    assert!(
        p.body.contains("<h1>Sharma</h1>")
            && p.body.contains("Anna")
            && p.body.contains("None kept yet.")
    );
    assert!(!p.body.contains("Stolen"));
}

const ROSTER: &str = "id,household,reference_date,birth_date,nationality,gross_monthly_salary,contract_start,contract_end,permit_kind,permit_from,permit_until,sponsor,partner,partnership_form,parent,education_level,education_provenance
Priya,Iyer,2025-06-01,1990-03-01,IN,6000,2024-01-01,indefinite,highly_skilled_migrant,2024-02-01,2029-01-31,,Ravi,married,,master,foreign
Ravi,Iyer,2025-06-01,1989-05-05,IN,,,,family_member,2024-02-01,2029-01-31,Priya,Priya,married,,,
Maya,Iyer,2025-06-01,2019-09-09,IN,,,,family_member,2024-02-01,2029-01-31,Priya,,,Priya,,
Bad,Lone,2025-06-01,1990-13-45,IN,,,,,,,,,,,,
Dangling,Solo,2025-06-01,1990-01-01,NL,,,,,,,,Nobody,married,,,
Tom,,2025-06-01,1985-01-01,GB,4000,2025-01-01,2026-12-31,eu_blue_card,2025-02-01,2027-01-31,,,,,,
";

#[tokio::test]
async fn a_roster_larger_than_an_api_body_is_previewed() {
    let s = server().await;
    let mut c = sign_up(&s, "Acme", "hr@acme.example").await;
    let mut csv = String::from("id,household,reference_date,birth_date,nationality\n");
    for i in 0..10_000 {
        csv.push_str(&format!("P{i},H{i},2025-06-01,1990-03-01,IN\n"));
    }
    assert!(csv.len() > verblijf_web::BODY_LIMIT);
    let r = c
        .submit(
            &s,
            "/register/import",
            "/register/import?lang=en",
            &[("csv", csv.as_str())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", &r.body[..r.body.len().min(500)]);
    assert!(r.body.contains("Rows that can be imported: 10000"));
}

#[tokio::test]
async fn an_import_shows_a_preview_with_row_errors_then_creates_the_good_rows() {
    let s = server().await;
    let mut c = sign_up(&s, "Acme", "hr@acme.example").await;
    let r = c
        .submit(
            &s,
            "/register/import",
            "/register/import?lang=en",
            &[("csv", ROSTER)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    for want in [
        "Rows that can be imported: 4",
        "left out: 2",
        "<tr id=\"line-5\"><td>5</td>",
        "line 5: column `birth_date`: expected a date YYYY-MM-DD",
        "line 6: column `partner`: links to `Nobody`",
        "person Priya",
        "permit Highly skilled migrant 2024-02-01 – 2029-01-31",
        "€6,000.00 a month",
        "partner of Ravi",
        "child of Priya",
        "not kept: education_level, education_provenance",
    ] {
        assert!(r.body.contains(want), "{want} missing in {}", r.body);
    }
    // The preview created nothing.
    assert!(!c
        .get(&s, "/register/households")
        .await
        .body
        .contains("Iyer"));
    // A header that is not a roster is named.
    let r = c
        .submit(
            &s,
            "/register/import",
            "/register/import?lang=en",
            &[("csv", "name,salary\nx,1\n")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("unknown column `name`"), "{}", r.body);
    // The same upload as a multipart file.
    let p = c.get(&s, "/register/import").await;
    let token = csrf(&p.body);
    let boundary = "XyZBoundary";
    let body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"roster.csv\"\r\nContent-Type: text/csv\r\n\r\n{ROSTER}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"csv\"\r\n\r\n\r\n--{boundary}--\r\n");
    let r = request_headers(
        &s,
        "POST",
        "/register/import?lang=en",
        &format!("multipart/form-data; boundary={boundary}"),
        &c.cookie_header(),
        body.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("Rows that can be imported: 4"),
        "{}",
        r.body
    );
    // Confirm from the preview's own form.
    let hidden = r
        .body
        .split("<textarea name=\"csv\" hidden aria-hidden=\"true\">")
        .nth(1)
        .and_then(|x| x.split("</textarea>").next())
        .expect("the roster travels with the confirmation")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"");
    let r = c
        .post(
            &s,
            "/register/import/confirm?lang=en",
            &[("_csrf", &token), ("csv", &hidden)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    for want in [
        "<li>1 households</li>",
        "<li>4 people</li>",
        "<li>4 permits</li>",
        "<li>2 contracts</li>",
        "<li>2 relationships</li>",
        "lines 5, 6",
    ] {
        assert!(r.body.contains(want), "{want} missing in {}", r.body);
    }
    let list = c.get(&s, "/register/households").await.body;
    assert!(
        list.contains("Iyer") && list.contains("Maya, Priya, Ravi"),
        "{list}"
    );
    let people = c.get(&s, "/register/people").await.body;
    assert!(people.contains("Tom") && !people.contains("Dangling") && !people.contains(">Bad<"));
    // The imported household has deadlines on the dashboard.
    assert!(c.get(&s, "/register?lang=en").await.body.contains("Iyer"));
}

#[tokio::test]
async fn an_export_imports_again_into_the_same_register_contents() {
    let s = server().await;
    let mut a = sign_up(&s, "Acme", "hr@acme.example").await;
    household_of_three(&s, &mut a).await;
    let r = a
        .submit(
            &s,
            "/register/import",
            "/register/import/confirm?lang=en",
            &[("csv", ROSTER)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let first = a.get(&s, "/register/export.csv").await;
    assert_eq!(first.status, 200);
    assert!(first
        .headers
        .to_ascii_lowercase()
        .contains("content-type: text/csv"));
    assert!(first.body.starts_with("id,household,reference_date,"));
    assert!(
        first.body.contains("Anna,Sharma,") && first.body.contains("Priya,Iyer,"),
        "{}",
        first.body
    );
    let mut b = sign_up(&s, "Copy", "hr@copy.example").await;
    let r = b
        .submit(
            &s,
            "/register/import",
            "/register/import?lang=en",
            &[("csv", &first.body)],
        )
        .await;
    assert!(r.body.contains("left out: 0"), "{}", r.body);
    let r = b
        .submit(
            &s,
            "/register/import",
            "/register/import/confirm?lang=en",
            &[("csv", &first.body)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let second = b.get(&s, "/register/export.csv").await;
    assert_eq!(first.body, second.body);
    // The JSON export has everything, the BSN and contracts included.
    let j: Value =
        serde_json::from_str(&b.get(&s, "/register/export.json").await.body).expect("json");
    assert_eq!(j["organisation"], "Copy");
    assert_eq!(j["people"].as_array().map(Vec::len), Some(7));
    assert_eq!(j["households"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn a_person_is_exported_and_erased_from_their_page() {
    let s = server().await;
    let mut c = sign_up(&s, "Acme", "hr@acme.example").await;
    let (h, [_, ben, _]) = household_of_three(&s, &mut c).await;
    let e = c.get(&s, &format!("/register/people/{ben}/export")).await;
    assert_eq!(e.status, 200);
    let v: Value = serde_json::from_str(&e.body).expect("json");
    assert_eq!(v["person"]["name"], "Ben");
    // Erasing needs the box ticked.
    let r = c
        .submit(
            &s,
            &format!("/register/people/{ben}"),
            &format!("/register/people/{ben}/erase?lang=en"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(c.get(&s, &location(&r)).await.body.contains("Tick the box"));
    let r = c
        .submit(
            &s,
            &format!("/register/people/{ben}"),
            &format!("/register/people/{ben}/erase?lang=en"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(c
        .get(&s, &location(&r))
        .await
        .body
        .contains("The person was erased"));
    assert_eq!(
        c.get(&s, &format!("/register/people/{ben}")).await.status,
        404
    );
    let p = c.get(&s, &format!("/register/households/{h}")).await;
    assert!(!p.body.contains("Ben"));
}

async fn sign_in(s: &Server, email: &str) -> Client {
    let mut c = Client::default();
    let r = c
        .submit(
            s,
            "/register/sign-in",
            "/register/sign-in?lang=en",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    c
}

/// Adds a user through the users page (the owner's client).
async fn add_user(s: &Server, owner: &mut Client, email: &str, role: &str) -> Reply {
    owner
        .submit(
            s,
            "/register/users?lang=en",
            "/register/users?lang=en",
            &[("email", email), ("role", role), ("password", PASSWORD)],
        )
        .await
}

const PROFILE: [(&str, &str); 7] = [
    ("skills", "Welding, Python"),
    ("languages", "English, Dutch (A2)"),
    ("education_level", "master"),
    ("education_field", "Mechanical engineering"),
    ("available_from", "2026-01-01"),
    ("hours_per_week", "32"),
    ("note", "Prefers mornings"),
];

/// Records a partner's consent and profile from their page.
async fn give_consent(s: &Server, c: &mut Client, person: &str, extra: &[(&str, &str)]) -> Reply {
    let mut fields = vec![("given_at", "2025-06-01")];
    fields.extend_from_slice(extra);
    for (k, v) in PROFILE {
        if !extra.iter().any(|(e, _)| *e == k) {
            fields.push((k, v));
        }
    }
    c.submit(
        s,
        &format!("/register/people/{person}?lang=en"),
        &format!("/register/people/{person}/career?lang=en"),
        &fields,
    )
    .await
}

#[tokio::test]
async fn a_partner_who_opts_in_is_listed_with_their_right_to_work_and_no_one_else() {
    let s = server().await;
    let mut c = sign_up(&s, "Acme", "hr@acme.example").await;
    let (_, [anna, ben, _cleo]) = household_of_three(&s, &mut c).await;
    // Nobody has opted in: the careers page names no one.
    let p = c.get(&s, "/register/careers?lang=en").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("No partner has opted in."), "{}", p.body);
    assert!(p.body.contains("href=\"/register/careers?lang=en\""));
    for name in ["Anna", "Ben", "Cleo", "Sharma"] {
        assert!(!p.body.contains(name), "{name} on {}", p.body);
    }
    // The sponsor cannot opt in: no consent form on her page.
    let pa = c.get(&s, &format!("/register/people/{anna}?lang=en")).await;
    assert!(!pa.body.contains("Record consent"), "{}", pa.body);
    // The partner's page shows the text to agree to, its version and the profile form.
    let pb = c.get(&s, &format!("/register/people/{ben}?lang=en")).await;
    for want in [
        "<h2 id=\"career\">Partner careers</h2>",
        "Record consent",
        "I agree that Acme keeps my skills",
        "careers-1-en",
        "<label for=\"f-agreed\"",
        "<label for=\"f-hours_per_week\">Hours a week</label>",
        "<textarea rows=\"4\" id=\"f-note\"",
    ] {
        assert!(pb.body.contains(want), "{want} missing in {}", pb.body);
    }
    // Without the box ticked, or with hours that are not a number: nothing recorded, the form keeps what was typed.
    let r = give_consent(&s, &mut c, &ben, &[]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#f-agreed\"") && r.body.contains("value=\"Welding, Python\""));
    let r = give_consent(
        &s,
        &mut c,
        &ben,
        &[("agreed", "yes"), ("hours_per_week", "lots")],
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#f-hours_per_week\""), "{}", r.body);
    assert!(r.body.contains("value=\"lots\"") && r.body.contains("Prefers mornings"));
    // A consent in the future is refused by the store, named on the date field.
    let r = give_consent(
        &s,
        &mut c,
        &ben,
        &[("agreed", "yes"), ("given_at", "2999-01-01")],
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#f-given_at\""), "{}", r.body);
    let p = c.get(&s, "/register/careers?lang=en").await;
    assert!(!p.body.contains("Ben"));
    // Recorded.
    let r = give_consent(&s, &mut c, &ben, &[("agreed", "yes")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        location(&r).ends_with("?career=given&lang=en#career"),
        "{}",
        location(&r)
    );
    let pb = c.get(&s, &location(&r)).await;
    for want in [
        "Opted in to be seen as a candidate for work since 2025-06-01",
        "careers-1-en",
        "Mechanical engineering",
        "Change the profile",
        "Withdraw consent",
        "Consent history",
    ] {
        assert!(pb.body.contains(want), "{want} missing in {}", pb.body);
    }
    // The careers page on a date: the partner with their right to work and until when; the others absent.
    let p = c.get(&s, "/register/careers?date=2026-03-01&lang=en").await;
    assert_eq!(p.status, 200);
    for want in [
        "Ben",
        "Sharma",
        "free to work, no work permit (TWV) needed",
        "until 2030-08-31",
        "Welding, Python",
        "English, Dutch (A2)",
        "Master, Mechanical engineering",
        "Hours a week: 32",
        "Who may work freely on 2026-03-01",
        "1 opted-in partner, of whom 1 may work freely",
        "a family member's permit",
    ] {
        assert!(p.body.contains(want), "{want} missing in {}", p.body);
    }
    for name in ["Anna", "Cleo"] {
        assert!(!p.body.contains(name), "{name} on {}", p.body);
    }
    let nl = c.get(&s, "/register/careers?date=2026-03-01&lang=nl").await;
    for want in [
        "Werk voor partners",
        "arbeid vrij toegestaan, TWV niet vereist",
        "tot en met 2030-08-31",
        "Wie vrij mag werken op 2026-03-01",
        "/register/careers?date=2026-03-01&amp;lang=en",
    ] {
        assert!(
            nl.body.contains(want) || nl.body.contains(&want.replace("&amp;", "&")),
            "{want} missing in {}",
            nl.body
        );
    }
    // After the permit ends the partner may not work freely any more.
    let later = c.get(&s, "/register/careers?date=2031-01-01&lang=en").await;
    assert!(
        later.body.contains("of whom 0 may work freely"),
        "{}",
        later.body
    );
    // A date that is not one: the field says so and keeps what was typed.
    let bad = c.get(&s, "/register/careers?date=2026-02-31&lang=en").await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("aria-invalid=\"true\"") && bad.body.contains("value=\"2026-02-31\"")
    );
    assert!(!bad.body.contains("Ben"));
    // Changing the profile: a bad value is named and kept; a good one saved.
    let r = c
        .submit(
            &s,
            &format!("/register/people/{ben}?lang=en"),
            &format!("/register/people/{ben}/career/profile?lang=en"),
            &[("skills", "Welding"), ("hours_per_week", "70")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#f-hours_per_week\"") && r.body.contains("value=\"70\""));
    let r = c
        .submit(
            &s,
            &format!("/register/people/{ben}?lang=en"),
            &format!("/register/people/{ben}/career/profile?lang=en"),
            &[("skills", "Welding, Rust"), ("hours_per_week", "24")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let p = c.get(&s, "/register/careers?lang=en").await;
    assert!(p.body.contains("Welding, Rust") && p.body.contains("Hours a week: 24"));
    // Withdrawal needs the box ticked; then the partner is gone from the list, the consent kept as history.
    let r = c
        .submit(
            &s,
            &format!("/register/people/{ben}?lang=en"),
            &format!("/register/people/{ben}/career/withdraw?lang=en"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(location(&r).contains("withdraw_unconfirmed=1"));
    assert!(c
        .get(&s, "/register/careers?lang=en")
        .await
        .body
        .contains("Ben"));
    let r = c
        .submit(
            &s,
            &format!("/register/people/{ben}?lang=en"),
            &format!("/register/people/{ben}/career/withdraw?lang=en"),
            &[("confirm_withdraw", "yes")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let p = c.get(&s, "/register/careers?lang=en").await;
    assert!(
        p.body.contains("No partner has opted in.") && !p.body.contains("Ben"),
        "{}",
        p.body
    );
    let pb = c.get(&s, &format!("/register/people/{ben}?lang=en")).await;
    assert!(pb.body.contains("Consent history") && pb.body.contains("Record consent"));
    assert!(!pb.body.contains("Mechanical engineering") && !pb.body.contains("Welding"));
    // Opting in again is a new consent; the history has both.
    let r = give_consent(&s, &mut c, &ben, &[("agreed", "yes")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let pb = c.get(&s, &format!("/register/people/{ben}?lang=nl")).await;
    assert_eq!(
        pb.body.matches("<td>careers-1-en</td>").count(),
        2,
        "{}",
        pb.body
    );
    assert!(pb.body.contains("Geschiedenis van de toestemming"));
}

#[tokio::test]
async fn careers_pages_refuse_viewers_and_other_organisations() {
    let s = server().await;
    let mut owner = sign_up(&s, "Acme", "hr@acme.example").await;
    let (_, [_, ben, _]) = household_of_three(&s, &mut owner).await;
    let r = give_consent(&s, &mut owner, &ben, &[("agreed", "yes")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = add_user(&s, &mut owner, "v@acme.example", "viewer").await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut v = sign_in(&s, "v@acme.example").await;
    // A viewer reads the list and the partner's page, with no forms.
    let p = v.get(&s, "/register/careers?lang=en").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("Ben") && p.body.contains("free to work"));
    let pb = v.get(&s, &format!("/register/people/{ben}?lang=en")).await;
    assert!(pb.body.contains("Mechanical engineering") && pb.body.contains("Consent history"));
    for hidden in [
        "/career?",
        "/career/profile",
        "/career/withdraw",
        "Record consent",
        "f-skills",
    ] {
        assert!(!pb.body.contains(hidden), "a viewer sees {hidden}");
        assert!(!p.body.contains(hidden), "a viewer sees {hidden}");
    }
    let token = csrf(&pb.body);
    let consent = [
        ("_csrf", token.as_str()),
        ("agreed", "yes"),
        ("given_at", "2025-06-01"),
    ];
    let profile = [("_csrf", token.as_str()), ("skills", "Stolen")];
    let withdraw = [("_csrf", token.as_str()), ("confirm_withdraw", "yes")];
    let posts: [(String, &[(&str, &str)]); 3] = [
        (format!("/register/people/{ben}/career"), &consent),
        (format!("/register/people/{ben}/career/profile"), &profile),
        (format!("/register/people/{ben}/career/withdraw"), &withdraw),
    ];
    for (path, fields) in &posts {
        let r = v.post(&s, path, fields).await;
        assert_eq!(r.status, 403, "{path}: {}", r.body);
        assert!(r.body.contains("Your role is viewer"));
    }
    let p = owner.get(&s, "/register/careers?lang=en").await;
    assert!(p.body.contains("Welding, Python") && !p.body.contains("Stolen"));
    // Another organisation: the same "not found" as a record that does not exist, and nothing on its lists.
    let mut b = sign_up(&s, "Other", "hr@other.example").await;
    let unknown = "00000000-0000-4000-8000-000000000000";
    let r = b.get(&s, &format!("/register/people/{ben}")).await;
    let n = b.get(&s, &format!("/register/people/{unknown}")).await;
    assert_eq!((r.status, &r.body), (404, &n.body));
    let token = csrf(&b.get(&s, "/register").await.body);
    for (path, fields) in &posts {
        let mut fields: Vec<(&str, &str)> = fields.to_vec();
        fields[0] = ("_csrf", token.as_str());
        let r = b.post(&s, path, &fields).await;
        let n = b.post(&s, &path.replace(&ben, unknown), &fields).await;
        assert_eq!(r.status, 404, "{path}: {}", r.body);
        assert_eq!(
            r.body, n.body,
            "{path} differs from a record that does not exist"
        );
    }
    let p = b.get(&s, "/register/careers?date=2026-03-01&lang=en").await;
    assert!(p.body.contains("No partner has opted in."));
    assert!(!p.body.contains("Ben") && !p.body.contains("Sharma"));
    let p = owner.get(&s, "/register/careers?lang=en").await;
    assert!(
        p.body.contains("Welding, Python"),
        "nothing of theirs changed"
    );
}

#[tokio::test]
async fn settings_are_changed_by_an_owner_and_read_by_others() {
    let s = server().await;
    let mut owner = sign_up(&s, "Acme", "hr@acme.example").await;
    household_of_three(&s, &mut owner).await;
    let p = owner.get(&s, "/register/settings?lang=en").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("href=\"/register/settings?lang=en\""));
    assert!(
        p.body
            .contains("<label for=\"f-permit_end\">Before a permit of one&#39;s own ends</label>")
            || p.body
                .contains("<label for=\"f-permit_end\">Before a permit of one's own ends</label>"),
        "{}",
        p.body
    );
    assert!(p.body.contains("id=\"f-permit_end\" name=\"permit_end\" aria-describedby=\"f-permit_end-help\" value=\"90\""), "{}", p.body);
    // Bad values: each field named, what was typed kept, nothing saved.
    let mut fields: Vec<(&str, &str)> = vec![
        ("permit_end", "abc"),
        ("dependant_permit_end", "90"),
        ("extension_window", "30"),
        ("contract_end", "9999"),
        ("report_change", "14"),
        ("orientation_year_end", "90"),
        ("thirtieth_birthday", "90"),
        ("graduation_window", "90"),
    ];
    let r = owner
        .submit(
            &s,
            "/register/settings?lang=en",
            "/register/settings?lang=en",
            &fields,
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    for want in [
        "href=\"#f-permit_end\"",
        "href=\"#f-contract_end\"",
        "value=\"abc\"",
        "value=\"9999\"",
        "from 0 to 730",
    ] {
        assert!(r.body.contains(want), "{want} missing in {}", r.body);
    }
    assert!(!r.body.contains("href=\"#f-report_change\""));
    let r = owner
        .submit(
            &s,
            "/register/settings?lang=nl",
            "/register/settings?lang=nl",
            &fields,
        )
        .await;
    assert!(
        r.body.contains("Verwacht een heel aantal dagen"),
        "{}",
        r.body
    );
    fields[0] = ("permit_end", "120");
    fields[3] = ("contract_end", "45");
    let r = owner
        .submit(
            &s,
            "/register/settings?lang=en",
            "/register/settings?lang=en",
            &fields,
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let p = owner.get(&s, &location(&r)).await;
    assert!(p.body.contains("The settings are saved.") && p.body.contains("value=\"120\""));
    // The dashboard tells due deadlines from later ones.
    let d = owner.get(&s, "/register?date=2025-11-01&lang=en").await;
    assert!(
        d.body.contains("Due now (0)") && d.body.contains("Warning from"),
        "{}",
        d.body
    );
    let d = owner.get(&s, "/register?date=2030-06-15&lang=en").await;
    assert!(!d.body.contains("Due now (0)"), "{}", d.body);
    let (due, _) = d.body.split_once("id=\"later\"").expect("later");
    assert!(due.contains("2030-08-31"), "{}", d.body);
    // An adviser and a viewer read the settings and cannot change them.
    for (email, role) in [("a@acme.example", "adviser"), ("v@acme.example", "viewer")] {
        let r = add_user(&s, &mut owner, email, role).await;
        assert_eq!(r.status, 303, "{}", r.body);
        let mut u = sign_in(&s, email).await;
        let p = u.get(&s, "/register/settings?lang=en").await;
        assert_eq!(p.status, 200);
        assert!(
            p.body.contains("Only an owner changes the settings.")
                && p.body.contains("<td>120</td>")
        );
        assert!(!p.body.contains("f-permit_end"));
        let mut all = vec![("_csrf", csrf(&p.body))];
        all.extend(fields.iter().map(|(k, _)| (*k, "7".to_string())));
        let all: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = u.post(&s, "/register/settings?lang=en", &all).await;
        assert_eq!(r.status, 403, "{}", r.body);
        assert!(r.body.contains("Only an owner"));
    }
    let p = owner.get(&s, "/register/settings?lang=en").await;
    assert!(p.body.contains("value=\"120\"") && p.body.contains("value=\"45\""));
}

#[tokio::test]
async fn only_an_owner_sees_and_adds_users() {
    let s = server().await;
    let mut owner = sign_up(&s, "Acme", "hr@acme.example").await;
    let p = owner.get(&s, "/register/users?lang=en").await;
    assert_eq!(p.status, 200);
    assert!(
        p.body.contains("<td>hr@acme.example</td><td>owner</td>"),
        "{}",
        p.body
    );
    assert!(p.body.contains("autocomplete=\"new-password\""));
    // Bad input: the fields named, the email kept, the password never.
    let r = owner
        .submit(
            &s,
            "/register/users?lang=en",
            "/register/users?lang=en",
            &[
                ("email", "not-an-address"),
                ("role", "adviser"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#f-email\"") && r.body.contains("value=\"not-an-address\""));
    assert!(!r.body.contains("value=\"short\""));
    let r = owner
        .submit(
            &s,
            "/register/users?lang=en",
            "/register/users?lang=en",
            &[
                ("email", "x@acme.example"),
                ("role", "boss"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#f-role\""));
    let r = add_user(&s, &mut owner, "a@acme.example", "adviser").await;
    assert_eq!(r.status, 303, "{}", r.body);
    let p = owner.get(&s, &location(&r)).await;
    assert!(
        p.body.contains("The user is added")
            && p.body.contains("<td>a@acme.example</td><td>adviser</td>")
    );
    let r = add_user(&s, &mut owner, "A@acme.example", "viewer").await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("already an account"));
    // Not for an adviser: no link, the page and the form refused.
    let mut a = sign_in(&s, "a@acme.example").await;
    let d = a.get(&s, "/register?lang=en").await;
    assert!(!d.body.contains("/register/users"));
    assert!(owner
        .get(&s, "/register?lang=en")
        .await
        .body
        .contains("/register/users?lang=en"));
    assert_eq!(a.get(&s, "/register/users?lang=en").await.status, 403);
    let token = csrf(&d.body);
    let r = a
        .post(
            &s,
            "/register/users?lang=en",
            &[
                ("_csrf", &token),
                ("email", "sneak@acme.example"),
                ("role", "owner"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let p = owner.get(&s, "/register/users?lang=en").await;
    assert!(!p.body.contains("sneak@acme.example"));
    // Another organisation's owner sees only their own users.
    let mut b = sign_up(&s, "Other", "hr@other.example").await;
    let p = b.get(&s, "/register/users?lang=en").await;
    assert!(p.body.contains("hr@other.example") && !p.body.contains("acme.example"));
}

#[tokio::test]
async fn a_partnership_that_ended_is_recorded_from_the_household_page() {
    let s = server().await;
    let mut c = sign_up(&s, "Acme", "hr@acme.example").await;
    let (h, _) = household_of_three(&s, &mut c).await;
    let page = c.get(&s, &format!("/register/households/{h}")).await;
    let edit_links: Vec<String> = page
        .body
        .split("/register/relationships/")
        .skip(1)
        .filter_map(|r| r.split("/edit").next())
        .filter(|id| !id.contains('"') && !id.contains('?'))
        .map(str::to_string)
        .collect();
    assert_eq!(edit_links.len(), 2, "{}", page.body);
    // The first link in the list is the partnership (links are listed by kind: child, then partner).
    let mut partner = None;
    for id in &edit_links {
        let p = c
            .get(&s, &format!("/register/relationships/{id}/edit"))
            .await;
        assert_eq!(p.status, 200, "{}", p.body);
        if p.body.contains("Ended on") {
            partner = Some(id.clone());
        }
    }
    let partner = partner.expect("the partnership's form");
    let edit = format!("/register/relationships/{partner}/edit");
    // Dates out of order are named on the form and what was typed is kept.
    let r = c
        .submit(
            &s,
            &edit,
            &format!("{edit}?lang=en"),
            &[
                ("form", "married"),
                ("from", "2025-03-02"),
                ("until", "2025-03-01"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("value=\"2025-03-01\""));
    let r = c
        .submit(
            &s,
            &edit,
            &format!("{edit}?lang=en"),
            &[("form", "married"), ("from", ""), ("until", "2025-03-01")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.get(&s, &format!("/register/households/{h}")).await;
    assert!(page.body.contains("(ended 2025-03-01)"), "{}", page.body);
    // Another organisation gets the page every missing record gets.
    let mut other = sign_up(&s, "Other", "hr@other.example").await;
    let missing = other.get(&s, "/register/relationships/nope/edit").await;
    let theirs = other.get(&s, &edit).await;
    assert_eq!((theirs.status, &theirs.body), (404, &missing.body));
    // A viewer sees no change link, no form, and cannot post.
    let r = add_user(&s, &mut c, "v@acme.example", "viewer").await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut v = sign_in(&s, "v@acme.example").await;
    let page = v.get(&s, &format!("/register/households/{h}")).await;
    assert!(
        !page.body.contains("/register/relationships/"),
        "{}",
        page.body
    );
    assert_eq!(v.get(&s, &edit).await.status, 403);
    let token = csrf(&v.get(&s, "/register?lang=en").await.body);
    let r = v
        .post(
            &s,
            &format!("/register/relationships/{partner}/remove?lang=en"),
            &[("_csrf", token.as_str())],
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    // A link recorded in error is removed.
    let child = edit_links
        .iter()
        .find(|id| **id != partner)
        .expect("child link");
    let r = c
        .submit(
            &s,
            &format!("/register/relationships/{child}/edit"),
            &format!("/register/relationships/{child}/remove?lang=en"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.get(&s, &format!("/register/households/{h}")).await;
    assert!(!page.body.contains("is a parent of"), "{}", page.body);
}
