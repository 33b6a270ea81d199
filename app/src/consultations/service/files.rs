//! What happens to a consultation's files once the request is read: the upload budget, their bytes
//! in the store and their rows, who may read one; and a draft file (.txt, .md, .docx) read as text
//! for the splitter. The HTTP side is `http::files`.
use crate::accounts::session::user_of;
use crate::consultations::rules::files::{readers, FileInfo, FileKind, Readers, MAX_PDF_BYTES};
use crate::consultations::rules::split;
use crate::consultations::rules::{has_articles, is_moderator, is_organiser, MAX_DRAFT_CHARS};
use crate::consultations::{db, Detail};
use crate::ssr::{public_id, AppState};
use crate::text::clean_multiline;

/// Text taken out of a .docx at most (a zip bomb stops here).
const MAX_DOCX_XML: u64 = 40 * 1024 * 1024;

/// Why a file step failed: a problem for the form (its code in `error=<field>:<code>`), or ours.
#[derive(Debug)]
pub enum FileError {
    Form(&'static str),
    Internal(String),
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileError::Form(code) => write!(f, "refused: {code}"),
            FileError::Internal(e) => f.write_str(e),
        }
    }
}

impl From<sqlx::Error> for FileError {
    fn from(e: sqlx::Error) -> Self {
        FileError::Internal(e.to_string())
    }
}

impl From<std::io::Error> for FileError {
    fn from(e: std::io::Error) -> Self {
        FileError::Internal(e.to_string())
    }
}

/// A checked PDF of at most 20 MB, or the problem's code.
pub fn check_pdf(file: &Option<(String, Vec<u8>)>) -> Result<(&str, &[u8]), &'static str> {
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

/// 30 uploads an hour per person: `Err` with the form's code past it.
async fn upload_budget(st: &AppState, user: i64) -> Result<(), FileError> {
    match crate::ssr::rate_limit::hit(&st.db, &format!("consult-upload:{user}"), 30, 3_600).await? {
        None => Ok(()),
        Some(_) => Err(FileError::Form("rate")),
    }
}

/// Stores the organiser's PDF (an attachment or the minutes) under `name`.
pub async fn add_file(
    st: &AppState,
    user: i64,
    cid: i64,
    kind: FileKind,
    name: &str,
    bytes: &[u8],
) -> Result<(), FileError> {
    upload_budget(st, user).await?;
    let key = store_pdf(st, bytes).await?;
    let new = db::NewFile {
        consultation_id: cid,
        comment_id: None,
        kind,
        name,
        size: bytes.len() as i64,
        storage_key: &key,
        uploaded_by: user,
    };
    db::insert_file(&st.db, &new).await?;
    Ok(())
}

/// Stores a comment's position paper; it replaces the comment's earlier one, whose bytes go.
pub async fn add_paper(
    st: &AppState,
    user: i64,
    cid: i64,
    comment: i64,
    name: &str,
    bytes: &[u8],
) -> Result<(), FileError> {
    upload_budget(st, user).await?;
    let key = store_pdf(st, bytes).await?;
    let new = db::NewFile {
        consultation_id: cid,
        comment_id: Some(comment),
        kind: FileKind::Paper,
        name,
        size: bytes.len() as i64,
        storage_key: &key,
        uploaded_by: user,
    };
    let (_, old) = db::insert_file(&st.db, &new).await?;
    for k in old {
        if let Err(e) = st.store.delete(&k).await {
            tracing::warn!(error = %e, key = k, "a replaced paper's bytes stay in the store");
        }
    }
    Ok(())
}

/// Removes an attachment or the minutes with their bytes; false when the consultation has no such file.
pub async fn remove_file(st: &AppState, cid: i64, id: i64) -> Result<bool, sqlx::Error> {
    let Some(key) = db::delete_file(&st.db, cid, id).await? else { return Ok(false) };
    if let Err(e) = st.store.delete(&key).await {
        tracing::warn!(error = %e, key, "a removed attachment's bytes stay in the store");
    }
    Ok(true)
}

/// A file someone may download.
pub struct Readable {
    pub info: FileInfo,
    pub bytes: Vec<u8>,
    /// Anyone may read it (so shared caches may keep it).
    pub public: bool,
}

/// A file of the consultation at `slug`, if whoever sent `headers` may read it: anyone a published
/// consultation's files and visible comments' papers; organisers everything; moderators and the
/// author a hidden or pending comment's paper. `None` answers "not found".
pub async fn readable(
    st: &AppState,
    headers: &http::HeaderMap,
    slug: &str,
    id: i64,
) -> Result<Option<Readable>, FileError> {
    let Some(d) = db::detail_by_slug(&st.db, slug).await? else { return Ok(None) };
    let Some(db::StoredFile { info, key, comment_status }) = db::file(&st.db, d.card.id, id).await? else {
        return Ok(None);
    };
    let who = readers(d.card.status.is_public(), comment_status);
    if who != Readers::Anyone && !may_read(st, headers, &d, who, info.comment_id).await? {
        return Ok(None);
    }
    let Some(bytes) = st.store.get(&key).await? else { return Ok(None) };
    Ok(Some(Readable { info, bytes, public: who == Readers::Anyone }))
}

/// Whether the person asking is one of `who` (the organisers are always).
async fn may_read(
    st: &AppState,
    headers: &http::HeaderMap,
    d: &Detail,
    who: Readers,
    comment: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let Some(u) = user_of(st, headers).await? else { return Ok(false) };
    if is_organiser(&u, &d.card.owner_kind, d.card.owner_id) {
        return Ok(true);
    }
    Ok(who == Readers::ModeratorsAndAuthor
        && (is_moderator(&u, &d.card.owner_kind, d.card.owner_id)
            || db::comment_meta(&st.db, comment.unwrap_or(-1)).await?.is_some_and(|m| m.user_id == Some(u.id))))
}

/// Replaces a draft's text with a file's, split into units.
pub async fn replace_draft(st: &AppState, cid: i64, bytes: &[u8]) -> Result<(), FileError> {
    let text = draft_text(bytes).map_err(|_| FileError::Form("not_text"))?;
    let text = clean_multiline(&text, MAX_DRAFT_CHARS);
    let units = split::split(&text);
    if !has_articles(&units) {
        return Err(FileError::Form("no_articles"));
    }
    db::replace_draft(&st.db, cid, &text, &units).await?;
    Ok(())
}

/// Why a draft file was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DraftFileError {
    /// Neither UTF-8 text nor a Word document.
    NotText,
}

/// The text of a draft file, judged by its bytes: a .docx (a zip holding `word/document.xml`,
/// one line per paragraph) or UTF-8 text (.txt, .md). The name is not trusted.
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn docx(paragraphs: &[&str]) -> Vec<u8> {
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

    #[test]
    fn a_docx_keeps_its_paragraphs() {
        let bytes = docx(&["HOTĂRÂRE privind planul", "Art. 1. - Se aprobă planul &amp; anexa.", "(1) Primul alineat"]);
        let text = draft_text(&bytes).unwrap();
        assert_eq!(text, "HOTĂRÂRE privind planul\nArt. 1. - Se aprobă planul & anexa.\n(1) Primul alineat\n");
        let units = split::split(&text);
        assert!(units.iter().any(|u| u.kind == split::UnitKind::Article && u.label.starts_with("Art. 1")));
    }
}
