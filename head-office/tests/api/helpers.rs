//! A head-office server for tests: a fresh database in a temporary folder, in-process or
//! listening on an ephemeral loopback port.

use std::net::SocketAddr;

use axum::Router;
use permanence_head_office::store::Store;
use permanence_head_office::{router, AppState};
use tempfile::TempDir;

pub struct TestApp {
    pub address: SocketAddr,
    pub _dir: TempDir,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }
}

/// The router over a fresh in-memory store, for `oneshot` tests.
pub fn app() -> Router {
    router(AppState {
        store: Store::open_in_memory().expect("in-memory store"),
    })
}

/// A real server on 127.0.0.1:0 over a fresh database file.
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = Store::open(&dir.path().join("head-office.sqlite3")).expect("store opens");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router(AppState { store }))
            .await
            .unwrap();
    });
    TestApp { address, _dir: dir }
}
