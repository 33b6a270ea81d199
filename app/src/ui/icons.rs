//! Small inline SVG icons. Characters such as 🚻 or ⏰ are missing from the fonts of many phones
//! (they show as empty boxes), so icons are drawn here. An icon is always decoration next to
//! words (`aria-hidden`), never the only label.
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IconName {
    Check,
    Cross,
    Alert,
    Question,
    Clock,
    /// The wheelchair of the accessible toilet badge.
    Wheelchair,
    Braille,
    Ear,
}

const STROKE: &str =
    r#"fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round""#;

impl IconName {
    /// The shapes inside a 24×24 view box.
    fn markup(self) -> String {
        match self {
            IconName::Check => format!(r#"<path {STROKE} d="M4.5 12.5l5 5L19.5 7"/>"#),
            IconName::Cross => format!(r#"<path {STROKE} d="M6.5 6.5l11 11M17.5 6.5l-11 11"/>"#),
            IconName::Alert => {
                format!(r#"<path {STROKE} d="M12 4.5v9.5"/><circle cx="12" cy="19" r="1.8" fill="currentColor"/>"#)
            }
            IconName::Question => format!(
                r#"<path {STROKE} d="M8.5 8.5a3.5 3.5 0 1 1 5.2 3.1c-1.1.6-1.7 1.3-1.7 2.6v.3"/><circle cx="12" cy="19" r="1.7" fill="currentColor"/>"#
            ),
            IconName::Clock => format!(r#"<circle {STROKE} cx="12" cy="12" r="8.5"/><path {STROKE} d="M12 7.5V12l3 2"/>"#),
            IconName::Wheelchair => format!(
                r#"<circle cx="11" cy="3.8" r="2" fill="currentColor"/><path {STROKE} d="M11 7v6.5h5.5l2.5 5.5"/><path {STROKE} d="M11 10h4"/><path {STROKE} d="M7.5 11.2a5.5 5.5 0 1 0 7.8 6.3"/>"#
            ),
            IconName::Braille => r#"<g fill="currentColor"><circle cx="8" cy="5" r="2.3"/><circle cx="16" cy="5" r="2.3"/><circle cx="8" cy="12" r="2.3"/><circle cx="16" cy="19" r="2.3"/></g><g fill="none" stroke="currentColor" stroke-width="1.3"><circle cx="16" cy="12" r="1.8"/><circle cx="8" cy="19" r="1.8"/></g>"#.to_string(),
            IconName::Ear => format!(
                r#"<path {STROKE} d="M7 9.5a5.5 5.5 0 1 1 10.2 2.8c-1.1 1.7-2.7 2.4-2.7 4.7a3 3 0 0 1-5.3 1.9"/><path {STROKE} d="M10 10a2.3 2.3 0 1 1 3.8 1.7"/>"#
            ),
        }
    }
}

impl IconName {
    /// The whole `<svg>` element as text, for markup built outside a view (the map's markers).
    pub fn svg(self) -> String {
        format!(
            r#"<svg class="icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="1em" height="1em">{}</svg>"#,
            self.markup()
        )
    }
}

/// An icon the size of the text around it, hidden from assistive technology: put words beside it.
#[component]
pub fn Icon(name: IconName) -> impl IntoView {
    view! {
        <svg
            class="icon"
            aria-hidden="true"
            focusable="false"
            viewBox="0 0 24 24"
            width="1em"
            height="1em"
            inner_html=name.markup()
        ></svg>
    }
}
