//! The organisation's own sections of its page (assembled in `site::organisation`): the profile,
//! and the platform admin's verification box.
use super::super::rules::{domain_label, legal_form_label};
use super::super::{OrgProfile, SetOrgStatus};
use crate::i18n::{t, K};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// Logo, name, the edit button for those who manage it, tags, the lead, the facts, the social
/// links and the description.
#[component]
pub fn OrgProfileView(profile: OrgProfile, can_manage: bool) -> impl IntoView {
    let p = profile;
    let manage = can_manage;
    let place = [p.card.locality.clone(), p.card.county.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let domains = p.card.domains.iter().map(|d| t(domain_label(d))).collect::<Vec<_>>().join(", ");
    let socials = p
        .social_url
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let l = l.trim().to_string();
            let shown =
                l.trim_start_matches("https://").trim_start_matches("http://").trim_start_matches("www.").to_string();
            view! {
                <li>
                    <a href=l rel="nofollow noopener">
                        {shown}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        {p.logo_url.clone().map(|src| view! { <img class="org-logo" src=src alt=p.logo_alt.clone() width="120" /> })}
        <h1>{p.card.name.clone()}</h1>
        {manage
            .then(|| {
                view! {
                    <p>
                        <a class="button secondary" href=format!("/organisations/{}/edit", p.card.slug)>
                            {t(K::orgs_profile_edit)}
                        </a>
                    </p>
                }
            })}
        <p>
            {p
                .card
                .verified
                .then(|| {
                    view! {
                        <span class="tag verified">
                            <crate::ui::icons::Icon name=crate::ui::icons::IconName::Check />
                            " "
                            {t(K::orgs_verified)}
                        </span>
                        " "
                    }
                })}
            {(p.status == "pending")
                .then(|| {
                    view! {
                        <span class="tag">{t(K::orgs_pending)}</span>
                        " "
                    }
                })} {p.card.is_demo.then(|| view! { <span class="tag">{t(K::demo_badge)}</span> })}
        </p>
        <p class="lead">{p.card.short_description.clone()}</p>
        <dl class="facts">
            <dt>{t(K::orgs_legal_form)}</dt>
            <dd>{t(legal_form_label(&p.card.legal_form))}</dd>
            <dt>{t(K::orgs_place)}</dt>
            <dd>{place}</dd>
            <dt>{t(K::orgs_domain)}</dt>
            <dd>{domains}</dd>
            {p
                .cui
                .clone()
                .map(|c| {
                    view! {
                        <dt>"CUI"</dt>
                        <dd>{c}</dd>
                    }
                })}
            {(!p.registry_number.is_empty())
                .then(|| {
                    view! {
                        <dt>{t(K::orgs_registry)}</dt>
                        <dd>{p.registry_number.clone()}</dd>
                    }
                })}
            {p
                .founding_year
                .map(|y| {
                    view! {
                        <dt>{t(K::orgs_founded)}</dt>
                        <dd>{y}</dd>
                    }
                })}
            {(!p.areas.is_empty())
                .then(|| {
                    view! {
                        <dt>{t(K::orgs_profile_areas)}</dt>
                        <dd>{p.areas.clone()}</dd>
                    }
                })}
            <dt>{t(K::orgs_members)}</dt>
            <dd>{p.members}</dd>
            {(!p.website.is_empty())
                .then(|| {
                    view! {
                        <dt>{t(K::orgs_website)}</dt>
                        <dd>
                            <a href=p.website.clone() rel="nofollow noopener">
                                {p.website.clone()}
                            </a>
                        </dd>
                    }
                })}
            {p
                .contact_parts
                .clone()
                .map(|(user, domain)| {
                    view! {
                        <dt>{t(K::orgs_contact)}</dt>
                        <dd>
                            {user} <span aria-hidden="true">" [at] "</span><span class="visually-hidden">"@"</span>
                            {domain}
                        </dd>
                    }
                })}
        </dl>
        {(!p.social_url.trim().is_empty())
            .then(|| {
                view! {
                    <h2 class="small-heading" id="org-links-h">
                        {t(K::orgs_profile_social)}
                    </h2>
                    <ul class="links" aria-labelledby="org-links-h">
                        {socials}
                    </ul>
                }
            })}
        {(!p.description.is_empty() && p.description != p.card.short_description)
            .then(|| view! { <p>{p.description.clone()}</p> })}
    }
}

/// The platform admin's box: verify (the badge) or restrict the organisation.
#[component]
pub fn OrgAdminBox(org_id: i64) -> impl IntoView {
    let status = ServerAction::<SetOrgStatus>::new();
    let id = org_id;
    view! {
        <section aria-labelledby="admin-h" class="admin-box">
            <h2 id="admin-h">{t(K::nav_admin)}</h2>
            <ActionForm action=status attr:class="inline-form">
                <input type="hidden" name="org_id" value=id />
                <input type="hidden" name="status" value="active" />
                <button type="submit" class="button">
                    {t(K::orgs_verify)}
                </button>
            </ActionForm>
            " "
            <ActionForm action=status attr:class="inline-form">
                <input type="hidden" name="org_id" value=id />
                <input type="hidden" name="status" value="restricted" />
                <button type="submit" class="button secondary">
                    {t(K::orgs_restrict)}
                </button>
            </ActionForm>
        </section>
    }
}
