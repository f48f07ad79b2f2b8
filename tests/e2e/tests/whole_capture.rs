//! A whole capture in the real app, on a fresh data folder: open a permanence at
//! Hesdin-la-Forêt, capture Élodie Lefèvre there with the quick form, complete her dossier in
//! every section through the self-saving fields (an invalid SIRET refused with the core's
//! French message on the way), balance the plan with her honour loan, move the dossier to
//! "prêt pour comité", then find it again from the list by searching "lefevre" and "hesdin".
//! The store is read at the end to check what was kept; then demo dossiers are added around
//! hers, to look at the list and its search as an advisor would see them.
//!
//! With `PERMANENCE_SCREENSHOTS=/some/folder`, each screen is saved there as `capture-*.png`.

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::{Client, Locator};
use permanence::codes::{
    DocumentStatus, DossierStatus, FinancingCategory, Guarantee, LegalForm, Premises, Situation,
};
use permanence::store::{DossierQuery, Store};
use permanence::{dates, demo};
use permanence_e2e::{
    choose, click, click_starting_with, fill, screenshot, type_and_leave, value_of, Driver, WAIT,
};

const BAD_SIRET_MESSAGE: &str = "Le numéro SIRET « 73282932000079 » n'est pas valide : sa clé \
                                 de contrôle ne correspond pas. Vérifiez chaque chiffre.";

/// Intl writes `32 000 €` with narrow no-break spaces; compare with plain ones.
fn plain(text: &str) -> String {
    text.replace(['\u{202f}', '\u{a0}'], " ")
}

/// What the whole window says, for failure messages.
async fn window_text(app: &Client) -> String {
    match app.find(Locator::Css("body")).await {
        Ok(body) => body.text().await.unwrap_or_default(),
        Err(e) => format!("(no body: {e})"),
    }
}

/// Waits until the element's text, spaces made plain, contains `expected`.
async fn shows(app: &Client, css: &str, expected: &str) -> Result<()> {
    let start = Instant::now();
    loop {
        if let Ok(element) = app.find(Locator::Css(css)).await {
            if plain(&element.text().await.unwrap_or_default()).contains(expected) {
                return Ok(());
            }
        }
        if start.elapsed() > WAIT {
            bail!(
                "{css} never showed {expected:?}; the window shows:\n{}",
                window_text(app).await
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The `id` of the element `css` designates.
async fn id_of(app: &Client, css: &str) -> Result<String> {
    let element = app
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("no element {css}"))?;
    element
        .attr("id")
        .await?
        .with_context(|| format!("{css} has no id"))
}

/// The state of the self-saving field whose control has `id`: "saved" while it says
/// "enregistré", "error:<message>" when the core refused the value, "pending" otherwise.
async fn field_state(app: &Client, id: &str) -> Result<String> {
    let state = app
        .execute(
            "const el = document.getElementById(arguments[0]);
             const box = el && el.closest('.field');
             if (!box) return 'missing';
             if (box.querySelector('.saved-mark')) return 'saved';
             const error = box.querySelector('.field-error');
             return error ? 'error:' + error.textContent.trim() : 'pending';",
            vec![id.into()],
        )
        .await?;
    Ok(state.as_str().unwrap_or("missing").to_owned())
}

/// Waits until the field `id` says "enregistré"; fails with the core's message if refused.
async fn wait_saved(app: &Client, id: &str) -> Result<()> {
    let start = Instant::now();
    loop {
        let state = field_state(app, id).await?;
        if state == "saved" {
            return Ok(());
        }
        if let Some(message) = state.strip_prefix("error:") {
            bail!("#{id} was refused: {message}");
        }
        if start.elapsed() > WAIT {
            bail!(
                "#{id} never said \"enregistré\" (state {state}); the window shows:\n{}",
                window_text(app).await
            );
        }
        tokio::time::sleep(Duration::from_millis(80)).await;
    }
}

/// Types into the self-saving field `css`, leaves it, and waits for "enregistré".
async fn save(app: &Client, css: &str, text: &str) -> Result<()> {
    let id = id_of(app, css).await?;
    let before = value_of(app, &format!("#{id}")).await?;
    if before.trim() == text.trim() {
        bail!("#{id} already holds {text:?}: leaving it would save nothing");
    }
    type_and_leave(app, &format!("#{id}"), text).await?;
    wait_saved(app, &id).await
}

/// Chooses `value` in the self-saving list `css` and waits for "enregistré".
async fn save_choice(app: &Client, css: &str, value: &str) -> Result<()> {
    let id = id_of(app, css).await?;
    choose(app, &format!("#{id}"), value).await?;
    wait_saved(app, &id).await
}

/// Waits until the form field `css` holds `expected`.
async fn wait_value(app: &Client, css: &str, expected: &str) -> Result<()> {
    let start = Instant::now();
    loop {
        let value = value_of(app, css).await?;
        if value == expected {
            return Ok(());
        }
        if start.elapsed() > WAIT {
            bail!("{css} holds {value:?}, not {expected:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the list `css` offers a choice labelled `label` (and is enabled).
async fn has_option(app: &Client, css: &str, label: &str) -> Result<()> {
    let start = Instant::now();
    loop {
        let labels = app
            .execute(
                "const select = document.querySelector(arguments[0]);
                 if (!select || select.disabled) return [];
                 return [...select.options].map((o) => o.textContent.trim());",
                vec![css.into()],
            )
            .await?;
        let labels: Vec<String> = serde_json::from_value(labels)?;
        if labels.iter().any(|l| l == label) {
            return Ok(());
        }
        if start.elapsed() > WAIT {
            bail!("{css} never offered {label:?}; it offers {labels:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The label of the choice a list shows.
async fn shown_choice(app: &Client, css: &str) -> Result<String> {
    let label = app
        .execute(
            "const select = document.querySelector(arguments[0]);
             const option = select && select.options[select.selectedIndex];
             return option ? option.textContent.trim() : '';",
            vec![css.into()],
        )
        .await?;
    Ok(label.as_str().unwrap_or_default().to_owned())
}

/// Scrolls so that `css` is at the top of the window (or the page's top for `None`), for a
/// screenshot of a long section.
async fn scroll_to(app: &Client, css: Option<&str>) -> Result<()> {
    let script = match css {
        Some(_) => {
            "document.querySelector(arguments[0]).scrollIntoView({ block: 'start' }); \
             window.scrollBy(0, -12);"
        }
        None => "window.scrollTo(0, 0);",
    };
    let args = css.map(|c| vec![c.into()]).unwrap_or_default();
    app.execute(script, args).await?;
    tokio::time::sleep(Duration::from_millis(150)).await;
    Ok(())
}

/// Adds a line of `category` on `side` ("need" or "resource") of the plan and returns the
/// DOM id of its amount field (the new line is the last of its side).
async fn add_plan_line(app: &Client, side: &str, category: &str) -> Result<String> {
    let amounts = format!(
        "section[aria-labelledby='plan-{side}-title'] input[id^='f-financing_line-amount_cents']"
    );
    let before = app.find_all(Locator::Css(&amounts)).await?.len();
    choose(app, &format!("#new-{side}-category"), category).await?;
    click(app, &format!("#add-{side}")).await?;
    let start = Instant::now();
    loop {
        let inputs = app.find_all(Locator::Css(&amounts)).await?;
        if inputs.len() > before {
            let last = inputs.last().context("a new line")?;
            return last.attr("id").await?.context("amount field without id");
        }
        if start.elapsed() > WAIT {
            bail!(
                "no new {category} line on the {side} side; the window shows:\n{}",
                window_text(app).await
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Types a search in the list and waits for the list to show `expected`.
async fn search(app: &Client, text: &str, expected: &str) -> Result<()> {
    fill(app, "#search", text).await?;
    shows(app, "#dossier-list", expected).await
}

/// The names in the list, row by row (read in one script: the list may be replaced meanwhile).
async fn listed_names(app: &Client) -> Result<Vec<String>> {
    let names = app
        .execute(
            "return [...document.querySelectorAll('#dossier-list tbody td.name')]
                 .map((cell) => cell.textContent.trim());",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(names)?)
}

/// Types a search and waits until the list shows exactly `expected` (in any order).
async fn search_finds(app: &Client, text: &str, expected: &[String]) -> Result<()> {
    fill(app, "#search", text).await?;
    let mut expected = expected.to_vec();
    expected.sort();
    let start = Instant::now();
    loop {
        let mut names = listed_names(app).await?;
        names.sort();
        if names == expected {
            return Ok(());
        }
        if start.elapsed() > WAIT {
            bail!("searching {text:?}, the list shows {names:?} rather than {expected:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_whole_capture_from_the_permanence_to_ready_for_committee() -> Result<()> {
    let started = Instant::now();
    let data = tempfile::tempdir()?;
    let today = permanence::clock::today();
    let mut committee_day = today;
    for _ in 0..21 {
        committee_day = committee_day.succ_opt().context("a day after")?;
    }
    let mut start_day = committee_day;
    for _ in 0..45 {
        start_day = start_day.succ_opt().context("a day after")?;
    }

    let driver = Driver::start(data.path())?;
    let app = driver.launch().await?;
    shows(&app, "#empty-state", "Aucun dossier").await?;

    // 1. A permanence at Hesdin-la-Forêt, today.
    click(&app, "a[href='/sessions']").await?;
    shows(&app, "#no-sessions", "Aucune permanence").await?;
    fill(&app, "#session-commune", "hesdin").await?;
    click_starting_with(&app, ".commune-option", "Hesdin-la-Forêt").await?;
    fill(&app, "#session-place", "Mairie, salle du conseil").await?;
    fill(&app, "#session-held_on", &dates::format_date(today)).await?;
    fill(&app, "#session-advisor", "Claire Dumont").await?;
    click(&app, "#create-session").await?;
    shows(&app, "#session-title", "Permanence de Hesdin-la-Forêt").await?;
    shows(&app, "p.meta", "Mairie, salle du conseil").await?;

    // 2. The quick capture of Élodie Lefèvre.
    choose(&app, "#holder-0-civility", "madame").await?;
    fill(&app, "#holder-0-last_name", "Lefèvre").await?;
    fill(&app, "#holder-0-first_name", "Élodie").await?;
    fill(&app, "#holder-0-phone", "06 12 34 56 78").await?;
    fill(&app, "#holder-0-commune", "hesdin").await?;
    click_starting_with(&app, ".commune-option", "Hesdin-la-Forêt").await?;
    fill(
        &app,
        "#idea",
        "Reprendre une boulangerie-pâtisserie au bourg",
    )
    .await?;
    choose(&app, "#referrer", "cma").await?;
    fill(&app, "#heard_of_us", "Affiche à la mairie").await?;
    click(&app, "#submit").await?;
    shows(&app, "#capture-added", "ouvert pour Élodie LEFÈVRE").await?;
    shows(&app, "#session-people", "Élodie LEFÈVRE").await?;
    shows(&app, "#session-people", "Hesdin-la-Forêt").await?;
    shows(&app, "#met-title", "1 personne").await?;
    scroll_to(&app, None).await?;
    screenshot(&app, "capture-01-session").await?;

    // 3. Her dossier, section by section.
    click(&app, "#session-people a").await?;
    shows(&app, "#dossier-title", "Élodie LEFÈVRE").await?;
    shows(&app, "#dossier-status", "Premier contact").await?;
    shows(&app, "#origin-session", "permanence de Hesdin-la-Forêt").await?;

    // Holder: who she is, where she lives, her path, her share and her honour loan.
    wait_value(&app, "#holder-0-phone", "06 12 34 56 78").await?;
    save(&app, "#holder-0-birth_date", "14/03/1988").await?;
    save(&app, "#holder-0-email", "elodie.lefevre@example.fr").await?;
    save(&app, "#holder-0-address", "12 rue du Général Leclerc").await?;
    save(&app, "#holder-0-postal_code", "62140").await?;
    // 62140 serves a score of communes; hers stays chosen among them.
    has_option(&app, "#holder-0-commune_insee", "Marconnelle").await?;
    wait_value(&app, "#holder-0-commune_insee", "62447").await?;
    assert_eq!(
        shown_choice(&app, "#holder-0-commune_insee").await?,
        "Hesdin-la-Forêt",
        "her commune, not a delegated commune that shares its code"
    );
    save_choice(&app, "#holder-0-situation", "salarie").await?;
    save(&app, "#holder-0-education", "CAP et BP boulanger").await?;
    save(&app, "#holder-0-experience_years", "12").await?;
    save(&app, "#holder-0-role", "Gérante").await?;
    save(&app, "#holder-0-capital_share_bp", "100").await?;
    save(&app, "#holder-0-personal_contribution_cents", "4000").await?;
    wait_value(&app, "#holder-0-personal_contribution_cents", "4 000").await?;
    save(
        &app,
        "#holder-0-background",
        "Douze ans en boulangerie, dont cinq comme responsable de fournil à Montreuil.",
    )
    .await?;
    save(
        &app,
        "#holder-0-motivation",
        "Le boulanger part à la retraite : reprendre le fournil et garder le pain au bourg.",
    )
    .await?;
    save(&app, "#holder-0-loan_requested_cents", "8 000").await?;
    save(&app, "#holder-0-loan_months", "60").await?;
    save(&app, "#holder-0-loan_deferral_months", "3").await?;
    save(&app, "#holder-0-loan_fund", "Fonds de prêts d'honneur").await?;
    shows(&app, ".rate", "Le plan compte le montant demandé (8 000 €)").await?;
    scroll_to(&app, None).await?;
    screenshot(&app, "capture-02-holder").await?;
    scroll_to(&app, Some("#holder-0-situation")).await?;
    screenshot(&app, "capture-03-holder-loan").await?;

    // Project and business, with the NAF code picked among suggestions and a SIRET.
    click(&app, "#tab-entreprise").await?;
    shows(&app, "#business-title", "L'entreprise").await?;
    wait_value(&app, "#dossier-referrer", "cma").await?;
    wait_value(&app, "#dossier-heard_of_us", "Affiche à la mairie").await?;
    // The capture counts as the last contact.
    wait_value(&app, "#dossier-last_contact_on", &dates::format_date(today)).await?;
    // Opened at Claire Dumont's permanence, the dossier is already hers.
    wait_value(&app, "#dossier-advisor", "Claire Dumont").await?;
    save(&app, "#business-name", "Boulangerie Lefèvre").await?;
    save(&app, "#business-trade_name", "Au Pain de la Canche").await?;
    save_choice(&app, "#business-sector", "artisanat").await?;
    fill(&app, "#business-naf_code", "boulangerie").await?;
    click_starting_with(&app, ".suggestion", "10.71C").await?;
    wait_saved(&app, "business-naf_code").await?;
    wait_value(&app, "#business-naf_code", "10.71C").await?;
    shows(
        &app,
        "#business-naf_code-hint",
        "Boulangerie et boulangerie-pâtisserie",
    )
    .await?;
    save(
        &app,
        "#business-activity",
        "Pain au levain, viennoiseries et pâtisseries ; dépôt de pain dans deux villages voisins.",
    )
    .await?;
    save(
        &app,
        "#business-market",
        "Seule boulangerie du bourg ; clientèle locale et de passage les jours de marché.",
    )
    .await?;
    save_choice(&app, "#business-legal_form", "eurl").await?;
    save(&app, "#business-share_capital_cents", "5 000").await?;
    save(&app, "#business-start_on", &dates::format_date(start_day)).await?;
    // A SIRET whose check digit is wrong: refused at the field, with the core's message, the
    // text typed kept; then the right one.
    type_and_leave(&app, "#business-siret", "73282932000079").await?;
    shows(&app, r#"[data-field="siret"]"#, BAD_SIRET_MESSAGE).await?;
    assert_eq!(
        value_of(&app, "#business-siret").await?,
        "73282932000079",
        "the refused text stays for correction"
    );
    assert_eq!(
        field_state(&app, "business-siret").await?,
        format!("error:{BAD_SIRET_MESSAGE}")
    );
    scroll_to(&app, Some("#business-title")).await?;
    screenshot(&app, "capture-04-business-siret-refused").await?;
    save(&app, "#business-siret", "73282932000074").await?;
    save(&app, "#business-address", "5 place d'Armes").await?;
    save(&app, "#business-postal_code", "62140").await?;
    has_option(&app, "#business-commune_insee", "Hesdin-la-Forêt").await?;
    save_choice(&app, "#business-commune_insee", "62447").await?;
    assert_eq!(
        shown_choice(&app, "#business-commune_insee").await?,
        "Hesdin-la-Forêt"
    );
    save_choice(&app, "#business-premises", "bail").await?;
    save(&app, "#business-jobs_created", "2").await?;
    save(&app, "#business-jobs_year3", "3").await?;
    shows(&app, "header .meta", "Boulangerie Lefèvre").await?;
    scroll_to(&app, None).await?;
    screenshot(&app, "capture-05-business").await?;
    scroll_to(&app, Some("#business-title")).await?;
    screenshot(&app, "capture-06-business-siret-accepted").await?;

    // Financing plan: needs and resources that, with her 8 000 € honour loan, balance.
    click(&app, "#tab-financement").await?;
    shows(&app, "#plan-leverage", "Effet levier : 1 pour 0").await?;
    shows(
        &app,
        "#plan-balance",
        "Aucun besoin saisi pour 8 000 € de ressources",
    )
    .await?;
    shows(&app, ".honour", "Prêt d'honneur — Élodie LEFÈVRE").await?;
    let equipment = add_plan_line(&app, "need", "tangible_assets").await?;
    save(&app, &format!("#{equipment}"), "30 000").await?;
    let stock = add_plan_line(&app, "need", "stock").await?;
    save(&app, &format!("#{stock}"), "2 000").await?;
    let label = "section[aria-labelledby='plan-need-title'] input[id^='f-financing_line-label']";
    save(&app, label, "Four, pétrin et vitrines").await?;
    shows(&app, "#plan-balance", "Il manque 24 000 € de ressources").await?;
    let contribution = add_plan_line(&app, "resource", "personal_contribution").await?;
    save(&app, &format!("#{contribution}"), "4 000").await?;
    let loan = add_plan_line(&app, "resource", "bank_loan").await?;
    save(&app, &format!("#{loan}"), "20 000").await?;
    let bank = |field: &str| format!("tr.bank-details [id^='f-financing_line-{field}-']");
    save(&app, &bank("bank"), "Crédit Agricole Nord de France").await?;
    save(&app, &bank("months"), "84").await?;
    save(&app, &bank("rate_bp"), "3,2").await?;
    save_choice(&app, &bank("guarantee"), "bpifrance").await?;
    save_choice(&app, &bank("bank_status"), "demande").await?;
    shows(&app, "#plan-balance", "Plan équilibré").await?;
    shows(&app, "#plan-leverage", "Effet levier : 1 pour 2,5").await?;
    shows(&app, "#plan-need-total", "32 000 €").await?;
    shows(&app, "#plan-resource-total", "32 000 €").await?;
    shows(&app, "#plan-summary", "20 000 €").await?;
    shows(&app, "#tab-financement", "équilibré").await?;
    scroll_to(&app, None).await?;
    screenshot(&app, "capture-07-financing-plan").await?;

    // Forecast, years 1 to 3: the core computes EBE, result and CAF against repayments.
    click(&app, "#tab-previsionnel").await?;
    shows(&app, "#forecast", "Année 3").await?;
    let years: [[&str; 8]; 3] = [
        [
            "180 000", "120 000", "30 000", "3 000", "45 000", "24 000", "4 300", "600",
        ],
        [
            "195 000", "130 000", "31 000", "3 200", "47 000", "26 000", "4 300", "520",
        ],
        [
            "210 000", "140 000", "32 000", "3 400", "49 000", "28 000", "4 300", "430",
        ],
    ];
    let inputs = [
        "turnover_cents",
        "gross_margin_cents",
        "external_costs_cents",
        "taxes_cents",
        "wages_cents",
        "owner_pay_cents",
        "depreciation_cents",
        "interest_cents",
    ];
    for (year, figures) in years.iter().enumerate() {
        for (input, figure) in inputs.iter().zip(figures) {
            save(&app, &format!("#forecast-{}-{input}", year + 1), figure).await?;
        }
    }
    save(
        &app,
        "#dossier-forecast_assumptions",
        "Chiffre d'affaires du cédant repris à 90 % la première année, +8 % par an ensuite.",
    )
    .await?;
    // Year 1: EBE 120 000 − 102 000 = 18 000 €; result 18 000 − 4 300 − 600 = 13 100 €.
    shows(&app, "#forecast", "18 000 €").await?;
    shows(&app, "#forecast", "13 100 €").await?;
    for year in 1..=3 {
        shows(&app, &format!("#forecast-{year}-covers"), "Oui").await?;
    }
    scroll_to(&app, None).await?;
    screenshot(&app, "capture-08-forecast").await?;

    // Documents: every one required before committee, received.
    click(&app, "#tab-pieces").await?;
    shows(&app, "#documents", "requise avant comité").await?;
    let required = app
        .execute(
            "return [...document.querySelectorAll('#documents tbody tr')]
                 .filter((row) => row.textContent.includes('requise avant comité'))
                 .map((row) => row.querySelector('select').id);",
            vec![],
        )
        .await?;
    let required: Vec<String> = serde_json::from_value(required)?;
    assert!(
        required.len() >= 4,
        "identity, address, CV and quotes are required: {required:?}"
    );
    for id in &required {
        save_choice(&app, &format!("#{id}"), "recu").await?;
    }
    shows(&app, "#tab-pieces", "complet").await?;
    scroll_to(&app, None).await?;
    screenshot(&app, "capture-09-documents").await?;

    // Committee: a date after today, its kind, the advisor's opinion.
    click(&app, "#tab-comite").await?;
    shows(&app, "#committee-title", "Passage en comité").await?;
    save(
        &app,
        "#dossier-committee_date",
        &dates::format_date(committee_day),
    )
    .await?;
    save_choice(&app, "#dossier-committee_kind", "technique").await?;
    save(
        &app,
        "#dossier-strengths",
        "Métier maîtrisé, clientèle acquise, cédant qui accompagne.",
    )
    .await?;
    save(
        &app,
        "#dossier-cautions",
        "Matériel ancien : prévoir le remplacement du four à trois ans.",
    )
    .await?;
    save(
        &app,
        "#dossier-advisor_opinion",
        "Avis favorable : projet solide, plan équilibré, effet levier de 2,5.",
    )
    .await?;
    shows(
        &app,
        "header .meta",
        &format!("comité du {}", dates::format_date(committee_day)),
    )
    .await?;
    scroll_to(&app, None).await?;
    screenshot(&app, "capture-10-committee").await?;

    // A note of the interview.
    click(&app, "#tab-notes").await?;
    fill(
        &app,
        "#note-body",
        "Rencontrée à la permanence de Hesdin : visite du fournil prévue avec le cédant.",
    )
    .await?;
    click(&app, "#add-note").await?;
    shows(&app, "#notes", "visite du fournil").await?;
    shows(&app, "#tab-notes", "1").await?;
    screenshot(&app, "capture-11-notes").await?;

    // 4. Into instruction, then ready for committee: nothing stands in the way any more.
    click(&app, "#tab-statut").await?;
    shows(&app, "#current-status", "Premier contact").await?;
    click(&app, "button[data-to='instruction']").await?;
    shows(&app, "#current-status", "En instruction").await?;
    let blockers = app
        .execute(
            "return [...document.querySelectorAll('#moves .blockers li')].map((li) => li.textContent);",
            vec![],
        )
        .await?;
    assert_eq!(
        blockers,
        serde_json::json!([]),
        "nothing should block the committee"
    );
    // The privacy notice, given today, with consent to the optional fields.
    save(
        &app,
        "#dossier-privacy_notice_on",
        &dates::format_date(today),
    )
    .await?;
    let consent = "#dossier-consent_optional_fields";
    click(&app, consent).await?;
    wait_saved(&app, &consent[1..]).await?;
    click(&app, "button[data-to='pret_pour_comite']").await?;
    shows(&app, "#current-status", "Prêt pour comité").await?;
    shows(&app, "#dossier-status", "Prêt pour comité").await?;
    shows(&app, ".moved", "Dossier passé à « Prêt pour comité ».").await?;
    scroll_to(&app, None).await?;
    screenshot(&app, "capture-12-status").await?;

    // 5. Back to the list: found again without accents, by name and by commune.
    click(&app, "p.back a[href='/']").await?;
    shows(&app, "#dossier-list", "Élodie LEFÈVRE").await?;
    shows(&app, "#dossier-list", "Prêt pour comité").await?;
    shows(&app, "#dossier-list", "Boulangerie Lefèvre").await?;
    // Each search follows one that finds nobody, so the list seen is the search's answer.
    fill(&app, "#search", "dupont").await?;
    shows(&app, "#no-match", "Aucun dossier ne correspond").await?;
    search(&app, "lefevre", "Élodie LEFÈVRE").await?;
    shows(&app, "#dossier-count", "1 dossier").await?;
    screenshot(&app, "capture-13-list-search-lefevre").await?;
    fill(&app, "#search", "dupont").await?;
    shows(&app, "#no-match", "Aucun dossier ne correspond").await?;
    search(&app, "hesdin", "Élodie LEFÈVRE").await?;
    shows(&app, "#dossier-list", "Hesdin-la-Forêt").await?;
    screenshot(&app, "capture-14-list-search-hesdin").await?;
    app.close().await?;

    // What the store kept.
    let mut store = Store::open_in_dir(data.path())?;
    let sessions = store.list_sessions()?;
    assert_eq!(sessions.len(), 1, "one permanence");
    assert_eq!(sessions[0].commune_insee, "62447", "Hesdin-la-Forêt");
    assert_eq!(sessions[0].held_on, today);
    assert_eq!(sessions[0].people, 1);
    let page = store.list_dossiers(&DossierQuery::default())?;
    assert_eq!(page.total, 1, "one dossier, no duplicate");
    let dossier = store.get_dossier(page.items[0].id)?;
    assert_eq!(
        dossier.session_id,
        Some(sessions[0].id),
        "begun at the permanence"
    );
    assert_eq!(dossier.status, DossierStatus::PretPourComite);
    assert_eq!(dossier.heard_of_us, "Affiche à la mairie");
    let holder = &dossier.holders[0];
    assert_eq!(holder.last_name, "Lefèvre");
    assert_eq!(holder.first_name, "Élodie");
    assert_eq!(holder.phone.as_deref(), Some("+33612345678"), "E.164");
    assert_eq!(holder.email.as_deref(), Some("elodie.lefevre@example.fr"));
    assert_eq!(
        holder.birth_date.map(dates::format_date).as_deref(),
        Some("14/03/1988")
    );
    assert_eq!(holder.postal_code.as_deref(), Some("62140"));
    assert_eq!(holder.commune_insee.as_deref(), Some("62447"));
    assert_eq!(holder.situation, Some(Situation::Salarie));
    assert_eq!(holder.experience_years, Some(12));
    assert_eq!(holder.capital_share_bp, Some(10_000), "100 %");
    assert_eq!(holder.personal_contribution_cents, Some(400_000));
    assert_eq!(holder.loan_requested_cents, Some(800_000));
    assert_eq!(holder.loan_months, Some(60));
    assert_eq!(holder.loan_deferral_months, Some(3));
    let business = &dossier.business;
    assert_eq!(business.name, "Boulangerie Lefèvre");
    assert_eq!(
        business.siret.as_deref(),
        Some("73282932000074"),
        "the valid SIRET, never the refused one"
    );
    assert_eq!(business.naf_code.as_deref(), Some("10.71C"));
    assert_eq!(business.legal_form, Some(LegalForm::Eurl));
    assert_eq!(business.commune_insee.as_deref(), Some("62447"));
    assert_eq!(business.premises, Some(Premises::Bail));
    assert_eq!(business.jobs_created, Some(2));
    assert_eq!(business.jobs_year3, Some(3));
    assert_eq!(dossier.financing.len(), 4, "two needs, two resources");
    let bank_loan = dossier
        .financing
        .iter()
        .find(|l| l.category == FinancingCategory::BankLoan)
        .context("a bank loan line")?;
    assert_eq!(bank_loan.amount_cents, 2_000_000);
    assert_eq!(bank_loan.months, Some(84));
    assert_eq!(bank_loan.rate_bp, Some(320));
    assert_eq!(bank_loan.guarantee, Some(Guarantee::Bpifrance));
    let plan = &dossier.analysis;
    assert!(plan.balanced, "32 000 € of needs and of resources");
    assert_eq!(plan.needs_cents, 3_200_000);
    assert_eq!(plan.resources_cents, 3_200_000);
    assert_eq!(plan.honour_loans_cents, 800_000);
    assert_eq!(plan.leverage, Some(2.5));
    assert_eq!(dossier.forecast.len(), 3, "three years of forecast");
    assert!(plan
        .forecast
        .iter()
        .all(|f| f.caf_covers_repayments == Some(true)));
    assert!(dossier
        .documents
        .iter()
        .filter(|d| d.required)
        .all(|d| d.status == DocumentStatus::Recu));
    assert_eq!(dossier.committee_date, Some(committee_day));
    assert!(dossier.advisor_opinion.starts_with("Avis favorable"));
    assert_eq!(dossier.notes.len(), 1);
    assert_eq!(dossier.privacy_notice_on, Some(today));
    assert!(dossier.consent_optional_fields);
    let found = store.list_dossiers(&DossierQuery {
        search: Some("lefevre".into()),
        ..DossierQuery::default()
    })?;
    assert_eq!(
        found.total, 1,
        "the core's search finds her without accents"
    );

    // The list as an advisor sees it, with demo dossiers around hers: the window's search
    // answers what the core's does, and finds her among them.
    demo::fill(&mut store, 40, 62, today)?;
    let names_found = |search: &str| -> Result<Vec<String>> {
        let found = store.list_dossiers(&DossierQuery {
            search: Some(search.into()),
            ..DossierQuery::default()
        })?;
        Ok(found.items.into_iter().map(|d| d.holder_name).collect())
    };
    let lefevre = names_found("lefevre")?;
    let hesdin = names_found("hesdin")?;
    drop(store);
    for found in [&lefevre, &hesdin] {
        assert!(found.contains(&"Élodie LEFÈVRE".to_owned()), "{found:?}");
        assert!(found.len() < 41, "a search narrows the list: {found:?}");
    }
    let app = driver.launch().await?;
    shows(&app, "#dossier-count", "41 dossiers").await?;
    shows(&app, "#dossier-list", "Élodie LEFÈVRE").await?;
    screenshot(&app, "capture-15-list").await?;
    search_finds(&app, "lefevre", &lefevre).await?;
    screenshot(&app, "capture-16-list-search-lefevre").await?;
    search_finds(&app, "hesdin", &hesdin).await?;
    screenshot(&app, "capture-17-list-search-hesdin").await?;
    app.close().await?;
    drop(driver);

    eprintln!("whole capture walked in {:?}", started.elapsed());
    Ok(())
}
