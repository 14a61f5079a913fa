//! Progress bars on a terminal, nothing otherwise (pipes, CI logs, tests).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar on stderr that is hidden unless stderr is a terminal.
pub struct Progress(ProgressBar);

impl Progress {
    /// A bar of `len` steps labelled `message`.
    pub fn new(len: u64, message: &'static str) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress(ProgressBar::hidden());
        }
        let bar = ProgressBar::new(len);
        let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(message);
        Progress(bar)
    }

    /// One step done.
    pub fn inc(&self) {
        self.0.inc(1);
    }

    /// Removes the bar; the summary line replaces it.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}
