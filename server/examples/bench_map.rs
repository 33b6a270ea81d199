//! Benchmark of the accessibility map (run by hand, see `server/scripts/bench_map.sh`):
//! generates N institutions with audits across Romania (default 10,000; `--places 100000`) into the
//! database named by `DATABASE_URL` (or `DATA_DIR`'s SQLite file), then times the queries the map
//! and the list make, server-side, and prints the payload size of a city view.
//!
//! `cargo run --release -p server --example bench_map -- --places 10000`
use app::map::db as mapdb;
use app::map::rules::Audit;
use app::map::PlaceFilter;
use server::Config;
use std::time::Instant;

/// west, south, east, north
type BBox = (f64, f64, f64, f64);

fn pct(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// A small deterministic generator (no dependency needed for a benchmark's data).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.windows(2).find(|w| w[0] == "--places").and_then(|w| w[1].parse().ok()).unwrap_or(10_000);
    let cfg = Config::from_env()?;
    let db = server::prepare_db(&cfg).await?;
    let existing: i64 = sqlx::Row::get(&sqlx::query("SELECT COUNT(*) FROM map_places").fetch_one(&db.pool).await?, 0);
    let today = app::map::today();
    if (existing as usize) < n {
        let t = Instant::now();
        let mut rng = Lcg(42);
        let cats = app::map::rules::CATEGORIES;
        // A third of the places in and around Focșani (a dense city), the rest spread over Romania.
        let mut tx = db.pool.begin().await?;
        for i in existing as usize..n {
            let (lat, lon, locality) = if i.is_multiple_of(3) {
                (45.66 + rng.next() * 0.08, 27.13 + rng.next() * 0.11, "Focșani".to_string())
            } else {
                (43.7 + rng.next() * 4.5, 20.3 + rng.next() * 9.3, format!("Localitatea {}", i % 500))
            };
            let p = mapdb::NewPlace {
                name: format!("Instituția generată {i}"),
                category: cats[i % cats.len()].to_string(),
                locality,
                county: "Vrancea".into(),
                lat,
                lon,
                ..Default::default()
            };
            let id = mapdb::insert_place(&mut *tx, &p, None, false).await?;
            let a = Audit {
                step_free: Some(i.is_multiple_of(4)),
                steps: Some((i % 5) as i64),
                step_height_cm: Some((i % 12) as i64),
                toilet: Some(i.is_multiple_of(3)),
                toilet_turning_space: Some(i.is_multiple_of(2)),
                toilet_grab_bars: Some(true),
                audio_loop: Some(i.is_multiple_of(7)),
                ..Default::default()
            };
            let (rating, _) = app::map::rules::rate(&a);
            let b = app::map::rules::badges(&a);
            sqlx::query(
                "INSERT INTO map_audits (place_id, data, checked_day, verified, created_at) VALUES ($1, $2, $3, 1, 0)",
            )
            .bind(id)
            .bind(serde_json::to_string(&a)?)
            .bind(today - (i % 700) as i64)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE map_places SET rating = $1, rating_rank = $2, step_free = $3, badge_toilet = $4, badge_deaf = $5 WHERE id = $6",
            )
            .bind(rating.code())
            .bind(rating.rank())
            .bind((a.step_free == Some(true)) as i64)
            .bind(b.toilet as i64)
            .bind(b.deaf as i64)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        println!("generated {} places in {:.1} s", n - existing as usize, t.elapsed().as_secs_f64());
    }
    // A signed-in visitor for the HTTP part (`--session-file F` writes the cookie value): signed-in
    // pages bypass the anonymous page cache, so the list is measured both ways.
    if let Some(path) = args.windows(2).find(|w| w[0] == "--session-file").map(|w| w[1].clone()) {
        let email = "bench@participa.test";
        let user = match app::accounts::db::find_user_by_email(&db, email).await? {
            Some(u) => u.id,
            None => app::accounts::db::create_user(&db, email, "!", "Bench", "ro").await?,
        };
        sqlx::query("UPDATE users SET email_verified_at = $1 WHERE id = $2")
            .bind(app::ssr::now())
            .bind(user)
            .execute(&db.pool)
            .await?;
        let token = format!("bench-{}", app::ssr::public_id());
        let hash = app::ssr::sha256_hex(&token);
        app::accounts::db::create_session(&db, &hash, user, app::ssr::now() + 86_400, "bench").await?;
        std::fs::write(&path, &token)?;
    }
    let runs = 200;
    let city = (27.15, 45.67, 27.23, 45.73);
    let country = (20.0, 43.5, 30.0, 48.5);
    let cases: Vec<(&str, BBox, i64, PlaceFilter)> = vec![
        ("city view z14, no filter", city, 14, PlaceFilter::default()),
        (
            "city view z14, step-free + toilet",
            city,
            14,
            PlaceFilter { needs: "step_free,toilet".into(), ..Default::default() },
        ),
        (
            "city view z16, rating=yes",
            (27.17, 45.69, 27.20, 45.71),
            16,
            PlaceFilter { rating: "yes".into(), ..Default::default() },
        ),
        ("country view z7 (clusters)", country, 7, PlaceFilter::default()),
    ];
    for (label, b, z, f) in &cases {
        let mut times = vec![];
        let mut size = 0;
        let mut shape = (0, 0);
        for _ in 0..runs {
            let t = Instant::now();
            let d = app::map::service::places::bbox(&db, f, *b, *z).await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            size = serde_json::to_vec(&d)?.len();
            shape = (d.points.len(), d.clusters.len());
        }
        println!(
            "bbox {label:<36} p50 {:6.2} ms  p99 {:6.2} ms  ({} points, {} clusters, {} KB JSON before gzip)",
            pct(times.clone(), 0.5),
            pct(times, 0.99),
            shape.0,
            shape.1,
            size / 1024
        );
    }
    let lists = [
        ("list: page 1 by name", PlaceFilter { page: 1, ..Default::default() }),
        (
            "list: Focșani by rating",
            PlaceFilter { locality: "Focșani".into(), sort: "rating".into(), page: 1, ..Default::default() },
        ),
        (
            "list: near 45.70,27.18 by distance",
            PlaceFilter {
                lat: "45.70".into(),
                lon: "27.18".into(),
                sort: "distance".into(),
                page: 1,
                ..Default::default()
            },
        ),
    ];
    for (label, f) in lists {
        let mut times = vec![];
        for _ in 0..runs {
            let t = Instant::now();
            mapdb::search(&db, &f).await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!("{label:<41} p50 {:6.2} ms  p99 {:6.2} ms", pct(times.clone(), 0.5), pct(times, 0.99));
    }
    Ok(())
}
