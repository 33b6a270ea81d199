//! The SQL of the checkout housekeeping job. Each statement is one conditional UPDATE: a row
//! matches only while it is still in the state the job looks for, so servers running the job at
//! the same instant each change a row at most once between them (PostgreSQL re-checks the WHERE
//! after waiting for a row another server locked; SQLite runs writers one at a time).
use crate::ssr::Db;

/// What one run changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tidied {
    pub donations_cancelled: u64,
    pub gifts_cancelled: u64,
    pub donations_forgotten: u64,
    pub gifts_forgotten: u64,
}

impl Tidied {
    pub fn total(&self) -> u64 {
        self.donations_cancelled + self.gifts_cancelled + self.donations_forgotten + self.gifts_forgotten
    }
}

/// Pending checkouts started before `before` become cancelled (a payment that still came would
/// move the donation on to paid: the state machine allows it).
pub async fn cancel_abandoned(db: &Db, before: i64, now: i64) -> Result<(u64, u64), sqlx::Error> {
    let donations = sqlx::query(
        "UPDATE donations SET status = 'cancelled', updated_at = $1 WHERE status = 'pending' AND created_at < $2",
    )
    .bind(now)
    .bind(before)
    .execute(&db.pool)
    .await?
    .rows_affected();
    let gifts = sqlx::query(
        "UPDATE donation_gifts SET status = 'cancelled', updated_at = $1 WHERE status = 'pending' AND created_at < $2",
    )
    .bind(now)
    .bind(before)
    .execute(&db.pool)
    .await?
    .rows_affected();
    Ok((donations, gifts))
}

/// Donations that never paid (cancelled or failed, no payment time) and ended before `before`
/// lose the donor's name, address, message and IP hash; so do monthly gifts that ended without a
/// single paid donation. `forgotten` is the placeholder address.
pub async fn forget_unpaid(db: &Db, before: i64, forgotten: &str) -> Result<(u64, u64), sqlx::Error> {
    let donations = sqlx::query(
        "UPDATE donations SET donor_name = '', donor_email = $1, message = '', ip_hash = '', show_name = 0
         WHERE status IN ('cancelled', 'failed') AND paid_at IS NULL AND updated_at < $2 AND donor_email <> $1",
    )
    .bind(forgotten)
    .bind(before)
    .execute(&db.pool)
    .await?
    .rows_affected();
    let gifts = sqlx::query(
        "UPDATE donation_gifts SET donor_name = '', donor_email = $1, show_name = 0
         WHERE status = 'cancelled' AND updated_at < $2 AND donor_email <> $1
           AND NOT EXISTS (SELECT 1 FROM donations d WHERE d.gift_id = donation_gifts.id AND d.paid_at IS NOT NULL)",
    )
    .bind(forgotten)
    .bind(before)
    .execute(&db.pool)
    .await?
    .rows_affected();
    Ok((donations, gifts))
}
