-- Email: each user's reminders (how often, in which language, when last sent), the links in sent reminders that
-- turn them off, and sign-ups waiting for their address to be confirmed. Portable SQL, as in 0001.
ALTER TABLE users ADD COLUMN reminders TEXT NOT NULL DEFAULT 'off';
ALTER TABLE users ADD COLUMN reminder_lang TEXT NOT NULL DEFAULT 'en';
ALTER TABLE users ADD COLUMN reminded_at TEXT;
CREATE TABLE unsubscribe_links (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX unsubscribe_links_by_user ON unsubscribe_links (user_id);
CREATE TABLE pending_sign_ups (
    token_hash TEXT PRIMARY KEY,
    organisation_name TEXT NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX pending_sign_ups_by_email ON pending_sign_ups (email);
