//! Test fixtures for the rules (compiled for tests only): a small input folder written to a
//! temporary directory — the base fixture's configuration and rooms, the real working-day
//! calendar and complaint rules, and the registers a test gives as YAML — loaded the way `kefu`
//! loads it and handed to the rules as a [`Context`].
//!
//! It sits above every floor (it reads files and loads registers), so the rules' own modules
//! import neither the loader nor the commands.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::commands::session::Setup;
use crate::config::Config;
use crate::forms::FormSet;
use crate::load::Loaded;
use crate::rules::complaints::Classifier;
use crate::rules::{Calendar, Context, Finding, RuleParams};

/// A path inside the repository.
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// `2026-10-31` as a date.
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|_| panic!("not a date: {s}"))
}

/// The findings whose `what` is `what`.
pub fn of<'a>(all: &'a [Finding], what: &str) -> Vec<&'a Finding> {
    all.iter().filter(|f| f.what == what).collect()
}

/// A rooms ledger of the base building: (room, 交付日期, 入住日期); a room without a move-in
/// date is vacant.
pub fn rooms(list: &[(&str, &str, Option<&str>)]) -> String {
    let mut out = String::new();
    for (room, delivered, moved_in) in list {
        out.push_str(&format!(
            "- 房号: {room}\n  交付日期: {delivered}\n  状态: {}\n",
            if moved_in.is_some() { "自住" } else { "空置" }
        ));
        if let Some(m) = moved_in {
            out.push_str(&format!("  入住日期: {m}\n"));
        }
    }
    out
}

/// A loaded input folder; [`Fixture::ctx`] gives the rules' context.
pub struct Fixture {
    _dir: tempfile::TempDir,
    pub config: Config,
    pub params: RuleParams,
    pub forms: FormSet,
    pub calendar: Calendar,
    pub classifier: Classifier,
    pub loaded: Loaded,
    pub as_of: NaiveDate,
    /// Nothing is left out of a fixture (a lenient one keeps its bad records for the rules).
    pub exclusions: crate::model::Exclusions,
}

/// What a [`Fixture`] is made of.
pub struct Builder {
    registers: Vec<(String, String)>,
    staff: Vec<(String, String)>,
    config: Option<String>,
    rules: String,
    base_rooms: bool,
    strict: bool,
    as_of: NaiveDate,
}

impl Fixture {
    /// The base fixture plus `registers` (file name under 台帐/, YAML text) and `staff` (name,
    /// role) as of `as_of`. Panics if the input has errors: fixtures must pass `kefu check`.
    pub fn new(registers: &[(&str, &str)], staff: &[(&str, &str)], as_of: &str) -> Fixture {
        Fixture::builder(d(as_of)).registers(registers).staff(staff).build()
    }

    /// Like [`Fixture::new`], for records `kefu check` rejects (a required value missing): the
    /// rules must not panic on them either.
    pub fn lenient(registers: &[(&str, &str)], staff: &[(&str, &str)], as_of: &str) -> Fixture {
        Fixture::builder(d(as_of)).registers(registers).staff(staff).lenient().build()
    }

    /// The base configuration and `registers` only (the test gives its own rooms ledger, or none).
    pub fn own_rooms(registers: &[(&str, &str)], as_of: NaiveDate) -> Fixture {
        Fixture::builder(as_of).registers(registers).without_base_rooms().build()
    }

    /// A fixture to be described further, loaded as of `as_of`.
    pub fn builder(as_of: NaiveDate) -> Builder {
        Builder {
            registers: Vec::new(),
            staff: Vec::new(),
            config: None,
            rules: String::new(),
            base_rooms: true,
            strict: true,
            as_of,
        }
    }

    /// The rules' context as of the fixture's date.
    pub fn ctx(&self) -> Context<'_> {
        self.ctx_at(self.as_of)
    }

    /// The rules' context as of `as_of` (the registers as loaded on the fixture's date).
    pub fn ctx_at(&self, as_of: NaiveDate) -> Context<'_> {
        Context {
            data: &self.loaded.dataset,
            forms: &self.forms,
            config: &self.config,
            calendar: &self.calendar,
            params: &self.params,
            classifier: &self.classifier,
            as_of,
            excluded: &self.exclusions,
        }
    }

    /// Every problem the loader reported, one per line.
    pub fn problems(&self) -> String {
        self.loaded.problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n")
    }
}

impl Builder {
    /// Registers: (file name under 台帐/, YAML text).
    pub fn registers(mut self, registers: &[(&str, &str)]) -> Builder {
        self.registers.extend(registers.iter().map(|(f, t)| (f.to_string(), t.to_string())));
        self
    }

    /// Staff added to the base staff list: (name, role).
    pub fn staff(mut self, staff: &[(&str, &str)]) -> Builder {
        self.staff.extend(staff.iter().map(|(n, r)| (n.to_string(), r.to_string())));
        self
    }

    /// A whole `kefu.yaml` instead of the base fixture's.
    pub fn config(mut self, text: &str) -> Builder {
        self.config = Some(text.to_string());
        self
    }

    /// Text appended to `kefu.yaml` (a `rules:` section).
    pub fn rules(mut self, text: &str) -> Builder {
        self.rules = text.to_string();
        self
    }

    /// Without the base fixture's rooms ledger (the test gives its own, or none).
    pub fn without_base_rooms(mut self) -> Builder {
        self.base_rooms = false;
        self
    }

    /// Load even when `kefu check` would report errors.
    pub fn lenient(mut self) -> Builder {
        self.strict = false;
        self
    }

    /// Writes the folder and loads it.
    pub fn build(self) -> Fixture {
        let dir = tempfile::tempdir().expect("temporary folder");
        let base = repo("tests/fixtures/base");
        let mut config = match &self.config {
            Some(text) => text.clone(),
            None => std::fs::read_to_string(base.join("kefu.yaml")).expect("base kefu.yaml"),
        };
        let extra: String = self.staff.iter().map(|(n, r)| format!("  - name: {n}\n    roles: [{r}]\n")).collect();
        config = config.replacen("staff:\n", &format!("staff:\n{extra}"), 1);
        config.push_str(&self.rules);
        std::fs::write(dir.path().join("kefu.yaml"), config).expect("kefu.yaml");
        for file in ["calendar.yaml", "complaint_rules.yaml"] {
            std::fs::copy(repo("input").join(file), dir.path().join(file)).expect("calendar and complaint rules");
        }
        let registers = dir.path().join("台帐");
        std::fs::create_dir(&registers).expect("台帐");
        if self.base_rooms {
            std::fs::copy(base.join("台帐/房屋及业主台帐.yaml"), registers.join("房屋及业主台帐.yaml")).expect("rooms");
        }
        for (file, text) in &self.registers {
            std::fs::write(registers.join(file), text).expect("register");
        }
        let Setup { config, params, forms, calendar, classifier } =
            Setup::load(dir.path(), &repo("forms")).unwrap_or_else(|e| panic!("{e}"));
        let loaded = crate::load::load(dir.path(), &config, &forms, self.as_of).unwrap_or_else(|e| panic!("{e}"));
        let errors: Vec<String> = loaded.problems.iter().filter(|p| p.is_error()).map(|p| p.to_string()).collect();
        assert!(!self.strict || errors.is_empty(), "fixture has errors: {errors:#?}");
        Fixture {
            _dir: dir,
            config,
            params,
            forms,
            calendar,
            classifier,
            loaded,
            as_of: self.as_of,
            exclusions: Default::default(),
        }
    }
}
