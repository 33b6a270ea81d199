//! The statements a provider's event is applied with, all inside the caller's transaction
//! (`service::events` decides which). Idempotency lives in the schema: one row per provider event
//! (unique provider + event id), one donation per provider reference, one ledger entry of each
//! kind per donation; conditional updates make a late or repeated event change nothing.
use super::super::rules::states::DonationStatus;
use crate::ssr::now;
use crate::ssr::payments::Event;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// Records the event's id; false when it was recorded before (a duplicate delivery). It must be
/// the transaction's first statement: it writes, so on SQLite the transaction takes the write
/// lock at once (no read-then-upgrade deadlock between concurrent deliveries).
pub async fn record_event(conn: &mut AnyConnection, provider: &str, ev: &Event) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO payment_events (provider, event_id, kind, outcome, received_at) VALUES ($1, $2, $3, '', $4)
         ON CONFLICT (provider, event_id) DO NOTHING",
    )
    .bind(provider)
    .bind(&ev.id)
    .bind(&ev.kind)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// What the event did, and to which donation.
pub async fn set_event_outcome(
    conn: &mut AnyConnection,
    provider: &str,
    event_id: &str,
    label: &str,
    donation_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE payment_events SET outcome = $1, donation_id = $2 WHERE provider = $3 AND event_id = $4")
        .bind(label)
        .bind(donation_id)
        .bind(provider)
        .bind(event_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A donation as an event needs it: what it should be paid and where it is credited.
pub struct FoundDonation {
    pub id: i64,
    pub campaign_id: i64,
    pub total: i64,
    pub currency: String,
    pub gift_id: Option<i64>,
}

const FOUND_COLS: &str = "SELECT id, campaign_id, total_bani, currency, gift_id FROM donations";

fn found(r: &AnyRow) -> Result<FoundDonation, sqlx::Error> {
    Ok(FoundDonation {
        id: r.try_get("id")?,
        campaign_id: r.try_get("campaign_id")?,
        total: r.try_get("total_bani")?,
        currency: r.try_get("currency")?,
        gift_id: r.try_get("gift_id")?,
    })
}

/// The provider's donation by our public id, else by the provider's payment reference.
pub async fn find_donation(
    conn: &mut AnyConnection,
    provider: &str,
    public_id: Option<&str>,
    payment: Option<&str>,
) -> Result<Option<FoundDonation>, sqlx::Error> {
    let row = if let Some(p) = public_id {
        sqlx::query(&format!("{FOUND_COLS} WHERE public_id = $1 AND provider = $2"))
            .bind(p)
            .bind(provider)
            .fetch_optional(&mut *conn)
            .await?
    } else if let Some(p) = payment {
        sqlx::query(&format!("{FOUND_COLS} WHERE payment_ref = $1 AND provider = $2"))
            .bind(p)
            .bind(provider)
            .fetch_optional(&mut *conn)
            .await?
    } else {
        None
    };
    row.as_ref().map(found).transpose()
}

pub async fn find_by_id(conn: &mut AnyConnection, id: i64) -> Result<FoundDonation, sqlx::Error> {
    let r = sqlx::query(&format!("{FOUND_COLS} WHERE id = $1")).bind(id).fetch_one(&mut *conn).await?;
    found(&r)
}

/// Keeps the provider's payment reference (the first one seen), which a later refund names.
pub async fn set_payment_ref(conn: &mut AnyConnection, id: i64, payment: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE donations SET payment_ref = COALESCE(payment_ref, $1) WHERE id = $2")
        .bind(payment)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

fn status_list(to: DonationStatus) -> String {
    let v: Vec<String> = to.reachable_from().iter().map(|s| format!("'{}'", s.code())).collect();
    format!("({})", v.join(", "))
}

/// Moves a donation to `to` if the state machine allows it from where it is; true when it moved.
pub async fn donation_transition(conn: &mut AnyConnection, id: i64, to: DonationStatus) -> Result<bool, sqlx::Error> {
    let now = now();
    let paid_at = (to == DonationStatus::Paid).then_some(now);
    let r = sqlx::query(&format!(
        "UPDATE donations SET status = $1, updated_at = $2, paid_at = COALESCE($3, paid_at) WHERE id = $4 AND status IN {}",
        status_list(to)
    ))
    .bind(to.code())
    .bind(now)
    .bind(paid_at)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The ledger's credit of a paid donation (once: one `gift` entry per donation).
pub async fn credit_gift(conn: &mut AnyConnection, d: &FoundDonation) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO donation_ledger (campaign_id, donation_id, entry, amount_bani, currency, created_at)
         VALUES ($1, $2, 'gift', $3, $4, $5) ON CONFLICT (donation_id, entry) DO NOTHING",
    )
    .bind(d.campaign_id)
    .bind(d.id)
    .bind(d.total)
    .bind(&d.currency)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The ledger's reversal (`amount` is negative), only of a gift it credited, and once.
pub async fn reverse_gift(conn: &mut AnyConnection, donation_id: i64, amount: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO donation_ledger (campaign_id, donation_id, entry, amount_bani, currency, created_at)
         SELECT campaign_id, donation_id, 'refund', $1, currency, $2 FROM donation_ledger WHERE donation_id = $3 AND entry = 'gift'
         ON CONFLICT (donation_id, entry) DO NOTHING",
    )
    .bind(amount)
    .bind(now())
    .bind(donation_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The gift behind the provider's subscription reference.
pub async fn gift_by_subscription(
    conn: &mut AnyConnection,
    provider: &str,
    subscription: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query("SELECT id FROM donation_gifts WHERE provider = $1 AND provider_ref = $2")
        .bind(provider)
        .bind(subscription)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get("id"))
        .transpose()
}

/// The gift of the provider's donation named by our public id (none for a one-time gift).
pub async fn gift_of_donation(
    conn: &mut AnyConnection,
    provider: &str,
    public_id: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let r = sqlx::query("SELECT gift_id FROM donations WHERE public_id = $1 AND provider = $2")
        .bind(public_id)
        .bind(provider)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match r {
        Some(r) => r.try_get("gift_id")?,
        None => None,
    })
}

/// A gift's (amount, covered fee, currency), which each renewal must charge.
pub async fn gift_amounts(conn: &mut AnyConnection, gift_id: i64) -> Result<(i64, i64, String), sqlx::Error> {
    let g = sqlx::query("SELECT amount_bani, fee_bani, currency FROM donation_gifts WHERE id = $1")
        .bind(gift_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok((g.try_get("amount_bani")?, g.try_get("fee_bani")?, g.try_get("currency")?))
}

/// Creates (once per invoice) the pending donation of a monthly renewal, copying the gift's donor
/// and the consent given at the first checkout; returns its id.
pub async fn insert_renewal(
    conn: &mut AnyConnection,
    provider: &str,
    gift_id: i64,
    invoice: &str,
    amount: i64,
) -> Result<i64, sqlx::Error> {
    let now = now();
    sqlx::query(
        "INSERT INTO donations (public_id, campaign_id, gift_id, amount_bani, fee_bani, total_bani, currency, monthly, status, provider,
            provider_ref, idempotency_key, donor_name, donor_email, message, show_name, lang, consent_version, consent_at, newsletter,
            ip_hash, is_demo, created_at, updated_at)
         SELECT $1, g.campaign_id, g.id, g.amount_bani, g.fee_bani, $2, g.currency, 1, 'pending', g.provider, $3, $4, g.donor_name,
            g.donor_email, '', g.show_name, g.lang, d.consent_version, d.consent_at, 0, '', 0, $5, $5
         FROM donation_gifts g JOIN donations d ON d.gift_id = g.id
         WHERE g.id = $6 ORDER BY d.id LIMIT 1
         ON CONFLICT (provider, provider_ref) DO NOTHING",
    )
    .bind(crate::ssr::public_id())
    .bind(amount)
    .bind(invoice)
    .bind(format!("renewal:{provider}:{invoice}"))
    .bind(now)
    .bind(gift_id)
    .execute(&mut *conn)
    .await?;
    let r = sqlx::query("SELECT id FROM donations WHERE provider = $1 AND provider_ref = $2")
        .bind(provider)
        .bind(invoice)
        .fetch_one(&mut *conn)
        .await?;
    r.try_get("id")
}
