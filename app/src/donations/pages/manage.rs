//! A monthly gift managed from the link in the donor's mail: change the amount, pause, resume,
//! cancel — no account needed.
use super::super::{get_gift, ChangeGiftAmount, GiftAction};
use crate::i18n::{t, use_lang, K};
use crate::types::money::Bani;
use crate::ui::form::{problem_of, ErrorSummary, Field};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub fn gift_status_label(code: &str) -> K {
    match code {
        "active" => K::donations_gift_active,
        "paused" => K::donations_gift_paused,
        "past_due" => K::donations_gift_past_due,
        "cancelled" => K::donations_gift_cancelled,
        _ => K::donations_gift_pending,
    }
}

#[component]
pub fn ManagePage() -> impl IntoView {
    let q = use_query_map();
    let token = move || q.with(|q| q.get("token").unwrap_or_default());
    let gift = Resource::new(token, get_gift);
    let change = ServerAction::<ChangeGiftAmount>::new();
    let act = ServerAction::<GiftAction>::new();
    let pc = problem_of(change);
    let pa = problem_of(act);
    let lang = use_lang();
    let notice = move || {
        q.with(|q| {
            if q.get("changed").is_some() {
                Some(K::donations_gift_changed)
            } else {
                match q.get("done").as_deref() {
                    Some("pause") => Some(K::donations_gift_paused_notice),
                    Some("resume") => Some(K::donations_gift_resumed_notice),
                    Some("cancel") => Some(K::donations_gift_cancelled_notice),
                    _ => None,
                }
            }
        })
    };
    view! {
        <PageTitle k=K::donations_manage_title />
        <h1>{t(K::donations_manage_title)}</h1>
        {move || notice().map(|k| view! { <Notice text=t(k) /> })}
        <ErrorSummary problem=pa />
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match gift.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(g) => {
                        let href = format!("/campaigns/{}", g.campaign_slug);
                        let more = format!("{href}/donate");
                        let status = g.status.clone();
                        let running = matches!(status.as_str(), "active" | "past_due" | "paused");
                        let paused = status == "paused";
                        let initial = Bani(g.amount_bani).to_input();
                        view! {
                            <dl class="facts">
                                <dt>{t(K::donations_campaign)}</dt>
                                <dd>
                                    <a href=href>{g.campaign_title.clone()}</a>
                                </dd>
                                <dt>{t(K::donations_org)}</dt>
                                <dd>{g.org_name.clone()}</dd>
                                <dt>{t(K::donations_monthly_amount)}</dt>
                                <dd class="gift-amount">{crate::fmt::lei(lang, g.amount_bani)}</dd>
                                <dt>{t(K::donations_status)}</dt>
                                <dd class="gift-status">{t(gift_status_label(&status))}</dd>
                            </dl>
                            {running
                                .then(|| {
                                    view! {
                                        <section aria-labelledby="change-h">
                                            <h2 id="change-h">{t(K::donations_change_amount)}</h2>
                                            <ActionForm action=change attr:class="form" attr:novalidate=true>
                                                <ErrorSummary problem=pc />
                                                <input type="hidden" name="token" value=token />
                                                <Field
                                                    problem=pc
                                                    name="amount"
                                                    label=K::donations_amount_lei
                                                    kind="text"
                                                    initial=initial.clone()
                                                    hint=K::donations_amount_hint
                                                />
                                                <button type="submit" class="button">
                                                    {t(K::donations_change_amount)}
                                                </button>
                                            </ActionForm>
                                            <p>
                                                <a href=more.clone()>{t(K::donations_give_more)}</a>
                                            </p>
                                        </section>
                                        <section aria-labelledby="pause-h">
                                            <h2 id="pause-h">{t(K::donations_pause_or_cancel)}</h2>
                                            <ActionForm action=act attr:class="inline-form">
                                                <input type="hidden" name="token" value=token />
                                                <input
                                                    type="hidden"
                                                    name="action"
                                                    value=if paused { "resume" } else { "pause" }
                                                />
                                                <button type="submit" class="button secondary">
                                                    {if paused {
                                                        t(K::donations_resume)
                                                    } else {
                                                        t(K::donations_pause)
                                                    }}
                                                </button>
                                            </ActionForm>
                                            " "
                                            <ActionForm action=act attr:class="inline-form">
                                                <input type="hidden" name="token" value=token />
                                                <input type="hidden" name="action" value="cancel" />
                                                <button type="submit" class="button danger">
                                                    {t(K::donations_cancel_gift)}
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
