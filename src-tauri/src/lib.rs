//! The desktop shell: opens the laptop store in the app's data folder and exposes the core to
//! the UI as Tauri commands. Each command is a line or two calling the core; nothing here
//! decides anything about dossiers.

use std::path::PathBuf;
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex, MutexGuard};

use permanence::codes::{DossierStatus, FinancingCategory};
use permanence::dossier::{Dossier, DossierDraft, HolderDraft};
use permanence::field::FieldEdit;
use permanence::reference::{self, Commune, Epci, NafEntry};
use permanence::settings::PlatformSettings;
use permanence::store::{
    DossierFacets, DossierPage, DossierQuery, Session, SessionDraft, SessionView, Store,
};
use permanence::store::{RefusedChange, Settle, SyncStatus};
use permanence::sync::auto::{self, Pace};
use permanence::sync::client::{check_url, Client};
use permanence::sync::keystore::{FallbackKeystore, Keystore};
use permanence::sync::protocol::{ConflictRecord, RegisterRequest};
use permanence::{ApiError, Error};
use tauri::{Emitter, Manager, State};
use uuid::Uuid;

/// The store, or the reason it could not be opened (shown by every screen instead of a crash:
/// a database from a newer version, say), with what sync needs beside it.
pub struct Desk {
    store: Result<Arc<Mutex<Store>>, ApiError>,
    keystore: Arc<dyn Keystore>,
    /// Wakes the automatic sync ("Synchroniser", a registration).
    wake: Mutex<Sender<()>>,
}

type Answer<T> = Result<T, ApiError>;

impl Desk {
    fn store(&self) -> Result<MutexGuard<'_, Store>, ApiError> {
        let store = self.store.as_ref().map_err(Clone::clone)?;
        store
            .lock()
            .map_err(|_| Error::Internal("store lock poisoned".into()).into())
    }

    fn wake(&self) {
        if let Ok(sender) = self.wake.lock() {
            let _ = sender.send(());
        }
    }
}

/// Runs blocking work (network, PDF) off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Answer<T> + Send + 'static) -> Answer<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::from(Error::Internal(e.to_string())))?
}

#[tauri::command]
async fn sync_status(desk: State<'_, Desk>) -> Answer<SyncStatus> {
    Ok(desk.store()?.sync_status()?)
}

/// Registers this laptop with the head office under the advisor's login; the token goes to
/// the keyring and the first sync starts.
#[tauri::command]
async fn register_device(
    desk: State<'_, Desk>,
    server: String,
    login: String,
    password: String,
) -> Answer<SyncStatus> {
    let device_id = desk.store()?.device_id()?;
    let answer = blocking(move || {
        let client = Client::new(&server, None).map_err(|e| e.to_api())?;
        let registered = client
            .register(&RegisterRequest {
                login,
                password,
                device_id,
                device_name: "Permanence".into(),
            })
            .map_err(|e| e.to_api())?;
        Ok((server, registered))
    })
    .await?;
    let (server, registered) = answer;
    desk.keystore.set(device_id, &registered.token)?;
    let status = {
        let mut store = desk.store()?;
        store.set_server(&check_url(&server).unwrap_or(server), &registered.advisor)?;
        store.sync_status()?
    };
    desk.wake();
    Ok(status)
}

#[tauri::command]
async fn sync_now(desk: State<'_, Desk>) -> Answer<()> {
    desk.wake();
    Ok(())
}

#[tauri::command]
async fn list_conflicts(desk: State<'_, Desk>) -> Answer<Vec<ConflictRecord>> {
    Ok(desk.store()?.list_conflicts()?)
}

#[tauri::command]
async fn settle_conflict(desk: State<'_, Desk>, id: i64, how: Settle) -> Answer<Option<Dossier>> {
    let dossier = desk.store()?.settle_conflict(id, how)?;
    desk.wake();
    Ok(dossier)
}

#[tauri::command]
async fn list_refused(desk: State<'_, Desk>) -> Answer<Vec<RefusedChange>> {
    Ok(desk.store()?.list_refused()?)
}

#[tauri::command]
async fn list_dossiers(desk: State<'_, Desk>, query: DossierQuery) -> Answer<DossierPage> {
    Ok(desk.store()?.list_dossiers(&query)?)
}

#[tauri::command]
async fn dossier_facets(desk: State<'_, Desk>) -> Answer<DossierFacets> {
    Ok(desk.store()?.dossier_facets()?)
}

#[tauri::command]
async fn get_dossier(desk: State<'_, Desk>, id: Uuid) -> Answer<Dossier> {
    Ok(desk.store()?.get_dossier(id)?)
}

#[tauri::command]
async fn get_deleted_dossier(desk: State<'_, Desk>, id: Uuid) -> Answer<Dossier> {
    Ok(desk.store()?.get_deleted_dossier(id)?)
}

#[tauri::command]
async fn delete_dossier(desk: State<'_, Desk>, id: Uuid) -> Answer<()> {
    Ok(desk.store()?.delete_dossier(id)?)
}

#[tauri::command]
async fn create_dossier(desk: State<'_, Desk>, draft: DossierDraft) -> Answer<Dossier> {
    Ok(desk.store()?.create_dossier(&draft)?)
}

#[tauri::command]
async fn set_field(desk: State<'_, Desk>, edit: FieldEdit) -> Answer<Dossier> {
    Ok(desk.store()?.set_field(&edit)?)
}

#[tauri::command]
async fn add_holder(
    desk: State<'_, Desk>,
    dossier_id: Uuid,
    draft: HolderDraft,
) -> Answer<Dossier> {
    Ok(desk.store()?.add_holder(dossier_id, &draft)?)
}

#[tauri::command]
async fn add_financing_line(
    desk: State<'_, Desk>,
    dossier_id: Uuid,
    category: FinancingCategory,
) -> Answer<Dossier> {
    Ok(desk.store()?.add_financing_line(dossier_id, category)?)
}

#[tauri::command]
async fn remove_financing_line(desk: State<'_, Desk>, line_id: Uuid) -> Answer<Dossier> {
    Ok(desk.store()?.remove_financing_line(line_id)?)
}

#[tauri::command]
async fn add_note(
    desk: State<'_, Desk>,
    dossier_id: Uuid,
    body: String,
    supersedes: Option<Uuid>,
) -> Answer<Dossier> {
    Ok(desk.store()?.add_note(dossier_id, &body, supersedes)?)
}

#[tauri::command]
async fn move_status(
    desk: State<'_, Desk>,
    dossier_id: Uuid,
    to: DossierStatus,
) -> Answer<Dossier> {
    Ok(desk.store()?.move_status(dossier_id, to)?)
}

#[tauri::command]
async fn list_sessions(desk: State<'_, Desk>) -> Answer<Vec<Session>> {
    Ok(desk.store()?.list_sessions()?)
}

#[tauri::command]
async fn get_session(desk: State<'_, Desk>, id: Uuid) -> Answer<SessionView> {
    Ok(desk.store()?.get_session(id)?)
}

#[tauri::command]
async fn create_session(desk: State<'_, Desk>, draft: SessionDraft) -> Answer<Session> {
    Ok(desk.store()?.create_session(&draft)?)
}

#[tauri::command]
async fn get_settings(desk: State<'_, Desk>) -> Answer<PlatformSettings> {
    Ok(desk.store()?.settings().clone())
}

#[tauri::command]
async fn save_settings(
    desk: State<'_, Desk>,
    settings: PlatformSettings,
) -> Answer<PlatformSettings> {
    Ok(desk.store()?.save_settings(settings)?)
}

#[tauri::command]
fn search_communes(query: String) -> Vec<&'static Commune> {
    reference::search_communes(&query, 20)
}

#[tauri::command]
fn communes_for_postal_code(code: String) -> Vec<&'static Commune> {
    reference::communes_for_postal_code(&code)
}

#[tauri::command]
fn search_naf(query: String) -> Vec<&'static NafEntry> {
    reference::search_naf(&query, 20)
}

#[tauri::command]
fn search_epcis(query: String) -> Vec<&'static Epci> {
    reference::search_epcis(&query, 20)
}

/// The data folder: `PERMANENCE_DATA_DIR` when set (tests, `make run`), else the platform's
/// app data folder (`~/.local/share/fr.initiative-france.permanence` on Linux).
fn data_dir(app: &tauri::App) -> Result<PathBuf, tauri::Error> {
    match std::env::var_os("PERMANENCE_DATA_DIR") {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => app.path().app_data_dir(),
    }
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let result = tauri::Builder::default()
        .setup(|app| {
            let dir = data_dir(app)?;
            tracing::info!(dir = %dir.display(), "opening the laptop store");
            let store = Store::open_in_dir(&dir)
                .map(|s| Arc::new(Mutex::new(s)))
                .map_err(ApiError::from);
            if let Err(err) = &store {
                tracing::error!(message = %err.message, "the laptop store could not be opened");
            }
            let keystore: Arc<dyn Keystore> = Arc::new(FallbackKeystore::default());
            let (wake, woken) = channel();
            if let Ok(shared) = &store {
                let (shared, keys, handle) =
                    (shared.clone(), keystore.clone(), app.handle().clone());
                std::thread::spawn(move || {
                    auto::run(shared, keys, woken, Pace::default(), |event| {
                        let _ = handle.emit("sync-event", event);
                    })
                });
            }
            app.manage(Desk {
                store,
                keystore,
                wake: Mutex::new(wake),
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            list_dossiers,
            dossier_facets,
            get_dossier,
            get_deleted_dossier,
            delete_dossier,
            create_dossier,
            set_field,
            add_holder,
            add_financing_line,
            remove_financing_line,
            add_note,
            move_status,
            list_sessions,
            get_session,
            create_session,
            get_settings,
            save_settings,
            search_communes,
            communes_for_postal_code,
            search_naf,
            search_epcis,
            sync_status,
            register_device,
            sync_now,
            list_conflicts,
            settle_conflict,
            list_refused,
        ])
        .run(tauri::generate_context!());
    if let Err(err) = result {
        tracing::error!(%err, "Permanence could not start");
        std::process::exit(1);
    }
}
