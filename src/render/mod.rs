//! Rendering: typeset PDF through embedded typst, workbooks through rust_xlsxwriter.

pub mod due_list;
pub mod filled;
pub mod form20;
pub mod letters;
pub mod plan;
pub mod problem_list;
pub mod typeset;
pub mod world;
pub mod xlsx;

pub use crate::fonts::FontStore;
pub use typeset::{Diagnostic, Job, PdfFlavor, Typeset, Typesetter};
pub use world::TemplateStore;

/// Typesetting threads: one per core, or `KEFU_THREADS` when set (1 = sequential, for
/// measurements; the output is the same either way).
pub fn threads() -> usize {
    std::env::var("KEFU_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Maps `f` over `items` on one thread per core, each with a stack deep enough for typst, and
/// returns the results in the items' order. Plain scoped threads pulling from a shared counter:
/// with rayon's pool, typesetting after a large load held gigabytes of memory that these threads
/// do not (measured on a 100,000-household estate).
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = threads().min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(item) = items.get(i) else { break };
        let r = f(item);
        if let Ok(mut all) = results.lock() {
            all[i] = Some(r);
        }
    };
    std::thread::scope(|scope| {
        let spawned: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().stack_size(64 << 20).spawn_scoped(scope, work).ok())
            .collect();
        work();
        for handle in spawned {
            let _ = handle.join();
        }
    });
    results.into_inner().map(|v| v.into_iter().flatten().collect()).unwrap_or_default()
}
