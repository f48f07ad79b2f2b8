//! The committee summary ("fiche de synthèse") and the committee pack, typeset as PDF by the
//! typst compiler used as a library.
//!
//! A template (`assets/summary/fiche.typ`, or the platform's own from its settings) reads
//! `data.json` (see `fiche`), in which every value is already formatted the French way; it
//! only lays out. Everything needed ships in the binary: the templates, the Liberation Sans
//! fonts, typst's French hyphenation. Nothing is read from disk or the network.
//!
//! Invariants: rendering is a pure function of the dossier and the settings (no clock, no
//! file); a platform's broken template or logo never prevents printing: the default is used
//! and a French warning says so; an unbalanced plan is printed with a visible warning.
//! Rendering takes tens of milliseconds: callers keep it off the UI thread.

pub mod charts;
pub mod export;
pub mod fiche;
pub mod printout;
pub mod report;
mod world;

use std::collections::BTreeSet;

use typst::diag::{Severity, SourceDiagnostic};
use typst::ecow::EcoVec;
use typst::foundations::Smart;
use typst::model::{Document as _, DocumentInfo};
use typst::WorldExt;
use typst_layout::{Page, PagedDocument};

use chrono::NaiveDate;
pub use fiche::{CoverData, FicheData, PackMark, UNKNOWN};
use permanence_domain::dossier::Dossier;
use permanence_domain::error::{Error, Result};
use permanence_domain::settings::PlatformSettings;
use permanence_store::store::{CommitteePack, Store};
pub use printout::{PrintJob, PrintPreview, PrintSpool, Printout, Printouts};
pub use report::{render_report, report_document, report_file_name};
use uuid::Uuid;
use world::SummaryWorld;

/// Forgets typst's memoised work, so that the next render is a cold one (for the benchmark).
pub fn forget_caches() {
    typst::comemo::evict(0);
}

/// Printing from a store: the summary of one of its dossiers, the pack of one of its
/// committees, with the platform's settings it holds.
pub trait Printing {
    /// What a dossier's summary is typeset from, for the app's preview and printing.
    fn summary_job(&self, dossier_id: Uuid) -> Result<PrintJob>;
    /// What a committee's pack is typeset from, for the app's preview and printing.
    fn pack_job(&self, committee_id: Uuid) -> Result<PrintJob>;
    /// The committee pack of `day` as one PDF: a cover with the agenda, then every summary.
    /// Renders on the calling thread (about a second for thirty dossiers).
    fn committee_pack(&self, day: NaiveDate) -> Result<Rendered>;
    /// A dossier's summary ("fiche de synthèse") as PDF. Renders on the calling thread.
    fn dossier_summary(&self, dossier_id: Uuid) -> Result<Rendered>;
    /// What the annual report of `year` (up to `until`) is typeset from, dated today.
    fn report_job(&self, year: i32, until: Option<NaiveDate>) -> Result<PrintJob>;
    /// The accountant's export of `year`.
    fn accounts(&self, year: i32) -> Result<export::Accounts>;
}

impl Printing for Store {
    fn summary_job(&self, dossier_id: Uuid) -> Result<PrintJob> {
        Ok(PrintJob::Summary {
            dossier: Box::new(self.get_dossier(dossier_id)?),
            settings: self.settings().clone(),
        })
    }

    fn pack_job(&self, committee_id: Uuid) -> Result<PrintJob> {
        Ok(PrintJob::Pack {
            pack: self.committee_pack_data_of(committee_id)?,
            settings: self.settings().clone(),
        })
    }

    fn committee_pack(&self, day: NaiveDate) -> Result<Rendered> {
        render_pack(&self.committee_pack_data(day)?, self.settings())
    }

    fn dossier_summary(&self, dossier_id: Uuid) -> Result<Rendered> {
        render_summary(&self.get_dossier(dossier_id)?, self.settings())
    }

    fn report_job(&self, year: i32, until: Option<NaiveDate>) -> Result<PrintJob> {
        Ok(PrintJob::Report {
            report: Box::new(self.activity_report(year, until)?),
            settings: self.settings().clone(),
            edited_on: self.clock().today(),
        })
    }

    fn accounts(&self, year: i32) -> Result<export::Accounts> {
        Ok(export::Accounts::new(
            year,
            &self.accounts_dossiers(year)?,
            self.settings(),
            self.clock().today(),
        ))
    }
}

/// The default summary template, shipped in the binary.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../../assets/summary/fiche.typ");
/// The committee pack's cover page.
const COVER_TEMPLATE: &str = include_str!("../../../assets/summary/cover.typ");
/// Where a template finds the platform's logo, when there is one.
const LOGO_PATH: &str = "logo.png";

/// A finished PDF, with what the advisor should know about how it was made.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// French sentences: a platform template or logo that could not be used, and so on.
    pub warnings: Vec<String>,
}

/// A typeset document, before it becomes a PDF or page images (the app's preview shows the
/// pages, then prints the PDF of the same document).
pub struct Document {
    doc: PagedDocument,
    warnings: Vec<String>,
}

impl Document {
    pub fn pages(&self) -> usize {
        self.doc.pages().len()
    }

    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    pub fn pdf(&self) -> Result<Vec<u8>> {
        let options = typst_pdf::PdfOptions {
            creator: Smart::Custom(Some("Permanence".into())),
            ..Default::default()
        };
        typst_pdf::pdf(&self.doc, &options).map_err(|errors| {
            Error::Internal(format!(
                "PDF export failed: {}",
                errors
                    .iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        })
    }

    /// Page `index` (0-based) as a PNG image, `pixels_per_point` pixels per typographic
    /// point (1 gives 595 × 842 pixels for an A4 page; 2 suits a high-density screen).
    pub fn page_png(&self, index: usize, pixels_per_point: f64) -> Result<Vec<u8>> {
        let page = self.doc.pages().get(index).ok_or_else(|| Error::NotFound {
            what: "Page",
            id: (index + 1).to_string(),
        })?;
        let options = typst_render::RenderOptions {
            pixel_per_pt: typst::utils::Scalar::new(pixels_per_point.clamp(0.1, 8.0)),
            render_bleed: false,
        };
        typst_render::render(page, &options)
            .encode_png()
            .map_err(|e| Error::Internal(format!("PNG encoding failed: {e}")))
    }

    pub fn into_rendered(self) -> Result<Rendered> {
        Ok(Rendered {
            pdf: self.pdf()?,
            pages: self.pages(),
            warnings: self.warnings,
        })
    }
}

/// A dossier's summary, as PDF.
pub fn render_summary(dossier: &Dossier, settings: &PlatformSettings) -> Result<Rendered> {
    summary_document(dossier, settings)?.into_rendered()
}

/// A committee's pack, as one PDF: the cover with the agenda, then each dossier's summary
/// starting on a new page.
pub fn render_pack(pack: &CommitteePack, settings: &PlatformSettings) -> Result<Rendered> {
    pack_document(pack, settings)?.into_rendered()
}

/// A dossier's summary, typeset.
pub fn summary_document(dossier: &Dossier, settings: &PlatformSettings) -> Result<Document> {
    let logo = Logo::from_settings(settings);
    let mut warnings = logo.warnings.clone();
    let fiche = compile_fiche(dossier, settings, &logo, None, &mut warnings)?;
    Ok(Document {
        doc: fiche,
        warnings,
    })
}

/// A committee's pack, typeset: the cover, then every summary of the agenda.
pub fn pack_document(pack: &CommitteePack, settings: &PlatformSettings) -> Result<Document> {
    let logo = Logo::from_settings(settings);
    let mut warnings = logo.warnings.clone();
    let committee = format!(
        "{} du {}",
        pack.committee.kind.label(),
        permanence_domain::dates::format_date(pack.committee.held_on)
    );
    let items = pack.dossiers.len();
    // The summaries are independent: typeset them on every core (two here), in agenda order.
    let compile_one = |i: usize| {
        let mark = PackMark {
            committee: committee.clone(),
            item: i + 1,
            items,
        };
        let mut fiche_warnings = Vec::new();
        compile_fiche(
            &pack.dossiers[i],
            settings,
            &logo,
            Some(mark),
            &mut fiche_warnings,
        )
        .map(|doc| (doc, fiche_warnings))
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
        .min(items.max(1));
    let mut compiled: Vec<Compiled> = if threads == 1 {
        (0..items).map(|i| (i, compile_one(i))).collect()
    } else {
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|t| {
                    let compile_one = &compile_one;
                    scope.spawn(move || {
                        (t..items)
                            .step_by(threads)
                            .map(|i| (i, compile_one(i)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| {
                    w.join().unwrap_or_else(|_| {
                        vec![(
                            usize::MAX,
                            Err(Error::Internal("a summary thread panicked".into())),
                        )]
                    })
                })
                .collect()
        })
    };
    compiled.sort_by_key(|(i, _)| *i);
    let mut fiches = Vec::with_capacity(items);
    for (_, result) in compiled {
        let (doc, fiche_warnings) = result?;
        warnings.extend(fiche_warnings);
        fiches.push(doc);
    }
    if items == 0 {
        warnings.push(format!(
            "L'ordre du jour du {} est vide : le dossier de séance n'a que sa page de garde.",
            permanence_domain::dates::format_date(pack.committee.held_on)
        ));
    }

    // The cover lists the page where each summary starts, which depends on the cover's own
    // length: typeset it, and again in the rare case the agenda overflows its guess.
    let mut cover_pages = 1;
    let mut attempts = 0;
    let cover = loop {
        attempts += 1;
        let mut first_pages = Vec::with_capacity(items);
        let mut next = cover_pages + 1;
        for fiche in &fiches {
            first_pages.push(next);
            next += fiche.pages().len();
        }
        let data = CoverData::new(
            &pack.committee,
            &pack.dossiers,
            &first_pages,
            next - 1,
            settings,
            logo.path(),
        );
        let cover = compile_cover(&data, &logo, pack.committee.held_on)?;
        if cover.pages().len() == cover_pages || attempts == 3 {
            break cover;
        }
        cover_pages = cover.pages().len();
    };

    let pages: EcoVec<Page> = std::iter::once(&cover)
        .chain(fiches.iter())
        .flat_map(|doc| doc.pages().iter().cloned())
        .collect();
    let info = DocumentInfo {
        title: Some(format!("Dossier de séance — {committee}").into()),
        author: vec![settings.name.clone().into()],
        ..cover.info().clone()
    };
    dedup(&mut warnings);
    Ok(Document {
        doc: PagedDocument::new(pages, info),
        warnings,
    })
}

/// What a platform's own template and logo give on an example dossier (one of the demo
/// data's): the French warnings the settings screen shows before anything is printed with
/// them. Empty when they work, or when the platform uses the defaults.
pub fn check_settings(settings: &PlatformSettings) -> Result<Vec<String>> {
    let mut store = permanence_store::store::Store::open_in_memory()?;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 26)
        .ok_or_else(|| Error::Internal("example day".into()))?;
    permanence_store::demo::fill(&mut store, 1, 62, day)?;
    let example = store
        .list_dossiers(&permanence_store::store::DossierQuery::default())?
        .items
        .first()
        .map(|d| d.id)
        .ok_or_else(|| Error::Internal("no example dossier".into()))?;
    let dossier = store.get_dossier(example)?;
    Ok(summary_document(&dossier, settings)?.warnings)
}

/// The platform's logo, decoded once per rendering.
struct Logo {
    png: Option<Vec<u8>>,
    warnings: Vec<String>,
}

impl Logo {
    fn from_settings(settings: &PlatformSettings) -> Logo {
        let Some(text) = settings
            .logo_png_base64
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            return Logo {
                png: None,
                warnings: Vec::new(),
            };
        };
        match decode_logo(text) {
            Ok(png) => Logo {
                png: Some(png),
                warnings: Vec::new(),
            },
            Err(why) => Logo {
                png: None,
                warnings: vec![format!(
                    "Le logo de la plateforme n'a pas pu être utilisé ({why}) : le document est produit sans logo."
                )],
            },
        }
    }

    fn path(&self) -> Option<String> {
        self.png.as_ref().map(|_| LOGO_PATH.to_owned())
    }
}

/// Decodes a base64 PNG as the settings check it (`settings::decode_png`), then reads it with
/// typst's own decoder.
fn decode_logo(text: &str) -> std::result::Result<Vec<u8>, String> {
    let png = permanence_domain::settings::decode_png(text)?;
    // Decoded once here, so that a PNG that only looks right is refused before printing.
    typst::visualize::RasterImage::plain(
        typst::foundations::Bytes::new(png.clone()),
        typst::visualize::ExchangeFormat::Png,
    )
    .map_err(|_| "l'image PNG est illisible".to_owned())?;
    Ok(png)
}

/// Typesets one summary: with the platform's template if it has one and it works, else with
/// the default; with the logo if it loads, else without. Each fallback adds a warning.
fn compile_fiche(
    dossier: &Dossier,
    settings: &PlatformSettings,
    logo: &Logo,
    pack: Option<PackMark>,
    warnings: &mut Vec<String>,
) -> Result<PagedDocument> {
    let custom = settings
        .summary_template
        .as_deref()
        .filter(|t| !t.trim().is_empty());
    let today = dossier.updated_at.date_naive();
    let data = |logo_path: Option<String>| -> Result<Vec<u8>> {
        let mut data = FicheData::new(dossier, settings, logo_path);
        data.pack = pack.clone();
        serde_json::to_vec(&data).map_err(|e| Error::Internal(format!("summary data: {e}")))
    };

    let with_logo = data(logo.path())?;
    if let Some(template) = custom {
        match compile(template, &with_logo, logo.png.as_deref(), today) {
            Ok((doc, custom_warnings)) => {
                warnings.extend(
                    custom_warnings
                        .into_iter()
                        .map(|w| format!("Modèle de fiche de la plateforme : {w}")),
                );
                return Ok(doc);
            }
            Err(error) => warnings.push(format!(
                "Le modèle de fiche de la plateforme contient une erreur ({error}) : la fiche a été produite avec le modèle par défaut."
            )),
        }
    }
    match compile(DEFAULT_TEMPLATE, &with_logo, logo.png.as_deref(), today) {
        Ok((doc, typst_warnings)) => {
            log_default_warnings(&typst_warnings);
            Ok(doc)
        }
        Err(error) if logo.png.is_some() => {
            // A PNG whose header looked right but whose image data does not decode.
            tracing::warn!(%error, "summary with logo failed, retrying without it");
            warnings.push(
                "Le logo de la plateforme n'a pas pu être lu : le document est produit sans logo."
                    .into(),
            );
            let (doc, typst_warnings) = compile(DEFAULT_TEMPLATE, &data(None)?, None, today)
                .map_err(|e| Error::Internal(format!("default summary template: {e}")))?;
            log_default_warnings(&typst_warnings);
            Ok(doc)
        }
        Err(error) => Err(Error::Internal(format!(
            "default summary template: {error}"
        ))),
    }
}

fn compile_cover(
    data: &CoverData,
    logo: &Logo,
    held_on: chrono::NaiveDate,
) -> Result<PagedDocument> {
    let json = serde_json::to_vec(data).map_err(|e| Error::Internal(format!("cover data: {e}")))?;
    match compile(COVER_TEMPLATE, &json, logo.png.as_deref(), held_on) {
        Ok((doc, typst_warnings)) => {
            log_default_warnings(&typst_warnings);
            Ok(doc)
        }
        Err(error) if logo.png.is_some() => {
            tracing::warn!(%error, "cover with logo failed, retrying without it");
            let mut data = data.clone();
            data.platform.logo = None;
            let json = serde_json::to_vec(&data)
                .map_err(|e| Error::Internal(format!("cover data: {e}")))?;
            compile(COVER_TEMPLATE, &json, None, held_on)
                .map(|(doc, _)| doc)
                .map_err(|e| Error::Internal(format!("cover template: {e}")))
        }
        Err(error) => Err(Error::Internal(format!("cover template: {error}"))),
    }
}

/// Compiles `template` against `data.json` (and the logo); the first error, located, or the
/// document and its warnings.
fn compile(
    template: &str,
    data: &[u8],
    logo: Option<&[u8]>,
    today: chrono::NaiveDate,
) -> std::result::Result<(PagedDocument, Vec<String>), String> {
    compile_with_files(template, data, logo, &[], today)
}

/// `compile`, with more virtual files beside `data.json` (the report's charts).
fn compile_with_files(
    template: &str,
    data: &[u8],
    logo: Option<&[u8]>,
    files: &[(String, Vec<u8>)],
    today: chrono::NaiveDate,
) -> std::result::Result<(PagedDocument, Vec<String>), String> {
    let mut world = SummaryWorld::new(template, today).with_file("data.json", data.to_vec());
    if let Some(png) = logo {
        world = world.with_file(LOGO_PATH, png.to_vec());
    }
    for (path, bytes) in files {
        world = world.with_file(path, bytes.clone());
    }
    let warned = typst::compile::<PagedDocument>(&world);
    let warnings = warned
        .warnings
        .iter()
        .map(|w| describe(&world, w))
        .collect();
    match warned.output {
        Ok(doc) => Ok((doc, warnings)),
        Err(errors) => Err(errors
            .iter()
            .find(|e| e.severity == Severity::Error)
            .or(errors.first())
            .map_or_else(|| "erreur inconnue".to_owned(), |e| describe(&world, e))),
    }
}

/// "ligne 12 : unknown variable: nom" (typst's own message is English).
fn describe(world: &SummaryWorld, diagnostic: &SourceDiagnostic) -> String {
    let line = (diagnostic.span.id() == Some(typst::World::main(world)))
        .then(|| world.range(diagnostic.span))
        .flatten()
        .and_then(|range| world.main_line(range.start));
    match line {
        Some(line) => format!("ligne {line} : {}", diagnostic.message),
        None => diagnostic.message.to_string(),
    }
}

fn log_default_warnings(warnings: &[String]) {
    for warning in warnings {
        tracing::warn!(%warning, "typst warning in a built-in template");
    }
}

fn dedup(warnings: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    warnings.retain(|w| seen.insert(w.clone()));
}

/// Parses the embedded fonts and typst's library now, so that the first summary a person
/// prints is as quick as the next ones (the app may call this at start-up, off the UI thread).
pub fn warm_up() {
    world::warm_up();
}

/// One summary of a pack, typeset, with its warnings, at its place in the agenda.
type Compiled = (usize, Result<(PagedDocument, Vec<String>)>);
