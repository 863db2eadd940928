-- Signed-in sessions of the register's web pages. Portable SQL as in 0001. The session token is kept only as its
-- SHA-256 (like API tokens). A row ends at sign-out, or when it is found idle or too old.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
