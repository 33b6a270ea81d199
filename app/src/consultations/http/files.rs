//! The files' HTTP side: multipart uploads (each a plain form that works without JavaScript; a
//! problem sends the person back to the form with `error=<field>:<code>` and what they typed) and
//! downloads. What happens to the bytes is `service::files`.
use crate::accounts::session::user_of;
use crate::accounts::SessionUser;
use crate::consultations::db;
use crate::consultations::rules::files::{clean_name, problem_key, FileKind, MAX_DRAFT_BYTES, MAX_PDF_BYTES};
use crate::consultations::rules::{is_organiser, thread_href, CommentStatus, Phase, Status};
use crate::consultations::service::files::{self as service, check_pdf, FileError, Readable};
use crate::consultations::Detail;
use crate::i18n::K;
use crate::ssr::request::lang_of;
use crate::ssr::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "consultation files");
    (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
}

fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

fn refused(headers: &HeaderMap, status: StatusCode, k: K) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], lang_of(headers).t(k).to_string()).into_response()
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
    let title_field = if kind == FileKind::Minutes { "minutes_title" } else { "title" };
    let keep: [(&str, &str); 1] = [(title_field, &title)];
    let field = if kind == FileKind::Minutes { "minutes_file" } else { "file" };
    if title.chars().count() > 116 {
        return back(&manage, anchor, &[(title_field, "title")], &keep);
    }
    let (file_name, bytes) = match check_pdf(&form.file) {
        Ok(x) => x,
        Err(code) => return back(&manage, anchor, &[(field, code)], &keep),
    };
    match service::add_file(&st, user.id, d.card.id, kind, &clean_name(&title, file_name), bytes).await {
        Ok(()) => see_other(&format!("{manage}?uploaded=1#{anchor}")),
        Err(FileError::Form(code)) => back(&manage, anchor, &[(field, code)], &keep),
        Err(FileError::Internal(e)) => internal(e),
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
    match service::remove_file(&st, d.card.id, id).await {
        Ok(true) => see_other(&format!("{manage}?removed=1#files")),
        Ok(false) => StatusCode::NOT_FOUND.into_response(),
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
    let Readable { info: f, bytes, public } = match service::readable(&st, &headers, &slug, id).await {
        Ok(Some(x)) => x,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return internal(e),
    };
    let ascii: String = f
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", urlencoding::encode(&f.name));
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
    let thread = thread_href(&slug, meta.unit_position);
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
    if d.card.phase != Phase::Open {
        return back(&thread, &anchor, &[(&field, "not_open")], &[]);
    }
    let Ok(form) = read_form(mp, MAX_PDF_BYTES).await else {
        return back(&thread, &anchor, &[(&field, "too_large")], &[]);
    };
    let (file_name, bytes) = match check_pdf(&form.file) {
        Ok(x) => x,
        Err(code) => return back(&thread, &anchor, &[(&field, code)], &[]),
    };
    match service::add_paper(&st, user.id, d.card.id, comment, &clean_name("", file_name), bytes).await {
        Ok(()) => see_other(&format!("{thread}&paper=1#{anchor}")),
        Err(FileError::Form(code)) => back(&thread, &anchor, &[(&field, code)], &[]),
        Err(FileError::Internal(e)) => internal(e),
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
    if d.card.status != Status::Draft {
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
    match service::replace_draft(&st, d.card.id, bytes).await {
        Ok(()) => see_other(&format!("{manage}?split=1#split")),
        Err(FileError::Form(code)) => back(&manage, "split", &[("draft_file", code)], &[]),
        Err(FileError::Internal(e)) => internal(e),
    }
}
