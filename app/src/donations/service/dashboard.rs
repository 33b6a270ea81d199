//! The organisation's donations: the dashboard (filters, totals per campaign and month), its CSV,
//! refunds through the provider and hiding a donor-wall entry.
use super::super::rules::{self, reference};
use super::super::{db, Dashboard, DashboardFilter, DashboardRow, DonationsError};
use super::manager_of;
use crate::accounts::SessionUser;
use crate::error::Problem;
use crate::ssr::Db;

pub async fn org_dashboard(org: String, filter: &DashboardFilter) -> Result<Dashboard, DonationsError> {
    let st = crate::ssr::state();
    let (org_id, org_name) = db::org_by_slug(&st.db, &org).await?.ok_or(DonationsError(Problem::NotFound))?;
    manager_of(org_id).await?;
    let rows = db::org_donations(&st.db, org_id, filter, 500).await?;
    let totals = rules::monthly_totals(db::org_ledger(&st.db, org_id).await?);
    let grand_total = totals.iter().map(|t| t.total_bani).sum();
    let provider = &st.payments.provider;
    Ok(Dashboard {
        org_id,
        org_slug: org,
        org_name,
        rows: rows
            .into_iter()
            .map(|d| {
                let (refundable, refund_elsewhere) = rules::refund_flags(
                    &d.status,
                    d.payment_ref.is_some(),
                    d.provider == provider.name(),
                    provider.supports_refund(),
                );
                DashboardRow {
                    refundable,
                    refund_elsewhere,
                    id: d.id,
                    public_id: d.public_id,
                    campaign_title: d.campaign_title,
                    total_bani: d.total_bani,
                    fee_bani: d.fee_bani,
                    monthly: d.monthly,
                    status: d.status,
                    donor_name: d.donor_name,
                    donor_email: d.donor_email,
                    message: d.message,
                    show_name: d.show_name,
                    hidden: d.hidden,
                    created_at: d.created_at,
                }
            })
            .collect(),
        totals,
        campaigns: db::org_campaigns(&st.db, org_id, true).await?,
        grand_total,
    })
}

/// Asks the provider to refund a paid donation; the ledger is reversed when the provider confirms
/// (its event). Returns the dashboard's address.
pub async fn refund_donation(donation_id: i64) -> Result<String, DonationsError> {
    let st = crate::ssr::state();
    let d = db::donation_by_id(&st.db, donation_id).await?.ok_or(DonationsError(Problem::NotFound))?;
    manager_of(d.org_id).await?;
    let provider = &st.payments.provider;
    // Only the active provider's payments can be refunded through it; one without a refund call
    // is told where the refund is made instead of sent a request it can only refuse.
    if let Some(k) = rules::refund_refusal(
        &d.status,
        d.payment_ref.is_some(),
        d.provider == provider.name(),
        provider.supports_refund(),
    ) {
        return Err(DonationsError(Problem::Refused(k)));
    }
    let req = crate::ssr::payments::RefundRequest {
        donation_id: d.public_id.clone(),
        payment_ref: d.payment_ref.clone().unwrap_or_default(), // there is one: checked above
        amount: d.total_bani,
        currency: d.currency.clone(),
    };
    provider.refund(&req).await.map_err(|e| {
        tracing::error!(error = %e, donation = d.id, "refund refused");
        DonationsError(Problem::Refused(crate::i18n::K::donations_err_refund_failed))
    })?;
    let (slug, _) = db::org_by_id(&st.db, d.org_id).await?.unwrap_or_default();
    Ok(format!("/organisations/{slug}/donations?refunded=1"))
}

/// Hides (or shows again) a donor's name and message on the public wall; returns the dashboard's address.
pub async fn hide_donation(donation_id: i64, hidden: bool) -> Result<String, DonationsError> {
    let st = crate::ssr::state();
    let d = db::donation_by_id(&st.db, donation_id).await?.ok_or(DonationsError(Problem::NotFound))?;
    manager_of(d.org_id).await?;
    db::set_hidden(&st.db, donation_id, d.org_id, hidden).await?;
    let (slug, _) = db::org_by_id(&st.db, d.org_id).await?.unwrap_or_default();
    Ok(format!("/organisations/{slug}/donations?hidden=1"))
}

/// Every donation of the organisation as CSV, for its managers; `None` for anyone else.
pub async fn donations_csv(db: &Db, user: &SessionUser, slug: &str) -> Result<Option<String>, sqlx::Error> {
    let Some((org_id, _)) = db::org_by_slug(db, slug).await? else { return Ok(None) };
    if !crate::orgs::members::can_manage(user, org_id) {
        return Ok(None);
    }
    let rows = db::org_donations(db, org_id, &DashboardFilter::default(), 100_000).await?;
    use crate::ssr::csv::{Cells, Table};
    let header = [
        "reference",
        "created_at_utc",
        "paid_at_utc",
        "campaign",
        "amount_bani",
        "fee_covered_bani",
        "total_bani",
        "currency",
        "monthly",
        "status",
        "donor_name",
        "donor_email",
        "public_name",
        "message",
        "hidden",
    ];
    let mut table = Table::new(&header, Cells::Neutralise, false, false);
    for d in rows {
        table.row([
            reference(&d.public_id),
            crate::fmt::iso_utc(d.created_at),
            d.paid_at.map(crate::fmt::iso_utc).unwrap_or_default(),
            d.campaign_title,
            d.amount_bani.to_string(),
            d.fee_bani.to_string(),
            d.total_bani.to_string(),
            d.currency,
            u8::from(d.monthly).to_string(),
            d.status,
            d.donor_name,
            d.donor_email,
            u8::from(d.show_name).to_string(),
            d.message,
            u8::from(d.hidden).to_string(),
        ]);
    }
    Ok(Some(table.finish()))
}
