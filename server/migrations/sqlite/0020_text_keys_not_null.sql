-- SQLite lets a non-INTEGER primary key hold NULL (PostgreSQL never does): the text keys become
-- NOT NULL, so both databases hold the same schema (the schema-parity test checks it). SQLite
-- cannot alter a column's constraint: each table is rebuilt with its rows and indexes.
CREATE TABLE auth_tokens_new (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    data TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
INSERT INTO auth_tokens_new SELECT token_hash, user_id, purpose, data, created_at, expires_at, used_at FROM auth_tokens;
DROP TABLE auth_tokens;
ALTER TABLE auth_tokens_new RENAME TO auth_tokens;
CREATE INDEX auth_tokens_user ON auth_tokens(user_id);

CREATE TABLE sessions_new (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    user_agent TEXT NOT NULL DEFAULT '',
    last_seen_at INTEGER NOT NULL DEFAULT 0,
    public_id TEXT
);
INSERT INTO sessions_new SELECT token_hash, user_id, created_at, expires_at, user_agent, last_seen_at, public_id FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE UNIQUE INDEX sessions_public ON sessions(public_id);

CREATE TABLE rate_limits_new (
    key TEXT NOT NULL PRIMARY KEY,
    window_start INTEGER NOT NULL,
    count INTEGER NOT NULL
);
INSERT INTO rate_limits_new SELECT key, window_start, count FROM rate_limits;
DROP TABLE rate_limits;
ALTER TABLE rate_limits_new RENAME TO rate_limits;

CREATE TABLE org_invites_new (
    token_hash TEXT NOT NULL PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    invited_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    accepted_at INTEGER
);
INSERT INTO org_invites_new SELECT token_hash, org_id, email, role, invited_by, created_at, expires_at, accepted_at FROM org_invites;
DROP TABLE org_invites;
ALTER TABLE org_invites_new RENAME TO org_invites;
CREATE INDEX org_invites_org ON org_invites(org_id);

CREATE TABLE map_imports_new (
    token TEXT NOT NULL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
INSERT INTO map_imports_new SELECT token, user_id, org_id, file_name, content, created_at FROM map_imports;
DROP TABLE map_imports;
ALTER TABLE map_imports_new RENAME TO map_imports;
CREATE INDEX map_imports_created ON map_imports(created_at);

CREATE TABLE schema_migrations_new (version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL);
INSERT INTO schema_migrations_new SELECT version, name, applied_at FROM schema_migrations;
DROP TABLE schema_migrations;
ALTER TABLE schema_migrations_new RENAME TO schema_migrations;
