//! One conformance suite, run against SQLite (a fresh file) and PostgreSQL (a fresh database on the server named
//! by `VERBLIJF_TEST_POSTGRES_URL`, which `.ci/run` starts). The PostgreSQL half is ignored by a plain `cargo test`
//! (the summary counts it as ignored) and runs with `cargo test -p verblijf-store --test conformance -- --ignored`,
//! as `.ci/run` does; without the variable that run fails under CI and says it skipped otherwise.

use serde_json::json;
use verblijf_store::*;

async fn sqlite() -> Store {
    let dir = std::env::temp_dir().join(format!(
        "verblijf-store-{}-{}",
        std::process::id(),
        uuid_like()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    Store::open(dir.join("register.db").to_str().expect("utf8"))
        .await
        .expect("open sqlite")
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        N.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    )
}

/// A fresh database on the PostgreSQL server, per test, and its name (dropped by [`drop_database`] when the test
/// ends).
async fn postgres() -> Option<(Store, String, String)> {
    let Ok(base) = std::env::var("VERBLIJF_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must set VERBLIJF_TEST_POSTGRES_URL for the PostgreSQL half of the suite"
        );
        eprintln!("PostgreSQL half skipped: VERBLIJF_TEST_POSTGRES_URL is not set");
        return None;
    };
    let name = format!("verblijf_t_{}", uuid_like().replace('-', "_"));
    sqlx_create_db(&base, &name).await;
    let url = match base.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => panic!("VERBLIJF_TEST_POSTGRES_URL needs a database name"),
    };
    Some((Store::open(&url).await.expect("open postgres"), base, name))
}

/// A plain connection to the server's base database: no migrations run there, so tests starting in parallel on a
/// new server do not race to create the register's tables in it.
async fn admin(base: &str) -> sqlx::PgConnection {
    use sqlx::Connection;
    sqlx::PgConnection::connect(base)
        .await
        .expect("connect to the test server")
}

async fn sqlx_create_db(base: &str, name: &str) {
    // PostgreSQL refuses concurrent CREATE DATABASE from the same template ("being accessed by other users"), so
    // the tests running in parallel try again after a pause.
    let mut conn = admin(base).await;
    let mut tries = 0;
    while let Err(e) = sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
    {
        tries += 1;
        assert!(tries < 20, "create database: {e}");
        tokio::time::sleep(std::time::Duration::from_millis(100 * tries)).await;
    }
}

/// Drops a test's database, closing what is still connected to it, so runs leave nothing behind.
async fn drop_database(base: &str, name: &str) {
    let mut conn = admin(base).await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await
        .expect("drop the test database");
}

/// Every text the database holds, as (table, column, value), read the same way on both databases.
async fn dump(s: &Store) -> Vec<(String, String, String)> {
    let text = |rows: Vec<Vec<Option<String>>>| -> Vec<String> {
        rows.into_iter()
            .filter_map(|r| r.into_iter().next().flatten())
            .collect()
    };
    let tables = text(match s.backend {
        Backend::Sqlite => s
            .raw_query_text("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .await
            .expect("tables"),
        Backend::Postgres => s
            .raw_query_text("SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1")
            .await
            .expect("tables"),
    });
    assert!(tables.iter().any(|t| t == "assessments"), "{tables:?}");
    let mut out = Vec::new();
    for t in tables {
        let columns = text(match s.backend {
            Backend::Sqlite => s
                .raw_query_text(&format!("SELECT name FROM pragma_table_info('{t}') ORDER BY cid"))
                .await
                .expect("columns"),
            Backend::Postgres => s
                .raw_query_text(&format!("SELECT CAST(column_name AS TEXT) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{t}' ORDER BY ordinal_position"))
                .await
                .expect("columns"),
        });
        let select = columns
            .iter()
            .map(|c| format!("CAST(\"{c}\" AS TEXT)"))
            .collect::<Vec<_>>()
            .join(", ");
        for row in s
            .raw_query_text(&format!("SELECT {select} FROM \"{t}\""))
            .await
            .expect("rows")
        {
            for (c, v) in columns.iter().zip(row) {
                if let Some(v) = v {
                    out.push((t.clone(), c.clone(), v));
                }
            }
        }
    }
    out
}

macro_rules! both {
    ($name:ident, $body:ident) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn on_sqlite() {
                $body(sqlite().await).await;
            }
            // Ignored unless asked for, so that a run without a PostgreSQL server says so in its summary
            // ("N ignored") instead of passing; `.ci/run` runs them with `--ignored`, and there a missing server fails.
            #[tokio::test]
            #[ignore = "the PostgreSQL half: set VERBLIJF_TEST_POSTGRES_URL and run with --ignored"]
            async fn on_postgres() {
                if let Some((s, base, db)) = postgres().await {
                    // Run apart, so the database is dropped even when the test fails.
                    let run = tokio::spawn($body(s)).await;
                    drop_database(&base, &db).await;
                    if let Err(e) = run {
                        if e.is_panic() {
                            std::panic::resume_unwind(e.into_panic());
                        }
                        panic!("{e}");
                    }
                }
            }
        }
    };
}

async fn a_new_organisation_has_an_owner_who_can_sign_in(s: Store) {
    let (org, owner) = s
        .create_organisation("Acme B.V.", "hr@acme.example", "correct horse battery")
        .await
        .expect("create");
    assert_eq!(owner.role, Role::Owner);
    assert_eq!(owner.organisation_id, org.id);
    let again = s
        .login("HR@acme.example", "correct horse battery")
        .await
        .expect("login");
    assert_eq!(again, owner);
    assert_eq!(
        s.login("hr@acme.example", "wrong password!!")
            .await
            .expect_err("refused"),
        StoreError::Unauthenticated
    );
    assert_eq!(
        s.login("nobody@acme.example", "correct horse battery")
            .await
            .expect_err("refused"),
        StoreError::Unauthenticated
    );
    assert!(matches!(
        s.create_organisation("Other", "hr@acme.example", "another password")
            .await
            .expect_err("refused"),
        StoreError::Conflict(_)
    ));
    let e = s
        .create_organisation("X", "not-an-email", "long enough password")
        .await
        .expect_err("refused");
    assert!(
        matches!(e, StoreError::Invalid { ref field, .. } if field == "email"),
        "{e}"
    );
    let token = s.create_token(&owner).await.expect("token");
    assert_eq!(
        s.authenticate_token(&token).await.expect("token works"),
        owner
    );
    assert_eq!(
        s.authenticate_token("vbl_guess")
            .await
            .expect_err("refused"),
        StoreError::Unauthenticated
    );
}
both!(
    organisations_and_sign_in,
    a_new_organisation_has_an_owner_who_can_sign_in
);

async fn a_household_of_three_becomes_a_case_the_rules_assess(s: Store) {
    let (_, owner) = s
        .create_organisation("Acme", "o@acme.example", "correct horse battery")
        .await
        .expect("org");
    let h = s
        .create_household(&owner, "Sharma")
        .await
        .expect("household");
    let anna = s
        .add_person(
            &owner,
            PersonInput {
                household_id: Some(h.id.clone()),
                name: "Anna Sharma".into(),
                bsn: Some("111222333".into()),
                birth_date: Some("1994-08-20".into()),
                nationality: Some("IN".into()),
            },
        )
        .await
        .expect("anna");
    let ben = s
        .add_person(
            &owner,
            PersonInput {
                household_id: Some(h.id.clone()),
                name: "Ben Sharma".into(),
                birth_date: Some("1992-02-11".into()),
                nationality: Some("IN".into()),
                ..Default::default()
            },
        )
        .await
        .expect("ben");
    let cleo = s
        .add_person(
            &owner,
            PersonInput {
                household_id: Some(h.id.clone()),
                name: "Cleo Sharma".into(),
                birth_date: Some("2020-04-02".into()),
                nationality: Some("IN".into()),
                ..Default::default()
            },
        )
        .await
        .expect("cleo");
    s.add_permit(
        &owner,
        PermitInput {
            person_id: anna.id.clone(),
            kind: "highly_skilled_migrant".into(),
            valid_from: "2023-09-01".into(),
            valid_until: Some("2026-08-31".into()),
            document_number: Some("NLD123".into()),
            ..Default::default()
        },
    )
    .await
    .expect("permit");
    s.add_permit(
        &owner,
        PermitInput {
            person_id: ben.id.clone(),
            kind: "family_member".into(),
            valid_from: "2023-10-15".into(),
            valid_until: Some("2028-10-14".into()),
            sponsor_person_id: Some(anna.id.clone()),
            ..Default::default()
        },
    )
    .await
    .expect("permit");
    s.add_permit(
        &owner,
        PermitInput {
            person_id: cleo.id.clone(),
            kind: "family_member".into(),
            valid_from: "2023-10-15".into(),
            valid_until: Some("2026-08-31".into()),
            sponsor_person_id: Some(anna.id.clone()),
            ..Default::default()
        },
    )
    .await
    .expect("permit");
    s.add_contract(
        &owner,
        &anna.id,
        Some("Acme".into()),
        Some(520_000),
        Some("2023-09-01".into()),
        Some("2026-08-31".into()),
    )
    .await
    .expect("contract");
    s.add_relationship(
        &owner,
        "partner",
        &anna.id,
        &ben.id,
        Some("married"),
        Some("2018-05-05".into()),
        None,
    )
    .await
    .expect("rel");
    s.add_relationship(&owner, "child", &anna.id, &cleo.id, None, None, None)
        .await
        .expect("rel");
    let case = s
        .household_case(&owner, &h.id, "2025-06-01")
        .await
        .expect("case");
    let case = verblijf_rules::parse_case(&case.to_string(), verblijf_rules::Format::Json)
        .expect("the case reads");
    let params = verblijf_rules::ParamSet::embedded().expect("params");
    let a = verblijf_rules::assess_household(&case, &params);
    let ben_work = a
        .members
        .iter()
        .find(|m| m.id.as_deref() == Some(ben.id.as_str()))
        .expect("ben")
        .work_rights
        .clone();
    assert_eq!(ben_work.status, verblijf_rules::WorkStatus::Free);
    assert_eq!(
        ben_work.until.map(|d| d.to_string()).as_deref(),
        Some("2026-08-31")
    );
    let saved = s
        .save_assessment(
            &owner,
            &h.id,
            "2025-06-01",
            a.receipt.engine,
            &a.receipt.params_hash,
            &serde_json::to_value(&a).expect("json"),
        )
        .await
        .expect("save");
    let list = s.assessments(&owner, &h.id).await.expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, saved.id);
    assert_eq!(list[0].params_hash, a.receipt.params_hash.to_string());
    assert_eq!(
        list[0].result["members"][1]["work_rights"]["status"],
        json!("free")
    );
}
both!(
    households_and_assessments,
    a_household_of_three_becomes_a_case_the_rules_assess
);

async fn bad_input_names_the_field(s: Store) {
    let (_, owner) = s
        .create_organisation("Acme", "o@acme.example", "correct horse battery")
        .await
        .expect("org");
    let field = |e: StoreError| match e {
        StoreError::Invalid { field, .. } => field,
        other => panic!("expected an invalid field, got {other}"),
    };
    assert_eq!(
        field(
            s.add_person(
                &owner,
                PersonInput {
                    name: "X".into(),
                    bsn: Some("123456789".into()),
                    ..Default::default()
                }
            )
            .await
            .expect_err("refused")
        ),
        "bsn"
    );
    assert_eq!(
        field(
            s.add_person(
                &owner,
                PersonInput {
                    name: "X".into(),
                    birth_date: Some("1990-02-30".into()),
                    ..Default::default()
                }
            )
            .await
            .expect_err("refused")
        ),
        "birth_date"
    );
    assert_eq!(
        field(
            s.add_person(
                &owner,
                PersonInput {
                    name: " ".into(),
                    ..Default::default()
                }
            )
            .await
            .expect_err("refused")
        ),
        "name"
    );
    let p = s
        .add_person(
            &owner,
            PersonInput {
                name: "Y".into(),
                ..Default::default()
            },
        )
        .await
        .expect("person");
    assert_eq!(
        field(
            s.add_permit(
                &owner,
                PermitInput {
                    person_id: p.id.clone(),
                    kind: "tourist".into(),
                    valid_from: "2025-01-01".into(),
                    ..Default::default()
                }
            )
            .await
            .expect_err("refused")
        ),
        "kind"
    );
    assert_eq!(
        field(
            s.add_permit(
                &owner,
                PermitInput {
                    person_id: p.id.clone(),
                    kind: "study".into(),
                    valid_from: "2025-01-01".into(),
                    valid_until: Some("2024-01-01".into()),
                    ..Default::default()
                }
            )
            .await
            .expect_err("refused")
        ),
        "valid_until"
    );
    assert_eq!(
        field(
            s.add_contract(&owner, &p.id, None, Some(-1), None, None)
                .await
                .expect_err("refused")
        ),
        "gross_monthly_salary"
    );
    // A contract that ends before it starts, added or changed.
    assert_eq!(
        field(
            s.add_contract(
                &owner,
                &p.id,
                None,
                None,
                Some("2025-06-01".into()),
                Some("2025-05-31".into())
            )
            .await
            .expect_err("refused")
        ),
        "end_date"
    );
    let c = s
        .add_contract(
            &owner,
            &p.id,
            None,
            None,
            Some("2025-06-01".into()),
            Some("2025-06-01".into()),
        )
        .await
        .expect("a contract of one day");
    assert_eq!(
        field(
            s.update_contract(
                &owner,
                &c.id,
                ContractInput {
                    start_date: Some("2025-06-01".into()),
                    end_date: Some("2024-06-01".into()),
                    ..Default::default()
                }
            )
            .await
            .expect_err("refused")
        ),
        "end_date"
    );
    // A person linked to themselves, a form that is not one, a child link with a form, an end before the start.
    let q = s
        .add_person(
            &owner,
            PersonInput {
                name: "Z".into(),
                ..Default::default()
            },
        )
        .await
        .expect("person");
    for (kind, a, b, form, from, until, expected) in [
        ("partner", &p.id, &p.id, Some("married"), None, None, "b"),
        ("child", &p.id, &p.id, None, None, None, "b"),
        ("partner", &p.id, &q.id, Some("engaged"), None, None, "form"),
        ("child", &p.id, &q.id, Some("married"), None, None, "form"),
        (
            "partner",
            &p.id,
            &q.id,
            Some("married"),
            Some("2020-01-01"),
            Some("2019-01-01"),
            "until",
        ),
        ("sibling", &p.id, &q.id, None, None, None, "kind"),
    ] {
        assert_eq!(
            field(
                s.add_relationship(
                    &owner,
                    kind,
                    a,
                    b,
                    form,
                    from.map(Into::into),
                    until.map(Into::into)
                )
                .await
                .expect_err("refused")
            ),
            expected,
            "{kind} {form:?}"
        );
    }
    assert!(
        s.all_relationships(&owner).await.expect("links").is_empty(),
        "nothing refused was written"
    );
    for form in ["married", "registered", "unmarried"] {
        s.add_relationship(&owner, "partner", &p.id, &q.id, Some(form), None, None)
            .await
            .expect(form);
    }
}
both!(validation, bad_input_names_the_field);

async fn another_organisation_and_a_viewer_are_refused_without_a_leak(s: Store) {
    let (_, acme) = s
        .create_organisation("Acme", "o@acme.example", "correct horse battery")
        .await
        .expect("org");
    let (_, other) = s
        .create_organisation("Other", "o@other.example", "correct horse battery")
        .await
        .expect("org");
    let viewer = s
        .add_user(&acme, "v@acme.example", "viewer password 1", Role::Viewer)
        .await
        .expect("viewer");
    let h = s.create_household(&acme, "H").await.expect("h");
    let p = s
        .add_person(
            &acme,
            PersonInput {
                household_id: Some(h.id.clone()),
                name: "Secret Person".into(),
                ..Default::default()
            },
        )
        .await
        .expect("p");
    // Another organisation sees nothing.
    assert!(matches!(
        s.person(&other, &p.id).await.expect_err("refused"),
        StoreError::NotFound(_)
    ));
    assert!(s.people(&other, None).await.expect("list").is_empty());
    assert!(matches!(
        s.household_case(&other, &h.id, "2025-01-01")
            .await
            .expect_err("refused"),
        StoreError::NotFound(_)
    ));
    assert!(matches!(
        s.export_person(&other, &p.id).await.expect_err("refused"),
        StoreError::NotFound(_)
    ));
    assert!(matches!(
        s.erase_person(&other, &p.id).await.expect_err("refused"),
        StoreError::NotFound(_)
    ));
    assert!(matches!(
        s.update_person(
            &other,
            &p.id,
            PersonInput {
                name: "Changed".into(),
                ..Default::default()
            }
        )
        .await
        .expect_err("refused"),
        StoreError::NotFound(_)
    ));
    assert!(matches!(
        s.add_permit(
            &other,
            PermitInput {
                person_id: p.id.clone(),
                kind: "study".into(),
                valid_from: "2025-01-01".into(),
                ..Default::default()
            }
        )
        .await
        .expect_err("refused"),
        StoreError::NotFound(_)
    ));
    assert!(matches!(
        s.assessments(&other, &h.id).await.expect_err("refused"),
        StoreError::NotFound(_)
    ));
    assert!(s
        .audit_log(&other)
        .await
        .expect("audit")
        .iter()
        .all(|e| e.entity_id != p.id));
    // A viewer reads but does not write.
    assert_eq!(
        s.person(&viewer, &p.id).await.expect("read").name,
        "Secret Person"
    );
    assert!(matches!(
        s.add_person(
            &viewer,
            PersonInput {
                name: "N".into(),
                ..Default::default()
            }
        )
        .await
        .expect_err("refused"),
        StoreError::Forbidden(_)
    ));
    assert!(matches!(
        s.erase_person(&viewer, &p.id).await.expect_err("refused"),
        StoreError::Forbidden(_)
    ));
    assert!(matches!(
        s.add_user(&viewer, "x@acme.example", "long enough pw", Role::Owner)
            .await
            .expect_err("refused"),
        StoreError::Forbidden(_)
    ));
}
both!(
    authorisation,
    another_organisation_and_a_viewer_are_refused_without_a_leak
);

async fn export_and_erase_leave_only_a_non_personal_record(s: Store) {
    let (_, owner) = s
        .create_organisation("Acme", "o@acme.example", "correct horse battery")
        .await
        .expect("org");
    let p = s
        .add_person(
            &owner,
            PersonInput {
                name: "Eva Erased".into(),
                bsn: Some("123456782".into()),
                birth_date: Some("1990-01-01".into()),
                nationality: Some("BR".into()),
                ..Default::default()
            },
        )
        .await
        .expect("p");
    s.add_permit(
        &owner,
        PermitInput {
            person_id: p.id.clone(),
            kind: "highly_skilled_migrant".into(),
            valid_from: "2024-01-01".into(),
            document_number: Some("DOC-9".into()),
            ..Default::default()
        },
    )
    .await
    .expect("permit");
    s.update_person(
        &owner,
        &p.id,
        PersonInput {
            name: "Eva E.".into(),
            bsn: Some("123456782".into()),
            ..Default::default()
        },
    )
    .await
    .expect("update");
    let export = s.export_person(&owner, &p.id).await.expect("export");
    assert_eq!(export["person"]["bsn"], "123456782");
    assert_eq!(export["permits"][0]["document_number"], "DOC-9");
    s.erase_person(&owner, &p.id).await.expect("erase");
    let after = s.export_person(&owner, &p.id).await.expect("export after");
    let text = after.to_string();
    for secret in ["Eva", "123456782", "DOC-9", "1990-01-01", "BR"] {
        assert!(!text.contains(secret), "{secret} survived: {text}");
    }
    let log = s.audit_log(&owner).await.expect("log");
    let log_text = serde_json::to_string(&log).expect("json");
    for secret in ["Eva", "123456782", "DOC-9"] {
        assert!(!log_text.contains(secret), "{secret} in the audit log");
    }
    let last = log.last().expect("entries");
    assert_eq!(
        (
            last.action.as_str(),
            last.entity.as_str(),
            last.entity_id.as_str()
        ),
        ("erase", "person", p.id.as_str())
    );
    assert!(
        log.windows(2).all(|w| w[1].seq == w[0].seq + 1),
        "the audit log counts up without gaps"
    );
    assert!(s
        .people(&owner, Some("eva"))
        .await
        .expect("search")
        .is_empty());
}
both!(privacy, export_and_erase_leave_only_a_non_personal_record);

async fn the_audit_log_records_before_and_after(s: Store) {
    let (_, owner) = s
        .create_organisation("Acme", "o@acme.example", "correct horse battery")
        .await
        .expect("org");
    let p = s
        .add_person(
            &owner,
            PersonInput {
                name: "Raj".into(),
                ..Default::default()
            },
        )
        .await
        .expect("p");
    s.update_person(
        &owner,
        &p.id,
        PersonInput {
            name: "Raj Kumar".into(),
            nationality: Some("IN".into()),
            ..Default::default()
        },
    )
    .await
    .expect("u");
    let log = s.audit_log(&owner).await.expect("log");
    let update = log
        .iter()
        .find(|e| e.action == "update")
        .expect("update entry");
    assert_eq!(update.before.as_ref().expect("before")["name"], "Raj");
    assert_eq!(update.after.as_ref().expect("after")["name"], "Raj Kumar");
    assert_eq!(update.actor.as_deref(), Some(owner.user_id.as_str()));
    let found = s.people(&owner, Some("kum")).await.expect("search");
    assert_eq!(found.len(), 1);
}
both!(audit, the_audit_log_records_before_and_after);

async fn sessions_end_at_sign_out_when_idle_and_when_too_old(s: Store) {
    let (_, owner) = s
        .create_organisation("Acme", "o@acme.example", "correct horse battery")
        .await
        .expect("org");
    let limits = SessionLimits::default();
    let token = s.create_session(&owner, limits).await.expect("session");
    let live = s.session(&token, limits).await.expect("live");
    assert_eq!(live.actor, owner);
    assert_eq!(live.email, "o@acme.example");
    assert_eq!(live.organisation, "Acme");
    assert_eq!(live.csrf_token.len(), 64);
    assert_ne!(live.csrf_token, token);
    assert_eq!(
        s.session("vbs_guess", limits).await.expect_err("refused"),
        StoreError::Unauthenticated
    );
    // Idle: a session unused for longer than the idle limit is gone.
    let idle = s.create_session(&owner, limits).await.expect("session");
    s.age_session(&idle, limits.idle + std::time::Duration::from_secs(1))
        .await
        .expect("age");
    assert_eq!(
        s.session(&idle, limits).await.expect_err("refused"),
        StoreError::Unauthenticated
    );
    // Absolute: used a moment ago but signed in too long ago.
    let old = s.create_session(&owner, limits).await.expect("session");
    let short = SessionLimits {
        idle: std::time::Duration::from_secs(3600),
        absolute: std::time::Duration::from_secs(60),
    };
    s.age_session(&old, std::time::Duration::from_secs(120))
        .await
        .expect("age");
    assert_eq!(
        s.session(&old, short).await.expect_err("refused"),
        StoreError::Unauthenticated
    );
    // Sign-out.
    s.end_session(&token).await.expect("end");
    assert_eq!(
        s.session(&token, limits).await.expect_err("refused"),
        StoreError::Unauthenticated
    );
    // The audit log says a session began, never with its token.
    let log = s.audit_log(&owner).await.expect("log");
    assert!(log.iter().any(|e| e.entity == "session"));
    assert!(!serde_json::to_string(&log).expect("json").contains(&token));
}
both!(
    sessions,
    sessions_end_at_sign_out_when_idle_and_when_too_old
);

async fn households_permits_and_contracts_are_changed_with_an_audit_entry(s: Store) {
    let (_, owner) = s
        .create_organisation("Acme", "o@acme.example", "correct horse battery")
        .await
        .expect("org");
    let (_, other) = s
        .create_organisation("Other", "o@other.example", "correct horse battery")
        .await
        .expect("org");
    let viewer = s
        .add_user(&owner, "v@acme.example", "viewer password 1", Role::Viewer)
        .await
        .expect("viewer");
    let h = s.create_household(&owner, "Sharma").await.expect("h");
    let anna = s
        .add_person(
            &owner,
            PersonInput {
                household_id: Some(h.id.clone()),
                name: "Anna".into(),
                birth_date: Some("1994-08-20".into()),
                ..Default::default()
            },
        )
        .await
        .expect("anna");
    let ben = s
        .add_person(
            &owner,
            PersonInput {
                household_id: Some(h.id.clone()),
                name: "Ben".into(),
                ..Default::default()
            },
        )
        .await
        .expect("ben");
    let h2 = s
        .update_household(&owner, &h.id, " Sharma-Iyer ")
        .await
        .expect("rename");
    assert_eq!(h2.name, "Sharma-Iyer");
    assert_eq!(
        s.household(&owner, &h.id).await.expect("h").name,
        "Sharma-Iyer"
    );
    let e = s
        .update_household(&owner, &h.id, " ")
        .await
        .expect_err("refused");
    assert!(
        matches!(e, StoreError::Invalid { ref field, .. } if field == "name"),
        "{e}"
    );
    let permit = s
        .add_permit(
            &owner,
            PermitInput {
                person_id: anna.id.clone(),
                kind: "highly_skilled_migrant".into(),
                valid_from: "2023-10-15".into(),
                valid_until: Some("2026-08-31".into()),
                ..Default::default()
            },
        )
        .await
        .expect("permit");
    let changed = s
        .update_permit(
            &owner,
            &permit.id,
            PermitInput {
                person_id: anna.id.clone(),
                kind: "highly_skilled_migrant".into(),
                valid_from: "2023-10-15".into(),
                valid_until: Some("2028-10-14".into()),
                document_number: Some("NL123".into()),
                ..Default::default()
            },
        )
        .await
        .expect("update permit");
    assert_eq!(s.permit(&owner, &permit.id).await.expect("permit"), changed);
    let e = s
        .update_permit(
            &owner,
            &permit.id,
            PermitInput {
                person_id: anna.id.clone(),
                kind: "highly_skilled_migrant".into(),
                valid_from: "2023-10-15".into(),
                valid_until: Some("2020-01-01".into()),
                ..Default::default()
            },
        )
        .await
        .expect_err("refused");
    assert!(
        matches!(e, StoreError::Invalid { ref field, .. } if field == "valid_until"),
        "{e}"
    );
    let e = s
        .update_permit(
            &owner,
            &permit.id,
            PermitInput {
                person_id: anna.id.clone(),
                kind: "golden_visa".into(),
                valid_from: "2023-10-15".into(),
                ..Default::default()
            },
        )
        .await
        .expect_err("refused");
    assert!(
        matches!(e, StoreError::Invalid { ref field, .. } if field == "kind"),
        "{e}"
    );
    let c = s
        .add_contract(
            &owner,
            &anna.id,
            Some("Acme".into()),
            Some(520_000),
            Some("2023-10-01".into()),
            None,
        )
        .await
        .expect("contract");
    let c2 = s
        .update_contract(
            &owner,
            &c.id,
            ContractInput {
                employer: Some("Acme B.V.".into()),
                gross_monthly_salary_cents: Some(560_000),
                start_date: Some("2023-10-01".into()),
                end_date: Some("2027-09-30".into()),
            },
        )
        .await
        .expect("update contract");
    assert_eq!(c2.person_id, anna.id);
    assert_eq!(
        s.contracts(&owner, &anna.id).await.expect("contracts"),
        vec![c2.clone()]
    );
    let e = s
        .update_contract(
            &owner,
            &c.id,
            ContractInput {
                start_date: Some("2023-10-01".into()),
                end_date: Some("2022-01-01".into()),
                ..Default::default()
            },
        )
        .await
        .expect_err("refused");
    assert!(
        matches!(e, StoreError::Invalid { ref field, .. } if field == "end_date"),
        "{e}"
    );
    s.add_relationship(
        &owner,
        "partner",
        &anna.id,
        &ben.id,
        Some("married"),
        None,
        None,
    )
    .await
    .expect("partners");
    let rels = s.relationships(&owner, &h.id).await.expect("rels");
    assert_eq!(rels.len(), 1);
    assert_eq!(rels[0].kind, "partner");
    assert_eq!(
        s.household_members(&owner, &h.id)
            .await
            .expect("members")
            .len(),
        2
    );
    // A viewer reads but cannot change; another organisation finds nothing.
    assert!(s.permit(&viewer, &permit.id).await.is_ok());
    assert!(matches!(
        s.update_household(&viewer, &h.id, "X")
            .await
            .expect_err("refused"),
        StoreError::Forbidden(_)
    ));
    assert!(matches!(
        s.update_contract(&viewer, &c.id, ContractInput::default())
            .await
            .expect_err("refused"),
        StoreError::Forbidden(_)
    ));
    for e in [
        s.household(&other, &h.id)
            .await
            .map(|_| ())
            .expect_err("refused"),
        s.update_household(&other, &h.id, "X")
            .await
            .map(|_| ())
            .expect_err("refused"),
        s.permit(&other, &permit.id)
            .await
            .map(|_| ())
            .expect_err("refused"),
        s.update_permit(
            &other,
            &permit.id,
            PermitInput {
                person_id: anna.id.clone(),
                kind: "study".into(),
                valid_from: "2020-01-01".into(),
                ..Default::default()
            },
        )
        .await
        .map(|_| ())
        .expect_err("refused"),
        s.contract(&other, &c.id)
            .await
            .map(|_| ())
            .expect_err("refused"),
        s.contracts(&other, &anna.id)
            .await
            .map(|_| ())
            .expect_err("refused"),
        s.update_contract(&other, &c.id, ContractInput::default())
            .await
            .map(|_| ())
            .expect_err("refused"),
        s.relationships(&other, &h.id)
            .await
            .map(|_| ())
            .expect_err("refused"),
        s.household_members(&other, &h.id)
            .await
            .map(|_| ())
            .expect_err("refused"),
    ] {
        assert!(matches!(e, StoreError::NotFound(_)), "{e}");
    }
    assert!(s.all_permits(&other).await.expect("none").is_empty());
    // Each change has its audit entry with before and after.
    let log = s.audit_log(&owner).await.expect("log");
    for entity in ["household", "permit", "contract"] {
        let e = log
            .iter()
            .find(|e| e.action == "update" && e.entity == entity)
            .unwrap_or_else(|| panic!("no update of a {entity}"));
        assert!(e.before.is_some() && e.after.is_some());
    }
}
both!(
    changes_to_households_permits_and_contracts,
    households_permits_and_contracts_are_changed_with_an_audit_entry
);

async fn an_import_creates_everything_or_nothing(s: Store) {
    let (_, owner) = s
        .create_organisation("Acme", "o@acme.example", "correct horse battery")
        .await
        .expect("org");
    let person = |key: &str, birth: &str| ImportPerson {
        key: key.into(),
        person: PersonInput {
            name: key.into(),
            birth_date: Some(birth.into()),
            nationality: Some("IN".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let mut anna = person("Anna", "1994-08-20");
    anna.permit = Some(ImportPermit {
        kind: "highly_skilled_migrant".into(),
        valid_from: "2023-10-15".into(),
        valid_until: Some("2026-08-31".into()),
        sponsor: None,
    });
    anna.contract = Some(ContractInput {
        gross_monthly_salary_cents: Some(520_000),
        start_date: Some("2023-10-01".into()),
        ..Default::default()
    });
    let mut ben = person("Ben", "1992-02-11");
    ben.permit = Some(ImportPermit {
        kind: "family_member".into(),
        valid_from: "2023-10-15".into(),
        valid_until: Some("2026-08-31".into()),
        sponsor: Some("Anna".into()),
    });
    let good = ImportHousehold {
        name: Some("Sharma".into()),
        people: vec![anna, ben, person("Cleo", "2020-04-02")],
        partners: vec![ImportPartners {
            a: "Anna".into(),
            b: "Ben".into(),
            ..Default::default()
        }],
        children: vec![("Anna".into(), "Cleo".into())],
    };
    let alone = ImportHousehold {
        name: None,
        people: vec![person("Dev", "1990-01-01")],
        ..Default::default()
    };
    // A bad record anywhere: nothing is created, and the error says where.
    let mut bad = good.clone();
    bad.name = Some("Bad".into());
    bad.people[1].person.nationality = Some("india".into());
    let e = s
        .import(&owner, vec![good.clone(), bad])
        .await
        .expect_err("refused");
    assert!(
        matches!(e, StoreError::Invalid { ref field, ref message, ref nl } if field == "nationality" && message.contains("Bad") && message.contains("Ben") && nl.contains("persoon \"Ben\"")),
        "{e}"
    );
    let mut dangling = good.clone();
    dangling.children = vec![("Anna".into(), "Zed".into())];
    assert!(s.import(&owner, vec![dangling]).await.is_err());
    assert!(s.households(&owner).await.expect("h").is_empty());
    assert!(s.people(&owner, None).await.expect("p").is_empty());
    let sum = s.import(&owner, vec![good, alone]).await.expect("import");
    assert_eq!(
        sum,
        ImportSummary {
            households: 1,
            people: 4,
            permits: 2,
            contracts: 1,
            relationships: 2
        }
    );
    let h = &s.households(&owner).await.expect("h")[0];
    assert_eq!(h.name, "Sharma");
    assert_eq!(
        s.household_members(&owner, &h.id).await.expect("m").len(),
        3
    );
    // The imported household is a case the rules assess.
    let case = s
        .household_case(&owner, &h.id, "2025-06-01")
        .await
        .expect("case");
    let case = verblijf_rules::parse_case(&case.to_string(), verblijf_rules::Format::Json)
        .expect("valid case");
    assert_eq!(case.members().len(), 3);
    assert_eq!(case.relationships.len(), 2);
    let viewer = s
        .add_user(&owner, "v@acme.example", "viewer password 1", Role::Viewer)
        .await
        .expect("viewer");
    assert!(matches!(
        s.import(&viewer, vec![]).await.expect_err("refused"),
        StoreError::Forbidden(_)
    ));
}
both!(import, an_import_creates_everything_or_nothing);

/// Anna (highly skilled migrant until 2026-08-31) and her partner Ben (family permit until 2028-10-14, so his right
/// to work ends with hers); returns the owner, Anna's and Ben's ids.
async fn sharma(s: &Store, email: &str) -> (Actor, String, String) {
    let (_, owner) = s
        .create_organisation("Acme", email, "correct horse battery")
        .await
        .expect("org");
    let h = s.create_household(&owner, "Sharma").await.expect("h");
    let (anna, ben) = couple(s, &owner, &h.id, "Anna Sharma", "Ben Sharma").await;
    (owner, anna, ben)
}

async fn couple(
    s: &Store,
    owner: &Actor,
    household: &str,
    sponsor: &str,
    partner: &str,
) -> (String, String) {
    let add = |name: &str, birth: &str| PersonInput {
        household_id: Some(household.into()),
        name: name.into(),
        birth_date: Some(birth.into()),
        nationality: Some("IN".into()),
        ..Default::default()
    };
    let a = s
        .add_person(owner, add(sponsor, "1994-08-20"))
        .await
        .expect("a");
    let b = s
        .add_person(owner, add(partner, "1992-02-11"))
        .await
        .expect("b");
    s.add_permit(
        owner,
        PermitInput {
            person_id: a.id.clone(),
            kind: "highly_skilled_migrant".into(),
            valid_from: "2023-09-01".into(),
            valid_until: Some("2026-08-31".into()),
            ..Default::default()
        },
    )
    .await
    .expect("permit");
    s.add_permit(
        owner,
        PermitInput {
            person_id: b.id.clone(),
            kind: "family_member".into(),
            valid_from: "2023-10-15".into(),
            valid_until: Some("2028-10-14".into()),
            sponsor_person_id: Some(a.id.clone()),
            ..Default::default()
        },
    )
    .await
    .expect("permit");
    s.add_relationship(
        owner,
        "partner",
        &a.id,
        &b.id,
        Some("married"),
        Some("2018-05-05".into()),
        None,
    )
    .await
    .expect("rel");
    (a.id, b.id)
}

fn consent() -> ConsentInput {
    ConsentInput {
        text: "I agree that Acme may see my career profile and my right to work, until I withdraw."
            .into(),
        version: "careers-2025-06".into(),
        given_at: Some("2025-05-30".into()),
    }
}

fn profile() -> CareerProfileInput {
    CareerProfileInput {
        skills: vec!["Data analysis".into(), "Haskell".into()],
        languages: vec!["en".into(), "nl (A2)".into()],
        education_level: Some("master".into()),
        education_field: Some("Econometrics".into()),
        available_from: Some("2025-07-01".into()),
        hours_per_week: Some(32),
        note: Some("Prefers Utrecht".into()),
    }
}

fn date(d: &str) -> chrono::NaiveDate {
    d.parse().expect("date")
}

async fn partners_who_opt_in_are_seen_and_no_one_else(s: Store) {
    let params = verblijf_rules::ParamSet::embedded().expect("params");
    let (owner, anna, ben) = sharma(&s, "o@acme.example").await;
    // A second couple whose partner does not opt in.
    let h2 = s.create_household(&owner, "Okafor").await.expect("h2");
    let (zed, yara) = couple(&s, &owner, &h2.id, "Zed Okafor", "Yara Hidden").await;
    let career = s
        .give_career_consent(&owner, &ben, consent(), profile())
        .await
        .expect("opt in");
    assert!(career.active);
    assert_eq!(career.consents.len(), 1);
    assert_eq!(career.consents[0].recorded_by, owner.user_id);
    assert_eq!(career.consents[0].given_at, "2025-05-30");
    let list = s
        .career_candidates(&owner, &params, date("2025-06-01"))
        .await
        .expect("candidates");
    assert_eq!(list.len(), 1);
    let c = &list[0];
    assert_eq!(
        (c.person_id.as_str(), c.name.as_str()),
        (ben.as_str(), "Ben Sharma")
    );
    assert_eq!(c.profile.skills, vec!["Data analysis", "Haskell"]);
    let w = c.work_rights.as_ref().expect("work rights");
    assert_eq!(w.status, verblijf_rules::WorkStatus::Free);
    assert_eq!(w.until, Some(date("2026-08-31")), "ends with Anna's permit");
    let report = s
        .career_report(&owner, &params, date("2025-06-01"))
        .await
        .expect("report");
    assert_eq!((report.candidates, report.may_work_freely), (1, 1));
    assert_eq!(report.by_status.get("free"), Some(&1));
    assert_eq!(report.free[0].person_id, ben);
    assert_eq!(report.free[0].until, Some(date("2026-08-31")));
    // Nothing about the partner who did not opt in, nor about the sponsors.
    let shown = format!(
        "{}{}",
        serde_json::to_string(&list).expect("json"),
        serde_json::to_string(&report).expect("json")
    );
    for hidden in [
        yara.as_str(),
        "Yara",
        zed.as_str(),
        "Okafor",
        anna.as_str(),
        "Anna",
    ] {
        assert!(!shown.contains(hidden), "{hidden} shown: {shown}");
    }
    assert!(!s.career(&owner, &yara).await.expect("career").active);
    // After Anna's permit ends, Ben's family permit ends with it.
    let later = s
        .career_report(&owner, &params, date("2026-09-01"))
        .await
        .expect("report");
    assert_eq!((later.candidates, later.may_work_freely), (1, 0));
    assert_eq!(later.by_status.get("not_allowed"), Some(&1));
    // Only partners may opt in, once at a time: not the sponsor, not a child on a family permit.
    let anna_household = s.person(&owner, &anna).await.expect("anna").household_id;
    let child = s
        .add_person(
            &owner,
            PersonInput {
                household_id: anna_household,
                name: "Cleo Sharma".into(),
                birth_date: Some("2020-04-02".into()),
                nationality: Some("IN".into()),
                ..Default::default()
            },
        )
        .await
        .expect("child");
    s.add_permit(
        &owner,
        PermitInput {
            person_id: child.id.clone(),
            kind: "family_member".into(),
            valid_from: "2023-10-15".into(),
            valid_until: Some("2026-08-31".into()),
            sponsor_person_id: Some(anna.clone()),
            ..Default::default()
        },
    )
    .await
    .expect("child permit");
    s.add_relationship(&owner, "child", &anna, &child.id, None, None, None)
        .await
        .expect("parent");
    assert!(matches!(
        s.give_career_consent(&owner, &child.id, consent(), profile())
            .await
            .expect_err("refused"),
        StoreError::Invalid { ref field, .. } if field == "person_id"
    ));
    let e = s
        .give_career_consent(&owner, &anna, consent(), profile())
        .await
        .expect_err("refused");
    assert!(
        matches!(e, StoreError::Invalid { ref field, .. } if field == "person_id"),
        "{e}"
    );
    let loner = s
        .add_person(
            &owner,
            PersonInput {
                name: "No Household".into(),
                ..Default::default()
            },
        )
        .await
        .expect("p");
    assert!(matches!(
        s.give_career_consent(&owner, &loner.id, consent(), profile())
            .await
            .expect_err("refused"),
        StoreError::Invalid { .. }
    ));
    assert!(matches!(
        s.give_career_consent(&owner, &ben, consent(), profile())
            .await
            .expect_err("refused"),
        StoreError::Conflict(_)
    ));
    // The profile changes; the audit log names the fields, not the values.
    let mut p = profile();
    p.skills = vec!["Data analysis".into(), "Rust".into()];
    let changed = s
        .update_career_profile(&owner, &ben, p)
        .await
        .expect("update");
    assert_eq!(
        changed.profile.expect("profile").skills,
        vec!["Data analysis", "Rust"]
    );
    let log = s.audit_log(&owner).await.expect("log");
    let update = log
        .iter()
        .rev()
        .find(|e| e.entity == "career" && e.action == "update")
        .expect("entry");
    assert_eq!(
        update.after.as_ref().expect("after")["changed"],
        json!(["skills"])
    );
    // Withdrawal hides the partner and deletes the profile; the consent stays as history.
    let after = s
        .withdraw_career_consent(&owner, &ben)
        .await
        .expect("withdraw");
    assert!(!after.active);
    assert!(after.profile.is_none());
    assert_eq!(after.consents.len(), 1);
    assert!(after.consents[0].withdrawn_at.is_some());
    assert_eq!(
        after.consents[0].withdrawn_by.as_deref(),
        Some(owner.user_id.as_str())
    );
    assert!(s
        .career_candidates(&owner, &params, date("2025-06-01"))
        .await
        .expect("list")
        .is_empty());
    let report = s
        .career_report(&owner, &params, date("2025-06-01"))
        .await
        .expect("report");
    assert_eq!((report.candidates, report.may_work_freely), (0, 0));
    assert!(report.by_status.is_empty());
    let log_text = serde_json::to_string(&s.audit_log(&owner).await.expect("log")).expect("json");
    for secret in ["Haskell", "Rust", "Econometrics", "Utrecht", "nl (A2)"] {
        assert!(!log_text.contains(secret), "{secret} in the audit log");
    }
    assert!(log_text.contains("\"withdraw\""));
    assert!(matches!(
        s.withdraw_career_consent(&owner, &ben)
            .await
            .expect_err("refused"),
        StoreError::Conflict(_)
    ));
    assert!(matches!(
        s.update_career_profile(&owner, &ben, profile())
            .await
            .expect_err("refused"),
        StoreError::Conflict(_)
    ));
    // Opting in again is a new consent.
    let again = s
        .give_career_consent(&owner, &ben, consent(), profile())
        .await
        .expect("again");
    assert_eq!(again.consents.len(), 2);
    assert!(again.active);
}
both!(
    careers_visibility,
    partners_who_opt_in_are_seen_and_no_one_else
);

async fn careers_refuse_another_organisation_and_a_viewer(s: Store) {
    let params = verblijf_rules::ParamSet::embedded().expect("params");
    let (owner, _, ben) = sharma(&s, "o@acme.example").await;
    let (_, other) = s
        .create_organisation("Other", "o@other.example", "correct horse battery")
        .await
        .expect("other");
    let viewer = s
        .add_user(&owner, "v@acme.example", "viewer password 1", Role::Viewer)
        .await
        .expect("viewer");
    let adviser = s
        .add_user(&owner, "a@acme.example", "adviser password", Role::Adviser)
        .await
        .expect("adviser");
    // Another organisation: not found, and its lists are empty.
    for e in [
        s.give_career_consent(&other, &ben, consent(), profile())
            .await
            .expect_err("refused"),
        s.career(&other, &ben).await.expect_err("refused"),
    ] {
        assert!(matches!(e, StoreError::NotFound(_)), "{e}");
    }
    // An adviser records consent on the partner's behalf.
    s.give_career_consent(&adviser, &ben, consent(), profile())
        .await
        .expect("adviser records consent");
    for e in [
        s.update_career_profile(&other, &ben, profile())
            .await
            .expect_err("refused"),
        s.withdraw_career_consent(&other, &ben)
            .await
            .expect_err("refused"),
        s.career(&other, &ben).await.expect_err("refused"),
    ] {
        assert!(matches!(e, StoreError::NotFound(_)), "{e}");
    }
    assert!(s
        .career_candidates(&other, &params, date("2025-06-01"))
        .await
        .expect("list")
        .is_empty());
    assert_eq!(
        s.career_report(&other, &params, date("2025-06-01"))
            .await
            .expect("report")
            .candidates,
        0
    );
    // A viewer reads but does not write.
    assert_eq!(
        s.career_candidates(&viewer, &params, date("2025-06-01"))
            .await
            .expect("viewer reads")
            .len(),
        1
    );
    assert!(s.career(&viewer, &ben).await.expect("reads").active);
    for e in [
        s.update_career_profile(&viewer, &ben, profile())
            .await
            .expect_err("refused"),
        s.withdraw_career_consent(&viewer, &ben)
            .await
            .expect_err("refused"),
        s.give_career_consent(&viewer, &ben, consent(), profile())
            .await
            .expect_err("refused"),
    ] {
        assert!(matches!(e, StoreError::Forbidden(_)), "{e}");
    }
    assert!(s.career(&owner, &ben).await.expect("still").active);
}
both!(
    careers_authorisation,
    careers_refuse_another_organisation_and_a_viewer
);

async fn careers_validate_and_name_the_field(s: Store) {
    let (owner, _, ben) = sharma(&s, "o@acme.example").await;
    let field = |e: StoreError| match e {
        StoreError::Invalid { field, .. } => field,
        other => panic!("expected an invalid field, got {other}"),
    };
    let cases: Vec<(ConsentInput, CareerProfileInput, &str)> = vec![
        (
            ConsentInput {
                text: " ".into(),
                ..consent()
            },
            profile(),
            "consent.text",
        ),
        (
            ConsentInput {
                version: "".into(),
                ..consent()
            },
            profile(),
            "consent.version",
        ),
        (
            ConsentInput {
                given_at: Some("2999-01-01".into()),
                ..consent()
            },
            profile(),
            "consent.given_at",
        ),
        (
            ConsentInput {
                given_at: Some("yesterday".into()),
                ..consent()
            },
            profile(),
            "consent.given_at",
        ),
        (
            consent(),
            CareerProfileInput {
                education_level: Some("guru".into()),
                ..profile()
            },
            "education_level",
        ),
        (
            consent(),
            CareerProfileInput {
                hours_per_week: Some(0),
                ..profile()
            },
            "hours_per_week",
        ),
        (
            consent(),
            CareerProfileInput {
                available_from: Some("2025-13-01".into()),
                ..profile()
            },
            "available_from",
        ),
        (
            consent(),
            CareerProfileInput {
                skills: vec!["SQL".into(), "".into()],
                ..profile()
            },
            "skills[1]",
        ),
        (
            consent(),
            CareerProfileInput {
                note: Some("x".repeat(1001)),
                ..profile()
            },
            "note",
        ),
    ];
    for (c, p, expected) in cases {
        assert_eq!(
            field(
                s.give_career_consent(&owner, &ben, c, p)
                    .await
                    .expect_err("refused")
            ),
            expected
        );
    }
    assert!(
        !s.career(&owner, &ben).await.expect("career").active,
        "nothing was kept"
    );
}
both!(careers_validation, careers_validate_and_name_the_field);

async fn export_holds_the_consent_history_and_erasure_removes_it(s: Store) {
    let params = verblijf_rules::ParamSet::embedded().expect("params");
    let (owner, _, ben) = sharma(&s, "o@acme.example").await;
    s.give_career_consent(&owner, &ben, consent(), profile())
        .await
        .expect("opt in");
    s.withdraw_career_consent(&owner, &ben)
        .await
        .expect("withdraw");
    s.give_career_consent(
        &owner,
        &ben,
        ConsentInput {
            version: "careers-2025-09".into(),
            given_at: None,
            ..consent()
        },
        profile(),
    )
    .await
    .expect("again");
    let export = s.export_person(&owner, &ben).await.expect("export");
    let consents = export["career"]["consents"].as_array().expect("consents");
    assert_eq!(consents.len(), 2);
    assert_eq!(consents[0]["version"], "careers-2025-06");
    assert!(consents[0]["withdrawn_at"].is_string());
    assert_eq!(consents[1]["version"], "careers-2025-09");
    assert!(consents[1]["withdrawn_at"].is_null());
    assert_eq!(export["career"]["profile"]["skills"][1], "Haskell");
    s.erase_person(&owner, &ben).await.expect("erase");
    let after = s.export_person(&owner, &ben).await.expect("export");
    assert_eq!(after["career"]["consents"], json!([]));
    assert!(after["career"]["profile"].is_null());
    let text = after.to_string();
    for secret in ["Haskell", "Econometrics", "careers-2025", "Utrecht"] {
        assert!(!text.contains(secret), "{secret} survived: {text}");
    }
    assert!(s
        .career_candidates(&owner, &params, date("2025-06-01"))
        .await
        .expect("list")
        .is_empty());
    let log = s.audit_log(&owner).await.expect("log");
    assert!(log
        .iter()
        .filter(|e| e.entity == "career")
        .all(|e| e.before.is_none() && e.after.is_none()));
}
both!(
    careers_privacy,
    export_holds_the_consent_history_and_erasure_removes_it
);

async fn warning_periods_are_set_per_organisation_and_used_by_alerts(s: Store) {
    let params = verblijf_rules::ParamSet::embedded().expect("params");
    let (owner, _, ben) = sharma(&s, "o@acme.example").await;
    let (_, other) = s
        .create_organisation("Other", "o@other.example", "correct horse battery")
        .await
        .expect("other");
    let adviser = s
        .add_user(&owner, "a@acme.example", "adviser password", Role::Adviser)
        .await
        .expect("adviser");
    let defaults = s.settings(&owner).await.expect("settings");
    assert_eq!(defaults, OrganisationSettings::default());
    let ben_ends = |list: &[Alert]| {
        list.iter()
            .find(|a| a.person_id == ben && a.kind == "ends_with_sponsor")
            .cloned()
            .expect("Ben's permit ends with Anna's")
    };
    let before = s
        .alerts(&owner, &params, date("2025-06-01"))
        .await
        .expect("alerts");
    let a = ben_ends(&before);
    assert_eq!(a.date, date("2026-08-31"));
    assert_eq!(a.warn_from, date("2026-06-02"), "90 days by default");
    assert!(!a.due);
    assert!(
        ben_ends(
            &s.alerts(&owner, &params, date("2026-07-01"))
                .await
                .expect("alerts")
        )
        .due
    );
    // Only an owner changes the settings; values are checked.
    let mut w = WarningDays {
        dependant_permit_end: 500,
        ..WarningDays::default()
    };
    assert!(matches!(
        s.update_settings(&adviser, OrganisationSettings { warning_days: w })
            .await
            .expect_err("refused"),
        StoreError::Forbidden(_)
    ));
    w.contract_end = 731;
    let e = s
        .update_settings(&owner, OrganisationSettings { warning_days: w })
        .await
        .expect_err("refused");
    assert!(
        matches!(e, StoreError::Invalid { ref field, .. } if field == "warning_days.contract_end"),
        "{e}"
    );
    w.contract_end = 60;
    s.update_settings(&owner, OrganisationSettings { warning_days: w })
        .await
        .expect("owner");
    assert_eq!(
        s.settings(&adviser)
            .await
            .expect("read")
            .warning_days
            .dependant_permit_end,
        500
    );
    assert_eq!(
        s.settings(&other).await.expect("other"),
        OrganisationSettings::default()
    );
    let after = s
        .alerts(&owner, &params, date("2025-06-01"))
        .await
        .expect("alerts");
    let a = ben_ends(&after);
    assert_eq!(a.warn_from, date("2025-04-18"));
    assert!(a.due, "the warning started 500 days ahead");
    // The alerts themselves are the same list: settings only move the warnings.
    let key = |l: &[Alert]| -> Vec<(chrono::NaiveDate, String, &'static str)> {
        l.iter()
            .map(|a| (a.date, a.person_id.clone(), a.kind))
            .collect()
    };
    assert_eq!(key(&before), key(&after));
    let log = s.audit_log(&owner).await.expect("log");
    let entry = log
        .iter()
        .rev()
        .find(|e| e.entity == "settings")
        .expect("entry");
    assert_eq!(
        entry.before.as_ref().expect("before")["warning_days"]["dependant_permit_end"],
        90
    );
    assert_eq!(
        entry.after.as_ref().expect("after")["warning_days"]["dependant_permit_end"],
        500
    );
    // From JSON: fields left out take defaults; the field at fault is named.
    let parsed = OrganisationSettings::from_json(&json!({ "warning_days": { "permit_end": 120 } }))
        .expect("parse");
    assert_eq!(parsed.warning_days.permit_end, 120);
    assert_eq!(parsed.warning_days.contract_end, 60);
    for (body, expected) in [
        (
            json!({ "warning_days": { "permit_end": -1 } }),
            "warning_days.permit_end",
        ),
        (
            json!({ "warning_days": { "contract_end": 1.5 } }),
            "warning_days.contract_end",
        ),
        (
            json!({ "warning_days": { "birthday": 3 } }),
            "warning_days.birthday",
        ),
        (json!({ "warn": {} }), "warn"),
    ] {
        let e = s
            .update_settings_json(&owner, &body)
            .await
            .expect_err("refused");
        assert!(
            matches!(e, StoreError::Invalid { ref field, .. } if field == expected),
            "{body}: {e}"
        );
    }
    assert!(matches!(
        s.update_settings_json(&adviser, &json!({ "warn": {} }))
            .await
            .expect_err("refused"),
        StoreError::Forbidden(_)
    ));
}
both!(
    alert_settings,
    warning_periods_are_set_per_organisation_and_used_by_alerts
);

async fn a_search_matches_percent_and_underscore_as_typed(s: Store) {
    let (_, owner) = s
        .create_organisation("Acme", "o@acme.example", "correct horse battery")
        .await
        .expect("org");
    for name in ["100% Jansen", "A_B de Vries", "Anna Bakker", "Back\\slash"] {
        s.add_person(
            &owner,
            PersonInput {
                name: name.into(),
                ..Default::default()
            },
        )
        .await
        .expect(name);
    }
    let names = |v: Vec<PersonRecord>| v.into_iter().map(|p| p.name).collect::<Vec<_>>();
    let find = |q: &'static str| {
        let s = s.clone();
        let owner = owner.clone();
        async move { names(s.people(&owner, Some(q)).await.expect("search")) }
    };
    assert_eq!(find("%").await, vec!["100% Jansen"]);
    assert_eq!(find("0%").await, vec!["100% Jansen"]);
    assert_eq!(find("_").await, vec!["A_B de Vries"]);
    assert_eq!(find("a_b").await, vec!["A_B de Vries"]);
    assert_eq!(find("\\").await, vec!["Back\\slash"]);
    assert!(find("a%b").await.is_empty());
    assert_eq!(find("").await.len(), 4);
    assert_eq!(find("bak").await, vec!["Anna Bakker"]);
}
both!(search, a_search_matches_percent_and_underscore_as_typed);

async fn a_household_case_holds_its_own_members_records_only(s: Store) {
    let (owner, anna, ben) = sharma(&s, "o@acme.example").await;
    let other = s.create_household(&owner, "Okafor").await.expect("h2");
    let (chidi, dayo) = couple(&s, &owner, &other.id, "Chidi Okafor", "Dayo Okafor").await;
    // A child of Anna's who lives elsewhere: the link is not part of either household's case.
    let away = s
        .add_person(
            &owner,
            PersonInput {
                household_id: Some(other.id.clone()),
                name: "Esi".into(),
                birth_date: Some("2015-01-01".into()),
                ..Default::default()
            },
        )
        .await
        .expect("esi");
    s.add_relationship(&owner, "child", &anna, &away.id, None, None, None)
        .await
        .expect("link");
    s.add_contract(
        &owner,
        &anna,
        Some("Old".into()),
        Some(400_000),
        Some("2023-09-01".into()),
        Some("2024-08-31".into()),
    )
    .await
    .expect("old contract");
    s.add_contract(
        &owner,
        &anna,
        Some("New".into()),
        Some(560_050),
        Some("2024-09-01".into()),
        None,
    )
    .await
    .expect("new contract");
    let sharma_id = s
        .person(&owner, &anna)
        .await
        .expect("anna")
        .household_id
        .expect("household");
    let case = s
        .household_case(&owner, &sharma_id, "2025-06-01")
        .await
        .expect("case");
    let text = case.to_string();
    for stranger in [&chidi, &dayo, &away.id] {
        assert!(!text.contains(stranger.as_str()), "{stranger} in {text}");
    }
    assert_eq!(case["people"].as_array().map(Vec::len), Some(2));
    assert_eq!(case["relationships"].as_array().map(Vec::len), Some(1));
    assert_eq!(case["relationships"][0]["partners"], json!([anna, ben]));
    let anna_case = &case["people"][0];
    assert_eq!(anna_case["id"], json!(anna));
    assert_eq!(anna_case["job_offer"]["employer"], "New");
    assert_eq!(anna_case["job_offer"]["gross_monthly_salary"], "5600.50");
    assert_eq!(anna_case["job_offer"]["contract_end"], "indefinite");
    assert_eq!(case["people"][1]["permits"][0]["sponsor"], json!(anna));
    let links = s.relationships(&owner, &sharma_id).await.expect("links");
    assert_eq!(links.len(), 1);
    assert_eq!(
        s.relationships(&owner, &other.id)
            .await
            .expect("links")
            .len(),
        1
    );
    verblijf_rules::parse_case(&case.to_string(), verblijf_rules::Format::Json)
        .expect("valid case");
    let okafor = s
        .household_case(&owner, &other.id, "2025-06-01")
        .await
        .expect("case");
    assert_eq!(okafor["people"].as_array().map(Vec::len), Some(3));
    assert!(!okafor.to_string().contains(anna.as_str()));
}
both!(
    household_case_scope,
    a_household_case_holds_its_own_members_records_only
);

/// Keeps an assessment of the household as the API does.
async fn keep_assessment(
    s: &Store,
    actor: &Actor,
    household: &str,
    date: &str,
) -> serde_json::Value {
    let params = verblijf_rules::ParamSet::embedded().expect("params");
    let case = s
        .household_case(actor, household, date)
        .await
        .expect("case");
    let case = verblijf_rules::parse_case(&case.to_string(), verblijf_rules::Format::Json)
        .expect("valid case");
    let h = verblijf_rules::assess_household(&case, &params);
    let result = serde_json::to_value(&h).expect("json");
    s.save_assessment(
        actor,
        household,
        date,
        h.receipt.engine,
        &h.receipt.params_hash,
        &result,
    )
    .await
    .expect("keep");
    result
}

async fn erasure_leaves_no_trace_in_any_table(s: Store) {
    let params = verblijf_rules::ParamSet::embedded().expect("params");
    let (_, owner) = s
        .create_organisation("Acme", "o@acme.example", "correct horse battery")
        .await
        .expect("org");
    let h = s.create_household(&owner, "Household 1").await.expect("h");
    let zq = s
        .add_person(
            &owner,
            PersonInput {
                household_id: Some(h.id.clone()),
                name: "Zephyrine Quarterfield".into(),
                bsn: Some("123456782".into()),
                birth_date: Some("1996-07-13".into()),
                nationality: Some("BR".into()),
            },
        )
        .await
        .expect("zq");
    let partner = s
        .add_person(
            &owner,
            PersonInput {
                household_id: Some(h.id.clone()),
                name: "Partner P".into(),
                birth_date: Some("1990-01-05".into()),
                nationality: Some("IN".into()),
                ..Default::default()
            },
        )
        .await
        .expect("partner");
    let child = s
        .add_person(
            &owner,
            PersonInput {
                household_id: Some(h.id.clone()),
                name: "Child C".into(),
                birth_date: Some("2021-02-02".into()),
                ..Default::default()
            },
        )
        .await
        .expect("child");
    s.add_permit(
        &owner,
        PermitInput {
            person_id: zq.id.clone(),
            kind: "highly_skilled_migrant".into(),
            document_number: Some("DOC-ZQ-77".into()),
            valid_from: "2024-02-03".into(),
            valid_until: Some("2027-02-02".into()),
            restriction_text: Some("Arbeid als kennismigrant bij Quarterfield Labs".into()),
            ..Default::default()
        },
    )
    .await
    .expect("permit");
    let family = s
        .add_permit(
            &owner,
            PermitInput {
                person_id: partner.id.clone(),
                kind: "family_member".into(),
                valid_from: "2024-03-01".into(),
                valid_until: Some("2027-02-02".into()),
                sponsor_person_id: Some(zq.id.clone()),
                ..Default::default()
            },
        )
        .await
        .expect("family permit");
    let contract = s
        .add_contract(
            &owner,
            &zq.id,
            Some("Zephyr Employer B.V.".into()),
            Some(512_347),
            Some("2024-02-03".into()),
            None,
        )
        .await
        .expect("contract");
    s.update_contract(
        &owner,
        &contract.id,
        ContractInput {
            employer: Some("Zephyr Employer B.V.".into()),
            gross_monthly_salary_cents: Some(512_347),
            start_date: Some("2024-02-03".into()),
            end_date: Some("2028-02-02".into()),
        },
    )
    .await
    .expect("contract change");
    s.add_relationship(
        &owner,
        "partner",
        &zq.id,
        &partner.id,
        Some("married"),
        Some("2019-04-04".into()),
        None,
    )
    .await
    .expect("partners");
    s.add_relationship(&owner, "child", &zq.id, &child.id, None, None, None)
        .await
        .expect("child");
    s.give_career_consent(&owner, &partner.id, consent(), profile())
        .await
        .expect("partner opts in");
    s.update_person(
        &owner,
        &zq.id,
        PersonInput {
            household_id: Some(h.id.clone()),
            name: "Zephyrine Q. Quarterfield".into(),
            bsn: Some("123456782".into()),
            birth_date: Some("1996-07-13".into()),
            nationality: Some("BR".into()),
        },
    )
    .await
    .expect("rename");
    // Two snapshots of her household, and one of another household that never mentions her.
    let first = keep_assessment(&s, &owner, &h.id, "2025-06-01").await;
    keep_assessment(&s, &owner, &h.id, "2025-09-01").await;
    let other = s.create_household(&owner, "Household 2").await.expect("h2");
    s.add_person(
        &owner,
        PersonInput {
            household_id: Some(other.id.clone()),
            name: "Someone Else".into(),
            birth_date: Some("1985-05-05".into()),
            ..Default::default()
        },
    )
    .await
    .expect("someone");
    keep_assessment(&s, &owner, &other.id, "2025-06-01").await;
    // The snapshots hold her id, her 30th birthday and her salary, and the export shows her part of them.
    let snapshot = first.to_string();
    assert!(snapshot.contains(zq.id.as_str()), "{snapshot}");
    assert!(
        snapshot.contains("2026-07-13"),
        "30th birthday in the snapshot: {snapshot}"
    );
    let export = s.export_person(&owner, &zq.id).await.expect("export");
    let kept = export["assessments"].as_array().expect("assessments");
    assert_eq!(kept.len(), 2, "{export}");
    assert_eq!(kept[0]["household_id"], json!(h.id));
    assert_eq!(kept[0]["reference_date"], "2025-06-01");
    assert_eq!(kept[0]["member"]["id"], json!(zq.id));
    assert!(
        s.export_person(&owner, &other.id).await.is_err(),
        "a household id is not a person"
    );
    // Every trace of her, before: present; after: gone, but for the tombstone's id and the audit log's entity ids.
    let secrets = [
        "Zephyrine",
        "Quarterfield",
        "123456782",
        "1996-07-13",
        "2026-07-13",
        "DOC-ZQ-77",
        "Zephyr Employer",
        "512347",
        "5123.47",
        "2019-04-04",
        "2024-02-03",
    ];
    let before = dump(&s).await;
    for secret in [
        "Zephyrine",
        "123456782",
        "1996-07-13",
        "2026-07-13",
        "DOC-ZQ-77",
    ] {
        assert!(
            before.iter().any(|(_, _, v)| v.contains(secret)),
            "{secret} is not in the database before erasure"
        );
    }
    s.erase_person(&owner, &zq.id).await.expect("erase");
    let after = dump(&s).await;
    for (table, column, value) in &after {
        for secret in secrets {
            assert!(
                !value.contains(secret),
                "{secret} survived erasure in {table}.{column}: {value}"
            );
        }
        if value.contains(zq.id.as_str()) {
            assert!(
                matches!(
                    (table.as_str(), column.as_str()),
                    ("people", "id") | ("audit_log", "entity_id")
                ) && value == &zq.id,
                "her id survived erasure in {table}.{column}: {value}"
            );
        }
    }
    // The snapshots that mentioned her are gone, the other household's is kept; the audit log says so.
    assert!(s
        .assessments(&owner, &h.id)
        .await
        .expect("snaps")
        .is_empty());
    assert_eq!(
        s.assessments(&owner, &other.id).await.expect("snaps").len(),
        1
    );
    let log = s.audit_log(&owner).await.expect("log");
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "delete" && e.entity == "assessment")
            .count(),
        2
    );
    let last = log.last().expect("entries");
    assert_eq!(
        (
            last.action.as_str(),
            last.entity.as_str(),
            last.entity_id.as_str()
        ),
        ("erase", "person", zq.id.as_str())
    );
    assert!(log.windows(2).all(|w| w[1].seq == w[0].seq + 1));
    // The export of the erased person holds nothing; her household still assesses, without her.
    let gone = s.export_person(&owner, &zq.id).await.expect("export after");
    assert_eq!(gone["assessments"], json!([]));
    assert_eq!(gone["permits"], json!([]));
    assert_eq!(gone["contracts"], json!([]));
    assert_eq!(
        s.permit(&owner, &family.id)
            .await
            .expect("family permit")
            .sponsor_person_id,
        None
    );
    let again = keep_assessment(&s, &owner, &h.id, "2025-06-01").await;
    assert_eq!(again["members"].as_array().map(Vec::len), Some(2));
    s.alerts(&owner, &params, date("2025-06-01"))
        .await
        .expect("alerts still work");
    // The partner's own records stay.
    assert_eq!(
        s.person(&owner, &partner.id).await.expect("partner").name,
        "Partner P"
    );
    assert!(s.career(&owner, &partner.id).await.expect("career").active);
}
both!(erasure_everywhere, erasure_leaves_no_trace_in_any_table);

async fn a_partnership_that_ended_is_recorded_and_a_mistaken_link_removed(s: Store) {
    let (owner, anna, ben) = sharma(&s, "o@acme.example").await;
    let household = s
        .person(&owner, &anna)
        .await
        .expect("anna")
        .household_id
        .expect("household");
    let links = s.relationships(&owner, &household).await.expect("links");
    let link = links
        .iter()
        .find(|r| r.kind == "partner")
        .expect("partner link")
        .clone();
    // The partnership ends: the link keeps its record with the day it ended, and the audit log has before and after.
    let ended = s
        .update_relationship(
            &owner,
            &link.id,
            Some("married".into()),
            Some("2018-05-05".into()),
            Some("2025-03-01".into()),
        )
        .await
        .expect("end");
    assert_eq!(ended.until.as_deref(), Some("2025-03-01"));
    assert_eq!(
        (ended.person_a.as_str(), ended.person_b.as_str()),
        (link.person_a.as_str(), link.person_b.as_str())
    );
    let last = s
        .audit_log(&owner)
        .await
        .expect("audit")
        .pop()
        .expect("entry");
    assert_eq!(
        (last.action.as_str(), last.entity.as_str()),
        ("update", "relationship")
    );
    assert_eq!(
        last.before.expect("before")["until"],
        serde_json::Value::Null
    );
    assert_eq!(last.after.expect("after")["until"], "2025-03-01");
    // The rules read the end: Ben's family permit no longer rests on the relationship.
    let case = s
        .household_case(&owner, &household, "2025-06-01")
        .await
        .expect("case");
    let case =
        verblijf_rules::parse_case(&case.to_string(), verblijf_rules::Format::Json).expect("parse");
    let params = verblijf_rules::ParamSet::embedded().expect("params");
    let ben_person = case
        .members()
        .into_iter()
        .find(|p| p.id.as_deref() == Some(ben.as_str()))
        .expect("ben");
    let d = verblijf_rules::household::decide_family_member(&params, &case, ben_person);
    let link_check = d.check("FAM-LINK").expect("FAM-LINK");
    assert_eq!(link_check.variant, "relationship_ended", "{d:?}");
    // Terms the link cannot have are refused, naming the field.
    for (form, from, until, field) in [
        (Some("polygamous"), None, None, "form"),
        (None, Some("2025-03-01"), Some("2025-01-01"), "until"),
        (None, Some("2025-13-01"), None, "from"),
    ] {
        let e = s
            .update_relationship(
                &owner,
                &link.id,
                form.map(Into::into),
                from.map(Into::into),
                until.map(Into::into),
            )
            .await
            .expect_err("refused");
        assert!(
            matches!(&e, StoreError::Invalid { field: f, .. } if f == field),
            "{e}"
        );
    }
    // A viewer cannot change or remove it; another organisation does not find it.
    let viewer = s
        .add_user(&owner, "v@acme.example", "viewer password 1", Role::Viewer)
        .await
        .expect("viewer");
    assert!(matches!(
        s.update_relationship(&viewer, &link.id, None, None, None)
            .await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        s.delete_relationship(&viewer, &link.id).await,
        Err(StoreError::Forbidden(_))
    ));
    let (_, other) = s
        .create_organisation("Other", "o@other.example", "correct horse battery")
        .await
        .expect("other");
    assert!(matches!(
        s.relationship(&other, &link.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.delete_relationship(&other, &link.id).await,
        Err(StoreError::NotFound(_))
    ));
    // A link recorded in error is removed, with its audit entry.
    s.delete_relationship(&owner, &link.id)
        .await
        .expect("remove");
    assert!(s
        .relationships(&owner, &household)
        .await
        .expect("links")
        .iter()
        .all(|r| r.id != link.id));
    let last = s
        .audit_log(&owner)
        .await
        .expect("audit")
        .pop()
        .expect("entry");
    assert_eq!(
        (last.action.as_str(), last.entity.as_str()),
        ("delete", "relationship")
    );
    assert!(matches!(
        s.relationship(&owner, &link.id).await,
        Err(StoreError::NotFound(_))
    ));
}
both!(
    relationship_changes,
    a_partnership_that_ended_is_recorded_and_a_mistaken_link_removed
);

async fn tokens_are_scoped_listed_and_revoked(s: Store) {
    let (_, owner) = s
        .create_organisation("Acme", "o@tokens.example", "correct horse battery")
        .await
        .expect("org");
    let api = s.create_token(&owner).await.expect("token");
    let (_, feed) = s.create_feed_token(&owner).await.expect("feed");
    assert_eq!(s.authenticate_token(&api).await.expect("api"), owner);
    // A feed token opens only the feed, and only as a viewer; an API token does not open the feed.
    assert_eq!(
        s.authenticate_token(&feed).await.expect_err("refused"),
        StoreError::Unauthenticated
    );
    assert_eq!(
        s.authenticate_feed_token(&feed).await.expect("feed").role,
        Role::Viewer
    );
    assert_eq!(
        s.authenticate_feed_token(&api).await.expect_err("refused"),
        StoreError::Unauthenticated
    );
    let (info, named) = s
        .create_named_token(&owner, "sync", 7)
        .await
        .expect("named");
    let viewer = s
        .add_user(
            &owner,
            "v@tokens.example",
            "viewer password 1",
            Role::Viewer,
        )
        .await
        .expect("viewer");
    let (viewer_info, _) = s
        .create_named_token(&viewer, "mine", 1)
        .await
        .expect("viewer's");
    // The owner lists every token of the organisation, a viewer only their own; a viewer cannot revoke the owner's.
    assert_eq!(s.tokens(&owner).await.expect("list").len(), 4);
    assert_eq!(s.tokens(&viewer).await.expect("list").len(), 1);
    assert!(matches!(
        s.revoke_token(&viewer, &info.id)
            .await
            .expect_err("refused"),
        StoreError::NotFound(_)
    ));
    s.revoke_token(&owner, &viewer_info.id)
        .await
        .expect("owner revokes");
    s.revoke_token(&owner, &info.id).await.expect("revoke");
    assert_eq!(
        s.authenticate_token(&named).await.expect_err("refused"),
        StoreError::Unauthenticated
    );
    assert!(s
        .tokens(&owner)
        .await
        .expect("list")
        .iter()
        .any(|t| t.id == info.id && t.revoked_at.is_some()));
    assert!(matches!(
        s.create_named_token(&owner, "x", 0).await.expect_err("refused"),
        StoreError::Invalid { field, .. } if field == "expires_in_days"
    ));
}

both!(tokens, tokens_are_scoped_listed_and_revoked);

async fn concurrent_writers_of_one_organisation_never_collide_in_the_audit_log(s: Store) {
    let (_, owner) = s
        .create_organisation("Acme", "o@concurrent.example", "correct horse battery")
        .await
        .expect("org");
    let mut writers = Vec::new();
    for w in 0..8 {
        let (s, owner) = (s.clone(), owner.clone());
        writers.push(tokio::spawn(async move {
            for i in 0..10 {
                s.create_household(&owner, &format!("Household {w}-{i}"))
                    .await
                    .expect("no spurious conflict");
            }
        }));
    }
    for w in writers {
        w.await.expect("writer");
    }
    let log = s.audit_log(&owner).await.expect("audit");
    let seqs: Vec<i64> = log.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>());
    assert_eq!(s.households(&owner).await.expect("households").len(), 80);
}

both!(
    concurrency,
    concurrent_writers_of_one_organisation_never_collide_in_the_audit_log
);
