//! The `kefu` binary as staff run it: exit codes, Chinese messages, files written.

use std::process::{Command, Output};

use crate::{repo, root};

fn kefu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kefu")).current_dir(root()).args(args).output().expect("kefu runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_bad_forms_selection_is_a_chinese_usage_error() {
    let out = tempfile::tempdir().unwrap();
    for bad in ["99", "abc", "5-2", "01,,地王/客服记录-40"] {
        let o = kefu(&["pack", "--forms", bad, "--output", out.path().to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "--forms {bad}");
        let err = stderr(&o);
        assert!(err.contains("表单选择") && err.contains("无效"), "--forms {bad}: {err}");
        assert!(err.contains("01 至 31"), "the message says what is expected: {err}");
    }
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn unknown_options_and_commands_are_chinese_usage_errors() {
    let o = kefu(&["pack", "--colour"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("未知的参数「--colour」"), "{}", stderr(&o));
    let o = kefu(&["pak"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("未知的命令「pak」") && stderr(&o).contains("pack"), "{}", stderr(&o));
    let o = kefu(&["pack", "--as-of", "2026-02-30"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不是有效日期"), "{}", stderr(&o));
}

#[test]
fn help_is_in_chinese() {
    let o = kefu(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = String::from_utf8_lossy(&o.stdout);
    for text in ["用法", "命令", "pack", "--as-of", "退出码"] {
        assert!(help.contains(text), "help lacks {text}: {help}");
    }
    let o = kefu(&["pack", "--help"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("分发号"));
}

#[test]
fn pack_writes_the_selected_forms_and_a_summary() {
    let out = tempfile::tempdir().unwrap();
    let o = kefu(&[
        "--as-of",
        "2026-11-27",
        "pack",
        "--forms",
        "03,16",
        "--copies",
        "2",
        "--output",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The closing line is for people: stderr.
    let summary = stderr(&o);
    assert!(summary.contains("已生成受控表单汇编 2 套（2 种表单"), "{summary}");
    let dir = out.path().join("受控表单");
    for file in [
        "受控表单汇编-分发号01.pdf",
        "受控表单汇编-分发号02.pdf",
        "分发号01/03-验房单.pdf",
        "分发号02/16-工程部维修单.pdf",
        "受控文件发放登记表.xlsx",
    ] {
        assert!(dir.join(file).exists(), "{file} missing");
    }
}

#[test]
fn a_broken_configuration_is_located_and_exits_2_without_touching_output() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo("input/kefu.yaml")).unwrap().replace("edition: 1", "edition: one");
    std::fs::write(input.path().join("kefu.yaml"), text).unwrap();
    let o = kefu(&["pack", "--input", input.path().to_str().unwrap(), "--output", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("kefu.yaml 第") && err.contains("类型不符"), "{err}");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn a_failed_run_leaves_the_previous_pack_in_place() {
    let out = tempfile::tempdir().unwrap();
    let o = kefu(&["pack", "--forms", "1", "--output", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before = std::fs::read(out.path().join("受控表单/受控表单汇编-分发号01.pdf")).unwrap();
    // A template that fails to compile makes the second run fail half-way.
    let templates = tempfile::tempdir().unwrap();
    copy_dir(&repo("templates"), templates.path());
    let lib = templates.path().join("lib/sheet.typ");
    let broken = std::fs::read_to_string(&lib).unwrap() + "\n#let broken = (\n";
    std::fs::write(&lib, broken).unwrap();
    let o = kefu(&[
        "pack",
        "--forms",
        "1,3",
        "--templates-dir",
        templates.path().to_str().unwrap(),
        "--output",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("sheet.typ") && err.contains("排版失败"), "template errors name the file: {err}");
    let after = std::fs::read(out.path().join("受控表单/受控表单汇编-分发号01.pdf")).unwrap();
    assert!(before == after, "the previous pack is untouched");
    let leftovers: Vec<_> = std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "no staging folder left behind: {leftovers:?}");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target)
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}
