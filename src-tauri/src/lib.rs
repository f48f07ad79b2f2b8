//! The desktop shell: opens the laptop store in the app's data folder and exposes the core to
//! the UI as Tauri commands. Each command is a line or two calling the core; nothing here
//! decides anything about dossiers.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use permanence::dossier::{Dossier, DossierDraft, DossierSummary};
use permanence::store::Store;
use permanence::{ApiError, Error};
use tauri::{Manager, State};
use uuid::Uuid;

/// The store, or the reason it could not be opened (shown by every screen instead of a crash:
/// a database from a newer version, say).
pub struct Desk(Result<Mutex<Store>, ApiError>);

impl Desk {
    pub fn open(dir: &std::path::Path) -> Desk {
        Desk(
            Store::open_in_dir(dir)
                .map(Mutex::new)
                .map_err(ApiError::from),
        )
    }

    fn store(&self) -> Result<MutexGuard<'_, Store>, ApiError> {
        let store = self.0.as_ref().map_err(Clone::clone)?;
        store
            .lock()
            .map_err(|_| Error::Internal("store lock poisoned".into()).into())
    }
}

#[tauri::command]
async fn list_dossiers(desk: State<'_, Desk>) -> Result<Vec<DossierSummary>, ApiError> {
    Ok(desk.store()?.list_dossiers()?)
}

#[tauri::command]
async fn get_dossier(desk: State<'_, Desk>, id: Uuid) -> Result<Dossier, ApiError> {
    Ok(desk.store()?.get_dossier(id)?)
}

#[tauri::command]
async fn create_dossier(desk: State<'_, Desk>, draft: DossierDraft) -> Result<Dossier, ApiError> {
    Ok(desk.store()?.create_dossier(&draft)?)
}

#[tauri::command]
async fn update_dossier(
    desk: State<'_, Desk>,
    id: Uuid,
    draft: DossierDraft,
) -> Result<Dossier, ApiError> {
    Ok(desk.store()?.update_dossier(id, &draft)?)
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
            let desk = Desk::open(&dir);
            if let Err(err) = &desk.0 {
                tracing::error!(message = %err.message, "the laptop store could not be opened");
            }
            app.manage(desk);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            list_dossiers,
            get_dossier,
            create_dossier,
            update_dossier
        ])
        .run(tauri::generate_context!());
    if let Err(err) = result {
        tracing::error!(%err, "Permanence could not start");
        std::process::exit(1);
    }
}
