-- Several app servers share one database: a write moves this number on, and every server drops
-- its short caches when it sees a newer one (polled, and read at once for a writer's next request).
CREATE TABLE cache_generation (
    scope TEXT NOT NULL PRIMARY KEY,
    gen BIGINT NOT NULL
);
INSERT INTO cache_generation (scope, gen) VALUES ('public', 0);
