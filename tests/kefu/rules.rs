//! `kefu plan-visits` and `kefu deadlines` on the committed sample estate.

use crate::{kefu, text};

#[test]
fn plan_visits_writes_form_07_and_is_reproducible_by_seed() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    for (dir, seed) in [(&a, "1"), (&b, "1"), (&c, "2")] {
        let o = kefu(&["plan-visits", "--month", "2026-11", "--seed", seed, "--output", dir.path().to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        assert!(text(&o).contains("每周应走访"), "{}", text(&o));
    }
    let file = |d: &tempfile::TempDir, ext: &str| {
        std::fs::read(d.path().join(format!("走访计划/业主走访工作计划-2026-11.{ext}"))).unwrap()
    };
    assert!(file(&a, "pdf") == file(&b, "pdf"), "same seed, same plan");
    assert!(file(&a, "xlsx") == file(&b, "xlsx"));
    assert!(file(&a, "xlsx") != file(&c, "xlsx"), "another seed draws another plan");
    let pdf = crate::pdf::Pdf::parse(&file(&a, "pdf"));
    let all = pdf.text();
    assert!(all.contains("地王/客服记录-07") && all.contains("业主走访工作计划"));
    assert!(all.contains("2026年11月"), "the plan month is printed");
    for (name, embedded) in pdf.fonts() {
        assert!(embedded, "{name} not embedded");
    }
}

#[test]
fn plan_visits_refuses_a_month_the_calendar_does_not_cover() {
    let out = tempfile::tempdir().unwrap();
    let o = kefu(&["plan-visits", "--month", "2027-02", "--output", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("2027 年"), "{}", text(&o));
}

#[test]
fn deadlines_lists_overdue_items_first_in_every_format() {
    let out = tempfile::tempdir().unwrap();
    let o = kefu(&["deadlines", "--output", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("截至 2026-10-31") && t.contains("项已逾期"), "{t}");
    let first = t.lines().nth(2).unwrap_or("");
    assert!(first.starts_with("已逾期"), "overdue first: {first}");
    assert!(out.path().join("期限清单/期限清单-2026-10-31.pdf").exists());
    assert!(out.path().join("期限清单/期限清单-2026-10-31.xlsx").exists());
    let o = kefu(&["deadlines", "--format", "json", "--output", out.path().to_str().unwrap()]);
    let s = String::from_utf8_lossy(&o.stdout);
    let json: serde_json::Value = serde_json::from_str(&s[..=s.rfind('}').unwrap()]).unwrap();
    let items = json["items"].as_array().unwrap();
    assert!(!items.is_empty());
    for item in items {
        assert!(matches!(item["state"].as_str(), Some("overdue" | "open")), "{item}");
        assert!(item["procedure"].as_str().is_some_and(|p| !p.is_empty()));
        assert!(item["why"].as_str().is_some_and(|w| !w.is_empty()));
    }
    assert_eq!(json["overdue"].as_u64().unwrap() as usize, items.iter().filter(|i| i["state"] == "overdue").count());
}
