//! The spinner shown on a terminal while something slow (cargo metadata) runs.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Starts a spinner on stderr; the caller clears it with `finish_and_clear`.
pub fn start(message: &str) -> ProgressBar {
    let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner:.cyan.bold} {msg}") {
        spinner.set_style(style);
    }
    spinner.set_message(format!("{message}..."));
    spinner.enable_steady_tick(Duration::from_millis(80));
    spinner
}
