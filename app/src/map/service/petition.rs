//! Petitions: whom an organisation's members can petition, the letter (Romanian, A4 PDF) listing
//! every confirmed problem of the organisation's buildings that one authority answers for, under
//! OG 27/2002 and Law 448/2006, and the QR code of a place's poster.
use super::super::db::{self, PetitionItem};
use super::super::{problem_label, rules, PetitionTarget};
use super::{signed_in, today, MapError, Stop};
use crate::accounts::SessionUser;
use crate::error::Problem;
use crate::i18n::Lang;
use crate::ssr::pdf::PdfDoc;
use crate::ssr::AppState;

/// Authorities the signed-in person's organisations can petition (for the petition form).
pub async fn targets() -> Result<Vec<PetitionTarget>, MapError> {
    let me = signed_in().await?;
    let all = db::petition_targets(&crate::ssr::state().db).await?;
    Ok(all.into_iter().filter(|t| rules::may_petition(&me, t.org_id)).collect())
}

/// The letter of `org` to `authority`, for a member of the organisation.
pub async fn pdf(st: &AppState, me: &SessionUser, org: i64, authority: i64) -> Result<Vec<u8>, Stop> {
    if !rules::may_petition(me, org) {
        return Err(Stop::Forbidden);
    }
    let parties = db::petition_parties(&st.db, org, authority).await?.ok_or(Stop::NotFound)?;
    let items = db::petition_items(&st.db, org, authority).await?;
    render(&parties, &items, today(), &st.settings.public_url).map_err(|e| Stop::Internal(e.to_string()))
}

/// The QR code (SVG) of a place's public page, for its poster.
pub async fn poster_qr(id: i64) -> Result<String, MapError> {
    let url = format!("{}/map/places/{id}", crate::ssr::state().settings.public_url.trim_end_matches('/'));
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(|_| MapError(Problem::Internal))?;
    Ok(code.render::<qrcode::render::svg::Color>().min_dimensions(240, 240).quiet_zone(true).build())
}

fn render(
    parties: &(String, String, String, String),
    items: &[PetitionItem],
    today: i64,
    public_url: &str,
) -> Result<Vec<u8>, crate::ssr::pdf::PdfError> {
    let (authority, address, locality, org) = parties;
    let ro = Lang::Ro;
    let mut doc = PdfDoc::new("Petiție privind accesibilitatea clădirilor publice");
    doc.small(&format!("Către: {authority}"));
    if !address.is_empty() || !locality.is_empty() {
        doc.small(
            &[address.as_str(), locality.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    doc.small(&format!("Data: {}", rules::day_text(ro, today)));
    doc.space(6.0)
        .title("Petiție privind accesibilitatea clădirilor publice")
        .space(4.0)
        .text(&format!(
            "Subscrisa, {org}, în temeiul Ordonanței Guvernului nr. 27/2002 privind reglementarea activității de soluționare \
             a petițiilor și al Legii nr. 448/2006 privind protecția și promovarea drepturilor persoanelor cu handicap \
             (art. 61–62: accesibilitatea clădirilor de utilitate publică), vă aducem la cunoștință problemele de accesibilitate \
             de mai jos, constatate și confirmate de membrii noștri, și vă rugăm să dispuneți remedierea lor."
        ))
        .space(4.0)
        .heading(&format!("Clădiri și probleme constatate ({})", items.len()));
    let rows: Vec<Vec<String>> = items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            vec![
                (i + 1).to_string(),
                format!("{}\n{}", it.place, it.address),
                ro.t(problem_label(&it.problem)).to_string(),
                it.description.clone(),
                format!("{}/map/reports/{}", public_url.trim_end_matches('/'), it.report_id),
            ]
        })
        .collect();
    doc.table(
        &[8.0, 42.0, 28.0, 62.0, 40.0],
        &["Nr.", "Clădirea", "Problema", "Descriere", "Fotografii și istoric"],
        &rows,
    )
    .space(4.0)
    .text(
        "Vă rugăm să ne comunicați răspunsul în termenul legal de 30 de zile de la înregistrarea petiției \
             (art. 8 din OG nr. 27/2002), cu măsurile și termenele de remediere pentru fiecare clădire.",
    )
    .space(8.0)
    .text("Cu stimă,")
    .bold(org);
    doc.render()
}
