//! The catalogue of the data is complete: every field it lists has its column in the store,
//! a label, and a place on a screen (or is listed below as deliberately not shown). Adding a
//! field without one of these fails here.

use std::path::{Path, PathBuf};

use permanence::catalogue::{code_list, RecordKind};

use crate::helpers::TestStore;

/// Fields no screen edits, and why.
const NOT_SHOWN: &[(&str, &str, &str)] = &[];

fn screens(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            screens(&path, out);
        } else if path.extension().is_some_and(|e| e == "svelte") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path, text));
        }
    }
}

/// Whether a screen edits `field` of `kind`: a `<Field entity="…" field="…">` in one file,
/// a field built from the record's name (`${year}.name`), a compound input given the
/// record's value (`postalCode={holder.postal_code}`), or a list taken from the catalogue
/// itself (`FIELDS.forecast`).
fn on_a_screen(files: &[(PathBuf, String)], kind: RecordKind, field: &str) -> bool {
    let entity = format!("entity=\"{}\"", kind.as_str());
    files.iter().any(|(_, text)| {
        text.contains(&entity)
            && (text.contains(&format!("field=\"{field}\""))
                || text.contains(&format!(".{field}`}}"))
                || text.contains(&format!("={{{}.{field}}}", kind.as_str()))
                || text.contains(&format!("FIELDS.{}", kind.as_str())))
    })
}

#[test]
fn every_field_of_the_catalogue_has_its_column_its_label_and_its_screen() {
    let t = TestStore::new();
    let conn = rusqlite::Connection::open(t.path()).unwrap();
    let columns = |table: &str| -> Vec<String> {
        let mut stmt = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src");
    let mut files = Vec::new();
    screens(&ui, &mut files);
    assert!(
        files.len() > 10,
        "the screens are read from {}",
        ui.display()
    );
    let labels = std::fs::read_to_string(ui.join("lib/bindings/labels.ts")).unwrap();

    let mut missing = Vec::new();
    let mut fields = 0;
    for kind in RecordKind::ALL {
        let table_columns = columns(kind.table());
        for spec in kind.fields() {
            fields += 1;
            let name = format!("{}.{}", kind.as_str(), spec.field);
            if !table_columns.iter().any(|c| c == spec.field) {
                missing.push(format!("{name}: no column in table {}", kind.table()));
            }
            if spec.label.trim().is_empty() {
                missing.push(format!("{name}: no label"));
            }
            if let Some(list) = code_list(spec) {
                if !labels.contains(&format!("\t{list}: {{")) {
                    missing.push(format!("{name}: code list {list} has no labels"));
                }
            }
            let excused = NOT_SHOWN
                .iter()
                .any(|(k, f, _)| *k == kind.as_str() && *f == spec.field);
            if !excused && !on_a_screen(&files, kind, spec.field) {
                missing.push(format!(
                    "{name}: on no screen (place it, or list it in NOT_SHOWN)"
                ));
            }
        }
    }
    assert!(fields > 80, "{fields} fields read");
    assert_eq!(missing, Vec::<String>::new());
}
