//! `cargo bench --bench peer`: 100 documents of one dense 30-row Chinese register page (form 15,
//! 前台接待台帐, filled), typeset by kefu on one thread and on every core — and, when LibreOffice
//! is installed, the same 100 registers as xlsx converted to PDF by `soffice --headless` in one
//! call, the way a browser- or office-based tool prints. Prints a Markdown table for
//! docs/benchmarks.md. Also checks the parallel run writes the same bytes as the sequential one.

use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use kefu::config::Config;
use kefu::forms::FormSet;
use kefu::render::filled::{self, Filled};
use kefu::render::{FontStore, TemplateStore, Typesetter};

const DOCS: usize = 100;

fn rows() -> Vec<Vec<String>> {
    let contents = [
        "卫生间地漏返水，楼下邻居反映顶棚渗水",
        "客厅插座无电，空气开关反复跳闸",
        "入户门锁芯卡滞，钥匙无法转动",
        "厨房下水管道堵塞，污水外溢",
    ];
    let names = ["王建国", "李秀英", "张伟", "刘洋", "陈静"];
    (0..30)
        .map(|i| {
            vec![
                format!("2026-10-{:02} {:02}:{:02}", 1 + i % 28, 8 + i % 10, (i * 7) % 60),
                format!("{}-{}-{}{:02}", 1 + i % 9, 1 + i % 3, 1 + i % 30, 1 + i % 4),
                names[i % names.len()].to_string(),
                format!("138****{:04}", 1000 + i * 37),
                contents[i % contents.len()].to_string(),
                if i % 3 == 0 { "公共区域" } else { "入室" }.to_string(),
                if i % 4 == 0 { "部门工作联系单" } else { "工程部维修单" }.to_string(),
                format!("WX2610-{:05}", i + 1),
                "李娜".to_string(),
                format!("2026-10-{:02} {:02}:30", 1 + i % 28, 10 + i % 8),
                "已回访，业主满意".to_string(),
            ]
        })
        .collect()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(&root.join("input")).expect("config");
    let forms = FormSet::load(&root.join("forms")).expect("forms");
    let form = forms.get(15).expect("form 15");
    let typesetter =
        Typesetter::new(FontStore::embedded(), TemplateStore::load(&root.join("templates")).expect("templates"));
    let filled = Filled { document: Default::default(), rows: rows(), total: None };
    let date = NaiveDate::from_ymd_opt(2026, 10, 31).expect("date");
    let render = |i: &usize| {
        let out =
            filled::render_filled(&config, form, &filled, &typesetter, date, format!("peer/{i}"), &root.join("forms"))
                .map(|(pdf, t)| (pdf, t.document.pages().len()));
        typst::comemo::evict(0);
        out.expect("render")
    };
    let items: Vec<usize> = (0..DOCS).collect();
    let _ = render(&0); // warm-up
    let t = Instant::now();
    let seq: Vec<(Vec<u8>, usize)> = items.iter().map(render).collect();
    let one = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let par = kefu::render::parallel_map(&items, render);
    let all = t.elapsed().as_secs_f64();
    assert!(seq == par, "the parallel run writes the same bytes");
    let pages: usize = seq.iter().map(|(_, p)| p).sum();
    println!(
        "| {DOCS} documents of one 30-row register page ({pages} pages) | Wall | Documents/s |\n| --- | --- | --- |"
    );
    println!("| kefu, one thread | {one:.2} s | {:.1} |", DOCS as f64 / one);
    println!(
        "| kefu, {} threads | {all:.2} s | {:.1} (×{:.2} the one-thread run) |",
        kefu::render::threads(),
        DOCS as f64 / all,
        one / all
    );

    // The same registers as xlsx, printed by LibreOffice.
    let dir = std::env::temp_dir().join(format!("kefu-peer-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("pdf")).expect("temp dir");
    let xlsx = kefu::render::xlsx::filled_register(&config, form, &filled, date).expect("xlsx");
    let files: Vec<String> = (0..DOCS)
        .map(|i| {
            let p = dir.join(format!("doc{i:03}.xlsx"));
            std::fs::write(&p, &xlsx).expect("write xlsx");
            p.to_string_lossy().into_owned()
        })
        .collect();
    let t = Instant::now();
    let lo = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.join("pdf"))
        .args(&files)
        .output();
    let lo_time = t.elapsed().as_secs_f64();
    match lo {
        Ok(o) if o.status.success() => {
            let made = std::fs::read_dir(dir.join("pdf")).map(|d| d.count()).unwrap_or(0);
            println!(
                "| LibreOffice headless (`soffice --headless --convert-to pdf`, {made} xlsx in one call) | {lo_time:.2} s | {:.1} — kefu is ×{:.1} faster on all cores |",
                made as f64 / lo_time,
                lo_time / all
            );
        }
        _ => println!("| LibreOffice headless | not installed here | |"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
