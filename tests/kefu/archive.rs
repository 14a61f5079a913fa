//! `kefu archive`: PDF/A-2b dossiers per household, incremental rebuilds, reproducibility and
//! confidentiality — on a few rooms of the committed sample, and on a small input folder whose
//! records the test changes.

use std::path::Path;
use std::process::Command;

use crate::pdf::Pdf;
use crate::{files, kefu, repo, root, text};

const ROOMS: &str = "1-1-101,1-1-102,2-1-1801";

#[test]
fn dossiers_are_pdf_a_2b_with_cover_contents_and_bookmarks() {
    let out = tempfile::tempdir().unwrap();
    let o = kefu(&["archive", "--rooms", ROOMS, "--output", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("新生成 3 户，未变 0 户"), "{}", text(&o));
    let dir = out.path().join("archive");
    let bytes = std::fs::read(dir.join("卷宗/1/1-1-101.pdf")).unwrap();
    let pdf = Pdf::parse(&bytes);
    let xmp = pdf.xmp().expect("XMP metadata");
    assert!(
        xmp.contains("<pdfaid:part>2</pdfaid:part>") && xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{xmp}"
    );
    let intents = pdf.output_intents();
    assert!(intents.iter().any(|(s, icc)| s == "GTS_PDFA1" && *icc), "{intents:?}");
    for (name, embedded) in pdf.fonts() {
        assert!(embedded, "{name} not embedded");
    }
    let outline = pdf.outline_titles();
    assert_eq!(&outline[..2], &["封面".to_string(), "卷内目录".to_string()], "{outline:?}");
    assert!(outline.len() > 3, "a bookmark per document: {outline:?}");
    let pages = pdf.page_texts();
    let cover: String = pages[0].chars().filter(|c| !c.is_whitespace()).collect();
    assert!(cover.contains("业主档案") && cover.contains("1-1-101") && cover.contains("档案编号"), "{cover}");
    let toc: String = pages[1].chars().filter(|c| !c.is_whitespace()).collect();
    assert!(toc.contains("业主档案卷内目录") && toc.contains("入住通知单") && toc.contains("页次"), "{toc}");
    // The archive is the one output with unmasked phone numbers.
    let all = pdf.text();
    let digits: Vec<char> = all.chars().collect();
    assert!(digits.windows(11).any(|w| w[0] == '1' && w.iter().all(char::is_ascii_digit)), "phones unmasked");

    // Index, exceptions report, manifest; private permissions.
    for name in ["档案索引.xlsx", "档案缺项报告.xlsx", "manifest.json"] {
        assert!(dir.join(name).exists(), "{name}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("卷宗")), 0o700);
        assert_eq!(mode(&dir.join("卷宗/1")), 0o700);
        assert_eq!(mode(&dir.join("卷宗/1/1-1-101.pdf")), 0o600);
        assert_eq!(mode(&dir.join("档案索引.xlsx")), 0o600);
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let entry = &manifest["households"]["1-1-101"];
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(entry["sha256"].as_str(), Some(digest.as_str()));
    assert_eq!(entry["pages"].as_u64(), Some(pdf.page_count() as u64));

    // Nothing changed: nothing typeset, nothing rewritten.
    let before = files(&dir.join("卷宗"));
    let o = kefu(&["archive", "--rooms", ROOMS, "--output", out.path().to_str().unwrap()]);
    assert!(text(&o).contains("新生成 0 户，未变 3 户"), "{}", text(&o));
    assert!(files(&dir.join("卷宗")) == before);
    let o = kefu(&["archive", "--rooms", "9-9-9999", "--output", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

/// A small input folder: the base fixture with a front-desk register of two rooms.
fn small_input(content_101: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let base = repo("tests/fixtures/base");
    std::fs::copy(base.join("kefu.yaml"), dir.path().join("kefu.yaml")).unwrap();
    for f in ["calendar.yaml", "complaint_rules.yaml"] {
        std::fs::copy(repo("input").join(f), dir.path().join(f)).unwrap();
    }
    let reg = dir.path().join("台帐");
    std::fs::create_dir(&reg).unwrap();
    std::fs::copy(base.join("台帐/房屋及业主台帐.yaml"), reg.join("房屋及业主台帐.yaml")).unwrap();
    let desk = format!(
        "- {{接单时间: 2025-05-06 09:00, 房间号: 1-1-101, 联系电话: 13800000001, 报修内容: {content_101}, 处理方式: 部门工作联系单, 接单人: 李娜}}\n\
         - {{接单时间: 2025-05-07 10:00, 房间号: 1-1-102, 联系电话: 13800000002, 报修内容: 窗户漏风, 处理方式: 部门工作联系单, 接单人: 李娜}}\n"
    );
    std::fs::write(reg.join("15-前台接待台帐.yaml"), desk).unwrap();
    dir
}

#[test]
fn a_changed_record_rebuilds_exactly_its_household_and_full_builds_are_identical() {
    let input = small_input("水管漏水");
    let out = tempfile::tempdir().unwrap();
    let run = |input: &Path, out: &Path, extra: &[&str]| {
        let mut args = vec![
            "--as-of",
            "2025-06-30",
            "--input",
            input.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "archive",
        ];
        args.extend_from_slice(extra);
        let o = kefu(&args);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        text(&o)
    };
    let first = run(input.path(), out.path(), &[]);
    let households: usize = first.split("业主档案 ").nth(1).and_then(|s| s.split(' ').next()).unwrap().parse().unwrap();
    assert!(households >= 2, "{first}");
    let before = files(&out.path().join("archive/卷宗"));

    // Change 1-1-101's record only.
    let changed = small_input("水管漏水，厨房地面积水");
    std::fs::remove_dir_all(input.path().join("台帐")).unwrap();
    std::fs::rename(changed.path().join("台帐"), input.path().join("台帐")).unwrap();
    let second = run(input.path(), out.path(), &[]);
    assert!(second.contains(&format!("新生成 1 户，未变 {} 户", households - 1)), "{second}");
    let after = files(&out.path().join("archive/卷宗"));
    let differ: Vec<&String> = after.keys().filter(|k| before.get(*k) != after.get(*k)).collect();
    assert_eq!(differ, vec!["1/1-1-101.pdf"]);

    // Two full builds of the same input are byte-identical (index and manifest included).
    let other = tempfile::tempdir().unwrap();
    run(input.path(), other.path(), &["--force"]);
    let forced = tempfile::tempdir().unwrap();
    run(input.path(), forced.path(), &["--force"]);
    let a = files(&other.path().join("archive"));
    let b = files(&forced.path().join("archive"));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(*bytes == b[name], "{name} differs between two full builds");
    }
    // The incremental result equals a full build.
    assert!(files(&out.path().join("archive/卷宗")) == files(&other.path().join("archive/卷宗")));
}

#[test]
fn one_thread_and_all_cores_write_the_same_archive() {
    let input = small_input("水管漏水");
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    for (dir, threads) in dirs.iter().zip(["1", "2"]) {
        let o = Command::new(env!("CARGO_BIN_EXE_kefu"))
            .current_dir(root())
            .env("KEFU_THREADS", threads)
            .args([
                "--as-of",
                "2025-06-30",
                "--input",
                input.path().to_str().unwrap(),
                "--output",
                dir.path().to_str().unwrap(),
                "archive",
            ])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
    assert!(files(&dirs[0].path().join("archive")) == files(&dirs[1].path().join("archive")));
}
