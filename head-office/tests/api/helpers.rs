//! A head-office server for tests: a fresh database in a temporary folder, in-process or
//! listening on an ephemeral loopback port (plain HTTP, or HTTPS with a self-signed
//! certificate), with platforms, advisors and devices.

use std::cell::Cell;
use std::net::SocketAddr;

use axum::Router;
use chrono::{DateTime, Utc};
use permanence::clock::Clock;
use permanence::sync::protocol::{
    Change, ChangeOp, PullResponse, PushRequest, PushResponse, RegisterRequest, RegisterResponse,
};
use permanence::sync::Hlc;
use permanence_head_office::office::{HeadOffice, NewUser, Role};
use permanence_head_office::store::Store;
use permanence_head_office::{router, AppState, Server, Tls};
use serde_json::{json, Value};
use tempfile::TempDir;
use uuid::Uuid;

#[path = "../common/certificate.rs"]
mod certificate;
pub use certificate::self_signed;

pub const PASSWORD: &str = "correct horse battery";

/// When every test head office starts: its clock runs on from there, whatever the date.
pub fn started_at() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-26T09:00:00Z")
        .unwrap()
        .to_utc()
}

/// A dossier with one holder as a laptop's creation carries it (the core's read model of a
/// dossier just captured), under the ids given.
pub fn dossier_snapshot(id: Uuid, holder: Uuid) -> Value {
    // Made once by a real laptop store (migrating one per creation slowed every test).
    static CAPTURED: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    let mut value = CAPTURED
        .get_or_init(|| {
            use permanence::codes::Civility;
            use permanence::dossier::{DossierDraft, HolderDraft, ProjectType};
            let mut laptop = permanence::store::Store::open_in_memory().expect("laptop store");
            laptop.set_clock(Clock::starting_at(started_at()));
            let dossier = laptop
                .create_dossier(&DossierDraft {
                    project_type: Some(ProjectType::Creation),
                    idea: "Boulangerie".into(),
                    holders: vec![HolderDraft {
                        civility: Some(Civility::Madame),
                        last_name: "Caron".into(),
                        first_name: "Léa".into(),
                        phone: "03 21 04 56 78".into(),
                        commune_insee: "62447".into(),
                    }],
                    ..Default::default()
                })
                .expect("a dossier");
            serde_json::to_value(&dossier).expect("JSON")
        })
        .clone();
    value["id"] = json!(id);
    value["holders"][0]["id"] = json!(holder);
    value
}

/// A store whose clock starts at `started_at`.
fn with_test_clock(mut store: Store) -> Store {
    store.set_clock(Clock::starting_at(started_at()));
    store
}

pub struct TestApp {
    pub address: SocketAddr,
    /// `http://127.0.0.1:…` or `https://127.0.0.1:…`.
    pub base: String,
    pub store: Store,
    /// A client that trusts the server's certificate, if it has one.
    pub http: reqwest::Client,
    pub _dir: TempDir,
}

/// The router over a fresh in-memory store, for `oneshot` tests.
pub fn app() -> Router {
    router(AppState::new(with_test_clock(
        Store::open_in_memory().expect("in-memory store"),
    )))
}

/// A real server on 127.0.0.1:0 over a fresh database file, with two platforms (TA7V and
/// ISO) and advisors (`claire` and `nadia` in TA7V, `paul` in ISO).
pub async fn spawn_app() -> TestApp {
    spawn(false).await
}

/// The same, served over HTTPS with a self-signed certificate that `http` trusts.
pub async fn spawn_app_over_https() -> TestApp {
    spawn(true).await
}

/// Two platforms, TA7V with advisors claire and nadia, ISO with paul.
pub fn seed(store: &Store) {
    store
        .add_platform("TA7V", "Initiative Ternois-Artois-7 Vallées")
        .unwrap();
    store.add_platform("ISO", "Initiative Saint-Omer").unwrap();
    for (login, platform) in [("claire", "TA7V"), ("nadia", "TA7V"), ("paul", "ISO")] {
        store
            .add_user(&NewUser {
                login: login.into(),
                name: format!("Conseiller {login}"),
                password: PASSWORD.into(),
                role: Role::Advisor,
                platform: Some(platform.into()),
            })
            .unwrap();
    }
}

async fn spawn(https: bool) -> TestApp {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store =
        with_test_clock(Store::open(&dir.path().join("head-office.sqlite3")).expect("store opens"));
    seed(&store);
    let (tls, http) = if https {
        let certificate = self_signed(dir.path(), "head-office");
        let tls = Tls::from_pem_files(&certificate.cert, &certificate.key).expect("TLS set up");
        (Some(tls), trusting(&certificate.pem))
    } else {
        (None, reqwest::Client::new())
    };
    let server = Server::bind("127.0.0.1:0".parse().unwrap(), tls).expect("bound");
    let (address, base) = (server.local_addr(), server.url());
    let served = store.clone();
    tokio::spawn(async move {
        server
            .serve(router(AppState::new(served)), std::future::pending())
            .await
            .unwrap();
    });
    TestApp {
        address,
        base,
        store,
        http,
        _dir: dir,
    }
}

/// An HTTP client that trusts the certificate `pem` besides the public authorities.
pub fn trusting(pem: &str) -> reqwest::Client {
    let certificate = reqwest::Certificate::from_pem(pem.as_bytes()).expect("PEM certificate");
    reqwest::Client::builder()
        .add_root_certificate(certificate)
        .build()
        .expect("HTTPS client")
}

/// A laptop as the server sees it: its id, token and sequence.
pub struct Device {
    pub id: Uuid,
    pub token: String,
    pub seq: Cell<i64>,
    pub clock: Cell<Hlc>,
    /// The laptop's wall clock, started with the test head office's.
    pub wall: Clock,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn register(&self, login: &str, password: &str) -> reqwest::Response {
        self.http
            .post(self.url("/v1/devices"))
            .json(&RegisterRequest {
                login: login.into(),
                password: password.into(),
                device_id: Uuid::now_v7(),
                device_name: "Portable de test".into(),
            })
            .send()
            .await
            .unwrap()
    }

    pub async fn device(&self, login: &str) -> Device {
        let response = self.register(login, PASSWORD).await;
        assert_eq!(response.status(), 200, "registration of {login}");
        let body: RegisterResponse = response.json().await.unwrap();
        Device {
            id: body.device_id,
            token: body.token,
            seq: Cell::new(0),
            clock: Cell::new(Hlc::zero(body.device_id)),
            wall: Clock::starting_at(started_at()),
        }
    }

    /// `GET /v1/sync/pull` with `token` as the bearer, the answer as it comes.
    pub async fn pull_raw(&self, token: &str) -> reqwest::Response {
        self.pull_query(token, "").await
    }

    /// `GET /v1/sync/pull?{query}` with `token` as the bearer, the answer as it comes.
    pub async fn pull_query(&self, token: &str, query: &str) -> reqwest::Response {
        self.http
            .get(self.url(&format!("/v1/sync/pull?{query}")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn push_raw(&self, device: &Device, changes: Vec<Change>) -> reqwest::Response {
        self.push_with(device, changes, permanence::store::LAPTOP_SCHEMA.latest())
            .await
    }

    pub async fn push_with(
        &self,
        device: &Device,
        changes: Vec<Change>,
        schema: i64,
    ) -> reqwest::Response {
        self.send_push(device, changes, schema, None).await
    }

    /// A push saying the head office had confirmed this device's changes up to
    /// `acknowledged` (what a laptop says after queueing its journal again).
    pub async fn push_acknowledging(
        &self,
        device: &Device,
        changes: Vec<Change>,
        acknowledged: i64,
    ) -> reqwest::Response {
        let schema = permanence::store::LAPTOP_SCHEMA.latest();
        self.send_push(device, changes, schema, Some(acknowledged))
            .await
    }

    async fn send_push(
        &self,
        device: &Device,
        changes: Vec<Change>,
        schema_version: i64,
        acknowledged_seq: Option<i64>,
    ) -> reqwest::Response {
        self.http
            .post(self.url("/v1/sync/push"))
            .bearer_auth(&device.token)
            .json(&PushRequest {
                device_id: device.id,
                schema_version,
                changes,
                acknowledged_seq,
            })
            .send()
            .await
            .unwrap()
    }

    pub async fn push(&self, device: &Device, changes: Vec<Change>) -> PushResponse {
        let response = self.push_raw(device, changes).await;
        assert_eq!(response.status(), 200, "push accepted");
        response.json().await.unwrap()
    }

    pub async fn pull(&self, device: &Device, cursor: i64) -> PullResponse {
        let response = self
            .pull_query(&device.token, &format!("cursor={cursor}&limit=1000"))
            .await;
        assert_eq!(response.status(), 200, "pull accepted");
        response.json().await.unwrap()
    }
}

impl Device {
    /// The next change of this device, stamped with its clock.
    #[allow(clippy::too_many_arguments)] // one per field of the wire change
    pub fn change(
        &self,
        entity: &str,
        entity_id: Uuid,
        dossier_id: Option<Uuid>,
        op: ChangeOp,
        field: Option<&str>,
        value: Option<Value>,
        base_version: Option<i64>,
    ) -> Change {
        self.seq.set(self.seq.get() + 1);
        self.clock
            .set(self.clock.get().tick(self.wall.now().timestamp_millis()));
        Change {
            change_id: Uuid::now_v7(),
            device_seq: self.seq.get(),
            entity: entity.into(),
            entity_id,
            dossier_id,
            op,
            field: field.map(str::to_owned),
            value,
            base_version,
            hlc: self.clock.get(),
        }
    }

    pub fn create_dossier(&self, id: Uuid) -> Change {
        self.change(
            "dossier",
            id,
            Some(id),
            ChangeOp::Create,
            None,
            Some(dossier_snapshot(id, Uuid::now_v7())),
            None,
        )
    }

    pub fn set(&self, dossier: Uuid, field: &str, value: Value, base: Option<i64>) -> Change {
        self.change(
            "dossier",
            dossier,
            Some(dossier),
            ChangeOp::SetField,
            Some(field),
            Some(value),
            base,
        )
    }
}
