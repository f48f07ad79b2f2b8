//! Printing from the app: a summary or a committee pack typeset once, previewed page by page,
//! then printed or saved as PDF; the names its files take; the folder of files handed to the
//! system's PDF viewer.
//!
//! Invariants: what is printed or saved is the very document that was previewed (kept in
//! `Printouts`, never typeset again behind the person's back); a PDF is written whole or not
//! at all (written beside its final name, then renamed); the files left for the viewer live
//! in one folder of their own, only readable by the user, and old ones are swept away (they
//! hold personal data).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::fiche::balance_sentence;
use super::{pack_document, summary_document, Document};
use permanence_domain::breakdown::ActivityReport;
use permanence_domain::clock::Clock;
use permanence_domain::dossier::Dossier;
use permanence_domain::error::{Error, Result};
use permanence_domain::settings::PlatformSettings;
use permanence_store::store::CommitteePack;

/// What the preview shows before a person prints or saves: the pages come one by one
/// (`Printout::page_image`), the warnings at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PrintPreview {
    /// Names the typeset document for the page, print and save commands that follow.
    pub id: Uuid,
    /// "Fiche de synthèse — PROV-2026-0001", "Dossier de séance — Comité d'agrément du 08/12/2026".
    pub title: String,
    /// The name proposed when saving: `fiche-PROV-2026-0001.pdf`.
    pub file_name: String,
    pub pages: usize,
    /// French sentences to read before printing: an unbalanced plan, a platform template or
    /// logo that could not be used, an empty agenda.
    pub warnings: Vec<String>,
}

/// What a printout is made of, loaded from the store (quick) so that typesetting (slower)
/// happens once the store is free for others.
pub enum PrintJob {
    Summary {
        dossier: Box<Dossier>,
        settings: PlatformSettings,
    },
    Pack {
        pack: CommitteePack,
        settings: PlatformSettings,
    },
    /// The annual report, dated `edited_on`.
    Report {
        report: Box<ActivityReport>,
        settings: PlatformSettings,
        edited_on: NaiveDate,
    },
}

impl PrintJob {
    pub fn typeset(&self) -> Result<Printout> {
        match self {
            PrintJob::Summary { dossier, settings } => Printout::summary(dossier, settings),
            PrintJob::Pack { pack, settings } => Printout::pack(pack, settings),
            PrintJob::Report {
                report,
                settings,
                edited_on,
            } => Printout::report(report, settings, *edited_on),
        }
    }
}

/// A typeset summary or pack, ready to be previewed, printed and saved.
pub struct Printout {
    id: Uuid,
    title: String,
    file_name: String,
    document: Document,
    warnings: Vec<String>,
}

impl Printout {
    /// A dossier's summary ("fiche de synthèse").
    pub fn summary(dossier: &Dossier, settings: &PlatformSettings) -> Result<Printout> {
        let document = summary_document(dossier, settings)?;
        let mut warnings = plan_warning(dossier).into_iter().collect::<Vec<_>>();
        warnings.extend(document.warnings().iter().cloned());
        Ok(Printout {
            id: Uuid::now_v7(),
            title: format!("Fiche de synthèse — {}", dossier.number),
            file_name: summary_file_name(&dossier.number),
            document,
            warnings,
        })
    }

    /// A committee's pack: the cover with the agenda, then every summary.
    pub fn pack(pack: &CommitteePack, settings: &PlatformSettings) -> Result<Printout> {
        let document = pack_document(pack, settings)?;
        let mut warnings: Vec<String> = pack
            .dossiers
            .iter()
            .filter_map(|d| {
                plan_warning(d).map(|w| {
                    format!(
                        "Dossier {} ({}) : {}",
                        d.number,
                        super::fiche::holder_names(&d.holders),
                        lowercase_first(&w)
                    )
                })
            })
            .collect();
        warnings.extend(document.warnings().iter().cloned());
        let committee = &pack.committee;
        Ok(Printout {
            id: Uuid::now_v7(),
            title: format!(
                "Dossier de séance — {} du {}",
                committee.kind.label(),
                permanence_domain::dates::format_date(committee.held_on)
            ),
            file_name: pack_file_name(committee.held_on),
            document,
            warnings,
        })
    }

    /// The annual report ("Rapport d'activité").
    pub fn report(
        report: &ActivityReport,
        settings: &PlatformSettings,
        edited_on: NaiveDate,
    ) -> Result<Printout> {
        let document = super::report::report_document(report, settings, edited_on)?;
        let warnings = document.warnings().to_vec();
        Ok(Printout {
            id: Uuid::now_v7(),
            title: format!("Rapport d'activité {} — {}", report.year, report.platform),
            file_name: super::report::report_file_name(report.year),
            document,
            warnings,
        })
    }

    pub fn id(&self) -> Uuid {
        self.id
    }

    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    pub fn preview(&self) -> PrintPreview {
        PrintPreview {
            id: self.id,
            title: self.title.clone(),
            file_name: self.file_name.clone(),
            pages: self.document.pages(),
            warnings: self.warnings.clone(),
        }
    }

    /// Page `index` (0-based) as a `data:image/png;base64,…` address an `<img>` shows as
    /// is; `pixels_per_point` as in `Document::page_png` (1.5 suits a preview on a usual
    /// screen).
    pub fn page_image(&self, index: usize, pixels_per_point: f64) -> Result<String> {
        let png = self.document.page_png(index, pixels_per_point)?;
        Ok(format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(png)
        ))
    }

    pub fn pdf(&self) -> Result<Vec<u8>> {
        self.document.pdf()
    }

    /// Writes the PDF to `path` (given `.pdf` when it has another ending or none, as a save
    /// dialog may hand back what was typed) and returns where it went. The file is written
    /// beside its final name first, so a failure never leaves half a PDF under that name.
    pub fn save_as(&self, path: &Path) -> Result<PathBuf> {
        let path = with_pdf_extension(path);
        write_whole(&path, &self.pdf()?)?;
        Ok(path)
    }
}

impl std::fmt::Debug for Printout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Printout")
            .field("id", &self.id)
            .field("title", &self.title)
            .field("pages", &self.document.pages())
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

/// The plan's warning when a summary would print an unbalanced or empty plan.
fn plan_warning(dossier: &Dossier) -> Option<String> {
    (!dossier.analysis.balanced || dossier.analysis.needs_cents == 0)
        .then(|| balance_sentence(&dossier.analysis))
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `fiche-PROV-2026-0001.pdf` for dossier `PROV-2026-0001`.
pub fn summary_file_name(number: &str) -> String {
    let stem = safe_stem(number);
    if stem.is_empty() {
        "fiche.pdf".to_owned()
    } else {
        format!("fiche-{stem}.pdf")
    }
}

/// `comite-2026-12-08.pdf` for the committee of 8 December 2026.
pub fn pack_file_name(held_on: NaiveDate) -> String {
    format!("comite-{}.pdf", held_on.format("%Y-%m-%d"))
}

/// Letters, digits, `-` and `_` only (accents dropped), so that the name is valid on every
/// system and a USB key: anything else becomes one `-`.
fn safe_stem(text: &str) -> String {
    let plain = deunicode::deunicode(text);
    let mut stem = String::with_capacity(plain.len());
    for c in plain.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            stem.push(c);
        } else if !stem.ends_with('-') {
            stem.push('-');
        }
    }
    stem.trim_matches('-').chars().take(80).collect()
}

fn with_pdf_extension(path: &Path) -> PathBuf {
    let is_pdf = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if is_pdf {
        path.to_owned()
    } else {
        let mut name = path.as_os_str().to_owned();
        name.push(".pdf");
        PathBuf::from(name)
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed at the end.
pub(crate) fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    let unwritable = |source| Error::Unwritable {
        path: path.to_owned(),
        source,
    };
    let name = path
        .file_name()
        .ok_or_else(|| unwritable(std::io::ErrorKind::InvalidInput.into()))?;
    let mut partial_name = std::ffi::OsString::from(".");
    partial_name.push(name);
    partial_name.push(".partiel");
    let partial = path.with_file_name(partial_name);
    let written = std::fs::write(&partial, bytes).and_then(|()| std::fs::rename(&partial, path));
    if let Err(source) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(unwritable(source));
    }
    Ok(())
}

/// The last few documents previewed, so that "Imprimer" and "Enregistrer le PDF…" act on
/// what the person saw. Older ones are dropped: a preview closed long ago is typeset again.
pub struct Printouts {
    kept: Mutex<VecDeque<Arc<Printout>>>,
}

impl Printouts {
    /// How many previews stay available (a summary, a pack, and a little more).
    pub const CAPACITY: usize = 4;

    pub fn new() -> Printouts {
        Printouts {
            kept: Mutex::new(VecDeque::with_capacity(Self::CAPACITY)),
        }
    }

    /// Keeps a typeset document and returns its preview.
    pub fn keep(&self, printout: Printout) -> PrintPreview {
        let preview = printout.preview();
        let mut kept = self.lock();
        if kept.len() == Self::CAPACITY {
            kept.pop_front();
        }
        kept.push_back(Arc::new(printout));
        preview
    }

    pub fn get(&self, id: Uuid) -> Result<Arc<Printout>> {
        self.lock()
            .iter()
            .find(|p| p.id == id)
            .cloned()
            .ok_or_else(|| Error::NotFound {
                what: "Aperçu",
                id: "il a été fermé depuis longtemps, relancez l'impression".into(),
            })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Arc<Printout>>> {
        // A panic while holding the lock leaves a list that is still valid: keep using it.
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Default for Printouts {
    fn default() -> Self {
        Printouts::new()
    }
}

/// The folder where PDFs wait for the system's viewer to open and print them.
pub struct PrintSpool {
    dir: PathBuf,
}

impl PrintSpool {
    /// How long a PDF handed to the viewer is kept: long enough to print it, not for ever.
    pub const KEEP: Duration = Duration::from_secs(12 * 60 * 60);

    pub fn new(dir: impl Into<PathBuf>) -> PrintSpool {
        PrintSpool { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes the printout's PDF into the folder (made private to the user if new), after
    /// sweeping PDFs older than `KEEP`, and returns its path.
    pub fn write(&self, printout: &Printout) -> Result<PathBuf> {
        self.create_dir()?;
        self.sweep(Self::KEEP);
        let path = self.dir.join(&printout.file_name);
        write_whole(&path, &printout.pdf()?)?;
        Ok(path)
    }

    /// Removes the folder's PDFs last written more than `older_than` ago; returns how many.
    /// Anything else in the folder is left alone, and so is what cannot be removed.
    pub fn sweep(&self, older_than: Duration) -> usize {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
        // Files are stamped by the system with the machine's own time.
        let now = Clock::machine().system_time();
        entries
            .flatten()
            .filter(|entry| {
                let path = entry.path();
                let pdf = path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
                let old = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|modified| now.duration_since(modified).ok())
                    .is_some_and(|age| age > older_than);
                pdf && old && std::fs::remove_file(&path).is_ok()
            })
            .count()
    }

    fn create_dir(&self) -> Result<()> {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(&self.dir)
            .map_err(|source| Error::Unwritable {
                path: self.dir.clone(),
                source,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_file_is_named_after_the_dossier_number() {
        assert_eq!(
            summary_file_name("PROV-2026-0001"),
            "fiche-PROV-2026-0001.pdf"
        );
        assert_eq!(
            summary_file_name("TA7V-2026-0042"),
            "fiche-TA7V-2026-0042.pdf"
        );
    }

    #[test]
    fn a_file_name_keeps_only_safe_characters() {
        assert_eq!(
            summary_file_name("Hésdin / 2026: «7»"),
            "fiche-Hesdin-2026-7.pdf"
        );
        assert_eq!(summary_file_name("../../etc"), "fiche-etc.pdf");
        assert_eq!(summary_file_name("  "), "fiche.pdf");
        assert!(summary_file_name(&"x".repeat(500)).len() < 100);
    }

    #[test]
    fn a_pack_file_is_named_after_the_committee_day() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        assert_eq!(pack_file_name(day), "comite-2026-12-08.pdf");
    }

    #[test]
    fn a_saved_file_always_ends_in_pdf() {
        assert_eq!(
            with_pdf_extension(Path::new("/tmp/fiche")),
            PathBuf::from("/tmp/fiche.pdf")
        );
        assert_eq!(
            with_pdf_extension(Path::new("/tmp/fiche.PDF")),
            PathBuf::from("/tmp/fiche.PDF")
        );
        assert_eq!(
            with_pdf_extension(Path::new("/tmp/fiche.v2")),
            PathBuf::from("/tmp/fiche.v2.pdf")
        );
    }

    #[test]
    fn a_whole_file_replaces_the_old_one_and_leaves_nothing_beside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fiche.pdf");
        std::fs::write(&path, b"old").unwrap();
        write_whole(&path, b"%PDF-new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["fiche.pdf"], "no partial file left");
    }

    #[test]
    fn a_file_in_a_missing_folder_is_a_french_error_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("absent").join("fiche.pdf");
        let err = write_whole(&path, b"%PDF").unwrap_err();
        assert_eq!(err.code(), permanence_domain::error::ErrorCode::Unwritable);
        assert!(
            err.to_string().contains("le répertoire n'existe pas"),
            "{err}"
        );
        assert!(!path.exists());
    }

    #[test]
    fn the_spool_sweeps_old_pdfs_only() {
        let dir = tempfile::tempdir().unwrap();
        let spool = PrintSpool::new(dir.path());
        let old = dir.path().join("fiche-old.pdf");
        let fresh = dir.path().join("fiche-new.pdf");
        let other = dir.path().join("notes.txt");
        for path in [&old, &fresh, &other] {
            std::fs::write(path, b"x").unwrap();
        }
        let day_ago = Clock::machine().system_time() - Duration::from_secs(24 * 60 * 60);
        for path in [&old, &other] {
            std::fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(day_ago)
                .unwrap();
        }
        assert_eq!(spool.sweep(PrintSpool::KEEP), 1);
        assert!(!old.exists(), "a PDF of yesterday is swept");
        assert!(fresh.exists(), "a PDF just written stays for the viewer");
        assert!(other.exists(), "what is not a PDF is not ours to remove");
    }

    #[test]
    fn a_missing_spool_sweeps_nothing() {
        let spool = PrintSpool::new("/nonexistent/permanence/impressions");
        assert_eq!(spool.sweep(Duration::ZERO), 0);
    }

    #[test]
    fn the_first_letter_of_a_sentence_can_be_lowered() {
        assert_eq!(lowercase_first("Plan non équilibré"), "plan non équilibré");
        assert_eq!(lowercase_first("Éclair"), "éclair");
        assert_eq!(lowercase_first(""), "");
    }
}
