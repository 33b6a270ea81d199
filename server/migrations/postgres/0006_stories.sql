-- Stories of public participation and news: markdown, tagged by domain and locality.
CREATE TABLE stories (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    org_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_md TEXT NOT NULL,
    domain TEXT NOT NULL DEFAULT 'other',
    locality TEXT NOT NULL DEFAULT '',
    published_at BIGINT NOT NULL,
    created_by BIGINT,
    is_demo BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX stories_published ON stories(published_at);
