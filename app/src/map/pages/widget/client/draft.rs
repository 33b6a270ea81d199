//! The report form's draft: its text kept in localStorage across reloads, and the form sent with
//! a progress bar, its problems shown next to their fields.
use super::photos::{forget_photos, on_photo, photo_inputs, restore_photos};
use super::*;
use leptos::prelude::*;

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

/// A message next to a field (removed again by the next server answer or a new choice).
pub(super) fn field_message(form: &web_sys::HtmlFormElement, field: &str, msg: &str) {
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
        let target = doc.get_element_by_id(&format!("f-{field}")).or_else(|| doc.get_element_by_id("report-errors"));
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
            let (Ok(data), Ok(xhr)) = (web_sys::FormData::new_with_form(&form), web_sys::XmlHttpRequest::new()) else {
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
