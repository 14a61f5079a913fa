//! The hostile-input corpus (`tests/fixtures/hostile/`, built by `make_hostile.py`): markup and
//! template syntax printed literally, hostile names and paths, YAML and zip bombs, giant sheets,
//! broken and disguised workbooks, rare characters. Every case: the expected exit code and
//! message fragments, never a panic, peak memory bounded, inputs untouched, and — where the case
//! names an output PDF — the hostile text printed as written.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;

use crate::pdf::Pdf;
use crate::{copy_tree, files, repo, root};

/// Peak memory allowed for any case (the sample's monthly run peaks near 0.6 GB).
const MAX_RSS_KB: u64 = 1_500_000;

#[derive(Deserialize)]
struct Case {
    args: Vec<String>,
    exit: i32,
    #[serde(default)]
    messages: Vec<String>,
    #[serde(default)]
    pdf: Option<String>,
    #[serde(default)]
    literal: Vec<String>,
}

/// Runs kefu, returning (exit code, stdout + stderr, peak resident memory in KiB).
fn run(args: &[String]) -> (i32, String, u64) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .current_dir(root())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kefu starts");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let code = loop {
        if let Ok(s) = std::fs::read_to_string(&status_file)
            && let Some(kb) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(kb);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status.code().unwrap_or(-1);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&reader.join().unwrap()),
        String::from_utf8_lossy(&err_reader.join().unwrap())
    );
    (code, text, peak)
}

fn find_pdf(dir: &Path, prefix: &str) -> Option<PathBuf> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).ok()? {
            let p = e.ok()?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.strip_prefix(dir).ok()?.to_string_lossy().starts_with(prefix) {
                return Some(p);
            }
        }
    }
    None
}

#[test]
fn every_hostile_input_is_refused_clearly_or_printed_literally() {
    let corpus = repo("tests/fixtures/hostile");
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(&corpus).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    assert!(cases.len() >= 40, "the corpus holds at least 40 cases, has {}", cases.len());
    // Two at a time: the cases are independent processes.
    let failures: Vec<String> = std::thread::scope(|s| {
        let chunks: Vec<&[PathBuf]> = cases.chunks(cases.len().div_ceil(2)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| s.spawn(move || chunk.iter().flat_map(|c| check_case(c)).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn check_case(dir: &Path) -> Vec<String> {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let spec: Case = kefu::yaml::from_str(&std::fs::read_to_string(dir.join("case.yaml")).unwrap(), dir).unwrap();
    let input = tempfile::tempdir().unwrap();
    copy_tree(&repo("tests/fixtures/base"), input.path());
    for f in ["calendar.yaml", "complaint_rules.yaml"] {
        std::fs::copy(repo("input").join(f), input.path().join(f)).unwrap();
    }
    copy_tree(dir, input.path());
    std::fs::remove_file(input.path().join("case.yaml")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let before = files(input.path());
    let mut args: Vec<String> =
        ["--as-of", "2025-06-30", "--input", input.path().to_str().unwrap(), "--output", out.path().to_str().unwrap()]
            .map(String::from)
            .to_vec();
    args.extend(spec.args.iter().cloned());
    let (code, text, peak) = run(&args);
    let mut failures = Vec::new();
    let short: String = text.chars().take(1500).collect();
    if code != spec.exit {
        failures.push(format!("{name}: exit {code}, expected {}\n{short}", spec.exit));
    }
    if text.contains("panicked") {
        failures.push(format!("{name}: panicked\n{short}"));
    }
    for m in &spec.messages {
        if !text.contains(m.as_str()) {
            failures.push(format!("{name}: missing 「{m}」 in\n{short}"));
        }
    }
    if peak > MAX_RSS_KB {
        failures.push(format!("{name}: peak memory {} MB", peak / 1024));
    }
    if before != files(input.path()) {
        failures.push(format!("{name}: an input file changed"));
    }
    if let Some(prefix) = &spec.pdf {
        match find_pdf(out.path(), prefix) {
            None => failures.push(format!("{name}: no output PDF starting with {prefix}\n{short}")),
            Some(p) => {
                let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
                let printed = squeeze(&Pdf::parse(&std::fs::read(&p).unwrap()).text());
                for l in &spec.literal {
                    if !printed.contains(&squeeze(l)) {
                        failures.push(format!("{name}: 「{l}」 not printed literally in {}", p.display()));
                    }
                }
            }
        }
    }
    failures
}
