//! Each platform's current state as the head office holds it, materialised by the laptop's
//! own store code: a laptop store per platform that pulls the platform's log as every laptop
//! does (the same rule book, the same apply). What the head office shows of a dossier
//! (`permanence-head-office dossier show`), and what tests compare every laptop with, comes
//! from it; it is rebuilt from the log whenever it is missing or behind.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use parking_lot::Mutex;
use permanence_domain::dossier::Dossier;
use permanence_store::store::Store as Materialised;
use permanence_sync::protocol::LoggedChange;
use uuid::Uuid;

use crate::office::{Caller, HeadOffice, OfficeError, OfficeResult, Role};

/// The device the replicas pull as: no laptop's, so every change applies.
const REPLICA_DEVICE: Uuid = Uuid::from_u128(0x5045_524d_5245_504c_4943_4100_0000_0001);

/// Where the replicas live: beside the head office's database, or in memory.
#[derive(Clone)]
pub struct Replicas {
    dir: Option<PathBuf>,
    stores: Arc<Mutex<HashMap<String, Materialised>>>,
}

impl Replicas {
    pub fn in_dir(dir: PathBuf) -> Replicas {
        Replicas {
            dir: Some(dir),
            stores: Arc::default(),
        }
    }

    pub fn in_memory() -> Replicas {
        Replicas {
            dir: None,
            stores: Arc::default(),
        }
    }

    /// Runs `read` on `platform`'s state, brought up to the head office's log first.
    pub fn read<T>(
        &self,
        office: &dyn HeadOffice,
        platform: &str,
        read: impl FnOnce(&Materialised) -> T,
    ) -> OfficeResult<T> {
        let mut stores = self.stores.lock();
        let mut store = match stores.remove(platform) {
            Some(store) => store,
            None => self.open(platform, false)?,
        };
        if let Err(e) = catch_up(office, platform, &mut store) {
            // The head office was restored from an older backup: its numbers now name other
            // changes, so the replica is made again from the log.
            let OfficeError::CursorUnknown = e else {
                return Err(e);
            };
            drop(store);
            store = self.open(platform, true)?;
            catch_up(office, platform, &mut store)?;
        }
        let answer = read(&store);
        stores.insert(platform.to_owned(), store);
        Ok(answer)
    }

    /// `dossier` as `platform`'s replica would read it with `changes` applied, without
    /// bringing it up to the log first (`read` does; the caller did, before taking the
    /// head office's writer lock) and without keeping them.
    pub fn preview(
        &self,
        platform: &str,
        changes: &[LoggedChange],
        dossier: Uuid,
    ) -> OfficeResult<Option<Dossier>> {
        let mut stores = self.stores.lock();
        match stores.get_mut(platform) {
            Some(store) => Ok(store.preview(changes, dossier)?),
            None => Ok(None),
        }
    }

    /// The replica of `platform`, emptied first when `anew`.
    fn open(&self, platform: &str, anew: bool) -> OfficeResult<Materialised> {
        let Some(dir) = &self.dir else {
            return Ok(Materialised::open_in_memory()?);
        };
        let code: String = platform
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let path = dir.join(format!("{code}.sqlite3"));
        if anew {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        Ok(Materialised::open(&path)?)
    }
}

/// Pulls the platform's log into its replica, page by page, as a laptop does.
fn catch_up(office: &dyn HeadOffice, platform: &str, store: &mut Materialised) -> OfficeResult<()> {
    let caller = Caller {
        device_id: REPLICA_DEVICE,
        account: "replica".into(),
        role: Role::Admin,
        platform: Some(platform.to_owned()),
    };
    loop {
        let (cursor, at) = (store.cursor()?, store.cursor_id()?);
        let page = office.pull(&caller, cursor, at, 1000)?;
        store.apply_pull(&page)?;
        if !page.has_more {
            return Ok(());
        }
    }
}
