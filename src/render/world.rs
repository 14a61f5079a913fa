//! kefu's typst [`World`]: templates from `templates/`, one in-memory JSON data file, the
//! embedded fonts and an injected date — nothing from the file system at compile time.
//!
//! Templates are read once when the [`TemplateStore`] is built; a document's data reaches
//! typst only as the virtual file `/data.json` that the template parses with `json(..)`, so no
//! register text is ever spliced into markup. Any other path (`/etc/passwd`, `../x`) is
//! "not found", whatever a template or a hostile cell asks for.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};

use crate::error::{Problem, Problems};
use crate::fonts::FontStore;

/// The virtual path of the per-document data.
pub const DATA_PATH: &str = "/data.json";

/// The templates, parsed once, keyed by their virtual path (`/pack.typ`, `/lib/form.typ`).
#[derive(Debug)]
pub struct TemplateStore {
    dir: PathBuf,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
}

impl TemplateStore {
    /// Reads every file under `dir`: `.typ` files as sources, others (images) as bytes.
    pub fn load(dir: &Path) -> Result<TemplateStore, Problems> {
        let mut store = TemplateStore { dir: dir.to_path_buf(), sources: HashMap::new(), files: HashMap::new() };
        let mut problems = Vec::new();
        store.read_dir(dir, &mut problems);
        if store.sources.is_empty() && problems.is_empty() {
            problems.push(Problem::in_file(dir, "模板目录中没有任何 .typ 模板"));
        }
        if problems.is_empty() { Ok(store) } else { Err(Problems(problems)) }
    }

    fn read_dir(&mut self, dir: &Path, problems: &mut Vec<Problem>) {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                problems.push(Problem::in_file(dir, format!("无法读取模板目录：{}", crate::error::io_reason(&e))));
                return;
            }
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                self.read_dir(&path, problems);
                continue;
            }
            let Ok(vpath) = VirtualPath::virtualize(&self.dir, &path) else {
                problems.push(Problem::in_file(&path, "模板文件名无法用作排版路径（请只用字母、数字和 .-_）"));
                continue;
            };
            let id = RootedPath::new(VirtualRoot::Project, vpath).intern();
            let is_typ = path.extension().is_some_and(|x| x == "typ");
            match std::fs::read(&path) {
                Ok(bytes) if is_typ => match String::from_utf8(bytes) {
                    Ok(text) => {
                        self.sources.insert(id, Source::new(id, text));
                    }
                    Err(_) => problems.push(Problem::in_file(&path, "模板不是 UTF-8 文本")),
                },
                Ok(bytes) => {
                    self.files.insert(id, Bytes::new(bytes));
                }
                Err(e) => problems.push(Problem::in_file(&path, crate::error::io_reason(&e))),
            }
        }
    }

    /// The id of the template at virtual path `path` (e.g. `/pack.typ`), if it exists.
    pub fn id(&self, path: &str) -> Option<FileId> {
        let id = file_id(path)?;
        self.sources.contains_key(&id).then_some(id)
    }

    /// The folder the templates came from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The source of a template, for locating diagnostics.
    pub fn source(&self, id: FileId) -> Option<&Source> {
        self.sources.get(&id)
    }
}

/// The file id of a virtual path in the project root.
pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// One document's world: shared fonts, templates and library, plus this document's data and date.
pub struct KefuWorld<'a> {
    pub(crate) library: &'a LazyHash<Library>,
    pub(crate) fonts: &'a FontStore,
    pub(crate) templates: &'a TemplateStore,
    pub(crate) main: FileId,
    pub(crate) data_id: FileId,
    pub(crate) data: Bytes,
    pub(crate) today: NaiveDate,
}

impl World for KefuWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        match self.templates.sources.get(&id) {
            Some(source) => Ok(source.clone()),
            None if id == self.data_id => Err(FileError::NotSource),
            None => Err(not_found(id)),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            return Ok(self.data.clone());
        }
        if let Some(source) = self.templates.sources.get(&id) {
            return Ok(Bytes::from_string(source.clone()));
        }
        self.templates.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Datetime::from_ymd(self.today.year(), self.today.month() as u8, self.today.day() as u8)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(PathBuf::from(id.vpath().get_with_slash()))
}
