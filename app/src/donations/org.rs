//! The organisation's side: its campaigns on its page, the donations dashboard (filters, totals per
//! campaign and month, CSV), refunds through the provider and hiding a donor-wall entry.
use super::*;
use crate::i18n::{t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server]
pub async fn org_dashboard(org: String, filter: DashboardFilter) -> Result<Dashboard, DonationsError> {
    let st = crate::ssr::state();
    let (org_id, org_name) = db::org_by_slug(&st.db, &org).await?.ok_or(DonationsError(Problem::NotFound))?;
    manager_of(org_id).await?;
    let rows = db::org_donations(&st.db, org_id, &filter, 500).await?;
    let totals = db::totals(&st.db, org_id).await?;
    let grand_total = totals.iter().map(|t| t.total_bani).sum();
    let provider = &st.payments.provider;
    Ok(Dashboard {
        org_id,
        org_slug: org,
        org_name,
        rows: rows
            .into_iter()
            .map(|d| {
                // Only the active provider's payments can be refunded through it (see refund_donation).
                let paid = d.status == "paid" && d.payment_ref.is_some() && d.provider == provider.name();
                DashboardRow {
                    refundable: paid && provider.supports_refund(),
                    refund_elsewhere: paid && !provider.supports_refund(),
                    id: d.id,
                    public_id: d.public_id,
                    campaign_title: d.campaign_title,
                    total_bani: d.total_bani,
                    fee_bani: d.fee_bani,
                    monthly: d.monthly,
                    status: d.status,
                    donor_name: d.donor_name,
                    donor_email: d.donor_email,
                    message: d.message,
                    show_name: d.show_name,
                    hidden: d.hidden,
                    created_at: d.created_at,
                }
            })
            .collect(),
        totals,
        campaigns: db::org_campaigns(&st.db, org_id, true).await?,
        grand_total,
    })
}

/// Asks the provider to refund a paid donation; the ledger is reversed when the provider confirms.
#[server]
pub async fn refund_donation(donation_id: i64) -> Result<(), DonationsError> {
    let st = crate::ssr::state();
    let d = db::donation_by_id(&st.db, donation_id).await?.ok_or(DonationsError(Problem::NotFound))?;
    manager_of(d.org_id).await?;
    let Some(payment_ref) = d.payment_ref.clone().filter(|_| d.status == "paid") else {
        return Err(DonationsError(Problem::Refused(K::donations_err_not_refundable)));
    };
    if d.provider != st.payments.provider.name() {
        return Err(DonationsError(Problem::Refused(K::donations_err_not_refundable)));
    }
    // Say where the refund is made instead of sending a request the adapter can only refuse.
    if !st.payments.provider.supports_refund() {
        return Err(DonationsError(Problem::Refused(K::donations_err_refund_elsewhere)));
    }
    let req = crate::ssr::payments::RefundRequest {
        donation_id: d.public_id.clone(),
        payment_ref,
        amount: d.total_bani,
        currency: d.currency.clone(),
    };
    st.payments.provider.refund(&req).await.map_err(|e| {
        tracing::error!(error = %e, donation = d.id, "refund refused");
        DonationsError(Problem::Refused(K::donations_err_refund_failed))
    })?;
    let (slug, _) = db::org_by_id(&st.db, d.org_id).await?.unwrap_or_default();
    leptos_axum::redirect(&format!("/organisations/{slug}/donations?refunded=1"));
    Ok(())
}

#[server]
pub async fn hide_donation(donation_id: i64, hidden: bool) -> Result<(), DonationsError> {
    let st = crate::ssr::state();
    let d = db::donation_by_id(&st.db, donation_id).await?.ok_or(DonationsError(Problem::NotFound))?;
    manager_of(d.org_id).await?;
    db::set_hidden(&st.db, donation_id, d.org_id, hidden).await?;
    let (slug, _) = db::org_by_id(&st.db, d.org_id).await?.unwrap_or_default();
    leptos_axum::redirect(&format!("/organisations/{slug}/donations?hidden=1"));
    Ok(())
}

/// `POST /campaigns/{slug}/cover` (multipart: `cover` image, `cover_alt` text): the campaign's cover,
/// checked by content and re-encoded (metadata dropped), stored under an unguessable key.
#[cfg(feature = "ssr")]
pub async fn upload_cover(
    axum::extract::State(st): axum::extract::State<crate::ssr::AppState>,
    axum::extract::Path(slug): axum::extract::Path<String>,
    headers: ::http::HeaderMap,
    mp: axum::extract::Multipart,
) -> axum::response::Response {
    use axum::response::{IntoResponse, Redirect};
    let path = format!("/campaigns/{slug}/edit");
    let back = |code: &str| {
        let errors = [crate::ssr::forms::FieldProblem::new("cover", code)];
        crate::ssr::forms::send_back(&headers, &path, Some("cover-h"), &errors, &[], |lang, code| {
            lang.t(cover_problem(code)).to_string()
        })
    };
    let Ok(Some(c)) = db::campaign(&st.db, &slug).await else {
        return ::http::StatusCode::NOT_FOUND.into_response();
    };
    match crate::accounts::session::user_of(&st, &headers).await {
        Ok(Some(u)) if crate::orgs::members::can_manage(&u, c.org_id) => {}
        _ => return ::http::StatusCode::FORBIDDEN.into_response(),
    }
    let limits = crate::ssr::multipart::Limits::files(crate::ssr::images::MAX_BYTES);
    let form = match crate::ssr::multipart::read(mp, limits).await {
        Ok(f) if !f.too_large.is_empty() => return back("large"),
        Ok(f) => f,
        Err(e) => return e.status().into_response(),
    };
    let alt = crate::text::clean_text(&form.get("cover_alt"), 200);
    let Some(bytes) = form.files.get("cover").cloned() else { return back("image") };
    if alt.is_empty() {
        return back("alt");
    }
    let processed = match crate::ssr::images::process_off_thread(bytes).await {
        Ok(p) => p,
        Err(crate::ssr::images::ImageError::TooLarge | crate::ssr::images::ImageError::TooManyPixels) => {
            return back("large")
        }
        Err(_) => return back("image"),
    };
    let key = format!("donations/{}.jpg", crate::ssr::public_id());
    if let Err(e) = st.store.put(&key, processed.full).await {
        tracing::error!(error = %e, "campaign cover");
        return ::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    if let Err(e) = db::set_cover(&st.db, c.card.id, &format!("/media/{key}"), &alt).await {
        tracing::error!(error = %e, "campaign cover");
        return ::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    Redirect::to(&format!("/campaigns/{slug}/edit?saved=1")).into_response()
}

/// The message of a cover problem (the edit page shows it next to the file field).
pub fn cover_problem(code: &str) -> crate::i18n::K {
    use crate::i18n::K;
    match code {
        "alt" => K::donations_err_cover_alt,
        "large" => K::donations_err_cover_large,
        _ => K::donations_err_cover_image,
    }
}

/// `GET /organisations/{slug}/donations.csv`: every donation, for the organisation's managers.
#[cfg(feature = "ssr")]
pub async fn csv(
    axum::extract::State(st): axum::extract::State<crate::ssr::AppState>,
    axum::extract::Path(slug): axum::extract::Path<String>,
    headers: ::http::HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let slug = slug.trim_end_matches(".csv").to_string();
    let result: Result<Option<String>, sqlx::Error> = async {
        let Some(user) = crate::accounts::session::user_of(&st, &headers).await? else { return Ok(None) };
        let Some((org_id, _)) = db::org_by_slug(&st.db, &slug).await? else { return Ok(None) };
        if !crate::orgs::members::can_manage(&user, org_id) {
            return Ok(None);
        }
        let rows = db::org_donations(&st.db, org_id, &DashboardFilter::default(), 100_000).await?;
        use crate::ssr::csv::{Cells, Table};
        let header = [
            "reference",
            "created_at_utc",
            "paid_at_utc",
            "campaign",
            "amount_bani",
            "fee_covered_bani",
            "total_bani",
            "currency",
            "monthly",
            "status",
            "donor_name",
            "donor_email",
            "public_name",
            "message",
            "hidden",
        ];
        let mut table = Table::new(&header, Cells::Neutralise, false, false);
        for d in rows {
            table.row([
                super::receipt::reference(&d.public_id),
                crate::fmt::iso_utc(d.created_at),
                d.paid_at.map(crate::fmt::iso_utc).unwrap_or_default(),
                d.campaign_title,
                d.amount_bani.to_string(),
                d.fee_bani.to_string(),
                d.total_bani.to_string(),
                d.currency,
                u8::from(d.monthly).to_string(),
                d.status,
                d.donor_name,
                d.donor_email,
                u8::from(d.show_name).to_string(),
                d.message,
                u8::from(d.hidden).to_string(),
            ]);
        }
        Ok(Some(table.finish()))
    }
    .await;
    match result {
        Ok(Some(body)) => (
            [
                (::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"donations-{slug}.csv\"")),
                (::http::header::CACHE_CONTROL, "no-store".to_string()),
            ],
            body,
        )
            .into_response(),
        Ok(None) => (::http::StatusCode::FORBIDDEN, "forbidden").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "donations csv");
            ::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub fn status_label(code: &str) -> K {
    match code {
        "paid" => K::donations_status_paid,
        "processing" => K::donations_status_processing,
        "failed" => K::donations_status_failed,
        "cancelled" => K::donations_status_cancelled,
        "refunded" => K::donations_status_refunded,
        _ => K::donations_status_pending,
    }
}

pub fn campaign_status_label(code: &str) -> K {
    match code {
        "live" => K::donations_campaign_live,
        "ended" => K::donations_campaign_ended,
        "archived" => K::donations_campaign_archived,
        _ => K::donations_campaign_draft,
    }
}

/// The organisation page's section: its campaigns, and for its managers a way to start one.
#[component]
pub fn OrgCampaigns(org_id: i64, org_slug: String) -> impl IntoView {
    let list = Resource::new(move || org_id, org_campaign_cards);
    view! {
        <Transition fallback=|| ()>
            {move || {
                let org_slug = org_slug.clone();
                Suspend::new(async move {
                    match list.await {
                        Ok((manage, cards)) if manage || !cards.is_empty() => view! {
                            <section aria-labelledby="org-campaigns-h">
                                <h2 id="org-campaigns-h">{t(K::donations_campaigns_title)}</h2>
                                <ul class="cards">
                                    {cards.into_iter().map(|c| view! { <super::pages::CampaignCardView c/> }).collect_view()}
                                </ul>
                                {manage.then(|| {
                                    let new = format!("/campaigns/new?org={org_id}");
                                    let dash = format!("/organisations/{org_slug}/donations");
                                    view! {
                                        <p class="actions">
                                            <a class="button" href=new>{t(K::donations_new_campaign)}</a>
                                            " "
                                            <a href=dash>{t(K::donations_dashboard_title)}</a>
                                        </p>
                                    }
                                })}
                            </section>
                        }
                        .into_any(),
                        _ => ().into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let params = use_params_map();
    let q = use_query_map();
    let org = move || params.with(|p| p.get("slug").unwrap_or_default());
    let filter = Memo::new(move |_| {
        q.with(|q| DashboardFilter {
            campaign: q.get("campaign").unwrap_or_default(),
            status: q.get("status").unwrap_or_default(),
            kind: q.get("kind").unwrap_or_default(),
            q: q.get("q").unwrap_or_default(),
        })
    });
    let data = Resource::new(move || (org(), filter.get()), |(o, f)| org_dashboard(o, f));
    let refund = ServerAction::<RefundDonation>::new();
    let hide = ServerAction::<HideDonation>::new();
    let pr = problem_of(refund);
    let lang = use_lang();
    view! {
        <PageTitle k=K::donations_dashboard_title/>
        {move || q.with(|q| q.get("refunded").is_some()).then(|| view! { <Notice text=t(K::donations_refund_requested)/> })}
        {move || q.with(|q| q.get("hidden").is_some()).then(|| view! { <Notice text=t(K::admin_saved)/> })}
        <ErrorSummary problem=pr/>
        <Transition fallback=|| view! { <p>{t(K::loading)}</p> }>
            {move || Suspend::new(async move {
                let f = filter.get_untracked();
                match data.await {
                    Err(e) => view! { <h1>{t(K::donations_dashboard_title)}</h1><p role="alert">{e.0.message(lang)}</p> }.into_any(),
                    Ok(d) => {
                        let csv = format!("/organisations/{}/donations.csv", d.org_slug);
                        let action = format!("/organisations/{}/donations", d.org_slug);
                        view! {
                            <h1>{t(K::donations_dashboard_title)} " · " {d.org_name.clone()}</h1>
                            <p class="lead">{t(K::donations_total_raised)} ": " <strong>{crate::fmt::lei(lang, d.grand_total)}</strong></p>
                            <form method="get" action=action class="filters" role="search" aria-label=t(K::donations_filters)>
                                <div class="field">
                                    <label for="campaign">{t(K::donations_campaign)}</label>
                                    <select id="campaign" name="campaign">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {d.campaigns.iter().map(|c| { let sel = c.slug == f.campaign; view! { <option value=c.slug.clone() selected=sel>{c.title.clone()}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="status">{t(K::donations_status)}</label>
                                    <select id="status" name="status">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {states::DonationStatus::ALL.iter().map(|s| { let sel = s.code() == f.status; view! { <option value=s.code() selected=sel>{t(status_label(s.code()))}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="kind">{t(K::donations_frequency)}</label>
                                    <select id="kind" name="kind">
                                        <option value="">{t(K::orgs_any)}</option>
                                        <option value="one_time" selected=f.kind == "one_time">{t(K::donations_one_time)}</option>
                                        <option value="monthly" selected=f.kind == "monthly">{t(K::donations_monthly)}</option>
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="q">{t(K::donations_search_donor)}</label>
                                    <input id="q" name="q" type="search" value=f.q.clone()/>
                                </div>
                                <button type="submit" class="button">{t(K::search)}</button>
                            </form>
                            <p><a href=csv download>{t(K::donations_export_csv)}</a></p>
                            <h2>{t(K::donations_totals)}</h2>
                            <div class="table-wrap">
                            <table class="data">
                                <thead><tr><th scope="col">{t(K::donations_campaign)}</th><th scope="col">{t(K::donations_month)}</th><th scope="col" class="num">{t(K::donations_entries)}</th><th scope="col" class="num">{t(K::donations_amount)}</th></tr></thead>
                                <tbody>
                                    {d.totals.iter().map(|r| view! { <tr><td>{r.campaign.clone()}</td><td>{r.month.clone()}</td><td class="num">{r.entries}</td><td class="num">{crate::fmt::lei(lang, r.total_bani)}</td></tr> }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                            <h2>{t(K::donations_list)}</h2>
                            <div class="table-wrap">
                            <table class="data donations-table">
                                <thead><tr>
                                    <th scope="col">{t(K::donations_date)}</th>
                                    <th scope="col">{t(K::donations_donor)}</th>
                                    <th scope="col">{t(K::donations_campaign)}</th>
                                    <th scope="col" class="num">{t(K::donations_amount)}</th>
                                    <th scope="col">{t(K::donations_status)}</th>
                                    <th scope="col">{t(K::donations_actions)}</th>
                                </tr></thead>
                                <tbody>
                                    {d.rows.into_iter().map(|r| {
                                        let kind = if r.monthly { t(K::donations_monthly) } else { t(K::donations_one_time) };
                                        let wall = r.show_name && r.status == "paid";
                                        view! {
                                            <tr>
                                                <td>{crate::fmt::date_time(lang, r.created_at)}</td>
                                                <td>{r.donor_name.clone()} <br/><span class="muted small">{r.donor_email.clone()}</span>
                                                    {(!r.message.is_empty()).then(|| view! { <br/><span class="small">"„" {r.message.clone()} "”"</span> })}
                                                </td>
                                                <td>{r.campaign_title.clone()}</td>
                                                <td class="num">{crate::fmt::lei(lang, r.total_bani)} <br/><span class="muted small">{kind}</span></td>
                                                <td>{t(status_label(&r.status))}</td>
                                                <td>
                                                    {r.refundable.then(|| view! {
                                                        <ActionForm action=refund attr:class="inline-form">
                                                            <input type="hidden" name="donation_id" value=r.id/>
                                                            <button type="submit" class="button secondary small">{t(K::donations_refund)}</button>
                                                        </ActionForm>
                                                    })}
                                                    {r.refund_elsewhere.then(|| view! { <span class="muted small">{t(K::donations_refund_elsewhere)}</span> })}
                                                    {wall.then(|| view! {
                                                        <ActionForm action=hide attr:class="inline-form">
                                                            <input type="hidden" name="donation_id" value=r.id/>
                                                            <input type="hidden" name="hidden" value=if r.hidden { "false" } else { "true" }/>
                                                            <button type="submit" class="button secondary small">{if r.hidden { t(K::donations_show_on_wall) } else { t(K::donations_hide_from_wall) }}</button>
                                                        </ActionForm>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}
