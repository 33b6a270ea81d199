-- Stories of public participation and news: markdown, tagged by domain and locality.
CREATE TABLE stories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    org_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_md TEXT NOT NULL,
    domain TEXT NOT NULL DEFAULT 'other',
    locality TEXT NOT NULL DEFAULT '',
    published_at INTEGER NOT NULL,
    created_by INTEGER,
    is_demo INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stories_published ON stories(published_at);
