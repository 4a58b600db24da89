//! Presentation: colour and verbosity, status lines, diffs, the spinner; all terminal output goes through [`Ui`].

mod color;
mod diff;
mod report;
mod spinner;
mod summary;

use std::io::{IsTerminal, Write};
use std::time::Instant;

pub use color::Paint;
pub use report::{Line, Report, Tone};
pub use summary::{summary, swarm_secrets};

use crate::cli::GlobalArgs;
use crate::error::Error;

/// How much to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Verbosity {
    /// Errors only (`-q`).
    Quiet,
    #[default]
    Normal,
    /// Also commands run and timings (`-v`).
    Verbose,
}

/// Where and how output is printed: resolved once from the global flags and the environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ui {
    pub verbosity: Verbosity,
    stdout_color: bool,
    stderr_color: bool,
    stderr_terminal: bool,
}

impl Ui {
    /// Resolves `--color`, NO_COLOR, `-q`/`-v` and which streams are terminals.
    pub fn new(global: &GlobalArgs) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let stderr_terminal = std::io::stderr().is_terminal();
        let ui = Ui {
            verbosity: if global.quiet {
                Verbosity::Quiet
            } else if global.verbose {
                Verbosity::Verbose
            } else {
                Verbosity::Normal
            },
            stdout_color: color::enabled(global.color, no_color, std::io::stdout().is_terminal()),
            stderr_color: color::enabled(global.color, no_color, stderr_terminal),
            stderr_terminal,
        };
        // dialoguer's theme and indicatif style through `console`: make them agree.
        dialoguer::console::set_colors_enabled_stderr(ui.stderr_color);
        dialoguer::console::set_colors_enabled(ui.stdout_color);
        ui
    }

    /// No colour, normal verbosity, no terminal: for tests and pipes.
    pub fn plain() -> Self {
        Ui::default()
    }

    /// Whether stdout is coloured.
    pub fn stdout_color(&self) -> bool {
        self.stdout_color
    }

    /// Prints a report to stdout (nothing with `-q`).
    pub fn print(&self, report: &Report) {
        if self.verbosity > Verbosity::Quiet {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(report.render(self.stdout_color).as_bytes());
            let _ = out.flush();
        }
    }

    /// Prints a report to stderr (nothing with `-q`): what comes before questions.
    pub fn eprint(&self, report: &Report) {
        if self.verbosity > Verbosity::Quiet {
            eprint!("{}", report.render(self.stderr_color));
        }
    }

    /// A status line on stderr with `-v` only.
    pub fn verbose(&self, verb: &str, text: &str) {
        if self.verbosity >= Verbosity::Verbose {
            let mut report = Report::default();
            report.status(verb, Tone::Note, text);
            self.eprint(&report);
        }
    }

    /// Runs `work` under a spinner (stderr is a terminal, no `-q` or `-v`), timed with `-v`.
    pub fn spin<T>(&self, message: &str, work: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        // Not with -v: its lines would be drawn over.
        let spinner = (self.stderr_terminal && self.verbosity == Verbosity::Normal)
            .then(|| spinner::start(message));
        let out = work();
        if let Some(spinner) = spinner {
            spinner.finish_and_clear();
        }
        self.verbose(
            "Finished",
            &format!("{message} in {:.2}s", started.elapsed().as_secs_f64()),
        );
        out
    }

    /// Prints an error with its causes and help line to stderr, cargo style (also with `-q`).
    pub fn error(&self, err: &Error) {
        let paint = |p: Paint, s: &str| p.apply(s, self.stderr_color);
        if matches!(err, Error::Interrupted) {
            // The cursor may sit at the end of a half-answered question.
            eprintln!(
                "\n{}: nothing was written",
                paint(Paint::Warn, "interrupted")
            );
            return;
        }
        eprintln!("{}: {err}", paint(Paint::Bad, "error"));
        let mut source = std::error::Error::source(err);
        while let Some(cause) = source {
            eprintln!("  caused by: {cause}");
            source = cause.source();
        }
        if let Some(help) = err.help() {
            eprintln!("{}: {help}", paint(Paint::Note, "help"));
        }
    }
}
