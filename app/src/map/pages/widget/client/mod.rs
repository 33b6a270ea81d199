//! The browser side of the map's islands (compiled for the browser only): thin bindings to
//! Leaflet's `window.L`, and the helpers every island shares. `map` draws the list's map, `pin`
//! the new-place map and "where I am", `draft` keeps and sends the report form, and `photos` keeps
//! its photos in IndexedDB.
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

mod draft;
mod map;
mod photos;
mod pin;

pub use draft::{wire_form, DraftText};
pub use map::start_map;
pub use pin::{locate, pin_centre, start_pin_map};

use crate::text::escape_html as esc;

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
        &obj(&[("scrollWheelZoom", false.into()), ("zoomControl", false.into()), ("attributionControl", false.into())]),
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

fn prop(v: &JsValue, k: &str) -> f64 {
    js_sys::Reflect::get(v, &JsValue::from_str(k)).ok().and_then(|x| x.as_f64()).unwrap_or(0.0)
}

/// Tells the form (and the draft keeper listening on it) that a field changed.
fn changed(el: &web_sys::HtmlInputElement) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    if let Ok(ev) = web_sys::Event::new_with_event_init_dict("change", &init) {
        let _ = el.dispatch_event(&ev);
    }
}

fn input(id: &str) -> Option<web_sys::HtmlInputElement> {
    web_sys::window()?.document()?.get_element_by_id(id)?.dyn_into().ok()
}
