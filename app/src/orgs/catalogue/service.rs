//! What the catalogue's server functions do: check who asks, apply the rules, store.
use super::{db, rules, Authority, OrgFilter, OrgProfile, OrgResults};
use crate::accounts::session::current_user;
use crate::error::{FormState, Problem};
use crate::i18n::K;
use crate::orgs::OrgsError;

type R<T> = Result<T, OrgsError>;

pub async fn search(filter: &OrgFilter) -> R<OrgResults> {
    Ok(db::search(&crate::ssr::state().db, filter).await?)
}

pub async fn get_org(slug: &str) -> R<OrgProfile> {
    let st = crate::ssr::state();
    let profile = db::profile(&st.db, slug).await?.ok_or(OrgsError(Problem::NotFound))?;
    // Only an organisation that is not public needs to know who asks.
    let me = if profile.status == "active" { None } else { current_user().await? };
    if !rules::may_view(&profile.status, me.as_ref(), profile.card.id) {
        return Err(OrgsError(Problem::NotFound));
    }
    Ok(profile)
}

pub async fn authorities(county: &str) -> R<Vec<Authority>> {
    Ok(db::authorities(&crate::ssr::state().db, county).await?)
}

pub async fn authority(slug: &str) -> R<Authority> {
    db::authority(&crate::ssr::state().db, slug).await?.ok_or(OrgsError(Problem::NotFound))
}

pub async fn register_org(f: rules::RegistrationForm) -> R<()> {
    let st = crate::ssr::state();
    let me = current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    if let Some(wait) = crate::ssr::rate_limit::hit(&st.db, &format!("org.register:{}", me.id), 3, 86_400).await? {
        return Err(OrgsError(Problem::rate_limited(wait, FormState::new().value("name", &f.name))));
    }
    let mut form = FormState::new()
        .value("name", &f.name)
        .value("legal_form", &f.legal_form)
        .value("cui", &f.cui)
        .value("registry_number", &f.registry_number)
        .value("locality", &f.locality)
        .value("county", &f.county)
        .value("domains", &f.domains.join(","))
        .value("short_description", &f.short_description)
        .value("website", &f.website)
        .value("contact_email", &f.contact_email);
    if !me.verified {
        return Err(OrgsError(Problem::Refused(K::err_verify_first)));
    }
    let new = match rules::check_registration(&f) {
        Ok(new) => new,
        Err(errs) => return Err(crate::orgs::invalid(form, errs)),
    };
    if db::slug_taken(&st.db, &new.slug).await? {
        form.add("name", K::err_org_exists);
        return Err(form.into());
    }
    db::create(&st.db, &new, me.id).await?;
    leptos_axum::redirect(&format!("/organisations/{}?created=1", new.slug));
    Ok(())
}

pub async fn set_org_status(org_id: i64, status: &str) -> R<()> {
    let me = current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    if !me.is_admin() {
        return Err(OrgsError(Problem::Forbidden));
    }
    if !rules::STATUSES.contains(&status) {
        return Err(OrgsError(Problem::NotFound));
    }
    let st = crate::ssr::state();
    // "active" also verifies (the badge); the other statuses keep the verification time.
    let verified = (status == "active").then(crate::ssr::now);
    let slug = db::set_status(&st.db, org_id, status, verified).await?.ok_or(OrgsError(Problem::NotFound))?;
    leptos_axum::redirect(&format!("/organisations/{slug}?status=1"));
    Ok(())
}

pub async fn update_org_profile(org_id: i64, f: rules::ProfileForm) -> R<()> {
    crate::orgs::members::service::manager(org_id).await?;
    let st = crate::ssr::state();
    let form = FormState::new()
        .value("short_description", &f.short_description)
        .value("description", &f.description)
        .value("website", &f.website)
        .value("social_links", &f.social_links)
        .value("areas", &f.areas)
        .value("founding_year", &f.founding_year)
        .value("contact_email", &f.contact_email);
    let update =
        rules::check_profile(&f, rules::year_of(crate::ssr::now())).map_err(|errs| crate::orgs::invalid(form, errs))?;
    let slug = db::update_profile(&st.db, org_id, &update).await?.ok_or(OrgsError(Problem::NotFound))?;
    leptos_axum::redirect(&format!("/organisations/{slug}?saved=1"));
    Ok(())
}
