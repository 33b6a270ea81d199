//! What the contact's server functions do: check who asks (every time, on the server), parse,
//! store, and say who changed it in the log.
use super::{db, rules, ContactPage, Officer};
use crate::accounts::session::current_user;
use crate::accounts::SessionUser;
use crate::error::{FormState, Problem};
use crate::orgs::OrgsError;

type R<T> = Result<T, OrgsError>;

/// Platform admins and this authority's approved officials; everyone else is refused.
async fn editor(authority_id: i64) -> R<SessionUser> {
    let me = current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    if !rules::may_edit(&me, authority_id) {
        return Err(OrgsError(Problem::Forbidden));
    }
    Ok(me)
}

pub async fn form(slug: &str) -> R<ContactPage> {
    let me = current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    let page = db::contact_by_slug(&crate::ssr::state().db, slug).await?.ok_or(OrgsError(Problem::NotFound))?;
    if !rules::may_edit(&me, page.authority_id) {
        return Err(OrgsError(Problem::Forbidden));
    }
    Ok(page)
}

pub async fn save(authority_id: i64, f: rules::ContactForm) -> R<()> {
    let me = editor(authority_id).await?;
    let form = FormState::new()
        .value("officer_name", &f.officer_name)
        .value("officer_email", &f.officer_email)
        .value("officer_phone", &f.officer_phone)
        .value("registry_email", &f.registry_email);
    let c = rules::check_contact(&f).map_err(|errs| crate::orgs::invalid(form, errs))?;
    let officer = Officer {
        name: c.officer_name,
        email: c.officer_email.map(|e| e.as_str().to_string()).unwrap_or_default(),
        phone: c.officer_phone.map(|p| p.as_str().to_string()).unwrap_or_default(),
    };
    let registry = c.registry_email.map(|e| e.as_str().to_string()).unwrap_or_default();
    let st = crate::ssr::state();
    let slug =
        db::save_contact(&st.db, authority_id, &officer, &registry).await?.ok_or(OrgsError(Problem::NotFound))?;
    // No audit table for admin actions yet: the log says who changed which authority's contact.
    tracing::info!(actor = me.id, authority_id, "authority contact changed");
    leptos_axum::redirect(&format!("/authorities/{slug}?contact_saved=1"));
    Ok(())
}
