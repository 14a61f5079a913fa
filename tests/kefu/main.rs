//! Integration tests: the library on the sample configuration, forms and templates of this
//! repository, and the `kefu` binary as staff run it.

mod archive;
mod check;
mod cli;
mod docs;
mod dunning;
mod hostile;
mod monthly;
mod pack;
mod pdf;
mod rules;
mod run;

use std::path::{Path, PathBuf};
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
