//! Summary benchmark: how long a dossier's summary (typeset and exported to PDF) and a
//! 30-dossier committee pack take, in a release build. Prints its figures; asserts nothing
//! about time. Run with `cargo bench --bench summary`.
//!
//! The targets on this machine: one summary under 100 ms, a 30-dossier pack under 1 s,
//! the annual report of a rich platform's year under 2 s (`PERMANENCE_BENCH_REPORT_DOSSIERS`
//! sets how many demo dossiers the platform has, 3,000 by default: about 2,000 opened in the
//! year, a few hundred financed).

#[allow(dead_code)]
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

    report(today);
}

/// The annual report of a rich platform's year: its figures from every dossier, the charts,
/// the typesetting and the PDF, each apart and all together.
fn report(today: NaiveDate) {
    let count: usize = std::env::var("PERMANENCE_BENCH_REPORT_DOSSIERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut store = Store::open_in_dir(dir.path()).expect("store");
    let (made, filled) = time(|| permanence::demo::fill(&mut store, count, 50, today));
    filled.expect("demo data");
    store.set_clock(permanence::clock::Clock::starting_on(today));
    println!();
    println!(
        "annual report of {} ({count} demo dossiers, made in {:.0} s)",
        timing::where_it_runs(dir.path()),
        made.as_secs_f64()
    );
    let year = chrono::Datelike::year(&today);
    let (load, report) = time(|| store.activity_report(year, None));
    let report = report.expect("report figures");
    let f = &report.indicators.current;
    println!(
        "    {year}: {} dossiers opened, {} financed, {} honour loans, {} EPCI and {} sectors",
        f.welcomed.count,
        f.financed.count,
        f.honour_loans,
        report.by_epci.groups.len(),
        report.by_sector.groups.len()
    );
    println!(
        "figures, breakdowns and history from the store {:>8.1} ms",
        load.as_secs_f64() * 1e3
    );
    let runs: Vec<Duration> = (0..10)
        .map(|_| time(|| summary::charts::charts(&report).expect("charts")).0)
        .collect();
    percentiles("the five charts as SVG", runs);
    let mut pages = 0;
    let runs: Vec<Duration> = (0..5)
        .map(|_| {
            permanence::summary::forget_caches();
            let (t, rendered) = time(|| summary::render_report(&report, store.settings(), today));
            pages = rendered.expect("report").pages;
            t
        })
        .collect();
    percentiles("charts, typeset + PDF (cache emptied)", runs);
    let runs: Vec<Duration> = (0..5)
        .map(|_| {
            permanence::summary::forget_caches();
            time(|| {
                let report = store.activity_report(year, None).expect("report figures");
                summary::render_report(&report, store.settings(), today).expect("report")
            })
            .0
        })
        .collect();
    let [p50, ..] = timing::percentiles_ms(runs.clone());
    percentiles("the whole report, store to PDF (target 2 s)", runs);
    println!(
        "    {pages} pages; {}",
        if p50 < 2_000.0 {
            "under the 2 s target"
        } else {
            "OVER the 2 s target"
        }
    );
}
