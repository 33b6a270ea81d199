//! Officials: a person who works at an authority asks for the official role from the authority's
//! page; a platform admin approves (the role is granted, scoped to that authority) or declines.
use super::OrgsError;
#[cfg(feature = "ssr")]
use crate::error::{FormState, Problem};
use crate::i18n::{t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary, Field, TextArea};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfficialRequest {
    pub id: i64,
    pub user_name: String,
    pub user_email: String,
    pub authority_name: String,
    pub authority_slug: String,
    pub position: String,
    pub work_email: String,
    pub message: String,
    pub created_at: i64,
    /// The applicant followed the link mailed to the work address.
    pub work_verified: bool,
    /// The work address is proven and at the authority's own web domain: a strong hint.
    pub domain_matches: bool,
}

/// The host of a website address, without "www."; empty when there is none.
pub fn web_domain(url: &str) -> String {
    let rest = url.trim().trim_start_matches("https://").trim_start_matches("http://");
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or("").to_lowercase();
    host.trim_start_matches("www.").to_string()
}

/// True when the e-mail's domain is the site's domain or one of its subdomains.
pub fn email_at_domain(email: &str, site: &str) -> bool {
    let site = web_domain(site);
    let Some((_, domain)) = email.trim().to_lowercase().rsplit_once('@').map(|(a, d)| (a.to_string(), d.to_string()))
    else {
        return false;
    };
    !site.is_empty() && (domain == site || domain.ends_with(&format!(".{site}")))
}

/// What the authority page needs to show the request form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum MyStanding {
    SignedOut,
    Official,
    Pending,
    CanRequest,
}

#[server]
pub async fn official_standing(authority_id: i64) -> Result<MyStanding, OrgsError> {
    use crate::accounts::rules::RoleKind;
    let Some(me) = crate::accounts::session::current_user().await? else { return Ok(MyStanding::SignedOut) };
    if me.roles.iter().any(|r| r.kind == RoleKind::Official && r.scope_id == authority_id) {
        return Ok(MyStanding::Official);
    }
    if super::db::official_request_pending(&crate::ssr::state().db, me.id, authority_id).await? {
        return Ok(MyStanding::Pending);
    }
    Ok(MyStanding::CanRequest)
}

#[server]
pub async fn request_official(
    authority_id: i64,
    position: String,
    work_email: String,
    message: String,
) -> Result<(), OrgsError> {
    use crate::text::clean_text;
    let st = crate::ssr::state();
    let me = crate::accounts::session::current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    let mut form =
        FormState::new().value("position", &position).value("work_email", &work_email).value("message", &message);
    if !me.verified {
        return Err(OrgsError(Problem::Refused(K::err_verify_first)));
    }
    let Some(slug) = super::db::authority_slug(&st.db, authority_id).await? else {
        return Err(OrgsError(Problem::NotFound));
    };
    let position = clean_text(&position, 120);
    if position.chars().count() < 2 {
        form.add("position", K::err_required);
    }
    let work_email = form.check("work_email", crate::types::Email::parse(&work_email));
    if !form.is_ok() {
        return Err(form.into());
    }
    let Some(work_email) = work_email else { return Err(form.into()) };
    if let Some(wait) = crate::ssr::rate_limit::hit(&st.db, &format!("official.request:{}", me.id), 5, 86_400).await? {
        return Err(OrgsError(Problem::rate_limited(wait, form)));
    }
    let token = crate::ssr::random_token();
    let created = super::db::create_official_request(
        &st.db,
        me.id,
        authority_id,
        &position,
        work_email.as_str(),
        &clean_text(&message, 1000),
        &crate::ssr::sha256_hex(&token),
    )
    .await?;
    if !created {
        return Err(OrgsError(Problem::Refused(K::officials_already)));
    }
    // Only someone who reads the work mailbox can prove they work there.
    let lang = crate::i18n::request_lang();
    let link = format!("{}/officials/confirm?token={token}", st.settings.public_url.trim_end_matches('/'));
    let m = crate::ssr::mail::compose(
        lang,
        work_email.as_str(),
        "official_work_email",
        K::mail_official_work_subject,
        &[lang.t(K::mail_official_work_body).to_string()],
        Some((K::mail_official_work_cta, &link)),
    );
    crate::ssr::mail::enqueue(&st.db, &m).await?;
    leptos_axum::redirect(&format!("/authorities/{slug}?requested=1"));
    Ok(())
}

/// The link in the mail to the work address: proves the applicant reads that mailbox.
#[server]
pub async fn confirm_work_email(token: String) -> Result<(), OrgsError> {
    let st = crate::ssr::state();
    let hash = crate::ssr::sha256_hex(token.trim());
    let Some(slug) = super::db::confirm_work_email(&st.db, &hash).await? else {
        return Err(OrgsError(Problem::Refused(K::err_link_invalid)));
    };
    leptos_axum::redirect(&format!("/authorities/{slug}?work_confirmed=1"));
    Ok(())
}

#[server]
pub async fn pending_official_requests() -> Result<Vec<OfficialRequest>, OrgsError> {
    let me = crate::accounts::session::current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    if !me.is_admin() {
        return Err(OrgsError(Problem::Forbidden));
    }
    Ok(super::db::pending_official_requests(&crate::ssr::state().db).await?)
}

#[server]
pub async fn decide_official(request_id: i64, approve: String, note: String) -> Result<(), OrgsError> {
    use crate::text::clean_text;
    let st = crate::ssr::state();
    let me = crate::accounts::session::current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    if !me.is_admin() {
        return Err(OrgsError(Problem::Forbidden));
    }
    let approve = approve == "yes";
    let note = clean_text(&note, 500);
    let Some(d) = super::db::decide_official_request(&st.db, request_id, approve, &note, me.id).await? else {
        // Already decided, unknown, or (for an approval) the work address is not proven yet.
        return Err(OrgsError(Problem::Refused(K::officials_err_unconfirmed)));
    };
    let lang = crate::i18n::Lang::from_code(&d.lang);
    let (subject, body) = if approve {
        (K::mail_official_approved_subject, K::mail_official_approved_body)
    } else {
        (K::mail_official_declined_subject, K::mail_official_declined_body)
    };
    let mut paragraphs = vec![crate::i18n::fill(lang.t(body), &[("authority", &d.authority_name)])];
    if !note.is_empty() {
        paragraphs.push(note);
    }
    let link = format!("{}/authorities/{}", st.settings.public_url.trim_end_matches('/'), d.authority_slug);
    let m = crate::ssr::mail::compose(
        lang,
        &d.email,
        "official_decision",
        subject,
        &paragraphs,
        Some((K::officials_see_authority, &link)),
    );
    crate::ssr::mail::enqueue(&st.db, &m).await?;
    leptos_axum::redirect("/admin/officials?decided=1");
    Ok(())
}

/// `/officials/confirm?token=`: the page the work-address link opens; one button confirms.
#[component]
pub fn ConfirmWork() -> impl IntoView {
    let q = use_query_map();
    let action = ServerAction::<ConfirmWorkEmail>::new();
    let p = problem_of(action);
    let token = move || q.with(|q| q.get("token").unwrap_or_default());
    view! {
        <PageTitle k=K::officials_confirm_title/>
        <h1>{t(K::officials_confirm_title)}</h1>
        <p>{t(K::officials_confirm_text)}</p>
        <ActionForm action=action attr:class="form">
            <ErrorSummary problem=p/>
            <input type="hidden" name="token" value=token/>
            <button type="submit" class="button">{t(K::officials_confirm_submit)}</button>
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
            {move || q.with(|q| q.get("requested").is_some()).then(|| view! { <Notice text=t(K::officials_requested)/> })}
            {move || q.with(|q| q.get("work_confirmed").is_some()).then(|| view! { <Notice text=t(K::officials_work_confirmed)/> })}
            <Transition fallback=|| ()>
                {move || {
                    let next = next.clone();
                    Suspend::new(async move {
                        match standing.await {
                            Ok(MyStanding::Official) => view! { <p>{t(K::officials_you_are)}</p> }.into_any(),
                            Ok(MyStanding::Pending) => view! { <p>{t(K::officials_pending)}</p> }.into_any(),
                            Ok(MyStanding::SignedOut) | Err(_) => view! {
                                <p>{t(K::officials_intro)} " " <a href=next>{t(K::nav_login)}</a></p>
                            }
                            .into_any(),
                            Ok(MyStanding::CanRequest) => view! {
                                <p>{t(K::officials_intro)}</p>
                                <ActionForm action=action attr:class="form" attr:novalidate=true>
                                    <ErrorSummary problem=p/>
                                    <input type="hidden" name="authority_id" value=authority_id/>
                                    <Field problem=p name="position" label=K::officials_position required=true autocomplete="organization-title"/>
                                    <Field problem=p name="work_email" label=K::officials_work_email kind="email" required=true autocomplete="work email" hint=K::officials_work_email_hint/>
                                    <TextArea problem=p name="message" label=K::officials_message hint=K::officials_message_hint/>
                                    <button type="submit" class="button secondary">{t(K::officials_submit)}</button>
                                </ActionForm>
                            }
                            .into_any(),
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
        <PageTitle k=K::officials_admin_title/>
        <h1>{t(K::officials_admin_title)}</h1>
        {move || q.with(|q| q.get("decided").is_some()).then(|| view! { <Notice text=t(K::officials_decided)/> })}
        <ErrorSummary problem=p/>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(v) if v.is_empty() => view! { <p>{t(K::officials_none)}</p> }.into_any(),
                    Ok(v) => v
                        .into_iter()
                        .map(|r| {
                            let h = format!("req-{}", r.id);
                            let h2 = h.clone();
                            let href = format!("/authorities/{}", r.authority_slug);
                            let (who1, who2, who3) = (r.user_name.clone(), r.user_name.clone(), r.user_name.clone());
                            let note_id = format!("note-{}", r.id);
                            let note_for = note_id.clone();
                            view! {
                                <article class="card official-request" aria-labelledby=h>
                                    <h2 id=h2>{who1} " — " <a href=href>{r.authority_name.clone()}</a></h2>
                                    <dl class="facts">
                                        <dt>{t(K::field_email)}</dt><dd>{r.user_email.clone()}</dd>
                                        <dt>{t(K::officials_position)}</dt><dd>{r.position.clone()}</dd>
                                        <dt>{t(K::officials_work_email)}</dt>
                                        <dd>
                                            {r.work_email.clone()} " "
                                            {if !r.work_verified {
                                                view! { <span class="badge warn">{t(K::officials_work_unconfirmed)}</span> }.into_any()
                                            } else {
                                                view! {
                                                    <span class=if r.domain_matches { "badge ok" } else { "badge warn" }>
                                                        {if r.domain_matches { t(K::officials_domain_ok) } else { t(K::officials_domain_other) }}
                                                    </span>
                                                }.into_any()
                                            }}
                                        </dd>
                                        <dt>{t(K::officials_received)}</dt><dd>{crate::fmt::date_time(lang, r.created_at)}</dd>
                                    </dl>
                                    {(!r.message.is_empty()).then(|| view! { <p class="quote">{r.message.clone()}</p> })}
                                    <div class="decide">
                                        {r.work_verified.then(|| view! {
                                            <ActionForm action=decide attr:class="inline-form">
                                                <input type="hidden" name="request_id" value=r.id/>
                                                <input type="hidden" name="approve" value="yes"/>
                                                <input type="hidden" name="note" value=""/>
                                                <button type="submit" class="button">{t(K::officials_approve)} " " <span class="visually-hidden">{who2}</span></button>
                                            </ActionForm>
                                        })}
                                        <ActionForm action=decide attr:class="inline-form">
                                            <input type="hidden" name="request_id" value=r.id/>
                                            <input type="hidden" name="approve" value="no"/>
                                            <label for=note_for>{t(K::officials_note)}</label>
                                            <input id=note_id name="note" type="text" maxlength="500"/>
                                            <button type="submit" class="button secondary">{t(K::officials_decline)} " " <span class="visually-hidden">{who3}</span></button>
                                        </ActionForm>
                                    </div>
                                </article>
                            }
                        })
                        .collect_view()
                        .into_any(),
                }
            })}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_address_at_authority_domain() {
        assert_eq!(web_domain("https://www.focsani.info/contact"), "focsani.info");
        assert!(email_at_domain("ion@focsani.info", "https://www.focsani.info"));
        assert!(email_at_domain("ion@primarie.focsani.info", "http://focsani.info/"));
        assert!(!email_at_domain("ion@gmail.com", "https://www.focsani.info"));
        assert!(!email_at_domain("ion@evilfocsani.info", "https://focsani.info"));
        assert!(!email_at_domain("ion@focsani.info", ""));
    }
}
