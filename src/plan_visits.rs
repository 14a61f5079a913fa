//! `kefu plan-visits`: the month's owner-visit plan (业主走访工作计划, form 07) as PDF and xlsx.
//!
//! Input: a loaded session, the month and the seed. Output: `output/走访计划/业主走访工作计划-YYYY-MM.pdf`
//! and `.xlsx`, written atomically, and a summary. Failure: the rule's errors (a month outside the
//! calendar), template or write errors.

use std::path::{Path, PathBuf};

use crate::config::YearMonth;
use crate::error::Error;
use crate::output::write_atomic;
use crate::pack;
use crate::render::{FontStore, TemplateStore, Typesetter};
use crate::rules::visits;
use crate::session::Session;

/// Folder of the plans inside the output folder.
pub const DIR: &str = "走访计划";

/// What was written.
pub struct Written {
    pub pdf: PathBuf,
    pub xlsx: PathBuf,
    pub summary: String,
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
    let filled = plan.filled(&ctx);
    let form = session.forms.get(7).ok_or_else(|| Error::Internal("缺少表单 07 的定义".to_string()))?;
    let typesetter = Typesetter::new(FontStore::embedded(), templates);
    let ident = format!("kefu/plan-visits/{month}/{seed}");
    let (pdf, _) =
        pack::render_filled(&session.config, form, &filled, &typesetter, session.as_of, ident, session.forms.dir())?;
    let xlsx = crate::render::xlsx::filled_register(&session.config, form, &filled, session.as_of)?;
    let dir = output.join(DIR);
    let stem = format!("{}-{month}", form.title);
    let (pdf_path, xlsx_path) = (dir.join(format!("{stem}.pdf")), dir.join(format!("{stem}.xlsx")));
    write_atomic(&pdf_path, &pdf)?;
    write_atomic(&xlsx_path, &xlsx)?;
    Ok(Written { pdf: pdf_path, xlsx: xlsx_path, summary: plan.summary() })
}
