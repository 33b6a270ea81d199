//! The personal data of donations ("download my data" and deletion, registered in
//! `donations::personal`). Gifts are made without an account, so they are found by the address;
//! what deletion keeps is decided in `rules::erasure`.
use super::super::rules::erasure::{donation_keeps_donor_name, gift_still_running};
use super::super::rules::states::{DonationStatus, GiftStatus};
use crate::accounts::rules::anonymised_email;
use crate::ssr::personal::{rows, Param, Person};
use crate::ssr::Db;
use serde_json::Value;
use sqlx::{AnyConnection, Row};

pub async fn personal_donations(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT d.public_id, c.title AS campaign, o.name AS organisation, d.amount_bani, d.fee_bani, d.total_bani,
                d.currency, d.monthly, d.status, d.provider, d.donor_name, d.donor_email, d.message, d.show_name,
                d.newsletter, d.consent_version, d.consent_at, d.created_at, d.paid_at
         FROM donations d JOIN donation_campaigns c ON c.id = d.campaign_id JOIN organisations o ON o.id = c.org_id
         WHERE LOWER(d.donor_email) = $1 ORDER BY d.id",
        Param::Text(&p.email),
    )
    .await
}

/// Every donation from the address: no address, message or IP hash, never shown publicly; the
/// name stays only where the books need it.
pub async fn erase_donations(c: &mut AnyConnection, p: &Person) -> Result<(), sqlx::Error> {
    let found = sqlx::query("SELECT id, status FROM donations WHERE LOWER(donor_email) = $1")
        .bind(&p.email)
        .fetch_all(&mut *c)
        .await?;
    for r in &found {
        // An unknown status keeps the name: losing a receipt's name cannot be undone.
        let keep = DonationStatus::parse(&r.try_get::<String, _>("status")?).is_none_or(donation_keeps_donor_name);
        sqlx::query(
            "UPDATE donations SET donor_email = $1, message = '', ip_hash = '', show_name = 0,
                    donor_name = CASE WHEN $2 = 1 THEN donor_name ELSE '' END
             WHERE id = $3",
        )
        .bind(anonymised_email(p.id))
        .bind(i64::from(keep))
        .bind(r.try_get::<i64, _>("id")?)
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

pub async fn personal_gifts(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT g.public_id, c.title AS campaign, g.amount_bani, g.fee_bani, g.currency, g.status, g.provider,
                g.donor_name, g.donor_email, g.show_name, g.lang, g.created_at, g.updated_at
         FROM donation_gifts g JOIN donation_campaigns c ON c.id = g.campaign_id
         WHERE LOWER(g.donor_email) = $1 ORDER BY g.id",
        Param::Text(&p.email),
    )
    .await
}

/// Monthly gifts: a running one keeps reaching its donor (hidden from the public); an ended one
/// keeps neither name nor address.
pub async fn erase_gifts(c: &mut AnyConnection, p: &Person) -> Result<(), sqlx::Error> {
    let found = sqlx::query("SELECT id, status FROM donation_gifts WHERE LOWER(donor_email) = $1")
        .bind(&p.email)
        .fetch_all(&mut *c)
        .await?;
    for r in &found {
        let id: i64 = r.try_get("id")?;
        let running = GiftStatus::parse(&r.try_get::<String, _>("status")?).is_none_or(gift_still_running);
        let sql = if running {
            "UPDATE donation_gifts SET show_name = 0 WHERE id = $2 AND $1 <> ''"
        } else {
            "UPDATE donation_gifts SET show_name = 0, donor_name = '', donor_email = $1 WHERE id = $2"
        };
        sqlx::query(sql).bind(anonymised_email(p.id)).bind(id).execute(&mut *c).await?;
    }
    Ok(())
}

/// Campaigns and their updates the person wrote for an organisation (they stay: the organisation's).
pub async fn personal_campaign_work(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    let campaigns = rows(
        db,
        "SELECT slug, title, status, created_at FROM donation_campaigns WHERE created_by = $1 ORDER BY id",
        Param::Id(p.id),
    );
    let updates = rows(
        db,
        "SELECT c.title AS campaign, u.body_md, u.created_at FROM donation_updates u
         JOIN donation_campaigns c ON c.id = u.campaign_id WHERE u.created_by = $1 ORDER BY u.id",
        Param::Id(p.id),
    );
    Ok(serde_json::json!({ "campaigns": campaigns.await?, "updates": updates.await? }))
}
