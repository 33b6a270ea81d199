//! The interactive islands of the map: the Leaflet map (thin bindings to `window.L`, data fetched
//! by bounding box), "near me" (browser geolocation into the list's form), and the report form's
//! draft keeper + upload with progress. Everything they enhance works without them.
use crate::i18n::{t, K};
use leptos::prelude::*;

/// Labels the map needs in the browser (islands get no server context, so they travel as props).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MapLabels {
    pub ratings: [String; 4],
    pub cluster: String,
    pub open: String,
    pub overdue: String,
    pub region: String,
    /// Leaflet's own controls, translated.
    pub zoom_in: String,
    pub zoom_out: String,
    pub leaflet: String,
}

/// Labels of the "tap the map to drop the pin" map on the new-place form.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PinLabels {
    pub region: String,
    pub hint: String,
    /// "Pin placed at {lat}, {lon}."
    pub set: String,
    pub centre: String,
    pub zoom_in: String,
    pub zoom_out: String,
    pub leaflet: String,
}

/// A small map on the new-place form: tapping it (or "place the pin at the centre", for the
/// keyboard) writes the coordinates into the form's latitude/longitude fields, which stay
/// editable; typed coordinates and "where I am" move the pin. Without JS only the fields show.
#[island]
pub fn PinMap(
    tile_url: String,
    attribution: String,
    lat: f64,
    lon: f64,
    zoom: i64,
    labels: PinLabels,
) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let ready = RwSignal::new(false);
    let (region, hint, centre) = (labels.region.clone(), labels.hint.clone(), labels.centre.clone());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        ready.set(client::start_pin_map(&tile_url, &attribution, lat, lon, zoom, &labels, status));
        #[cfg(not(feature = "hydrate"))]
        let _ = (&tile_url, &attribution, lat, lon, zoom, &labels);
    });
    let on_centre = move |_| {
        #[cfg(feature = "hydrate")]
        client::pin_centre();
    };
    view! {
        <div class="pin-map" class:ready=move || ready.get()>
            <p class="hint" id="pin-map-hint">{move || ready.get().then(|| hint.clone())}</p>
            <div id="pin-canvas" class="map-canvas pin-canvas" role="region" aria-label=region aria-describedby="pin-map-hint"></div>
            {move || ready.get().then(|| view! {
                <p class="near-row"><button type="button" id="pin-centre" class="button secondary" on:click=on_centre>{centre.clone()}</button></p>
            })}
            <p class="near-status" role="status">{move || status.get()}</p>
        </div>
    }
}

#[island]
pub fn MapIsland(
    tile_url: String,
    attribution: String,
    query: String,
    lat: f64,
    lon: f64,
    zoom: i64,
    labels: MapLabels,
) -> impl IntoView {
    let region = labels.region.clone();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        client::start_map(&tile_url, &attribution, &query, lat, lon, zoom, &labels);
        #[cfg(not(feature = "hydrate"))]
        let _ = (&tile_url, &attribution, &query, lat, lon, zoom, &labels);
    });
    view! { <div id="map-canvas" class="map-canvas" role="region" aria-label=region></div> }
}

/// Fills the list form's `lat`/`lon` from the browser's position and submits it, sorted by distance.
#[island]
pub fn NearMe() -> impl IntoView {
    let status = RwSignal::new(String::new());
    let locating = t(K::map_near_locating).to_string();
    let denied = t(K::map_near_denied).to_string();
    let on_click = move |_| {
        status.set(locating.clone());
        #[cfg(feature = "hydrate")]
        client::locate(status, denied.clone(), "lat", "lon", true);
        #[cfg(not(feature = "hydrate"))]
        let _ = &denied;
    };
    view! {
        <button type="button" class="button secondary near-me" on:click=on_click>{t(K::map_near_me)}</button>
        <span class="near-status" role="status">{move || status.get()}</span>
    }
}

/// Drops the new place's pin where the phone is: fills the report form's coordinates.
#[island]
pub fn PinHere() -> impl IntoView {
    let status = RwSignal::new(String::new());
    let locating = t(K::map_near_locating).to_string();
    let denied = t(K::map_near_denied).to_string();
    let on_click = move |_| {
        status.set(locating.clone());
        #[cfg(feature = "hydrate")]
        client::locate(status, denied.clone(), "f-lat", "f-lon", false);
        #[cfg(not(feature = "hydrate"))]
        let _ = &denied;
    };
    view! {
        <button type="button" class="button secondary" on:click=on_click>{t(K::map_pin_here)}</button>
        <span class="near-status" role="status">{move || status.get()}</span>
    }
}

/// Keeps the report form's draft in the browser across reloads and lost connections (text in
/// localStorage, the chosen photos as files in IndexedDB, both restored on the next visit and
/// forgotten once the report is sent), and sends it with a progress bar; problems come back next
/// to their fields and the rest of the form stays.
#[island]
pub fn ReportDraft(form_id: String, draft_key: String) -> impl IntoView {
    let progress = RwSignal::new(None::<u32>);
    let message = RwSignal::new(String::new());
    let offline = t(K::map_upload_offline).to_string();
    let restored = t(K::map_draft_restored).to_string();
    let photo_kept = t(K::map_draft_photo_kept).to_string();
    let photo_large = t(K::map_draft_photo_large).to_string();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        client::wire_form(
            &form_id,
            &draft_key,
            progress,
            message,
            client::DraftText {
                offline: offline.clone(),
                restored: restored.clone(),
                photo_kept: photo_kept.clone(),
                photo_large: photo_large.clone(),
            },
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = (&form_id, &draft_key, &offline, &restored, &photo_kept, &photo_large);
    });
    view! {
        <div class="upload-status">
            {move || progress.get().map(|p| view! {
                <label class="progress-label">{t(K::map_uploading)} " " {p} "%" <progress max="100" value=p></progress></label>
            })}
            <p class="draft-note" role="status">{move || message.get()}</p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use super::MapLabels;
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    #[wasm_bindgen]
    extern "C" {
        type LMap;
        #[wasm_bindgen(js_namespace = L, js_name = map)]
        fn l_map(id: &str, opts: &JsValue) -> LMap;
        #[wasm_bindgen(method, js_name = setView)]
        fn set_view(this: &LMap, center: &JsValue, zoom: f64);
        #[wasm_bindgen(method, js_name = getSize)]
        fn get_size(this: &LMap) -> JsValue;
        #[wasm_bindgen(method, js_name = containerPointToLatLng)]
        fn container_to_latlng(this: &LMap, p: &JsValue) -> JsValue;
        #[wasm_bindgen(method, js_name = getZoom)]
        fn get_zoom(this: &LMap) -> f64;
        #[wasm_bindgen(method)]
        fn on(this: &LMap, ev: &str, f: &Closure<dyn FnMut()>);
        #[wasm_bindgen(method, js_name = on)]
        fn on_ev(this: &LMap, ev: &str, f: &Closure<dyn FnMut(JsValue)>);
        #[wasm_bindgen(method, js_name = getCenter)]
        fn get_center(this: &LMap) -> JsValue;

        type LControl;
        #[wasm_bindgen(js_namespace = ["L", "control"], js_name = zoom)]
        fn control_zoom(opts: &JsValue) -> LControl;
        #[wasm_bindgen(js_namespace = ["L", "control"], js_name = attribution)]
        fn control_attribution(opts: &JsValue) -> LControl;
        #[wasm_bindgen(method, js_name = addTo)]
        fn add_control(this: &LControl, m: &LMap) -> LControl;

        type LLayer;
        #[wasm_bindgen(js_namespace = L, js_name = tileLayer)]
        fn tile_layer(url: &str, opts: &JsValue) -> LLayer;
        #[wasm_bindgen(js_namespace = L, js_name = layerGroup)]
        fn layer_group() -> LLayer;
        #[wasm_bindgen(method, js_name = addTo)]
        fn add_to(this: &LLayer, m: &LMap) -> LLayer;
        #[wasm_bindgen(method, js_name = clearLayers)]
        fn clear_layers(this: &LLayer);
        #[wasm_bindgen(method, js_name = addLayer)]
        fn add_layer(this: &LLayer, l: &LMarker);

        type LMarker;
        #[wasm_bindgen(js_namespace = L, js_name = marker)]
        fn marker(at: &JsValue, opts: &JsValue) -> LMarker;
        #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
        fn div_icon(opts: &JsValue) -> JsValue;
        #[wasm_bindgen(method, js_name = bindPopup)]
        fn bind_popup(this: &LMarker, html: &str);
        #[wasm_bindgen(method, js_name = on)]
        fn on_marker(this: &LMarker, ev: &str, f: &Closure<dyn FnMut()>);
        #[wasm_bindgen(method, js_name = setLatLng)]
        fn set_lat_lng(this: &LMarker, at: &JsValue);
        #[wasm_bindgen(method, js_name = addTo)]
        fn marker_add_to(this: &LMarker, m: &LMap);
    }

    fn has_leaflet() -> bool {
        web_sys::window().map(|w| js_sys::Reflect::has(&w, &JsValue::from_str("L")).unwrap_or(false)).unwrap_or(false)
    }

    /// A Leaflet map whose own controls speak the page's language (zoom titles, the attribution
    /// prefix), with the configured tiles.
    #[allow(clippy::too_many_arguments)]
    fn new_map(
        id: &str,
        tile_url: &str,
        attribution: &str,
        (lat, lon, zoom): (f64, f64, i64),
        zoom_in: &str,
        zoom_out: &str,
        leaflet: &str,
    ) -> LMap {
        let map = l_map(
            id,
            &obj(&[
                ("scrollWheelZoom", false.into()),
                ("zoomControl", false.into()),
                ("attributionControl", false.into()),
            ]),
        );
        control_zoom(&obj(&[("zoomInTitle", zoom_in.into()), ("zoomOutTitle", zoom_out.into())])).add_control(&map);
        let prefix = format!("<a href=\"https://leafletjs.com\" title=\"{}\">Leaflet</a>", esc(leaflet));
        control_attribution(&obj(&[("prefix", prefix.into())])).add_control(&map);
        map.set_view(&latlng(lat, lon), zoom as f64);
        if !tile_url.is_empty() {
            tile_layer(tile_url, &obj(&[("attribution", attribution.into()), ("maxZoom", 19.into())])).add_to(&map);
        }
        map
    }

    #[derive(serde::Deserialize)]
    struct MapData {
        points: Vec<(i64, f64, f64, String, String, i64)>,
        clusters: Vec<(f64, f64, i64, i64)>,
    }

    fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
        let o = js_sys::Object::new();
        for (k, v) in pairs {
            let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), v);
        }
        o.into()
    }

    fn latlng(lat: f64, lon: f64) -> JsValue {
        js_sys::Array::of2(&lat.into(), &lon.into()).into()
    }

    use crate::text::escape_html as esc;

    fn rating_index(code: &str) -> usize {
        match code {
            "yes" => 0,
            "limited" => 1,
            "no" => 2,
            _ => 3,
        }
    }

    const SYMBOLS: [&str; 4] = ["✓", "!", "✕", "?"];

    pub fn start_map(
        tile_url: &str,
        attribution: &str,
        query: &str,
        lat: f64,
        lon: f64,
        zoom: i64,
        labels: &MapLabels,
    ) {
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

    fn prop(v: &JsValue, k: &str) -> f64 {
        js_sys::Reflect::get(v, &JsValue::from_str(k)).ok().and_then(|x| x.as_f64()).unwrap_or(0.0)
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
                SYMBOLS[i],
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
                SYMBOLS[i],
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
            let m =
                marker(&latlng(*lat, *lon), &obj(&[("icon", icon), ("keyboard", true.into()), ("title", text.into())]));
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

    type Place = std::rc::Rc<dyn Fn(f64, f64, bool)>;

    thread_local! {
        static PIN: std::cell::RefCell<Option<(std::rc::Rc<LMap>, Place)>> = const { std::cell::RefCell::new(None) };
    }

    /// Tells the form (and the draft keeper listening on it) that a field changed.
    fn changed(el: &web_sys::HtmlInputElement) {
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        if let Ok(ev) = web_sys::Event::new_with_event_init_dict("change", &init) {
            let _ = el.dispatch_event(&ev);
        }
    }

    fn typed_coords() -> Option<(f64, f64)> {
        let la = input("f-lat")?.value().trim().replace(',', ".").parse::<f64>().ok()?;
        let lo = input("f-lon")?.value().trim().replace(',', ".").parse::<f64>().ok()?;
        ((-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo)).then_some((la, lo))
    }

    /// The new-place map: a tap drops (or moves) the pin and fills the coordinate fields.
    pub fn start_pin_map(
        tile_url: &str,
        attribution: &str,
        lat: f64,
        lon: f64,
        zoom: i64,
        labels: &super::PinLabels,
        status: RwSignal<String>,
    ) -> bool {
        let Some(canvas) = web_sys::window().and_then(|w| w.document()?.get_element_by_id("pin-canvas")) else {
            return false;
        };
        if !has_leaflet() {
            return false;
        }
        // Shown before Leaflet measures it (without JS the empty box stays hidden).
        if let Some(wrap) = canvas.parent_element() {
            let _ = wrap.class_list().add_1("ready");
        }
        let map = std::rc::Rc::new(new_map(
            "pin-canvas",
            tile_url,
            attribution,
            (lat, lon, zoom),
            &labels.zoom_in,
            &labels.zoom_out,
            &labels.leaflet,
        ));
        let pin: std::rc::Rc<std::cell::RefCell<Option<LMarker>>> = Default::default();
        let set_text = labels.set.clone();
        // Set while the map writes the fields, so their change event does not move the view back.
        let writing = std::rc::Rc::new(std::cell::Cell::new(false));
        let place: Place = {
            let (map, pin, writing) = (map.clone(), pin.clone(), writing.clone());
            std::rc::Rc::new(move |la: f64, lo: f64, write: bool| {
                if write {
                    if let (Some(a), Some(b)) = (input("f-lat"), input("f-lon")) {
                        a.set_value(&format!("{la:.5}"));
                        b.set_value(&format!("{lo:.5}"));
                        writing.set(true);
                        changed(&a);
                        writing.set(false);
                    }
                }
                let at = latlng(la, lo);
                // The borrow ends in its own block: in an `if let` it would last into the `else`.
                let moved = {
                    let current = pin.borrow();
                    if let Some(m) = current.as_ref() {
                        m.set_lat_lng(&at);
                    }
                    current.is_some()
                };
                if !moved {
                    let icon = div_icon(&obj(&[
                        ("html", "<span class=\"pin pin-new\" aria-hidden=\"true\"><span class=\"pin-symbol\">+</span></span>".into()),
                        ("className", "pin-wrap".into()),
                        ("iconSize", js_sys::Array::of2(&32.into(), &32.into()).into()),
                    ]));
                    let m =
                        marker(&at, &obj(&[("icon", icon), ("keyboard", false.into()), ("interactive", false.into())]));
                    m.marker_add_to(&map);
                    *pin.borrow_mut() = Some(m);
                }
                status.set(set_text.replace("{lat}", &format!("{la:.5}")).replace("{lon}", &format!("{lo:.5}")));
            })
        };
        let on_click = {
            let place = place.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
                let ll = js_sys::Reflect::get(&e, &JsValue::from_str("latlng")).unwrap_or(JsValue::NULL);
                place(prop(&ll, "lat"), prop(&ll, "lng"), true);
            })
        };
        map.on_ev("click", &on_click);
        on_click.forget();
        // Typed coordinates, "where I am" and a restored draft move the pin (and the view).
        let on_typed = {
            let (place, map) = (place.clone(), map.clone());
            Closure::<dyn FnMut()>::new(move || {
                if writing.get() {
                    return;
                }
                if let Some((la, lo)) = typed_coords() {
                    place(la, lo, false);
                    map.set_view(&latlng(la, lo), map.get_zoom().max(16.0));
                }
            })
        };
        for id in ["f-lat", "f-lon"] {
            if let Some(el) = input(id) {
                let _ = el.add_event_listener_with_callback("change", on_typed.as_ref().unchecked_ref());
            }
        }
        if let Some((la, lo)) = typed_coords() {
            place(la, lo, false);
            map.set_view(&latlng(la, lo), 16.0);
        }
        on_typed.forget();
        PIN.with(|p| *p.borrow_mut() = Some((map, place)));
        true
    }

    /// "Place the pin at the centre of the map": the keyboard's way to drop the pin.
    pub fn pin_centre() {
        PIN.with(|p| {
            if let Some((map, place)) = p.borrow().as_ref() {
                let c = map.get_center();
                place(prop(&c, "lat"), prop(&c, "lng"), true);
            }
        });
    }

    fn input(id: &str) -> Option<web_sys::HtmlInputElement> {
        web_sys::window()?.document()?.get_element_by_id(id)?.dyn_into().ok()
    }

    pub fn locate(status: RwSignal<String>, denied: String, lat_id: &'static str, lon_id: &'static str, submit: bool) {
        let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
            status.set(denied);
            return;
        };
        // Read through Reflect: web-sys still marks GeolocationPosition as unstable.
        let ok = Closure::<dyn FnMut(JsValue)>::new(move |p: JsValue| {
            let coords = js_sys::Reflect::get(&p, &JsValue::from_str("coords")).unwrap_or(JsValue::NULL);
            let num = |k: &str| js_sys::Reflect::get(&coords, &JsValue::from_str(k)).ok().and_then(|v| v.as_f64());
            let (Some(la), Some(lo)) = (num("latitude"), num("longitude")) else { return };
            let (Some(lat), Some(lon)) = (input(lat_id), input(lon_id)) else { return };
            lat.set_value(&format!("{la:.5}"));
            lon.set_value(&format!("{lo:.5}"));
            changed(&lat);
            status.set(format!("{la:.5}, {lo:.5}"));
            if !submit {
                return;
            }
            let sort = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("sort"));
            if let Some(sel) = sort.and_then(|s| s.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                sel.set_value("distance");
            }
            if let Some(form) = lat.form() {
                let _ = form.request_submit();
            }
        });
        let err = Closure::<dyn FnMut(JsValue)>::new(move |_| status.set(denied.clone()));
        let _ = geo
            .get_current_position_with_error_callback(ok.as_ref().unchecked_ref(), Some(err.as_ref().unchecked_ref()));
        ok.forget();
        err.forget();
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    /// Text inputs, selects and textareas of the form as (name, element).
    fn fields(form: &web_sys::HtmlFormElement) -> Vec<web_sys::Element> {
        let list = form.query_selector_all(
            "input[type=text], input[type=number], input:not([type]), textarea, select, input[type=radio]",
        );
        let Ok(list) = list else { return vec![] };
        (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok()).collect()
    }

    fn save(form: &web_sys::HtmlFormElement, key: &str) {
        let mut map = serde_json::Map::new();
        for el in fields(form) {
            let name = el.get_attribute("name").unwrap_or_default();
            if name.is_empty() || name == "website" {
                continue;
            }
            if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
                if i.type_() == "radio" {
                    if i.checked() {
                        map.insert(name, i.value().into());
                    }
                    continue;
                }
                map.insert(name, i.value().into());
            } else if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                map.insert(name, t.value().into());
            } else if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
                map.insert(name, s.value().into());
            }
        }
        if let Some(s) = storage() {
            let _ = s.set_item(key, &serde_json::Value::Object(map).to_string());
        }
    }

    fn restore(form: &web_sys::HtmlFormElement, key: &str) -> bool {
        let Some(saved) = storage().and_then(|s| s.get_item(key).ok().flatten()) else { return false };
        let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(&saved) else {
            return false;
        };
        let mut any = false;
        for el in fields(form) {
            let name = el.get_attribute("name").unwrap_or_default();
            let Some(v) = map.get(&name).and_then(|v| v.as_str()) else { continue };
            if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
                if i.type_() == "radio" {
                    i.set_checked(i.value() == v);
                } else if i.value().is_empty() && !v.is_empty() {
                    i.set_value(v);
                    any = true;
                }
            } else if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                if t.value().is_empty() && !v.is_empty() {
                    t.set_value(v);
                    any = true;
                }
            } else if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
                if !v.is_empty() {
                    s.set_value(v);
                }
            }
        }
        any
    }

    // The photos of the draft live in IndexedDB (files do not fit in localStorage), one record per
    // slot, keyed "<draft key>:photo_<n>"; the File object is stored as is (name, type, bytes).
    const IDB_NAME: &str = "participa-drafts";
    const IDB_STORE: &str = "files";
    pub const MAX_PHOTO: f64 = 10.0 * 1024.0 * 1024.0;

    async fn wait(req: &web_sys::IdbRequest) -> Result<JsValue, JsValue> {
        let p = js_sys::Promise::new(&mut |resolve, reject| {
            req.set_onsuccess(Some(&resolve));
            req.set_onerror(Some(&reject));
        });
        wasm_bindgen_futures::JsFuture::from(p).await?;
        req.result()
    }

    async fn idb() -> Option<web_sys::IdbDatabase> {
        let factory = web_sys::window()?.indexed_db().ok()??;
        let req = factory.open_with_u32(IDB_NAME, 1).ok()?;
        let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let db = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::IdbOpenDbRequest>().ok())
                .and_then(|r| r.result().ok())
                .and_then(|d| d.dyn_into::<web_sys::IdbDatabase>().ok());
            if let Some(db) = db {
                if !db.object_store_names().contains(IDB_STORE) {
                    let _ = db.create_object_store(IDB_STORE);
                }
            }
        });
        req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let db = wait(&req).await.ok()?.dyn_into::<web_sys::IdbDatabase>().ok();
        drop(upgrade);
        db
    }

    async fn store_of(mode: web_sys::IdbTransactionMode) -> Option<web_sys::IdbObjectStore> {
        let db = idb().await?;
        db.transaction_with_str_and_mode(IDB_STORE, mode).ok()?.object_store(IDB_STORE).ok()
    }

    /// Keeps (or with `None` forgets) the file of one photo slot.
    async fn keep_file(key: &str, file: Option<web_sys::File>) {
        let Some(store) = store_of(web_sys::IdbTransactionMode::Readwrite).await else { return };
        let k = JsValue::from_str(key);
        let req = match file {
            Some(f) => store.put_with_key(&f, &k),
            None => store.delete(&k),
        };
        if let Ok(req) = req {
            let _ = wait(&req).await;
        }
    }

    async fn kept_file(key: &str) -> Option<web_sys::File> {
        let store = store_of(web_sys::IdbTransactionMode::Readonly).await?;
        let req = store.get(&JsValue::from_str(key)).ok()?;
        wait(&req).await.ok()?.dyn_into::<web_sys::File>().ok()
    }

    fn photo_key(key: &str, slot: usize) -> String {
        format!("{key}:photo_{slot}")
    }

    /// Puts a kept file back into its file input (a DataTransfer is the one way to fill one).
    fn put_back(input: &web_sys::HtmlInputElement, file: &web_sys::File) -> bool {
        let Ok(dt) = web_sys::DataTransfer::new() else { return false };
        if dt.items().add_with_file(file).is_err() {
            return false;
        }
        input.set_files(dt.files().as_ref());
        true
    }

    /// A message next to a field (removed again by the next server answer or a new choice).
    fn field_message(form: &web_sys::HtmlFormElement, field: &str, msg: &str) {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        let id = format!("f-{field}-err");
        if let Some(old) = doc.get_element_by_id(&id) {
            old.remove();
        }
        let Some(target) = doc.get_element_by_id(&format!("f-{field}")) else { return };
        if msg.is_empty() {
            let _ = target.remove_attribute("aria-invalid");
            return;
        }
        if let Ok(p) = doc.create_element("p") {
            p.set_class_name("field-error js");
            p.set_id(&id);
            p.set_text_content(Some(msg));
            let _ = target.parent_node().map(|parent| parent.insert_before(&p, Some(&target)));
            let _ = target.set_attribute("aria-invalid", "true");
            let described = target.get_attribute("aria-describedby").unwrap_or_default();
            if !described.split(' ').any(|d| d == id) {
                let _ = target.set_attribute("aria-describedby", format!("{described} {id}").trim());
            }
        }
        let _ = form;
    }

    /// Labels of the draft keeper's photo messages.
    #[derive(Clone)]
    pub struct DraftText {
        pub offline: String,
        pub restored: String,
        pub photo_kept: String,
        pub photo_large: String,
    }

    fn photo_inputs(form: &web_sys::HtmlFormElement) -> Vec<(usize, web_sys::HtmlInputElement)> {
        (1..=5)
            .filter_map(|i| {
                let el = form.query_selector(&format!("input[type=file][name=photo_{i}]")).ok()??;
                Some((i, el.dyn_into::<web_sys::HtmlInputElement>().ok()?))
            })
            .collect()
    }

    async fn restore_photos(form: web_sys::HtmlFormElement, key: String, message: RwSignal<String>, text: DraftText) {
        let mut lines = vec![];
        for (i, input) in photo_inputs(&form) {
            if input.files().is_some_and(|f| f.length() > 0) {
                continue;
            }
            if let Some(file) = kept_file(&photo_key(&key, i)).await {
                if put_back(&input, &file) {
                    lines.push(text.photo_kept.replace("{n}", &i.to_string()).replace("{name}", &file.name()));
                }
            }
        }
        if !lines.is_empty() {
            message.update(|m| {
                let mut all = vec![];
                if !m.is_empty() {
                    all.push(m.clone());
                } else {
                    all.push(text.restored.clone());
                }
                all.extend(lines);
                *m = all.join(" ");
            });
        }
    }

    /// A photo chosen (or cleared): kept in the draft, or refused at once when it is too large
    /// (the server checks the content again; the rest of the form is untouched either way).
    fn on_photo(
        form: &web_sys::HtmlFormElement,
        key: &str,
        slot: usize,
        input: &web_sys::HtmlInputElement,
        text: &DraftText,
    ) {
        let file = input.files().and_then(|f| f.item(0));
        let field = format!("photo_{slot}");
        let file = match file {
            Some(f) if f.size() > MAX_PHOTO => {
                field_message(form, &field, &text.photo_large.replace("{n}", &slot.to_string()));
                input.set_value("");
                None
            }
            other => {
                field_message(form, &field, "");
                other
            }
        };
        let key = photo_key(key, slot);
        leptos::task::spawn_local(async move { keep_file(&key, file).await });
    }

    async fn forget_photos(key: &str) {
        for i in 1..=5 {
            keep_file(&photo_key(key, i), None).await;
        }
    }

    fn show_errors(form: &web_sys::HtmlFormElement, body: &str) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(body) else { return };
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        if let Ok(old) = form.query_selector_all(".field-error.js") {
            for i in 0..old.length() {
                if let Some(n) = old.item(i) {
                    if let Some(p) = n.parent_node() {
                        let _ = p.remove_child(&n);
                    }
                }
            }
        }
        let mut first: Option<web_sys::HtmlElement> = None;
        for e in v.get("errors").and_then(|e| e.as_array()).cloned().unwrap_or_default() {
            let field = e.get("field").and_then(|f| f.as_str()).unwrap_or("form");
            let msg = e.get("message").and_then(|f| f.as_str()).unwrap_or("");
            let target =
                doc.get_element_by_id(&format!("f-{field}")).or_else(|| doc.get_element_by_id("report-errors"));
            let Some(target) = target else { continue };
            if let Ok(p) = doc.create_element("p") {
                p.set_class_name("field-error js");
                p.set_id(&format!("f-{field}-err"));
                p.set_text_content(Some(msg));
                let _ = target.parent_node().map(|parent| parent.insert_before(&p, Some(&target)));
                let _ = target.set_attribute("aria-invalid", "true");
                let _ = target.set_attribute("aria-describedby", &format!("f-{field}-err"));
            }
            if first.is_none() {
                first = target.dyn_into::<web_sys::HtmlElement>().ok();
            }
        }
        if let Some(f) = first {
            let _ = f.focus();
        }
    }

    pub fn wire_form(
        form_id: &str,
        key: &str,
        progress: RwSignal<Option<u32>>,
        message: RwSignal<String>,
        text: DraftText,
    ) {
        let (offline, restored) = (text.offline.clone(), text.restored.clone());
        let Some(form) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(form_id))
            .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        if restore(&form, key) {
            message.set(restored);
            if let Some(lat) = input("f-lat") {
                changed(&lat);
            }
        }
        leptos::task::spawn_local(restore_photos(form.clone(), key.to_string(), message, text.clone()));
        for (slot, el) in photo_inputs(&form) {
            let on_change = {
                let (form, key, text, el2) = (form.clone(), key.to_string(), text.clone(), el.clone());
                Closure::<dyn FnMut()>::new(move || on_photo(&form, &key, slot, &el2, &text))
            };
            let _ = el.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
            on_change.forget();
        }
        let on_input = {
            let (form, key) = (form.clone(), key.to_string());
            Closure::<dyn FnMut()>::new(move || save(&form, &key))
        };
        let _ = form.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
        let _ = form.add_event_listener_with_callback("change", on_input.as_ref().unchecked_ref());
        on_input.forget();
        let on_submit = {
            let (form, key) = (form.clone(), key.to_string());
            Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
                let (Ok(data), Ok(xhr)) = (web_sys::FormData::new_with_form(&form), web_sys::XmlHttpRequest::new())
                else {
                    return;
                };
                ev.prevent_default();
                save(&form, &key);
                if xhr.open("POST", &form.action()).is_err() {
                    return;
                }
                let _ = xhr.set_request_header("Accept", "application/json");
                progress.set(Some(0));
                if let Ok(up) = xhr.upload() {
                    let on_progress =
                        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                            if e.length_computable() && e.total() > 0.0 {
                                progress.set(Some((e.loaded() / e.total() * 100.0).round() as u32));
                            }
                        });
                    up.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
                    on_progress.forget();
                }
                let on_load = {
                    let (xhr, form, key) = (xhr.clone(), form.clone(), key.clone());
                    Closure::<dyn FnMut()>::new(move || {
                        progress.set(None);
                        let body = xhr.response_text().ok().flatten().unwrap_or_default();
                        let status = xhr.status().unwrap_or(0);
                        if status == 200 {
                            if let Some(to) = serde_json::from_str::<serde_json::Value>(&body)
                                .ok()
                                .and_then(|v| v.get("redirect").and_then(|r| r.as_str()).map(String::from))
                            {
                                if let Some(s) = storage() {
                                    let _ = s.remove_item(&key);
                                }
                                let key = key.clone();
                                leptos::task::spawn_local(async move {
                                    forget_photos(&key).await;
                                    if let Some(w) = web_sys::window() {
                                        let _ = w.location().set_href(&to);
                                    }
                                });
                            }
                        } else {
                            show_errors(&form, &body);
                        }
                    })
                };
                xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
                on_load.forget();
                let on_error = {
                    let offline = offline.clone();
                    Closure::<dyn FnMut()>::new(move || {
                        progress.set(None);
                        message.set(offline.clone());
                    })
                };
                xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
                on_error.forget();
                if xhr.send_with_opt_form_data(Some(&data)).is_err() {
                    progress.set(None);
                    message.set(offline.clone());
                }
            })
        };
        let _ = form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        on_submit.forget();
    }
}
