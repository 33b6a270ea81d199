//! An organisation's page, assembled from the sections each feature exports: its profile and
//! stories (orgs), campaigns (donations), consultations, map reports, members, and the platform
//! admin's verification box. Lives above the features, so no feature imports another above it.
use crate::accounts::use_me;
use crate::i18n::{t, use_lang, K};
use crate::orgs::{
    self,
    rules::{domain_label, legal_form_label},
};
use crate::ui::Notice;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn OrganisationPage() -> impl IntoView {
    let params = use_params_map();
    let q = use_query_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let org = Resource::new(slug, orgs::get_org);
    let status = ServerAction::<orgs::SetOrgStatus>::new();
    let me = use_me().0;
    let lang = use_lang();
    view! {
        {move || q.with(|q| q.get("created").is_some()).then(|| view! { <Notice text=t(K::orgs_created)/> })}
        {move || q.with(|q| q.get("status").is_some() || q.get("members").is_some() || q.get("saved").is_some()).then(|| view! { <Notice text=t(K::admin_saved)/> })}
        {move || q.with(|q| q.get("invited").is_some()).then(|| view! { <Notice text=t(K::members_invited)/> })}
        {move || q.with(|q| q.get("joined").is_some()).then(|| view! { <Notice text=t(K::members_joined)/> })}
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                let user = me.await.ok().flatten();
                let admin = user.as_ref().is_some_and(|u| u.is_admin());
                match org.await {
                    Err(e) => view! { <h1>{t(K::notfound_title)}</h1><p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(p) => {
                        let title = format!("{} · {}", p.card.name, t(K::site_name));
                        let place = [p.card.locality.clone(), p.card.county.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
                        let domains = p.card.domains.iter().map(|d| t(domain_label(d))).collect::<Vec<_>>().join(", ");
                        let id = p.card.id;
                        let manage = user.as_ref().is_some_and(|u| orgs::members::can_manage(u, id));
                        let socials = p.social_url.lines().filter(|l| !l.trim().is_empty()).map(|l| {
                            let l = l.trim().to_string();
                            let shown = l.trim_start_matches("https://").trim_start_matches("http://").trim_start_matches("www.").to_string();
                            view! { <li><a href=l rel="nofollow noopener">{shown}</a></li> }
                        }).collect_view();
                        view! {
                            <crate::ui::DataTitle text=title/>
                            {p.logo_url.clone().map(|src| view! { <img class="org-logo" src=src alt=p.logo_alt.clone() width="120"/> })}
                            <h1>{p.card.name.clone()}</h1>
                            {manage.then(|| view! { <p><a class="button secondary" href=format!("/organisations/{}/edit", p.card.slug)>{t(K::orgs_profile_edit)}</a></p> })}
                            <p>
                                {p.card.verified.then(|| view! { <span class="tag verified">"✓ " {t(K::orgs_verified)}</span> " " })}
                                {(p.status == "pending").then(|| view! { <span class="tag">{t(K::orgs_pending)}</span> " " })}
                                {p.card.is_demo.then(|| view! { <span class="tag">{t(K::demo_badge)}</span> })}
                            </p>
                            <p class="lead">{p.card.short_description.clone()}</p>
                            <dl class="facts">
                                <dt>{t(K::orgs_legal_form)}</dt><dd>{t(legal_form_label(&p.card.legal_form))}</dd>
                                <dt>{t(K::orgs_place)}</dt><dd>{place}</dd>
                                <dt>{t(K::orgs_domain)}</dt><dd>{domains}</dd>
                                {p.cui.clone().map(|c| view! { <dt>"CUI"</dt><dd>{c}</dd> })}
                                {(!p.registry_number.is_empty()).then(|| view! { <dt>{t(K::orgs_registry)}</dt><dd>{p.registry_number.clone()}</dd> })}
                                {p.founding_year.map(|y| view! { <dt>{t(K::orgs_founded)}</dt><dd>{y}</dd> })}
                                {(!p.areas.is_empty()).then(|| view! { <dt>{t(K::orgs_profile_areas)}</dt><dd>{p.areas.clone()}</dd> })}
                                <dt>{t(K::orgs_members)}</dt><dd>{p.members}</dd>
                                {(!p.website.is_empty()).then(|| view! { <dt>{t(K::orgs_website)}</dt><dd><a href=p.website.clone() rel="nofollow noopener">{p.website.clone()}</a></dd> })}
                                {p.contact_parts.clone().map(|(user, domain)| view! {
                                    <dt>{t(K::orgs_contact)}</dt>
                                    <dd>{user} <span aria-hidden="true">" [at] "</span><span class="visually-hidden">"@"</span> {domain}</dd>
                                })}
                            </dl>
                            {(!p.social_url.trim().is_empty()).then(|| view! {
                                <h2 class="small-heading" id="org-links-h">{t(K::orgs_profile_social)}</h2>
                                <ul class="links" aria-labelledby="org-links-h">{socials}</ul>
                            })}
                            {(!p.description.is_empty() && p.description != p.card.short_description).then(|| view! { <p>{p.description.clone()}</p> })}
                            <orgs::pages::OrgStories org_id=id/>
                            <crate::donations::OrgCampaigns org_id=id org_slug=p.card.slug.clone()/>
                            <crate::consultations::OrgConsultations org_id=id/>
                            <crate::map::OrgMapReports org_id=id/>
                            <orgs::members::MembersSection org_id=id/>
                            {admin.then(|| view! {
                                <section aria-labelledby="admin-h" class="admin-box">
                                    <h2 id="admin-h">{t(K::nav_admin)}</h2>
                                    <ActionForm action=status attr:class="inline-form">
                                        <input type="hidden" name="org_id" value=id/>
                                        <input type="hidden" name="status" value="active"/>
                                        <button type="submit" class="button">{t(K::orgs_verify)}</button>
                                    </ActionForm>
                                    " "
                                    <ActionForm action=status attr:class="inline-form">
                                        <input type="hidden" name="org_id" value=id/>
                                        <input type="hidden" name="status" value="restricted"/>
                                        <button type="submit" class="button secondary">{t(K::orgs_restrict)}</button>
                                    </ActionForm>
                                </section>
                            })}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}
