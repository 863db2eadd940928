//! A real server on a random port, and a small HTTP/1.1 client over TCP.
#![allow(dead_code)]

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
