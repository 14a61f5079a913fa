//! `kefu monthly` on the committed sample estate: the report, the workbook and the printed
//! registers, and that the workbook's numbers are the report's.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::pdf::Pdf;
use crate::{files, kefu, text};

const MONTH: &str = "2026-10";

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every part of the package is well-formed XML, and every part a relationship or the content
/// types name exists: the checks a spreadsheet application's repair step would trip on.
fn assert_valid_package(bytes: &[u8]) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("xlsx is a zip");
    let names: Vec<String> = (0..zip.len()).map(|i| zip.by_index(i).unwrap().name().unwrap().into_owned()).collect();
    let mut parts: BTreeMap<String, String> = BTreeMap::new();
    for name in &names {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        let mut reader = quick_xml::Reader::from_str(&s);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed XML: {e}"),
            }
        }
        parts.insert(name.to_string(), s);
    }
    let attr = |tag: &str, key: &str, xml: &str| -> Vec<String> {
        xml.split(&format!("<{tag} "))
            .skip(1)
            .filter_map(|t| t.split(&format!("{key}=\"")).nth(1))
            .filter_map(|v| v.split('"').next())
            .map(str::to_string)
            .collect()
    };
    for part in attr("Override", "PartName", &parts["[Content_Types].xml"]) {
        assert!(names.contains(&part.trim_start_matches('/').to_string()), "content type for missing part {part}");
    }
    for (name, xml) in parts.iter().filter(|(n, _)| n.ends_with(".rels")) {
        let base = name.replace("_rels/", "").trim_end_matches(".rels").to_string();
        let dir = Path::new(&base).parent().unwrap_or(Path::new("")).to_path_buf();
        for target in attr("Relationship", "Target", xml) {
            if xml.contains(&format!("Target=\"{target}\" TargetMode=\"External\"")) {
                continue;
            }
            let path =
                if let Some(abs) = target.strip_prefix('/') { Path::new(abs).to_path_buf() } else { dir.join(&target) };
            let mut norm = Vec::new();
            for c in path.components() {
                match c {
                    std::path::Component::ParentDir => {
                        norm.pop();
                    }
                    std::path::Component::Normal(p) => norm.push(p.to_string_lossy().into_owned()),
                    _ => {}
                }
            }
            assert!(names.contains(&norm.join("/")), "{name} points at missing {target}");
        }
    }
    assert!(names.iter().filter(|n| n.starts_with("xl/charts/chart")).count() >= 4, "native charts: {names:?}");
}

#[test]
fn monthly_writes_report_workbook_and_registers_with_the_same_numbers() {
    let out = tempfile::tempdir().unwrap();
    let o = kefu(&["monthly", "--output", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("2026年10月月报"), "{}", text(&o));
    let dir = out.path().join("月报").join(MONTH);
    let all = files(&dir);

    // The report: every KPI with the value the workbook computes.
    let report = Pdf::parse(&all[&format!("月度报告-{MONTH}.pdf")]);
    for (name, embedded) in report.fonts() {
        assert!(embedded, "{name} not embedded");
    }
    let pdf = squeeze(&report.text());
    let xlsx = &all[&format!("月度统计-{MONTH}.xlsx")];
    assert_valid_package(xlsx);
    let path = dir.join(format!("月度统计-{MONTH}.xlsx"));
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    for sheet in ["指标", "计数", "指标明细", "投诉分类", "走访", "收缴率", "维修", "待办与逾期", "打印台帐"]
    {
        assert!(book.sheet_names().iter().any(|s| s == sheet), "sheet {sheet}");
    }
    let kpis = book.worksheet_range("指标").unwrap();
    let rows: Vec<&[Data]> = kpis.rows().skip(3).collect();
    assert_eq!(rows.len(), 11, "the eleven default KPIs");
    for r in rows {
        let name = r[0].to_string();
        let value = match &r[5] {
            Data::Float(f) => format!("{:.1}%", (f * 1000.0).round() / 10.0),
            other => other.to_string(),
        };
        // The numerator and denominator in the sheet make the value in the sheet.
        if let (Data::Float(n), Data::Float(d)) = (&r[2], &r[4])
            && *d != 0.0
        {
            assert_eq!(value, format!("{:.1}%", (n / d * 1000.0).round() / 10.0), "{name}");
        }
        assert!(pdf.contains(&format!("{name}{value}")), "report shows {name} {value}");
        assert!(r[12].to_string().contains("第"), "{name} cites its records: {}", r[12]);
    }

    // Printed registers: form 20, the 维修单 one per page, no full phone number anywhere.
    assert!(all.keys().any(|k| k.starts_with("台帐/20-客户投诉分类统计表")), "{:?}", all.keys());
    let orders = all.iter().find(|(k, _)| k.starts_with("台帐/16-")).map(|(_, v)| Pdf::parse(v)).expect("维修单");
    let desk = all.iter().find(|(k, _)| k.starts_with("台帐/15-")).map(|(_, v)| Pdf::parse(v)).expect("前台接待台帐");
    for p in [&orders, &desk] {
        let t = p.text();
        assert!(t.contains("****"), "phones masked");
        let digits: Vec<char> = t.chars().collect();
        let run = digits.windows(11).any(|w| w[0] == '1' && w.iter().all(char::is_ascii_digit));
        assert!(!run, "an unmasked mobile number was printed");
    }
    let book_rows = book.worksheet_range("打印台帐").unwrap();
    let order_pages = book_rows.rows().find(|r| r[0].to_string().contains("-16 ")).map(|r| r[2].to_string());
    assert_eq!(order_pages, Some(orders.page_count().to_string()), "one 维修单 per page, as listed");
    assert!(squeeze(&orders.page_texts()[0]).contains("工程部维修单"));
}

#[test]
fn monthly_output_is_byte_identical_and_another_month_can_be_asked_for() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for d in [&a, &b] {
        let o = kefu(&["monthly", "--output", d.path().to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
    let fa = files(&a.path().join("月报").join(MONTH));
    let fb = files(&b.path().join("月报").join(MONTH));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(*bytes == fb[name], "{name} differs between runs");
    }
    let o = kefu(&["monthly", "--month", "2026-09", "--output", a.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let report = Pdf::parse(&std::fs::read(a.path().join("月报/2026-09/月度报告-2026-09.pdf")).unwrap());
    assert!(squeeze(&report.text()).contains("报告期：2026年9月"));
}
