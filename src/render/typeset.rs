//! Typesetting: data + a template → PDF bytes, with located diagnostics.
//!
//! Input: a template path, the document's data (serialized to the virtual `/data.json`), the run
//! date and a stable identifier. Output: the PDF, its page count and typst's warnings.
//! Failure: template errors as `file:line:col` (a template is configuration, so the exit code is
//! 2); a PDF/A export refused because a character has no glyph.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst::layout::PageRanges;
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::world::{DATA_PATH, KefuWorld, TemplateStore, file_id};
use crate::error::{Error, Problem, Problems};
use crate::fonts::FontStore;

/// Which PDF flavour to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfFlavor {
    /// Plain, untagged PDF 1.7: small files for printing.
    Plain,
    /// PDF/A-2b for the archive: embedded fonts, output intent, no missing glyphs.
    ArchiveA2b,
}

/// One document to typeset.
pub struct Job<'a, T: Serialize> {
    /// Virtual path of the main template, e.g. `/pack.typ`.
    pub template: &'a str,
    /// The document's data, handed to the template as `/data.json`.
    pub data: &'a T,
    /// The date typst's `datetime.today()` returns and the PDF's creation date.
    pub date: NaiveDate,
    /// A stable identifier of this document (the PDF's /ID is derived from it).
    pub ident: String,
    /// Plain PDF or PDF/A-2b.
    pub flavor: PdfFlavor,
}

/// A typeset document.
#[derive(Debug)]
pub struct Typeset {
    /// The laid-out pages.
    pub document: PagedDocument,
    /// Warnings typst reported (an unknown font, an overfull box …).
    pub warnings: Vec<Diagnostic>,
}

impl Typeset {
    /// Characters the fonts could not show (they would print as empty boxes), with the 1-based
    /// page they are on, in order of appearance, each character once.
    pub fn missing_glyphs(&self) -> Vec<(usize, char)> {
        let mut out: Vec<(usize, char)> = Vec::new();
        for (i, page) in self.document.pages().iter().enumerate() {
            collect_missing(&page.frame, i + 1, &mut out);
        }
        out
    }

    /// An input error naming the first character the fonts cannot show — `document` is what is
    /// being printed (e.g. 月度报告), `advice` what to do — or `Ok` when every glyph is there.
    pub fn refuse_missing_glyphs(&self, file: &std::path::Path, document: &str, advice: &str) -> Result<(), Error> {
        match self.missing_glyphs().first() {
            None => Ok(()),
            Some((page, c)) => Err(Error::Input(crate::error::Problems(vec![crate::error::Problem::in_file(
                file,
                format!("{document}第 {page} 页上的字符「{c}」（U+{:04X}）内置字体中没有字形，{advice}", *c as u32),
            )]))),
        }
    }
}

fn collect_missing(frame: &typst::layout::Frame, page: usize, out: &mut Vec<(usize, char)>) {
    use typst::layout::FrameItem;
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => collect_missing(&group.frame, page, out),
            FrameItem::Text(text) => {
                for glyph in text.glyphs.iter().filter(|g| g.id == 0) {
                    let chars = text.text.get(glyph.range()).unwrap_or("").chars();
                    for c in chars.filter(|c| !c.is_whitespace()) {
                        if !out.iter().any(|(_, seen)| *seen == c) {
                            out.push((page, c));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// A typst message located in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Template file, 1-based line and column; `None` when typst gave no span in a template.
    pub location: Option<(std::path::PathBuf, usize, usize)>,
    /// typst's message (English) with its hints.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some((file, line, col)) => write!(f, "{}:{line}:{col}：{}", file.display(), self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The typesetter: fonts, templates and the standard library, built once and shared.
pub struct Typesetter {
    fonts: FontStore,
    templates: TemplateStore,
    library: LazyHash<Library>,
}

impl Typesetter {
    /// Builds a typesetter with the embedded fonts and the templates of `templates`.
    pub fn new(fonts: FontStore, templates: TemplateStore) -> Typesetter {
        let library = LazyHash::new(Library::builder().build());
        Typesetter { fonts, templates, library }
    }

    /// The fonts, for glyph-coverage checks.
    pub fn fonts(&self) -> &FontStore {
        &self.fonts
    }

    /// Lays out a document.
    pub fn typeset<T: Serialize>(&self, job: &Job<'_, T>) -> Result<Typeset, Error> {
        let main = self.templates.id(job.template).ok_or_else(|| {
            Error::Config(Problems(vec![Problem::in_file(
                &self.templates.dir().join(job.template.trim_start_matches('/')),
                "找不到排版模板",
            )]))
        })?;
        let data = serde_json::to_vec(job.data).map_err(|e| Error::Internal(format!("数据无法序列化：{e}")))?;
        let world = KefuWorld {
            library: &self.library,
            fonts: &self.fonts,
            templates: &self.templates,
            main,
            data_id: file_id(DATA_PATH).expect("a valid constant path"),
            data: typst::foundations::Bytes::new(data),
            today: job.date,
        };
        let result = typst::compile::<PagedDocument>(&world);
        let warnings = result.warnings.iter().map(|d| self.diagnostic(&world, d)).collect();
        match result.output {
            Ok(document) => Ok(Typeset { document, warnings }),
            Err(errors) => Err(self.template_error(&world, &errors)),
        }
    }

    /// Lays out a document and writes it as PDF.
    pub fn pdf<T: Serialize>(&self, job: &Job<'_, T>) -> Result<(Vec<u8>, Typeset), Error> {
        let typeset = self.typeset(job)?;
        let bytes = self.export(&typeset.document, job, None)?;
        Ok((bytes, typeset))
    }

    /// Writes pages of a laid-out document (all when `pages` is `None`) as PDF.
    pub fn export<T: Serialize>(
        &self,
        document: &PagedDocument,
        job: &Job<'_, T>,
        pages: Option<PageRanges>,
    ) -> Result<Vec<u8>, Error> {
        let standards = match job.flavor {
            PdfFlavor::Plain => PdfStandards::default(),
            PdfFlavor::ArchiveA2b => PdfStandards::new(&[PdfStandard::A_2b])
                .map_err(|e| Error::Internal(format!("PDF/A 配置无效：{}", e.message())))?,
        };
        let date = Datetime::from_ymd_hms(job.date.year(), job.date.month() as u8, job.date.day() as u8, 0, 0, 0)
            .ok_or_else(|| Error::Internal(format!("日期 {} 无法写入 PDF", job.date)))?;
        let options = PdfOptions {
            ident: Smart::Custom(job.ident.clone()),
            creator: Smart::Custom(Some(format!("kefu {}", env!("CARGO_PKG_VERSION")))),
            timestamp: Some(Timestamp::new_local(date, 8 * 60).expect("UTC+8 is a valid offset")),
            page_ranges: pages,
            standards,
            tagged: false,
            pretty: false,
        };
        typst_pdf::pdf(document, &options).map_err(|errors| {
            let world = self.detached_world(job.date);
            self.template_error(&world, &errors)
        })
    }

    fn detached_world(&self, date: NaiveDate) -> KefuWorld<'_> {
        let data_id = file_id(DATA_PATH).expect("a valid constant path");
        KefuWorld {
            library: &self.library,
            fonts: &self.fonts,
            templates: &self.templates,
            main: data_id,
            data_id,
            data: typst::foundations::Bytes::new(Vec::<u8>::new()),
            today: date,
        }
    }

    fn template_error(&self, world: &KefuWorld<'_>, errors: &[SourceDiagnostic]) -> Error {
        let problems = errors
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| {
                let diag = self.diagnostic(world, d);
                let message = format!("排版失败：{}", diag.message);
                match diag.location {
                    Some((file, line, col)) => Problem::at_line(&file, line, col, message),
                    None => Problem::in_file(self.templates.dir(), message),
                }
            })
            .collect();
        Error::Config(Problems(problems))
    }

    /// Locates a typst diagnostic as `templates/x.typ:line:col`.
    fn diagnostic(&self, world: &KefuWorld<'_>, diag: &SourceDiagnostic) -> Diagnostic {
        let mut message = diag.message.to_string();
        for hint in &diag.hints {
            message.push_str(&format!("（提示：{}）", hint.v));
        }
        let location = diag.span.id().and_then(|id| {
            let range = world.range(diag.span)?;
            let path = id.vpath().get_with_slash().trim_start_matches('/').to_string();
            let source = self.templates.source(id)?;
            let (line, col) = source.lines().byte_to_line_column(range.start)?;
            Some((self.templates.dir().join(path), line + 1, col + 1))
        });
        Diagnostic { location, message }
    }
}
