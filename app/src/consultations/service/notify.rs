//! The mails of consultations: to followers, to subscribers of new consultations, to the author of a
//! comment that was answered or replied to, to moderators; each follow and subscription mail with
//! its signed unsubscribe link.
use super::{base_url, R};
use crate::consultations::{db, Detail};
use crate::i18n::{fill, Lang, K};
use crate::ssr::{self, mail, rate_limit, state};

/// Queues a mail in the person's language; `unsub` adds a one-click unsubscribe link.
pub(super) async fn send(
    to: &str,
    lang: &str,
    kind: &'static str,
    subject: K,
    paragraphs: &[(K, Vec<(&str, String)>)],
    link: Option<(K, String)>,
    unsub: Option<String>,
) -> R<()> {
    let lang = Lang::from_code(lang);
    let texts: Vec<String> = paragraphs
        .iter()
        .map(|(k, args)| {
            let args: Vec<(&str, &str)> = args.iter().map(|(a, b)| (*a, b.as_str())).collect();
            lang.tf(*k, &args)
        })
        .collect();
    let m = compose(lang, to, kind, subject, texts, link.as_ref().map(|(k, u)| (*k, u.as_str())), unsub);
    mail::enqueue(&state().db, &m).await?;
    Ok(())
}

/// A mail whose last paragraph, when `unsub` is given, is the unsubscribe link.
pub(super) fn compose(
    lang: Lang,
    to: &str,
    kind: &'static str,
    subject: K,
    mut texts: Vec<String>,
    link: Option<(K, &str)>,
    unsub: Option<String>,
) -> mail::Mail {
    if let Some(u) = &unsub {
        texts.push(fill(lang.t(K::consultations_mail_unsubscribe), &[("url", u)]));
    }
    let mut m = mail::compose(lang, to, kind, subject, &texts, link);
    // Mail clients POST to the one-click address (RFC 8058); people follow the page link in the text.
    m.unsubscribe_url = unsub.map(|u| u.replace("/consultations/unsubscribe?", "/consultations/one-click?"));
    m
}

/// The token of a one-click unsubscribe link: `follow:<public id>` or `sub:<public id>`, signed.
pub fn unsubscribe_token(keys: &ssr::signing::Keys, kind: &str, public_id: &str) -> String {
    keys.sign(ssr::signing::Purpose::Unsubscribe, &format!("{kind}:{public_id}"))
}

/// The unsubscribe page of a follow (`follow`) or a subscription (`sub`), under `base`.
pub(super) fn unsub_link(base: &str, keys: &ssr::signing::Keys, kind: &str, public_id: &str) -> String {
    format!("{base}/consultations/unsubscribe?token={}", unsubscribe_token(keys, kind, public_id))
}

fn unsub_url(kind: &str, public_id: &str) -> String {
    unsub_link(&base_url(), &state().settings.keys, kind, public_id)
}

/// Mails every follower of a consultation (except `skip`).
pub(super) async fn notify_followers(d: &Detail, kind: &'static str, subject: K, body: K, skip: Option<i64>) -> R<()> {
    let st = state();
    let link = format!("{}/consultations/{}", base_url(), d.card.slug);
    for (fid, uid, email, lang) in db::followers(&st.db, d.card.id).await? {
        if Some(uid) == skip {
            continue;
        }
        send(
            &email,
            &lang,
            kind,
            subject,
            &[(body, vec![("title", d.card.title.clone())])],
            Some((K::consultations_mail_open, link.clone())),
            Some(unsub_url("follow", &fid)),
        )
        .await?;
    }
    Ok(())
}

/// Tells every follower (except `skip`) once that the comment window now ends at `closes_at`, and why.
pub(super) async fn notify_extension(d: &Detail, closes_at: i64, reason: &str, skip: Option<i64>) -> R<()> {
    let st = state();
    let link = format!("{}/consultations/{}", base_url(), d.card.slug);
    for (fid, uid, email, lang) in db::followers(&st.db, d.card.id).await? {
        if Some(uid) == skip {
            continue;
        }
        let until = crate::fmt::date_time(Lang::from_code(&lang), closes_at);
        send(
            &email,
            &lang,
            "consultations.extended",
            K::consultations_mail_extended_subject,
            &[(
                K::consultations_mail_extended_body,
                vec![("title", d.card.title.clone()), ("date", until), ("reason", reason.to_string())],
            )],
            Some((K::consultations_mail_open, link.clone())),
            Some(unsub_url("follow", &fid)),
        )
        .await?;
    }
    Ok(())
}

/// Tells subscribers whose topics and county match that a consultation opened.
pub(super) async fn notify_new(d: &Detail) -> R<()> {
    let st = state();
    let link = format!("{}/consultations/{}", base_url(), d.card.slug);
    for (sid, email, lang) in db::subscribers_for(&st.db, &d.card.topics, &d.card.county).await? {
        send(
            &email,
            &lang,
            "consultations.new",
            K::consultations_mail_new_subject,
            &[(
                K::consultations_mail_new_body,
                vec![("title", d.card.title.clone()), ("owner", d.card.owner_name.clone())],
            )],
            Some((K::consultations_mail_open, link.clone())),
            Some(unsub_url("sub", &sid)),
        )
        .await?;
    }
    Ok(())
}

/// At most one alert an hour per consultation, so a busy queue does not flood anyone.
pub(super) async fn alert_moderators(d: &Detail) -> R<()> {
    let st = state();
    if rate_limit::hit(&st.db, &format!("consult-alert:{}", d.card.id), 1, 3_600).await?.is_some() {
        return Ok(());
    }
    let link = format!("{}/consultations/moderation?consultation={}", base_url(), d.card.slug);
    for (email, lang) in db::moderator_emails(&st.db).await? {
        send(
            &email,
            &lang,
            "consultations.moderation_alert",
            K::consultations_mail_alert_subject,
            &[(K::consultations_mail_alert_body, vec![("title", d.card.title.clone())])],
            Some((K::consultations_mail_open, link.clone())),
            None,
        )
        .await?;
    }
    Ok(())
}
