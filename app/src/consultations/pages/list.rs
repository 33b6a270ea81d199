//! The list of consultations (with the subscription form), an organisation's consultations for its
//! page, and the unsubscribe page.
use super::*;
use crate::accounts::use_me;

#[component]
pub fn ConsultationList() -> impl IntoView {
    let q = use_query_map();
    let filter = Memo::new(move |_| {
        q.with(|q| ListFilter {
            topic: q.get("topic").unwrap_or_default(),
            county: q.get("county").unwrap_or_default(),
            status: q.get("status").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        })
    });
    let data = Resource::new(move || filter.get(), list_consultations);
    let subscribe = ServerAction::<SubscribeNew>::new();
    let me = use_me().0;
    let lang = use_lang();
    view! {
        <PageTitle k=K::consultations_title />
        <h1>{t(K::consultations_title)}</h1>
        <p>{t(K::consultations_intro)}</p>
        {move || {
            q.with(|q| q.get("subscribed").is_some()).then(|| view! { <Notice text=t(K::consultations_subscribed) /> })
        }}
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                let f = filter.get_untracked();
                let signed_in = matches!(me.await, Ok(Some(_)));
                match data.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(r) => {
                        let page_href = |p: i64| {
                            format!(
                                "/consultations?topic={}&county={}&status={}&page={p}",
                                crate::text::encode_query(&f.topic),
                                crate::text::encode_query(&f.county),
                                f.status,
                            )
                        };
                        let pager = crate::ui::pager::pager(t(K::pager_label).to_string(), r.page, r.pages, page_href);
                        let counties = r.counties.clone();
                        view! {
                            {r
                                .can_create
                                .then(|| {
                                    view! {
                                        <p class="actions">
                                            <a class="button" href="/consultations/new">
                                                {t(K::consultations_new)}
                                            </a>
                                            " "
                                            <a href="/consultations/moderation">{t(K::consultations_queue_title)}</a>
                                        </p>
                                    }
                                })}
                            <form
                                method="get"
                                action="/consultations"
                                class="filters"
                                role="search"
                                aria-label=t(K::consultations_filter)
                            >
                                <div class="field">
                                    <label for="topic">{t(K::consultations_topic)}</label>
                                    <select id="topic" name="topic">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {TOPICS
                                            .iter()
                                            .map(|x| {
                                                view! {
                                                    <option value=*x selected=f.topic == *x>
                                                        {t(topic_label(x))}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="county">{t(K::field_county)}</label>
                                    <select id="county" name="county">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {r
                                            .counties
                                            .iter()
                                            .map(|c| {
                                                view! {
                                                    <option value=c.clone() selected=f.county == *c>
                                                        {c.clone()}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="status">{t(K::consultations_status)}</label>
                                    <select id="status" name="status">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {Status::ALL
                                            .into_iter()
                                            .filter(|s| s.is_public())
                                            .map(|s| {
                                                view! {
                                                    <option value=s.code() selected=f.status == s.code()>
                                                        {t(s.label())}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <button type="submit" class="button">
                                    {t(K::search)}
                                </button>
                            </form>
                            <p class="result-count" role="status">
                                {tn(K::consultations_count, r.total)}
                            </p>
                            <ul class="cards">
                                {r.cards.into_iter().map(|c| view! { <ConsultationCard c /> }).collect_view()}
                            </ul>
                            {pager}
                            {signed_in
                                .then(|| {
                                    view! {
                                        <section aria-labelledby="sub-h" class="admin-box">
                                            <h2 id="sub-h">{t(K::consultations_subscribe_title)}</h2>
                                            <ActionForm action=subscribe attr:class="form inline-fields">
                                                <div class="field">
                                                    <label for="sub-topic">{t(K::consultations_topic)}</label>
                                                    <select id="sub-topic" name="topic">
                                                        <option value="">{t(K::orgs_any)}</option>
                                                        {TOPICS
                                                            .iter()
                                                            .map(|x| {
                                                                view! { <option value=*x>{t(topic_label(x))}</option> }
                                                            })
                                                            .collect_view()}
                                                    </select>
                                                </div>
                                                <div class="field">
                                                    <label for="sub-county">{t(K::field_county)}</label>
                                                    <select id="sub-county" name="county">
                                                        <option value="">{t(K::orgs_any)}</option>
                                                        {counties
                                                            .iter()
                                                            .map(|c| {
                                                                view! { <option value=c.clone()>{c.clone()}</option> }
                                                            })
                                                            .collect_view()}
                                                    </select>
                                                </div>
                                                <button type="submit" class="button secondary">
                                                    {t(K::consultations_subscribe)}
                                                </button>
                                            </ActionForm>
                                        </section>
                                    }
                                })}
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The consultations an organisation runs, for its page.
#[component]
pub fn OrgConsultations(org_id: i64) -> impl IntoView {
    let list = Resource::new(move || org_id, org_consultations);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if !items.is_empty() => {
                        view! {
                            <section aria-labelledby="org-consultations-h">
                                <h2 id="org-consultations-h">{t(K::consultations_title)}</h2>
                                <ul class="cards">
                                    {items.into_iter().map(|c| view! { <ConsultationCard c /> }).collect_view()}
                                </ul>
                            </section>
                        }
                            .into_any()
                    }
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let q = use_query_map();
    let action = ServerAction::<ConsultationsUnsubscribe>::new();
    let p = problem_of(action);
    let token = move || q.with(|q| q.get("token").unwrap_or_default());
    view! {
        <PageTitle k=K::consultations_unsubscribe_title />
        <h1>{t(K::consultations_unsubscribe_title)}</h1>
        {move || {
            q.with(|q| q.get("done").is_some()).then(|| view! { <Notice text=t(K::consultations_unsubscribed) /> })
        }}
        <ErrorSummary problem=p />
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="token" value=token />
            <button type="submit" class="button">
                {t(K::consultations_unsubscribe_confirm)}
            </button>
        </ActionForm>
    }
}
