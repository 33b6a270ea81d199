//! Giving: the donation form (amount, frequency, fee, donor, consent) and the return page, which
//! polls until the provider's event says how the payment ended.
use super::super::rules;
use super::super::{get_campaign, get_return, retry_prefill, CampaignPage, Donate, DonorPrefill};
use super::TestModeBanner;
use crate::i18n::{fill, t, use_lang, K};
use crate::ui::form::textarea_html;
use crate::ui::form::{problem_of, ErrorSummary, Field, Honeypot};
use crate::ui::PageTitle;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn DonatePage() -> impl IntoView {
    let params = use_params_map();
    let q = use_query_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let page = Resource::new(slug, get_campaign);
    let retry = Resource::new(move || q.with(|q| q.get("retry").unwrap_or_default()), retry_prefill);
    let action = ServerAction::<Donate>::new();
    let p = problem_of(action);
    let lang = use_lang();
    view! {
        <PageTitle k=K::donations_donate_title />
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                let prefill = retry.await.ok().flatten();
                match page.await {
                    Err(e) => {
                        view! {
                            <h1>{t(K::notfound_title)}</h1>
                            <p role="alert">{e.0.message(lang)}</p>
                        }
                            .into_any()
                    }
                    Ok(c) => view! { <DonateForm c action p prefill /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DonateForm(
    c: CampaignPage,
    action: ServerAction<Donate>,
    p: Signal<Option<crate::error::Problem>>,
    prefill: Option<DonorPrefill>,
) -> impl IntoView {
    let lang = use_lang();
    let pre = prefill.clone().unwrap_or_default();
    let had_prefill = prefill.is_some();
    // What was typed before (an error answer) wins; then a retry's values; then the defaults.
    let kept =
        move |f: &'static str| p.with_untracked(|p| p.as_ref().and_then(|p| p.kept()).and_then(|s| s.value_of(f)));
    let err = move |f: &'static str| p.with(|p| p.as_ref().and_then(|p| p.form()).and_then(|s| s.error_for(f, lang)));
    let chosen_amount = kept("amount").unwrap_or_else(|| rules::preset_choice(&pre.amount, &c.presets));
    let custom =
        kept("custom_amount")
            .unwrap_or_else(|| if chosen_amount == "other" { pre.amount.clone() } else { String::new() });
    let monthly = kept("frequency").map(|f| f == "monthly").unwrap_or(pre.monthly);
    let cover = kept("cover_fee").map(|v| v == "1").unwrap_or(pre.cover_fee);
    let show = kept("show_name").map(|v| v == "1").unwrap_or(pre.show_name);
    let newsletter = kept("newsletter").is_some_and(|v| v == "1");
    let rule = c.fee_rule;
    let fee_text = fill(
        t(K::donations_cover_fee_hint),
        &[
            ("pct", &format!("{},{:02}", rule.bps / 100, rule.bps % 100)),
            ("fixed", &crate::fmt::lei(lang, rule.fixed_bani)),
            ("example", &crate::fmt::lei(lang, rule.cover(5_000).1)),
        ],
    );
    let bounds = fill(
        t(K::donations_amount_bounds),
        &[("min", &crate::fmt::lei(lang, c.min_bani)), ("max", &crate::fmt::lei(lang, c.max_bani))],
    );
    let back = format!("/campaigns/{}", c.card.slug);
    let monthly_ok = c.allow_monthly && c.monthly_supported;
    let name_v = kept("name").unwrap_or(pre.name.clone());
    let email_v = kept("email").unwrap_or(pre.email.clone());
    let message_v = kept("message").unwrap_or(pre.message.clone());
    view! {
        <h1>{t(K::donations_donate_title)}</h1>
        <p class="lead">
            <a href=back>{c.card.title.clone()}</a>
            " · "
            {c.card.org_name.clone()}
        </p>
        {c.test_mode.then(|| view! { <TestModeBanner /> })}
        {had_prefill
            .then(|| {
                view! {
                    <p class="notice" role="status">
                        {t(K::donations_retry_notice)}
                    </p>
                }
            })}
        {if !c.accepts {
            let why = if c.payments_off { K::donations_payments_off } else { K::donations_err_closed };
            view! { <p class="notice">{t(why)}</p> }.into_any()
        } else {
            view! {
                <ActionForm action=action attr:class="form donate-form" attr:novalidate=true>
                    <ErrorSummary problem=p />
                    {move || {
                        err("payment")
                            .map(|e| {
                                view! {
                                    <p class="field-error" id="f-payment" role="alert">
                                        {e}
                                    </p>
                                }
                            })
                    }}
                    <input type="hidden" name="campaign" value=c.card.slug.clone() />
                    <input type="hidden" name="attempt" value=c.attempt.clone() />
                    <fieldset class="field amounts" id="f-amount" aria-describedby="amount-bounds">
                        <legend>{t(K::donations_step_amount)}</legend>
                        <p class="hint" id="amount-bounds">
                            {bounds}
                        </p>
                        {move || {
                            err("amount")
                                .map(|e| {
                                    view! {
                                        <p class="field-error" id="f-amount-err">
                                            {e}
                                        </p>
                                    }
                                })
                        }}
                        <div class="amount-options">
                            {c
                                .presets
                                .iter()
                                .map(|b| {
                                    let id = format!("amount-{b}");
                                    let on = chosen_amount == b.to_string();
                                    view! {
                                        <div class="amount-option">
                                            <input
                                                type="radio"
                                                id=id.clone()
                                                name="amount"
                                                value=b.to_string()
                                                checked=on
                                            />
                                            <label for=id>{crate::fmt::lei(lang, *b)}</label>
                                        </div>
                                    }
                                })
                                .collect_view()} <div class="amount-option">
                                <input
                                    type="radio"
                                    id="amount-other"
                                    name="amount"
                                    value="other"
                                    checked=chosen_amount == "other"
                                />
                                <label for="amount-other">{t(K::donations_other_amount)}</label>
                            </div>
                        </div>
                        <div class="field" class:has-error=move || err("custom_amount").is_some()>
                            <label for="f-custom_amount">{t(K::donations_amount_lei)}</label>
                            <p class="hint" id="f-custom_amount-hint">
                                {t(K::donations_amount_hint)}
                            </p>
                            {move || {
                                err("custom_amount")
                                    .map(|e| {
                                        view! {
                                            <p class="field-error" id="f-custom_amount-err">
                                                {e}
                                            </p>
                                        }
                                    })
                            }}
                            <input
                                id="f-custom_amount"
                                name="custom_amount"
                                type="text"
                                inputmode="decimal"
                                autocomplete="off"
                                value=custom
                                aria-describedby=move || {
                                    if err("custom_amount").is_some() {
                                        "f-custom_amount-hint f-custom_amount-err"
                                    } else {
                                        "f-custom_amount-hint"
                                    }
                                }
                                aria-invalid=move || if err("custom_amount").is_some() { "true" } else { "false" }
                            />
                        </div>
                    </fieldset>
                    <fieldset class="field" id="f-frequency">
                        <legend>{t(K::donations_frequency)}</legend>
                        {move || {
                            err("frequency")
                                .map(|e| {
                                    view! {
                                        <p class="field-error" id="f-frequency-err">
                                            {e}
                                        </p>
                                    }
                                })
                        }}
                        <div class="check">
                            <input type="radio" id="freq-once" name="frequency" value="one_time" checked=!monthly />
                            <label for="freq-once">{t(K::donations_one_time)}</label>
                        </div>
                        {monthly_ok
                            .then(|| {
                                view! {
                                    <div class="check">
                                        <input
                                            type="radio"
                                            id="freq-monthly"
                                            name="frequency"
                                            value="monthly"
                                            checked=monthly
                                        />
                                        <label for="freq-monthly">{t(K::donations_monthly)}</label>
                                    </div>
                                }
                            })}
                    </fieldset>
                    <div class="check">
                        <input
                            type="checkbox"
                            id="f-cover_fee"
                            name="cover_fee"
                            value="1"
                            checked=cover
                            aria-describedby="cover-hint"
                        />
                        <label for="f-cover_fee">{t(K::donations_cover_fee)}</label>
                    </div>
                    <p class="hint" id="cover-hint">
                        {fee_text}
                    </p>
                    <fieldset class="field">
                        <legend>{t(K::donations_step_donor)}</legend>
                        <Field
                            problem=p
                            name="name"
                            label=K::donations_your_name
                            required=true
                            autocomplete="name"
                            initial=name_v
                        />
                        <Field
                            problem=p
                            name="email"
                            label=K::field_email
                            kind="email"
                            required=true
                            autocomplete="email"
                            initial=email_v
                            hint=K::donations_email_hint
                        />
                        <div class="field">
                            <label for="f-message">{t(K::donations_message)}</label>
                            <p class="hint" id="f-message-hint">
                                {t(K::donations_message_hint)}
                            </p>
                            <textarea
                                id="f-message"
                                name="message"
                                rows="3"
                                maxlength="280"
                                aria-describedby="f-message-hint"
                                inner_html=textarea_html(message_v)
                            ></textarea>
                        </div>
                        <div class="check">
                            <input
                                type="checkbox"
                                id="f-show_name"
                                name="show_name"
                                value="1"
                                checked=show
                                aria-describedby="show-hint"
                            />
                            <label for="f-show_name">{t(K::donations_show_name)}</label>
                        </div>
                        <p class="hint" id="show-hint">
                            {t(K::donations_show_name_hint)}
                        </p>
                        <div class="field" class:has-error=move || err("consent").is_some()>
                            {move || {
                                err("consent")
                                    .map(|e| {
                                        view! {
                                            <p class="field-error" id="f-consent-err">
                                                {e}
                                            </p>
                                        }
                                    })
                            }}
                            <div class="check">
                                <input
                                    type="checkbox"
                                    id="f-consent"
                                    name="consent"
                                    value="yes"
                                    aria-describedby="consent-text"
                                />
                                <label for="f-consent">
                                    {t(K::donations_consent_label)} " " <span class="req">{t(K::form_required)}</span>
                                </label>
                            </div>
                            <p class="hint" id="consent-text">
                                {t(K::donations_consent_text)}
                                " ("
                                {rules::CONSENT_VERSION}
                                ")"
                            </p>
                        </div>
                        <div class="check">
                            <input type="checkbox" id="f-newsletter" name="newsletter" value="1" checked=newsletter />
                            <label for="f-newsletter">{t(K::donations_newsletter_optin)}</label>
                        </div>
                    </fieldset>
                    <Honeypot />
                    <p class="hint">{t(K::donations_provider_note)}</p>
                    <button type="submit" class="button big">
                        {t(K::donations_continue_to_payment)}
                    </button>
                </ActionForm>
            }
                .into_any()
        }}
    }
}

/// Polls the donation's status every two seconds and reloads the page when it changes.
#[island]
pub fn StatusPoller(id: String, status: String) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        use std::time::Duration;
        let handle = leptos::prelude::set_interval_with_handle(
            move || {
                let (id, status) = (id.clone(), status.clone());
                leptos::task::spawn_local(async move {
                    if let Ok(now) = super::super::donation_status(id).await {
                        if now != status {
                            if let Some(w) = web_sys::window() {
                                let _ = w.location().reload();
                            }
                        }
                    }
                });
            },
            Duration::from_secs(2),
        );
        if let Ok(h) = handle {
            on_cleanup(move || h.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, status);
    view! { <span class="visually-hidden">{t(K::donations_auto_refresh)}</span> }
}

#[component]
pub fn ReturnPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let data = Resource::new(id, get_return);
    let lang = use_lang();
    view! {
        <PageTitle k=K::donations_return_title />
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                let public_id = id();
                match data.await {
                    Err(e) => {
                        view! {
                            <h1>{t(K::donations_return_title)}</h1>
                            <p role="alert">{e.0.message(lang)}</p>
                        }
                            .into_any()
                    }
                    Ok(r) => {
                        let back = format!("/campaigns/{}", r.campaign_slug);
                        let retry = format!("/campaigns/{}/donate?retry={public_id}", r.campaign_slug);
                        let refresh = format!("/donate/return/{public_id}");
                        let amount = crate::fmt::lei(lang, r.total_bani);
                        let body = match r.status.as_str() {
                            "paid" => {
                                view! {
                                    <h1>{t(K::donations_thank_you)}</h1>
                                    <p class="notice" role="status">
                                        {fill(
                                            t(
                                                if r.monthly {
                                                    K::donations_paid_monthly_text
                                                } else {
                                                    K::donations_paid_text
                                                },
                                            ),
                                            &[("amount", &amount), ("campaign", &r.campaign_title)],
                                        )}
                                    </p>
                                    {(!r.thanks.is_empty()).then(|| view! { <p>{r.thanks.clone()}</p> })}
                                    <p>{t(K::donations_receipt_sent)}</p>
                                    <p>
                                        <a class="button" href=back.clone()>
                                            {t(K::donations_back_to_campaign)}
                                        </a>
                                    </p>
                                }
                                    .into_any()
                            }
                            "failed" | "cancelled" => {
                                view! {
                                    <h1>
                                        {t(
                                            if r.status == "failed" {
                                                K::donations_failed_title
                                            } else {
                                                K::donations_cancelled_title
                                            },
                                        )}
                                    </h1>
                                    <p role="alert">{t(K::donations_failed_text)}</p>
                                    <p>
                                        <a class="button" href=retry>
                                            {t(K::donations_retry)}
                                        </a>
                                        " "
                                        <a href=back.clone()>{t(K::donations_back_to_campaign)}</a>
                                    </p>
                                }
                                    .into_any()
                            }
                            "refunded" => {
                                view! {
                                    <h1>{t(K::donations_status_refunded)}</h1>
                                    <p>
                                        <a href=back.clone()>{t(K::donations_back_to_campaign)}</a>
                                    </p>
                                }
                                    .into_any()
                            }
                            _ => {
                                view! {
                                    <h1>{t(K::donations_processing_title)}</h1>
                                    <p role="status">{t(K::donations_processing_text)}</p>
                                    <p>
                                        <a class="button secondary" href=refresh>
                                            {t(K::donations_refresh)}
                                        </a>
                                    </p>
                                    <StatusPoller id=public_id.clone() status=r.status.clone() />
                                }
                                    .into_any()
                            }
                        };
                        view! {
                            {r.test_mode.then(|| view! { <TestModeBanner /> })}
                            <div class=format!("donation-return status-{}", r.status)>{body}</div>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}
