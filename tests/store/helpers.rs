//! Fixtures for the store tests: temporary store files, typical drafts and edits.

use std::path::PathBuf;

use chrono::NaiveDate;
use permanence::codes::DossierStatus;
use permanence::dossier::{
    Civility, Dossier, DossierDraft, DossierSummary, HolderDraft, ProjectType,
};
use permanence::field::{Entity, FieldEdit};
use permanence::store::{DossierQuery, Store};
use serde_json::Value;
use tempfile::TempDir;
use uuid::Uuid;

/// INSEE codes used by the tests.
pub const HESDIN_LA_FORET: &str = "62447";
pub const FRUGES: &str = "62364";
pub const BAPAUME: &str = "62080";

/// A migrated store in a fresh temporary folder; the folder lives as long as the value.
pub struct TestStore {
    pub dir: TempDir,
    pub store: Store,
}

impl TestStore {
    pub fn new() -> TestStore {
        let dir = tempfile::tempdir().expect("temporary folder");
        let store = Store::open_in_dir(dir.path()).expect("store opens");
        TestStore { dir, store }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join(permanence::store::DATABASE_FILE)
    }

    /// Closes the store and opens the same file again, as a restarted app would.
    pub fn reopen(self) -> TestStore {
        let TestStore { dir, store } = self;
        drop(store);
        let store = Store::open_in_dir(dir.path()).expect("store reopens");
        TestStore { dir, store }
    }

    /// Every dossier of the list, with no filter.
    pub fn all(&self) -> Vec<DossierSummary> {
        self.store
            .list_dossiers(&DossierQuery::default())
            .unwrap()
            .items
    }

    /// How many dossiers a search finds.
    pub fn search(&self, text: &str) -> i64 {
        self.store
            .list_dossiers(&DossierQuery {
                search: Some(text.into()),
                ..Default::default()
            })
            .unwrap()
            .total
    }

    pub fn create(&mut self, last_name: &str, commune_insee: &str) -> Dossier {
        self.store
            .create_dossier(&draft(last_name, commune_insee))
            .unwrap()
    }

    pub fn set(&mut self, entity: Entity, id: Uuid, field: &str, value: Value) -> Dossier {
        self.store
            .set_field(&edit(entity, id, field, value))
            .unwrap_or_else(|e| panic!("{field}: {e} {:?}", e.to_api().fields))
    }
}

pub fn edit(entity: Entity, id: Uuid, field: &str, value: Value) -> FieldEdit {
    FieldEdit {
        entity,
        id,
        field: field.into(),
        value,
    }
}

pub fn draft(last_name: &str, commune_insee: &str) -> DossierDraft {
    DossierDraft {
        project_type: Some(ProjectType::Creation),
        idea: "Épicerie vrac".into(),
        holders: vec![HolderDraft {
            civility: Some(Civility::Madame),
            last_name: last_name.into(),
            first_name: "Élodie".into(),
            phone: "03 21 04 56 78".into(),
            commune_insee: commune_insee.into(),
        }],
        ..Default::default()
    }
}

/// A store of 30 demo dossiers (seed 7) made as of its clock's today, and that day.
pub fn demo() -> (TestStore, NaiveDate) {
    let mut t = TestStore::new();
    let today = t.store.clock().today();
    permanence::demo::fill(&mut t.store, 30, 7, today).unwrap();
    (t, today)
}

/// The first dossier of the list at `status`, whole.
pub fn with_status(t: &TestStore, status: DossierStatus) -> Dossier {
    let summary = t
        .all()
        .into_iter()
        .find(|d| d.status == status)
        .expect("the demo has every status");
    t.store.get_dossier(summary.id).unwrap()
}
