//! The photos of a form: checked by content, re-encoded, stored with their thumbnails.
use super::super::db::StoredPhoto;
use crate::ssr::forms::FieldProblem;
use crate::ssr::multipart::Form;
use crate::ssr::{public_id, AppState};

pub const MAX_PHOTOS: usize = 5;

/// Checks, re-encodes and stores the photos of a form (`photo_1..5` with `alt_1..5`). Every photo is
/// checked before any is stored, so a rejected one leaves nothing half-saved.
pub async fn photos_of(st: &AppState, parts: &Form, errors: &mut Vec<FieldProblem>) -> Vec<StoredPhoto> {
    let mut ready = vec![];
    for name in &parts.too_large {
        errors.push(FieldProblem { field: name.clone(), code: "too_large".into() });
    }
    for i in 1..=MAX_PHOTOS {
        let Some(bytes) = parts.files.get(&format!("photo_{i}")) else {
            continue;
        };
        let alt = crate::text::clean_text(parts.text.get(&format!("alt_{i}")).map(String::as_str).unwrap_or(""), 300);
        if alt.chars().count() < 3 {
            errors.push(FieldProblem { field: format!("alt_{i}"), code: "alt".into() });
        }
        match crate::ssr::images::process_off_thread(bytes.clone()).await {
            Ok(p) => ready.push((p, alt)),
            Err(crate::ssr::images::ImageError::TooLarge) => {
                errors.push(FieldProblem { field: format!("photo_{i}"), code: "too_large".into() })
            }
            Err(crate::ssr::images::ImageError::TooManyPixels) => {
                errors.push(FieldProblem { field: format!("photo_{i}"), code: "too_many_pixels".into() })
            }
            Err(_) => errors.push(FieldProblem { field: format!("photo_{i}"), code: "not_image".into() }),
        }
    }
    if !errors.is_empty() {
        return vec![];
    }
    let mut stored = vec![];
    for (p, alt) in ready {
        let id = public_id();
        let (full, thumb) = (format!("map/{id}.jpg"), format!("map/{id}_t.jpg"));
        if let Err(e) = st.store.put(&full, p.full).await.and(st.store.put(&thumb, p.thumb).await) {
            tracing::error!(error = %e, "storing a photo");
            errors.push(FieldProblem { field: "photo_1".into(), code: "internal".into() });
            return vec![];
        }
        stored.push(StoredPhoto {
            key_full: full,
            key_thumb: thumb,
            alt,
            width: p.width as i64,
            height: p.height as i64,
        });
    }
    stored
}
