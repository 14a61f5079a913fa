//! Where each register lives: `input/mapping.yaml`, and the default names under `input/台帐/`.
//!
//! Input: the input folder. Output: one [`SourceSpec`] per file (and sheets) holding a register.
//! Without a mapping file every file in `input/台帐/` whose name starts with a form number
//! (`15-前台接待台帐.xlsx`), 房屋 (rooms) or 物业费 (fees) is read. The mapping file points kefu at
//! a department's existing workbooks: which file and sheets, where the header is, which of their
//! columns is which field. Failure: located problems in the mapping file (configuration).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Problem, Problems};
use crate::forms::{FORM_NUMBERS, FormSet, LedgerId};
use crate::model::RegisterId;

/// The mapping file inside the input folder.
pub const MAPPING_FILE: &str = "mapping.yaml";
/// The folder of registers found by name.
pub const REGISTER_DIR: &str = "台帐";

/// The forms whose records kefu prints itself and never reads (投诉分类统计表). Form 05 业主档案卷内目录
/// is read: it is the archive manager's filing log (业主档案建立、管理规程 3.1, 3.3).
pub const GENERATED_FORMS: [u8; 1] = [20];

/// Wide or long fee ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Detect from the header.
    #[default]
    Auto,
    /// One row per room and billing period.
    Long,
    /// One row per room, columns per month (2026年1月应收 / 2026年1月实收).
    Wide,
}

/// One file holding (part of) a register.
#[derive(Debug, Clone)]
pub struct SourceSpec {
    pub register: RegisterId,
    pub file: PathBuf,
    pub sheets: Option<Vec<String>>,
    /// 0-based header row, when given.
    pub header_row: Option<usize>,
    /// Their column header → field key or label, or 忽略 for a column not to read.
    pub columns: Vec<(String, String)>,
    pub layout: Layout,
    /// The year of dates typed without one, when the sheet's name, title and the file's name do
    /// not say it.
    pub year: Option<i32>,
    /// Per field (key or label): the department's word → the option it stands for.
    pub values: Vec<(String, Vec<(String, String)>)>,
    /// Per field (key or label): the value of a field the workbook has no column for.
    pub constants: Vec<(String, String)>,
    /// Rows whose first cells begin with one of these are not records (totals, notes, footers).
    pub skip_rows: Vec<String>,
}

impl SourceSpec {
    /// `file` holding `register`, read with what kefu finds by itself.
    pub fn new(register: RegisterId, file: PathBuf) -> SourceSpec {
        SourceSpec {
            register,
            file,
            sheets: None,
            header_row: None,
            columns: Vec::new(),
            layout: Layout::Auto,
            year: None,
            values: Vec::new(),
            constants: Vec::new(),
            skip_rows: Vec::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    /// The year of year-less dates in every file (each entry may say otherwise).
    #[serde(default)]
    year: Option<i32>,
    registers: Vec<MappingEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingEntry {
    /// `15`, `01`, `rooms`, `fees`.
    register: String,
    /// Relative to the input folder.
    file: PathBuf,
    #[serde(default)]
    sheets: Option<Vec<String>>,
    /// 1-based.
    #[serde(default)]
    header_row: Option<usize>,
    #[serde(default)]
    columns: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    layout: Layout,
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    values: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    #[serde(default)]
    constants: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    skip_rows: Vec<String>,
}

/// Parses `15`, `01`, `地王/客服记录-15`, `rooms`, `房屋及业主台帐`, `fees`, `物业费台帐`.
pub fn parse_register(text: &str, forms: &FormSet) -> Option<RegisterId> {
    let t = text.trim();
    for id in LedgerId::ALL {
        if t == id.key() || forms.ledger(id).is_some_and(|l| l.title == t) {
            return Some(RegisterId::Ledger(id));
        }
    }
    crate::forms::parse_selection(t).ok().and_then(|v| match v.as_slice() {
        [n] => Some(RegisterId::Form(*n)),
        _ => None,
    })
}

/// The register a file name says it holds: `15…` → form 15, `房屋…` → rooms, `物业费…` → fees.
pub fn register_of_file(path: &Path) -> Option<RegisterId> {
    let stem = path.file_stem()?.to_str()?.trim();
    if stem.starts_with("房屋") || stem.starts_with("rooms") {
        return Some(RegisterId::Ledger(LedgerId::Rooms));
    }
    if stem.starts_with("物业费") || stem.starts_with("fees") {
        return Some(RegisterId::Ledger(LedgerId::Fees));
    }
    if stem.starts_with("催缴") || stem.starts_with("dunning") {
        return Some(RegisterId::Ledger(LedgerId::Dunning));
    }
    let digits: String = stem.chars().take_while(char::is_ascii_digit).collect();
    let rest = &stem[digits.len()..];
    let n: u8 = digits.parse().ok()?;
    let separated = rest.is_empty() || rest.starts_with(|c: char| !c.is_ascii_digit());
    (digits.len() <= 2 && FORM_NUMBERS.contains(&n) && separated).then_some(RegisterId::Form(n))
}

/// Whether kefu can read a file of this extension.
pub fn readable(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
        Some("xlsx" | "xlsm" | "xls" | "xlsb" | "ods" | "yaml" | "yml")
    )
}

/// The sources of all registers: from the mapping file, then by name from `input/台帐/`.
/// Returns configuration problems (the mapping file) as `Err`, and warnings about files that
/// name no register alongside the sources.
pub fn discover(input: &Path, forms: &FormSet) -> Result<(Vec<SourceSpec>, Vec<Problem>), Problems> {
    let mapping_path = input.join(MAPPING_FILE);
    let mut specs = if mapping_path.exists() { from_mapping(input, forms, &mapping_path)? } else { Vec::new() };
    let mut warnings = Vec::new();
    let dir = input.join(REGISTER_DIR);
    if dir.is_dir() {
        by_name(&dir, &mut specs, &mut warnings)?;
    }
    Ok((specs, warnings))
}

/// The sources the mapping file names, each checked; every problem with it, or none.
fn from_mapping(input: &Path, forms: &FormSet, mapping_path: &Path) -> Result<Vec<SourceSpec>, Problems> {
    let mut specs = Vec::new();
    let text = std::fs::read_to_string(mapping_path)
        .map_err(|e| Problem::in_file(mapping_path, format!("无法读取映射文件：{}", crate::error::io_reason(&e))))?;
    let mut file: MappingFile = crate::yaml::from_str(&text, mapping_path)?;
    let mut problems = Vec::new();
    let registers = std::mem::take(&mut file.registers);
    for (i, e) in registers.into_iter().enumerate() {
        let what = format!("第 {} 项（register: {}）", i + 1, e.register);
        let Some(register) = parse_register(&e.register, forms) else {
            problems.push(Problem::in_file(
                mapping_path,
                format!("{what}：「{}」不是台帐，应为表单编号 01–31、rooms 或 fees", e.register),
            ));
            continue;
        };
        if let RegisterId::Form(n) = register
            && GENERATED_FORMS.contains(&n)
        {
            problems.push(Problem::in_file(mapping_path, format!("{what}：表单 {n:02} 由 kefu 生成，不作为台帐读取")));
            continue;
        }
        if e.file.is_absolute() || e.file.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
            problems.push(Problem::in_file(
                mapping_path,
                format!("{what}：文件路径应写在输入目录之内（相对路径，不含 ..）"),
            ));
            continue;
        }
        let path = input.join(&e.file);
        if !path.is_file() {
            problems.push(Problem::in_file(mapping_path, format!("{what}：找不到文件「{}」", path.display())));
            continue;
        }
        if e.header_row == Some(0) {
            problems.push(Problem::in_file(mapping_path, format!("{what}：header_row 从 1 开始计数")));
            continue;
        }
        let year = e.year.or(file.year);
        if year.is_some_and(|y| !(1900..=2100).contains(&y)) {
            problems.push(Problem::in_file(mapping_path, format!("{what}：year 应为 1900 至 2100 之间的四位年份")));
            continue;
        }
        specs.push(SourceSpec {
            register,
            file: path,
            sheets: e.sheets,
            header_row: e.header_row.map(|r| r - 1),
            columns: e.columns.into_iter().collect(),
            layout: e.layout,
            year,
            values: e.values.into_iter().map(|(f, m)| (f, m.into_iter().collect())).collect(),
            constants: e.constants.into_iter().collect(),
            skip_rows: e.skip_rows,
        });
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    Ok(specs)
}

/// The files under `dir` (`input/台帐/` and its folders) the mapping does not name, each as the
/// register its name says. A file whose name says no register is opened all the same: one that
/// cannot be read is an error; one that can is a warning, skipped. Office's lock files (`~$…`)
/// and hidden files are passed over without a word.
fn by_name(dir: &Path, specs: &mut Vec<SourceSpec>, warnings: &mut Vec<Problem>) -> Result<(), Problems> {
    for entry in walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                warnings.push(Problem::in_file(&path, format!("无法读取这个文件夹或文件：{e}，已跳过")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path().to_path_buf();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || name.starts_with("~$") || specs.iter().any(|s| s.file == path) {
            continue; // hidden files, Office lock files, and files the mapping already names
        }
        if !readable(&path) {
            warnings.push(
                Problem::in_file(&path, "不是 kefu 能读取的台帐（应为 .xlsx、.xls、.ods 或 .yaml），已跳过").warning(),
            );
            continue;
        }
        match register_of_file(&path) {
            Some(RegisterId::Form(n)) if GENERATED_FORMS.contains(&n) => warnings
                .push(Problem::in_file(&path, format!("表单 {n:02} 由 kefu 生成，不作为台帐读取，已跳过")).warning()),
            Some(register) => specs.push(SourceSpec::new(register, path)),
            None => warnings.push(unnamed(&path)),
        }
    }
    Ok(())
}

/// A file neither the mapping nor its name places: why it cannot be read (an error), or that it
/// was skipped (a warning).
fn unnamed(path: &Path) -> Problem {
    match super::workbook::probe(path) {
        Err(why) => Problem::in_file(path, format!("无法读取：{why}")),
        Ok(()) => Problem::in_file(
            path,
            "没有在 mapping.yaml 中，也无法从文件名判断是哪一本台帐，已跳过：请运行 kefu map 生成映射，或把文件名改为以表单编号开头（如 15-前台接待台帐.xlsx）",
        )
        .warning(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_name_their_register() {
        let r = |s: &str| register_of_file(Path::new(s));
        assert_eq!(r("15-前台接待台帐.xlsx"), Some(RegisterId::Form(15)));
        assert_eq!(r("03验房单.xls"), Some(RegisterId::Form(3)));
        assert_eq!(r("7 走访计划.ods"), Some(RegisterId::Form(7)));
        assert_eq!(r("房屋及业主台帐.xlsx"), Some(RegisterId::Ledger(LedgerId::Rooms)));
        assert_eq!(r("物业费台帐2026.xlsx"), Some(RegisterId::Ledger(LedgerId::Fees)));
        assert_eq!(r("催缴记录.xlsx"), Some(RegisterId::Ledger(LedgerId::Dunning)));
        assert_eq!(r("2026年报修.xlsx"), None);
        assert_eq!(r("32-x.xlsx"), None);
        assert_eq!(r("说明.xlsx"), None);
    }
}
