//! The view of a form as printed: blank (the controlled pack) or filled with records (registers,
//! sheets, dossiers), and the typesetting of such views through `templates/pack.typ`.
//!
//! Input: the configuration (document control), form definitions and, for filled forms, the rows
//! of display strings a command or rule view prepared. Output: PDF bytes and the typeset
//! document. Failure: template errors, and characters the shipped fonts cannot show (refused,
//! never printed as empty boxes).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::{Config, DocumentControl};
use crate::error::Error;
use crate::forms::{Field, FormDef, FormKind, Orientation, Paper, RegisterLayout, Segment, SheetLayout};
use crate::output::safe_file_name;
use crate::text::chinese_date;

use super::{Job, PdfFlavor, Typeset, Typesetter};

/// The main template of packs, single forms and filled forms.
pub const TEMPLATE: &str = "/pack.typ";

/// A register filled with records, as one PDF (no distribution number: it is a record, not a
/// controlled blank).
pub fn render_filled(
    config: &Config,
    form: &FormDef,
    filled: &Filled,
    typesetter: &Typesetter,
    as_of: NaiveDate,
    ident: String,
    forms_dir: &Path,
) -> Result<(Vec<u8>, Typeset), Error> {
    let view = PackView::filled(config, form, filled, as_of);
    typeset_view(typesetter, &view, ident, as_of, PdfFlavor::Plain, forms_dir)
}

/// A single-sheet form printed once per record (its first copy, the one the department files), in
/// one PDF: e.g. the month's 维修单 for binding.
pub fn render_filled_sheets(
    config: &Config,
    form: &FormDef,
    records: &[BTreeMap<String, String>],
    typesetter: &Typesetter,
    as_of: NaiveDate,
    ident: String,
    forms_dir: &Path,
) -> Result<(Vec<u8>, Typeset), Error> {
    let prefix = &config.document_control.form_prefix;
    let mut view = PackView::new(config, &[form], "", as_of, false);
    view.forms = records
        .iter()
        .enumerate()
        .map(|(i, document)| {
            let filled = Filled { document: document.clone(), rows: Vec::new(), total: None };
            let mut v = FormView::filled(form, prefix, &filled);
            v.copies.truncate(1);
            v.key = Some(format!("f{}-r{}", form.number, i + 1));
            v
        })
        .collect();
    typeset_view(typesetter, &view, ident, as_of, PdfFlavor::Plain, forms_dir)
}

/// One form of one copy as its own PDF.
pub fn render_single(
    config: &Config,
    form: &FormDef,
    typesetter: &Typesetter,
    copy_no: &str,
    as_of: NaiveDate,
    flavor: PdfFlavor,
    forms_dir: &Path,
) -> Result<(Vec<u8>, Typeset), Error> {
    let view = PackView::new(config, &[form], copy_no, as_of, false);
    let ident = format!("kefu/form/{}/{copy_no}", form.code(&config.document_control.form_prefix));
    typeset_view(typesetter, &view, ident, as_of, flavor, forms_dir)
}

/// Typesets a pack view and refuses output with characters the fonts cannot show.
pub fn typeset_view(
    typesetter: &Typesetter,
    view: &PackView<'_>,
    ident: String,
    as_of: NaiveDate,
    flavor: PdfFlavor,
    forms_dir: &Path,
) -> Result<(Vec<u8>, Typeset), Error> {
    let job = Job { template: TEMPLATE, data: view, date: as_of, ident, flavor };
    let typeset = typesetter.typeset(&job)?;
    refuse_missing_glyphs(&typeset, forms_dir)?;
    let pdf = typesetter.export(&typeset.document, &job, None)?;
    Ok((pdf, typeset))
}

/// A character without a glyph would print as an empty box: refuse instead of printing it.
fn refuse_missing_glyphs(typeset: &Typeset, forms_dir: &Path) -> Result<(), Error> {
    let missing = typeset.missing_glyphs();
    if missing.is_empty() {
        return Ok(());
    }
    let problems = missing
        .iter()
        .map(|(page, c)| {
            crate::error::Problem::in_file(
                forms_dir,
                format!(
                    "第 {page} 页上的字符「{c}」（U+{:04X}）内置字体中没有字形，会印成空框；请改用其他字符",
                    *c as u32
                ),
            )
        })
        .collect();
    Err(Error::Config(crate::error::Problems(problems)))
}

/// `16-工程部维修单.pdf`.
pub fn form_file_name(form: &FormDef) -> String {
    safe_file_name(&format!("{:02}-{}.pdf", form.number, form.title))
}

/// The data handed to `templates/pack.typ`.
#[derive(Debug, Serialize)]
pub struct PackView<'a> {
    title: String,
    doc: DocView<'a>,
    copy_no: &'a str,
    printed: String,
    with_cover: bool,
    range_text: String,
    groups: Vec<GroupView<'a>>,
    forms: Vec<FormView<'a>>,
}

/// The document-control facts every controlled page prints.
#[derive(Debug, Serialize)]
pub struct DocView<'a> {
    company: &'a str,
    estate: &'a str,
    department: &'a str,
    manual_title: &'a str,
    manual_code: &'a str,
    version: String,
    issued: String,
    effective: String,
    prepared_by: &'a str,
    reviewed_by: &'a str,
    approved_by: &'a str,
}

impl<'a> DocView<'a> {
    /// The facts of `config`.
    pub fn new(config: &'a Config) -> DocView<'a> {
        let dc: &DocumentControl = &config.document_control;
        DocView {
            company: &config.company,
            estate: &config.estate,
            department: &config.department,
            manual_title: &dc.manual_title,
            manual_code: &dc.manual_code,
            version: dc.version_text(),
            issued: chinese_date(dc.issued),
            effective: chinese_date(dc.effective),
            prepared_by: &dc.prepared_by,
            reviewed_by: &dc.reviewed_by,
            approved_by: &dc.approved_by,
        }
    }
}

#[derive(Debug, Serialize)]
struct GroupView<'a> {
    procedure: &'a str,
    forms: Vec<u8>,
}

/// A form as the templates see it.
#[derive(Debug, Serialize)]
pub struct FormView<'a> {
    number: u8,
    code: String,
    title: &'a str,
    procedure: &'a str,
    purpose: &'a str,
    kind: FormKind,
    kind_label: &'static str,
    paper: &'static str,
    paper_label: String,
    landscape: bool,
    copies: Vec<String>,
    fields: Vec<FieldView<'a>>,
    register: &'a RegisterLayout,
    sheet: &'a SheetLayout,
    letter: Option<LetterView>,
    notes: &'a [String],
    rows: Vec<Vec<String>>,
    /// A 合计 row under filled rows (money columns summed).
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<Vec<String>>,
    /// The marker prefix of this instance when one form is printed many times (a sheet per record).
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    /// The PDF bookmark of this instance (default: code and title).
    #[serde(skip_serializing_if = "Option::is_none")]
    bookmark: Option<String>,
}

#[derive(Debug, Serialize)]
struct FieldView<'a> {
    #[serde(flatten)]
    field: &'a Field,
    value: Option<String>,
}

#[derive(Debug, Serialize)]
struct LetterView {
    salutation: Vec<Segment>,
    body: Vec<Vec<Segment>>,
    closing: Option<Vec<Segment>>,
    receipt: Option<String>,
}

impl<'a> FormView<'a> {
    /// The blank form.
    pub fn blank(form: &'a FormDef, prefix: &str) -> FormView<'a> {
        let copies = if form.copies > 1 {
            (0..usize::from(form.copies)).map(|i| form.copy_label(i)).collect()
        } else {
            vec![String::new()]
        };
        let (paper, paper_name) = match form.paper {
            Paper::A4 => ("a4", "A4"),
            Paper::A5 => ("a5", "A5"),
        };
        let landscape = form.orientation == Orientation::Landscape;
        let letter = form.letter.as_ref().map(|l| {
            // Validated when the form set was loaded, so parsing cannot fail here.
            let segs = |s: &str| crate::forms::parse_segments(s).unwrap_or_default();
            LetterView {
                salutation: segs(&l.salutation),
                body: l.body.iter().map(|p| segs(p)).collect(),
                closing: l.closing.as_deref().map(segs),
                receipt: l.receipt.clone(),
            }
        });
        FormView {
            number: form.number,
            code: form.code(prefix),
            title: &form.title,
            procedure: &form.procedure,
            purpose: &form.purpose,
            kind: form.kind,
            kind_label: form.kind.label(),
            paper,
            paper_label: format!("{paper_name}{}", if landscape { "横" } else { "竖" }),
            landscape,
            copies,
            fields: form.fields.iter().map(|field| FieldView { field, value: None }).collect(),
            register: &form.register,
            sheet: &form.sheet,
            letter,
            notes: &form.notes,
            rows: Vec::new(),
            total: None,
            key: None,
            bookmark: None,
        }
    }
}

impl FormView<'_> {
    /// This instance's page-marker prefix and bookmark, for a form printed several times in one
    /// document; only its first copy (联) is printed.
    pub fn instance(mut self, key: String, bookmark: String) -> Self {
        self.key = Some(key);
        self.bookmark = Some(bookmark);
        self.copies.truncate(1);
        self
    }

    /// A letter-kind form printed as a sheet of its recorded values (the letter's wording is for
    /// the owner's copy; the archive keeps the facts).
    pub fn as_sheet(mut self) -> Self {
        if self.kind == FormKind::Letter {
            self.kind = FormKind::Sheet;
            self.kind_label = FormKind::Sheet.label();
            self.letter = None;
        }
        self
    }

    /// The marker prefix of this instance.
    pub fn key(&self) -> String {
        self.key.clone().unwrap_or_else(|| format!("f{}", self.number))
    }
}

/// A filled register: the values printed once above the table (by field key) and one row of
/// display strings per record, in the order of the form's row fields.
#[derive(Debug, Clone, Default)]
pub struct Filled {
    pub document: BTreeMap<String, String>,
    pub rows: Vec<Vec<String>>,
    /// A 合计 row printed under the rows, in the same column order (empty strings for blanks).
    pub total: Option<Vec<String>>,
}

impl<'a> FormView<'a> {
    /// The form filled with records.
    pub fn filled(form: &'a FormDef, prefix: &str, filled: &Filled) -> FormView<'a> {
        let mut view = FormView::blank(form, prefix);
        for f in &mut view.fields {
            f.value = filled.document.get(&f.field.key).cloned();
        }
        view.rows = filled.rows.clone();
        view.total = filled.total.clone();
        view
    }
}

impl<'a> PackView<'a> {
    /// The view of one register filled with records (no distribution number), as
    /// [`render_filled`] typesets it.
    pub fn filled(config: &'a Config, form: &'a FormDef, filled: &Filled, as_of: NaiveDate) -> PackView<'a> {
        let mut view = PackView::new(config, &[form], "", as_of, false);
        view.forms = vec![FormView::filled(form, &config.document_control.form_prefix, filled)];
        view
    }

    /// The view of `forms` for distribution copy `copy_no`: with cover and contents (a pack), or without (single forms).
    pub fn new(
        config: &'a Config,
        forms: &[&'a FormDef],
        copy_no: &'a str,
        as_of: NaiveDate,
        with_cover: bool,
    ) -> Self {
        let prefix = &config.document_control.form_prefix;
        let mut groups: Vec<GroupView<'a>> = Vec::new();
        for form in forms {
            match groups.iter_mut().find(|g| g.procedure == form.procedure) {
                Some(g) => g.forms.push(form.number),
                None => groups.push(GroupView { procedure: &form.procedure, forms: vec![form.number] }),
            }
        }
        let range_text = match (forms.first(), forms.last()) {
            (Some(a), Some(b)) if forms.len() > 1 => {
                format!("{} 至 {}（{} 种）", a.code(prefix), b.code(prefix), forms.len())
            }
            (Some(a), _) => a.code(prefix),
            _ => String::new(),
        };
        let title = if with_cover {
            format!("{} 受控表单汇编 分发号{copy_no}", config.document_control.manual_title)
        } else {
            forms.first().map(|f| format!("{} {}", f.code(prefix), f.title)).unwrap_or_default()
        };
        PackView {
            title,
            doc: DocView::new(config),
            copy_no,
            printed: chinese_date(as_of),
            with_cover,
            range_text,
            groups,
            forms: forms.iter().map(|f| FormView::blank(f, prefix)).collect(),
        }
    }
}
