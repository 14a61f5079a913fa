//! `kefu run`: the month-end batch — check, rules and the deadline list, dunning letters, the
//! monthly report and the archive — in one process, with the templates and fonts loaded once.
//!
//! Input: the input folder, the month and the run date. Output: `output/月末/YYYY-MM/` holding
//! `期限清单/`, `催缴/`, `月报/`, `archive/` and `运行清单.json` (every output file with its
//! sha256, and every input file's). The whole folder is written beside the previous one and put in
//! its place only when every stage has finished: a failure at any stage leaves the previous
//! month-end output as it was. The archive starts from the previous run's (hard links), so only
//! changed households are typeset. If `check` finds errors nothing is rendered (exit 1).

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use super::session::{Env, Outcome, Stage, StageInput};
use crate::error::Error;
use crate::model::YearMonth;
use crate::output::Staging;
use crate::render::problem_list;

/// Folder of the month-end outputs inside the output folder.
pub const DIR: &str = "月末";
/// The run manifest inside a month-end folder.
pub const MANIFEST: &str = "运行清单.json";

/// What a run did, stage by stage.
#[derive(Debug, Default)]
pub struct Report {
    pub dir: PathBuf,
    /// (stage, one-line result, seconds).
    pub stages: Vec<(&'static str, String, f64)>,
    pub warnings: usize,
    pub files: usize,
    /// Records left out for their errors (listed in the data problems list).
    pub excluded: usize,
}

#[derive(Serialize)]
struct FileHash {
    file: String,
    sha256: String,
    bytes: u64,
}

#[derive(Serialize)]
struct RunManifest {
    kefu: &'static str,
    month: String,
    as_of: String,
    inputs: Vec<FileHash>,
    outputs: Vec<FileHash>,
}

/// `kefu run`: every stage for the month (`--month`, else the configured report month) into
/// `output/月末/<month>/`.
pub fn execute(env: &Env, month: Option<YearMonth>, stages: &[&dyn Stage]) -> Result<Outcome, Error> {
    let session = env.session()?;
    let month = env.month(month, &session);
    let typesetter = env.typesetter()?;
    let input = StageInput { session: &session, typesetter: &typesetter, templates: &env.templates_dir, month };
    let report = run(&input, stages, &env.output)?;
    Ok(session.outcome(report.summary()))
}

/// Runs `stages` in order into `output/月末/<month>/`.
pub fn run(input: &StageInput<'_>, stages: &[&dyn Stage], output: &Path) -> Result<Report, Error> {
    let session = input.session;
    let root = output.join(DIR);
    let name = input.month.to_string();
    let warnings = session.loaded.problems.iter().filter(|p| !p.is_error()).count();
    let mut report = Report { warnings, ..Report::default() };
    let staging = Staging::begin(&root, &name)?;
    let tmp = staging.path().to_path_buf();
    let (tmp_text, final_text) = (tmp.display().to_string(), staging.final_path().display().to_string());
    // The data problems first: what the rest leaves out, and why.
    let problems = problem_list::lines(&session.exclusions, &session.forms);
    let list = problem_list::workbook(&problems, session.as_of, &session.config.company, &session.config.estate)?;
    let list_path = tmp.join(problem_list::FILE);
    std::fs::write(&list_path, list).map_err(|e| Error::io("写入", &list_path, &e))?;
    report.excluded = problems.len();
    for stage in stages {
        let t = Instant::now();
        // Start from the latest run's copy, linked, so unchanged files are not made again.
        if let Some(folder) = stage.reuses()
            && let Some(previous) = latest(&root, folder)
        {
            link_tree(&previous, &tmp.join(folder))?;
        }
        // The stages report where their files will be once the run is in place.
        let line = stage.write(input, &tmp)?.replace(&tmp_text, &final_text);
        report.stages.push((stage.name(), line, t.elapsed().as_secs_f64()));
    }
    let outputs = hash_tree(&tmp)?;
    report.files = outputs.len();
    let manifest = RunManifest {
        kefu: env!("CARGO_PKG_VERSION"),
        month: name.clone(),
        as_of: session.as_of.to_string(),
        inputs: hash_tree(&session.input)?,
        outputs,
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Internal(e.to_string()))?;
    std::fs::write(tmp.join(MANIFEST), json).map_err(|e| Error::io("写入", &tmp.join(MANIFEST), &e))?;
    report.dir = staging.commit()?;
    Ok(report)
}

impl Report {
    /// One line per stage, then the closing line.
    pub fn summary(&self) -> String {
        let mut out: Vec<String> =
            self.stages.iter().map(|(s, line, t)| format!("【{s}】{line}（{t:.1} 秒）")).collect();
        let excluded = if self.excluded > 0 {
            format!("，{} 处有误的记录未计入（见 {}）", self.excluded, problem_list::FILE)
        } else {
            String::new()
        };
        out.push(format!(
            "月末作业完成：{} 个文件，台帐警告 {} 条{excluded}；输出在 {}（清单见 {MANIFEST}）",
            self.files,
            self.warnings,
            self.dir.display()
        ));
        out.join("\n")
    }
}

/// `folder` in the most recent month-end folder that has it (by folder name, the latest month
/// first). A month-end folder is only ever put in place whole, so what it holds is complete.
fn latest(root: &Path, folder: &str) -> Option<PathBuf> {
    let mut months: Vec<PathBuf> = std::fs::read_dir(root)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| !n.starts_with('.')))
        .filter(|p| p.join(MANIFEST).is_file() && p.join(folder).is_dir())
        .collect();
    months.sort();
    months.pop().map(|p| p.join(folder))
}

/// Recreates the tree `from` at `to` with hard links (copies where links are impossible); the
/// archive rewrites a changed file by renaming a new one over it, so the old tree is never touched.
fn link_tree(from: &Path, to: &Path) -> Result<(), Error> {
    let mut stack = vec![(from.to_path_buf(), to.to_path_buf())];
    while let Some((src, dst)) = stack.pop() {
        std::fs::create_dir_all(&dst).map_err(|e| Error::io("创建目录", &dst, &e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&dst, std::fs::Permissions::from_mode(0o700));
        }
        let entries = std::fs::read_dir(&src).map_err(|e| Error::io("读取", &src, &e))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let target = dst.join(entry.file_name());
            if path.is_dir() {
                stack.push((path, target));
            } else if std::fs::hard_link(&path, &target).is_err() {
                std::fs::copy(&path, &target).map_err(|e| Error::io("复制", &path, &e))?;
            }
        }
    }
    Ok(())
}

/// Every file under `dir` (relative path, sha256, size), sorted by path.
fn hash_tree(dir: &Path) -> Result<Vec<FileHash>, Error> {
    crate::output::files_under(dir)?
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).map_err(|e| Error::io("读取", &p, &e))?;
            let rel = p.strip_prefix(dir).unwrap_or(&p).to_string_lossy().replace('\\', "/");
            Ok(FileHash { file: rel, sha256: crate::output::sha256_hex(&bytes), bytes: bytes.len() as u64 })
        })
        .collect()
}
