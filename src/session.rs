//! Everything a rule-applying command needs, loaded once: configuration, form definitions,
//! working-day calendar, complaint rules and the registers.
//!
//! Input: the global paths and the run date. Output: a [`Session`] whose [`Session::context`]
//! the rules read. Failure: configuration problems (exit 2) all together; registers with errors
//! (exit 1) — rules are not applied to data `kefu check` rejects.

use std::path::Path;

use chrono::NaiveDate;

use crate::config::Config;
use crate::error::{Error, Problem, Problems};
use crate::forms::FormSet;
use crate::load::{self, Loaded};
use crate::rules::complaints::Classifier;
use crate::rules::{Calendar, Context};

/// The loaded inputs of one run.
pub struct Session {
    pub config: Config,
    pub forms: FormSet,
    pub calendar: Calendar,
    pub classifier: Classifier,
    pub loaded: Loaded,
    pub as_of: NaiveDate,
    /// The input folder read.
    pub input: std::path::PathBuf,
    /// The form definitions folder read.
    pub forms_dir: std::path::PathBuf,
}

impl Session {
    /// Reads configuration and registers from `input` (forms from `forms_dir`).
    pub fn open(input: &Path, forms_dir: &Path, as_of: impl FnOnce(&Config) -> NaiveDate) -> Result<Session, Error> {
        let (config, forms, calendar, classifier) = setup(input, forms_dir)?;
        let as_of = as_of(&config);
        let loaded = load::load(input, &config, &forms, as_of)?;
        let errors: Vec<Problem> = loaded.problems.iter().filter(|p| p.is_error()).cloned().collect();
        if !errors.is_empty() {
            return Err(Error::Input(Problems(errors)));
        }
        Ok(Session {
            config,
            forms,
            calendar,
            classifier,
            loaded,
            as_of,
            input: input.to_path_buf(),
            forms_dir: forms_dir.to_path_buf(),
        })
    }

    /// What the rules read.
    pub fn context(&self) -> Context<'_> {
        Context {
            data: &self.loaded.dataset,
            forms: &self.forms,
            config: &self.config,
            calendar: &self.calendar,
            params: &self.config.rules,
            classifier: &self.classifier,
            as_of: self.as_of,
        }
    }
}

/// Configuration, forms, calendar and complaint rules, with every problem of all four together.
pub fn setup(input: &Path, forms_dir: &Path) -> Result<(Config, FormSet, Calendar, Classifier), Error> {
    let config = Config::load(input);
    let forms = FormSet::load(forms_dir);
    let calendar = Calendar::load(input);
    let classifier = Classifier::load(input);
    match (config, forms, calendar, classifier) {
        (Ok(c), Ok(f), Ok(k), Ok(r)) => Ok((c, f, k, r)),
        (c, f, k, r) => {
            let mut all = Vec::new();
            for problems in [c.err(), f.err(), k.err(), r.err()].into_iter().flatten() {
                all.extend(problems.0);
            }
            Err(Error::Config(Problems(all)))
        }
    }
}
