//! The desktop shell: opens the laptop store in the app's data folder and exposes the core to
//! the UI as Tauri commands. Each command is a line or two calling the core; nothing here
//! decides anything about dossiers.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use permanence::breakdown::parse_until;
use permanence::checkpoint::{CheckpointDraft, CheckpointDue};
use permanence::codes::{DossierStatus, FinancingCategory};
use permanence::credentials::{self, Opening, OsCredentials, StoreAccess, TokenPlace};
use permanence::dossier::{Dossier, DossierDraft, DossierSummary, HolderDraft};
use permanence::field::FieldEdit;
use permanence::indicators::Dashboard;
use permanence::ledger::{LoanAgreement, MovementDraft};
use permanence::mentoring::{MeetingDraft, Mentor, MentorForm, PairingEnd, PairingForm};
use permanence::reference::{self, Commune, Epci, NafEntry};
use permanence::settings::PlatformSettings;
use permanence::statement::{ImportReport, StatementMapping, StatementReading};
use permanence::store::DATABASE_FILE;
use permanence::store::{
    Committee, CommitteeDraft, DecisionInput, DossierFacets, DossierPage, DossierQuery, LoanView,
    Session, SessionDraft, SessionView, Store,
};
use permanence::store::{HolderChoice, MentorView, WorkshopView};
use permanence::store::{RefusedChange, Settle, SyncStatus};
use permanence::summary::charts::Chart;
use permanence::summary::export::ExportFormat;
use permanence::summary::{self, PrintPreview, PrintSpool, Printing as _, Printouts};
use permanence::sync::auto::{self, Pace};
use permanence::sync::client::Client;
use permanence::sync::keystore::{FallbackKeystore, Keystore, StoreKeystore};
use permanence::sync::protocol::{ConflictRecord, RegisterRequest};
use permanence::workshop::{Workshop, WorkshopDraft};
use permanence::{ApiError, Error};
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;
use uuid::Uuid;

/// The store once open, or where the app stands without it (its passphrase to ask for, or
/// the reason it could not be opened, shown by every screen instead of a crash: a database
/// from a newer version, say), with what sync needs beside it.
pub struct Desk {
    /// The store, from the start or once its passphrase is given.
    opened: OnceLock<Arc<Mutex<Store>>>,
    access: Mutex<StoreAccess>,
    /// The store's file, opened again with the passphrase.
    path: PathBuf,
    /// Where the device's token is kept, once the store is open (`credentials`).
    keystore: OnceLock<Arc<dyn Keystore>>,
    /// Wakes the automatic sync ("Synchroniser", a registration).
    wake: Mutex<Sender<()>>,
    /// The automatic sync's end of `wake`, until it starts with the store.
    woken: Mutex<Option<Receiver<()>>>,
    /// The documents last previewed, which "Imprimer" and "Enregistrer le PDF…" act on.
    printouts: Arc<Printouts>,
    /// Where PDFs wait for the system's viewer.
    spool: Arc<PrintSpool>,
}

type Answer<T> = Result<T, ApiError>;

impl Desk {
    fn store(&self) -> Result<MutexGuard<'_, Store>, ApiError> {
        let store = self.opened.get().ok_or_else(|| self.access().error())?;
        store
            .lock()
            .map_err(|_| Error::Internal("store lock poisoned".into()).into())
    }

    fn access(&self) -> StoreAccess {
        match self.access.lock() {
            Ok(access) => access.clone(),
            Err(_) => StoreAccess::Refused {
                error: Error::Internal("access lock poisoned".into()).into(),
            },
        }
    }

    fn set_access(&self, access: StoreAccess) -> StoreAccess {
        if let Ok(mut held) = self.access.lock() {
            *held = access.clone();
        }
        access
    }

    fn keystore(&self) -> Result<&Arc<dyn Keystore>, ApiError> {
        self.keystore.get().ok_or_else(|| self.access().error())
    }

    /// Takes what opening gave: the store (its token's keystore chosen, the automatic sync
    /// started) or the passphrase to ask for.
    fn take(&self, app: &AppHandle, opening: Result<Opening, Error>) -> StoreAccess {
        match opening {
            Ok(Opening::Opened(opened)) => {
                let shared = Arc::new(Mutex::new(opened.store));
                let keystore: Arc<dyn Keystore> = match opened.tokens {
                    TokenPlace::Store => Arc::new(StoreKeystore(shared.clone())),
                    TokenPlace::CredentialStore | TokenPlace::Unencrypted => {
                        Arc::new(FallbackKeystore::default())
                    }
                };
                if self.opened.set(shared.clone()).is_err() {
                    return StoreAccess::Open;
                }
                let _ = self.keystore.set(keystore.clone());
                given_token(&shared, &*keystore);
                let woken = self.woken.lock().ok().and_then(|mut w| w.take());
                if let Some(woken) = woken {
                    let handle = app.clone();
                    std::thread::spawn(move || {
                        auto::run(shared, keystore, woken, Pace::default(), |event| {
                            let _ = handle.emit("sync-event", event);
                        })
                    });
                }
                self.set_access(StoreAccess::Open)
            }
            Ok(Opening::NeedsPassphrase { choosing }) => {
                self.set_access(StoreAccess::Passphrase { choosing })
            }
            Err(err) => {
                let error = ApiError::from(err);
                tracing::error!(message = %error.message, "the laptop store could not be opened");
                self.set_access(StoreAccess::Refused { error })
            }
        }
    }

    fn wake(&self) {
        if let Ok(sender) = self.wake.lock() {
            let _ = sender.send(());
        }
    }
}

/// How long the registration request may take before the app gives up.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs blocking work (network, PDF) off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Answer<T> + Send + 'static) -> Answer<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::from(Error::Internal(e.to_string())))?
}

/// Whether the store is open, waits for its passphrase, or was refused.
#[tauri::command]
async fn store_access(desk: State<'_, Desk>) -> Answer<StoreAccess> {
    Ok(desk.access())
}

/// Opens the store with the advisor's passphrase (chosen now, at first start, where the
/// machine has no credential store); a wrong one is refused and may be typed again.
#[tauri::command]
async fn unlock_store(
    app: AppHandle,
    desk: State<'_, Desk>,
    passphrase: String,
) -> Answer<StoreAccess> {
    if desk.opened.get().is_some() {
        return Ok(StoreAccess::Open);
    }
    let path = desk.path.clone();
    // A wrong or too short passphrase is answered as an error: the lock screen stays.
    let opening = blocking(move || {
        Ok(credentials::open_store(
            &path,
            &OsCredentials,
            Some(&passphrase),
        )?)
    })
    .await?;
    Ok(desk.take(&app, Ok(opening)))
}

#[tauri::command]
async fn sync_status(desk: State<'_, Desk>) -> Answer<SyncStatus> {
    Ok(desk.store()?.sync_status()?)
}

/// Registers this laptop with the head office under the advisor's login; the token goes to
/// the keyring and the first sync starts. `certificate` is the PEM of the network's own
/// certificate authority, when the head office's certificate comes from it.
#[tauri::command]
async fn register_device(
    desk: State<'_, Desk>,
    server: String,
    login: String,
    password: String,
    certificate: Option<String>,
) -> Answer<SyncStatus> {
    let device_id = desk.store()?.device_id()?;
    let (server, registered, certificate) = blocking(move || {
        let client = Client::connect(&server, None, certificate.as_deref(), REQUEST_TIMEOUT)
            .map_err(|e| e.to_api())?;
        let registered = client
            .register(&RegisterRequest {
                login,
                password,
                device_id,
                device_name: "Permanence".into(),
            })
            .map_err(|e| e.at_address(client.base()))?;
        Ok((client.base().to_owned(), registered, certificate))
    })
    .await?;
    desk.keystore()?.set(device_id, &registered.token)?;
    let status = {
        let mut store = desk.store()?;
        store.set_server(&server, &registered.advisor, certificate.as_deref())?;
        store.sync_status()?
    };
    desk.wake();
    Ok(status)
}

/// The head office's address to offer in the setup form: `PERMANENCE_HEAD_OFFICE_URL` when
/// set (`make run` sets it to the head office it starts), else none.
#[tauri::command]
async fn default_server() -> Answer<Option<String>> {
    Ok(std::env::var("PERMANENCE_HEAD_OFFICE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty()))
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
async fn indicators(desk: State<'_, Desk>, year: i32, until: Option<String>) -> Answer<Dashboard> {
    let until = until
        .map(|day| permanence::dates::parse_date(&day).map_err(|m| Error::field("until", m)))
        .transpose()?;
    Ok(desk.store()?.indicators(year, until)?.dashboard())
}

/// The list lines of a figure's dossiers (the tableau de bord opens each figure's list).
#[tauri::command]
async fn dossier_summaries(desk: State<'_, Desk>, ids: Vec<Uuid>) -> Answer<Vec<DossierSummary>> {
    Ok(desk.store()?.dossier_summaries(&ids)?)
}

#[tauri::command]
async fn loan_views(desk: State<'_, Desk>, dossier_id: Uuid) -> Answer<Vec<LoanView>> {
    Ok(desk.store()?.loan_views(dossier_id)?)
}

#[tauri::command]
async fn add_loan(
    desk: State<'_, Desk>,
    dossier_id: Uuid,
    agreement: LoanAgreement,
) -> Answer<Dossier> {
    Ok(desk.store()?.add_loan(dossier_id, &agreement)?)
}

#[tauri::command]
async fn remove_loan(desk: State<'_, Desk>, loan_id: Uuid) -> Answer<Dossier> {
    Ok(desk.store()?.remove_loan(loan_id)?)
}

#[tauri::command]
async fn add_loan_movement(desk: State<'_, Desk>, draft: MovementDraft) -> Answer<Dossier> {
    Ok(desk.store()?.add_loan_movement(&draft)?)
}

#[tauri::command]
async fn remove_loan_movement(desk: State<'_, Desk>, movement_id: Uuid) -> Answer<Dossier> {
    Ok(desk.store()?.remove_loan_movement(movement_id)?)
}

/// The bank statement's column mappings saved on this laptop, by name.
#[tauri::command]
async fn statement_mappings(desk: State<'_, Desk>) -> Answer<BTreeMap<String, StatementMapping>> {
    Ok(desk.store()?.statement_mappings()?)
}

#[tauri::command]
async fn save_statement_mapping(
    desk: State<'_, Desk>,
    name: String,
    mapping: StatementMapping,
) -> Answer<()> {
    Ok(desk.store()?.save_statement_mapping(&name, &mapping)?)
}

/// A statement as the import would read it (its layout and operations), recording nothing.
#[tauri::command]
async fn read_statement(
    desk: State<'_, Desk>,
    bytes: Vec<u8>,
    mapping: Option<String>,
) -> Answer<StatementReading> {
    Ok(desk.store()?.read_statement(&bytes, mapping.as_deref())?)
}

/// Imports a statement's repayments, all or nothing.
#[tauri::command]
async fn import_statement(
    desk: State<'_, Desk>,
    bytes: Vec<u8>,
    mapping: Option<String>,
) -> Answer<ImportReport> {
    Ok(desk.store()?.import_statement(&bytes, mapping.as_deref())?)
}

/// The follow-up checkpoints due in the month of `month` (a day) or overdue then.
#[tauri::command]
async fn checkpoints_due(desk: State<'_, Desk>, month: String) -> Answer<Vec<CheckpointDue>> {
    let month = permanence::dates::parse_date(&month).map_err(|m| Error::field("month", m))?;
    Ok(desk.store()?.checkpoints_due(month)?)
}

#[tauri::command]
async fn add_checkpoint(
    desk: State<'_, Desk>,
    dossier_id: Uuid,
    draft: CheckpointDraft,
) -> Answer<Dossier> {
    Ok(desk.store()?.add_checkpoint(dossier_id, &draft)?)
}

#[tauri::command]
async fn remove_checkpoint(desk: State<'_, Desk>, checkpoint_id: Uuid) -> Answer<Dossier> {
    Ok(desk.store()?.remove_checkpoint(checkpoint_id)?)
}

#[tauri::command]
async fn mentors(desk: State<'_, Desk>) -> Answer<Vec<MentorView>> {
    Ok(desk.store()?.mentors()?)
}

#[tauri::command]
async fn save_mentor(
    desk: State<'_, Desk>,
    mentor_id: Option<Uuid>,
    form: MentorForm,
) -> Answer<Mentor> {
    Ok(desk.store()?.save_mentor(mentor_id, &form)?)
}

#[tauri::command]
async fn add_pairing(
    desk: State<'_, Desk>,
    dossier_id: Uuid,
    form: PairingForm,
) -> Answer<Dossier> {
    Ok(desk
        .store()?
        .add_pairing(dossier_id, form.mentor_id, form.start_on, None)?)
}

#[tauri::command]
async fn end_pairing(desk: State<'_, Desk>, end: PairingEnd) -> Answer<Dossier> {
    Ok(desk.store()?.end_pairing(end.pairing_id, end.end_on)?)
}

#[tauri::command]
async fn remove_pairing(desk: State<'_, Desk>, pairing_id: Uuid) -> Answer<Dossier> {
    Ok(desk.store()?.remove_pairing(pairing_id)?)
}

#[tauri::command]
async fn add_meeting(desk: State<'_, Desk>, draft: MeetingDraft) -> Answer<Dossier> {
    Ok(desk.store()?.add_meeting(&draft)?)
}

#[tauri::command]
async fn remove_meeting(desk: State<'_, Desk>, meeting_id: Uuid) -> Answer<Dossier> {
    Ok(desk.store()?.remove_meeting(meeting_id)?)
}

#[tauri::command]
async fn workshops(desk: State<'_, Desk>) -> Answer<Vec<Workshop>> {
    Ok(desk.store()?.workshops()?)
}

#[tauri::command]
async fn workshop(desk: State<'_, Desk>, workshop_id: Uuid) -> Answer<WorkshopView> {
    Ok(desk.store()?.workshop(workshop_id)?)
}

#[tauri::command]
async fn create_workshop(desk: State<'_, Desk>, draft: WorkshopDraft) -> Answer<Workshop> {
    Ok(desk.store()?.create_workshop(&draft)?)
}

#[tauri::command]
async fn register_holder(
    desk: State<'_, Desk>,
    workshop_id: Uuid,
    holder_id: Uuid,
) -> Answer<WorkshopView> {
    Ok(desk.store()?.register(workshop_id, holder_id)?)
}

#[tauri::command]
async fn unregister_holder(
    desk: State<'_, Desk>,
    workshop_id: Uuid,
    holder_id: Uuid,
) -> Answer<WorkshopView> {
    Ok(desk.store()?.unregister(workshop_id, holder_id)?)
}

#[tauri::command]
async fn set_present(
    desk: State<'_, Desk>,
    workshop_id: Uuid,
    holder_id: Uuid,
    present: bool,
) -> Answer<WorkshopView> {
    Ok(desk.store()?.set_present(workshop_id, holder_id, present)?)
}

#[tauri::command]
async fn holder_choices(desk: State<'_, Desk>, search: String) -> Answer<Vec<HolderChoice>> {
    Ok(desk.store()?.holder_choices(&search)?)
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

#[tauri::command]
async fn list_committees(desk: State<'_, Desk>) -> Answer<Vec<Committee>> {
    Ok(desk.store()?.list_committees()?)
}

#[tauri::command]
async fn get_committee(desk: State<'_, Desk>, id: Uuid) -> Answer<Committee> {
    Ok(desk.store()?.get_committee(id)?)
}

#[tauri::command]
async fn create_committee(desk: State<'_, Desk>, draft: CommitteeDraft) -> Answer<Committee> {
    Ok(desk.store()?.create_committee(&draft)?)
}

#[tauri::command]
async fn add_to_agenda(
    desk: State<'_, Desk>,
    committee_id: Uuid,
    dossier_id: Uuid,
) -> Answer<Committee> {
    Ok(desk.store()?.add_to_agenda(committee_id, dossier_id)?)
}

#[tauri::command]
async fn remove_from_agenda(
    desk: State<'_, Desk>,
    committee_id: Uuid,
    dossier_id: Uuid,
) -> Answer<Committee> {
    Ok(desk.store()?.remove_from_agenda(committee_id, dossier_id)?)
}

#[tauri::command]
async fn record_decision(
    desk: State<'_, Desk>,
    dossier_id: Uuid,
    input: DecisionInput,
) -> Answer<Dossier> {
    Ok(desk.store()?.record_decision(dossier_id, &input)?)
}

/// Typesets a dossier's summary for the preview (the store is free again meanwhile).
#[tauri::command]
async fn preview_summary(desk: State<'_, Desk>, dossier_id: Uuid) -> Answer<PrintPreview> {
    let (job, printouts) = (
        desk.store()?.summary_job(dossier_id)?,
        desk.printouts.clone(),
    );
    blocking(move || Ok(printouts.keep(job.typeset()?))).await
}

/// Typesets a committee's pack for the preview.
#[tauri::command]
async fn preview_pack(desk: State<'_, Desk>, committee_id: Uuid) -> Answer<PrintPreview> {
    let (job, printouts) = (
        desk.store()?.pack_job(committee_id)?,
        desk.printouts.clone(),
    );
    blocking(move || Ok(printouts.keep(job.typeset()?))).await
}

/// One page of a previewed document, as an image address.
#[tauri::command]
async fn preview_page(desk: State<'_, Desk>, id: Uuid, index: usize, scale: f64) -> Answer<String> {
    let printout = desk.printouts.get(id)?;
    blocking(move || Ok(printout.page_image(index, scale)?)).await
}

/// Hands the previewed PDF to the system's viewer, to print from there (the webview's own
/// printing ignores page margins); returns where the file is.
#[tauri::command]
async fn print_printout(app: AppHandle, desk: State<'_, Desk>, id: Uuid) -> Answer<PathBuf> {
    let (printout, spool) = (desk.printouts.get(id)?, desk.spool.clone());
    blocking(move || open_in_viewer(&app, spool.write(&printout)?)).await
}

/// Saves the previewed PDF where the person chooses; nothing when they cancel.
#[tauri::command]
async fn save_printout(app: AppHandle, desk: State<'_, Desk>, id: Uuid) -> Answer<Option<PathBuf>> {
    let printout = desk.printouts.get(id)?;
    blocking(move || match pdf_destination(&app, printout.file_name()) {
        Some(path) => Ok(Some(printout.save_as(&path)?)),
        None => Ok(None),
    })
    .await
}

/// The tableau de bord's charts as SVG, the same the annual report prints.
#[tauri::command]
async fn dashboard_charts(
    desk: State<'_, Desk>,
    year: i32,
    until: Option<String>,
) -> Answer<Vec<Chart>> {
    let report = desk
        .store()?
        .activity_report(year, parse_until(until.as_deref())?)?;
    Ok(summary::charts::charts(&report)?)
}

/// Typesets the annual report ("Rapport d'activité") for the preview.
#[tauri::command]
async fn preview_report(
    desk: State<'_, Desk>,
    year: i32,
    until: Option<String>,
) -> Answer<PrintPreview> {
    let (job, printouts) = (
        desk.store()?
            .report_job(year, parse_until(until.as_deref())?)?,
        desk.printouts.clone(),
    );
    blocking(move || Ok(printouts.keep(job.typeset()?))).await
}

/// Saves the accountant's export of `year` (`xlsx` or `csv`) where the person chooses;
/// the files written, nothing when they cancel.
#[tauri::command]
async fn save_export(
    app: AppHandle,
    desk: State<'_, Desk>,
    year: i32,
    format: String,
) -> Answer<Option<Vec<PathBuf>>> {
    let (format, accounts) = (ExportFormat::named(&format)?, desk.store()?.accounts(year)?);
    blocking(move || {
        export_destination(&app, year, format)
            .map(|path| accounts.save(&path))
            .transpose()
            .map_err(Into::into)
    })
    .await
}

/// Where to save the accountant's export: like `pdf_destination`, for a workbook or CSV.
fn export_destination(app: &AppHandle, year: i32, format: ExportFormat) -> Option<PathBuf> {
    let file_name = summary::export::export_file_name(year, format);
    if let Some(dir) = std::env::var_os("PERMANENCE_SAVE_TO").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join(file_name));
    }
    let (title, kind) = match format {
        ExportFormat::Xlsx => ("Enregistrer l'export comptable", "Classeur Excel"),
        ExportFormat::Csv => (
            "Enregistrer l'export comptable (CSV, un fichier par tableau)",
            "Fichier CSV",
        ),
    };
    let mut dialog = app
        .dialog()
        .file()
        .set_title(title)
        .set_file_name(&file_name)
        .add_filter(kind, &[format.extension()]);
    if let Ok(documents) = app.path().document_dir() {
        dialog = dialog.set_directory(documents);
    }
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.set_parent(&window);
    }
    dialog.blocking_save_file()?.into_path().ok()
}

/// The warnings a platform's template and logo would give, before they are saved.
#[tauri::command]
async fn check_summary_settings(settings: PlatformSettings) -> Answer<Vec<String>> {
    blocking(move || Ok(summary::check_settings(&settings)?)).await
}

fn open_in_viewer(app: &AppHandle, path: PathBuf) -> Answer<PathBuf> {
    match app.opener().open_path(path.to_string_lossy(), None::<&str>) {
        Ok(()) => Ok(path),
        Err(error) => {
            tracing::warn!(%error, "no viewer for the PDF");
            Err(Error::NoViewer { path }.into())
        }
    }
}

/// Where to save a PDF: in the folder named by `PERMANENCE_SAVE_TO` when it is set (the
/// end-to-end tests: WebDriver cannot drive a native dialog), else where the person chooses
/// in the system's save dialog, which opens on their documents folder with the file's name.
/// Runs on a blocking thread (the dialog waits for the person).
fn pdf_destination(app: &AppHandle, file_name: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PERMANENCE_SAVE_TO").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join(file_name));
    }
    let mut dialog = app
        .dialog()
        .file()
        .set_title("Enregistrer le PDF")
        .set_file_name(file_name)
        .add_filter("Document PDF", &["pdf"]);
    if let Ok(documents) = app.path().document_dir() {
        dialog = dialog.set_directory(documents);
    }
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.set_parent(&window);
    }
    dialog.blocking_save_file()?.into_path().ok()
}

/// The data folder: `PERMANENCE_DATA_DIR` when set (tests, `make run`), else the platform's
/// app data folder (`~/.local/share/fr.initiative-france.permanence` on Linux).
fn data_dir(app: &tauri::App) -> Result<PathBuf, tauri::Error> {
    match std::env::var_os("PERMANENCE_DATA_DIR") {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => app.path().app_data_dir(),
    }
}

/// A token given by `PERMANENCE_TOKEN` (as the command line's `sync` takes it), for a store
/// registered from the command line on a machine without a keyring (`make run` under Xvfb):
/// kept as a registration keeps its token, for this store's device.
fn given_token(store: &Mutex<Store>, keystore: &dyn Keystore) {
    let Some(token) = std::env::var("PERMANENCE_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
    else {
        return;
    };
    let device = store.lock().ok().and_then(|s| s.device_id().ok());
    if let Some(device) = device {
        if let Err(err) = keystore.set(device, token.trim()) {
            tracing::warn!(message = %err, "the token given by PERMANENCE_TOKEN was not kept");
        }
    }
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            let dir = data_dir(app)?;
            let path = dir.join(DATABASE_FILE);
            tracing::info!(dir = %dir.display(), "opening the laptop store");
            let (wake, woken) = channel();
            let spool = PrintSpool::new(app.path().app_cache_dir()?.join("impressions"));
            spool.sweep(PrintSpool::KEEP);
            // Fonts and typst's library are parsed now, so the first preview is quick.
            std::thread::spawn(summary::warm_up);
            app.manage(Desk {
                opened: OnceLock::new(),
                access: Mutex::new(StoreAccess::Passphrase { choosing: false }),
                path: path.clone(),
                keystore: OnceLock::new(),
                wake: Mutex::new(wake),
                woken: Mutex::new(Some(woken)),
                printouts: Arc::new(Printouts::new()),
                spool: Arc::new(spool),
            });
            // The key from the system's credential store; where there is none, the screens
            // ask for the passphrase (`unlock_store`).
            let desk = app.state::<Desk>();
            desk.take(
                app.handle(),
                credentials::open_store(&path, &OsCredentials, None),
            );
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
            loan_views,
            indicators,
            dossier_summaries,
            add_loan,
            remove_loan,
            add_loan_movement,
            remove_loan_movement,
            statement_mappings,
            save_statement_mapping,
            read_statement,
            import_statement,
            checkpoints_due,
            add_checkpoint,
            remove_checkpoint,
            mentors,
            save_mentor,
            add_pairing,
            end_pairing,
            remove_pairing,
            add_meeting,
            remove_meeting,
            workshops,
            workshop,
            create_workshop,
            register_holder,
            unregister_holder,
            set_present,
            holder_choices,
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
            store_access,
            unlock_store,
            default_server,
            sync_now,
            list_conflicts,
            settle_conflict,
            list_refused,
            list_committees,
            get_committee,
            create_committee,
            add_to_agenda,
            remove_from_agenda,
            record_decision,
            preview_summary,
            preview_pack,
            preview_page,
            print_printout,
            save_printout,
            check_summary_settings,
            dashboard_charts,
            preview_report,
            save_export,
        ])
        .run(tauri::generate_context!());
    if let Err(err) = result {
        tracing::error!(%err, "Permanence could not start");
        std::process::exit(1);
    }
}
