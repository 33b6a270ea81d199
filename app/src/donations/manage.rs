//! A monthly gift managed from the link in the donor's mail: change the amount, pause, resume,
//! cancel — no account, and nobody else's gift can be reached (the link is signed).
use super::*;
use crate::i18n::{t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GiftView {
    pub campaign_title: String,
    pub campaign_slug: String,
    pub org_name: String,
    pub amount_bani: i64,
    pub status: String,
    pub min_bani: i64,
    pub max_bani: i64,
}

/// The gift behind a link that is ours, unexpired and of the gift's current version.
#[cfg(feature = "ssr")]
async fn gift_for(token: &str) -> Result<db::GiftRow, DonationsError> {
    let st = crate::ssr::state();
    let invalid = || DonationsError(Problem::Refused(K::donations_err_gift_link));
    let (id, version) =
        receipt::verify_manage_token(&st.settings.keys, token, crate::ssr::now()).ok_or_else(invalid)?;
    let g = db::gift_by_public(&st.db, &id).await?.ok_or_else(invalid)?;
    if g.link_version != version {
        return Err(invalid());
    }
    Ok(g)
}

/// After a change: a new link (the one used stops working), the donor mailed, the page reloaded
/// with the new link.
#[cfg(feature = "ssr")]
async fn after_change(g: &db::GiftRow, what: K, notice: &str) -> Result<(), DonationsError> {
    let st = crate::ssr::state();
    let version = db::rotate_gift_link(&st.db, g.id).await?;
    receipt::send_gift_changed(&st.db, &st.settings, g.id, what).await?;
    let token = receipt::manage_token(&st.settings.keys, &g.public_id, version, crate::ssr::now());
    leptos_axum::redirect(&format!("/donate/manage?token={token}&{notice}"));
    Ok(())
}

#[cfg(feature = "ssr")]
fn provider_failed(e: crate::ssr::payments::PaymentError) -> DonationsError {
    tracing::error!(error = %e, "provider refused a change to a monthly gift");
    DonationsError(Problem::Refused(K::donations_err_provider))
}

#[server]
pub async fn get_gift(token: String) -> Result<GiftView, DonationsError> {
    let g = gift_for(&token).await?;
    Ok(GiftView {
        campaign_title: g.campaign_title,
        campaign_slug: g.campaign_slug,
        org_name: g.org_name,
        amount_bani: g.amount_bani + g.fee_bani,
        status: g.status,
        min_bani: g.min_bani,
        max_bani: g.max_bani,
    })
}

#[server]
pub async fn change_gift_amount(token: String, amount: String) -> Result<(), DonationsError> {
    let st = crate::ssr::state();
    let g = gift_for(&token).await?;
    let mut form = FormState::new().value("amount", &amount);
    let status = states::GiftStatus::parse(&g.status).unwrap_or(states::GiftStatus::Pending);
    if !status.can_change_amount() {
        return Err(DonationsError(Problem::Refused(K::donations_err_gift_state)));
    }
    let current = g.amount_bani + g.fee_bani;
    let parsed = money::Bani::parse_lei(&amount)
        .and_then(|b| money::check_bounds(b, g.min_bani, g.max_bani))
        .and_then(|b| if rules::link_may_set_amount(current, b.0) { Ok(b) } else { Err(K::donations_err_gift_raise) });
    let Some(new) = form.check("amount", parsed) else { return Err(form.into()) };
    if let Some(sub) = &g.provider_ref {
        st.payments.provider.change_subscription_amount(sub, new.0, &g.currency).await.map_err(provider_failed)?;
    }
    db::set_gift_amount(&st.db, g.id, new.0).await?;
    after_change(&g, K::donations_gift_changed, "changed=1").await
}

/// `pause`, `resume` or `cancel`: the provider first, then our record by the gift's state machine.
#[server]
pub async fn gift_action(token: String, action: String) -> Result<(), DonationsError> {
    use states::{GiftEvent, GiftStatus};
    let st = crate::ssr::state();
    let g = gift_for(&token).await?;
    let status = GiftStatus::parse(&g.status).unwrap_or(GiftStatus::Pending);
    let (ev, to) = match action.as_str() {
        "pause" => (GiftEvent::DonorPaused, GiftStatus::Paused),
        "resume" => (GiftEvent::DonorResumed, GiftStatus::Active),
        "cancel" => (GiftEvent::Cancelled, GiftStatus::Cancelled),
        _ => return Err(DonationsError(Problem::NotFound)),
    };
    if status.on(ev) != Some(to) {
        return Err(DonationsError(Problem::Refused(K::donations_err_gift_state)));
    }
    if let Some(sub) = &g.provider_ref {
        let p = &st.payments.provider;
        match ev {
            GiftEvent::Cancelled => p.cancel_subscription(sub).await,
            _ => p.pause_subscription(sub, ev == GiftEvent::DonorPaused).await,
        }
        .map_err(provider_failed)?;
    }
    db::gift_event(&st.db, g.id, ev, to).await?;
    let what = match ev {
        GiftEvent::DonorPaused => K::donations_gift_paused_notice,
        GiftEvent::DonorResumed => K::donations_gift_resumed_notice,
        _ => K::donations_gift_cancelled_notice,
    };
    after_change(&g, what, &format!("done={action}")).await
}

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
        <PageTitle k=K::donations_manage_title/>
        <h1>{t(K::donations_manage_title)}</h1>
        {move || notice().map(|k| view! { <Notice text=t(k)/> })}
        <ErrorSummary problem=pa/>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match gift.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(g) => {
                        let href = format!("/campaigns/{}", g.campaign_slug);
                        let more = format!("{href}/donate");
                        let status = g.status.clone();
                        let running = matches!(status.as_str(), "active" | "past_due" | "paused");
                        let paused = status == "paused";
                        let initial = money::Bani(g.amount_bani).to_input();
                        view! {
                            <dl class="facts">
                                <dt>{t(K::donations_campaign)}</dt><dd><a href=href>{g.campaign_title.clone()}</a></dd>
                                <dt>{t(K::donations_org)}</dt><dd>{g.org_name.clone()}</dd>
                                <dt>{t(K::donations_monthly_amount)}</dt><dd class="gift-amount">{crate::fmt::lei(lang, g.amount_bani)}</dd>
                                <dt>{t(K::donations_status)}</dt><dd class="gift-status">{t(gift_status_label(&status))}</dd>
                            </dl>
                            {running.then(|| view! {
                                <section aria-labelledby="change-h">
                                    <h2 id="change-h">{t(K::donations_change_amount)}</h2>
                                    <ActionForm action=change attr:class="form" attr:novalidate=true>
                                        <ErrorSummary problem=pc/>
                                        <input type="hidden" name="token" value=token/>
                                        <Field problem=pc name="amount" label=K::donations_amount_lei kind="text" initial=initial.clone() hint=K::donations_amount_hint/>
                                        <button type="submit" class="button">{t(K::donations_change_amount)}</button>
                                    </ActionForm>
                                    <p><a href=more.clone()>{t(K::donations_give_more)}</a></p>
                                </section>
                                <section aria-labelledby="pause-h">
                                    <h2 id="pause-h">{t(K::donations_pause_or_cancel)}</h2>
                                    <ActionForm action=act attr:class="inline-form">
                                        <input type="hidden" name="token" value=token/>
                                        <input type="hidden" name="action" value=if paused { "resume" } else { "pause" }/>
                                        <button type="submit" class="button secondary">{if paused { t(K::donations_resume) } else { t(K::donations_pause) }}</button>
                                    </ActionForm>
                                    " "
                                    <ActionForm action=act attr:class="inline-form">
                                        <input type="hidden" name="token" value=token/>
                                        <input type="hidden" name="action" value="cancel"/>
                                        <button type="submit" class="button danger">{t(K::donations_cancel_gift)}</button>
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
