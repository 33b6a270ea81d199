//! What the newsletter does on the server: the double opt-in, the signed links that manage a
//! subscription without an account, the admin's issues and the job that sends them in batches.
use super::{db, rules, IssueRow, Preferences};
use crate::error::{FormState, Problem};
use crate::i18n::{fill, Lang, K};
use crate::orgs::OrgsError;
use crate::ssr::signing::{Keys, Purpose};
use crate::ssr::{mail, Db};

type R<T> = Result<T, OrgsError>;

fn link_invalid() -> OrgsError {
    OrgsError(Problem::Refused(K::err_link_invalid))
}

/// The token of a subscriber's preferences link: their random public id, signed for this purpose.
pub fn manage_token(keys: &Keys, public_id: &str) -> String {
    keys.sign(Purpose::Newsletter, public_id)
}

fn verify_manage_token(keys: &Keys, token: &str) -> Option<String> {
    keys.verify(Purpose::Newsletter, token)
}

/// The subscriber a signed link is for.
async fn subscriber_id(token: &str) -> R<i64> {
    let st = crate::ssr::state();
    let public_id = verify_manage_token(&st.settings.keys, token).ok_or_else(link_invalid)?;
    db::subscriber_by_public(&st.db, &public_id).await?.ok_or_else(link_invalid)
}

/// RFC 8058 one-click: unsubscribes the holder of a signed link; false when the link is not valid.
pub async fn unsubscribe_by_token(db: &Db, keys: &Keys, token: &str) -> Result<bool, sqlx::Error> {
    let Some(public_id) = verify_manage_token(keys, token) else { return Ok(false) };
    let Some(id) = db::subscriber_by_public(db, &public_id).await? else { return Ok(false) };
    db::unsubscribe(db, id).await.map(|_| true)
}

pub async fn subscribe(email: &str, topics: &[String], county: &str, consent: Option<&str>, website: &str) -> R<()> {
    use crate::ssr::request;
    let st = crate::ssr::state();
    let form = FormState::new().value("email", email).value("topics", &topics.join(",")).value("county", county);
    let (email, topics) = match rules::check_subscription(email, topics, consent) {
        Ok(checked) => checked,
        Err(errs) => return Err(crate::orgs::invalid(form, errs)),
    };
    // The honeypot: a bot gets the same answer as a person, and nothing is stored.
    if !website.is_empty() {
        leptos_axum::redirect("/newsletter?sent=1");
        return Ok(());
    }
    let ip = request::client_ip();
    // Per address too: nobody fills a stranger's mailbox with confirmations from many addresses.
    for (key, limit, window) in
        [(format!("newsletter:ip:{ip}"), 20, 3600), (format!("newsletter:email:{email}"), 3, 86_400)]
    {
        if let Some(wait) = crate::ssr::rate_limit::hit(&st.db, &key, limit, window).await? {
            return Err(OrgsError(Problem::rate_limited(wait, form)));
        }
    }
    let lang = crate::i18n::request_lang();
    let ip_hash = crate::ssr::signing::ip_hash(&st.settings.keys, &ip);
    let county = crate::text::clean_text(county, 40);
    request_subscription(&st.db, &st.settings, &email, lang, &topics, &county, rules::CONSENT_VERSION, &ip_hash)
        .await?;
    leptos_axum::redirect("/newsletter?sent=1");
    Ok(())
}

/// Starts the double opt-in for `email` (the newsletter page, or the box ticked on a donation form):
/// a confirmation link for a new or returning address, a link to the preferences for a confirmed one
/// (the same answer either way, so nobody learns who is subscribed). Consent evidence is kept.
pub async fn request_subscription(
    db: &Db,
    settings: &crate::ssr::Settings,
    email: &crate::types::Email,
    lang: Lang,
    topics: &[&str],
    county: &str,
    consent_version: &str,
    consent_ip_hash: &str,
) -> Result<(), sqlx::Error> {
    use crate::ssr::{now, random_token, sha256_hex};
    let token = random_token();
    let new = db::NewSubscriber {
        email: email.to_string(),
        lang: lang.code().into(),
        topics: topics.join(","),
        county: county.to_string(),
        consent_version: consent_version.into(),
        consent_at: now(),
        consent_ip_hash: consent_ip_hash.into(),
        confirm_hash: sha256_hex(&token),
    };
    let base = settings.public_url.trim_end_matches('/');
    let m = match db::upsert_subscriber(db, &new).await? {
        db::Upserted::NeedsConfirmation => mail::compose(
            lang,
            email.as_str(),
            "newsletter_confirm",
            K::mail_newsletter_confirm_subject,
            &[lang.t(K::mail_newsletter_confirm_body).to_string()],
            Some((K::mail_newsletter_confirm_cta, &format!("{base}/newsletter/confirm?token={token}"))),
        ),
        db::Upserted::AlreadyConfirmed(public_id) => mail::compose(
            lang,
            email.as_str(),
            "newsletter_already",
            K::mail_newsletter_already_subject,
            &[lang.t(K::mail_newsletter_already_body).to_string()],
            Some((
                K::newsletter_preferences,
                &format!("{base}/newsletter/preferences?token={}", manage_token(&settings.keys, &public_id)),
            )),
        ),
    };
    mail::enqueue(db, &m).await?;
    Ok(())
}

pub async fn confirm(token: &str) -> R<()> {
    use crate::ssr::sha256_hex;
    let st = crate::ssr::state();
    let Some((public_id, email, lang)) = db::confirm_subscriber(&st.db, &sha256_hex(token.trim())).await? else {
        return Err(link_invalid());
    };
    let lang = Lang::from_code(&lang);
    let manage = manage_token(&st.settings.keys, &public_id);
    let base = st.settings.public_url.trim_end_matches('/');
    let mut m = mail::compose(
        lang,
        &email,
        "newsletter_welcome",
        K::mail_newsletter_welcome_subject,
        &[lang.t(K::mail_newsletter_welcome_body).to_string()],
        Some((K::newsletter_preferences, &format!("{base}/newsletter/preferences?token={manage}"))),
    );
    m.unsubscribe_url = Some(format!("{base}/newsletter/one-click?token={manage}"));
    mail::enqueue(&st.db, &m).await?;
    leptos_axum::redirect(&format!("/newsletter/preferences?token={manage}&confirmed=1"));
    Ok(())
}

pub async fn preferences(token: &str) -> R<Preferences> {
    let id = subscriber_id(token).await?;
    db::preferences(&crate::ssr::state().db, id).await?.ok_or_else(link_invalid)
}

pub async fn update_preferences(token: &str, topics: &[String], county: &str) -> R<()> {
    let id = subscriber_id(token).await?;
    let mut form = FormState::new().value("topics", &topics.join(",")).value("county", county);
    let topics = rules::clean_topics(topics);
    if topics.is_empty() {
        form.add("topics", K::err_choose_topic);
        return Err(form.into());
    }
    db::update_preferences(&crate::ssr::state().db, id, &topics.join(","), &crate::text::clean_text(county, 40))
        .await?;
    leptos_axum::redirect(&format!("/newsletter/preferences?token={}&saved=1", token.trim()));
    Ok(())
}

pub async fn unsubscribe(token: &str) -> R<()> {
    let id = subscriber_id(token).await?;
    db::unsubscribe(&crate::ssr::state().db, id).await?;
    leptos_axum::redirect(&format!("/newsletter/preferences?token={}&unsubscribed=1", token.trim()));
    Ok(())
}

async fn require_admin() -> R<crate::accounts::SessionUser> {
    let me = crate::accounts::session::current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    if me.is_admin() {
        Ok(me)
    } else {
        Err(OrgsError(Problem::Forbidden))
    }
}

/// One newsletter mail: the issue, then the links every mail must carry.
pub fn issue_mail(lang: Lang, to: &str, subject: &str, body_md: &str, manage_token: &str, base: &str) -> mail::Mail {
    let prefs = format!("{base}/newsletter/preferences?token={manage_token}");
    let footer = fill(lang.t(K::mail_newsletter_footer), &[("link", &prefs)]);
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><body style=\"font-family:sans-serif;line-height:1.5\">{}<hr><p><a href=\"{prefs}\">{}</a></p></body></html>",
        lang.code(),
        crate::ssr::markdown::render(body_md),
        lang.t(K::newsletter_preferences)
    );
    mail::Mail {
        to: to.to_string(),
        subject: subject.to_string(),
        text: format!("{body_md}\n\n--\n{footer}\n"),
        html,
        kind: "newsletter",
        unsubscribe_url: Some(format!("{base}/newsletter/one-click?token={manage_token}")),
    }
}

pub async fn admin_issues() -> R<Vec<IssueRow>> {
    require_admin().await?;
    Ok(db::issues(&crate::ssr::state().db).await?)
}

pub async fn create_issue(subject: &str, body: &str, topic: &str, county: &str) -> R<()> {
    let me = require_admin().await?;
    let form =
        FormState::new().value("subject", subject).value("body", body).value("topic", topic).value("county", county);
    let issue = match rules::check_issue(subject, body, topic, county) {
        Ok(issue) => issue,
        Err(errs) => return Err(crate::orgs::invalid(form, errs)),
    };
    db::create_issue(&crate::ssr::state().db, &issue.subject, &issue.body, &issue.topic, &issue.county, me.id).await?;
    leptos_axum::redirect("/admin/newsletter?saved=1");
    Ok(())
}

/// Sends the issue to the admin alone, to see it as subscribers will.
pub async fn test_send(issue_id: i64) -> R<()> {
    let me = require_admin().await?;
    let st = crate::ssr::state();
    let issue = db::issues(&st.db).await?.into_iter().find(|i| i.id == issue_id).ok_or(OrgsError(Problem::NotFound))?;
    let body = db::issue_body(&st.db, issue_id).await?.unwrap_or_default();
    let lang = crate::i18n::request_lang();
    let m = issue_mail(
        lang,
        &me.email,
        &format!("[TEST] {}", issue.subject),
        &body,
        "0.test",
        st.settings.public_url.trim_end_matches('/'),
    );
    mail::enqueue(&st.db, &m).await?;
    leptos_axum::redirect("/admin/newsletter?tested=1");
    Ok(())
}

/// Starts sending; the server's job delivers it in rate-limited batches and can resume after a restart.
pub async fn start_sending(issue_id: i64) -> R<()> {
    require_admin().await?;
    if !db::set_issue_status(&crate::ssr::state().db, issue_id, "draft", "sending").await? {
        return Err(OrgsError(Problem::NotFound));
    }
    leptos_axum::redirect("/admin/newsletter?sending=1");
    Ok(())
}

/// Queues newsletter mails within the platform's budget of `per_minute` (one budget for all
/// servers, counted in the database); called every minute by each server's jobs.
pub async fn send_batch(db: &Db, keys: &Keys, public_url: &str, per_minute: i64) -> Result<usize, sqlx::Error> {
    let batch = per_minute;
    let mut queued = 0;
    for issue in db::sending_issues(db).await? {
        let left = batch - queued as i64;
        if left <= 0 {
            break;
        }
        let recipients = db::next_recipients(db, issue.id, left).await?;
        if recipients.is_empty() {
            db::finish_issue(db, issue.id).await?;
            continue;
        }
        for r in recipients {
            let lang = Lang::from_code(&r.lang);
            let m = issue_mail(
                lang,
                &r.email,
                &issue.subject,
                &issue.body_md,
                &manage_token(keys, &r.public_id),
                public_url.trim_end_matches('/'),
            );
            match db::deliver_issue_mail(db, issue.id, r.subscriber_id, &m, per_minute).await? {
                db::Delivery::Queued => queued += 1,
                db::Delivery::AlreadyDone => {}
                db::Delivery::OverBudget => return Ok(queued),
            }
        }
    }
    Ok(queued)
}
