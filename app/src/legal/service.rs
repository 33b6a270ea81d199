//! The legal pages' orchestration: what the pages may say about this installation, and the
//! accessibility feedback (checked, limited per IP, stored and mailed to the admins in one
//! transaction).
use super::rules::{self, FeedbackForm};
use super::{db, LegalError, PublicInfo};
use crate::error::Problem;
use crate::i18n::{Lang, K};
use crate::ssr::{mail, now, rate_limit, request, state};

/// The code of the mail the admins get for each feedback message.
pub const FEEDBACK_MAIL: &str = "legal.feedback";

pub fn public_info() -> PublicInfo {
    let st = state();
    let s = &st.settings;
    let op = &s.operator;
    let provider = &st.payments.provider;
    PublicInfo {
        name: op.name.clone(),
        address: op.address.clone(),
        email: op.email.clone(),
        dpo_email: op.dpo_email.clone(),
        source_url: op.source_url.clone(),
        placeholder: op.placeholder,
        public_url: s.public_url.clone(),
        storage_host: op.storage_host.clone(),
        tile_origin: op.tile_origin.clone(),
        smtp: !s.outbox_only,
        payments: if provider.enabled() { provider.name().to_string() } else { String::new() },
        session_idle_days: rules::days(s.idle_timeout_secs),
        session_max_days: rules::days(crate::accounts::rules::SESSION_LIFETIME_SECS),
        version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

pub async fn send_feedback(form: &FeedbackForm, website: &str) -> Result<(), LegalError> {
    let st = state();
    let sent = format!("{}?sent=1#feedback", super::ACCESSIBILITY);
    // A bot filled the field people never see: it is told "sent" whatever it wrote, and nothing happens.
    if !website.is_empty() {
        leptos_axum::redirect(&sent);
        return Ok(());
    }
    let feedback = rules::check_feedback(form)?;
    let key = format!("a11y-feedback:ip:{}", request::client_ip());
    if let Some(wait) = rate_limit::hit(&st.db, &key, rules::FEEDBACK_PER_HOUR, 3600).await? {
        return Err(LegalError(Problem::rate_limited(wait, form.kept())));
    }
    // Each message mails every admin: many addresses together cannot flood their inboxes either.
    if let Some(wait) = rate_limit::hit(&st.db, "a11y-feedback:all", rules::FEEDBACK_PER_HOUR_ALL, 3600).await? {
        return Err(LegalError(Problem::rate_limited(wait, form.kept())));
    }
    let lang = crate::i18n::request_lang();
    let admins = db::admin_emails(&st.db).await?;
    let to = rules::recipients(&admins, &st.settings.admin_emails, &st.settings.operator.email);
    let link = format!("{}{}", st.settings.public_url.trim_end_matches('/'), super::ACCESSIBILITY);
    let mut tx = st.db.pool.begin().await?;
    let id = db::insert_feedback(&mut tx, &feedback, lang.code(), now()).await?;
    for (addr, l) in &to {
        let m = mail::compose(
            *l,
            addr,
            FEEDBACK_MAIL,
            K::legal_mail_subject,
            &paragraphs(*l, id, &feedback),
            Some((K::legal_mail_cta, &link)),
        );
        mail::enqueue_essential(&mut tx, &m).await?;
    }
    tx.commit().await?;
    if to.is_empty() {
        tracing::warn!(id, "accessibility feedback stored, but there is no admin or OPERATOR_EMAIL to tell");
    }
    leptos_axum::redirect(&sent);
    Ok(())
}

/// The mail's text in the admin's language; what the person typed stays as typed.
fn paragraphs(lang: Lang, id: i64, f: &rules::Feedback) -> Vec<String> {
    let or_none = |v: &str| if v.is_empty() { lang.t(K::legal_mail_not_given).to_string() } else { v.to_string() };
    let email = f.email.as_ref().map(|e| e.to_string()).unwrap_or_default();
    vec![
        lang.tf(K::legal_mail_intro, &[("id", &id.to_string())]),
        lang.tf(K::legal_mail_from, &[("name", &or_none(&f.name)), ("email", &or_none(&email))]),
        lang.tf(K::legal_mail_page, &[("page", &or_none(&f.page))]),
        format!("{}\n{}", lang.t(K::legal_mail_description), f.description),
        lang.t(K::legal_mail_todo).to_string(),
    ]
}
