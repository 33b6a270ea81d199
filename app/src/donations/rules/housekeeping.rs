//! Tidying checkouts that were never finished. A donor who leaves the provider's page leaves a
//! pending donation (and, for a monthly gift, a pending gift) behind; nothing will ever complete it,
//! yet it would stay "pending" in the organisation's dashboard and keep the donor's address for good.

/// Stripe's checkout sessions expire within 24 hours and Netopia's sooner: two days after it was
/// started, no payment can complete a checkout any more.
pub const ABANDONED_AFTER_SECS: i64 = 2 * 86_400;

/// A gift that never paid keeps its donor's name and address this long after it ended (a donor
/// who writes about a declined card can still be found), then loses them: there is no accounting
/// document behind it (see `erasure`).
pub const UNPAID_KEPT_SECS: i64 = 30 * 86_400;

/// The address an unpaid donation keeps once its donor's is gone (the column is required).
pub const FORGOTTEN_EMAIL: &str = "forgotten@invalid.participa";

// Longer than Stripe's longest checkout session (24 hours), checked when compiling.
const _: () = assert!(ABANDONED_AFTER_SECS > 24 * 3600);

/// Checkouts started before this instant are abandoned.
pub fn abandoned_before(now: i64) -> i64 {
    now - ABANDONED_AFTER_SECS
}

/// Unpaid donations and gifts that ended before this instant lose their donor's details.
pub fn forget_unpaid_before(now: i64) -> i64 {
    now - UNPAID_KEPT_SECS
}

#[cfg(test)]
mod tests {
    use super::super::erasure::donation_keeps_donor_name;
    use super::super::states::DonationStatus;
    use super::*;

    #[test]
    fn a_checkout_is_abandoned_only_after_every_provider_gave_up_on_it() {
        let now = 1_800_000_000;
        assert_eq!(abandoned_before(now), now - 172_800);
        assert!(forget_unpaid_before(now) < abandoned_before(now), "forgotten long after it was abandoned");
    }

    #[test]
    fn only_what_erasure_would_blank_is_forgotten() {
        // The job blanks cancelled and failed donations: exactly those with no accounting document.
        assert!(!donation_keeps_donor_name(DonationStatus::Cancelled));
        assert!(!donation_keeps_donor_name(DonationStatus::Failed));
        assert!(donation_keeps_donor_name(DonationStatus::Pending), "a pending one is cancelled first");
        assert!(FORGOTTEN_EMAIL.ends_with(".participa") && !FORGOTTEN_EMAIL.contains(' '));
    }
}
