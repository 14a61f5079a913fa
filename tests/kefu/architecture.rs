//! The floors of `src/` (docs/architecture.md): a module imports only from the floors below its
//! own, never sideways or up; a command never imports another command.

use std::path::Path;

use super::root;

/// The floor of each top-level module, lowest first. Modules on floor 0 may use one another.
const FLOORS: &[(&str, u8)] = &[
    ("error", 0),
    ("text", 0),
    ("yaml", 0),
    ("output", 0),
    ("progress", 0),
    ("fonts", 0),
    ("parse", 1),
    ("forms", 2),
    ("model", 3),
    ("config", 4),
    ("load", 5),
    ("rules", 5),
    ("render", 6),
    ("commands", 7),
    ("cli", 8),
    // Test fixtures only (`#[cfg(test)]`): they load registers for the tests of any floor.
    ("testkit", 9),
];

fn floor(module: &str) -> Option<u8> {
    FLOORS.iter().find(|(m, _)| *m == module).map(|(_, f)| *f)
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The `crate::a::b` paths named in `text` (a, and b when there is one).
fn crate_paths(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        if text[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &text[i + "crate::".len()..];
        let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
        let first = ident(rest);
        let second = rest[first.len()..].strip_prefix("::").map(ident).filter(|s| !s.is_empty());
        if !first.is_empty() {
            out.push((first, second));
        }
    }
    out
}

#[test]
fn every_module_imports_only_from_the_floors_below() {
    let src = root().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let module = rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        if matches!(module.as_str(), "lib" | "main") {
            continue;
        }
        let own = floor(&module).unwrap_or_else(|| panic!("{} is on no floor: add it to FLOORS", rel.display()));
        // The command a file belongs to (commands/monthly/report.rs → monthly).
        let command = (module == "commands")
            .then(|| {
                rel.components().nth(1).map(|c| c.as_os_str().to_string_lossy().trim_end_matches(".rs").to_string())
            })
            .flatten();
        let text = std::fs::read_to_string(file).unwrap();
        for (target, sub) in crate_paths(&text) {
            if target == module {
                if let (Some(mine), Some(other)) = (&command, &sub)
                    && mine != "mod"
                    && mine != other
                    && other != "session"
                {
                    wrong.push(format!("{}: command {mine} imports command {other}", rel.display()));
                }
                continue;
            }
            // The test fixtures serve every floor's tests.
            let Some(theirs) = floor(&target).filter(|_| target != "testkit") else { continue };
            if theirs > own || (theirs == own && own != 0) {
                wrong.push(format!("{} (floor {own}) imports crate::{target} (floor {theirs})", rel.display()));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "imports against the floors:\n{}", wrong.join("\n"));
}

#[test]
fn the_floor_check_sees_a_backward_import() {
    let paths = crate_paths("use crate::render::filled::Filled;\nlet x = crate::rules::due::collect(c, 7);");
    assert_eq!(
        paths,
        [("render".to_string(), Some("filled".to_string())), ("rules".to_string(), Some("due".to_string()))]
    );
    assert!(floor("render") > floor("rules"));
}
