//! Demo data of the accessibility map: about sixty public institutions of Focșani with plausible
//! positions inside the city and varied audits, run by the DizAbil.Eu Vrancea demo group, with
//! reports in every state of the workflow. Loaded once (skipped when demo places exist).
use app::map::db::{self as mapdb, NewPlace};
use app::map::rules::{answer_due, Audit};
use app::ssr::{now, Db};
use sqlx::Row;

const ORG_SLUG: &str = "grupul-dizabil-eu-vrancea";

/// (name, category, address)
const PLACES: &[(&str, &str, &str)] = &[
    ("Primăria Municipiului Focșani", "city_hall", "Bd. Dimitrie Cantemir 1 bis"),
    ("Consiliul Județean Vrancea", "county_council", "Bd. Dimitrie Cantemir 1"),
    ("Instituția Prefectului — Județul Vrancea", "prefecture", "Bd. Dimitrie Cantemir 1"),
    ("Direcția de Asistență Socială Focșani", "other", "Str. Cuza Vodă 56"),
    ("Spitalul Județean de Urgență „Sf. Pantelimon”", "hospital", "Str. Cuza Vodă 50-52"),
    ("Spitalul de Psihiatrie Focșani", "hospital", "Str. Mărășești 4"),
    ("Ambulatoriul de specialitate", "clinic", "Str. Cuza Vodă 50"),
    ("Policlinica Focșani", "clinic", "Str. Republicii 20"),
    ("Dispensarul Sud", "clinic", "Str. Cotești 3"),
    ("Farmacia Centrală", "pharmacy", "Str. Unirii 12"),
    ("Farmacia Sud", "pharmacy", "Bd. Independenței 5"),
    ("Farmacia Gării", "pharmacy", "Str. Gării 2"),
    ("Oficiul Poștal Focșani 1", "post_office", "Str. Cuza Vodă 1"),
    ("Oficiul Poștal Focșani 3", "post_office", "Bd. București 10"),
    ("Tribunalul Vrancea", "court", "Str. Cuza Vodă 1"),
    ("Judecătoria Focșani", "court", "Str. Cuza Vodă 1"),
    ("Inspectoratul de Poliție Județean Vrancea", "police", "Str. Cuza Vodă 2"),
    ("Poliția Locală Focșani", "police", "Str. Mihail Kogălniceanu 6"),
    ("Administrația Județeană a Finanțelor Publice", "tax_office", "Str. Cuza Vodă 58"),
    ("Direcția Economică — Taxe și Impozite Locale", "tax_office", "Str. Nicolae Titulescu 2"),
    ("Biblioteca Județeană „Duiliu Zamfirescu”", "library", "Str. Mihail Kogălniceanu 13"),
    ("Muzeul Vrancei", "museum", "Bd. Gării 1"),
    ("Muzeul Unirii", "museum", "Str. Cuza Vodă 1"),
    ("Muzeul de Istorie și Etnografie", "museum", "Str. Mare a Unirii 15"),
    ("Teatrul Municipal „Maria Filotti”", "theatre", "Str. Republicii 6"),
    ("Ateneul Popular „Maior Gheorghe Pastia”", "theatre", "Str. Cuza Vodă 1"),
    ("Gara Focșani", "station", "Piața Gării 1"),
    ("Autogara Focșani", "station", "Str. Cuza Vodă 90"),
    ("Universitatea „Danubius” — Centrul Focșani", "university", "Str. Cezar Bolliac 4"),
    ("Centrul Universitar Focșani", "university", "Bd. Unirii 50"),
    ("Colegiul Național „Unirea”", "school", "Str. Cuza Vodă 30"),
    ("Colegiul Național „Al. I. Cuza”", "school", "Bd. Unirii 50"),
    ("Colegiul Tehnic „Valeriu D. Cotea”", "school", "Str. Cuza Vodă 56"),
    ("Liceul de Arte „Gheorghe Tattarescu”", "school", "Str. Cuza Vodă 5"),
    ("Liceul Pedagogic „Spiru Haret”", "school", "Bd. Unirii 44"),
    ("Școala Gimnazială nr. 3", "school", "Str. Mihail Kogălniceanu 20"),
    ("Școala Gimnazială nr. 7", "school", "Str. Aurora 2"),
    ("Școala Gimnazială nr. 10", "school", "Str. Dornei 4"),
    ("Școala Gimnazială „Anghel Saligny”", "school", "Str. Zefirului 3"),
    ("Școala Gimnazială „Duiliu Zamfirescu”", "school", "Str. Eroilor 1"),
    ("Grădinița nr. 2", "kindergarten", "Str. Ana Ipătescu 4"),
    ("Grădinița nr. 11", "kindergarten", "Str. Cotești 7"),
    ("Grădinița nr. 17", "kindergarten", "Str. Bucegi 2"),
    ("Grădinița „Dumbrava Minunată”", "kindergarten", "Str. Independenței 8"),
    ("Catedrala „Sf. Ioan Botezătorul”", "church", "Str. Republicii 1"),
    ("Biserica „Sf. Nicolae”", "church", "Str. Republicii 40"),
    ("Biserica Romano-Catolică", "church", "Str. Mărășești 2"),
    ("Parcul Central", "park", "Bd. Unirii"),
    ("Parcul Mihail Kogălniceanu", "park", "Str. Mihail Kogălniceanu"),
    ("Grădina Publică", "park", "Str. Cuza Vodă"),
    ("Casa de Cultură a Sindicatelor", "other", "Bd. Independenței 1"),
    ("Centrul Școlar pentru Educație Incluzivă", "school", "Str. Cuza Vodă 40"),
    ("Direcția Generală de Asistență Socială Vrancea", "other", "Bd. Gării 5"),
    ("Casa Județeană de Pensii", "other", "Str. Cuza Vodă 58 bis"),
    ("Agenția Județeană pentru Ocuparea Forței de Muncă", "other", "Str. Cuza Vodă 58"),
    ("Serviciul Public Comunitar de Pașapoarte", "other", "Str. Cuza Vodă 2"),
    ("Serviciul de Permise și Înmatriculări", "other", "Str. Cuza Vodă 2"),
    ("Clubul Copiilor Focșani", "other", "Str. Republicii 12"),
    ("Sala Sporturilor Focșani", "park", "Str. Mărășești 18"),
    ("Cantina de Ajutor Social", "other", "Str. Cotești 10"),
];

/// A deterministic spread of audits: step-free, one small step, ramps of several slopes, stairs,
/// narrow doors, toilets, aids for blind and deaf visitors, and some places with no audit at all.
fn audit_for(i: usize) -> Option<Audit> {
    let base = match i % 8 {
        0 => Audit { step_free: Some(true), door_width_cm: Some(95), automatic_door: Some(true), ..Default::default() },
        1 => Audit {
            step_free: Some(false),
            steps: Some(1),
            step_height_cm: Some(5),
            door_width_cm: Some(90),
            ..Default::default()
        },
        2 => Audit {
            step_free: Some(false),
            steps: Some(4),
            ramp: Some(true),
            ramp_slope_pct: Some(5),
            ramp_removable: Some(false),
            handrail: Some(true),
            door_width_cm: Some(100),
            ..Default::default()
        },
        3 => Audit {
            step_free: Some(false),
            steps: Some(6),
            step_height_cm: Some(16),
            ramp: Some(false),
            ..Default::default()
        },
        4 => Audit {
            step_free: Some(false),
            steps: Some(3),
            ramp: Some(true),
            ramp_slope_pct: Some(10),
            doorbell: Some(true),
            ..Default::default()
        },
        5 => return None,
        6 => Audit {
            step_free: Some(true),
            door_width_cm: Some(75),
            lift: Some(true),
            lift_all_floors: Some(false),
            ..Default::default()
        },
        _ => Audit { steps: Some(2), ramp: Some(true), ramp_removable: Some(true), ..Default::default() },
    };
    let mut a = base;
    if i.is_multiple_of(3) {
        a.toilet = Some(true);
        a.toilet_turning_space = Some(true);
        a.toilet_grab_bars = Some(true);
        a.toilet_door_cm = Some(90);
    } else if i % 3 == 1 {
        a.toilet = Some(false);
    }
    if i.is_multiple_of(4) {
        a.tactile_paving = Some(true);
        a.high_contrast = Some(true);
        a.notes_blind = "Pavaj tactil de la trotuar până la ghișeu.".into();
    }
    if i.is_multiple_of(5) {
        a.audio_loop = Some(true);
        a.notes_deaf = "Buclă de inducție la ghișeul principal.".into();
    } else if i % 5 == 1 {
        a.sign_language = Some(false);
    }
    if i.is_multiple_of(6) {
        a.parking = Some(true);
        a.parking_count = Some(2);
        a.parking_distance_m = Some(20);
    }
    if a.lift.is_none() && i.is_multiple_of(2) {
        a.lift = Some(i.is_multiple_of(4));
    }
    a.staff_trained = match i % 7 {
        0 => Some(true),
        1 => Some(false),
        _ => None,
    };
    Some(a)
}

/// A position inside Focșani (lat 45.690–45.710, lon 27.170–27.200), spread without clumping.
fn position(i: usize) -> (f64, f64) {
    let a = (i as f64 * 0.618_033_988_75).fract();
    let b = (i as f64 * 0.754_877_666_25 + 0.31).fract();
    (45.690 + 0.020 * a, 27.170 + 0.030 * b)
}

/// (place index, problem, description, state reached)
const REPORTS: &[(usize, &str, &str, &str)] = &[
    (3, "entrance", "Șase trepte înalte la intrarea principală și nicio rampă.", "new"),
    (7, "door", "Ușa de la intrare se blochează pe jumătate; trece doar un scaun rulant îngust.", "confirmed"),
    (11, "ramp", "Rampa are panta prea mare și nu are balustradă.", "confirmed"),
    (19, "toilet", "Toaleta accesibilă este folosită ca depozit și este încuiată.", "sent"),
    (24, "entrance", "Treptele de la intrare nu au nicio alternativă pentru scaun rulant.", "sent_overdue"),
    (27, "lift", "Liftul spre peroane nu funcționează de două luni.", "answered"),
    (13, "parking", "Locul de parcare rezervat este ocupat de o terasă.", "fixed"),
    (35, "entrance", "Intrarea fără trepte este pe ușa laterală, care e închisă.", "rejected"),
    (35, "entrance", "Ușa laterală închisă (aceeași problemă, semnalată din nou).", "duplicate"),
    (45, "blind", "Lipsesc indicatoarele tactile spre ghișee.", "not_responsible"),
];

pub async fn load(db: &Db) -> Result<(), sqlx::Error> {
    let exists: i64 =
        sqlx::query("SELECT COUNT(*) FROM map_places WHERE is_demo = 1").fetch_one(&db.pool).await?.try_get(0)?;
    if exists > 0 {
        return Ok(());
    }
    let org: Option<i64> = sqlx::query("SELECT id FROM organisations WHERE slug = $1")
        .bind(ORG_SLUG)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.get(0));
    // Overdue petitions are mailed to the group's contact address.
    sqlx::query("UPDATE organisations SET contact_email = $1 WHERE slug = $2 AND contact_email = ''")
        .bind("contact@dizabil-vrancea.example")
        .bind(ORG_SLUG)
        .execute(&db.pool)
        .await?;
    // The demo group follows Focșani: reports of places residents add there reach it.
    if let Some(org) = org {
        mapdb::assign_locality(db, "Focșani", org, 0).await?;
    }
    let today = app::map::today();
    let mut ids = vec![];
    for (i, (name, category, address)) in PLACES.iter().enumerate() {
        let (lat, lon) = position(i);
        let p = NewPlace {
            name: name.to_string(),
            category: category.to_string(),
            address: address.to_string(),
            locality: "Focșani".into(),
            county: "Vrancea".into(),
            lat,
            lon,
            contact: String::new(),
            osm_id: String::new(),
            authority_id: mapdb::default_authority(db, "Focșani", category).await?,
            org_id: org,
        };
        let id = mapdb::insert_place(&db.pool, &p, None, true).await?;
        if let Some(a) = audit_for(i) {
            // Older unverified audits on some places, newer verified ones on most.
            if i % 4 == 1 {
                insert_audit(db, id, &Audit { steps: Some(3), ..Default::default() }, today - 900, false).await?;
            }
            insert_audit(db, id, &a, today - (i as i64 * 11) % 500, i % 3 != 2).await?;
        }
        ids.push(id);
    }
    let now = now();
    for (n, (idx, problem, description, state)) in REPORTS.iter().enumerate() {
        let place = ids[*idx % ids.len()];
        let created = now - (90 - n as i64 * 5) * 86_400;
        let rid: i64 = sqlx::query(
            "INSERT INTO map_reports (place_id, problem, description, state, is_demo, created_at, updated_at)
             VALUES ($1, $2, $3, 'new', 1, $4, $4) RETURNING id",
        )
        .bind(place)
        .bind(*problem)
        .bind(*description)
        .bind(created)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?;
        let mut steps: Vec<(&str, &str, &str, &str)> = vec![("created", "new", "reporter", "")];
        let path: &[(&str, &str, &str, &str)] = match *state {
            "confirmed" => &[("confirm", "confirmed", "org", "Am verificat la fața locului.")],
            "sent" | "sent_overdue" => &[
                ("confirm", "confirmed", "org", "Confirmat de echipa grupului."),
                ("send", "sent", "org", "Petiție depusă la registratură."),
            ],
            "answered" => &[
                ("confirm", "confirmed", "org", "Confirmat."),
                ("send", "sent", "org", "Petiție depusă."),
                ("answer", "answered", "official", "Lucrarea de reparație este programată luna viitoare."),
            ],
            "fixed" => &[
                ("confirm", "confirmed", "moderator", "Confirmat."),
                ("send", "sent", "org", "Petiție depusă."),
                ("answer", "answered", "official", "Terasa a fost mutată."),
                ("fixed", "fixed", "reporter", "Locul este liber acum."),
            ],
            "rejected" => {
                &[("reject", "rejected", "moderator", "Intrarea laterală este deschisă în programul de lucru.")]
            }
            "duplicate" => &[("duplicate", "duplicate", "org", "Aceeași problemă este deja semnalată.")],
            "not_responsible" => &[
                ("confirm", "confirmed", "org", "Confirmat."),
                ("send", "sent", "org", "Petiție depusă."),
                ("not_responsible", "not_responsible", "official", "Clădirea aparține Consiliului Județean."),
            ],
            _ => &[],
        };
        steps.extend_from_slice(path);
        for (k, (action, to, role, comment)) in steps.iter().enumerate() {
            sqlx::query(
                "INSERT INTO map_report_events (report_id, actor_role, action, to_state, comment, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(rid)
            .bind(*role)
            .bind(*action)
            .bind(*to)
            .bind(*comment)
            .bind(created + k as i64 * 3 * 86_400)
            .execute(&db.pool)
            .await?;
        }
        let final_state = if *state == "sent_overdue" { "sent" } else { state };
        // Registered 40 days ago: past the 30-day term (overdue); 10 days ago: still running.
        let registered = match *state {
            "sent_overdue" => Some(today - 40),
            "sent" => Some(today - 10),
            "answered" | "fixed" | "not_responsible" => Some(today - 60),
            _ => None,
        };
        sqlx::query(
            "UPDATE map_reports SET state = $1, registration_no = $2, registered_day = $3, due_day = $4 WHERE id = $5",
        )
        .bind(final_state)
        .bind(registered.map(|_| format!("{}/{}", 12000 + n, 2026)).unwrap_or_default())
        .bind(registered)
        .bind(registered.map(|d| answer_due(d, false)))
        .bind(rid)
        .execute(&db.pool)
        .await?;
        app::map::service::places::refresh(db, place, today).await?;
    }
    tracing::info!(places = PLACES.len(), reports = REPORTS.len(), "map demo data loaded");
    Ok(())
}

async fn insert_audit(db: &Db, place: i64, a: &Audit, day: i64, verified: bool) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO map_audits (place_id, data, checked_day, verified, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(place)
    .bind(serde_json::to_string(a).unwrap_or_default())
    .bind(day)
    .bind(verified as i64)
    .bind(now())
    .execute(&db.pool)
    .await?;
    app::map::service::places::refresh(db, place, app::map::today()).await
}
