//! What a provider's event does to a donation, and what may be done with a paid one: an event
//! credits only what was asked for, a refund reverses at most what was credited, a late event is
//! only noted. Refunds from the dashboard and receipts follow the donation's status.
use super::states::DonationStatus;
use crate::i18n::K;

/// What an event did, for the caller's side effects (mails) and the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The event id was seen before: nothing happened.
    Duplicate,
    /// A donation became paid (and got its ledger entry).
    Paid(i64),
    /// A donation was refunded (and its ledger entry reversed).
    Refunded(i64),
    /// A monthly renewal failed: the donor is told.
    RenewalFailed(i64),
    /// Applied, or not applicable in the current state (a late event).
    Noted(&'static str),
    /// Amount, currency or donation do not match the database: nothing credited.
    Rejected(&'static str),
}

impl Outcome {
    /// The label stored with the event.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Duplicate => "duplicate",
            Outcome::Paid(_) => "paid",
            Outcome::Refunded(_) => "refunded",
            Outcome::RenewalFailed(_) => "renewal_failed",
            Outcome::Noted(s) => s,
            Outcome::Rejected(s) => s,
        }
    }
}

/// The provider charged exactly the donation's total, in its currency.
pub fn amount_matches(total_bani: i64, currency: &str, amount: i64, paid_currency: &str) -> bool {
    total_bani == amount && currency.eq_ignore_ascii_case(paid_currency)
}

/// A renewal's invoice charges the gift plus the fee the donor chose to cover, in its currency.
pub fn renewal_matches(gift_bani: i64, fee_bani: i64, gift_currency: &str, amount: i64, currency: &str) -> bool {
    gift_bani + fee_bani == amount && gift_currency.eq_ignore_ascii_case(currency)
}

/// The ledger's reversal of a refund: what the provider refunded, never more than the donation's
/// total; the whole total when the event does not say.
pub fn refund_reversal(refunded: i64, total: i64) -> i64 {
    if refunded > 0 {
        refunded.min(total)
    } else {
        total
    }
}

/// A checkout that failed, or one that expired unpaid.
pub fn closing_status(failed: bool) -> DonationStatus {
    if failed {
        DonationStatus::Failed
    } else {
        DonationStatus::Cancelled
    }
}

/// An event that moved the donation or gift is noted by what it did; one that did not is late.
pub fn noted(moved: bool, label: &'static str) -> Outcome {
    Outcome::Noted(if moved { label } else { "late" })
}

/// For the dashboard: (refundable here, refunded in the provider's own dashboard). Only the
/// active provider's paid payments qualify.
pub fn refund_flags(status: &str, has_payment_ref: bool, same_provider: bool, supports_refund: bool) -> (bool, bool) {
    let paid = status == "paid" && has_payment_ref && same_provider;
    (paid && supports_refund, paid && !supports_refund)
}

/// Why a refund is refused, checked in this order: not a paid payment, another provider's, a
/// provider without a refund call (it says where the refund is made instead).
pub fn refund_refusal(status: &str, has_payment_ref: bool, same_provider: bool, supports_refund: bool) -> Option<K> {
    if status != "paid" || !has_payment_ref || !same_provider {
        Some(K::donations_err_not_refundable)
    } else if !supports_refund {
        Some(K::donations_err_refund_elsewhere)
    } else {
        None
    }
}

/// A receipt exists once the donation was paid (a refunded one keeps it, marked refunded).
pub fn has_receipt(status: &str) -> bool {
    matches!(status, "paid" | "refunded")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_are_labelled() {
        assert_eq!(Outcome::Duplicate.label(), "duplicate");
        assert_eq!(Outcome::Paid(1).label(), "paid");
        assert_eq!(Outcome::Refunded(1).label(), "refunded");
        assert_eq!(Outcome::RenewalFailed(1).label(), "renewal_failed");
        assert_eq!(Outcome::Rejected("mismatch").label(), "mismatch");
        assert_eq!(noted(true, "processing"), Outcome::Noted("processing"));
        assert_eq!(noted(false, "processing"), Outcome::Noted("late"));
    }

    #[test]
    fn only_the_exact_amount_is_credited() {
        assert!(amount_matches(5_000, "RON", 5_000, "ron"));
        assert!(!amount_matches(5_000, "RON", 4_999, "RON"));
        assert!(!amount_matches(5_000, "RON", 5_000, "EUR"));
        assert!(renewal_matches(5_000, 178, "RON", 5_178, "ron"));
        assert!(!renewal_matches(5_000, 178, "RON", 5_000, "RON"));
        assert!(!renewal_matches(5_000, 0, "RON", 5_000, "EUR"));
    }

    #[test]
    fn a_refund_reverses_at_most_the_total() {
        assert_eq!(refund_reversal(2_000, 5_000), 2_000);
        assert_eq!(refund_reversal(9_000, 5_000), 5_000);
        assert_eq!(refund_reversal(0, 5_000), 5_000);
        assert_eq!(closing_status(true), DonationStatus::Failed);
        assert_eq!(closing_status(false), DonationStatus::Cancelled);
    }

    #[test]
    fn refunds_from_the_dashboard() {
        assert_eq!(refund_flags("paid", true, true, true), (true, false));
        assert_eq!(refund_flags("paid", true, true, false), (false, true));
        assert_eq!(refund_flags("paid", false, true, true), (false, false));
        assert_eq!(refund_flags("paid", true, false, true), (false, false));
        assert_eq!(refund_flags("pending", true, true, true), (false, false));
        assert_eq!(refund_refusal("paid", true, true, true), None);
        assert_eq!(refund_refusal("refunded", true, true, true), Some(K::donations_err_not_refundable));
        assert_eq!(refund_refusal("paid", false, true, false), Some(K::donations_err_not_refundable));
        assert_eq!(refund_refusal("paid", true, false, false), Some(K::donations_err_not_refundable));
        assert_eq!(refund_refusal("paid", true, true, false), Some(K::donations_err_refund_elsewhere));
        assert!(has_receipt("paid") && has_receipt("refunded") && !has_receipt("pending"));
    }
}
