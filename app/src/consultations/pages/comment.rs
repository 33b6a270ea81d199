//! One comment with its replies: stance, text or why it is hidden, the proposed wording as a diff,
//! the answer, the position paper, and what the viewer may do (support, reply, edit, attach a
//! paper, delete, report, moderate).
use super::thread::{kept, problem_for, Actions, CommentForm, Ctx, FormMessage};
use super::*;
use crate::consultations::rules::{report_reason_label, CommentStatus, DiffOp, Stance, REPORT_REASONS};
use crate::ui::form::textarea_html;

fn stance_class(s: Stance) -> &'static str {
    match s {
        Stance::For => "stance-badge for",
        Stance::Against => "stance-badge against",
        Stance::Neutral => "stance-badge neutral",
    }
}

pub(super) fn comment_item(c: CommentView, ctx: Ctx) -> AnyView {
    let a = expect_context::<Actions>();
    let lang = use_lang();
    let id = c.id;
    let author = crate::consultations::rules::report::signature(lang, &c.org_name, &c.author);
    let body = match c.status {
        CommentStatus::Deleted => {
            view! { <p class="placeholder">{t(K::consultations_deleted_by_author)}</p> }.into_any()
        }
        CommentStatus::Hidden => view! {
            <p class="placeholder">{fill(t(K::consultations_hidden_by_moderator), &[("reason", &c.status_reason)])}</p>
            {(!c.body_html.is_empty())
                .then(|| view! { <div class="comment-body moderator-only" inner_html=c.body_html.clone()></div> })}
        }
        .into_any(),
        _ => view! {
            {(c.status == CommentStatus::Pending)
                .then(|| view! { <p class="tag">{t(K::consultations_pending_note)}</p> })}
            <div class="comment-body" inner_html=c.body_html.clone()></div>
        }
        .into_any(),
    };
    let diff = (!c.alternative.is_empty()).then(|| {
        let parts = if c.diff.is_empty() {
            view! { <p class="pre-line">{c.alternative.clone()}</p> }.into_any()
        } else {
            view! {
                <p class="diff">
                    {c
                        .diff
                        .iter()
                        .map(|(op, w)| match op {
                            DiffOp::Same => view! { <span>{w.clone()} " "</span> }.into_any(),
                            DiffOp::Removed => {
                                view! {
                                    <del>
                                        <span class="visually-hidden">{t(K::consultations_diff_removed)} " "</span>
                                        {w.clone()}
                                    </del>
                                    " "
                                }
                                    .into_any()
                            }
                            DiffOp::Added => {
                                view! {
                                    <ins>
                                        <span class="visually-hidden">{t(K::consultations_diff_added)} " "</span>
                                        {w.clone()}
                                    </ins>
                                    " "
                                }
                                    .into_any()
                            }
                        })
                        .collect_view()}
                </p>
            }
            .into_any()
        };
        view! {
            <div class="alternative">
                <p class="small">
                    <strong>{t(K::consultations_alternative)}</strong>
                </p>
                {parts}
            </div>
        }
    });
    let answer = c.answer.map(|ans| {
        view! {
            <div class="official-answer">
                <p>
                    <strong>{t(K::consultations_answer)} ": " {t(ans.label())}</strong>
                </p>
                {(!c.answer_text.is_empty()).then(|| view! { <p class="pre-line">{c.answer_text.clone()}</p> })}
            </div>
        }
    });
    let visible = c.status == CommentStatus::Visible;
    let signed_in = ctx.viewer.signed_in;
    let support = (visible && signed_in && !c.mine && ctx.open).then(|| {
        let pressed = if c.supported_by_me { "true" } else { "false" };
        let label = if c.supported_by_me { t(K::consultations_unsupport) } else { t(K::consultations_support) };
        view! {
            <ActionForm action=a.support attr:class="inline-form">
                <input type="hidden" name="id" value=id />
                <button type="submit" class="link-button" aria-pressed=pressed>
                    {label}
                </button>
            </ActionForm>
        }
    });
    let reply = (visible && signed_in && ctx.open && c.depth < rules::MAX_DEPTH).then(|| {
        let key = format!("reply-{id}");
        let open_it = kept(problem_of(a.post), "form_key") == key;
        view! {
            <details class="reply-box" open=open_it>
                <summary>{t(K::consultations_reply)}</summary>
                <CommentForm ctx=ctx.clone() parent=Some(id) paragraphs=vec![] with_alternative=false key />
            </details>
        }
    });
    let edit = c.can_edit.then(|| {
        let key = format!("edit-{id}");
        let p = problem_for(problem_of(a.edit), key.clone());
        let body_id = format!("f-edit-body-{id}");
        let alt_id = format!("f-edit-alt-{id}");
        view! {
            <details class="edit-box">
                <summary>{t(K::consultations_edit)}</summary>
                <ActionForm action=a.edit attr:class="form">
                    <FormMessage problem=p />
                    <input type="hidden" name="id" value=id />
                    <div class="field">
                        <label for=body_id.clone()>{t(K::consultations_comment_text)}</label>
                        <textarea
                            id=body_id
                            name="body"
                            rows="5"
                            inner_html=textarea_html(c.body_source.clone())
                        ></textarea>
                    </div>
                    <div class="field">
                        <label for=alt_id.clone()>{t(K::consultations_alternative)}</label>
                        <textarea
                            id=alt_id
                            name="alternative"
                            rows="4"
                            inner_html=textarea_html(c.alternative.clone())
                        ></textarea>
                    </div>
                    <button type="submit" class="button">
                        {t(K::consultations_save)}
                    </button>
                </ActionForm>
            </details>
        }
    });
    let paper_link = c.paper.clone().map(|f| view! { <PaperLink slug=ctx.slug.clone() f /> });
    // The author attaches a position paper (a plain multipart form; a new file replaces the old).
    let paper_form =
        (c.mine && ctx.open && matches!(c.status, CommentStatus::Visible | CommentStatus::Pending)).then(|| {
            let q = use_query_map().get_untracked();
            let error = upload_error(&q, &format!("paper-{id}"));
            let open_it = error.is_some();
            view! {
                <details class="paper-box" open=open_it>
                    <summary>{t(K::consultations_paper_add)}</summary>
                    <form
                        method="post"
                        action=format!("/consultations/{}/papers/{id}", ctx.slug)
                        enctype="multipart/form-data"
                        class="form"
                    >
                        <FileInput
                            name="file".to_string()
                            id=format!("f-paper-{id}")
                            label=K::consultations_field_pdf
                            hint=K::consultations_paper_hint
                            error
                        />
                        <button type="submit" class="button secondary">
                            {t(K::consultations_upload)}
                        </button>
                    </form>
                </details>
            }
        });
    let delete =
        (c.mine && ctx.open && matches!(c.status, CommentStatus::Visible | CommentStatus::Pending)).then(|| {
            view! {
                <ActionForm action=a.delete attr:class="inline-form">
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="link-button danger">
                        {t(K::consultations_delete)}
                    </button>
                </ActionForm>
            }
        });
    let report = (signed_in && !c.mine && c.status != CommentStatus::Deleted).then(|| {
        let rid = format!("f-report-reason-{id}");
        let did = format!("f-report-details-{id}");
        view! {
            <details class="report-box">
                <summary>{t(K::consultations_report_comment)}</summary>
                <ActionForm action=a.report attr:class="form">
                    <input type="hidden" name="id" value=id />
                    <div class="field">
                        <label for=rid.clone()>{t(K::consultations_report_reason)}</label>
                        <select id=rid name="reason">
                            {REPORT_REASONS
                                .iter()
                                .map(|r| view! { <option value=*r>{t(report_reason_label(r))}</option> })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for=did.clone()>{t(K::consultations_report_details)}</label>
                        <textarea id=did name="details" rows="3"></textarea>
                    </div>
                    <button type="submit" class="button secondary">
                        {t(K::consultations_report_submit)}
                    </button>
                </ActionForm>
            </details>
        }
    });
    let moderate = (ctx.viewer.moderator && c.status != CommentStatus::Deleted).then(|| {
        let rid = format!("f-mod-reason-{id}");
        let next = format!("/consultations/{}/comments?scope={}#c-{id}", ctx.slug, ctx.scope);
        let key = format!("mod-{id}");
        let p = problem_for(problem_of(a.moderate), key);
        view! {
            <details class="mod-box">
                <summary>{t(K::consultations_moderate)}</summary>
                <ActionForm action=a.moderate attr:class="form">
                    <FormMessage problem=p />
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="next" value=next />
                    <div class="field">
                        <label for=rid.clone()>{t(K::consultations_public_reason)}</label>
                        <input id=rid type="text" name="reason" />
                    </div>
                    {(c.status != CommentStatus::Hidden)
                        .then(|| {
                            view! {
                                <button type="submit" name="action" value="hide" class="button danger">
                                    {t(K::consultations_hide)}
                                </button>
                            }
                        })}
                    {(c.status == CommentStatus::Hidden)
                        .then(|| {
                            view! {
                                <button type="submit" name="action" value="restore" class="button">
                                    {t(K::consultations_restore)}
                                </button>
                            }
                        })}
                    {(c.status == CommentStatus::Pending)
                        .then(|| {
                            view! {
                                <button type="submit" name="action" value="approve" class="button">
                                    {t(K::consultations_approve)}
                                </button>
                            }
                        })}
                </ActionForm>
            </details>
        }
    });
    let replies = (!c.replies.is_empty()).then(|| {
        let ctx = ctx.clone();
        view! { <ol class="comments replies">{c.replies.into_iter().map(|r| comment_item(r, ctx.clone())).collect_view()}</ol> }
    });
    let heading_id = format!("c-{id}-h");
    view! {
        <li class="comment" id=format!("c-{id}")>
            <article aria-labelledby=heading_id.clone()>
                <header class="comment-head">
                    <h3 id=heading_id.clone() class="comment-author">
                        {author}
                    </h3>
                    <p class="meta">
                        <span class=stance_class(c.stance)>{t(c.stance.label())}</span>
                        " · "
                        <span>{t(K::consultations_reg_no)} " " {c.reg_no.clone()}</span>
                        " · "
                        <time datetime=crate::fmt::iso_utc(
                            c.created_at,
                        )>{crate::fmt::date_time(lang, c.created_at)}</time>
                        {c
                            .edited
                            .then(|| {
                                view! {
                                    " · "
                                    <span>{t(K::consultations_edited)}</span>
                                }
                            })}
                        {(!c.paragraph.is_empty())
                            .then(|| {
                                view! {
                                    " · "
                                    <span>{t(K::consultations_paragraph_short)} " " {c.paragraph.clone()}</span>
                                }
                            })}
                        {(ctx.scope == "all" && !c.unit_label.is_empty())
                            .then(|| {
                                view! {
                                    " · "
                                    <span>{c.unit_label.clone()}</span>
                                }
                            })}
                        " · "
                        <span>{fill(t(K::consultations_version_n), &[("n", &c.version.to_string())])}</span>
                        " · "
                        <span>{tn(K::consultations_supporters, c.support)}</span>
                    </p>
                </header>
                {body}
                {diff}
                {paper_link}
                {answer}
                <div class="comment-actions">{support}{delete}{edit}{paper_form}{reply}{report}{moderate}</div>
            </article>
            {replies}
        </li>
    }
    .into_any()
}
