//! cargo-dockerize: containerize a Rust workspace and keep the files current.

pub mod catalog;
pub mod cli;
pub mod config;
pub mod detect;
pub mod drift;
pub mod error;
pub mod escape;
pub mod existing;
pub mod families;
pub mod git;
pub mod lock;
pub mod manifest;
pub mod merge;
pub mod ops;
pub mod preset;
pub mod prompt;
pub mod render;
pub mod ui;
pub mod workspace;

use std::process::ExitCode;

pub use error::{Error, Result};

/// Runs a parsed command line, printing through `ui`; returns the exit code on success.
pub fn run(cli: cli::Cli, ui: &ui::Ui) -> Result<ExitCode> {
    let report = match &cli.command {
        cli::Command::Init(args) => ops::init::run(args, ui)?,
        cli::Command::Update(args) => {
            let updated = ops::update::run(args, ui)?;
            ui.print(&updated.report);
            if updated.conflicts.is_empty() {
                return Ok(ExitCode::SUCCESS);
            }
            ui.error(&Error::Conflicts {
                paths: updated.conflicts,
                ours: merge::OURS_LABEL,
            });
            return Ok(ExitCode::FAILURE);
        }
        cli::Command::Check(args) => ops::check::run(args, ui)?,
        cli::Command::Answers(args) => ops::answers::run(args, ui)?,
        cli::Command::Completions(args) => {
            ops::completions::run(args, &mut std::io::stdout());
            return Ok(ExitCode::SUCCESS);
        }
    };
    ui.print(&report);
    Ok(ExitCode::SUCCESS)
}
