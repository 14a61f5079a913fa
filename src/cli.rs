//! The command line: Chinese help, global options, commands, exit codes.
//!
//! `main.rs` hands over the arguments and today's date (the only clock reading in kefu);
//! this module parses them (clap derive), runs the command through the library and prints the
//! outcome: results and the closing summary on stdout, errors and warnings on stderr.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Args, Parser, Subcommand};

use crate::commands::session::{Env, Outcome, Stage, say};
use crate::commands::{archive, calendar, check, deadlines, dunning, map, monthly, pack, plan_visits, run, sample};
use crate::error::Error;
use crate::model::YearMonth;

const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
用法：{usage}

{all-args}{after-help}";

/// kefu（客服）：读取客服部台帐，执行《客服部作业指导手册》的规程，输出受控表单、通知书、月报与业主档案。
#[derive(Debug, Parser)]
#[command(
    name = "kefu",
    version,
    help_template = HELP_TEMPLATE,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "命令",
    next_help_heading = "选项",
    after_help = "退出码：0 成功；1 输入数据有误；2 用法或配置有误；3 无法完成（写入失败、内部错误）。"
)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every command accepts, before or after the command name.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// 台帐与配置所在目录
    #[arg(long, global = true, value_name = "目录", default_value = "input")]
    input: PathBuf,
    /// 输出目录（生成的文件放在这里）
    #[arg(long, global = true, value_name = "目录", default_value = "output")]
    output: PathBuf,
    /// 运行日期，印在文档上，格式 YYYY-MM-DD；默认为今天
    #[arg(long = "as-of", global = true, value_name = "日期", value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// 严格模式：任何台帐有错误时什么也不生成（默认把有错误的记录排除在外，其余照常输出，并列出数据问题清单）
    #[arg(long, global = true)]
    strict: bool,
    /// 表单定义目录
    #[arg(long = "forms-dir", global = true, value_name = "目录", default_value = "forms")]
    forms_dir: PathBuf,
    /// 排版模板目录
    #[arg(long = "templates-dir", global = true, value_name = "目录", default_value = "templates")]
    templates_dir: PathBuf,
    /// 显示帮助
    #[arg(short = 'h', long, global = true, action = ArgAction::Help)]
    help: Option<bool>,
    /// 显示版本
    #[arg(short = 'V', long, action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 检查全部台帐：列出每个问题（文件、工作表、行、列、取值与应有格式），有错误时退出码为 1
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Check(CheckArgs),
    /// 工作日日历：列出已录入的年份、各年的放假与调休上班日，核对新录入的一年，并指出运行日期需要而尚未录入的年份
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Calendar,
    /// 读取 input/ 中科室自己的工作簿，建议台帐映射 mapping.yaml（哪本是哪本台帐、哪一列是哪个字段），改好后运行 check
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Map,
    /// 生成虚构的示例小区（地王国际花园）及其各本台帐，写入输出目录
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Sample(SampleArgs),
    /// 打印受控表单汇编：封面、目录和全部空白表单，每个分发号一份，另附单份表单与发放登记表
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Pack(PackArgs),
    /// 制定业主走访工作计划（表单 07）：每周抽取入住户数的 10%，输出 PDF 和 xlsx
    #[command(name = "plan-visits", help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    PlanVisits(PlanArgs),
    /// 列出全部待办与逾期事项：什么事、依据哪条规程、哪间房或哪条记录、到期日、逾期天数、负责人
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Deadlines(DeadlineArgs),
    /// 欠费催缴：打印运行日期应发的提示函、催缴函、紧急催缴函和律师函，输出催缴台帐与起诉清单
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Dunning,
    /// 月报：本月台帐按受控表单打印、月度统计 xlsx（含图表与指标依据）、月度报告 PDF
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Monthly(MonthArgs),
    /// 业主档案电子版：每户一份 PDF/A 档案（封面、卷内目录、各项记录），档案索引与缺项报告；只重排有变化的户
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Archive(ArchiveArgs),
    /// 月末作业：检查台帐 → 规则与期限清单 → 催缴函件 → 月报 → 业主档案，一次完成；全部成功才替换上次的结果
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项")]
    Run(MonthArgs),
}

#[derive(Debug, Args)]
struct ArchiveArgs {
    /// 只处理这些房号，用逗号分隔，如 1-2-301,3-1-1502
    #[arg(long, value_name = "房号")]
    rooms: Option<String>,
    /// 全部重新生成（默认只重排输入有变化的户）
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
struct MonthArgs {
    /// 报告月份，YYYY-MM；默认为 kefu.yaml 的 report_month，否则为运行日期所在月
    #[arg(long, value_name = "月份", value_parser = parse_month)]
    month: Option<YearMonth>,
}

#[derive(Debug, Args)]
struct PlanArgs {
    /// 计划月份，YYYY-MM；默认为 kefu.yaml 的 report_month，否则为运行日期所在月
    #[arg(long, value_name = "月份", value_parser = parse_month)]
    month: Option<YearMonth>,
    /// 随机种子：同样的台帐和种子得到同样的计划
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
}

#[derive(Debug, Args)]
struct DeadlineArgs {
    /// 列出今后多少天内到期的事项（已逾期的总是列出）
    #[arg(long, value_name = "天数", default_value_t = 7, value_parser = clap::value_parser!(u32).range(0..=366))]
    within: u32,
    /// 输出格式：text（表格）或 json
    #[arg(long, value_name = "格式", default_value = "text", value_parser = ["text", "json"])]
    format: String,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// 输出格式：text（给人看）或 json（给程序读）
    #[arg(long, value_name = "格式", default_value = "text", value_parser = ["text", "json"])]
    format: String,
}

#[derive(Debug, Args)]
struct SampleArgs {
    /// 户数
    #[arg(long, value_name = "N", default_value_t = 1200, value_parser = clap::value_parser!(u32).range(10..=1_000_000))]
    households: u32,
    /// 生成的月数（截至 --month）
    #[arg(long, value_name = "M", default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=60))]
    months: u32,
    /// 随机种子：相同种子生成逐字节相同的文件
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// 最后一个月，YYYY-MM；默认为运行日期的上一个月
    #[arg(long, value_name = "月份", value_parser = parse_month)]
    month: Option<YearMonth>,
}

#[derive(Debug, Args)]
struct PackArgs {
    /// 份数：打印分发号 01 至 N 各一套
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=99))]
    copies: u8,
    /// 只打印这些表单，如 01,03,15 或 1-5；默认全部 31 种
    #[arg(long, value_name = "编号")]
    forms: Option<String>,
}

fn parse_month(text: &str) -> Result<YearMonth, String> {
    text.parse::<YearMonth>().map_err(|e| format!("{e}；应写成 YYYY-MM，如 2026-10"))
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("「{text}」不是有效日期，应写成 YYYY-MM-DD，如 2026-11-27"))
}

/// Runs kefu with `args` (including the program name); returns the exit code.
pub fn main(args: impl IntoIterator<Item = impl Into<OsString> + Clone>, today: NaiveDate) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return report_clap_error(&e),
    };
    let started = Instant::now();
    match dispatch(&cli, today) {
        Ok(outcome) => {
            // The closing line is for people: on stderr, so that what a command prints on stdout
            // (`--format json`) is one document.
            eprintln!("{}，用时 {:.1} 秒", outcome.summary, started.elapsed().as_secs_f64());
            outcome.exit
        }
        Err(e) => {
            eprintln!("错误：{e}");
            e.exit_code()
        }
    }
}

impl GlobalArgs {
    /// The options as the commands take them, with today's date.
    fn env(&self, today: NaiveDate) -> Env {
        Env {
            input: self.input.clone(),
            output: self.output.clone(),
            forms_dir: self.forms_dir.clone(),
            templates_dir: self.templates_dir.clone(),
            as_of: self.as_of,
            strict: self.strict,
            today,
        }
    }
}

/// Runs the command `cli` names.
fn dispatch(cli: &Cli, today: NaiveDate) -> Result<Outcome, Error> {
    let env = cli.global.env(today);
    match &cli.command {
        Command::Check(a) => check::execute(&env, a.format == "json"),
        Command::Map => map::execute(&env),
        Command::Calendar => calendar::execute(&env),
        Command::Sample(a) => sample::execute(&env, a.households, a.months, a.seed, a.month),
        Command::Pack(a) => pack::execute(&env, a.copies, a.forms.as_deref()),
        Command::PlanVisits(a) => plan_visits::execute(&env, a.month, a.seed),
        Command::Deadlines(a) => deadlines::execute(&env, a.within, a.format == "json"),
        Command::Dunning => dunning::execute(&env),
        Command::Monthly(a) => monthly::execute(&env, a.month),
        Command::Archive(a) => archive::execute(&env, a.rooms.as_deref(), a.force),
        Command::Run(a) => {
            // The month-end stages, in order: each reads the same session, none calls another.
            let deadlines = deadlines::DeadlineStage { within: 7 };
            let stages: [&dyn Stage; 4] =
                [&deadlines, &dunning::DunningStage, &monthly::MonthlyStage, &archive::ArchiveStage];
            run::execute(&env, a.month, &stages)
        }
    }
}

/// Prints clap's outcome in Chinese: help and version as they are, errors translated; exit 0 or 2.
fn report_clap_error(e: &clap::Error) -> u8 {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            say(&e.to_string());
            return 0;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprint!("{e}");
            return 2;
        }
        _ => {}
    }
    let ctx = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let arg = ctx(ContextKind::InvalidArg);
    let value = ctx(ContextKind::InvalidValue);
    let message = match e.kind() {
        ErrorKind::UnknownArgument => {
            let hint = ctx(ContextKind::SuggestedArg);
            if hint.is_empty() {
                format!("未知的参数「{arg}」")
            } else {
                format!("未知的参数「{arg}」，是否想用 {hint}？")
            }
        }
        ErrorKind::InvalidSubcommand => {
            let hint = ctx(ContextKind::SuggestedSubcommand);
            let name = ctx(ContextKind::InvalidSubcommand);
            if hint.is_empty() {
                format!("未知的命令「{name}」")
            } else {
                format!("未知的命令「{name}」，是否想用 {hint}？")
            }
        }
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数 {arg}"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map(|s| s.to_string()).unwrap_or_default();
            let why = match e.kind() {
                ErrorKind::InvalidValue => {
                    let valid = ctx(ContextKind::ValidValue);
                    if valid.is_empty() { "缺少取值".to_string() } else { format!("可选值为 {valid}") }
                }
                _ if why.contains("not in") => format!("超出允许范围（{}）", why.replace("is not in", "不在")),
                _ if why.contains("invalid digit") => "应为数字".to_string(),
                _ => why,
            };
            format!("参数 {arg} 的值「{value}」无效：{why}")
        }
        ErrorKind::ArgumentConflict => format!("参数 {arg} 不能与 {} 同时使用", ctx(ContextKind::PriorArg)),
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的取值个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 需要用 = 给出取值"),
        ErrorKind::InvalidUtf8 => "参数中有无法识别的字符（不是 UTF-8）".to_string(),
        _ => format!("命令行有误（{}）", e.kind()),
    };
    eprintln!("用法错误：{message}\n用 kefu --help 查看用法。");
    2
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_go_before_or_after_the_command() {
        let a = Cli::try_parse_from(["kefu", "--as-of", "2026-11-27", "pack", "--copies", "2"]).unwrap();
        let b = Cli::try_parse_from(["kefu", "pack", "--copies", "2", "--as-of", "2026-11-27"]).unwrap();
        assert_eq!(a.global.as_of, b.global.as_of);
        assert_eq!(a.global.as_of, NaiveDate::from_ymd_opt(2026, 11, 27));
    }

    #[test]
    fn bad_dates_and_counts_are_usage_errors() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(main(["kefu", "pack", "--as-of", "2026-13-01"], day), 2);
        assert_eq!(main(["kefu", "pack", "--copies", "0"], day), 2);
        assert_eq!(main(["kefu", "nonsense"], day), 2);
    }
}
