//! Erasure on SQLite removes the bytes, not only the rows: after a person is erased, neither the database file nor
//! its write-ahead log holds anything of them.

use verblijf_store::*;

fn dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "verblijf-erasure-bytes-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&d).expect("dir");
    d
}

/// Every file of the database (`register.db`, `-wal`, `-shm`) that holds `needle`.
fn files_holding(dir: &std::path::Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir") {
        let path = e.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
            found.push(path.display().to_string());
        }
    }
    found
}

const MARKERS: [&str; 8] = [
    "Quillon Vexbridge",
    "123456782",
    "1992-02-11",
    "DOC-QV-9917",
    "Vexbridge Lantern Works",
    "I, Quillon, agree to share my career profile",
    "Prefers Zwolle harbour",
    "Cartography",
];

#[tokio::test]
async fn after_an_erasure_the_raw_sqlite_files_hold_none_of_the_persons_data() {
    let d = dir();
    let s = Store::open(d.join("register.db").to_str().expect("utf8"))
        .await
        .expect("open");
    let (_, owner) = s
        .create_organisation("Acme", "o@bytes.example", "correct horse battery")
        .await
        .expect("org");
    let h = s.create_household(&owner, "Household 1").await.expect("h");
    let add = |name: &str, birth: &str, bsn: Option<&str>| PersonInput {
        household_id: Some(h.id.clone()),
        name: name.into(),
        bsn: bsn.map(str::to_string),
        birth_date: Some(birth.into()),
        nationality: Some("IN".into()),
    };
    let sponsor = s
        .add_person(&owner, add("Sponsor S", "1980-03-04", None))
        .await
        .expect("sponsor");
    let q = s
        .add_person(
            &owner,
            add("Quillon Vexbridge", "1992-02-11", Some("123456782")),
        )
        .await
        .expect("person");
    s.add_permit(
        &owner,
        PermitInput {
            person_id: sponsor.id.clone(),
            kind: "highly_skilled_migrant".into(),
            valid_from: "2023-09-01".into(),
            valid_until: Some("2028-08-31".into()),
            ..Default::default()
        },
    )
    .await
    .expect("permit");
    s.add_permit(
        &owner,
        PermitInput {
            person_id: q.id.clone(),
            kind: "family_member".into(),
            document_number: Some("DOC-QV-9917".into()),
            valid_from: "2023-10-15".into(),
            valid_until: Some("2028-08-31".into()),
            sponsor_person_id: Some(sponsor.id.clone()),
            ..Default::default()
        },
    )
    .await
    .expect("permit");
    s.add_relationship(
        &owner,
        "partner",
        &sponsor.id,
        &q.id,
        Some("married"),
        Some("2018-05-05".into()),
        None,
    )
    .await
    .expect("link");
    s.add_contract(
        &owner,
        &q.id,
        Some("Vexbridge Lantern Works".into()),
        Some(412_300),
        Some("2024-01-01".into()),
        None,
    )
    .await
    .expect("contract");
    s.give_career_consent(
        &owner,
        &q.id,
        ConsentInput {
            text: "I, Quillon, agree to share my career profile".into(),
            version: "careers-1-en".into(),
            given_at: Some("2025-05-30".into()),
        },
        CareerProfileInput {
            skills: vec!["Cartography".into()],
            note: Some("Prefers Zwolle harbour".into()),
            ..Default::default()
        },
    )
    .await
    .expect("consent");
    // Before: the data is in the files (the test can see it).
    let before: Vec<&str> = MARKERS
        .iter()
        .copied()
        .filter(|m| !files_holding(&d, m).is_empty())
        .collect();
    assert_eq!(before, MARKERS.to_vec());
    s.erase_person(&owner, &q.id).await.expect("erase");
    for m in MARKERS {
        assert_eq!(
            files_holding(&d, m),
            Vec::<String>::new(),
            "{m:?} is still in the files"
        );
    }
    // The register still works, and still holds no trace after it is closed and opened again.
    drop(s);
    let s = Store::open(d.join("register.db").to_str().expect("utf8"))
        .await
        .expect("open again");
    assert_eq!(s.people(&owner, None).await.expect("people").len(), 1);
    drop(s);
    for m in MARKERS {
        assert_eq!(
            files_holding(&d, m),
            Vec::<String>::new(),
            "{m:?} is back in the files"
        );
    }
}
