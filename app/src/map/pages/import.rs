//! `/map/import`: places in from a file, previewed before anything is written.
use super::*;

fn import_error(code: &str) -> K {
    match code {
        "required" => K::map_err_import_file,
        "too_large" => K::map_err_import_large,
        "not_text" => K::map_err_import_not_text,
        "rate" => K::map_err_rate,
        _ => K::err_internal,
    }
}

/// Import from a file: a plain multipart upload (works without JS), then a preview of every row
/// with the errors per row, then one button that imports all the rows or none.
#[component]
pub fn ImportPage() -> impl IntoView {
    let orgs = Resource::new(|| (), |_| import_orgs());
    let q = use_query_map();
    let token = move || q.with(|q| q.get("upload")).unwrap_or_default();
    let upload = Resource::new(token, |tok| async move {
        if tok.is_empty() {
            Ok(None)
        } else {
            import_upload(tok).await
        }
    });
    let commit = ServerAction::<ImportCommit>::new();
    let p = problem_of(commit);
    let errors = query_errors();
    let lang = use_lang();
    view! {
        <PageTitle k=K::map_import_title />
        <h1>{t(K::map_import_title)}</h1>
        <p>{t(K::map_import_intro)}</p>
        {move || q.with(|q| q.get("imported")).map(|n| view! { <Notice text=tn(K::map_import_done, &n) /> })}
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                let list = match orgs.await {
                    Ok(l) if !l.is_empty() => l,
                    Ok(_) => return view! { <p>{t(K::err_forbidden)}</p> }.into_any(),
                    Err(e) => return view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                };
                let upload = upload.await;
                let file_err = errors
                    .with(|e| e.iter().find(|(f, _)| f == "file").map(|(_, c)| t(import_error(c)).to_string()));
                let described = if file_err.is_some() { "f-file-hint f-file-err" } else { "f-file-hint" };
                view! {
                    {file_err
                        .clone()
                        .map(|_| {
                            view! {
                                <div class="error-summary" role="alert">
                                    <p>{t(K::err_form)}</p>
                                </div>
                            }
                        })}
                    <form class="form" method="post" action="/map/import/upload" enctype="multipart/form-data">
                        <div class="field">
                            <label for="f-org_id">{t(K::map_campaign)}</label>
                            <select id="f-org_id" name="org_id">
                                {list
                                    .into_iter()
                                    .map(|(id, name)| view! { <option value=id>{name}</option> })
                                    .collect_view()}
                            </select>
                        </div>
                        <div class="field" class:has-error=file_err.is_some()>
                            <label for="f-file">{t(K::map_import_file)}</label>
                            <p class="hint" id="f-file-hint">
                                {t(K::map_import_hint)}
                            </p>
                            {file_err
                                .clone()
                                .map(|e| {
                                    view! {
                                        <p class="field-error" id="f-file-err">
                                            {e}
                                        </p>
                                    }
                                })}
                            <input
                                id="f-file"
                                name="file"
                                type="file"
                                required=true
                                accept=".csv,.geojson,.json,text/csv,application/geo+json,application/json"
                                aria-describedby=described
                                aria-invalid=file_err.is_some().then_some("true")
                            />
                        </div>
                        <button type="submit" class="button">
                            {t(K::map_import_upload)}
                        </button>
                    </form>
                    {match upload {
                        Ok(Some(u)) => {
                            let pv = u.preview.clone();
                            let ok = pv.errors.is_empty() && !pv.rows.is_empty();
                            let n = pv.rows.len().to_string();
                            view! {
                                <section aria-labelledby="preview-h" class="import-preview">
                                    <h2 id="preview-h">
                                        {fill(
                                            t(K::map_import_preview_of),
                                            &[("file", &u.file_name), ("org", &u.org_name)],
                                        )}
                                    </h2>
                                    {(!pv.errors.is_empty())
                                        .then(|| {
                                            view! {
                                                <p role="alert" class="field-error">
                                                    {t(K::map_import_errors)}
                                                </p>
                                                <ul class="import-errors">
                                                    {pv
                                                        .errors
                                                        .iter()
                                                        .map(|e| {
                                                            view! {
                                                                <li>
                                                                    {fill(
                                                                        t(K::map_import_row),
                                                                        &[("n", &e.row.to_string()), ("field", &e.field)],
                                                                    )} ": " {t(e.msg)}
                                                                </li>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </ul>
                                            }
                                        })}
                                    <table>
                                        <caption>{tn(K::map_import_rows, &n)}</caption>
                                        <thead>
                                            <tr>
                                                <th scope="col">{t(K::map_place_name)}</th>
                                                <th scope="col">{t(K::map_category)}</th>
                                                <th scope="col">{t(K::field_locality)}</th>
                                                <th scope="col">{t(K::map_lat)}</th>
                                                <th scope="col">{t(K::map_lon)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {pv
                                                .rows
                                                .iter()
                                                .map(|r| {
                                                    view! {
                                                        <tr>
                                                            <td>{r.name.clone()}</td>
                                                            <td>{t(category_label(&r.category))}</td>
                                                            <td>{r.locality.clone()}</td>
                                                            <td>{r.lat}</td>
                                                            <td>{r.lon}</td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                    {ok
                                        .then(|| {
                                            view! {
                                                <ActionForm action=commit attr:class="form">
                                                    <ErrorSummary problem=p />
                                                    <input type="hidden" name="token" value=u.token.clone() />
                                                    <button type="submit" class="button">
                                                        {tn(K::map_import_commit_n, &n)}
                                                    </button>
                                                </ActionForm>
                                            }
                                        })}
                                </section>
                            }
                                .into_any()
                        }
                        Ok(None) if !token().is_empty() => {
                            view! { <p role="alert">{t(K::map_import_gone)}</p> }.into_any()
                        }
                        Ok(None) => ().into_any(),
                        Err(e) => view! { <p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    }}
                }
                    .into_any()
            })}
        </Transition>
    }
}
