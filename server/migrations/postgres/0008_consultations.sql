-- Public consultations (Legea 52/2003): drafts split into units, versions, comments with their
-- register numbers, votes, reports, the organiser's answers and the public moderation log.
CREATE TABLE consultations (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    topics TEXT NOT NULL DEFAULT '',
    locality TEXT NOT NULL DEFAULT '',
    county TEXT NOT NULL DEFAULT '',
    -- 'authority' or 'org', with the id of that authority or organisation.
    owner_kind TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft',
    draft_text TEXT NOT NULL DEFAULT '',
    explanatory_note TEXT NOT NULL DEFAULT '',
    opens_at BIGINT NOT NULL,
    closes_at BIGINT NOT NULL,
    adoption_at BIGINT,
    urgency_reason TEXT NOT NULL DEFAULT '',
    officer_contact TEXT NOT NULL DEFAULT '',
    premoderation BIGINT NOT NULL DEFAULT 0,
    report_threshold BIGINT NOT NULL DEFAULT 3,
    current_version BIGINT NOT NULL DEFAULT 1,
    reg_seq BIGINT NOT NULL DEFAULT 0,
    published_at BIGINT,
    closed_at BIGINT,
    report_published_at BIGINT,
    decided_at BIGINT,
    closing_soon_sent_at BIGINT,
    is_demo BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX consultations_status ON consultations(status, closes_at);
CREATE INDEX consultations_owner ON consultations(owner_kind, owner_id);

CREATE TABLE consultation_versions (
    id BIGSERIAL PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    number BIGINT NOT NULL,
    changelog TEXT NOT NULL DEFAULT '',
    draft_text TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (consultation_id, number)
);

-- Chapters, sections, articles and the preamble of one version, in order.
CREATE TABLE consultation_units (
    id BIGSERIAL PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    -- JSON array of {label, text} paragraphs.
    paragraphs TEXT NOT NULL DEFAULT '[]',
    UNIQUE (consultation_id, version, position)
);

CREATE TABLE consultation_comments (
    id BIGSERIAL PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    -- NULL = on the whole draft.
    unit_id BIGINT REFERENCES consultation_units(id) ON DELETE SET NULL,
    unit_position BIGINT NOT NULL DEFAULT -1,
    paragraph TEXT NOT NULL DEFAULT '',
    parent_id BIGINT REFERENCES consultation_comments(id) ON DELETE CASCADE,
    depth BIGINT NOT NULL DEFAULT 0,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    org_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    stance TEXT NOT NULL DEFAULT 'neutral',
    body TEXT NOT NULL,
    alternative TEXT NOT NULL DEFAULT '',
    reg_no TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'visible',
    status_reason TEXT NOT NULL DEFAULT '',
    report_count BIGINT NOT NULL DEFAULT 0,
    support_count BIGINT NOT NULL DEFAULT 0,
    attachment_key TEXT NOT NULL DEFAULT '',
    answer TEXT,
    answer_text TEXT NOT NULL DEFAULT '',
    answered_at BIGINT,
    answered_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    edited_at BIGINT
);
CREATE INDEX consultation_comments_list ON consultation_comments(consultation_id, unit_id, parent_id, created_at);
CREATE INDEX consultation_comments_status ON consultation_comments(status, consultation_id);
CREATE INDEX consultation_comments_parent ON consultation_comments(parent_id);
CREATE INDEX consultation_comments_user ON consultation_comments(user_id, created_at);

CREATE TABLE consultation_votes (
    comment_id BIGINT NOT NULL REFERENCES consultation_comments(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);

CREATE TABLE consultation_reports (
    id BIGSERIAL PRIMARY KEY,
    comment_id BIGINT NOT NULL REFERENCES consultation_comments(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reason TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open',
    created_at BIGINT NOT NULL,
    UNIQUE (comment_id, user_id)
);
CREATE INDEX consultation_reports_open ON consultation_reports(status, comment_id);

CREATE TABLE consultation_moderation_log (
    id BIGSERIAL PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    comment_id BIGINT REFERENCES consultation_comments(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX consultation_moderation_log_c ON consultation_moderation_log(consultation_id, created_at);

CREATE TABLE consultation_attachments (
    id BIGSERIAL PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    version BIGINT NOT NULL DEFAULT 1,
    kind TEXT NOT NULL DEFAULT 'annex',
    name TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
