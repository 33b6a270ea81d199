//! The campaign editor: a new campaign or an existing one, its cover, its status moves and its
//! updates for donors.
use super::super::rules::states::CampaignStatus;
use super::super::{campaign_for_edit, CampaignPage, PostCampaignUpdate, SaveCampaign, SetCampaignStatus};
use super::{campaign_status_label, cover_problem};
use crate::i18n::{t, use_lang, K};
use crate::types::money::Bani;
use crate::ui::form::textarea_html;
use crate::ui::form::{problem_of, ErrorSummary, Field, TextArea};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// New campaign (`/campaigns/new?org=ID`) and editing (`/campaigns/:slug/edit`), with status moves
/// and updates for donors.
#[component]
pub fn CampaignEdit() -> impl IntoView {
    let params = use_params_map();
    let q = use_query_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let org = move || q.with(|q| q.get("org").and_then(|o| o.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(move || (slug(), org()), |(s, o)| campaign_for_edit(s, o));
    let save = ServerAction::<SaveCampaign>::new();
    let status = ServerAction::<SetCampaignStatus>::new();
    let update = ServerAction::<PostCampaignUpdate>::new();
    let p = problem_of(save);
    let ps = problem_of(status);
    let pu = problem_of(update);
    let lang = use_lang();
    view! {
        {move || q.with(|q| q.get("saved").is_some()).then(|| view! { <Notice text=t(K::admin_saved) /> })}
        {move || q.with(|q| q.get("posted").is_some()).then(|| view! { <Notice text=t(K::donations_update_posted) /> })}
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => {
                        view! {
                            <h1>{t(K::donations_edit_campaign)}</h1>
                            <p role="alert">{e.0.message(lang)}</p>
                        }
                            .into_any()
                    }
                    Ok(existing) => {
                        let editing = existing.is_some();
                        let c = existing;
                        let heading = if editing { K::donations_edit_campaign } else { K::donations_new_campaign };
                        let val = |f: &dyn Fn(&CampaignPage) -> String| c.as_ref().map(f).unwrap_or_default();
                        let title = val(&|c| c.card.title.clone());
                        let summary = val(&|c| c.card.summary.clone());
                        let cover_url = val(&|c| c.card.cover_url.clone());
                        let cover_alt = val(&|c| c.card.cover_alt.clone());
                        let goal = c
                            .as_ref()
                            .and_then(|c| c.card.goal_bani)
                            .map(|g| Bani(g).to_input())
                            .unwrap_or_default();
                        let ends = c
                            .as_ref()
                            .and_then(|c| c.card.ends_at)
                            .map(|e| {
                                let (y, m, d, _, _) = crate::fmt::bucharest_parts(e);
                                format!("{y:04}-{m:02}-{d:02}")
                            })
                            .unwrap_or_default();
                        let presets = c
                            .as_ref()
                            .map(|c| c.presets.iter().map(|b| Bani(*b).to_input()).collect::<Vec<_>>().join(" "))
                            .unwrap_or_else(|| "25 50 100 250".into());
                        let min = c.as_ref().map(|c| Bani(c.min_bani).to_input()).unwrap_or_else(|| "10".into());
                        let max = c.as_ref().map(|c| Bani(c.max_bani).to_input()).unwrap_or_else(|| "10000".into());
                        let monthly = p
                            .with_untracked(|p| {
                                p.as_ref().and_then(|p| p.kept()).and_then(|f| f.value_of("allow_monthly"))
                            })
                            .map(|v| v == "1")
                            .unwrap_or(c.as_ref().map(|c| c.allow_monthly).unwrap_or(true));
                        let thanks = val(&|c| c.thanks.clone());
                        let story = val(&|c| c.story_md.clone());
                        let story_v = p
                            .with_untracked(|p| p.as_ref().and_then(|p| p.kept()).and_then(|f| f.value_of("story")))
                            .unwrap_or(story);
                        let slug_v = val(&|c| c.card.slug.clone());
                        let org_id = c.as_ref().map(|c| c.org_id).unwrap_or_else(org);
                        let current = c.as_ref().map(|c| c.card.status.clone()).unwrap_or_default();
                        let cid = c.as_ref().map(|c| c.card.id).unwrap_or(0);
                        let view_href = format!("/campaigns/{slug_v}");
                        let cover_action = format!("/campaigns/{slug_v}/cover");
                        let moves: Vec<&'static str> = CampaignStatus::parse(&current)
                            .map(|s| {
                                CampaignStatus::ALL.into_iter().filter(|n| s.can_become(*n)).map(|n| n.code()).collect()
                            })
                            .unwrap_or_default();
                        view! {
                            <PageTitle k=heading />
                            <h1>{t(heading)}</h1>
                            {editing
                                .then(|| {
                                    view! {
                                        <p>
                                            {t(K::donations_status)} ": "
                                            <strong>{t(campaign_status_label(&current))}</strong> " · "
                                            <a href=view_href.clone()>{t(K::donations_view_campaign)}</a>
                                        </p>
                                    }
                                })}
                            <ActionForm action=save attr:class="form" attr:novalidate=true>
                                <ErrorSummary problem=p />
                                <input type="hidden" name="org_id" value=org_id />
                                <input type="hidden" name="slug" value=slug_v.clone() />
                                <Field
                                    problem=p
                                    name="title"
                                    label=K::donations_field_title
                                    required=true
                                    initial=title
                                />
                                <Field
                                    problem=p
                                    name="summary"
                                    label=K::donations_field_summary
                                    required=true
                                    initial=summary
                                />
                                <div class="field">
                                    <label for="f-story">{t(K::donations_field_story)}</label>
                                    <p class="hint" id="f-story-hint">
                                        {t(K::hint_markdown)}
                                    </p>
                                    <textarea
                                        id="f-story"
                                        name="story"
                                        rows="10"
                                        aria-describedby="f-story-hint"
                                        inner_html=textarea_html(story_v)
                                    ></textarea>
                                </div>
                                <Field
                                    problem=p
                                    name="cover_url"
                                    label=K::donations_field_cover
                                    hint=K::donations_field_cover_hint
                                    initial=cover_url
                                />
                                <Field
                                    problem=p
                                    name="cover_alt"
                                    label=K::donations_field_cover_alt
                                    initial=cover_alt
                                />
                                <Field
                                    problem=p
                                    name="goal"
                                    label=K::donations_field_goal
                                    hint=K::donations_optional
                                    initial=goal
                                />
                                <Field
                                    problem=p
                                    name="ends_on"
                                    label=K::donations_field_end
                                    kind="date"
                                    hint=K::donations_optional
                                    initial=ends
                                />
                                <Field
                                    problem=p
                                    name="presets"
                                    label=K::donations_field_presets
                                    hint=K::donations_field_presets_hint
                                    initial=presets
                                />
                                <Field problem=p name="min" label=K::donations_field_min initial=min />
                                <Field problem=p name="max" label=K::donations_field_max initial=max />
                                <div class="check">
                                    <input
                                        type="checkbox"
                                        id="f-allow_monthly"
                                        name="allow_monthly"
                                        value="1"
                                        checked=monthly
                                    />
                                    <label for="f-allow_monthly">{t(K::donations_field_monthly)}</label>
                                </div>
                                <Field problem=p name="thanks" label=K::donations_field_thanks initial=thanks />
                                <button type="submit" class="button">
                                    {t(K::donations_save)}
                                </button>
                            </ActionForm>
                            {editing
                                .then(|| {
                                    let action = cover_action.clone();
                                    let alt_now = c.as_ref().map(|c| c.card.cover_alt.clone()).unwrap_or_default();
                                    let cover_err = q
                                        .with_untracked(|q| crate::ui::form::query_error(q, "cover"))
                                        .map(|e| cover_problem(&e));
                                    view! {
                                        <section aria-labelledby="cover-h">
                                            <h2 id="cover-h">{t(K::donations_field_cover)}</h2>
                                            {cover_err
                                                .map(|k| {
                                                    view! {
                                                        <p class="field-error" role="alert" id="cover-err">
                                                            {t(k)}
                                                        </p>
                                                    }
                                                })}
                                            <form
                                                method="post"
                                                action=action
                                                enctype="multipart/form-data"
                                                class="form"
                                            >
                                                <div class="field">
                                                    <label for="f-cover">{t(K::donations_cover_file)}</label>
                                                    <p class="hint" id="f-cover-hint">
                                                        {t(K::donations_cover_file_hint)}
                                                    </p>
                                                    <input
                                                        id="f-cover"
                                                        name="cover"
                                                        type="file"
                                                        accept="image/jpeg,image/png,image/webp"
                                                        aria-describedby="f-cover-hint"
                                                    />
                                                </div>
                                                <div class="field">
                                                    <label for="f-cover-alt">{t(K::donations_field_cover_alt)}</label>
                                                    <input
                                                        id="f-cover-alt"
                                                        name="cover_alt"
                                                        type="text"
                                                        value=alt_now
                                                    />
                                                </div>
                                                <button type="submit" class="button secondary">
                                                    {t(K::donations_upload_cover)}
                                                </button>
                                            </form>
                                        </section>
                                    }
                                })}
                            {editing
                                .then(|| {
                                    view! {
                                        <section aria-labelledby="status-h">
                                            <h2 id="status-h">{t(K::donations_status)}</h2>
                                            <ErrorSummary problem=ps />
                                            {moves
                                                .into_iter()
                                                .map(|m| {
                                                    view! {
                                                        <ActionForm action=status attr:class="inline-form">
                                                            <input type="hidden" name="campaign_id" value=cid />
                                                            <input type="hidden" name="status" value=m />
                                                            <button type="submit" class="button secondary">
                                                                {t(status_action_label(m))}
                                                            </button>
                                                        </ActionForm>
                                                        " "
                                                    }
                                                })
                                                .collect_view()}
                                        </section>
                                        <section aria-labelledby="update-h">
                                            <h2 id="update-h">{t(K::donations_post_update)}</h2>
                                            <ActionForm action=update attr:class="form" attr:novalidate=true>
                                                <ErrorSummary problem=pu />
                                                <input type="hidden" name="campaign_id" value=cid />
                                                <TextArea
                                                    problem=pu
                                                    name="body"
                                                    label=K::donations_update_body
                                                    hint=K::hint_markdown
                                                />
                                                <button type="submit" class="button">
                                                    {t(K::donations_post_update)}
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

fn status_action_label(code: &str) -> K {
    match code {
        "live" => K::donations_publish,
        "ended" => K::donations_end,
        _ => K::donations_archive,
    }
}
