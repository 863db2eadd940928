//! A real server on a random port, and a small HTTP/1.1 client over TCP.
#![allow(dead_code)]

use std::collections::HashMap;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use verblijf_rules::ParamSet;

pub struct Server {
    pub addr: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

pub async fn start() -> Server {
    start_with(None).await
}

/// A register in a SQLite file of its own under the temporary directory; `tag` names the test file.
pub async fn temp_store(tag: &str) -> verblijf_store::Store {
    let dir = std::env::temp_dir().join(format!(
        "verblijf-web-{tag}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    verblijf_store::Store::open(dir.join("r.db").to_str().expect("utf8"))
        .await
        .expect("store")
}

/// Serves the app, with a register when one is given.
pub async fn start_with(store: Option<verblijf_store::Store>) -> Server {
    let mut state = verblijf_web::AppState::new(ParamSet::embedded().expect("params"));
    if let Some(st) = store {
        state = state.with_store(st);
    }
    start_state(state).await
}

/// Serves the app with a given state.
pub async fn start_state(state: verblijf_web::AppState) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = verblijf_web::serve(listener, state, async move {
            let _ = rx.await;
        })
        .await;
    });
    Server {
        addr,
        stop: Some(tx),
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

pub async fn request(
    s: &Server,
    method: &str,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> Reply {
    request_as(s, method, path, content_type, None, body).await
}

/// A JSON request with a bearer token.
pub async fn call(s: &Server, method: &str, path: &str, token: Option<&str>, body: &str) -> Reply {
    request_as(s, method, path, "application/json", token, body.as_bytes()).await
}

pub async fn request_as(
    s: &Server,
    method: &str,
    path: &str,
    content_type: &str,
    token: Option<&str>,
    body: &[u8],
) -> Reply {
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    request_headers(s, method, path, content_type, &auth, body).await
}

/// A request with extra header lines (each ending in CRLF).
pub async fn request_headers(
    s: &Server,
    method: &str,
    path: &str,
    content_type: &str,
    extra: &str,
    body: &[u8],
) -> Reply {
    let mut stream = TcpStream::connect(s.addr).await.expect("connect");
    let head = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{extra}Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n", body.len());
    stream.write_all(head.as_bytes()).await.expect("write");
    stream.write_all(body).await.expect("write");
    let mut buf = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut buf))
        .await
        .expect("in time")
        .expect("read");
    let text = String::from_utf8_lossy(&buf).to_string();
    let (headers, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = headers
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = if headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    Reply {
        status,
        headers: headers.to_string(),
        body,
    }
}

fn dechunk(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&after[..n.min(after.len())]);
        rest = after.get(n + 2..).unwrap_or("");
    }
    out
}

pub async fn get(s: &Server, path: &str) -> Reply {
    request(s, "GET", path, "text/plain", b"").await
}

pub async fn post_json(s: &Server, path: &str, body: &str) -> Reply {
    request(s, "POST", path, "application/json", body.as_bytes()).await
}

/// Whether a test must stop because a service it needs (a browser, a database) is missing. Under CI (`CI` set to
/// anything but `false`) a missing service fails the test. Elsewhere the test passes without running, and says so
/// past the test harness's capture of output, so that the skip shows in the run's output next to the summary
/// rather than as a plain `ok`.
pub fn service_missing(test: &str, what: &str, missing: bool) -> bool {
    if !missing {
        return false;
    }
    let ci = std::env::var("CI").is_ok_and(|v| v != "false" && v != "0");
    assert!(!ci, "CI must provide {what} for {test}");
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {what} is missing, so it passed without running (under CI=true it fails)"
    );
    true
}

pub fn enc(s: &str) -> String {
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
pub struct Client {
    pub cookies: HashMap<String, String>,
}

impl Client {
    pub fn cookie_header(&self) -> String {
        if self.cookies.is_empty() {
            return String::new();
        }
        let v: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!("Cookie: {}\r\n", v.join("; "))
    }
    pub fn keep(&mut self, r: &Reply) {
        for line in r.headers.lines() {
            if let Some(v) = line
                .strip_prefix("set-cookie: ")
                .or_else(|| line.strip_prefix("Set-Cookie: "))
            {
                let kv = v.split(';').next().unwrap_or("");
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
    pub async fn get(&mut self, s: &Server, path: &str) -> Reply {
        let r = request_headers(s, "GET", path, "text/plain", &self.cookie_header(), b"").await;
        self.keep(&r);
        r
    }
    pub async fn post(&mut self, s: &Server, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        let r = request_headers(
            s,
            "POST",
            path,
            "application/x-www-form-urlencoded",
            &self.cookie_header(),
            body.join("&").as_bytes(),
        )
        .await;
        self.keep(&r);
        r
    }
    /// Opens a page and sends its form with the token the page carries.
    pub async fn submit(
        &mut self,
        s: &Server,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> Reply {
        let p = self.get(s, page).await;
        assert_eq!(p.status, 200, "{page}: {}", p.body);
        let token = csrf(&p.body);
        let mut all = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post(s, action, &all).await
    }
}

pub fn csrf(body: &str) -> String {
    body.split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no form token in {body}"))
        .to_string()
}

pub fn location(r: &Reply) -> String {
    r.headers
        .lines()
        .find_map(|l| {
            l.strip_prefix("location: ")
                .or_else(|| l.strip_prefix("Location: "))
        })
        .unwrap_or_else(|| panic!("no location: {} {}", r.status, r.headers))
        .trim()
        .to_string()
}
