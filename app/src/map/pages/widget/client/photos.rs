//! The draft's photos: one record per slot in IndexedDB (files do not fit in localStorage), put
//! back into their inputs on the next visit and forgotten once the report is sent.
use super::draft::{field_message, DraftText};
use super::*;
use leptos::prelude::*;

// Records are keyed "<draft key>:photo_<n>"; the File object is stored as is (name, type, bytes).
const IDB_NAME: &str = "participa-drafts";
const IDB_STORE: &str = "files";
const MAX_PHOTO: f64 = 10.0 * 1024.0 * 1024.0;

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

pub(super) fn photo_inputs(form: &web_sys::HtmlFormElement) -> Vec<(usize, web_sys::HtmlInputElement)> {
    (1..=5)
        .filter_map(|i| {
            let el = form.query_selector(&format!("input[type=file][name=photo_{i}]")).ok()??;
            Some((i, el.dyn_into::<web_sys::HtmlInputElement>().ok()?))
        })
        .collect()
}

pub(super) async fn restore_photos(
    form: web_sys::HtmlFormElement,
    key: String,
    message: RwSignal<String>,
    text: DraftText,
) {
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
pub(super) fn on_photo(
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

pub(super) async fn forget_photos(key: &str) {
    for i in 1..=5 {
        keep_file(&photo_key(key, i), None).await;
    }
}
