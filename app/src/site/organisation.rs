//! An organisation's page, assembled from the sections each feature exports: its profile and
//! stories (orgs), campaigns (donations), consultations, map reports, members, and the platform
//! admin's verification box. Lives above the features, so no feature imports another above it.
use crate::accounts::use_me;
use crate::i18n::{t, use_lang, K};
use crate::orgs;
use crate::orgs::catalogue::pages::{OrgAdminBox, OrgProfileView};
use crate::orgs::members::pages::MembersSection;
use crate::orgs::stories::pages::OrgStories;
use crate::ui::Notice;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn OrganisationPage() -> impl IntoView {
    let params = use_params_map();
    let q = use_query_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let org = Resource::new(slug, orgs::get_org);
    let me = use_me().0;
    let lang = use_lang();
    view! {
        {move || q.with(|q| q.get("created").is_some()).then(|| view! { <Notice text=t(K::orgs_created) /> })}
        {move || {
            q.with(|q| q.get("status").is_some() || q.get("members").is_some() || q.get("saved").is_some())
                .then(|| view! { <Notice text=t(K::admin_saved) /> })
        }}
        {move || q.with(|q| q.get("invited").is_some()).then(|| view! { <Notice text=t(K::members_invited) /> })}
        {move || q.with(|q| q.get("joined").is_some()).then(|| view! { <Notice text=t(K::members_joined) /> })}
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                let user = me.await.ok().flatten();
                let admin = user.as_ref().is_some_and(|u| u.is_admin());
                match org.await {
                    Err(e) => {
                        view! {
                            <h1>{t(K::notfound_title)}</h1>
                            <p role="alert">{e.0.message(lang)}</p>
                        }
                            .into_any()
                    }
                    Ok(p) => {
                        let title = format!("{} · {}", p.card.name, t(K::site_name));
                        let id = p.card.id;
                        let slug = p.card.slug.clone();
                        let manage = user.as_ref().is_some_and(|u| orgs::members::can_manage(u, id));
                        view! {
                            <crate::ui::DataTitle text=title />
                            <OrgProfileView profile=p can_manage=manage />
                            <OrgStories org_id=id />
                            <crate::donations::OrgCampaigns org_id=id org_slug=slug />
                            <crate::consultations::OrgConsultations org_id=id />
                            <crate::map::OrgMapReports org_id=id />
                            <MembersSection org_id=id />
                            {admin.then(|| view! { <OrgAdminBox org_id=id /> })}
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
