//! The committed TypeScript bindings match the Rust types. Run with `UPDATE_BINDINGS=1`
//! (`make bindings`) to rewrite them after changing a type.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return files;
    };
    for entry in entries {
        let path = entry.expect("readable directory entry").path();
        if path.extension().is_some_and(|e| e == "ts") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            files.insert(name, fs::read_to_string(&path).expect("readable binding"));
        }
    }
    files
}

#[test]
fn committed_typescript_bindings_are_fresh() {
    let committed_dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(permanence::bindings::UI_BINDINGS_DIR);
    let fresh_dir = tempfile::tempdir().unwrap();
    permanence::bindings::export_all(fresh_dir.path()).expect("bindings export");
    let fresh = read_dir(fresh_dir.path());
    assert!(
        fresh.contains_key("Dossier.ts"),
        "the export wrote Dossier.ts"
    );

    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        let _ = fs::remove_dir_all(&committed_dir);
        fs::create_dir_all(&committed_dir).unwrap();
        for (name, text) in &fresh {
            fs::write(committed_dir.join(name), text).unwrap();
        }
        return;
    }

    let committed = read_dir(&committed_dir);
    let stale: Vec<&String> = fresh
        .keys()
        .chain(committed.keys())
        .filter(|name| fresh.get(*name) != committed.get(*name))
        .collect();
    assert!(
        stale.is_empty(),
        "TypeScript bindings in {} are stale ({stale:?}): run `make bindings` and commit them",
        committed_dir.display()
    );
}
