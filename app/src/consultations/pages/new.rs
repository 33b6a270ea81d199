//! Creating a consultation: owner, title, topics, the pasted draft, dates and the law's fields.
use super::rules::initiator::Initiator;
use super::*;
use crate::error::Problem;
use crate::ui::form::{Field, TextArea};

#[component]
pub fn ConsultationNew() -> impl IntoView {
    let owners = Resource::new(|| (), |_| owner_options());
    let action = ServerAction::<CreateConsultation>::new();
    let p = problem_of(action);
    let lang = use_lang();
    let kept = move |f: &'static str| {
        p.with(|p| p.as_ref().and_then(|p| p.kept()).and_then(|s| s.value_of(f))).unwrap_or_default()
    };
    let err = move |f: &'static str| p.with(|p| p.as_ref().and_then(|p| p.form()).and_then(|s| s.error_for(f, lang)));
    view! {
        <PageTitle k=K::consultations_new />
        <h1>{t(K::consultations_new)}</h1>
        <p>{t(K::consultations_new_intro)}</p>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match owners.await {
                    Err(ConsultationsError(Problem::Unauthenticated)) => {
                        view! {
                            <p>
                                <a class="button" href="/account/login?next=/consultations/new">
                                    {t(K::nav_login)}
                                </a>
                            </p>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(list) if list.is_empty() => {
                        view! { <p role="alert">{t(K::consultations_not_organiser)}</p> }.into_any()
                    }
                    Ok(list) => {
                        let owner = kept("owner");
                        let initiator = kept("initiator");
                        let chosen = kept("topics");
                        view! {
                            <ActionForm action=action attr:class="form" attr:novalidate=true>
                                <ErrorSummary problem=p />
                                <div class="field" class:has-error=move || err("owner").is_some()>
                                    <label for="f-owner">{t(K::consultations_owner)}</label>
                                    {move || err("owner").map(|e| view! { <p class="field-error">{e}</p> })}
                                    <select id="f-owner" name="owner">
                                        {list
                                            .into_iter()
                                            .map(|o| {
                                                let sel = o.value == owner;
                                                view! {
                                                    <option value=o.value selected=sel>
                                                        {o.name}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <div class="field" class:has-error=move || err("initiator").is_some()>
                                    <label for="f-initiator">
                                        {t(K::consultations_initiator)} " "
                                        <span class="req">{t(K::form_required)}</span>
                                    </label>
                                    <p class="hint" id="f-initiator-hint">
                                        {t(K::consultations_initiator_hint)}
                                    </p>
                                    {move || err("initiator").map(|e| view! { <p class="field-error">{e}</p> })}
                                    <select id="f-initiator" name="initiator" aria-describedby="f-initiator-hint">
                                        <option value="">{t(K::consultations_initiator_choose)}</option>
                                        {Initiator::ALL
                                            .into_iter()
                                            .map(|i| {
                                                let sel = i.code() == initiator;
                                                view! {
                                                    <option value=i.code() selected=sel>
                                                        {t(i.label())}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <Field problem=p name="title" label=K::consultations_field_title required=true />
                                <TextArea
                                    problem=p
                                    name="summary"
                                    label=K::consultations_field_summary
                                    hint=K::consultations_field_summary_hint
                                />
                                <fieldset class="field checks" id="f-topics">
                                    <legend>
                                        {t(K::consultations_topic)} " " <span class="req">{t(K::form_required)}</span>
                                    </legend>
                                    {move || err("topics").map(|e| view! { <p class="field-error">{e}</p> })}
                                    {TOPICS
                                        .iter()
                                        .map(|x| {
                                            let id = format!("topic-{x}");
                                            let on = chosen.split(',').any(|c| c == *x);
                                            view! {
                                                <div class="check">
                                                    <input
                                                        type="checkbox"
                                                        id=id.clone()
                                                        name="topics[]"
                                                        value=*x
                                                        checked=on
                                                    />
                                                    <label for=id>{t(topic_label(x))}</label>
                                                </div>
                                            }
                                        })
                                        .collect_view()}
                                </fieldset>
                                <Field problem=p name="locality" label=K::field_locality />
                                <Field problem=p name="county" label=K::field_county />
                                <TextArea
                                    problem=p
                                    name="draft_text"
                                    label=K::consultations_field_draft
                                    hint=K::consultations_field_draft_hint
                                />
                                <p class="hint">{t(K::consultations_field_draft_later)}</p>
                                <TextArea
                                    problem=p
                                    name="explanatory_note"
                                    label=K::consultations_explanatory_note
                                    hint=K::consultations_field_note_hint
                                />
                                <Field
                                    problem=p
                                    name="opens_on"
                                    label=K::consultations_field_opens
                                    kind="date"
                                    required=true
                                />
                                <Field
                                    problem=p
                                    name="closes_on"
                                    label=K::consultations_field_closes
                                    kind="date"
                                    required=true
                                    hint=K::consultations_field_closes_hint
                                />
                                <Field
                                    problem=p
                                    name="adoption_on"
                                    label=K::consultations_adoption
                                    kind="date"
                                    required=true
                                    hint=K::consultations_field_adoption_hint
                                />
                                <TextArea
                                    problem=p
                                    name="urgency_reason"
                                    label=K::consultations_urgency
                                    hint=K::consultations_field_urgency_hint
                                />
                                <Field problem=p name="officer_contact" label=K::consultations_officer />
                                <Field
                                    problem=p
                                    name="report_threshold"
                                    label=K::consultations_field_threshold
                                    kind="number"
                                    hint=K::consultations_field_threshold_hint
                                    initial="3".to_string()
                                />
                                <div class="check">
                                    <input type="checkbox" id="f-premoderation" name="premoderation" value="1" />
                                    <label for="f-premoderation">{t(K::consultations_premoderation)}</label>
                                </div>
                                <button type="submit" class="button">
                                    {t(K::consultations_create_submit)}
                                </button>
                            </ActionForm>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
