//! The donation form: which amount was chosen and whether it may be given, once or monthly, the
//! donor's fields and consent; a double submit's answer and the card-testing limits' keys.
use super::money::check_bounds;
use super::{donor_message, donor_name};
use crate::i18n::K;
use crate::types::money::Bani;
use crate::types::Email;

/// A typed amount rather than a preset (`other`, or nothing chosen).
fn chose_other(amount: &str) -> bool {
    amount == "other" || amount.is_empty()
}

/// The field a problem with the amount is shown next to.
pub fn amount_field(amount: &str) -> &'static str {
    if chose_other(amount) {
        "custom_amount"
    } else {
        "amount"
    }
}

/// A preset (travels as bani and must be one of the campaign's) or a typed lei amount, within the
/// campaign's bounds.
pub fn pick_gift(amount: &str, custom_amount: &str, presets: &[i64], min_bani: i64, max_bani: i64) -> Result<Bani, K> {
    if chose_other(amount) {
        Bani::parse_lei(custom_amount)
    } else {
        amount.parse::<i64>().ok().filter(|b| presets.contains(b)).map(Bani).ok_or(K::donations_err_amount_invalid)
    }
    .and_then(|b| check_bounds(b, min_bani, max_bani))
}

/// A monthly gift needs a campaign that allows it and a provider that can renew it.
pub fn monthly_allowed(monthly: bool, campaign_allows: bool, provider_supports: bool) -> bool {
    !monthly || (campaign_allows && provider_supports)
}

/// The consent box is ticked (its value is `yes`).
pub fn consent_given(consent: Option<&str>) -> bool {
    consent == Some("yes")
}

/// What the donor typed, as the form sent it.
#[derive(Clone, Copy, Debug)]
pub struct GiftFields<'a> {
    pub amount: &'a str,
    pub custom_amount: &'a str,
    pub frequency: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub message: &'a str,
    pub consent: Option<&'a str>,
}

/// What the campaign accepts.
#[derive(Clone, Copy, Debug)]
pub struct CampaignTerms<'a> {
    pub presets: &'a [i64],
    pub min_bani: i64,
    pub max_bani: i64,
    pub allow_monthly: bool,
}

/// A gift that passed every check of the form.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedGift {
    pub gift: Bani,
    pub monthly: bool,
    pub name: String,
    pub email: Email,
    pub message: String,
}

/// Everything the form checks before any database write, per field and in the order the page
/// lists them: amount, frequency, name, e-mail, consent.
pub fn check_gift(
    f: &GiftFields<'_>,
    terms: &CampaignTerms<'_>,
    monthly_supported: bool,
) -> Result<CheckedGift, Vec<(&'static str, K)>> {
    let mut errs = vec![];
    let gift = note(
        &mut errs,
        amount_field(f.amount),
        pick_gift(f.amount, f.custom_amount, terms.presets, terms.min_bani, terms.max_bani),
    );
    let monthly = f.frequency == "monthly";
    if !monthly_allowed(monthly, terms.allow_monthly, monthly_supported) {
        errs.push(("frequency", K::donations_err_monthly));
    }
    let name = note(&mut errs, "name", donor_name(f.name));
    let email = note(&mut errs, "email", Email::parse(f.email));
    if !consent_given(f.consent) {
        errs.push(("consent", K::donations_err_consent));
    }
    match (gift, name, email) {
        (Some(gift), Some(name), Some(email)) if errs.is_empty() => {
            Ok(CheckedGift { gift, monthly, name, email, message: donor_message(f.message) })
        }
        _ => Err(errs),
    }
}

/// The value if it parsed, else the problem noted next to `field`.
fn note<T>(errs: &mut Vec<(&'static str, K)>, field: &'static str, r: Result<T, K>) -> Option<T> {
    r.map_err(|k| errs.push((field, k))).ok()
}

/// The idempotency key the page sent, if it is long enough to trust (else a fresh one is made).
pub fn checkout_attempt(attempt: &str) -> Option<String> {
    let a = attempt.trim();
    (a.len() >= 20).then(|| a.to_string())
}

/// A double submit of the same page: back to the checkout still open, else to the return page.
pub fn resume_target(status: &str, checkout_url: &str, public_id: &str) -> String {
    if status == "pending" && !checkout_url.is_empty() {
        checkout_url.to_string()
    } else {
        format!("/donate/return/{public_id}")
    }
}

/// The card-testing limits: (key, limit per hour) per IP, e-mail and campaign, checked in this order.
pub fn checkout_limit_keys(
    ip: &str,
    email: &str,
    campaign_id: i64,
    per_ip: i64,
    per_email: i64,
    per_campaign: i64,
) -> [(String, i64); 3] {
    [
        (format!("donate:ip:{ip}"), per_ip),
        (format!("donate:email:{email}"), per_email),
        (format!("donate:campaign:{campaign_id}"), per_campaign),
    ]
}

/// A failed or cancelled donation may fill the form again for a retry.
pub fn may_retry(status: &str) -> bool {
    matches!(status, "failed" | "cancelled")
}

/// The amount option checked when the form opens with a retry's amount (in lei): its preset if it
/// is one, else `other`; without a retry, the second preset (or the only one).
pub fn preset_choice(prefill_amount: &str, presets: &[i64]) -> String {
    match Bani::parse_lei(prefill_amount).ok().map(|b| b.0) {
        Some(b) if presets.contains(&b) => b.to_string(),
        Some(_) => "other".into(),
        None => presets.get(1).or(presets.first()).map(|b| b.to_string()).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRESETS: &[i64] = &[2_500, 5_000, 10_000];
    const TERMS: CampaignTerms<'static> =
        CampaignTerms { presets: PRESETS, min_bani: 1_000, max_bani: 1_000_000, allow_monthly: true };

    fn fields() -> GiftFields<'static> {
        GiftFields {
            amount: "5000",
            custom_amount: "",
            frequency: "one_time",
            name: " Ana  Popescu ",
            email: "Ana@Exemplu.ro",
            message: "Succes!",
            consent: Some("yes"),
        }
    }

    #[test]
    fn a_preset_or_a_typed_amount_within_the_bounds() {
        assert_eq!(pick_gift("5000", "", PRESETS, 1_000, 1_000_000), Ok(Bani(5_000)));
        assert_eq!(pick_gift("7000", "", PRESETS, 1_000, 1_000_000), Err(K::donations_err_amount_invalid));
        assert_eq!(pick_gift("other", "75,50", PRESETS, 1_000, 1_000_000), Ok(Bani(7_550)));
        assert_eq!(pick_gift("", "75", PRESETS, 1_000, 1_000_000), Ok(Bani(7_500)));
        assert_eq!(pick_gift("other", "5", PRESETS, 1_000, 1_000_000), Err(K::donations_err_amount_min));
        assert_eq!(pick_gift("other", "", PRESETS, 1_000, 1_000_000), Err(K::donations_err_amount_required));
        assert_eq!(pick_gift("5000", "", PRESETS, 6_000, 1_000_000), Err(K::donations_err_amount_min));
        assert_eq!(
            (amount_field("other"), amount_field(""), amount_field("5000")),
            ("custom_amount", "custom_amount", "amount")
        );
    }

    #[test]
    fn monthly_and_consent() {
        assert!(monthly_allowed(false, false, false));
        assert!(monthly_allowed(true, true, true));
        assert!(!monthly_allowed(true, false, true) && !monthly_allowed(true, true, false));
        assert!(consent_given(Some("yes")));
        assert!(!consent_given(None) && !consent_given(Some("on")));
    }

    #[test]
    fn a_good_gift_is_checked() {
        let g = check_gift(&fields(), &TERMS, true).unwrap();
        assert_eq!(g.gift, Bani(5_000));
        assert!(!g.monthly);
        assert_eq!(g.name, "Ana Popescu");
        assert_eq!(g.email.to_string(), "ana@exemplu.ro");
        assert_eq!(g.message, "Succes!");
        let monthly = GiftFields { frequency: "monthly", ..fields() };
        assert!(check_gift(&monthly, &TERMS, true).unwrap().monthly);
    }

    #[test]
    fn every_problem_is_named_in_the_forms_order() {
        let bad = GiftFields {
            amount: "other",
            custom_amount: "abc",
            frequency: "monthly",
            name: "A",
            email: "nu",
            message: "",
            consent: None,
        };
        let named: Vec<&str> = check_gift(&bad, &TERMS, false).unwrap_err().iter().map(|e| e.0).collect();
        assert_eq!(named, ["custom_amount", "frequency", "name", "email", "consent"]);
        let no_consent = GiftFields { consent: None, ..fields() };
        assert_eq!(check_gift(&no_consent, &TERMS, true).unwrap_err(), [("consent", K::donations_err_consent)]);
    }

    #[test]
    fn double_submits_limits_and_retries() {
        assert_eq!(checkout_attempt("  short "), None);
        assert_eq!(checkout_attempt(" abcdefghijklmnopqrstu "), Some("abcdefghijklmnopqrstu".into()));
        assert_eq!(resume_target("pending", "https://pay/x", "d1"), "https://pay/x");
        assert_eq!(resume_target("pending", "", "d1"), "/donate/return/d1");
        assert_eq!(resume_target("paid", "https://pay/x", "d1"), "/donate/return/d1");
        let keys = checkout_limit_keys("1.2.3.4", "a@b.ro", 7, 5, 3, 100);
        assert_eq!(
            keys,
            [("donate:ip:1.2.3.4".into(), 5), ("donate:email:a@b.ro".into(), 3), ("donate:campaign:7".into(), 100)]
        );
        assert!(may_retry("failed") && may_retry("cancelled"));
        assert!(!may_retry("paid") && !may_retry("pending"));
        assert_eq!(preset_choice("50", PRESETS), "5000");
        assert_eq!(preset_choice("75", PRESETS), "other");
        assert_eq!(preset_choice("", PRESETS), "5000");
        assert_eq!(preset_choice("", &[2_500]), "2500");
        assert_eq!(preset_choice("", &[]), "");
    }
}
