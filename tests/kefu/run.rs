//! `kefu run`: every stage into one month-end folder, replaced only when all succeeded; and no
//! full phone or ID number in any output but the archive.

use std::path::Path;

use calamine::{Reader, open_workbook_auto};

use crate::pdf::Pdf;
use crate::{copy_tree, files, kefu, repo, text};

/// The base fixture with a front-desk register and a fee ledger, run for June 2025.
fn small_input() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let base = repo("tests/fixtures/base");
    std::fs::copy(base.join("kefu.yaml"), dir.path().join("kefu.yaml")).unwrap();
    for f in ["calendar.yaml", "complaint_rules.yaml"] {
        std::fs::copy(repo("input").join(f), dir.path().join(f)).unwrap();
    }
    let reg = dir.path().join("台帐");
    std::fs::create_dir(&reg).unwrap();
    std::fs::copy(base.join("台帐/房屋及业主台帐.yaml"), reg.join("房屋及业主台帐.yaml")).unwrap();
    std::fs::write(
        reg.join("15-前台接待台帐.yaml"),
        "- {接单时间: 2025-06-06 09:00, 房间号: 1-1-101, 联系电话: 13812345678, 报修内容: 水管漏水, 处理方式: 部门工作联系单, 接单人: 李娜}\n",
    )
    .unwrap();
    std::fs::write(
        reg.join("物业费台帐.yaml"),
        "- {房号: 1-1-101, 账期: 2025-04, 应收: 200, 实收: 0}\n- {房号: 1-1-102, 账期: 2025-05, 应收: 300, 实收: 300, 收款日期: 2025-05-20}\n",
    )
    .unwrap();
    dir
}

fn run_args<'a>(input: &'a Path, out: &'a Path, templates: Option<&'a Path>) -> Vec<&'a str> {
    let mut args = vec!["--as-of", "2025-06-30", "--input", input.to_str().unwrap(), "--output", out.to_str().unwrap()];
    if let Some(t) = templates {
        args.extend(["--templates-dir", t.to_str().unwrap()]);
    }
    args.extend(["run", "--month", "2025-06"]);
    args
}

#[test]
fn run_writes_every_stage_and_a_failed_run_leaves_the_previous_output_intact() {
    let input = small_input();
    let out = tempfile::tempdir().unwrap();
    let o = kefu(&run_args(input.path(), out.path(), None));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = text(&o);
    for stage in ["【期限清单】", "【欠费催缴】", "【月报】", "【业主档案】", "月末作业完成"]
    {
        assert!(t.contains(stage), "{stage}: {t}");
    }
    let dir = out.path().join("月末/2025-06");
    let all = files(&dir);
    for part in ["期限清单/", "催缴/", "月报/2025-06/月度报告-2025-06.pdf", "archive/manifest.json", "运行清单.json"]
    {
        assert!(all.keys().any(|k| k.starts_with(part)), "{part} in {:?}", all.keys().collect::<Vec<_>>());
    }
    // The run manifest lists every other file with its sha256, and the inputs.
    let manifest: serde_json::Value = serde_json::from_slice(&all["运行清单.json"]).unwrap();
    let outputs = manifest["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), all.len() - 1);
    use sha2::Digest;
    for o in outputs {
        let name = o["file"].as_str().unwrap();
        let digest: String = sha2::Sha256::digest(&all[name]).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(o["sha256"].as_str(), Some(digest.as_str()), "{name}");
    }
    assert!(manifest["inputs"].as_array().unwrap().iter().any(|i| i["file"] == "台帐/15-前台接待台帐.yaml"));

    // A run that fails at its last stage (a broken archive template) changes nothing.
    let templates = tempfile::tempdir().unwrap();
    copy_tree(&repo("templates"), templates.path());
    std::fs::write(templates.path().join("archive.typ"), "#let x = (\n").unwrap();
    std::fs::write(
        input.path().join("台帐/15-前台接待台帐.yaml"),
        std::fs::read_to_string(input.path().join("台帐/15-前台接待台帐.yaml"))
            .unwrap()
            .replace("水管漏水", "水管爆裂"),
    )
    .unwrap();
    let o = kefu(&run_args(input.path(), out.path(), Some(templates.path())));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(files(&dir) == all, "the previous month-end output is untouched");
    let left: Vec<String> = std::fs::read_dir(out.path().join("月末"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec!["2025-06".to_string()], "no temporary folders are left behind");
}

#[test]
fn run_renders_nothing_under_strict_when_the_registers_have_errors() {
    let input = small_input();
    std::fs::write(input.path().join("台帐/15-前台接待台帐.yaml"), "- {接单时间: 2025-13-40, 房间号: 1-1-101}\n")
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut args = vec!["--strict"];
    args.extend(run_args(input.path(), out.path(), None));
    let o = kefu(&args);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(!out.path().join("月末").exists(), "nothing rendered");
}

/// An 11-digit mobile number or an 18-character ID number standing alone in `text` (not part of
/// a longer number or a decimal fraction).
fn full_pii(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let alone = |i: usize, n: usize| {
        let before = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let after = chars.get(i + n).copied();
        !before.is_some_and(|c| c.is_ascii_digit() || c == '.') && !after.is_some_and(|c| c.is_ascii_digit())
    };
    for i in 0..chars.len().saturating_sub(10) {
        let w = &chars[i..i + 11];
        if w[0] == '1' && matches!(w[1], '3'..='9') && w.iter().all(char::is_ascii_digit) && alone(i, 11) {
            return Some(w.iter().collect());
        }
    }
    for i in 0..chars.len().saturating_sub(17) {
        let w = &chars[i..i + 18];
        let id = w[..17].iter().all(char::is_ascii_digit) && (w[17].is_ascii_digit() || w[17] == 'X');
        if id && matches!(w[0], '1'..='8') && alone(i, 18) {
            return Some(w.iter().collect());
        }
    }
    None
}

#[test]
fn no_output_but_the_archive_shows_a_full_phone_or_id_number() {
    let out = tempfile::tempdir().unwrap();
    for cmd in ["deadlines", "dunning", "monthly"] {
        let o = kefu(&[cmd, "--output", out.path().to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{cmd}: {}", text(&o));
        assert!(full_pii(&text(&o)).is_none(), "{cmd} printed personal data: {}", text(&o));
    }
    let mut checked = 0;
    for (name, bytes) in files(out.path()) {
        let content = if name.ends_with(".pdf") {
            Pdf::parse(&bytes).text()
        } else if name.ends_with(".xlsx") {
            let mut book = open_workbook_auto(out.path().join(&name)).unwrap();
            let mut s = String::new();
            for sheet in book.sheet_names() {
                for row in book.worksheet_range(&sheet).unwrap().rows() {
                    for c in row {
                        s.push_str(&c.to_string());
                        s.push('|');
                    }
                }
            }
            s
        } else {
            continue;
        };
        // Row numbers and amounts are separated by cell borders; the run must be one value.
        assert!(full_pii(&content).is_none(), "{name} shows {:?}", full_pii(&content));
        checked += 1;
    }
    assert!(checked > 30, "{checked} files checked");
}
