//! What every command starts from: the global options ([`Env`]), the configuration read from the
//! input folder, and — for the commands that apply rules — the loaded registers ([`Session`]).
//!
//! Input: the global paths and the run date. Output: a [`Session`] whose [`Session::context`]
//! the rules read. This is where the input folder's configuration files are read: `kefu.yaml`
//! (the configuration and its `rules:` section), `calendar.yaml` and `complaint_rules.yaml`; the
//! rules get them parsed. Failure: configuration problems (exit 2) all together; registers with
//! errors (exit 1) — rules are not applied to data `kefu check` rejects.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::{CONFIG_FILE, Config};
use crate::error::{Error, Problem, Problems};
use crate::forms::FormSet;
use crate::load::{self, Loaded};
use crate::model::{Exclusions, YearMonth};
use crate::render::{FontStore, TemplateStore, Typesetter};
use crate::rules::calendar::CALENDAR_FILE;
use crate::rules::complaints::{Classifier, RULES_FILE};
use crate::rules::{Calendar, Context, RuleParams};

/// The global options every command accepts, and today's date (the only clock reading in kefu).
#[derive(Debug, Clone)]
pub struct Env {
    /// The input folder: registers and configuration.
    pub input: PathBuf,
    /// The output folder.
    pub output: PathBuf,
    /// The form definitions folder.
    pub forms_dir: PathBuf,
    /// The templates folder.
    pub templates_dir: PathBuf,
    /// `--as-of`, when given.
    pub as_of: Option<NaiveDate>,
    /// `--strict`: nothing is written while any register has an error.
    pub strict: bool,
    /// Today, as `main` read it.
    pub today: NaiveDate,
}

impl Env {
    /// The run date: `--as-of`, else the last day of the configured report month, else today.
    pub fn run_date(&self, config: Option<&Config>) -> NaiveDate {
        self.as_of.or_else(|| config.and_then(|c| c.report_month).map(YearMonth::last_day)).unwrap_or(self.today)
    }

    /// The month a command reports on: `--month`, else the configured report month, else the run
    /// date's month.
    pub fn month(&self, given: Option<YearMonth>, session: &Session) -> YearMonth {
        given.or(session.config.report_month).unwrap_or_else(|| YearMonth::of(session.as_of))
    }

    /// Configuration and form definitions, with the problems of both together.
    pub fn definitions(&self) -> Result<(Config, FormSet), Error> {
        match (Config::load(&self.input), FormSet::load(&self.forms_dir)) {
            (Ok(c), Ok(f)) => Ok((c, f)),
            (c, f) => {
                Err(Error::Config(Problems([c.err(), f.err()].into_iter().flatten().flat_map(|p| p.0).collect())))
            }
        }
    }

    /// Everything a rule-applying command reads, registers included.
    pub fn session(&self) -> Result<Session, Error> {
        Session::load(&self.input, &self.forms_dir, |c| self.run_date(Some(c)), self.strict)
    }

    /// A typesetter over the templates folder (fonts are built in).
    pub fn typesetter(&self) -> Result<Typesetter, Error> {
        let templates = TemplateStore::load(&self.templates_dir).map_err(Error::Config)?;
        Ok(Typesetter::new(FontStore::embedded(), templates))
    }
}

/// What a command reports at the end: the closing line and the exit code.
#[derive(Debug)]
pub struct Outcome {
    pub summary: String,
    pub exit: u8,
}

impl Outcome {
    /// A successful command's closing line.
    pub fn ok(summary: String) -> Outcome {
        Outcome { summary, exit: 0 }
    }
}

/// Writes results to stdout; a reader that went away (`kefu deadlines | head`) is not an error.
pub fn say(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// The configuration of one input folder: everything but the registers.
pub struct Setup {
    pub config: Config,
    pub params: RuleParams,
    pub forms: FormSet,
    pub calendar: Calendar,
    pub classifier: Classifier,
}

impl Setup {
    /// Reads `kefu.yaml`, `calendar.yaml` and `complaint_rules.yaml` from `input` and the form
    /// definitions from `forms_dir`, reporting every problem of all of them together.
    pub fn load(input: &Path, forms_dir: &Path) -> Result<Setup, Error> {
        let config_path = input.join(CONFIG_FILE);
        let config_text = read(&config_path, "配置文件");
        let config = config_text.as_ref().map_err(Clone::clone).and_then(|t| Config::parse(t, &config_path));
        let params = config_text.as_ref().map_err(Clone::clone).and_then(|t| RuleParams::from_config(t, &config_path));
        let forms = FormSet::load(forms_dir);
        let calendar_path = input.join(CALENDAR_FILE);
        let calendar = read(&calendar_path, "工作日日历").and_then(|t| Calendar::parse(&t, &calendar_path));
        let rules_path = input.join(RULES_FILE);
        let classifier = if rules_path.exists() {
            read(&rules_path, "投诉分类规则").and_then(|t| Classifier::parse(&t, &rules_path))
        } else {
            Classifier::builtin()
        };
        match (config, params, forms, calendar, classifier) {
            (Ok(config), Ok(params), Ok(forms), Ok(calendar), Ok(classifier)) => {
                Ok(Setup { config, params, forms, calendar, classifier })
            }
            (c, p, f, k, r) => {
                let mut all = Vec::new();
                // The configuration file's reading problem is reported once, not for each reader.
                let config_unread = config_text.is_err();
                for problems in [c.err(), if config_unread { None } else { p.err() }, f.err(), k.err(), r.err()]
                    .into_iter()
                    .flatten()
                {
                    all.extend(problems.0);
                }
                Err(Error::Config(Problems(all)))
            }
        }
    }
}

/// The text of a configuration file, or a located problem saying why it cannot be read.
fn read(path: &Path, what: &str) -> Result<String, Problems> {
    std::fs::read_to_string(path)
        .map_err(|e| Problems(vec![Problem::in_file(path, format!("无法读取{what}：{}", crate::error::io_reason(&e)))]))
}

/// The loaded inputs of one run.
pub struct Session {
    pub config: Config,
    /// The rule parameters: `rules:` in `kefu.yaml`, defaults = the manual's numbers.
    pub params: RuleParams,
    pub forms: FormSet,
    pub calendar: Calendar,
    pub classifier: Classifier,
    pub loaded: Loaded,
    /// Records left out because something in them is wrong (empty under `--strict`, which
    /// refuses instead).
    pub exclusions: Exclusions,
    pub as_of: NaiveDate,
    /// The input folder read.
    pub input: PathBuf,
    /// The form definitions folder read.
    pub forms_dir: PathBuf,
}

impl Session {
    /// Reads configuration and registers from `input` (forms from `forms_dir`), refusing when a
    /// register has an error.
    pub fn open(input: &Path, forms_dir: &Path, as_of: impl FnOnce(&Config) -> NaiveDate) -> Result<Session, Error> {
        Session::load(input, forms_dir, as_of, true)
    }

    /// Reads configuration and registers; a record with an error is left out (and listed) unless
    /// `strict`, which refuses instead.
    pub fn load(
        input: &Path,
        forms_dir: &Path,
        as_of: impl FnOnce(&Config) -> NaiveDate,
        strict: bool,
    ) -> Result<Session, Error> {
        let Setup { config, params, forms, calendar, classifier } = Setup::load(input, forms_dir)?;
        let as_of = as_of(&config);
        let loaded = load::load(input, &config, &forms, as_of)?;
        let errors: Vec<Problem> = loaded.problems.iter().filter(|p| p.is_error()).cloned().collect();
        if strict && !errors.is_empty() {
            return Err(Error::Input(Problems(errors)));
        }
        let (loaded, exclusions) = load::exclude::exclude(loaded, &forms);
        Ok(Session {
            config,
            params,
            forms,
            calendar,
            classifier,
            loaded,
            exclusions,
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
            params: &self.params,
            classifier: &self.classifier,
            as_of: self.as_of,
            excluded: &self.exclusions,
        }
    }

    /// A command's closing line: when records were left out, exit code 1 and the line says so.
    pub fn outcome(&self, summary: String) -> Outcome {
        if self.exclusions.is_empty() {
            return Outcome::ok(summary);
        }
        // Each one on stderr as well, where the clerk running the command sees it.
        for p in self.exclusions.records.iter().flat_map(|e| &e.problems) {
            eprintln!("未计入：{p}");
        }
        Outcome {
            summary: format!(
                "{summary}\n有 {} 处记录因数据有误未计入，其余照常输出（退出码 1）；位置与原因见 kefu check 或月末作业的数据问题清单",
                self.exclusions.records.len()
            ),
            exit: 1,
        }
    }

    /// The configuration file, for messages about it.
    pub fn config_file(&self) -> PathBuf {
        self.input.join(CONFIG_FILE)
    }
}

/// One stage of the month-end run (`kefu run`): the deadline list, the dunning letters, the
/// monthly report, the archive. Each command that is a stage implements this; `run` takes the
/// stages it is given, so no command calls another.
pub trait Stage {
    /// The stage's name in the run's summary, e.g. 欠费催缴.
    fn name(&self) -> &'static str;

    /// A folder of the stage's output that the next run starts from, hard-linked, so unchanged
    /// files are not made again (the archive); `None` for stages that write everything anew.
    fn reuses(&self) -> Option<&'static str> {
        None
    }

    /// Writes the stage's outputs under `dir`; returns its one-line result.
    fn write(&self, input: &StageInput<'_>, dir: &Path) -> Result<String, Error>;
}

/// What every stage of a month-end run reads.
pub struct StageInput<'a> {
    pub session: &'a Session,
    pub typesetter: &'a Typesetter,
    /// The templates folder (the letters' wording is read from its `letters/`).
    pub templates: &'a Path,
    /// The month reported on.
    pub month: YearMonth,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::repo;

    /// An input folder with the base configuration and the real calendar.
    fn input() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(repo("tests/fixtures/base/kefu.yaml"), dir.path().join(CONFIG_FILE)).unwrap();
        std::fs::copy(repo("input/calendar.yaml"), dir.path().join(CALENDAR_FILE)).unwrap();
        dir
    }

    #[test]
    fn without_a_rules_file_the_built_in_complaint_rules_apply() {
        let dir = input();
        let setup = Setup::load(dir.path(), &repo("forms")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(setup.classifier.classify("暖气不热").category, "工程/维修");
        let builtin = std::fs::read_to_string(repo("input/complaint_rules.yaml")).unwrap();
        std::fs::write(dir.path().join(RULES_FILE), builtin.replace("暖气不热: 5", "暖气不热: 0")).unwrap();
        let err = Setup::load(dir.path(), &repo("forms")).err().expect("refused").to_string();
        assert!(err.contains("短语「暖气不热」的分数为 0"), "{err}");
    }

    #[test]
    fn the_rules_section_is_read_with_its_located_problems() {
        let dir = input();
        let path = dir.path().join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}rules:\n  visits:\n    weekly_rate: 0.2\n")).unwrap();
        let setup = Setup::load(dir.path(), &repo("forms")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(setup.params.visits.weekly_rate, 0.2);
        std::fs::write(&path, format!("{text}rules:\n  visits:\n    weekly_rat: 0.2\n")).unwrap();
        let Err(Error::Config(problems)) = Setup::load(dir.path(), &repo("forms")) else { panic!("refused") };
        assert_eq!(problems.0.len(), 1, "{problems}");
        let lines = text.lines().count();
        assert_eq!(problems.0[0].location.row, Some(lines + 3), "{problems}");
        assert!(problems.0[0].message.contains("未知的键 `weekly_rat`"), "{problems}");
    }
}
