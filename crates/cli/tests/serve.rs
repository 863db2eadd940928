//! `verblijf serve` run as a deployment would: what it prints at start-up.

use std::process::{Command, Stdio};

#[test]
fn the_database_password_is_never_printed_at_start_up() {
    // Nothing listens on port 9 of loopback, so opening the register fails at once and the error is printed too.
    let out = Command::new(env!("CARGO_BIN_EXE_verblijf"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--db",
            "postgres://app:hunter2-secret@127.0.0.1:9/register?password=other-secret",
        ])
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .output()
        .expect("run verblijf");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("postgres://app:***@127.0.0.1:9/register"),
        "{text}"
    );
    assert!(!text.contains("hunter2-secret"), "{text}");
    assert!(!text.contains("other-secret"), "{text}");
}
