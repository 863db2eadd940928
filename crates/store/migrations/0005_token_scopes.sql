-- API tokens get a name, an expiry and a scope: `api` (the whole API, with the user's role) or `feed` (only the
-- calendar feed, read-only). Tokens made before have no expiry and the `api` scope. Portable SQL, as in 0001.
ALTER TABLE api_tokens ADD COLUMN name TEXT;
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'api';
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);
