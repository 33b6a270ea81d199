//! Public pages: campaign list, campaign page (progress, story, updates, donor wall, ledger, share),
//! the donation form, the return page; and the organisation admin's campaign editor.
use super::*;
use crate::i18n::{fill, t, use_lang, Lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field, Honeypot, TextArea};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos_router::hooks::{use_params_map, use_query_map};

fn enc(s: &str) -> String {
    crate::text::encode_query(s).replace('+', "%20")
}

#[component]
pub fn CampaignCardView(c: CampaignCard) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/campaigns/{}", c.slug);
    let raised = crate::fmt::lei(lang, c.raised_bani);
    let goal = c.goal_bani.map(|g| fill(t(K::donations_of_goal), &[("goal", &crate::fmt::lei(lang, g))]));
    view! {
        <li class="card campaign-card">
            <h2 class="card-title"><a href=href>{c.title}</a></h2>
            <p class="muted">{c.org_name} {(!c.locality.is_empty()).then(|| format!(" · {}", c.locality))}</p>
            <p>{c.summary}</p>
            <p class="raised"><strong>{raised}</strong> " " {goal}</p>
            {(c.status != "live").then(|| view! { <p class="tag">{t(super::org::campaign_status_label(&c.status))}</p> })}
            {c.is_demo.then(|| view! { <p class="tag">{t(K::demo_badge)}</p> })}
        </li>
    }
}

/// Raised, goal, percentage, donors and days left; the bar is a native `<progress>` (an ARIA
/// progressbar) labelled by the sentence that says the same in words.
#[component]
pub fn ProgressBar(raised: i64, goal: Option<i64>, donors: i64, days_left: Option<i64>) -> impl IntoView {
    let lang = use_lang();
    let progress = rules::progress(raised, goal);
    let sentence = match (goal, progress) {
        (Some(g), Some((pct, _))) => fill(
            t(K::donations_progress_text),
            &[
                ("raised", &crate::fmt::lei(lang, raised)),
                ("goal", &crate::fmt::lei(lang, g)),
                ("pct", &pct.to_string()),
            ],
        ),
        _ => fill(t(K::donations_raised_text), &[("raised", &crate::fmt::lei(lang, raised))]),
    };
    let donors_text = fill(lang.t(rules::donors_key(lang, donors)), &[("n", &crate::fmt::number(lang, donors))]);
    let days = days_left.map(|d| fill(lang.t(rules::days_left_key(lang, d)), &[("n", &d.to_string())]));
    view! {
        <div class="campaign-progress">
            <p id="progress-label" class="progress-text">{sentence.clone()}</p>
            {progress.map(|(_, bar)| view! {
                <progress id="campaign-progress" max="100" value=bar aria-labelledby="progress-label" aria-valuetext=sentence.clone()>{format!("{bar}%")}</progress>
            })}
            <p class="progress-facts"><span class="donors">{donors_text}</span> {days.map(|d| view! { " · " <span>{d}</span> })}</p>
        </div>
    }
}

#[component]
pub fn TestModeBanner() -> impl IntoView {
    view! { <p class="test-mode" role="note"><strong>{t(K::donations_test_mode)}</strong> " " {t(K::donations_test_mode_text)}</p> }
}

#[component]
pub fn CampaignList() -> impl IntoView {
    let q = use_query_map();
    let filter = Memo::new(move |_| {
        q.with(|q| CampaignFilter {
            org: q.get("org").unwrap_or_default(),
            domain: q.get("domain").unwrap_or_default(),
            locality: q.get("locality").unwrap_or_default(),
        })
    });
    let list = Resource::new(move || filter.get(), list_campaigns);
    let lang = use_lang();
    view! {
        <PageTitle k=K::donations_campaigns_title/>
        <h1>{t(K::donations_campaigns_title)}</h1>
        <p>{t(K::donations_campaigns_intro)}</p>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                let f = filter.get_untracked();
                match list.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(l) => {
                        let count = fill(t(K::donations_campaigns_count), &[("n", &l.cards.len().to_string())]);
                        view! {
                            <form method="get" action="/campaigns" class="filters" role="search" aria-label=t(K::donations_filters)>
                                <div class="field">
                                    <label for="org">{t(K::donations_org)}</label>
                                    <select id="org" name="org">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {l.orgs.iter().map(|(s, n)| { let sel = *s == f.org; view! { <option value=s.clone() selected=sel>{n.clone()}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="domain">{t(K::orgs_domain)}</label>
                                    <select id="domain" name="domain">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {crate::orgs::rules::DOMAINS.iter().map(|d| { let sel = *d == f.domain; view! { <option value=*d selected=sel>{t(crate::orgs::rules::domain_label(d))}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="locality">{t(K::field_locality)}</label>
                                    <select id="locality" name="locality">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {l.localities.iter().map(|s| { let sel = *s == f.locality; view! { <option value=s.clone() selected=sel>{s.clone()}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit" class="button">{t(K::search)}</button>
                            </form>
                            <p class="result-count" role="status">{count}</p>
                            <ul class="cards">{l.cards.into_iter().map(|c| view! { <CampaignCardView c/> }).collect_view()}</ul>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn ShareLinks(url: String, title: String) -> impl IntoView {
    let u = enc(&url);
    let text = enc(&title);
    view! {
        <nav class="share" aria-label=t(K::donations_share)>
            <h2 class="h-small">{t(K::donations_share)}</h2>
            <ul class="inline-list">
                <li><a href=format!("https://www.facebook.com/sharer/sharer.php?u={u}") rel="noopener noreferrer">"Facebook"</a></li>
                <li><a href=format!("https://wa.me/?text={text}%20{u}") rel="noopener noreferrer">"WhatsApp"</a></li>
                <li><a href=format!("https://x.com/intent/post?url={u}&text={text}") rel="noopener noreferrer">"X"</a></li>
                <li><a href=format!("mailto:?subject={text}&body={u}")>{t(K::donations_share_email)}</a></li>
            </ul>
        </nav>
    }
}

#[component]
fn Ledger(rows: Vec<LedgerRow>, lang: Lang) -> impl IntoView {
    view! {
        <section aria-labelledby="ledger-h">
            <h2 id="ledger-h">{t(K::donations_ledger)}</h2>
            <p class="muted">{t(K::donations_ledger_intro)}</p>
            {if rows.is_empty() {
                view! { <p>{t(K::donations_ledger_empty)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                    <table class="data ledger">
                        <caption class="visually-hidden">{t(K::donations_ledger)}</caption>
                        <thead><tr><th scope="col">{t(K::donations_date)}</th><th scope="col">{t(K::donations_donor)}</th><th scope="col" class="num">{t(K::donations_amount)}</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| {
                                let who = r.name.clone().unwrap_or_else(|| t(K::donations_anonymous).to_string());
                                let note = if r.entry == "refund" { Some(t(K::donations_refund_entry)) } else if r.monthly { Some(t(K::donations_monthly)) } else { None };
                                view! {
                                    <tr>
                                        <td><time datetime=crate::fmt::iso_utc(r.at)>{crate::fmt::date(lang, r.at)}</time></td>
                                        <td>{who} {note.map(|n| view! { <span class="muted small">" · " {n}</span> })}</td>
                                        <td class="num">{crate::fmt::lei(lang, r.amount_bani)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn CampaignView() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let page = Resource::new(slug, get_campaign);
    let lang = use_lang();
    view! {
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <h1>{t(K::notfound_title)}</h1><p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(p) => {
                        let c = p.card.clone();
                        let title = format!("{} · {}", c.title, t(K::site_name));
                        let donate = format!("/campaigns/{}/donate", c.slug);
                        let edit = format!("/campaigns/{}/edit", c.slug);
                        let org_href = format!("/organisations/{}", c.org_slug);
                        let image = (!c.cover_url.is_empty()).then(|| format!("{}{}", p.share_url.split("/campaigns/").next().unwrap_or(""), c.cover_url));
                        view! {
                            <crate::ui::DataTitle text=title/>
                            <leptos_meta::Meta property="og:type" content="website"/>
                            <leptos_meta::Meta property="og:title" content=c.title.clone()/>
                            <leptos_meta::Meta property="og:description" content=c.summary.clone()/>
                            <leptos_meta::Meta property="og:url" content=p.share_url.clone()/>
                            {image.map(|i| view! { <leptos_meta::Meta property="og:image" content=i/> })}
                            <leptos_meta::Meta name="description" content=c.summary.clone()/>
                            {p.test_mode.then(|| view! { <TestModeBanner/> })}
                            <article class="campaign">
                                <h1>{c.title.clone()}</h1>
                                <p class="muted"><a href=org_href>{c.org_name.clone()}</a> " · " {t(super::org::campaign_status_label(&c.status))}</p>
                                {(!c.cover_url.is_empty()).then(|| view! { <img class="cover" src=c.cover_url.clone() alt=c.cover_alt.clone()/> })}
                                <p class="lead">{c.summary.clone()}</p>
                                <ProgressBar raised=c.raised_bani goal=c.goal_bani donors=c.donors days_left=p.days_left/>
                                {if p.accepts {
                                    view! { <p><a class="button big" href=donate>{t(K::donations_donate_now)}</a></p> }.into_any()
                                } else {
                                    let why = if p.payments_off { K::donations_payments_off } else { K::donations_err_closed };
                                    view! { <p class="notice">{t(why)}</p> }.into_any()
                                }}
                                {p.can_manage.then(|| view! { <p><a href=edit>{t(K::donations_edit_campaign)}</a></p> })}
                                <div class="prose" inner_html=p.story_html.clone()></div>
                                {(!p.updates.is_empty()).then(|| view! {
                                    <section aria-labelledby="updates-h">
                                        <h2 id="updates-h">{t(K::donations_updates)}</h2>
                                        {p.updates.iter().map(|(at, html)| view! {
                                            <article class="update">
                                                <p class="muted small"><time datetime=crate::fmt::iso_utc(*at)>{crate::fmt::date(lang, *at)}</time></p>
                                                <div class="prose" inner_html=html.clone()></div>
                                            </article>
                                        }).collect_view()}
                                    </section>
                                })}
                                <section aria-labelledby="wall-h">
                                    <h2 id="wall-h">{t(K::donations_wall)}</h2>
                                    {if p.wall.is_empty() {
                                        view! { <p>{t(K::donations_wall_empty)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="wall">
                                                {p.wall.iter().map(|w| view! {
                                                    <li><strong>{w.name.clone()}</strong> {(!w.message.is_empty()).then(|| view! { <q>{w.message.clone()}</q> })}</li>
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </section>
                                <Ledger rows=p.ledger.clone() lang/>
                                <ShareLinks url=p.share_url.clone() title=c.title.clone()/>
                            </article>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

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
        <PageTitle k=K::donations_donate_title/>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                let prefill = retry.await.ok().flatten();
                match page.await {
                    Err(e) => view! { <h1>{t(K::notfound_title)}</h1><p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(c) => view! { <DonateForm c action p prefill/> }.into_any(),
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
    let pre_amount_bani = money::Bani::parse_lei(&pre.amount).ok().map(|b| b.0);
    let chosen_amount = kept("amount").unwrap_or_else(|| match pre_amount_bani {
        Some(b) if c.presets.contains(&b) => b.to_string(),
        Some(_) => "other".into(),
        None => c.presets.get(1).or(c.presets.first()).map(|b| b.to_string()).unwrap_or_default(),
    });
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
        <p class="lead"><a href=back>{c.card.title.clone()}</a> " · " {c.card.org_name.clone()}</p>
        {c.test_mode.then(|| view! { <TestModeBanner/> })}
        {had_prefill.then(|| view! { <p class="notice" role="status">{t(K::donations_retry_notice)}</p> })}
        {if !c.accepts {
            let why = if c.payments_off { K::donations_payments_off } else { K::donations_err_closed };
            view! { <p class="notice">{t(why)}</p> }.into_any()
        } else {
            view! {
                <ActionForm action=action attr:class="form donate-form" attr:novalidate=true>
                    <ErrorSummary problem=p/>
                    {move || err("payment").map(|e| view! { <p class="field-error" id="f-payment" role="alert">{e}</p> })}
                    <input type="hidden" name="campaign" value=c.card.slug.clone()/>
                    <input type="hidden" name="attempt" value=c.attempt.clone()/>
                    <fieldset class="field amounts" id="f-amount" aria-describedby="amount-bounds">
                        <legend>{t(K::donations_step_amount)}</legend>
                        <p class="hint" id="amount-bounds">{bounds}</p>
                        {move || err("amount").map(|e| view! { <p class="field-error" id="f-amount-err">{e}</p> })}
                        <div class="amount-options">
                            {c.presets.iter().map(|b| {
                                let id = format!("amount-{b}");
                                let on = chosen_amount == b.to_string();
                                view! {
                                    <div class="amount-option">
                                        <input type="radio" id=id.clone() name="amount" value=b.to_string() checked=on/>
                                        <label for=id>{crate::fmt::lei(lang, *b)}</label>
                                    </div>
                                }
                            }).collect_view()}
                            <div class="amount-option">
                                <input type="radio" id="amount-other" name="amount" value="other" checked=chosen_amount == "other"/>
                                <label for="amount-other">{t(K::donations_other_amount)}</label>
                            </div>
                        </div>
                        <div class="field" class:has-error=move || err("custom_amount").is_some()>
                            <label for="f-custom_amount">{t(K::donations_amount_lei)}</label>
                            <p class="hint" id="f-custom_amount-hint">{t(K::donations_amount_hint)}</p>
                            {move || err("custom_amount").map(|e| view! { <p class="field-error" id="f-custom_amount-err">{e}</p> })}
                            <input id="f-custom_amount" name="custom_amount" type="text" inputmode="decimal" autocomplete="off" value=custom
                                aria-describedby=move || if err("custom_amount").is_some() { "f-custom_amount-hint f-custom_amount-err" } else { "f-custom_amount-hint" }
                                aria-invalid=move || if err("custom_amount").is_some() { "true" } else { "false" }/>
                        </div>
                    </fieldset>
                    <fieldset class="field" id="f-frequency">
                        <legend>{t(K::donations_frequency)}</legend>
                        {move || err("frequency").map(|e| view! { <p class="field-error" id="f-frequency-err">{e}</p> })}
                        <div class="check">
                            <input type="radio" id="freq-once" name="frequency" value="one_time" checked=!monthly/>
                            <label for="freq-once">{t(K::donations_one_time)}</label>
                        </div>
                        {monthly_ok.then(|| view! {
                            <div class="check">
                                <input type="radio" id="freq-monthly" name="frequency" value="monthly" checked=monthly/>
                                <label for="freq-monthly">{t(K::donations_monthly)}</label>
                            </div>
                        })}
                    </fieldset>
                    <div class="check">
                        <input type="checkbox" id="f-cover_fee" name="cover_fee" value="1" checked=cover aria-describedby="cover-hint"/>
                        <label for="f-cover_fee">{t(K::donations_cover_fee)}</label>
                    </div>
                    <p class="hint" id="cover-hint">{fee_text}</p>
                    <fieldset class="field">
                        <legend>{t(K::donations_step_donor)}</legend>
                        <Field problem=p name="name" label=K::donations_your_name required=true autocomplete="name" initial=name_v/>
                        <Field problem=p name="email" label=K::field_email kind="email" required=true autocomplete="email" initial=email_v hint=K::donations_email_hint/>
                        <div class="field">
                            <label for="f-message">{t(K::donations_message)}</label>
                            <p class="hint" id="f-message-hint">{t(K::donations_message_hint)}</p>
                            <textarea id="f-message" name="message" rows="3" maxlength="280" aria-describedby="f-message-hint">{message_v}</textarea>
                        </div>
                        <div class="check">
                            <input type="checkbox" id="f-show_name" name="show_name" value="1" checked=show aria-describedby="show-hint"/>
                            <label for="f-show_name">{t(K::donations_show_name)}</label>
                        </div>
                        <p class="hint" id="show-hint">{t(K::donations_show_name_hint)}</p>
                        <div class="field" class:has-error=move || err("consent").is_some()>
                            {move || err("consent").map(|e| view! { <p class="field-error" id="f-consent-err">{e}</p> })}
                            <div class="check">
                                <input type="checkbox" id="f-consent" name="consent" value="yes" aria-describedby="consent-text"/>
                                <label for="f-consent">{t(K::donations_consent_label)} " " <span class="req">{t(K::form_required)}</span></label>
                            </div>
                            <p class="hint" id="consent-text">{t(K::donations_consent_text)} " (" {rules::CONSENT_VERSION} ")"</p>
                        </div>
                        <div class="check">
                            <input type="checkbox" id="f-newsletter" name="newsletter" value="1" checked=newsletter/>
                            <label for="f-newsletter">{t(K::donations_newsletter_optin)}</label>
                        </div>
                    </fieldset>
                    <Honeypot/>
                    <p class="hint">{t(K::donations_provider_note)}</p>
                    <button type="submit" class="button big">{t(K::donations_continue_to_payment)}</button>
                </ActionForm>
            }.into_any()
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
                    if let Ok(now) = donation_status(id).await {
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
        <PageTitle k=K::donations_return_title/>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                let public_id = id();
                match data.await {
                    Err(e) => view! { <h1>{t(K::donations_return_title)}</h1><p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(r) => {
                        let back = format!("/campaigns/{}", r.campaign_slug);
                        let retry = format!("/campaigns/{}/donate?retry={public_id}", r.campaign_slug);
                        let refresh = format!("/donate/return/{public_id}");
                        let amount = crate::fmt::lei(lang, r.total_bani);
                        let body = match r.status.as_str() {
                            "paid" => view! {
                                <h1>{t(K::donations_thank_you)}</h1>
                                <p class="notice" role="status">{fill(t(if r.monthly { K::donations_paid_monthly_text } else { K::donations_paid_text }), &[("amount", &amount), ("campaign", &r.campaign_title)])}</p>
                                {(!r.thanks.is_empty()).then(|| view! { <p>{r.thanks.clone()}</p> })}
                                <p>{t(K::donations_receipt_sent)}</p>
                                <p><a class="button" href=back.clone()>{t(K::donations_back_to_campaign)}</a></p>
                            }.into_any(),
                            "failed" | "cancelled" => view! {
                                <h1>{t(if r.status == "failed" { K::donations_failed_title } else { K::donations_cancelled_title })}</h1>
                                <p role="alert">{t(K::donations_failed_text)}</p>
                                <p><a class="button" href=retry>{t(K::donations_retry)}</a> " " <a href=back.clone()>{t(K::donations_back_to_campaign)}</a></p>
                            }.into_any(),
                            "refunded" => view! {
                                <h1>{t(K::donations_status_refunded)}</h1>
                                <p><a href=back.clone()>{t(K::donations_back_to_campaign)}</a></p>
                            }.into_any(),
                            _ => view! {
                                <h1>{t(K::donations_processing_title)}</h1>
                                <p role="status">{t(K::donations_processing_text)}</p>
                                <p><a class="button secondary" href=refresh>{t(K::donations_refresh)}</a></p>
                                <StatusPoller id=public_id.clone() status=r.status.clone()/>
                            }.into_any(),
                        };
                        view! {
                            {r.test_mode.then(|| view! { <TestModeBanner/> })}
                            <div class=format!("donation-return status-{}", r.status)>{body}</div>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[server]
pub async fn campaign_for_edit(slug: String, org: i64) -> Result<Option<CampaignPage>, DonationsError> {
    if slug.is_empty() {
        manager_of(org).await?;
        return Ok(None);
    }
    let page = get_campaign(slug).await?;
    manager_of(page.org_id).await?;
    Ok(Some(page))
}

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
        {move || q.with(|q| q.get("saved").is_some()).then(|| view! { <Notice text=t(K::admin_saved)/> })}
        {move || q.with(|q| q.get("posted").is_some()).then(|| view! { <Notice text=t(K::donations_update_posted)/> })}
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <h1>{t(K::donations_edit_campaign)}</h1><p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(existing) => {
                        let editing = existing.is_some();
                        let c = existing;
                        let heading = if editing { K::donations_edit_campaign } else { K::donations_new_campaign };
                        let val = |f: &dyn Fn(&CampaignPage) -> String| c.as_ref().map(f).unwrap_or_default();
                        let title = val(&|c| c.card.title.clone());
                        let summary = val(&|c| c.card.summary.clone());
                        let cover_url = val(&|c| c.card.cover_url.clone());
                        let cover_alt = val(&|c| c.card.cover_alt.clone());
                        let goal = c.as_ref().and_then(|c| c.card.goal_bani).map(|g| money::Bani(g).to_input()).unwrap_or_default();
                        let ends = c.as_ref().and_then(|c| c.card.ends_at).map(|e| { let (y, m, d, _, _) = crate::fmt::bucharest_parts(e); format!("{y:04}-{m:02}-{d:02}") }).unwrap_or_default();
                        let presets = c.as_ref().map(|c| c.presets.iter().map(|b| money::Bani(*b).to_input()).collect::<Vec<_>>().join(" ")).unwrap_or_else(|| "25 50 100 250".into());
                        let min = c.as_ref().map(|c| money::Bani(c.min_bani).to_input()).unwrap_or_else(|| "10".into());
                        let max = c.as_ref().map(|c| money::Bani(c.max_bani).to_input()).unwrap_or_else(|| "10000".into());
                        let monthly = p.with_untracked(|p| p.as_ref().and_then(|p| p.kept()).and_then(|f| f.value_of("allow_monthly"))).map(|v| v == "1").unwrap_or(c.as_ref().map(|c| c.allow_monthly).unwrap_or(true));
                        let thanks = val(&|c| c.thanks.clone());
                        let story = val(&|c| c.story_md.clone());
                        let story_v = p.with_untracked(|p| p.as_ref().and_then(|p| p.kept()).and_then(|f| f.value_of("story"))).unwrap_or(story);
                        let slug_v = val(&|c| c.card.slug.clone());
                        let org_id = c.as_ref().map(|c| c.org_id).unwrap_or_else(org);
                        let current = c.as_ref().map(|c| c.card.status.clone()).unwrap_or_default();
                        let cid = c.as_ref().map(|c| c.card.id).unwrap_or(0);
                        let view_href = format!("/campaigns/{slug_v}");
                        let cover_action = format!("/campaigns/{slug_v}/cover");
                        let moves: Vec<&'static str> = states::CampaignStatus::parse(&current)
                            .map(|s| states::CampaignStatus::ALL.into_iter().filter(|n| s.can_become(*n)).map(|n| n.code()).collect())
                            .unwrap_or_default();
                        view! {
                            <PageTitle k=heading/>
                            <h1>{t(heading)}</h1>
                            {editing.then(|| view! { <p>{t(K::donations_status)} ": " <strong>{t(super::org::campaign_status_label(&current))}</strong> " · " <a href=view_href.clone()>{t(K::donations_view_campaign)}</a></p> })}
                            <ActionForm action=save attr:class="form" attr:novalidate=true>
                                <ErrorSummary problem=p/>
                                <input type="hidden" name="org_id" value=org_id/>
                                <input type="hidden" name="slug" value=slug_v.clone()/>
                                <Field problem=p name="title" label=K::donations_field_title required=true initial=title/>
                                <Field problem=p name="summary" label=K::donations_field_summary required=true initial=summary/>
                                <div class="field">
                                    <label for="f-story">{t(K::donations_field_story)}</label>
                                    <p class="hint" id="f-story-hint">{t(K::hint_markdown)}</p>
                                    <textarea id="f-story" name="story" rows="10" aria-describedby="f-story-hint">{story_v}</textarea>
                                </div>
                                <Field problem=p name="cover_url" label=K::donations_field_cover hint=K::donations_field_cover_hint initial=cover_url/>
                                <Field problem=p name="cover_alt" label=K::donations_field_cover_alt initial=cover_alt/>
                                <Field problem=p name="goal" label=K::donations_field_goal hint=K::donations_optional initial=goal/>
                                <Field problem=p name="ends_on" label=K::donations_field_end kind="date" hint=K::donations_optional initial=ends/>
                                <Field problem=p name="presets" label=K::donations_field_presets hint=K::donations_field_presets_hint initial=presets/>
                                <Field problem=p name="min" label=K::donations_field_min initial=min/>
                                <Field problem=p name="max" label=K::donations_field_max initial=max/>
                                <div class="check">
                                    <input type="checkbox" id="f-allow_monthly" name="allow_monthly" value="1" checked=monthly/>
                                    <label for="f-allow_monthly">{t(K::donations_field_monthly)}</label>
                                </div>
                                <Field problem=p name="thanks" label=K::donations_field_thanks initial=thanks/>
                                <button type="submit" class="button">{t(K::donations_save)}</button>
                            </ActionForm>
                            {editing.then(|| {
                                let action = cover_action.clone();
                                let alt_now = c.as_ref().map(|c| c.card.cover_alt.clone()).unwrap_or_default();
                                let cover_err = q
                                    .with_untracked(|q| crate::ui::form::query_error(q, "cover"))
                                    .map(|e| super::org::cover_problem(&e));
                                view! {
                                    <section aria-labelledby="cover-h">
                                        <h2 id="cover-h">{t(K::donations_field_cover)}</h2>
                                        {cover_err.map(|k| view! { <p class="field-error" role="alert" id="cover-err">{t(k)}</p> })}
                                        <form method="post" action=action enctype="multipart/form-data" class="form">
                                            <div class="field">
                                                <label for="f-cover">{t(K::donations_cover_file)}</label>
                                                <p class="hint" id="f-cover-hint">{t(K::donations_cover_file_hint)}</p>
                                                <input id="f-cover" name="cover" type="file" accept="image/jpeg,image/png,image/webp" aria-describedby="f-cover-hint"/>
                                            </div>
                                            <div class="field">
                                                <label for="f-cover-alt">{t(K::donations_field_cover_alt)}</label>
                                                <input id="f-cover-alt" name="cover_alt" type="text" value=alt_now/>
                                            </div>
                                            <button type="submit" class="button secondary">{t(K::donations_upload_cover)}</button>
                                        </form>
                                    </section>
                                }
                            })}
                            {editing.then(|| view! {
                                <section aria-labelledby="status-h">
                                    <h2 id="status-h">{t(K::donations_status)}</h2>
                                    <ErrorSummary problem=ps/>
                                    {moves.into_iter().map(|m| view! {
                                        <ActionForm action=status attr:class="inline-form">
                                            <input type="hidden" name="campaign_id" value=cid/>
                                            <input type="hidden" name="status" value=m/>
                                            <button type="submit" class="button secondary">{t(status_action_label(m))}</button>
                                        </ActionForm>
                                        " "
                                    }).collect_view()}
                                </section>
                                <section aria-labelledby="update-h">
                                    <h2 id="update-h">{t(K::donations_post_update)}</h2>
                                    <ActionForm action=update attr:class="form" attr:novalidate=true>
                                        <ErrorSummary problem=pu/>
                                        <input type="hidden" name="campaign_id" value=cid/>
                                        <TextArea problem=pu name="body" label=K::donations_update_body hint=K::hint_markdown/>
                                        <button type="submit" class="button">{t(K::donations_post_update)}</button>
                                    </ActionForm>
                                </section>
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
