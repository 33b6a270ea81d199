//! The hourly checkout housekeeping (called from the server's job loop): abandoned checkouts are
//! cancelled, and what never paid forgets its donor after a while. No mail and no provider call:
//! each step is a conditional update, safe on any number of servers.
use super::super::{db, rules::housekeeping as rules};
use crate::ssr::{now, Db};

pub async fn tidy_checkouts(db: &Db) -> Result<db::Tidied, sqlx::Error> {
    let now = now();
    let (donations_cancelled, gifts_cancelled) = db::cancel_abandoned(db, rules::abandoned_before(now), now).await?;
    let (donations_forgotten, gifts_forgotten) =
        db::forget_unpaid(db, rules::forget_unpaid_before(now), rules::FORGOTTEN_EMAIL).await?;
    Ok(db::Tidied { donations_cancelled, gifts_cancelled, donations_forgotten, gifts_forgotten })
}
