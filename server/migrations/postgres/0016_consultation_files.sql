-- Files of a consultation: the organiser's attachments (PDF), position papers on comments (PDF) and
-- the minutes of the public debate (PDF). The bytes live in the Store under `storage_key`.
CREATE TABLE consultation_files (
    id BIGSERIAL PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    -- Set for a position paper: the comment it supports.
    comment_id BIGINT REFERENCES consultation_comments(id) ON DELETE CASCADE,
    -- 'attachment', 'paper' or 'minutes'.
    kind TEXT NOT NULL,
    -- What people see: the organiser's title, or the uploaded file's name.
    name TEXT NOT NULL,
    size BIGINT NOT NULL,
    storage_key TEXT NOT NULL,
    uploaded_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX consultation_files_c ON consultation_files(consultation_id, kind);
CREATE INDEX consultation_files_comment ON consultation_files(comment_id);
-- The counts per article and the article's first page read only this index.
CREATE INDEX consultation_comments_pos ON consultation_comments(consultation_id, unit_position, parent_id, status);
