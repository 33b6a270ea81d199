//! The organiser's drafts and their publication: who may own one, creating it, correcting its
//! text, new versions, and the steps of its state machine (with the mails they send).
use super::notify::{notify_followers, notify_new};
use super::{organised, problem, redirect, refuse, signed_in, R};
use crate::consultations::rules::dates::{check_publish, Dates};
use crate::consultations::rules::split::{self, UnitKind};
use crate::consultations::rules::{
    check_new, has_articles, is_organiser, organised_owners, parse_owner, slug_for, transition, Action, NewForm, Phase,
    Status, MAX_DRAFT_CHARS,
};
use crate::consultations::{db, OwnerOption};
use crate::error::{FormState, Problem};
use crate::i18n::K;
use crate::ssr::{now, public_id, state};
use crate::text::clean_multiline;

/// The owners a person may consult for: their authorities and organisations, and for an admin
/// every authority.
pub async fn owner_options() -> R<Vec<OwnerOption>> {
    let user = signed_in().await?;
    let mut out: Vec<OwnerOption> = organised_owners(&user)
        .into_iter()
        .map(|(kind, id, name)| OwnerOption { value: format!("{kind}:{id}"), name })
        .collect();
    if user.is_admin() {
        for (id, name) in db::all_authorities(&state().db).await? {
            let value = format!("authority:{id}");
            if !out.iter().any(|o| o.value == value) {
                out.push(OwnerOption { value, name });
            }
        }
    }
    Ok(out)
}

pub async fn create(f: NewForm) -> R<()> {
    let user = signed_in().await?;
    let mut form = FormState::new()
        .value("owner", &f.owner)
        .value("title", &f.title)
        .value("summary", &f.summary)
        .value("topics", &f.topics.join(","))
        .value("locality", &f.locality)
        .value("county", &f.county)
        .value("draft_text", &f.draft_text)
        .value("explanatory_note", &f.explanatory_note)
        .value("opens_on", &f.opens_on)
        .value("closes_on", &f.closes_on)
        .value("adoption_on", &f.adoption_on)
        .value("urgency_reason", &f.urgency_reason)
        .value("officer_contact", &f.officer_contact)
        .value("initiator", &f.initiator)
        .value("report_threshold", &f.report_threshold);
    if parse_owner(&f.owner).is_some_and(|(kind, id)| !is_organiser(&user, &kind, id)) {
        return Err(problem(Problem::Forbidden));
    }
    let c = match check_new(&f, now()) {
        Ok(c) => c,
        Err(errors) => {
            for (field, k) in errors {
                form.add(field, k);
            }
            return Err(form.into());
        }
    };
    let slug = slug_for(&c.title, &public_id()[..6]);
    let new = db::NewConsultation {
        slug: slug.clone(),
        title: c.title,
        summary: c.summary,
        topics: c.topics,
        locality: c.locality,
        county: c.county,
        owner_kind: c.owner_kind,
        owner_id: c.owner_id,
        draft_text: c.draft,
        explanatory_note: c.explanatory_note,
        opens_at: c.opens_at,
        closes_at: c.closes_at,
        adoption_at: c.adoption_at,
        urgency_reason: c.urgency_reason,
        officer_contact: c.officer_contact,
        initiator: c.initiator,
        premoderation: c.premoderation,
        report_threshold: c.report_threshold,
        created_by: Some(user.id),
        is_demo: false,
    };
    db::insert(&state().db, &new, &c.units).await?;
    redirect(&format!("/consultations/{slug}/manage?created=1"));
    Ok(())
}

pub async fn update_draft(id: i64, text: &str) -> R<()> {
    let (_, d) = organised(id).await?;
    if d.card.status != Status::Draft {
        return Err(refuse(K::consultations_err_not_draft));
    }
    let text = clean_multiline(text, MAX_DRAFT_CHARS);
    let units = split::split(&text);
    if !has_articles(&units) {
        let mut form = FormState::new().value("draft_text", &text);
        form.add("draft_text", K::consultations_err_no_articles);
        return Err(form.into());
    }
    db::replace_draft(&state().db, id, &text, &units).await?;
    redirect(&format!("/consultations/{}/manage?split=1", d.card.slug));
    Ok(())
}

pub async fn change_status(id: i64, action: &str) -> R<()> {
    let st = state();
    let (_, d) = organised(id).await?;
    let action = Action::parse(action).ok_or(refuse(K::consultations_err_transition))?;
    // An open consultation is closed by the clock; the organiser can only confirm it afterwards.
    if action == Action::Close && now() < d.card.closes_at {
        return Err(refuse(K::consultations_err_window_running));
    }
    if action == Action::Publish
        && !db::units(&st.db, id, d.current_version).await?.iter().any(|u| u.kind == UnitKind::Article)
    {
        return Err(refuse(K::consultations_err_publish_empty));
    }
    // Law 52 again, counted from now (the publication): a draft created long ago may no longer fit.
    if action == Action::Publish && d.card.status == Status::Draft {
        let dates = Dates { opens_at: d.card.opens_at, closes_at: d.card.closes_at, adoption_at: d.adoption_at };
        check_publish(now(), dates, &d.urgency_reason).map_err(refuse)?;
    }
    let unanswered = db::unanswered(&st.db, id).await?;
    let status = if action == Action::PublishReport && d.card.status == Status::Open && d.card.phase == Phase::Closed {
        // The window ended but the job has not run yet: close first, then publish.
        db::set_status(&st.db, id, Status::Closed).await?;
        transition(Status::Closed, action, unanswered)
    } else {
        transition(d.card.status, action, unanswered)
    }
    .map_err(refuse)?;
    db::set_status(&st.db, id, status).await?;
    match status {
        Status::Open => notify_new(&d).await?,
        Status::Answered => {
            notify_followers(
                &d,
                "consultations.answer",
                K::consultations_mail_report_subject,
                K::consultations_mail_report_body,
                None,
            )
            .await?
        }
        _ => {}
    }
    redirect(&format!("/consultations/{}/manage?status=1", d.card.slug));
    Ok(())
}

pub async fn new_version(id: i64, text: &str, changelog: &str) -> R<()> {
    let (user, d) = organised(id).await?;
    if d.card.phase != Phase::Open && d.card.phase != Phase::Upcoming {
        return Err(refuse(K::consultations_err_not_open));
    }
    let text = clean_multiline(text, MAX_DRAFT_CHARS);
    let changelog = clean_multiline(changelog, 4_000);
    let mut form = FormState::new().value("draft_text", &text).value("changelog", &changelog);
    let units = split::split(&text);
    if !has_articles(&units) {
        form.add("draft_text", K::consultations_err_no_articles);
    }
    if changelog.chars().count() < 5 {
        form.add("changelog", K::consultations_err_changelog);
    }
    if !form.is_ok() {
        return Err(form.into());
    }
    db::add_version(&state().db, id, &text, &changelog, &units).await?;
    notify_followers(
        &d,
        "consultations.new_version",
        K::consultations_mail_version_subject,
        K::consultations_mail_version_body,
        Some(user.id),
    )
    .await?;
    redirect(&format!("/consultations/{}?version=1", d.card.slug));
    Ok(())
}
