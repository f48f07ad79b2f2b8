//! Tableau de bord benchmark: with 50,000 demo dossiers opened over ten years (loans repaid
//! month by month, checkpoints, mentors and workshops), how long the figures of a year take:
//! reading what they need from the store, computing them (this year and the year before),
//! and both, as the screen asks. Prints its figures; asserts nothing about time. Run with
//! `make bench` (`cargo bench --bench dashboard`).
//!
//! The store is made once with the demo generator's history (the app's own write path) and
//! kept in `target/bench-data/`; runs only read it.

mod timing;

use std::path::PathBuf;
use std::time::Duration;

use chrono::{Datelike, NaiveDate};
use permanence::indicators::{self, Period};
use permanence::store::Store;
use timing::time;

const DOSSIERS: usize = 50_000;
const YEARS: i32 = 10;
const RUNS: usize = 9;

fn line(label: &str, times: Vec<Duration>) {
    let n = times.len();
    let [p50, p95, max] = timing::percentiles_ms(times);
    println!("{label:<52} n={n:<3} p50={p50:>8.1} ms  p95={p95:>8.1} ms  max={max:>8.1} ms");
}

fn main() {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("bench-data");
    std::fs::create_dir_all(&dir).expect("bench folder");
    // A fixed day, so that the store made once means the same whenever it is read.
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("a day");
    let since = today.year() - YEARS + 1;
    let pristine = std::env::var_os("PERMANENCE_BENCH_HISTORY")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.join(format!("history-{DOSSIERS}-{since}.sqlite3")));
    if !pristine.exists() {
        println!("making the {DOSSIERS}-dossier history since {since} once (demo generator)…");
        let partial = dir.join("history-partial.sqlite3");
        let _ = std::fs::remove_file(&partial);
        let mut store = Store::open(&partial).expect("store");
        let (took, result) =
            time(|| permanence::demo::fill_since(&mut store, DOSSIERS, 50, today, since));
        result.expect("demo data");
        drop(store);
        std::fs::rename(&partial, &pristine).expect("keep the store");
        println!("made in {:.0} s", took.as_secs_f64());
    }
    let store = Store::open(&pristine).expect("store");
    println!("ran in {}", timing::where_it_runs(&pristine));

    let facts = store.facts().expect("facts");
    let loans: usize = facts.iter().map(|f| f.loans.len()).sum();
    let movements: usize = facts
        .iter()
        .flat_map(|f| &f.loans)
        .map(|l| l.movements.len())
        .sum();
    let checkpoints: usize = facts.iter().map(|f| f.checkpoints.len()).sum();
    println!(
        "{} dossiers since {since}, {loans} loans, {movements} loan movements, {checkpoints} checkpoints",
        facts.len()
    );

    let year = today.year() - 1;
    let period = Period::of_year(year, None).expect("a year");
    // A store just opened reads every dossier; once read, what the figures need is kept until
    // the store changes.
    let mut cold = Vec::new();
    for _ in 0..3 {
        let fresh = Store::open(&pristine).expect("store");
        let (took, _) = time(|| fresh.facts().expect("facts"));
        cold.push(took);
    }
    line("read what the figures need, store just opened", cold);
    let mut reads = Vec::new();
    let mut computes = Vec::new();
    let mut whole = Vec::new();
    let mut figures = None;
    for _ in 0..RUNS {
        let (took, read) = time(|| store.facts().expect("facts"));
        reads.push(took);
        let (took, computed) = time(|| indicators::compute(&read, period, store.settings(), today));
        computes.push(took);
        let (took, asked) = time(|| store.indicators(year, None).expect("figures"));
        whole.push(took);
        assert_eq!(asked.current.welcomed, computed.current.welcomed);
        figures = Some(asked);
    }
    line("the same, kept since (Store::facts)", reads);
    line(
        &format!("compute {year} and {} (indicators::compute)", year - 1),
        computes,
    );
    line("tableau de bord, both (Store::indicators)", whole);
    if let Some(f) = figures {
        let c = &f.current;
        println!(
            "{year}: {} welcomed, {} financed, {} loans, survival {:?} bp, {} late loans",
            c.welcomed.count,
            c.financed.count,
            c.honour_loans,
            c.survival.rate_bp,
            c.late_loans.count
        );
    }
    println!("target: the tableau de bord under 200 ms");
}
