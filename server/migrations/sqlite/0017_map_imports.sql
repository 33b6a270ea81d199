-- Uploaded import files waiting for their preview to be confirmed (deleted once imported).
CREATE TABLE map_imports (
    token TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX map_imports_created ON map_imports(created_at);
