//! "Download my data" as a ZIP: `data.json` (the export of every source) and, under `files/`, the
//! files the person uploaded, read from the store (local disk or S3). Built in memory, so it is
//! bounded: at most `MAX_FILE_BYTES` of files per archive (the rest is listed in `data.json` as
//! not included) and `BUILDERS` archives at a time, server-wide; callers also rate-limit per person.
use super::{export_all, Person};
use crate::ssr::{storage::Store, Db};
use serde_json::Value;
use std::io::{self, Write};
use std::sync::LazyLock;
use tokio::sync::Semaphore;

/// Files per archive, in total: photos are re-encoded to at most 1600 px (well under 1 MB each)
/// and papers to 10 MB, so this holds a very active person's uploads many times over.
pub const MAX_FILE_BYTES: usize = 100 * 1024 * 1024;
/// Archives built at once: each holds its files in memory until it is sent.
const BUILDERS: usize = 2;

static BUILDING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(BUILDERS));

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("files: {0}")]
    Io(#[from] io::Error),
}

/// The person's archive, as bytes of a ZIP file.
pub async fn build(db: &Db, store: &Store, person: &Person) -> Result<Vec<u8>, ArchiveError> {
    // Waits for a turn rather than refusing: the work is bounded and people asked for it.
    let _turn = BUILDING.acquire().await.map_err(|e| io::Error::other(e.to_string()))?;
    let mut data = export_all(db, person).await?;
    let keys: Vec<String> = data["files"]
        .as_array()
        .map(|a| a.iter().filter_map(|k| k.as_str().map(String::from)).collect())
        .unwrap_or_default();
    let (files, left_out) = gather(store, keys, MAX_FILE_BYTES).await?;
    if !left_out.is_empty() {
        data["files_not_included"] = Value::Array(left_out);
    }
    let json = serde_json::to_vec_pretty(&data).map_err(io::Error::other)?;
    let zip = tokio::task::spawn_blocking(move || write_zip(&json, &files))
        .await
        .map_err(|e| io::Error::other(e.to_string()))??;
    Ok(zip)
}

/// The files to put in the archive, within `budget` bytes, and the keys left out. Sizes are read
/// first, so a file over the budget is never read into memory.
pub async fn gather(
    store: &Store,
    keys: Vec<String>,
    budget: usize,
) -> io::Result<(Vec<(String, Vec<u8>)>, Vec<Value>)> {
    let (mut files, mut left_out, mut total) = (vec![], vec![], 0usize);
    for key in keys {
        // Listed by a row but not in the store (removed by hand, or a failed upload): nothing to add.
        let Some(size) = store.size(&key).await? else { continue };
        if usize::try_from(size).unwrap_or(usize::MAX) > budget - total {
            left_out.push(Value::from(key));
            continue;
        }
        match store.get(&key).await? {
            // Checked again: the file may have changed since its size was read.
            Some(bytes) if bytes.len() <= budget - total => {
                total += bytes.len();
                files.push((key, bytes));
            }
            Some(_) => left_out.push(Value::from(key)),
            None => {}
        }
    }
    Ok((files, left_out))
}

/// Writes the archive: the JSON deflated, the files stored as they are (JPEG and PDF are
/// compressed already; deflating them again costs CPU and saves nothing).
pub fn write_zip(json: &[u8], files: &[(String, Vec<u8>)]) -> io::Result<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    use zip::CompressionMethod;
    let zerr = |e: zip::result::ZipError| io::Error::other(e.to_string());
    let mut z = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    z.start_file("data.json", SimpleFileOptions::default().compression_method(CompressionMethod::Deflated))
        .map_err(zerr)?;
    z.write_all(json)?;
    for (key, bytes) in files {
        z.start_file(
            format!("files/{key}"),
            SimpleFileOptions::default().compression_method(CompressionMethod::Stored),
        )
        .map_err(zerr)?;
        z.write_all(bytes)?;
    }
    Ok(z.finish().map_err(zerr)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_archive_holds_the_data_and_the_files() {
        let zip = write_zip(b"{\"a\":1}", &[("map/x.jpg".into(), vec![0xff, 0xd8, 1, 2])]).unwrap();
        let mut z = zip::ZipArchive::new(io::Cursor::new(zip)).unwrap();
        let mut s = String::new();
        z.by_name("data.json").unwrap().read_to_string(&mut s).unwrap();
        assert_eq!(s, "{\"a\":1}");
        let mut b = vec![];
        z.by_name("files/map/x.jpg").unwrap().read_to_end(&mut b).unwrap();
        assert_eq!(b, [0xff, 0xd8, 1, 2]);
    }

    #[tokio::test]
    async fn files_over_the_budget_are_listed_not_read() {
        let dir = std::env::temp_dir().join(format!("participa-archive-{}", std::process::id()));
        let store = Store::local(&dir).unwrap();
        store.put("map/a.jpg", vec![1; 600]).await.unwrap();
        store.put("map/b.jpg", vec![2; 500]).await.unwrap();
        store.put("map/c.jpg", vec![3; 400]).await.unwrap();
        let keys = ["map/a.jpg", "map/gone.jpg", "map/b.jpg", "map/c.jpg"].map(String::from).to_vec();
        let (files, left_out) = gather(&store, keys, 1000).await.unwrap();
        let names: Vec<&str> = files.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["map/a.jpg", "map/c.jpg"], "the first that fit, in order");
        assert_eq!(left_out, [Value::from("map/b.jpg")], "over the budget, listed; a missing file is not");
        assert_eq!(files[1].1, vec![3; 400]);
        std::fs::remove_dir_all(dir).ok();
    }
}
