//! Newsletter: double opt-in with consent evidence, preferences and one-click unsubscribe reached
//! from every mail through a signed link (no account needed, and nobody else's link can be guessed).
use super::*;
use crate::i18n::{fill, t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field, Honeypot, TextArea};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos_router::hooks::use_query_map;

pub const TOPICS: [&str; 4] = ["consultations", "map", "campaigns", "trainings"];
/// Bumped whenever the consent text changes; each subscriber keeps the version they agreed to.
pub const CONSENT_VERSION: &str = "2026-11-v1";

pub fn topic_label(code: &str) -> K {
    match code {
        "consultations" => K::topic_consultations,
        "map" => K::topic_map,
        "campaigns" => K::topic_campaigns,
        _ => K::topic_trainings,
    }
}

/// Keeps only known topics, in a fixed order, without repeats.
pub fn clean_topics(raw: &[String]) -> Vec<&'static str> {
    TOPICS.into_iter().filter(|t| raw.iter().any(|r| r == t)).collect()
}

/// The token of a subscriber's preferences link: their random public id, signed for this purpose.
#[cfg(feature = "ssr")]
pub fn manage_token(keys: &crate::ssr::signing::Keys, public_id: &str) -> String {
    keys.sign(crate::ssr::signing::Purpose::Newsletter, public_id)
}

#[cfg(feature = "ssr")]
fn verify_manage_token(keys: &crate::ssr::signing::Keys, token: &str) -> Option<String> {
    keys.verify(crate::ssr::signing::Purpose::Newsletter, token)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preferences {
    /// Masked (`a***@example.ro`): whoever holds the link learns no more than they already know.
    pub email: String,
    pub topics: Vec<String>,
    pub county: String,
    pub status: String,
}

#[server]
pub async fn subscribe(
    email: String,
    #[server(default)] topics: Vec<String>,
    county: String,
    #[server(default)] consent: Option<String>,
    website: String,
) -> Result<(), OrgsError> {
    use crate::ssr::request;
    let st = crate::ssr::state();
    let mut form = FormState::new().value("email", &email).value("topics", &topics.join(",")).value("county", &county);
    let parsed = form.check("email", crate::types::Email::parse(&email));
    let topics = clean_topics(&topics);
    if topics.is_empty() {
        form.add("topics", K::err_choose_topic);
    }
    if consent.as_deref() != Some("yes") {
        form.add("consent", K::err_consent);
    }
    let Some(email) = parsed.filter(|_| form.is_ok()) else { return Err(form.into()) };
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
    let county = crate::text::clean_text(&county, 40);
    request_subscription(&st.db, &st.settings, &email, lang, &topics, &county, CONSENT_VERSION, &ip_hash).await?;
    leptos_axum::redirect("/newsletter?sent=1");
    Ok(())
}

/// Starts the double opt-in for `email` (the newsletter page, or the box ticked on a donation form):
/// a confirmation link for a new or returning address, a link to the preferences for a confirmed one
/// (the same answer either way, so nobody learns who is subscribed). Consent evidence is kept.
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
pub async fn request_subscription(
    db: &crate::ssr::Db,
    settings: &crate::ssr::Settings,
    email: &crate::types::Email,
    lang: crate::i18n::Lang,
    topics: &[&str],
    county: &str,
    consent_version: &str,
    consent_ip_hash: &str,
) -> Result<(), sqlx::Error> {
    use crate::ssr::{mail, now, random_token, sha256_hex};
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

#[server]
pub async fn confirm_subscription(token: String) -> Result<(), OrgsError> {
    use crate::ssr::{mail, sha256_hex};
    let st = crate::ssr::state();
    let Some((public_id, email, lang)) = db::confirm_subscriber(&st.db, &sha256_hex(token.trim())).await? else {
        return Err(OrgsError(Problem::Refused(K::err_link_invalid)));
    };
    let lang = crate::i18n::Lang::from_code(&lang);
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

#[cfg(feature = "ssr")]
async fn subscriber_id(token: &str) -> Result<i64, OrgsError> {
    let st = crate::ssr::state();
    let public_id =
        verify_manage_token(&st.settings.keys, token).ok_or(OrgsError(Problem::Refused(K::err_link_invalid)))?;
    db::subscriber_by_public(&st.db, &public_id).await?.ok_or(OrgsError(Problem::Refused(K::err_link_invalid)))
}

#[server]
pub async fn get_preferences(token: String) -> Result<Preferences, OrgsError> {
    let id = subscriber_id(&token).await?;
    db::preferences(&crate::ssr::state().db, id).await?.ok_or(OrgsError(Problem::Refused(K::err_link_invalid)))
}

#[server]
pub async fn update_preferences(
    token: String,
    #[server(default)] topics: Vec<String>,
    county: String,
) -> Result<(), OrgsError> {
    let id = subscriber_id(&token).await?;
    let mut form = FormState::new().value("topics", &topics.join(",")).value("county", &county);
    let topics = clean_topics(&topics);
    if topics.is_empty() {
        form.add("topics", K::err_choose_topic);
        return Err(form.into());
    }
    db::update_preferences(&crate::ssr::state().db, id, &topics.join(","), &crate::text::clean_text(&county, 40))
        .await?;
    leptos_axum::redirect(&format!("/newsletter/preferences?token={}&saved=1", token.trim()));
    Ok(())
}

#[server]
pub async fn unsubscribe(token: String) -> Result<(), OrgsError> {
    let id = subscriber_id(&token).await?;
    db::unsubscribe(&crate::ssr::state().db, id).await?;
    leptos_axum::redirect(&format!("/newsletter/preferences?token={}&unsubscribed=1", token.trim()));
    Ok(())
}

/// RFC 8058 one-click unsubscribe: mail clients POST here without cookies or a page.
#[cfg(feature = "ssr")]
pub async fn one_click(
    axum::extract::State(st): crate::ssr::one_click::St,
    axum::extract::Query(q): crate::ssr::one_click::TokenQuery,
) -> axum::response::Response {
    crate::ssr::one_click::answer(st, q, "newsletter", |st, token| async move {
        let Some(public_id) = verify_manage_token(&st.settings.keys, &token) else { return Ok(false) };
        let Some(id) = db::subscriber_by_public(&st.db, &public_id).await? else { return Ok(false) };
        db::unsubscribe(&st.db, id).await.map(|_| true)
    })
    .await
}

#[component]
fn TopicChecks(problem: Signal<Option<crate::error::Problem>>, chosen: Vec<String>) -> impl IntoView {
    let lang = use_lang();
    let err = move || problem.with(|p| p.as_ref().and_then(|p| p.form()).and_then(|f| f.error_for("topics", lang)));
    view! {
        <fieldset class="field checks" id="f-topics">
            <legend>{t(K::newsletter_topics)}</legend>
            {move || err().map(|e| view! { <p class="field-error" id="f-topics-err">{e}</p> })}
            {TOPICS.iter().map(|code| {
                let id = format!("topic-{code}");
                let on = chosen.iter().any(|c| c == code);
                view! {
                    <div class="check">
                        <input id=id.clone() type="checkbox" name="topics[]" value=*code checked=on/>
                        <label for=id>{t(topic_label(code))}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
pub fn NewsletterPage() -> impl IntoView {
    let q = use_query_map();
    let action = ServerAction::<Subscribe>::new();
    let p = problem_of(action);
    let lang = use_lang();
    let kept = move |f: &'static str| {
        p.with(|p| p.as_ref().and_then(|p| p.kept()).and_then(|s| s.value_of(f))).unwrap_or_default()
    };
    let consent_err = move || p.with(|p| p.as_ref().and_then(|p| p.form()).and_then(|f| f.error_for("consent", lang)));
    let chosen = {
        let k = kept("topics");
        if k.is_empty() {
            TOPICS.iter().map(|s| s.to_string()).collect()
        } else {
            k.split(',').map(str::to_string).collect::<Vec<_>>()
        }
    };
    view! {
        <PageTitle k=K::newsletter_title/>
        <h1>{t(K::newsletter_title)}</h1>
        {move || q.with(|q| q.get("sent").is_some()).then(|| view! { <Notice text=t(K::newsletter_check_email)/> })}
        <p>{t(K::newsletter_intro)}</p>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <ErrorSummary problem=p/>
            <Field problem=p name="email" label=K::field_email kind="email" autocomplete="email" required=true/>
            <TopicChecks problem=p chosen/>
            <Field problem=p name="county" label=K::field_county autocomplete="address-level1" hint=K::newsletter_county_hint/>
            <div class="field" class:has-error=move || consent_err().is_some()>
                {move || consent_err().map(|e| view! { <p class="field-error" id="f-consent-err">{e}</p> })}
                <div class="check">
                    <input id="f-consent" type="checkbox" name="consent" value="yes" aria-describedby="consent-text"/>
                    <label for="f-consent">{t(K::newsletter_consent_label)}</label>
                </div>
                <p class="hint" id="consent-text">{t(K::newsletter_consent_text)} " (" {CONSENT_VERSION} ")"</p>
            </div>
            <Honeypot/>
            <button type="submit" class="button">{t(K::newsletter_subscribe)}</button>
        </ActionForm>
    }
}

#[component]
pub fn ConfirmPage() -> impl IntoView {
    let q = use_query_map();
    let token = move || q.with(|q| q.get("token").unwrap_or_default());
    let action = ServerAction::<ConfirmSubscription>::new();
    let p = problem_of(action);
    view! {
        <PageTitle k=K::newsletter_confirm_title/>
        <h1>{t(K::newsletter_confirm_title)}</h1>
        <ActionForm action=action attr:class="form">
            <ErrorSummary problem=p/>
            <input type="hidden" name="token" value=token/>
            <button type="submit" class="button">{t(K::newsletter_confirm_button)}</button>
        </ActionForm>
    }
}

#[component]
pub fn PreferencesPage() -> impl IntoView {
    let q = use_query_map();
    let token = move || q.with(|q| q.get("token").unwrap_or_default());
    let prefs = Resource::new(token, get_preferences);
    let update = ServerAction::<UpdatePreferences>::new();
    let unsub = ServerAction::<Unsubscribe>::new();
    let pu = problem_of(update);
    let lang = use_lang();
    let notice = move || {
        q.with(|q| {
            if q.get("confirmed").is_some() {
                Some(K::newsletter_confirmed)
            } else if q.get("unsubscribed").is_some() {
                Some(K::newsletter_unsubscribed)
            } else if q.get("saved").is_some() {
                Some(K::newsletter_saved)
            } else {
                None
            }
        })
    };
    view! {
        <PageTitle k=K::newsletter_preferences/>
        <h1>{t(K::newsletter_preferences)}</h1>
        {move || notice().map(|k| view! { <Notice text=t(k)/> })}
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match prefs.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(pr) => {
                        let status = match pr.status.as_str() {
                            "confirmed" => t(K::newsletter_status_confirmed),
                            "unsubscribed" => t(K::newsletter_status_unsubscribed),
                            _ => t(K::newsletter_status_pending),
                        };
                        let active = pr.status != "unsubscribed";
                        view! {
                            <p>{t(K::field_email)} ": " <strong>{pr.email.clone()}</strong> " · " {status}</p>
                            <ActionForm action=update attr:class="form" attr:novalidate=true>
                                <ErrorSummary problem=pu/>
                                <input type="hidden" name="token" value=token/>
                                <TopicChecks problem=pu chosen=pr.topics.clone()/>
                                <Field problem=pu name="county" label=K::field_county initial=pr.county.clone()/>
                                <button type="submit" class="button">{t(K::newsletter_save)}</button>
                            </ActionForm>
                            {active.then(|| view! {
                                <ActionForm action=unsub attr:class="form">
                                    <input type="hidden" name="token" value=token/>
                                    <button type="submit" class="button danger">{t(K::newsletter_unsubscribe)}</button>
                                </ActionForm>
                            })}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssueRow {
    pub id: i64,
    pub subject: String,
    /// The body rendered as it will be mailed: the preview.
    pub html: String,
    pub topic: String,
    pub county: String,
    pub status: String,
    pub sent: i64,
    pub audience: i64,
    pub unsubscribed: i64,
    pub bounced: i64,
}

#[cfg(feature = "ssr")]
async fn require_admin() -> Result<crate::accounts::SessionUser, OrgsError> {
    let me = crate::accounts::session::current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    if me.is_admin() {
        Ok(me)
    } else {
        Err(OrgsError(Problem::Forbidden))
    }
}

/// One newsletter mail: the issue, then the links every mail must carry.
#[cfg(feature = "ssr")]
pub fn issue_mail(
    lang: crate::i18n::Lang,
    to: &str,
    subject: &str,
    body_md: &str,
    manage_token: &str,
    base: &str,
) -> crate::ssr::mail::Mail {
    let prefs = format!("{base}/newsletter/preferences?token={manage_token}");
    let footer = fill(lang.t(K::mail_newsletter_footer), &[("link", &prefs)]);
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><body style=\"font-family:sans-serif;line-height:1.5\">{}<hr><p><a href=\"{prefs}\">{}</a></p></body></html>",
        lang.code(),
        crate::ssr::markdown::render(body_md),
        lang.t(K::newsletter_preferences)
    );
    crate::ssr::mail::Mail {
        to: to.to_string(),
        subject: subject.to_string(),
        text: format!("{body_md}\n\n--\n{footer}\n"),
        html,
        kind: "newsletter",
        unsubscribe_url: Some(format!("{base}/newsletter/one-click?token={manage_token}")),
    }
}

#[server]
pub async fn admin_issues() -> Result<Vec<IssueRow>, OrgsError> {
    require_admin().await?;
    Ok(db::issues(&crate::ssr::state().db).await?)
}

#[server]
pub async fn create_issue(subject: String, body: String, topic: String, county: String) -> Result<(), OrgsError> {
    let me = require_admin().await?;
    let mut form = FormState::new()
        .value("subject", &subject)
        .value("body", &body)
        .value("topic", &topic)
        .value("county", &county);
    let subject = crate::text::clean_text(&subject, 150);
    if subject.chars().count() < 3 {
        form.add("subject", K::err_required);
    }
    if body.trim().chars().count() < 20 {
        form.add("body", K::err_story_body);
    }
    if !topic.is_empty() && !TOPICS.contains(&topic.as_str()) {
        form.add("topic", K::err_choose);
    }
    if !form.is_ok() {
        return Err(form.into());
    }
    let body: String = body.chars().take(50_000).collect();
    db::create_issue(&crate::ssr::state().db, &subject, &body, &topic, &crate::text::clean_text(&county, 40), me.id)
        .await?;
    leptos_axum::redirect("/admin/newsletter?saved=1");
    Ok(())
}

/// Sends the issue to the admin alone, to see it as subscribers will.
#[server]
pub async fn test_send_issue(issue_id: i64) -> Result<(), OrgsError> {
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
    crate::ssr::mail::enqueue(&st.db, &m).await?;
    leptos_axum::redirect("/admin/newsletter?tested=1");
    Ok(())
}

/// Starts sending; the server's job delivers it in rate-limited batches and can resume after a restart.
#[server]
pub async fn start_sending(issue_id: i64) -> Result<(), OrgsError> {
    require_admin().await?;
    if !db::set_issue_status(&crate::ssr::state().db, issue_id, "draft", "sending").await? {
        return Err(OrgsError(Problem::NotFound));
    }
    leptos_axum::redirect("/admin/newsletter?sending=1");
    Ok(())
}

/// Queues up to `batch` newsletter mails; called every minute by the server's jobs.
#[cfg(feature = "ssr")]
pub async fn send_batch(
    db: &crate::ssr::Db,
    keys: &crate::ssr::signing::Keys,
    public_url: &str,
    batch: i64,
) -> Result<usize, sqlx::Error> {
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
            let lang = crate::i18n::Lang::from_code(&r.lang);
            let m = issue_mail(
                lang,
                &r.email,
                &issue.subject,
                &issue.body_md,
                &manage_token(keys, &r.public_id),
                public_url.trim_end_matches('/'),
            );
            if db::deliver_issue_mail(db, issue.id, r.subscriber_id, &m).await? {
                queued += 1;
            }
        }
    }
    Ok(queued)
}

#[component]
pub fn AdminNewsletter() -> impl IntoView {
    let q = use_query_map();
    let create = ServerAction::<CreateIssue>::new();
    let test = ServerAction::<TestSendIssue>::new();
    let send = ServerAction::<StartSending>::new();
    let p = problem_of(create);
    let issues = Resource::new(|| (), |_| admin_issues());
    let lang = use_lang();
    let notice = move || {
        q.with(|q| {
            if q.get("saved").is_some() {
                Some(K::newsletter_admin_saved)
            } else if q.get("tested").is_some() {
                Some(K::newsletter_admin_tested)
            } else if q.get("sending").is_some() {
                Some(K::newsletter_admin_sending)
            } else {
                None
            }
        })
    };
    view! {
        <PageTitle k=K::newsletter_admin_title/>
        <h1>{t(K::newsletter_admin_title)}</h1>
        {move || notice().map(|k| view! { <Notice text=t(k)/> })}
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match issues.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(list) => view! {
                        <section aria-labelledby="compose-h">
                            <h2 id="compose-h">{t(K::newsletter_admin_compose)}</h2>
                            <ActionForm action=create attr:class="form" attr:novalidate=true>
                                <ErrorSummary problem=p/>
                                <Field problem=p name="subject" label=K::newsletter_admin_subject required=true/>
                <TextArea problem=p name="body" label=K::stories_body hint=K::hint_markdown/>
                                <div class="field">
                                    <label for="f-topic">{t(K::newsletter_admin_segment)}</label>
                                    <select id="f-topic" name="topic">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {TOPICS.iter().map(|c| view! { <option value=*c>{t(topic_label(c))}</option> }).collect_view()}
                                    </select>
                                </div>
                                <Field problem=p name="county" label=K::field_county/>
                                <button type="submit" class="button">{t(K::newsletter_admin_save)}</button>
                            </ActionForm>
                        </section>
                        <section aria-labelledby="issues-h">
                            <h2 id="issues-h">{t(K::newsletter_admin_issues)}</h2>
                            <ul class="plain">
                                {list.into_iter().map(|i| {
                                    let counts = fill(t(K::newsletter_admin_counts), &[("sent", &i.sent.to_string()), ("audience", &i.audience.to_string()), ("unsub", &i.unsubscribed.to_string()), ("bounced", &i.bounced.to_string())]);
                                    let draft = i.status == "draft";
                                    view! {
                                        <li class="mail">
                                            <h3 class="mail-subject">{i.subject.clone()}</h3>
                                            <p class="muted">{i.status.clone()} " · " {counts}</p>
                                            <details>
                                                <summary>{t(K::newsletter_admin_preview)}</summary>
                                                <div class="prose" inner_html=i.html.clone()></div>
                                            </details>
                                            {draft.then(|| view! {
                                                <ActionForm action=test attr:class="inline-form">
                                                    <input type="hidden" name="issue_id" value=i.id/>
                                                    <button type="submit" class="button secondary">{t(K::newsletter_admin_test)}</button>
                                                </ActionForm>
                                                " "
                                                <ActionForm action=send attr:class="inline-form">
                                                    <input type="hidden" name="issue_id" value=i.id/>
                                                    <button type="submit" class="button">{t(K::newsletter_admin_send)}</button>
                                                </ActionForm>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}
