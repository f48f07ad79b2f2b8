//! The laptop's sync killed at each phase: a real `permanence sync` process, stopped with
//! SIGKILL while a proxy holds the exchange at that phase (the push on its way to the head
//! office, the head office's answer to a committed push on its way back, a page of the pull).
//! Pass criterion: after a restart the outbox drains, every change made on the laptop is in
//! the head office's log exactly once, and the laptop ends with every dossier (the cursor
//! skipped nothing).

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use std::time::Duration;

use permanence::field::Entity;
use permanence::store::Store;
use serde_json::json;

use crate::helpers::{cli, comparable, complete, HeadOfficeServer, Laptop};

/// Where the proxy stops an exchange (the n-th request of its kind, from 0), never to finish.
#[derive(Clone, Copy, Debug)]
enum Hold {
    /// The push never reaches the head office.
    PushRequest(usize),
    /// The head office committed the push; its answer never reaches the laptop.
    PushResponse(usize),
    /// A page of the pull never reaches the laptop.
    PullResponse(usize),
    /// The platform's state never reaches a new laptop.
    SnapshotResponse,
}

/// A proxy to `upstream` that forwards every exchange but the held one, and says on the
/// returned channel when it holds it.
fn holding_proxy(upstream: SocketAddr, hold: Hold) -> (String, Receiver<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let (held, holding) = channel();
    let pushes = Arc::new(AtomicUsize::new(0));
    let pulls = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let (held, pushes, pulls) = (held.clone(), pushes.clone(), pulls.clone());
            std::thread::spawn(move || exchange(client, upstream, hold, &pushes, &pulls, held));
        }
    });
    (format!("http://{address}"), holding)
}

/// One request and its response (the laptop's client opens a connection per exchange here,
/// as the proxy closes each after its answer).
fn exchange(
    mut client: TcpStream,
    upstream: SocketAddr,
    hold: Hold,
    pushes: &AtomicUsize,
    pulls: &AtomicUsize,
    held: Sender<()>,
) {
    let Some(request) = read_message(&mut client) else {
        return;
    };
    let line = String::from_utf8_lossy(&request[..request.len().min(64)]).into_owned();
    let (push_n, pull_n) = if line.starts_with("POST /v1/sync/push") {
        (Some(pushes.fetch_add(1, Ordering::SeqCst)), None)
    } else if line.starts_with("GET /v1/sync/pull") {
        (None, Some(pulls.fetch_add(1, Ordering::SeqCst)))
    } else if line.starts_with("GET /v1/sync/snapshot") && matches!(hold, Hold::SnapshotResponse) {
        // Held once the head office has answered, as a page of the pull.
        (None, Some(0))
    } else {
        (None, None)
    };
    let stall = |held: Sender<()>| {
        let _ = held.send(());
        std::thread::sleep(Duration::from_secs(120));
    };
    if let (Hold::PushRequest(n), Some(m)) = (hold, push_n) {
        if n == m {
            return stall(held);
        }
    }
    let Ok(mut server) = TcpStream::connect(upstream) else {
        return;
    };
    if server.write_all(&request).is_err() {
        return;
    }
    let Some(response) = read_message(&mut server) else {
        return;
    };
    match (hold, push_n, pull_n) {
        (Hold::PushResponse(n), Some(m), _) | (Hold::PullResponse(n), _, Some(m)) if n == m => {
            stall(held)
        }
        (Hold::SnapshotResponse, _, Some(_)) if line.starts_with("GET /v1/sync/snapshot") => {
            stall(held)
        }
        _ => {
            let _ = client.write_all(&response);
        }
    }
}

/// Reads one HTTP/1.1 message with a Content-Length body (what client and server send here).
fn read_message(stream: &mut TcpStream) -> Option<Vec<u8>> {
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    let mut message = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        message.extend_from_slice(&buf[..n]);
        if complete(&message) {
            return Some(message);
        }
    }
}

/// `permanence sync` on the laptop's store, through `server`.
fn sync_command(laptop: &Laptop) -> Command {
    let mut command = Command::new(cli());
    command
        .arg("--db")
        .arg(laptop.store_path())
        .arg("sync")
        .env("PERMANENCE_UNENCRYPTED_STORE", "1")
        .env("PERMANENCE_TOKEN", &laptop.token)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// The laptop's store closed (the process under test opens the file), with `server` as its
/// head office.
fn hand_over(laptop: &mut Laptop, server: &str) {
    laptop.store.set_server(server, "Claire", None).unwrap();
    laptop.store = Store::open_in_memory().unwrap();
}

fn reopen(laptop: &mut Laptop) {
    laptop.store = Store::open(&laptop.store_path()).unwrap();
}

/// Runs `permanence sync` through a proxy holding `hold`, kills it with SIGKILL once the
/// exchange is held, then syncs again directly; returns nothing but checks the criteria.
fn killed_then_resumed(laptop: &mut Laptop, office: &HeadOfficeServer, hold: Hold) {
    let (proxy, holding) = holding_proxy(office.address, hold);
    hand_over(laptop, &proxy);
    let mut child = sync_command(laptop).spawn().unwrap();
    holding
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("{hold:?}: the sync never reached the held exchange"));
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    assert!(!status.success(), "{hold:?}: the process was killed");

    // The store opens after the kill, and a second run, straight to the head office, ends
    // with nothing pending.
    reopen(laptop);
    hand_over(laptop, &office.url());
    let output = sync_command(laptop).output().unwrap();
    assert!(
        output.status.success(),
        "{hold:?}: the sync after the restart succeeds: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    reopen(laptop);
    assert_eq!(
        laptop.store.sync_status().unwrap().pending_changes,
        0,
        "{hold:?}: the outbox drained"
    );
}

/// The change ids waiting in a laptop's outbox.
fn queued(laptop: &Laptop) -> BTreeSet<String> {
    let conn = rusqlite::Connection::open(laptop.store_path()).unwrap();
    let mut stmt = conn.prepare("SELECT change_id FROM outbox").unwrap();
    let ids = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<BTreeSet<_>, _>>()
        .unwrap();
    ids
}

/// How many times each of `ids` is in the head office's log.
fn logged(office: &HeadOfficeServer, ids: &BTreeSet<String>) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open(office.db_path()).unwrap();
    ids.iter()
        .map(|id| {
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM change_log WHERE change_id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .unwrap();
            (id.clone(), n)
        })
        .filter(|(_, n)| *n != 1)
        .collect()
}

/// `dossiers` dossiers, already at the head office, then four edits of each, each several
/// kilobytes long (70 make two push batches, cut by the push's byte limit): the changes
/// queued.
/// About two hundred characters of an advisor's note.
const LONG_NOTE: &str = "Boulangerie reprise avec le fonds et le matériel ; clientèle fidèle du \
    bourg, tournée des villages le mardi et le vendredi, marché de Hesdin le jeudi. Le four est \
    à changer dans les deux ans. ";

fn busy_day(laptop: &mut Laptop, dossiers: usize) -> BTreeSet<String> {
    let made: Vec<_> = (0..dossiers)
        .map(|i| laptop.create(&format!("Caron{}", char::from(b'a' + (i % 26) as u8))))
        .collect();
    // Sent first: edits of a dossier not sent yet would go up inside its create.
    assert_eq!(laptop.sync().unwrap().pending, 0);
    for (i, d) in made.iter().enumerate() {
        for (v, field) in ["idea", "strengths", "cautions", "advisor_opinion"]
            .into_iter()
            .enumerate()
        {
            laptop.set(
                Entity::Dossier,
                d.id,
                field,
                json!(format!("Projet {i}, version {v}. {}", LONG_NOTE.repeat(24))),
            );
        }
    }
    let ids = queued(laptop);
    assert_eq!(ids.len(), dossiers * 4, "four edits per dossier");
    ids
}

fn push_killed_at(hold: Hold) {
    let office = HeadOfficeServer::start();
    let mut laptop = office.laptop("claire");
    let ids = busy_day(&mut laptop, 70);
    killed_then_resumed(&mut laptop, &office, hold);
    assert_eq!(
        logged(&office, &ids),
        [],
        "{hold:?}: every change in the head office's log exactly once"
    );
}

#[test]
fn killed_before_the_first_push_arrives_then_every_change_is_applied_once() {
    push_killed_at(Hold::PushRequest(0));
}

#[test]
fn killed_before_the_second_push_arrives_then_every_change_is_applied_once() {
    push_killed_at(Hold::PushRequest(1));
}

#[test]
fn killed_after_the_head_office_committed_a_push_then_every_change_is_applied_once() {
    push_killed_at(Hold::PushResponse(1));
}

#[test]
fn killed_in_the_middle_of_the_pull_then_the_cursor_skips_nothing() {
    let office = HeadOfficeServer::start();
    let mut nadia = office.laptop("nadia");
    // Enough for two pull pages of 500.
    let sent = busy_day(&mut nadia, 130);
    for _ in 0..3 {
        let report = nadia.sync().unwrap();
        if report.pending == 0 {
            break;
        }
    }
    assert_eq!(
        logged(&office, &sent),
        [],
        "nadia's day is at the head office"
    );

    // Claire captured a dossier before her first sync: she pulls the log (a laptop holding
    // nothing would take the platform's state whole, below).
    let mut claire = office.laptop("claire");
    claire.create("Wimet");
    killed_then_resumed(&mut claire, &office, Hold::PullResponse(1));
    nadia.sync().unwrap();
    assert_eq!(nadia.dossiers().len(), 131);
    assert_eq!(
        comparable(&claire.dossiers()),
        comparable(&nadia.dossiers()),
        "claire has every dossier of nadia's day, as nadia has it"
    );
}

#[test]
fn killed_while_receiving_the_platform_state_then_it_is_received_whole() {
    let office = HeadOfficeServer::start();
    let mut nadia = office.laptop("nadia");
    let today = nadia.store.clock().today();
    permanence::demo::fill(&mut nadia.store, 20, 3, today).unwrap();
    nadia.sync().unwrap();

    let mut claire = office.laptop("claire");
    killed_then_resumed(&mut claire, &office, Hold::SnapshotResponse);
    let truth = office
        .office
        .platform_state("TA7V", crate::helpers::platform_view)
        .unwrap();
    assert_eq!(crate::helpers::platform_view(&claire.store), truth);
    // The killed download left no scratch file behind once the state was received.
    let folder = claire.store_path().parent().unwrap().to_path_buf();
    let scratch: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".permanence-snapshot-"))
        .collect();
    assert_eq!(scratch, Vec::<String>::new());
}
