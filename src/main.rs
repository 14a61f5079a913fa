//! The `kefu` binary: reads the clock once and hands over to the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    // The only clock reading in kefu: today's date is the default of `--as-of`.
    #[allow(clippy::disallowed_methods)]
    let today = chrono::Local::now().date_naive();
    ExitCode::from(kefu::cli::main(std::env::args_os(), today))
}
