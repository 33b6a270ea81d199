//! The list's map: markers and clusters of the current view, fetched by bounding box as it moves.
use super::*;
use crate::map::pages::widget::MapLabels;

#[derive(serde::Deserialize)]
struct MapData {
    points: Vec<(i64, f64, f64, String, String, i64)>,
    clusters: Vec<(f64, f64, i64, i64)>,
}

fn rating_index(code: &str) -> usize {
    match code {
        "yes" => 0,
        "limited" => 1,
        "no" => 2,
        _ => 3,
    }
}

/// The rating's shape by `rating_index`, as on the list (`pages::rating_icon`): drawn, not a
/// character that a phone's fonts may lack.
fn symbol(i: usize) -> String {
    use crate::ui::icons::IconName;
    [IconName::Check, IconName::Alert, IconName::Cross, IconName::Question][i].svg()
}

pub fn start_map(tile_url: &str, attribution: &str, query: &str, lat: f64, lon: f64, zoom: i64, labels: &MapLabels) {
    if !has_leaflet() {
        return;
    }
    let map = new_map(
        "map-canvas",
        tile_url,
        attribution,
        (lat, lon, zoom),
        &labels.zoom_in,
        &labels.zoom_out,
        &labels.leaflet,
    );
    let layer = layer_group().add_to(&map);
    let map = std::rc::Rc::new(map);
    let layer = std::rc::Rc::new(layer);
    let generation = std::rc::Rc::new(std::cell::Cell::new(0u32));
    let (query, labels) = (query.to_string(), labels.clone());
    let load = {
        let (map, layer, generation) = (map.clone(), layer.clone(), generation.clone());
        move || {
            let bbox = inner_bbox(&map);
            let z = map.get_zoom() as i64;
            let url = format!("/map/data.json?bbox={bbox}&z={z}&{query}");
            generation.set(generation.get() + 1);
            let mine = generation.get();
            let (map, layer, generation, labels) = (map.clone(), layer.clone(), generation.clone(), labels.clone());
            leptos::task::spawn_local(async move {
                let Ok(resp) = gloo_net::http::Request::get(&url).send().await else { return };
                let Ok(data) = resp.json::<MapData>().await else { return };
                // A later move already asked again: drop this answer.
                if generation.get() != mine {
                    return;
                }
                draw(&map, &layer, &data, &labels);
            });
        }
    };
    load();
    let on_move = Closure::<dyn FnMut()>::new(load);
    map.on("moveend", &on_move);
    on_move.forget();
}

/// The map's view minus a margin where the zoom buttons and the attribution sit, so no marker
/// is drawn under a control (overlapping targets fail WCAG 2.5.8). "west,south,east,north".
fn inner_bbox(map: &LMap) -> String {
    let size = map.get_size();
    let (w, h) = (prop(&size, "x"), prop(&size, "y"));
    let pt = |x: f64, y: f64| -> JsValue { js_sys::Array::of2(&x.into(), &y.into()).into() };
    let nw = map.container_to_latlng(&pt(66.0, 100.0));
    let se = map.container_to_latlng(&pt((w - 24.0).max(67.0), (h - 44.0).max(101.0)));
    format!("{},{},{},{}", prop(&nw, "lng"), prop(&se, "lat"), prop(&se, "lng"), prop(&nw, "lat"))
}

fn draw(map: &std::rc::Rc<LMap>, layer: &LLayer, data: &MapData, labels: &MapLabels) {
    layer.clear_layers();
    for (id, lat, lon, rating, name, overdue) in &data.points {
        let i = rating_index(rating);
        let label = &labels.ratings[i];
        let extra = if *overdue > 0 { format!(" — {}", labels.overdue) } else { String::new() };
        let html = format!(
            "<span class=\"pin pin-{rating}{}\"><span class=\"pin-symbol\" aria-hidden=\"true\">{}</span><span class=\"visually-hidden\">{}: {}{}</span></span>",
            if *overdue > 0 { " pin-overdue" } else { "" },
            symbol(i),
            esc(name),
            esc(label),
            esc(&extra),
        );
        let icon = div_icon(&obj(&[
            ("html", html.into()),
            ("className", "pin-wrap".into()),
            ("iconSize", js_sys::Array::of2(&32.into(), &32.into()).into()),
        ]));
        let m = marker(
            &latlng(*lat, *lon),
            &obj(&[("icon", icon), ("keyboard", true.into()), ("title", format!("{name}: {label}{extra}").into())]),
        );
        m.bind_popup(&format!(
            "<p class=\"popup-title\"><a href=\"/map/places/{id}\">{}</a></p><p>{} {}{}</p>",
            esc(name),
            symbol(i),
            esc(label),
            esc(&extra)
        ));
        layer.add_layer(&m);
    }
    for (lat, lon, count, accessible) in &data.clusters {
        let text = labels.cluster.replace("{n}", &count.to_string()).replace("{k}", &accessible.to_string());
        let html = format!(
            "<span class=\"cluster\"><span aria-hidden=\"true\">{count}</span><span class=\"visually-hidden\">{}</span></span>",
            esc(&text)
        );
        let icon = div_icon(&obj(&[
            ("html", html.into()),
            ("className", "pin-wrap".into()),
            ("iconSize", js_sys::Array::of2(&40.into(), &40.into()).into()),
        ]));
        let m = marker(&latlng(*lat, *lon), &obj(&[("icon", icon), ("keyboard", true.into()), ("title", text.into())]));
        let (map2, lat, lon) = (map.clone(), *lat, *lon);
        let zoom_in = Closure::<dyn FnMut()>::new(move || {
            let z = map2.get_zoom() + 2.0;
            map2.set_view(&latlng(lat, lon), z);
        });
        m.on_marker("click", &zoom_in);
        zoom_in.forget();
        layer.add_layer(&m);
    }
}
