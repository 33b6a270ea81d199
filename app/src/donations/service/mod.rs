//! Orchestration (server only): who may act, the rules applied, the writes through `db`, and the
//! side effects (the provider called, mails queued). Each `#[server]` fn in `mod.rs` calls one
//! function here.
pub mod campaigns;
pub mod dashboard;
pub mod donate;
pub mod events;
pub mod gifts;
pub mod housekeeping;
pub mod links;
pub mod mail;

use super::DonationsError;
use crate::accounts::SessionUser;
use crate::error::Problem;

/// The signed-in user, if they manage the organisation.
pub(super) async fn manager_of(org_id: i64) -> Result<SessionUser, DonationsError> {
    let me = crate::accounts::session::current_user().await?.ok_or(DonationsError(Problem::Unauthenticated))?;
    if crate::orgs::members::can_manage(&me, org_id) {
        Ok(me)
    } else {
        Err(DonationsError(Problem::Forbidden))
    }
}

/// Whether whoever is signed in manages the organisation (nobody signed in does not).
pub(super) async fn viewer_manages(org_id: i64) -> Result<bool, DonationsError> {
    let me = crate::accounts::session::current_user().await?;
    Ok(me.as_ref().is_some_and(|u| crate::orgs::members::can_manage(u, org_id)))
}
