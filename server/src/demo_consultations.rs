//! Demo consultations (idempotent): an open Focșani local council draft with comments in every
//! state, a closed one with its report published, and a closed one waiting for the organiser's
//! answers. Texts are illustrative.
use app::consultations::db::{self as cdb, NewComment, NewConsultation};
use app::consultations::rules::split;
use app::consultations::rules::{Answer, CommentStatus, Stance, Status};
use app::ssr::{now, Db};
use sqlx::Row;

const PLAN: &str = "HOTĂRÂRE
privind aprobarea Planului local de accesibilitate al municipiului Focșani pentru perioada 2027–2030

Consiliul Local al Municipiului Focșani,
având în vedere Legea nr. 448/2006 privind protecția și promovarea drepturilor persoanelor cu handicap, republicată,

HOTĂRĂȘTE:

CAPITOLUL I
Dispoziții generale

Art. 1. - Obiectul hotărârii
(1) Se aprobă Planul local de accesibilitate al municipiului Focșani pentru perioada 2027–2030, prevăzut în anexa care face parte integrantă din prezenta hotărâre.
(2) Planul cuprinde:
a) inventarul clădirilor publice și al trecerilor de pietoni;
b) termenele de adaptare;
c) bugetul estimat pe ani.

Art. 2. - Definiții
În sensul prezentei hotărâri:
1. clădire publică – orice clădire în care funcționează o instituție sau un serviciu public;
2. traseu accesibil – drum continuu, fără trepte, cu lățimea de cel puțin 1,20 m.

CAPITOLUL II
Măsuri

Art. 3. - Trotuare și treceri de pietoni
(1) Toate trecerile de pietoni din zona centrală se amenajează cu borduri coborâte până la 31 decembrie 2027.
(2) Lucrările pe celelalte străzi se fac în ordinea din anexă, până în anul 2030.

Art. 4. - Clădiri publice
(1) Primăria, spitalul județean, biblioteca și școlile se dotează cu rampe și toalete accesibile.
(2) Termenul de finalizare este 31 decembrie 2028.

Art. 5. - Transport public
Autobuzele noi achiziționate de operatorul local sunt cu podea coborâtă și rampă.

CAPITOLUL III
Dispoziții finale

Art. 6. - Monitorizare
(1) Se constituie un grup de lucru cu reprezentanți ai organizațiilor persoanelor cu dizabilități.
(2) Grupul publică un raport anual.

Art. 7. - Comunicare
Prezenta hotărâre se comunică Instituției Prefectului – Județul Vrancea și se publică pe pagina de internet a municipiului.
";

const PARKING: &str = "HOTĂRÂRE
privind regulamentul locurilor de parcare rezervate persoanelor cu dizabilități în municipiul Focșani

Art. 1. - Obiect
Se aprobă regulamentul de atribuire a locurilor de parcare rezervate persoanelor cu dizabilități.

Art. 2. - Gratuitate
(1) Locurile rezervate sunt gratuite pentru titularii cardului-legitimație.
(2) Ocuparea fără drept se sancționează cu amendă.

Art. 3. - Semnalizare
Fiecare loc rezervat are indicator vertical și marcaj orizontal albastru.
";

const SIDEWALKS: &str = "HOTĂRÂRE
privind programul de reabilitare a trotuarelor din cartierul Sud, Focșani

Art. 1. - Program
Se aprobă programul de reabilitare a trotuarelor din cartierul Sud pentru anul 2027.

Art. 2. - Priorități
(1) Au prioritate trotuarele din jurul școlilor și al dispensarelor.
(2) Lucrările se fac în afara perioadei cursurilor, acolo unde este posibil.

Art. 3. - Finanțare
Lucrările se finanțează din bugetul local.
";

/// (email, display name)
const PEOPLE: &[(&str, &str)] = &[
    ("ana.popescu@demo.participa.invalid", "Ana Popescu"),
    ("mihai.ionescu@demo.participa.invalid", "Mihai Ionescu"),
    ("elena.radu@demo.participa.invalid", "Elena Radu"),
    ("dan.stoica@demo.participa.invalid", "Dan Stoica"),
    ("ioana.marin@demo.participa.invalid", "Ioana Marin"),
    ("vlad.neagu@demo.participa.invalid", "Vlad Neagu"),
];

async fn user(db: &Db, email: &str, name: &str) -> Result<i64, sqlx::Error> {
    if let Some(u) = app::accounts::db::find_user_by_email(db, email).await? {
        return Ok(u.id);
    }
    // "!" is no argon2 hash: demo people cannot sign in.
    let id = app::accounts::db::create_user(db, email, "!", name, "ro").await?;
    app::accounts::db::mark_verified(db, id).await?;
    Ok(id)
}

async fn id_of(db: &Db, table: &str, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    let r = sqlx::query(&format!("SELECT id FROM {table} WHERE slug = $1")).bind(slug).fetch_optional(&db.pool).await?;
    r.map(|r| r.try_get(0)).transpose()
}

struct C<'a> {
    db: &'a Db,
    cid: i64,
    units: Vec<app::consultations::UnitView>,
}

impl C<'_> {
    #[allow(clippy::too_many_arguments)]
    async fn comment(
        &self,
        article: Option<&str>,
        parent: Option<(i64, i64)>,
        user: i64,
        org: Option<i64>,
        stance: Stance,
        body: &str,
        alternative: &str,
        ago: i64,
        status: CommentStatus,
    ) -> Result<i64, sqlx::Error> {
        let unit = article.and_then(|a| self.units.iter().find(|u| u.label == a));
        let (id, _) = cdb::insert_comment(
            self.db,
            &NewComment {
                consultation_id: self.cid,
                version: 1,
                unit_id: unit.map(|u| u.id),
                unit_position: unit.map(|u| u.position).unwrap_or(-1),
                paragraph: String::new(),
                parent_id: parent.map(|p| p.0),
                depth: parent.map(|p| p.1 + 1).unwrap_or(0),
                user_id: user,
                org_id: org,
                stance,
                body: body.into(),
                alternative: alternative.into(),
                status,
                created_at: now() - ago,
            },
        )
        .await?;
        Ok(id)
    }
}

/// Demo consultations were announced when their window opened.
async fn backdate(db: &Db, cid: i64, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE consultations SET published_at = $1 WHERE id = $2")
        .bind(at)
        .bind(cid)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn load(db: &Db) -> Result<(), sqlx::Error> {
    if cdb::slug_taken(db, "planul-local-de-accesibilitate-focsani").await? {
        return Ok(());
    }
    let (Some(council), Some(city_hall)) = (
        id_of(db, "authorities", "consiliul-local-focsani").await?,
        id_of(db, "authorities", "primaria-municipiului-focsani").await?,
    ) else {
        return Ok(());
    };
    let group = id_of(db, "organisations", "grupul-dizabil-eu-vrancea").await?;
    let mut people = vec![];
    for (email, name) in PEOPLE {
        people.push(user(db, email, name).await?);
    }
    let day = 86_400;
    let now = now();
    let new = |slug: &str,
               title: &str,
               summary: &str,
               text: &str,
               owner: i64,
               opens: i64,
               closes: i64,
               adoption: i64,
               topics: &[&str]| {
        NewConsultation {
        slug: slug.into(),
        title: title.into(),
        summary: summary.into(),
        topics: topics.iter().map(|t| t.to_string()).collect(),
        locality: "Focșani".into(),
        county: "Vrancea".into(),
        owner_kind: "authority".into(),
        owner_id: owner,
        draft_text: text.into(),
        explanatory_note: "Proiectul răspunde cererilor organizațiilor persoanelor cu dizabilități din Focșani și obligațiilor din Legea nr. 448/2006.".into(),
        opens_at: opens,
        closes_at: closes,
        adoption_at: Some(adoption),
        urgency_reason: String::new(),
        officer_contact: "Biroul relații publice, transparenta@focsani.invalid, 0237 000 000".into(),
        initiator: "mayor".into(),
        premoderation: false,
        report_threshold: 3,
        created_by: None,
        is_demo: true,
    }
    };

    // 1. Open: comments in every state.
    let c = new(
        "planul-local-de-accesibilitate-focsani",
        "Planul local de accesibilitate al municipiului Focșani 2027–2030",
        "Primarul municipiului propune Consiliului Local un plan pe patru ani: borduri coborâte la trecerile de pietoni, rampe la clădirile publice, autobuze accesibile și un grup de lucru cu organizațiile persoanelor cu dizabilități.",
        PLAN,
        council,
        now - 5 * day,
        now + 20 * day,
        now + 70 * day,
        &["accessibility", "urbanism", "transport"],
    );
    let cid = cdb::insert(db, &c, &split::split(PLAN)).await?;
    cdb::set_status(db, cid, Status::Open).await?;
    backdate(db, cid, now - 5 * day).await?;
    let k = C { db, cid, units: cdb::units(db, cid, 1).await? };
    let [ana, mihai, elena, dan, ioana, vlad] = [people[0], people[1], people[2], people[3], people[4], people[5]];
    let a3 = k
        .comment(
            Some("Art. 3"),
            None,
            ana,
            group,
            Stance::For,
            "Susținem articolul, dar termenul pentru zona centrală este prea lung: trecerile din fața spitalului și a școlilor ar trebui refăcute **în 2027**.",
            "(1) Toate trecerile de pietoni din zona centrală și cele din fața spitalului și a școlilor se amenajează cu borduri coborâte până la 30 iunie 2027.",
            4 * day,
            CommentStatus::Visible,
        )
        .await?;
    let r1 = k
        .comment(
            Some("Art. 3"),
            Some((a3, 0)),
            mihai,
            None,
            Stance::Neutral,
            "De acord cu termenul mai scurt; bugetul pe 2027 ar permite?",
            "",
            3 * day,
            CommentStatus::Visible,
        )
        .await?;
    let r2 = k
        .comment(
            Some("Art. 3"),
            Some((r1, 1)),
            ana,
            group,
            Stance::Neutral,
            "Da, costul estimat în anexă pentru zona centrală este sub 5% din bugetul de investiții.",
            "",
            3 * day - 3_600,
            CommentStatus::Visible,
        )
        .await?;
    let _ = r2;
    k.comment(Some("Art. 4"), None, elena, None, Stance::Against, "Termenul din 2028 pentru spital este prea târziu: oamenii în scaun rulant nu pot intra azi la policlinică.", "(2) Termenul de finalizare este 31 decembrie 2027 pentru spital și 31 decembrie 2028 pentru celelalte clădiri.", 2 * day, CommentStatus::Visible)
        .await?;
    k.comment(
        Some("Art. 5"),
        None,
        dan,
        None,
        Stance::For,
        "Bine că autobuzele noi vor avea rampă. Ce se întâmplă cu stațiile?",
        "",
        2 * day,
        CommentStatus::Visible,
    )
    .await?;
    k.comment(
        None,
        None,
        ioana,
        None,
        Stance::For,
        "Un plan bun, în sfârșit. Vă rog să publicați și harta cu trecerile incluse.",
        "",
        day,
        CommentStatus::Visible,
    )
    .await?;
    // Waiting for a moderator.
    k.comment(
        Some("Art. 6"),
        None,
        vlad,
        None,
        Stance::Neutral,
        "Grupul de lucru ar trebui să includă și părinți ai copiilor cu dizabilități.",
        "",
        3_600,
        CommentStatus::Pending,
    )
    .await?;
    // Hidden by a moderator, with the public reason and the log line.
    let spam = k
        .comment(
            Some("Art. 6"),
            None,
            vlad,
            None,
            Stance::Against,
            "Cumpărați acum pe site-ul nostru, reduceri!!!",
            "",
            2 * day,
            CommentStatus::Visible,
        )
        .await?;
    cdb::moderate(db, cid, spam, CommentStatus::Hidden, "hide", "reclamă comercială (spam)", None).await?;
    // Deleted by its author: the placeholder keeps the thread.
    let gone = k
        .comment(
            Some("Art. 7"),
            None,
            mihai,
            None,
            Stance::Neutral,
            "Comentariu retras.",
            "",
            2 * day,
            CommentStatus::Visible,
        )
        .await?;
    cdb::mark_deleted(db, gone).await?;
    // Reported, still visible.
    let sharp = k
        .comment(
            Some("Art. 5"),
            None,
            elena,
            None,
            Stance::Against,
            "Operatorul local nu a respectat niciodată promisiunile, conducerea lui e incompetentă.",
            "",
            day,
            CommentStatus::Visible,
        )
        .await?;
    cdb::add_report(db, sharp, dan, "offensive", "Atac la persoană.").await?;
    for u in [mihai, elena, dan, ioana] {
        cdb::toggle_vote(db, a3, u).await?;
    }

    // 2. Closed, every comment answered, report published.
    let c2 = new(
        "regulamentul-parcarilor-rezervate-focsani",
        "Regulamentul locurilor de parcare rezervate persoanelor cu dizabilități",
        "Primarul municipiului propune reguli clare pentru locurile de parcare rezervate: gratuitate, semnalizare și sancțiuni.",
        PARKING,
        city_hall,
        now - 60 * day,
        now - 45 * day,
        now - 5 * day,
        &["accessibility", "transport"],
    );
    let cid2 = cdb::insert(db, &c2, &split::split(PARKING)).await?;
    cdb::set_status(db, cid2, Status::Open).await?;
    backdate(db, cid2, now - 60 * day).await?;
    let k2 = C { db, cid: cid2, units: cdb::units(db, cid2, 1).await? };
    let p1 = k2
        .comment(
            Some("Art. 2"),
            None,
            ana,
            group,
            Stance::For,
            "Cerem ca amenda să fie dublată pentru ocuparea fără drept.",
            "(2) Ocuparea fără drept se sancționează cu amendă, dublată la a doua abatere.",
            55 * day,
            CommentStatus::Visible,
        )
        .await?;
    let p2 = k2
        .comment(
            Some("Art. 3"),
            None,
            dan,
            None,
            Stance::Neutral,
            "Marcajul albastru se șterge repede; propun vopsea termoplastă.",
            "",
            54 * day,
            CommentStatus::Visible,
        )
        .await?;
    let p3 = k2
        .comment(
            None,
            None,
            ioana,
            None,
            Stance::Against,
            "Sunt prea puține locuri în centru; regulamentul nu rezolvă asta.",
            "",
            50 * day,
            CommentStatus::Visible,
        )
        .await?;
    let p4 = k2
        .comment(
            Some("Art. 1"),
            None,
            vlad,
            None,
            Stance::Neutral,
            "Reclamă la un service auto.",
            "",
            50 * day,
            CommentStatus::Visible,
        )
        .await?;
    cdb::moderate(db, cid2, p4, CommentStatus::Hidden, "hide", "conținut comercial fără legătură cu proiectul", None)
        .await?;
    cdb::answer(
        db,
        cid2,
        &[p1],
        Answer::Partial,
        "Amenda se majorează în limita prevăzută de lege; dublarea nu este permisă de OG nr. 2/2001.",
        people[0],
    )
    .await?;
    cdb::answer(db, cid2, &[p2], Answer::Accepted, "", people[0]).await?;
    cdb::answer(
        db,
        cid2,
        &[p3],
        Answer::Rejected,
        "Numărul locurilor este stabilit prin alt regulament; îl vom revizui în 2027.",
        people[0],
    )
    .await?;
    cdb::answer(db, cid2, &[p4], Answer::Noted, "", people[0]).await?;
    cdb::set_status(db, cid2, Status::Closed).await?;
    cdb::set_status(db, cid2, Status::Answered).await?;

    // 3. Closed, waiting for the organiser's answers.
    let c3 = new(
        "reabilitarea-trotuarelor-cartierul-sud-focsani",
        "Programul de reabilitare a trotuarelor din cartierul Sud",
        "Primarul municipiului propune ordinea în care se refac trotuarele din cartierul Sud în 2027.",
        SIDEWALKS,
        city_hall,
        now - 20 * day,
        now - day,
        now + 40 * day,
        &["urbanism", "accessibility"],
    );
    let cid3 = cdb::insert(db, &c3, &split::split(SIDEWALKS)).await?;
    cdb::set_status(db, cid3, Status::Open).await?;
    backdate(db, cid3, now - 20 * day).await?;
    let k3 = C { db, cid: cid3, units: cdb::units(db, cid3, 1).await? };
    k3.comment(
        Some("Art. 2"),
        None,
        elena,
        None,
        Stance::For,
        "Adăugați și trotuarele din jurul stațiilor de autobuz.",
        "(1) Au prioritate trotuarele din jurul școlilor, al dispensarelor și al stațiilor de autobuz.",
        10 * day,
        CommentStatus::Visible,
    )
    .await?;
    k3.comment(
        Some("Art. 3"),
        None,
        mihai,
        None,
        Stance::Neutral,
        "Se pot folosi și fonduri europene?",
        "",
        9 * day,
        CommentStatus::Visible,
    )
    .await?;
    cdb::set_status(db, cid3, Status::Closed).await?;
    tracing::info!("demo consultations loaded");
    Ok(())
}
