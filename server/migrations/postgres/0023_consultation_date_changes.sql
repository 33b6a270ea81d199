-- Law 52/2003: every change of a consultation's dates after it was created (an extension of the
-- comment window or a correction), with its public reason. `user_id` is the organiser who made it;
-- the row stays when the account is deleted (the account is anonymised, like comments).
CREATE TABLE consultation_date_changes (
    id BIGSERIAL PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value BIGINT,
    new_value BIGINT,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX consultation_date_changes_c ON consultation_date_changes(consultation_id, id);
