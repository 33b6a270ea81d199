//! Comments: posting one (checks, limits, the receipt), editing and deleting one's own, supporting
//! and reporting others'.
use super::notify::{alert_moderators, send};
use super::{base_url, problem, redirect, refuse, signed_in, visible_to, R};
use crate::accounts::SessionUser;
use crate::consultations::rules::{
    can_edit, check_alternative, check_comment_body, comment_limits, filled_in_time, initial_status, parse_scope,
    pick_org, reply_depth, reply_stance, should_auto_hide, speaking_for, thread_href, CommentStatus, Phase, Scope,
    MAX_COMMENT_CHARS, MIN_FILL_SECS, REPORT_REASONS, UNVERIFIED_PER_DAY,
};
use crate::consultations::{db, Detail};
use crate::error::{FormState, Problem};
use crate::i18n::{Lang, K};
use crate::ssr::{self, mail, now, rate_limit, request, state};
use crate::text::clean_multiline;

pub struct CommentForm {
    pub slug: String,
    pub scope: String,
    pub paragraph: String,
    pub parent_id: Option<i64>,
    pub stance: String,
    pub body: String,
    pub alternative: String,
    pub org_id: Option<i64>,
    pub form_token: String,
    pub form_key: String,
    pub website: String,
}

pub async fn post_comment(f: CommentForm) -> R<()> {
    let st = state();
    let mut form = FormState::new()
        .value("form_key", &f.form_key)
        .value("body", &f.body)
        .value("alternative", &f.alternative)
        .value("stance", &f.stance)
        .value("paragraph", &f.paragraph);
    if !f.website.is_empty() {
        return Err(refuse(K::consultations_err_spam));
    }
    let user = signed_in().await?;
    let d = db::detail_for_comment(&st.db, &f.slug).await?.ok_or(problem(Problem::NotFound))?;
    let d = visible_to(d, Some(&user))?;
    if d.card.phase != Phase::Open {
        return Err(refuse(K::consultations_err_not_open));
    }
    let served_at =
        st.settings.keys.verify(ssr::signing::Purpose::FormTiming, &f.form_token).and_then(|t| t.parse().ok());
    if !filled_in_time(served_at, now(), MIN_FILL_SECS) {
        return Err(problem(Problem::rate_limited(MIN_FILL_SECS, form)));
    }
    if !user.verified && db::recent_by_user(&st.db, user.id, 86_400).await? >= UNVERIFIED_PER_DAY {
        return Err(refuse(K::consultations_err_unverified_limit));
    }
    let scope = parse_scope(&f.scope).ok_or(problem(Problem::NotFound))?;
    let (unit_id, position) = match scope {
        Scope::Unit(p) => {
            let u = db::unit_at(&st.db, d.card.id, d.current_version, p).await?.ok_or(problem(Problem::NotFound))?;
            if !u.kind.commentable() {
                return Err(problem(Problem::NotFound));
            }
            (Some(u.id), p)
        }
        _ => (None, -1),
    };
    let parent = match f.parent_id {
        Some(pid) => {
            let m = db::comment_meta(&st.db, pid).await?.ok_or(problem(Problem::NotFound))?;
            if m.consultation_id != d.card.id || m.unit_position != position || m.status != CommentStatus::Visible {
                return Err(problem(Problem::NotFound));
            }
            Some(m)
        }
        None => None,
    };
    let depth = reply_depth(parent.as_ref().map(|p| p.depth)).map_err(refuse)?;
    let stance = form.check("stance", reply_stance(parent.is_some(), &f.stance));
    let body = form.check("body", check_comment_body(&f.body));
    let alternative = form.check("alternative", check_alternative(&f.alternative));
    let org_id = pick_org(f.org_id, &speaking_for(&user)).map_err(|_| problem(Problem::Forbidden))?;
    let paragraph: String = crate::text::clean_text(&f.paragraph, 20);
    let (Some(stance), Some(body), Some(alternative), true) = (stance, body, alternative, form.is_ok()) else {
        return Err(form.into());
    };
    let status = initial_status(d.premoderation, user.verified);
    let new = db::NewComment {
        consultation_id: d.card.id,
        version: d.current_version,
        unit_id,
        unit_position: position,
        paragraph,
        parent_id: parent.as_ref().map(|p| p.id),
        depth,
        user_id: user.id,
        org_id,
        stance,
        body,
        alternative,
        status,
        created_at: now(),
    };
    let limits = comment_limits(user.id, &request::client_ip());
    let base = base_url();
    let thread = thread_href(&d.card.slug, position);
    let lang = crate::i18n::request_lang();
    let when = crate::fmt::date_time(Lang::Ro, new.created_at);
    // The receipt is stored in the same transaction as the comment and its register number.
    let receipt = |id: i64, reg: &str| {
        let body =
            lang.tf(K::consultations_mail_receipt_body, &[("reg", reg), ("title", &d.card.title), ("when", &when)]);
        let link = format!("{base}{thread}#c-{id}");
        mail::compose(
            lang,
            &user.email,
            "consultations.receipt",
            K::consultations_mail_receipt_subject,
            &[body],
            Some((K::consultations_mail_open, &link)),
        )
    };
    let (id, reg_no) = match db::post_comment(&st.db, &new, &limits, receipt).await? {
        Ok(done) => done,
        Err(wait) => return Err(problem(Problem::rate_limited(wait, form))),
    };
    let link = format!("{base}{thread}#c-{id}");
    if let Some(p) = parent.as_ref().and_then(|p| p.user_id).filter(|u| *u != user.id) {
        if status == CommentStatus::Visible {
            if let Some((email, lang)) = db::user_contact(&st.db, p).await? {
                send(
                    &email,
                    &lang,
                    "consultations.reply",
                    K::consultations_mail_reply_subject,
                    &[(K::consultations_mail_reply_body, vec![("title", d.card.title.clone())])],
                    Some((K::consultations_mail_open, link)),
                    None,
                )
                .await?;
            }
        }
    }
    if status == CommentStatus::Pending {
        alert_moderators(&d).await?;
    }
    redirect(&format!("{}&posted={}#c-{id}", thread_href(&d.card.slug, position), urlencoding::encode(&reg_no)));
    Ok(())
}

async fn own_comment(id: i64) -> R<(SessionUser, db::CommentMeta, Detail)> {
    let user = signed_in().await?;
    let m = db::comment_meta(&state().db, id).await?.ok_or(problem(Problem::NotFound))?;
    if m.user_id != Some(user.id) {
        return Err(problem(Problem::Forbidden));
    }
    let d = db::detail_by_id(&state().db, m.consultation_id).await?.ok_or(problem(Problem::NotFound))?;
    Ok((user, m, d))
}

pub async fn edit_comment(id: i64, body: &str, alternative: &str) -> R<()> {
    let (user, m, d) = own_comment(id).await?;
    if !can_edit(user.id, user.id, m.created_at, now(), m.status, d.card.phase == Phase::Open) {
        return Err(refuse(K::consultations_err_edit_window));
    }
    let mut form =
        FormState::new().value("form_key", &format!("edit-{id}")).value("body", body).value("alternative", alternative);
    let body = form.check("body", check_comment_body(body));
    let alternative = clean_multiline(alternative, MAX_COMMENT_CHARS);
    let Some(body) = body else { return Err(form.into()) };
    db::edit_comment(&state().db, id, &body, &alternative).await?;
    redirect(&format!("{}#c-{id}", thread_href(&d.card.slug, m.unit_position)));
    Ok(())
}

pub async fn delete_comment(id: i64) -> R<()> {
    let (_, m, d) = own_comment(id).await?;
    if d.card.phase != Phase::Open || m.status == CommentStatus::Deleted {
        return Err(refuse(K::consultations_err_not_open));
    }
    db::mark_deleted(&state().db, id).await?;
    redirect(&format!("{}#c-{id}", thread_href(&d.card.slug, m.unit_position)));
    Ok(())
}

/// A signed-in person whose address is verified: supports and reports weigh on what others see.
async fn verified() -> R<SessionUser> {
    let user = signed_in().await?;
    if user.verified {
        Ok(user)
    } else {
        Err(refuse(K::err_verify_first))
    }
}

pub async fn toggle_support(id: i64) -> R<()> {
    let st = state();
    let user = verified().await?;
    let m = db::comment_meta(&st.db, id).await?.ok_or(problem(Problem::NotFound))?;
    let d = db::detail_by_id(&st.db, m.consultation_id).await?.ok_or(problem(Problem::NotFound))?;
    if !d.card.status.is_public() || m.status != CommentStatus::Visible {
        return Err(problem(Problem::NotFound));
    }
    if m.user_id == Some(user.id) {
        return Err(refuse(K::consultations_err_own_support));
    }
    if d.card.phase != Phase::Open {
        return Err(refuse(K::consultations_err_not_open));
    }
    if let Some(wait) = rate_limit::hit(&st.db, &format!("consult-vote:{}", user.id), 60, 60).await? {
        return Err(problem(Problem::rate_limited(wait, FormState::new())));
    }
    db::toggle_vote(&st.db, id, user.id).await?;
    redirect(&format!("{}#c-{id}", thread_href(&d.card.slug, m.unit_position)));
    Ok(())
}

pub async fn report_comment(id: i64, reason: &str, details: &str) -> R<()> {
    let st = state();
    let user = verified().await?;
    let m = db::comment_meta(&st.db, id).await?.ok_or(problem(Problem::NotFound))?;
    let d = db::detail_by_id(&st.db, m.consultation_id).await?.ok_or(problem(Problem::NotFound))?;
    if !d.card.status.is_public() || m.status == CommentStatus::Deleted {
        return Err(problem(Problem::NotFound));
    }
    let mut form =
        FormState::new().value("form_key", &format!("report-{id}")).value("reason", reason).value("details", details);
    if !REPORT_REASONS.contains(&reason) {
        form.add("reason", K::err_choose);
        return Err(form.into());
    }
    if let Some(wait) = rate_limit::hit(&st.db, &format!("consult-report:{}", user.id), 20, 3_600).await? {
        return Err(problem(Problem::rate_limited(wait, form)));
    }
    let details = clean_multiline(details, 1_000);
    if let Some(count) = db::add_report(&st.db, id, user.id, reason, &details).await? {
        if m.status == CommentStatus::Visible && should_auto_hide(count, d.report_threshold) {
            let why = Lang::Ro.tf(K::consultations_auto_hidden_reason, &[("n", &count.to_string())]);
            db::moderate(&st.db, d.card.id, id, CommentStatus::Hidden, "auto_hide", &why, None).await?;
        }
        alert_moderators(&d).await?;
    }
    redirect(&format!("{}&reported=1#c-{id}", thread_href(&d.card.slug, m.unit_position)));
    Ok(())
}
