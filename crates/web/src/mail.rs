//! Email from the register, over SMTP with `lettre`: the link that confirms a sign-up (or, for an address that has
//! an account already, a note saying so: the page never tells the two apart), and each user's daily or weekly
//! reminder of the deadlines whose warning has started, with a link that turns it off in one click
//! (`List-Unsubscribe`, RFC 8058).
//!
//! The server sends nothing without `--smtp-url`. Links in an email start with the server's public address
//! (`--public-url`), since the email is read outside any request.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use verblijf_rules::decision::Day;
use verblijf_rules::Lang;
use verblijf_store::{Reminders, SignUp, StoreError, SIGN_UP_CONFIRM_HOURS};

use crate::AppState;

/// Where and how the server sends email.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// `smtp://host:port` (no TLS, for a relay on the same host), `smtp://host:587?tls=required` (STARTTLS) or
    /// `smtps://user:password@host:465`.
    pub smtp_url: String,
    /// The sender, such as `Verblijf <register@example.org>`.
    pub from: String,
    /// The address people reach the server at, such as `https://verblijf.example.org`; links in emails start with it.
    pub public_url: String,
}

/// Sends the register's email.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

/// What one check for due reminders did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReminderRun {
    /// Reminders sent.
    pub sent: usize,
    /// Users whose reminder was due but had no deadline inside its warning period: nothing sent.
    pub nothing_due: usize,
    /// Reminders that could not be sent (tried again at the next check).
    pub failed: usize,
}

impl Mailer {
    /// A mailer from its settings; a setting that cannot be used is named.
    pub fn new(s: &MailSettings) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&s.smtp_url)
            .map_err(|e| {
                format!(
                    "--smtp-url: expected smtp://host:port or smtps://user:password@host:port ({e})"
                )
            })?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = s.from.parse::<Mailbox>().map_err(|e| {
            format!(
                "--mail-from: expected an address such as `Verblijf <register@example.org>` ({e})"
            )
        })?;
        let public_url = s.public_url.trim_end_matches('/').to_string();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(format!(
                "--public-url: expected an address starting with http:// or https://, found `{public_url}`"
            ));
        }
        Ok(Mailer {
            transport,
            from,
            public_url,
        })
    }

    /// The public address of a path of the server's.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }

    async fn send(
        &self,
        to: &str,
        subject: &str,
        body: String,
        unsubscribe: Option<&str>,
    ) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|e| format!("recipient: {e}"))?;
        let mut message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .message_id(None)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| e.to_string())?;
        if let Some(url) = unsubscribe {
            let name =
                |n: &str| HeaderName::new_from_ascii(n.to_string()).map_err(|e| e.to_string());
            message.headers_mut().insert_raw(HeaderValue::new(
                name("List-Unsubscribe")?,
                format!("<{url}>"),
            ));
            message.headers_mut().insert_raw(HeaderValue::new(
                name("List-Unsubscribe-Post")?,
                "List-Unsubscribe=One-Click".into(),
            ));
        }
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// The email that answers a sign-up: the confirmation link for a new address, or a note that the address has an
    /// account already.
    pub async fn send_sign_up(
        &self,
        lang: Lang,
        organisation: &str,
        email: &str,
        outcome: &SignUp,
    ) -> Result<(), String> {
        let l = |en: &'static str, nl: &'static str| if lang == Lang::En { en } else { nl };
        let code = crate::register_pages::code(lang);
        let (subject, body) = match outcome {
            SignUp::Pending { token } => {
                let link = self.link(&format!("/register/confirm?token={token}&lang={code}"));
                (
                    l("Confirm your Verblijf register", "Bevestig uw Verblijf-register"),
                    match lang {
                        Lang::En => format!(
                            "Hello,\n\nSomeone, we hope you, asked to create the register \"{organisation}\" in Verblijf with this email address.\n\nTo create it, open this link within {SIGN_UP_CONFIRM_HOURS} hours:\n{link}\n\nIf it was not you, ignore this email: nothing is created.\n"
                        ),
                        Lang::Nl => format!(
                            "Goedendag,\n\nIemand, hopelijk u, heeft gevraagd het register \"{organisation}\" in Verblijf aan te maken met dit e-mailadres.\n\nOpen deze link binnen {SIGN_UP_CONFIRM_HOURS} uur om het aan te maken:\n{link}\n\nWas u het niet? Dan kunt u deze e-mail negeren: er wordt niets aangemaakt.\n"
                        ),
                    },
                )
            }
            SignUp::Taken => {
                let link = self.link(&format!("/register/sign-in?lang={code}"));
                (
                    l("Your Verblijf register", "Uw Verblijf-register"),
                    match lang {
                        Lang::En => format!(
                            "Hello,\n\nSomeone, we hope you, asked to create a register in Verblijf with this email address. It has an account already, so nothing new was created.\n\nTo sign in:\n{link}\n\nIf you forgot your password, an owner of your organisation can give you a new one. If it was not you, ignore this email.\n"
                        ),
                        Lang::Nl => format!(
                            "Goedendag,\n\nIemand, hopelijk u, heeft gevraagd een register in Verblijf aan te maken met dit e-mailadres. Er is al een account met dit adres, dus er is niets nieuws aangemaakt.\n\nAanmelden:\n{link}\n\nBent u uw wachtwoord vergeten? Een eigenaar van uw organisatie kan u een nieuw geven. Was u het niet? Dan kunt u deze e-mail negeren.\n"
                        ),
                    },
                )
            }
        };
        self.send(email, subject, body, None).await
    }
}

/// Sends every reminder that is due at `at`: to each user with reminders on and none sent within their interval,
/// the deadlines of their organisation whose warning has started on that day. A user with nothing due is sent
/// nothing and counted; a failed send is tried again at the next check.
pub async fn send_due_reminders(
    state: &AppState,
    at: DateTime<Utc>,
) -> Result<ReminderRun, StoreError> {
    let mut run = ReminderRun::default();
    let (Some(store), Some(mailer)) = (state.store.as_ref(), state.mailer.as_ref()) else {
        return Ok(run);
    };
    let date = at.date_naive();
    for user in store.due_reminders(at).await? {
        let lang = if user.lang == "nl" {
            Lang::Nl
        } else {
            Lang::En
        };
        let list = store.alert_list(&user.actor, &state.params, date).await?;
        let due: Vec<_> = list.alerts.iter().filter(|a| a.due).collect();
        if due.is_empty() && list.unreadable.is_empty() {
            run.nothing_due += 1;
            store.mark_reminded(&user.actor, at).await?;
            continue;
        }
        let token = store.unsubscribe_link(&user.actor).await?;
        let unsubscribe = mailer.link(&format!(
            "/register/unsubscribe?token={token}&lang={}",
            crate::register_pages::code(lang)
        ));
        let (subject, body) = reminder_text(
            lang,
            mailer,
            user.reminders,
            date,
            &due,
            list.unreadable.len(),
            &unsubscribe,
        );
        match mailer
            .send(&user.email, &subject, body, Some(&unsubscribe))
            .await
        {
            Ok(()) => {
                run.sent += 1;
                store.mark_reminded(&user.actor, at).await?;
            }
            Err(e) => {
                run.failed += 1;
                tracing::warn!(error = %e, "a reminder could not be sent; it is tried again at the next check");
            }
        }
    }
    Ok(run)
}

fn reminder_text(
    lang: Lang,
    mailer: &Mailer,
    reminders: Reminders,
    date: chrono::NaiveDate,
    due: &[&verblijf_store::Alert],
    unreadable: usize,
    unsubscribe: &str,
) -> (String, String) {
    let code = crate::register_pages::code(lang);
    let n = due.len();
    let subject = match (lang, n) {
        (Lang::En, 1) => "Verblijf: 1 deadline needs attention".to_string(),
        (Lang::En, _) => format!("Verblijf: {n} deadlines need attention"),
        (Lang::Nl, 1) => "Verblijf: 1 termijn vraagt aandacht".to_string(),
        (Lang::Nl, _) => format!("Verblijf: {n} termijnen vragen aandacht"),
    };
    let mut body = match lang {
        Lang::En => format!(
            "Hello,\n\nThese deadlines in the register are inside their warning period (as of {}):\n\n",
            Day(date, lang)
        ),
        Lang::Nl => format!(
            "Goedendag,\n\nVan deze termijnen in het register is de waarschuwingsperiode begonnen (stand op {}):\n\n",
            Day(date, lang)
        ),
    };
    if due.is_empty() {
        body.push_str(if lang == Lang::En {
            "(none)\n"
        } else {
            "(geen)\n"
        });
    }
    for a in due {
        body.push_str(&format!(
            "- {}: {} ({}). {}\n",
            Day(a.date, lang),
            a.person,
            a.household,
            a.what.get(lang)
        ));
    }
    if unreadable > 0 {
        body.push_str(&match lang {
            Lang::En => format!("\n{unreadable} household(s) have a record that needs correcting; their deadlines are not listed until it is.\n"),
            Lang::Nl => format!("\n{unreadable} huishouden(s) hebben een gegeven dat verbeterd moet worden; hun termijnen staan er pas weer bij als dat gebeurd is.\n"),
        });
    }
    let every = match (lang, reminders) {
        (Lang::En, Reminders::Weekly) => "weekly",
        (Lang::En, _) => "daily",
        (Lang::Nl, Reminders::Weekly) => "wekelijkse",
        (Lang::Nl, _) => "dagelijkse",
    };
    body.push_str(&match lang {
        Lang::En => format!(
            "\nEvery deadline: {}\nChoose how often you get this email: {}\n\nYou get this {every} email because you chose it in the register. To stop it, open this link:\n{unsubscribe}\n",
            mailer.link(&format!("/register?lang={code}")),
            mailer.link(&format!("/register/reminders?lang={code}")),
        ),
        Lang::Nl => format!(
            "\nAlle termijnen: {}\nInstellen hoe vaak u deze e-mail krijgt: {}\n\nU krijgt deze {every} e-mail omdat u die in het register hebt gekozen. Wilt u hem niet meer ontvangen? Open dan deze link:\n{unsubscribe}\n",
            mailer.link(&format!("/register?lang={code}")),
            mailer.link(&format!("/register/reminders?lang={code}")),
        ),
    });
    (subject, body)
}

/// Checks for due reminders every `every`, for as long as the server runs.
pub fn spawn_reminders(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    let state = Arc::new(state);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match send_due_reminders(&state, Utc::now()).await {
                Ok(run) if run.sent + run.failed > 0 => {
                    tracing::info!(
                        sent = run.sent,
                        failed = run.failed,
                        nothing_due = run.nothing_due,
                        "reminders"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "the reminder check failed"),
            }
        }
    })
}
