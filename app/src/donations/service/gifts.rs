//! A monthly gift managed from the link in the donor's mail: change the amount, pause, resume,
//! cancel — no account, and nobody else's gift can be reached (the link is signed).
use super::super::rules::{
    self,
    states::{GiftEvent, GiftStatus},
};
use super::super::{db, DonationsError, GiftView};
use super::{links, mail};
use crate::error::{FormState, Problem};
use crate::i18n::K;

/// The gift behind a link that is ours, unexpired and of the gift's current version.
async fn gift_for(token: &str) -> Result<db::GiftRow, DonationsError> {
    let st = crate::ssr::state();
    let invalid = || DonationsError(Problem::Refused(K::donations_err_gift_link));
    let (id, version) = links::verify_manage_token(&st.settings.keys, token, crate::ssr::now()).ok_or_else(invalid)?;
    let g = db::gift_by_public(&st.db, &id).await?.ok_or_else(invalid)?;
    if g.link_version != version {
        return Err(invalid());
    }
    Ok(g)
}

/// After a change: a new link (the one used stops working) and the donor mailed. Returns the
/// page to reload, with the new link.
async fn after_change(g: &db::GiftRow, what: K, notice: &str) -> Result<String, DonationsError> {
    let st = crate::ssr::state();
    let version = db::rotate_gift_link(&st.db, g.id).await?;
    mail::send_gift_changed(&st.db, &st.settings, g.id, what).await?;
    let token = links::manage_token(&st.settings.keys, &g.public_id, version, crate::ssr::now());
    Ok(format!("/donate/manage?token={token}&{notice}"))
}

fn provider_failed(e: crate::ssr::payments::PaymentError) -> DonationsError {
    tracing::error!(error = %e, "provider refused a change to a monthly gift");
    DonationsError(Problem::Refused(K::donations_err_provider))
}

pub async fn get_gift(token: &str) -> Result<GiftView, DonationsError> {
    let g = gift_for(token).await?;
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

/// A lower monthly amount: the provider's subscription first, then our record.
pub async fn change_gift_amount(token: &str, amount: &str) -> Result<String, DonationsError> {
    let st = crate::ssr::state();
    let g = gift_for(token).await?;
    let mut form = FormState::new().value("amount", amount);
    let status = GiftStatus::parse(&g.status).unwrap_or(GiftStatus::Pending);
    if !status.can_change_amount() {
        return Err(DonationsError(Problem::Refused(K::donations_err_gift_state)));
    }
    let parsed = rules::new_monthly_amount(amount, g.amount_bani + g.fee_bani, g.min_bani, g.max_bani);
    let Some(new) = form.check("amount", parsed) else { return Err(form.into()) };
    if let Some(sub) = &g.provider_ref {
        st.payments.provider.change_subscription_amount(sub, new.0, &g.currency).await.map_err(provider_failed)?;
    }
    db::set_gift_amount(&st.db, g.id, new.0).await?;
    after_change(&g, K::donations_gift_changed, "changed=1").await
}

/// `pause`, `resume` or `cancel`: the provider first, then our record by the gift's state machine.
pub async fn gift_action(token: &str, action: &str) -> Result<String, DonationsError> {
    let st = crate::ssr::state();
    let g = gift_for(token).await?;
    let status = GiftStatus::parse(&g.status).unwrap_or(GiftStatus::Pending);
    let (ev, to) = rules::donor_action(action).ok_or(DonationsError(Problem::NotFound))?;
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
    after_change(&g, rules::action_notice(ev), &format!("done={action}")).await
}
