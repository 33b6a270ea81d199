//! `/map/reports/:id/follow-up?token=…`: "has it been fixed?", opened from the reporter's mail
//! without signing in. Mail scanners fetch links, so the page only shows: the answer is one of two
//! buttons of a plain form (no JS needed) posted to `http::answer_followup`.
use super::*;

#[component]
pub fn FollowupPage() -> impl IntoView {
    let params = use_params_map();
    let q = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()).unwrap_or(0));
    let token = move || q.with(|q| q.get("token").unwrap_or_default());
    let data = Resource::new(move || (id(), token()), |(id, token)| get_followup(id, token));
    #[cfg(feature = "ssr")]
    let response = use_context::<leptos_axum::ResponseOptions>();
    let lang = use_lang();
    view! {
        <PageTitle k=K::map_followup_title />
        <h1>{t(K::map_followup_title)}</h1>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || {
                #[cfg(feature = "ssr")]
                let response = response.clone();
                Suspend::new(async move {
                    match data.await {
                        Err(e) => {
                            #[cfg(feature = "ssr")]
                            if let Some(r) = &response {
                                r.set_status(::http::StatusCode::BAD_REQUEST);
                            }
                            // A link that is not ours (tampered, expired, another report): the
                            // request was bad, and says so.
                            view! {
                                <p role="alert">{e.0.message(lang)}</p>
                                <p>
                                    <a href="/map">{t(K::map_title)}</a>
                                </p>
                            }
                                .into_any()
                        }
                        Ok(f) => {
                            let report = format!("/map/reports/{}", f.report_id);
                            let done = if f.answered { K::map_followup_already } else { K::map_followup_moved_on };
                            view! {
                                <dl class="facts">
                                    <dt>{t(K::map_followup_place)}</dt>
                                    <dd>
                                        <a href=format!("/map/places/{}", f.place_id)>{f.place_name.clone()}</a>
                                    </dd>
                                    <dt>{t(K::map_problem)}</dt>
                                    <dd>{t(problem_label(&f.problem))}</dd>
                                </dl>
                                <p>{f.description.clone()}</p>
                                {if f.open {
                                    view! {
                                        <form
                                            method="post"
                                            action=format!("{report}/follow-up")
                                            class="form followup-form"
                                        >
                                            <input type="hidden" name="token" value=token />
                                            <fieldset>
                                                <legend>{t(K::map_followup_question)}</legend>
                                                <p class="hint">{t(K::map_followup_hint)}</p>
                                                <button type="submit" name="answer" value="yes" class="button">
                                                    {t(K::map_followup_yes)}
                                                </button>
                                                " "
                                                <button type="submit" name="answer" value="no" class="button secondary">
                                                    {t(K::map_followup_no)}
                                                </button>
                                            </fieldset>
                                        </form>
                                    }
                                        .into_any()
                                } else {
                                    view! { <Notice text=t(done) /> }.into_any()
                                }}
                                <p>
                                    <a href=report>{t(K::map_followup_see_report)}</a>
                                </p>
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Transition>
    }
}
