//! Prometheus metrics: requests by route and status, latency histograms by route, decisions by outcome.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

const BUCKETS: [f64; 10] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    decisions: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
}

impl Metrics {
    pub fn decision(&self, scheme: &'static str, outcome: &'static str) {
        self.decisions(std::iter::once((scheme, outcome)));
    }

    /// Counts several decisions under one lock.
    pub fn decisions(&self, all: impl Iterator<Item = (&'static str, &'static str)>) {
        if let Ok(mut d) = self.decisions.lock() {
            for key in all {
                *d.entry(key).or_default() += 1;
            }
        }
    }

    fn observe(&self, route: &str, method: &str, status: u16, secs: f64) {
        if let Ok(mut r) = self.requests.lock() {
            *r.entry((route.to_string(), method.to_string(), status))
                .or_default() += 1;
        }
        if let Ok(mut l) = self.latency.lock() {
            let h = l.entry(route.to_string()).or_default();
            for (i, b) in BUCKETS.iter().enumerate() {
                if secs <= *b {
                    h.counts[i] += 1;
                }
            }
            h.sum += secs;
            h.count += 1;
        }
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        s.push_str("# HELP verblijf_http_requests_total HTTP requests by route, method and status.\n# TYPE verblijf_http_requests_total counter\n");
        if let Ok(r) = self.requests.lock() {
            for ((route, method, status), n) in r.iter() {
                let _ = writeln!(s, "verblijf_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {n}");
            }
        }
        s.push_str("# HELP verblijf_http_request_duration_seconds Time to answer, by route.\n# TYPE verblijf_http_request_duration_seconds histogram\n");
        if let Ok(l) = self.latency.lock() {
            for (route, h) in l.iter() {
                for (i, b) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(s, "verblijf_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{b}\"}} {}", h.counts[i]);
                }
                let _ = writeln!(s, "verblijf_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}", h.count);
                let _ = writeln!(
                    s,
                    "verblijf_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                    h.sum
                );
                let _ = writeln!(
                    s,
                    "verblijf_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.count
                );
            }
        }
        s.push_str("# HELP verblijf_decisions_total Decisions made, by scheme and outcome.\n# TYPE verblijf_decisions_total counter\n");
        if let Ok(d) = self.decisions.lock() {
            for ((scheme, outcome), n) in d.iter() {
                let _ = writeln!(
                    s,
                    "verblijf_decisions_total{{scheme=\"{scheme}\",outcome=\"{outcome}\"}} {n}"
                );
            }
        }
        s
    }
}

/// The method as a label: the standard methods by name, any other as `other`, so that invented methods cannot grow
/// the label set (and with it the memory and `/metrics`) without bound.
fn method_label(m: &axum::http::Method) -> String {
    use axum::http::Method;
    let known = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::HEAD,
        Method::OPTIONS,
        Method::TRACE,
        Method::CONNECT,
    ];
    if known.contains(m) {
        m.as_str().to_string()
    } else {
        "other".to_string()
    }
}

/// Middleware: times every request and counts it under its route pattern.
pub async fn track(State(m): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched".to_string(), |p| p.as_str().to_string());
    let method = method_label(req.method());
    let start = Instant::now();
    let res = next.run(req).await;
    let secs = start.elapsed().as_secs_f64();
    m.observe(&route, &method, res.status().as_u16(), secs);
    tracing::info!(route = %route, method = %method, status = res.status().as_u16(), micros = (secs * 1e6) as u64, "request");
    res
}

pub async fn handler(State(state): State<crate::AppState>) -> impl IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        state.metrics.render(),
    )
}
