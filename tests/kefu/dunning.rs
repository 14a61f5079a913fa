//! `kefu dunning` on the committed sample estate: the letters due on the run date, the dunning
//! ledger and the litigation list, checked against the fee ledger read independently.

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::pdf::Pdf;
use crate::{files, kefu, repo, text};

const DAY: &str = "2026-10-31";

fn rows(path: &Path) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let name = book.sheet_names()[0].clone();
    book.worksheet_range(&name).unwrap().rows().map(<[Data]>::to_vec).collect()
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        _ => String::new(),
    }
}

fn fen(d: &Data) -> i64 {
    match d {
        Data::Float(f) => (f * 100.0).round() as i64,
        Data::Int(i) => i * 100,
        _ => 0,
    }
}

/// Arrears per room from 物业费台帐.xlsx read cell by cell: 应收 − 实收 of the months whose fee
/// fell due (their last day) before the run date.
fn arrears_from_fee_ledger() -> BTreeMap<String, i64> {
    let all = rows(&repo("input/台帐/物业费台帐.xlsx"));
    let header = all.iter().position(|r| cell_text(&r[0]) == "房号").expect("header row");
    let heads: Vec<String> = all[header].iter().map(cell_text).collect();
    let mut out = BTreeMap::new();
    for row in &all[header + 1..] {
        let room = cell_text(&row[0]);
        if room.is_empty() || room == "合计" {
            continue;
        }
        let mut owed = 0;
        for (c, h) in heads.iter().enumerate() {
            // 2026年5月应收 … 2026年9月应收: due by the end of September, before 10-31.
            let Some(month) = h.strip_prefix("2026年").and_then(|r| r.strip_suffix("月应收")) else { continue };
            if month.parse::<u32>().unwrap() >= 10 {
                continue;
            }
            let due = row.get(c).map_or(0, fen);
            let paid = row.get(c + 1).map_or(0, fen);
            owed += due - paid;
        }
        if owed > 0 {
            out.insert(room, owed);
        }
    }
    out
}

#[test]
fn dunning_prints_each_letter_due_and_a_ledger_that_matches_the_fee_ledger() {
    let out = tempfile::tempdir().unwrap();
    let o = kefu(&["dunning", "--output", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let summary = text(&o);
    assert!(summary.contains(&format!("{DAY} 应发催缴函件")), "{summary}");
    let dir = out.path().join("催缴").join(DAY);
    let all = files(&dir);

    // Every letter of the ladder is due somewhere in the sample, one PDF each.
    let letters: Vec<&String> = all.keys().filter(|k| k.starts_with("函件")).collect();
    for title in ["提示函", "催缴函", "紧急催缴函", "律师函"] {
        let first = letters
            .iter()
            .find(|k| k.starts_with(&format!("函件/{title}-")))
            .unwrap_or_else(|| panic!("no {title} among {letters:?}"));
        let pdf = Pdf::parse(&all[first.as_str()]);
        assert!(pdf.page_count() <= 2, "{first}: {} pages", pdf.page_count());
        for (name, embedded) in pdf.fonts() {
            assert!(embedded, "{first}: {name} not embedded");
        }
        let t: String = pdf.text().chars().filter(|c| !c.is_whitespace()).collect();
        let room = first.trim_start_matches(&format!("函件/{title}-")).trim_end_matches(".pdf");
        assert!(t.contains(title) && t.contains(&format!("{room}室")), "{first}: {t}");
        assert!(t.contains("欠费及违约金合计：人民币") && t.contains("已收到"), "{first}: {t}");
        assert!(t.contains("2026年10月31日"), "{first}: the run date is the letter's date");
        match title {
            // 7 days from Saturday 10-31 end on Saturday 11-07, moved to Monday 11-09 (民法典 203).
            "提示函" | "催缴函" => assert!(t.contains("2026年11月9日前"), "{first}: {t}"),
            "律师函" => assert!(t.contains("李振国律师") && t.contains("第九百四十四条"), "{first}: {t}"),
            _ => {}
        }
    }
    let n: usize = summary.split("应发催缴函件 ").nth(1).and_then(|s| s.split(' ').next()).unwrap().parse().unwrap();
    assert_eq!(letters.len(), n, "one PDF per letter counted in the summary");
    let book = Pdf::parse(&all[&format!("催缴函件合订本-{DAY}.pdf")]);
    assert!(book.page_count() >= n && book.page_count() <= 2 * n);

    // The dunning ledger lists exactly the rooms the fee ledger shows in arrears, with their sums.
    let expected = arrears_from_fee_ledger();
    let ledger = rows(&dir.join(format!("催缴台帐-{DAY}.xlsx")));
    assert_eq!(cell_text(&ledger[2][0]), "房号");
    let got: BTreeMap<String, i64> =
        ledger[3..].iter().filter(|r| cell_text(&r[0]) != "合计").map(|r| (cell_text(&r[0]), fen(&r[3]))).collect();
    assert_eq!(got, expected);
    assert!(cell_text(&ledger[1][0]).contains(&format!("欠费 {} 户", expected.len())), "{:?}", ledger[1][0]);

    // The litigation list: every room whose 律师函 went out, with its late-fee computation.
    let list = rows(&dir.join(format!("起诉清单-{DAY}.xlsx")));
    let sued: Vec<&Vec<Data>> = list[3..].iter().collect();
    assert!(!sued.is_empty());
    for r in &sued {
        let detail = cell_text(&r[4]);
        assert!(detail.contains("×万分之三="), "{detail}");
        assert!(expected.contains_key(&cell_text(&r[1])), "{:?} is in arrears", r[1]);
        assert!(!cell_text(&r[7]).is_empty(), "律师函 date");
    }
}

#[test]
fn dunning_output_is_byte_identical_across_runs() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for d in [&a, &b] {
        let o = kefu(&["dunning", "--output", d.path().to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
    let fa = files(&a.path().join("催缴").join(DAY));
    let fb = files(&b.path().join("催缴").join(DAY));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(*bytes == fb[name], "{name} differs between runs");
    }
}

#[test]
fn a_letter_template_naming_an_unknown_value_fails_and_leaves_the_last_output_alone() {
    let out = tempfile::tempdir().unwrap();
    let o = kefu(&["dunning", "--output", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let dir = out.path().join("催缴").join(DAY);
    let before = files(&dir);

    // A copy of the templates whose 提示函 uses a value kefu does not provide.
    let templates = tempfile::tempdir().unwrap();
    let mut stack = vec![repo("templates")];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(repo("templates")).unwrap();
            if path.is_dir() {
                std::fs::create_dir_all(templates.path().join(rel)).unwrap();
                stack.push(path);
            } else {
                std::fs::copy(&path, templates.path().join(rel)).unwrap();
            }
        }
    }
    let letter = templates.path().join("letters/提示函.txt.j2");
    let wording = std::fs::read_to_string(&letter).unwrap();
    std::fs::write(&letter, wording.replace("{{ principal }}", "{{ principle }}")).unwrap();
    let o = kefu(&[
        "dunning",
        "--output",
        out.path().to_str().unwrap(),
        "--templates-dir",
        templates.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("提示函.txt.j2") && t.contains("principle"), "{t}");
    assert!(files(&dir) == before, "the previous output is untouched");
}
