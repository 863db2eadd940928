-- The case register. Portable SQL: the same statements run on SQLite and PostgreSQL. Ids are text (UUIDs), dates
-- are ISO text, amounts are whole cents.
CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'adviser', 'viewer')),
    created_at TEXT NOT NULL
);
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE households (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE people (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    household_id TEXT REFERENCES households(id),
    name TEXT NOT NULL,
    bsn TEXT,
    birth_date TEXT,
    nationality TEXT,
    erased_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX people_by_organisation ON people (organisation_id);
CREATE TABLE permits (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL,
    document_number TEXT,
    valid_from TEXT NOT NULL,
    valid_until TEXT,
    sponsor_person_id TEXT REFERENCES people(id),
    restriction_text TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX permits_by_person ON permits (person_id);
CREATE TABLE contracts (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    employer TEXT,
    gross_monthly_salary_cents BIGINT,
    start_date TEXT,
    end_date TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE relationships (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL CHECK (kind IN ('partner', 'child')),
    person_a TEXT NOT NULL REFERENCES people(id),
    person_b TEXT NOT NULL REFERENCES people(id),
    form TEXT,
    from_date TEXT,
    until_date TEXT
);
CREATE TABLE assessments (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    household_id TEXT NOT NULL REFERENCES households(id),
    reference_date TEXT NOT NULL,
    engine TEXT NOT NULL,
    params_hash TEXT NOT NULL,
    result TEXT NOT NULL,
    created_by TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    organisation_id TEXT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_state TEXT,
    after_state TEXT,
    at TEXT NOT NULL
);
CREATE UNIQUE INDEX audit_log_order ON audit_log (organisation_id, seq);
