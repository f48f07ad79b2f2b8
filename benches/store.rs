//! Store benchmark: with 50,000 demo dossiers, how long a search or filtered list, a field
//! edit and opening a dossier take (p50 / p95 / max). Prints its figures; asserts nothing
//! about time. Run with `make bench` (`cargo bench --bench store`).
//!
//! The 50,000-dossier store is made once with the demo generator (the same code path as the
//! app: validated drafts and field edits) and kept in `target/bench-data/`; each run works on
//! a copy of it.

use std::path::PathBuf;
mod timing;

use std::time::Duration;

use chrono::NaiveDate;
use permanence::codes::DossierStatus;
use permanence::field::{Entity, FieldEdit};
use permanence::store::{DossierQuery, DossierSort, Store};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;
use timing::time;

const DOSSIERS: usize = 50_000;

fn percentiles(label: &str, times: Vec<Duration>) {
    let n = times.len();
    let [p50, p95, max] = timing::percentiles_ms(times);
    println!("{label:<52} n={n:<5} p50={p50:>7.2} ms  p95={p95:>7.2} ms  max={max:>7.2} ms");
}

fn main() {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("bench-data");
    std::fs::create_dir_all(&dir).expect("bench folder");
    // PERMANENCE_BENCH_STORE measures an existing store instead (a copy of it is used).
    let pristine = std::env::var_os("PERMANENCE_BENCH_STORE")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.join(format!("store-{DOSSIERS}.sqlite3")));
    if !pristine.exists() {
        println!("making the {DOSSIERS}-dossier store once (demo generator)…");
        let partial = dir.join("store-partial.sqlite3");
        let _ = std::fs::remove_file(&partial);
        let mut store = Store::open(&partial).expect("store");
        let (took, result) = time(|| {
            permanence::demo::fill(
                &mut store,
                DOSSIERS,
                50,
                NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            )
        });
        result.expect("demo data");
        drop(store);
        std::fs::rename(&partial, &pristine).expect("keep the store");
        println!("made in {:.0} s", took.as_secs_f64());
    }
    let work = tempfile::tempdir().expect("temporary folder");
    let path = work.path().join("store.sqlite3");
    std::fs::copy(&pristine, &path).expect("copy of the store");
    println!("ran in {}", timing::where_it_runs(work.path()));
    let (open_time, store) = time(|| Store::open(&path).expect("open"));
    let mut store = store;
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let all = store
        .list_dossiers(&DossierQuery {
            limit: Some(DOSSIERS as i64),
            ..Default::default()
        })
        .expect("list");
    println!(
        "store: {} dossiers, {:.0} MiB, opened in {:.1} ms",
        all.total,
        size as f64 / 1048576.0,
        open_time.as_secs_f64() * 1e3
    );
    let ids: Vec<_> = all.items.iter().map(|d| d.id).collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let facets = store.dossier_facets().expect("facets");

    // Searches and filtered lists, as the list screen sends them (first page of 200).
    let words = [
        "hesdin",
        "lefevre",
        "boulangerie",
        "fruges",
        "caron",
        "elodie",
        "pizzeria",
        "saint pol",
        "garage",
        "ducrocq",
    ];
    let mut searches = Vec::new();
    let mut filtered = Vec::new();
    for i in 0..300 {
        let q = DossierQuery {
            search: Some(words[i % words.len()].into()),
            ..Default::default()
        };
        searches.push(time(|| store.list_dossiers(&q).expect("search")).0);
        let q = DossierQuery {
            status: Some(
                *[
                    DossierStatus::Instruction,
                    DossierStatus::PretPourComite,
                    DossierStatus::Accorde,
                ]
                .choose(&mut rng)
                .unwrap(),
            ),
            commune: (i % 2 == 0).then(|| facets.communes.choose(&mut rng).unwrap().value.clone()),
            search: (i % 3 == 0).then(|| "lef".to_owned()),
            sort: Some(if i % 2 == 0 {
                DossierSort::NameAsc
            } else {
                DossierSort::UpdatedDesc
            }),
            ..Default::default()
        };
        filtered.push(time(|| store.list_dossiers(&q).expect("filtered list")).0);
    }
    let (full, _) = time(|| store.list_dossiers(&DossierQuery::default()).expect("list"));
    percentiles(
        "search (one word, accent-insensitive, page of 200)",
        searches,
    );
    percentiles("filtered list (status, commune, search, sort)", filtered);
    println!(
        "{:<52} {:.2} ms",
        "unfiltered list, first page with counts",
        full.as_secs_f64() * 1e3
    );

    // Opening a dossier: the whole read model with its analysis and moves.
    let opens: Vec<Duration> = (0..500)
        .map(|_| {
            let id = *ids.choose(&mut rng).unwrap();
            time(|| store.get_dossier(id).expect("open")).0
        })
        .collect();
    percentiles("open a dossier", opens);

    // Saving one field edit (validated, written, outbox, search row), and the dossier back.
    let edits: Vec<Duration> = (0..500)
        .map(|i| {
            let id = *ids.choose(&mut rng).unwrap();
            let edit = FieldEdit {
                entity: Entity::Dossier,
                id,
                field: "idea".into(),
                value: json!(format!(
                    "Projet révisé n° {i} : {}",
                    rng.random_range(0..1000)
                )),
            };
            time(|| store.set_field(&edit).expect("edit")).0
        })
        .collect();
    percentiles("save one field edit (returns the dossier)", edits);
}
