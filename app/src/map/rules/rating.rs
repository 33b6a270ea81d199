//! The rating a place earns from its (combined) audit and why, the badges beside it, and the
//! summary a place's row keeps so the list and the map filter on plain columns.
use super::audit::{combine, Audit, AuditRecord, Confidence};
use crate::i18n::K;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Rating {
    Accessible,
    Partly,
    NotAccessible,
    Unknown,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::Accessible, Rating::Partly, Rating::NotAccessible, Rating::Unknown];

    pub fn code(self) -> &'static str {
        match self {
            Rating::Accessible => "yes",
            Rating::Partly => "limited",
            Rating::NotAccessible => "no",
            Rating::Unknown => "unknown",
        }
    }

    pub fn parse(code: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> K {
        match self {
            Rating::Accessible => K::map_rating_yes,
            Rating::Partly => K::map_rating_limited,
            Rating::NotAccessible => K::map_rating_no,
            Rating::Unknown => K::map_rating_unknown,
        }
    }

    /// Sort order "best first" (used by the list's rating sort).
    pub fn rank(self) -> i64 {
        match self {
            Rating::Accessible => 0,
            Rating::Partly => 1,
            Rating::NotAccessible => 2,
            Rating::Unknown => 3,
        }
    }
}

/// One sentence of why a place got its rating: a message and an optional number in it (`{n}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub key: K,
    pub n: Option<i64>,
}

fn reason(key: K) -> Reason {
    Reason { key, n: None }
}

fn reason_n(key: K, n: i64) -> Reason {
    Reason { key, n: Some(n) }
}

/// Wheelmap's anchor: one step of at most 7 cm still lets many wheelchair users in ("partly").
pub const SMALL_STEP_CM: i64 = 7;
/// Ramps up to 6 % are usable alone (Romanian NP 051 and most guides); up to 12 % with help.
pub const RAMP_OK_PCT: i64 = 6;
pub const RAMP_HARD_PCT: i64 = 12;
/// Door clear widths: 90 cm is the norm, 80 cm passes most chairs, below 70 cm most do not.
pub const DOOR_OK_CM: i64 = 90;
pub const DOOR_TIGHT_CM: i64 = 80;
pub const DOOR_BLOCKED_CM: i64 = 70;

/// The rating of a place from its (combined) audit, with its reasons in words.
/// The entrance decides; a narrow door or a lift that misses floors lowers it.
pub fn rate(a: &Audit) -> (Rating, Vec<Reason>) {
    let mut reasons = vec![];
    // 1. Entrance.
    let good_ramp = a.ramp == Some(true) && a.ramp_slope_pct.is_some_and(|s| s <= RAMP_OK_PCT);
    let mut rating = if a.step_free == Some(true) || a.steps == Some(0) {
        reasons.push(reason(K::map_why_step_free));
        Rating::Accessible
    } else if good_ramp && a.ramp_removable != Some(true) {
        reasons.push(reason_n(K::map_why_ramp_ok, a.ramp_slope_pct.unwrap_or(0)));
        Rating::Accessible
    } else if a.ramp == Some(true) {
        // A removable ramp needs someone to bring it; a steep or unmeasured one needs help.
        if a.ramp_removable == Some(true) {
            reasons.push(reason(K::map_why_ramp_removable));
        } else if let Some(s) = a.ramp_slope_pct {
            if s > RAMP_HARD_PCT {
                reasons.push(reason_n(K::map_why_ramp_too_steep, s));
            } else {
                reasons.push(reason_n(K::map_why_ramp_steep, s));
            }
        } else {
            reasons.push(reason(K::map_why_ramp_unmeasured));
        }
        match a.ramp_slope_pct {
            Some(s) if s > RAMP_HARD_PCT => Rating::NotAccessible,
            _ => Rating::Partly,
        }
    } else if a.steps == Some(1) && a.step_height_cm.is_some_and(|h| h <= SMALL_STEP_CM) {
        reasons.push(reason_n(K::map_why_one_small_step, a.step_height_cm.unwrap_or(0)));
        Rating::Partly
    } else if a.steps == Some(1) && a.step_height_cm.is_none() {
        reasons.push(reason(K::map_why_step_height_unknown));
        Rating::Unknown
    } else if let Some(n) = a.steps.filter(|n| *n >= 1) {
        reasons.push(reason_n(K::map_why_steps, n));
        Rating::NotAccessible
    } else if a.step_free == Some(false) {
        reasons.push(reason(K::map_why_not_step_free));
        Rating::NotAccessible
    } else {
        reasons.push(reason(K::map_why_entrance_unknown));
        Rating::Unknown
    };
    // 2. The door: a narrow door blocks even a step-free entrance.
    if let Some(w) = a.door_width_cm {
        if w < DOOR_BLOCKED_CM {
            reasons.push(reason_n(K::map_why_door_blocked, w));
            rating = Rating::NotAccessible;
        } else if w < DOOR_TIGHT_CM {
            reasons.push(reason_n(K::map_why_door_narrow, w));
            if rating == Rating::Accessible {
                rating = Rating::Partly;
            }
        } else if w < DOOR_OK_CM && rating == Rating::Accessible {
            reasons.push(reason_n(K::map_why_door_tight, w));
        }
    }
    // 3. Floors: a lift that does not reach every public floor leaves part of the building out.
    if a.lift_all_floors == Some(false) && rating == Rating::Accessible {
        reasons.push(reason(K::map_why_lift_partial));
        rating = Rating::Partly;
    }
    (rating, reasons)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Badges {
    pub toilet: bool,
    pub blind: bool,
    pub deaf: bool,
}

/// Badges shown beside the rating.
/// - toilet: an accessible toilet with turning space and grab bars, its door not under 80 cm;
/// - blind-friendly: tactile paving or braille, plus one more aid (high contrast, trained staff);
/// - deaf-friendly: an induction loop or a sign-language service.
pub fn badges(a: &Audit) -> Badges {
    let toilet = a.toilet == Some(true)
        && a.toilet_turning_space == Some(true)
        && a.toilet_grab_bars == Some(true)
        && a.toilet_door_cm.is_none_or(|w| w >= DOOR_TIGHT_CM);
    let tactile = a.tactile_paving == Some(true) || a.braille == Some(true);
    let aids =
        [a.tactile_paving, a.braille, a.high_contrast, a.staff_trained].iter().filter(|v| **v == Some(true)).count();
    let blind = tactile && aids >= 2;
    let deaf = a.audio_loop == Some(true) || a.sign_language == Some(true);
    Badges { toilet, blind, deaf }
}

/// The entrance can be used without a step: none at all, or a fixed ramp gentle enough to use alone.
pub fn step_free(a: &Audit) -> bool {
    a.step_free == Some(true)
        || a.steps == Some(0)
        || (a.ramp == Some(true)
            && a.ramp_removable != Some(true)
            && a.ramp_slope_pct.is_some_and(|s| s <= RAMP_OK_PCT))
}

/// What a place's row keeps of its audits (recomputed whenever an audit or a report changes).
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceSummary {
    pub rating: Rating,
    pub step_free: bool,
    pub has_lift: bool,
    pub badges: Badges,
    pub confidence: Confidence,
    pub verified_day: Option<i64>,
}

/// The summary of a place from its audits and how many confirmed problem reports are open.
pub fn summarise(records: &[AuditRecord], confirmed_reports: i64, today: i64) -> PlaceSummary {
    let c = combine(records, confirmed_reports, today);
    let a = &c.audit;
    PlaceSummary {
        rating: rate(a).0,
        step_free: step_free(a),
        has_lift: a.lift == Some(true),
        badges: badges(a),
        confidence: c.confidence,
        verified_day: c.verified_day,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a() -> Audit {
        Audit::default()
    }

    #[test]
    fn nothing_known_is_unknown_not_no() {
        let (r, why) = rate(&a());
        assert_eq!(r, Rating::Unknown);
        assert_eq!(why[0].key, K::map_why_entrance_unknown);
    }

    #[test]
    fn step_free_entrance_is_accessible() {
        assert_eq!(rate(&Audit { step_free: Some(true), ..a() }).0, Rating::Accessible);
        assert_eq!(rate(&Audit { steps: Some(0), door_width_cm: Some(95), ..a() }).0, Rating::Accessible);
    }

    #[test]
    fn wheelmap_anchor_one_step_up_to_7_cm_is_partly() {
        let one = |h| Audit { step_free: Some(false), steps: Some(1), step_height_cm: Some(h), ..a() };
        assert_eq!(rate(&one(7)).0, Rating::Partly);
        assert_eq!(rate(&one(3)).0, Rating::Partly);
        assert_eq!(rate(&one(8)).0, Rating::NotAccessible);
        assert_eq!(rate(&Audit { steps: Some(2), step_height_cm: Some(5), ..a() }).0, Rating::NotAccessible);
        // One step of unknown height is not guessed either way.
        assert_eq!(rate(&Audit { steps: Some(1), ..a() }).0, Rating::Unknown);
    }

    #[test]
    fn ramps_by_slope_and_kind() {
        let ramp = |s: Option<i64>, removable| Audit {
            steps: Some(3),
            ramp: Some(true),
            ramp_slope_pct: s,
            ramp_removable: Some(removable),
            ..a()
        };
        assert_eq!(rate(&ramp(Some(5), false)).0, Rating::Accessible);
        assert_eq!(rate(&ramp(Some(6), false)).0, Rating::Accessible);
        assert_eq!(rate(&ramp(Some(8), false)).0, Rating::Partly);
        assert_eq!(rate(&ramp(Some(15), false)).0, Rating::NotAccessible);
        assert_eq!(rate(&ramp(Some(5), true)).0, Rating::Partly);
        assert_eq!(rate(&ramp(None, false)).0, Rating::Partly);
    }

    #[test]
    fn doors_and_lifts_lower_the_rating() {
        let base = Audit { step_free: Some(true), ..a() };
        assert_eq!(rate(&Audit { door_width_cm: Some(85), ..base.clone() }).0, Rating::Accessible);
        assert_eq!(rate(&Audit { door_width_cm: Some(75), ..base.clone() }).0, Rating::Partly);
        assert_eq!(rate(&Audit { door_width_cm: Some(60), ..base.clone() }).0, Rating::NotAccessible);
        let (r, why) = rate(&Audit { lift_all_floors: Some(false), ..base.clone() });
        assert_eq!(r, Rating::Partly);
        assert!(why.iter().any(|w| w.key == K::map_why_lift_partial));
        // "No" is not "unknown": a known step-free "no" with no ramp is not accessible.
        assert_eq!(rate(&Audit { step_free: Some(false), ramp: Some(false), ..a() }).0, Rating::NotAccessible);
    }

    #[test]
    fn reasons_carry_their_numbers() {
        let (_, why) = rate(&Audit { steps: Some(4), ..a() });
        assert_eq!(why, vec![Reason { key: K::map_why_steps, n: Some(4) }]);
    }

    #[test]
    fn badges_need_the_whole_picture() {
        let toilet = Audit {
            toilet: Some(true),
            toilet_turning_space: Some(true),
            toilet_grab_bars: Some(true),
            toilet_door_cm: Some(90),
            ..a()
        };
        assert!(badges(&toilet).toilet);
        assert!(!badges(&Audit { toilet_grab_bars: None, ..toilet.clone() }).toilet);
        assert!(!badges(&Audit { toilet_door_cm: Some(70), ..toilet }).toilet);
        assert!(badges(&Audit { tactile_paving: Some(true), high_contrast: Some(true), ..a() }).blind);
        assert!(!badges(&Audit { high_contrast: Some(true), staff_trained: Some(true), ..a() }).blind);
        assert!(!badges(&Audit { braille: Some(true), ..a() }).blind);
        assert!(badges(&Audit { audio_loop: Some(true), ..a() }).deaf);
        assert!(badges(&Audit { sign_language: Some(true), ..a() }).deaf);
        assert!(!badges(&Audit { audio_loop: Some(false), ..a() }).deaf);
    }

    #[test]
    fn step_free_means_no_step_or_a_gentle_fixed_ramp() {
        assert!(step_free(&Audit { step_free: Some(true), ..a() }));
        assert!(step_free(&Audit { steps: Some(0), ..a() }));
        let ramp = |slope, removable| Audit {
            steps: Some(3),
            ramp: Some(true),
            ramp_slope_pct: Some(slope),
            ramp_removable: removable,
            ..a()
        };
        assert!(step_free(&ramp(6, None)));
        assert!(!step_free(&ramp(7, None)), "too steep to use alone");
        assert!(!step_free(&ramp(5, Some(true))), "someone has to bring a removable ramp");
        assert!(!step_free(&a()), "unknown is not step-free");
    }

    #[test]
    fn a_summary_carries_the_rating_badges_and_confidence() {
        let today = 20_000;
        let audit = Audit { step_free: Some(true), lift: Some(true), audio_loop: Some(true), ..a() };
        let records = [AuditRecord { audit, checked_day: today - 10, verified: true }];
        let s = summarise(&records, 0, today);
        assert_eq!((s.rating, s.step_free, s.has_lift), (Rating::Accessible, true, true));
        assert_eq!(s.badges, Badges { toilet: false, blind: false, deaf: true });
        assert_eq!((s.confidence, s.verified_day), (Confidence::Medium, Some(today - 10)));
        assert_eq!(summarise(&records, 1, today).confidence, Confidence::Low, "a confirmed problem lowers it");
        let none = summarise(&[], 0, today);
        assert_eq!((none.rating, none.confidence, none.verified_day), (Rating::Unknown, Confidence::None, None));
    }
}
