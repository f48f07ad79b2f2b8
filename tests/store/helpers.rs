//! Fixtures for the store tests: temporary store files and typical drafts.

use std::path::PathBuf;

use permanence::dossier::{Civility, DossierDraft, HolderDraft, ProjectType};
use permanence::store::Store;
use tempfile::TempDir;

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
}

pub fn draft(last_name: &str, commune: &str) -> DossierDraft {
    DossierDraft {
        project_type: Some(ProjectType::Creation),
        idea: "Épicerie vrac".into(),
        holders: vec![HolderDraft {
            civility: Some(Civility::Madame),
            last_name: last_name.into(),
            first_name: "Élodie".into(),
            phone: "03 21 04 56 78".into(),
            commune: commune.into(),
        }],
    }
}
