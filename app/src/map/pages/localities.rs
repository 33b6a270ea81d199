//! `/map/localities`: a platform admin decides which organisation receives the reports of places
//! residents add in a locality. Nothing is inferred from who imported the most places.
use super::*;
use crate::i18n::{t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LocalitiesPage() -> impl IntoView {
    let assign = ServerAction::<AssignLocality>::new();
    let unassign = ServerAction::<UnassignLocality>::new();
    let pa = problem_of(assign);
    let owners = Resource::new(move || (assign.version().get(), unassign.version().get()), |_| locality_owners());
    let orgs = Resource::new(|| (), |_| import_orgs());
    let q = use_query_map();
    let lang = use_lang();
    view! {
        <PageTitle k=K::map_localities_title />
        <h1 id="localities-h">{t(K::map_localities_title)}</h1>
        <p>{t(K::map_localities_intro)}</p>
        {move || q.with(|q| q.get("saved").is_some()).then(|| view! { <Notice text=t(K::admin_saved) /> })}
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                let list = match owners.await {
                    Ok(l) => l,
                    Err(e) => return view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                };
                let orgs = orgs.await.unwrap_or_default();
                view! {
                    <section aria-labelledby="assign-h">
                        <h2 id="assign-h">{t(K::map_localities_assign)}</h2>
                        <ActionForm action=assign attr:class="form" attr:novalidate=true>
                            <ErrorSummary problem=pa />
                            <Field problem=pa name="locality" label=K::field_locality required=true />
                            <div class="field">
                                <label for="f-org_id">{t(K::map_localities_org)}</label>
                                <select id="f-org_id" name="org_id">
                                    {orgs
                                        .into_iter()
                                        .map(|(id, name)| view! { <option value=id>{name}</option> })
                                        .collect_view()}
                                </select>
                            </div>
                            <button type="submit" class="button">
                                {t(K::map_localities_assign)}
                            </button>
                        </ActionForm>
                    </section>
                    <section aria-labelledby="owners-h">
                        <h2 id="owners-h">{t(K::map_localities_current)}</h2>
                        {if list.is_empty() {
                            view! { <p>{t(K::map_localities_none)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="plain">
                                    {list
                                        .into_iter()
                                        .map(|o| {
                                            let label = format!("{} — {}", o.locality, o.org_name);
                                            let aria = format!("{} {label}", t(K::map_localities_remove));
                                            view! {
                                                <li>
                                                    {label} " " <ActionForm action=unassign attr:class="inline-form">
                                                        <input
                                                            type="hidden"
                                                            name="locality_key"
                                                            value=o.locality_key.clone()
                                                        />
                                                        <button type="submit" class="link-button" aria-label=aria>
                                                            {t(K::map_localities_remove)}
                                                        </button>
                                                    </ActionForm>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }}
                    </section>
                }
                    .into_any()
            })}
        </Transition>
    }
}
