//! Imports: an organisation's admin uploads a file, sees every row checked, then imports all the
//! rows or none.
use super::super::rules::{self, import};
use super::super::{db, MapError, Upload};
use super::{signed_in, Stop};
use crate::accounts::SessionUser;
use crate::error::Problem;
use crate::i18n::K;
use crate::ssr::{public_id, AppState};

/// The organisations the signed-in person may import for.
pub async fn orgs() -> Result<Vec<(i64, String)>, MapError> {
    let me = signed_in().await?;
    let orgs = db::orgs_for_import(&crate::ssr::state().db).await?;
    Ok(orgs.into_iter().filter(|(id, _)| rules::may_import(&me, Some(*id))).collect())
}

/// Keeps an uploaded file (`file` of the form) for its preview, checked by its content: the
/// token of the upload. Nothing is imported here.
pub async fn upload(
    st: &AppState,
    me: &SessionUser,
    org_id: i64,
    parts: &crate::ssr::multipart::Form,
) -> Result<String, Stop> {
    if !rules::may_import(me, Some(org_id)) {
        return Err(Stop::Forbidden);
    }
    if crate::ssr::rate_limit::hit(&st.db, &format!("map.import:{}", me.id), 30, 3600).await?.is_some() {
        return Err(Stop::back("file", "rate"));
    }
    let Some(bytes) = parts.files.get("file") else {
        return Err(Stop::back("file", "required"));
    };
    let text = import::file_text(bytes).map_err(|code| Stop::back("file", code))?;
    let name = parts.file_names.get("file").cloned().unwrap_or_default();
    let name = crate::text::clean_text(&name, 120);
    let token = public_id();
    db::save_import(&st.db, &token, me.id, org_id, &name, &text).await?;
    Ok(token)
}

/// The preview of a file the signed-in person uploaded.
pub async fn preview(token: String) -> Result<Option<Upload>, MapError> {
    let me = signed_in().await?;
    let Some(u) = db::load_import(&crate::ssr::state().db, &token, me.id).await? else {
        return Ok(None);
    };
    let preview = import::parse(import::format_of(&u.file_name), &u.content);
    Ok(Some(Upload { token, file_name: u.file_name, org_name: u.org_name, preview }))
}

/// Imports a previewed file: every row or none (one transaction), only for an organisation the
/// person manages (platform admins: any organisation), and only once. The number of places.
pub async fn commit(token: &str) -> Result<i64, MapError> {
    let st = crate::ssr::state();
    let me = signed_in().await?;
    let u = db::load_import(&st.db, token, me.id).await?.ok_or(MapError(Problem::NotFound))?;
    if !rules::may_import(&me, Some(u.org_id)) {
        return Err(MapError(Problem::Forbidden));
    }
    let preview = import::parse(import::format_of(&u.file_name), &u.content);
    if !preview.errors.is_empty() {
        return Err(MapError(Problem::Refused(K::map_import_errors)));
    }
    Ok(db::import(&st.db, &preview.rows, u.org_id, me.id, token).await?)
}
