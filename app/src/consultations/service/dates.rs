//! The organiser changes a consultation's dates: extends the comment window (announced on the page,
//! followers mailed once) or corrects a date; every change is logged with its public reason.
use super::notify::notify_extension;
use super::{organised, redirect, refuse, R};
use crate::consultations::db;
use crate::consultations::rules::dates::{check_correction, check_extension, ChangeKind, DateProblem, Dates};
use crate::consultations::{ConsultationsError, Detail};
use crate::error::FormState;
use crate::ssr::{now, state};
use crate::text::clean_multiline;

fn dates_of(d: &Detail) -> Dates {
    Dates { opens_at: d.card.opens_at, closes_at: d.card.closes_at, adoption_at: d.adoption_at }
}

fn form_error(p: DateProblem, mut form: FormState) -> ConsultationsError {
    match p {
        DateProblem::Refused(k) => refuse(k),
        DateProblem::Fields(errors) => {
            for (field, k) in errors {
                form.add(field, k);
            }
            form.into()
        }
    }
}

pub async fn extend(id: i64, closes_on: &str, adoption_on: &str, reason: &str) -> R<()> {
    let (user, d) = organised(id).await?;
    let form = FormState::new()
        .value("ext_closes_on", closes_on)
        .value("ext_adoption_on", adoption_on)
        .value("ext_reason", reason);
    let (new, changes) = check_extension(
        d.card.status,
        d.published_at,
        dates_of(&d),
        &d.urgency_reason,
        now(),
        closes_on,
        adoption_on,
        reason,
    )
    .map_err(|p| form_error(p, form))?;
    let reason = clean_multiline(reason, 2_000);
    db::change_dates(&state().db, id, user.id, ChangeKind::Extension, new, &changes, &reason).await?;
    notify_extension(&d, new.closes_at, &reason, Some(user.id)).await?;
    redirect(&format!("/consultations/{}/manage?extended=1#dates", d.card.slug));
    Ok(())
}

pub async fn correct(id: i64, opens_on: &str, closes_on: &str, adoption_on: &str, reason: &str) -> R<()> {
    let (user, d) = organised(id).await?;
    let form = FormState::new()
        .value("fix_opens_on", opens_on)
        .value("fix_closes_on", closes_on)
        .value("fix_adoption_on", adoption_on)
        .value("fix_reason", reason);
    let (new, changes) = check_correction(
        d.card.status,
        d.published_at,
        dates_of(&d),
        &d.urgency_reason,
        now(),
        opens_on,
        closes_on,
        adoption_on,
        reason,
    )
    .map_err(|p| form_error(p, form))?;
    let reason = clean_multiline(reason, 2_000);
    db::change_dates(&state().db, id, user.id, ChangeKind::Correction, new, &changes, &reason).await?;
    redirect(&format!("/consultations/{}/manage?corrected=1#dates", d.card.slug));
    Ok(())
}
