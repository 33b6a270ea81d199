//! Geography: distances, valid coordinates, and the markers of the map (points apart enough to
//! tap, clusters where they would overlap).
use serde::Serialize;

/// Distance in metres between two points (haversine; good enough inside a country).
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let r = 6_371_000.0_f64;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * r * h.sqrt().asin()
}

/// Coordinates that can be on a map (and inside Romania's rough box when `romania` is set).
pub fn valid_coords(lat: f64, lon: f64) -> bool {
    lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)
}

/// Map data for a bounding box: single points when few enough, else clusters.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MapData {
    /// [id, lat, lon, rating code, name, overdue 0/1]
    pub points: Vec<(i64, f64, f64, &'static str, String, i64)>,
    /// [lat, lon, count, accessible count]
    pub clusters: Vec<(f64, f64, i64, i64)>,
}

/// Marker centres closer than this (screen pixels) are merged, so no two targets overlap
/// (markers are 32 px, clusters 40 px; WCAG 2.5.8 asks for 24 px targets with spacing).
pub const MIN_MARKER_GAP_PX: f64 = 44.0;

/// Web-Mercator pixel position of a point at a zoom level (256 px tiles).
fn pixel(lat: f64, lon: f64, zoom: i64) -> (f64, f64) {
    let scale = 256.0 * f64::powi(2.0, zoom.clamp(0, 22) as i32);
    let lat = lat.clamp(-85.0, 85.0).to_radians();
    let x = (lon + 180.0) / 360.0 * scale;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * scale;
    (x, y)
}

/// Greedy screen-space clustering: every point or cluster closer than `MIN_MARKER_GAP_PX` to a
/// group joins it (weighted centre); lone points stay points. Repeated until no two groups touch.
pub fn declutter(
    points: Vec<(i64, f64, f64, &'static str, String, i64)>,
    clusters: Vec<(f64, f64, i64, i64)>,
    zoom: i64,
) -> MapData {
    struct Group {
        lat: f64,
        lon: f64,
        count: i64,
        accessible: i64,
        point: Option<usize>,
    }
    let mut groups: Vec<Group> = points
        .iter()
        .enumerate()
        .map(|(i, p)| Group { lat: p.1, lon: p.2, count: 1, accessible: (p.3 == "yes") as i64, point: Some(i) })
        .chain(clusters.iter().map(|c| Group { lat: c.0, lon: c.1, count: c.2, accessible: c.3, point: None }))
        .collect();
    loop {
        let mut merged = false;
        let mut out: Vec<Group> = Vec::with_capacity(groups.len());
        for g in groups {
            let (gx, gy) = pixel(g.lat, g.lon, zoom);
            let near = out.iter_mut().find(|o| {
                let (ox, oy) = pixel(o.lat, o.lon, zoom);
                (ox - gx).hypot(oy - gy) < MIN_MARKER_GAP_PX
            });
            match near {
                Some(o) => {
                    let n = (o.count + g.count) as f64;
                    o.lat = (o.lat * o.count as f64 + g.lat * g.count as f64) / n;
                    o.lon = (o.lon * o.count as f64 + g.lon * g.count as f64) / n;
                    o.count += g.count;
                    o.accessible += g.accessible;
                    o.point = None;
                    merged = true;
                }
                None => out.push(g),
            }
        }
        groups = out;
        if !merged {
            break;
        }
    }
    let round5 = |x: f64| (x * 100_000.0).round() / 100_000.0;
    let mut data = MapData { points: vec![], clusters: vec![] };
    for g in groups {
        match g.point {
            Some(i) => data.points.push(points[i].clone()),
            None => data.clusters.push((round5(g.lat), round5(g.lon), g.count, g.accessible)),
        }
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_never_overlap_on_screen() {
        // Three places 10 m apart and one 2 km away, at a city zoom: one cluster of three, one point.
        let p = |id, lat, lon| (id, lat, lon, "yes", format!("P{id}"), 0);
        let pts =
            vec![p(1, 45.7000, 27.1800), p(2, 45.70009, 27.1800), p(3, 45.7000, 27.18013), p(4, 45.7180, 27.1800)];
        let d = declutter(pts.clone(), vec![], 15);
        assert_eq!(d.points.len(), 1);
        assert_eq!(d.points[0].0, 4);
        assert_eq!(d.clusters.len(), 1);
        assert_eq!((d.clusters[0].2, d.clusters[0].3), (3, 3));
        // Zoomed far in, the same places are far enough apart to stand alone.
        assert_eq!(declutter(pts, vec![], 21).points.len(), 4);
        // Every pair of remaining markers is at least the gap apart.
        let many: Vec<_> =
            (0..200).map(|i| p(i, 45.69 + (i % 20) as f64 * 0.001, 27.17 + (i / 20) as f64 * 0.003)).collect();
        let d = declutter(many, vec![], 14);
        let centres: Vec<(f64, f64)> = d
            .points
            .iter()
            .map(|p| pixel(p.1, p.2, 14))
            .chain(d.clusters.iter().map(|c| pixel(c.0, c.1, 14)))
            .collect();
        for (i, a) in centres.iter().enumerate() {
            for b in &centres[i + 1..] {
                assert!((a.0 - b.0).hypot(a.1 - b.1) >= MIN_MARKER_GAP_PX);
            }
        }
        let total: i64 = d.points.len() as i64 + d.clusters.iter().map(|c| c.2).sum::<i64>();
        assert_eq!(total, 200, "nobody lost");
    }

    #[test]
    fn distances() {
        // Focșani centre to the railway station is about 1.5 km.
        let d = distance_m(45.6965, 27.1840, 45.6900, 27.2020);
        assert!((1_400.0..1_700.0).contains(&d), "{d}");
        assert!(valid_coords(45.7, 27.18));
        assert!(!valid_coords(f64::NAN, 27.0));
        assert!(!valid_coords(95.0, 27.0));
    }
}
