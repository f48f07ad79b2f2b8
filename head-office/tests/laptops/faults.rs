//! A network that drops requests, drops responses or stalls, through a fault-injecting proxy
//! between a laptop and the head office. Pass criterion: once the network heals, with no new
//! local edit, the automatic sync empties the outbox within its backoff bound, and every
//! change is applied exactly once.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use permanence::field::Entity;
use permanence::sync::auto::{self, Backoff, Pace, SyncEvent};
use permanence::sync::keystore::{Keystore, MemoryKeystore};
use permanence_head_office::office::HeadOffice;
use serde_json::json;

use crate::helpers::{complete, HeadOfficeServer};

const HEALTHY: u8 = 0;
const DROP_REQUESTS: u8 = 1;
const DROP_RESPONSES: u8 = 2;
const STALL: u8 = 3;

/// A TCP proxy to `upstream` whose behaviour can be switched while it runs.
fn proxy(upstream: std::net::SocketAddr, mode: Arc<AtomicU8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let mode = mode.clone();
            std::thread::spawn(move || serve(client, upstream, mode.load(Ordering::SeqCst)));
        }
    });
    format!("http://{address}")
}

fn serve(mut client: TcpStream, upstream: std::net::SocketAddr, mode: u8) {
    match mode {
        DROP_REQUESTS => drop(client),
        STALL => std::thread::sleep(Duration::from_secs(30)),
        _ => {
            let Ok(mut server) = TcpStream::connect(upstream) else {
                return;
            };
            let _ = client.set_read_timeout(Some(Duration::from_millis(300)));
            let _ = server.set_read_timeout(Some(Duration::from_secs(5)));
            // One request, one response: enough for the client's short connections.
            let mut request = Vec::new();
            let mut buf = [0u8; 65536];
            while let Ok(n) = client.read(&mut buf) {
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
                if complete(&request) {
                    break;
                }
            }
            if server.write_all(&request).is_err() {
                return;
            }
            let mut response = Vec::new();
            while let Ok(n) = server.read(&mut buf) {
                if n == 0 {
                    break;
                }
                response.extend_from_slice(&buf[..n]);
                if complete(&response) {
                    break;
                }
            }
            if mode == DROP_RESPONSES {
                return; // the head office did the work; the laptop never hears of it
            }
            let _ = client.write_all(&response);
        }
    }
}

fn run_case(mode: u8) {
    let office = HeadOfficeServer::start();
    let switch = Arc::new(AtomicU8::new(mode));
    let url = proxy(office.address, switch.clone());
    let mut laptop = office.laptop("claire");
    laptop.store.set_server(&url, "Claire", None).unwrap();
    let d = laptop.create("Caron");
    for i in 0..5 {
        laptop.set(Entity::Dossier, d.id, "idea", json!(format!("version {i}")));
    }
    let queued = laptop.store.sync_status().unwrap().pending_changes;

    let keystore = Arc::new(MemoryKeystore::default());
    keystore.set(laptop.device_id, &laptop.token).unwrap();
    let store = Arc::new(Mutex::new(std::mem::replace(
        &mut laptop.store,
        permanence::store::Store::open_in_memory().unwrap(),
    )));
    let (wake, woken) = channel();
    let failures = Arc::new(Mutex::new(0));
    let pace = Pace {
        pending: Duration::from_millis(100),
        idle: Duration::from_secs(60),
        backoff: Backoff::new(Duration::from_millis(50), Duration::from_millis(800)),
        request_timeout: Duration::from_millis(400),
    };
    let (shared, counted) = (store.clone(), failures.clone());
    std::thread::spawn(move || {
        auto::run(shared, keystore, woken, pace, move |event| {
            if let SyncEvent::Failed { .. } = event {
                *counted.lock().unwrap() += 1;
            }
        })
    });
    let _ = wake.send(());

    // While the network misbehaves, the changes stay queued and attempts fail.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        *failures.lock().unwrap() > 0,
        "mode {mode}: attempts failed while broken"
    );
    if mode != DROP_RESPONSES {
        assert_eq!(
            store.lock().unwrap().sync_status().unwrap().pending_changes,
            queued
        );
    }

    // Heal, and make no new edit: the outbox must empty within the backoff bound (800 ms,
    // plus a stalled attempt's 400 ms timeout), given 10 s on a loaded machine.
    switch.store(HEALTHY, Ordering::SeqCst);
    let healed = Instant::now();
    let bound = Duration::from_secs(10);
    loop {
        let pending = store.lock().unwrap().sync_status().unwrap().pending_changes;
        if pending == 0 {
            break;
        }
        assert!(
            healed.elapsed() < bound,
            "mode {mode}: still {pending} pending after {bound:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(wake);
    // Exactly once: the head office logged each change once.
    assert_eq!(
        office.office.change_count().unwrap(),
        queued,
        "mode {mode}: no duplicate, none lost"
    );
}

#[test]
fn dropped_requests_heal_without_a_new_edit() {
    run_case(DROP_REQUESTS);
}

#[test]
fn dropped_responses_are_replayed_without_duplicates() {
    run_case(DROP_RESPONSES);
}

#[test]
fn a_stalled_network_times_out_and_heals() {
    run_case(STALL);
}
