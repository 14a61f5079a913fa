//! `kefu plan-visits`: the month's owner-visit plan (业主走访工作计划, form 07) as PDF and xlsx.
//!
//! Input: a loaded session, the month and the seed. Output, in `output/走访计划/`:
//! `业主走访工作计划-YYYY-MM.xlsx` (every visit), the same as one PDF when it has at most
//! [`MAX_COMBINED_ROWS`] visits, and one PDF per visitor (亲情管家) under `分人/` — the sheet each
//! steward takes along. Files are written atomically. Failure: the rule's errors (a month outside
//! the calendar, no 亲情管家), template or write errors.

use std::path::{Path, PathBuf};

use super::session::{Env, Outcome, Session};
use crate::error::Error;
use crate::forms::Scope;
use crate::model::YearMonth;
use crate::output::{safe_file_name, write_atomic};
use crate::render::filled::{self, Filled};
use crate::render::{FontStore, TemplateStore, Typesetter};
use crate::rules::visits;

/// Folder of the plans inside the output folder.
pub const DIR: &str = "走访计划";

/// A plan with more visits than this is printed per visitor only: a single PDF of tens of
/// thousands of rows helps nobody and costs gigabytes to typeset.
pub const MAX_COMBINED_ROWS: usize = 2_000;

/// What was written.
pub struct Written {
    pub files: Vec<PathBuf>,
    pub summary: String,
}

/// `kefu plan-visits`: draws the month's plan with `seed` and writes it.
pub fn execute(env: &Env, month: Option<YearMonth>, seed: u64) -> Result<Outcome, Error> {
    let templates = TemplateStore::load(&env.templates_dir).map_err(Error::Config)?;
    let session = env.session()?;
    let month = env.month(month, &session);
    let written = run(&session, templates, month, seed, &env.output)?;
    Ok(session.outcome(format!(
        "已生成 {month} 业主走访工作计划：{}；输出 {} 个文件，在 {}",
        written.summary,
        written.files.len(),
        env.output.join(DIR).display()
    )))
}

/// Draws and writes the plan for `month`.
pub fn run(
    session: &Session,
    templates: TemplateStore,
    month: YearMonth,
    seed: u64,
    output: &Path,
) -> Result<Written, Error> {
    let ctx = session.context();
    let plan = visits::plan(&ctx, month, seed)?;
    let filled = crate::render::plan::plan_form(&plan, &session.forms);
    let form = session.forms.get(7).ok_or_else(|| Error::Internal("缺少表单 07 的定义".to_string()))?;
    let typesetter = Typesetter::new(FontStore::embedded(), templates);
    let dir = output.join(DIR);
    let stem = format!("{}-{month}", form.title);
    let mut files = Vec::new();
    let xlsx_path = dir.join(format!("{stem}.xlsx"));
    write_atomic(&xlsx_path, &crate::render::xlsx::filled_register(&session.config, form, &filled, session.as_of)?)?;
    files.push(xlsx_path);
    let render = |part: &Filled, ident: String| {
        let result =
            filled::render_filled(&session.config, form, part, &typesetter, session.as_of, ident, session.forms.dir());
        // Each document is different: typst's layout cache would only grow (gigabytes at 100k).
        typst::comemo::evict(0);
        result.map(|(pdf, _)| pdf)
    };
    let mut note = String::new();
    if filled.rows.len() <= MAX_COMBINED_ROWS {
        let path = dir.join(format!("{stem}.pdf"));
        write_atomic(&path, &render(&filled, format!("kefu/plan-visits/{month}/{seed}"))?)?;
        files.push(path);
    } else {
        note = format!("；共 {} 户，超过 {MAX_COMBINED_ROWS} 户，总表只输出 xlsx，PDF 按走访人分册", filled.rows.len());
    }
    // One sheet per visitor, typeset side by side.
    let column = form.fields.iter().filter(|f| f.scope == Scope::Row).position(|f| f.key == "visitor");
    let per_visitor: Vec<(String, Filled)> = plan
        .visitors
        .iter()
        .map(|name| {
            let rows = filled.rows.iter().filter(|r| column.and_then(|c| r.get(c)) == Some(name)).cloned().collect();
            (name.clone(), Filled { document: filled.document.clone(), rows, total: None })
        })
        .filter(|(_, part)| !part.rows.is_empty())
        .collect();
    let sheets: Vec<(PathBuf, Vec<u8>)> = crate::render::parallel_map(&per_visitor, |(name, part)| {
        let path = dir.join("分人").join(safe_file_name(&format!("{stem}-{name}.pdf")));
        render(part, format!("kefu/plan-visits/{month}/{seed}/{name}")).map(|pdf| (path, pdf))
    })
    .into_iter()
    .collect::<Result<_, Error>>()?;
    for (path, pdf) in sheets {
        write_atomic(&path, &pdf)?;
        files.push(path);
    }
    Ok(Written { files, summary: format!("{}{note}", plan.summary()) })
}
