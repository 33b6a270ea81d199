-- Following a consultation, subscriptions to new ones by topic and county, public debates.
CREATE TABLE consultation_follows (
    id BIGSERIAL PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    UNIQUE (consultation_id, user_id)
);

CREATE TABLE consultation_subscriptions (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- '' = any topic / any county.
    topic TEXT NOT NULL DEFAULT '',
    county TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (user_id, topic, county)
);

CREATE TABLE consultation_debate_requests (
    id BIGSERIAL PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (consultation_id, org_id)
);

CREATE TABLE consultation_debates (
    consultation_id BIGINT PRIMARY KEY REFERENCES consultations(id) ON DELETE CASCADE,
    starts_at BIGINT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    online_url TEXT NOT NULL DEFAULT '',
    minutes TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

CREATE TABLE consultation_debate_registrations (
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (consultation_id, user_id)
);
