//! Public consultations (Legea 52/2003): an organiser (authority official or organisation admin)
//! publishes a draft split into articles; people comment article by article; the organiser answers
//! every comment with a reason; the platform publishes the synthesis report.
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
#[cfg(feature = "ssr")]
mod personal;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;

use crate::accounts::rules::Signer;
use leptos::prelude::*;
use rules::files::FileInfo;
use rules::law52::CheckResult;
use rules::report::ReportRow;
use rules::split::{Para, UnitKind};
use rules::{Answer, CommentStatus, DiffOp, Phase, Stance, Status};
use serde::{Deserialize, Serialize};

/// The consultations section of an organisation's page (assembled in `site::organisation`).
pub use pages::OrgConsultations;

crate::feature_error!(ConsultationsError);

/// The personal data consultations keep (registered at start, see `ssr::personal`).
#[cfg(feature = "ssr")]
pub use personal::PERSONAL_DATA;

/// Every kind of e-mail this feature sends (the notification centre offers a setting per optional kind).
#[cfg(feature = "ssr")]
pub const MAIL_KINDS: &[crate::ssr::mail::kinds::MailKind] = {
    use crate::i18n::K;
    use crate::ssr::mail::kinds::MailKind;
    &[
        MailKind::essential(
            "consultations.receipt",
            K::notify_group_consultations,
            K::notify_kind_consultations_receipt,
        ),
        MailKind::optional("consultations.reply", K::notify_group_consultations, K::notify_kind_consultations_reply),
        MailKind::optional("consultations.answer", K::notify_group_consultations, K::notify_kind_consultations_answer),
        MailKind::optional(
            "consultations.new_version",
            K::notify_group_consultations,
            K::notify_kind_consultations_new_version,
        ),
        MailKind::optional(
            "consultations.closing_soon",
            K::notify_group_consultations,
            K::notify_kind_consultations_closing_soon,
        ),
        MailKind::optional("consultations.new", K::notify_group_consultations, K::notify_kind_consultations_new),
        MailKind::optional("consultations.debate", K::notify_group_consultations, K::notify_kind_consultations_debate),
        MailKind::optional(
            "consultations.extended",
            K::notify_group_consultations,
            K::notify_kind_consultations_extended,
        ),
        MailKind::optional(
            "consultations.moderation_alert",
            K::notify_group_consultations,
            K::notify_kind_consultations_moderation_alert,
        ),
    ]
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub topics: Vec<String>,
    pub locality: String,
    pub county: String,
    pub owner_kind: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub owner_slug: String,
    pub status: Status,
    pub phase: Phase,
    pub opens_at: i64,
    pub closes_at: i64,
    pub comments: i64,
    pub is_demo: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Detail {
    pub card: Card,
    pub explanatory_note: String,
    pub adoption_at: Option<i64>,
    pub urgency_reason: String,
    pub officer_contact: String,
    /// Who proposed the draft (a code of `rules::initiator::Initiator`; empty on older ones).
    pub initiator: String,
    /// The owning authority's transparency officer (empty for an organisation's consultation),
    /// shown when the consultation names no contact of its own.
    pub authority_officer: crate::orgs::officer::Officer,
    pub premoderation: bool,
    pub report_threshold: i64,
    pub current_version: i64,
    pub published_at: Option<i64>,
    pub report_published_at: Option<i64>,
    pub created_at: i64,
    /// Only for the organiser (the correction box).
    pub draft_text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitView {
    pub id: i64,
    pub position: i64,
    pub kind: UnitKind,
    pub label: String,
    pub title: String,
    pub paragraphs: Vec<Para>,
    pub comments: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionInfo {
    pub number: i64,
    pub changelog: String,
    pub created_at: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub signed_in: bool,
    pub verified: bool,
    pub organiser: bool,
    pub moderator: bool,
    pub following: bool,
    /// Organisations the person may speak for (member or admin).
    pub orgs: Vec<(i64, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Debate {
    pub requests: Vec<(String, String)>,
    pub starts_at: Option<i64>,
    pub place: String,
    pub online_url: String,
    pub minutes: String,
    pub registered: i64,
    pub me_registered: bool,
}

/// A line of the public history of a consultation's dates (an extension or a correction).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DateChange {
    /// "extension" or "correction" (`rules::dates::ChangeKind`).
    pub kind: String,
    /// "opens_at", "closes_at" or "adoption_at" (`rules::dates::DateField`).
    pub field: String,
    pub old_value: Option<i64>,
    pub new_value: Option<i64>,
    pub reason: String,
    pub created_at: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsultationPage {
    pub detail: Detail,
    /// One page of the draft's units (all of them on the organiser's page).
    pub units: Vec<UnitView>,
    /// The page shown (1-based; 0 = every unit) and how many units the draft has.
    pub unit_page: i64,
    pub units_total: i64,
    /// The organiser's attachments and the debate minutes.
    pub files: Vec<FileInfo>,
    pub general_comments: i64,
    pub versions: Vec<VersionInfo>,
    pub checks: Vec<CheckResult>,
    pub viewer: Viewer,
    pub debate: Debate,
    /// Every extension and correction of the dates, oldest first.
    pub date_changes: Vec<DateChange>,
    pub unanswered: i64,
    pub now: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: i64,
    pub reg_no: String,
    pub parent_id: Option<i64>,
    pub depth: i64,
    pub version: i64,
    pub unit_position: i64,
    pub unit_label: String,
    pub paragraph: String,
    pub author: Signer,
    pub org_name: String,
    pub stance: Stance,
    /// Sanitised HTML of the Markdown text (empty when hidden or deleted).
    pub body_html: String,
    pub alternative: String,
    pub diff: Vec<(DiffOp, String)>,
    pub status: CommentStatus,
    pub status_reason: String,
    pub support: i64,
    pub supported_by_me: bool,
    pub created_at: i64,
    pub edited: bool,
    pub answer: Option<Answer>,
    pub answer_text: String,
    pub mine: bool,
    pub can_edit: bool,
    /// Raw text, only for its author while the edit window lasts.
    pub body_source: String,
    /// The position paper attached to the comment.
    pub paper: Option<FileInfo>,
    pub replies: Vec<CommentView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadPage {
    pub card: Card,
    /// `None` = the whole draft (general comments) or every comment ("all").
    pub unit: Option<UnitView>,
    pub scope: String,
    pub comments: Vec<CommentView>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub sort: String,
    pub viewer: Viewer,
    pub form_token: String,
    pub open: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListFilter {
    pub topic: String,
    pub county: String,
    pub status: String,
    pub page: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListPage {
    pub cards: Vec<Card>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub counties: Vec<String>,
    pub can_create: bool,
}

/// Where a consultation may come from: the authorities and organisations the person organises for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OwnerOption {
    /// "authority:3" or "org:5".
    pub value: String,
    pub name: String,
}

/// A comment in the moderation queue, with its open reports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: i64,
    pub reg_no: String,
    pub body: String,
    pub status: CommentStatus,
    pub status_reason: String,
    pub reports: i64,
    pub reason: String,
    pub details: String,
    pub created_at: i64,
    pub slug: String,
    pub title: String,
    pub author: Signer,
    pub unit_position: i64,
}

/// The moderation queue: one state's comments (reported, pending or hidden) and the tabs' counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    pub items: Vec<QueueItem>,
    pub pending: i64,
    pub reported: i64,
    pub hidden: i64,
    pub state: String,
    pub reason: String,
    pub consultation: String,
    /// A platform moderator or admin (sees every consultation and the counts).
    pub everywhere: bool,
}

/// A line of a consultation's public moderation log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    pub action: String,
    pub reason: String,
    pub created_at: i64,
    pub reg_no: String,
    pub unit_position: i64,
}

/// A consultation's public moderation log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Log {
    pub card: Card,
    pub entries: Vec<LogEntry>,
}

/// The organiser's page of comments to answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswersPage {
    pub card: Card,
    pub items: Vec<ReportRow>,
    pub unanswered: i64,
    pub can_answer: bool,
    pub filter: String,
}

// The `#[server]` functions: each parses its arguments and calls one `service` function.

#[server]
pub async fn list_consultations(filter: ListFilter) -> Result<ListPage, ConsultationsError> {
    service::reading::list(filter).await
}

/// `page`: which page of the draft's units (0 = all of them, for the organiser's review).
#[server]
pub async fn get_consultation(
    slug: String,
    #[server(default)] page: i64,
) -> Result<ConsultationPage, ConsultationsError> {
    service::reading::page(&slug, page).await
}

#[server]
pub async fn get_thread(
    slug: String,
    scope: String,
    sort: String,
    page: i64,
) -> Result<ThreadPage, ConsultationsError> {
    service::reading::thread(&slug, &scope, &sort, page).await
}

#[server]
pub async fn owner_options() -> Result<Vec<OwnerOption>, ConsultationsError> {
    service::drafts::owner_options().await
}

#[server]
pub async fn org_consultations(org_id: i64) -> Result<Vec<Card>, ConsultationsError> {
    service::reading::by_owner("org", org_id).await
}

pub use new_form::*;

/// The new-consultation form has more fields than the lint allows arguments, one argument each; the
/// `allow` sits on a module because `#[server]` leaves it off the browser's copy of the function.
#[allow(clippy::too_many_arguments)]
mod new_form {
    use super::*;

    #[server]
    pub async fn create_consultation(
        owner: String,
        title: String,
        summary: String,
        #[server(default)] topics: Vec<String>,
        locality: String,
        county: String,
        draft_text: String,
        explanatory_note: String,
        opens_on: String,
        closes_on: String,
        adoption_on: String,
        urgency_reason: String,
        officer_contact: String,
        #[server(default)] initiator: String,
        #[server(default)] premoderation: Option<String>,
        #[server(default)] report_threshold: String,
    ) -> Result<(), ConsultationsError> {
        service::drafts::create(rules::NewForm {
            owner,
            title,
            summary,
            topics,
            locality,
            county,
            draft_text,
            explanatory_note,
            opens_on,
            closes_on,
            adoption_on,
            urgency_reason,
            officer_contact,
            initiator,
            premoderation: premoderation.is_some(),
            report_threshold,
        })
        .await
    }
}

/// Re-splits a draft after the organiser corrected its text (drafts only).
#[server]
pub async fn update_draft(id: i64, draft_text: String) -> Result<(), ConsultationsError> {
    service::drafts::update_draft(id, &draft_text).await
}

/// publish / close / publish_report / adopt / withdraw.
#[server]
pub async fn change_status(id: i64, action: String) -> Result<(), ConsultationsError> {
    service::drafts::change_status(id, &action).await
}

/// Extends the comment window of an open consultation (announced on its page, followers mailed).
#[server]
pub async fn extend_window(
    id: i64,
    ext_closes_on: String,
    #[server(default)] ext_adoption_on: String,
    ext_reason: String,
) -> Result<(), ConsultationsError> {
    service::dates::extend(id, &ext_closes_on, &ext_adoption_on, &ext_reason).await
}

/// Corrects the dates of a draft or of an open consultation, with a public reason.
#[server]
pub async fn correct_dates(
    id: i64,
    fix_opens_on: String,
    fix_closes_on: String,
    fix_adoption_on: String,
    fix_reason: String,
) -> Result<(), ConsultationsError> {
    service::dates::correct(id, &fix_opens_on, &fix_closes_on, &fix_adoption_on, &fix_reason).await
}

#[server]
pub async fn new_version(id: i64, draft_text: String, changelog: String) -> Result<(), ConsultationsError> {
    service::drafts::new_version(id, &draft_text, &changelog).await
}

#[server]
pub async fn post_comment(
    slug: String,
    scope: String,
    #[server(default)] paragraph: String,
    #[server(default)] parent_id: Option<i64>,
    #[server(default)] stance: String,
    body: String,
    #[server(default)] alternative: String,
    #[server(default)] org_id: Option<i64>,
    #[server(default)] form_token: String,
    #[server(default)] form_key: String,
    #[server(default)] website: String,
) -> Result<(), ConsultationsError> {
    service::comments::post_comment(service::comments::CommentForm {
        slug,
        scope,
        paragraph,
        parent_id,
        stance,
        body,
        alternative,
        org_id,
        form_token,
        form_key,
        website,
    })
    .await
}

#[server]
pub async fn edit_comment(
    id: i64,
    body: String,
    #[server(default)] alternative: String,
) -> Result<(), ConsultationsError> {
    service::comments::edit_comment(id, &body, &alternative).await
}

#[server]
pub async fn delete_comment(id: i64) -> Result<(), ConsultationsError> {
    service::comments::delete_comment(id).await
}

/// Adds my support, or takes it back.
#[server]
pub async fn toggle_support(id: i64) -> Result<(), ConsultationsError> {
    service::comments::toggle_support(id).await
}

#[server]
pub async fn report_comment(
    id: i64,
    reason: String,
    #[server(default)] details: String,
) -> Result<(), ConsultationsError> {
    service::comments::report_comment(id, &reason, &details).await
}

/// hide / restore / approve, with the public reason.
#[server]
pub async fn moderate_comment(
    id: i64,
    action: String,
    #[server(default)] reason: String,
    #[server(default)] next: String,
) -> Result<(), ConsultationsError> {
    service::moderation::moderate(id, &action, &reason, &next).await
}

/// One answer for one or many comments (similar proposals answered together).
#[server]
pub async fn answer_comments(
    consultation_id: i64,
    #[server(default)] ids: Vec<i64>,
    answer: String,
    #[server(default)] justification: String,
) -> Result<(), ConsultationsError> {
    service::answers::answer(consultation_id, &ids, &answer, &justification).await
}

#[server]
pub async fn toggle_follow(id: i64) -> Result<(), ConsultationsError> {
    service::follows::toggle_follow(id).await
}

#[server]
pub async fn subscribe_new(
    #[server(default)] topic: String,
    #[server(default)] county: String,
) -> Result<(), ConsultationsError> {
    service::follows::subscribe(&topic, &county).await
}

#[server]
pub async fn request_debate(id: i64, org_id: i64, reason: String) -> Result<(), ConsultationsError> {
    service::debates::request_debate(id, org_id, &reason).await
}

#[server]
pub async fn schedule_debate(
    id: i64,
    date: String,
    time: String,
    #[server(default)] place: String,
    #[server(default)] online_url: String,
    #[server(default)] minutes: String,
) -> Result<(), ConsultationsError> {
    service::debates::schedule_debate(id, &date, &time, &place, &online_url, &minutes).await
}

#[server]
pub async fn register_debate(id: i64) -> Result<(), ConsultationsError> {
    service::debates::register_debate(id).await
}

#[server]
pub async fn moderation_queue(
    #[server(default)] consultation: String,
    #[server(default)] reason: String,
    #[server(default)] state: String,
) -> Result<Queue, ConsultationsError> {
    service::moderation::queue(&consultation, &reason, &state).await
}

#[server]
pub async fn moderation_log(slug: String) -> Result<Log, ConsultationsError> {
    service::moderation::log(&slug).await
}

#[server]
pub async fn get_answers(slug: String, #[server(default)] filter: String) -> Result<AnswersPage, ConsultationsError> {
    service::answers::answers_page(&slug, &filter).await
}

/// The page behind the unsubscribe link in every follow and subscription mail.
#[server]
pub async fn consultations_unsubscribe(token: String) -> Result<(), ConsultationsError> {
    service::follows::unsubscribe(&token).await
}

/// One page of the report (`page` from 1, 100 comments each; `article` a unit's position or
/// `general`), as the address gave them: the service parses and clamps them. The first page of every
/// article carries the totals. The PDF and the CSV (`http`) stay whole.
#[server]
pub async fn get_report(
    slug: String,
    #[server(default)] page: String,
    #[server(default)] article: String,
) -> Result<rules::report_page::ReportPage, ConsultationsError> {
    service::answers::report_page(&slug, &page, &article).await
}
