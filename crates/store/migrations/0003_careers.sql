-- Partner careers and organisation settings. Portable SQL, as in 0001.
--
-- A consent is kept as history: withdrawing it sets withdrawn_at (and who recorded that), it is never deleted
-- except when the person is erased. At most one consent per person is active (withdrawn_at IS NULL).
CREATE TABLE career_consents (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    given_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    consent_version TEXT NOT NULL,
    consent_text TEXT NOT NULL,
    withdrawn_at TEXT,
    withdrawn_by TEXT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX career_consents_by_organisation ON career_consents (organisation_id);
CREATE UNIQUE INDEX career_consents_one_active ON career_consents (person_id) WHERE withdrawn_at IS NULL;
-- What a partner shares as a candidate while the consent holds: deleted when it is withdrawn. Skills and languages
-- are JSON arrays of strings.
CREATE TABLE career_profiles (
    person_id TEXT PRIMARY KEY REFERENCES people(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    consent_id TEXT NOT NULL REFERENCES career_consents(id),
    skills TEXT NOT NULL,
    languages TEXT NOT NULL,
    education_level TEXT,
    education_field TEXT,
    available_from TEXT,
    hours_per_week BIGINT,
    note TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX career_profiles_by_organisation ON career_profiles (organisation_id);
-- How many days before each kind of deadline an organisation wants to be warned. No row: the defaults.
CREATE TABLE organisation_settings (
    organisation_id TEXT PRIMARY KEY REFERENCES organisations(id),
    warn_permit_end_days BIGINT NOT NULL,
    warn_dependant_permit_end_days BIGINT NOT NULL,
    warn_extension_window_days BIGINT NOT NULL,
    warn_contract_end_days BIGINT NOT NULL,
    warn_report_change_days BIGINT NOT NULL,
    warn_orientation_year_end_days BIGINT NOT NULL,
    warn_thirtieth_birthday_days BIGINT NOT NULL,
    warn_graduation_window_days BIGINT NOT NULL,
    updated_at TEXT NOT NULL
);
