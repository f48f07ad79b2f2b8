//! The crates show the architecture: inside each of them, no two modules use each other,
//! directly or around a loop (a loop like settings → summary → store → settings is what the
//! split into crates removed). Read from the sources, as `crate::module` paths.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules of a crate and the ones each uses (outside its tests).
fn module_uses(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = vec![src.to_path_buf()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(src).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let module = first.to_string_lossy().trim_end_matches(".rs").to_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let used = uses.entry(module.clone()).or_default();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group[..group.find('}').unwrap_or(0)]
                    .split(',')
                    .map(|n| n.trim().split("::").next().unwrap_or_default())
                    .collect(),
                None => vec![rest
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or_default()],
            };
            for name in names {
                let first_lower = name.starts_with(|c: char| c.is_ascii_lowercase());
                if first_lower && name != module {
                    used.insert(name.to_owned());
                }
            }
        }
    }
    uses
}

/// A loop of modules, if any: `a → b → … → a`.
fn a_loop(uses: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        module: &str,
        uses: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|m| m == module) {
            let mut found = path[start..].to_vec();
            found.push(module.to_owned());
            return Some(found);
        }
        if !done.insert(module.to_owned()) {
            return None;
        }
        path.push(module.to_owned());
        for next in uses.get(module).into_iter().flatten() {
            if let Some(found) = visit(next, uses, path, done) {
                return Some(found);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    uses.keys()
        .find_map(|module| visit(module, uses, &mut Vec::new(), &mut done))
}

fn crate_sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .unwrap()
        .map(|e| e.unwrap().path().join("src"))
        .collect();
    sources.push(root.join("src"));
    sources.push(root.join("head-office/src"));
    sources.sort();
    sources
}

#[test]
fn no_two_modules_of_a_crate_use_each_other_even_around_a_loop() {
    let sources = crate_sources();
    assert!(sources.len() >= 6, "the crates: {sources:?}");
    for src in sources {
        let uses = module_uses(&src);
        assert!(!uses.is_empty(), "no module read in {}", src.display());
        if let Some(found) = a_loop(&uses) {
            panic!("{}: {}", src.display(), found.join(" → "));
        }
    }
}

#[test]
fn the_loop_finder_finds_a_loop_and_the_reader_reads_grouped_paths() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "lib.rs",
        "pub mod settings; pub mod summary; pub mod store;",
    );
    write("settings.rs", "fn logo() { crate::summary::decode(); }");
    write("summary.rs", "use crate::{store::Store, dates};");
    write(
        "store.rs",
        "use crate::settings::Settings;\n#[cfg(test)]\nuse crate::dates;",
    );
    let uses = module_uses(dir.path());
    assert_eq!(
        uses["summary"],
        BTreeSet::from(["store".to_owned(), "dates".to_owned()])
    );
    assert_eq!(uses["store"], BTreeSet::from(["settings".to_owned()]));
    let found = a_loop(&uses).expect("the loop is found");
    assert_eq!(found.first(), found.last());
    assert_eq!(found.len(), 4, "{found:?}");
    write("settings.rs", "fn logo() {}");
    assert_eq!(a_loop(&module_uses(dir.path())), None);
}
