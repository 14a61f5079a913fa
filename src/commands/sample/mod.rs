//! The sample-estate generator: a complete, plausible input folder for a fictional estate
//! (地王国际花园, run by 沈阳银基物业有限公司 地王住宅 客服部) — `kefu.yaml` and one register
//! file per ledger and event form under `台帐/`, deliberately written in the many ways real
//! departments write them (see [`style`]) while every value stays valid for its field.
//!
//! Input: the form definitions and [`SampleOptions`] (households, months, seed, report month).
//! Output: the folder `out` (created if missing) and a [`SampleReport`]. The same options give
//! byte-identical files: a hand-written PRNG ([`rng`]) drives everything and the workbooks carry
//! the last day of the report month, never the clock. Failure: a file that cannot be written, or
//! a form definition lacking a field the generator fills ([`crate::Error`]).
//!
//! Registers are streamed into their files on two threads — the five largest on one, the rest
//! on the other — so memory holds the estate, the shared event lists and two workbooks.

mod activities;
mod archive;
mod complaints;
mod dunning;
mod estate;
mod fees;
mod keys;
mod ledgers;
mod movein;
mod office;
mod people;
mod quality;
mod record;
mod rentals;
mod repairs;
mod rng;
mod services;
mod style;
/// The data tables (names, texts) of the sample.
pub mod text;
mod visits;
mod xlsx;
mod yaml;

#[cfg(test)]
mod tests;

use std::path::Path;

use chrono::NaiveDate;

use super::session::{Env, Outcome};
use crate::error::Error;
use crate::forms::{Field, FormSet, LedgerId};
use crate::model::YearMonth;
use crate::rules::Calendar;

use estate::Estate;
use record::Sink;
use style::{Dates, Headers, Phones, Rooms, Style};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleOptions {
    /// Approximate number of households (rooms); buildings are sized to reach it.
    pub households: u32,
    /// Number of months of events, ending with `report_month`.
    pub months: u32,
    /// Seed of every random choice.
    pub seed: u64,
    /// The last generated month.
    pub report_month: YearMonth,
}

/// What was generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleReport {
    /// Files written, `kefu.yaml` included.
    pub files: usize,
    /// Records over all registers (rows of the fee ledger count one per room and month).
    pub records: usize,
    /// Rooms of the estate.
    pub rooms: usize,
}

/// The folder of register files inside the input folder.
pub const REGISTER_DIR: &str = "台帐";

/// The working-day calendar and complaint rules a generated input folder starts with: the ones
/// this repository ships in `input/`.
const CALENDAR: &str = include_str!("../../../input/calendar.yaml");
const COMPLAINT_RULES: &str = include_str!("../../../input/complaint_rules.yaml");

/// `kefu sample`: writes the sample estate's input folder into the output folder.
pub fn execute(env: &Env, households: u32, months: u32, seed: u64, month: Option<YearMonth>) -> Result<Outcome, Error> {
    let forms = FormSet::load(&env.forms_dir).map_err(Error::Config)?;
    let as_of = env.run_date(None);
    let report_month = month.unwrap_or_else(|| YearMonth::of(as_of).prev());
    let options = SampleOptions { households, months, seed, report_month };
    let report = generate(&forms, &options, &env.output)?;
    Ok(Outcome::ok(format!(
        "已生成示例小区：{} 间房、{} 个台帐文件、{} 条记录（{months} 个月，截至 {report_month}），输出在 {}",
        report.rooms,
        report.files,
        report.records,
        env.output.display()
    )))
}

/// Writes a complete input folder into `out` (created if missing): kefu.yaml, calendar.yaml,
/// complaint_rules.yaml and 台帐/…. Other files already in `out` are left alone.
pub fn generate(forms: &FormSet, options: &SampleOptions, out: &Path) -> Result<SampleReport, Error> {
    let estate = Estate::new(options);
    let ctx = Ctx::new(forms, &estate)?;
    let dir = out.join(REGISTER_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("创建", &dir, &e))?;
    let config_path = out.join(crate::config::CONFIG_FILE);
    std::fs::write(&config_path, ledgers::config_yaml(&estate, options))
        .map_err(|e| Error::io("写入", &config_path, &e))?;
    for (name, text) in
        [(crate::rules::calendar::CALENDAR_FILE, CALENDAR), (crate::rules::complaints::RULES_FILE, COMPLAINT_RULES)]
    {
        let path = out.join(name);
        std::fs::write(&path, text).map_err(|e| Error::io("写入", &path, &e))?;
    }
    // The five largest registers on one thread, the rest on this one: about half the time on
    // two cores, while at most one large workbook is held in memory.
    let (heavy, light): (Vec<Spec>, Vec<Spec>) = catalog().into_iter().partition(|s| HEAVY.contains(&s.reg));
    let (heavy, light) = std::thread::scope(|scope| {
        let worker = scope.spawn(|| write_all(&ctx, &heavy, &dir));
        let light = write_all(&ctx, &light, &dir);
        let heavy = worker.join().unwrap_or_else(|_| Err(Error::Internal("样例数据：生成线程异常退出".to_string())));
        (heavy, light)
    });
    let records = heavy? + light?;
    Ok(SampleReport { files: 3 + catalog().len(), records, rooms: estate.homes.len() })
}

/// The registers whose workbooks dominate time and memory at scale.
const HEAVY: [Reg; 5] = [Reg::Ledger(LedgerId::Fees), Reg::Form(7), Reg::Form(8), Reg::Form(15), Reg::Form(16)];

/// Writes `specs` one after another; returns their records.
fn write_all(ctx: &Ctx, specs: &[Spec], dir: &Path) -> Result<usize, Error> {
    specs.iter().map(|spec| write_register(ctx, spec, dir)).sum()
}

/// Which register a spec writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reg {
    Ledger(LedgerId),
    Form(u8),
}

/// How a register's file is written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Layout {
    Xlsx(Style),
    Yaml(Style),
    /// The fee ledger: one row per room, three columns per month.
    WideFees(Style),
}

/// A register generator: streams the register's records into a sink.
pub(crate) type Generate = fn(&Ctx, &mut dyn Sink) -> Result<(), Error>;

/// One register file of the sample.
pub(crate) struct Spec {
    /// The register.
    pub reg: Reg,
    /// Its file layout and style.
    pub layout: Layout,
    /// Its generator.
    pub generate: Generate,
}

/// Everything generators share: the forms, the estate and the events several registers show.
pub(crate) struct Ctx<'a> {
    /// The form definitions.
    pub forms: &'a FormSet,
    /// The estate.
    pub estate: &'a Estate,
    /// Repairs, shared by 15, 16 and 17 (and filed in 05).
    pub repairs: Vec<repairs::Repair>,
    /// Planned visits, shared by 07, 08 and 09.
    pub visits: Vec<visits::Visit>,
    /// Complaints, shared by 18, 19 and 21 (and filed in 05).
    pub complaints: Vec<complaints::Complaint>,
    /// Agency mandates, shared by 24, 29 and 30 (and filed in 05).
    pub rentals: Vec<rentals::Rental>,
    /// The working-day calendar the sample ships ([`CALENDAR`]), for the dunning ladder.
    pub calendar: Calendar,
}

impl<'a> Ctx<'a> {
    /// The context of `estate`, with its shared event lists generated.
    pub fn new(forms: &'a FormSet, estate: &'a Estate) -> Result<Ctx<'a>, Error> {
        let calendar = Calendar::parse(CALENDAR, Path::new(crate::rules::calendar::CALENDAR_FILE))
            .map_err(|e| Error::Internal(format!("样例数据：工作日日历无效：{e}")))?;
        let mut ctx = Ctx {
            forms,
            estate,
            repairs: Vec::new(),
            visits: Vec::new(),
            complaints: Vec::new(),
            rentals: Vec::new(),
            calendar,
        };
        ctx.repairs = repairs::events(&ctx);
        ctx.visits = visits::events(&ctx);
        ctx.complaints = complaints::events(&ctx);
        ctx.rentals = rentals::events(&ctx);
        Ok(ctx)
    }

    /// The last day of the report month.
    pub fn end(&self) -> NaiveDate {
        self.estate.window.end
    }

    /// The fields of a register.
    pub fn fields(&self, reg: Reg) -> Result<&'a [Field], Error> {
        let found = match reg {
            Reg::Form(n) => self.forms.get(n).map(|f| f.fields.as_slice()),
            Reg::Ledger(id) => self.forms.ledger(id).map(|l| l.fields.as_slice()),
        };
        found.ok_or_else(|| Error::Internal(format!("样例数据：缺少台帐定义 {reg:?}")))
    }

    /// The title of a register.
    pub fn title(&self, reg: Reg) -> String {
        match reg {
            Reg::Form(n) => self.forms.get(n).map(|f| f.title.clone()).unwrap_or_default(),
            Reg::Ledger(id) => self.forms.ledger(id).map(|l| l.title.clone()).unwrap_or_default(),
        }
    }

    /// The `items` of a checklist field (empty when the form has no such field).
    pub fn items(&self, form: u8, key: &str) -> Vec<String> {
        self.forms.get(form).and_then(|f| f.field(key)).map(|f| f.items.clone()).unwrap_or_default()
    }
}

/// The file name of a register: `NN-<title>.xlsx` (`/` → `_`) or the ledger's title.
pub(crate) fn file_name(ctx: &Ctx, spec: &Spec) -> String {
    let ext = match spec.layout {
        Layout::Yaml(_) => "yaml",
        _ => "xlsx",
    };
    let title = ctx.title(spec.reg).replace('/', "_");
    match spec.reg {
        Reg::Form(n) => format!("{n:02}-{title}.{ext}"),
        Reg::Ledger(_) => format!("{title}.{ext}"),
    }
}

fn write_register(ctx: &Ctx, spec: &Spec, dir: &Path) -> Result<usize, Error> {
    let fields = ctx.fields(spec.reg)?;
    let title = ctx.title(spec.reg);
    let path = dir.join(file_name(ctx, spec));
    let maker = ctx.estate.first("客服内勤");
    match spec.layout {
        Layout::Xlsx(style) => {
            let mut sink = xlsx::XlsxSink::new(fields, style, &title, maker, ctx.end(), ctx.estate.homes.len())?;
            (spec.generate)(ctx, &mut sink)?;
            sink.finish(&path)
        }
        Layout::Yaml(style) => {
            let mut sink = yaml::YamlSink::new(fields, style, &title, &path)?;
            (spec.generate)(ctx, &mut sink)?;
            sink.finish()
        }
        Layout::WideFees(style) => {
            let mut sink = fees::WideSink::new(ctx, fields, style, &title, maker)?;
            (spec.generate)(ctx, &mut sink)?;
            sink.finish(&path)
        }
    }
}

const P: Style = Style::PLAIN;

/// Every register of the sample with its file layout — where each messy feature appears.
pub(crate) fn catalog() -> Vec<Spec> {
    [
        room_and_fee_ledgers(),
        movein_and_office(),
        visits_quality_services(),
        repairs_and_complaints(),
        keys_rentals_and_dunning(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The spec of form `n`'s register.
fn form(n: u8, layout: Layout, generate: Generate) -> Spec {
    Spec { reg: Reg::Form(n), layout, generate }
}

/// The ledgers of rooms and fees.
fn room_and_fee_ledgers() -> Vec<Spec> {
    use Layout::{WideFees, Xlsx};
    vec![
        Spec {
            reg: Reg::Ledger(LedgerId::Rooms),
            layout: Xlsx(Style { title: true, headers: Headers::Alias, dates: Dates::Excel, ..P }),
            generate: ledgers::rooms,
        },
        Spec {
            reg: Reg::Ledger(LedgerId::Fees),
            layout: WideFees(Style { title: true, subtitle: true, dates: Dates::Excel, total: true, ..P }),
            generate: fees::fees,
        },
    ]
}

/// Move-in (forms 1–3) and the office: borrowing, the archive log, documents (4–6).
fn movein_and_office() -> Vec<Spec> {
    use Layout::{Xlsx, Yaml};
    vec![
        form(
            1,
            Xlsx(Style {
                title: true,
                subtitle: true,
                serial: true,
                headers: Headers::Spaces,
                dates: Dates::Slash,
                excel_times: true,
                phones: Phones::Spaced,
                ..P
            }),
            movein::appointments,
        ),
        form(
            2,
            Xlsx(Style { two_level: true, serial: true, dates: Dates::Excel, rooms: Rooms::Dong, ticks: true, ..P }),
            movein::keys,
        ),
        form(3, Xlsx(Style { dates: Dates::Dot, rooms: Rooms::Hao, phones: Phones::Dashed, ..P }), movein::inspections),
        form(
            4,
            Xlsx(Style { title: true, serial: true, dates: Dates::Chinese, rooms: Rooms::Mixed, ticks: true, ..P }),
            office::borrowings,
        ),
        form(5, Xlsx(Style { title: true, dates: Dates::Excel, rooms: Rooms::Hao, ..P }), archive::volumes),
        form(6, Yaml(Style { dates: Dates::Slash, ..P }), office::documents),
    ]
}

/// Visits (forms 7–9), quality checks (10–11), hot water, tennis and deposits (12–14).
fn visits_quality_services() -> Vec<Spec> {
    use Layout::Xlsx;
    vec![
        form(7, Xlsx(Style { dates: Dates::Excel, excel_times: true, ..P }), visits::plans),
        form(8, Xlsx(Style { rooms: Rooms::Dong, ..P }), visits::records),
        form(9, Xlsx(Style { dates: Dates::Chinese, ..P }), visits::replies),
        form(
            10,
            Xlsx(Style {
                title: true,
                serial: true,
                two_level: true,
                dates: Dates::Excel,
                merge: Some("check_date"),
                ..P
            }),
            quality::checks,
        ),
        form(11, Xlsx(Style { dates: Dates::FullWidth, ..P }), quality::notices),
        form(12, Xlsx(Style { dates: Dates::Excel, yen: true, rooms: Rooms::Hao, ..P }), services::hot_water),
        form(
            13,
            Xlsx(Style {
                title: true,
                subtitle: true,
                serial: true,
                two_level: true,
                headers: Headers::Colon,
                dates: Dates::Excel,
                excel_times: true,
                excel_datetimes: true,
                total: true,
                ..P
            }),
            services::tennis,
        ),
        form(
            14,
            Xlsx(Style { dates: Dates::Chinese, rooms: Rooms::Mixed, phones: Phones::Mixed, ..P }),
            services::deposits,
        ),
    ]
}

/// Repairs (forms 15–17), complaints (18, 19, 21) and seals (22).
fn repairs_and_complaints() -> Vec<Spec> {
    use Layout::{Xlsx, Yaml};
    vec![
        form(
            15,
            Xlsx(Style { headers: Headers::Spaces, rooms: Rooms::Mixed, phones: Phones::Dashed, ..P }),
            repairs::reception,
        ),
        form(16, Xlsx(Style { dates: Dates::Excel, excel_datetimes: true, ..P }), repairs::orders),
        form(17, Xlsx(Style { dates: Dates::FullWidth, yen: true, rooms: Rooms::Dong, ..P }), repairs::contacts),
        form(
            18,
            Xlsx(Style {
                title: true,
                subtitle: true,
                two_level: true,
                headers: Headers::Colon,
                dates: Dates::Slash,
                phones: Phones::Mixed,
                ..P
            }),
            complaints::register,
        ),
        form(19, Xlsx(Style { dates: Dates::Mixed, excel_datetimes: true, ..P }), complaints::sheets),
        form(21, Xlsx(Style { rooms: Rooms::Dong, ..P }), complaints::liaisons),
        form(22, Yaml(Style { ticks: true, ..P }), office::seals),
    ]
}

/// Keys and cards (forms 23–28), rentals (29–30), activities (31) and the dunning ledger.
fn keys_rentals_and_dunning() -> Vec<Spec> {
    use Layout::{Xlsx, Yaml};
    vec![
        form(23, Xlsx(Style { title: true, serial: true, dates: Dates::Excel, ticks: true, ..P }), movein::key_ledger),
        form(
            24,
            Xlsx(Style {
                title: true,
                subtitle: true,
                two_level: true,
                headers: Headers::Alias,
                dates: Dates::Excel,
                excel_datetimes: true,
                ..P
            }),
            keys::loans,
        ),
        form(25, Xlsx(Style { serial: true, dates: Dates::Dot, yen: true, ..P }), keys::copies),
        form(26, Xlsx(Style { title: true, serial: true, ..P }), keys::losses),
        form(27, Xlsx(Style { serial: true, dates: Dates::Slash, yen: true, ..P }), services::cards),
        form(
            28,
            Xlsx(Style {
                serial: true,
                two_level: true,
                headers: Headers::Alias,
                dates: Dates::Excel,
                ticks: true,
                ..P
            }),
            movein::card_issue,
        ),
        form(
            29,
            Xlsx(Style {
                two_level: true,
                dates: Dates::Chinese,
                yen: true,
                rooms: Rooms::Hao,
                phones: Phones::Spaced,
                ..P
            }),
            rentals::register,
        ),
        form(30, Yaml(Style { dates: Dates::Chinese, yen: true, ..P }), rentals::letters),
        form(31, Yaml(P), activities::activities),
        Spec {
            reg: Reg::Ledger(LedgerId::Dunning),
            layout: Xlsx(Style { title: true, serial: true, dates: Dates::Slash, rooms: Rooms::Hao, ..P }),
            generate: dunning::records,
        },
    ]
}
