//! `kefu check` on the committed sample and on the corpus of broken inputs in
//! tests/fixtures/broken/ (each case overlaid on tests/fixtures/base/).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{copy_tree, files, repo, root};

#[derive(serde::Deserialize)]
struct Expect {
    exit: i32,
    messages: Vec<String>,
}

fn check(input: &Path, extra: &[&str]) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .current_dir(root())
        .args(["check", "--as-of", "2026-10-31", "--input", input.to_str().unwrap()])
        .args(extra)
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    (o.status.code().unwrap_or(-1), text)
}

#[test]
fn the_base_fixture_is_clean() {
    let input = tempfile::tempdir().unwrap();
    copy_tree(&repo("tests/fixtures/base"), input.path());
    let (code, text) = check(input.path(), &[]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("0 个错误"), "{text}");
}

#[test]
fn every_broken_input_gets_its_located_chinese_message_and_exit_code() {
    let cases = repo("tests/fixtures/broken");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&cases).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    assert!(names.len() >= 25, "the corpus holds at least 25 faults");
    let mut failures = Vec::new();
    for case in names {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expect: Expect =
            kefu::yaml::from_str(&std::fs::read_to_string(case.join("expect.yaml")).unwrap(), &case).unwrap();
        let input = tempfile::tempdir().unwrap();
        copy_tree(&repo("tests/fixtures/base"), input.path());
        copy_tree(&case, input.path());
        std::fs::remove_file(input.path().join("expect.yaml")).unwrap();
        let before = files(input.path());
        let (code, text) = check(input.path(), &[]);
        if code != expect.exit {
            failures.push(format!("{name}: exit {code}, expected {}\n{text}", expect.exit));
        }
        for m in &expect.messages {
            if !text.contains(m.as_str()) {
                failures.push(format!("{name}: missing 「{m}」 in\n{text}"));
            }
        }
        if text.contains("panicked") {
            failures.push(format!("{name}: panicked\n{text}"));
        }
        assert!(before == files(input.path()), "{name}: an input file changed");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn json_output_carries_the_location_fields() {
    let input = tempfile::tempdir().unwrap();
    copy_tree(&repo("tests/fixtures/base"), input.path());
    copy_tree(&repo("tests/fixtures/broken/bad-phone"), input.path());
    let (code, text) = check(input.path(), &["--format", "json"]);
    assert_eq!(code, 1);
    let json_end = text.rfind('}').unwrap();
    let v: serde_json::Value = serde_json::from_str(&text[..=json_end]).unwrap();
    let p = &v["problems"][0];
    assert_eq!(p["severity"], "error");
    assert_eq!(p["register"], "15");
    assert_eq!(p["sheet"], "台帐");
    assert_eq!(p["row"], 2);
    assert_eq!(p["column"], "D");
    assert_eq!(p["header"], "联系电话");
    assert_eq!(v["errors"], 1);
}

#[test]
fn the_committed_sample_checks_clean_and_is_not_modified() {
    let before = files(&repo("input"));
    let o = Command::new(env!("CARGO_BIN_EXE_kefu")).current_dir(root()).args(["check"]).output().unwrap();
    // The report on stdout, the closing line on stderr.
    let text = super::text(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(text.contains("0 个错误"), "{text}");
    assert!(before == files(&repo("input")), "check modified an input file");
}

#[test]
fn a_mapping_file_reads_a_departments_own_workbooks() {
    let (code, text) = check(&repo("tests/fixtures/mapped"), &["--format", "json"]);
    assert_eq!(code, 0, "{text}");
    let json_end = text.rfind('}').unwrap();
    let v: serde_json::Value = serde_json::from_str(&text[..=json_end]).unwrap();
    let records = |id: &str| {
        v["registers"].as_array().unwrap().iter().find(|r| r["register"] == id).map(|r| r["records"].clone())
    };
    assert_eq!(records("15"), Some(serde_json::json!(4)), "two rows on each of the two mapped sheets");
    assert_eq!(records("fees"), Some(serde_json::json!(4)), "two rooms × two months of the wide ledger");
    assert_eq!(v["errors"], 0, "{text}");
}

#[test]
fn mapped_values_arrive_typed_and_exact() {
    use kefu::config::Config;
    use kefu::model::YearMonth;
    use kefu::model::{RegisterId, Value};
    let dir = repo("tests/fixtures/mapped");
    let config = Config::load(&dir).unwrap();
    let forms = &crate::setup().forms;
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
    let loaded = kefu::load::load(&dir, &config, forms, as_of).unwrap();
    let data = &loaded.dataset;
    let fee = |room: &str, month: u32| {
        data.fees.iter().find(|f| f.room.to_string() == room && f.period == YearMonth { year: 2026, month }).unwrap()
    };
    assert_eq!((fee("1-1-101", 10).due, fee("1-1-101", 10).paid), (20_000, 15_000));
    assert_eq!(fee("1-1-101", 9).paid_on, chrono::NaiveDate::from_ymd_opt(2026, 9, 10));
    assert_eq!((fee("1-1-102", 9).due, fee("1-1-102", 9).paid), (21_050, 0));
    assert_eq!(fee("1-1-102", 9).arrears(), 21_050);
    let reg = data.register(RegisterId::Form(15)).unwrap();
    let field = |key: &str| forms.get(15).unwrap().fields.iter().position(|f| f.key == key).unwrap();
    assert_eq!(reg.len(), 4);
    assert_eq!(reg.get(0, field("room")).map(|v| v.display()), Some("1-1-101".into()));
    assert_eq!(reg.get(0, field("phone")).map(|v| v.display()), Some("13912345600".into()));
    assert_eq!(
        reg.get(1, field("received_at")),
        Some(Value::Datetime(chrono::NaiveDate::from_ymd_opt(2026, 9, 9).unwrap().and_hms_opt(14, 30, 0).unwrap()))
    );
    assert_eq!(reg.text(3, field("receiver")), Some("李娜"));
    let loc = reg.locate(3, Some((field("receiver"), &forms.get(15).unwrap().fields[field("receiver")])));
    assert_eq!((loc.sheet.as_deref(), loc.row, loc.column.as_deref()), (Some("十月"), Some(5), Some("F")));
}

#[test]
fn xls_and_ods_workbooks_are_read_like_xlsx() {
    let (code, text) = check(&repo("tests/fixtures/formats"), &[]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("15-前台接待台帐.xls：2 条记录，无问题"), "{text}");
    assert!(text.contains("16-工程部维修单.ods：2 条记录，无问题"), "{text}");
}

/// Workbooks written by Excel keep their texts in a shared table; kefu converts each shared text
/// once per column. A bad text repeated on several rows is still reported on each row, a row of
/// blank texts and a 合计 line are not records, and a repeated name is the same name each time.
#[test]
fn shared_strings_are_reported_and_skipped_row_by_row() {
    let input = tempfile::tempdir().unwrap();
    copy_tree(&repo("tests/fixtures/base"), input.path());
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows: [[&str; 7]; 6] = [
        ["接单时间", "房间号", "报修人", "联系电话", "报修内容", "处理方式", "接单人"],
        ["2026-10-08 09:12", "1-1-101", "赵一", "13912345600", "卫生间漏水", "工程部维修单", "张伟"],
        ["2026-10-08 09:12", "1-1-101", "赵一", "1391234", "卫生间漏水", "工程部维修单", "张伟"],
        ["2026-10-09 10:00", "1-1-102", "赵一", "1391234", "卫生间漏水", "工程部维修单", "张伟"],
        [" ", " ", " ", " ", " ", " ", " "],
        ["合计", "", "", "", "", "", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string(r as u32, c as u16, *text).unwrap();
            }
        }
    }
    let file = input.path().join("台帐/15-前台接待台帐.xlsx");
    book.save(&file).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&file).unwrap()).unwrap();
    assert!(zip.by_name("xl/sharedStrings.xml").is_ok(), "the texts are shared strings");
    let (code, text) = check(input.path(), &["--format", "json"]);
    assert_eq!(code, 1, "{text}");
    assert_eq!(text.matches("1391234」").count(), 2, "each bad row reported once: {text}");
    let json_end = text.rfind('}').unwrap();
    let v: serde_json::Value = serde_json::from_str(&text[..=json_end]).unwrap();
    let rows: Vec<u64> = v["problems"].as_array().unwrap().iter().filter_map(|p| p["row"].as_u64()).collect();
    assert_eq!(rows, vec![3, 4], "{text}");
    let records =
        v["registers"].as_array().unwrap().iter().find(|r| r["register"] == "15").map(|r| r["records"].clone());
    assert_eq!(records, Some(serde_json::json!(3)), "the blank row and the 合计 line are not records: {text}");
    // The same name on three rows is one name.
    let config = kefu::config::Config::load(input.path()).unwrap();
    let forms = &crate::setup().forms;
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
    let loaded = kefu::load::load(input.path(), &config, forms, as_of).unwrap();
    let reg = loaded.dataset.register(kefu::model::RegisterId::Form(15)).unwrap();
    let field = forms.get(15).unwrap().fields.iter().position(|f| f.key == "receiver").unwrap();
    assert_eq!((0..3).map(|r| reg.text(r, field)).collect::<Vec<_>>(), vec![Some("张伟"); 3]);
}
