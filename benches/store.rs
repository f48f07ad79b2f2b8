//! Store benchmark: with 50,000 demo dossiers, how long a search or filtered list, a field
//! edit and opening a dossier take (p50 / p95 / max), on the store left plain and encrypted
//! (SQLCipher, as the laptop keeps it), then both side by side. Prints its figures; asserts
//! nothing about time. Run with `make bench` (`cargo bench --bench store`);
//! `PERMANENCE_BENCH_ENCRYPTION=plain` or `encrypted` measures one only, and
//! `PERMANENCE_BENCH_DOSSIERS=5000` a smaller store.
//!
//! The store is made once with the demo generator (the same code path as the app: validated
//! drafts and field edits) and kept in `target/bench-data/`; each run works on a copy of it
//! (encrypted in place, as a laptop's first start after this version does, for the encrypted
//! run).

use std::path::PathBuf;
mod timing;

use std::time::Duration;

use chrono::NaiveDate;
use permanence::cipher::StoreKey;
use permanence::codes::DossierStatus;
use permanence::field::{Entity, FieldEdit};
use permanence::store::{DossierQuery, DossierSort, Store, LAPTOP_SCHEMA};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;
use timing::time;

const DOSSIERS: usize = 50_000;

/// One figure of a run: its label and p50 / p95 in milliseconds.
type Figure = (&'static str, f64, f64);

fn percentiles(label: &str, times: Vec<Duration>) {
    let n = times.len();
    let [p50, p95, max] = timing::percentiles_ms(times);
    println!("{label:<52} n={n:<5} p50={p50:>7.2} ms  p95={p95:>7.2} ms  max={max:>7.2} ms");
}

/// Prints a figure and keeps it for the side-by-side table.
fn figure(figures: &mut Vec<Figure>, label: &'static str, times: Vec<Duration>) {
    let [p50, p95, _] = timing::percentiles_ms(times.clone());
    percentiles(label, times);
    figures.push((label, p50, p95));
}

fn main() {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("bench-data");
    std::fs::create_dir_all(&dir).expect("bench folder");
    // PERMANENCE_BENCH_STORE measures an existing store instead (a copy of it is used).
    let dossiers: usize = std::env::var("PERMANENCE_BENCH_DOSSIERS")
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(DOSSIERS);
    let pristine = std::env::var_os("PERMANENCE_BENCH_STORE")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.join(format!("store-{dossiers}.sqlite3")));
    if !pristine.exists() {
        println!("making the {dossiers}-dossier store once (demo generator)…");
        let partial = dir.join("store-partial.sqlite3");
        let _ = std::fs::remove_file(&partial);
        let mut store = Store::open(&partial).expect("store");
        let (took, result) = time(|| {
            permanence::demo::fill(
                &mut store,
                dossiers,
                50,
                NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            )
        });
        result.expect("demo data");
        drop(store);
        std::fs::rename(&partial, &pristine).expect("keep the store");
        println!("made in {:.0} s", took.as_secs_f64());
    }
    let modes: &[bool] = match std::env::var("PERMANENCE_BENCH_ENCRYPTION").as_deref() {
        Ok("plain") => &[false],
        Ok("encrypted") => &[true],
        _ => &[false, true],
    };
    let runs: Vec<(bool, Vec<Figure>)> = modes
        .iter()
        .map(|&encrypted| (encrypted, measure(&pristine, dossiers, encrypted)))
        .collect();
    if let [(_, plain), (_, encrypted)] = &runs[..] {
        println!("\nside by side, p50 / p95 in ms (plain SQLite | SQLCipher, raw key)");
        for ((label, p50, p95), (_, e50, e95)) in plain.iter().zip(encrypted) {
            println!(
                "{label:<52} {p50:>7.2} / {p95:>7.2}  | {e50:>7.2} / {e95:>7.2}  ({:+.0} % at p50)",
                (e50 / p50 - 1.0) * 100.0
            );
        }
    }
}

/// Measures a copy of the pristine store, plain or encrypted; answers the figures.
fn measure(pristine: &std::path::Path, dossiers: usize, encrypted: bool) -> Vec<Figure> {
    let mut figures = Vec::new();
    let work = tempfile::tempdir().expect("temporary folder");
    let path = work.path().join("store.sqlite3");
    std::fs::copy(pristine, &path).expect("copy of the store");
    let name = if encrypted {
        "encrypted (SQLCipher)"
    } else {
        "plain SQLite"
    };
    println!("\n== {name}: ran in {}", timing::where_it_runs(work.path()));
    let key = StoreKey::generate();
    if encrypted {
        let (took, done) = time(|| permanence::db::encrypt_in_place(&path, &LAPTOP_SCHEMA, &key));
        done.expect("encryption");
        println!(
            "{:<52} {:.1} s",
            "first start: the plain store encrypted in place",
            took.as_secs_f64()
        );
    }
    let (open_time, store) = time(|| {
        if encrypted {
            Store::open_encrypted(&path, &key).expect("open")
        } else {
            Store::open(&path).expect("open")
        }
    });
    let mut store = store;
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let all = store
        .list_dossiers(&DossierQuery {
            limit: Some(dossiers as i64),
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
    figure(
        &mut figures,
        "search (one word, accent-insensitive, page of 200)",
        searches,
    );
    figure(
        &mut figures,
        "filtered list (status, commune, search, sort)",
        filtered,
    );
    println!(
        "{:<52} {:.2} ms",
        "unfiltered list, first page with counts",
        full.as_secs_f64() * 1e3
    );
    let ms = full.as_secs_f64() * 1e3;
    figures.push(("unfiltered list, first page with counts", ms, ms));

    // Opening a dossier: the whole read model with its analysis and moves.
    let opens: Vec<Duration> = (0..500)
        .map(|_| {
            let id = *ids.choose(&mut rng).unwrap();
            time(|| store.get_dossier(id).expect("open")).0
        })
        .collect();
    figure(&mut figures, "open a dossier", opens);

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
    figure(
        &mut figures,
        "save one field edit (returns the dossier)",
        edits,
    );
    figures
}
