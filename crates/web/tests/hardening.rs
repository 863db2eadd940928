//! The findings of the hardening review, each on a real server with a real SQLite register: security headers,
//! database messages kept from clients, CSV formula injection, header values with newlines, dates checked at the
//! door, bounded memory for unauthenticated requests, the sign-in limit, and the calendar feed's escaping.

mod common;

use base64::Engine;
use common::*;
use serde_json::Value;
use sha2::Digest;

fn temp_db() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "verblijf-web-hardening-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    dir.join("r.db")
}

async fn register_server() -> Server {
    register_server_at(&temp_db()).await
}

async fn register_server_at(db: &std::path::Path) -> Server {
    let store = verblijf_store::Store::open(db.to_str().expect("utf8"))
        .await
        .expect("store");
    start_with(Some(store)).await
}

fn json(r: &Reply) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {} {}", r.status, r.body))
}

fn header<'a>(r: &'a Reply, name: &str) -> Option<&'a str> {
    r.headers.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// A calendar feed token of the token's user.
async fn feed_token(s: &Server, t: &str) -> String {
    let r = call(s, "POST", "/api/v1/register/feed-token", Some(t), "").await;
    assert_eq!(r.status, 201, "{}", r.body);
    json(&r)["token"].as_str().expect("token").to_string()
}

async fn org(s: &Server, email: &str) -> String {
    let r = call(
        s,
        "POST",
        "/api/v1/register/organisations",
        None,
        &format!(
            r#"{{"name":"Org of {email}","email":"{email}","password":"correct horse battery"}}"#
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    json(&r)["token"].as_str().expect("token").to_string()
}

#[tokio::test]
async fn html_pages_send_a_content_security_policy_that_allows_exactly_their_own_scripts() {
    let s = register_server().await;
    for path in [
        "/",
        "/check?role=worker&lang=en",
        "/check?role=partner&lang=nl",
        "/register/sign-in",
        "/register/sign-up",
        "/api/docs",
    ] {
        let r = get(&s, path).await;
        assert_eq!(r.status, 200, "{path}");
        let csp = header(&r, "content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        assert_eq!(header(&r, "x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(
            header(&r, "x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(header(&r, "referrer-policy"), Some("no-referrer"), "{path}");
        // Every inline script the page holds is allowed by its hash; none is loaded from elsewhere.
        assert!(!r.body.contains("<script src"), "{path}");
        for part in r.body.split("<script>").skip(1) {
            let script = part.split("</script>").next().expect("script");
            let hash = base64::engine::general_purpose::STANDARD
                .encode(sha2::Sha256::digest(script.as_bytes()));
            assert!(
                csp.contains(&format!("'sha256-{hash}'")),
                "{path}: a script of the page is not allowed by the policy (sha256-{hash}): {csp}"
            );
        }
        // Inline styles are used (a <style> element and style attributes), so the policy allows them.
        if r.body.contains("<style>") || r.body.contains("style=\"") {
            assert!(csp.contains("style-src 'unsafe-inline'"), "{path}: {csp}");
        }
    }
    let api = get(&s, "/healthz").await;
    assert_eq!(header(&api, "x-content-type-options"), Some("nosniff"));
    assert!(
        header(&api, "content-security-policy").is_some_and(|c| c.contains("default-src 'none'"))
    );
}

#[tokio::test]
async fn no_database_message_reaches_a_client_when_an_email_is_taken() {
    let s = register_server().await;
    let t = org(&s, "taken@acme.example").await;
    let again = call(
        &s,
        "POST",
        "/api/v1/register/organisations",
        None,
        r#"{"name":"Other","email":"taken@acme.example","password":"correct horse battery"}"#,
    )
    .await;
    let user = call(
        &s,
        "POST",
        "/api/v1/register/users",
        Some(&t),
        r#"{"email":"TAKEN@acme.example","password":"correct horse battery","role":"viewer"}"#,
    )
    .await;
    for r in [&again, &user] {
        assert_eq!(r.status, 409, "{}", r.body);
        let lower = r.body.to_lowercase();
        for leak in [
            "unique",
            "constraint",
            "users.email",
            "sqlite",
            "duplicate key",
        ] {
            assert!(!lower.contains(leak), "{leak} in {}", r.body);
        }
        assert!(r.body.contains("exists already"), "{}", r.body);
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A client that keeps cookies, as a browser does.
#[derive(Default)]
struct Client {
    cookies: std::collections::HashMap<String, String>,
}

impl Client {
    fn cookie_header(&self) -> String {
        let v: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if v.is_empty() {
            String::new()
        } else {
            format!("Cookie: {}\r\n", v.join("; "))
        }
    }
    fn keep(&mut self, r: &Reply) {
        for line in r.headers.lines() {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("set-cookie: ") {
                let kv = line["set-cookie: ".len()..].split(';').next().unwrap_or("");
                if let Some((k, v)) = kv.split_once('=') {
                    if v.is_empty() {
                        self.cookies.remove(k);
                    } else {
                        self.cookies.insert(k.to_string(), v.to_string());
                    }
                }
            }
        }
    }
    async fn get(&mut self, s: &Server, path: &str) -> Reply {
        let r = request_headers(s, "GET", path, "text/plain", &self.cookie_header(), b"").await;
        self.keep(&r);
        r
    }
    async fn post_raw(&mut self, s: &Server, path: &str, body: &str) -> Reply {
        let r = request_headers(
            s,
            "POST",
            path,
            "application/x-www-form-urlencoded",
            &self.cookie_header(),
            body.as_bytes(),
        )
        .await;
        self.keep(&r);
        r
    }
    /// Opens a page and sends its form with the token the page carries.
    async fn submit(
        &mut self,
        s: &Server,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> Reply {
        let p = self.get(s, page).await;
        assert_eq!(p.status, 200, "{page}: {}", p.body);
        let token = p
            .body
            .split("name=\"_csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_else(|| panic!("no form token in {}", p.body))
            .to_string();
        let mut all = vec![format!("_csrf={}", enc(&token))];
        all.extend(fields.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))));
        self.post_raw(s, action, &all.join("&")).await
    }
}

const PASSWORD: &str = "correct horse battery";

/// Signs up through the pages and returns the session's client and an API token of the same owner.
async fn sign_up(s: &Server, org: &str, email: &str) -> (Client, String) {
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
    let t = call(
        s,
        "POST",
        "/api/v1/register/login",
        None,
        &format!(r#"{{"email":"{email}","password":"{PASSWORD}"}}"#),
    )
    .await;
    assert_eq!(t.status, 201, "{}", t.body);
    (c, json(&t)["token"].as_str().expect("token").to_string())
}

async fn created_id(r: Reply) -> String {
    assert_eq!(r.status, 201, "{}", r.body);
    json(&r)["id"].as_str().expect("id").to_string()
}

#[tokio::test]
async fn the_csv_export_neutralises_formulas_and_the_import_restores_the_real_names() {
    let s = register_server().await;
    let (mut a, t) = sign_up(&s, "Acme", "hr@formula.example").await;
    let names = [
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "'=already quoted",
        "Anna",
    ];
    let h = created_id(
        call(
            &s,
            "POST",
            "/api/v1/register/households",
            Some(&t),
            r#"{"name":"=cmd|' /C calc'!A0"}"#,
        )
        .await,
    )
    .await;
    for n in names {
        let body = serde_json::json!({ "household_id": h, "name": n, "birth_date": "1990-01-05", "nationality": "IN" });
        created_id(
            call(
                &s,
                "POST",
                "/api/v1/register/people",
                Some(&t),
                &body.to_string(),
            )
            .await,
        )
        .await;
    }
    let export = a.get(&s, "/register/export.csv").await;
    assert_eq!(export.status, 200, "{}", export.body);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(export.body.as_bytes());
    let mut seen = 0;
    for rec in rdr.records() {
        let rec = rec.expect("a CSV record");
        for cell in rec.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell a spreadsheet would run: {cell:?}"
            );
        }
        seen += 1;
    }
    assert_eq!(seen, names.len());
    assert!(export.body.contains("'=HYPERLINK"), "{}", export.body);
    assert!(export.body.contains("''=already quoted"), "{}", export.body);
    // Imported into another organisation, every name is the one typed, not the escaped cell.
    let (mut b, tb) = sign_up(&s, "Copy", "hr@copy-formula.example").await;
    let r = b
        .submit(
            &s,
            "/register/import",
            "/register/import/confirm?lang=en",
            &[("csv", &export.body)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let people = json(&call(&s, "GET", "/api/v1/register/people", Some(&tb), "").await);
    let mut got: Vec<String> = people
        .as_array()
        .expect("list")
        .iter()
        .map(|p| p["name"].as_str().expect("name").to_string())
        .collect();
    got.sort();
    // Names are kept trimmed (the tab goes), otherwise as typed.
    let mut want: Vec<String> = names.iter().map(|n| n.trim().to_string()).collect();
    want.sort();
    assert_eq!(got, want);
    let households = json(&call(&s, "GET", "/api/v1/register/households", Some(&tb), "").await);
    assert_eq!(households[0]["name"], "=cmd|' /C calc'!A0");
    // And the export of the copy is the export of the original.
    assert_eq!(b.get(&s, "/register/export.csv").await.body, export.body);
}

#[tokio::test]
async fn a_newline_in_a_value_that_ends_up_in_a_header_is_a_client_error_not_a_500() {
    let s = register_server().await;
    let check = request(
        &s,
        "POST",
        "/check",
        "application/x-www-form-urlencoded",
        b"role=worker%0A&lang=en&date=2026-03-02&birth_date=1996-09-14&recognised_sponsor=yes&salary=4500&work_role=regular",
    )
    .await;
    assert_eq!(check.status, 422, "{}", check.body);
    assert!(check.body.contains("control character"), "{}", check.body);
    let check = request(
        &s,
        "POST",
        "/check",
        "application/x-www-form-urlencoded",
        b"role=worker%0D%0ASet-Cookie:%20x=1&lang=en&date=2026-03-02&birth_date=1996-09-14&recognised_sponsor=yes&salary=4500&work_role=regular",
    )
    .await;
    assert_eq!(check.status, 422, "{}", check.body);
    let (_, _) = sign_up(&s, "Acme", "hr@newline.example").await;
    let mut c = Client::default();
    let r = c
        .submit(
            &s,
            "/register/sign-in",
            "/register/sign-in?lang=en",
            &[
                ("email", "hr@newline.example"),
                ("password", PASSWORD),
                ("next", "/register\n"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        r.headers.contains("location: /register?lang=en"),
        "{}",
        r.headers
    );
    let form = c.get(&s, "/register/sign-in?next=/register%0Ax").await;
    assert_eq!(form.status, 200, "{}", form.body);
}

#[tokio::test]
async fn dates_are_read_at_the_door_and_impossible_ones_are_refused_naming_the_field() {
    let s = register_server().await;
    let t = org(&s, "hr@dates.example").await;
    let h = created_id(
        call(
            &s,
            "POST",
            "/api/v1/register/households",
            Some(&t),
            r#"{"name":"Dates"}"#,
        )
        .await,
    )
    .await;
    for birth in [
        "2027-06-01",
        "9999-12-31",
        "+10000-01-01",
        "1990-1-5",
        "0000-01-01",
        "2026-02-30",
        "1990-01-05T00:00",
    ] {
        let body = serde_json::json!({ "household_id": h, "name": "X", "birth_date": birth });
        let r = call(
            &s,
            "POST",
            "/api/v1/register/people",
            Some(&t),
            &body.to_string(),
        )
        .await;
        assert_eq!(r.status, 422, "{birth}: {}", r.body);
        assert_eq!(json(&r)["field"], "birth_date", "{birth}: {}", r.body);
    }
    let body = serde_json::json!({ "household_id": h, "name": "Anna", "birth_date": "1990-01-05" });
    let anna = created_id(
        call(
            &s,
            "POST",
            "/api/v1/register/people",
            Some(&t),
            &body.to_string(),
        )
        .await,
    )
    .await;
    for (from, until) in [("2026-10-01", "2026-9-30"), ("2026-10-01", "2026-09-30")] {
        let body = serde_json::json!({ "person_id": anna, "kind": "highly_skilled_migrant", "valid_from": from, "valid_until": until });
        let r = call(
            &s,
            "POST",
            "/api/v1/register/permits",
            Some(&t),
            &body.to_string(),
        )
        .await;
        assert_eq!(r.status, 422, "{until}: {}", r.body);
        assert_eq!(json(&r)["field"], "valid_until", "{until}: {}", r.body);
    }
    // Compared as dates, not strings: "2026-10-01" sorts before "2026-9-30" as text, yet this order is right.
    let body = serde_json::json!({ "person_id": anna, "kind": "highly_skilled_migrant", "valid_from": "2026-09-30", "valid_until": "2026-10-01" });
    created_id(
        call(
            &s,
            "POST",
            "/api/v1/register/permits",
            Some(&t),
            &body.to_string(),
        )
        .await,
    )
    .await;
}

#[tokio::test]
async fn a_bad_stored_record_is_flagged_and_never_takes_down_the_organisations_deadlines() {
    let db = temp_db();
    let s = register_server_at(&db).await;
    let (mut c, t) = sign_up(&s, "Acme", "hr@bad-record.example").await;
    let mut permits = Vec::new();
    for name in ["Broken", "Fine"] {
        let h = created_id(
            call(
                &s,
                "POST",
                "/api/v1/register/households",
                Some(&t),
                &format!(r#"{{"name":"{name}"}}"#),
            )
            .await,
        )
        .await;
        let body = serde_json::json!({ "household_id": h, "name": format!("{name} person"), "birth_date": "1990-01-05", "nationality": "IN" });
        let p = created_id(
            call(
                &s,
                "POST",
                "/api/v1/register/people",
                Some(&t),
                &body.to_string(),
            )
            .await,
        )
        .await;
        let body = serde_json::json!({ "person_id": p, "kind": "highly_skilled_migrant", "valid_from": "2025-10-01", "valid_until": "2027-09-30" });
        permits.push(
            created_id(
                call(
                    &s,
                    "POST",
                    "/api/v1/register/permits",
                    Some(&t),
                    &body.to_string(),
                )
                .await,
            )
            .await,
        );
    }
    // A record kept before the checks at the door: an end in the non-canonical form, before the start.
    let other = verblijf_store::Store::open(db.to_str().expect("utf8"))
        .await
        .expect("store");
    other
        .raw_execute(&format!(
            "UPDATE permits SET valid_until = '2025-9-30' WHERE id = '{}'",
            permits[0]
        ))
        .await
        .expect("update");
    let r = call(
        &s,
        "GET",
        "/api/v1/register/alerts?date=2026-12-01",
        Some(&t),
        "",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = json(&r);
    assert_eq!(v["unreadable"][0]["household"], "Broken", "{v}");
    assert!(
        v["unreadable"][0]["field"]
            .as_str()
            .is_some_and(|f| !f.is_empty()),
        "{v}"
    );
    let alerts = v["alerts"].as_array().expect("alerts");
    assert!(alerts.iter().any(|a| a["household"] == "Fine"), "{v}");
    assert!(alerts.iter().all(|a| a["household"] != "Broken"), "{v}");
    let ics = call(
        &s,
        "GET",
        &format!(
            "/api/v1/register/alerts.ics?date=2026-12-01&token={}",
            feed_token(&s, &t).await
        ),
        None,
        "",
    )
    .await;
    assert_eq!(ics.status, 200, "{}", ics.body);
    assert!(
        ics.body.contains("Broken: a record needs correcting"),
        "{}",
        ics.body
    );
    assert!(ics.body.contains("Fine person"), "{}", ics.body);
    let page = c.get(&s, "/register?date=2026-12-01&lang=en").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("id=\"unreadable\"") && page.body.contains("Broken"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Fine person"), "{}", page.body);
}

/// A JSON POST sent from a given loopback address (Linux answers on all of 127.0.0.0/8), so that tests can be
/// several clients.
async fn post_from(s: &Server, from: [u8; 4], path: &str, body: &str) -> Reply {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind(std::net::SocketAddr::from((from, 0)))
        .expect("bind");
    let mut stream = socket.connect(s.addr).await.expect("connect");
    let head = format!("POST {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", body.len());
    stream.write_all(head.as_bytes()).await.expect("write");
    stream.write_all(body.as_bytes()).await.expect("write");
    let mut buf = Vec::new();
    stream.read_to_end(&mut buf).await.expect("read");
    let text = String::from_utf8_lossy(&buf).to_string();
    let (headers, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    Reply {
        status: headers
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0),
        headers: headers.to_string(),
        body: body.to_string(),
    }
}

fn credentials(email: &str, password: &str) -> String {
    serde_json::json!({ "email": email, "password": password }).to_string()
}

#[tokio::test]
async fn sign_ins_sent_at_once_are_counted_before_the_password_is_checked() {
    let s = register_server().await;
    org(&s, "owner@parallel.example").await;
    let mut attempts = Vec::new();
    for i in 0..40 {
        let password = if i == 39 { PASSWORD } else { "wrong password!" };
        let body = credentials("owner@parallel.example", password);
        let s = &s;
        attempts.push(async move {
            post_from(s, [127, 0, 0, 1], "/api/v1/register/login", &body).await
        });
    }
    let replies = futures_join_all(attempts).await;
    let checked = replies
        .iter()
        .filter(|r| r.status == 401 || r.status == 201)
        .count();
    let waited = replies.iter().filter(|r| r.status == 429).count();
    assert_eq!(
        checked + waited,
        40,
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert!(
        checked <= 5,
        "{checked} passwords were checked at once; at most 5 may be"
    );
    assert!(replies
        .iter()
        .filter(|r| r.status == 429)
        .all(|r| header(r, "retry-after").is_some()));
}

/// Runs the futures at once and waits for all (without a dependency for it).
async fn futures_join_all<F: std::future::Future<Output = Reply> + Send>(fs: Vec<F>) -> Vec<Reply> {
    let mut set = Vec::new();
    for f in fs {
        set.push(Box::pin(f));
    }
    let mut out = Vec::new();
    // Poll them all together: each is a TCP exchange, so they overlap at the server.
    let results = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    {
        let mut pending: Vec<_> = set.into_iter().enumerate().collect();
        std::future::poll_fn(|cx| {
            pending.retain_mut(|(i, f)| match f.as_mut().poll(cx) {
                std::task::Poll::Ready(r) => {
                    if let Ok(mut v) = results.lock() {
                        v.push((*i, r));
                    }
                    false
                }
                std::task::Poll::Pending => true,
            });
            if pending.is_empty() {
                std::task::Poll::Ready(())
            } else {
                std::task::Poll::Pending
            }
        })
        .await;
    }
    if let Ok(mut v) = results.lock() {
        v.sort_by_key(|(i, _)| *i);
        out.extend(v.drain(..).map(|(_, r)| r));
    }
    out
}

#[tokio::test]
async fn a_guesser_slows_only_their_own_address_and_never_locks_the_owner_out() {
    let s = register_server().await;
    org(&s, "owner@lockout.example").await;
    let guesser = [127, 0, 0, 1];
    for i in 0..10 {
        let r = post_from(
            &s,
            guesser,
            "/api/v1/register/login",
            &credentials("owner@lockout.example", "wrong password!"),
        )
        .await;
        assert_eq!(
            r.status,
            if i < 5 { 401 } else { 429 },
            "attempt {i}: {}",
            r.body
        );
    }
    // The guesser waits even with the right password…
    let r = post_from(
        &s,
        guesser,
        "/api/v1/register/login",
        &credentials("owner@lockout.example", PASSWORD),
    )
    .await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(header(&r, "retry-after"), Some("60"), "{}", r.headers);
    // …the owner, from elsewhere, signs in at once.
    let r = post_from(
        &s,
        [127, 0, 0, 2],
        "/api/v1/register/login",
        &credentials("owner@lockout.example", PASSWORD),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    // Guessing at many accounts from one address is slowed too (per address), whatever the emails.
    let stuffer = [127, 0, 0, 3];
    let mut first_wait = None;
    for i in 0..60 {
        let r = post_from(
            &s,
            stuffer,
            "/api/v1/register/login",
            &credentials(&format!("u{i}@stuffing.example"), "wrong password!"),
        )
        .await;
        if r.status == 429 {
            first_wait = Some(i);
            break;
        }
        assert_eq!(r.status, 401, "{}", r.body);
    }
    assert_eq!(first_wait, Some(50));
    // Many addresses at one account: after twenty failures everyone waits a little, and the wait ends.
    org(&s, "target@many.example").await;
    for last in 10..30u8 {
        let r = post_from(
            &s,
            [127, 0, 1, last],
            "/api/v1/register/login",
            &credentials("target@many.example", "wrong password!"),
        )
        .await;
        assert_eq!(r.status, 401, "{}", r.body);
    }
    let r = post_from(
        &s,
        [127, 0, 2, 1],
        "/api/v1/register/login",
        &credentials("target@many.example", PASSWORD),
    )
    .await;
    assert_eq!(r.status, 429, "{}", r.body);
    let secs: u64 = header(&r, "retry-after")
        .and_then(|v| v.parse().ok())
        .expect("retry-after");
    assert!((1..=10).contains(&secs), "{secs}");
}

#[tokio::test]
async fn unauthenticated_requests_cannot_grow_the_servers_memory_without_bound() {
    let store = verblijf_store::Store::open(temp_db().to_str().expect("utf8"))
        .await
        .expect("store");
    let mut state =
        verblijf_web::AppState::new(verblijf_rules::ParamSet::embedded().expect("params"))
            .with_store(store);
    let limits = std::sync::Arc::new(verblijf_web::login_limit::LoginLimiter::new(20));
    state.login_limits = limits.clone();
    let s = start_state(state).await;
    // Sign-ins with long invented emails, from many addresses: the counters stay within their capacity, and no key
    // holds more than an email can be long.
    for i in 0..120u32 {
        let email = format!("{i}{}@x.example", "a".repeat(15_000));
        let from = [127, 0, (i / 200) as u8 + 5, (i % 200) as u8 + 1];
        let r = post_from(
            &s,
            from,
            "/api/v1/register/login",
            &credentials(&email, "wrong password!"),
        )
        .await;
        assert_eq!(r.status, 401, "{}", r.body);
    }
    assert!(limits.len() <= 20, "{} counters", limits.len());
    assert!(
        limits.key_bytes() <= 20 * (verblijf_web::login_limit::MAX_EMAIL_CHARS + 16),
        "{}",
        limits.key_bytes()
    );
    // Invented methods are counted as `other`: the metrics do not grow with them.
    for i in 0..300 {
        request(&s, &format!("INVENTED{i}"), "/healthz", "text/plain", b"").await;
    }
    let m = get(&s, "/metrics").await;
    assert!(!m.body.contains("INVENTED"), "{}", m.body);
    assert!(m.body.contains("method=\"other\""), "{}", m.body);
    assert!(m.body.len() < 20_000, "{} bytes of metrics", m.body.len());
}

#[tokio::test]
async fn the_calendar_feed_escapes_every_line_break_and_folds_long_lines_so_a_parser_sees_only_real_events(
) {
    use icalendar::{CalendarComponent, Component};
    let db = temp_db();
    let s = register_server_at(&db).await;
    let t = org(&s, "hr@ics.example").await;
    let h = created_id(
        call(
            &s,
            "POST",
            "/api/v1/register/households",
            Some(&t),
            r#"{"name":"Feed"}"#,
        )
        .await,
    )
    .await;
    let mut ids = Vec::new();
    for name in ["Eve", "Long"] {
        let body = serde_json::json!({ "household_id": h, "name": name, "birth_date": "1990-01-05", "nationality": "IN" });
        let p = created_id(
            call(
                &s,
                "POST",
                "/api/v1/register/people",
                Some(&t),
                &body.to_string(),
            )
            .await,
        )
        .await;
        let body = serde_json::json!({ "person_id": p, "kind": "highly_skilled_migrant", "valid_from": "2025-10-01", "valid_until": "2027-09-30" });
        created_id(
            call(
                &s,
                "POST",
                "/api/v1/register/permits",
                Some(&t),
                &body.to_string(),
            )
            .await,
        )
        .await;
        ids.push(p);
    }
    // Names as they may have been kept: a bare CR that tries to close the event and open one of its own, and a long
    // name of characters of two and three bytes.
    let evil = "Eve\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:injected\r\nDTSTART:20300101\nX;Y,Z\\";
    let long = "Ĳsbrand-€-".repeat(12);
    let other = verblijf_store::Store::open(db.to_str().expect("utf8"))
        .await
        .expect("store");
    for (id, name) in [(&ids[0], evil), (&ids[1], long.as_str())] {
        other
            .raw_execute(&format!(
                "UPDATE people SET name = '{}' WHERE id = '{id}'",
                name.replace('\'', "''")
            ))
            .await
            .expect("update");
    }
    let alerts = json(
        &call(
            &s,
            "GET",
            "/api/v1/register/alerts?date=2026-12-01",
            Some(&t),
            "",
        )
        .await,
    );
    let expected = alerts["alerts"].as_array().expect("alerts").len();
    assert!(expected >= 2, "{alerts}");
    let r = call(
        &s,
        "GET",
        &format!(
            "/api/v1/register/alerts.ics?date=2026-12-01&token={}",
            feed_token(&s, &t).await
        ),
        None,
        "",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Every line ends in CRLF, no CR or LF stands alone, and no line is longer than 75 octets.
    assert!(r.body.ends_with("\r\n"));
    for line in r.body.split("\r\n") {
        assert!(!line.contains('\r') && !line.contains('\n'), "{line:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    let cal: icalendar::Calendar = r.body.parse().expect("a calendar a parser reads");
    let events: Vec<&icalendar::Event> = cal
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(events.len(), expected, "one event per alert, none injected");
    let summaries: Vec<&str> = events.iter().filter_map(|e| e.get_summary()).collect();
    assert!(summaries.iter().all(|s| *s != "injected"), "{summaries:?}");
    let eve = summaries
        .iter()
        .find(|s| s.starts_with("Eve"))
        .expect("Eve's event");
    assert!(
        eve.contains("END:VEVENT") && eve.contains("X;Y,Z\\"),
        "{eve:?}"
    );
    assert!(
        summaries.iter().any(|s| s.starts_with(&long)),
        "{summaries:?}"
    );
}

#[tokio::test]
async fn bad_bodies_and_names_are_refused_at_the_door_as_problems_naming_the_field() {
    let s = register_server().await;
    let t = org(&s, "hr@gaps.example").await;
    let post = |body: Vec<u8>| {
        let s = &s;
        let t = t.clone();
        async move {
            request_as(
                s,
                "POST",
                "/api/v1/register/households",
                "application/json",
                Some(&t),
                &body,
            )
            .await
        }
    };
    let cases: Vec<(Vec<u8>, u16, Option<&str>)> = vec![
        (br#"{"name":"x"} trailing"#.to_vec(), 422, None),
        (br#"{"name":"x"}{"name":"y"}"#.to_vec(), 422, None),
        (br#"{"name":"a","name":"b"}"#.to_vec(), 422, Some("name")),
        (
            format!(r#"{{"name":"{}"}}"#, "x".repeat(200_000)).into_bytes(),
            422,
            Some("name"),
        ),
        (
            format!(r#"{{"name":"{}"}}"#, "x".repeat(201)).into_bytes(),
            422,
            Some("name"),
        ),
        (
            "{\"name\":\"\u{200B}\u{200D}\u{2060}\"}"
                .as_bytes()
                .to_vec(),
            422,
            Some("name"),
        ),
        (
            "{\"name\":\"\u{FEFF}\"}".as_bytes().to_vec(),
            422,
            Some("name"),
        ),
        (br#"{"name":"bell\u0007"}"#.to_vec(), 422, Some("name")),
        (br#"{"name":"two\nlines"}"#.to_vec(), 422, Some("name")),
        (
            vec![b'{', b'"', b'n', b'"', b':', 0xff, 0xfe, b'}'],
            400,
            None,
        ),
        (
            format!(r#"{{"name":"{}"}}"#, "x".repeat(300 * 1024)).into_bytes(),
            413,
            None,
        ),
    ];
    for (body, status, field) in cases {
        let shown = String::from_utf8_lossy(&body[..body.len().min(40)]).to_string();
        let r = post(body).await;
        assert_eq!(
            r.status,
            status,
            "{shown}: {}",
            &r.body[..r.body.len().min(300)]
        );
        assert!(
            header(&r, "content-type").is_some_and(|c| c.starts_with("application/problem+json")),
            "{shown}: {}",
            r.headers
        );
        if let Some(f) = field {
            assert_eq!(json(&r)["field"], f, "{shown}: {}", r.body);
        }
    }
    // A name that is fine, with letters beyond ASCII and a zero-width joiner inside, is kept.
    created_id(post("{\"name\":\"Ĳsselmeer 👩\u{200D}👩\"}".as_bytes().to_vec()).await).await;
}

#[tokio::test]
async fn slow_and_idle_connections_are_cut_off_and_the_server_keeps_answering() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let state = verblijf_web::AppState::new(verblijf_rules::ParamSet::embedded().expect("params"));
    let limits = verblijf_web::ServeLimits {
        header_read: std::time::Duration::from_secs(1),
        max_connections: 8,
    };
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(verblijf_web::serve_with(
        listener,
        state,
        async move {
            let _ = rx.await;
        },
        limits,
    ));
    // Twenty clients: half send the start of their headers and stop, half send nothing at all.
    let mut slow = Vec::new();
    for i in 0..20 {
        let mut c = tokio::net::TcpStream::connect(addr).await.expect("connect");
        if i % 2 == 0 {
            c.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                .await
                .expect("write");
        }
        slow.push(c);
    }
    // A real client is answered while they hang (more of them than the connection limit).
    let started = std::time::Instant::now();
    let mut c = tokio::net::TcpStream::connect(addr).await.expect("connect");
    c.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let mut buf = Vec::new();
    tokio::time::timeout(std::time::Duration::from_secs(8), c.read_to_end(&mut buf))
        .await
        .expect("healthz answered in time")
        .expect("read");
    assert!(
        String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&buf)
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(8));
    // Every slow client has been cut off by the server: its read ends (EOF or reset), it does not hang.
    for (i, mut c) in slow.into_iter().enumerate() {
        let mut b = [0u8; 256];
        let r = tokio::time::timeout(std::time::Duration::from_secs(6), c.read(&mut b)).await;
        assert!(r.is_ok(), "slow client {i} was still connected");
    }
    let _ = tx.send(());
}

#[tokio::test]
async fn a_calendar_url_opens_only_the_calendar_and_tokens_are_named_listed_expiring_and_revocable()
{
    let s = register_server().await;
    let owner = org(&s, "hr@tokens.example").await;
    // An API token in a calendar URL is refused; the feed token opens the feed and nothing else.
    let ics = |tok: String| {
        let s = &s;
        async move {
            call(
                s,
                "GET",
                &format!("/api/v1/register/alerts.ics?token={tok}"),
                None,
                "",
            )
            .await
        }
    };
    assert_eq!(ics(owner.clone()).await.status, 401);
    let feed = feed_token(&s, &owner).await;
    assert_eq!(ics(feed.clone()).await.status, 200);
    for (method, path, body) in [
        (
            "POST",
            "/api/v1/register/users",
            r#"{"email":"x@tokens.example","password":"correct horse battery","role":"owner"}"#,
        ),
        ("GET", "/api/v1/register/audit", ""),
        ("GET", "/api/v1/register/people", ""),
        ("POST", "/api/v1/register/households", r#"{"name":"H"}"#),
    ] {
        let r = call(&s, method, path, Some(&feed), body).await;
        assert_eq!(
            r.status, 401,
            "{method} {path} with a feed token: {}",
            r.body
        );
    }
    // A new feed token replaces the old one.
    let feed2 = feed_token(&s, &owner).await;
    assert_eq!(ics(feed).await.status, 401);
    assert_eq!(ics(feed2).await.status, 200);
    // Named tokens: created with an expiry, listed without the secret, revoked at once.
    let r = call(
        &s,
        "POST",
        "/api/v1/register/tokens",
        Some(&owner),
        r#"{"name":"payroll sync","expires_in_days":7}"#,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let made = json(&r);
    let named = made["token"].as_str().expect("token").to_string();
    let id = made["info"]["id"].as_str().expect("id").to_string();
    let expires = made["info"]["expires_at"]
        .as_str()
        .expect("expiry")
        .to_string();
    let in_a_week = chrono_like_today_plus(7);
    assert!(expires.starts_with(&in_a_week), "{expires} vs {in_a_week}");
    assert_eq!(
        call(&s, "GET", "/api/v1/register/people", Some(&named), "")
            .await
            .status,
        200
    );
    let list = call(&s, "GET", "/api/v1/register/tokens", Some(&owner), "").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(
        list.body.contains("payroll sync") && !list.body.contains(&named),
        "{}",
        list.body
    );
    for bad in [
        r#"{"name":"x","expires_in_days":0}"#,
        r#"{"name":"x","expires_in_days":1000}"#,
        r#"{"name":""}"#,
    ] {
        let r = call(&s, "POST", "/api/v1/register/tokens", Some(&owner), bad).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
    }
    let r = call(
        &s,
        "DELETE",
        &format!("/api/v1/register/tokens/{id}"),
        Some(&owner),
        "",
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(
        call(&s, "GET", "/api/v1/register/people", Some(&named), "")
            .await
            .status,
        401
    );
    assert_eq!(
        call(
            &s,
            "DELETE",
            &format!("/api/v1/register/tokens/{id}"),
            Some(&owner),
            ""
        )
        .await
        .status,
        404
    );
    // Another organisation cannot revoke it, nor see it.
    let other = org(&s, "hr@other-tokens.example").await;
    let mine = json(&call(&s, "GET", "/api/v1/register/tokens", Some(&owner), "").await);
    let some_id = mine[0]["id"].as_str().expect("id").to_string();
    assert_eq!(
        call(
            &s,
            "DELETE",
            &format!("/api/v1/register/tokens/{some_id}"),
            Some(&other),
            ""
        )
        .await
        .status,
        404
    );
    assert!(
        !call(&s, "GET", "/api/v1/register/tokens", Some(&other), "")
            .await
            .body
            .contains(&some_id)
    );
}

/// Today plus some days, as YYYY-MM-DD (UTC).
fn chrono_like_today_plus(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .date_naive()
        .to_string()
}
