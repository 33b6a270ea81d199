//! What the server functions do: authorise, apply the rules, store through `db` (one transaction
//! per step), then mail. One file per thing a person does: reading, drafts, comments, moderation,
//! answers and the report, follows, debates, the dates' changes; and the mails, the files and the background jobs.
use super::rules::is_organiser;
use super::{db, ConsultationsError, Detail};
use crate::accounts::SessionUser;
use crate::error::Problem;
use crate::i18n::K;
use crate::ssr::state;

pub mod answers;
pub mod comments;
pub mod dates;
pub mod debates;
pub mod drafts;
pub mod files;
pub mod follows;
pub mod jobs;
pub mod moderation;
pub mod notify;
pub mod reading;
pub mod report_files;

type R<T> = Result<T, ConsultationsError>;

fn refuse(k: K) -> ConsultationsError {
    ConsultationsError(Problem::Refused(k))
}

fn problem(p: Problem) -> ConsultationsError {
    ConsultationsError(p)
}

async fn me() -> R<Option<SessionUser>> {
    Ok(crate::accounts::session::current_user().await?)
}

async fn signed_in() -> R<SessionUser> {
    me().await?.ok_or(problem(Problem::Unauthenticated))
}

fn organiser_of(user: Option<&SessionUser>, d: &Detail) -> bool {
    user.is_some_and(|u| is_organiser(u, &d.card.owner_kind, d.card.owner_id))
}

/// A consultation the person may see: published ones for everyone, drafts for their organisers.
async fn visible(slug: &str, user: Option<&SessionUser>) -> R<Detail> {
    let d = db::detail_by_slug(&state().db, slug).await?.ok_or(problem(Problem::NotFound))?;
    visible_to(d, user)
}

fn visible_to(d: Detail, user: Option<&SessionUser>) -> R<Detail> {
    if d.card.status.is_public() || organiser_of(user, &d) {
        Ok(d)
    } else {
        Err(problem(Problem::NotFound))
    }
}

async fn organised(id: i64) -> R<(SessionUser, Detail)> {
    let user = signed_in().await?;
    let d = db::detail_by_id(&state().db, id).await?.ok_or(problem(Problem::NotFound))?;
    if !organiser_of(Some(&user), &d) {
        return Err(problem(Problem::Forbidden));
    }
    Ok((user, d))
}

fn base_url() -> String {
    state().settings.public_url.trim_end_matches('/').to_string()
}

fn redirect(path: &str) {
    leptos_axum::redirect(path);
}
