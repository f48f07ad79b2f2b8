//! TypeScript bindings for every type that crosses IPC, generated from the Rust types with
//! `ts-rs` into `ui/src/lib/bindings/`. The files are committed; a test fails when they are
//! stale (`make bindings` rewrites them).

use std::path::Path;

use ts_rs::{Config, ExportError, TS};

use crate::dossier::{Dossier, DossierDraft, DossierSummary};
use crate::error::ApiError;
use crate::field::FieldEdit;
use crate::reference::{Commune, Epci, NafEntry};
use crate::settings::PlatformSettings;
use crate::store::{
    Committee, CommitteeDraft, DecisionInput, DossierFacets, DossierPage, DossierQuery,
    SessionDraft, SessionView,
};

/// Where the UI keeps the generated files, relative to the workspace root.
pub const UI_BINDINGS_DIR: &str = "ui/src/lib/bindings";

/// Writes the bindings of every IPC type, with their dependencies, into `dir`.
pub fn export_all(dir: &Path) -> Result<(), ExportError> {
    // Amounts are cents and counts are small: plain JS numbers are exact up to 2^53.
    let cfg = Config::new().with_out_dir(dir).with_large_int("number");
    ApiError::export_all(&cfg)?;
    Dossier::export_all(&cfg)?;
    DossierDraft::export_all(&cfg)?;
    DossierSummary::export_all(&cfg)?;
    Commune::export_all(&cfg)?;
    Epci::export_all(&cfg)?;
    NafEntry::export_all(&cfg)?;
    FieldEdit::export_all(&cfg)?;
    DossierQuery::export_all(&cfg)?;
    DossierPage::export_all(&cfg)?;
    DossierFacets::export_all(&cfg)?;
    SessionDraft::export_all(&cfg)?;
    SessionView::export_all(&cfg)?;
    PlatformSettings::export_all(&cfg)?;
    crate::store::SyncStatus::export_all(&cfg)?;
    #[cfg(feature = "keyring")]
    crate::credentials::StoreAccess::export_all(&cfg)?;
    crate::store::RefusedChange::export_all(&cfg)?;
    crate::store::Settle::export_all(&cfg)?;
    crate::sync::client::SyncReport::export_all(&cfg)?;
    crate::sync::client::SyncProgress::export_all(&cfg)?;
    crate::sync::auto::SyncEvent::export_all(&cfg)?;
    crate::sync::protocol::ConflictRecord::export_all(&cfg)?;
    Committee::export_all(&cfg)?;
    CommitteeDraft::export_all(&cfg)?;
    DecisionInput::export_all(&cfg)?;
    crate::store::LoanView::export_all(&cfg)?;
    crate::indicators::Dashboard::export_all(&cfg)?;
    crate::ledger::LoanAgreement::export_all(&cfg)?;
    crate::ledger::MovementDraft::export_all(&cfg)?;
    crate::statement::ImportReport::export_all(&cfg)?;
    crate::statement::StatementMapping::export_all(&cfg)?;
    crate::statement::StatementReading::export_all(&cfg)?;
    crate::checkpoint::CheckpointDraft::export_all(&cfg)?;
    crate::checkpoint::CheckpointDue::export_all(&cfg)?;
    crate::summary::PrintPreview::export_all(&cfg)?;
    crate::summary::charts::Chart::export_all(&cfg)?;
    crate::mentoring::MentorForm::export_all(&cfg)?;
    crate::mentoring::MeetingDraft::export_all(&cfg)?;
    crate::mentoring::PairingForm::export_all(&cfg)?;
    crate::mentoring::PairingEnd::export_all(&cfg)?;
    crate::store::MentorView::export_all(&cfg)?;
    crate::store::WorkshopView::export_all(&cfg)?;
    crate::store::HolderChoice::export_all(&cfg)?;
    crate::workshop::WorkshopDraft::export_all(&cfg)?;
    // The French labels of every code list, from `codes`.
    std::fs::write(dir.join("labels.ts"), crate::codes::labels_typescript())?;
    // Every record kind's and every field's French label and code list, from the catalogue.
    std::fs::write(dir.join("catalogue.ts"), crate::catalogue::typescript())?;
    Ok(())
}
