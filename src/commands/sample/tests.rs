//! Tests of the sample generator: determinism, the configuration, every rule of the form
//! definitions on every generated record, the shape of the written files read back with
//! calamine, a 300-household smoke test and (ignored) a 100k-household timing run.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, open_workbook_auto};
use chrono::NaiveDate;

use crate::config::Config;
use crate::forms::{Field, FieldType, FormSet};
use crate::model::YearMonth;
use crate::parse::text::header_key;

use super::estate::{Estate, Status};
use super::record::{Collect, Rec, V};
use super::text::{COMPLAINT_CATEGORIES, COMPLAINTS, HEATING_COMPLAINTS};
use super::{Ctx, Layout, Reg, SampleOptions, catalog, file_name, generate};

fn forms() -> FormSet {
    FormSet::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("forms")).expect("form definitions load")
}

fn options(households: u32, months: u32) -> SampleOptions {
    SampleOptions { households, months, seed: 20_260_501, report_month: YearMonth { year: 2026, month: 10 } }
}

/// Every record of every register, by register, generated without writing files.
fn collect(forms: &FormSet, estate: &Estate) -> Vec<(Reg, Vec<(String, Rec)>)> {
    let ctx = Ctx::new(forms, estate).expect("context");
    catalog()
        .into_iter()
        .map(|spec| {
            let mut sink = Collect::default();
            (spec.generate)(&ctx, &mut sink).expect("generator runs");
            (spec.reg, sink.rows)
        })
        .collect()
}

fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read file");
                out.insert(path.strip_prefix(dir).expect("inside").to_path_buf(), bytes);
            }
        }
    }
    out
}

#[test]
fn same_options_give_byte_identical_files() {
    let forms = forms();
    let (a, b) = (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
    let ra = generate(&forms, &options(60, 2), a.path()).expect("first run");
    let rb = generate(&forms, &options(60, 2), b.path()).expect("second run");
    assert_eq!(ra, rb);
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert_eq!(fa.len(), 36, "{:?}", fa.keys().collect::<Vec<_>>());
    assert_eq!(fa.len(), ra.files);
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(fb.get(name) == Some(bytes), "{} differs between runs", name.display());
    }
    let other = tempfile::tempdir().expect("tmp");
    generate(&forms, &SampleOptions { seed: 7, ..options(60, 2) }, other.path()).expect("third run");
    let rooms = Path::new(super::REGISTER_DIR).join("房屋及业主台帐.xlsx");
    assert_ne!(files(other.path()).get(&rooms), fa.get(&rooms), "another seed gives other owners");
}

#[test]
fn config_parses_and_matches_the_estate() {
    for households in [1, 60, 1_200] {
        let opts = options(households, 12);
        let estate = Estate::new(&opts);
        let text = super::ledgers::config_yaml(&estate, &opts);
        let config = Config::parse(&text, Path::new("kefu.yaml")).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let property = config.property.expect("property");
        let rooms: usize = property.buildings.iter().map(|b| b.rooms().count()).sum();
        assert_eq!(rooms, estate.homes.len());
        assert!(rooms as u32 >= households && rooms as u32 <= households + 12, "{rooms} for {households}");
        assert_eq!(config.report_month, Some(opts.report_month));
        let names: HashSet<&str> = config.staff.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names.len(), config.staff.len(), "staff names are distinct");
        for s in &config.staff {
            assert!(s.roles.iter().all(|r| crate::config::ROLES.contains(&r.as_str())), "{:?}", s.roles);
        }
        let mut seen = HashSet::new();
        for g in &config.move_in_groups {
            assert!(g.members.iter().all(|m| names.contains(m.as_str())));
            assert!(g.buildings.iter().all(|b| seen.insert(*b)), "a building in two groups");
        }
        assert_eq!(seen.len(), property.buildings.len(), "every building has a group");
        if households >= 1_200 {
            assert_eq!(config.move_in_groups.len(), 3);
            assert!(config.staff.len() >= 15);
            for (role, n) in [("亲情管家", 4), ("大堂管家", 3), ("入住办理", 6), ("验房", 2)] {
                assert_eq!(config.staff.iter().filter(|s| s.roles.iter().any(|r| r == role)).count(), n, "{role}");
            }
        }
    }
}

/// The instant of a date, date-time or month value (a date counts as its midnight).
fn instant(v: &V) -> Option<chrono::NaiveDateTime> {
    match v {
        V::Date(d) => d.and_hms_opt(0, 0, 0),
        V::DateTime(dt) => Some(*dt),
        V::Month(m) => m.first_day().and_hms_opt(0, 0, 0),
        _ => None,
    }
}

/// The problems of one value of `field`.
fn check_value(field: &Field, v: &V, rooms: &HashSet<(u16, u8, u16)>, problems: &mut Vec<String>) {
    let mut bad = |what: &str| problems.push(format!("`{}`（{}）{what}：{v:?}", field.key, field.label));
    match (field.ty, v) {
        (FieldType::Text | FieldType::Person | FieldType::Signature, V::Text(_) | V::Str(_)) => {
            if v.text().is_some_and(|t| t.trim().is_empty()) {
                bad("为空文本");
            }
        }
        (FieldType::Choice, V::Text(_) | V::Str(_)) => {
            if !field.options.iter().any(|o| Some(o.as_str()) == v.text()) {
                bad("不在选项中");
            }
        }
        (FieldType::Checklist, V::Text(_) | V::Str(_)) => {
            // As the loader reads it: parts split at ；; 、 and newlines, each naming exactly one
            // item (equal to it, or contained in just one).
            for part in v.text().unwrap_or("").split(['；', ';', '\n', '、']) {
                let name = header_key(part.split(['：', ':']).next().unwrap_or(""));
                let exact = field.items.iter().any(|i| header_key(i) == name);
                let within = field.items.iter().filter(|i| header_key(i).contains(&name)).count();
                if name.is_empty() || !(exact || within == 1) {
                    bad("检查项不在 items 中");
                }
            }
        }
        (FieldType::IdNumber, V::Text(t)) => {
            let ok = t.len() == 18
                && t.starts_with("2101")
                && t[..17].bytes().all(|b| b.is_ascii_digit())
                && crate::parse::idcard::check_digit(&t[..17]).map(|c| c.to_string()) == Some(t[17..].to_string());
            if !ok {
                bad("身份证号无效");
            }
        }
        (FieldType::Phone, V::Phone(p)) => {
            let s = p.to_string();
            if s.len() != 11 || !s.starts_with('1') || !(b'3'..=b'9').contains(&s.as_bytes()[1]) {
                bad("手机号无效");
            }
        }
        (FieldType::Room | FieldType::Place, V::Room(r)) => {
            if !rooms.contains(&(r.building, r.unit, r.room)) {
                bad("房号不存在");
            }
        }
        (FieldType::Money, V::Money(f)) => {
            if *f < 0 && field.key != "balance" {
                bad("金额为负");
            }
        }
        (FieldType::Integer, V::Int(n)) => {
            if *n < 0 {
                bad("整数为负");
            }
        }
        (FieldType::Date, V::Date(_))
        | (FieldType::Time, V::Time(_))
        | (FieldType::Datetime, V::DateTime(_))
        | (FieldType::Month, V::Month(_))
        | (FieldType::Decimal, V::Dec(_))
        | (FieldType::Bool, V::Bool(_)) => {}
        _ => bad("类型不符"),
    }
}

/// Every rule of the definitions on one record; `unique` values are gathered in `seen`.
fn check_record(
    fields: &[Field],
    rec: &Rec,
    end: NaiveDate,
    rooms: &HashSet<(u16, u8, u16)>,
    seen: &mut HashSet<(String, String)>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut keys = HashSet::new();
    for (key, v) in &rec.vals {
        if !keys.insert(*key) {
            problems.push(format!("`{key}` 重复"));
        }
        let Some(field) = fields.iter().find(|f| f.key == *key) else {
            problems.push(format!("没有字段 `{key}`"));
            continue;
        };
        check_value(field, v, rooms, &mut problems);
        if !field.planned && instant(v).is_some_and(|t| t.date() > end) {
            problems.push(format!("`{key}` 晚于报告月末：{v:?}"));
        }
        if field.unique && !seen.insert((key.to_string(), format!("{v:?}"))) {
            problems.push(format!("`{key}` 不唯一：{v:?}"));
        }
        if let Some(other) = &field.not_before
            && let Some(w) = rec.get(other)
        {
            // As the loader compares: a date counts as its whole day against a date-time.
            let early = match (v, w) {
                (V::Time(a), V::Time(b)) => a < b,
                (V::DateTime(a), V::DateTime(b)) => a < b,
                _ => matches!((instant(v), instant(w)), (Some(a), Some(b)) if a.date() < b.date()),
            };
            if early {
                problems.push(format!("`{key}` 早于 `{other}`：{v:?} < {w:?}"));
            }
        }
    }
    for f in fields.iter().filter(|f| f.required) {
        if rec.get(&f.key).is_none() {
            problems.push(format!("缺少必填字段 `{}`（{}）", f.key, f.label));
        }
    }
    problems
}

fn fields_of(forms: &FormSet, reg: Reg) -> &[Field] {
    match reg {
        Reg::Form(n) => &forms.get(n).expect("form").fields,
        Reg::Ledger(id) => &forms.ledger(id).expect("ledger").fields,
    }
}

#[test]
fn every_record_keeps_every_rule() {
    let forms = forms();
    let opts = options(400, 14);
    let estate = Estate::new(&opts);
    let rooms: HashSet<(u16, u8, u16)> =
        estate.homes.iter().map(|h| (h.room.building, h.room.unit, h.room.room)).collect();
    let end = opts.report_month.last_day();
    let mut all = Vec::new();
    for (reg, rows) in collect(&forms, &estate) {
        let fields = fields_of(&forms, reg);
        assert!(!rows.is_empty() || matches!(reg, Reg::Form(26)), "{reg:?} has no rows");
        let mut seen = HashSet::new();
        for (i, (_, rec)) in rows.iter().enumerate() {
            for p in check_record(fields, rec, end, &rooms, &mut seen) {
                all.push(format!("{reg:?} 第 {} 条：{p}", i + 1));
            }
        }
    }
    assert!(
        all.is_empty(),
        "{} problems, first:\n{}",
        all.len(),
        all.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}

fn rows_of(records: &[(Reg, Vec<(String, Rec)>)], reg: Reg) -> Vec<&Rec> {
    records.iter().filter(|(r, _)| *r == reg).flat_map(|(_, rows)| rows.iter().map(|(_, r)| r)).collect()
}

#[test]
fn the_estate_behaves_like_one() {
    let forms = forms();
    let opts = options(1_200, 12);
    let estate = Estate::new(&opts);
    let records = collect(&forms, &estate);
    let n = estate.homes.len() as f64;
    let occupied = estate.homes.iter().filter(|h| h.status != Status::Vacant).count() as f64;
    assert!((0.85..0.93).contains(&(occupied / n)), "occupied share {}", occupied / n);
    // Owners' birthdays are the birth dates in their ID numbers.
    for rec in rows_of(&records, Reg::Ledger(crate::forms::LedgerId::Rooms)) {
        let (Some(V::Text(id)), Some(V::Date(b))) = (rec.get("id_number"), rec.get("birthday")) else {
            panic!("{rec:?}")
        };
        assert_eq!(&id[6..14], b.format("%Y%m%d").to_string());
    }
    // Fees: 实收 never above 应收; about 8 % of rooms in arrears, some for 9 months or more.
    let fees = rows_of(&records, Reg::Ledger(crate::forms::LedgerId::Fees));
    let mut owing: BTreeMap<String, usize> = BTreeMap::new();
    for rec in &fees {
        let (Some(V::Money(due)), paid) = (rec.get("due"), rec.get("paid")) else { panic!("{rec:?}") };
        let paid = match paid {
            Some(V::Money(p)) => *p,
            _ => 0,
        };
        assert!(paid <= *due && *due > 0);
        if paid == 0 {
            *owing.entry(format!("{:?}", rec.get("room"))).or_default() += 1;
        }
    }
    let share = owing.len() as f64 / n;
    assert!((0.05..0.13).contains(&share), "arrears share {share}");
    assert!(owing.values().any(|&m| m >= 9) && owing.values().any(|&m| m == 3), "{owing:?}");
    // Visits: at most 10 % by phone; repairs peak in the heating season.
    let visits = rows_of(&records, Reg::Form(8));
    let phone = visits.iter().filter(|r| r.get("mode") == Some(&V::Str("电话"))).count();
    assert!(phone * 10 <= visits.len(), "{phone} of {}", visits.len());
    let repairs = rows_of(&records, Reg::Form(15));
    let month_of = |r: &&Rec| match r.get("received_at") {
        Some(V::DateTime(d)) => chrono::Datelike::month(&d.date()),
        _ => 0,
    };
    let winter = repairs.iter().filter(|r| month_of(r) == 1).count();
    let summer = repairs.iter().filter(|r| month_of(r) == 7).count();
    assert!(winter > summer, "January {winter}, July {summer}");
    // Smart cards: at most three free per household.
    for rec in rows_of(&records, Reg::Form(28)) {
        assert!(matches!(rec.get("free_cards"), Some(V::Int(n)) if *n <= 3));
    }
    // A few key loans overdue and not returned.
    let overdue = rows_of(&records, Reg::Form(24))
        .into_iter()
        .filter(|r| {
            r.get("returned_at").is_none()
                && matches!(r.get("due_on"), Some(V::Date(d)) if *d < opts.report_month.last_day())
        })
        .count();
    assert!(overdue >= 1, "no overdue key loan");
}

/// The first data row of a sheet: below the row naming most fields (and below a second
/// header row that names fields too).
fn first_data_row(rows: &[Vec<Data>], fields: &[Field]) -> Option<usize> {
    let names: HashSet<String> =
        fields.iter().flat_map(|f| std::iter::once(&f.label).chain(&f.aliases)).map(|s| header_key(s)).collect();
    let hits = |row: &Vec<Data>| row.iter().filter(|c| names.contains(&header_key(&c.to_string()))).count();
    let counts: Vec<usize> = rows.iter().take(6).map(hits).collect();
    let best = counts.iter().copied().max().filter(|&m| m >= 2)?;
    let mut head = counts.iter().position(|&c| c == best)?;
    while counts.get(head + 1).is_some_and(|&c| c >= 2) {
        head += 1;
    }
    Some(head + 1)
}

#[test]
fn written_files_read_back_with_their_headers_and_rows() {
    let forms = forms();
    let opts = options(300, 3);
    let dir = tempfile::tempdir().expect("tmp");
    let report = generate(&forms, &opts, dir.path()).expect("generate");
    assert_eq!(report.files, 36);
    let estate = Estate::new(&opts);
    assert_eq!(report.rooms, estate.homes.len());
    let ctx = Ctx::new(&forms, &estate).expect("context");
    let records = collect(&forms, &estate);
    let mut total = 0;
    for spec in catalog() {
        let path = dir.path().join(super::REGISTER_DIR).join(file_name(&ctx, &spec));
        let expected = records.iter().find(|(r, _)| *r == spec.reg).map(|(_, rows)| rows.len()).unwrap_or(0);
        total += expected;
        let fields = fields_of(&forms, spec.reg);
        match spec.layout {
            Layout::Yaml(_) => {
                let text = std::fs::read_to_string(&path).expect("yaml file");
                let list: Vec<BTreeMap<String, serde_json::Value>> =
                    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert_eq!(list.len(), expected, "{}", path.display());
                for entry in &list {
                    assert!(entry.keys().all(|k| fields.iter().any(|f| &f.label == k)), "{entry:?}");
                }
            }
            Layout::Xlsx(_) | Layout::WideFees(_) => {
                let mut book = open_workbook_auto(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let mut rows_found = 0;
                for name in book.sheet_names() {
                    let range = book.worksheet_range(&name).expect("sheet");
                    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
                    if matches!(spec.layout, Layout::WideFees(_)) {
                        rows_found +=
                            rows.iter().filter(|r| r.first().is_some_and(|c| c.to_string().contains('-'))).count();
                        continue;
                    }
                    let first_data =
                        first_data_row(&rows, fields).unwrap_or_else(|| panic!("{} {name}: no header", path.display()));
                    rows_found += rows[first_data.min(rows.len())..]
                        .iter()
                        .filter(|r| r.iter().any(|c| !matches!(c, Data::Empty)))
                        .filter(|r| r.first().is_none_or(|c| *c != Data::String("合计".to_string())))
                        .count();
                }
                if matches!(spec.layout, Layout::WideFees(_)) {
                    assert_eq!(rows_found, estate.homes.iter().filter(|h| h.delivered.is_some()).count(), "fee rows");
                } else {
                    assert_eq!(rows_found, expected, "{}", path.display());
                }
            }
        }
    }
    assert_eq!(report.records, total);
}

#[test]
fn a_300_household_estate_is_generated() {
    let forms = forms();
    let dir = tempfile::tempdir().expect("tmp");
    let report = generate(&forms, &options(300, 12), dir.path()).expect("generate");
    assert!(report.rooms >= 300 && report.rooms < 320, "{report:?}");
    assert!(report.records > 10_000, "{report:?}");
    let config = Config::load(dir.path()).expect("kefu.yaml loads");
    assert_eq!(config.property.map(|p| p.name), Some("地王国际花园".to_string()));
}

#[test]
fn the_loader_reads_the_sample_without_a_problem() {
    let forms = forms();
    let opts = options(200, 14);
    let dir = tempfile::tempdir().expect("tmp");
    let report = generate(&forms, &opts, dir.path()).expect("generate");
    let config = Config::load(dir.path()).expect("kefu.yaml loads");
    let loaded = crate::load::load(dir.path(), &config, &forms, opts.report_month.last_day()).expect("load");
    let problems: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.iter().take(30).cloned().collect::<Vec<_>>().join("\n")
    );
    assert_eq!(loaded.dataset.record_count(), report.records);
    assert_eq!(loaded.dataset.rooms.len(), report.rooms);
}

/// `cargo test --release --lib sample -- --ignored --nocapture`: 100k households × 12 months.
#[test]
#[ignore]
fn bench_100k_households() {
    let forms = forms();
    let dir = tempfile::tempdir().expect("tmp");
    let started = std::time::Instant::now();
    let report = generate(&forms, &options(100_000, 12), dir.path()).expect("generate");
    let elapsed = started.elapsed();
    let bytes: u64 = files(dir.path()).values().map(|b| b.len() as u64).sum();
    println!("100k households × 12 months: {report:?} in {elapsed:.1?}, {:.1} MB", bytes as f64 / 1e6);
}

/// The same, one register after another, timed each.
#[test]
#[ignore]
fn bench_100k_per_register() {
    let forms = forms();
    let dir = tempfile::tempdir().expect("tmp");
    let opts = options(100_000, 12);
    let started = std::time::Instant::now();
    let estate = Estate::new(&opts);
    let ctx = Ctx::new(&forms, &estate).expect("context");
    println!("estate and events: {:.1?}", started.elapsed());
    let out = dir.path().join(super::REGISTER_DIR);
    std::fs::create_dir_all(&out).expect("dir");
    for spec in catalog() {
        let t = std::time::Instant::now();
        let n = super::write_register(&ctx, &spec, &out).expect("register");
        let size = std::fs::metadata(out.join(file_name(&ctx, &spec))).map(|m| m.len()).unwrap_or(0);
        println!("{:<28} {n:>8} records {:>6.1?} {:>7.1} MB", file_name(&ctx, &spec), t.elapsed(), size as f64 / 1e6);
    }
}

#[test]
fn the_sample_generators_complaint_texts_get_the_category_it_records() {
    use crate::rules::complaints::Classifier;
    let c = Classifier::builtin().unwrap();
    let heating = HEATING_COMPLAINTS.iter().map(|t| (*t, "工程/维修"));
    let rest = COMPLAINTS.iter().zip(COMPLAINT_CATEGORIES).flat_map(|(ts, cat)| ts.iter().map(move |t| (*t, cat)));
    for (text, want) in heating.chain(rest) {
        let text = text.replace("{n}", "15");
        let got = c.classify(&text);
        assert_eq!(got.category, want, "{text}: {}", got.category_rule);
    }
}
