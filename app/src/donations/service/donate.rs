//! Giving: the donation form checked, the card-testing limits, the pending donation created with
//! the amount computed here, the donor sent to the provider's checkout; then the return page.
use super::super::rules::{self, money::charge_for, states::CampaignStatus, CampaignTerms, GiftFields};
use super::super::{db, DonationsError, DonorPrefill, ReturnView};
use crate::error::{FormState, Problem};
use crate::i18n::K;
use crate::ssr::payments::CheckoutRequest;
use crate::types::money::Bani;

/// The donation form as it was sent.
pub struct DonateForm {
    pub campaign: String,
    pub attempt: String,
    pub amount: String,
    pub custom_amount: String,
    pub frequency: String,
    pub cover_fee: bool,
    pub name: String,
    pub email: String,
    pub message: String,
    pub show_name: bool,
    pub consent: Option<String>,
    pub newsletter: bool,
    /// The honeypot: people leave it empty.
    pub website: String,
}

impl DonateForm {
    /// What was typed, to fill the form again with its problems.
    fn kept(&self) -> FormState {
        let tick = |on: bool| if on { "1" } else { "" };
        FormState::new()
            .value("amount", &self.amount)
            .value("custom_amount", &self.custom_amount)
            .value("frequency", &self.frequency)
            .value("cover_fee", tick(self.cover_fee))
            .value("name", &self.name)
            .value("email", &self.email)
            .value("message", &self.message)
            .value("show_name", tick(self.show_name))
            .value("newsletter", tick(self.newsletter))
    }
}

/// Step 3 of the flow: checks the gift (campaign open, payments on, honeypot, the form's fields,
/// in that order: the first refusal decides the answer), answers a double submit, applies the
/// card-testing limits, creates the pending donation and opens the checkout. Returns where the
/// donor goes next.
pub async fn donate(f: &DonateForm) -> Result<String, DonationsError> {
    let st = crate::ssr::state();
    let mut form = f.kept();
    let c = db::campaign(&st.db, &f.campaign).await?.ok_or(DonationsError(Problem::NotFound))?;
    let status = CampaignStatus::parse(&c.card.status).unwrap_or(CampaignStatus::Draft);
    if !status.accepts_gifts(c.card.ends_at, crate::ssr::now()) {
        return Err(DonationsError(Problem::Refused(K::donations_err_closed)));
    }
    let provider = st.payments.provider.clone();
    if !provider.enabled() {
        return Err(DonationsError(Problem::Refused(K::donations_err_payments_off)));
    }
    // Honeypot: the same generic answer a card tester gets, nothing created.
    if !f.website.is_empty() {
        form.add("payment", K::donations_err_not_accepted);
        return Err(form.into());
    }
    let fields = GiftFields {
        amount: &f.amount,
        custom_amount: &f.custom_amount,
        frequency: &f.frequency,
        name: &f.name,
        email: &f.email,
        message: &f.message,
        consent: f.consent.as_deref(),
    };
    let terms = CampaignTerms {
        presets: &c.presets,
        min_bani: c.min_bani,
        max_bani: c.max_bani,
        allow_monthly: c.allow_monthly,
    };
    let gift = match rules::check_gift(&fields, &terms, provider.supports_monthly()) {
        Ok(g) => g,
        Err(errs) => {
            for (field, k) in errs {
                form.add(field, k);
            }
            return Err(form.into());
        }
    };
    if let Some((public_id, status, url)) = db::checkout_by_key(&st.db, &f.attempt).await? {
        return Ok(rules::resume_target(&status, &url, &public_id));
    }
    let ip = crate::ssr::request::client_ip();
    let limits = st.payments.limits;
    let keys = rules::checkout_limit_keys(
        &ip,
        gift.email.as_str(),
        c.card.id,
        limits.per_ip,
        limits.per_email,
        limits.per_campaign,
    );
    for (key, limit) in keys {
        if crate::ssr::rate_limit::hit(&st.db, &key, limit, 3600).await?.is_some() {
            tracing::warn!(%key, "donation checkout limit reached");
            form.add("payment", K::donations_err_not_accepted);
            return Err(form.into());
        }
    }
    let (charge, fee) = charge_for(provider.fee_rule(), gift.gift, f.cover_fee);
    let lang = crate::i18n::request_lang();
    let public_id = crate::ssr::public_id();
    let attempt = rules::checkout_attempt(&f.attempt).unwrap_or_else(crate::ssr::random_token);
    let new = db::NewDonation {
        public_id: public_id.clone(),
        campaign_id: c.card.id,
        amount_bani: gift.gift.0,
        fee_bani: fee,
        currency: c.currency.clone(),
        monthly: gift.monthly,
        provider: provider.name().into(),
        idempotency_key: attempt.clone(),
        donor_name: gift.name,
        donor_email: gift.email.to_string(),
        message: gift.message,
        show_name: f.show_name,
        lang: lang.code().into(),
        consent_version: rules::CONSENT_VERSION.into(),
        newsletter: f.newsletter,
        ip_hash: crate::ssr::signing::ip_hash(&st.settings.keys, &ip),
        is_demo: false,
    };
    let id = db::create_donation(&st.db, &new).await?;
    let base = st.settings.public_url.trim_end_matches('/');
    let req = CheckoutRequest {
        donation_id: public_id.clone(),
        idempotency_key: attempt,
        title: c.card.title.clone(),
        amount: charge,
        currency: c.currency.clone(),
        monthly: gift.monthly,
        donor_email: new.donor_email.clone(),
        donor_name: new.donor_name.clone(),
        lang,
        success_url: format!("{base}/donate/return/{public_id}"),
        cancel_url: format!("{base}/donate/return/{public_id}?cancelled=1"),
        notify_url: format!("{base}/webhooks/{}", provider.name()),
    };
    match provider.create_checkout(&req).await {
        // Only the provider's own checkout pages: a compromised or misconfigured API answer must
        // not send donors anywhere else.
        Ok(checkout) if !crate::ssr::payments::is_checkout_url(provider.as_ref(), &checkout.redirect_url, base) => {
            tracing::error!(donation = %public_id, url = %checkout.redirect_url, "checkout URL outside the provider's origins");
            db::mark_checkout_failed(&st.db, id).await?;
            form.add("payment", K::donations_err_provider);
            Err(form.into())
        }
        Ok(checkout) => {
            db::set_checkout(&st.db, id, &checkout.session_ref, &checkout.redirect_url).await?;
            Ok(checkout.redirect_url)
        }
        Err(e) => {
            tracing::error!(error = %e, donation = %public_id, "checkout could not be opened");
            db::mark_checkout_failed(&st.db, id).await?;
            form.add("payment", K::donations_err_provider);
            Err(form.into())
        }
    }
}

pub async fn donation_status(id: &str) -> Result<String, DonationsError> {
    let st = crate::ssr::state();
    let d = db::donation_by_public(&st.db, id).await?.ok_or(DonationsError(Problem::NotFound))?;
    Ok(d.status)
}

pub async fn get_return(id: &str) -> Result<ReturnView, DonationsError> {
    let st = crate::ssr::state();
    let d = db::donation_by_public(&st.db, id).await?.ok_or(DonationsError(Problem::NotFound))?;
    Ok(ReturnView {
        status: d.status,
        campaign_slug: d.campaign_slug,
        campaign_title: d.campaign_title,
        thanks: d.thanks,
        total_bani: d.total_bani,
        monthly: d.monthly,
        test_mode: st.payments.provider.test_mode(),
    })
}

/// The values of a failed or cancelled donation, to fill the form again for a retry.
pub async fn retry_prefill(id: &str) -> Result<Option<DonorPrefill>, DonationsError> {
    if id.is_empty() {
        return Ok(None);
    }
    let st = crate::ssr::state();
    let Some(d) = db::donation_by_public(&st.db, id).await? else { return Ok(None) };
    if !rules::may_retry(&d.status) {
        return Ok(None);
    }
    Ok(Some(DonorPrefill {
        amount: Bani(d.amount_bani).to_input(),
        monthly: d.monthly,
        cover_fee: d.fee_bani > 0,
        name: d.donor_name,
        email: d.donor_email,
        message: d.message,
        show_name: d.show_name,
    }))
}
