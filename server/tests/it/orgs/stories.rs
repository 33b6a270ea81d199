//! Stories: Markdown kept safe, the Atom feed.
use super::*;

#[tokio::test]
async fn stories_render_markdown_safely_and_reach_the_feed() {
    use app::orgs::stories::*;
    for kind in backends() {
        let s = spawn(kind).await;
        let admin = verified_user(&s, "autor@exemplu.ro").await;
        s.call(&admin, RegisterOrg::PATH, &org_form("Grupul Povești", "informal", "")).await;
        let org: OrgProfile = s.call(&admin, GetOrg::PATH, &[("slug", "grupul-povesti")]).await.json().await.unwrap();
        let id = org.card.id.to_string();
        let body = "**Am reușit!** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>";
        let form = [
            ("org_id", id.as_str()),
            ("title", "Rampa nouă"),
            ("summary", "Primăria a construit rampa."),
            ("body", body),
            ("domain", "disability"),
            ("locality", "Focșani"),
        ];
        let stranger = verified_user(&s, "altcineva@exemplu.ro").await;
        let res = s.call(&stranger, CreateStory::PATH, &form).await;
        assert_eq!(error_of(res).await, Problem::Forbidden);
        let res = s.call(&admin, CreateStory::PATH, &form).await;
        let location = res.headers()["location"].to_str().unwrap().to_string();
        let slug = location.trim_start_matches("/stories/");
        let story: StoryView = s.call(&s.client, GetStory::PATH, &[("slug", slug)]).await.json().await.unwrap();
        assert!(story.html.contains("<strong>Am reușit!</strong>"));
        for bad in ["<script", "javascript:", "onerror"] {
            assert!(!story.html.contains(bad), "{bad} in {}", story.html);
        }
        let page = s.get(&s.client, &location).await.text().await.unwrap();
        assert!(!page.contains("<script>alert(1)</script>"), "inert on the page too");
        let feed = s.get(&s.client, "/stories/feed.atom").await.text().await.unwrap();
        assert!(feed.contains("<title>Rampa nouă</title>"));
        assert!(feed.contains("Cum am obținut o rampă la bibliotecă"), "demo stories are in the feed");
    }
}
