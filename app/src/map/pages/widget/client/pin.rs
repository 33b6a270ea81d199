//! The new-place map: a tap (or "the centre", for the keyboard) drops the pin and fills the form's
//! coordinates; typed coordinates and "where I am" move it.
use super::*;
use leptos::prelude::*;

type Place = std::rc::Rc<dyn Fn(f64, f64, bool)>;

thread_local! {
    static PIN: std::cell::RefCell<Option<(std::rc::Rc<LMap>, Place)>> = const { std::cell::RefCell::new(None) };
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
    labels: &crate::map::pages::widget::PinLabels,
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
                    (
                        "html",
                        "<span class=\"pin pin-new\" aria-hidden=\"true\"><span class=\"pin-symbol\">+</span></span>"
                            .into(),
                    ),
                    ("className", "pin-wrap".into()),
                    ("iconSize", js_sys::Array::of2(&32.into(), &32.into()).into()),
                ]));
                let m = marker(&at, &obj(&[("icon", icon), ("keyboard", false.into()), ("interactive", false.into())]));
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
    let _ =
        geo.get_current_position_with_error_callback(ok.as_ref().unchecked_ref(), Some(err.as_ref().unchecked_ref()));
    ok.forget();
    err.forget();
}
