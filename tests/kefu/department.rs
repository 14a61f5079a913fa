//! A department's own workbooks (`tests/fixtures/department/`, written by openpyxl and converted
//! by LibreOffice, not by kefu): `kefu map` proposes a mapping, `kefu check` reads every register
//! of the clean copy with no error and every record equals the truth file; on the broken copy
//! every planted fault is reported where it is.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kefu::config::Config;
use kefu::forms::FormSet;
use kefu::model::{RegisterId, Value};
use serde_json::Value as Json;

use super::{copy_tree, repo};

/// Runs the kefu binary with `args` (from the repository root).
fn kefu_in(input: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--input", input.to_str().unwrap_or_default()];
    all.extend_from_slice(args);
    super::kefu(&all)
}

/// The corpus copy `which` (clean or broken) in a temporary folder, mapped by `kefu map`.
fn mapped(which: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    copy_tree(&repo(&format!("tests/fixtures/department/{which}")), &input);
    let map = kefu_in(&input, &["map"]);
    assert_eq!(map.status.code(), Some(0), "{}", super::text(&map));
    assert!(input.join("mapping.yaml").is_file());
    (dir, input)
}

fn yaml(path: &Path) -> Json {
    kefu::yaml::from_str(&std::fs::read_to_string(path).unwrap(), path).unwrap_or_else(|e| panic!("{e}"))
}

/// `kefu check --format json` on `input`: (exit code, the report).
fn check(input: &Path) -> (Option<i32>, Json) {
    let out = kefu_in(input, &["check", "--format", "json"]);
    let json: Json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is one JSON document ({e}):\n{}", super::text(&out)));
    (out.status.code(), json)
}

/// A kefu value as the truth file writes it.
fn canonical(v: &Value, ty: kefu::forms::FieldType) -> Json {
    use kefu::forms::FieldType as T;
    match (v, ty) {
        (Value::Date(d), _) => Json::from(d.to_string()),
        (Value::Datetime(dt), _) => Json::from(dt.format("%Y-%m-%d %H:%M").to_string()),
        (Value::Text(t), T::Datetime | T::Date) => {
            serde_json::json!({"returned": true, "date": null, "written": t})
        }
        (Value::Time(t), _) => Json::from(t.format("%H:%M").to_string()),
        (Value::Month(m), _) => Json::from(m.to_string()),
        (Value::Integer(n), _) => Json::from(*n),
        (Value::Decimal(x), _) => Json::from(format!("{x}")),
        (Value::Money(f), _) => Json::from(kefu::parse::money::format_fen(*f)),
        (Value::Phone(p), _) => Json::from(p.numbers().map(str::to_string).collect::<Vec<_>>()),
        (Value::Room(r), _) => Json::from(r.to_string()),
        (Value::Text(t), T::Place) => serde_json::json!({"location": t}),
        (Value::Text(t), _) => Json::from(t.clone()),
        (Value::IdNumber(id), _) => Json::from(id.to_string()),
        (Value::Bool(b), _) => Json::from(if *b { "是" } else { "否" }),
        (Value::Signature(s), _) => s.by.clone().map_or(Json::from(if s.signed { "√" } else { "×" }), Json::from),
        (Value::Checklist(items), _) => Json::from(format!("{items:?}")),
    }
}

/// The truth's value, in the form [`canonical`] gives (a returned-without-date keeps only its flags).
fn expected(v: &Json) -> Json {
    match v {
        Json::Object(o) if o.contains_key("returned") => serde_json::json!({"returned": true, "date": null}),
        other => other.clone(),
    }
}

fn got_value(v: Json) -> Json {
    match v {
        Json::Object(mut o) if o.contains_key("returned") => {
            o.remove("written");
            Json::Object(o)
        }
        other => other,
    }
}

/// Every record of the loaded dataset by (file name, sheet, row, month): field key → value.
fn records(input: &Path) -> BTreeMap<(String, String, u32, String), BTreeMap<String, Json>> {
    let config = Config::load(input).unwrap();
    let forms = FormSet::load(&repo("forms")).unwrap();
    let as_of = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
    let loaded = kefu::load::load(input, &config, &forms, as_of).unwrap();
    let mut out = BTreeMap::new();
    for (id, reg) in &loaded.dataset.registers {
        let fields = id.fields(&forms);
        for row in 0..reg.len() {
            let origin = reg.origin(row);
            let source = &reg.sources[origin.source as usize];
            let file = source.file.strip_prefix(input).unwrap_or(&source.file).to_string_lossy().into_owned();
            let period = match id {
                RegisterId::Ledger(kefu::forms::LedgerId::Fees) => {
                    fields.iter().position(|f| f.key == "period").and_then(|i| reg.month(row, i)).map(|m| m.to_string())
                }
                _ => None,
            };
            let values: BTreeMap<String, Json> = fields
                .iter()
                .enumerate()
                .filter_map(|(i, f)| reg.get(row, i).map(|v| (f.key.clone(), got_value(canonical(&v, f.ty)))))
                .collect();
            let key = (file, source.sheet.clone().unwrap_or_default(), origin.row, period.unwrap_or_default());
            out.insert(key, values);
        }
    }
    out
}

#[test]
fn map_then_check_reads_every_record_of_the_clean_corpus_as_the_truth_says() {
    let (_dir, input) = mapped("clean");
    let (code, report) = check(&input);
    let problems = report["problems"].as_array().cloned().unwrap_or_default();
    let errors: Vec<&Json> = problems.iter().filter(|p| p["severity"] == "error").collect();
    assert!(errors.is_empty(), "errors on the clean corpus:\n{errors:#?}");
    assert_eq!(code, Some(0));
    let truth = yaml(&repo("tests/fixtures/department/clean/truth.yaml"));
    // Every expected data-quality warning, at its cell; and no other warning.
    let expected_warnings = truth["expected_warnings"].as_array().cloned().unwrap_or_default();
    for w in &expected_warnings {
        let found = problems.iter().any(|p| {
            p["severity"] == "warning"
                && p["file"].as_str().is_some_and(|f| f.ends_with(w["file"].as_str().unwrap_or("?")))
                && p["sheet"] == w["sheet"]
                && p["row"] == w["row"]
                && p["column"] == w["column"]
        });
        assert!(found, "expected warning not reported: {w}\n{problems:#?}");
    }
    assert_eq!(problems.len(), expected_warnings.len(), "warnings beyond the data-quality findings:\n{problems:#?}");
    let got = records(&input);
    let mut compared = 0;
    let mut wrong = Vec::new();
    for reg in truth["registers"].as_array().unwrap() {
        let file = reg["file"].as_str().unwrap();
        for rec in reg["records"].as_array().unwrap() {
            let fields = rec["fields"].as_object().unwrap();
            let period = fields.get("period").and_then(Json::as_str).unwrap_or("").to_string();
            let key = (
                file.to_string(),
                rec["sheet"].as_str().unwrap().to_string(),
                rec["row"].as_u64().unwrap() as u32,
                period,
            );
            let Some(mine) = got.get(&key) else {
                wrong.push(format!("{key:?}: no record read"));
                continue;
            };
            let supplied: Vec<&str> =
                rec["supplied"].as_array().map(|a| a.iter().filter_map(Json::as_str).collect()).unwrap_or_default();
            for (k, want) in fields {
                let want = expected(want);
                let have = mine.get(k).cloned().unwrap_or(Json::Null);
                if want != have && !supplied.contains(&k.as_str()) {
                    wrong.push(format!("{key:?} {k}: want {want}, got {have}"));
                }
            }
            compared += 1;
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of the fields differ:\n{}",
        wrong.len(),
        wrong.iter().take(60).cloned().collect::<Vec<_>>().join("\n")
    );
    assert!(compared > 1_000, "{compared} records compared");
}

#[test]
fn every_planted_fault_is_reported_where_it_is() {
    let (_dir, input) = mapped("broken");
    let (code, report) = check(&input);
    assert_eq!(code, Some(1));
    let problems = report["problems"].as_array().cloned().unwrap_or_default();
    let faults = yaml(&repo("tests/fixtures/department/broken/faults.yaml"));
    let shown = |p: &Json| {
        format!(
            "{} 工作表「{}」 第 {} 行 {} 列（{}）：{}",
            p["file"].as_str().unwrap_or(""),
            p["sheet"].as_str().unwrap_or(""),
            p["row"],
            p["column"].as_str().unwrap_or(""),
            p["header"].as_str().unwrap_or(""),
            p["message"].as_str().unwrap_or("")
        )
    };
    for f in faults["faults"].as_array().unwrap() {
        let file = f["file"].as_str().unwrap();
        let hit = problems.iter().find(|p| {
            p["file"].as_str().is_some_and(|x| x.ends_with(file))
                && p["sheet"] == f["sheet"]
                && (f["kind"] == "required-column-unread" || p["row"] == f["row"])
                && (f["severity"] != "error" || p["severity"] == "error")
        });
        let hit = hit.unwrap_or_else(|| {
            panic!("fault not reported: {f}\n{}", problems.iter().map(shown).collect::<Vec<_>>().join("\n"))
        });
        let text = shown(hit);
        for part in f["message_contains"].as_array().unwrap() {
            let part = part.as_str().unwrap();
            let part =
                part.strip_prefix("第 ").and_then(|p| p.strip_suffix(" 行")).map_or(part.to_string(), str::to_string);
            assert!(text.contains(&part), "「{part}」 missing from: {text}");
        }
    }
    for f in faults["unreadable_files"].as_array().unwrap() {
        let file = f["file"].as_str().unwrap();
        let hit =
            problems.iter().find(|p| p["file"].as_str().is_some_and(|x| x.ends_with(file)) && p["severity"] == "error");
        let hit = hit.unwrap_or_else(|| panic!("unreadable file not reported: {f}"));
        for part in f["message_contains"].as_array().unwrap() {
            assert!(shown(hit).contains(part.as_str().unwrap()), "{part} missing from {}", shown(hit));
        }
    }
    // The lock file is passed over without a word.
    assert!(!problems.iter().any(|p| p["file"].as_str().is_some_and(|f| f.contains("~$"))));
}

#[test]
fn a_rerun_of_map_keeps_the_users_mapping() {
    let (_dir, input) = mapped("clean");
    let mine = "registers: []\n# 我改过的\n";
    std::fs::write(input.join("mapping.yaml"), mine).unwrap();
    let again = kefu_in(&input, &["map"]);
    assert_eq!(again.status.code(), Some(0), "{}", super::text(&again));
    assert_eq!(std::fs::read_to_string(input.join("mapping.yaml")).unwrap(), mine);
    assert!(input.join("mapping.proposed.yaml").is_file());
}
