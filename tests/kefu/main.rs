//! Integration tests: the library on the sample configuration, forms and templates of this
//! repository, and the `kefu` binary as staff run it.

mod architecture;
mod archive;
mod check;
mod cli;
mod department;
mod docs;
mod dunning;
mod failsoft;
mod hostile;
mod monthly;
mod pack;
mod pdf;
mod rules;
mod run;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use chrono::NaiveDate;
use kefu::config::Config;
use kefu::forms::FormSet;
use kefu::render::{FontStore, TemplateStore, Typesetter};

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The run date used throughout the tests.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

/// The sample configuration, forms and a typesetter over the repository's templates, built once.
pub struct Setup {
    pub config: Config,
    pub forms: FormSet,
    pub typesetter: Typesetter,
}

pub fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let config = Config::load(&root().join("input")).expect("sample configuration is valid");
        let forms = FormSet::load(&root().join("forms")).expect("form definitions are valid");
        let templates = TemplateStore::load(&root().join("templates")).expect("templates load");
        Setup { config, forms, typesetter: Typesetter::new(FontStore::embedded(), templates) }
    })
}

/// A path inside the repository.
pub fn repo(rel: &str) -> PathBuf {
    root().join(rel)
}

/// Runs the kefu binary from the repository root.
pub fn kefu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kefu")).current_dir(root()).args(args).output().expect("kefu runs")
}

/// What a run printed, stdout then stderr.
pub fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// Every file under `dir`: path relative to `dir` → bytes.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.strip_prefix(dir).unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    out
}

/// Copies the tree `from` into `to` (created when missing).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let p = entry.unwrap().path();
        let t = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &t);
        } else {
            std::fs::copy(&p, &t).unwrap();
        }
    }
}
