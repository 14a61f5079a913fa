//! `kefu archive`: one PDF/A-2b dossier per household (业主档案建立、管理规程 3.1.3 "制成电子版材料"),
//! the archive index and the exceptions report; incremental and reproducible.
//!
//! Input: a loaded session and the templates. Output, under `archive/` in the output folder:
//! `卷宗/<楼号>/<房号>.pdf` — a cover (room, owner, delivery and move-in dates, archive number,
//! completeness), the 卷内目录 (form 05: the paper documents logged by the archive manager, then
//! every document of the household printed in this file with its page range), then each document
//! from the registers in its numbered form, with a PDF bookmark each; `档案索引.xlsx`;
//! `档案缺项报告.xlsx`; `manifest.json` (per household the hash of everything its dossier is made
//! from, and the dossier's sha256).
//!
//! Incremental: a household whose input hash (its rendered data together with the templates and
//! the forms) matches the manifest and whose file is there is not typeset again; `--force`
//! rebuilds every one. Each file is written under a temporary name and renamed. Dossiers carry
//! unmasked personal data: files are 0600 and folders 0700 (3.4.1 保密管理). A dossier's date
//! (printed, and the PDF's) is the household's last recorded change, not the run date, so
//! rebuilding an unchanged household gives the same bytes.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::session::{Env, Outcome, Session, Stage, StageInput};
use crate::error::{Error, Problem, Problems};
use crate::forms::{FieldType, FormDef, FormKind, Scope};
use crate::model::{Register, RegisterId, Value};
use crate::output::hex;
use crate::parse::room::{RoomId, parse_room};
use crate::render::filled::{DocView, Filled, FormView};
use crate::render::{Job, PdfFlavor, Typesetter};
use crate::text::chinese_date;

/// Folder of the archive inside the output folder.
pub const DIR: &str = "archive";
/// Folder of the dossiers inside [`DIR`].
pub const DOSSIERS: &str = "卷宗";
const MANIFEST: &str = "manifest.json";
const TEMPLATE: &str = "/archive.typ";

/// The forms whose records belong to a household's dossier, in the order printed: move-in,
/// keys and cards, repairs, complaints, visits, services, rentals, borrowing of the archive.
const DOCUMENT_FORMS: [u8; 22] = [1, 2, 3, 23, 24, 25, 26, 27, 28, 15, 16, 21, 18, 19, 8, 9, 12, 13, 14, 29, 30, 4];

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only these rooms (all households when `None`).
    pub rooms: Option<Vec<RoomId>>,
    /// Typeset every dossier even when unchanged.
    pub force: bool,
}

/// `kefu archive`: brings the dossiers of `rooms` (all when `None`) up to date.
pub fn execute(env: &Env, rooms: Option<&str>, force: bool) -> Result<Outcome, Error> {
    let rooms = rooms.map(parse_rooms).transpose()?;
    let session = env.session()?;
    let typesetter = env.typesetter()?;
    let written = run(&session, &typesetter, &env.templates_dir, &env.output, &Options { rooms, force })?;
    Ok(session.outcome(summary(&written)))
}

/// `1-2-301,3-1-1502` (also separated by ，or 、); every room that cannot be read is named.
fn parse_rooms(text: &str) -> Result<Vec<RoomId>, Error> {
    let mut rooms = Vec::new();
    let mut bad = Vec::new();
    for part in text.split([',', '，', '、']).map(str::trim).filter(|p| !p.is_empty()) {
        match parse_room(part) {
            Ok(r) => rooms.push(r),
            Err(e) => bad.push(format!("「{part}」：{e}")),
        }
    }
    if bad.is_empty() {
        Ok(rooms)
    } else {
        Err(Error::Usage(format!("--rooms 中的房号无法识别：{}", bad.join("；"))))
    }
}

/// The archive as a stage of the month-end run: it starts from the previous run's archive, so
/// only changed households are typeset.
pub struct ArchiveStage;

impl Stage for ArchiveStage {
    fn name(&self) -> &'static str {
        "业主档案"
    }

    fn reuses(&self) -> Option<&'static str> {
        Some(DIR)
    }

    fn write(&self, input: &StageInput<'_>, dir: &Path) -> Result<String, Error> {
        let w = run(input.session, input.typesetter, input.templates, dir, &Options::default())?;
        Ok(summary(&w))
    }
}

/// What was done.
#[derive(Debug, Default)]
pub struct Written {
    pub dir: PathBuf,
    pub households: usize,
    pub rendered: usize,
    pub unchanged: usize,
    pub incomplete: usize,
    pub pages: usize,
}

/// One household's line of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    /// sha256 of the templates, the forms and the household's data as rendered.
    input: String,
    /// sha256 of the dossier PDF.
    sha256: String,
    pages: usize,
    complete: bool,
    missing: Vec<String>,
    /// The household's last recorded change.
    updated: NaiveDate,
    file: String,
    owner: String,
    archive_no: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    households: BTreeMap<String, Entry>,
}

/// A register record of a household: form, record index.
type Rec = (u8, usize);

#[derive(Serialize)]
struct Cover {
    room: String,
    owner: String,
    delivered: String,
    moved_in: String,
    archive_no: String,
    filed_on: String,
    complete: bool,
    missing: Vec<String>,
    documents: usize,
    updated: String,
}

#[derive(Serialize)]
struct PaperRow {
    no: String,
    author: String,
    title: String,
    date: String,
    pages: String,
    signed: String,
    archived_on: String,
}

#[derive(Serialize)]
struct ContentRow {
    no: String,
    date: String,
    title: String,
    code: String,
    key: String,
}

#[derive(Serialize)]
struct View<'a> {
    title: String,
    doc: DocView<'a>,
    printed: String,
    log_code: String,
    log_title: String,
    cover: Cover,
    paper: Vec<PaperRow>,
    contents: Vec<ContentRow>,
    forms: Vec<FormView<'a>>,
}

/// The household's data ready to typeset, and what the manifest records of it.
struct Prepared<'a> {
    room: RoomId,
    view: View<'a>,
    json: Vec<u8>,
    updated: NaiveDate,
    missing: Vec<String>,
}

/// Builds (or brings up to date) the archive.
/// `templates` is hashed into every household's input (a template change rebuilds all).
pub fn run(
    session: &Session,
    typesetter: &Typesetter,
    templates: &Path,
    output: &Path,
    options: &Options,
) -> Result<Written, Error> {
    let fixed = fixed_hash(templates, &session.forms_dir)?;
    let dir = output.join(DIR);
    private_dir(&dir)?;
    private_dir(&dir.join(DOSSIERS))?;
    let manifest_path = dir.join(MANIFEST);
    let mut manifest: Manifest =
        std::fs::read(&manifest_path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();

    let index = Index::new(session);
    let rooms = chosen_rooms(&index, options)?;
    let (todo, unchanged) = changed(session, &index, &rooms, &fixed, &manifest, &dir, options.force)?;
    let mut written = Written { households: rooms.len(), unchanged, ..Written::default() };
    let progress = crate::progress::Progress::new(todo.len() as u64, "排版业主档案");
    let results = crate::render::parallel_map(&todo, |(room, input, file)| {
        progress.inc();
        let out = build(session, typesetter, &index, &dir, *room, input, file);
        typst::comemo::evict(0);
        (*room, out)
    });
    progress.finish();
    let (problems, config_error) = record(results, &mut manifest, &mut written, &dir);
    // The manifest records what is on disk, also after a failure part-way.
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Internal(e.to_string()))?;
    crate::output::write_atomic(&manifest_path, &json)?;
    private_file(&manifest_path)?;
    if let Some(e) = config_error {
        return Err(e);
    }
    if !problems.is_empty() {
        return Err(Error::Input(Problems(problems)));
    }
    let entries: Vec<(&String, &Entry)> = manifest.households.iter().collect();
    for (name, bytes) in [
        ("档案索引.xlsx", index_workbook(session, &entries)?),
        ("档案缺项报告.xlsx", exceptions_workbook(session, &entries)?),
    ] {
        let path = dir.join(name);
        crate::output::write_atomic(&path, &bytes)?;
        private_file(&path)?;
    }
    written.incomplete = entries.iter().filter(|(_, e)| !e.complete).count();
    written.pages = entries.iter().map(|(_, e)| e.pages).sum();
    written.dir = dir;
    Ok(written)
}

/// The households to build: all, or those `--rooms` names (each of which must have a dossier).
fn chosen_rooms(index: &Index<'_>, options: &Options) -> Result<Vec<RoomId>, Error> {
    let mut rooms = index.households();
    if let Some(only) = &options.rooms {
        let unknown: Vec<String> = only.iter().filter(|r| !rooms.contains(r)).map(RoomId::to_string).collect();
        if !unknown.is_empty() {
            return Err(Error::Usage(format!(
                "--rooms 中的房号没有档案（未入住，也没有任何记录）：{}",
                unknown.join("、")
            )));
        }
        rooms.retain(|r| only.contains(r));
    }
    Ok(rooms)
}

/// A household to typeset: room, input hash, dossier file.
type Todo = (RoomId, String, String);

/// The households whose dossier must be typeset, and how many are unchanged.
fn changed(
    session: &Session,
    index: &Index<'_>,
    rooms: &[RoomId],
    fixed: &str,
    manifest: &Manifest,
    dir: &Path,
    force: bool,
) -> Result<(Vec<Todo>, usize), Error> {
    // First every household's data is prepared and hashed to find what changed, keeping only
    // the hash: held together, 10,000 households' data took gigabytes. A changed household is
    // prepared again when its turn to be typeset comes.
    let mut todo = Vec::new();
    let mut unchanged_count = 0;
    for &room in rooms {
        let p = prepare(session, index, room)?;
        let key = p.room.to_string();
        let input = hex(&Sha256::new().chain_update(fixed.as_bytes()).chain_update(&p.json).finalize());
        let file = dossier_file(p.room);
        let unchanged = !force
            && manifest
                .households
                .get(&key)
                .is_some_and(|e| e.input == input && e.file == file && dir.join(&file).exists());
        if unchanged {
            unchanged_count += 1;
        } else {
            todo.push((room, input, file));
        }
    }
    Ok((todo, unchanged_count))
}

/// Typesets one household's dossier into `dir`/`file`: its line of the manifest.
fn build(
    session: &Session,
    typesetter: &Typesetter,
    index: &Index<'_>,
    dir: &Path,
    room: RoomId,
    input: &str,
    file: &str,
) -> Result<Entry, Error> {
    let prepared = prepare(session, index, room);
    prepared.and_then(|p| typeset(typesetter, &p).map(|done| (p, done))).and_then(|(p, (pdf, pages))| {
        let path = dir.join(file);
        if let Some(parent) = path.parent() {
            private_dir(parent)?;
        }
        crate::output::write_atomic(&path, &pdf)?;
        private_file(&path)?;
        Ok(Entry {
            input: input.to_string(),
            sha256: crate::output::sha256_hex(&pdf),
            pages,
            complete: p.missing.is_empty(),
            missing: p.missing.clone(),
            updated: p.updated,
            file: file.to_string(),
            owner: p.view.cover.owner.clone(),
            archive_no: p.view.cover.archive_no.clone(),
        })
    })
}

/// Enters each typeset dossier in the manifest; answers the failures, and a configuration fault
/// once.
fn record(
    results: Vec<(RoomId, Result<Entry, Error>)>,
    manifest: &mut Manifest,
    written: &mut Written,
    dir: &Path,
) -> (Vec<Problem>, Option<Error>) {
    let mut problems = Vec::new();
    let mut config_error = None;
    for (room, r) in results {
        match r {
            Ok(entry) => {
                written.rendered += 1;
                manifest.households.insert(room.to_string(), entry);
            }
            // A template or configuration fault is the same for every household: report it once.
            Err(e @ (Error::Config(_) | Error::Usage(_))) => {
                config_error.get_or_insert(e);
            }
            Err(e) => problems.push(Problem::in_file(dir, format!("{room}：{e}"))),
        }
    }
    (problems, config_error)
}

/// `业主档案 1,202 户：新生成 3 户，未变 1,199 户；不完整 12 户；共 15,300 页；输出在 …`.
pub fn summary(w: &Written) -> String {
    format!(
        "业主档案 {} 户：新生成 {} 户，未变 {} 户；档案不完整 {} 户（见档案缺项报告）；共 {} 页；输出在 {}",
        w.households,
        w.rendered,
        w.unchanged,
        w.incomplete,
        w.pages,
        w.dir.display()
    )
}

/// `卷宗/1/1-2-301.pdf`.
fn dossier_file(room: RoomId) -> String {
    format!("{DOSSIERS}/{}/{room}.pdf", room.building)
}

/// sha256 over every template and form definition file (sorted by path) and kefu's version:
/// a change to any of them rebuilds every dossier.
fn fixed_hash(templates: &Path, forms: &Path) -> Result<String, Error> {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    for root in [templates, forms] {
        for f in crate::output::files_under(root)? {
            h.update(f.to_string_lossy().as_bytes());
            h.update(std::fs::read(&f).map_err(|e| Error::io("读取", &f, &e))?);
        }
    }
    Ok(hex(&h.finalize()))
}

#[cfg(unix)]
fn private_dir(dir: &Path) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(dir).map_err(|e| Error::io("创建目录", dir, &e))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| Error::io("设置权限", dir, &e))
}

#[cfg(not(unix))]
fn private_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("创建目录", dir, &e))
}

#[cfg(unix)]
fn private_file(path: &Path) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|e| Error::io("设置权限", path, &e))
}

#[cfg(not(unix))]
fn private_file(_path: &Path) -> Result<(), Error> {
    Ok(())
}

/// Every household record, by room, read once.
struct Index<'s> {
    session: &'s Session,
    docs: HashMap<RoomId, Vec<Rec>>,
    log: HashMap<RoomId, Vec<usize>>,
}

impl<'s> Index<'s> {
    fn new(session: &'s Session) -> Index<'s> {
        let data = &session.loaded.dataset;
        let mut docs: HashMap<RoomId, Vec<Rec>> = HashMap::new();
        for n in DOCUMENT_FORMS {
            let (Some(form), Some(reg)) = (session.forms.get(n), data.register(RegisterId::Form(n))) else { continue };
            let field = form
                .fields
                .iter()
                .position(|f| f.scope == Scope::Row && matches!(f.ty, FieldType::Room | FieldType::Place));
            // 16 names the place as text (维修地点): a room when it reads as one.
            let text = if field.is_none() { form.fields.iter().position(|f| f.key == "location") } else { None };
            for row in 0..reg.len() {
                let room = match (field, text) {
                    (Some(i), _) => reg.room(row, i),
                    (None, Some(i)) => reg.text(row, i).and_then(|t| parse_room(t).ok()),
                    _ => None,
                };
                if let Some(room) = room {
                    docs.entry(room).or_default().push((n, row));
                }
            }
        }
        let mut log: HashMap<RoomId, Vec<usize>> = HashMap::new();
        if let (Some(form), Some(reg)) = (session.forms.get(5), data.register(RegisterId::Form(5)))
            && let Some(i) = form.fields.iter().position(|f| f.key == "room")
        {
            for row in 0..reg.len() {
                if let Some(room) = reg.room(row, i) {
                    log.entry(room).or_default().push(row);
                }
            }
        }
        Index { session, docs, log }
    }

    /// Rooms with an archive: moved in, or with records or a volume in form 05; in room order.
    fn households(&self) -> Vec<RoomId> {
        let mut rooms: Vec<RoomId> = self
            .session
            .loaded
            .dataset
            .rooms
            .iter()
            .filter(|r| r.moved_in.is_some() || self.log.contains_key(&r.id))
            .map(|r| r.id)
            .collect();
        rooms.extend(self.docs.keys().filter(|r| self.session.loaded.dataset.room(**r).is_some()));
        rooms.sort();
        rooms.dedup();
        rooms
    }
}

fn value_text(v: &Value) -> String {
    v.display()
}

/// The first date of record `row` of `form` (its first date or datetime field).
fn record_date(session: &Session, form: &FormDef, row: usize) -> Option<NaiveDate> {
    let reg = session.loaded.dataset.register(RegisterId::Form(form.number))?;
    form.fields
        .iter()
        .enumerate()
        .filter(|(_, f)| matches!(f.ty, FieldType::Date | FieldType::Datetime))
        .find_map(|(i, _)| reg.get(row, i).and_then(|v| v.date()))
}

/// The record's own number (维修单号, 处理书号 …), when the form has one.
fn record_number(session: &Session, form: &FormDef, row: usize) -> String {
    let Some(reg) = session.loaded.dataset.register(RegisterId::Form(form.number)) else { return String::new() };
    ["order_no", "doc_no", "contact_no", "entrust_no", "notice_no", "ticket_no", "receipt_no", "card_no"]
        .iter()
        .find_map(|k| form.fields.iter().position(|f| f.key == *k).and_then(|i| reg.text(row, i)).map(str::to_string))
        .unwrap_or_default()
}

fn prepare<'s>(session: &'s Session, index: &Index<'s>, room: RoomId) -> Result<Prepared<'s>, Error> {
    let data = &session.loaded.dataset;
    let prefix = &session.config.document_control.form_prefix;
    let info = data.room(room);
    let owner = info.and_then(|r| r.owner.clone()).unwrap_or_default();
    let mut latest = Latest(info.and_then(|r| r.moved_in.or(r.delivered)));
    let log_form = session.forms.get(5);
    let Log { paper, archive_no, filed_on, titles } = read_log(session, index, room, &mut latest);

    // 3.1.1–3.1.2: what must be there, signed where required. Only for households that moved in.
    let moved_in = info.and_then(|r| r.moved_in);
    let missing = if moved_in.is_some() { missing_documents(session, &titles) } else { Vec::new() };

    let (forms, contents) = documents(session, index, room, &mut latest);
    let updated = latest.0.unwrap_or(session.as_of);
    let cover = Cover {
        room: room.to_string(),
        owner: owner.clone(),
        delivered: info.and_then(|r| r.delivered).map(chinese_date).unwrap_or_default(),
        moved_in: moved_in.map(chinese_date).unwrap_or_else(|| "未入住".to_string()),
        archive_no,
        filed_on,
        complete: missing.is_empty(),
        missing: missing.clone(),
        documents: paper.len() + contents.len(),
        updated: chinese_date(updated),
    };
    let view = View {
        title: format!("业主档案 {room} {owner}"),
        doc: DocView::new(&session.config),
        printed: chinese_date(updated),
        log_code: log_form.map(|f| f.code(prefix)).unwrap_or_default(),
        log_title: log_form.map(|f| f.title.clone()).unwrap_or_else(|| "业主档案卷内目录".to_string()),
        cover,
        paper,
        contents,
        forms,
    };
    let json = serde_json::to_vec(&view).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Prepared { room, view, json, updated, missing })
}

/// The latest date among a household's records: its last recorded change.
struct Latest(Option<NaiveDate>);

impl Latest {
    fn bump(&mut self, d: Option<NaiveDate>) {
        if let Some(d) = d {
            self.0 = Some(self.0.map_or(d, |u| u.max(d)));
        }
    }
}

/// What the archive manager's log (form 05) holds of a household.
struct Log {
    /// The paper documents.
    paper: Vec<PaperRow>,
    /// 档案编号 (`DA-<room>` when the log has none).
    archive_no: String,
    /// 立卷日期.
    filed_on: String,
    /// Each document's title and whether it is signed.
    titles: Vec<(String, bool)>,
}

/// The archive manager's log (form 05): the paper documents, 档案编号, 立卷日期.
fn read_log(session: &Session, index: &Index<'_>, room: RoomId, latest: &mut Latest) -> Log {
    let data = &session.loaded.dataset;
    let mut paper = Vec::new();
    let mut archive_no = String::new();
    let mut filed_on = String::new();
    let mut titles: Vec<(String, bool)> = Vec::new();
    let log_form = session.forms.get(5);
    if let (Some(form), Some(reg), Some(rows)) = (log_form, data.register(RegisterId::Form(5)), index.log.get(&room)) {
        let col = |k: &str| form.fields.iter().position(|f| f.key == k);
        let get =
            |row: usize, k: &str| col(k).and_then(|i| reg.get(row, i)).map(|v| value_text(&v)).unwrap_or_default();
        for &row in rows {
            if archive_no.is_empty() {
                archive_no = get(row, "archive_no");
            }
            if filed_on.is_empty() {
                filed_on = get(row, "filed_on");
            }
            let title = get(row, "doc_title");
            if title.is_empty() {
                continue;
            }
            let signed = col("signed").and_then(|i| reg.flag(row, i)).unwrap_or(false);
            titles.push((title.clone(), signed));
            for k in ["doc_date", "archived_on"] {
                latest.bump(col(k).and_then(|i| reg.date(row, i)));
            }
            paper.push(PaperRow {
                no: get(row, "doc_no"),
                author: get(row, "author"),
                title,
                date: get(row, "doc_date"),
                pages: get(row, "pages"),
                signed: if signed { "是".to_string() } else { "否".to_string() },
                archived_on: get(row, "archived_on"),
            });
        }
    }
    if archive_no.is_empty() {
        archive_no = format!("DA-{room}");
    }
    Log { paper, archive_no, filed_on, titles }
}

/// The required documents (3.1.1) not among `titles`, and those not signed where 3.1.2 asks.
fn missing_documents(session: &Session, titles: &[(String, bool)]) -> Vec<String> {
    let mut missing = Vec::new();
    for req in &session.params.archive.required {
        match titles.iter().find(|(t, _)| t.contains(&req.title)) {
            None => missing.push(format!("缺{}", req.title)),
            Some((_, false)) if req.signed => missing.push(format!("{}签字不全", req.title)),
            Some(_) => {}
        }
    }
    missing
}

/// The documents from the registers, forms in [`DOCUMENT_FORMS`] order, records by date: one
/// document per record of a form, one per register (all its rows of the household).
fn documents<'s>(
    session: &'s Session,
    index: &Index<'s>,
    room: RoomId,
    latest: &mut Latest,
) -> (Vec<FormView<'s>>, Vec<ContentRow>) {
    let data = &session.loaded.dataset;
    let prefix = &session.config.document_control.form_prefix;
    let mut forms: Vec<FormView<'s>> = Vec::new();
    let mut contents = Vec::new();
    let mut seq = 0;
    let records = index.docs.get(&room).cloned().unwrap_or_default();
    for n in DOCUMENT_FORMS {
        let Some(form) = session.forms.get(n) else { continue };
        let Some(reg) = data.register(RegisterId::Form(n)) else { continue };
        let mut rows: Vec<usize> = records.iter().filter(|(f, _)| *f == n).map(|(_, r)| *r).collect();
        if rows.is_empty() {
            continue;
        }
        rows.sort_by_key(|&r| (record_date(session, form, r), r));
        let code = form.code(prefix);
        let per_record = form.kind != FormKind::Register;
        let groups: Vec<Vec<usize>> =
            if per_record { rows.iter().map(|&r| vec![r]).collect() } else { vec![rows.clone()] };
        for group in groups {
            seq += 1;
            let key = format!("d{seq}");
            let first = group[0];
            let date = record_date(session, form, first);
            for &r in &group {
                latest.bump(record_date(session, form, r));
            }
            let filled = filled(form, reg, &group, per_record);
            let no = if per_record { record_number(session, form, first) } else { String::new() };
            let date_text = match (per_record, date) {
                (true, Some(d)) => d.to_string(),
                (false, Some(d)) => {
                    let last = group.iter().filter_map(|&r| record_date(session, form, r)).max().unwrap_or(d);
                    if last == d { d.to_string() } else { format!("{d} 至 {last}") }
                }
                _ => String::new(),
            };
            let title =
                if per_record { form.title.clone() } else { format!("{}（{} 条记录）", form.title, group.len()) };
            let bookmark = format!("{seq}. {} {}", title, if no.is_empty() { date_text.clone() } else { no.clone() });
            forms.push(FormView::filled(form, prefix, &filled).as_sheet().instance(key.clone(), bookmark));
            contents.push(ContentRow { no, date: date_text, title, code: code.clone(), key });
        }
    }
    (forms, contents)
}

/// A document's values: a record's fields (`per_record`), or a register's document fields and
/// its rows of `group`.
fn filled(form: &FormDef, reg: &Register, group: &[usize], per_record: bool) -> Filled {
    let cell = |row: usize, i: usize| reg.get(row, i).map(|v| value_text(&v)).unwrap_or_default();
    let first = group[0];
    if per_record {
        let document = (0..form.fields.len())
            .filter(|&i| reg.has(first, i))
            .map(|i| (form.fields[i].key.clone(), cell(first, i)))
            .collect();
        Filled { document, rows: Vec::new(), total: None }
    } else {
        let row_fields: Vec<usize> = (0..form.fields.len()).filter(|&i| form.fields[i].scope == Scope::Row).collect();
        let mut document = BTreeMap::new();
        for (i, f) in form.fields.iter().enumerate().filter(|(_, f)| f.scope == Scope::Document) {
            if let Some(&r) = group.iter().find(|&&r| reg.has(r, i)) {
                document.insert(f.key.clone(), cell(r, i));
            }
        }
        let table = group.iter().map(|&r| row_fields.iter().map(|&i| cell(r, i)).collect()).collect();
        Filled { document, rows: table, total: None }
    }
}

fn typeset(t: &Typesetter, p: &Prepared<'_>) -> Result<(Vec<u8>, usize), Error> {
    let job = Job {
        template: TEMPLATE,
        data: &p.view,
        date: p.updated,
        ident: format!("kefu/archive/{}", p.room),
        flavor: PdfFlavor::ArchiveA2b,
    };
    let typeset = t.typeset(&job)?;
    typeset.refuse_missing_glyphs(Path::new(&p.room.to_string()), "档案", "无法存档；请核对台帐中的这个字")?;
    let pages = typeset.document.pages().len();
    Ok((t.export(&typeset.document, &job, None)?, pages))
}

fn index_workbook(session: &Session, entries: &[(&String, &Entry)]) -> Result<Vec<u8>, Error> {
    use crate::render::xlsx::{self, Formats, Table, xlsx_error as e};
    let f = Formats::default();
    let mut wb = xlsx::workbook(session.as_of, "业主档案索引", &session.config.company)?;
    let ws = wb.add_worksheet();
    let heads: [(&str, f64); 9] = [
        ("房号", 5.0),
        ("业主", 4.0),
        ("档案编号", 7.0),
        ("完整性", 3.5),
        ("缺项", 20.0),
        ("页数", 3.0),
        ("最后变更", 5.5),
        ("文件", 12.0),
        ("SHA-256", 34.0),
    ];
    let sub = format!(
        "{}　{}　共 {} 户　制表日期：{}",
        session.config.company,
        session.config.estate,
        entries.len(),
        chinese_date(session.as_of)
    );
    let table = Table::new("档案索引", "业主档案索引", &sub, &heads).freeze_first_column().default_printing();
    table.write(ws, &f, |ws| {
        for (i, (room, en)) in entries.iter().enumerate() {
            let r = 3 + i as u32;
            let texts = [
                room.as_str(),
                en.owner.as_str(),
                en.archive_no.as_str(),
                if en.complete { "完整" } else { "不完整" },
                &en.missing.join("、"),
            ];
            for (c, t) in texts.iter().enumerate() {
                ws.write_string_with_format(r, c as u16, *t, &f.cell).map_err(e)?;
            }
            ws.write_number_with_format(r, 5, en.pages as f64, &f.cell_center).map_err(e)?;
            ws.write_string_with_format(r, 6, en.updated.to_string(), &f.cell_center).map_err(e)?;
            ws.write_string_with_format(r, 7, &en.file, &f.cell).map_err(e)?;
            ws.write_string_with_format(r, 8, &en.sha256, &f.cell).map_err(e)?;
        }
        Ok(entries.len() as u32)
    })?;
    wb.save_to_buffer().map_err(e)
}

/// One row per missing item: room, owner, what, since when (the day the archive had to be
/// complete: 入住日期 plus `rules.archive.build_working_days`).
fn exceptions_workbook(session: &Session, entries: &[(&String, &Entry)]) -> Result<Vec<u8>, Error> {
    use crate::render::xlsx::{self, Formats, Table, xlsx_error as e};
    let f = Formats::default();
    let mut wb = xlsx::workbook(session.as_of, "业主档案缺项报告", &session.config.company)?;
    let ws = wb.add_worksheet();
    let heads: [(&str, f64); 6] = [
        ("房号", 5.0),
        ("业主", 4.0),
        ("缺项", 12.0),
        ("入住日期", 5.5),
        ("应建档日期（自此缺）", 8.0),
        ("依据", 30.0),
    ];
    let incomplete = entries.iter().filter(|(_, en)| !en.complete).count();
    let sub = format!(
        "{}　截至 {}：档案不完整 {} 户（业主档案建立、管理规程 3.1.1–3.1.2：建档便意味着档案签字手续完全）",
        session.config.company,
        chinese_date(session.as_of),
        incomplete
    );
    let table = Table::new("缺项", "业主档案缺项报告", &sub, &heads).freeze_first_column().default_printing();
    table.write(ws, &f, |ws| {
        let days = session.params.archive.build_working_days;
        let mut r = 3u32;
        for (room, en) in entries.iter().filter(|(_, en)| !en.complete) {
            let id = parse_room(room).ok();
            let moved_in = id.and_then(|id| session.loaded.dataset.room(id)).and_then(|x| x.moved_in);
            let since = moved_in.map(|d| {
                session
                    .calendar
                    .add_working_days(d, days)
                    .map(|x| x.to_string())
                    .unwrap_or_else(|e| format!("日历缺少 {} 年", e.year))
            });
            for what in &en.missing {
                let basis = if what.ends_with("签字不全") {
                    "3.1.2 签字要求"
                } else {
                    "3.1.1 业主档案包含内容"
                };
                let cells = [
                    room.as_str(),
                    en.owner.as_str(),
                    what.as_str(),
                    &moved_in.map(|d| d.to_string()).unwrap_or_default(),
                    &since.clone().unwrap_or_default(),
                    basis,
                ];
                for (c, t) in cells.iter().enumerate() {
                    ws.write_string_with_format(r, c as u16, *t, &f.cell).map_err(e)?;
                }
                r += 1;
            }
        }
        Ok(r - 3)
    })?;
    wb.save_to_buffer().map_err(e)
}
