//! Event rules without a database: kinds, seats and the waiting list, the calendar file, what a
//! valid announcement is.
use crate::i18n::K;
use crate::text::clean_text;
use serde::{Deserialize, Serialize};

pub const KINDS: [&str; 4] = ["training", "workshop", "networking", "debate"];

pub fn kind_label(code: &str) -> K {
    match code {
        "training" => K::event_kind_training,
        "workshop" => K::event_kind_workshop,
        "networking" => K::event_kind_networking,
        _ => K::event_kind_debate,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Seat {
    Confirmed,
    Waitlisted,
}

impl Seat {
    pub fn code(self) -> &'static str {
        match self {
            Seat::Confirmed => "confirmed",
            Seat::Waitlisted => "waitlisted",
        }
    }
}

/// A new registration gets a seat while there is room (capacity 0 means no limit), else a place
/// on the waiting list.
pub fn seat_for(capacity: i64, confirmed: i64) -> Seat {
    if capacity <= 0 || confirmed < capacity {
        Seat::Confirmed
    } else {
        Seat::Waitlisted
    }
}

/// How many people move up from the waiting list when seats free up.
pub fn to_promote(capacity: i64, confirmed: i64, waiting: i64) -> i64 {
    if capacity <= 0 {
        waiting
    } else {
        (capacity - confirmed).clamp(0, waiting)
    }
}

fn ics_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n").replace('\r', "")
}

fn ics_time(utc: i64) -> String {
    crate::fmt::iso_utc(utc).replace(['-', ':'], "")
}

/// An RFC 5545 calendar with one event, times in UTC.
pub fn ics(
    uid: &str,
    title: &str,
    description: &str,
    location: &str,
    url: &str,
    start: i64,
    end: i64,
    stamp: i64,
) -> String {
    let lines = [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//Participa//Events//RO".into(),
        "CALSCALE:GREGORIAN".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:{uid}"),
        format!("DTSTAMP:{}", ics_time(stamp)),
        format!("DTSTART:{}", ics_time(start)),
        format!("DTEND:{}", ics_time(end)),
        format!("SUMMARY:{}", ics_escape(title)),
        format!("DESCRIPTION:{}", ics_escape(description)),
        format!("LOCATION:{}", ics_escape(location)),
        format!("URL:{url}"),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ];
    lines.join("\r\n") + "\r\n"
}

/// What an organisation's admin typed to announce an event, before checking.
#[derive(Clone, Debug, Default)]
pub struct EventForm {
    pub title: String,
    pub description: String,
    pub kind: String,
    pub date: String,
    pub time: String,
    pub duration_minutes: String,
    pub place: String,
    pub online_url: String,
    pub capacity: String,
}

/// A checked event (times in UTC seconds; capacity 0 means no limit).
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedEvent {
    pub title: String,
    pub description: String,
    pub kind: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub online_url: String,
    pub capacity: i64,
    /// The readable part of its address (a random suffix makes it unique).
    pub slug_base: String,
}

/// Checks an announcement; the errors come back per field. It must start in the future, last from
/// a quarter of an hour to a day, and happen somewhere: a place, a link, or both.
pub fn check_event(f: &EventForm, now: i64) -> Result<CheckedEvent, Vec<(&'static str, K)>> {
    let mut errs = vec![];
    let title = clean_text(&f.title, 150);
    if title.chars().count() < 3 {
        errs.push(("title", K::err_required));
    }
    if !KINDS.contains(&f.kind.as_str()) {
        errs.push(("kind", K::err_choose));
    }
    let start = crate::fmt::parse_local(&f.date, &f.time);
    match start {
        None => errs.push(("date", K::err_date)),
        Some(s) if s < now => errs.push(("date", K::err_date_past)),
        _ => {}
    }
    let minutes: i64 = f.duration_minutes.trim().parse().unwrap_or(-1);
    if !(15..=24 * 60).contains(&minutes) {
        errs.push(("duration_minutes", K::err_duration));
    }
    let capacity: i64 = if f.capacity.trim().is_empty() { 0 } else { f.capacity.trim().parse().unwrap_or(-1) };
    if !(0..=100_000).contains(&capacity) {
        errs.push(("capacity", K::err_capacity));
    }
    let online = clean_text(&f.online_url, 300);
    if !online.is_empty() && !online.starts_with("https://") {
        errs.push(("online_url", K::err_url));
    }
    if f.place.trim().is_empty() && online.is_empty() {
        errs.push(("place", K::err_place_or_link));
    }
    let (Some(start), true) = (start, errs.is_empty()) else { return Err(errs) };
    let slug_base =
        crate::types::Slug::from_name(&title).map(|s| s.as_str().to_string()).unwrap_or_else(|| "eveniment".into());
    Ok(CheckedEvent {
        title,
        description: clean_text(&f.description, 4000),
        kind: f.kind.clone(),
        starts_at: start,
        ends_at: start + minutes * 60,
        place: clean_text(&f.place, 200),
        online_url: online,
        capacity,
        slug_base,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_then_waiting_list() {
        assert_eq!(seat_for(2, 0), Seat::Confirmed);
        assert_eq!(seat_for(2, 1), Seat::Confirmed);
        assert_eq!(seat_for(2, 2), Seat::Waitlisted);
        assert_eq!(seat_for(0, 500), Seat::Confirmed, "no limit");
        assert_eq!(to_promote(2, 1, 3), 1);
        assert_eq!(to_promote(2, 2, 3), 0);
        assert_eq!(to_promote(5, 1, 2), 2, "never more than are waiting");
        assert_eq!(to_promote(0, 9, 4), 4);
    }

    #[test]
    fn calendar_file_is_rfc5545() {
        let start = crate::fmt::parse_local("2026-12-05", "18:00").unwrap();
        let c = ics(
            "e1@participa",
            "Atelier: rampe, borduri; acces",
            "Linia 1\nLinia 2",
            "Focșani",
            "https://x/e",
            start,
            start + 7200,
            start,
        );
        assert!(c.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(c.contains("DTSTART:20261205T160000Z\r\n"), "{c}");
        assert!(c.contains("DTEND:20261205T180000Z"));
        assert!(c.contains("SUMMARY:Atelier: rampe\\, borduri\\; acces"));
        assert!(c.ends_with("END:VCALENDAR\r\n"));
    }

    fn form() -> EventForm {
        EventForm {
            title: " Atelier: harta accesibilității ".into(),
            description: "Cartografiem rampele.".into(),
            kind: "workshop".into(),
            date: "2026-12-05".into(),
            time: "18:00".into(),
            duration_minutes: "120".into(),
            place: " Focșani ".into(),
            online_url: "".into(),
            capacity: "".into(),
        }
    }

    #[test]
    fn an_announcement_is_checked_and_timed() {
        let now = crate::fmt::parse_local("2026-11-01", "12:00").unwrap();
        let e = check_event(&form(), now).unwrap();
        assert_eq!(
            (e.title.as_str(), e.place.as_str(), e.slug_base.as_str()),
            ("Atelier: harta accesibilității", "Focșani", "atelier-harta-accesibilitatii")
        );
        assert_eq!((e.ends_at - e.starts_at, e.capacity), (7200, 0));
        assert_eq!(crate::fmt::iso_utc(e.starts_at), "2026-12-05T16:00:00Z", "Bucharest time");
        let bad = EventForm {
            title: "A".into(),
            kind: "party".into(),
            date: "2026-10-01".into(),
            duration_minutes: "5".into(),
            capacity: "-3".into(),
            online_url: "http://x.ro".into(),
            place: " ".into(),
            ..form()
        };
        let fields: Vec<&str> = check_event(&bad, now).unwrap_err().iter().map(|e| e.0).collect();
        assert_eq!(fields, ["title", "kind", "date", "duration_minutes", "capacity", "online_url"]);
        let nowhere = EventForm { place: "".into(), ..form() };
        assert_eq!(check_event(&nowhere, now).unwrap_err(), [("place", K::err_place_or_link)]);
        let unreadable = EventForm { date: "mâine".into(), ..form() };
        assert_eq!(check_event(&unreadable, now).unwrap_err(), [("date", K::err_date)]);
    }
}
