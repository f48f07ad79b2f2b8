//! A head office on an ephemeral loopback port (its own thread and runtime; plain HTTP, or
//! HTTPS with a self-signed certificate) and laptops registered with it, each a real store
//! file with its token in an in-memory keystore.

use std::net::SocketAddr;
use std::process::{Command, Stdio};

use permanence::dossier::{Civility, Dossier, DossierDraft, HolderDraft, ProjectType};
use permanence::field::{Entity, FieldEdit};
use permanence::store::{DossierQuery, Store};
use permanence::sync::client::{self, Client, SyncError, SyncReport};
use permanence::sync::protocol::RegisterRequest;
use permanence_head_office::office::{HeadOffice, NewUser, Role};
use permanence_head_office::store::Store as Office;
use permanence_head_office::{router, AppState, Server, Tls};
use serde_json::Value;
use tempfile::TempDir;
use uuid::Uuid;

#[path = "../common/certificate.rs"]
mod certificate;

pub const PASSWORD: &str = "correct horse battery";
pub const FRUGES: &str = "62364";

pub struct HeadOfficeServer {
    pub address: SocketAddr,
    pub office: Office,
    url: String,
    /// The self-signed certificate laptops must trust, when served over HTTPS.
    certificate: Option<String>,
    _dir: TempDir,
}

impl HeadOfficeServer {
    /// Two platforms, TA7V with advisors claire and nadia, ISO with paul.
    pub fn start() -> HeadOfficeServer {
        HeadOfficeServer::start_with(false)
    }

    /// The same over HTTPS, with a self-signed certificate for 127.0.0.1.
    pub fn start_over_https() -> HeadOfficeServer {
        HeadOfficeServer::start_with(true)
    }

    /// A head office restored from `backup` (a copy made by `Office::backup`), served anew.
    pub fn restored_from(backup: &std::path::Path) -> HeadOfficeServer {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(backup, dir.path().join("office.sqlite3")).unwrap();
        HeadOfficeServer::serve(dir, false)
    }

    fn start_with(https: bool) -> HeadOfficeServer {
        let dir = tempfile::tempdir().unwrap();
        let office = Office::open(&dir.path().join("office.sqlite3")).unwrap();
        office
            .add_platform("TA7V", "Initiative Ternois-Artois-7 Vallées")
            .unwrap();
        office.add_platform("ISO", "Initiative Saint-Omer").unwrap();
        for (login, platform) in [("claire", "TA7V"), ("nadia", "TA7V"), ("paul", "ISO")] {
            office
                .add_user(&NewUser {
                    login: login.into(),
                    name: format!("Conseiller {login}"),
                    password: PASSWORD.into(),
                    role: Role::Advisor,
                    platform: Some(platform.into()),
                })
                .unwrap();
        }
        drop(office);
        HeadOfficeServer::serve(dir, https)
    }

    /// Serves the head office of `dir/office.sqlite3`.
    fn serve(dir: TempDir, https: bool) -> HeadOfficeServer {
        let office = Office::open(&dir.path().join("office.sqlite3")).unwrap();
        let (tls, certificate) = if https {
            let certificate = certificate::self_signed(dir.path(), "head-office");
            let tls = Tls::from_pem_files(&certificate.cert, &certificate.key).unwrap();
            (Some(tls), Some(certificate.pem))
        } else {
            (None, None)
        };
        let server = Server::bind("127.0.0.1:0".parse().unwrap(), tls).unwrap();
        let (address, url) = (server.local_addr(), server.url());
        let served = office.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                server
                    .serve(router(AppState::new(served)), std::future::pending())
                    .await
                    .unwrap();
            });
        });
        HeadOfficeServer {
            address,
            office,
            url,
            certificate,
            _dir: dir,
        }
    }

    pub fn db_path(&self) -> std::path::PathBuf {
        self._dir.path().join("office.sqlite3")
    }

    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The certificate (PEM) of a head office served over HTTPS: the authority to trust.
    pub fn certificate(&self) -> Option<&str> {
        self.certificate.as_deref()
    }

    /// A laptop registered by `login`.
    pub fn laptop(&self, login: &str) -> Laptop {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in_dir(dir.path()).unwrap();
        let device_id = store.device_id().unwrap();
        let registered = client(&self.url(), None, self.certificate.as_deref())
            .unwrap()
            .register(&RegisterRequest {
                login: login.into(),
                password: PASSWORD.into(),
                device_id,
                device_name: format!("portable de {login}"),
            })
            .unwrap();
        store
            .set_server(&self.url(), &registered.advisor, None)
            .unwrap();
        Laptop {
            store,
            url: self.url(),
            token: registered.token,
            device_id,
            certificate: self.certificate.clone(),
            _dir: dir,
        }
    }
}

/// `permanence sync` on the laptop's store (closed meanwhile) against `url`; its output.
pub fn sync_with_binary(laptop: &mut Laptop, url: &str) -> std::process::Output {
    laptop.store.set_server(url, "Conseiller", None).unwrap();
    laptop.store = Store::open_in_memory().unwrap();
    let output = Command::new(cli())
        .arg("--db")
        .arg(laptop.store_path())
        .arg("sync")
        .env("PERMANENCE_UNENCRYPTED_STORE", "1")
        .env("PERMANENCE_TOKEN", &laptop.token)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    laptop.store = Store::open(&laptop.store_path()).unwrap();
    output
}

/// The command line built beside this test (`cargo test` at the workspace's root builds it).
pub fn cli() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .and_then(std::path::Path::parent)
        .map(|dir| dir.join("permanence"))
        .unwrap();
    assert!(
        bin.exists(),
        "{} is missing: build it first (`cargo build --bin permanence`; `make test` does)",
        bin.display()
    );
    bin
}

pub struct Laptop {
    pub store: Store,
    pub url: String,
    pub token: String,
    pub device_id: Uuid,
    certificate: Option<String>,
    _dir: TempDir,
}

/// The laptop's own sync client, trusting the head office's certificate when it has one.
fn client(
    url: &str,
    token: Option<String>,
    certificate: Option<&str>,
) -> Result<Client, SyncError> {
    Client::connect(url, token, certificate, std::time::Duration::from_secs(60))
}

impl Laptop {
    pub fn sync(&mut self) -> Result<SyncReport, SyncError> {
        let client = client(
            &self.url,
            Some(self.token.clone()),
            self.certificate.as_deref(),
        )?;
        client::sync(&mut self.store, &client)
    }

    pub fn create(&mut self, last_name: &str) -> Dossier {
        self.store
            .create_dossier(&DossierDraft {
                project_type: Some(ProjectType::Creation),
                idea: "Épicerie vrac".into(),
                holders: vec![HolderDraft {
                    civility: Some(Civility::Madame),
                    last_name: last_name.into(),
                    first_name: "Élodie".into(),
                    phone: "03 21 04 56 78".into(),
                    commune_insee: FRUGES.into(),
                }],
                ..Default::default()
            })
            .unwrap()
    }

    pub fn set(&mut self, entity: Entity, id: Uuid, field: &str, value: Value) -> Dossier {
        self.store
            .set_field(&FieldEdit {
                entity,
                id,
                field: field.into(),
                value,
            })
            .unwrap()
    }

    /// Pushes `changes` as they are, past the laptop's own store and checks: what a forged or
    /// broken client could send.
    pub fn push_raw(
        &self,
        changes: Vec<permanence::sync::protocol::Change>,
    ) -> Result<permanence::sync::protocol::PushResponse, SyncError> {
        client(
            &self.url,
            Some(self.token.clone()),
            self.certificate.as_deref(),
        )?
        .push(&permanence::sync::protocol::PushRequest {
            device_id: self.device_id,
            schema_version: permanence::store::LAPTOP_SCHEMA.latest(),
            changes,
            acknowledged_seq: None,
        })
    }

    pub fn store_path(&self) -> std::path::PathBuf {
        self._dir.path().join(permanence::store::DATABASE_FILE)
    }

    pub fn dossiers(&self) -> Vec<Dossier> {
        self.store
            .list_dossiers(&DossierQuery {
                limit: Some(10_000),
                ..Default::default()
            })
            .unwrap()
            .items
            .iter()
            .map(|s| self.store.get_dossier(s.id).unwrap())
            .collect()
    }
}

/// What two stores must agree on: every dossier, whole, in id order.
pub fn comparable(dossiers: &[Dossier]) -> Vec<Value> {
    let mut out: Vec<Value> = dossiers
        .iter()
        .map(|d| serde_json::to_value(d).unwrap())
        .collect();
    out.sort_by_key(|v| v["id"].as_str().unwrap_or_default().to_owned());
    out
}

/// Everything a store of the platform holds and shows, whole: every dossier, the committees
/// with their agendas, the permanences, the conflicts still open. A laptop's and the head
/// office's own (`Office::platform_state`) must be equal, nothing left out.
pub fn platform_view(store: &Store) -> Value {
    let dossiers: Vec<Dossier> = store
        .list_dossiers(&DossierQuery {
            limit: Some(100_000),
            ..Default::default()
        })
        .unwrap()
        .items
        .iter()
        .map(|s| store.get_dossier(s.id).unwrap())
        .collect();
    let mut conflicts: Vec<i64> = store
        .list_conflicts()
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    conflicts.sort();
    serde_json::json!({
        "dossiers": comparable(&dossiers),
        "committees": store.list_committees().unwrap(),
        "sessions": store.list_sessions().unwrap(),
        "open_conflicts": conflicts,
        // The platform's settings; the advisor's name is each laptop's own.
        "settings": permanence::settings::PlatformSettings {
            advisor: String::new(),
            ..store.settings().clone()
        },
    })
}

/// Whether an HTTP message (headers and a Content-Length body) has fully arrived.
pub fn complete(message: &[u8]) -> bool {
    let text = String::from_utf8_lossy(message);
    let Some(end) = text.find("\r\n\r\n") else {
        return false;
    };
    let length = text[..end]
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    message.len() >= end + 4 + length
}

/// A head office, claire's and nadia's laptops, and a dossier claire made that both have.
pub fn sharing_a_dossier() -> (HeadOfficeServer, Laptop, Laptop, Dossier) {
    let office = HeadOfficeServer::start();
    let mut claire = office.laptop("claire");
    let mut nadia = office.laptop("nadia");
    let d = claire.create("Caron");
    claire.sync().unwrap();
    nadia.sync().unwrap();
    (office, claire, nadia, d)
}

/// Creations forged on a laptop's device, past its store and checks (a broken or forged
/// client): numbered from 1, so the device must have pushed nothing before, and stamped by
/// its own clock.
pub struct Forged {
    seq: i64,
    hlc: permanence::sync::Hlc,
}

impl Forged {
    pub fn on(laptop: &Laptop) -> Forged {
        Forged {
            seq: 0,
            hlc: permanence::sync::Hlc::zero(laptop.device_id),
        }
    }

    /// The creation of a new `entity` record of `dossier` with `value`.
    pub fn create(
        &mut self,
        entity: &str,
        dossier: Uuid,
        value: Value,
    ) -> permanence::sync::protocol::Change {
        self.seq += 1;
        self.hlc = self.hlc.tick(permanence::clock::now().timestamp_millis());
        permanence::sync::protocol::Change {
            change_id: Uuid::now_v7(),
            device_seq: self.seq,
            entity: entity.into(),
            entity_id: Uuid::now_v7(),
            dossier_id: Some(dossier),
            op: permanence::sync::protocol::ChangeOp::Create,
            field: None,
            value: Some(value),
            base_version: None,
            hlc: self.hlc,
        }
    }
}
