//! The `kefu` binary: reads the clock once and hands over to the library.

use std::process::ExitCode;

// mimalloc: a general-purpose allocator that returns freed memory to the system more readily than
// glibc's per-thread arenas, which matters when a large estate is loaded and then typeset on
// several threads (see docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // The only clock reading in kefu: today's date is the default of `--as-of`.
    #[allow(clippy::disallowed_methods)]
    let today = chrono::Local::now().date_naive();
    ExitCode::from(kefu::cli::main(std::env::args_os(), today))
}
