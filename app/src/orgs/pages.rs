use super::*;
use crate::i18n::{t, use_lang, K};
use crate::ui::PageTitle;

#[component]
pub fn OrgList() -> impl IntoView {
    let orgs = Resource::new(|| (), |_| list_orgs());
    let lang = use_lang();
    view! {
        <PageTitle k=K::orgs_title/>
        <h1>{t(K::orgs_title)}</h1>
        <p>{t(K::orgs_intro)}</p>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match orgs.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(list) => {
                        let count = crate::i18n::fill(t(K::orgs_count), &[("n", &list.len().to_string())]);
                        view! {
                            <p aria-live="polite">{count}</p>
                            <ul class="cards">
                                {list.into_iter().map(|o| {
                                    let place = [o.locality.clone(), o.county.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
                                    view! {
                                        <li class="card">
                                            <h2 class="card-title">{o.name}</h2>
                                            <p class="muted">{place}</p>
                                            <p>{o.short_description}</p>
                                            {o.is_demo.then(|| view! { <p class="tag">{t(K::demo_badge)}</p> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}
