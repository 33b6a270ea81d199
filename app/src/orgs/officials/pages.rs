//! The officials' pages: the box on an authority's page, the work-address confirmation, and the
//! platform admin's list of requests.
use super::{
    official_standing, pending_official_requests, ConfirmWorkEmail, DecideOfficial, MyStanding, RequestOfficial,
};
use crate::i18n::{t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field, TextArea};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/officials/confirm?token=`: the page the work-address link opens; one button confirms.
#[component]
pub fn ConfirmWork() -> impl IntoView {
    let q = use_query_map();
    let action = ServerAction::<ConfirmWorkEmail>::new();
    let p = problem_of(action);
    let token = move || q.with(|q| q.get("token").unwrap_or_default());
    view! {
        <PageTitle k=K::officials_confirm_title />
        <h1>{t(K::officials_confirm_title)}</h1>
        <p>{t(K::officials_confirm_text)}</p>
        <ActionForm action=action attr:class="form">
            <ErrorSummary problem=p />
            <input type="hidden" name="token" value=token />
            <button type="submit" class="button">
                {t(K::officials_confirm_submit)}
            </button>
        </ActionForm>
    }
}

/// The "do you work here?" box on an authority's page.
#[component]
pub fn RequestOfficial(authority_id: i64, authority_slug: String) -> impl IntoView {
    let action = ServerAction::<RequestOfficial>::new();
    let p = problem_of(action);
    let standing = Resource::new(move || authority_id, official_standing);
    let q = use_query_map();
    let next = format!("/account/login?next=/authorities/{authority_slug}");
    view! {
        <section aria-labelledby="official-h" class="admin-box">
            <h2 id="official-h">{t(K::officials_title)}</h2>
            {move || {
                q.with(|q| q.get("requested").is_some()).then(|| view! { <Notice text=t(K::officials_requested) /> })
            }}
            {move || {
                q.with(|q| q.get("work_confirmed").is_some())
                    .then(|| view! { <Notice text=t(K::officials_work_confirmed) /> })
            }}
            <Transition fallback=|| ()>
                {move || {
                    let next = next.clone();
                    Suspend::new(async move {
                        match standing.await {
                            Ok(MyStanding::Official) => view! { <p>{t(K::officials_you_are)}</p> }.into_any(),
                            Ok(MyStanding::Pending) => view! { <p>{t(K::officials_pending)}</p> }.into_any(),
                            Ok(MyStanding::SignedOut) | Err(_) => {
                                view! { <p>{t(K::officials_intro)} " " <a href=next>{t(K::nav_login)}</a></p> }
                                    .into_any()
                            }
                            Ok(MyStanding::CanRequest) => {
                                view! {
                                    <p>{t(K::officials_intro)}</p>
                                    <ActionForm action=action attr:class="form" attr:novalidate=true>
                                        <ErrorSummary problem=p />
                                        <input type="hidden" name="authority_id" value=authority_id />
                                        <Field
                                            problem=p
                                            name="position"
                                            label=K::officials_position
                                            required=true
                                            autocomplete="organization-title"
                                        />
                                        <Field
                                            problem=p
                                            name="work_email"
                                            label=K::officials_work_email
                                            kind="email"
                                            required=true
                                            autocomplete="work email"
                                            hint=K::officials_work_email_hint
                                        />
                                        <TextArea
                                            problem=p
                                            name="message"
                                            label=K::officials_message
                                            hint=K::officials_message_hint
                                        />
                                        <button type="submit" class="button secondary">
                                            {t(K::officials_submit)}
                                        </button>
                                    </ActionForm>
                                }
                                    .into_any()
                            }
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

#[component]
pub fn AdminOfficials() -> impl IntoView {
    let decide = ServerAction::<DecideOfficial>::new();
    let p = problem_of(decide);
    let list = Resource::new(|| (), |_| pending_official_requests());
    let q = use_query_map();
    let lang = use_lang();
    view! {
        <PageTitle k=K::officials_admin_title />
        <h1>{t(K::officials_admin_title)}</h1>
        {move || q.with(|q| q.get("decided").is_some()).then(|| view! { <Notice text=t(K::officials_decided) /> })}
        <ErrorSummary problem=p />
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(v) if v.is_empty() => view! { <p>{t(K::officials_none)}</p> }.into_any(),
                    Ok(v) => {
                        v.into_iter()
                            .map(|r| {
                                let h = format!("req-{}", r.id);
                                let h2 = h.clone();
                                let href = format!("/authorities/{}", r.authority_slug);
                                let (who1, who2, who3) = (
                                    r.user_name.clone(),
                                    r.user_name.clone(),
                                    r.user_name.clone(),
                                );
                                let note_id = format!("note-{}", r.id);
                                let note_for = note_id.clone();
                                view! {
                                    <article class="card official-request" aria-labelledby=h>
                                        <h2 id=h2>{who1} " — " <a href=href>{r.authority_name.clone()}</a></h2>
                                        <dl class="facts">
                                            <dt>{t(K::field_email)}</dt>
                                            <dd>{r.user_email.clone()}</dd>
                                            <dt>{t(K::officials_position)}</dt>
                                            <dd>{r.position.clone()}</dd>
                                            <dt>{t(K::officials_work_email)}</dt>
                                            <dd>
                                                {r.work_email.clone()} " "
                                                {if !r.work_verified {
                                                    view! {
                                                        <span class="badge warn">
                                                            {t(K::officials_work_unconfirmed)}
                                                        </span>
                                                    }
                                                        .into_any()
                                                } else {
                                                    view! {
                                                        <span class=if r.domain_matches {
                                                            "badge ok"
                                                        } else {
                                                            "badge warn"
                                                        }>
                                                            {if r.domain_matches {
                                                                t(K::officials_domain_ok)
                                                            } else {
                                                                t(K::officials_domain_other)
                                                            }}
                                                        </span>
                                                    }
                                                        .into_any()
                                                }}
                                            </dd>
                                            <dt>{t(K::officials_received)}</dt>
                                            <dd>{crate::fmt::date_time(lang, r.created_at)}</dd>
                                        </dl>
                                        {(!r.message.is_empty())
                                            .then(|| view! { <p class="quote">{r.message.clone()}</p> })}
                                        <div class="decide">
                                            {r
                                                .work_verified
                                                .then(|| {
                                                    view! {
                                                        <ActionForm action=decide attr:class="inline-form">
                                                            <input type="hidden" name="request_id" value=r.id />
                                                            <input type="hidden" name="approve" value="yes" />
                                                            <input type="hidden" name="note" value="" />
                                                            <button type="submit" class="button">
                                                                {t(K::officials_approve)}
                                                                " "
                                                                <span class="visually-hidden">{who2}</span>
                                                            </button>
                                                        </ActionForm>
                                                    }
                                                })} <ActionForm action=decide attr:class="inline-form">
                                                <input type="hidden" name="request_id" value=r.id />
                                                <input type="hidden" name="approve" value="no" />
                                                <label for=note_for>{t(K::officials_note)}</label>
                                                <input id=note_id name="note" type="text" maxlength="500" />
                                                <button type="submit" class="button secondary">
                                                    {t(K::officials_decline)}
                                                    " "
                                                    <span class="visually-hidden">{who3}</span>
                                                </button>
                                            </ActionForm>
                                        </div>
                                    </article>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
