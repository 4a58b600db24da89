//! cargo-dockerize: containerize a Rust workspace and keep the files current.

pub mod catalog;
pub mod cli;
pub mod config;
pub mod detect;
pub mod error;
pub mod git;
pub mod lock;
pub mod manifest;
pub mod merge;
pub mod ops;
pub mod prompt;
pub mod render;
pub mod workspace;

use std::process::ExitCode;

pub use error::{Error, Result};

/// Runs a parsed command line; returns the exit code on success.
pub fn run(cli: cli::Cli) -> Result<ExitCode> {
    let text = match &cli.command {
        cli::Command::Init(args) => ops::init::run(args)?,
        cli::Command::Update(args) => {
            let updated = ops::update::run(args)?;
            print!("{}", updated.text);
            if updated.conflicts.is_empty() {
                return Ok(ExitCode::SUCCESS);
            }
            eprintln!(
                "error: {} file(s) have conflict markers where your edits and the template update overlap: {}",
                updated.conflicts.len(),
                updated.conflicts.join(", ")
            );
            eprintln!(
                "help: edit them (search for `<<<<<<< {}`), keep what you want, commit, then merge",
                merge::OURS_LABEL
            );
            return Ok(ExitCode::FAILURE);
        }
        cli::Command::Check(args) => ops::check::run(args)?,
    };
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}
