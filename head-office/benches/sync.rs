//! Sync benchmark (prints its figures, asserts nothing about time): a real head office on
//! loopback and real laptop stores.
//! 1. End of day: 50 dossiers with 20 edits each, pushed and pulled.
//! 2. First sync of a new laptop: 10,000 dossiers pulled and applied.
//! 3. Load: 200 devices syncing at once, each pushing 200 changes: push latency p50/p95,
//!    throughput, and a count of duplicates and lost changes.
//!
//! 4. Complete dossiers (every section, three notes): the first push of a laptop holding
//!    them, a new laptop's first sync, the head office's files, and an end of day on top,
//!    against the targets. `PERMANENCE_BENCH_DOSSIERS` sets how many (10,000 by default;
//!    several counts separated by commas).
//!
//! Run with `make bench` (release build).

use std::sync::{Arc, Barrier};

#[path = "../../benches/timing/mod.rs"]
#[allow(dead_code)]
mod timing;
use std::time::{Duration, Instant};

use permanence::dossier::{Civility, DossierDraft, HolderDraft, ProjectType};
use permanence::field::{Entity, FieldEdit};
use permanence::store::Store;
use permanence::sync::client::{self, Client};
use permanence::sync::protocol::{Change, ChangeOp, PushRequest, RegisterRequest};
use permanence::sync::Hlc;
use permanence_head_office::office::{HeadOffice, NewUser, Role};
use permanence_head_office::store::Store as Office;
use permanence_head_office::{router, AppState, Server};
use serde_json::json;
use uuid::Uuid;

const PASSWORD: &str = "correct horse battery";

/// A head-office store at `path` with platform TA7V and its advisor claire.
fn seeded_office(path: &std::path::Path) -> Office {
    let office = Office::open(path).unwrap();
    office
        .add_platform("TA7V", "Initiative Ternois-Artois-7 Vallées")
        .unwrap();
    office
        .add_user(&NewUser {
            login: "claire".into(),
            name: "Claire Dumont".into(),
            password: PASSWORD.into(),
            role: Role::Advisor,
            platform: Some("TA7V".into()),
        })
        .unwrap();
    office
}

fn start_office(dir: &std::path::Path) -> (String, Office) {
    let office = seeded_office(&dir.join("office.sqlite3"));
    // The server as the binary serves it (its socket, its backlog), on loopback.
    let server = Server::bind("127.0.0.1:0".parse().unwrap(), None).unwrap();
    let url = server.url();
    let served = office.clone();
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(server.serve(router(AppState::new(served)), std::future::pending()))
            .unwrap();
    });
    (url, office)
}

fn laptop(url: &str, dir: &std::path::Path) -> (Store, Client) {
    let store = Store::open_in_dir(dir).unwrap();
    let registered = Client::new(url, None)
        .unwrap()
        .register(&RegisterRequest {
            login: "claire".into(),
            password: PASSWORD.into(),
            device_id: store.device_id().unwrap(),
            device_name: "bench".into(),
        })
        .unwrap();
    let mut store = store;
    store.set_server(url, &registered.advisor, None).unwrap();
    (store, Client::new(url, Some(registered.token)).unwrap())
}

fn draft(i: usize) -> DossierDraft {
    DossierDraft {
        project_type: Some(ProjectType::Creation),
        idea: format!("Projet {i}"),
        holders: vec![HolderDraft {
            civility: Some(Civility::Madame),
            last_name: "Lefèvre".into(),
            first_name: "Élodie".into(),
            phone: "03 21 04 56 78".into(),
            commune_insee: "62364".into(),
        }],
        ..Default::default()
    }
}

/// One load device's changes: it creates a dossier, then edits its idea again and again.
fn load_changes(device_id: Uuid, count: usize) -> Vec<Change> {
    let dossier = Uuid::now_v7();
    let mut clock = Hlc::zero(device_id);
    (1..=count as i64)
        .map(|seq| {
            clock = clock.tick(permanence::clock::now().timestamp_millis());
            Change {
                change_id: Uuid::now_v7(),
                device_seq: seq,
                entity: "dossier".into(),
                entity_id: dossier,
                dossier_id: Some(dossier),
                op: if seq == 1 {
                    ChangeOp::Create
                } else {
                    ChangeOp::SetField
                },
                field: (seq > 1).then(|| "idea".into()),
                value: Some(if seq == 1 {
                    json!({ "id": dossier })
                } else {
                    json!(format!("v{seq}"))
                }),
                base_version: None,
                hlc: clock,
            }
        })
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    // `cargo bench --bench sync -- load` runs one section only (day, load or store).
    let only: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wanted = |section: &str| only.as_deref().is_none_or(|o| o == section);
    let work = tempfile::tempdir().unwrap();
    println!("ran in {}", timing::where_it_runs(work.path()));
    let (url, office) = start_office(work.path());
    if wanted("day") {
        end_of_day_and_first_sync(&url, work.path());
    }
    if wanted("load") {
        load(&url, &office);
    }
    if wanted("store") {
        store_alone(work.path());
    }
    if wanted("complete") {
        let counts = std::env::var("PERMANENCE_BENCH_DOSSIERS").unwrap_or("10000".into());
        for count in counts.split(',').filter_map(|c| c.trim().parse().ok()) {
            complete_dossiers(count, work.path());
        }
    }
}

/// The bytes of the files under `path` (a file or a folder).
fn bytes_under(path: &std::path::Path) -> u64 {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => std::fs::read_dir(path)
            .map(|entries| entries.flatten().map(|e| bytes_under(&e.path())).sum())
            .unwrap_or(0),
        Ok(m) => m.len(),
        Err(_) => 0,
    }
}

fn head_office_bytes(dir: &std::path::Path) -> u64 {
    ["office.sqlite3", "office.sqlite3-wal", "office.replicas"]
        .iter()
        .map(|name| bytes_under(&dir.join(name)))
        .sum()
}

/// This process's peak resident memory since the last reset, in MiB (Linux).
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "target met"
    } else {
        "TARGET MISSED"
    }
}

/// Section 4: `count` complete dossiers on a head office of their own.
fn complete_dossiers(count: usize, work: &std::path::Path) {
    let dir = work.join(format!("complete-{count}"));
    std::fs::create_dir_all(&dir).unwrap();
    let (url, _office) = start_office(&dir);
    let (mut a, a_client) = laptop(&url, &dir.join("a"));
    let start = Instant::now();
    let today = permanence::clock::today();
    permanence::demo::fill_as(
        &mut a,
        count,
        7,
        today,
        permanence::demo::Richness::Complete,
    )
    .unwrap();
    let queued = a.sync_status().unwrap().pending_changes;
    let listed = a
        .list_dossiers(&permanence::store::DossierQuery {
            limit: Some(count as i64 + 1),
            ..Default::default()
        })
        .unwrap();
    let json_bytes: usize = listed
        .items
        .iter()
        .map(|d| a.export_dossier(d.id).unwrap().to_string().len())
        .sum();
    println!(
        "complete dossiers: {count} made in {:.1} s: {queued} queued changes ({:.1} per dossier), {:.1} MB of export JSON ({:.1} KB each)",
        start.elapsed().as_secs_f64(),
        queued as f64 / count as f64,
        json_bytes as f64 / 1e6,
        json_bytes as f64 / 1e3 / count as f64,
    );

    let start = Instant::now();
    let pushed = client::sync(&mut a, &a_client).unwrap();
    let push = start.elapsed();
    let target = 2.0 * count as f64 / 10_000.0;
    println!(
        "complete dossiers: first push of {count}: {} changes in {:.2} s (target for 10,000: under 2 s; scaled {:.1} s: {}); pending after: {}",
        pushed.counts.pushed,
        push.as_secs_f64(),
        target,
        verdict(push.as_secs_f64() < target),
        pushed.pending,
    );

    let (mut fresh, fresh_client) = laptop(&url, &dir.join("fresh"));
    reset_peak();
    let start = Instant::now();
    let report = client::sync(&mut fresh, &fresh_client).unwrap();
    let first = start.elapsed();
    let peak = peak_mib();
    let got = fresh.list_dossiers(&Default::default()).unwrap().total;
    let (target, memory) = if count > 10_000 {
        (10.0 * count as f64 / 50_000.0, 300.0)
    } else {
        (2.0 * count as f64 / 10_000.0, 300.0)
    };
    println!(
        "complete dossiers: a new laptop's first sync: {got} dossiers ({} changes pulled) in {:.2} s (target: {:.1} s: {}); peak memory of the process, head office included: {} MiB (target for the laptop: under {memory:.0} MiB: {})",
        report.counts.pulled,
        first.as_secs_f64(),
        target,
        verdict(first.as_secs_f64() < target),
        peak.map_or("?".into(), |p| format!("{p:.0}")),
        peak.map_or("unmeasured", |p| verdict(p < memory)),
    );
    let office_bytes = head_office_bytes(&dir);
    println!(
        "complete dossiers: head-office files (database, WAL, replicas): {:.1} MB, {:.2}× the export JSON (target: under 2×: {}); new laptop's store {:.1} MB",
        office_bytes as f64 / 1e6,
        office_bytes as f64 / json_bytes as f64,
        verdict((office_bytes as f64) < 2.0 * json_bytes as f64),
        bytes_under(&dir.join("fresh")) as f64 / 1e6,
    );

    // End of day on top: 50 dossiers × 20 edits of different fields.
    let fields = [
        "idea",
        "heard_of_us",
        "strengths",
        "cautions",
        "forecast_assumptions",
        "advisor_opinion",
        "committee_members",
        "decision_conditions",
        "loan_scheme",
        "advisor",
    ];
    for (i, d) in listed.items.iter().take(50).enumerate() {
        for e in 0..20 {
            a.set_field(&FieldEdit {
                entity: Entity::Dossier,
                id: d.id,
                field: fields[e % fields.len()].into(),
                value: json!(format!("Fin de journée {i}, version {e}")),
            })
            .unwrap();
        }
    }
    let queued = a.sync_status().unwrap().pending_changes;
    let start = Instant::now();
    client::sync(&mut a, &a_client).unwrap();
    let push = start.elapsed();
    let start = Instant::now();
    let pulled = client::sync(&mut fresh, &fresh_client).unwrap();
    let pull = start.elapsed();
    println!(
        "complete dossiers: end of day over {count}: 50 dossiers × 20 edits ({queued} changes sent) pushed in {:.0} ms, pulled on another laptop in {:.0} ms ({} changes); total {:.0} ms (target: under 300 ms: {})",
        ms(push),
        ms(pull),
        pulled.counts.pulled,
        ms(push + pull),
        verdict(ms(push + pull) < 300.0),
    );
    // To look into the files afterwards: `PERMANENCE_BENCH_KEEP=folder`.
    if let Ok(keep) = std::env::var("PERMANENCE_BENCH_KEEP") {
        drop((a, fresh));
        let to = std::path::Path::new(&keep).join(format!("complete-{count}"));
        let _ = std::fs::remove_dir_all(&to);
        let status = std::process::Command::new("cp")
            .arg("-r")
            .arg(&dir)
            .arg(&to)
            .status();
        println!("(files kept in {}: {status:?})", to.display());
    }
}

/// Sections 1 and 2.
fn end_of_day_and_first_sync(url: &str, work: &std::path::Path) {
    let url = url.to_owned();
    // 1. End of day.
    let a_dir = work.join("a");
    let (mut a, a_client) = laptop(&url, &a_dir);
    let b_dir = work.join("b");
    let (mut b, b_client) = laptop(&url, &b_dir);
    for i in 0..50 {
        let d = a.create_dossier(&draft(i)).unwrap();
        for e in 0..20 {
            a.set_field(&FieldEdit {
                entity: Entity::Dossier,
                id: d.id,
                field: "idea".into(),
                value: json!(format!("Projet {i}, version {e}")),
            })
            .unwrap();
        }
    }
    let queued = a.sync_status().unwrap().pending_changes;
    let start = Instant::now();
    let pushed = client::sync(&mut a, &a_client).unwrap();
    let push_time = start.elapsed();
    let start = Instant::now();
    let pulled = client::sync(&mut b, &b_client).unwrap();
    let pull_time = start.elapsed();
    println!(
        "end of day: {queued} changes (50 dossiers × 20 edits) pushed in {:.0} ms, pulled and applied on another laptop in {:.0} ms (total {:.0} ms); pending after: {}",
        ms(push_time),
        ms(pull_time),
        ms(push_time + pull_time),
        pushed.pending + pulled.pending
    );

    // 2. First sync of a new laptop: 10,000 dossiers.
    let start = Instant::now();
    for i in 0..9_950 {
        a.create_dossier(&draft(i)).unwrap();
    }
    client::sync(&mut a, &a_client).unwrap();
    println!(
        "(setup: 9,950 more dossiers made and pushed in {:.1} s)",
        start.elapsed().as_secs_f64()
    );
    let (mut fresh, fresh_client) = laptop(&url, &work.join("fresh"));
    let start = Instant::now();
    let report = client::sync(&mut fresh, &fresh_client).unwrap();
    let first = start.elapsed();
    let count = fresh.list_dossiers(&Default::default()).unwrap().total;
    println!(
        "first sync of a new laptop: {count} dossiers ({} changes) pulled and applied in {:.2} s",
        report.counts.pulled,
        first.as_secs_f64()
    );
}

/// Section 3: 200 devices at once over HTTP.
fn load(url: &str, office: &Office) {
    // 3. 200 devices at once, 200 changes each, in batches of 100.
    let devices = 200;
    let per_device = 200;
    let before = office.change_count().unwrap();
    // Every device registers first; the clock starts when all of them push at once.
    let barrier = Arc::new(Barrier::new(devices + 1));
    let handles: Vec<_> = (0..devices)
        .map(|_| {
            let url = url.to_owned();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let device_id = Uuid::now_v7();
                let client = Client::new(&url, None).unwrap();
                let token = client
                    .register(&RegisterRequest {
                        login: "claire".into(),
                        password: PASSWORD.into(),
                        device_id,
                        device_name: "load".into(),
                    })
                    .unwrap()
                    .token;
                let client = Client::new(&url, Some(token)).unwrap();
                let changes = load_changes(device_id, per_device);
                barrier.wait();
                let mut latencies = Vec::new();
                for batch in changes.chunks(100) {
                    let t = Instant::now();
                    client
                        .push(&PushRequest {
                            device_id,
                            schema_version: permanence::store::LAPTOP_SCHEMA.latest(),
                            changes: batch.to_vec(),
                            acknowledged_seq: None,
                        })
                        .unwrap();
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    barrier.wait();
    let start = Instant::now();
    let mut latencies: Vec<Duration> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let wall = start.elapsed();
    latencies.sort();
    let stored = office.change_count().unwrap() - before;
    let expected = (devices * per_device) as i64;
    println!(
        "load: {devices} devices × {per_device} changes: push p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms; {} changes in {:.1} s = {:.0} changes/s; stored {stored} of {expected} (duplicates {}, lost {})",
        ms(latencies[latencies.len() / 2]),
        ms(latencies[latencies.len() * 95 / 100]),
        ms(latencies[latencies.len() - 1]),
        expected,
        wall.as_secs_f64(),
        expected as f64 / wall.as_secs_f64(),
        (stored - expected).max(0),
        (expected - stored).max(0)
    );
}

/// Section 4: the same load through the head-office store alone (no HTTP, no JSON, one
/// thread), to tell the store's cost per change from the rest.
fn store_alone(work: &std::path::Path) {
    let devices = 200;
    let per_device = 200;
    let office = seeded_office(&work.join("alone.sqlite3"));
    let device = office
        .register_device(&RegisterRequest {
            login: "claire".into(),
            password: PASSWORD.into(),
            device_id: Uuid::now_v7(),
            device_name: "alone".into(),
        })
        .unwrap();
    let caller = office.authenticate(&device.token).unwrap();
    // One registered device stands for all: each load device's changes get their own
    // dossier, and the sequence numbers run on from one device to the next.
    let mut seq = 0;
    let batches: Vec<PushRequest> = (0..devices)
        .flat_map(|_| {
            let mut changes = load_changes(caller.device_id, per_device);
            for c in &mut changes {
                seq += 1;
                c.device_seq = seq;
            }
            changes
                .chunks(100)
                .map(|batch| PushRequest {
                    device_id: caller.device_id,
                    schema_version: permanence::store::LAPTOP_SCHEMA.latest(),
                    changes: batch.to_vec(),
                    acknowledged_seq: None,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut times = Vec::new();
    let start = Instant::now();
    for batch in &batches {
        let t = Instant::now();
        office.push(&caller, batch).unwrap();
        times.push(t.elapsed());
    }
    let wall = start.elapsed();
    times.sort();
    let count = devices * per_device;
    println!(
        "store alone: {count} changes in {} pushes of 100 in {:.2} s = {:.1} µs per change ({:.0} changes/s); one push p50 {:.1} ms, p95 {:.1} ms",
        batches.len(),
        wall.as_secs_f64(),
        wall.as_secs_f64() * 1e6 / count as f64,
        count as f64 / wall.as_secs_f64(),
        ms(times[times.len() / 2]),
        ms(times[times.len() * 95 / 100]),
    );
}
