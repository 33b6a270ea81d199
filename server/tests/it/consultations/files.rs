//! Consultation files by role: attachments, position papers, minutes, the draft as a file.
use super::*;

fn pdf_bytes(text: &str) -> Vec<u8> {
    let mut d = app::ssr::pdf::PdfDoc::new("test");
    d.text(text);
    d.render().unwrap()
}

/// A Word document with these paragraphs, built the way Word stores it (a zip with word/document.xml).
fn docx(paragraphs: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let body: String =
        paragraphs.iter().map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>")).collect();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    z.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
    z.write_all(xml.as_bytes()).unwrap();
    z.finish().unwrap();
    out.into_inner()
}

async fn upload(
    s: &TestServer,
    c: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, Vec<u8>, &str)>,
) -> reqwest::Response {
    let mut f = reqwest::multipart::Form::new();
    for (k, v) in fields {
        f = f.text(k.to_string(), v.to_string());
    }
    if let Some((name, bytes, mime)) = file {
        f = f.part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()).mime_str(mime).unwrap());
    }
    c.post(format!("{}{path}", s.base)).header("origin", &s.base).multipart(f).send().await.unwrap()
}

fn decoded(loc: &str) -> String {
    urlencoding_decode(loc)
}

fn urlencoding_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = vec![];
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn files_by_role() {
    for kind in backends() {
        let s = spawn(kind).await;
        let council = id_of(&s, "authorities", "consiliul-local-focsani").await;
        let owner = format!("authority:{council}");
        let now = app::ssr::now();
        let (opens, closes, adoption) = (ymd(now), ymd(now + 15 * 86_400), ymd(now + 80 * 86_400));
        let mut form = create_form(&owner, &opens, &closes, &adoption);
        // The draft may be left empty at creation and uploaded as a file.
        form.iter_mut().find(|f| f.0 == "draft_text").unwrap().1 = "";
        let anon = client();
        let (resident, _) = user(&s, "rezident@exemplu.ro", true).await;
        let (official, official_id) = user(&s, "functionar@exemplu.ro", true).await;
        grant(&s, official_id, RoleKind::Official, council).await;
        let (org_admin, org_admin_id) = user(&s, "admin-ong@exemplu.ro", true).await;
        let org = id_of(&s, "organisations", "grupul-dizabil-eu-vrancea").await;
        grant(&s, org_admin_id, RoleKind::OrgAdmin, org).await;
        let (admin, admin_id) = user(&s, "admin@exemplu.ro", true).await;
        grant(&s, admin_id, RoleKind::Admin, 0).await;
        let (moderator, mod_id) = user(&s, "moderator@exemplu.ro", true).await;
        grant(&s, mod_id, RoleKind::Moderator, 0).await;
        let res = s.call(&official, CreateConsultation::PATH, &form).await;
        let loc = location(&res);
        assert!(loc.ends_with("/manage?created=1"), "{loc}");
        let slug = loc.trim_start_matches("/consultations/").split('/').next().unwrap().to_string();
        let page: ConsultationPage =
            s.call(&official, GetConsultation::PATH, &[("slug", &slug)]).await.json().await.unwrap();
        let id = page.detail.card.id.to_string();
        let res = s.call(&official, ChangeStatus::PATH, &[("id", &id), ("action", "publish")]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::consultations_err_publish_empty));

        // The draft as a file: organisers only, judged by content, split for review.
        let draft_path = format!("/consultations/{slug}/draft-file");
        let word = docx(&[
            "HOTĂRÂRE privind iluminatul public",
            "Art. 1. - Obiect",
            "(1) Se modernizează iluminatul public pe strada Cuza Vodă &amp; Unirii.",
            "(2) Lucrările încep în anul 2027.",
            "Art. 2",
            "Finanțarea se asigură din bugetul local.",
        ]);
        let res = upload(&s, &anon, &draft_path, &[], Some(("p.docx", word.clone(), "application/octet-stream"))).await;
        assert!(location(&res).starts_with("/account/login"), "anonymous: sign in first");
        for c in [&resident, &org_admin, &moderator] {
            let res = upload(&s, c, &draft_path, &[], Some(("p.docx", word.clone(), "application/octet-stream"))).await;
            assert_eq!(res.status(), 403);
        }
        let res =
            upload(&s, &official, &draft_path, &[], Some(("p.docx", vec![0, 1, 2, 3, 0xff, 0xfe], "text/plain"))).await;
        assert!(decoded(&location(&res)).contains("error=draft_file:not_text"), "{}", location(&res));
        let res = upload(
            &s,
            &official,
            &draft_path,
            &[],
            Some(("p.txt", b"Doar o idee, fara articole.".to_vec(), "text/plain")),
        )
        .await;
        assert!(decoded(&location(&res)).contains("error=draft_file:no_articles"));
        let res = upload(
            &s,
            &official,
            &draft_path,
            &[],
            Some(("proiect.docx", word, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")),
        )
        .await;
        assert_eq!(location(&res), format!("/consultations/{slug}/manage?split=1#split"));
        let page: ConsultationPage =
            s.call(&official, GetConsultation::PATH, &[("slug", &slug)]).await.json().await.unwrap();
        let labels: Vec<_> = page.units.iter().map(|u| u.label.as_str()).collect();
        assert_eq!(labels, ["", "Art. 1", "Art. 2"]);
        assert!(page.units[1].paragraphs[0].text.contains("Cuza Vodă & Unirii"), "{:?}", page.units[1].paragraphs);
        assert_eq!(page.units[1].paragraphs.len(), 2, "paragraphs kept");
        let art1 = page.units[1].position.to_string();

        // Attachments: organisers (and admins) only; PDFs by content; 20 MB at most.
        let files_path = format!("/consultations/{slug}/files");
        let study = pdf_bytes("Studiu de impact: iluminat public");
        let res = upload(
            &s,
            &anon,
            &files_path,
            &[("kind", "attachment")],
            Some(("s.pdf", study.clone(), "application/pdf")),
        )
        .await;
        assert!(location(&res).starts_with("/account/login"));
        for c in [&resident, &org_admin, &moderator] {
            let res = upload(
                &s,
                c,
                &files_path,
                &[("kind", "attachment")],
                Some(("s.pdf", study.clone(), "application/pdf")),
            )
            .await;
            assert_eq!(res.status(), 403, "not an organiser of this consultation");
        }
        let fake = b"<html><script>alert(1)</script></html> padding padding padding".to_vec();
        let res = upload(
            &s,
            &official,
            &files_path,
            &[("kind", "attachment"), ("title", "Anexa falsă")],
            Some(("anexa.pdf", fake, "application/pdf")),
        )
        .await;
        let loc = decoded(&location(&res));
        assert!(
            loc.contains("error=file:not_pdf") && loc.contains("title=Anexa falsă") && loc.ends_with("#files"),
            "{loc}"
        );
        let res = upload(&s, &official, &files_path, &[("kind", "attachment")], None).await;
        assert!(decoded(&location(&res)).contains("error=file:required"));
        let mut big = study.clone();
        big.resize(app::consultations::rules::files::MAX_PDF_BYTES + 1, b' ');
        let res =
            upload(&s, &official, &files_path, &[("kind", "attachment")], Some(("mare.pdf", big, "application/pdf")))
                .await;
        assert!(decoded(&location(&res)).contains("error=file:too_large"), "{}", location(&res));
        let xss_title = "Studiu de impact <img src=x onerror=alert(1)>";
        let res = upload(
            &s,
            &official,
            &files_path,
            &[("kind", "attachment"), ("title", xss_title)],
            Some(("studiu.pdf", study.clone(), "application/pdf")),
        )
        .await;
        assert_eq!(location(&res), format!("/consultations/{slug}/manage?uploaded=1#files"));
        let res = upload(
            &s,
            &admin,
            &files_path,
            &[("kind", "attachment")],
            Some(("C:\\acte\\Anexa 2.pdf", pdf_bytes("Anexa 2"), "application/pdf")),
        )
        .await;
        assert!(location(&res).contains("uploaded=1"), "a platform admin may too");
        let page: ConsultationPage =
            s.call(&official, GetConsultation::PATH, &[("slug", &slug)]).await.json().await.unwrap();
        let names: Vec<_> = page.files.iter().map(|f| f.name.as_str()).collect();
        assert!(names.len() == 2 && names[0].starts_with("Studiu de impact") && names[1] == "Anexa 2.pdf", "{names:?}");
        let study_href = app::consultations::rules::files::href(&slug, page.files[0].id);
        let anexa = page.files[1].id.to_string();
        // While a draft, only its organisers see the files.
        assert_eq!(s.get(&anon, &study_href).await.status(), 404);
        let res = s.get(&official, &study_href).await;
        assert_eq!(res.headers()["content-type"], "application/pdf");
        assert_eq!(res.bytes().await.unwrap().to_vec(), study);
        // Removing: organisers only.
        let del = format!("/consultations/{slug}/files/{anexa}/delete");
        assert_eq!(s.call(&resident, &del, &[]).await.status(), 403);
        assert!(location(&s.call(&official, &del, &[]).await).contains("removed=1"));
        assert_eq!(
            s.get(&official, &app::consultations::rules::files::href(&slug, anexa.parse().unwrap())).await.status(),
            404
        );

        let res = s.call(&official, ChangeStatus::PATH, &[("id", &id), ("action", "publish")]).await;
        assert!(location(&res).ends_with("?status=1"));
        // The public page lists them with name and size; anyone downloads them.
        let html = s.get(&anon, &format!("/consultations/{slug}")).await.text().await.unwrap();
        assert!(html.contains(&format!("href=\"{study_href}\"")) && html.contains(" KB"), "listed with its size");
        assert!(!html.contains("<img src=x"), "the title is text, not markup");
        let res = s.get(&anon, &study_href).await;
        assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename="));
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        assert_eq!(res.bytes().await.unwrap().to_vec(), study);
        // The draft file is for drafts only.
        let res =
            upload(&s, &official, &draft_path, &[], Some(("p.txt", DRAFT.as_bytes().to_vec(), "text/plain"))).await;
        assert!(decoded(&location(&res)).contains("error=draft_file:not_draft"));

        // Minutes of the debate as a file.
        let res = upload(
            &s,
            &official,
            &files_path,
            &[("kind", "minutes"), ("title", "Minuta dezbaterii")],
            Some(("m.pdf", pdf_bytes("Minuta"), "application/pdf")),
        )
        .await;
        assert!(location(&res).ends_with("#minutes"));
        let html = s.get(&anon, &format!("/consultations/{slug}")).await.text().await.unwrap();
        assert!(html.contains("Minuta dezbaterii.pdf"));

        // Position papers: the comment's author only, PDFs by content.
        let res = comment(&s, &resident, &slug, &art1, &[]).await;
        assert!(location(&res).contains("posted="));
        let th = thread(&s, &anon, &slug, &art1).await;
        let cid = th.comments[0].id;
        let paper_path = format!("/consultations/{slug}/papers/{cid}");
        let paper = pdf_bytes("Pozitia asociatiei");
        let res = upload(&s, &anon, &paper_path, &[], Some(("p.pdf", paper.clone(), "application/pdf"))).await;
        assert!(location(&res).starts_with("/account/login"));
        for c in [&org_admin, &official, &moderator] {
            let res = upload(&s, c, &paper_path, &[], Some(("p.pdf", paper.clone(), "application/pdf"))).await;
            assert_eq!(res.status(), 403, "only the author attaches a paper");
        }
        let res = upload(
            &s,
            &resident,
            &paper_path,
            &[],
            Some(("p.pdf", b"GIF89a not a pdf at all, really not".to_vec(), "application/pdf")),
        )
        .await;
        assert!(decoded(&location(&res)).contains(&format!("error=paper-{cid}:not_pdf")), "{}", location(&res));
        let res =
            upload(&s, &resident, &paper_path, &[], Some(("Poziție asociație.pdf", paper.clone(), "application/pdf")))
                .await;
        assert!(location(&res).contains("paper=1"), "{}", location(&res));
        let th = thread(&s, &anon, &slug, &art1).await;
        let p = th.comments[0].paper.clone().expect("the paper under the comment");
        assert_eq!(p.name, "Poziție asociație.pdf");
        let paper_href = app::consultations::rules::files::href(&slug, p.id);
        let html = s.get(&anon, &format!("/consultations/{slug}/comments?scope={art1}")).await.text().await.unwrap();
        assert!(html.contains(&format!("href=\"{paper_href}\"")));
        assert_eq!(s.get(&anon, &paper_href).await.bytes().await.unwrap().to_vec(), paper);
        // In the report (the organiser's preview) and its CSV.
        let rep: rules::report_page::ReportPage =
            s.call(&official, GetReport::PATH, &[("slug", &slug)]).await.json().await.unwrap();
        assert!(rep.sections.iter().flat_map(|u| &u.rows).any(|r| r.paper.as_ref().is_some_and(|f| f.id == p.id)));
        let csv = s.get(&official, &format!("/consultations/{slug}/report.csv")).await.text().await.unwrap();
        assert!(csv.contains(&paper_href), "{csv}");
        // A hidden comment's paper is for moderators (and its author) only.
        let res = s
            .call(
                &moderator,
                ModerateComment::PATH,
                &[("id", &cid.to_string()), ("action", "hide"), ("reason", "date personale"), ("next", "")],
            )
            .await;
        assert!(location(&res).contains("/consultations/moderation"), "hidden");
        assert_eq!(s.get(&anon, &paper_href).await.status(), 404);
        assert_eq!(s.get(&moderator, &paper_href).await.status(), 200);
        assert_eq!(s.get(&resident, &paper_href).await.status(), 200);
        assert!(thread(&s, &anon, &slug, &art1).await.comments[0].paper.is_none());

        // The consultation page shows the draft a page at a time.
        let page: ConsultationPage =
            s.call(&anon, GetConsultation::PATH, &[("slug", &slug), ("page", "1")]).await.json().await.unwrap();
        assert_eq!((page.unit_page, page.units_total, page.units.len()), (1, 3, 3));
        let page: ConsultationPage =
            s.call(&anon, GetConsultation::PATH, &[("slug", &slug), ("page", "2")]).await.json().await.unwrap();
        assert!(page.units.is_empty());
    }
}
