//! What the stories server functions do.
use super::{db, rules, StoryCard, StoryView};
use crate::error::{FormState, Problem};
use crate::orgs::OrgsError;

type R<T> = Result<T, OrgsError>;

pub async fn list(org_id: i64, limit: i64) -> R<Vec<StoryCard>> {
    Ok(db::stories(&crate::ssr::state().db, org_id, limit.clamp(1, 100)).await?)
}

pub async fn get(slug: &str) -> R<StoryView> {
    let st = crate::ssr::state();
    let (card, md) = db::story(&st.db, slug).await?.ok_or(OrgsError(Problem::NotFound))?;
    Ok(StoryView { card, html: crate::ssr::markdown::render(&md) })
}

pub async fn create(org_id: i64, f: rules::StoryForm) -> R<()> {
    let st = crate::ssr::state();
    let me = crate::orgs::members::service::manager(org_id).await?;
    if let Some(wait) = crate::ssr::rate_limit::hit(&st.db, &format!("org.story:{org_id}"), 20, 86_400).await? {
        return Err(OrgsError(Problem::rate_limited(
            wait,
            FormState::new().value("title", &f.title).value("body", &f.body),
        )));
    }
    let form = FormState::new()
        .value("title", &f.title)
        .value("summary", &f.summary)
        .value("body", &f.body)
        .value("domain", &f.domain)
        .value("locality", &f.locality);
    let s = match rules::check_story(&f) {
        Ok(s) => s,
        Err(errs) => return Err(crate::orgs::invalid(form, errs)),
    };
    let slug = format!("{}-{}", s.slug_base, &crate::ssr::public_id()[..6]);
    db::create_story(&st.db, &slug, org_id, &s.title, &s.summary, &s.body, &s.domain, &s.locality, me.id).await?;
    leptos_axum::redirect(&format!("/stories/{slug}"));
    Ok(())
}
