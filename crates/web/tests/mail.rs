//! The register's email against a real SMTP server on loopback (an embedded SMTP server the test starts, speaking
//! SMTP over TCP to the server's own `lettre` client): a sign-up is confirmed by the link in its email, and the
//! page and the API answer a taken address exactly as a new one (only the email differs); a user's daily reminder
//! lists the deadlines inside their warning period in the chosen language, with a one-click unsubscribe link that
//! works without signing in; what arrives is parsed as a mail program would.

mod common;

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use mailin_embedded::{response, Handler, Response, Server as SmtpServer, SslConfig};

/// One message as the SMTP server received it.
#[derive(Clone, Debug)]
struct Received {
    to: Vec<String>,
    data: Vec<u8>,
}

#[derive(Clone)]
struct Inbox {
    all: Arc<Mutex<Vec<Received>>>,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Inbox {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }
    fn data_end(&mut self) -> Response {
        self.all.lock().expect("inbox").push(Received {
            to: std::mem::take(&mut self.to),
            data: std::mem::take(&mut self.data),
        });
        response::OK
    }
}

/// Starts an SMTP server on a free loopback port; its inbox and its URL.
fn smtp() -> (Arc<Mutex<Vec<Received>>>, String) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind smtp");
    let port = listener.local_addr().expect("addr").port();
    let all = Arc::new(Mutex::new(Vec::new()));
    let mut server = SmtpServer::new(Inbox {
        all: all.clone(),
        to: Vec::new(),
        data: Vec::new(),
    });
    server
        .with_name("smtp.test")
        .with_ssl(SslConfig::None)
        .expect("no tls")
        .with_num_threads(2)
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (all, format!("smtp://127.0.0.1:{port}"))
}

const PUBLIC: &str = "https://verblijf.example.org";

async fn state(smtp_url: &str) -> verblijf_web::AppState {
    let store = temp_store("mail").await;
    let mailer = verblijf_web::mail::Mailer::new(&verblijf_web::mail::MailSettings {
        smtp_url: smtp_url.into(),
        from: "Verblijf <register@example.org>".into(),
        public_url: PUBLIC.into(),
    })
    .expect("mailer");
    verblijf_web::AppState::new(verblijf_rules::ParamSet::embedded().expect("params"))
        .with_store(store)
        .with_mailer(mailer)
}

/// Waits until the inbox holds `n` messages (the server sends in the background), then takes them.
async fn wait_for(inbox: &Arc<Mutex<Vec<Received>>>, n: usize) -> Vec<Received> {
    for _ in 0..200 {
        if inbox.lock().expect("inbox").len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let got: Vec<Received> = inbox.lock().expect("inbox").drain(..).collect();
    assert_eq!(got.len(), n, "messages received: {got:?}");
    got
}

struct Mail {
    to: Vec<String>,
    subject: String,
    text: String,
    header: Vec<(String, String)>,
}

fn parse(r: &Received) -> Mail {
    let m = mail_parser::MessageParser::default()
        .parse(&r.data)
        .expect("a message a mail program can read");
    Mail {
        to: r.to.clone(),
        subject: m.subject().unwrap_or_default().to_string(),
        text: m.body_text(0).unwrap_or_default().to_string(),
        header: ["List-Unsubscribe", "List-Unsubscribe-Post"]
            .iter()
            .filter_map(|k| Some((k.to_string(), m.header_raw(*k)?.trim().to_string())))
            .collect(),
    }
}

/// The path (and query) of the first link in a text that starts with the public address and `path`.
fn link(text: &str, path: &str) -> String {
    let start = format!("{PUBLIC}{path}");
    let i = text
        .find(&start)
        .unwrap_or_else(|| panic!("no link to {path} in {text}"));
    text[i + PUBLIC.len()..]
        .split_whitespace()
        .next()
        .expect("link")
        .to_string()
}

#[tokio::test]
async fn a_sign_up_is_confirmed_by_its_email_and_a_taken_address_is_answered_like_a_new_one() {
    let (inbox, url) = smtp();
    let s = start_state(state(&url).await).await;
    let mut c = Client::default();
    let fields = [
        ("name", "Acme"),
        ("email", "Owner@Example.org"),
        ("password", "a long password"),
    ];
    let first = c
        .submit(
            &s,
            "/register/sign-up?lang=en",
            "/register/sign-up?lang=en",
            &fields,
        )
        .await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(first.body.contains("Check your email"), "{}", first.body);
    assert!(
        !c.cookies.contains_key("verblijf_session"),
        "nobody is signed in before confirming"
    );
    let mail = parse(&wait_for(&inbox, 1).await[0]);
    assert_eq!(mail.to, vec!["owner@example.org".to_string()]);
    assert_eq!(mail.subject, "Confirm your Verblijf register");
    let confirm = link(&mail.text, "/register/confirm?token=");

    // Until it is confirmed, the address can sign up again: a second link, and the same page.
    let again = c
        .submit(
            &s,
            "/register/sign-up?lang=en",
            "/register/sign-up?lang=en",
            &fields,
        )
        .await;
    assert_eq!((again.status, &again.body), (first.status, &first.body));
    wait_for(&inbox, 1).await;

    // A link checker that opens the link creates nothing; the button does, and signs the owner in.
    let page = c.get(&s, &confirm).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Create the register"));
    let token = confirm
        .split("token=")
        .nth(1)
        .and_then(|t| t.split('&').next())
        .expect("token");
    let form = csrf(&page.body);
    let made = c
        .post(
            &s,
            "/register/confirm?lang=en",
            &[("_csrf", &form), ("token", token)],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    assert!(c.cookies.contains_key("verblijf_session"));
    let home = c.get(&s, "/register?lang=en").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Acme"), "{}", home.body);
    // A used link is not valid any more, nor is the second one (the address has its account now).
    let used = c
        .post(
            &s,
            "/register/confirm?lang=en",
            &[("_csrf", &form), ("token", token)],
        )
        .await;
    assert_eq!(used.status, 404, "{}", used.body);

    // A taken address: the same page as a new one, in Dutch too, and an email that says so.
    let mut other = Client::default();
    let taken = other
        .submit(
            &s,
            "/register/sign-up?lang=nl",
            "/register/sign-up?lang=nl",
            &fields,
        )
        .await;
    let mut stranger = Client::default();
    let fresh = stranger
        .submit(
            &s,
            "/register/sign-up?lang=nl",
            "/register/sign-up?lang=nl",
            &[
                ("name", "Acme"),
                ("email", "owner@example.org "),
                ("password", "a long password"),
            ],
        )
        .await;
    assert_eq!((taken.status, &taken.body), (fresh.status, &fresh.body));
    assert!(taken.body.contains("Kijk in uw e-mail"), "{}", taken.body);
    let notes: Vec<Mail> = wait_for(&inbox, 2).await.iter().map(parse).collect();
    for n in &notes {
        assert_eq!(n.subject, "Uw Verblijf-register");
        assert!(
            n.text.contains("Er is al een account met dit adres"),
            "{}",
            n.text
        );
        assert!(!n.text.contains("/register/confirm"), "{}", n.text);
    }

    // The API: 202 and the same body for a taken address and a new one; the link's token confirms.
    let body = |e: &str| format!(r#"{{"name":"Beta","email":"{e}","password":"a long password"}}"#);
    let a = call(
        &s,
        "POST",
        "/api/v1/register/organisations",
        None,
        &body("owner@example.org"),
    )
    .await;
    let b = call(
        &s,
        "POST",
        "/api/v1/register/organisations",
        None,
        &body("new@example.org"),
    )
    .await;
    assert_eq!(a.status, 202, "{}", a.body);
    assert_eq!(b.status, 202, "{}", b.body);
    assert_eq!(
        a.body.replace("owner@example.org", "X"),
        b.body.replace("new@example.org", "X")
    );
    let mails: Vec<Mail> = wait_for(&inbox, 2).await.iter().map(parse).collect();
    let new = mails
        .iter()
        .find(|m| m.to == vec!["new@example.org".to_string()])
        .expect("the new address's email");
    let api_token = link(&new.text, "/register/confirm?token=")
        .split("token=")
        .nth(1)
        .and_then(|t| t.split('&').next())
        .expect("token")
        .to_string();
    let ok = call(
        &s,
        "POST",
        "/api/v1/register/confirmations",
        None,
        &format!(r#"{{"token":"{api_token}"}}"#),
    )
    .await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    let v: serde_json::Value = serde_json::from_str(&ok.body).expect("json");
    assert_eq!(v["organisation"]["name"], "Beta");
    assert!(v["token"].as_str().is_some_and(|t| !t.is_empty()));
    let bad = call(
        &s,
        "POST",
        "/api/v1/register/confirmations",
        None,
        r#"{"token":"vbc_x"}"#,
    )
    .await;
    assert_eq!(bad.status, 404, "{}", bad.body);
}

/// One check for due reminders at `at`.
async fn remind(
    state: &verblijf_web::AppState,
    at: chrono::DateTime<chrono::Utc>,
) -> verblijf_web::mail::ReminderRun {
    verblijf_web::mail::send_due_reminders(state, at)
        .await
        .expect("run")
}

#[tokio::test]
async fn a_daily_reminder_lists_the_due_deadlines_in_dutch_once_a_day_and_one_click_stops_it() {
    let (inbox, url) = smtp();
    let state = state(&url).await;
    let store = state.store.clone().expect("store");
    let (_, owner) = store
        .create_organisation("Acme", "hr@example.org", "a long password")
        .await
        .expect("org");
    // A highly skilled migrant whose permit ends in 40 days: inside the default 90 days' warning.
    let today = chrono::Utc::now().date_naive();
    let end = today + chrono::Duration::days(40);
    let h = store
        .create_household(&owner, "Silva")
        .await
        .expect("household");
    let p = store
        .add_person(
            &owner,
            serde_json::from_value(serde_json::json!({
                "name": "Ana Silva", "birth_date": "1990-04-01", "nationality": "BR", "household_id": h.id
            }))
            .expect("person"),
        )
        .await
        .expect("person");
    store
        .add_permit(
            &owner,
            serde_json::from_value(serde_json::json!({
                "person_id": p.id, "kind": "highly_skilled_migrant",
                "valid_from": (end - chrono::Duration::days(5 * 365)).to_string(), "valid_until": end.to_string()
            }))
            .expect("permit"),
        )
        .await
        .expect("permit");
    let s = start_state(state.clone()).await;

    // Nothing is sent to a user who chose no reminders.
    let now = chrono::Utc::now();
    let run = remind(&state, now).await;
    assert_eq!(run, verblijf_web::mail::ReminderRun::default());

    // The owner chooses a daily email in Dutch on the page.
    let mut c = Client::default();
    let signed = c
        .submit(
            &s,
            "/register/sign-in?lang=nl",
            "/register/sign-in?lang=nl",
            &[("email", "hr@example.org"), ("password", "a long password")],
        )
        .await;
    assert_eq!(signed.status, 303, "{}", signed.body);
    let saved = c
        .submit(
            &s,
            "/register/reminders?lang=nl",
            "/register/reminders?lang=nl",
            &[("reminders", "daily"), ("lang", "nl")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let refused = c
        .submit(
            &s,
            "/register/reminders?lang=nl",
            "/register/reminders?lang=nl",
            &[("reminders", "hourly"), ("lang", "nl")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("Verwacht nooit, elke dag of elke week"),
        "{}",
        refused.body
    );

    let run = remind(&state, now).await;
    assert_eq!(run.sent, 1, "{run:?}");
    let mail = parse(&wait_for(&inbox, 1).await[0]);
    assert_eq!(mail.to, vec!["hr@example.org".to_string()]);
    assert!(mail.subject.starts_with("Verblijf: "), "{}", mail.subject);
    assert!(mail.subject.contains("aandacht"), "{}", mail.subject);
    assert!(mail.text.contains("Ana Silva (Silva)"), "{}", mail.text);
    let day = verblijf_rules::decision::Day(end, verblijf_rules::Lang::Nl).to_string();
    assert!(mail.text.contains(&day), "{day} in {}", mail.text);
    assert!(
        !mail.text.contains(&end.to_string()),
        "a Dutch email writes dates in words: {}",
        mail.text
    );
    let unsubscribe = link(&mail.text, "/register/unsubscribe?token=");
    let header = mail
        .header
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("List-Unsubscribe"))
        .map(|(_, v)| v.clone())
        .expect("List-Unsubscribe");
    assert!(header.contains(&unsubscribe), "{header}");
    assert!(mail
        .header
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("List-Unsubscribe-Post")
            && v == "List-Unsubscribe=One-Click"));

    // Once a day: an hour later nothing more; a day later the next one.
    let run = remind(&state, now + chrono::Duration::hours(1)).await;
    assert_eq!(run.sent, 0);
    let run = remind(&state, now + chrono::Duration::hours(24)).await;
    assert_eq!(run.sent, 1);
    wait_for(&inbox, 1).await;

    // One click from the mail program (RFC 8058), without signing in: off, and nothing is sent after.
    let mut anyone = Client::default();
    let opened = anyone.get(&s, &unsubscribe).await;
    assert_eq!(opened.status, 200);
    let off = anyone
        .post(&s, &unsubscribe, &[("List-Unsubscribe", "One-Click")])
        .await;
    assert_eq!(off.status, 200, "{}", off.body);
    assert!(off.body.contains("hr@example.org"), "{}", off.body);
    let settings = store.reminder_settings(&owner).await.expect("settings");
    assert_eq!(settings.reminders, verblijf_store::Reminders::Off);
    let run = remind(&state, now + chrono::Duration::days(3)).await;
    assert_eq!(run, verblijf_web::mail::ReminderRun::default());
    let unknown = anyone
        .post(&s, "/register/unsubscribe?token=vbu_unknown", &[])
        .await;
    assert_eq!(unknown.status, 404);
}
