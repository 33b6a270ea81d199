//! The kinds of mail the platform sends, registered by each feature at start (`app::init`), so the
//! shared mail queue knows which ones a person may switch off without knowing the features.
use crate::i18n::K;
use std::sync::OnceLock;

/// One kind of mail: its code (stored with each mail), the heading it is listed under in the
/// notification centre, its label there, and whether a person may switch it off.
#[derive(Debug)]
pub struct MailKind {
    pub code: &'static str,
    pub group: K,
    pub label: K,
    /// False for mail a person must get (it completes something they asked for).
    pub optional: bool,
}

impl MailKind {
    /// Mail a person must get: it completes something they asked for.
    pub const fn essential(code: &'static str, group: K, label: K) -> MailKind {
        MailKind { code, group, label, optional: false }
    }

    /// Mail a person may switch off in the notification centre.
    pub const fn optional(code: &'static str, group: K, label: K) -> MailKind {
        MailKind { code, group, label, optional: true }
    }
}

/// Switches off every optional kind at once, without losing the per-kind choices.
pub const PAUSE_ALL: &str = "*";

static REGISTRY: OnceLock<Vec<&'static MailKind>> = OnceLock::new();

/// Called once at start with every feature's kinds, in the order the notification centre lists
/// them; a second call changes nothing.
pub fn register(lists: &[&'static [MailKind]]) {
    REGISTRY.get_or_init(|| lists.iter().flat_map(|l| l.iter()).collect());
}

/// Every registered kind (none before `register`).
pub fn all() -> &'static [&'static MailKind] {
    REGISTRY.get().map(Vec::as_slice).unwrap_or(&[])
}

pub fn kind(code: &str) -> Option<&'static MailKind> {
    all().iter().copied().find(|k| k.code == code)
}

/// Whether a mail of this kind may go to someone with these saved choices (`(kind, enabled)` rows).
/// A kind nobody registered is essential: a new feature never silently drops mail.
pub fn allowed(code: &str, prefs: &[(String, bool)]) -> bool {
    allowed_in(all(), code, prefs)
}

fn allowed_in(kinds: &[&MailKind], code: &str, prefs: &[(String, bool)]) -> bool {
    let Some(k) = kinds.iter().find(|k| k.code == code) else { return true };
    if !k.optional {
        return true;
    }
    let paused = prefs.iter().any(|(c, on)| c == PAUSE_ALL && !on);
    let own = prefs.iter().find(|(c, _)| c == code).map(|(_, on)| *on);
    !paused && own.unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: &[MailKind] = &[
        MailKind { code: "verify", group: K::notify_group_account, label: K::notify_kind_verify, optional: false },
        MailKind { code: "event", group: K::notify_group_orgs, label: K::notify_kind_event, optional: false },
        MailKind {
            code: "event_reminder",
            group: K::notify_group_orgs,
            label: K::notify_kind_event_reminder,
            optional: true,
        },
    ];

    fn prefs(rows: &[(&str, bool)]) -> Vec<(String, bool)> {
        rows.iter().map(|(c, b)| (c.to_string(), *b)).collect()
    }

    #[test]
    fn essential_mail_always_goes() {
        let kinds: Vec<&MailKind> = KINDS.iter().collect();
        assert!(allowed_in(&kinds, "verify", &prefs(&[("verify", false), (PAUSE_ALL, false)])));
        assert!(allowed_in(&kinds, "event", &prefs(&[(PAUSE_ALL, false)])));
        // Unknown kinds are treated as essential, so a new feature never silently drops mail.
        assert!(allowed_in(&kinds, "something.new", &prefs(&[(PAUSE_ALL, false)])));
    }

    #[test]
    fn optional_mail_follows_the_choice_and_the_pause() {
        let kinds: Vec<&MailKind> = KINDS.iter().collect();
        assert!(allowed_in(&kinds, "event_reminder", &[]));
        assert!(!allowed_in(&kinds, "event_reminder", &prefs(&[("event_reminder", false)])));
        assert!(!allowed_in(&kinds, "event_reminder", &prefs(&[("event_reminder", true), (PAUSE_ALL, false)])));
        assert!(allowed_in(&kinds, "event_reminder", &prefs(&[("event_reminder", true), (PAUSE_ALL, true)])));
    }
}
