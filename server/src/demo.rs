//! Demo dataset, loaded idempotently with `--demo` (or `DEMO=1`). Every row is marked `is_demo`.
//! The organisations are the twelve civic groups of the "Civic steps towards a strong community"
//! programme and a resource centre for public participation; their texts here are illustrative.
use app::ssr::{now, Db};
use app::types::Slug;

/// Domains of the demo organisations, by position in `ORGS`.
const DOMAINS: &[&[&str]] = &[
    &["community", "mobility"],
    &["youth", "environment", "community"],
    &["community", "education", "mobility"],
    &["health", "social"],
    &["community", "disability"],
    &["advocacy", "heritage", "community"],
    &["disability", "health", "social"],
    &["disability", "advocacy", "mobility"],
    &["human_rights", "advocacy"],
    &["youth", "disability", "advocacy"],
    &["environment", "community"],
    &["community", "advocacy"],
    &["advocacy", "education"],
];

/// (name, legal form, locality, county, short description)
const ORGS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "Grupul de cetățeni din cartierul 16 Februarie",
        "informal",
        "Bacău",
        "Bacău",
        "Vecini care cer trotuare sigure, iluminat și spații verzi în cartierul 16 Februarie.",
    ),
    (
        "Cartierul Tinereții și Parcul",
        "informal",
        "Bacău",
        "Bacău",
        "Tineri care îngrijesc parcul cartierului și propun activități pentru copii și adolescenți.",
    ),
    (
        "Asociația Comunitară Bartolomeu Avantgarden",
        "association",
        "Brașov",
        "Brașov",
        "Locuitorii cartierului Avantgarden cer școală, grădiniță și transport public.",
    ),
    (
        "Caravana cu Medici",
        "association",
        "Iași",
        "Iași",
        "Medici voluntari care duc consultații gratuite în satele fără cabinet medical.",
    ),
    (
        "„Loc de joacă pentru Grozăvești”",
        "informal",
        "Sectorul 6",
        "București",
        "Părinți din Grozăvești care cer un loc de joacă accesibil tuturor copiilor.",
    ),
    (
        "Asociația Civis Mogoșoaia",
        "association",
        "Mogoșoaia",
        "Ilfov",
        "Participare civică în Mogoșoaia: transparență, consultări publice și patrimoniu.",
    ),
    (
        "APTA Iași",
        "association",
        "Iași",
        "Iași",
        "Sprijin pentru persoanele cu tulburări din spectrul autist și familiile lor.",
    ),
    (
        "Grupul DizAbil.Eu Vrancea",
        "informal",
        "Focșani",
        "Vrancea",
        "Persoane cu dizabilități care cartografiază accesibilitatea instituțiilor publice din Focșani.",
    ),
    (
        "Rise OUT Iași",
        "informal",
        "Iași",
        "Iași",
        "Comunitatea LGBTQ+ din Iași: drepturile omului, siguranță și vizibilitate.",
    ),
    (
        "Asociația de Tineret „Eu, tu și ei” Focșani",
        "association",
        "Focșani",
        "Vrancea",
        "Tineri voluntari pentru incluziune și dialog cu autoritățile locale din Focșani.",
    ),
    (
        "Asociația Bicazul Nostru",
        "association",
        "Bicaz",
        "Neamț",
        "Locuitori care vor un oraș Bicaz curat, cu turism responsabil și servicii publice bune.",
    ),
    (
        "Asociația Civică Horpaz",
        "association",
        "Horpaz",
        "Iași",
        "Sătenii din Horpaz cer drum asfaltat, apă curentă și transport spre Iași.",
    ),
    (
        "Centrul de Resurse pentru Participare Publică (demo)",
        "association",
        "București",
        "București",
        "Centru de resurse: instruire, consultanță, coaching, mentorat și informare pentru participare publică.",
    ),
];

/// (name, kind, locality, county, website)
const AUTHORITIES: &[(&str, &str, &str, &str, &str)] = &[
    ("Primăria Municipiului Focșani", "city_hall", "Focșani", "Vrancea", "https://www.focsani.info"),
    ("Consiliul Local Focșani", "local_council", "Focșani", "Vrancea", "https://www.focsani.info"),
    ("Consiliul Județean Vrancea", "county_council", "Focșani", "Vrancea", "https://www.cjvrancea.ro"),
    (
        "Instituția Prefectului — Județul Vrancea",
        "prefecture",
        "Focșani",
        "Vrancea",
        "https://vn.prefectura.mai.gov.ro",
    ),
    ("Primăria Municipiului Iași", "city_hall", "Iași", "Iași", "https://www.primaria-iasi.ro"),
    ("Consiliul Județean Iași", "county_council", "Iași", "Iași", "https://www.icc.ro"),
    ("Primăria Municipiului Bacău", "city_hall", "Bacău", "Bacău", "https://www.primariabacau.ro"),
    ("Primăria Sectorului 6 București", "city_hall", "Sectorul 6", "București", "https://www.primarie6.ro"),
    ("Primăria Comunei Mogoșoaia", "city_hall", "Mogoșoaia", "Ilfov", "https://www.primariamogosoaia.ro"),
];

pub async fn load(db: &Db) -> Result<(), sqlx::Error> {
    let now = now();
    for (i, (name, form, locality, county, short)) in ORGS.iter().enumerate() {
        let slug = Slug::from_name(name).map(|s| s.as_str().to_string()).unwrap_or_default();
        sqlx::query(
            "INSERT INTO organisations (slug, name, legal_form, locality, county, short_description, description, status, is_demo, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6, 'active', 1, $7) ON CONFLICT (slug) DO NOTHING",
        )
        .bind(&slug)
        .bind(*name)
        .bind(*form)
        .bind(*locality)
        .bind(*county)
        .bind(*short)
        .bind(now)
        .execute(&db.pool)
        .await?;
        app::orgs::db::set_domains(db, &slug, DOMAINS[i]).await?;
    }
    // The programme's groups were checked by its organisers: shown as verified.
    sqlx::query("UPDATE organisations SET verified_at = $1 WHERE is_demo = 1 AND verified_at IS NULL")
        .bind(now)
        .execute(&db.pool)
        .await?;
    // Bucharest is the county-level unit and its sectors its localities (demo data loaded before
    // this was right said "București — Sectorul 6" for the county).
    for table in ["organisations", "authorities"] {
        sqlx::query(&format!(
            "UPDATE {table} SET county = 'București', locality = 'Sectorul 6' WHERE is_demo = 1 AND county = 'București — Sectorul 6'"
        ))
        .execute(&db.pool)
        .await?;
    }
    app::orgs::db::reindex(db).await?;
    for (name, kind, locality, county, website) in AUTHORITIES {
        let slug = Slug::from_name(name).map(|s| s.as_str().to_string()).unwrap_or_default();
        sqlx::query(
            "INSERT INTO authorities (slug, name, kind, locality, county, website, is_demo, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7) ON CONFLICT (slug) DO NOTHING",
        )
        .bind(slug)
        .bind(*name)
        .bind(*kind)
        .bind(*locality)
        .bind(*county)
        .bind(*website)
        .bind(now)
        .execute(&db.pool)
        .await?;
    }
    load_events(db, now).await?;
    load_stories(db, now).await?;
    crate::demo_donations::load(db).await?;
    crate::demo_consultations::load(db).await?;
    crate::demo_map::load(db).await?;
    tracing::info!(organisations = ORGS.len(), authorities = AUTHORITIES.len(), "demo data loaded");
    Ok(())
}

/// (slug, organisation slug, title, kind, start, place, seats, materials)
type DemoEvent<'a> = (&'a str, &'a str, &'a str, &'a str, i64, &'a str, i64, &'a str);

/// Three events around today: two to register for (one with few seats), one past with materials.
async fn load_events(db: &Db, now: i64) -> Result<(), sqlx::Error> {
    let day = 86_400;
    let events: [DemoEvent; 3] = [
        (
            "atelier-harta-accesibilitatii-focsani",
            "grupul-dizabil-eu-vrancea",
            "Atelier: cartografiem accesibilitatea instituțiilor din Focșani",
            "workshop",
            now + 7 * day,
            "Biblioteca Județeană „Duiliu Zamfirescu”, Focșani",
            3,
            "",
        ),
        (
            "dialog-ong-autoritati-iasi",
            "apta-iasi",
            "Întâlnire de dialog între ONG-uri și Primăria Iași",
            "networking",
            now + 20 * day,
            "Iași",
            0,
            "",
        ),
        (
            "instruire-consultari-publice-legea-52",
            "centrul-de-resurse-pentru-participare-publica-demo",
            "Instruire: cum participăm la consultările publice (Legea nr. 52/2003)",
            "training",
            now - 30 * day,
            "Online",
            0,
            "Prezentarea și ghidul participantului: trimise pe e-mail participanților.",
        ),
    ];
    for (slug, org, title, kind, start, place, capacity, materials) in events {
        sqlx::query(
            "INSERT INTO events (slug, org_id, title, description, kind, starts_at, ends_at, place, capacity, materials, is_demo, created_at)
             SELECT $1, id, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10 FROM organisations WHERE slug = $11
             ON CONFLICT (slug) DO NOTHING",
        )
        .bind(slug)
        .bind(title)
        .bind("Eveniment demonstrativ: înscrieți-vă ca să vedeți cum funcționează locurile și lista de așteptare.")
        .bind(kind)
        .bind(start)
        .bind(start + 2 * 3600)
        .bind(place)
        .bind(capacity)
        .bind(materials)
        .bind(now)
        .bind(org)
        .execute(&db.pool)
        .await?;
    }
    Ok(())
}

/// Two illustrative stories, marked as demo content.
async fn load_stories(db: &Db, now: i64) -> Result<(), sqlx::Error> {
    let stories = [
        (
            "rampa-de-la-biblioteca-focsani",
            "grupul-dizabil-eu-vrancea",
            "Cum am obținut o rampă la bibliotecă (poveste demonstrativă)",
            "Un grup de voluntari a cartografiat intrarea, a depus o petiție și a urmărit răspunsul până la lucrare.",
            "Am măsurat **treptele** și am fotografiat intrarea. Apoi:\n\n1. am depus o petiție la primărie;\n2. am urmărit termenul legal de 30 de zile;\n3. am verificat lucrarea împreună cu utilizatorii de scaun rulant.\n\n*Conținut demonstrativ.*",
            "disability",
            "Focșani",
            now - 5 * 86_400,
        ),
        (
            "consultare-parc-mogosoaia",
            "asociatia-civis-mogosoaia",
            "Locuitorii au comentat planul parcului (poveste demonstrativă)",
            "O consultare publică cu răspunsuri motivate la fiecare comentariu a schimbat trei articole ale proiectului.",
            "Fiecare comentariu a primit un **răspuns motivat**, iar raportul consultării a fost publicat.\n\n*Conținut demonstrativ.*",
            "advocacy",
            "Mogoșoaia",
            now - 12 * 86_400,
        ),
    ];
    for (slug, org, title, summary, body, domain, locality, at) in stories {
        sqlx::query(
            "INSERT INTO stories (slug, org_id, title, summary, body_md, domain, locality, published_at, is_demo)
             SELECT $1, id, $2, $3, $4, $5, $6, $7, 1 FROM organisations WHERE slug = $8 ON CONFLICT (slug) DO NOTHING",
        )
        .bind(slug)
        .bind(title)
        .bind(summary)
        .bind(body)
        .bind(domain)
        .bind(locality)
        .bind(at)
        .bind(org)
        .execute(&db.pool)
        .await?;
    }
    Ok(())
}
