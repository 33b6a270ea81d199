//! The organisation's donations: filters, totals per campaign and month, the CSV, refunds and the
//! donor wall's entries.
use super::super::rules::states::DonationStatus;
use super::super::{org_dashboard, DashboardFilter, HideDonation, RefundDonation};
use crate::i18n::{t, use_lang, K};
use crate::ui::form::{problem_of, ErrorSummary};
use crate::ui::{Notice, PageTitle};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

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
        <PageTitle k=K::donations_dashboard_title />
        {move || {
            q.with(|q| q.get("refunded").is_some()).then(|| view! { <Notice text=t(K::donations_refund_requested) /> })
        }}
        {move || q.with(|q| q.get("hidden").is_some()).then(|| view! { <Notice text=t(K::admin_saved) /> })}
        <ErrorSummary problem=pr />
        <Transition fallback=|| {
            view! { <p>{t(K::loading)}</p> }
        }>
            {move || Suspend::new(async move {
                let f = filter.get_untracked();
                match data.await {
                    Err(e) => {
                        view! {
                            <h1>{t(K::donations_dashboard_title)}</h1>
                            <p role="alert">{e.0.message(lang)}</p>
                        }
                            .into_any()
                    }
                    Ok(d) => {
                        let csv = format!("/organisations/{}/donations.csv", d.org_slug);
                        let action = format!("/organisations/{}/donations", d.org_slug);
                        view! {
                            <h1>{t(K::donations_dashboard_title)} " · " {d.org_name.clone()}</h1>
                            <p class="lead">
                                {t(K::donations_total_raised)} ": "
                                <strong>{crate::fmt::lei(lang, d.grand_total)}</strong>
                            </p>
                            <form
                                method="get"
                                action=action
                                class="filters"
                                role="search"
                                aria-label=t(K::donations_filters)
                            >
                                <div class="field">
                                    <label for="campaign">{t(K::donations_campaign)}</label>
                                    <select id="campaign" name="campaign">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {d
                                            .campaigns
                                            .iter()
                                            .map(|c| {
                                                let sel = c.slug == f.campaign;
                                                view! {
                                                    <option value=c.slug.clone() selected=sel>
                                                        {c.title.clone()}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="status">{t(K::donations_status)}</label>
                                    <select id="status" name="status">
                                        <option value="">{t(K::orgs_any)}</option>
                                        {DonationStatus::ALL
                                            .iter()
                                            .map(|s| {
                                                let sel = s.code() == f.status;
                                                view! {
                                                    <option value=s.code() selected=sel>
                                                        {t(status_label(s.code()))}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="kind">{t(K::donations_frequency)}</label>
                                    <select id="kind" name="kind">
                                        <option value="">{t(K::orgs_any)}</option>
                                        <option value="one_time" selected=f.kind == "one_time">
                                            {t(K::donations_one_time)}
                                        </option>
                                        <option value="monthly" selected=f.kind == "monthly">
                                            {t(K::donations_monthly)}
                                        </option>
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="q">{t(K::donations_search_donor)}</label>
                                    <input id="q" name="q" type="search" value=f.q.clone() />
                                </div>
                                <button type="submit" class="button">
                                    {t(K::search)}
                                </button>
                            </form>
                            <p>
                                <a href=csv download>
                                    {t(K::donations_export_csv)}
                                </a>
                            </p>
                            <h2>{t(K::donations_totals)}</h2>
                            <div class="table-wrap">
                                <table class="data">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t(K::donations_campaign)}</th>
                                            <th scope="col">{t(K::donations_month)}</th>
                                            <th scope="col" class="num">
                                                {t(K::donations_entries)}
                                            </th>
                                            <th scope="col" class="num">
                                                {t(K::donations_amount)}
                                            </th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {d
                                            .totals
                                            .iter()
                                            .map(|r| {
                                                view! {
                                                    <tr>
                                                        <td>{r.campaign.clone()}</td>
                                                        <td>{r.month.clone()}</td>
                                                        <td class="num">{r.entries}</td>
                                                        <td class="num">{crate::fmt::lei(lang, r.total_bani)}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <h2>{t(K::donations_list)}</h2>
                            <div class="table-wrap">
                                <table class="data donations-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t(K::donations_date)}</th>
                                            <th scope="col">{t(K::donations_donor)}</th>
                                            <th scope="col">{t(K::donations_campaign)}</th>
                                            <th scope="col" class="num">
                                                {t(K::donations_amount)}
                                            </th>
                                            <th scope="col">{t(K::donations_status)}</th>
                                            <th scope="col">{t(K::donations_actions)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {d
                                            .rows
                                            .into_iter()
                                            .map(|r| {
                                                let kind = if r.monthly {
                                                    t(K::donations_monthly)
                                                } else {
                                                    t(K::donations_one_time)
                                                };
                                                let wall = r.show_name && r.status == "paid";
                                                view! {
                                                    <tr>
                                                        <td>{crate::fmt::date_time(lang, r.created_at)}</td>
                                                        <td>
                                                            {r.donor_name.clone()} <br />
                                                            <span class="muted small">{r.donor_email.clone()}</span>
                                                            {(!r.message.is_empty())
                                                                .then(|| {
                                                                    view! {
                                                                        <br />
                                                                        <span class="small">"„" {r.message.clone()} "”"</span>
                                                                    }
                                                                })}
                                                        </td>
                                                        <td>{r.campaign_title.clone()}</td>
                                                        <td class="num">
                                                            {crate::fmt::lei(lang, r.total_bani)} <br />
                                                            <span class="muted small">{kind}</span>
                                                        </td>
                                                        <td>{t(status_label(&r.status))}</td>
                                                        <td>
                                                            {r
                                                                .refundable
                                                                .then(|| {
                                                                    view! {
                                                                        <ActionForm action=refund attr:class="inline-form">
                                                                            <input type="hidden" name="donation_id" value=r.id />
                                                                            <button type="submit" class="button secondary small">
                                                                                {t(K::donations_refund)}
                                                                            </button>
                                                                        </ActionForm>
                                                                    }
                                                                })}
                                                            {r
                                                                .refund_elsewhere
                                                                .then(|| {
                                                                    view! {
                                                                        <span class="muted small">
                                                                            {t(K::donations_refund_elsewhere)}
                                                                        </span>
                                                                    }
                                                                })}
                                                            {wall
                                                                .then(|| {
                                                                    view! {
                                                                        <ActionForm action=hide attr:class="inline-form">
                                                                            <input type="hidden" name="donation_id" value=r.id />
                                                                            <input
                                                                                type="hidden"
                                                                                name="hidden"
                                                                                value=if r.hidden { "false" } else { "true" }
                                                                            />
                                                                            <button type="submit" class="button secondary small">
                                                                                {if r.hidden {
                                                                                    t(K::donations_show_on_wall)
                                                                                } else {
                                                                                    t(K::donations_hide_from_wall)
                                                                                }}
                                                                            </button>
                                                                        </ActionForm>
                                                                    }
                                                                })}
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
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
