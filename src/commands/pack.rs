//! `kefu pack`: the controlled form pack (受控表单汇编).
//!
//! Input: the configuration (issuing identity), the form definitions, the templates, the copy
//! count and an optional selection of forms. Output, in `output/受控表单/`: for each distribution
//! copy (分发号 01 … N) one PDF with cover, contents and every selected form blank; each form as its
//! own PDF per copy; and the distribution register (受控文件发放登记表) as xlsx. Failure: template
//! errors (configuration), write errors; nothing replaces the previous pack unless all is written.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::session::{Env, Outcome};
use crate::config::Config;
use crate::error::Error;
use crate::forms::{FORM_NUMBERS, FormDef, FormSet, parse_selection};
use crate::output::Staging;
use crate::progress::Progress;
use crate::render::filled::{PackView, form_file_name, render_single, typeset_view};
use crate::render::xlsx::{self, Formats, Table};
use crate::render::{Diagnostic, FontStore, PdfFlavor, TemplateStore, Typesetter};
use crate::text::chinese_date;

/// The folder of the pack inside the output folder.
pub const PACK_DIR: &str = "受控表单";

/// What to print.
#[derive(Debug, Clone)]
pub struct PackOptions {
    /// Number of distribution copies (分发号 01 … N).
    pub copies: u8,
    /// Form numbers to include, ascending.
    pub forms: Vec<u8>,
    /// The run date printed on the documents.
    pub as_of: NaiveDate,
}

/// What `pack` produced.
#[derive(Debug, Default)]
pub struct PackReport {
    /// Where the pack was written.
    pub dir: PathBuf,
    /// Pack PDFs (one per copy).
    pub packs: usize,
    /// Pages of one pack.
    pub pack_pages: usize,
    /// Single-form PDFs.
    pub single_forms: usize,
    /// Workbooks.
    pub workbooks: usize,
    /// Typst warnings, deduplicated.
    pub warnings: Vec<Diagnostic>,
}

/// `kefu pack`: `copies` distribution copies of the forms `selection` names (all when `None`).
pub fn execute(env: &Env, copies: u8, selection: Option<&str>) -> Result<Outcome, Error> {
    let forms_selected = match selection {
        Some(text) => parse_selection(text).map_err(|e| Error::Usage(e.to_string()))?,
        None => FORM_NUMBERS.collect(),
    };
    // Read everything first and report all configuration problems together.
    let ((config, forms), templates) = match (env.definitions(), TemplateStore::load(&env.templates_dir)) {
        (Ok(s), Ok(t)) => (s, t),
        (Err(Error::Config(mut p)), Err(t)) => {
            p.0.extend(t.0);
            return Err(Error::Config(p));
        }
        (Err(e), _) => return Err(e),
        (_, Err(t)) => return Err(Error::Config(t)),
    };
    let as_of = env.run_date(Some(&config));
    let typesetter = Typesetter::new(FontStore::embedded(), templates);
    let options = PackOptions { copies, forms: forms_selected, as_of };
    let report = run(&config, &forms, &typesetter, &options, &env.output)?;
    for w in &report.warnings {
        eprintln!("警告：{w}");
    }
    Ok(Outcome::ok(format!(
        "已生成受控表单汇编 {} 套（{} 种表单，每套 {} 页）、单份表单 {} 个、发放登记表 {} 份，{} 条警告，输出在 {}",
        report.packs,
        options.forms.len(),
        report.pack_pages,
        report.single_forms,
        report.workbooks,
        report.warnings.len(),
        report.dir.display()
    )))
}

/// Prints the pack into `output`.
pub fn run(
    config: &Config,
    forms: &FormSet,
    typesetter: &Typesetter,
    options: &PackOptions,
    output: &std::path::Path,
) -> Result<PackReport, Error> {
    let selected: Vec<&FormDef> = options.forms.iter().filter_map(|n| forms.get(*n)).collect();
    let mut staging = Staging::begin(output, PACK_DIR)?;
    let mut report = PackReport::default();
    let total = usize::from(options.copies) * (1 + selected.len()) + 1;
    let progress = Progress::new(total as u64, "排版受控表单");
    for copy in 1..=options.copies {
        let copy_no = format!("{copy:02}");
        let view = PackView::new(config, &selected, &copy_no, options.as_of, true);
        let ident = format!("kefu/pack/{}/{copy_no}", config.document_control.manual_code);
        let (pdf, typeset) = typeset_view(typesetter, &view, ident, options.as_of, PdfFlavor::Plain, forms.dir())?;
        report.pack_pages = typeset.document.pages().len();
        note_warnings(&mut report.warnings, typeset.warnings);
        staging.write(&PathBuf::from(pack_file_name(&copy_no)), &pdf)?;
        report.packs += 1;
        progress.inc();
        for form in &selected {
            let (pdf, typeset) =
                render_single(config, form, typesetter, &copy_no, options.as_of, PdfFlavor::Plain, forms.dir())?;
            note_warnings(&mut report.warnings, typeset.warnings);
            let rel = PathBuf::from(format!("分发号{copy_no}")).join(form_file_name(form));
            staging.write(&rel, &pdf)?;
            report.single_forms += 1;
            progress.inc();
            typst::comemo::evict(10);
        }
    }
    let register = distribution_register(config, options, report.pack_pages)?;
    staging.write(&PathBuf::from("受控文件发放登记表.xlsx"), &register)?;
    report.workbooks += 1;
    progress.inc();
    progress.finish();
    report.dir = staging.commit()?;
    Ok(report)
}

fn note_warnings(all: &mut Vec<Diagnostic>, new: Vec<Diagnostic>) {
    for w in new {
        if !all.contains(&w) {
            all.push(w);
        }
    }
}

/// `受控表单汇编-分发号01.pdf`.
pub fn pack_file_name(copy_no: &str) -> String {
    format!("受控表单汇编-分发号{copy_no}.pdf")
}

/// The distribution register (受控文件发放登记表): one row per copy, recipient columns blank.
fn distribution_register(config: &Config, options: &PackOptions, pages: usize) -> Result<Vec<u8>, Error> {
    let dc = &config.document_control;
    let mut wb = xlsx::workbook(options.as_of, "受控文件发放登记表", &config.company)?;
    let f = Formats::default();
    let ws = wb.add_worksheet();
    let headers: [(&str, f64); 13] = [
        ("序号", 2.5),
        ("分发号", 3.5),
        ("文件名称", 14.0),
        ("文件编号", 13.0),
        ("版本", 7.0),
        ("页数", 3.0),
        ("领用部门", 6.0),
        ("领用人", 5.0),
        ("发放日期", 6.0),
        ("领用人签字", 6.0),
        ("回收日期", 6.0),
        ("回收人签字", 6.0),
        ("备注", 8.0),
    ];
    let last = (headers.len() - 1) as u16;
    let e = xlsx::xlsx_error;
    let sub = format!(
        "{}　{}　文件：{}（{}）　版本：{}　打印日期：{}",
        config.company,
        config.estate,
        dc.manual_title,
        dc.manual_code,
        dc.version_text(),
        chinese_date(options.as_of)
    );
    let table = Table::new("发放登记", "受控文件发放登记表", &sub, &headers).title_height(30.0).unfiltered();
    table.write(ws, &f, |ws| {
        ws.set_row_height(2, 22).map_err(e)?;
        let name = format!("{} 受控表单汇编", dc.manual_title);
        for copy in 1..=u32::from(options.copies) {
            let row = 2 + copy;
            ws.set_row_height(row, 26).map_err(e)?;
            ws.write_number_with_format(row, 0, f64::from(copy), &f.cell_center).map_err(e)?;
            ws.write_string_with_format(row, 1, format!("{copy:02}"), &f.cell_center).map_err(e)?;
            ws.write_string_with_format(row, 2, &name, &f.cell).map_err(e)?;
            ws.write_string_with_format(row, 3, &dc.manual_code, &f.cell).map_err(e)?;
            ws.write_string_with_format(row, 4, dc.version_text(), &f.cell_center).map_err(e)?;
            ws.write_number_with_format(row, 5, pages as f64, &f.cell_center).map_err(e)?;
            for col in 6..=last {
                ws.write_blank(row, col, &f.cell).map_err(e)?;
            }
        }
        Ok(u32::from(options.copies))
    })?;
    wb.save_to_buffer().map_err(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_have_no_separators() {
        let yaml = "number: 24\ntitle: 钥匙借用/领用登记表\nprocedure: 钥匙管理规定\npurpose: x\nkind: register\norientation: landscape\nfields:\n  - {key: a, label: 甲, type: text, width: 3}\n";
        let form = FormDef::parse(yaml, std::path::Path::new("24.yaml")).unwrap();
        assert_eq!(form_file_name(&form), "24-钥匙借用_领用登记表.pdf");
    }
}
