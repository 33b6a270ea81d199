//! User text in Markdown, rendered to HTML and sanitised by a maintained allow-list (ammonia):
//! no scripts, no event handlers, no `javascript:` links, whatever anyone types.
pub fn render(md: &str) -> String {
    let mut opts = pulldown_cmark::Options::empty();
    opts.insert(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    opts.insert(pulldown_cmark::Options::ENABLE_TABLES);
    let parser = pulldown_cmark::Parser::new_ext(md, opts);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::Builder::default()
        .link_rel(Some("nofollow noopener noreferrer"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(&html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_renders_and_scripts_do_not() {
        assert!(render("**rampă** la intrare").contains("<strong>rampă</strong>"));
        for evil in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<svg onload=alert(1)>",
        ] {
            let out = render(evil);
            assert!(
                !out.contains("<script")
                    && !out.contains("onerror")
                    && !out.contains("javascript:")
                    && !out.contains("<iframe")
                    && !out.contains("onload"),
                "{evil} → {out}"
            );
        }
        assert!(render("[site](https://exemplu.ro)").contains("rel=\"nofollow noopener noreferrer\""));
    }
}
