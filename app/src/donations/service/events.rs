//! A provider's verified event, applied exactly once: in one transaction whose first statement
//! records the event's id (a second delivery finds it and changes nothing), then the effect on
//! the donation or gift through conditional updates, then the outcome stored with the event.
use super::super::db::{self, FoundDonation};
use super::super::rules::states::{DonationStatus, GiftEvent, GiftStatus};
use super::super::rules::{self, Outcome};
use super::mail;
use crate::ssr::payments::{Effect, Event};
use crate::ssr::{Db, Settings};
use sqlx::AnyConnection;

/// Applies one verified event exactly once.
pub async fn apply_event(db: &Db, provider: &str, ev: &Event) -> Result<Outcome, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    // The first statement writes, so on SQLite the transaction takes the write lock at once
    // (no read-then-upgrade deadlock between concurrent deliveries). Nothing may come before it.
    if !db::record_event(&mut tx, provider, ev).await? {
        tx.rollback().await?;
        return Ok(Outcome::Duplicate);
    }
    let (outcome, donation_id) = apply_effect(&mut tx, provider, &ev.effect).await?;
    db::set_event_outcome(&mut tx, provider, &ev.id, outcome.label(), donation_id).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// What the event does, and the donation it concerns (stored with the event).
async fn apply_effect(
    tx: &mut AnyConnection,
    provider: &str,
    effect: &Effect,
) -> Result<(Outcome, Option<i64>), sqlx::Error> {
    Ok(match effect {
        Effect::CheckoutCompleted { donation, paid, amount, currency, subscription, payment, .. } => {
            let Some(d) = db::find_donation(tx, provider, Some(donation), None).await? else {
                return Ok((Outcome::Rejected("unknown_donation"), None));
            };
            if !rules::amount_matches(d.total, &d.currency, *amount, currency) {
                return Ok((Outcome::Rejected("mismatch"), Some(d.id)));
            }
            if let (Some(g), Some(sub)) = (d.gift_id, subscription) {
                db::set_provider_ref_if_null(tx, g, sub).await?;
                db::gift_transition(tx, g, GiftEvent::CheckoutCompleted, GiftStatus::Active).await?;
            }
            if *paid {
                (mark_paid(tx, &d, payment.as_deref()).await?, Some(d.id))
            } else {
                let moved = db::donation_transition(tx, d.id, DonationStatus::Processing).await?;
                (rules::noted(moved, "processing"), Some(d.id))
            }
        }
        Effect::AsyncSucceeded { donation, amount, currency, payment } => {
            let Some(d) = db::find_donation(tx, provider, Some(donation), None).await? else {
                return Ok((Outcome::Rejected("unknown_donation"), None));
            };
            if !rules::amount_matches(d.total, &d.currency, *amount, currency) {
                return Ok((Outcome::Rejected("mismatch"), Some(d.id)));
            }
            (mark_paid(tx, &d, payment.as_deref()).await?, Some(d.id))
        }
        Effect::Failed { donation } | Effect::Expired { donation } => {
            let Some(d) = db::find_donation(tx, provider, Some(donation), None).await? else {
                return Ok((Outcome::Rejected("unknown_donation"), None));
            };
            let to = rules::closing_status(matches!(effect, Effect::Failed { .. }));
            let moved = db::donation_transition(tx, d.id, to).await?;
            (rules::noted(moved, to.code()), Some(d.id))
        }
        Effect::InvoicePaid { invoice, subscription, donation, first, amount, currency, payment } => {
            let Some(gift_id) = find_gift(tx, provider, subscription, donation.as_deref()).await? else {
                return Ok((Outcome::Rejected("unknown_subscription"), None));
            };
            db::gift_transition(tx, gift_id, GiftEvent::RenewalPaid, GiftStatus::Active).await?;
            if *first {
                // The first invoice pays the donation created at checkout.
                let Some(d) = db::find_donation(tx, provider, donation.as_deref(), None).await? else {
                    return Ok((Outcome::Rejected("unknown_donation"), None));
                };
                if d.gift_id != Some(gift_id) || !rules::amount_matches(d.total, &d.currency, *amount, currency) {
                    return Ok((Outcome::Rejected("mismatch"), Some(d.id)));
                }
                (mark_paid(tx, &d, payment.as_deref()).await?, Some(d.id))
            } else {
                // A renewal: a new donation, unique by the invoice's reference.
                let (gift, fee, gift_currency) = db::gift_amounts(tx, gift_id).await?;
                if !rules::renewal_matches(gift, fee, &gift_currency, *amount, currency) {
                    return Ok((Outcome::Rejected("mismatch"), None));
                }
                let id = db::insert_renewal(tx, provider, gift_id, invoice, *amount).await?;
                let d = db::find_by_id(tx, id).await?;
                (mark_paid(tx, &d, payment.as_deref()).await?, Some(id))
            }
        }
        Effect::InvoiceFailed { subscription, donation } => {
            let Some(gift_id) = find_gift(tx, provider, subscription, donation.as_deref()).await? else {
                return Ok((Outcome::Rejected("unknown_subscription"), None));
            };
            if db::gift_transition(tx, gift_id, GiftEvent::RenewalFailed, GiftStatus::PastDue).await? {
                (Outcome::RenewalFailed(gift_id), None)
            } else {
                (Outcome::Noted("late"), None)
            }
        }
        Effect::SubscriptionEnded { subscription, donation } => {
            let Some(gift_id) = find_gift(tx, provider, subscription, donation.as_deref()).await? else {
                return Ok((Outcome::Rejected("unknown_subscription"), None));
            };
            let moved = db::gift_transition(tx, gift_id, GiftEvent::Cancelled, GiftStatus::Cancelled).await?;
            (rules::noted(moved, "cancelled"), None)
        }
        Effect::Refunded { donation, payment, amount } => {
            let Some(d) = db::find_donation(tx, provider, donation.as_deref(), payment.as_deref()).await? else {
                return Ok((Outcome::Rejected("unknown_donation"), None));
            };
            if !db::donation_transition(tx, d.id, DonationStatus::Refunded).await? {
                return Ok((Outcome::Noted("late"), Some(d.id)));
            }
            // Reverse what the ledger credited (nothing if the payment event has not arrived: it never will count now).
            db::reverse_gift(tx, d.id, -rules::refund_reversal(*amount, d.total)).await?;
            (Outcome::Refunded(d.id), Some(d.id))
        }
        Effect::Ignored => (Outcome::Noted("ignored"), None),
    })
}

/// Paid: the payment's reference kept, the donation moved, the ledger credited (once).
async fn mark_paid(tx: &mut AnyConnection, d: &FoundDonation, payment: Option<&str>) -> Result<Outcome, sqlx::Error> {
    if let Some(p) = payment {
        db::set_payment_ref(tx, d.id, p).await?;
    }
    if !db::donation_transition(tx, d.id, DonationStatus::Paid).await? {
        return Ok(Outcome::Noted("late"));
    }
    db::credit_gift(tx, d).await?;
    Ok(Outcome::Paid(d.id))
}

/// The gift behind a subscription reference, or behind the donation named in its metadata (an
/// invoice may arrive before the checkout event that tells us the subscription's id; the
/// reference is then kept on the gift).
async fn find_gift(
    tx: &mut AnyConnection,
    provider: &str,
    subscription: &str,
    donation: Option<&str>,
) -> Result<Option<i64>, sqlx::Error> {
    if let Some(g) = db::gift_by_subscription(tx, provider, subscription).await? {
        return Ok(Some(g));
    }
    let Some(d) = donation else { return Ok(None) };
    let gift = db::gift_of_donation(tx, provider, d).await?;
    if let Some(g) = gift {
        db::set_provider_ref_if_null(tx, g, subscription).await?;
    }
    Ok(gift)
}

/// Side effects of an applied event: the receipt and the organisation's notice once a donation is
/// paid, the donor's warning when a renewal failed. Errors are logged: the event is already recorded.
pub async fn after_event(db: &Db, settings: &Settings, outcome: &Outcome) {
    let r = match outcome {
        Outcome::Paid(id) => mail::send_paid_mails(db, settings, *id).await,
        Outcome::RenewalFailed(gift) => mail::send_renewal_failed(db, settings, *gift).await,
        _ => Ok(()),
    };
    if let Err(e) = r {
        tracing::error!(error = %e, ?outcome, "donation mail");
    }
}
