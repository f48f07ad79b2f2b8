//! The committee pack: one cover with the agenda and the page where each summary starts,
//! then every summary, each on its own pages.

use permanence::store::CommitteeDraft;
use permanence::summary::Printing as _;
use permanence::summary::{render_pack, render_summary};
use permanence::Error;

use crate::helpers::{
    assert_has, assert_qpdf_clean, committee_day, draft, flatten, page_count, pages_text,
    TestStore, FRUGES, HESDIN_LA_FORET,
};

#[test]
fn a_pack_has_a_cover_then_one_summary_per_agenda_dossier() {
    let mut t = TestStore::new();
    let full = t.full_dossier();
    let committee = t.committee();
    let others: Vec<_> = [
        ("Caron", "Julien", FRUGES),
        ("Dewailly", "Inès", HESDIN_LA_FORET),
    ]
    .into_iter()
    .map(|(last, first, commune)| {
        let d = t
            .store
            .create_dossier(&draft(last, first, commune))
            .unwrap();
        t.store.add_to_agenda(committee, d.id).unwrap();
        t.store.get_dossier(d.id).unwrap()
    })
    .collect();
    let dossiers: Vec<_> = std::iter::once(full).chain(others).collect();

    let rendered = t.store.committee_pack(committee_day()).unwrap();
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let alone: Vec<usize> = dossiers
        .iter()
        .map(|d| render_summary(d, t.store.settings()).unwrap().pages)
        .collect();
    assert_eq!(
        page_count(&rendered.pdf),
        1 + alone.iter().sum::<usize>(),
        "one cover page, then each summary as long as when printed alone"
    );
    assert_eq!(rendered.pages, page_count(&rendered.pdf));
    assert_qpdf_clean(&rendered.pdf);

    let pages = pages_text(&rendered.pdf);
    let cover = flatten(&pages[0]);
    for expected in [
        "Dossier de séance",
        "Comité d'agrément",
        "Mardi 8 décembre 2026",
        "Siège de la plateforme, Saint-Pol-sur-Ternoise",
        "3 dossiers",
        "Ordre du jour",
        "Initiative Ternois-Artois-7 Vallées",
        &format!("Page 1 / {}", pages.len()),
    ] {
        assert_has(&cover, expected);
    }
    // Each agenda line gives the page where that dossier's summary starts: that page is the
    // first of a summary, with the holder's name, numbered 1 of that summary.
    let mut expected_page = 2;
    for (i, (d, length)) in dossiers.iter().zip(&alone).enumerate() {
        let line = pages[0]
            .lines()
            .find(|l| l.contains(&d.number))
            .unwrap_or_else(|| panic!("{} on the agenda", d.number));
        let page: usize = line
            .split_whitespace()
            .last()
            .and_then(|w| w.parse().ok())
            .unwrap_or_else(|| panic!("a page number ends « {line} »"));
        assert_eq!(page, expected_page, "{}", d.number);
        let first = flatten(&pages[page - 1]);
        assert_has(&first, "Fiche de synthèse");
        assert_has(&first, &d.holders[0].last_name.to_uppercase());
        assert_has(&first, &format!("Page 1 / {length}"));
        assert_has(&first, &format!("dossier {} sur 3", i + 1));
        expected_page += length;
    }
}

#[test]
fn an_empty_agenda_gives_a_cover_and_a_warning() {
    let mut t = TestStore::new();
    t.committee();
    let rendered = t.store.committee_pack(committee_day()).unwrap();
    assert_eq!(page_count(&rendered.pdf), 1);
    assert_eq!(rendered.warnings.len(), 1);
    assert_has(
        &rendered.warnings[0],
        "L'ordre du jour du 08/12/2026 est vide",
    );
    assert_has(
        &flatten(&pages_text(&rendered.pdf)[0]),
        "Aucun dossier n’est inscrit à l’ordre du jour.",
    );
}

#[test]
fn a_day_without_committee_has_no_pack() {
    let t = TestStore::new();
    match t.store.committee_pack(committee_day()) {
        Err(e @ Error::NotFound { .. }) => assert_has(&e.to_string(), "aucun comité le 08/12/2026"),
        other => panic!("expected not found, got {:?}", other.map(|r| r.pages)),
    }
}

#[test]
fn a_long_agenda_still_points_to_the_right_pages() {
    let mut t = TestStore::demo(60, 3);
    let committee = t
        .store
        .create_committee(&CommitteeDraft {
            held_on: "2027-03-09".into(),
            kind: None,
            place: String::new(),
        })
        .unwrap();
    let ids: Vec<_> = t
        .store
        .list_dossiers(&permanence::store::DossierQuery::default())
        .unwrap()
        .items
        .iter()
        .filter(|d| d.status != permanence::codes::DossierStatus::Abandonne)
        .take(40)
        .map(|d| d.id)
        .collect();
    for id in &ids {
        t.store.add_to_agenda(committee.id, *id).unwrap();
    }
    let pack = t.store.committee_pack_data(committee.held_on).unwrap();
    assert_eq!(pack.dossiers.len(), ids.len());
    let rendered = render_pack(&pack, t.store.settings()).unwrap();
    let pages = pages_text(&rendered.pdf);
    // The agenda may take two pages; the page numbers it gives still hold.
    let cover_pages = pages
        .iter()
        .take_while(|p| !p.contains("Fiche de synthèse"))
        .count();
    assert!(cover_pages >= 1);
    let last = pack.dossiers.last().unwrap();
    let line = pages[..cover_pages]
        .iter()
        .flat_map(|p| p.lines())
        .find(|l| l.contains(&last.number))
        .expect("the last dossier is on the agenda");
    let page: usize = line.split_whitespace().last().unwrap().parse().unwrap();
    assert_has(
        &flatten(&pages[page - 1]),
        &format!("dossier {} sur {}", ids.len(), ids.len()),
    );
}
