//! Catalogue, organisation profile, registration, authorities directory.
use super::rules::{domain_label, legal_form_label, DOMAINS, LEGAL_FORMS};
use super::*;
use crate::accounts::use_me;
use crate::i18n::{fill, t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field};
use crate::ui::PageTitle;
use leptos::form::ActionForm;
use leptos_router::hooks::{use_params_map, use_query_map};

fn filter_from_query() -> Memo<OrgFilter> {
    let q = use_query_map();
    Memo::new(move |_| {
        q.with(|q| OrgFilter {
            q: q.get("q").unwrap_or_default(),
            domain: q.get("domain").unwrap_or_default(),
            county: q.get("county").unwrap_or_default(),
            form: q.get("form").unwrap_or_default(),
            verified: q.get("verified").is_some_and(|v| v == "1"),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        })
    })
}

fn page_href(f: &OrgFilter, page: i64) -> String {
    let mut parts = vec![];
    for (k, v) in [("q", &f.q), ("domain", &f.domain), ("county", &f.county), ("form", &f.form)] {
        if !v.is_empty() {
            parts.push(format!("{k}={}", crate::text::encode_query(v)));
        }
    }
    if f.verified {
        parts.push("verified=1".into());
    }
    parts.push(format!("page={page}"));
    format!("/organisations?{}", parts.join("&"))
}

/// Percent-encodes a query value (what the browser does for a GET form).

#[component]
fn Select(id: &'static str, label: K, options: Vec<(String, String)>, selected: String) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <select id=id name=id>
                <option value="">{t(K::orgs_any)}</option>
                {options
                    .into_iter()
                    .map(|(v, text)| {
                        let sel = v == selected;
                        view! { <option value=v selected=sel>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
pub fn OrgList() -> impl IntoView {
    let filter = filter_from_query();
    let results = Resource::new(move || filter.get(), search_orgs);
    let lang = use_lang();
    view! {
        <PageTitle k=K::orgs_title/>
        <h1>{t(K::orgs_title)}</h1>
        <p>{t(K::orgs_intro)}</p>
        <p class="actions">
            <a class="button" href="/organisations/new">{t(K::orgs_register)}</a>
            " "
            <a href="/authorities">{t(K::authorities_title)}</a>
        </p>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                let f = filter.get_untracked();
                match results.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(r) => {
                        let counties = r.counties.iter().map(|c| (c.clone(), c.clone())).collect();
                        let domains = DOMAINS.iter().map(|d| (d.to_string(), t(domain_label(d)).to_string())).collect();
                        let forms = LEGAL_FORMS.iter().map(|d| (d.to_string(), t(legal_form_label(d)).to_string())).collect();
                        let count = fill(t(K::orgs_count), &[("n", &r.total.to_string())]);
                        let prev = (r.page > 1).then(|| page_href(&f, r.page - 1));
                        let next = (r.page < r.pages).then(|| page_href(&f, r.page + 1));
                        let page_of = fill(t(K::pager_page_of), &[("n", &r.page.to_string()), ("total", &r.pages.to_string())]);
                        view! {
                            <form method="get" action="/organisations" class="filters" role="search" aria-label=t(K::orgs_search_label)>
                                <div class="field">
                                    <label for="q">{t(K::orgs_search_label)}</label>
                                    <p class="hint" id="q-hint">{t(K::orgs_search_hint)}</p>
                                    <input id="q" name="q" type="search" value=f.q.clone() aria-describedby="q-hint"/>
                                </div>
                                <Select id="domain" label=K::orgs_domain options=domains selected=f.domain.clone()/>
                                <Select id="county" label=K::field_county options=counties selected=f.county.clone()/>
                                <Select id="form" label=K::orgs_legal_form options=forms selected=f.form.clone()/>
                                <div class="check">
                                    <input id="verified" name="verified" type="checkbox" value="1" checked=f.verified/>
                                    <label for="verified">{t(K::orgs_only_verified)}</label>
                                </div>
                                <button type="submit" class="button">{t(K::search)}</button>
                            </form>
                            <p class="result-count" role="status" aria-live="polite">{count}</p>
                            <ul class="cards">
                                {r.cards.into_iter().map(|o| view! { <OrgCardView o/> }).collect_view()}
                            </ul>
                            <nav class="pager" aria-label=t(K::pager_label)>
                                {prev.map(|h| view! { <a href=h rel="prev">{t(K::pager_prev)}</a> })}
                                <span>{page_of}</span>
                                {next.map(|h| view! { <a href=h rel="next">{t(K::pager_next)}</a> })}
                            </nav>
                            <p class="muted">
                                {t(K::orgs_open_data)} " "
                                <a href="/organisations.csv">"CSV"</a> " · " <a href="/organisations.json">"JSON"</a>
                            </p>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn OrgCardView(o: OrgCard) -> impl IntoView {
    let place =
        [o.locality.clone(), o.county.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
    let href = format!("/organisations/{}", o.slug);
    let domains = o.domains.iter().map(|d| t(domain_label(d))).collect::<Vec<_>>().join(" · ");
    view! {
        <li class="card">
            <h2 class="card-title"><a href=href>{o.name}</a></h2>
            <p class="muted">{t(legal_form_label(&o.legal_form))} " · " {place}</p>
            <p>{o.short_description}</p>
            <p class="muted small">{domains}</p>
            {o.verified.then(|| view! { <p class="tag verified">"✓ " {t(K::orgs_verified)}</p> })}
            {o.is_demo.then(|| view! { <p class="tag">{t(K::demo_badge)}</p> })}
        </li>
    }
}

#[component]
pub fn OrgNew() -> impl IntoView {
    let me = use_me().0;
    let action = ServerAction::<RegisterOrg>::new();
    let p = problem_of(action);
    let lang = use_lang();
    let kept = move |field: &'static str| {
        p.with(|p| p.as_ref().and_then(|p| p.kept()).and_then(|f| f.value_of(field))).unwrap_or_default()
    };
    let err =
        move |field: &'static str| p.with(|p| p.as_ref().and_then(|p| p.form()).and_then(|f| f.error_for(field, lang)));
    view! {
        <PageTitle k=K::orgs_register/>
        <h1>{t(K::orgs_register)}</h1>
        <p>{t(K::orgs_register_intro)}</p>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                if !matches!(me.await, Ok(Some(_))) {
                    return view! { <p><a class="button" href="/account/login?next=/organisations/new">{t(K::nav_login)}</a></p> }.into_any();
                }
                let form_sel = kept("legal_form");
                let chosen = kept("domains");
                view! {
                    <ActionForm action=action attr:class="form" attr:novalidate=true>
                        <ErrorSummary problem=p/>
                        <Field problem=p name="name" label=K::orgs_name required=true/>
                        <div class="field" class:has-error=move || err("legal_form").is_some()>
                            <label for="f-legal_form">{t(K::orgs_legal_form)}</label>
                            {move || err("legal_form").map(|e| view! { <p class="field-error" id="f-legal_form-err">{e}</p> })}
                            <select id="f-legal_form" name="legal_form">
                                {LEGAL_FORMS.iter().map(|f| {
                                    let sel = *f == form_sel;
                                    view! { <option value=*f selected=sel>{t(legal_form_label(f))}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <Field problem=p name="cui" label=K::orgs_cui hint=K::hint_cui/>
                        <Field problem=p name="registry_number" label=K::orgs_registry/>
                        <Field problem=p name="locality" label=K::field_locality required=true autocomplete="address-level2"/>
                        <Field problem=p name="county" label=K::field_county autocomplete="address-level1"/>
                        <fieldset class="field checks" id="f-domains" aria-describedby=move || err("domains").map(|_| "f-domains-err")>
                            <legend>{t(K::orgs_domain)} " " <span class="req">{t(K::form_required)}</span></legend>
                            {move || err("domains").map(|e| view! { <p class="field-error" id="f-domains-err">{e}</p> })}
                            {DOMAINS.iter().map(|d| {
                                let id = format!("d-{d}");
                                let on = chosen.split(',').any(|c| c == *d);
                                view! {
                                    <div class="check">
                                        <input id=id.clone() type="checkbox" name="domains[]" value=*d checked=on/>
                                        <label for=id>{t(domain_label(d))}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                        <Field problem=p name="short_description" label=K::orgs_short_description required=true hint=K::hint_short_description/>
                        <Field problem=p name="website" label=K::orgs_website kind="url" autocomplete="url"/>
                        <Field problem=p name="contact_email" label=K::orgs_contact kind="email" autocomplete="email"/>
                        <button type="submit" class="button">{t(K::orgs_register_submit)}</button>
                    </ActionForm>
                }
                .into_any()
            })}
        </Transition>
    }
}

#[component]
pub fn AuthorityList() -> impl IntoView {
    let q = use_query_map();
    let county = move || q.with(|q| q.get("county").unwrap_or_default());
    let list = Resource::new(county, list_authorities);
    let lang = use_lang();
    view! {
        <PageTitle k=K::authorities_title/>
        <h1>{t(K::authorities_title)}</h1>
        <p>{t(K::authorities_intro)}</p>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(items) => view! {
                        <p role="status">{fill(t(K::authorities_count), &[("n", &items.len().to_string())])}</p>
                        <ul class="cards">
                            {items.into_iter().map(|a| {
                                let href = format!("/authorities/{}", a.slug);
                                view! {
                                    <li class="card">
                                        <h2 class="card-title"><a href=href>{a.name}</a></h2>
                                        <p class="muted">{a.locality} ", " {a.county}</p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn AuthorityDetail() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let a = Resource::new(slug, get_authority);
    let lang = use_lang();
    view! {
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match a.await {
                    Err(e) => view! { <h1>{t(K::notfound_title)}</h1><p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(a) => {
                        let title = format!("{} · {}", a.name, t(K::site_name));
                        view! {
                            <crate::ui::DataTitle text=title/>
                            <h1>{a.name.clone()}</h1>
                            <dl class="facts">
                                <dt>{t(K::orgs_place)}</dt><dd>{a.locality.clone()} ", " {a.county.clone()}</dd>
                                {(!a.address.is_empty()).then(|| view! { <dt>{t(K::authorities_address)}</dt><dd>{a.address.clone()}</dd> })}
                                {(!a.website.is_empty()).then(|| view! { <dt>{t(K::orgs_website)}</dt><dd><a href=a.website.clone() rel="nofollow noopener">{a.website.clone()}</a></dd> })}
                                <dt>{t(K::authorities_officer)}</dt>
                                <dd>{if a.officer_name.is_empty() { t(K::authorities_unknown).to_string() } else { format!("{} {} {}", a.officer_name, a.officer_email, a.officer_phone) }}</dd>
                            </dl>
                            <super::officials::RequestOfficial authority_id=a.id authority_slug=a.slug.clone()/>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The organisation's latest stories, on its page.
#[component]
pub fn OrgStories(org_id: i64) -> impl IntoView {
    let list = Resource::new(move || org_id, |id| super::stories::list_stories(id, 6));
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(s) if !s.is_empty() => view! {
                        <section aria-labelledby="org-stories-h">
                            <h2 id="org-stories-h">{t(K::stories_title)}</h2>
                            <super::stories::StoryCards stories=s/>
                        </section>
                    }
                    .into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}
