//! The catalogue: search with filters, result cards, pages, links to open data.
use super::super::rules::{domain_label, legal_form_label, DOMAINS, LEGAL_FORMS};
use super::super::{search_orgs, OrgCard, OrgFilter};
use crate::i18n::{t, tn, use_lang, K};
use crate::ui::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

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
                        view! {
                            <option value=v selected=sel>
                                {text}
                            </option>
                        }
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
        <PageTitle k=K::orgs_title />
        <h1>{t(K::orgs_title)}</h1>
        <p>{t(K::orgs_intro)}</p>
        <p class="actions">
            <a class="button" href="/organisations/new">
                {t(K::orgs_register)}
            </a>
            " "
            <a href="/authorities">{t(K::authorities_title)}</a>
        </p>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                let f = filter.get_untracked();
                match results.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(r) => {
                        let counties = r.counties.iter().map(|c| (c.clone(), c.clone())).collect();
                        let domains = DOMAINS.iter().map(|d| (d.to_string(), t(domain_label(d)).to_string())).collect();
                        let forms = LEGAL_FORMS
                            .iter()
                            .map(|d| (d.to_string(), t(legal_form_label(d)).to_string()))
                            .collect();
                        let count = tn(K::orgs_count, r.total);
                        let pager = crate::ui::pager::pager(
                            t(K::pager_label).to_string(),
                            r.page,
                            r.pages,
                            |p| page_href(&f, p),
                        );
                        view! {
                            <form
                                method="get"
                                action="/organisations"
                                class="filters"
                                role="search"
                                aria-label=t(K::orgs_search_label)
                            >
                                <div class="field">
                                    <label for="q">{t(K::orgs_search_label)}</label>
                                    <p class="hint" id="q-hint">
                                        {t(K::orgs_search_hint)}
                                    </p>
                                    <input id="q" name="q" type="search" value=f.q.clone() aria-describedby="q-hint" />
                                </div>
                                <Select id="domain" label=K::orgs_domain options=domains selected=f.domain.clone() />
                                <Select id="county" label=K::field_county options=counties selected=f.county.clone() />
                                <Select id="form" label=K::orgs_legal_form options=forms selected=f.form.clone() />
                                <div class="check">
                                    <input id="verified" name="verified" type="checkbox" value="1" checked=f.verified />
                                    <label for="verified">{t(K::orgs_only_verified)}</label>
                                </div>
                                <button type="submit" class="button">
                                    {t(K::search)}
                                </button>
                            </form>
                            <p class="result-count" role="status" aria-live="polite">
                                {count}
                            </p>
                            <ul class="cards">
                                {r.cards.into_iter().map(|o| view! { <OrgCardView o /> }).collect_view()}
                            </ul>
                            {pager}
                            <p class="muted">
                                {t(K::orgs_open_data)} " " <a href="/organisations.csv">"CSV"</a> " · "
                                <a href="/organisations.json">"JSON"</a>
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
            <h2 class="card-title">
                <a href=href>{o.name}</a>
            </h2>
            <p class="muted">{t(legal_form_label(&o.legal_form))} " · " {place}</p>
            <p>{o.short_description}</p>
            <p class="muted small">{domains}</p>
            {o
                .verified
                .then(|| {
                    view! {
                        <p class="tag verified">
                            <crate::ui::icons::Icon name=crate::ui::icons::IconName::Check />
                            " "
                            {t(K::orgs_verified)}
                        </p>
                    }
                })}
            {o.is_demo.then(|| view! { <p class="tag">{t(K::demo_badge)}</p> })}
        </li>
    }
}
