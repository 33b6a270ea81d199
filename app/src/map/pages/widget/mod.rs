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
            <p class="hint" id="pin-map-hint">
                {move || ready.get().then(|| hint.clone())}
            </p>
            <div
                id="pin-canvas"
                class="map-canvas pin-canvas"
                role="region"
                aria-label=region
                aria-describedby="pin-map-hint"
            ></div>
            {move || {
                ready
                    .get()
                    .then(|| {
                        view! {
                            <p class="near-row">
                                <button type="button" id="pin-centre" class="button secondary" on:click=on_centre>
                                    {centre.clone()}
                                </button>
                            </p>
                        }
                    })
            }}
            <p class="near-status" role="status">
                {move || status.get()}
            </p>
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
        <button type="button" class="button secondary near-me" on:click=on_click>
            {t(K::map_near_me)}
        </button>
        <span class="near-status" role="status">
            {move || status.get()}
        </span>
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
        <button type="button" class="button secondary" on:click=on_click>
            {t(K::map_pin_here)}
        </button>
        <span class="near-status" role="status">
            {move || status.get()}
        </span>
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
            {move || {
                progress
                    .get()
                    .map(|p| {
                        view! {
                            <label class="progress-label">
                                {t(K::map_uploading)} " " {p} "%" <progress max="100" value=p></progress>
                            </label>
                        }
                    })
            }} <p class="draft-note" role="status">
                {move || message.get()}
            </p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod client;
