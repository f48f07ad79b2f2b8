//! The desktop shell: opens the laptop store in the app's data folder and exposes the core to
//! the UI as Tauri commands. Each command is a line or two calling the core; nothing here
//! decides anything about dossiers.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use permanence::codes::{DossierStatus, FinancingCategory};
use permanence::dossier::{Dossier, DossierDraft, HolderDraft};
use permanence::field::FieldEdit;
use permanence::reference::{self, Commune, Epci, NafEntry};
use permanence::settings::PlatformSettings;
use permanence::store::{
    DossierFacets, DossierPage, DossierQuery, Session, SessionDraft, SessionView, Store,
};
use permanence::{ApiError, Error};
use tauri::{Manager, State};
use uuid::Uuid;

/// The store, or the reason it could not be opened (shown by every screen instead of a crash:
/// a database from a newer version, say).
pub struct Desk(Result<Mutex<Store>, ApiError>);

type Answer<T> = Result<T, ApiError>;

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
            let desk = Desk::open(&dir);
            if let Err(err) = &desk.0 {
                tracing::error!(message = %err.message, "the laptop store could not be opened");
            }
            app.manage(desk);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            list_dossiers,
            dossier_facets,
            get_dossier,
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
        ])
        .run(tauri::generate_context!());
    if let Err(err) = result {
        tracing::error!(%err, "Permanence could not start");
        std::process::exit(1);
    }
}
