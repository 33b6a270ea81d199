//! The report page in pages of 100 comments (or one article's), on SQLite and PostgreSQL: the
//! totals over every comment on the first page, bad page numbers never fail, the page stays small,
//! hidden comments stay blanked on every page, and the CSV stays whole.
use super::*;
use app::consultations::db::{self as cdb, NewComment};
use app::consultations::rules::report_page::ReportPage;
use app::consultations::rules::split::UnitKind;
use app::consultations::rules::{Answer, CommentStatus, Stance, Status};

const SLUG: &str = "raport-pe-pagini";
const COMMENTS: usize = 250;
/// Comments 0..20 are on the whole draft, 20..150 on Art. 1, 150..250 on Art. 2.
const GENERAL: usize = 20;
const ART1: usize = 130;
/// A few lines of text per comment, as real comments have.
const FILLER: &str = "Propunem ca lucrările să înceapă în primăvară, cu trotuarele refăcute întâi, cu rampe la fiecare trecere de pietoni și cu stâlpii mutați de pe traseul pietonal; bugetul să fie publicat pe capitole, iar graficul lucrărilor anunțat locuitorilor din timp.";

fn hidden(i: usize) -> bool {
    i % 25 == 7
}

fn marker(i: usize) -> String {
    format!("ASCUNS-{i:03}-MARCAJ")
}

/// The register number of comment `i` ("Comentariul nr. 042:") as the page shows it.
fn nr(i: usize) -> String {
    format!("Comentariul nr. {i:03}:")
}

struct Fixture {
    /// Positions of Art. 1 and Art. 2.
    art: [i64; 2],
    /// Expected totals: stance (for, against, neutral), answers (accepted, partial, rejected, noted, none).
    stance: [i64; 3],
    answers: [i64; 5],
    /// Bytes of every comment's text: a page holding them all is at least this big.
    text_bytes: usize,
}

/// A consultation with a published report and 250 comments (a hidden one every 25), stored
/// through the data layer in one transaction, some answered.
async fn seed(s: &TestServer) -> Fixture {
    let owner = id_of(s, "authorities", "primaria-municipiului-focsani").await;
    let author =
        app::accounts::db::create_user(&s.db, "autor-raport@exemplu.ro", "!", "Ana Autor", "ro").await.unwrap();
    let n = app::ssr::now();
    let units = app::consultations::rules::split::split(DRAFT);
    let c = super::bench::test_consultation(
        (SLUG, "Raport pe pagini", "250 de comentarii."),
        owner,
        DRAFT,
        n - 30 * 86_400,
        n - 86_400,
    );
    let cid = cdb::insert(&s.db, &c, &units).await.unwrap();
    let stored = cdb::units(&s.db, cid, 1).await.unwrap();
    let arts: Vec<_> = stored.iter().filter(|u| u.kind == UnitKind::Article).collect();
    assert_eq!(arts.len(), 2);
    let mut f = Fixture { art: [arts[0].position, arts[1].position], stance: [0; 3], answers: [0; 5], text_bytes: 0 };
    let mut new = vec![];
    for i in 0..COMMENTS {
        let unit = if i < GENERAL {
            None
        } else if i < GENERAL + ART1 {
            Some(arts[0])
        } else {
            Some(arts[1])
        };
        let body = if hidden(i) { format!("{} {FILLER}", marker(i)) } else { format!("{} {FILLER}", nr(i)) };
        f.text_bytes += body.len();
        f.stance[i % 3] += 1;
        new.push(NewComment {
            consultation_id: cid,
            version: 1,
            unit_id: unit.map(|u| u.id),
            unit_position: unit.map(|u| u.position).unwrap_or(-1),
            paragraph: String::new(),
            parent_id: None,
            depth: 0,
            user_id: author,
            org_id: None,
            stance: Stance::ALL[i % 3],
            body,
            alternative: if hidden(i) { format!("ALTERNATIVA-{}", marker(i)) } else { String::new() },
            status: if hidden(i) { CommentStatus::Hidden } else { CommentStatus::Visible },
            created_at: n - 2 * 86_400 + i as i64,
        });
    }
    let ids: Vec<i64> = cdb::insert_comments(&s.db, &new).await.unwrap().into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids.len(), COMMENTS);
    sqlx::query(
        "UPDATE consultation_comments SET status_reason = 'reclamă' WHERE consultation_id = $1 AND status = 'hidden'",
    )
    .bind(cid)
    .execute(&s.db.pool)
    .await
    .unwrap();
    // Comments 0..200 answered in turn (accepted, partial, rejected, noted); the last 50 not.
    for (k, answer) in Answer::ALL.into_iter().enumerate() {
        let some: Vec<i64> = (0..200).filter(|i| i % 4 == k).map(|i| ids[i]).collect();
        let done = cdb::answer(&s.db, cid, &some, answer, "Motivarea răspunsului.", author).await.unwrap();
        f.answers[k] = done.len() as i64;
    }
    f.answers[4] = (COMMENTS - 200) as i64;
    cdb::set_status(&s.db, cid, Status::Answered).await.unwrap();
    sqlx::query("UPDATE consultations SET report_published_at = $1 WHERE id = $2")
        .bind(n)
        .bind(cid)
        .execute(&s.db.pool)
        .await
        .unwrap();
    f
}

async fn report(s: &TestServer, c: &reqwest::Client, page: &str, article: &str) -> ReportPage {
    let res = s.call(c, GetReport::PATH, &[("slug", SLUG), ("page", page), ("article", article)]).await;
    assert_eq!(res.status(), 200, "{:?} page {page:?} article {article:?}", s.kind);
    let body = res.text().await.unwrap();
    assert!(!body.contains("ASCUNS-"), "{:?} page {page:?} article {article:?}: hidden text leaked", s.kind);
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn texts(p: &ReportPage) -> Vec<String> {
    p.sections.iter().flat_map(|s| &s.rows).map(|r| r.body.clone()).collect()
}

async fn html(s: &TestServer, c: &reqwest::Client, query: &str) -> String {
    let res = s.get(c, &format!("/consultations/{SLUG}/report{query}")).await;
    assert_eq!(res.status(), 200, "{:?} {query}", s.kind);
    let body = res.text().await.unwrap();
    assert!(!body.contains("ASCUNS-"), "{:?} {query}: hidden text leaked in the page", s.kind);
    body
}

#[tokio::test]
async fn the_report_page_shows_100_comments_a_page_with_the_totals_on_the_first() {
    for kind in backends() {
        let s = spawn(kind).await;
        let f = seed(&s).await;
        let anon = client();

        // The first page: 100 comments in the report's order and the totals over all 250.
        let p1 = report(&s, &anon, "", "").await;
        assert_eq!((p1.page, p1.pages, p1.total, p1.all, p1.article), (1, 3, 250, 250, None), "{kind:?}");
        let sum = p1.summary.clone().expect("the totals on the first page");
        assert_eq!(sum.totals.stance, f.stance, "{kind:?}");
        assert_eq!(sum.totals.answers, f.answers, "{kind:?}");
        let per_article: Vec<(i64, i64)> = sum.articles.iter().map(|a| (a.position, a.counts.total())).collect();
        assert_eq!(per_article, [(-1, 20), (f.art[0], 130), (f.art[1], 100)], "{kind:?}");
        assert_eq!(p1.articles.len(), 3);
        let t1 = texts(&p1);
        assert_eq!(t1.len(), 100, "{kind:?}");
        assert!(t1[0].starts_with(&nr(0)) && t1[99].starts_with(&nr(99)), "{kind:?}: the report's order");
        assert_eq!(t1[7], "", "{kind:?}: a hidden comment is blanked");
        // Page 2 follows on; page 3 holds the last 50; neither carries the totals.
        let p2 = report(&s, &anon, "2", "").await;
        assert!(p2.summary.is_none());
        assert!(texts(&p2)[0].starts_with(&nr(100)), "{kind:?}");
        let p3 = report(&s, &anon, "3", "").await;
        let t3 = texts(&p3);
        assert_eq!((p3.page, t3.len()), (3, 50), "{kind:?}");
        assert!(p3.summary.is_none() && t3[49].starts_with(&nr(249)), "{kind:?}");

        // One article, paged by 100 as well.
        let a1 = f.art[0].to_string();
        let art = report(&s, &anon, "", &a1).await;
        assert_eq!((art.page, art.pages, art.total, art.article), (1, 2, 130, Some(f.art[0])), "{kind:?}");
        assert!(art.summary.is_none(), "an article's page has no totals table");
        assert!(art.sections.iter().all(|s| s.position == f.art[0]) && texts(&art).len() == 100, "{kind:?}");
        let art2 = report(&s, &anon, "2", &a1).await;
        let t = texts(&art2);
        assert!(t.len() == 30 && t[0].starts_with(&nr(120)) && t[29].starts_with(&nr(149)), "{kind:?}");
        assert_eq!(texts(&report(&s, &anon, "", "general").await).len(), 20, "{kind:?}");
        let none = report(&s, &anon, "", "77").await;
        assert_eq!((none.total, none.pages, none.sections.len()), (0, 1, 0), "{kind:?}: an article without comments");

        // Page numbers that are not pages land on one, for the server function and the page.
        for (bad, page) in
            [("0", 1), ("-1", 1), ("999999", 3), ("abc", 1), ("99999999999999999999999", 3), ("1.5", 1), ("", 1)]
        {
            assert_eq!(report(&s, &anon, bad, "").await.page, page, "{kind:?} page={bad}");
            assert_eq!(report(&s, &anon, bad, "x").await.page, page, "{kind:?} page={bad}, a bad article");
            let h = html(&s, &anon, &format!("?page={bad}")).await;
            assert!(h.contains(&nr(if page == 1 { 0 } else { 200 })), "{kind:?} page={bad}");
        }
        for q in ["?page=%00", "?page=2&page=3", "?article=-5&page=-5", "?article=%FF", "?page=1e9"] {
            html(&s, &anon, q).await;
        }
    }
}

#[tokio::test]
async fn the_report_pages_stay_small_link_each_other_and_keep_hidden_comments_blank() {
    for kind in backends() {
        let s = spawn(kind).await;
        let f = seed(&s).await;
        let anon = client();

        let h1 = html(&s, &anon, "").await;
        assert!(h1.contains(&nr(0)) && h1.contains(&nr(99)) && !h1.contains(&nr(100)), "{kind:?}");
        assert!(h1.contains("Sinteză pe articole") && h1.contains("<table"), "{kind:?}: the totals on the first page");
        assert!(h1.contains("Comentariile 1–100 din 250"), "{kind:?}");
        assert!(h1.contains("aria-label=\"Paginile raportului\""), "{kind:?}: the pager is a named landmark");
        assert!(h1.contains("aria-current=\"page\"") && h1.contains("rel=\"next\"") && !h1.contains("rel=\"prev\""));
        assert!(h1.contains(&format!("href=\"/consultations/{SLUG}/report?page=2\"")), "{kind:?}");
        // The article chooser is a plain GET form.
        assert!(h1.contains("method=\"get\"") && h1.contains("name=\"article\"") && h1.contains("value=\"general\""));
        assert!(h1.contains("Ascuns de moderator: reclamă"), "{kind:?}: why a comment is hidden");

        let h3 = html(&s, &anon, "?page=3").await;
        assert!(h3.contains(&nr(200)) && h3.contains(&nr(249)) && !h3.contains(&nr(199)), "{kind:?}");
        assert!(!h3.contains("<table"), "{kind:?}: no totals table after the first page");
        assert!(h3.contains("Comentariile 201–250 din 250"), "{kind:?}: the summary line");
        assert!(h3.contains(&format!("href=\"/consultations/{SLUG}/report\"")), "{kind:?}: the way back to the totals");
        assert!(h3.contains("rel=\"prev\"") && !h3.contains("rel=\"next\""), "{kind:?}");

        let a2 = f.art[1];
        let ha = html(&s, &anon, &format!("?article={a2}")).await;
        assert!(ha.contains(&nr(150)) && ha.contains(&nr(249)), "{kind:?}");
        assert!(!ha.contains(&nr(0)) && !ha.contains(&nr(149)), "{kind:?}: only that article's comments");
        let option = ha.split(&format!("<option value=\"{a2}\"")).nth(1).and_then(|o| o.split('>').next());
        assert!(option.is_some_and(|o| o.contains("selected")), "{kind:?}: the chooser shows the article: {option:?}");

        // Small pages: each is well under what one page of all 250 comments would weigh (their text
        // alone, which today's single page held, in its markup and again in its data).
        let h2 = html(&s, &anon, "?page=2").await;
        println!(
            "{kind:?}: report pages of 250 comments: {} / {} / {} bytes; the text of all: {} bytes",
            h1.len(),
            h2.len(),
            h3.len(),
            f.text_bytes
        );
        for (h, name) in [(&h1, "first"), (&h2, "second"), (&h3, "third"), (&ha, "article")] {
            assert!(h.len() < f.text_bytes * 2, "{kind:?}: the {name} page weighs {} bytes", h.len());
            assert!(h.len() < 160_000, "{kind:?}: the {name} page weighs {} bytes", h.len());
        }

        // Hidden comments: blank for a resident on every page; the organiser and a moderator read them.
        let (resident, _) = user(&s, "rezident-pagini@exemplu.ro", true).await;
        for page in ["1", "2", "3"] {
            report(&s, &resident, page, "").await;
            html(&s, &resident, &format!("?page={page}")).await;
        }
        let (admin, uid) = user(&s, "admin-pagini@exemplu.ro", true).await;
        grant(&s, uid, RoleKind::Admin, 0).await;
        for (page, i) in [("1", 7), ("3", 232)] {
            let body = s.call(&admin, GetReport::PATH, &[("slug", SLUG), ("page", page)]).await.text().await.unwrap();
            assert!(
                body.contains(&marker(i)) && body.contains(&format!("ALTERNATIVA-{}", marker(i))),
                "{kind:?} {page}"
            );
        }

        // The CSV stays whole, hidden text left out.
        let csv = s.get(&anon, &format!("/consultations/{SLUG}/report.csv")).await.text().await.unwrap();
        assert_eq!(csv.lines().count(), COMMENTS + 1, "{kind:?}: a header and every comment");
        assert!(csv.contains(&nr(0)) && csv.contains(&nr(249)) && !csv.contains("ASCUNS-"), "{kind:?}");
        let pdf = s.get(&anon, &format!("/consultations/{SLUG}/report.pdf")).await.bytes().await.unwrap();
        assert!(pdf.starts_with(b"%PDF"), "{kind:?}");
    }
}
