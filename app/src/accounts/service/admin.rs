//! The platform admin's work: finding people, granting and revoking roles, reading the outbox.
use super::*;
use crate::accounts::rules::{scope_id_for, RoleKind};
use crate::accounts::session::require_admin;
use crate::accounts::{AdminUserRow, OutboxMail, ScopeOption};

pub async fn list_users(q: String) -> Result<Vec<AdminUserRow>, AccountsError> {
    require_admin().await?;
    Ok(db::list_users(&ssr::state().db, q.trim()).await?)
}

pub async fn scope_options() -> Result<Vec<ScopeOption>, AccountsError> {
    require_admin().await?;
    Ok(db::scope_options(&ssr::state().db).await?)
}

/// `scope` is the scope select's value ("org:ID" or "auth:ID"); it must match what the role needs.
pub async fn grant_role(email: String, role: String, scope: String) -> Result<(), AccountsError> {
    let actor = require_admin().await?;
    let st = ssr::state();
    let mut form = FormState::new().value("email", &email).value("role", &role).value("scope", &scope);
    let kind = RoleKind::parse(&role);
    if kind.is_none() {
        form.add("role", K::err_role_invalid);
    }
    let target = match Email::parse(&email) {
        Ok(e) => db::find_user_by_email(&st.db, e.as_str()).await?.filter(|u| u.deleted_at.is_none()),
        Err(k) => {
            form.add("email", k);
            None
        }
    };
    if target.is_none() && form.is_ok() {
        form.add("email", K::err_user_not_found);
    }
    let (Some(kind), Some(target)) = (kind, target) else {
        return Err(form.into());
    };
    let Some(scope_id) = scope_id_for(kind, &scope) else {
        form.add("scope", K::err_scope_required);
        return Err(form.into());
    };
    if scope_id != 0 && !db::scope_exists(&st.db, kind, scope_id).await? {
        form.add("scope", K::err_scope_required);
        return Err(form.into());
    }
    db::grant_role(&st.db, target.id, kind, scope_id, actor.id).await?;
    redirect_safe("/admin?saved=1");
    Ok(())
}

pub async fn revoke_role(role_id: i64) -> Result<(), AccountsError> {
    let actor = require_admin().await?;
    let st = ssr::state();
    // Keep at least one platform admin, or nobody could grant roles again.
    if db::is_last_admin_role(&st.db, role_id).await? {
        return Err(AccountsError(Problem::Refused(K::err_last_admin)));
    }
    db::revoke_role(&st.db, role_id).await?;
    tracing::info!(actor = actor.id, role_id, "role revoked");
    redirect_safe("/admin?saved=1");
    Ok(())
}

pub async fn outbox() -> Result<Vec<OutboxMail>, AccountsError> {
    require_admin().await?;
    let st = ssr::state();
    // With SMTP, mail goes to its recipients and nobody else reads it (the links it carries
    // would let an admin act as anyone); without, the outbox is how a first install gets going.
    if !st.settings.outbox_only {
        return Err(AccountsError(Problem::Refused(K::outbox_smtp)));
    }
    Ok(db::outbox(&st.db, 200).await?)
}
