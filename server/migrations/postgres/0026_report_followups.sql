-- "Has it been fixed?": four weeks after the authority answered, the reporter is asked once.
-- followup_sent_at claims the mail (one server sends it); followup_answered_at claims the answer
-- (one click counts, a second is refused). When the report was answered is read from its latest
-- 'answer' event, the one place that time is already kept.
ALTER TABLE map_reports ADD COLUMN followup_sent_at BIGINT;
ALTER TABLE map_reports ADD COLUMN followup_answered_at BIGINT;
