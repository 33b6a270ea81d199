//! Text helpers every feature uses: typed text made safe to keep, values made safe to put in a URL
//! or in HTML. Shared layer: no feature imported here.

/// One line of typed text: trimmed, control characters dropped, at most `max` characters.
pub fn clean_text(raw: &str, max: usize) -> String {
    raw.trim().chars().filter(|c| !c.is_control()).take(max).collect()
}

/// Several lines of typed text: line breaks kept (as `\n`), other control characters dropped.
pub fn clean_multiline(raw: &str, max: usize) -> String {
    raw.replace("\r\n", "\n").trim().chars().filter(|c| *c == '\n' || !c.is_control()).take(max).collect()
}

/// A value for a query string (`application/x-www-form-urlencoded`: a space becomes `+`).
pub fn encode_query(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Text safe inside HTML or XML, in content and in double-quoted attributes.
pub fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_bounded_and_safe() {
        assert_eq!(clean_text("  Ana\u{0}\u{7} Pop  ", 80), "Ana Pop");
        assert_eq!(clean_text("abcdef", 3), "abc");
        assert_eq!(clean_multiline(" a\r\nb\u{1}c ", 80), "a\nbc");
        assert_eq!(encode_query("Focșani & co"), "Foc%C8%99ani+%26+co");
        assert_eq!(escape_html("<a href=\"x\">&</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    }
}
