//! The check in a real browser: headless Chromium driven over WebDriver (chromedriver), filling the form for six
//! personas in English and Dutch, asserting what the result page shows, and saving a screenshot of each result
//! under `target/tmp/browser-report/`.
//!
//! Needs `chromium` and `chromedriver` (Debian packages `chromium`, `chromium-driver`; `.ci/run` installs them). On
//! a machine without them each test passes without running and prints `SKIPPED` past the harness's capture of output;
//! under CI (`CI=true`) it fails.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod common;

/// Whether Chromium or its WebDriver is missing: then the test fails under CI, and elsewhere passes saying that it
/// was skipped (see `common::service_missing`).
fn browser_missing(test: &str) -> bool {
    let missing =
        !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists();
    common::service_missing(
        test,
        &format!("{CHROMIUM} or {CHROMEDRIVER} (apt-get install chromium chromium-driver)"),
        missing,
    )
}

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn http(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> Value {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut s = TcpStream::connect(addr).expect("connect to chromedriver");
    s.set_read_timeout(Some(Duration::from_secs(60))).ok();
    let req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len());
    s.write_all(req.as_bytes()).expect("write");
    // Read the head, then exactly the body the head announces (the driver may keep the connection open).
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    let (head, mut body) = loop {
        let n = s.read(&mut buf).expect("read");
        assert!(n > 0, "chromedriver closed the connection");
        out.extend_from_slice(&buf[..n]);
        if let Some(i) = out.windows(4).position(|w| w == b"\r\n\r\n") {
            break (
                String::from_utf8_lossy(&out[..i]).to_string(),
                out[i + 4..].to_vec(),
            );
        }
    };
    let lower = head.to_ascii_lowercase();
    let length = lower
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    match length {
        Some(n) => {
            while body.len() < n {
                let k = s.read(&mut buf).expect("read");
                assert!(k > 0, "chromedriver closed the connection early");
                body.extend_from_slice(&buf[..k]);
            }
        }
        None => {
            let _ = s.read_to_end(&mut body);
        }
    }
    let rest = String::from_utf8_lossy(&body).to_string();
    let rest = if lower.contains("transfer-encoding: chunked") {
        dechunk(&rest)
    } else {
        rest
    };
    serde_json::from_str(&rest)
        .unwrap_or_else(|e| panic!("chromedriver answered {head}: {e}: {rest}"))
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

struct Browser {
    driver: Child,
    addr: SocketAddr,
    session: String,
}

impl Browser {
    fn start() -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
        let start = Instant::now();
        while TcpStream::connect(addr).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        // One profile per browser: the tests of this file run in parallel in one process.
        let profile =
            std::env::temp_dir().join(format!("verblijf-chromium-{}-{port}", std::process::id()));
        let caps = json!({ "capabilities": { "alwaysMatch": { "browserName": "chrome", "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--window-size=1000,1800", format!("--user-data-dir={}", profile.display())]
        } } } });
        let v = http(addr, "POST", "/session", Some(&caps));
        let session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        Browser {
            driver,
            addr,
            session,
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let v = http(
            self.addr,
            method,
            &format!("/session/{}{path}", self.session),
            body.as_ref(),
        );
        if v["value"].get("error").is_some() {
            panic!("webdriver {method} {path}: {v}");
        }
        v["value"].clone()
    }

    fn go(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    /// Waits until the page has an element (after a navigation).
    fn wait_for(&self, css: &str) {
        let start = Instant::now();
        loop {
            let v = http(
                self.addr,
                "POST",
                &format!("/session/{}/element", self.session),
                Some(&json!({ "using": "css selector", "value": css })),
            );
            if v["value"].get(ELEMENT).is_some() {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no {css} on the page: {}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    /// A date input is filled as a person's date picker would leave it: the value in ISO form.
    fn set_date(&self, name: &str, date: &str) {
        self.wait_for(&format!("input[name='{name}']"));
        self.cmd("POST", "/execute/sync", Some(json!({ "script": "var e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('input', { bubbles: true })); e.dispatchEvent(new Event('change', { bubbles: true }));", "args": [format!("input[name='{name}']"), date] })));
    }

    fn choose(&self, name: &str, value: &str) {
        self.click(&format!("select[name='{name}'] option[value='{value}']"));
    }

    fn text(&self) -> String {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": "return document.body.innerText;", "args": [] })),
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    fn url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn screenshot(&self, name: &str) {
        let b64 = self.cmd("GET", "/screenshot", None);
        let bytes = base64_decode(b64.as_str().unwrap_or_default());
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-report");
        std::fs::create_dir_all(&dir).expect("report dir");
        std::fs::write(dir.join(format!("{name}.png")), bytes).expect("screenshot");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http(
            self.addr,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let table = |c: u8| -> Option<u8> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    };
    let vals: Vec<u8> = s.bytes().filter_map(table).collect();
    let mut out = Vec::with_capacity(vals.len() * 3 / 4);
    for chunk in vals.chunks(4) {
        let mut n = 0u32;
        for (i, v) in chunk.iter().enumerate() {
            n |= (*v as u32) << (18 - 6 * i);
        }
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    out
}

/// The app on a random port, in a thread of its own.
fn serve() -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr"))
                .expect("send addr");
            let state =
                verblijf_web::AppState::new(verblijf_rules::ParamSet::embedded().expect("params"));
            let _ = verblijf_web::serve(listener, state, std::future::pending()).await;
        });
    });
    rx.recv().expect("server address")
}

struct Persona {
    name: &'static str,
    role: &'static str,
    dates: &'static [(&'static str, &'static str)],
    text: &'static [(&'static str, &'static str)],
    selects: &'static [(&'static str, &'static str)],
    expect_en: &'static [&'static str],
    expect_nl: &'static [&'static str],
}

const PERSONAS: &[Persona] = &[
    Persona {
        name: "engineer-29",
        role: "worker",
        dates: &[("date", "2026-03-02"), ("birth_date", "1996-09-14")],
        text: &[("salary", "4500")],
        selects: &[("recognised_sponsor", "yes")],
        expect_en: &["highly skilled migrant — eligible", "under-30 criterion of €4,357.00", "file on or before 2026-09-13"],
        expect_nl: &["kennismigrant — komt in aanmerking", "€ 4.357,00"],
    },
    Persona {
        name: "dutch-masters-graduate",
        role: "worker",
        dates: &[("date", "2025-09-01"), ("birth_date", "1998-01-01"), ("graduation_date", "2025-06-30")],
        text: &[("salary", "3000")],
        selects: &[("education_level", "master"), ("education_where", "dutch_accredited"), ("recognised_sponsor", "yes")],
        expect_en: &["highly skilled migrant — eligible", "reduced (graduate) criterion of €2,989.00", "orientation year — eligible"],
        expect_nl: &["verlaagde (afgestudeerden) criterium", "zoekjaar hoogopgeleiden — komt in aanmerking"],
    },
    Persona {
        name: "applicant-2010-points-test",
        role: "worker",
        dates: &[("date", "2010-04-15"), ("birth_date", "1982-07-01"), ("graduation_date", "2008-07-01")],
        text: &[],
        selects: &[("education_level", "master"), ("education_where", "dutch_accredited"), ("speaks", "yes")],
        expect_en: &["admission scheme for highly educated migrants — eligible", "The points test gives 35 points"],
        expect_nl: &["regeling hoogopgeleiden — komt in aanmerking", "De puntentoets geeft 35 punten"],
    },
    Persona {
        name: "partner-of-highly-skilled-migrant",
        role: "partner",
        dates: &[("date", "2025-06-01"), ("birth_date", "1992-02-11"), ("sponsor_birth_date", "1994-08-20"), ("sponsor_until", "2026-08-31"), ("permit_from", "2023-10-15"), ("permit_until", "2028-10-14")],
        text: &[],
        selects: &[("sponsor_permit", "highly_skilled_migrant"), ("partnership", "married")],
        expect_en: &["free to work, no work permit (TWV) needed", "(until 2026-08-31)", "family member — eligible", "The family permit ends with the sponsor's permit on 2026-08-31"],
        expect_nl: &["arbeid vrij toegestaan, TWV niet vereist", "gezinslid — komt in aanmerking"],
    },
    Persona {
        name: "partner-of-student",
        role: "partner",
        dates: &[("date", "2025-03-01"), ("birth_date", "1999-05-05"), ("sponsor_birth_date", "1998-05-05"), ("sponsor_until", "2026-08-31"), ("permit_from", "2024-09-01"), ("permit_until", "2026-08-31")],
        text: &[],
        selects: &[("sponsor_permit", "study"), ("partnership", "unmarried")],
        expect_en: &["only if the employer holds a work permit (TWV)", "a work permit (TWV) from UWV"],
        expect_nl: &["alleen als de werkgever een tewerkstellingsvergunning (TWV) heeft"],
    },
    Persona {
        name: "employer-asking-about-a-partner",
        role: "employer",
        dates: &[("date", "2025-06-01"), ("birth_date", "1990-01-01"), ("sponsor_birth_date", "1989-01-01"), ("sponsor_until", "2027-12-31"), ("permit_from", "2024-01-01"), ("permit_until", "2027-12-31")],
        text: &[],
        selects: &[("own_permit", "family_member"), ("sponsor_permit", "eu_blue_card"), ("partnership", "registered")],
        expect_en: &["free to work, no work permit (TWV) needed", "An employer needs: nothing: no work permit and no salary criterion"],
        expect_nl: &["Een werkgever heeft nodig: niets: geen tewerkstellingsvergunning en geen salariscriterium"],
    },
];

#[test]
fn six_personas_fill_the_check_in_english_and_dutch() {
    if browser_missing("six_personas_fill_the_check_in_english_and_dutch") {
        return;
    }
    let app = serve();
    let b = Browser::start();
    for p in PERSONAS {
        for (lang, expect) in [("en", p.expect_en), ("nl", p.expect_nl)] {
            b.go(&format!("http://{app}/?lang={lang}"));
            // Start from the home page, as a person would, by the link for the role.
            b.click(&format!("a[href^='/check?role={}']", p.role));
            b.wait_for("button[type='submit']");
            // In the order a person meets them: the page shows a question once the answers before it make it
            // matter.
            for (name, value) in p
                .selects
                .iter()
                .filter(|(n, _)| *n == "own_permit" || n.starts_with("education"))
            {
                b.choose(name, value);
            }
            for (name, date) in p.dates {
                b.set_date(name, date);
            }
            for (name, value) in p
                .selects
                .iter()
                .filter(|(n, _)| *n != "own_permit" && !n.starts_with("education"))
            {
                b.choose(name, value);
            }
            for (name, value) in p.text {
                b.type_into(&format!("input[name='{name}']"), value);
            }
            if p.role == "worker" {
                // The points-test questions show only for dates when that test applied.
                let hidden = b.cmd("POST", "/execute/sync", Some(json!({ "script": "return document.getElementById('w-speaks').hidden;", "args": [] })));
                let before_2016 = p
                    .dates
                    .iter()
                    .any(|(n, d)| *n == "date" && *d < "2016-03-01");
                assert_eq!(
                    hidden,
                    json!(!before_2016),
                    "{}: the language question shows only before March 2016",
                    p.name
                );
            }
            b.click("button[type='submit']");
            let start = Instant::now();
            while !b.url().contains("/result?") {
                assert!(
                    start.elapsed() < Duration::from_secs(10),
                    "{} ({lang}) did not reach a result: {}",
                    p.name,
                    b.text()
                );
                std::thread::sleep(Duration::from_millis(50));
            }
            let text = b.text();
            for e in expect {
                assert!(
                    text.contains(e),
                    "{} ({lang}): expected {e:?} in:\n{text}",
                    p.name
                );
            }
            assert!(text.contains(if lang == "en" {
                "Guidance only, not a decision"
            } else {
                "Alleen ter informatie"
            }));
            b.screenshot(&format!("{}-{lang}", p.name));
            // The result reopens from its link.
            let url = b.url();
            b.go(&url);
            assert!(b.text().contains(expect[0]), "{} ({lang}) reopened", p.name);
        }
    }
}

/// The app with a register (a fresh SQLite file) on a random port, in a thread of its own.
fn serve_register() -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let dir = std::env::temp_dir().join(format!(
                "verblijf-browser-register-{}-{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0)
            ));
            std::fs::create_dir_all(&dir).expect("dir");
            let store = verblijf_store::Store::open(dir.join("r.db").to_str().expect("utf8"))
                .await
                .expect("store");
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr"))
                .expect("send addr");
            let state =
                verblijf_web::AppState::new(verblijf_rules::ParamSet::embedded().expect("params"))
                    .with_store(store);
            let _ = verblijf_web::serve(listener, state, std::future::pending()).await;
        });
    });
    rx.recv().expect("server address")
}

impl Browser {
    /// Waits until the page's text contains `needle`.
    fn wait_text(&self, needle: &str) {
        let start = Instant::now();
        loop {
            let text = self.text();
            if text.contains(needle) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no {needle:?} on the page {}:\n{text}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends the form whose action starts with `action` (the navigation has a form of its own).
    fn send(&self, action: &str) {
        self.click(&format!("form[action^='{action}'] button[type='submit']"));
    }

    /// The id at the end of the current URL's path (`/register/people/<id>?lang=en`).
    fn id_in_url(&self) -> String {
        let url = self.url();
        url.split('?')
            .next()
            .and_then(|p| p.rsplit('/').next())
            .unwrap_or_default()
            .to_string()
    }
}

#[test]
fn an_employer_signs_up_keeps_a_household_imports_a_roster_exports_and_erases() {
    if browser_missing("an_employer_signs_up_keeps_a_household_imports_a_roster_exports_and_erases")
    {
        return;
    }
    let app = serve_register();
    let b = Browser::start();
    // Sign up: the organisation and its owner.
    b.go(&format!("http://{app}/register/sign-up?lang=en"));
    b.wait_for("input[name='name']");
    b.type_into("input[name='name']", "Acme Engineering B.V.");
    b.type_into("input[name='email']", "hr@acme.example");
    b.type_into("input[name='password']", "correct horse battery");
    b.screenshot("register-sign-up-en");
    b.send("/register/sign-up");
    b.wait_text("No deadlines ahead.");
    // A household of three.
    b.click("a[href^='/register/households?']");
    b.wait_for("a[href^='/register/households/new']");
    b.click("a[href^='/register/households/new']");
    b.wait_for("input[name='name']");
    b.type_into("input[name='name']", "Sharma");
    b.send("/register/households/new");
    b.wait_for("a[href^='/register/people/new?household=']");
    let household = b.id_in_url();
    let mut ids = Vec::new();
    for (name, birth) in [
        ("Anna", "1994-08-20"),
        ("Ben", "1992-02-11"),
        ("Cleo", "2020-04-02"),
    ] {
        b.go(&format!(
            "http://{app}/register/households/{household}?lang=en"
        ));
        b.wait_for("a[href^='/register/people/new?household=']");
        b.click("a[href^='/register/people/new?household=']");
        b.wait_for("input[name='name']");
        b.type_into("input[name='name']", name);
        b.set_date("birth_date", birth);
        b.type_into("input[name='nationality']", "IN");
        b.send("/register/people/new");
        b.wait_for("a[href^='/register/permits/new?person=']");
        ids.push(b.id_in_url());
    }
    let (anna, ben) = (ids[0].clone(), ids[1].clone());
    for (i, id) in ids.iter().enumerate() {
        b.go(&format!("http://{app}/register/people/{id}?lang=en"));
        b.wait_for("a[href^='/register/permits/new?person=']");
        b.click("a[href^='/register/permits/new?person=']");
        b.wait_for("select[name='kind']");
        if i == 0 {
            b.choose("kind", "highly_skilled_migrant");
        } else {
            b.choose("kind", "family_member");
            b.choose("sponsor_person_id", &anna);
        }
        b.set_date("valid_from", "2025-10-15");
        b.set_date("valid_until", "2030-08-31");
        b.send("/register/permits/new");
        b.wait_text("Permits");
    }
    b.go(&format!(
        "http://{app}/register/contracts/new?person={anna}&lang=en"
    ));
    b.wait_for("input[name='employer']");
    b.type_into("input[name='employer']", "Acme Engineering B.V.");
    b.type_into("input[name='gross_monthly_salary']", "5200");
    b.set_date("start_date", "2025-10-01");
    b.send("/register/contracts/new");
    b.wait_text("€5,200.00");
    for (kind, other) in [("partner", &ids[1]), ("child", &ids[2])] {
        b.go(&format!(
            "http://{app}/register/relationships/new?household={household}&lang=en"
        ));
        b.wait_for("select[name='kind']");
        b.choose("kind", kind);
        b.choose("a", &anna);
        b.choose("b", other);
        b.send("/register/relationships/new");
        b.wait_text("Relationships");
    }
    // Its assessment, deadlines and timeline; kept as a snapshot.
    b.wait_text("Anna is a parent of Cleo");
    b.wait_for(".timeline svg");
    let text = b.text();
    for want in [
        "Anna and Ben: married",
        "Deadlines",
        "Timeline",
        "free to work",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    b.send(&format!("/register/households/{household}/assess"));
    b.wait_text("This is the first kept assessment.");
    b.screenshot("register-household-en");
    b.click("header nav a[hreflang='nl']");
    b.wait_text("Tijdlijn");
    b.screenshot("register-household-nl");
    // The organisation's alerts, soonest first.
    b.go(&format!("http://{app}/register?lang=en"));
    b.wait_text("Every deadline of every household");
    assert!(b.text().contains("Sharma"), "{}", b.text());
    b.screenshot("register-deadlines-en");
    // Import a small roster: preview with a row error, then confirm.
    b.go(&format!("http://{app}/register/import?lang=en"));
    b.wait_for("textarea[name='csv']");
    b.type_into("textarea[name='csv']", "id,household,reference_date,birth_date,nationality,permit_kind,permit_from,permit_until,sponsor,partner\nPriya,Iyer,2026-01-01,1990-03-01,IN,highly_skilled_migrant,2025-02-01,2030-01-31,,Ravi\nRavi,Iyer,2026-01-01,1989-05-05,IN,family_member,2025-02-01,2030-01-31,Priya,Priya\nLost,Solo,2026-01-01,1990-13-01,NL,,,,,\n");
    b.send("/register/import");
    b.wait_text("Rows that can be imported: 2");
    assert!(
        b.text().contains("line 4: column `birth_date`"),
        "{}",
        b.text()
    );
    b.screenshot("register-import-preview-en");
    b.send("/register/import/confirm");
    b.wait_text("2 people");
    // Export: the roster as CSV, fetched as the signed-in browser.
    b.go(&format!("http://{app}/register/export?lang=en"));
    b.wait_text("Roster (CSV)");
    let csv = b.cmd("POST", "/execute/sync", Some(json!({ "script": "var x = new XMLHttpRequest(); x.open('GET', '/register/export.csv', false); x.send(); return x.responseText;", "args": [] })));
    let csv = csv.as_str().unwrap_or_default();
    assert!(csv.starts_with("id,household,reference_date"), "{csv}");
    assert!(
        csv.contains("Anna,Sharma,") && csv.contains("Priya,Iyer,"),
        "{csv}"
    );
    // Erase Ben.
    b.go(&format!("http://{app}/register/people/{ben}?lang=en"));
    b.wait_for("input[name='confirm']");
    b.click("input[name='confirm']");
    b.send(&format!("/register/people/{ben}/erase"));
    b.wait_text("The person was erased");
    b.screenshot("register-erased-en");
    b.go(&format!(
        "http://{app}/register/households/{household}?lang=en"
    ));
    b.wait_text("Anna is a parent of Cleo");
    assert!(!b.text().contains("Ben"), "{}", b.text());
}

#[test]
fn a_partner_opts_in_and_is_seen_on_the_careers_page_in_english_and_dutch() {
    if browser_missing("a_partner_opts_in_and_is_seen_on_the_careers_page_in_english_and_dutch") {
        return;
    }
    let app = serve_register();
    let b = Browser::start();
    b.go(&format!("http://{app}/register/sign-up?lang=en"));
    b.wait_for("input[name='name']");
    b.type_into("input[name='name']", "Iyer Consulting");
    b.type_into("input[name='email']", "hr@iyer.example");
    b.type_into("input[name='password']", "correct horse battery");
    b.send("/register/sign-up");
    b.wait_text("No deadlines ahead.");
    // A highly skilled migrant and her partner, from a roster.
    b.go(&format!("http://{app}/register/import?lang=en"));
    b.wait_for("textarea[name='csv']");
    b.type_into("textarea[name='csv']", "id,household,reference_date,birth_date,nationality,permit_kind,permit_from,permit_until,sponsor,partner\nPriya,Iyer,2026-01-01,1990-03-01,IN,highly_skilled_migrant,2025-02-01,2030-01-31,,Ravi\nRavi,Iyer,2026-01-01,1989-05-05,IN,family_member,2025-02-01,2030-01-31,Priya,Priya\n");
    b.send("/register/import");
    b.wait_text("Rows that can be imported: 2");
    b.send("/register/import/confirm");
    b.wait_text("2 people");
    // Nobody has opted in yet: the careers page names no one.
    b.click("nav.reg a[href^='/register/careers']");
    b.wait_text("No partner has opted in.");
    assert!(!b.text().contains("Ravi") && !b.text().contains("Priya"));
    // The partner's page: the consent text to agree to, then the profile.
    b.go(&format!("http://{app}/register/people?q=Ravi&lang=en"));
    b.wait_for("table a[href^='/register/people/']");
    b.click("table a[href^='/register/people/']");
    b.wait_for("input[name='agreed']");
    let ravi = b.id_in_url();
    let text = b.text();
    assert!(
        text.contains("I agree that Iyer Consulting keeps my skills")
            && text.contains("careers-1-en"),
        "{text}"
    );
    b.click("input[name='agreed']");
    b.set_date("given_at", "2025-12-01");
    b.type_into("input[name='skills']", "Data analysis, SQL");
    b.type_into("input[name='languages']", "English, Tamil, Dutch (A2)");
    b.choose("education_level", "bachelor");
    b.type_into("input[name='education_field']", "Statistics");
    b.set_date("available_from", "2026-02-01");
    b.type_into("input[name='hours_per_week']", "32");
    b.type_into("textarea[name='note']", "Part-time at first");
    b.screenshot("register-partner-consent-form-en");
    b.send(&format!("/register/people/{ravi}/career?"));
    b.wait_text("Consent and profile recorded");
    assert!(b.text().contains("Consent history"), "{}", b.text());
    b.screenshot("register-partner-opted-in-en");
    // On the careers page with the right to work on the date and until when; the sponsor is not there.
    b.go(&format!(
        "http://{app}/register/careers?date=2026-03-01&lang=en"
    ));
    b.wait_text("Who may work freely on 2026-03-01");
    let text = b.text();
    for want in [
        "Ravi",
        "free to work, no work permit (TWV) needed",
        "until 2030-01-31",
        "Data analysis, SQL",
        "1 opted-in partner, of whom 1 may work freely",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    assert!(!text.contains("Priya"), "{text}");
    b.screenshot("register-careers-en");
    b.click("header nav a[hreflang='nl']");
    b.wait_text("Wie vrij mag werken op 2026-03-01");
    let text = b.text();
    for want in [
        "Ravi",
        "arbeid vrij toegestaan, TWV niet vereist",
        "tot en met 2030-01-31",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    b.screenshot("register-careers-nl");
    // Withdrawn: gone from the list.
    b.go(&format!("http://{app}/register/people/{ravi}?lang=nl"));
    b.wait_for("input[name='confirm_withdraw']");
    b.click("input[name='confirm_withdraw']");
    b.send(&format!("/register/people/{ravi}/career/withdraw"));
    b.wait_text("Toestemming ingetrokken");
    b.go(&format!("http://{app}/register/careers?lang=nl"));
    b.wait_text("Er doet nog geen partner mee.");
    assert!(!b.text().contains("Ravi"));
}
