//! Files of a consultation: the organiser's attachments, position papers under comments and the
//! debate minutes (PDF), and a draft uploaded as .txt/.md/.docx that goes to the splitter. Their
//! kinds, sizes, names, who may read them and the problems an upload can have.
use super::CommentStatus;
use crate::i18n::{Lang, K};
use serde::{Deserialize, Serialize};

/// Largest PDF accepted (attachments, position papers, minutes).
pub const MAX_PDF_BYTES: usize = 20 * 1024 * 1024;
/// Largest draft file (.txt/.md/.docx).
pub const MAX_DRAFT_BYTES: usize = 5 * 1024 * 1024;
/// Body limit of the PDF routes: the file and a few text fields.
pub const MAX_PDF_BODY: usize = MAX_PDF_BYTES + 256 * 1024;
/// Body limit of the draft route.
pub const MAX_DRAFT_BODY: usize = MAX_DRAFT_BYTES + 256 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    /// The organiser's documents (studies, annexes, the signed note).
    Attachment,
    /// A position paper under a comment.
    Paper,
    /// The minutes of the public debate.
    Minutes,
}

impl FileKind {
    pub fn code(self) -> &'static str {
        match self {
            FileKind::Attachment => "attachment",
            FileKind::Paper => "paper",
            FileKind::Minutes => "minutes",
        }
    }

    pub fn parse(code: &str) -> Option<FileKind> {
        [FileKind::Attachment, FileKind::Paper, FileKind::Minutes].into_iter().find(|k| k.code() == code)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileInfo {
    pub id: i64,
    pub comment_id: Option<i64>,
    pub kind: FileKind,
    pub name: String,
    pub size: i64,
    pub created_at: i64,
}

/// Where a file is downloaded from (the server checks who may see it).
pub fn href(slug: &str, id: i64) -> String {
    format!("/consultations/{slug}/files/{id}")
}

/// "820 KB", "1,5 MB" (Romanian) / "1.5 MB" (English).
pub fn human_size(bytes: i64, lang: Lang) -> String {
    let bytes = bytes.max(0) as f64;
    let (value, unit) =
        if bytes >= 1024.0 * 1024.0 { (bytes / (1024.0 * 1024.0), "MB") } else { ((bytes / 1024.0).max(1.0), "KB") };
    let text = if unit == "MB" { format!("{value:.1}") } else { format!("{value:.0}") };
    let text = if lang == Lang::Ro { text.replace('.', ",") } else { text };
    format!("{text} {unit}")
}

/// The name a file is listed and downloaded under: no folders, no control characters, at most
/// 120 characters, ending in `.pdf`.
pub fn clean_name(title: &str, file_name: &str) -> String {
    let raw = if title.trim().is_empty() { file_name.rsplit(['/', '\\']).next().unwrap_or("") } else { title };
    let mut name: String = raw
        .chars()
        .map(|c| if c.is_control() || matches!(c, '/' | '\\' | '"') { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if name.to_lowercase().ends_with(".pdf") {
        name.truncate(name.len() - 4);
    }
    let mut name: String = name.chars().take(116).collect();
    if name.trim().is_empty() {
        name = "document".into();
    }
    format!("{}.pdf", name.trim_end())
}

/// What went wrong with an upload, as the codes in the URL.
pub fn problem_key(code: &str) -> K {
    match code {
        "required" => K::consultations_err_file_required,
        "too_large" => K::consultations_err_file_large,
        "not_pdf" => K::consultations_err_file_not_pdf,
        "not_text" => K::consultations_err_file_not_text,
        "no_articles" => K::consultations_err_no_articles,
        "title" => K::consultations_err_file_title,
        "rate" => K::consultations_err_file_rate,
        "not_open" => K::consultations_err_not_open,
        "not_draft" => K::consultations_err_not_draft,
        _ => K::err_internal,
    }
}

/// Who may read a file besides its consultation's organisers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readers {
    /// Everyone: a published consultation's file, or the paper of a visible comment.
    Anyone,
    /// The organisers only: a draft's files, a deleted comment's paper.
    Organisers,
    /// Moderators and the comment's author too: the paper of a hidden or pending comment.
    ModeratorsAndAuthor,
}

/// Who may read a file of a consultation (public or not) that hangs under a comment with
/// `comment_status` (`None`: the organiser's attachments and minutes).
pub fn readers(consultation_public: bool, comment_status: Option<CommentStatus>) -> Readers {
    match comment_status {
        None | Some(CommentStatus::Visible) if consultation_public => Readers::Anyone,
        None | Some(CommentStatus::Deleted) => Readers::Organisers,
        Some(_) if !consultation_public => Readers::Organisers,
        Some(_) => Readers::ModeratorsAndAuthor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well_in_both_languages() {
        assert_eq!(human_size(300, Lang::Ro), "1 KB");
        assert_eq!(human_size(820 * 1024, Lang::En), "820 KB");
        assert_eq!(human_size(1536 * 1024, Lang::Ro), "1,5 MB");
        assert_eq!(human_size(1536 * 1024, Lang::En), "1.5 MB");
        assert_eq!(human_size(20 * 1024 * 1024, Lang::En), "20.0 MB");
    }

    #[test]
    fn names_lose_paths_and_quotes_and_end_in_pdf() {
        assert_eq!(clean_name("", "C:\\acte\\Studiu de impact.PDF"), "Studiu de impact.pdf");
        assert_eq!(clean_name("Anexa 1 \"buget\"", "x.pdf"), "Anexa 1 buget.pdf");
        assert_eq!(clean_name("", "../../etc/passwd"), "passwd.pdf");
        assert_eq!(clean_name("  ", ""), "document.pdf");
        assert!(clean_name(&"ș".repeat(300), "a.pdf").chars().count() <= 120);
    }

    #[test]
    fn errors_come_back_from_the_query() {
        let mut q = leptos_router::params::ParamsMap::new();
        q.insert("error", "file:not_pdf,title:title".to_string());
        q.insert("error", "cover:large".to_string());
        q.insert("error", "garbage".to_string());
        assert_eq!(
            crate::ui::form::query_errors(&q),
            vec![("file".into(), "not_pdf".into()), ("title".into(), "title".into()), ("cover".into(), "large".into())]
        );
        assert_eq!(crate::ui::form::query_error(&q, "cover").as_deref(), Some("large"));
    }

    #[test]
    fn papers_follow_their_comment_and_drafts_stay_with_their_organisers() {
        use CommentStatus::*;
        assert_eq!(readers(true, None), Readers::Anyone);
        assert_eq!(readers(true, Some(Visible)), Readers::Anyone);
        assert_eq!(readers(true, Some(Hidden)), Readers::ModeratorsAndAuthor);
        assert_eq!(readers(true, Some(Pending)), Readers::ModeratorsAndAuthor);
        assert_eq!(readers(true, Some(Deleted)), Readers::Organisers);
        assert_eq!(readers(false, None), Readers::Organisers);
        assert_eq!(readers(false, Some(Visible)), Readers::Organisers);
    }
}
