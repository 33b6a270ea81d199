//! The home page over real HTTP on SQLite and PostgreSQL: the three capabilities are links with
//! live figures (places mapped, consultations open now, money raised this month) that follow the
//! data, and nothing that exists is announced as "coming soon".

use crate::common::*;
use app::i18n::Lang;
use leptos::server_fn::ServerFn;
use sqlx::Row;
use std::time::Duration;

/// The text of every `<p class="figure">` on the page.
fn figures(html: &str) -> Vec<String> {
    html.split("<p class=\"figure\">")
        .skip(1)
        .filter_map(|rest| rest.split("</p>").next())
        .map(str::to_string)
        .collect()
}

async fn home(s: &TestServer, c: &reqwest::Client) -> String {
    let res = s.get(c, "/").await;
    assert_eq!(res.status(), 200);
    // Without the empty comments that separate text nodes for hydration.
    res.text().await.unwrap().replace("<!>", "")
}

async fn scalar(s: &TestServer, sql: &str, bind: i64) -> i64 {
    sqlx::query(sql).bind(bind).fetch_one(&s.db.pool).await.unwrap().get::<i64, _>(0)
}

/// The figures as the page should print them, counted here independently of the feature code.
async fn expected(s: &TestServer, lang: Lang) -> Vec<String> {
    let now = app::ssr::now();
    let places = scalar(s, "SELECT COUNT(*) FROM map_places WHERE id > $1", 0).await;
    let open = scalar(
        s,
        "SELECT COUNT(*) FROM consultations WHERE status = 'open' AND opens_at <= $1 AND closes_at > $1",
        now,
    )
    .await;
    let since = app::fmt::bucharest_month_start(now);
    let raised = scalar(
        s,
        "SELECT CAST(COALESCE(SUM(amount_bani), 0) AS BIGINT) FROM donation_ledger WHERE created_at >= $1",
        since,
    )
    .await;
    let n = |v: i64| app::fmt::number(lang, v);
    // Romanian counts: "1 loc", "19 locuri", "20 de locuri" (and again "101 locuri").
    let ro = |v: i64, one: &str, few: &str, other: &str| match v {
        1 => one.to_string(),
        0 => format!("0 {few}"),
        v if (1..=19).contains(&(v % 100)) => format!("{} {few}", n(v)),
        v => format!("{} de {other}", n(v)),
    };
    match lang {
        Lang::Ro => vec![
            ro(places, "Un loc pe hartă", "locuri pe hartă", "locuri pe hartă"),
            ro(open, "O consultare deschisă acum", "consultări deschise acum", "consultări deschise acum"),
            format!("{} strânși luna aceasta", app::fmt::lei(lang, raised)),
        ],
        Lang::En => vec![
            if places == 1 { "One place mapped".into() } else { format!("{} places mapped", n(places)) },
            if open == 1 { "One consultation open now".into() } else { format!("{} consultations open now", n(open)) },
            format!("{} raised this month", app::fmt::lei(lang, raised)),
        ],
    }
}

async fn add_place(s: &TestServer) {
    let p = app::map::db::NewPlace {
        name: "Biblioteca Județeană Duiliu Zamfirescu".into(),
        category: "library".into(),
        address: "Bulevardul Independenței 13".into(),
        locality: "Focșani".into(),
        county: "Vrancea".into(),
        lat: 45.6966,
        lon: 27.1865,
        ..Default::default()
    };
    app::map::db::insert_place(&s.db.pool, &p, None, false).await.unwrap();
}

/// A consultation of the first authority, through the feature's own SQL; `open` publishes it
/// (taking comments from yesterday to next month), otherwise it stays a draft.
async fn add_consultation(s: &TestServer, slug: &str, open: bool) {
    let authority: i64 = sqlx::query("SELECT MIN(id) FROM authorities").fetch_one(&s.db.pool).await.unwrap().get(0);
    let now = app::ssr::now();
    let c = app::consultations::db::NewConsultation {
        slug: slug.into(),
        title: "Regulamentul parcărilor de reședință".into(),
        summary: "Locuri de parcare pentru riverani.".into(),
        topics: vec!["urbanism".into()],
        locality: "Focșani".into(),
        county: "Vrancea".into(),
        owner_kind: "authority".into(),
        owner_id: authority,
        draft_text: "Art. 1. Obiect\nSe aprobă regulamentul.\n".into(),
        explanatory_note: "Nota de fundamentare.".into(),
        opens_at: now - 86_400,
        closes_at: now + 30 * 86_400,
        adoption_at: None,
        urgency_reason: String::new(),
        officer_contact: "transparenta@focsani.invalid".into(),
        initiator: "mayor".into(),
        premoderation: false,
        report_threshold: 3,
        created_by: None,
        is_demo: false,
    };
    let id = app::consultations::db::insert(&s.db, &c, &[]).await.unwrap();
    if open {
        app::consultations::db::set_status(&s.db, id, app::consultations::rules::Status::Open).await.unwrap();
    }
}

/// A one-time gift of 123,45 lei paid through the test provider over HTTP (form → hosted page →
/// signed webhook → ledger); returns once the ledger has it.
async fn donate(s: &TestServer) {
    let slug: String = sqlx::query("SELECT slug FROM donation_campaigns WHERE status = 'live' ORDER BY id LIMIT 1")
        .fetch_one(&s.db.pool)
        .await
        .expect("a live demo campaign")
        .get(0);
    let c = client();
    let form = [
        ("campaign", slug.as_str()),
        ("attempt", "attempt-home-figure-00000001"),
        ("amount", "other"),
        ("custom_amount", "123,45"),
        ("frequency", "one_time"),
        ("name", "Ana Popescu"),
        ("email", "ana.home@exemplu.ro"),
        ("message", ""),
        ("consent", "yes"),
        ("website", ""),
    ];
    let res = s.call(&c, app::donations::Donate::PATH, &form).await;
    let checkout = match res.headers().get("location") {
        Some(l) => l.to_str().unwrap().to_string(),
        None => panic!("no redirect to the checkout: {}", res.text().await.unwrap()),
    };
    let res = c.post(&checkout).header("origin", &s.base).form(&[("outcome", "success")]).send().await.unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let public_id = checkout.rsplit('/').next().unwrap().to_string();
    for _ in 0..100 {
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) FROM donation_ledger l JOIN donations d ON d.id = l.donation_id WHERE d.public_id = $1",
        )
        .bind(&public_id)
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get(0);
        if n > 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the gift {public_id} never reached the ledger");
}

#[tokio::test]
async fn home_entry_points_show_live_figures() {
    for kind in backends() {
        let s = spawn(kind).await;
        let c = client();
        let before = home(&s, &c).await;
        for href in ["href=\"/map\"", "href=\"/consultations\"", "href=\"/campaigns\"", "href=\"/organisations\""] {
            assert!(before.contains(href), "{kind:?}: the home page links {href}");
        }
        assert!(!before.contains("În curând") && !before.contains("Coming soon"), "{kind:?}: nothing is 'coming soon'");
        let first = figures(&before);
        assert_eq!(first, expected(&s, Lang::Ro).await, "{kind:?}: the figures as counted");

        // One more place, one more open consultation (a draft does not count), one more gift.
        add_place(&s).await;
        add_consultation(&s, "parcari-deschisa", true).await;
        add_consultation(&s, "parcari-ciorna", false).await;
        donate(&s).await;
        // The writes above went straight to the database: drop what the server kept.
        s.db.touch_public().await.unwrap();
        let after = figures(&home(&s, &c).await);
        let want = expected(&s, Lang::Ro).await;
        assert_eq!(after, want, "{kind:?}: the figures follow the data");
        for (a, b) in first.iter().zip(&after) {
            assert_ne!(a, b, "{kind:?}: each figure changed");
        }
        let num = |f: &str| match f.split(' ').next().unwrap_or_default() {
            "Un" | "O" | "One" => 1,
            n => n.replace('.', "").parse::<i64>().unwrap_or_else(|_| panic!("a count first: {f}")),
        };
        assert_eq!(num(&after[0]), num(&first[0]) + 1);
        assert_eq!(num(&after[1]), num(&first[1]) + 1);
        assert!(after[2].contains("lei"), "{}", after[2]);

        // The same in English, and nothing "coming soon" there either.
        let en = client();
        s.call(&en, app::accounts::SetLanguage::PATH, &[("lang", "en"), ("next", "/")]).await;
        let html = home(&s, &en).await;
        assert!(html.contains("<html lang=\"en\""));
        assert!(!html.contains("Coming soon") && !html.contains("În curând"));
        assert_eq!(figures(&html), expected(&s, Lang::En).await, "{kind:?}: English figures");
    }
}
