//! Where uploaded files live: a folder on local disk by default, S3-compatible object storage when
//! configured (the server decides; see `server/src/storage.rs`). Features only see `Store`.
use object_store::{path::Path, ObjectStore, ObjectStoreExt, PutPayload};
use std::{io, sync::Arc};

#[derive(Clone)]
pub struct Store {
    inner: Arc<dyn ObjectStore>,
}

fn io_err(e: object_store::Error) -> io::Error {
    io::Error::other(e.to_string())
}

/// Keys are made by the platform (`<feature>/<random>.<ext>`); anything else is refused so a key
/// taken from a URL cannot climb out of the store.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 200
        && key.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
}

impl Store {
    pub fn new(inner: Arc<dyn ObjectStore>) -> Self {
        Store { inner }
    }

    /// A store in a local folder (created if missing).
    pub fn local(dir: &std::path::Path) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let fs = object_store::local::LocalFileSystem::new_with_prefix(dir).map_err(io_err)?;
        Ok(Store { inner: Arc::new(fs) })
    }

    fn path(key: &str) -> io::Result<Path> {
        if !valid_key(key) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "bad storage key"));
        }
        Ok(Path::from(key))
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> io::Result<()> {
        self.inner.put(&Self::path(key)?, PutPayload::from(bytes)).await.map(|_| ()).map_err(io_err)
    }

    pub async fn get(&self, key: &str) -> io::Result<Option<Vec<u8>>> {
        match self.inner.get(&Self::path(key)?).await {
            Ok(r) => Ok(Some(r.bytes().await.map_err(io_err)?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(io_err(e)),
        }
    }

    /// The size of a stored file without reading it, or `None` when there is no such file.
    pub async fn size(&self, key: &str) -> io::Result<Option<u64>> {
        match self.inner.head(&Self::path(key)?).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(io_err(e)),
        }
    }

    pub async fn delete(&self, key: &str) -> io::Result<()> {
        match self.inner.delete(&Self::path(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(io_err(e)),
        }
    }
}

/// The content type a stored file is served with, by the extension the platform gave it.
pub fn content_type(key: &str) -> &'static str {
    match key.rsplit('.').next() {
        Some("jpg") | Some("jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("pdf") => "application/pdf",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The prefixes whose files are public (photos of places, logos, campaign covers). Everything else
/// in the store (consultation files, kept for their own access rules) is served only by the
/// handler that checks who may see it, never here, whoever knows the key.
pub const PUBLIC_PREFIXES: [&str; 3] = ["map/", "orgs/", "donations/"];

pub fn is_public_key(key: &str) -> bool {
    valid_key(key) && PUBLIC_PREFIXES.iter().any(|p| key.starts_with(p))
}

/// `GET /media/{*key}`: stored public files, cached for a year (keys are never reused).
pub async fn serve(
    axum::extract::State(state): axum::extract::State<super::AppState>,
    axum::extract::Path(key): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use http::{header, StatusCode};
    if !is_public_key(&key) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match state.store.get(&key).await {
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, content_type(&key)),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                // A stored PDF or image never runs script, even if opened directly.
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, key, "media read failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cannot_escape() {
        assert!(valid_key("map/abc123.jpg"));
        assert!(valid_key("map/t/abc-1_2.jpg"));
        for bad in ["", "../etc/passwd", "map/../x", "/abs", "map//x", "map/x y.jpg", "map/%2e%2e"] {
            assert!(!valid_key(bad), "{bad}");
        }
    }

    #[tokio::test]
    async fn local_round_trip() {
        let dir = std::env::temp_dir().join(format!("participa-store-{}", super::super::public_id()));
        let store = Store::local(&dir).unwrap();
        store.put("t/a.txt", b"salut".to_vec()).await.unwrap();
        assert_eq!(store.get("t/a.txt").await.unwrap().as_deref(), Some(&b"salut"[..]));
        store.delete("t/a.txt").await.unwrap();
        assert_eq!(store.get("t/a.txt").await.unwrap(), None);
        assert!(store.put("../x", vec![]).await.is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
