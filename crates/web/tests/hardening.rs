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
    let store = verblijf_store::Store::open(temp_db().to_str().expect("utf8"))
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
        assert_eq!(header(&r, "x-content-type-options"), Some("nosniff"), "{path}");
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
    assert!(header(&api, "content-security-policy").is_some_and(|c| c.contains("default-src 'none'")));
}
