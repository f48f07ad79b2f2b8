//! The small, closed world in which typst compiles a summary: one main source, a few virtual
//! files (`data.json`, the logo), the embedded Liberation Sans fonts and a standard library
//! whose defaults are French text in that font.
//!
//! Nothing is read from disk and nothing is downloaded: a template that imports a package or
//! a file that does not exist gets a "file not found" error, which the caller turns into a
//! fallback to the default template.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook, FontFamily, FontList, Lang, Region, TextElem};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The font family every document is set in.
pub const FONT_FAMILY: &str = "Liberation Sans";

/// The four faces used by the templates, and only those (SIL OFL, see `assets/fonts/`).
pub(crate) static FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../../../assets/fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../../../assets/fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../../../assets/fonts/LiberationSans-Italic.ttf"),
    include_bytes!("../../../assets/fonts/LiberationSans-BoldItalic.ttf"),
];

/// What every compilation shares: parsed once per process, then only read.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    let mut library = Library::builder().build();
    // French defaults, so that a platform's own template is French and hyphenated the French
    // way even if it sets nothing.
    library.styles.set(TextElem::lang, Lang::FRENCH);
    library
        .styles
        .set(TextElem::region, Region::from_str("FR").ok());
    library
        .styles
        .set(TextElem::font, FontList(vec![FontFamily::new(FONT_FAMILY)]));
    Shared {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        library: LazyHash::new(library),
        fonts,
    }
});

/// A file id at the root of the virtual project, e.g. `/data.json`.
pub fn file_id(path: &str) -> FileId {
    // Only called with the literal names of this module's caller, which are valid paths.
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| {
        VirtualPath::new("invalid").expect("a plain file name is a valid virtual path")
    });
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// One compilation's world: its main source and its virtual files.
pub struct SummaryWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: NaiveDate,
}

impl SummaryWorld {
    /// `main` is the template's source; `today` is what `datetime.today()` answers (the
    /// caller passes a date from the data, so that a rendering depends on its input only).
    pub fn new(main: &str, today: NaiveDate) -> SummaryWorld {
        SummaryWorld {
            main: Source::new(file_id("main.typ"), main.to_owned()),
            files: HashMap::new(),
            today,
        }
    }

    /// Adds a virtual file that the template may read (`json("data.json")`, `image(…)`).
    pub fn with_file(mut self, path: &str, data: Vec<u8>) -> SummaryWorld {
        self.files.insert(file_id(path), Bytes::new(data));
        self
    }

    /// The line (1-based) of a byte offset in the main source, for error messages.
    pub fn main_line(&self, byte: usize) -> Option<usize> {
        self.main.lines().byte_to_line(byte).map(|l| l + 1)
    }
}

/// Parses the shared fonts and library now rather than during the first rendering.
pub fn warm_up() -> usize {
    SHARED.fonts.len()
}

impl World for SummaryWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if self.files.contains_key(&id) {
            // Data files are never sources; an `include "data.json"` is a template error.
            Err(FileError::NotSource)
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Datetime::from_ymd(
            self.today.year(),
            u8::try_from(self.today.month()).ok()?,
            u8::try_from(self.today.day()).ok()?,
        )
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_faces_are_loaded_under_one_family() {
        let book = &SHARED.book;
        let faces: Vec<_> = book.select_family(&FONT_FAMILY.to_lowercase()).collect();
        assert_eq!(faces.len(), 4, "regular, bold, italic and bold italic");
    }

    #[test]
    fn only_the_main_source_and_given_files_exist() {
        let world = SummaryWorld::new("= Titre", NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())
            .with_file("data.json", b"{}".to_vec());
        assert!(world.source(world.main()).is_ok());
        assert!(world.file(file_id("data.json")).is_ok());
        assert!(matches!(
            world.file(file_id("ailleurs.typ")),
            Err(FileError::NotFound(_))
        ));
        assert!(matches!(
            world.source(file_id("data.json")),
            Err(FileError::NotSource)
        ));
        assert!(world.today(None).is_some());
    }
}
