-- The report page reads 100 comments at a time in the report's order (article, then register):
-- this index walks that order, so a page needs no sort of every comment of the consultation.
CREATE INDEX consultation_comments_report ON consultation_comments(consultation_id, unit_position, id);
