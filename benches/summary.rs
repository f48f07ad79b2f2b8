//! Summary benchmark: how long a dossier's summary (typeset and exported to PDF) and a
//! 30-dossier committee pack take, in a release build. Prints its figures; asserts nothing
//! about time. Run with `cargo bench --bench summary`.
//!
//! The targets on this machine: one summary under 100 ms, a 30-dossier pack under 1 s.

#[allow(dead_code)] // where_it_runs: the summary writes no database
mod timing;

use std::time::Duration;

use chrono::NaiveDate;
use permanence::codes::DossierStatus;
use permanence::store::{CommitteeDraft, DossierQuery, Store};
use permanence::summary;
use timing::time;

fn percentiles(label: &str, times: Vec<Duration>) {
    let n = times.len();
    let [p50, p95, max] = timing::percentiles_ms(times);
    println!("{label:<44} n={n:<3} p50={p50:>8.1} ms  p95={p95:>8.1} ms  max={max:>8.1} ms");
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut store = Store::open_in_dir(dir.path()).expect("store");
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    permanence::demo::fill(&mut store, 80, 62, today).expect("demo data");
    let items = store
        .list_dossiers(&DossierQuery {
            limit: Some(1000),
            ..Default::default()
        })
        .expect("list")
        .items;

    // The dossier to print: a complete one, ready for committee.
    let ready = items
        .iter()
        .find(|d| d.status == DossierStatus::PretPourComite)
        .expect("a dossier ready for committee");
    let dossier = store.get_dossier(ready.id).expect("dossier");

    let (cold, first) = time(|| summary::render_summary(&dossier, store.settings()));
    let first = first.expect("summary");
    println!(
        "first summary (fonts and library loaded)     {:>8.1} ms  ({} pages, {} KiB)",
        cold.as_secs_f64() * 1e3,
        first.pages,
        first.pdf.len() / 1024
    );
    // typst memoizes its work: printing the same dossier again is much quicker. The figure
    // that matters is a summary never printed before, so the cache is emptied before each run
    // (fonts and the standard library stay loaded, as in a running app).
    let runs: Vec<Duration> = (0..20)
        .map(|_| {
            permanence::summary::forget_caches();
            time(|| summary::render_summary(&dossier, store.settings()).expect("summary")).0
        })
        .collect();
    percentiles("one summary, typeset + PDF", runs);
    let others: Vec<_> = items
        .iter()
        .filter(|d| d.status != DossierStatus::Abandonne)
        .take(20)
        .map(|d| store.get_dossier(d.id).expect("dossier"))
        .collect();
    let runs: Vec<Duration> = others
        .iter()
        .map(|d| time(|| summary::render_summary(d, store.settings()).expect("summary")).0)
        .collect();
    percentiles("20 different summaries, one after the other", runs);
    let runs: Vec<Duration> = (0..20)
        .map(|_| time(|| summary::render_summary(&dossier, store.settings()).expect("summary")).0)
        .collect();
    percentiles("the same summary again (typst's cache)", runs);
    let document = summary::summary_document(&dossier, store.settings()).expect("document");
    let runs: Vec<Duration> = (0..20)
        .map(|_| time(|| document.page_png(0, 1.5).expect("png")).0)
        .collect();
    percentiles("one page as PNG for the preview (1.5 px/pt)", runs);

    // A committee with thirty dossiers on its agenda.
    let committee = store
        .create_committee(&CommitteeDraft {
            held_on: "2027-03-09".into(),
            kind: None,
            place: "Siège de la plateforme".into(),
        })
        .expect("committee");
    for d in items
        .iter()
        .filter(|d| d.status != DossierStatus::Abandonne)
        .take(30)
    {
        store.add_to_agenda(committee.id, d.id).expect("agenda");
    }
    let (load, pack) = time(|| store.committee_pack_data(committee.held_on));
    let pack = pack.expect("pack data");
    assert_eq!(pack.dossiers.len(), 30);
    println!(
        "loading the 30 dossiers of the agenda        {:>8.1} ms",
        load.as_secs_f64() * 1e3
    );
    let mut pages = 0;
    let mut size = 0;
    let runs: Vec<Duration> = (0..5)
        .map(|_| {
            permanence::summary::forget_caches();
            let (t, rendered) = time(|| summary::render_pack(&pack, store.settings()));
            let rendered = rendered.expect("pack");
            pages = rendered.pages;
            size = rendered.pdf.len();
            t
        })
        .collect();
    percentiles("30-dossier pack, typeset + PDF (cache emptied)", runs);
    let mut typeset = Vec::new();
    let mut export = Vec::new();
    for _ in 0..3 {
        permanence::summary::forget_caches();
        let (t, document) = time(|| summary::pack_document(&pack, store.settings()));
        let document = document.expect("pack");
        typeset.push(t);
        export.push(time(|| document.pdf().expect("pdf")).0);
    }
    percentiles("    of which typesetting", typeset);
    percentiles("    of which PDF export", export);
    println!("    the pack has {pages} pages, {} KiB", size / 1024);
}
