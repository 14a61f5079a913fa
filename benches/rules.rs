//! `KEFU_BENCH_INPUT=DIR cargo bench --bench rules`: the procedures' rules on a loaded estate.
//!
//! Loads the input folder once (timed separately), then times drawing a month's visit plan,
//! running every rule, collecting the deadline list, the dunning ladder and printing the dunning
//! letters, in process. Generate a large estate with
//! `kefu sample --households 100000 --months 12 --month 2026-10 --output DIR` (see
//! scripts/bench-rules.sh).

use std::path::PathBuf;
use std::time::Instant;

use kefu::commands::session::Session;
use kefu::model::YearMonth;
use kefu::rules;

// The allocator of the `kefu` binary (src/main.rs), so that the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let input = std::env::var_os("KEFU_BENCH_INPUT").map(PathBuf::from).unwrap_or_else(|| root.join("input"));
    let t = Instant::now();
    let session = match Session::open(&input, &root.join("forms"), |c| {
        c.report_month.map(YearMonth::last_day).unwrap_or_default()
    }) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let load = t.elapsed();
    let ctx = session.context();
    let month = session.config.report_month.unwrap_or(YearMonth { year: 2026, month: 10 });
    let time = |f: &mut dyn FnMut() -> usize| {
        let mut best = std::time::Duration::MAX;
        let mut n = 0;
        for _ in 0..3 {
            let t = Instant::now();
            n = f();
            best = best.min(t.elapsed());
        }
        (best, n)
    };
    let (plan, planned) = time(&mut || {
        rules::visits::plan(&ctx, month, 1)
            .map(|p| kefu::render::plan::plan_form(&p, ctx.forms).rows.len())
            .unwrap_or(0)
    });
    let (all, findings) = time(&mut || rules::run_all(&ctx).len());
    type Rule = fn(&rules::Context<'_>) -> Vec<rules::Finding>;
    let modules: [(&str, Rule); 8] = [
        ("visits", rules::visits::findings),
        ("complaints", rules::complaints::findings),
        ("repairs", rules::repairs::findings),
        ("archive", rules::archive::findings),
        ("keys", rules::keys::findings),
        ("quality", rules::quality::findings),
        ("services", rules::services::findings),
        ("dunning", rules::dunning::findings),
    ];
    let per_module: Vec<(&str, std::time::Duration, usize)> = modules
        .iter()
        .map(|(name, f)| {
            let (d, n) = time(&mut || f(&ctx).len());
            (*name, d, n)
        })
        .collect();
    let (list, open) = time(&mut || rules::due::collect(&ctx, 7).items.len());
    let (ladder, cases) = time(&mut || rules::dunning::cases(&ctx).0.len());
    // The letters: typeset once, into a scratch folder (each letter alone and once in a book).
    let out = std::env::temp_dir().join(format!("kefu-bench-dunning-{}", std::process::id()));
    let t = Instant::now();
    let typesetter = kefu::render::Typesetter::new(
        kefu::render::FontStore::embedded(),
        kefu::render::TemplateStore::load(&root.join("templates")).expect("templates load"),
    );
    let written = kefu::commands::dunning::run(&session, &typesetter, &root.join("templates"), &out);
    let letters_time = t.elapsed();
    let _ = std::fs::remove_dir_all(&out);
    let records = session.loaded.dataset.record_count();
    println!("| Step ({records} records, {} rooms) | Best of 3 |\n| --- | --- |", session.loaded.dataset.rooms.len());
    println!("| Load and check the registers (once) | {:.2} s |", load.as_secs_f64());
    println!("| plan-visits: draw {month}'s plan ({planned} visits) | {:.3} s |", plan.as_secs_f64());
    println!("| Every rule ({findings} findings) | {:.3} s |", all.as_secs_f64());
    println!("| deadlines: collect the list ({open} open items) | {:.3} s |", list.as_secs_f64());
    println!("| dunning: the ladder of every room in arrears ({cases} cases) | {:.3} s |", ladder.as_secs_f64());
    match written {
        Ok(w) => println!(
            "| dunning: letters, ledger and litigation list ({} letters, {:.1} letters/s) | {:.2} s |",
            w.letters,
            w.letters as f64 / letters_time.as_secs_f64(),
            letters_time.as_secs_f64()
        ),
        Err(e) => eprintln!("dunning: {e}"),
    }
    for (name, d, n) in per_module {
        println!("| — rules::{name} ({n} findings) | {:.3} s |", d.as_secs_f64());
    }
}
