//! Which organisation receives the reports of a locality's new places (platform admins only).
use super::super::{db, rules, LocalityOwner};
use super::{platform_admin, MapError};
use crate::error::FormState;
use crate::i18n::K;

pub async fn list() -> Result<Vec<LocalityOwner>, MapError> {
    platform_admin().await?;
    Ok(db::locality_owners(&crate::ssr::state().db).await?)
}

/// Assigns (or re-assigns) a locality to an active organisation.
pub async fn assign(locality: &str, org_id: i64) -> Result<(), MapError> {
    let me = platform_admin().await?;
    let st = crate::ssr::state();
    let mut form = FormState::new().value("locality", locality);
    let locality = form.check("locality", rules::check_locality(locality));
    if !crate::orgs::db::org_is_active(&st.db, org_id).await? {
        form.add("org_id", K::err_choose);
    }
    match locality {
        Some(locality) if form.is_ok() => Ok(db::assign_locality(&st.db, &locality, org_id, me.id).await?),
        _ => Err(form.into()),
    }
}

pub async fn unassign(locality_key: &str) -> Result<(), MapError> {
    platform_admin().await?;
    Ok(db::unassign_locality(&crate::ssr::state().db, locality_key).await?)
}
