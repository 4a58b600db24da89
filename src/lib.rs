//! cargo-dockerize: containerize a Rust workspace and keep the files current.

pub mod cli;
pub mod config;
pub mod detect;
pub mod error;
pub mod lock;
pub mod manifest;
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
        cli::Command::Check(args) => ops::check::run(args)?,
    };
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}
