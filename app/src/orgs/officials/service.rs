//! What the officials' server functions do: check who asks, prove the work address, let a platform
//! admin decide, mail the answer.
use super::{db, rules, MyStanding, OfficialRequest};
use crate::accounts::session::current_user;
use crate::error::{FormState, Problem};
use crate::i18n::K;
use crate::orgs::OrgsError;

type R<T> = Result<T, OrgsError>;

async fn require_admin() -> R<crate::accounts::SessionUser> {
    let me = current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    if !me.is_admin() {
        return Err(OrgsError(Problem::Forbidden));
    }
    Ok(me)
}

pub async fn standing(authority_id: i64) -> R<MyStanding> {
    let Some(me) = current_user().await? else { return Ok(MyStanding::SignedOut) };
    if rules::is_official(&me, authority_id) {
        return Ok(MyStanding::Official);
    }
    if db::official_request_pending(&crate::ssr::state().db, me.id, authority_id).await? {
        return Ok(MyStanding::Pending);
    }
    Ok(MyStanding::CanRequest)
}

pub async fn request(authority_id: i64, position: &str, work_email: &str, message: &str) -> R<()> {
    let st = crate::ssr::state();
    let me = current_user().await?.ok_or(OrgsError(Problem::Unauthenticated))?;
    let form = FormState::new().value("position", position).value("work_email", work_email).value("message", message);
    if !me.verified {
        return Err(OrgsError(Problem::Refused(K::err_verify_first)));
    }
    let Some(slug) = crate::orgs::catalogue::db::authority_slug(&st.db, authority_id).await? else {
        return Err(OrgsError(Problem::NotFound));
    };
    let (position, work_email) = match rules::check_request(position, work_email) {
        Ok(checked) => checked,
        Err(errs) => return Err(crate::orgs::invalid(form, errs)),
    };
    if let Some(wait) = crate::ssr::rate_limit::hit(&st.db, &format!("official.request:{}", me.id), 5, 86_400).await? {
        return Err(OrgsError(Problem::rate_limited(wait, form)));
    }
    let token = crate::ssr::random_token();
    let created = db::create_official_request(
        &st.db,
        me.id,
        authority_id,
        &position,
        work_email.as_str(),
        &crate::text::clean_text(message, 1000),
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

pub async fn confirm_work_email(token: &str) -> R<()> {
    let st = crate::ssr::state();
    let hash = crate::ssr::sha256_hex(token.trim());
    let Some(slug) = db::confirm_work_email(&st.db, &hash).await? else {
        return Err(OrgsError(Problem::Refused(K::err_link_invalid)));
    };
    leptos_axum::redirect(&format!("/authorities/{slug}?work_confirmed=1"));
    Ok(())
}

pub async fn pending() -> R<Vec<OfficialRequest>> {
    require_admin().await?;
    let rows = db::pending_official_requests(&crate::ssr::state().db).await?;
    Ok(rows
        .into_iter()
        .map(|(r, website)| OfficialRequest {
            domain_matches: rules::domain_matches(r.work_verified, &r.work_email, &website),
            ..r
        })
        .collect())
}

pub async fn decide(request_id: i64, approve: bool, note: &str) -> R<()> {
    let st = crate::ssr::state();
    let me = require_admin().await?;
    let note = crate::text::clean_text(note, 500);
    let Some(d) = db::decide_official_request(&st.db, request_id, approve, &note, me.id).await? else {
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
