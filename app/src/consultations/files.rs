//! Files of a consultation: the organiser's attachments, position papers under comments and the
//! debate minutes (PDF, judged by their bytes), and a draft uploaded as .txt/.md/.docx that goes to
//! the splitter. Every upload is a plain multipart form posted to an axum handler, so it works
//! without JavaScript; a problem sends the person back to the form with `error=<field>:<code>` and
//! what they typed in the URL.
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
/// Text taken out of a .docx at most (a zip bomb stops here).
#[cfg(feature = "ssr")]
const MAX_DOCX_XML: u64 = 40 * 1024 * 1024;

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

/// Why a draft file was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DraftFileError {
    /// Neither UTF-8 text nor a Word document.
    NotText,
}

/// The text of a draft file, judged by its bytes: a .docx (a zip holding `word/document.xml`,
/// one line per paragraph) or UTF-8 text (.txt, .md). The name is not trusted.
#[cfg(feature = "ssr")]
pub fn draft_text(bytes: &[u8]) -> Result<String, DraftFileError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return docx_text(bytes).ok_or(DraftFileError::NotText);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| DraftFileError::NotText)?;
    // Text has no NUL bytes and few control characters; a binary file has many.
    let control = text.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')).count();
    if text.trim().is_empty() || text.contains('\0') || control * 100 > text.chars().count() {
        return Err(DraftFileError::NotText);
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// The paragraphs of a Word document, one per line (tabs and line breaks kept).
#[cfg(feature = "ssr")]
fn docx_text(bytes: &[u8]) -> Option<String> {
    use quick_xml::events::Event;
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut xml = String::new();
    zip.by_name("word/document.xml").ok()?.take(MAX_DOCX_XML).read_to_string(&mut xml).ok()?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == b"t" => in_text = true,
            Event::End(e) if e.local_name().as_ref() == b"t" => in_text = false,
            Event::End(e) if e.local_name().as_ref() == b"p" => out.push('\n'),
            Event::Empty(e) if e.local_name().as_ref() == b"tab" => out.push('\t'),
            Event::Empty(e) if matches!(e.local_name().as_ref(), b"br" | b"cr") => out.push('\n'),
            Event::Text(t) if in_text => out.push_str(&t.decode().ok()?),
            Event::GeneralRef(r) if in_text => match r.resolve_char_ref().ok()? {
                Some(c) => out.push(c),
                None => out.push_str(match r.decode().ok()?.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                }),
            },
            Event::Eof => break,
            _ => {}
        }
    }
    (!out.trim().is_empty()).then_some(out)
}

#[cfg(feature = "ssr")]
pub use handlers::*;

/// The HTTP side (server only).
#[cfg(feature = "ssr")]
mod handlers {
    use super::super::rules::CommentStatus;
    use super::super::{db, is_moderator, is_organiser, split, Detail};
    use super::*;
    use crate::accounts::SessionUser;
    use crate::ssr::{public_id, AppState};
    use axum::extract::{Multipart, Path, State};
    use axum::http::{header, HeaderMap, StatusCode};
    use axum::response::{IntoResponse, Response};

    use crate::accounts::session::user_of;
    use crate::ssr::request::lang_of;

    fn internal(e: impl std::fmt::Display) -> Response {
        tracing::error!(error = %e, "consultation files");
        (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
    }

    fn see_other(to: &str) -> Response {
        (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
    }

    fn refused(headers: &HeaderMap, status: StatusCode, k: K) -> Response {
        (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], lang_of(headers).t(k).to_string())
            .into_response()
    }

    /// Back to the form: `path?error=field:code&<kept fields>#anchor`.
    fn back(path: &str, anchor: &str, errors: &[(&str, &str)], keep: &[(&str, &str)]) -> Response {
        let errors: Vec<_> = errors.iter().map(|(f, c)| crate::ssr::forms::FieldProblem::new(f, c)).collect();
        crate::ssr::forms::send_back(&HeaderMap::new(), path, Some(anchor), &errors, keep, |lang, code| {
            lang.t(problem_key(code)).to_string()
        })
    }

    /// A multipart form: its text fields, and its one file (name, bytes). `Err` = the body broke
    /// off, or a field went over its limit (read with the shared bounded reader).
    #[derive(Default)]
    struct Form {
        text: std::collections::HashMap<String, String>,
        file: Option<(String, Vec<u8>)>,
    }

    async fn read_form(mp: Multipart, max_file: usize) -> Result<Form, ()> {
        let limits = crate::ssr::multipart::Limits { text: 8 * 1024, file: max_file, fields: 20 };
        let mut form = crate::ssr::multipart::read(mp, limits).await.map_err(|_| ())?;
        if !form.too_large.is_empty() {
            return Err(());
        }
        let file = form.files.remove("file").map(|b| (form.file_names.remove("file").unwrap_or_default(), b));
        let text = form.text.into_iter().map(|(k, v)| (k, v.chars().take(2_000).collect())).collect();
        Ok(Form { text, file })
    }

    /// Who is asking, and the consultation: `Err` is the answer to send (sign in, not found).
    async fn who(
        st: &AppState,
        headers: &HeaderMap,
        slug: &str,
        login_back: &str,
    ) -> Result<(SessionUser, Detail), Response> {
        let Some(d) = db::detail_by_slug(&st.db, slug).await.map_err(internal)? else {
            return Err(StatusCode::NOT_FOUND.into_response());
        };
        match user_of(st, headers).await.map_err(internal)? {
            Some(u) => Ok((u, d)),
            None => Err(see_other(&format!("/account/login?next={}", crate::text::encode_query(login_back)))),
        }
    }

    fn organiser(u: &SessionUser, d: &Detail) -> bool {
        is_organiser(u, &d.card.owner_kind, d.card.owner_id)
    }

    /// A checked PDF of at most 20 MB, or the problem's code.
    fn check_pdf(file: &Option<(String, Vec<u8>)>) -> Result<(&str, &[u8]), &'static str> {
        match file {
            None => Err("required"),
            Some((_, b)) if b.len() > MAX_PDF_BYTES => Err("too_large"),
            Some((_, b)) if !crate::ssr::pdf::is_pdf(b) => Err("not_pdf"),
            Some((n, b)) => Ok((n.as_str(), b.as_slice())),
        }
    }

    async fn store_pdf(st: &AppState, bytes: &[u8]) -> std::io::Result<String> {
        let key = format!("consultations/{}.pdf", public_id());
        st.store.put(&key, bytes.to_vec()).await?;
        Ok(key)
    }

    async fn upload_budget(st: &AppState, user: i64) -> Result<bool, sqlx::Error> {
        Ok(crate::ssr::rate_limit::hit(&st.db, &format!("consult-upload:{user}"), 30, 3_600).await?.is_none())
    }

    /// `POST /consultations/{slug}/files` (multipart: `kind` attachment|minutes, `title`, `file`):
    /// the organiser adds a PDF to the consultation.
    pub async fn upload_file(
        State(st): State<AppState>,
        Path(slug): Path<String>,
        headers: HeaderMap,
        mp: Multipart,
    ) -> Response {
        let manage = format!("/consultations/{slug}/manage");
        let (user, d) = match who(&st, &headers, &slug, &manage).await {
            Ok(x) => x,
            Err(r) => return r,
        };
        if !organiser(&user, &d) {
            return refused(&headers, StatusCode::FORBIDDEN, K::err_forbidden);
        }
        let Ok(form) = read_form(mp, MAX_PDF_BYTES).await else {
            return back(&manage, "files", &[("file", "too_large")], &[]);
        };
        let kind = match form.text.get("kind").map(String::as_str) {
            Some("minutes") => FileKind::Minutes,
            _ => FileKind::Attachment,
        };
        let anchor = if kind == FileKind::Minutes { "minutes" } else { "files" };
        let title = crate::text::clean_text(form.text.get("title").map(String::as_str).unwrap_or(""), 200);
        let keep: [(&str, &str); 1] = [(if kind == FileKind::Minutes { "minutes_title" } else { "title" }, &title)];
        let field = if kind == FileKind::Minutes { "minutes_file" } else { "file" };
        if title.chars().count() > 116 {
            return back(
                &manage,
                anchor,
                &[(if kind == FileKind::Minutes { "minutes_title" } else { "title" }, "title")],
                &keep,
            );
        }
        let (file_name, bytes) = match check_pdf(&form.file) {
            Ok(x) => x,
            Err(code) => return back(&manage, anchor, &[(field, code)], &keep),
        };
        match upload_budget(&st, user.id).await {
            Ok(true) => {}
            Ok(false) => return back(&manage, anchor, &[(field, "rate")], &keep),
            Err(e) => return internal(e),
        }
        let key = match store_pdf(&st, bytes).await {
            Ok(k) => k,
            Err(e) => return internal(e),
        };
        let name = clean_name(&title, file_name);
        let new = db::NewFile {
            consultation_id: d.card.id,
            comment_id: None,
            kind,
            name: &name,
            size: bytes.len() as i64,
            storage_key: &key,
            uploaded_by: user.id,
        };
        match db::insert_file(&st.db, &new).await {
            Ok(_) => see_other(&format!("{manage}?uploaded=1#{anchor}")),
            Err(e) => internal(e),
        }
    }

    /// `POST /consultations/{slug}/files/{id}/delete`: the organiser removes an attachment or the minutes.
    pub async fn delete_file(
        State(st): State<AppState>,
        Path((slug, id)): Path<(String, i64)>,
        headers: HeaderMap,
    ) -> Response {
        let manage = format!("/consultations/{slug}/manage");
        let (user, d) = match who(&st, &headers, &slug, &manage).await {
            Ok(x) => x,
            Err(r) => return r,
        };
        if !organiser(&user, &d) {
            return refused(&headers, StatusCode::FORBIDDEN, K::err_forbidden);
        }
        match db::delete_file(&st.db, d.card.id, id).await {
            Ok(Some(key)) => {
                if let Err(e) = st.store.delete(&key).await {
                    tracing::warn!(error = %e, key, "a removed attachment's bytes stay in the store");
                }
                see_other(&format!("{manage}?removed=1#files"))
            }
            Ok(None) => StatusCode::NOT_FOUND.into_response(),
            Err(e) => internal(e),
        }
    }

    /// `GET /consultations/{slug}/files/{id}`: a file, to whoever may see the consultation (and, for
    /// a position paper, its comment: hidden ones to moderators and the author only).
    pub async fn download(
        State(st): State<AppState>,
        Path((slug, id)): Path<(String, String)>,
        headers: HeaderMap,
    ) -> Response {
        let Ok(id) = id.trim_end_matches(".pdf").parse::<i64>() else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let result = async {
            let Some(d) = db::detail_by_slug(&st.db, &slug).await? else { return Ok(None) };
            let Some(db::StoredFile { info: f, key, comment_status }) = db::file(&st.db, d.card.id, id).await? else {
                return Ok(None);
            };
            let public = d.card.status.is_public() && matches!(comment_status, None | Some(CommentStatus::Visible));
            if !public {
                let Some(u) = user_of(&st, &headers).await? else { return Ok(None) };
                let may = match comment_status {
                    _ if organiser(&u, &d) => true,
                    None => false,
                    Some(CommentStatus::Deleted) => false,
                    Some(_) if !d.card.status.is_public() => false,
                    Some(_) => {
                        is_moderator(&u, &d.card.owner_kind, d.card.owner_id)
                            || db::comment_meta(&st.db, f.comment_id.unwrap_or(-1))
                                .await?
                                .is_some_and(|m| m.user_id == Some(u.id))
                    }
                };
                if !may {
                    return Ok(None);
                }
            }
            Ok::<_, sqlx::Error>(Some((f, key, public)))
        }
        .await;
        let (f, key, public) = match result {
            Ok(Some(x)) => x,
            Ok(None) => return StatusCode::NOT_FOUND.into_response(),
            Err(e) => return internal(e),
        };
        let bytes = match st.store.get(&key).await {
            Ok(Some(b)) => b,
            Ok(None) => return StatusCode::NOT_FOUND.into_response(),
            Err(e) => return internal(e),
        };
        let ascii: String = f
            .name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
            .collect();
        let disposition =
            format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", urlencoding::encode(&f.name));
        (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (header::CONTENT_DISPOSITION, disposition),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'".to_string()),
                (header::CACHE_CONTROL, if public { "public, max-age=300" } else { "private, no-store" }.to_string()),
            ],
            bytes,
        )
            .into_response()
    }

    /// `POST /consultations/{slug}/papers/{comment}` (multipart: `file`): the author of a comment
    /// attaches a position paper to it (for themselves or for the organisation they wrote for); a
    /// second upload replaces the first. While the consultation is open.
    pub async fn upload_paper(
        State(st): State<AppState>,
        Path((slug, comment)): Path<(String, i64)>,
        headers: HeaderMap,
        mp: Multipart,
    ) -> Response {
        let meta = match db::comment_meta(&st.db, comment).await {
            Ok(Some(m)) => m,
            Ok(None) => return StatusCode::NOT_FOUND.into_response(),
            Err(e) => return internal(e),
        };
        let scope = if meta.unit_position < 0 { "general".to_string() } else { meta.unit_position.to_string() };
        let thread = format!("/consultations/{slug}/comments?scope={scope}");
        let anchor = format!("c-{comment}");
        let (user, d) = match who(&st, &headers, &slug, &thread).await {
            Ok(x) => x,
            Err(r) => return r,
        };
        if meta.consultation_id != d.card.id || !d.card.status.is_public() {
            return StatusCode::NOT_FOUND.into_response();
        }
        if meta.user_id != Some(user.id) || meta.status == CommentStatus::Deleted {
            return refused(&headers, StatusCode::FORBIDDEN, K::err_forbidden);
        }
        let field = format!("paper-{comment}");
        if d.card.phase != super::super::rules::Phase::Open {
            return back(&thread, &anchor, &[(&field, "not_open")], &[]);
        }
        let Ok(form) = read_form(mp, MAX_PDF_BYTES).await else {
            return back(&thread, &anchor, &[(&field, "too_large")], &[]);
        };
        let (file_name, bytes) = match check_pdf(&form.file) {
            Ok(x) => x,
            Err(code) => return back(&thread, &anchor, &[(&field, code)], &[]),
        };
        match upload_budget(&st, user.id).await {
            Ok(true) => {}
            Ok(false) => return back(&thread, &anchor, &[(&field, "rate")], &[]),
            Err(e) => return internal(e),
        }
        let key = match store_pdf(&st, bytes).await {
            Ok(k) => k,
            Err(e) => return internal(e),
        };
        let name = clean_name("", file_name);
        let new = db::NewFile {
            consultation_id: d.card.id,
            comment_id: Some(comment),
            kind: FileKind::Paper,
            name: &name,
            size: bytes.len() as i64,
            storage_key: &key,
            uploaded_by: user.id,
        };
        match db::insert_file(&st.db, &new).await {
            Ok((_, old)) => {
                for k in old {
                    if let Err(e) = st.store.delete(&k).await {
                        tracing::warn!(error = %e, key = k, "a replaced paper's bytes stay in the store");
                    }
                }
                see_other(&format!("{thread}&paper=1#{anchor}"))
            }
            Err(e) => internal(e),
        }
    }

    /// `POST /consultations/{slug}/draft-file` (multipart: `file`): the organiser uploads the draft
    /// as .txt, .md or .docx; its text is split and shown for review (drafts only).
    pub async fn upload_draft(
        State(st): State<AppState>,
        Path(slug): Path<String>,
        headers: HeaderMap,
        mp: Multipart,
    ) -> Response {
        let manage = format!("/consultations/{slug}/manage");
        let (user, d) = match who(&st, &headers, &slug, &manage).await {
            Ok(x) => x,
            Err(r) => return r,
        };
        if !organiser(&user, &d) {
            return refused(&headers, StatusCode::FORBIDDEN, K::err_forbidden);
        }
        if d.card.status != super::super::rules::Status::Draft {
            return back(&manage, "split", &[("draft_file", "not_draft")], &[]);
        }
        let Ok(form) = read_form(mp, MAX_DRAFT_BYTES).await else {
            return back(&manage, "split", &[("draft_file", "too_large")], &[]);
        };
        let bytes = match &form.file {
            None => return back(&manage, "split", &[("draft_file", "required")], &[]),
            Some((_, b)) if b.len() > MAX_DRAFT_BYTES => {
                return back(&manage, "split", &[("draft_file", "too_large")], &[])
            }
            Some((_, b)) => b,
        };
        let Ok(text) = draft_text(bytes) else {
            return back(&manage, "split", &[("draft_file", "not_text")], &[]);
        };
        let text = super::super::rules::clean_multiline(&text, 400_000);
        let units = split::split(&text);
        if !units.iter().any(|u| u.kind == split::UnitKind::Article) {
            return back(&manage, "split", &[("draft_file", "no_articles")], &[]);
        }
        match db::replace_draft(&st.db, d.card.id, &text, &units).await {
            Ok(()) => see_other(&format!("{manage}?split=1#split")),
            Err(e) => internal(e),
        }
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

    #[cfg(feature = "ssr")]
    #[test]
    fn draft_files_are_judged_by_content() {
        assert_eq!(
            draft_text("\u{feff}Art. 1. - Text\r\n(1) Alineat".as_bytes()).unwrap(),
            "Art. 1. - Text\n(1) Alineat"
        );
        assert_eq!(draft_text(b"%PDF-1.4 \x00\x01\x02\x03"), Err(DraftFileError::NotText));
        assert_eq!(draft_text(&[0xff, 0xfe, 0x00, 0x41]), Err(DraftFileError::NotText));
        assert_eq!(draft_text(b"PK\x03\x04 not really a zip"), Err(DraftFileError::NotText));
    }

    /// A minimal Word document built here: paragraphs become lines, entities and tabs survive.
    #[cfg(feature = "ssr")]
    pub fn docx(paragraphs: &[&str]) -> Vec<u8> {
        use std::io::Write;
        let body: String = paragraphs
            .iter()
            .map(|p| format!("<w:p><w:pPr/><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>"))
            .collect();
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}<w:sectPr/></w:body></w:document>"
        );
        let mut out = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default();
        z.start_file("[Content_Types].xml", opts).unwrap();
        z.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
        z.start_file("word/document.xml", opts).unwrap();
        z.write_all(xml.as_bytes()).unwrap();
        z.finish().unwrap();
        out.into_inner()
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_docx_keeps_its_paragraphs() {
        let bytes = docx(&["HOTĂRÂRE privind planul", "Art. 1. - Se aprobă planul &amp; anexa.", "(1) Primul alineat"]);
        let text = draft_text(&bytes).unwrap();
        assert_eq!(text, "HOTĂRÂRE privind planul\nArt. 1. - Se aprobă planul & anexa.\n(1) Primul alineat\n");
        let units = super::super::split::split(&text);
        assert!(units
            .iter()
            .any(|u| u.kind == super::super::split::UnitKind::Article && u.label.starts_with("Art. 1")));
    }
}
