//! Story rules without a database: what a valid story is, and the Atom feed.
use super::StoryCard;
use crate::i18n::K;
use crate::orgs::catalogue::rules::DOMAINS;
use crate::text::{clean_text, escape_html as xml_escape};

/// What an organisation's admin typed for a story, before checking.
#[derive(Clone, Debug, Default)]
pub struct StoryForm {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub domain: String,
    pub locality: String,
}

/// A checked story; the body is Markdown, rendered (and sanitised) when shown.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedStory {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub domain: String,
    pub locality: String,
    /// The readable part of its address (a random suffix makes it unique).
    pub slug_base: String,
}

pub fn check_story(f: &StoryForm) -> Result<CheckedStory, Vec<(&'static str, K)>> {
    let mut errs = vec![];
    let title = clean_text(&f.title, 150);
    if title.chars().count() < 3 {
        errs.push(("title", K::err_required));
    }
    if clean_text(&f.summary, 300).chars().count() < 10 {
        errs.push(("summary", K::err_description));
    }
    if f.body.trim().chars().count() < 20 {
        errs.push(("body", K::err_story_body));
    }
    if !DOMAINS.contains(&f.domain.as_str()) {
        errs.push(("domain", K::err_choose));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    let slug_base =
        crate::types::Slug::from_name(&title).map(|s| s.as_str().to_string()).unwrap_or_else(|| "poveste".into());
    Ok(CheckedStory {
        title,
        summary: clean_text(&f.summary, 300),
        body: f.body.chars().take(20_000).collect(),
        domain: f.domain.clone(),
        locality: clean_text(&f.locality, 80),
        slug_base,
    })
}

/// An Atom 1.0 feed of the newest stories.
pub fn atom(base: &str, stories: &[StoryCard]) -> String {
    let updated =
        stories.first().map(|s| crate::fmt::iso_utc(s.published_at)).unwrap_or_else(|| crate::fmt::iso_utc(0));
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ro\">\n<title>Participa — povești de participare publică</title>\n<id>{base}/stories</id>\n<link rel=\"self\" href=\"{base}/stories/feed.atom\"/>\n<link href=\"{base}/stories\"/>\n<updated>{updated}</updated>\n"
    );
    for s in stories {
        let url = format!("{base}/stories/{}", s.slug);
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{url}</id>\n<link href=\"{url}\"/>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<summary>{}</summary>\n</entry>\n",
            xml_escape(&s.title),
            crate::fmt::iso_utc(s.published_at),
            xml_escape(s.org_name.as_deref().unwrap_or("Participa")),
            xml_escape(&s.summary)
        ));
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_feed_escapes_and_lists_entries() {
        let s = StoryCard {
            slug: "rampa".into(),
            title: "Rampă <nouă> & sigură".into(),
            summary: "Primăria a reparat rampa".into(),
            domain: "disability".into(),
            locality: "Focșani".into(),
            org_name: Some("Grupul DizAbil.Eu Vrancea".into()),
            published_at: 0,
        };
        let xml = atom("https://participa.example", &[s]);
        assert!(xml.contains("<title>Rampă &lt;nouă&gt; &amp; sigură</title>"));
        assert!(xml.contains("<id>https://participa.example/stories/rampa</id>"));
        assert!(xml.contains("<updated>1970-01-01T00:00:00Z</updated>"));
        assert_eq!(xml.matches("<entry>").count(), 1);
    }

    #[test]
    fn a_story_is_checked_per_field() {
        let f = StoryForm {
            title: " Rampă nouă ".into(),
            summary: "Primăria a reparat rampa.".into(),
            body: "Povestea pe larg, cu detalii.".into(),
            domain: "disability".into(),
            locality: " Focșani ".into(),
        };
        let s = check_story(&f).unwrap();
        assert_eq!(
            (s.title.as_str(), s.slug_base.as_str(), s.locality.as_str()),
            ("Rampă nouă", "rampa-noua", "Focșani")
        );
        let bad =
            StoryForm { title: "R".into(), summary: "scurt".into(), body: "scurt".into(), domain: "x".into(), ..f };
        let fields: Vec<&str> = check_story(&bad).unwrap_err().iter().map(|e| e.0).collect();
        assert_eq!(fields, ["title", "summary", "body", "domain"]);
    }
}
