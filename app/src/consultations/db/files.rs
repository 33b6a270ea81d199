//! Files' rows (the bytes are in the store): attachments, position papers, debate minutes.
use crate::consultations::rules::files::{FileInfo, FileKind};
use crate::consultations::rules::CommentStatus;
use crate::ssr::{now, Db};
use sqlx::any::AnyRow;
use sqlx::Row;

pub struct NewFile<'a> {
    pub consultation_id: i64,
    pub comment_id: Option<i64>,
    pub kind: FileKind,
    pub name: &'a str,
    pub size: i64,
    pub storage_key: &'a str,
    pub uploaded_by: i64,
}

const FILE_COLS: &str = "f.id, f.consultation_id, f.comment_id, f.kind, f.name, f.size, f.storage_key, f.created_at";

fn file_row(r: &AnyRow) -> Result<(FileInfo, String), sqlx::Error> {
    Ok((
        FileInfo {
            id: r.try_get("id")?,
            comment_id: r.try_get("comment_id")?,
            kind: FileKind::parse(&r.try_get::<String, _>("kind")?).unwrap_or(FileKind::Attachment),
            name: r.try_get("name")?,
            size: r.try_get("size")?,
            created_at: r.try_get("created_at")?,
        },
        r.try_get("storage_key")?,
    ))
}

/// Stores a file's row; a position paper replaces the comment's earlier one (its key is returned
/// so the caller can drop the old bytes).
pub async fn insert_file(db: &Db, f: &NewFile<'_>) -> Result<(i64, Vec<String>), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let mut old = vec![];
    if let Some(comment) = f.comment_id {
        let rows = sqlx::query("SELECT storage_key FROM consultation_files WHERE comment_id = $1")
            .bind(comment)
            .fetch_all(&mut *tx)
            .await?;
        for r in rows {
            old.push(r.try_get("storage_key")?);
        }
        sqlx::query("DELETE FROM consultation_files WHERE comment_id = $1").bind(comment).execute(&mut *tx).await?;
    }
    let id: i64 = sqlx::query(
        "INSERT INTO consultation_files (consultation_id, comment_id, kind, name, size, storage_key, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(f.consultation_id)
    .bind(f.comment_id)
    .bind(f.kind.code())
    .bind(f.name)
    .bind(f.size)
    .bind(f.storage_key)
    .bind(f.uploaded_by)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    tx.commit().await?;
    Ok((id, old))
}

/// The organiser's attachments and the debate minutes, oldest first.
pub async fn consultation_files(db: &Db, cid: i64) -> Result<Vec<FileInfo>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {FILE_COLS} FROM consultation_files f WHERE f.consultation_id = $1 AND f.comment_id IS NULL ORDER BY f.id"
    ))
    .bind(cid)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| file_row(r).map(|(f, _)| f)).collect()
}

/// The position papers of the given comments, in one query.
pub async fn papers_for(db: &Db, comments: &[i64]) -> Result<Vec<FileInfo>, sqlx::Error> {
    if comments.is_empty() {
        return Ok(vec![]);
    }
    // Ids are integers we produced: safe to inline.
    let ids = comments.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let rows = sqlx::query(&format!("SELECT {FILE_COLS} FROM consultation_files f WHERE f.comment_id IN ({ids})"))
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| file_row(r).map(|(f, _)| f)).collect()
}

/// Every position paper of a consultation (the report).
pub async fn papers_of(db: &Db, cid: i64) -> Result<Vec<FileInfo>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {FILE_COLS} FROM consultation_files f WHERE f.consultation_id = $1 AND f.comment_id IS NOT NULL"
    ))
    .bind(cid)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| file_row(r).map(|(f, _)| f)).collect()
}

/// A file with where its bytes are and, for a paper, its comment's status.
pub struct StoredFile {
    pub info: FileInfo,
    pub key: String,
    pub comment_status: Option<CommentStatus>,
}

/// One file of a consultation.
pub async fn file(db: &Db, cid: i64, id: i64) -> Result<Option<StoredFile>, sqlx::Error> {
    let r = sqlx::query(&format!(
        "SELECT {FILE_COLS}, k.status AS comment_status FROM consultation_files f
         LEFT JOIN consultation_comments k ON k.id = f.comment_id
         WHERE f.id = $1 AND f.consultation_id = $2"
    ))
    .bind(id)
    .bind(cid)
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = r else { return Ok(None) };
    let (f, key) = file_row(&r)?;
    let status: Option<String> = r.try_get("comment_status")?;
    Ok(Some(StoredFile { info: f, key, comment_status: status.map(|s| CommentStatus::parse(&s)) }))
}

pub async fn delete_file(db: &Db, cid: i64, id: i64) -> Result<Option<String>, sqlx::Error> {
    let r = sqlx::query(
        "DELETE FROM consultation_files WHERE id = $1 AND consultation_id = $2 AND comment_id IS NULL RETURNING storage_key",
    )
    .bind(id)
    .bind(cid)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| r.try_get("storage_key")).transpose()
}
