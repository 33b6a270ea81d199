//! Audits: what a structured audit records (yes / no / unknown, measures, notes), how the form is
//! read, and how several audits of one place combine into one with a confidence.
use super::rating::{rate, Rating};
use crate::i18n::K;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A structured audit. `None` is "unknown", `Some(false)` is "no": the two are never confused.
/// Field names follow OpenStreetMap keys / A11yJSON where one exists.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Audit {
    pub step_free: Option<bool>,
    pub steps: Option<i64>,
    pub step_height_cm: Option<i64>,
    pub ramp: Option<bool>,
    pub ramp_removable: Option<bool>,
    pub ramp_slope_pct: Option<i64>,
    pub handrail: Option<bool>,
    pub door_width_cm: Option<i64>,
    pub automatic_door: Option<bool>,
    pub doorbell: Option<bool>,
    pub lift: Option<bool>,
    pub lift_all_floors: Option<bool>,
    pub toilet: Option<bool>,
    pub toilet_door_cm: Option<i64>,
    pub toilet_turning_space: Option<bool>,
    pub toilet_grab_bars: Option<bool>,
    pub parking: Option<bool>,
    pub parking_count: Option<i64>,
    pub parking_distance_m: Option<i64>,
    pub tactile_paving: Option<bool>,
    pub braille: Option<bool>,
    pub high_contrast: Option<bool>,
    pub audio_loop: Option<bool>,
    pub sign_language: Option<bool>,
    pub staff_trained: Option<bool>,
    pub notes_wheelchair: String,
    pub notes_blind: String,
    pub notes_deaf: String,
}

/// The yes/no/unknown fields of an audit, in form order: (field name, label).
pub const TRI_FIELDS: &[(&str, K)] = &[
    ("step_free", K::map_a_step_free),
    ("ramp", K::map_a_ramp),
    ("ramp_removable", K::map_a_ramp_removable),
    ("handrail", K::map_a_handrail),
    ("automatic_door", K::map_a_automatic_door),
    ("doorbell", K::map_a_doorbell),
    ("lift", K::map_a_lift),
    ("lift_all_floors", K::map_a_lift_all_floors),
    ("toilet", K::map_a_toilet),
    ("toilet_turning_space", K::map_a_toilet_turning_space),
    ("toilet_grab_bars", K::map_a_toilet_grab_bars),
    ("parking", K::map_a_parking),
    ("tactile_paving", K::map_a_tactile_paving),
    ("braille", K::map_a_braille),
    ("high_contrast", K::map_a_high_contrast),
    ("audio_loop", K::map_a_audio_loop),
    ("sign_language", K::map_a_sign_language),
    ("staff_trained", K::map_a_staff_trained),
];

/// The numeric fields: (field name, label, largest plausible value).
pub const NUM_FIELDS: &[(&str, K, i64)] = &[
    ("steps", K::map_a_steps, 200),
    ("step_height_cm", K::map_a_step_height_cm, 100),
    ("ramp_slope_pct", K::map_a_ramp_slope_pct, 100),
    ("door_width_cm", K::map_a_door_width_cm, 500),
    ("toilet_door_cm", K::map_a_toilet_door_cm, 500),
    ("parking_count", K::map_a_parking_count, 10_000),
    ("parking_distance_m", K::map_a_parking_distance_m, 10_000),
];

impl Audit {
    pub fn tri(&self, field: &str) -> Option<bool> {
        match field {
            "step_free" => self.step_free,
            "ramp" => self.ramp,
            "ramp_removable" => self.ramp_removable,
            "handrail" => self.handrail,
            "automatic_door" => self.automatic_door,
            "doorbell" => self.doorbell,
            "lift" => self.lift,
            "lift_all_floors" => self.lift_all_floors,
            "toilet" => self.toilet,
            "toilet_turning_space" => self.toilet_turning_space,
            "toilet_grab_bars" => self.toilet_grab_bars,
            "parking" => self.parking,
            "tactile_paving" => self.tactile_paving,
            "braille" => self.braille,
            "high_contrast" => self.high_contrast,
            "audio_loop" => self.audio_loop,
            "sign_language" => self.sign_language,
            "staff_trained" => self.staff_trained,
            _ => None,
        }
    }

    pub fn set_tri(&mut self, field: &str, v: Option<bool>) {
        let slot = match field {
            "step_free" => &mut self.step_free,
            "ramp" => &mut self.ramp,
            "ramp_removable" => &mut self.ramp_removable,
            "handrail" => &mut self.handrail,
            "automatic_door" => &mut self.automatic_door,
            "doorbell" => &mut self.doorbell,
            "lift" => &mut self.lift,
            "lift_all_floors" => &mut self.lift_all_floors,
            "toilet" => &mut self.toilet,
            "toilet_turning_space" => &mut self.toilet_turning_space,
            "toilet_grab_bars" => &mut self.toilet_grab_bars,
            "parking" => &mut self.parking,
            "tactile_paving" => &mut self.tactile_paving,
            "braille" => &mut self.braille,
            "high_contrast" => &mut self.high_contrast,
            "audio_loop" => &mut self.audio_loop,
            "sign_language" => &mut self.sign_language,
            "staff_trained" => &mut self.staff_trained,
            _ => return,
        };
        *slot = v;
    }

    pub fn num(&self, field: &str) -> Option<i64> {
        match field {
            "steps" => self.steps,
            "step_height_cm" => self.step_height_cm,
            "ramp_slope_pct" => self.ramp_slope_pct,
            "door_width_cm" => self.door_width_cm,
            "toilet_door_cm" => self.toilet_door_cm,
            "parking_count" => self.parking_count,
            "parking_distance_m" => self.parking_distance_m,
            _ => None,
        }
    }

    pub fn set_num(&mut self, field: &str, v: Option<i64>) {
        let slot = match field {
            "steps" => &mut self.steps,
            "step_height_cm" => &mut self.step_height_cm,
            "ramp_slope_pct" => &mut self.ramp_slope_pct,
            "door_width_cm" => &mut self.door_width_cm,
            "toilet_door_cm" => &mut self.toilet_door_cm,
            "parking_count" => &mut self.parking_count,
            "parking_distance_m" => &mut self.parking_distance_m,
            _ => return,
        };
        *slot = v;
    }

    /// Fills what this audit does not know from an older one (this one wins where both know).
    pub fn fill_from(&mut self, older: &Audit) {
        for (f, _) in TRI_FIELDS {
            if self.tri(f).is_none() {
                self.set_tri(f, older.tri(f));
            }
        }
        for (f, _, _) in NUM_FIELDS {
            if self.num(f).is_none() {
                self.set_num(f, older.num(f));
            }
        }
        for (mine, theirs) in [
            (&mut self.notes_wheelchair, &older.notes_wheelchair),
            (&mut self.notes_blind, &older.notes_blind),
            (&mut self.notes_deaf, &older.notes_deaf),
        ] {
            if mine.is_empty() {
                mine.clone_from(theirs);
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Confidence {
    None,
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn code(self) -> &'static str {
        match self {
            Confidence::None => "none",
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    pub fn parse(s: &str) -> Confidence {
        match s {
            "low" => Confidence::Low,
            "medium" => Confidence::Medium,
            "high" => Confidence::High,
            _ => Confidence::None,
        }
    }

    pub fn label(self) -> K {
        match self {
            Confidence::None => K::map_conf_none,
            Confidence::Low => K::map_conf_low,
            Confidence::Medium => K::map_conf_medium,
            Confidence::High => K::map_conf_high,
        }
    }

    fn lower(self) -> Confidence {
        match self {
            Confidence::High => Confidence::Medium,
            _ => Confidence::Low.min(self),
        }
    }
}

/// One audit as stored: who stands behind it and when it was checked on the spot.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditRecord {
    pub audit: Audit,
    /// Day (days since 1970-01-01) the place was checked.
    pub checked_day: i64,
    /// Verified by a moderator or a member of the organisation running the campaign.
    pub verified: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Combined {
    pub audit: Audit,
    pub confidence: Confidence,
    /// The day the winning audit was checked (shown as "verified on").
    pub verified_day: Option<i64>,
}

/// Two years: after that an audit may describe a building that has changed.
pub const FRESH_DAYS: i64 = 730;

/// Combines the audits of a place: the newest verified audit wins on conflicts (else the newest
/// one), older audits fill in what it does not know. Confidence grows with verification, agreement
/// and freshness; open confirmed problem reports lower it one step (the place may have changed).
pub fn combine(records: &[AuditRecord], open_confirmed_reports: i64, today: i64) -> Combined {
    if records.is_empty() {
        return Combined { audit: Audit::default(), confidence: Confidence::None, verified_day: None };
    }
    let mut order: Vec<&AuditRecord> = records.iter().collect();
    // Verified first, then newest first.
    order.sort_by(|a, b| b.verified.cmp(&a.verified).then(b.checked_day.cmp(&a.checked_day)));
    let winner = order[0];
    let mut audit = winner.audit.clone();
    for older in &order[1..] {
        audit.fill_from(&older.audit);
    }
    let fresh = today - winner.checked_day <= FRESH_DAYS;
    let rating = rate(&audit).0;
    let agreeing = records.iter().filter(|r| rate(&r.audit).0 == rating).count();
    let mut confidence = match (winner.verified, fresh, agreeing >= 2) {
        (true, true, true) => Confidence::High,
        (true, true, false) | (false, true, true) | (true, false, true) => Confidence::Medium,
        _ => Confidence::Low,
    };
    if rating == Rating::Unknown {
        confidence = Confidence::Low;
    }
    if open_confirmed_reports > 0 {
        confidence = confidence.lower();
    }
    Combined { audit, confidence, verified_day: Some(winner.checked_day) }
}

/// Parses the audit form: tri-state fields and bounded numbers; messages land next to the field.
pub fn parse_audit(fields: &HashMap<String, String>, form: &mut crate::error::FormState) -> Audit {
    let mut a = Audit::default();
    for (f, _) in TRI_FIELDS {
        let v = match fields.get(*f).map(|s| s.trim()) {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        };
        a.set_tri(f, v);
    }
    for (f, _, max) in NUM_FIELDS {
        let raw = fields.get(*f).map(|s| s.trim()).unwrap_or("");
        if raw.is_empty() {
            continue;
        }
        match raw.parse::<i64>() {
            Ok(n) if (0..=*max).contains(&n) => a.set_num(f, Some(n)),
            _ => form.add_with(&format!("audit[{f}]"), K::map_err_number, &[("max", &max.to_string())]),
        }
    }
    let note = |k: &str| fields.get(k).map(|s| crate::text::clean_text(s, 1000)).unwrap_or_default();
    a.notes_wheelchair = note("notes_wheelchair");
    a.notes_blind = note("notes_blind");
    a.notes_deaf = note("notes_deaf");
    a
}

/// The day an audit was checked on the spot: today when left empty, never a day still to come.
/// `None` = the date is refused.
pub fn check_audit_day(checked_on: &str, today: i64) -> Option<i64> {
    let day = if checked_on.trim().is_empty() { Some(today) } else { super::parse_day(checked_on) };
    day.filter(|d| *d <= today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a() -> Audit {
        Audit::default()
    }

    #[test]
    fn newest_verified_audit_wins_and_older_fill_gaps() {
        let today = 20_000;
        let old = AuditRecord {
            audit: Audit { steps: Some(3), toilet: Some(true), ..a() },
            checked_day: today - 400,
            verified: true,
        };
        let newer_unverified =
            AuditRecord { audit: Audit { steps: Some(5), ..a() }, checked_day: today - 10, verified: false };
        let new_verified = AuditRecord {
            audit: Audit { step_free: Some(true), steps: Some(0), ..a() },
            checked_day: today - 30,
            verified: true,
        };
        let c = combine(&[old.clone(), newer_unverified.clone(), new_verified.clone()], 0, today);
        assert_eq!(c.audit.steps, Some(0), "newest verified wins over a newer unverified audit");
        assert_eq!(c.audit.toilet, Some(true), "gaps filled from older audits");
        assert_eq!(c.verified_day, Some(today - 30));
        assert_eq!(c.confidence, Confidence::Medium);
        // Two agreeing audits, the winner verified and fresh: high; a confirmed open report lowers it.
        let again = AuditRecord { checked_day: today - 100, verified: false, ..new_verified.clone() };
        assert_eq!(combine(&[new_verified.clone(), again.clone()], 0, today).confidence, Confidence::High);
        assert_eq!(combine(&[new_verified.clone(), again], 1, today).confidence, Confidence::Medium);
        // One unverified audit: low; none: none; stale: low.
        assert_eq!(combine(&[newer_unverified], 0, today).confidence, Confidence::Low);
        assert_eq!(combine(&[], 0, today).confidence, Confidence::None);
        let stale = AuditRecord { checked_day: today - 3 * 365, ..new_verified };
        assert_eq!(combine(&[stale], 0, today).confidence, Confidence::Low);
    }

    #[test]
    fn the_form_reads_tri_states_numbers_and_notes() {
        let fields: HashMap<String, String> = [
            ("step_free", "no"),
            ("lift", "yes"),
            ("toilet", "maybe"),
            ("steps", " 3 "),
            ("door_width_cm", "9000"),
            ("notes_blind", "  Bandă podotactilă "),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mut form = crate::error::FormState::new();
        let a = parse_audit(&fields, &mut form);
        assert_eq!((a.step_free, a.lift, a.toilet), (Some(false), Some(true), None), "anything else is unknown");
        assert_eq!(a.steps, Some(3));
        assert_eq!(a.door_width_cm, None, "out of range is not kept");
        assert_eq!(a.notes_blind, "Bandă podotactilă");
        assert!(!form.is_ok());
        assert_eq!(form.errors[0].field, "audit[door_width_cm]");
    }

    #[test]
    fn an_audit_day_is_today_or_before() {
        let today = crate::fmt::days_from_civil(2026, 3, 2);
        assert_eq!(check_audit_day("", today), Some(today));
        assert_eq!(check_audit_day("2026-03-01", today), Some(today - 1));
        assert_eq!(check_audit_day("2026-03-03", today), None, "not in the future");
        assert_eq!(check_audit_day("2026-02-30", today), None, "not a day");
    }
}
