//! `/map/places/:id/audit`: the audit form, filled with what is known.
use super::*;
use crate::ui::form::textarea_html;

#[component]
pub fn AuditForm() -> impl IntoView {
    let id = place_id_param();
    let place = Resource::new(id, get_place);
    let save = ServerAction::<SaveAudit>::new();
    let p = problem_of(save);
    let me = use_me().0;
    let lang = use_lang();
    view! {
        <PageTitle k=K::map_add_audit />
        <h1>{t(K::map_add_audit)}</h1>
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                let signed_in = matches!(me.await, Ok(Some(_)));
                let pl = match place.await {
                    Ok(pl) => pl,
                    Err(e) => return view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                };
                if !signed_in {
                    return view! {
                        <p>
                            <a class="button" href=format!("/account/login?next=/map/places/{}/audit", pl.row.id)>
                                {t(K::nav_login)}
                            </a>
                        </p>
                    }
                        .into_any();
                }
                let current = pl.audit.clone();
                let kept = move |f: &str| {
                    p.with(|p| p.as_ref().and_then(|p| p.kept()).and_then(|k| k.value_of(&format!("audit[{f}]"))))
                };
                let err = move |f: &str| {
                    p.with(|p| p.as_ref().and_then(|p| p.form()).and_then(|k| k.error_for(f, lang)))
                };
                view! {
                    <p class="lead">
                        <a href=format!("/map/places/{}", pl.row.id)>{pl.row.name.clone()}</a>
                    </p>
                    <p>{t(K::map_audit_intro)}</p>
                    <ActionForm action=save attr:class="form audit-form" attr:novalidate=true>
                        <ErrorSummary problem=p />
                        <input type="hidden" name="place_id" value=pl.row.id />
                        <div class="field">
                            <label for="f-checked_on">{t(K::map_checked_on)}</label>
                            {err("checked_on")
                                .map(|e| {
                                    view! {
                                        <p class="field-error" id="f-checked_on-err">
                                            {e}
                                        </p>
                                    }
                                })}
                            <input id="f-checked_on" name="checked_on" type="date" />
                        </div>
                        {TRI_FIELDS
                            .iter()
                            .map(|(f, label)| {
                                let now = kept(f)
                                    .unwrap_or_else(|| match current.tri(f) {
                                        Some(true) => "yes".into(),
                                        Some(false) => "no".into(),
                                        None => String::new(),
                                    });
                                let name = format!("audit[{f}]");
                                view! {
                                    <fieldset class="field tri" id=format!("f-{f}")>
                                        <legend>{t(*label)}</legend>
                                        {[("yes", K::map_yes), ("no", K::map_no), ("", K::map_unknown)]
                                            .into_iter()
                                            .map(|(v, l)| {
                                                let rid = format!("f-{f}-{}", if v.is_empty() { "u" } else { v });
                                                let checked = now == v;
                                                view! {
                                                    <span class="check">
                                                        <input
                                                            type="radio"
                                                            id=rid.clone()
                                                            name=name.clone()
                                                            value=v
                                                            checked=checked
                                                        />
                                                        <label for=rid>{t(l)}</label>
                                                    </span>
                                                }
                                            })
                                            .collect_view()}
                                    </fieldset>
                                }
                            })
                            .collect_view()}
                        {NUM_FIELDS
                            .iter()
                            .map(|(f, label, max)| {
                                let v = kept(f)
                                    .unwrap_or_else(|| current.num(f).map(|n| n.to_string()).unwrap_or_default());
                                let fid = format!("f-audit[{f}]");
                                let e = err(&format!("audit[{f}]"));
                                let bad = e.is_some();
                                view! {
                                    <div class="field" class:has-error=bad>
                                        <label for=fid.clone()>{t(*label)}</label>
                                        {e.map(|e| view! { <p class="field-error">{e}</p> })}
                                        <input
                                            id=fid
                                            name=format!("audit[{f}]")
                                            type="number"
                                            min="0"
                                            max=*max
                                            inputmode="numeric"
                                            value=v
                                        />
                                    </div>
                                }
                            })
                            .collect_view()}
                        {[
                            ("notes_wheelchair", K::map_notes_wheelchair, current.notes_wheelchair.clone()),
                            ("notes_blind", K::map_notes_blind, current.notes_blind.clone()),
                            ("notes_deaf", K::map_notes_deaf, current.notes_deaf.clone()),
                        ]
                            .into_iter()
                            .map(|(f, l, v)| {
                                let fid = format!("f-{f}");
                                view! {
                                    <div class="field">
                                        <label for=fid.clone()>{t(l)}</label>
                                        <textarea
                                            id=fid
                                            name=format!("audit[{f}]")
                                            rows="3"
                                            inner_html=textarea_html(v)
                                        ></textarea>
                                    </div>
                                }
                            })
                            .collect_view()}
                        <button type="submit" class="button">
                            {t(K::map_save_audit)}
                        </button>
                    </ActionForm>
                }
                    .into_any()
            })}
        </Transition>
    }
}
